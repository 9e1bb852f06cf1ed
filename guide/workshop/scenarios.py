"""Seeding a participant's sandbox from a workshop's scenario (the files: guide.sandbox.scenarios)."""

from __future__ import annotations

import datetime as dt

from ..errors import GuideError
from ..sandbox.scenarios import load_scenario, scenario_ids

__all__ = ["OUTSIDE_THE_SANDBOX", "scenario_ids", "seed", "workshop_scenarios"]

#: Scenarios whose goal no simulated action reaches: what the teacher needs happens outside the platform.
#: A workshop does not offer them, so no participant is given a goal they cannot reach; working alone, the
#: sandbox still loads them (their goal says where it is reached). tests/test_goals.py drives every other
#: scenario to its goal.
OUTSIDE_THE_SANDBOX = frozenset({
    # 'Voor lerarenopleiders en leraren in opleiding is het registratieproces anders' (ch. 2): the handbook
    # does not describe that registration, so the sandbox cannot simulate it
    "teacher-trainer",
})


def workshop_scenarios() -> list[str]:
    """The scenarios a trainer can choose: every one whose goal the sandbox can reach."""
    return [s for s in scenario_ids() if s not in OUTSIDE_THE_SANDBOX]


def seed(scenario: str, today: dt.date):  # a Case
    """A fresh sandbox from the scenario, its clock set to the workshop's simulated day."""
    try:
        case = load_scenario(scenario)
    except GuideError as exc:
        raise GuideError(f"workshop scenario: {exc}") from None
    case.today = today
    return case
