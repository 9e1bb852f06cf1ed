"""Sixty participants act at once while the trainer moves the clock: no write is lost or lands in someone
else's sandbox, on SQLite and on PostgreSQL. Teachers saving their own progress in parallel too."""

from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor

from dbs import db_url, engine  # noqa: F401 - fixtures

from guide.case.model import Case, Contact
from guide.store import learners
from guide.store.ratelimit import client_bucket
from guide.workshop import service

PARTICIPANTS = 60
WRITES = 20
CLOCK_MOVES = 5
DAY = dt.date(2026, 11, 30)  # a Monday


def _add_contact(name: str):
    def change(case: Case) -> Case:
        new = case.model_copy(deep=True)
        new.contacts = [*new.contacts, Contact(name=name, status="request_received")]
        return new
    return change


def test_sixty_participants_and_the_trainer_never_lose_or_mix_a_write(engine):  # noqa: F811
    info, key = service.create(engine, "Hammer", "en", "blank-start", DAY)
    bucket = client_bucket(engine, "room")
    seats = [service.join(engine, info.join_code, f"p{i:02d}", bucket, now=dt.datetime(2026, 11, 30, 9))[0]
             for i in range(PARTICIPANTS)]
    start = threading.Barrier(PARTICIPANTS + 1)

    def participant(seat: service.Seat) -> None:
        start.wait()
        for i in range(WRITES):
            service.update(engine, seat.id, _add_contact(f"{seat.nickname}-{i}"))

    def trainer() -> None:
        start.wait()
        for _ in range(CLOCK_MOVES):
            service.move_clock(engine, info.id, key, 1)

    with ThreadPoolExecutor(PARTICIPANTS + 1) as pool:
        futures = [pool.submit(participant, s) for s in seats] + [pool.submit(trainer)]
        for f in futures:
            f.result()  # re-raises any error of any thread

    expected_today = DAY + dt.timedelta(days=CLOCK_MOVES)
    for s in seats:
        mine = service.seat(engine, s.id)
        assert [c.name for c in mine.case.contacts] == [f"{s.nickname}-{i}" for i in range(WRITES)]
        assert mine.case.today == expected_today, f"{s.nickname} missed a clock move"
        assert mine.version == 1 + WRITES + CLOCK_MOVES
    b = service.board(engine, info.id, key)
    assert sorted(r.nickname for r in b.rows) == [f"p{i:02d}" for i in range(PARTICIPANTS)]
    assert all(r.actions == WRITES for r in b.rows)
    assert b.workshop.today == expected_today


def test_sixty_teachers_saving_their_own_progress_at_once_keep_every_step(engine):  # noqa: F811
    rows = [learners.create(engine)[0] for _ in range(PARTICIPANTS)]
    start = threading.Barrier(PARTICIPANTS)

    def teacher(saved: learners.Saved) -> None:
        start.wait()
        progress: dict[str, str] = {}
        for i in range(WRITES):
            progress[f"step-{saved.id}-{i}"] = "done"
            saved = learners.save(engine, saved.id, saved.version, progress=progress)

    with ThreadPoolExecutor(PARTICIPANTS) as pool:
        for f in [pool.submit(teacher, r) for r in rows]:
            f.result()
    for r in rows:
        back = learners.load(engine, r.id)
        assert back.progress == {f"step-{r.id}-{i}": "done" for i in range(WRITES)}
        assert back.version == 1 + WRITES
