"""Staged trouble on the store (SQLite and PostgreSQL): each flip a declared change of case fields that a
rule notices, fixed when the rule passes again (by the participant, or after the trainer's command),
taken back by the trainer, and every trainer action on the workshop's timeline."""

from __future__ import annotations

import datetime as dt

import pytest
from dbs import db_url, engine  # noqa: F401 - fixtures

from guide.sandbox.scenarios import load_scenario, scenario_ids
from guide.steps.findings import check
from guide.workshop import service, staging

TODAY = dt.date(2026, 11, 30)


def _workshop(engine, scenario="ready-to-create-project", n=3):  # noqa: F811
    info, key = service.create(engine, "Staging", "en", scenario, TODAY)
    seats = [service.join(engine, info.join_code, f"P{i}", f"client-{i}")[0] for i in range(n)]
    return info, key, seats


@pytest.mark.parametrize("name", list(staging.FLIPS))
def test_every_flip_makes_its_rule_fail_and_taking_it_back_makes_it_pass(name):
    flip = staging.FLIPS[name]
    applied = 0
    for sid in scenario_ids():
        case = load_scenario(sid)
        result = staging.flip(case, name)
        if result is None:
            continue
        new, rules, undo = result
        assert flip.rule in rules, (sid, rules)  # the rule it is declared to make fail does
        assert check(new, [flip.rule])[flip.rule].status == "fail"
        back = staging.take_back(new, name, undo)
        assert not staging.failing(back, rules), sid
        applied += 1
    assert applied, f"{name} applies to no scenario"


def test_a_flip_that_changes_nothing_is_not_applicable():
    blank = load_scenario("blank-start")
    assert all(staging.flip(blank, name) is None for name in staging.FLIPS)


def test_the_school_flip_never_marks_a_real_school_as_not_validated():
    from guide.content.world import load_world

    world = load_world()
    for sid in scenario_ids():
        result = staging.flip(load_scenario(sid), "school_not_validated")
        if result:
            for org in result[0].organisations:
                if not org.etwinning_validated:
                    assert world.school(org.id).source == "fictional" and org.name.startswith("Sandbox")


def test_staged_for_a_few_then_everyone_fixed_by_them_or_taken_back(engine):  # noqa: F811
    info, key, (ann, bob, cem) = _workshop(engine)
    assert service.stage(engine, info.id, key, "flip:availability_off", [ann.id]) == service.Staged(1)
    assert service.seat(engine, ann.id).changed and not service.seat(engine, bob.id).changed
    assert service.stage(engine, info.id, key, "flip:availability_off") == service.Staged(2, already=1)

    service.act(engine, ann.id, "set_available", available=True)  # Ann ticks the box again
    by_name = {f.nickname: f for f in service.faults(engine, info.id, key)}
    assert by_name["P0"].outcome == "fixed" and by_name["P0"].took is not None
    assert by_name["P1"].outcome is None and by_name["P1"].took is None

    service.take_back(engine, info.id, key, by_name["P1"].id)  # the trainer, playing the other side
    by_name = {f.nickname: f for f in service.faults(engine, info.id, key)}
    assert by_name["P1"].outcome == "taken_back" and by_name["P1"].took is None
    assert service.seat(engine, bob.id).case.profile.available_for_projects
    with pytest.raises(service.WorkshopError):
        service.take_back(engine, info.id, key, by_name["P1"].id)  # once

    kinds = [e.kind for e in service.timeline(engine, info.id, key)]
    assert kinds == ["created", "staged", "staged", "taken_back"]


def test_staged_trouble_stays_open_until_an_action_fixes_it_and_ends_once(engine):  # noqa: F811
    info, key, (ann, bob) = _workshop(engine, n=2)
    _, seat = service.act_in_seat(engine, bob.id, "set_available", available=False)  # nothing staged for Bob
    assert not seat.changed
    service.stage(engine, info.id, key, "flip:availability_off", [ann.id])

    _, seat = service.act_in_seat(engine, ann.id, "set_available", available=False)  # not the fix
    fault, = service.faults(engine, info.id, key)
    assert fault.outcome is None and seat.changed  # still open, and Ann was not told yet
    service.acknowledge(engine, ann.id)
    _, seat = service.act_in_seat(engine, ann.id, "set_available", available=False)
    assert service.faults(engine, info.id, key)[0].outcome is None and not seat.changed  # told: no notice

    _, seat = service.act_in_seat(engine, ann.id, "set_available", available=True)  # the fix
    fixed, = service.faults(engine, info.id, key)
    assert fixed.outcome == "fixed" and fixed.took is not None and not seat.changed
    service.act(engine, ann.id, "set_available", available=False)  # later actions leave the ended trouble be
    assert service.faults(engine, info.id, key) == [fixed]


