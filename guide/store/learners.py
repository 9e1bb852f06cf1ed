"""Personal progress without an account: a teacher's case, step progress and answers, found again by the
hash of their resume link or short code; 'forget me' deletes the row."""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..case.model import MAX_CASE_BYTES, Case
from ..errors import GuideError
from . import ratelimit
from .engine import Engine, deleted, lock_row, read, run
from .models import Learner, utcnow
from .tokens import hash_secret, new_code, new_token, normalize_code

log = logging.getLogger(__name__)
CODE_LENGTH = 10  # ~49 bits; guessing is stopped by the rate limit, the link carries 192 bits


class Conflict(GuideError):
    """The row changed since it was read (another tab, or the trainer): reload, then act again."""

    def __str__(self) -> str:
        return "this progress was changed elsewhere since it was loaded"


class Gone(GuideError):
    def __str__(self) -> str:
        return "this saved progress no longer exists (it was deleted)"


class TooBig(GuideError):
    def __str__(self) -> str:
        return f"this case is larger than {MAX_CASE_BYTES // 1024} KB and is not saved"


def case_to_json(case: Case) -> dict[str, Any]:
    # the full dump, not case_to_data's exclude_unset: a list changed in place is not marked 'set'
    data = case.model_dump(mode="json")
    if len(json.dumps(data, ensure_ascii=False)) > MAX_CASE_BYTES:  # one row never grows without bound
        raise TooBig()
    return data


def case_from_json(data: dict[str, Any]) -> Case:
    try:
        return Case.model_validate(data or {"version": 1})
    except ValidationError as exc:
        raise GuideError(f"a saved case no longer fits the case format: {exc}") from None


@dataclass(frozen=True)
class Saved:
    """A learner's row as read: what the app shows and the version a later save must match."""

    id: int
    case: Case
    progress: dict[str, str]
    answers: dict[str, Any]
    lang: str
    version: int
    updated_at: dt.datetime


@dataclass(frozen=True)
class Credentials:
    """The plain resume secrets, known only at the moment they are made: show them, never store them."""

    token: str = field(repr=False)
    code: str = field(repr=False)


def _saved(row: Learner) -> Saved:
    return Saved(row.id, case_from_json(row.case), dict(row.progress or {}), dict(row.answers or {}),
                 row.lang, row.version, row.updated_at)


def create(engine: Engine, case: Case | None = None, progress: dict[str, str] | None = None,
           answers: dict[str, Any] | None = None, lang: str = "nl") -> tuple[Saved, Credentials]:
    for _ in range(5):
        creds = Credentials(new_token(), new_code(CODE_LENGTH))
        now = utcnow()

        def work(session: Session, creds: Credentials = creds, now: dt.datetime = now) -> Saved:
            row = Learner(token_hash=hash_secret(creds.token), code_hash=hash_secret(creds.code), lang=lang,
                          case=case_to_json(case or Case()), progress=dict(progress or {}),
                          answers=dict(answers or {}), version=1, created_at=now, updated_at=now)
            session.add(row)
            session.flush()
            return _saved(row)

        try:
            return run(engine, work), creds
        except IntegrityError:  # a code collision: astronomically rare for the token, possible for codes
            continue
    raise GuideError("could not make a unique resume code; try again")


def load(engine: Engine, learner_id: int) -> Saved | None:
    return read(engine, lambda s: _saved(row) if (row := s.get(Learner, learner_id)) is not None else None)


def by_token(engine: Engine, token: str) -> Saved | None:
    """The progress behind a resume link, or None."""
    if not token:
        return None
    return read(engine, lambda s: _saved(row) if (row := s.scalar(
        select(Learner).where(Learner.token_hash == hash_secret(token)))) is not None else None)


def by_code(engine: Engine, code: str, bucket: ratelimit.Buckets | str, now: dt.datetime | None = None) -> Saved | None:
    """The progress behind a short code. Wrong codes count against the client (raises RateLimited)."""
    code = normalize_code(code)

    def work(session: Session) -> Saved | None:
        ratelimit.check(session, bucket, now)
        row = session.scalar(select(Learner).where(Learner.code_hash == hash_secret(code))) if code else None
        if row is None:
            ratelimit.record_failure(session, bucket, now)
            return None
        return _saved(row)

    return run(engine, work)


def save(engine: Engine, learner_id: int, expected_version: int, *, case: Case | None = None,
         progress: dict[str, str] | None = None, answers: dict[str, Any] | None = None,
         lang: str | None = None) -> Saved:
    """Write what changed if nobody wrote since `expected_version` (else Conflict; Gone if forgotten)."""

    def work(session: Session) -> Saved:
        row = lock_row(session, Learner, learner_id)
        if row is None:
            raise Gone()
        if row.version != expected_version:
            raise Conflict()
        if case is not None:
            row.case = case_to_json(case)
        if progress is not None:
            row.progress = dict(progress)
        if answers is not None:
            row.answers = dict(answers)
        if lang is not None:
            row.lang = lang
        row.version += 1
        row.updated_at = utcnow()
        session.flush()
        return _saved(row)

    return run(engine, work)


def renew(engine: Engine, learner_id: int) -> Credentials:
    """New link and code (the old ones stop working): for a session that only knows the row, or a leaked link."""
    for _ in range(5):
        creds = Credentials(new_token(), new_code(CODE_LENGTH))

        def work(session: Session, creds: Credentials = creds) -> None:
            row = lock_row(session, Learner, learner_id)
            if row is None:
                raise Gone()
            row.token_hash, row.code_hash = hash_secret(creds.token), hash_secret(creds.code)

        try:
            run(engine, work)
            return creds
        except IntegrityError:
            continue
    raise GuideError("could not make a unique resume code; try again")


def forget(engine: Engine, learner_id: int) -> bool:
    """Delete everything stored for this learner at once. True if there was something to delete."""
    gone = run(engine, lambda s: deleted(s, delete(Learner).where(Learner.id == learner_id)) > 0)
    if gone:
        scrub_quietly(engine, ("learners", "browsers"))
    return gone


def scrub_quietly(engine: Engine, tables: tuple[str, ...]) -> None:
    """No copy of deleted rows left in the database files (privacy.scrub); a failure is logged, not shown."""
    from .privacy import scrub

    try:
        scrub(engine, tables)
    except Exception:  # the row is deleted; the next purge scrubs again
        log.exception("scrub after a deletion failed")
