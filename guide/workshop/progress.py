"""Where a participant stands: their current handbook step and failing blockers, from their case."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING

from ..case.model import Case
from ..content.loader import load_content
from ..steps.findings import check, sort_key
from ..steps.registry import all_rules

if TYPE_CHECKING:
    from ..flows.journey import Journey

DONE = ""  # the step id of someone with nothing failing


@dataclass(frozen=True)
class Position:
    step: str                  # handbook step id where they are stuck, DONE when nothing fails
    step_title: str
    blockers: tuple[str, ...]  # ids of the failing blocker rules, in acting order
    actors: tuple[str, ...] = ()  # who acts on each blocker (teacher, partner, nso ...), same order


@lru_cache(maxsize=8)
def _rule_steps(lang: str) -> dict[str, tuple[str, str]]:
    """rule id -> (step id, step title): the first handbook step that the rule checks."""
    mapping: dict[str, tuple[str, str]] = {}
    for step_id, (_chapter, _section, step) in load_content(lang).step_by_id.items():
        for rid in step.rules:
            mapping.setdefault(rid, (step_id, step.title))
    return mapping


def position(case: Case, lang: str, progress: Mapping[str, str] | None = None,
             results: Mapping | None = None, journey: Journey | None = None) -> Position:
    """The participant's next step of the guided journey (guide.flows) on their case and progress; without
    flows content, the step of the first failing blocker or warning. Titles in `lang`. With who acts on
    each failing blocker (the trainer sees who everyone is waiting for). `results` (check(case)) and
    `journey` (evaluate() on the same case, progress and language): when the caller has them already."""
    rules = all_rules()
    results = results if results is not None else check(case)
    pos = _position(case, lang, progress, results, journey)
    return replace(pos, actors=tuple(results[rid].actor or rules[rid].actor for rid in pos.blockers))


def _position(case: Case, lang: str, progress: Mapping[str, str] | None, results,
              journey: Journey | None = None) -> Position:
    rules = all_rules()
    blockers = tuple(sorted((rid for rid, r in results.items() if r.status == "fail"
                             and rules[rid].severity == "blocker"), key=lambda rid: sort_key(rules[rid], "fail")))
    content = load_content(lang)
    if content.get("flows.yaml") is not None:
        from ..flows.journey import evaluate  # the journey's own idea of 'next'; one place decides it

        nxt = (journey or evaluate(content, case, progress or {}, results)).next_step
        if nxt is None:
            return Position(DONE, "", blockers)
        found = content.step_by_id.get(nxt.id)
        return Position(nxt.id, found[2].title if found else nxt.id, blockers)
    return _by_rules(case, lang, results, blockers)


def _by_rules(case: Case, lang: str, results, blockers: tuple[str, ...]) -> Position:
    rules = all_rules()
    # tips and info never hold anyone up: only blockers and warnings make a step 'current'
    failing = sorted((rid for rid, r in results.items()
                      if r.status == "fail" and rules[rid].severity in ("blocker", "warning")),
                     key=lambda rid: sort_key(rules[rid], "fail"))
    steps = _rule_steps(lang)
    for rid in failing:
        if rid in steps:
            step_id, title = steps[rid]
            return Position(step_id, title, blockers)
    if failing:  # a failing rule no step claims: show the rule itself rather than pretend all is well
        texts = load_content(lang).rule_texts
        rid = failing[0]
        return Position(f"rule:{rid}", texts[rid].title if rid in texts else rid, blockers)
    return Position(DONE, "", blockers)
