"""The journey on a case: each flow step's state (done / skipped / open), the one next step, and
marking steps done or skipped in the step progress (a plain dict {step id: 'done' | 'skipped'}).

A step is done when the teacher marked it done, or when the case shows it (its `done_when` rules all
pass, or its `shown_by` milestones are all reached), and in both cases only while none of its blocker
rules fails: a later change to the case can
reopen a step. A skipped step stays skipped; the journey moves past it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

from ..case.milestones import reached
from ..case.model import Case
from ..content.flows import Flow, Flows, FlowStep
from ..content.loader import Content
from ..errors import GuideError, suggestion
from ..steps.findings import check
from ..steps.registry import Result, get_rule

Mark = Literal["done", "skipped"]
Status = Literal["done", "skipped", "open"]
MARKS: tuple[str, ...] = ("done", "skipped")


class StepBlocked(GuideError):
    """A step cannot be marked done while one of its blocker rules fails on the case."""

    def __init__(self, step_id: str, blockers: tuple[str, ...]):
        super().__init__(step_id, blockers)
        self.step_id, self.blockers = step_id, blockers

    def __str__(self) -> str:
        return f"step '{self.step_id}' cannot be done while {', '.join(self.blockers)} fails"


class UnknownStep(GuideError, KeyError):
    def __str__(self) -> str:
        step_id, known = self.args
        return f"unknown flow step '{step_id}'{suggestion(step_id, known)}"


def flows_of(content: Content) -> Flows:
    return content.require("flows.yaml")


def step_rules(content: Content, step_id: str) -> list[str]:
    """The rules the handbook step checks (content/<lang>/chapters: `rules` of the step)."""
    found = content.step_by_id.get(step_id)
    if found is None:
        raise UnknownStep(step_id, list(content.step_by_id))
    return list(found[2].rules)


@dataclass(frozen=True)
class StepState:
    flow: str
    step: FlowStep
    rules: tuple[str, ...]       # what 'Check' runs
    mark: Mark | None            # the teacher's own mark in the progress
    failing: tuple[str, ...]     # rules of this step that fail on the case, in the step's order
    blocking: tuple[str, ...]    # the failing blockers
    shown_by_case: bool          # the case shows the step done (its done_when rules all pass)

    @property
    def id(self) -> str:
        return self.step.id

    @cached_property
    def status(self) -> Status:
        if (self.mark == "done" or self.shown_by_case) and not self.blocking:
            return "done"
        if self.mark == "skipped":
            return "skipped"
        return "open"

    @property
    def skip_cost(self) -> tuple[str, ...]:
        """What skipping costs later: the failing blockers and warnings of the step."""
        return tuple(r for r in self.failing if get_rule(r).severity in ("blocker", "warning"))


@dataclass(frozen=True)
class FlowState:
    flow: Flow
    steps: tuple[StepState, ...]

    @cached_property
    def status(self) -> Status:
        statuses = {s.status for s in self.steps}
        if statuses == {"done"}:
            return "done"
        if "open" not in statuses:
            return "skipped"
        return "open"

    @cached_property
    def done_count(self) -> int:
        return sum(s.status == "done" for s in self.steps)


@dataclass(frozen=True)
class Journey:
    flows: tuple[FlowState, ...]

    @cached_property
    def steps(self) -> tuple[StepState, ...]:
        return tuple(s for f in self.flows for s in f.steps)

    @cached_property
    def next_step(self) -> StepState | None:
        """The one next step: the first (in journey order) that is neither done nor skipped."""
        return next((s for s in self.steps if s.status == "open"), None)

    @property
    def done_count(self) -> int:
        return sum(s.status == "done" for s in self.steps)

    @property
    def total(self) -> int:
        return len(self.steps)

    def flow(self, flow_id: str) -> FlowState:
        for f in self.flows:
            if f.flow.id == flow_id:
                return f
        raise UnknownStep(flow_id, [f.flow.id for f in self.flows])

    def step(self, step_id: str) -> StepState:
        for s in self.steps:
            if s.id == step_id:
                return s
        raise UnknownStep(step_id, [s.id for s in self.steps])


def _state(flow: Flow, step: FlowStep, content: Content, case: Case, results: Mapping[str, Result],
           progress: Mapping[str, str]) -> StepState:
    rules = tuple(step_rules(content, step.id))
    failing = tuple(r for r in rules if results[r].status == "fail")
    blocking = tuple(r for r in failing if get_rule(r).severity == "blocker")
    done_when = step.done_when if step.done_when is not None else list(rules)
    shown = (bool(done_when) and all(results[r].status == "pass" for r in done_when)) or (
        bool(step.shown_by) and all(reached(case, m) for m in step.shown_by))
    mark = progress.get(step.id)
    return StepState(flow.id, step, rules, mark if mark in MARKS else None, failing, blocking, shown)  # type: ignore[arg-type]


def evaluate(content: Content, case: Case, progress: Mapping[str, str] | None = None,
             results: Mapping[str, Result] | None = None) -> Journey:
    """Every flow step's state on the case and the progress (all rules run once; `results`: check(case)
    when the caller has it already)."""
    flows = flows_of(content)
    progress = progress or {}
    results = results if results is not None else check(case)
    return Journey(tuple(
        FlowState(flow, tuple(_state(flow, step, content, case, results, progress) for step in flow.steps))
        for flow in flows.flows))


# -- changing the progress (pure: a new dict each time) ---------------------------------------------------

def mark_done(progress: Mapping[str, str], state: StepState) -> dict[str, str]:
    """The progress with the step marked done; refused while a blocker of the step fails."""
    if state.blocking:
        raise StepBlocked(state.id, state.blocking)
    return {**progress, state.id: "done"}


def mark_skipped(progress: Mapping[str, str], step_id: str) -> dict[str, str]:
    return {**progress, step_id: "skipped"}


def unmark(progress: Mapping[str, str], step_id: str) -> dict[str, str]:
    return {k: v for k, v in progress.items() if k != step_id}


def clean_progress(progress: object) -> dict[str, str]:
    """Progress as stored (session or database): only {str: 'done'|'skipped'} entries survive."""
    if not isinstance(progress, Mapping):
        return {}
    return {k: v for k, v in progress.items() if isinstance(k, str) and v in MARKS}
