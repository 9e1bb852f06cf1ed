"""What a change of a case tells the NSO insights (guide.store.insights), as content ids only: the rules
that fail, the parts of the journey started and finished, the part the person is in now."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..case.model import Case
from ..content.loader import Content
from ..steps.findings import check
from ..steps.registry import Result, all_rules
from .journey import Journey, evaluate

#: the rules that hold a teacher up; tips and notes do not
STUCK = ("blocker", "warning")


@dataclass(frozen=True)
class Seen:
    failing: frozenset[str]   # blocker and warning rules that fail
    started: frozenset[str]   # parts (flow ids) with at least one step done
    done: frozenset[str]      # parts with no open step (every step done or skipped)
    current: str | None       # the part of the next step (None: the whole journey is done)


def seen(content: Content, case: Case, progress: Mapping[str, str] | None = None,
         results: Mapping[str, Result] | None = None, journey: Journey | None = None) -> Seen:
    """The case and step marks as the insights see them (one run of the rules). `results` and `journey`: the
    case's rule results and its journey on these marks, when the caller has them already."""
    results = check(case) if results is None else results
    rules = all_rules()
    journey = evaluate(content, case, progress or {}, results) if journey is None else journey
    nxt = journey.next_step
    return Seen(
        failing=frozenset(rid for rid, r in results.items() if r.status == "fail" and rules[rid].severity in STUCK),
        started=frozenset(f.flow.id for f in journey.flows if f.done_count),
        done=frozenset(f.flow.id for f in journey.flows if f.status != "open"),
        current=nxt.flow if nxt is not None else None)


def items(before: Seen, after: Seen) -> list[tuple[str, str]]:
    """The counts a change from `before` to `after` makes: every rule failing after it, and the parts it
    started or finished (the caller keeps each to once per session)."""
    return ([("rule", r) for r in sorted(after.failing)]
            + [("started", p) for p in sorted(after.started - before.started)]
            + [("done", p) for p in sorted(after.done - before.done)])


def part_ids(content: Content) -> list[str]:
    """The parts of the journey in order (the same in every language)."""
    from .journey import flows_of

    return [f.id for f in flows_of(content).flows]
