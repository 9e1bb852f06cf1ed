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
