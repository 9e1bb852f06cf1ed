"""Replicas that start together on an empty database: the migration runs once, nobody fails.

Three long-lived worker processes (as three replicas would be) receive, for each round, a fresh empty
database; once all three hold it, one 'go' line starts them together and each calls what a replica calls
at start-up (`get_engine`, which migrates). Before the migration lock, 10 of 10 rounds on PostgreSQL had
a failure (duplicate key on alembic_version / pg_type)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pg import fresh_database
from sqlalchemy import create_engine, inspect, text

ROOT = Path(__file__).resolve().parent.parent
ROUNDS = 10
REPLICAS = 3

WORKER = r"""
import json, sys
from guide.store.engine import dispose_all, get_engine, current_revision
print("ready", flush=True)
for line in sys.stdin:
    job = json.loads(line)
    print("set", flush=True)
    assert sys.stdin.readline().strip() == "go"
    try:
        rev = current_revision(get_engine(job["url"]))
        out = {"ok": True, "rev": rev}
    except Exception as exc:
        out = {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:500]}
    dispose_all()
    print(json.dumps(out), flush=True)
"""


def _workers(n: int) -> list[subprocess.Popen]:
    procs = [subprocess.Popen([sys.executable, "-c", WORKER], cwd=ROOT, stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
             for _ in range(n)]
    for p in procs:
        assert p.stdout.readline().strip() == "ready"
    return procs


def _tables(url: str) -> tuple[set[str], list[str]]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            versions = [r[0] for r in conn.execute(text("SELECT version_num FROM alembic_version"))]
        return set(inspect(engine).get_table_names()), versions
    finally:
        engine.dispose()


@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
def test_three_replicas_starting_together_on_an_empty_database_all_come_up(backend, tmp_path):
    from guide.store.migrate import head_revision

    rounds = ROUNDS if backend == "postgresql" else 3
    procs = _workers(REPLICAS)
    failures: list[str] = []
    try:
        for r in range(rounds):
            url = fresh_database() if backend == "postgresql" else f"sqlite:///{tmp_path / f'r{r}.sqlite3'}"
            job = json.dumps({"url": url}) + "\n"
            for p in procs:
                p.stdin.write(job)
                p.stdin.flush()
            assert [p.stdout.readline().strip() for p in procs] == ["set"] * len(procs)
            for p in procs:  # all three are waiting on this line: they start within microseconds
                p.stdin.write("go\n")
                p.stdin.flush()
            results = [json.loads(p.stdout.readline()) for p in procs]
            failures += [f"round {r}: {res['error']}" for res in results if not res["ok"]]
            assert all(res.get("rev") == head_revision() for res in results if res["ok"]), results
            tables, versions = _tables(url)
            assert versions == [head_revision()], f"round {r}: alembic_version rows {versions}"
            assert {"learners", "workshops"} <= tables, tables
    finally:
        for p in procs:
            p.stdin.close()
            p.wait(timeout=30)
    assert failures == [], "\n".join(failures)


def test_three_concurrent_db_upgrade_jobs_all_succeed():
    """What three init containers or a retried rollout job would do: every one exits 0."""
    url = fresh_database()
    procs = [subprocess.Popen([sys.executable, "-m", "guide", "db", "upgrade", "--url", url], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(3)]
    outs = [(p.wait(timeout=120), *p.communicate()) for p in procs]
    assert [rc for rc, _, _ in outs] == [0, 0, 0], outs
    assert all("schema at" in out for _, out, _ in outs)


def test_a_replica_waits_for_a_long_migration_elsewhere_beyond_the_apps_statement_timeout(monkeypatch):
    """Another process holds the migration lock for longer than the app lets a page wait for the database
    (GUIDE_DB_STATEMENT_TIMEOUT=1): the replica waits for it, then finds its work done, and does not fail."""
    import threading

    import psycopg

    from guide.store.engine import make_engine, upgrade
    from guide.store.migrate import LOCK_KEY, head_revision

    url = fresh_database()
    monkeypatch.setenv("GUIDE_DB_STATEMENT_TIMEOUT", "1")
    held, release = threading.Event(), threading.Event()

    def other_process_migrating() -> None:
        with psycopg.connect(url.replace("postgresql+psycopg", "postgresql")) as conn:
            conn.execute(f"SELECT pg_advisory_xact_lock({LOCK_KEY})")
            held.set()
            release.wait(30)

    other = threading.Thread(target=other_process_migrating)
    other.start()
    assert held.wait(30)
    threading.Timer(3.0, release.set).start()  # the other migration takes 3 s
    engine = make_engine(url)
    try:
        upgrade(engine)
        assert release.is_set()  # it returned only after the other migration let go of the lock
    finally:
        release.set()
        other.join(30)
        engine.dispose()
    assert _tables(url)[1] == [head_revision()]
