"""The workshop life cycle: create, join, act, board, trainer commands, close, export, delete.

Every function takes the engine and does one transaction; a participant's sandbox row is only
changed under its row lock, so a participant's action and a trainer's broadcast never overwrite each
other. Trainer functions check the trainer's secret inside the same transaction.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import Connection, String, bindparam, cast, delete, exists, func, select
from sqlalchemy import update as sql_update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .. import LANGUAGES
from ..case.calendar import ready_for_nso
from ..case.model import Case
from ..content.loader import load_content
from ..errors import GuideError
from ..flows.goals import Goal, goal, scenario_of
from ..flows.journey import evaluate
from ..lru import Bounded
from ..sandbox import others
from ..sandbox.actions import ACTIONS, Outcome, apply
from ..steps.findings import check
from ..store import browsers, ratelimit
from ..store.engine import Engine, deleted, lock_row, prepared, read, read_rows, run, write_rows
from ..store.learners import Conflict, Gone, case_from_json, case_to_json, scrub_quietly
from ..store.models import Browser, Participant, StagedFault, Workshop, WorkshopEvent, utcnow
from ..store.tokens import hash_secret, new_code, new_token, normalize_code, same_secret
from ..text import clean
from . import staging
from .progress import Position, position
from .scenarios import OUTSIDE_THE_SANDBOX, scenario_ids, seed

JOIN_CODE_LENGTH = 6           # 31**6 ≈ 887 million codes; guessing is rate-limited
NICKNAME_MAX = 40
TITLE_MAX = 200
MAX_PARTICIPANTS = 200
CODE_GRACE = dt.timedelta(days=1)  # a join code also expires the day after the workshop's date


class WorkshopError(GuideError):
    """A workshop request that cannot be done; `reason` is a stable key the UI translates."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(reason, detail)
        self.reason, self.detail = reason, detail

    def __str__(self) -> str:
        return f"{self.reason}: {self.detail}" if self.detail else self.reason


class Forbidden(WorkshopError):
    def __init__(self) -> None:
        super().__init__("forbidden", "no workshop with this id and trainer key")


@dataclass(frozen=True)
class WorkshopInfo:
    id: str
    title: str
    lang: str
    scenario: str
    day: dt.date
    today: dt.date
    join_code: str
    status: str
    participants: int = 0

    @property
    def open(self) -> bool:
        return self.status == "open"


@dataclass(frozen=True)
class Seat:
    """A participant as their own page sees them."""

    id: int
    workshop_id: str
    nickname: str
    case: Case
    progress: dict[str, str]
    answers: dict[str, Any]
    version: int
    workshop_title: str
    scenario: str = ""
    changed: bool = False   # the trainer staged something in their sandbox they have not been told of yet
    joined_at: dt.datetime | None = None  # tells this seat from a later one under the same id (ids can be reused)


@dataclass(frozen=True)
class BoardRow:
    participant_id: int
    nickname: str
    position: Position
    steps_done: int
    actions: int
    updated_at: dt.datetime
    goal: Goal | None = None                 # the workshop scenario's goal on their sandbox
    acted_at: dt.datetime | None = None      # their own last action (None: none yet)


@dataclass(frozen=True)
class Board:
    workshop: WorkshopInfo
    rows: list[BoardRow]
    stuck: list[tuple[str, str, int]]  # (step id, step title, participants there), most crowded first
    faults: list[Fault] = field(default_factory=list)   # the staged trouble, newest first (as faults())
    events: list[Event] = field(default_factory=list)   # the timeline, oldest first (as timeline())


def _info(w: Workshop, participants: int = 0) -> WorkshopInfo:
    return WorkshopInfo(w.id, w.title, w.lang, w.scenario, w.day, w.today, w.join_code, w.status, participants)


def _workshop_of(session: Session, p: Participant) -> Workshop:
    w = session.get(Workshop, p.workshop_id)
    assert w is not None, "a participant's row goes with its workshop (ON DELETE CASCADE)"
    return w


def _seat(p: Participant, w: Workshop, session: Session | None = None) -> Seat:
    changed = bool(session and session.scalar(select(func.count()).select_from(StagedFault).where(
        StagedFault.participant_id == p.id, StagedFault.seen_at.is_(None), StagedFault.outcome.is_(None))))
    return Seat(p.id, p.workshop_id, p.nickname, case_from_json(p.case), dict(p.progress or {}),
                dict(p.answers or {}), p.version, w.title, p.scenario or w.scenario, changed, p.joined_at)


def _log(session: Session, w: Workshop, kind: str, **detail: Any) -> None:
    """One line on the workshop's timeline (counts and ids only, never a nickname)."""
    session.add(WorkshopEvent(workshop_id=w.id, at=utcnow(), kind=kind, detail=detail))


def _trainer(session: Session, workshop_id: str, key: str, lock: bool = False) -> Workshop:
    """The workshop, if `key` is its trainer key or the key of a browser that opened its board with it."""
    w = lock_row(session, Workshop, workshop_id) if lock else session.get(Workshop, workshop_id)
    if w is None or not key or not (same_secret(key, w.trainer_key_hash) or browsers.is_trainer(session, key, w.id)):
        raise Forbidden()
    return w


def clean_text(text: str, limit: int, what: str) -> str:
    """Trimmed text without control characters, within `limit` characters (else WorkshopError)."""
    text = " ".join(str(text).split())
    if not text:
        raise WorkshopError(f"{what}_empty")
    if len(text) > limit:
        raise WorkshopError(f"{what}_too_long", f"at most {limit} characters")
    if any(unicodedata.category(ch)[0] == "C" for ch in text):
        raise WorkshopError(f"{what}_invalid", "control or invisible characters")
    return text


