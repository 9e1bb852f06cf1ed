"""The practice scenarios: case files in content/scenarios/, one per exercise, named by their file stem."""

from __future__ import annotations

from pathlib import Path

from .. import CONTENT_DIR
from ..case.model import Case, load_case
from .outcome import ActionError

SCENARIO_DIR = CONTENT_DIR / "scenarios"


def scenario_ids(folder: Path = SCENARIO_DIR) -> list[str]:
    """Every scenario id (file stem), sorted."""
    return sorted(p.stem for p in folder.glob("*.yaml"))


def scenario_path(scenario_id: str, folder: Path = SCENARIO_DIR) -> Path:
    path = folder / f"{scenario_id}.yaml"
    if "/" in scenario_id or "\\" in scenario_id or not path.is_file():
        from ..errors import suggestion

        raise ActionError(f"no scenario '{scenario_id}'{suggestion(scenario_id, scenario_ids(folder))}")
    return path


def load_scenario(scenario_id: str, folder: Path = SCENARIO_DIR) -> Case:
    """A fresh case for the scenario (raises CaseError if the file is not a valid case-v1 file)."""
    return load_case(scenario_path(scenario_id, folder))
