"""Migrations that cannot race: replicas starting together on an empty database, or a rollout job next to
running replicas, take turns. PostgreSQL: a transaction-level advisory lock taken before Alembic looks at
the schema, held until the migration commits. SQLite: an exclusive lock on a file beside the database.
Whoever comes second waits, then finds the schema current and does nothing."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.engine import make_url

log = logging.getLogger(__name__)

# pg_advisory_xact_lock(bigint): one number for "the guide's schema" ("guide-db" in ASCII)
LOCK_KEY = int.from_bytes(b"guide-db", "big") & 0x7FFF_FFFF_FFFF_FFFF
MIGRATION_TIMEOUT_S = 600
_memory_lock = threading.Lock()


@contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    """An exclusive lock on `path` (created if missing), shared by every process on this host."""
    try:
        import fcntl
    except ImportError:  # Windows: one process per SQLite file is all that is supported there anyway
        with _memory_lock:
            yield
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def migration_lock(engine: Engine) -> Iterator[None]:
    """Around a whole upgrade on SQLite (a file lock); PostgreSQL locks inside the migration's transaction."""
    url = make_url(str(engine.url))
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        with _file_lock(Path(url.database).with_name(Path(url.database).name + ".migrate-lock")):
            yield
    elif url.get_backend_name() == "sqlite":
        with _memory_lock:
            yield
    else:
        yield


def lock_in_transaction(conn) -> None:  # a SQLAlchemy Connection inside begin()
    """PostgreSQL: wait for the migration lock; released when this transaction commits or rolls back."""
    if conn.dialect.name == "postgresql":
        # the app's short statement timeout (GUIDE_DB_STATEMENT_TIMEOUT) is for page requests: waiting for
        # another process's migration, and the migration itself, may take longer
        conn.exec_driver_sql(f"SET LOCAL statement_timeout = '{MIGRATION_TIMEOUT_S}s'")
        conn.exec_driver_sql(f"SET LOCAL idle_in_transaction_session_timeout = '{MIGRATION_TIMEOUT_S}s'")
        started = time.monotonic()
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({LOCK_KEY})")
        waited = time.monotonic() - started
        if waited > 0.5:
            log.info("migration lock: waited %.1f s for another process's migration", waited)


@lru_cache(maxsize=1)
def head_revision() -> str:
    """The newest schema revision this code knows (from the migration scripts, no database needed)."""
    from alembic.script import ScriptDirectory

    from .engine import alembic_config

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "guide/store/migrations/versions holds the migration scripts"
    return head


@dataclass(frozen=True)
class SchemaState:
    reachable: bool
    current: str | None  # revision in the database (None: empty database)
    head: str
    error: str = ""

    @property
    def ready(self) -> bool:
        return self.reachable and self.current == self.head


def schema_state(engine: Engine) -> SchemaState:
    """Is the database reachable, and is its schema the one this code needs? (For readiness probes.)"""
    from sqlalchemy.exc import SQLAlchemyError

    from .engine import current_revision

    head = head_revision()
    try:
        return SchemaState(True, current_revision(engine), head)
    except SQLAlchemyError as exc:
        reason = getattr(exc, "orig", None) or exc
        return SchemaState(False, None, head, f"{type(exc).__name__}: {str(reason).splitlines()[0][:200]}")
