"""Feeding the NSO insights (guide.store.insights) from what people do: one small write when a change
tells something new, never on a rerun that changes nothing, and never anything typed.

What this session already counted is kept in the session only ({(scope, kind, key)}), so a rule that keeps
failing is counted once per session (in the troubleshooter: once per conversation), not at every change.
A failure here is logged and costs nothing else: the page goes on.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import streamlit as st
from sqlalchemy import Connection

from ..case.model import Case
from ..flows.observe import items
from ..store import insights
from ..workshop.owners import Snapshot
from . import derived, identity

log = logging.getLogger(__name__)
COUNTED_KEY = "_insights_counted"   # {(scope, kind, key)} counted in this session
TIMED_KEY = "_insights_timed"       # participant ids whose part timer this session has seen to
CONVERSATION_KEY = "_insights_conversation"  # the troubleshooter conversation's number in this session


def _fresh(scope: str, found: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    counted: set[tuple[str, str, str]] = st.session_state.setdefault(COUNTED_KEY, set())
    return [(kind, key) for kind, key in dict.fromkeys(found) if (scope, kind, key) not in counted]


def _write(scope: str, source: str, fresh: list[tuple[str, str]], timing: insights.Timing | None = None) -> None:
    if not fresh and timing is None:
        return
    try:
        insights.record(identity.engine(), source, fresh, timing)
    except Exception:  # the insights never cost the teacher their page
        log.exception("recording insights failed")
        return
    counted(Counted(scope, tuple(fresh), timing))


@dataclass(frozen=True)
class Counted:
    """What a write of the insights counted: marked in the session once that write is committed (only then),
    so that a later change does not count it again."""

    scope: str
    fresh: tuple[tuple[str, str], ...]
    timing: insights.Timing | None


def counted(marks: Counted | None) -> None:
    if marks is None:
        return
    st.session_state.setdefault(COUNTED_KEY, set()).update((marks.scope, kind, key) for kind, key in marks.fresh)
    if marks.timing is not None:
        st.session_state.setdefault(TIMED_KEY, set()).add(marks.timing.participant_id)


def changed(source: str, before: Snapshot, case: Case, progress: Mapping[str, str] | None = None) -> None:
    """A person changed their case or step marks (`source`: 'sandbox' or 'selfcheck'; a workshop seat
    counts as 'workshop'). Counts the rules failing after it and the parts it started or finished."""
    found = _found(source, before, case, progress)
    if found is not None:
        counted_as, fresh, timing = found
        _write(counted_as, counted_as, fresh, timing)


def in_action(conn: Connection, before: Snapshot, after: Snapshot) -> Counted | None:
    """changed(), for a participant's sandbox action, inside its transaction (guide.workshop.owners.perform):
    one transaction for the action and its counts. A savepoint keeps a failure here from costing the
    action; it is logged, as in _write. Returns what it counted, for `counted()` once the transaction is
    committed: a transaction retried after a database error counts again, not nothing."""
    found = _found("sandbox", before, after.case)
    if found is None:
        return None
    source, fresh, timing = found
    if not fresh and timing is None:
        return None
    try:
        with conn.begin_nested():
            insights.record_in(conn, source, fresh, timing)
    except Exception:  # the insights never cost the teacher their action
        log.exception("recording insights failed")
        return None
    return Counted(source, tuple(fresh), timing)


def _found(source: str, before: Snapshot, case: Case, progress: Mapping[str, str] | None = None
           ) -> tuple[str, list[tuple[str, str]], insights.Timing | None] | None:
    """(the source it counts under, which is also its scope; the new counts; the participant's part timing)
    of a change; None if it cannot be read."""
    participant = before.owner.id if before.owner is not None and before.owner.kind == "participant" else None
    if participant is not None:
        source = "workshop"
    try:
        after = before.progress if progress is None else progress
        # what both cases show comes from the page's own table (guide.ui.derived), with their rules and
        # journeys: the page made the first on its last run and makes the second on the next one
        old = derived.seen_of(before.case, before.progress)
        new = derived.seen_of(case, after)
    except Exception:
        log.exception("insights could not read the change")
        return None
    fresh = _fresh(source, items(old, new))
    timing = None
    if participant is not None:
        timed: set[int] = st.session_state.get(TIMED_KEY, set())  # marked by counted(), once written
        if participant not in timed or old.current != new.current or new.done - old.done:
            timing = insights.Timing(participant, old.current, new.current, new.done)
    return source, fresh, timing


def new_conversation() -> None:
    """The helpdesk agent picked a complaint: what follows is another teacher's conversation."""
    st.session_state[CONVERSATION_KEY] = st.session_state.get(CONVERSATION_KEY, 0) + 1


def troubleshooter(failing: Iterable[str], escalated: str | None) -> None:
    """A troubleshooter conversation's findings: the failing rules, and the path (complaint and answer
    ids) when it ends with an e-mail to the NSO or ESEP support. Once per conversation."""
    from ..steps.registry import all_rules

    rules = all_rules()
    scope = f"troubleshooter:{st.session_state.get(CONVERSATION_KEY, 0)}"
    found = [("rule", r) for r in failing if r in rules and rules[r].severity in ("blocker", "warning")]
    if escalated:
        found.append(("escalated", escalated))
    _write(scope, "troubleshooter", _fresh(scope, found))
