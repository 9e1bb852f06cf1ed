"""Storage: migrations from empty, settings, and a teacher's saved progress (resume, forget me) on
SQLite and on a real PostgreSQL started by the test run."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest
from dbs import db_url, engine  # noqa: F401 - fixtures
from sqlalchemy import inspect, text

from guide.cli import main as cli_main
from guide.sandbox.scenarios import load_scenario
from guide.store import learners, settings
from guide.store.engine import (
    current_revision,
    downgrade,
    make_engine,
    read,
    read_rows,
    run,
    upgrade,
    write_rows,
)
from guide.store.ratelimit import PER_CLIENT, WINDOW, RateLimited
from guide.store.tokens import CODE_ALPHABET, group

TABLES = {"learners", "workshops", "participants", "browsers", "attempts", "app_secrets", "alembic_version",
          "staged_faults", "workshop_events", "insight_counts", "part_timers"}
HEAD = "0004"


# -- migrations and settings ----------------------------------------------------------------------------

def test_migrations_build_the_schema_from_an_empty_database_and_can_be_repeated(db_url):  # noqa: F811
    e = make_engine(db_url)
    assert current_revision(e) is None and not inspect(e).get_table_names()
    upgrade(e)
    assert current_revision(e) == HEAD
    assert set(inspect(e).get_table_names()) == TABLES
    upgrade(e)  # the app runs this on every start-up
    downgrade(e, "base")
    assert set(inspect(e).get_table_names()) == {"alembic_version"}
    upgrade(e)
    assert current_revision(e) == HEAD
    e.dispose()


def test_the_db_command_upgrades_and_reports(db_url, capsys):  # noqa: F811
    assert cli_main(["db", "current", "--url", db_url]) == 0
    assert "nothing (empty database)" in capsys.readouterr().out
    assert cli_main(["db", "upgrade", "--url", db_url]) == 0
    out = capsys.readouterr().out
    assert f"schema at {HEAD}" in out
    assert f"{settings.redact(db_url)}: schema at {HEAD}" in out


def test_the_default_database_is_an_sqlite_file_in_the_data_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("GUIDE_DATABASE_URL", raising=False)
    monkeypatch.setenv("GUIDE_DATA_DIR", str(tmp_path / "nested" / "data"))
    assert settings.database_url() == f"sqlite:///{tmp_path / 'nested' / 'data' / 'guide.sqlite3'}"
    assert (tmp_path / "nested" / "data").is_dir()  # created on demand: `make run` needs no setup
    monkeypatch.delenv("GUIDE_DATA_DIR")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert settings.data_dir() == tmp_path / "xdg" / "etwinning-guide"
    monkeypatch.setenv("GUIDE_DATABASE_URL", "postgresql+psycopg://u:secret@db/guide")
    assert settings.database_url() == "postgresql+psycopg://u:secret@db/guide"
    assert "secret" not in settings.redact(settings.database_url())


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(tmp_path):
    e = make_engine(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    with e.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 10000
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    e.dispose()


def _other_writer_waits(path) -> bool:
    """Whether another process's writer, not willing to wait, finds the write lock taken."""
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        assert "locked" in str(exc)
        return True
    else:
        other.execute("ROLLBACK")
        return False
    finally:
        other.close()


def test_sqlite_write_transactions_take_the_write_lock_up_front_and_reads_never_do(tmp_path):
    """Writers queue for SQLite's one write lock from their first statement (BEGIN IMMEDIATE) rather than
    fail half-way when two upgrade at once; a read transaction, even inside a write's work, leaves it free."""
    path = tmp_path / "x.sqlite3"
    e = make_engine(f"sqlite:///{path}")
    upgrade(e)
    seen = {}

    def read_inside(conn_or_session):
        seen["read"] = read_rows(e, lambda c: (c.execute(text("SELECT count(*) FROM learners")).scalar(),
                                               _other_writer_waits(path))[1])
        return _other_writer_waits(path)

    assert run(e, read_inside) and seen["read"] is True  # the write's lock holds while its work reads
    assert write_rows(e, read_inside)
    assert not run(e, lambda s: _other_writer_waits(path), write=False)
    assert not read(e, lambda s: _other_writer_waits(path))
    assert not read_rows(e, lambda c: _other_writer_waits(path))
    with e.connect() as conn:  # a transaction begun the plain way (Alembic, the CLI) is a deferred one
        conn.execute(text("SELECT 1"))
        assert conn.in_transaction() and not _other_writer_waits(path)
    assert not _other_writer_waits(path)  # every transaction ended: the lock is free
    e.dispose()


# -- a teacher's progress ---------------------------------------------------------------------------------

def test_a_full_case_with_progress_and_answers_comes_back_unchanged(engine):  # noqa: F811
    case = load_scenario("waiting-for-partner-nso")
    assert case.projects, "the scenario should be a rich case"
    saved, creds = learners.create(engine, case, {"1b.create": "done", "2.join": "skipped"}, {"q1": True}, "en")
    back = learners.by_token(engine, creds.token)
    assert back.case == case
    assert back.progress == {"1b.create": "done", "2.join": "skipped"}
    assert back.answers == {"q1": True} and back.lang == "en"


def test_the_resume_link_and_code_are_random_enough_and_stored_only_hashed(engine):  # noqa: F811
    _saved, creds = learners.create(engine)
    assert len(creds.token) >= 32  # token_urlsafe(24): 192 bits
    assert len(creds.code) == learners.CODE_LENGTH and set(creds.code) <= set(CODE_ALPHABET)
    with engine.connect() as conn:
        dumped = " ".join(str(v) for row in conn.execute(text("SELECT * FROM learners")) for v in row)
    assert creds.token not in dumped and creds.code not in dumped


