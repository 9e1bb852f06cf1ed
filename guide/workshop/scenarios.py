"""The exercise scenarios a workshop can start from: case files in content/scenarios/<id>.yaml."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .. import CONTENT_DIR
from ..errors import GuideError, suggestion
from ..sandbox.case import Case, load_case

SCENARIO_DIR = CONTENT_DIR / "scenarios"


def scenario_ids(folder: Path = SCENARIO_DIR) -> list[str]:
    return sorted(p.stem for p in folder.glob("*.yaml"))


def seed(scenario: str, today: dt.date, folder: Path = SCENARIO_DIR) -> Case:
    """A fresh sandbox from the scenario, its clock set to the workshop's simulated day."""
    path = folder / f"{scenario}.yaml"
    if not path.is_file():
        raise GuideError(f"unknown scenario '{scenario}'{suggestion(scenario, scenario_ids(folder))}; "
                         f"expected one of {scenario_ids(folder)} in {folder}")
    case = load_case(path)
    case.today = today
    return case
