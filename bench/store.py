"""The store under a workshop's load: 60 participants doing 20 writes each at once, on SQLite and on a
throwaway PostgreSQL. Prints throughput and p50/p95 latency, against one participant writing alone.

Then a workshop participant's sandbox action as the page makes it (service.perform: the row read under
its lock, the action, one UPDATE, the commit; the journey from the page's table), one after another:
thread CPU per action, against a bare round trip (the seat's version read in its own transaction)."""

from __future__ import annotations

import datetime as dt
import os
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from guide.case.model import Case, Contact
from guide.store.engine import get_engine
from guide.store.ratelimit import client_bucket
from guide.workshop import service

PARTICIPANTS = 60
ACTIONS = 20
ACTORS = 50  # participants doing sandbox actions one after another (thread CPU per action)
#: the sandbox actions of bench/workshop.py's participants, with their arguments
SANDBOX = (("create_eu_login", {"email": "p@example.org"}), ("confirm_eu_login", {}),
           ("register_account", {"email": "p@example.org"}), ("join_etwinning", {}),
           ("create_eu_login", {"email": "q@example.org"}))
DAY = dt.date(2026, 11, 30)


def _write(name: str):
    def change(case: Case) -> Case:
        new = case.model_copy(deep=True)
        new.contacts = [*new.contacts, Contact(name=name, status="request_received")]
        return new
    return change


def _run(engine, participants: int) -> tuple[float, list[float]]:
    """(seconds, per-write latencies) for `participants` threads doing ACTIONS writes each."""
    info, _key = service.create(engine, f"bench {participants}", "en", "blank-start", DAY)
    bucket = client_bucket(engine, "bench")
    seats = [service.join(engine, info.join_code, f"p{i}", bucket, now=dt.datetime(2026, 11, 30, 9))[0]
             for i in range(participants)]
    latencies: list[float] = []
    lock = threading.Lock()
    start = threading.Barrier(participants)

    def participant(seat: service.Seat) -> None:
        mine = []
        start.wait()
        for i in range(ACTIONS):
            t = time.perf_counter()
            service.update(engine, seat.id, _write(f"{seat.nickname}-{i}"))
            mine.append(time.perf_counter() - t)
        with lock:
            latencies.extend(mine)

    t0 = time.perf_counter()
    with ThreadPoolExecutor(participants) as pool:
        for f in [pool.submit(participant, s) for s in seats]:
            f.result()
    elapsed = time.perf_counter() - t0
    for s in seats:  # the benchmark is also a check: nothing lost
        assert len(service.seat(engine, s.id).case.contacts) == ACTIONS
    return elapsed, latencies


def _report(label: str, engine) -> None:
    base_s, base_lat = _run(engine, 1)
    s, lat = _run(engine, PARTICIPANTS)
    q = statistics.quantiles(lat, n=100)
    bq = statistics.quantiles(base_lat, n=100)
    print(f"{label:10s} alone: {ACTIONS / base_s:7.0f} writes/s  p50 {bq[49] * 1000:6.1f} ms  p95 {bq[94] * 1000:6.1f} ms")
    print(f"{label:10s} 60x20: {len(lat) / s:7.0f} writes/s  p50 {q[49] * 1000:6.1f} ms  p95 {q[94] * 1000:6.1f} ms"
          f"  ({len(lat)} writes in {s:.1f} s; throughput x{(len(lat) / s) / (ACTIONS / base_s):.1f} of one writer)")


def _cpu_ms(calls) -> float:
    """Thread CPU per call, in ms."""
    t = time.thread_time()
    for call in calls:
        call()
    return 1000 * (time.thread_time() - t) / len(calls)


def _actions(label: str, engine) -> None:
    from guide.content.loader import load_content
    from guide.flows.journey import evaluate

    info, _key = service.create(engine, "bench actions", "en", "blank-start", DAY)
    bucket = client_bucket(engine, "bench-actions")
    seats = [service.join(engine, info.join_code, f"a{i}", bucket, now=dt.datetime(2026, 11, 30, 9))[0]
             for i in range(ACTORS + 1)]
    journeys: dict = {}  # the page's table (guide.ui.derived): one journey per case and marks

    def journey_of(case, marks):
        key = (case.model_dump_json(), tuple(sorted(marks.items())))
        if key not in journeys:
            journeys[key] = evaluate(load_content("en"), case, marks)
        return journeys[key]

    held = {s.id: s for s in seats}  # the seat each page holds, handed to the next action as the page does

    def act(seat_id: int, action: str, args: dict) -> None:
        held[seat_id] = service.perform(engine, seat_id, action, args, journey_of=journey_of, known=held[seat_id])[1]

    for action, args in SANDBOX:  # every case of the run made once, untimed (the page made it on its run)
        act(seats[0].id, action, args)
    per_action = statistics.median(_cpu_ms([lambda s=s, a=action, k=args: act(s.id, a, k) for s in seats[1:]])
                                   for action, args in SANDBOX)
    bare = statistics.median(_cpu_ms([lambda s=s: service.seat_version(engine, s.id) for s in seats[1:]])
                             for _ in range(3))
    print(f"{label:10s} action: {per_action:6.3f} ms CPU  ({per_action / bare:4.1f}x a bare round trip, "
          f"{bare:.3f} ms; median of {len(SANDBOX)} rounds of {ACTORS})")


def main() -> None:
    print(f"load average {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory() as folder:
        sqlite = get_engine(f"sqlite:///{Path(folder) / 'bench.sqlite3'}")
        _report("SQLite", sqlite)
        _actions("SQLite", sqlite)
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    from pg import fresh_database  # the tests' throwaway cluster: initdb in a temp dir, stopped at exit

    postgres = get_engine(fresh_database())
    _report("PostgreSQL", postgres)
    _actions("PostgreSQL", postgres)


if __name__ == "__main__":
    main()
