"""Self-check answers: which answer a teacher's case already agrees with.

An answer's `sets` are case paths (guide/case/paths.py, the one syntax and writer for the
troubleshooter and the flows); `apply_sets` there applies them to a copy of the case.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..case.model import Case
from ..case.paths import AnswerError, apply_sets


def same_case(a: Case, b: Case) -> bool:
    return a.model_dump() == b.model_dump()


def current_answer(case: Case, answers: list[Any], names: Mapping[str, str] | None = None) -> str | None:
    """The id of the first answer the case already agrees with (applying it changes nothing), else None."""
    for answer in answers:
        try:
            if same_case(apply_sets(case, answer.sets, names), case):
                return answer.id
        except AnswerError:
            continue
    return None


def shown_answer(case: Case, answers: list[Any], given: str | None,
                 names: Mapping[str, str] | None = None) -> str | None:
    """The answer a question shows: the one the teacher gave, while the case still agrees with it; else
    the one the case shows (e.g. after the sandbox), but never one that is only true of an empty case: a
    new teacher sees 'not answered yet', not 'No, not yet'."""
    by_id = {a.id: a for a in answers}
    if given in by_id:
        try:
            if same_case(apply_sets(case, by_id[given].sets, names), case):
                return given
        except AnswerError:
            pass
    inferred = current_answer(case, answers, names)
    if inferred is None:
        return None
    blank = Case()
    try:
        if same_case(apply_sets(blank, by_id[inferred].sets, names), blank):
            return None  # 'true' of every new teacher: not an answer anybody gave
    except AnswerError:
        return None
    return inferred


def questions_for(flows: Any, step: Any, case: Case, results: Mapping[str, Any], rules: list[str]) -> list[Any]:
    """The questions to show at `step`: its own, then the first other question of the journey whose answer
    decides whether this step shows done (a `done_when` rule, a `shown_by` milestone), so that every step
    can be answered where it stands (no dead end)."""
    from ..case.milestones import reached
    from ..steps.findings import check

    own = list(step.questions)
    done_when = list(step.done_when if step.done_when is not None else rules)
    if not (done_when or step.shown_by):
        return own
    before = ({r: results[r].status == "pass" for r in done_when}, {m: reached(case, m) for m in step.shown_by})
    seen = {q.id for q in own}
    for flow in flows.flows:
        for other in flow.steps:
            for q in other.questions:
                if q.id in seen:
                    continue
                for a in q.answers:
                    try:
                        after_case = apply_sets(case, a.sets, flows.names)
                    except AnswerError:
                        continue
                    now = check(after_case, done_when) if done_when else {}
                    after = ({r: now[r].status == "pass" for r in done_when},
                             {m: reached(after_case, m) for m in step.shown_by})
                    if after != before:
                        return own + [q]  # one question that decides the step is enough
    return own