# -- trainer: create ---------------------------------------------------------------------------------

def create(engine: Engine, title: str, lang: str, scenario: str, day: dt.date) -> tuple[WorkshopInfo, str]:
    """A new open workshop and its trainer key (shown once, stored hashed)."""
    title = clean_text(title, TITLE_MAX, "title")
    if lang not in LANGUAGES:
        raise WorkshopError("lang_unknown", f"'{lang}': expected one of {', '.join(LANGUAGES)}")
    if scenario in OUTSIDE_THE_SANDBOX:
        raise WorkshopError("scenario_outside", f"'{scenario}': its goal is reached outside the platform")
    seed(scenario, day)  # an unknown or broken scenario fails now, not when the first teacher joins
    key = new_token()
    for _ in range(10):
        row = Workshop(id=new_token()[:16], title=title, lang=lang, scenario=scenario, day=day, today=day,
                       trainer_key_hash=hash_secret(key), join_code=new_code(JOIN_CODE_LENGTH), status="open",
                       created_at=utcnow())

        def work(session: Session, row: Workshop = row) -> WorkshopInfo:
            session.add(row)
            session.flush()
            _log(session, row, "created", scenario=row.scenario)
            return _info(row)

        try:
            return run(engine, work), key
        except IntegrityError:  # the join code is taken by another open workshop: draw again
            continue
    raise WorkshopError("no_free_code", "could not draw a free join code")


def trainer_view(engine: Engine, workshop_id: str, key: str) -> WorkshopInfo:
    def work(session: Session) -> WorkshopInfo:
        w = _trainer(session, workshop_id, key)
        n = session.scalar(select(func.count()).select_from(Participant).where(Participant.workshop_id == w.id))
        return _info(w, n or 0)

    return read(engine, work)


def renew_trainer_key(engine: Engine, workshop_id: str, key: str) -> str:
    """A new trainer link for another device (the old link stops working; browsers that opened the board keep it)."""
    new = new_token()

    def work(session: Session) -> None:
        w = _trainer(session, workshop_id, key, lock=True)
        w.trainer_key_hash = hash_secret(new)
        _log(session, w, "trainer_link")

    run(engine, work)
    return new


# -- participants --------------------------------------------------------------------------------------

def join(engine: Engine, code: str, nickname: str, bucket: ratelimit.Buckets | str, now: dt.datetime | None = None) -> tuple[Seat, str]:
    """Join the open workshop with this code under a nickname: a sandbox seeded from its scenario.

    Returns the seat and the participant's personal link secret. Wrong, closed or expired codes count
    against the client (RateLimited after too many); they all read 'no open workshop with this code'.
    """
    nickname = clean_text(nickname, NICKNAME_MAX, "nickname")
    code = normalize_code(code)
    now = now or utcnow()
    token = new_token()

    def work(session: Session) -> Seat | WorkshopError:
        ratelimit.check(session, bucket, now)
        # the workshop row stays locked until this join commits: joins queue, so the cap is exact
        w = session.scalar(select(Workshop).where(Workshop.join_code == code, Workshop.status == "open")
                           .with_for_update()) if code else None
        if w is None or now.date() > w.day + CODE_GRACE:
            ratelimit.record_failure(session, bucket, now)
            return WorkshopError("code_unknown")  # returned, not raised: the failure must be committed
        count = session.scalar(select(func.count()).select_from(Participant).where(Participant.workshop_id == w.id))
        if (count or 0) >= MAX_PARTICIPANTS:
            return WorkshopError("workshop_full")
        taken = session.scalar(select(Participant.id).where(Participant.workshop_id == w.id,
                                                            Participant.nickname == nickname))
        if taken is not None:
            return WorkshopError("nickname_taken")
        p = Participant(workshop_id=w.id, nickname=nickname, token_hash=hash_secret(token),
                        case=case_to_json(seed(w.scenario, w.today)), progress={}, answers={}, version=1,
                        actions=0, joined_at=now, updated_at=now)
        session.add(p)
        session.flush()
        _track_parts(session, p)
        return _seat(p, w)

    try:
        result = run(engine, work)
    except IntegrityError:  # two people took the same nickname at the same moment
        raise WorkshopError("nickname_taken") from None
    if isinstance(result, WorkshopError):
        raise result
    return result, token


def seat_by_token(engine: Engine, token: str) -> Seat | None:
    """The participant behind a personal link (works after the workshop closed, until it is deleted)."""
    if not token:
        return None

    def work(session: Session) -> Seat | None:
        p = session.scalar(select(Participant).where(Participant.token_hash == hash_secret(token)))
        return _seat(p, _workshop_of(session, p), session) if p else None

    return read(engine, work)


def renew_seat_link(engine: Engine, participant_id: int) -> str:
    """A new personal link for the participant's other device (the old link stops working)."""
    token = new_token()

    def work(session: Session) -> None:
        p = lock_row(session, Participant, participant_id)
        if p is None:
            raise Gone()
        p.token_hash = hash_secret(token)

    run(engine, work)
    return token


def nicknames(engine: Engine, workshop_id: str, key: str) -> dict[int, str]:
    """{participant id: nickname} of the workshop (the trainer's pick lists; no rules run)."""
    def work(session: Session) -> dict[int, str]:
        w = _trainer(session, workshop_id, key)
        return dict(session.execute(select(Participant.id, Participant.nickname)
                                    .where(Participant.workshop_id == w.id)
                                    .order_by(Participant.joined_at, Participant.id)).all())

    return read(engine, work)


