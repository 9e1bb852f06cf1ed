"""Which person a browser is: its key (an HttpOnly cookie, see guide.ui.identity_routes) -> its learner,
workshop seat and trainer board, kept only as the key's hash.

Nothing is stored for a browser until its person changes something; 'forget me' or a deleted workshop
empties the reference in every browser at once (foreign keys ON DELETE SET NULL).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, bindparam, delete, select
from sqlalchemy.orm import Session

from .engine import Engine, lock_row, read, read_rows, run
from .models import Browser, Learner, Participant, Workshop, utcnow
from .tokens import hash_secret

#: what a browser can be, and the column that says so
KINDS = {"learner": "learner_id", "participant": "participant_id", "trainer": "workshop_id"}


@dataclass(frozen=True)
class Known:
    """Whom a browser finds again (None: not that kind)."""

    learner_id: int | None = None
    participant_id: int | None = None
    workshop_id: str | None = None   # the workshop whose trainer this browser is


_KNOWN = select(Browser.learner_id, Browser.participant_id, Browser.workshop_id).where(
    Browser.key_hash == bindparam("key_hash"))


def known(engine: Engine, key: str | None) -> Known:
    """Whom this browser key finds (an unknown or missing key finds nobody)."""
    if not key:
        return Known()

    def work(conn: Connection) -> Known:  # three columns, on every run of every page: no ORM session
        row = conn.execute(_KNOWN, {"key_hash": hash_secret(key)}).first()
        return Known(row.learner_id, row.participant_id, row.workshop_id) if row else Known()

    return read_rows(engine, work)


def remember(engine: Engine, key: str | None, kind: str, ref: int | str | None) -> None:
    """From now on this browser finds `ref` as its `kind` (None: it no longer does). No key: nothing."""
    if not key:
        return
    column = KINDS[kind]
    target = {"learner_id": Learner, "participant_id": Participant, "workshop_id": Workshop}[column]

    def work(session: Session) -> None:
        if ref is not None and session.get(target, ref) is None:
            return  # deleted meanwhile: nothing to find again
        row = lock_row(session, Browser, hash_secret(key))
        if row is None:
            if ref is None:
                return
            row = Browser(key_hash=hash_secret(key), seen_at=utcnow())
            session.add(row)
        setattr(row, column, ref)
        row.seen_at = utcnow()
        if row.learner_id is None and row.participant_id is None and row.workshop_id is None:
            session.delete(row)  # a browser that finds nobody is not kept

    run(engine, work)


def is_trainer(session: Session, key: str, workshop_id: str) -> bool:
    """True if this browser key opened (and may reopen) the board of `workshop_id`."""
    row = session.get(Browser, hash_secret(key)) if key else None
    return row is not None and row.workshop_id == workshop_id


def forget_browser(engine: Engine, key: str | None) -> None:
    """This browser finds nobody any more (the row goes)."""
    if key:
        run(engine, lambda s: s.execute(delete(Browser).where(Browser.key_hash == hash_secret(key))))


def count_for(engine: Engine, kind: str, ref: int | str) -> int:
    """How many browsers find `ref` as `kind` (for tests and 'what is stored')."""
    column = getattr(Browser, KINDS[kind])
    return read(engine, lambda s: len(s.scalars(select(Browser.key_hash).where(column == ref)).all()))
