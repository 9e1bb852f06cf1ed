"""Retention and erasure: what is deleted stays deleted, on disk too.

- `purge_expired`: progress, workshops and browser keys unused for GUIDE_RETENTION_DAYS (default 180)
  are deleted: a learner's row 180 days after its last change, a workshop with every seat 180 days after
  the last thing that happened in it (created, closed, a participant's last change), a browser key 180
  days after it was last seen, and wrong-code attempts after their window. It runs when an app process
  migrates the database at start-up and with `python -m guide db purge`.
- `scrub`: deleted rows leave no copy in the database files. SQLite runs with `secure_delete` (freed
  pages are overwritten with zeros) and its write-ahead log is checkpointed and truncated after a
  deletion; PostgreSQL rewrites the tables that held personal data (VACUUM FULL), so the old row
  versions leave the table files. (PostgreSQL's own write-ahead log and backups keep them until they
  are recycled or expire: see README, 'What is stored'.)

The NSO insights' counts (`insight_counts`, guide.store.insights) are about nobody and are kept; the
workshop part timers (`part_timers`) go with their participant (ON DELETE CASCADE), so with the workshop.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from sqlalchemy import delete, func, or_, select, text
from sqlalchemy.orm import Session

from .engine import Engine, deleted, run
from .models import Attempt, Browser, Learner, Participant, Workshop, utcnow
from .settings import retention_days

log = logging.getLogger(__name__)
PERSONAL_TABLES = ("learners", "participants", "workshops", "browsers")


@dataclass(frozen=True)
class Purged:
    learners: int = 0
    workshops: int = 0
    participants: int = 0
    browsers: int = 0
    attempts: int = 0

    @property
    def total(self) -> int:
        return self.learners + self.workshops + self.participants + self.browsers + self.attempts


def purge_expired(engine: Engine, days: int | None = None, now: dt.datetime | None = None) -> Purged:
    """Delete what was not used for `days` (default: GUIDE_RETENTION_DAYS), then scrub if anything went."""
    from .ratelimit import WINDOW

    now = now or utcnow()
    cutoff = now - dt.timedelta(days=days if days is not None else retention_days())

    def work(session: Session) -> Purged:
        learners = deleted(session, delete(Learner).where(Learner.updated_at < cutoff))
        last_seat = (select(func.max(Participant.updated_at)).where(Participant.workshop_id == Workshop.id)
                     .scalar_subquery())
        old = session.scalars(select(Workshop.id).where(
            Workshop.created_at < cutoff,
            or_(Workshop.closed_at.is_(None), Workshop.closed_at < cutoff),
            or_(last_seat.is_(None), last_seat < cutoff))).all()
        participants = workshops = 0
        if old:
            participants = deleted(session, delete(Participant).where(Participant.workshop_id.in_(old)))
            workshops = deleted(session, delete(Workshop).where(Workshop.id.in_(old)))
        browsers = deleted(session, delete(Browser).where(or_(
            Browser.seen_at < cutoff,
            (Browser.learner_id.is_(None) & Browser.participant_id.is_(None) & Browser.workshop_id.is_(None)),
        )))
        attempts = deleted(session, delete(Attempt).where(Attempt.at <= now - WINDOW))
        return Purged(learners, workshops, participants, browsers, attempts)

    purged = run(engine, work)
    if purged.learners or purged.workshops or purged.participants or purged.browsers:
        scrub(engine)
    return purged


def scrub(engine: Engine, tables: tuple[str, ...] = PERSONAL_TABLES) -> None:
    """Leave no copy of deleted rows of `tables` in the database files (see the module's doc)."""
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        return
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            for table in tables:
                if table not in PERSONAL_TABLES:
                    raise ValueError(f"{table}: not a table with personal data")
                conn.execute(text(f"VACUUM FULL {table}"))