def seat(engine: Engine, participant_id: int) -> Seat | None:
    def work(session: Session) -> Seat | None:
        p = session.get(Participant, participant_id)
        return _seat(p, _workshop_of(session, p), session) if p else None

    return read(engine, work)


def _change(session: Session, p: Participant, case: Case | None = None, progress: dict | None = None,
            answers: dict | None = None, acted: bool = False) -> None:
    if case is not None:
        p.case = case_to_json(case)
    if progress is not None:
        p.progress = dict(progress)
    if answers is not None:
        p.answers = dict(answers)
    p.actions += int(acted)
    p.version += 1
    p.updated_at = utcnow()
    if acted:
        p.acted_at = p.updated_at
    if case is not None:
        _settle(session, p, case, "fixed" if acted else "helped")
    if case is not None or progress is not None:
        _track_parts(session, p)


def _track_parts(session: Session, p: Participant) -> None:
    """Note when each part of the journey became the participant's current part and when it was done
    (first time only), for the report's time per part."""
    journey = evaluate(load_content(_workshop_of(session, p).lang), case_from_json(p.case), p.progress or {})
    parts = _parts(p.parts, journey, p.updated_at)
    if parts is not None:
        p.parts = parts


def _settle(session: Session, p: Participant, case: Case, outcome: str) -> None:
    """End the participant's open staged faults that the new case no longer shows: 'fixed' when their
    own action did it, 'helped' when a trainer's command (the clock, the NSO) did."""
    open_faults = session.scalars(select(StagedFault).where(StagedFault.participant_id == p.id,
                                                            StagedFault.outcome.is_(None))).all()
    if not open_faults:
        return
    for fault in open_faults:
        if _fault_gone(fault.kind, fault.rules, case, _workshop_of(session, p).lang):
            fault.outcome, fault.ended_at = outcome, p.updated_at


def act(engine: Engine, participant_id: int, action: str, **args: Any) -> Outcome:
    """Run a sandbox action on the participant's own case, atomically (their latest case, their row)."""
    return act_in_seat(engine, participant_id, action, **args)[0]


def act_in_seat(engine: Engine, participant_id: int, action: str, **args: Any) -> tuple[Outcome, Seat]:
    """act(), and the seat as the action left it, from the same transaction (no second read)."""
    return perform(engine, participant_id, action, args)


#: (case, progress) -> the journey; the caller's own (the page keeps one per case), else evaluated here
JourneyOf = Callable[[Case, dict[str, str]], Any]
#: run inside the action's transaction once the seat is written: (connection, the seat before, the seat after)
Then = Callable[[Connection, "Seat", "Seat"], None]

# The action's reads and writes, made once: plain rows (no ORM objects to track and flush), one statement each,
# built here with bind parameters and prepared (engine.prepared): building a statement, or keying it to its
# compiled form, costs more than running it
_OPEN_FAULT = StagedFault.participant_id == Participant.id, StagedFault.outcome.is_(None)
_ROW = select(Participant.workshop_id, Participant.nickname, Participant.progress,
                  Participant.answers, Participant.version, Participant.parts, Participant.scenario,
                  Participant.joined_at, Workshop.title, Workshop.lang, Workshop.scenario.label("workshop_scenario"),
                  exists().where(*_OPEN_FAULT).label("troubled")) \
    .join(Workshop, Workshop.id == Participant.workshop_id).where(Participant.id == bindparam("pid"))
_ACT_ROW = prepared(_ROW)
_ACT_ROW_LOCKED = prepared(_ROW.with_for_update(of=Participant))  # PostgreSQL; SQLite's writer holds the file lock
_ACT_CASE = prepared(select(Participant.case).where(Participant.id == bindparam("pid")))  # unless the page has it
_ACT_FAULTS = prepared(select(StagedFault.id, StagedFault.kind, StagedFault.rules, StagedFault.seen_at)
                       .where(StagedFault.participant_id == bindparam("pid"), StagedFault.outcome.is_(None)))
_ACT_SET = {"case": bindparam("new_case", type_=Participant.case.type),
            "version": bindparam("new_version", type_=Participant.version.type),
            "actions": Participant.actions + 1,
            "updated_at": bindparam("now", type_=Participant.updated_at.type),
            "acted_at": bindparam("now", type_=Participant.acted_at.type)}
_ACT_UPDATE = prepared(sql_update(Participant).where(Participant.id == bindparam("pid")).values(_ACT_SET))
_ACT_UPDATE_PARTS = prepared(sql_update(Participant).where(Participant.id == bindparam("pid")).values(
    {**_ACT_SET, "parts": bindparam("new_parts", type_=Participant.parts.type)}))
_ACT_FIXED = prepared(sql_update(StagedFault).where(StagedFault.id.in_(bindparam("ended", expanding=True)))
                      .values(outcome="fixed", ended_at=bindparam("now", type_=StagedFault.ended_at.type)))


