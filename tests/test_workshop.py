"""A workshop's life cycle in the domain, on SQLite and PostgreSQL: create, join, act, the board, the
trainer's commands, close, export, delete; and the guards: trainer key, join codes, nicknames."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io

import pytest
from dbs import db_url, engine  # noqa: F401 - fixtures
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from guide.sandbox.scenarios import load_scenario
from guide.store.learners import Gone
from guide.store.models import Participant
from guide.store.ratelimit import PER_CLIENT, RateLimited
from guide.store.tokens import CODE_ALPHABET
from guide.workshop import service
from guide.workshop.service import Forbidden, WorkshopError

DAY = dt.date(2026, 11, 30)        # a Monday: 2 working days later is Wednesday
MORNING = dt.datetime(2026, 11, 30, 9, 0)


@pytest.fixture
def workshop(engine):  # noqa: F811
    return service.create(engine, "Onboarding Utrecht", "en", "blank-start", DAY)


def _join(engine, info, nickname, bucket="room"):  # noqa: F811
    return service.join(engine, info.join_code, nickname, bucket, now=MORNING)


def _register(engine, seat_id):  # noqa: F811
    """A participant does chapters 1-3 in the sandbox: EU Login, account, join, school, submit."""
    school = next(s for s in __import__("guide.content.world", fromlist=["load_world"]).load_world().schools
                  if s.etwinning_validated and s.country == "NL")
    for action, args in [("create_eu_login", {"email": "ann@example.org", "email_kind": "private"}),
                         ("confirm_eu_login", {}), ("register_account", {"email": "ann@example.org"}),
                         ("join_etwinning", {}), ("accept_policies", {}),
                         ("add_organisation", {"school_id": school.id, "role": "teacher"}),
                         ("submit_registration", {})]:
        outcome = service.act(engine, seat_id, action, **args)
        assert outcome.ok, (action, outcome.refused_by)


def test_a_workshop_gets_a_short_unambiguous_join_code_and_a_secret_trainer_key(engine, workshop):  # noqa: F811
    info, key = workshop
    assert len(info.join_code) == service.JOIN_CODE_LENGTH and set(info.join_code) <= set(CODE_ALPHABET)
    assert len(key) >= 32 and info.open and info.today == DAY
    with engine.connect() as conn:
        row = " ".join(str(v) for v in conn.execute(text("SELECT * FROM workshops")).one())
    assert key not in row  # stored hashed


def test_each_participant_gets_their_own_sandbox_seeded_from_the_scenario(engine, workshop):  # noqa: F811
    info, _key = workshop
    ann, ann_token = _join(engine, info, "Ann")
    bob, _ = service.join(engine, info.join_code.lower(), "Bob", "room", now=MORNING)  # typed in lower case
    expected = load_scenario("blank-start").model_copy(update={"today": DAY})
    assert ann.case == expected and bob.case == expected
    service.act(engine, ann.id, "create_eu_login", email="ann@example.org")
    assert service.seat(engine, ann.id).case.eu_login.email == "ann@example.org"
    assert service.seat(engine, bob.id).case.eu_login is None  # Bob's sandbox is untouched
    assert service.seat_by_token(engine, ann_token).nickname == "Ann"


def test_a_refused_action_is_saved_with_the_rule_that_refused_it(engine, workshop):  # noqa: F811
    info, _key = workshop
    ann, _ = _join(engine, info, "Ann")
    outcome = service.act(engine, ann.id, "register_account", email="ann@example.org")
    assert not outcome.ok and outcome.refused_by == "eu_login.missing"
    with pytest.raises(WorkshopError, match="trainer_only"):
        service.act(engine, ann.id, "nso_validate")  # participants cannot approve themselves


def _stored(engine, seat_id):  # noqa: F811
    with engine.connect() as conn:
        return conn.execute(select(Participant.version, Participant.actions, Participant.acted_at,
                                   Participant.updated_at, Participant.parts).where(Participant.id == seat_id)).one()


def test_every_action_is_counted_once_and_a_part_is_noted_only_when_the_journey_moves(engine, workshop):  # noqa: F811
    info, _key = workshop
    ann, _ = _join(engine, info, "Ann")
    joined = _stored(engine, ann.id)
    assert joined.actions == 0 and joined.acted_at is None

    outcome, seat = service.act_in_seat(engine, ann.id, "create_eu_login", email="ann@example.org")
    first = _stored(engine, ann.id)
    assert outcome.ok and seat.version == first.version == joined.version + 1 and first.actions == 1
    assert first.acted_at is not None and first.acted_at == first.updated_at
    assert first.parts and all("since" in times for times in first.parts.values())  # the part they are in

    # refused, the journey stays where it was: counted, the version moves, the part times are kept as they were
    outcome, seat = service.act_in_seat(engine, ann.id, "register_account", email="ann@example.org")
    second = _stored(engine, ann.id)
    assert not outcome.ok and seat.version == second.version == first.version + 1 and second.actions == 2
    assert second.acted_at >= first.acted_at and second.parts == first.parts
    assert seat.case == service.seat(engine, ann.id).case  # the seat returned is the one stored


def test_an_action_starts_from_the_case_stored_now_whatever_seat_the_caller_last_had(engine, workshop):  # noqa: F811
    """The page hands its last seat to the action (its case need not be read again while the row is unchanged):
    a row written meanwhile, or a newcomer seated under the same id, is acted on as stored, not as the page had it."""
    info, _key = workshop
    ann, _ = _join(engine, info, "Ann")
    _, seat = service.perform(engine, ann.id, "create_eu_login", {"email": "ann@example.org"}, known=ann)
    assert seat.case == service.seat(engine, ann.id).case and seat.joined_at == ann.joined_at is not None
    service.act(engine, ann.id, "create_eu_login", email="new@example.org")  # another tab
    _, after = service.perform(engine, ann.id, "confirm_eu_login", {}, known=seat)  # with the seat before it
    assert after.case.eu_login.email == "new@example.org" and after.case.eu_login.confirmed

    last, _ = _join(engine, info, "Zoe")  # the newest participant leaves, someone else joins
    assert service.forget_participant(engine, last.id)
    bea, _ = service.join(engine, info.join_code, "Bea", "room", now=MORNING + dt.timedelta(minutes=5))
    if bea.id == last.id:  # SQLite gives the freed id again (PostgreSQL never does)
        _, bea_now = service.perform(engine, bea.id, "create_eu_login", {"email": "bea@example.org"}, known=bea)
        zoe_case = last.case.model_copy(update={"wants": ["edit_profile"]})  # what Zoe's old tab still held
        zoe_seat = dataclasses.replace(last, case=zoe_case, version=bea_now.version)  # all but the join time alike
        with pytest.raises(Gone):  # Zoe's old tab acts on her seat, which is gone: never on Bea's row
            service.perform(engine, bea.id, "confirm_eu_login", {}, known=zoe_seat)
        stored = service.seat(engine, bea.id)
        assert stored.case == bea_now.case and stored.version == bea_now.version and not stored.case.wants
        _, bea_now = service.perform(engine, bea.id, "confirm_eu_login", {}, known=bea_now)  # Bea's own tab acts
        assert bea_now.case.eu_login.confirmed and bea_now.nickname == "Bea"
    else:
        assert engine.dialect.name != "sqlite", "SQLite gives the newest participant's freed id to the next one"


def test_the_board_shows_each_participants_step_and_blockers_and_who_is_stuck_where(engine, workshop):  # noqa: F811
    info, key = workshop
    ann, _ = _join(engine, info, "Ann")
    _join(engine, info, "Bob")
    _join(engine, info, "<b>Cem</b>")
    _register(engine, ann.id)
    board = service.board(engine, info.id, key)
    rows = {r.nickname: r for r in board.rows}
    assert set(rows) == {"Ann", "Bob", "<b>Cem</b>"}  # stored as typed; the page shows it as text
    assert "eu_login.missing" in rows["Bob"].position.blockers
    assert "eu_login.missing" not in rows["Ann"].position.blockers
    assert rows["Bob"].position.step == rows["<b>Cem</b>"].position.step != rows["Ann"].position.step
    assert rows["Ann"].actions == 7 and rows["Bob"].actions == 0
    stuck = {step: n for step, _title, n in board.stuck}
    assert stuck[rows["Bob"].position.step] == 2 and board.stuck[0][2] == 2  # most crowded first


def test_the_trainer_moves_the_clock_and_the_nso_validates_after_two_working_days(engine, workshop):  # noqa: F811
    info, key = workshop
    ann, _ = _join(engine, info, "Ann")
    _register(engine, ann.id)
    assert service.move_clock(engine, info.id, key, 1) == DAY + dt.timedelta(days=1)
    assert service.seat(engine, ann.id).case.account.status == "pending"
    service.move_clock(engine, info.id, key, 1)
    seat = service.seat(engine, ann.id)
    assert seat.case.today == DAY + dt.timedelta(days=2) and seat.case.account.status == "validated"
    assert service.trainer_view(engine, info.id, key).today == DAY + dt.timedelta(days=2)


def test_the_trainer_approves_waiting_validations_at_once(engine, workshop):  # noqa: F811
    info, key = workshop
    ann, _ = _join(engine, info, "Ann")
    bob, _ = _join(engine, info, "Bob")
    _register(engine, ann.id)
    assert service.approve_validations(engine, info.id, key) == 1  # only Ann was waiting
    assert service.seat(engine, ann.id).case.account.status == "validated"
    assert service.seat(engine, bob.id).case.accounts == []


def test_reset_gives_one_participant_a_fresh_sandbox(engine, workshop):  # noqa: F811
    info, key = workshop
    ann, _ = _join(engine, info, "Ann")
    bob, _ = _join(engine, info, "Bob")
    for seat in (ann, bob):
        service.act(engine, seat.id, "create_eu_login", email="x@example.org")
    service.save(engine, ann.id, service.seat(engine, ann.id).version, progress={"1b.create": "done"})
    service.reset_participant(engine, info.id, key, ann.id)
    fresh = service.seat(engine, ann.id)
    assert fresh.case.eu_login is None and fresh.progress == {}
    assert service.seat(engine, bob.id).case.eu_login is not None


def test_every_trainer_command_needs_the_key(engine, workshop):  # noqa: F811
    info, key = workshop
    ann, _ = _join(engine, info, "Ann")
    wrong = key[:-1] + ("A" if key[-1] != "A" else "B")
    for call in (lambda k: service.board(engine, info.id, k), lambda k: service.approve_validations(engine, info.id, k),
                 lambda k: service.others_answer(engine, info.id, k), lambda k: service.move_clock(engine, info.id, k, 1), lambda k: service.close(engine, info.id, k),
                 lambda k: service.reset_participant(engine, info.id, k, ann.id),
                 lambda k: service.export_csv(engine, info.id, k), lambda k: service.delete_workshop(engine, info.id, k)):
        for bad in (wrong, ""):
            with pytest.raises(Forbidden):
                call(bad)
    assert service.trainer_view(engine, info.id, key).participants == 1


def test_closing_stops_the_join_code_but_participants_keep_working(engine, workshop):  # noqa: F811
    info, key = workshop
    ann, _ = _join(engine, info, "Ann")
    service.close(engine, info.id, key)
    with pytest.raises(WorkshopError, match="code_unknown"):
        _join(engine, info, "Late")
    assert service.act(engine, ann.id, "create_eu_login", email="a@example.org").ok
    assert not service.trainer_view(engine, info.id, key).open


def test_a_join_code_expires_the_day_after_the_workshop(engine, workshop):  # noqa: F811
    info, _key = workshop
    service.join(engine, info.join_code, "Ann", "room", now=dt.datetime(2026, 12, 1, 18))
    with pytest.raises(WorkshopError, match="code_unknown"):
        service.join(engine, info.join_code, "Bob", "room", now=dt.datetime(2026, 12, 2, 8))


def test_wrong_join_codes_are_rate_limited_so_codes_cannot_be_enumerated(engine, workshop):  # noqa: F811
    info, _key = workshop
    for i in range(PER_CLIENT):
        with pytest.raises(WorkshopError, match="code_unknown"):
            service.join(engine, f"ZZZZZ{CODE_ALPHABET[i]}", "Eve", "eve", now=MORNING)
    with pytest.raises(RateLimited):
        service.join(engine, info.join_code, "Eve", "eve", now=MORNING)  # even the right one now
    assert service.join(engine, info.join_code, "Ann", "ann", now=MORNING)[0].nickname == "Ann"


def test_join_codes_are_unique_among_open_workshops(engine, workshop):  # noqa: F811
    info, key = workshop
    dup = text("INSERT INTO workshops (id, title, lang, scenario, day, today, trainer_key_hash, join_code, status,"
               " created_at) VALUES (:id, 't', 'en', 'blank-start', :d, :d, 'h', :code, :status, :d)")
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(dup, {"id": "other1", "d": DAY, "code": info.join_code, "status": "open"})
    service.close(engine, info.id, key)
    with engine.begin() as conn:  # a closed workshop's code may be drawn again
        conn.execute(dup, {"id": "other2", "d": DAY, "code": info.join_code, "status": "open"})


@pytest.mark.parametrize(("nickname", "reason"), [("", "nickname_empty"), ("   ", "nickname_empty"),
                                                  ("x" * 41, "nickname_too_long"), ("Ann\u202e", "nickname_invalid"),
                                                  ("A\x00b", "nickname_invalid")])
def test_bad_nicknames_are_refused_with_a_reason(engine, workshop, nickname, reason):  # noqa: F811
    with pytest.raises(WorkshopError, match=reason):
        _join(engine, workshop[0], nickname)


def test_a_nickname_is_taken_once_per_workshop(engine, workshop):  # noqa: F811
    _join(engine, workshop[0], "Ann")
    with pytest.raises(WorkshopError, match="nickname_taken"):
        _join(engine, workshop[0], " Ann ")


def test_the_export_lists_every_participant_and_defuses_formulas(engine, workshop):  # noqa: F811
    info, key = workshop
    ann, _ = _join(engine, info, "Ann")
    _join(engine, info, "=HYPERLINK(\"http://evil\")")
    _register(engine, ann.id)
    rows = list(csv.DictReader(io.StringIO(service.export_csv(engine, info.id, key))))
    assert [r["nickname"] for r in rows] == ["Ann", "'=HYPERLINK(\"http://evil\")"]
    assert rows[0]["actions"] == "7" and rows[1]["actions"] == "0"
    assert "eu_login.missing" in rows[1]["failing_blockers"] and "eu_login.missing" not in rows[0]["failing_blockers"]
    assert rows[1]["current_step_title"]


def test_deleting_a_workshop_deletes_every_participant(engine, workshop):  # noqa: F811
    info, key = workshop
    ann, token = _join(engine, info, "Ann")
    _join(engine, info, "Bob")
    assert service.delete_workshop(engine, info.id, key) == 2
    assert service.seat_by_token(engine, token) is None
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM participants")).scalar() == 0
        assert conn.execute(text("SELECT count(*) FROM workshops")).scalar() == 0
    with pytest.raises(Forbidden):
        service.board(engine, info.id, key)


def test_a_participant_can_forget_themselves(engine, workshop):  # noqa: F811
    info, key = workshop
    ann, token = _join(engine, info, "Ann")
    assert service.forget_participant(engine, ann.id)
    assert service.seat_by_token(engine, token) is None
    assert service.board(engine, info.id, key).rows == []
