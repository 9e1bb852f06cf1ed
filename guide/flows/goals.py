"""A practice scenario's goal on a case: reached or not, and what blocks it (for the participant and the
trainer board). A goal is reached when none of the scenario's success rules fails (each passes, or no
longer applies) and every milestone it names is reached (content/<lang>/scenarios.yaml)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..case.milestones import reached as milestone_reached
from ..case.model import Case
from ..content.loader import Content
from ..content.models import Scenario
from ..steps.findings import check, sort_key
from ..steps.registry import Result, all_rules


@dataclass(frozen=True)
class Goal:
    scenario: Scenario
    reached: bool
    blocking: str | None          # the rule that stands between the case and the goal (None: nothing fails)
    missing: tuple[str, ...]      # milestones not reached yet


def scenario_of(content: Content, scenario_id: str | None) -> Scenario | None:
    listed = content.get("scenarios.yaml")
    if not listed or not scenario_id:
        return None
    return next((s for s in listed.scenarios if s.id == scenario_id), None)


def goal(content: Content, scenario_id: str | None, case: Case,
         results: Mapping[str, Result] | None = None) -> Goal | None:
    """The goal of `scenario_id` on `case` (None: no such scenario). `results`: check(case), if known."""
    scenario = scenario_of(content, scenario_id)
    if scenario is None:
        return None
    results = results if results is not None else check(case)
    failing = [r for r in scenario.success if results[r].status == "fail"]
    missing = tuple(m for m in scenario.milestones if not milestone_reached(case, m))
    blocking = failing[0] if failing else None
    if blocking is None and missing:  # what holds the case back: its first failing blocker or warning
        rules = all_rules()
        held = sorted((rid for rid, r in results.items()
                       if r.status == "fail" and rules[rid].severity in ("blocker", "warning")),
                      key=lambda rid: sort_key(rules[rid], "fail"))
        blocking = held[0] if held else None
    return Goal(scenario, not failing and not missing, blocking, missing)
