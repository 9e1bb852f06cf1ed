"""NSO insights: anonymous counts of where teachers get stuck, and the figures the insights page shows.

What is kept (table `insight_counts`): per day, source and kind, how often a content id came up.

| source | kind | key | counted |
|---|---|---|---|
| sandbox, selfcheck, workshop, troubleshooter | `rule` | a rule id | a blocker or warning fails after a change (once per rule per session; in the troubleshooter once per conversation) |
| sandbox, selfcheck, workshop | `started` | a part (flow) id | a part gets its first step done |
| sandbox, selfcheck, workshop | `done` | a part id | a part has no open step left (every step done or skipped) |
| workshop | `minutes` | `<part>/<whole minutes>` | a participant's part is done: how long it took (capped at MAX_MINUTES) |
| troubleshooter | `escalated` | `<complaint>/<question>=<answer>/...` | a conversation ends with an e-mail to the NSO or ESEP support |

Nothing in a row points to a person: keys are made only of content ids (checked against KEY) and whole
minutes, never of anything typed; no learner, seat, browser or session id; no time finer than the day.
Answers typed into a troubleshooter question (a name, a number, a date) appear in a path only as
`=value`. To time a workshop part, `part_timers` holds when a participant's current part began, only
while that part runs: the row is deleted when the part is done, and with the participant or workshop.

The counts are anonymous and are kept (the retention purge leaves them). The page shows every count
under SMALL as '< 5' (tables, charts and CSV alike), and a median only over at least SMALL durations.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select
from sqlalchemy.orm import Session

from .engine import Engine, read, run
from .models import InsightCount, Participant, PartTimer, utcnow

log = logging.getLogger(__name__)

SOURCES = ("sandbox", "selfcheck", "workshop", "troubleshooter")
KINDS = ("rule", "started", "done", "minutes", "escalated")
KEY = re.compile(r"^[a-z0-9][a-z0-9_.\-/=]*$")
KEY_MAX = 400
MAX_MINUTES = 240  # a part that took longer counts as MAX_MINUTES ('4 h or more')
SMALL = 5          # counts below this are shown as '< 5'


class InsightError(ValueError):
    """A count that would not be anonymous (an unknown source or kind, or a key that is not made of ids)."""


def _check(source: str, kind: str, key: str) -> None:
    if source not in SOURCES:
        raise InsightError(f"unknown source {source!r}; expected one of {', '.join(SOURCES)}")
    if kind not in KINDS:
        raise InsightError(f"unknown kind {kind!r}; expected one of {', '.join(KINDS)}")
    if not KEY.match(key) or len(key) > KEY_MAX:
        raise InsightError(f"{key[:40]!r} is not a key made of content ids")


@dataclass(frozen=True)
class Timing:
    """A workshop participant's change, for the time per part: their current part before and after the
    change and the parts that have no open step after it."""

    participant_id: int
    before: str | None
    after: str | None
    done: frozenset[str]


def minutes_key(part: str, started: dt.datetime, now: dt.datetime) -> str:
    minutes = max(0, int((now - started).total_seconds() // 60))
    return f"{part}/{min(minutes, MAX_MINUTES)}"


_UPSERT: dict[str, Any] = {}  # dialect -> the upsert statement, made once (one compiled statement, many rows)


def _upsert(conn: Connection, day: dt.date, source: str, counts: Counter[tuple[str, str]]) -> None:
    if not counts:
        return
    dialect = conn.dialect.name
    stmt = _UPSERT.get(dialect)
    if stmt is None:
        from sqlalchemy.dialects import postgresql, sqlite

        insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(InsightCount)
        stmt = _UPSERT[dialect] = insert.on_conflict_do_update(
            index_elements=["day", "source", "kind", "key"],
            set_={"count": InsightCount.count + insert.excluded.count})
    conn.execute(stmt, [{"day": day, "source": source, "kind": kind, "key": key, "count": n}
                        for (kind, key), n in sorted(counts.items())])


def _timing(conn: Connection, timing: Timing, now: dt.datetime) -> Counter[tuple[str, str]]:
    """Close the timers of parts now done (their durations, without the participant), start the one of
    the part the participant is in now. A participant's first change starts the part they were in at
    their joining."""
    out: Counter[tuple[str, str]] = Counter()
    pid = timing.participant_id
    kept = {part: at for part, at in conn.execute(select(PartTimer.part, PartTimer.started_at)
                                                  .where(PartTimer.participant_id == pid))}
    starts = dict(kept)
    if not kept and timing.before:
        joined = conn.scalar(select(Participant.joined_at).where(Participant.id == pid))
        if joined is None:
            return out  # the seat is gone: nothing to time
        starts[timing.before] = joined
    for part in list(starts):
        if part in timing.done:
            out[("minutes", minutes_key(part, starts.pop(part), now))] += 1
    if timing.after and timing.after not in starts:
        starts[timing.after] = now
    if starts != kept:
        if kept:  # none yet (a participant's first change): nothing to take away
            conn.execute(delete(PartTimer).where(PartTimer.participant_id == pid))
        if starts:
            conn.execute(insert(PartTimer), [{"participant_id": pid, "part": part, "started_at": at}
                                             for part, at in starts.items()])
    return out


def record(engine: Engine, source: str, items: Iterable[tuple[str, str]], timing: Timing | None = None,
           now: dt.datetime | None = None) -> None:
    """Count each (kind, key) once more for today, and a workshop participant's part durations: one
    small transaction. Raises InsightError for anything that is not an anonymous count."""
    counts = _checked(source, items)
    if counts or timing is not None:
        run(engine, lambda session: _record(session.connection(), source, counts, timing, now or utcnow()))


def record_in(conn: Connection, source: str, items: Iterable[tuple[str, str]], timing: Timing | None = None,
              now: dt.datetime | None = None) -> None:
    """record() inside the caller's transaction (a participant's action: one transaction, not two)."""
    counts = _checked(source, items)
    if counts or timing is not None:
        _record(conn, source, counts, timing, now or utcnow())


def _checked(source: str, items: Iterable[tuple[str, str]]) -> Counter[tuple[str, str]]:
    counts = Counter(items)
    for kind, key in counts:
        _check(source, kind, key)
    return counts


def _record(conn: Connection, source: str, counts: Counter[tuple[str, str]], timing: Timing | None,
            now: dt.datetime) -> None:
    extra = _timing(conn, timing, now) if timing is not None else Counter()
    if source == "workshop":  # a participant's counts and part durations: one statement
        counts = counts + extra
    elif extra:
        _upsert(conn, now.date(), "workshop", extra)
    _upsert(conn, now.date(), source, counts)


def add(engine: Engine, day: dt.date, source: str, kind: str, key: str, count: int = 1) -> None:
    """Add `count` to one count of `day` (seeding, tests, imports)."""
    _check(source, kind, key)
    run(engine, lambda s: _upsert(s.connection(), day, source, Counter({(kind, key): count})))


# -- reading: the figures over a period -----------------------------------------------------------------

def totals(engine: Engine, start: dt.date, end: dt.date, kind: str) -> dict[tuple[str, str], int]:
    """{(source, key): count} of `kind`, summed over the days from `start` to `end` (both included)."""

    def work(session: Session) -> dict[tuple[str, str], int]:
        rows = session.execute(
            select(InsightCount.source, InsightCount.key, func.sum(InsightCount.count))
            .where(InsightCount.kind == kind, InsightCount.day >= start, InsightCount.day <= end)
            .group_by(InsightCount.source, InsightCount.key))
        return {(source, key): int(n) for source, key, n in rows if n}

    return read(engine, work)


@dataclass(frozen=True)
class RuleCount:
    source: str
    rule: str
    count: int


def failing_rules(engine: Engine, start: dt.date, end: dt.date) -> list[RuleCount]:
    """Rules by how often they failed, most first, per source."""
    found = totals(engine, start, end, "rule")
    return sorted((RuleCount(source, rule, n) for (source, rule), n in found.items()),
                  key=lambda r: (SOURCES.index(r.source) if r.source in SOURCES else 99, -r.count, r.rule))


@dataclass(frozen=True)
class PartFunnel:
    part: str
    started: int
    done: int


def funnel(engine: Engine, start: dt.date, end: dt.date, parts: list[str]) -> list[PartFunnel]:
    """Per part of the journey (in journey order), how often it was started and finished, all sources."""
    started: Counter[str] = Counter()
    done: Counter[str] = Counter()
    for (_source, part), n in totals(engine, start, end, "started").items():
        started[part] += n
    for (_source, part), n in totals(engine, start, end, "done").items():
        done[part] += n
    return [PartFunnel(p, started[p], done[p]) for p in parts]


@dataclass(frozen=True)
class PartTime:
    part: str
    participants: int          # how many durations were measured
    median: float | None       # minutes; None when fewer than SMALL


def median_of(histogram: Mapping[int, int]) -> float | None:
    """The median of values given as {value: how often}."""
    n = sum(histogram.values())
    if n == 0:
        return None
    ordered = sorted(histogram.items())

    def nth(i: int) -> int:  # the i-th value (0-based) in sorted order
        seen = 0
        for value, count in ordered:
            seen += count
            if i < seen:
                return value
        raise AssertionError("unreachable")

    return nth(n // 2) if n % 2 else (nth(n // 2 - 1) + nth(n // 2)) / 2


def part_times(engine: Engine, start: dt.date, end: dt.date, parts: list[str]) -> list[PartTime]:
    """Per part, the median time workshop participants took (whole minutes), from SMALL durations on."""
    histograms: dict[str, Counter[int]] = {}
    for (_source, key), n in totals(engine, start, end, "minutes").items():
        part, _sep, minutes = key.rpartition("/")
        if part and minutes.isdigit():
            histograms.setdefault(part, Counter())[int(minutes)] += n
    out = []
    for part in parts + sorted(set(histograms) - set(parts)):
        h = histograms.get(part, Counter())
        n = sum(h.values())
        if n:
            out.append(PartTime(part, n, median_of(h) if n >= SMALL else None))
    return out


@dataclass(frozen=True)
class Path:
    complaint: str
    steps: tuple[tuple[str, str], ...]   # (question id, answer id or 'value')
    count: int

    @property
    def key(self) -> str:
        return "/".join([self.complaint, *(f"{q}={a}" for q, a in self.steps)])


def path_key(complaint: str, steps: Iterable[tuple[str, str]]) -> str:
    return Path(complaint, tuple(steps), 0).key


def escalations(engine: Engine, start: dt.date, end: dt.date) -> list[Path]:
    """Troubleshooter paths that ended in an e-mail to the NSO or ESEP support, most first."""
    out = []
    for (_source, key), n in totals(engine, start, end, "escalated").items():
        complaint, *steps = key.split("/")
        pairs = tuple((q, a) for q, _sep, a in (s.partition("=") for s in steps))
        out.append(Path(complaint, pairs, n))
    return sorted(out, key=lambda p: (-p.count, p.key))


def shown(count: int) -> str:
    """A count as the page and the CSV show it: '< 5' below SMALL."""
    return f"< {SMALL}" if 0 < count < SMALL else str(count)
