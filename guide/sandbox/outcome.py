"""What a sandbox action returns, and the one way it decides a refusal: by the rules `diagnose` runs."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..case.model import Case
from ..errors import GuideError
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
    """An action called with arguments the platform's screens could never produce (unknown school id,
    unknown project title ...): a programming or input error, not a platform refusal."""

    def __str__(self) -> str:
        return str(self.args[0])


def copy(case: Case) -> Case:
    return case.model_copy(deep=True)


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
