"""The tables: learners (personal progress), workshops, participants, browsers, join attempts, app secrets."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Index, Integer, String, UniqueConstraint, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def utcnow() -> dt.datetime:
    """Naive UTC: SQLite keeps no time zone, so every timestamp is UTC without one."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    pass


class Learner(Base):
    """One teacher working alone, known only by the hashes of their resume link and short code."""

    __tablename__ = "learners"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    lang: Mapped[str] = mapped_column(String(8), default="nl")
    case: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    progress: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class Workshop(Base):
    """A trainer's session; the trainer is known only by the hash of the secret in their link."""

    __tablename__ = "workshops"
    __table_args__ = (
        # a join code identifies one open workshop; closed ones may reuse it
        Index("uq_workshops_open_join_code", "join_code", unique=True,
              sqlite_where=text("status = 'open'"), postgresql_where=text("status = 'open'")),
    )

    id: Mapped[str] = mapped_column(String(24), primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    lang: Mapped[str] = mapped_column(String(8))
    scenario: Mapped[str] = mapped_column(String(64))
    day: Mapped[dt.date] = mapped_column(Date)
    today: Mapped[dt.date] = mapped_column(Date)  # the simulated clock every participant's sandbox runs on
    trainer_key_hash: Mapped[str] = mapped_column(String(64))
    join_code: Mapped[str] = mapped_column(String(12))
    status: Mapped[str] = mapped_column(String(8), default="open")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)


class Participant(Base):
    """One teacher in a workshop: a nickname and their own sandbox case."""

    __tablename__ = "participants"
    __table_args__ = (UniqueConstraint("workshop_id", "nickname", name="uq_participants_nickname"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workshop_id: Mapped[str] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"), index=True)
    nickname: Mapped[str] = mapped_column(String(40))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    case: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    progress: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    version: Mapped[int] = mapped_column(Integer, default=1)
    actions: Mapped[int] = mapped_column(Integer, default=0)
    joined_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    acted_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)  # their own last action
    #: the scenario the trainer staged for them (None: the workshop's): their goal follows it
    scenario: Mapped[str | None] = mapped_column(String(64), nullable=True)
    #: {part (flow id): {"since": ISO time it became their current part, "done": ISO time it was done}}
    #: for the workshop report's time per part; deleted with the participant
    parts: Mapped[dict[str, dict[str, str]]] = mapped_column(JSON, default=dict)


class StagedFault(Base):
    """Trouble a trainer put into one participant's sandbox on purpose, and how it ended.

    `kind` is 'flip:<name>' (one fact changed, guide.workshop.staging) or 'scenario:<id>' (a scenario's
    state); `rules` the rule ids that failed because of it (a scenario: its success rules); `undo` what
    the flip changed, so the trainer can take it back. `outcome` stays None while it is open, then
    'fixed' (by the participant's own actions), 'helped' (after a trainer command), 'taken_back' or
    'replaced' (a new scenario or a reset)."""

    __tablename__ = "staged_faults"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workshop_id: Mapped[str] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(80))
    rules: Mapped[list[str]] = mapped_column(JSON, default=list)
    undo: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    staged_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    seen_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    ended_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    outcome: Mapped[str | None] = mapped_column(String(12), nullable=True)


class WorkshopEvent(Base):
    """One line of a workshop's timeline: a trainer's action (create, stage, take back, clock, close, ...).

    `detail` holds counts and ids of faults or scenarios, never a nickname: the timeline is projected and
    goes into the report."""

    __tablename__ = "workshop_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workshop_id: Mapped[str] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"), index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    kind: Mapped[str] = mapped_column(String(24))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class Browser(Base):
    """One browser's key (an HttpOnly cookie, stored here only as its hash) and whom it finds again:
    its learner, its workshop seat, the workshop whose board it may open. Deleting any of those (forget
    me, a deleted workshop) empties the reference, so every browser that knew it forgets it too."""

    __tablename__ = "browsers"

    key_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    learner_id: Mapped[int | None] = mapped_column(ForeignKey("learners.id", ondelete="SET NULL"), index=True,
                                                   nullable=True)
    participant_id: Mapped[int | None] = mapped_column(ForeignKey("participants.id", ondelete="SET NULL"),
                                                       index=True, nullable=True)
    workshop_id: Mapped[str | None] = mapped_column(ForeignKey("workshops.id", ondelete="SET NULL"), index=True,
                                                    nullable=True)
    seen_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class Attempt(Base):
    """A failed code entry (join or resume code), kept only for the rate-limit window."""

    __tablename__ = "attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bucket: Mapped[str] = mapped_column(String(64), index=True)  # keyed hash of the client; never an address
    at: Mapped[dt.datetime] = mapped_column(DateTime, index=True, default=utcnow)


class AppSecret(Base):
    """Installation-wide random values shared by every process (e.g. the key for client buckets)."""

    __tablename__ = "app_secrets"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[str] = mapped_column(String(128))


class InsightCount(Base):
    """An anonymous count for NSO insights (guide.store.insights): how often something happened on a day.

    Nothing in a row points to a person: `source` and `kind` are fixed words, `key` is built only from
    content ids (rule, part, complaint, question and answer ids) and whole minutes, never from what
    anybody typed; there is no learner, seat, browser or session id and no time finer than the day."""

    __tablename__ = "insight_counts"

    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    source: Mapped[str] = mapped_column(String(16), primary_key=True)  # sandbox, selfcheck, troubleshooter, workshop
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)    # rule, started, done, minutes, escalated
    key: Mapped[str] = mapped_column(String(400), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)


class PartTimer(Base):
    """When a workshop participant's current part of the journey began: only while the workshop runs, to
    measure how long the part took. Deleted when the part is done (the duration goes into insight_counts
    as whole minutes, without the participant) and with the participant or the workshop."""

    __tablename__ = "part_timers"

    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True)
    part: Mapped[str] = mapped_column(String(64), primary_key=True)
    started_at: Mapped[dt.datetime] = mapped_column(DateTime)
