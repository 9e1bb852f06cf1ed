"""What the session's case gives, computed once per case: every rule's result, the journey, the worded
findings, a step's questions, a participant's position.

A rerun that did not change the case (a page switch, a widget, the language) reuses them. The case in the
session is never changed in place (guide.ui.saving replaces it on every change; sandbox actions work on
copies), so 'the same case' is 'the same object'; the day counts too, because a case without its own
simulated date is judged on today's. Each value is kept next to what it was made from, one per kind, in
the session.

Behind that, one table for the whole process keyed by the case's contents: every new session starts
from the same empty case, and a workshop's participants from the same scenario, so the first run of a
session finds most of it made already. The values are immutable (frozen dataclasses, never-changed
dicts), so sessions can share them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any, TypeVar, cast

import streamlit as st

from ..case.model import Case, dump_case
from ..content.flows import Question
from ..flows import answers
from ..flows.answers import questions_for
from ..flows.goals import Goal, goal
from ..flows.journey import Journey, StepState, evaluate, flows_of
from ..flows.observe import Seen, seen
from ..lru import Bounded
from ..steps.findings import Finding, check, diagnose
from ..steps.registry import Result
from ..workshop.progress import Position, position
from .common import content, lang, run_memo
from .saving import get_case, get_progress

T = TypeVar("T")
KEY = "_derived"  # {kind: (case, day, extra key, value)}; "": (case, its signature)
SIGNED = "derived_signed"  # run_memo(): {id(case): (case, its signature)} of the cases this run asked about
_shared: Bounded[Any] = Bounded(2000)  # values kept for the whole process (least recently used go first)


def signature(case: Case) -> tuple[str, str]:
    """The case's contents, as the rules can see them: every value, and which fields were given (a rule
    may tell 'not given' from a default value)."""
    return case.model_dump_json(), case.model_dump_json(exclude_unset=True)


def _kept(kind: str, extra: Any, make: Callable[[Case], T]) -> T:
    case = get_case()
    day = dt.date.today()
    kept: dict[str, tuple[Any, ...]] = st.session_state.setdefault(KEY, {})
    found = kept.get(kind)
    if found is not None and found[0] is case and found[1] == day and found[2] == extra:
        return found[3]
    sig = kept.get("")
    if sig is None or sig[0] is not case:
        sig = kept[""] = (case, _signature_of(case))  # an action in this run may have made it already
    value = _shared_value((kind, sig[1], day, extra), lambda: make(case))
    kept[kind] = (case, day, extra, value)
    return value


def _shared_value(key: tuple[Any, ...], make: Callable[[], T]) -> T:
    """The process-wide value under `key` (kind, the case's signature, the day, extra), made when missing."""
    return cast(T, _shared.made(key, make))


def _signature_of(case: Case) -> tuple[str, str]:
    """The signature of any case, made once per run (an action asks for the rules, journey and insights of the
    case before and after it, each a few times in one callback; the run after it for the new one's)."""
    signed: dict[int, tuple[Case, tuple[str, str]]] = run_memo().setdefault(SIGNED, {})
    found = signed.get(id(case))
    if found is not None and found[0] is case:  # the case itself is kept with it, so its id is not reused
        return found[1]
    sig = st.session_state.get(KEY, {}).get("")  # the session's, as kept since an earlier run
    value = sig[1] if sig is not None and sig[0] is case else signature(case)
    signed[id(case)] = (case, value)
    return value


def results_of(case: Case) -> Mapping[str, Result]:
    """Every rule's raw result on any case (e.g. the one before an action), from the same table as results()."""
    return _shared_value(("results", _signature_of(case), dt.date.today(), None), lambda: check(case))


def seen_of(case: Case, progress: Mapping[str, str] | None) -> Seen:
    """What the NSO insights see of any case and marks (guide.flows.observe.seen), from the same table: the
    case after one participant's action is, in a workshop, mostly the case before another's."""
    marks = dict(progress or {})
    return _shared_value(("seen", _signature_of(case), dt.date.today(), (lang(), tuple(sorted(marks.items())))),
                         lambda: seen(content(), case, marks, results_of(case), journey_of(case, marks)))


def journey_of(case: Case, progress: Mapping[str, str] | None) -> Journey:
    """The journey on any case and marks in the session's language, from the same table as journey()."""
    marks = dict(progress or {})
    return _shared_value(("journey", _signature_of(case), dt.date.today(), (lang(), tuple(sorted(marks.items())))),
                         lambda: evaluate(content(), case, marks, results_of(case)))


def results() -> Mapping[str, Result]:
    """Every rule's raw result on the session's case."""
    return _kept("results", None, check)


def journey() -> Journey:
    """The journey on the session's case and step marks, in the session's language."""
    progress = get_progress()
    return _kept("journey", (lang(), tuple(sorted(progress.items()))),
                 lambda case: evaluate(content(), case, progress, results()))


def findings() -> list[Finding]:
    """Every rule's finding, worded in the session's language (failing first, as `diagnose` orders them)."""
    return _kept("findings", lang(), lambda case: diagnose(case, lang(), content(), results=results()))


def failing(rule_ids: list[str] | tuple[str, ...] | None = None) -> list[Finding]:
    """The failing findings of these rules (default: all), in `diagnose`'s order."""
    wanted = None if rule_ids is None else set(rule_ids)
    return [f for f in findings() if f.status == "fail" and (wanted is None or f.rule in wanted)]


def questions(state: StepState) -> list[Question]:
    """A step's self-check questions: its own, and one from elsewhere that can show it done."""
    return _kept("questions", (lang(), state.id), lambda case: questions_for(
        flows_of(content()), state.step, case, results(), list(state.rules)))


def where() -> Position:
    """The session's position (its next step and failing blockers), as the trainer's board shows it."""
    progress = get_progress()
    return _kept("position", (lang(), tuple(sorted(progress.items()))),
                 lambda case: position(case, lang(), progress, results(), journey()))


def shown_answer(question: Question, given: str | None) -> str | None:
    """The answer a self-check question shows on the session's case (the one given, while the case agrees)."""
    return _kept(f"answer:{question.id}", (lang(), given), lambda case: answers.shown_answer(
        case, question.answers, given, flows_of(content()).names))


def case_file() -> str:
    """The session's case as a case file (YAML), for 'Save as case file' and the case-file view."""
    return _kept("case_file", None, dump_case)


def goal_of(scenario_id: str | None) -> Goal | None:
    return _kept("goal", (lang(), scenario_id), lambda case: goal(content(), scenario_id, case, results()))