def perform(engine: Engine, participant_id: int, action: str, args: dict[str, Any], *,
            journey_of: JourneyOf | None = None, then: Then | None = None,
            known: Seat | None = None) -> tuple[Outcome, Seat]:
    """A participant's sandbox action in one transaction, under their row lock: their latest case read once,
    the action applied, the row written with one UPDATE, their open staged trouble settled, the time per
    part noted; `then` (the insights' counts) in the same transaction. Returns the outcome and the seat as
    stored (the case as a later read gives it). `journey_of` gives the journey of a case, so that the one
    the page makes for the new case is also the one that notes the parts (no second evaluation). The staged
    trouble is read only when the row's read says there is some open (staging takes the same row lock).
    `known`: the seat as the caller last had it from here; while the row is the same one (joined then) at the same
    version, its case is the row's (every write moves the version), so it is used as it is, not parsed again. A
    row joined at another time is another person's (SQLite gives a freed id again): Gone, nothing written."""
    if action in ACTIONS and not ACTIONS[action].by_teacher:
        raise WorkshopError("trainer_only", f"'{action}' is the trainer's command")

    def work(conn: Connection) -> tuple[Outcome, Seat]:
        statement = _ACT_ROW if conn.dialect.name == "sqlite" else _ACT_ROW_LOCKED
        row = conn.execute(statement, {"pid": participant_id}).one_or_none()
        if row is None:
            raise Gone()
        if known is not None and None not in (known.joined_at, row.joined_at) and known.joined_at != row.joined_at:
            raise Gone()  # the caller's seat left; SQLite gave its id to someone who joined after: not theirs
        same = known is not None and (known.id, known.joined_at, known.version) == (participant_id, row.joined_at,
                                                                                  row.version)
        case = known.case if known is not None and same else \
            case_from_json(conn.execute(_ACT_CASE, {"pid": participant_id}).scalar_one())
        before = Seat(participant_id, row.workshop_id, row.nickname, case,
                      dict(row.progress or {}), dict(row.answers or {}), row.version, row.title,
                      row.scenario or row.workshop_scenario, joined_at=row.joined_at)
        outcome = apply(before.case, action, **args)
        data = case_to_json(outcome.case)
        stored = case_from_json(data)  # as a later read gives it (every field given)
        now = utcnow()
        journey = (journey_of or (lambda c, marks: evaluate(load_content(row.lang), c, marks)))(stored, before.progress)
        values: dict[str, Any] = {"pid": participant_id, "new_case": data, "new_version": row.version + 1, "now": now}
        parts = _parts(row.parts, journey, now)
        if parts is not None:
            values["new_parts"] = parts
        conn.execute(_ACT_UPDATE if parts is None else _ACT_UPDATE_PARTS, values)
        changed = False
        if row.troubled:
            faults = conn.execute(_ACT_FAULTS, {"pid": participant_id}).all()
            ended = [f.id for f in faults if _fault_gone(f.kind, f.rules, stored, row.lang)]
            if ended:
                conn.execute(_ACT_FIXED, {"ended": ended, "now": now})
            changed = any(f.seen_at is None and f.id not in ended for f in faults)
        after = dataclasses.replace(before, case=stored, version=row.version + 1, changed=changed)
        if then is not None:
            then(conn, before, after)
        return outcome, after

    return write_rows(engine, work)


def _fault_gone(kind: str, rules: list[str], case: Case, lang: str) -> bool:
    """Whether staged trouble no longer shows in `case`: a scenario's goal reached, or its rules all pass."""
    if kind.startswith(staging.SCENARIO):
        g = goal(load_content(lang), kind.removeprefix(staging.SCENARIO), case)
        return g is None or g.reached
    return not staging.failing(case, list(rules))


def _parts(parts: dict[str, dict[str, str]] | None, journey: Any, now: dt.datetime) -> dict | None:
    """The participant's parts after a change (when each became current, when it was done; first time
    only), or None when nothing changed."""
    stamp = now.isoformat(timespec="seconds")
    new: dict[str, dict[str, str]] = {k: dict(v) for k, v in (parts or {}).items()}
    for f in journey.flows:
        if f.status != "open" and "since" in new.get(f.flow.id, {}):
            new[f.flow.id].setdefault("done", stamp)
    nxt = journey.next_step
    if nxt is not None:
        new.setdefault(nxt.flow, {}).setdefault("since", stamp)
    return new if new != (parts or {}) else None


def update(engine: Engine, participant_id: int, change: Callable[[Case], Case]) -> Seat:
    """Apply `change` to the participant's latest case under the row lock (the generic form of act)."""

    def work(session: Session) -> Seat:
        p = lock_row(session, Participant, participant_id)
        if p is None:
            raise Gone()
        new = change(case_from_json(p.case))
        _change(session, p, case=new, acted=True)
        return _seat(p, _workshop_of(session, p), session)

    return run(engine, work)


def save(engine: Engine, participant_id: int, expected_version: int, *, case: Case | None = None,
         progress: dict[str, str] | None = None, answers: dict[str, Any] | None = None) -> Seat:
    """Write a whole new case/progress if nobody (e.g. the trainer) wrote since `expected_version`."""

    def work(session: Session) -> Seat:
        p = lock_row(session, Participant, participant_id)
        if p is None:
            raise Gone()
        if p.version != expected_version:
            raise Conflict()
        _change(session, p, case, progress, answers, acted=case is not None)
        return _seat(p, _workshop_of(session, p), session)

    return run(engine, work)


def forget_participant(engine: Engine, participant_id: int) -> bool:
    """'Forget me' for a participant: their seat and sandbox are deleted at once."""
    gone = run(engine, lambda s: deleted(s, delete(Participant).where(Participant.id == participant_id)) > 0)
    if gone:
        scrub_quietly(engine, ("participants", "browsers"))
    return gone


# -- trainer: the board and commands -----------------------------------------------------------------

T = TypeVar("T")

#: (workshop, participant, joined at, version, language, scenario, day) -> their row on the board: kept until
#: their sandbox changes. Every change of a participant (case, marks, actions, a reset) raises their version.
_seen: Bounded[BoardRow] = Bounded(4 * MAX_PARTICIPANTS * 10)  # ten full rooms; the least recently shown go first
LAST_BOARDS_MAX = 4 * 10
#: (workshop, language, scenario, day) -> (everyone's id:version:joined at in one string, their rows, the crowded
#: steps) of the last board: a refresh that reads the same string shows the same rows, without reading them
_last_boards: Bounded[tuple[str | None, list[BoardRow], list[tuple[str, str, int]]]] = Bounded(LAST_BOARDS_MAX)
#: (workshop, 'faults' or 'events') -> (what the room's read said of them, them) of the last board, the same way
_last_reads: Bounded[tuple[Any, list[Any]]] = Bounded(2 * LAST_BOARDS_MAX)