def test_a_staged_scenario_gives_its_goal_and_is_fixed_when_the_goal_is_reached(engine):  # noqa: F811
    info, key, (ann, _bob) = _workshop(engine, "blank-start", 2)
    assert service.stage(engine, info.id, key, "scenario:profile-not-available", [ann.id]).staged == 1
    seat = service.seat(engine, ann.id)
    assert seat.scenario == "profile-not-available" and seat.changed
    board = service.board(engine, info.id, key)
    assert board.rows[0].goal.scenario.id == "profile-not-available" and not board.rows[0].goal.reached
    service.act(engine, ann.id, "set_available", available=True)
    service.act(engine, ann.id, "edit_profile", description="Maths teacher", subjects=["Maths"], languages=["en"])
    fault, = service.faults(engine, info.id, key)
    reached = service.board(engine, info.id, key).rows[0].goal.reached
    assert (fault.outcome == "fixed") == reached


def test_an_nso_fault_is_fixed_after_the_trainer_plays_the_nso(engine):  # noqa: F811
    info, key, (ann,) = _workshop(engine, "waiting-for-validation", 1)
    assert service.stage(engine, info.id, key, "flip:nso_rejects").staged == 1
    assert service.seat(engine, ann.id).case.account.status == "rejected"
    assert service.approve_validations(engine, info.id, key) == 0  # a rejected registration is not 'waiting'
    fault, = service.faults(engine, info.id, key)
    service.take_back(engine, info.id, key, fault.id)  # back to 'waiting for the NSO' ...
    assert service.approve_validations(engine, info.id, key) == 1  # ... which validates it
    assert service.seat(engine, ann.id).case.account.status == "validated"
    kinds = [e.kind for e in service.timeline(engine, info.id, key)]
    assert kinds == ["created", "staged", "approved", "taken_back", "approved"]


def test_a_clock_move_that_answers_the_contact_request_counts_as_helped(engine):  # noqa: F811
    info, key, (ann,) = _workshop(engine, "cofounder-invitation-pending", 1)
    assert service.stage(engine, info.id, key, "flip:contact_unanswered").staged == 1
    service.move_clock(engine, info.id, key, 2)
    fault, = service.faults(engine, info.id, key)
    contact = service.seat(engine, ann.id).case.contacts[0]
    assert (fault.outcome == "helped") == (contact.status == "accepted")


def test_staging_refuses_what_it_does_not_know_and_nobody(engine):  # noqa: F811
    info, key, (ann,) = _workshop(engine, n=1)
    for what in ("flip:rain", "scenario:../../etc/passwd", "delete_everything"):
        with pytest.raises(service.WorkshopError):
            service.stage(engine, info.id, key, what)
    with pytest.raises(service.WorkshopError, match="nobody_chosen"):
        service.stage(engine, info.id, key, "flip:availability_off", [])
    with pytest.raises(service.WorkshopError, match="participant_unknown"):
        service.stage(engine, info.id, key, "flip:availability_off", [ann.id + 1000])
    with pytest.raises(service.Forbidden):
        service.stage(engine, info.id, key[::-1], "flip:availability_off")
    assert [e.kind for e in service.timeline(engine, info.id, key)] == ["created"]


def test_removing_a_participant_deletes_their_seat_and_is_logged(engine):  # noqa: F811
    info, key, (ann, bob) = _workshop(engine, n=2)
    service.stage(engine, info.id, key, "flip:availability_off")
    service.remove_participant(engine, info.id, key, ann.id)
    assert service.seat(engine, ann.id) is None
    assert [f.nickname for f in service.faults(engine, info.id, key)] == ["P1"]
    service.close(engine, info.id, key)
    kinds = [e.kind for e in service.timeline(engine, info.id, key)]
    assert kinds == ["created", "staged", "removed", "closed"]
    assert all("P0" not in str(e.detail) for e in service.timeline(engine, info.id, key))  # counts, no names
