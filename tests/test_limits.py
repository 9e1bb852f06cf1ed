"""Limits that are fair and exact (shared/reviews/security.md D5): wrong codes count against the client's
own identity before its address, and parallel tries from two processes are counted exactly on SQLite and
PostgreSQL; the participant cap holds under concurrent joins."""

from __future__ import annotations

import datetime as dt
import multiprocessing
from concurrent.futures import ThreadPoolExecutor

import pytest
from dbs import db_url, engine  # noqa: F401 - fixtures

from guide.store import learners
from guide.store.engine import dispose_all, get_engine
from guide.store.ratelimit import PER_ADDRESS, PER_CLIENT, RateLimited, client_bucket
from guide.workshop import service

#: one worker runs this module (pytest-xdist --dist loadgroup), so the two processes start once for it
pytestmark = pytest.mark.xdist_group("limits")
DAY = dt.date(2026, 11, 30)
MORNING = dt.datetime(2026, 11, 30, 9)
TRIES = 60


def test_one_pupils_typos_do_not_lock_out_the_classroom(engine):  # noqa: F811
    info, _key = service.create(engine, "Room 12", "en", "blank-start", DAY)
    pupil = client_bucket(engine, "browser:pupil", "10.0.0.1")
    for _ in range(PER_CLIENT):
        with pytest.raises(service.WorkshopError):
            service.join(engine, "WRONG1", "Typo", pupil, now=MORNING)
    with pytest.raises(RateLimited):
        service.join(engine, info.join_code, "Typo", pupil, now=MORNING)
    neighbour = client_bucket(engine, "browser:neighbour", "10.0.0.1")  # same school router
    seat, _token = service.join(engine, info.join_code, "Neighbour", neighbour, now=MORNING)
    assert seat.nickname == "Neighbour"
    _saved, creds = learners.create(engine)
    assert learners.by_code(engine, creds.code, neighbour, MORNING) is not None  # the resume form too


def test_one_address_has_a_higher_ceiling_of_its_own(engine):  # noqa: F811
    info, _key = service.create(engine, "Room 12", "en", "blank-start", DAY)
    for i in range(PER_ADDRESS):  # new sessions, one address: e.g. a script opening tab after tab
        with pytest.raises(service.WorkshopError):
            service.join(engine, "WRONG1", "x", client_bucket(engine, f"session:{i}", "10.0.0.2"), now=MORNING)
    with pytest.raises(RateLimited):
        service.join(engine, info.join_code, "Fresh", client_bucket(engine, "session:fresh", "10.0.0.2"), now=MORNING)
    seat, _token = service.join(engine, info.join_code, "Other", client_bucket(engine, "session:o", "10.0.0.3"),
                                now=MORNING)
    assert seat.nickname == "Other"


@pytest.fixture(scope="module")
def two_processes():
    """(manager, pool): a pool of two spawned processes (fork would share the parent's pooled connections) and
    a manager for the barriers that start them together, kept for the module (their start costs more than
    a test). Each process disposes of its engines at the end of every task."""
    ctx = multiprocessing.get_context("spawn")
    with ctx.Manager() as manager, ctx.Pool(2) as pool:
        yield manager, pool


def _wrong_codes(url: str, what: str, tries: int, barrier) -> list[str]:
    """One process: `tries` threads send a wrong code at once; returns what each got."""
    eng = get_engine(url)
    bucket = client_bucket(eng, "browser:guesser", "10.0.0.9")
    barrier.wait()

    def one(i: int) -> str:
        try:
            if what == "join":
                service.join(eng, f"WRONG{i % 10}", "g", bucket, now=MORNING)
            else:
                learners.by_code(eng, f"WRONGCODE{i % 10}", bucket, MORNING)
            return "checked"
        except RateLimited:
            return "limited"
        except service.WorkshopError:
            return "checked"

    with ThreadPoolExecutor(tries) as pool:
        out = list(pool.map(one, range(tries)))
    dispose_all()
    return out


@pytest.mark.parametrize("what", ["join", "resume"])
def test_sixty_parallel_wrong_codes_from_two_processes_check_exactly_the_limit(db_url, what,  # noqa: F811
                                                                              two_processes):
    get_engine(db_url)  # migrated once, before the processes start
    dispose_all()
    manager, pool = two_processes
    barrier = manager.Barrier(2)  # each process holds one task until the other has its own
    results = pool.starmap(_wrong_codes, [(db_url, what, TRIES // 2, barrier)] * 2)
    outcomes = [r for proc in results for r in proc]
    assert outcomes.count("checked") == PER_CLIENT
    assert outcomes.count("limited") == TRIES - PER_CLIENT


def _joins(url: str, code: str, first: int, n: int, barrier) -> int:
    eng = get_engine(url)
    barrier.wait()

    def one(i: int) -> bool:
        try:
            service.join(eng, code, f"late{i}", client_bucket(eng, f"browser:{i}"), now=MORNING)
            return True
        except service.WorkshopError as exc:
            assert exc.reason == "workshop_full", exc
            return False

    with ThreadPoolExecutor(n) as pool:
        seated = sum(pool.map(one, range(first, first + n)))
    dispose_all()
    return seated


def test_the_participant_cap_is_exact_under_concurrent_joins_from_two_processes(db_url, two_processes):  # noqa: F811
    eng = get_engine(db_url)
    info, key = service.create(eng, "Full house", "en", "blank-start", DAY)
    already = service.MAX_PARTICIPANTS - 10
    for i in range(already):
        service.join(eng, info.join_code, f"p{i:03d}", client_bucket(eng, f"browser:p{i}"), now=MORNING)
    dispose_all()
    manager, pool = two_processes
    barrier = manager.Barrier(2)
    seated = pool.starmap(_joins, [(db_url, info.join_code, 0, 15, barrier),
                                   (db_url, info.join_code, 100, 15, barrier)])
    assert sum(seated) == 10
    assert service.trainer_view(get_engine(db_url), info.id, key).participants == service.MAX_PARTICIPANTS
