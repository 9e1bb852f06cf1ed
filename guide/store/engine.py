"""Engines from settings (SQLite tuned for many writers, or any SQLAlchemy URL), migrations, safe transactions."""

from __future__ import annotations

import logging
import math
import os
import random
import socket
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import TypeVar, cast

from sqlalchemy import Connection, CursorResult, Delete, Engine, Executable, create_engine, event, lambda_stmt
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session

from .settings import connect_timeout, database_url, pool_size, redact, statement_timeout

log = logging.getLogger(__name__)
T = TypeVar("T")
E = TypeVar("E", bound=Executable)
PACKAGE_DIR = Path(__file__).resolve().parent
BUSY_TIMEOUT_S = 30
RETRIES = 8

_engines: dict[str, Engine] = {}
_lock = threading.Lock()


def make_engine(url: str) -> Engine:
    """An engine for `url`. SQLite: WAL, busy timeout, foreign keys, and write transactions that take
    the write lock up front (BEGIN IMMEDIATE), so concurrent writers queue instead of failing."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_S, "check_same_thread": False},
                               pool_size=8, max_overflow=32, pool_timeout=120)

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn, _record):
            dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (pysqlite's own BEGIN is deferred)
            cur = dbapi_conn.cursor()
            if parsed.database and parsed.database != ":memory:":
                cur.execute("PRAGMA journal_mode=WAL")
                cur.execute("PRAGMA synchronous=NORMAL")  # durable across app crashes; WAL keeps it consistent
            cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_S * 1000}")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA secure_delete=ON")  # freed pages are zeroed: deleted text leaves the file
            cur.close()

        # We issue BEGIN ourselves (pysqlite's own BEGIN is deferred), in the dialect's do_begin rather than in
        # a 'begin' event: any connection event makes SQLAlchemy dispatch events around every statement. A
        # write transaction (run(), write_rows()) begins with BEGIN IMMEDIATE: see _immediate.
        engine.dialect.do_begin = _sqlite_begin  # type: ignore[assignment]
        return engine
    return _server_engine(url, parsed.get_backend_name())


def _sqlite_begin(dbapi_conn) -> None:
    """SQLite's BEGIN: IMMEDIATE (the write lock taken up front, so concurrent writers queue instead of
    failing) for the connection a write transaction is beginning on this thread, else deferred."""
    dbapi_conn.execute("BEGIN IMMEDIATE" if getattr(_current, "immediate", False) else "BEGIN")


@contextmanager
def _immediate() -> Iterator[None]:
    """The transaction begun inside is a write transaction (SQLite: BEGIN IMMEDIATE). Only the begin itself
    goes inside: the flag is this thread's, and whatever the work reads on other connections begins as usual."""
    _current.immediate = True
    try:
        yield
    finally:
        _current.immediate = False


def _server_engine(url: str, backend: str) -> Engine:
    """A database server: every wait bounded (connect, each statement, a free pooled connection), and a
    watchdog that cuts a connection whose server stopped answering (a hung server keeps the TCP
    connection open, so only the client can end the wait). Broken pooled connections are replaced on
    the next call (see run), so the app works again as soon as the database does, without a restart."""
    limit = statement_timeout()
    connect_args: dict[str, object] = {"connect_timeout": max(1, math.ceil(connect_timeout()))}
    if backend == "postgresql":
        ms = int(limit * 1000)
        connect_args["options"] = f"-c statement_timeout={ms} -c idle_in_transaction_session_timeout={ms * 4}"
    size = pool_size()
    # queueing for a free connection is normal under load (and bounded: a hung one is cut after `limit`)
    engine = create_engine(url, pool_size=size, max_overflow=3 * size, pool_timeout=30, pool_recycle=1800,
                           connect_args=connect_args)
    _watch(engine, limit + 1)
    return engine


class _Call:
    """One run() in one thread: the connections it uses and when its current statement must be done."""

    __slots__ = ("conns", "deadline", "fired", "limit")

    def __init__(self, limit: float):
        self.conns: list[object] = []
        self.limit = limit
        self.deadline = time.monotonic() + limit
        self.fired = False


_calls: dict[int, _Call] = {}     # thread id -> its running call (server engines only)
_limits: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # server engine -> seconds per statement
_current = threading.local()
_watchdog: threading.Thread | None = None