# The board's reads, made once (bind parameters, SQLAlchemy's compiled cache): a refresh every 5 s
# builds no statement anew. The first read is the workshop with what tells whether anything else changed: its
# participants and their versions as one short string, its staged faults and their states (seen, outcome, ended)
# as another (the database joins them), and the length of its timeline (only ever added to). A refresh where
# nobody changed reads this one row.
_BOARD_WORKSHOP = select(
    Workshop.id, Workshop.title, Workshop.lang, Workshop.scenario, Workshop.day, Workshop.today, Workshop.join_code,
    Workshop.status, Workshop.trainer_key_hash,
    select(func.aggregate_strings(cast(Participant.id, String) + ":" + cast(Participant.version, String) + ":"
                                  + cast(Participant.joined_at, String), ","))
    .where(Participant.workshop_id == bindparam("wid")).scalar_subquery().label("room"),
    select(func.aggregate_strings(cast(StagedFault.id, String) + ":" + func.coalesce(StagedFault.outcome, "") + ":"
                                  + func.coalesce(cast(StagedFault.seen_at, String), "") + ":"
                                  + func.coalesce(cast(StagedFault.ended_at, String), ""), ","))
    .where(StagedFault.workshop_id == bindparam("wid")).scalar_subquery().label("trouble"),
    select(func.count()).select_from(WorkshopEvent).where(WorkshopEvent.workshop_id == bindparam("wid"))
    .scalar_subquery().label("lines")) \
    .where(Workshop.id == bindparam("wid"))
_BOARD_BROWSER = select(Browser.workshop_id).where(Browser.key_hash == bindparam("key_hash"))
_BOARD_VERSIONS = select(Participant.id, Participant.version, Participant.joined_at) \
    .where(Participant.workshop_id == bindparam("wid")).order_by(Participant.joined_at, Participant.id)
_BOARD_CHANGED = select(Participant.id, Participant.nickname, Participant.version, Participant.joined_at,
                        Participant.progress, Participant.case, Participant.scenario, Participant.actions,
                        Participant.updated_at, Participant.acted_at) \
    .where(Participant.id.in_(bindparam("ids", expanding=True)))
_BOARD_FAULTS = select(StagedFault.id, StagedFault.participant_id, Participant.nickname, StagedFault.kind,
                       StagedFault.rules, StagedFault.staged_at, StagedFault.seen_at, StagedFault.ended_at,
                       StagedFault.outcome) \
    .join(Participant, Participant.id == StagedFault.participant_id) \
    .where(StagedFault.workshop_id == bindparam("wid")) \
    .order_by(StagedFault.staged_at.desc(), StagedFault.id.desc())
_BOARD_EVENTS = select(WorkshopEvent.at, WorkshopEvent.kind, WorkshopEvent.detail) \
    .where(WorkshopEvent.workshop_id == bindparam("wid")).order_by(WorkshopEvent.at, WorkshopEvent.id)


def _trainer_row(conn: Connection, workshop_id: str, key: str) -> Any:
    """_trainer() as a plain row (the attributes WorkshopInfo needs, and what changed: room, trouble, lines),
    on a bare connection."""
    w = conn.execute(_BOARD_WORKSHOP, {"wid": workshop_id}).first()
    if w is None or not key or not (same_secret(key, w.trainer_key_hash) or conn.execute(
            _BOARD_BROWSER, {"key_hash": hash_secret(key)}).scalar() == w.id):
        raise Forbidden()
    return w


def _kept_read(workshop_id: str, what: str, signature: Any, read: Callable[[], list[T]]) -> list[T]:
    """What `read` gave at the last board of this workshop when the room's read says the same of it (its
    `signature`); else read now, and kept under this signature (read before it: a later change reads anew)."""
    kept = _last_reads.get((workshop_id, what))
    if kept is not None and kept[0] == signature:
        return list(kept[1])
    found = read()
    _last_reads.put((workshop_id, what), (signature, list(found)))
    return found


