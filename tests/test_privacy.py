"""Privacy you can show (shared/reviews/security.md D8, D12): 'forget me' leaves no copy of the text in
the database files, and what nobody used for the retention period is deleted at start-up and by
`python -m guide db purge`."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from dbs import db_url, engine  # noqa: F401 - fixtures
from sqlalchemy import text, update

from guide.case.model import Case, Person
from guide.store import learners
from guide.store.engine import dispose_all, get_engine
from guide.store.models import Learner, Participant, Workshop, utcnow
from guide.store.privacy import purge_expired
from guide.store.ratelimit import client_bucket
from guide.workshop import service

ROOT = Path(__file__).parent.parent
MARKER = "Zyxwvut-Forget-Me-Marker"


def _files(eng) -> list[Path]:
    """Every file that holds the learners' and participants' rows (after a checkpoint)."""
    if eng.dialect.name == "sqlite":
        db = Path(eng.url.database)
        return [p for p in (db, Path(f"{db}-wal")) if p.exists()]
    with eng.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("CHECKPOINT"))
        base = Path(conn.execute(text("SHOW data_directory")).scalar())
        paths = []
        for table in ("learners", "participants"):
            for rel in conn.execute(text(
                    "SELECT pg_relation_filepath(c.oid) FROM pg_class c WHERE c.oid = CAST(:t AS regclass) "
                    "OR c.oid = (SELECT reltoastrelid FROM pg_class WHERE oid = CAST(:t AS regclass))"),
                    {"t": table}).scalars():
                if rel:
                    paths.extend(base.glob(rel + "*"))
        return paths


def _on_disk(eng) -> bool:
    return any(MARKER.encode() in p.read_bytes() for p in _files(eng))


def test_forget_me_leaves_no_copy_in_the_database_files(engine):  # noqa: F811
    saved, _creds = learners.create(engine, Case(person=Person(name=MARKER)))
    for i in range(3):  # a few saves: old versions of the row too
        saved = learners.save(engine, saved.id, saved.version, case=Case(person=Person(name=f"{MARKER} {i}")))
    assert _on_disk(engine)  # the test can see it while it is stored
    assert learners.forget(engine, saved.id)
    assert not _on_disk(engine)


def test_a_participants_forget_me_leaves_no_copy(engine):  # noqa: F811
    info, _key = service.create(engine, "W", "en", "blank-start", dt.date.today())
    seat, _token = service.join(engine, info.join_code, "Ann", client_bucket(engine, "browser:ann"))
    service.save(engine, seat.id, seat.version, case=Case(person=Person(name=MARKER)))
    assert _on_disk(engine)
    assert service.forget_participant(engine, seat.id)
    assert not _on_disk(engine)


def _age(eng, model, days: int, **where) -> None:
    column = {Learner: "updated_at", Participant: "updated_at", Workshop: "created_at"}[model]
    then = utcnow() - dt.timedelta(days=days)
    stmt = update(model).values({column: then})
    for k, v in where.items():
        stmt = stmt.where(getattr(model, k) == v)
    with eng.begin() as conn:
        conn.execute(stmt)


def test_what_nobody_used_for_180_days_is_purged(engine):  # noqa: F811
    old, _ = learners.create(engine)
    recent, _ = learners.create(engine)
    _age(engine, Learner, 181, id=old.id)
    _age(engine, Learner, 179, id=recent.id)
    stale, _k = service.create(engine, "Last year", "en", "blank-start", dt.date.today())
    service.join(engine, stale.join_code, "Ann", client_bucket(engine, "browser:a"))
    live, _k2 = service.create(engine, "This year", "en", "blank-start", dt.date.today())
    seat, _t = service.join(engine, live.join_code, "Bob", client_bucket(engine, "browser:b"))
    _age(engine, Workshop, 200, id=stale.id)
    _age(engine, Participant, 200, workshop_id=stale.id)
    _age(engine, Workshop, 200, id=live.id)  # created long ago, but a participant worked in it lately

    purged = purge_expired(engine)
    assert (purged.learners, purged.workshops, purged.participants) == (1, 1, 1)
    assert learners.load(engine, old.id) is None and learners.load(engine, recent.id) is not None
    assert service.seat(engine, seat.id) is not None
    assert purge_expired(engine).learners == 0


def test_the_retention_period_is_configurable(engine, monkeypatch):  # noqa: F811
    monkeypatch.setenv("GUIDE_RETENTION_DAYS", "30")
    saved, _ = learners.create(engine)
    _age(engine, Learner, 31, id=saved.id)
    assert purge_expired(engine).learners == 1


def test_the_purge_runs_at_start_up_and_from_the_command_line(tmp_path):
    url = f"sqlite:///{tmp_path / 'g.sqlite3'}"
    eng = get_engine(url)
    a, _ = learners.create(eng)
    b, _ = learners.create(eng)
    _age(eng, Learner, 400, id=a.id)
    dispose_all()
    assert learners.load(get_engine(url), a.id) is None  # a new process's engine purged on start
    _age(get_engine(url), Learner, 400, id=b.id)
    dispose_all()
    proc = subprocess.run([sys.executable, "-m", "guide", "db", "purge", "--url", url], capture_output=True,
                          text=True, cwd=ROOT, env={**os.environ, "GUIDE_RETENTION_DAYS": "180"})
    assert proc.returncode == 0, proc.stderr
    assert "1 learner" in proc.stdout and "180 days" in proc.stdout
    assert learners.load(get_engine(url, migrate=False), b.id) is None
    dispose_all()


def test_a_case_cannot_grow_a_row_without_bound(engine):  # noqa: F811
    saved, _ = learners.create(engine)
    huge = Case(person=Person(name="x" * 300_000))  # the review stored a 5 MB e-mail address
    with pytest.raises(learners.TooBig):
        learners.save(engine, saved.id, saved.version, case=huge)
