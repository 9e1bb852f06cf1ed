"""Rate limit for wrong codes (join and resume), kept in the database so every app process shares it.

A wrong code counts against the client's own identity (its browser, seat, learner row or session) and,
with a higher ceiling, against its address: one pupil's typos lock out that pupil, not the classroom
behind the same school router, while one address cannot try codes on end by opening new sessions. A
ceiling over all clients together stops an enumeration spread over many addresses, at the price of
briefly locking everybody out during one.

Both are stored as keyed hashes (never the identity or address itself); rows older than the window are
deleted. Counting and recording happen in one transaction that holds a lock on the client's keys
(SQLite: the write lock; PostgreSQL: transaction advisory locks), so parallel tries are counted exactly.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from typing import NamedTuple

from sqlalchemy import delete, func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..errors import GuideError
from .engine import Engine, run
from .models import AppSecret, Attempt, utcnow

WINDOW = dt.timedelta(minutes=15)
PER_CLIENT = 10    # wrong codes per client (browser, seat, learner or session) per window
PER_ADDRESS = 60   # wrong codes from one address per window: a classroom shares one
OVERALL = 300      # wrong codes from everybody together per window
_BUCKET_KEY = "bucket_key"
_IDENTITY, _ADDRESS = "i:", "a:"  # bucket prefixes; the stored value is prefix + 62 hex digits


class RateLimited(GuideError):
    def __str__(self) -> str:
        return f"too many wrong codes; try again in {int(WINDOW.total_seconds() // 60)} minutes"


class Buckets(NamedTuple):
    """A client's stored stand-ins: its own identity and (when known) its address."""

    identity: str
    address: str | None = None


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


def _hash(key: bytes, prefix: str, value: str) -> str:
    return prefix + hmac.new(key, f"{prefix}{value}".encode(), hashlib.sha256).hexdigest()[:62]


def client_bucket(engine: Engine, identity: str | None, address: str | None = None) -> Buckets:
    """The stored stand-ins for a client: HMAC with an installation secret, so they cannot be reversed.
    `identity` is the client's own (e.g. 'browser:<key>', 'learner:<id>', 'session:<id>'); without one,
    the address is the identity too."""
    key = _bucket_key(engine)
    ident = identity or f"address:{address or 'unknown'}"
    return Buckets(_hash(key, _IDENTITY, ident), _hash(key, _ADDRESS, address) if address else None)


def _buckets(bucket: Buckets | str) -> Buckets:
    """A plain string is an identity already hashed or named by the caller (tests, benchmarks)."""
    if isinstance(bucket, Buckets):
        return bucket
    if bucket.startswith(_IDENTITY) and len(bucket) == 64:
        return Buckets(bucket)
    return Buckets(_IDENTITY + hashlib.sha256(bucket.encode()).hexdigest()[:62])


def _lock(session: Session, buckets: Buckets) -> None:
    """Serialize counting for these buckets across processes (SQLite's write transaction already does)."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for b in sorted(x for x in buckets if x):  # one order everywhere: no deadlock
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": int(b[2:17], 16)})


def check(session: Session, bucket: Buckets | str, now: dt.datetime | None = None) -> None:
    """Raise RateLimited when this client, its address, or everybody together had too many wrong codes
    lately. Takes the client's locks until the transaction ends: call record_failure in the same one."""
    b = _buckets(bucket)
    _lock(session, b)
    since = (now or utcnow()) - WINDOW

    def count(*where) -> int:
        return session.scalar(select(func.count()).select_from(Attempt).where(Attempt.at > since, *where)) or 0

    if count(Attempt.bucket == b.identity) >= PER_CLIENT:
        raise RateLimited()
    if b.address and count(Attempt.bucket == b.address) >= PER_ADDRESS:
        raise RateLimited()
    if count(Attempt.bucket.like(_IDENTITY + "%")) >= OVERALL:
        raise RateLimited()


def record_failure(session: Session, bucket: Buckets | str, now: dt.datetime | None = None) -> None:
    b = _buckets(bucket)
    now = now or utcnow()
    session.execute(delete(Attempt).where(Attempt.at <= now - WINDOW))
    session.add(Attempt(bucket=b.identity, at=now))
    if b.address:
        session.add(Attempt(bucket=b.address, at=now))