def board(engine: Engine, workshop_id: str, key: str, lang: str | None = None) -> Board:
    """Every participant's position (step titles in `lang`, default the workshop's), the crowded steps, the
    staged trouble and the timeline: one read, as the board shows them every few seconds.

    A participant's rules run once per change of their sandbox, not on every refresh of the board: their
    row is kept under their version number, and only the sandboxes of participants who changed since are
    read and checked again. A refresh where nobody joined, left or changed reads one string of ids and version
    numbers for the whole room, and shows the rows of the refresh before."""
    asked = lang
    day = dt.date.today()

    def work(conn: Connection) -> tuple[Any, Any, list[Any], list[Any], list[Fault], list[Event]]:
        w = _trainer_row(conn, workshop_id, key)
        wanted = asked or w.lang
        last = _last_boards.get((w.id, wanted, w.scenario, day))
        found = _kept_read(w.id, "faults", w.trouble, lambda: _faults_of(conn, w.id))
        events = _kept_read(w.id, "events", w.lines, lambda: _events_of(conn, w.id))
        if last is not None and last[0] == w.room:  # nobody joined, left or changed since the last board
            return w, last, [], [], found, events
        ps = list(conn.execute(_BOARD_VERSIONS, {"wid": w.id}))
        stale = [p.id for p in ps if (w.id, p.id, p.joined_at, p.version, wanted, w.scenario, day) not in _seen]
        changed: list[Any] = []
        for i in range(0, len(stale), 500):
            changed.extend(conn.execute(_BOARD_CHANGED, {"ids": stale[i:i + 500]}).all())
        return w, None, ps, changed, found, events

    w, last, ps, changed, found_faults, events = read_rows(engine, work)
    lang = asked or w.lang
    if last is not None:  # the last board's rows and crowded steps
        _room, rows, crowded = last
        return Board(_info(w, len(rows)), list(rows), list(crowded), found_faults, events)
    content = load_content(lang)
    fresh: dict[int, BoardRow] = {}
    for c in changed:  # their rules run once: position and goal read the same results
        case = case_from_json(c.case)
        results = check(case)
        row = fresh[c.id] = BoardRow(
            c.id, c.nickname, position(case, lang, c.progress, results),
            sum(1 for v in (c.progress or {}).values() if v == "done"), c.actions, c.updated_at,
            goal(content, c.scenario or w.scenario, case, results), c.acted_at)  # a staged scenario's goal is theirs
        _seen.put((w.id, c.id, c.joined_at, c.version, lang, w.scenario, day), row)
    shown: list[BoardRow] = []
    for p in ps:
        found = _seen.get((w.id, p.id, p.joined_at, p.version, lang, w.scenario, day))
        if found is None:  # they changed between the two reads (PostgreSQL): as the second read found them
            found = fresh.get(p.id)
            if found is None:  # and left the workshop meanwhile
                continue
        shown.append(found)
    counts = Counter(r.position.step for r in shown if r.position.step)
    titles = {r.position.step: r.position.step_title for r in shown}
    stuck = sorted(((s, titles[s], n) for s, n in counts.items()), key=lambda t: (-t[2], t[1]))
    # the room as the string read before the rows found it: a later change reads anew
    _last_boards.put((w.id, lang, w.scenario, day), (w.room, list(shown), list(stuck)))
    return Board(_info(w, len(shown)), shown, stuck, found_faults, events)


def _broadcast(engine: Engine, workshop_id: str, key: str, change: Callable[[Case], Case | None],
               on_workshop: Callable[[Workshop], None] | None = None,
               on_done: Callable[[Session, Workshop, int], Any] | None = None) -> int:
    """Apply `change` to every participant's case under row locks; returns how many changed."""

    def work(session: Session) -> int:
        w = _trainer(session, workshop_id, key, lock=True)
        if on_workshop:
            on_workshop(w)
        ids = session.scalars(select(Participant.id).where(Participant.workshop_id == w.id)
                              .order_by(Participant.id)).all()
        changed = 0
        for pid in ids:  # one id at a time, in id order: the same lock order as everyone else
            p = lock_row(session, Participant, pid)
            if p is None:  # left the workshop meanwhile
                continue
            new = change(case_from_json(p.case))
            if new is not None:
                _change(session, p, case=new)
                changed += 1
        if on_done:
            on_done(session, w, changed)
        return changed

    return run(engine, work)


def _approve(case: Case) -> Case | None:
    """Every waiting NSO says yes: submitted registrations validated, pending projects approved."""
    new, changed = case, False
    if new.account is not None and ready_for_nso(new.account):
        outcome = apply(new, "nso_validate")
        if outcome.ok:
            new, changed = outcome.case, True
    for project in list(new.projects):
        if project.status == "pending" and any(v != "approved" for v in project.nso_approvals.values()):
            outcome = apply(new, "nso_approve", project=project.title)
            if outcome.ok:
                new, changed = outcome.case, True
    return new if changed else None


def approve_validations(engine: Engine, workshop_id: str, key: str) -> int:
    return _broadcast(engine, workshop_id, key, _approve,
                      on_done=lambda s, w, n: _log(s, w, "approved", participants=n))


def others_answer(engine: Engine, workshop_id: str, key: str) -> int:
    """The trainer plays everyone else at once: for every participant, the NSO, partners and support answer
    what waits on their sandbox (guide.sandbox.others). Returns how many sandboxes changed."""

    def change(case: Case) -> Case | None:
        new, done = others.answer(case)
        return new if done else None

    return _broadcast(engine, workshop_id, key, change,
                      on_done=lambda s, w, n: _log(s, w, "others_answered", participants=n))


def move_clock(engine: Engine, workshop_id: str, key: str, days: int) -> dt.date:
    """Let `days` days pass for everyone: the workshop's clock and every sandbox (NSOs answer on time)."""
    if not isinstance(days, int) or days < 1 or days > 60:
        raise WorkshopError("days_invalid", "a whole number of days from 1 to 60")
    moved: list[dt.date] = []

    def on_workshop(w: Workshop) -> None:
        w.today = w.today + dt.timedelta(days=days)
        moved.append(w.today)

    _broadcast(engine, workshop_id, key, lambda case: apply(case, "advance_clock", days=days).case, on_workshop,
               lambda s, w, n: _log(s, w, "clock", days=days, today=w.today.isoformat()))
    return moved[-1]


def reset_participant(engine: Engine, workshop_id: str, key: str, participant_id: int) -> None:
    """A fresh sandbox from the workshop's scenario (on the workshop's clock), progress cleared; trouble
    staged for them ends ('replaced')."""

    def work(session: Session) -> None:
        w = _trainer(session, workshop_id, key)
        p = _participant_of(session, w, participant_id)
        _end_open(session, p, "replaced")
        p.scenario, p.parts = None, {}
        _change(session, p, case=seed(w.scenario, w.today), progress={}, answers={})
        p.actions = 0
        _log(session, w, "reset", participants=1)

    run(engine, work)


