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
