"""Seeding a participant's sandbox from a workshop's scenario (the files: guide.sandbox.scenarios)."""

from __future__ import annotations

import datetime as dt

from ..errors import GuideError
from ..sandbox.scenarios import load_scenario, scenario_ids

__all__ = ["scenario_ids", "seed"]


def seed(scenario: str, today: dt.date):  # a Case
    """A fresh sandbox from the scenario, its clock set to the workshop's simulated day."""
    try:
        case = load_scenario(scenario)
    except GuideError as exc:
        raise GuideError(f"workshop scenario: {exc}") from None
    case.today = today
    return case