def remove_participant(engine: Engine, workshop_id: str, key: str, participant_id: int) -> None:
    """The trainer removes a participant (a nickname that should not be on the board): their seat and
    sandbox are deleted, as with their own 'Forget me'."""

    def work(session: Session) -> None:
        w = _trainer(session, workshop_id, key)
        p = _participant_of(session, w, participant_id)
        session.delete(p)
        _log(session, w, "removed", participants=1)

    run(engine, work)
    scrub_quietly(engine, ("participants", "browsers"))


def _participant_of(session: Session, w: Workshop, participant_id: int) -> Participant:
    p = lock_row(session, Participant, participant_id)
    if p is None or p.workshop_id != w.id:
        raise WorkshopError("participant_unknown")
    return p


def _end_open(session: Session, p: Participant, outcome: str) -> None:
    for fault in session.scalars(select(StagedFault).where(StagedFault.participant_id == p.id,
                                                           StagedFault.outcome.is_(None))):
        fault.outcome, fault.ended_at = outcome, utcnow()


# -- trainer: staged trouble -------------------------------------------------------------------------

@dataclass(frozen=True)
class Staged:
    """What one staging did: staged for `staged` participants; `not_applicable` had nothing to flip
    (e.g. no profile yet); `already` had the same fault open."""

    staged: int
    not_applicable: int = 0
    already: int = 0


@dataclass(frozen=True)
class Fault:
    id: int
    participant_id: int
    nickname: str
    kind: str                      # 'flip:<name>' or 'scenario:<id>'
    rules: tuple[str, ...]
    staged_at: dt.datetime
    seen_at: dt.datetime | None
    ended_at: dt.datetime | None
    outcome: str | None            # None: still open

    @property
    def took(self) -> dt.timedelta | None:
        """From staging to the rule passing again (fixed or helped); None while open or taken back."""
        return self.ended_at - self.staged_at if self.ended_at and self.outcome in ("fixed", "helped") else None


@dataclass(frozen=True)
class Event:
    at: dt.datetime
    kind: str
    detail: dict[str, Any]


def stage(engine: Engine, workshop_id: str, key: str, what: str, participants: list[int] | None = None) -> Staged:
    """Put trouble into sandboxes: `what` is 'flip:<name>' (guide.workshop.staging.FLIPS) or
    'scenario:<id>' (a fresh sandbox in that scenario's state, its goal theirs). `participants`: ids, or
    None for everyone. Each participant's row is changed under its lock; the participant's next run says
    'something changed'."""
    if what.startswith(staging.FLIP):
        name = what.removeprefix(staging.FLIP)
        if name not in staging.FLIPS:
            raise WorkshopError("fault_unknown", f"'{name}': expected one of {', '.join(staging.FLIPS)}")
    elif what.startswith(staging.SCENARIO):
        scenario_id = what.removeprefix(staging.SCENARIO)
        if scenario_id not in scenario_ids() or scenario_id in OUTSIDE_THE_SANDBOX:
            raise WorkshopError("scenario_unknown", f"'{scenario_id}'")
    else:
        raise WorkshopError("fault_unknown", f"'{what}': expected flip:<name> or scenario:<id>")
    if participants is not None and not participants:
        raise WorkshopError("nobody_chosen", "choose at least one participant, or everyone")

    def work(session: Session) -> Staged:
        w = _trainer(session, workshop_id, key)
        ids = session.scalars(select(Participant.id).where(Participant.workshop_id == w.id)
                              .order_by(Participant.id)).all()
        if participants is not None:
            unknown = set(participants) - set(ids)
            if unknown:
                raise WorkshopError("participant_unknown", f"not in this workshop: {sorted(unknown)}")
            ids = [i for i in ids if i in set(participants)]
        staged = not_applicable = already = 0
        now = utcnow()
        for pid in ids:  # in id order, one row lock at a time (the order everyone uses)
            p = lock_row(session, Participant, pid)
            if p is None:
                continue
            if session.scalar(select(StagedFault.id).where(StagedFault.participant_id == pid,
                                                          StagedFault.kind == what,
                                                          StagedFault.outcome.is_(None))) is not None:
                already += 1
                continue
            case = case_from_json(p.case)
            if what.startswith(staging.FLIP):
                flipped = staging.flip(case, what.removeprefix(staging.FLIP))
                if flipped is None:
                    not_applicable += 1
                    continue
                new, rules, undo = flipped
            else:
                _end_open(session, p, "replaced")  # a new situation: the old trouble is gone with it
                p.scenario = what.removeprefix(staging.SCENARIO)
                new, undo = seed(p.scenario, w.today), {}
                found = scenario_of(load_content(w.lang), p.scenario)
                rules = list(found.success) if found else []
                p.progress, p.answers, p.parts = {}, {}, {}
            session.add(StagedFault(workshop_id=w.id, participant_id=pid, kind=what, rules=rules, undo=undo,
                                    staged_at=now))
            session.flush()
            _change(session, p, case=new)
            staged += 1
        everyone = participants is None
        _log(session, w, "staged", what=what, participants=staged, everyone=everyone,
             not_applicable=not_applicable, already=already)
        return Staged(staged, not_applicable, already)

    return run(engine, work)


