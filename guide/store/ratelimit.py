"""Rate limit for wrong codes (join and resume), kept in the database so every app process shares it.

A client is a keyed hash of what identifies it (its address, when known): the address itself is never
stored, and rows older than the window are deleted. A ceiling over all clients together stops an
enumeration spread over many addresses, at the price of briefly locking everybody out during one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..errors import GuideError
from .engine import Engine, run
from .models import AppSecret, Attempt, utcnow

WINDOW = dt.timedelta(minutes=15)
PER_CLIENT = 10   # wrong codes per client per window
OVERALL = 300     # wrong codes from everybody together per window
_BUCKET_KEY = "bucket_key"


class RateLimited(GuideError):
    def __str__(self) -> str:
        return f"too many wrong codes; try again in {int(WINDOW.total_seconds() // 60)} minutes"


def _bucket_key(engine: Engine) -> bytes:
    def work(session: Session) -> str:
        row = session.get(AppSecret, _BUCKET_KEY)
        if row is None:
            row = AppSecret(name=_BUCKET_KEY, value=secrets.token_hex(32))
            session.add(row)
        return row.value

    try:
        return bytes.fromhex(run(engine, work))
    except IntegrityError:  # another process created it first: use theirs
        return bytes.fromhex(run(engine, work))


def client_bucket(engine: Engine, client: str | None) -> str:
    """The stored stand-in for a client: HMAC with an installation secret, so it cannot be reversed."""
    return hmac.new(_bucket_key(engine), str(client or "unknown").encode(), hashlib.sha256).hexdigest()


def check(session: Session, bucket: str, now: dt.datetime | None = None) -> None:
    """Raise RateLimited when this client, or everybody together, had too many wrong codes lately."""
    since = (now or utcnow()) - WINDOW
    mine = session.scalar(select(func.count()).select_from(Attempt).where(Attempt.bucket == bucket, Attempt.at > since))
    if mine >= PER_CLIENT:
        raise RateLimited()
    everyone = session.scalar(select(func.count()).select_from(Attempt).where(Attempt.at > since))
    if everyone >= OVERALL:
        raise RateLimited()


def record_failure(session: Session, bucket: str, now: dt.datetime | None = None) -> None:
    now = now or utcnow()
    session.execute(delete(Attempt).where(Attempt.at <= now - WINDOW))
    session.add(Attempt(bucket=bucket, at=now))