def _watch(engine: Engine, limit: float) -> None:
    _limits[engine] = limit

    @event.listens_for(engine, "checkout")
    def _checkout(dbapi_conn, _record, _proxy):
        call = getattr(_current, "call", None)
        if call is not None:
            call.conns.append(dbapi_conn)

    @event.listens_for(engine, "before_cursor_execute")
    def _statement(conn, *_args):
        call = getattr(_current, "call", None)
        if call is not None:  # each statement gets the whole limit (the server's own timeout comes first)
            call.deadline = time.monotonic() + call.limit


def _cut(conn: object) -> None:
    """End a blocked wait on this connection: shut its socket down (the waiting thread gets an error)."""
    driver = getattr(conn, "driver_connection", conn)
    pgconn = getattr(driver, "pgconn", None)
    fd = getattr(pgconn, "socket", -1) if pgconn is not None else -1
    if fd is None or fd < 0:
        return
    try:
        sock = socket.socket(fileno=os.dup(fd))
        try:
            sock.shutdown(socket.SHUT_RDWR)
        finally:
            sock.close()
    except OSError:
        pass


def _watchdog_loop() -> None:
    while True:
        time.sleep(0.2)
        now = time.monotonic()
        for call in list(_calls.values()):
            if not call.fired and now > call.deadline:
                call.fired = True
                log.error("the database did not answer within %.0f s: connection cut", call.limit)
                for conn in list(call.conns):
                    _cut(conn)


@contextmanager
def _watched(engine: Engine) -> Iterator[_Call | None]:
    global _watchdog
    limit = _limits.get(engine)
    if limit is None:
        yield None
        return
    call = _Call(limit)
    tid = threading.get_ident()
    _current.call, _calls[tid] = call, call
    with _lock:
        if _watchdog is None or not _watchdog.is_alive():
            _watchdog = threading.Thread(target=_watchdog_loop, name="db-watchdog", daemon=True)
            _watchdog.start()
    try:
        yield call
    finally:
        _current.call = None
        _calls.pop(tid, None)


#: the settings a default URL comes from -> that URL, once its data folder was found usable
_default_urls: dict[tuple[str | None, ...], str] = {}
_URL_SETTINGS = ("GUIDE_DATABASE_URL", "GUIDE_DATA_DIR", "XDG_DATA_HOME", "HOME", "APPDATA")


def _default_url() -> str:
    """database_url(), which makes and checks the data folder on disk: once per process and settings."""
    settings = tuple(os.environ.get(name) for name in _URL_SETTINGS)
    url = _default_urls.get(settings)
    if url is None:
        url = _default_urls[settings] = database_url()
    return url


def get_engine(url: str | None = None, migrate: bool = True) -> Engine:
    """The process-wide engine for `url` (default: from settings), migrated to the newest schema once."""
    url = url or _default_url()
    engine = _engines.get(url)
    if engine is not None:
        return engine
    fresh = None
    with _lock:
        if url not in _engines:
            engine = make_engine(url)
            if migrate:
                upgrade(engine)
                fresh = engine
            _engines[url] = engine
    if fresh is not None:  # outside the lock: the purge's own transactions take it
        _purge_on_start(fresh)
    return _engines[url]


def _purge_on_start(engine: Engine) -> None:
    """The retention purge, once per process when it migrates (guide.store.privacy); never fatal."""
    from .privacy import purge_expired

    try:
        purged = purge_expired(engine)
    except Exception:  # the app serves; the next start or `db purge` tries again
        log.exception("retention purge failed")
        return
    if purged.total:
        log.info("retention purge: %s", purged)


def dispose_all() -> None:
    """Forget every cached engine (tests, or after changing GUIDE_DATABASE_URL)."""
    with _lock:
        for engine in _engines.values():
            engine.dispose()
        _engines.clear()