def take_back(engine: Engine, workshop_id: str, key: str, fault_id: int) -> None:
    """The trainer takes a staged flip back (playing the NSO or the partner who answers after all);
    a staged scenario cannot be taken back (reset the participant instead)."""

    def work(session: Session) -> None:
        w = _trainer(session, workshop_id, key)
        fault = session.get(StagedFault, fault_id)
        if fault is None or fault.workshop_id != w.id or fault.outcome is not None:
            raise WorkshopError("fault_unknown", "no open staged fault with this id in this workshop")
        if not fault.kind.startswith(staging.FLIP):
            raise WorkshopError("fault_scenario", "a staged scenario is undone by resetting the participant")
        p = _participant_of(session, w, fault.participant_id)
        case = staging.take_back(case_from_json(p.case), fault.kind.removeprefix(staging.FLIP), dict(fault.undo))
        fault.outcome, fault.ended_at = "taken_back", utcnow()
        _change(session, p, case=case)
        _log(session, w, "taken_back", what=fault.kind, participants=1)

    run(engine, work)


def faults(engine: Engine, workshop_id: str, key: str) -> list[Fault]:
    """Every fault staged in the workshop, newest first, with its participant's nickname."""

    return read(engine, lambda session: _faults_of(session.connection(), _trainer(session, workshop_id, key).id))


def _faults_of(conn: Connection, workshop_id: str) -> list[Fault]:
    return [Fault(f.id, f.participant_id, f.nickname, f.kind, tuple(f.rules or ()), f.staged_at, f.seen_at,
                  f.ended_at, f.outcome) for f in conn.execute(_BOARD_FAULTS, {"wid": workshop_id})]


def timeline(engine: Engine, workshop_id: str, key: str) -> list[Event]:
    """The trainer's actions in this workshop, oldest first (stored: they survive a reload or a restart)."""

    return read(engine, lambda session: _events_of(session.connection(), _trainer(session, workshop_id, key).id))


def _events_of(conn: Connection, workshop_id: str) -> list[Event]:
    return [Event(e.at, e.kind, dict(e.detail or {})) for e in conn.execute(_BOARD_EVENTS, {"wid": workshop_id})]


@dataclass(frozen=True)
class ReportRow:
    id: int
    nickname: str
    case: Case
    scenario: str | None
    parts: dict[str, dict[str, str]]


@dataclass(frozen=True)
class ReportRows:
    workshop: WorkshopInfo
    participants: list[ReportRow]
    faults: list[Fault]
    trainer_actions: int


def report_rows(engine: Engine, workshop_id: str, key: str) -> ReportRows:
    """What the workshop report is made of (guide.workshop.report), read at once."""

    def work(session: Session) -> tuple[WorkshopInfo, list[ReportRow], int]:
        w = _trainer(session, workshop_id, key)
        ps = session.scalars(select(Participant).where(Participant.workshop_id == w.id)
                          .order_by(Participant.joined_at, Participant.id)).all()
        n = session.scalar(select(func.count()).select_from(WorkshopEvent).where(WorkshopEvent.workshop_id == w.id))
        return (_info(w, len(ps)), [ReportRow(p.id, p.nickname, case_from_json(p.case), p.scenario,
                                              dict(p.parts or {})) for p in ps], n or 0)

    info, rows, actions = read(engine, work)
    return ReportRows(info, rows, faults(engine, workshop_id, key), actions)


def note_report(engine: Engine, workshop_id: str, key: str) -> None:
    """'Workshop report made', on the timeline."""
    run(engine, lambda session: _log(session, _trainer(session, workshop_id, key), "report"))


def acknowledge(engine: Engine, participant_id: int) -> None:
    """The participant was told that something changed: the notice is not shown again."""

    def work(session: Session) -> None:
        for fault in session.scalars(select(StagedFault).where(StagedFault.participant_id == participant_id,
                                                               StagedFault.seen_at.is_(None))):
            fault.seen_at = utcnow()

    run(engine, work)


def seat_version(engine: Engine, participant_id: int) -> int | None:
    """The participant row's version (None: gone), for a page that polls for the trainer's changes."""
    return read(engine, lambda s: s.scalar(select(Participant.version).where(Participant.id == participant_id)))


def close(engine: Engine, workshop_id: str, key: str) -> None:
    """The join code stops working; participants keep their sandboxes until the workshop is deleted."""

    def work(session: Session) -> None:
        w = _trainer(session, workshop_id, key, lock=True)
        if w.status == "open":
            w.status, w.closed_at = "closed", utcnow()
            _log(session, w, "closed")

    run(engine, work)


def delete_workshop(engine: Engine, workshop_id: str, key: str) -> int:
    """Delete the workshop and every participant's data at once; returns how many participants went."""

    def work(session: Session) -> int:
        w = _trainer(session, workshop_id, key, lock=True)
        gone = deleted(session, delete(Participant).where(Participant.workshop_id == w.id))
        session.execute(delete(Workshop).where(Workshop.id == w.id))
        return gone

    gone = run(engine, work)
    scrub_quietly(engine, ("participants", "workshops", "browsers"))
    return gone


# -- export --------------------------------------------------------------------------------------------

CSV_COLUMNS = ("nickname", "joined_at", "last_change", "actions", "steps_done", "current_step",
               "current_step_title", "failing_blockers")


def _cell(value: Any) -> str:
    """Spreadsheets run cells starting with = + - @ as formulas: a nickname must stay text."""
    text = clean(str(value))
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def export_csv(engine: Engine, workshop_id: str, key: str) -> str:
    b = board(engine, workshop_id, key)
    joined = read(engine, lambda s: dict(s.execute(select(Participant.id, Participant.joined_at)
                                                   .where(Participant.workshop_id == workshop_id)).all()))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for r in b.rows:
        writer.writerow([_cell(v) for v in (
            r.nickname, joined[r.participant_id].isoformat(timespec="seconds"),
            r.updated_at.isoformat(timespec="seconds"), r.actions, r.steps_done, r.position.step,
            r.position.step_title, " ".join(r.position.blockers))])
    return out.getvalue()