def test_two_days_later_the_code_brings_the_progress_back_however_it_is_typed(engine):  # noqa: F811
    saved, creds = learners.create(engine, progress={"a": "done"})
    saved = learners.save(engine, saved.id, saved.version, progress={"a": "done", "b": "done"})
    typed = group(creds.code).lower()  # 'k7qm-4tzp-x2' as read from a note
    back = learners.by_code(engine, f"  {typed} ", bucket="me")
    assert back is not None and back.progress == {"a": "done", "b": "done"}


def test_a_save_from_a_stale_tab_is_refused_not_lost(engine):  # noqa: F811
    saved, _ = learners.create(engine, progress={"a": "done"})
    learners.save(engine, saved.id, saved.version, progress={"a": "done", "b": "done"})
    with pytest.raises(learners.Conflict):
        learners.save(engine, saved.id, saved.version, progress={})
    assert learners.load(engine, saved.id).progress == {"a": "done", "b": "done"}


def test_forget_me_deletes_everything_at_once(engine):  # noqa: F811
    saved, creds = learners.create(engine, load_scenario("blank-start"), {"a": "done"}, {"q": 1})
    assert learners.forget(engine, saved.id)
    assert learners.by_token(engine, creds.token) is None
    assert learners.by_code(engine, creds.code, "me") is None
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM learners")).scalar() == 0
    with pytest.raises(learners.Gone):
        learners.save(engine, saved.id, saved.version, progress={"a": "done"})


def test_a_new_link_and_code_replace_the_old_ones(engine):  # noqa: F811
    saved, old = learners.create(engine)
    new = learners.renew(engine, saved.id)
    assert learners.by_token(engine, old.token) is None
    assert learners.by_token(engine, new.token).id == saved.id
    assert learners.by_code(engine, new.code, "me").id == saved.id


def test_wrong_codes_are_rate_limited_per_client_and_the_limit_expires(engine):  # noqa: F811
    saved, creds = learners.create(engine)
    now = dt.datetime(2026, 11, 28, 10, 0)
    for _ in range(PER_CLIENT):
        assert learners.by_code(engine, "WRONGCODE2", "guesser", now) is None
    with pytest.raises(RateLimited):  # even the right code: a guesser cannot tell
        learners.by_code(engine, creds.code, "guesser", now)
    assert learners.by_code(engine, creds.code, "someone-else", now).id == saved.id
    later = now + WINDOW + dt.timedelta(seconds=1)
    assert learners.by_code(engine, creds.code, "guesser", later).id == saved.id


# -- browsers: whom a browser key finds again ----------------------------------------------------------

def test_a_browser_key_finds_its_learner_until_forget_me_ends_it_in_every_browser(engine):  # noqa: F811
    from guide.store import browsers
    from guide.workshop import service

    saved, _creds = learners.create(engine, load_scenario("blank-start"), {"1a.create-account": "done"})
    assert browsers.known(engine, "phone-key-0123456789abcdef") == browsers.Known()  # unknown: nobody
    browsers.remember(engine, "phone-key-0123456789abcdef", "learner", saved.id)
    browsers.remember(engine, "laptop-key-0123456789abcdef", "learner", saved.id)
    assert browsers.known(engine, "phone-key-0123456789abcdef").learner_id == saved.id
    assert browsers.count_for(engine, "learner", saved.id) == 2

    info, key = service.create(engine, "W", "en", "blank-start", dt.date(2026, 11, 30))
    seat, _token = service.join(engine, info.join_code, "Ann", "bucket")
    browsers.remember(engine, "phone-key-0123456789abcdef", "participant", seat.id)
    browsers.remember(engine, "laptop-key-0123456789abcdef", "trainer", info.id)
    found = browsers.known(engine, "phone-key-0123456789abcdef")
    assert (found.learner_id, found.participant_id) == (saved.id, seat.id)
    # the browser that opened the board may open it again: its key counts as the trainer's
    assert service.trainer_view(engine, info.id, "laptop-key-0123456789abcdef").id == info.id
    with pytest.raises(service.Forbidden):
        service.trainer_view(engine, info.id, "phone-key-0123456789abcdef")

    learners.forget(engine, saved.id)  # 'forget me' on one device
    assert browsers.known(engine, "laptop-key-0123456789abcdef").learner_id is None
    assert browsers.known(engine, "phone-key-0123456789abcdef").learner_id is None
    service.delete_workshop(engine, info.id, key)
    assert browsers.known(engine, "phone-key-0123456789abcdef") == browsers.Known()
    with pytest.raises(service.Forbidden):
        service.trainer_view(engine, info.id, "laptop-key-0123456789abcdef")


def test_owners_save_answers_and_refuse_a_stale_version(engine):  # noqa: F811
    from guide.workshop import owners

    snap, _creds = owners.create_learner(engine, owners.EMPTY, "en")
    saved = owners.save(engine, snap, answers={"has-eu-login": "yes"})
    assert owners.load(engine, snap.owner).answers == {"has-eu-login": "yes"}  # the answers column is written
    with pytest.raises(owners.Conflict):
        owners.save(engine, snap, progress={"x": "done"})  # another tab wrote since `snap` was read
    outcome, after = owners.act(engine, saved, "create_eu_login", email="ann@example.org")
    assert outcome.ok and after.case.eu_login.email == "ann@example.org" and after.version == saved.version + 1
    assert owners.forget(engine, snap.owner) and owners.load(engine, snap.owner) is None