def alembic_config(engine: Engine | None = None):  # alembic is imported lazily
    from alembic.config import Config

    cfg = Config(str(PACKAGE_DIR / "alembic.ini"))
    cfg.set_main_option("script_location", str(PACKAGE_DIR / "migrations"))
    if engine is not None:
        cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%"))
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to `revision` with Alembic (idempotent; the app does this on start-up). Processes
    that start together take turns (guide.store.migrate): the first migrates, the others find it done."""
    from alembic import command

    from .migrate import lock_in_transaction, migration_lock

    cfg = alembic_config(engine)
    with migration_lock(engine), engine.begin() as conn:
        lock_in_transaction(conn)
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
    log.info("database %s is at schema %s", redact(str(engine.url)), current_revision(engine))


def downgrade(engine: Engine, revision: str) -> None:
    """Take the schema back to `revision` ('base': empty). For operators and the migration tests."""
    from alembic import command

    from .migrate import lock_in_transaction, migration_lock

    cfg = alembic_config(engine)
    with migration_lock(engine), engine.begin() as conn:
        lock_in_transaction(conn)
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _transient(exc: DBAPIError) -> bool:
    """Errors a retry cures: SQLite busy/locked beyond the timeout, PostgreSQL serialization/deadlock."""
    code = getattr(exc.orig, "sqlstate", None)
    if code in {"40001", "40P01", "55P03"}:
        return True
    return isinstance(exc, OperationalError) and "locked" in str(exc.orig).lower()


_write_locks: dict[int, threading.Lock] = {}


def _write_lock(engine: Engine) -> threading.Lock | None:
    """SQLite has one writer at a time; threads of this process queue on a lock, in order, instead of
    polling the file lock with sleeps (which starves some writers for a second). Other processes still
    wait through the busy timeout."""
    if engine.dialect.name != "sqlite":
        return None
    with _lock:
        return _write_locks.setdefault(id(engine.pool), threading.Lock())


@contextmanager
def _writing(engine: Engine) -> Iterator[None]:
    """This process's turn to write (SQLite's one writer: see _write_lock), for the whole transaction."""
    lock = _write_lock(engine)
    if lock is None:
        yield
        return
    with lock:
        yield


@contextmanager
def _session(engine: Engine, write: bool) -> Iterator[Session]:
    with _writing(engine) if write else nullcontext(), Session(engine, expire_on_commit=False) as session, \
            session.begin():
        if write:
            with _immediate():
                session.connection()  # the transaction begins now, as a write transaction
        yield session


def run(engine: Engine, work: Callable[[Session], T], write: bool = True) -> T:
    """Run `work` in one transaction and commit; retry the whole unit when the database says 'try again'."""
    return _retried(engine, lambda: _in_session(engine, work, write))


def _in_session(engine: Engine, work: Callable[[Session], T], write: bool) -> T:
    with _session(engine, write) as session:
        return work(session)


def read_rows(engine: Engine, work: Callable[[Connection], T]) -> T:
    """A read of plain rows (no ORM objects) on a bare connection, with run()'s retries and time limits:
    for the few reads every page run makes."""
    def once() -> T:
        with engine.connect() as conn, conn.begin():
            return work(conn)

    return _retried(engine, once)


def write_rows(engine: Engine, work: Callable[[Connection], T]) -> T:
    """A write of plain rows (no ORM objects to track and flush) in one transaction on a bare connection,
    with run()'s write lock, retries and time limits: for the one write a busy page makes often (a
    workshop participant's sandbox action)."""
    def once() -> T:
        with _writing(engine), engine.connect() as conn:
            with _immediate():
                transaction = conn.begin()
            with transaction:
                return work(conn)

    return _retried(engine, once)


def _retried(engine: Engine, once: Callable[[], T]) -> T:
    for attempt in range(RETRIES):
        with _watched(engine) as call:
            try:
                return once()
            except DBAPIError as exc:
                if call is not None and call.fired:
                    raise  # the database hung: the caller says so now, not after another wait
                if exc.connection_invalidated and attempt == 0:
                    continue  # a pooled connection from before a database restart: a fresh one works
                if not _transient(exc) or attempt == RETRIES - 1:
                    raise
        time.sleep(min(0.05 * 2 ** attempt, 1.0) * (0.5 + random.random()))
    raise AssertionError("unreachable")


def prepared(statement: E) -> E:
    """`statement` for a call made very often (a workshop action's reads and writes): SQLAlchemy finds its
    compiled form by a key it computes from the whole statement at every execution (50 us for a join with a
    subquery); wrapped in a lambda statement, the key comes from the lambda's code in about 1 us. Give
    values only as bound parameters at execution: the statement itself is fixed once made."""
    return cast(E, lambda_stmt(lambda: statement))


def read(engine: Engine, work: Callable[[Session], T]) -> T:
    return run(engine, work, write=False)


def deleted(session: Session, statement: Delete) -> int:
    """Run a DELETE; how many rows it removed."""
    return cast(CursorResult, session.execute(statement)).rowcount


def lock_row(session: Session, model: type[T], key: object) -> T | None:
    """Load one row for update: FOR UPDATE on PostgreSQL; SQLite already holds the write lock."""
    return session.get(model, key, with_for_update=session.get_bind().dialect.name != "sqlite")
