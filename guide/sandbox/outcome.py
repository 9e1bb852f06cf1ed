"""What a sandbox action returns, and the one way it decides a refusal: by the rules `diagnose` runs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from copy import deepcopy
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from ..case.model import Case
from ..errors import DID_YOU_MEAN, GuideError, Hint
from ..steps.findings import check

#: The steps before anything else on ESEP: an EU Login, confirmed, and a platform account (ch. 1, 2).
ACCOUNT = ("eu_login.missing", "eu_login.unconfirmed", "account.missing")
#: ... and 'Join eTwinning' clicked (ch. 2 step 4): the profile and school form come after it.
JOINED = (*ACCOUNT, "account.not_joined")


@dataclass(frozen=True)
class Outcome:
    """The result of one simulated platform action.

    ok: the platform did it. case: the sandbox afterwards (a copy; the input is never changed); on a
    refusal it is the input plus the teacher's intent in `wants`, so that diagnose explains the refusal.
    refused_by: the rule id diagnose reports for the refused situation. attempted: that situation (what
    the case would be had the platform allowed it). facts: data for the UI's wording (no prose here).
    """

    ok: bool
    case: Case
    refused_by: str | None = None
    facts: Mapping[str, Any] = field(default_factory=dict)
    attempted: Case | None = None


class ActionError(GuideError, ValueError):
    """An action called with arguments the platform's screens would not take (an empty e-mail address, a
    title that exists already, an unknown school id ...): an input error, not a platform refusal.

    `message` is a catalog msgid (marked with N_) with `{field}` for the field's name and the other
    `{placeholders}` from `params`; `str()` is the English text naming the field by its argument name, and
    `text(gettext, label)` is the reader's language naming the field by the label the form shows."""

    def __init__(self, message: str, /, *, field: str | None = None, **params: Any) -> None:
        super().__init__(message)
        self.message, self.field, self.params = message, field, params

    def text(self, gettext: Callable[[str], str], label: Callable[[str], str]) -> str:
        values = {key: _shown(value, gettext) for key, value in self.params.items()}
        if self.field is not None:
            values["field"] = label(self.field)
        try:
            return gettext(self.message).format(**values)
        except (KeyError, IndexError, ValueError):  # a message without (all) placeholders: as it is
            return gettext(self.message)

    def __str__(self) -> str:
        return self.text(lambda message: message, lambda field: field)


def _shown(value: Any, gettext: Callable[[str], str]) -> str:
    """A value in a message: lists as 'a', 'b'; a 'did you mean' hint in the reader's words; the rest as text."""
    if isinstance(value, Hint):
        return " " + gettext(DID_YOU_MEAN).format(word=value.word)
    if isinstance(value, list | tuple):
        return ", ".join(f"'{v}'" for v in value) or "-"
    return str(value)


def copy(case: Case) -> Case:
    """A deep copy of the case: what `case.model_copy(deep=True)` gives (every model, list and dict its own,
    which fields were given kept), a few times faster (no memo of shared objects: a case has none)."""
    return _clone(case)


_ATOMIC = frozenset({str, int, float, bool, type(None), dt.date, dt.datetime})  # immutable: shared as they are
_set = object.__setattr__


def _clone(value: Any) -> Any:
    kind = type(value)
    if kind in _ATOMIC:
        return value
    if kind is list:
        return [_clone(v) for v in value]
    if kind is dict:
        return {k: _clone(v) for k, v in value.items()}
    if isinstance(value, BaseModel) and value.__pydantic_private__ is None and value.__pydantic_extra__ is None:
        new = object.__new__(kind)  # as pydantic's own __deepcopy__ does it (BaseModel has no __new__ of its own)
        _set(new, "__dict__", {k: _clone(v) for k, v in value.__dict__.items()})
        _set(new, "__pydantic_extra__", None)
        _set(new, "__pydantic_fields_set__", set(value.__pydantic_fields_set__))
        _set(new, "__pydantic_private__", None)
        return new
    return deepcopy(value)


def with_want(case: Case, want: str | None) -> Case:
    new = copy(case)
    if want and want not in new.wants:
        new.wants = [*new.wants, want]  # type: ignore[list-item]
    return new


def drop_want(case: Case, *wants: str) -> None:
    """The teacher did what they wanted: the intent is fulfilled (changes `case` in place; a copy)."""
    if any(w in case.wants for w in wants):
        case.wants = [w for w in case.wants if w not in wants]


def first_failing(case: Case, rule_ids: Iterable[str]) -> str | None:
    """The first of the rules that fails on the case: the platform's reason to refuse."""
    ids = list(rule_ids)
    results = check(case, ids)
    return next((rid for rid in ids if results[rid].status == "fail"), None)


def gate(case: Case, want: str | None, rule_ids: Iterable[str], build: Callable[[Case], None],
         focus: Callable[[Case], None] | None = None, **facts: Any) -> Outcome | None:
    """Refuse when a rule fails on the attempted situation; None when the platform lets it through.

    `build` applies the attempted change to a copy (with the want added). `focus` narrows that copy to
    the thing being acted on (this project, this room), so an unrelated old project cannot block a new
    one; the rule must still fail on the full attempted case, which `Outcome.attempted` keeps.
    """
    attempted = with_want(case, want)
    build(attempted)
    judged = attempted
    if focus is not None:
        judged = copy(attempted)
        focus(judged)
    rid = first_failing(judged, rule_ids)
    if rid is None:
        return None
    return Outcome(False, with_want(case, want), rid, facts, attempted)


def done(case: Case, **facts: Any) -> Outcome:
    return Outcome(True, case, None, facts)
