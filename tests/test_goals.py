"""Scenario goals: no scenario starts with its goal reached, and every scenario's goal is reached by what
the people in it can do, through the store the app uses:

- in a workshop, the participant's own actions in their seat (service.act, which refuses the others'
  actions) and the trainer's commands: the clock and 'Partners, NSOs and support answer';
- working alone (a learner who loaded the scenario), the same actions through owners.act, the teacher
  also playing the others (guide.sandbox.others lists what they answer) and the clock.

The goal is read as the participant and the trainer board read it (guide.flows.goals.goal, board rows).
"""

from __future__ import annotations

import datetime as dt

import pytest

from guide.content.loader import load_content
from guide.flows.goals import goal
from guide.sandbox import others
from guide.sandbox.scenarios import load_scenario, scenario_ids
from guide.store.engine import dispose_all, get_engine
from guide.workshop import owners, service
from guide.workshop.scenarios import OUTSIDE_THE_SANDBOX, workshop_scenarios

PROJECT_FORM = {"short_description": "Postcards", "aims": "Writing", "work_process": "A card a month",
                "expected_results": "A TwinBoard"}
DAY, MORNING = dt.date(2026, 11, 28), dt.datetime(2026, 11, 28, 9, 0)  # the scenarios' own date
OTHERS = ("others",)  # the trainer: 'Partners, NSOs and support answer' (alone: the teacher plays them)


def me(action: str, **args):
    """The participant's own action ('@' values are read from their case)."""
    return ("me", action, args)


def tried(action: str, **args):
    """The participant's own action that the platform refuses: the refusal keeps their wish in the case."""
    return ("tried", action, args)


def clock(days: int):
    return ("clock", days)


#: scenario -> what the people in it do to reach its goal
SOLUTIONS = {
    "blank-start": [me("create_eu_login", email="t@example.org"), me("confirm_eu_login"),
                    me("register_account", email="t@example.org"), me("join_etwinning"),
                    me("add_organisation", school_id=900101, role="teacher"), me("accept_policies"),
                    me("submit_registration"), clock(5)],
    "eu-login-unconfirmed": [me("confirm_eu_login"), me("register_account", email="@eu")],
    "email-mismatch": [me("deactivate_account"), me("register_account", email="@eu")],
    "not-joined": [me("join_etwinning"), me("accept_policies")],
    "waiting-for-validation": [clock(2)],
    "validation-overdue": [OTHERS],
    # the teacher keeps the imported account and deactivates the new, empty one themselves (ch. 4)
    "duplicate-accounts": [me("deactivate_account", account_id="@new")],
    # the old account's e-mail is unknown: the platform refuses, the wish is kept, the NSO removes it
    "forgot-old-email": [tried("deactivate_account", account_id="@imported"), OTHERS],
    "company-staff-role": [me("set_role", school_id="@org0", role="teacher")],
    "profile-not-available": [me("set_available", available=True)],
    "cofounder-not-a-contact": [clock(1)],
    "cofounder-not-available": [OTHERS],
    "cofounder-not-validated": [OTHERS],
    "cofounder-invitation-pending": [OTHERS],
    "waiting-for-partner-nso": [OTHERS],
    "closed-project-edit": [me("reopen_project", project="@project")],
    "contact-request-received": [me("accept_contact_request", name="Jan Kowalski")],
    "school-not-validated": [me("leave_organisation", school_id=900102),
                             me("add_organisation", school_id=900101, role="teacher")],
    "school-label-expired": [me("apply_label", kind="school_label"), OTHERS],
    "room-not-mine": [me("leave_room", title="@room")],
    "ready-to-create-project": [me("create_project", title="Postcards 2027", cofounder="Erika Mustermann",
                                   **PROJECT_FORM), OTHERS],
    "title-with-symbols": [me("submit_project", project="@project", title="Postcards from Europe 2026-2027",
                              aims="Writing in English", work_process="A card a month")],
    "project-not-submitted": [me("submit_project", project="@project")],
    "twinboard-image-missing": [me("add_material", project="@project", name="foto2.jpg")],
    "member-in-twinspace-only": [me("send_contact_request", name="Jan Peeters"), clock(1), OTHERS,
                                 me("invite_member", project="@project", name="Jan Peeters"),
                                 me("invite_member", project="@project", name="Marie Dupont")],
    "public-pupil-pictures-without-consent": [me("set_pupil_consent", project="@project", name="Pupil 2"),
                                              me("set_pupil_consent", project="@project", name="Pupil 3")],
    "invitation-declined": [OTHERS],  # talked to the co-founder: it was a mistake, they accept
    "national-project-wants-label": [me("create_project", title="Water in Europa 2026-2027",
                                        cofounder="Erika Mustermann", **PROJECT_FORM), OTHERS],
    "member-wants-to-close": [OTHERS],  # the founder closes it when asked
    "edge-cannot-add-partner": [me("switch_browser", browser="chrome")],
    "cannot-log-in": [OTHERS],
    "school-not-found": [me("search_schools", city="Noardeast-Fryslân"),
                         me("add_organisation", school_id=900109, role="teacher")],
}


def _value(case, v):
    if v == "@eu":
        return case.eu_login.email
    if v in ("@new", "@imported"):
        return next(a.id for a in case.accounts if a.origin == v[1:])
    if v == "@org0":
        return case.organisations[0].id
    if v == "@project":
        return case.projects[0].title
    if v == "@room":
        return next(r.title for r in case.rooms if r.creator != "self")
    return v


def _args(case, args):
    return {k: _value(case, v) for k, v in args.items()}


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    yield get_engine(f"sqlite:///{tmp_path_factory.mktemp('goals') / 'guide.sqlite3'}")
    dispose_all()


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("scenario", scenario_ids())
def test_no_scenario_starts_with_its_goal_reached(scenario, lang):
    g = goal(load_content(lang), scenario, load_scenario(scenario))
    assert g is not None and g.scenario.goal and g.scenario.description
    assert not g.reached and (g.blocking or g.missing)


def test_every_scenario_a_workshop_offers_has_a_way_to_its_goal():
    assert sorted(SOLUTIONS) == workshop_scenarios()
    assert set(scenario_ids()) - set(workshop_scenarios()) == OUTSIDE_THE_SANDBOX == {"teacher-trainer"}


def test_a_workshop_does_not_offer_a_goal_its_participants_cannot_reach(engine):
    with pytest.raises(service.WorkshopError, match="scenario_outside"):
        service.create(engine, "Trainers", "nl", "teacher-trainer", DAY)


REACHABLE = workshop_scenarios()


@pytest.mark.parametrize("scenario", REACHABLE)
def test_a_workshop_participant_reaches_the_goal_with_the_trainer(engine, scenario):
    info, key = service.create(engine, f"Goal {scenario}", "en", scenario, DAY)
    seat, _token = service.join(engine, info.join_code, "Sam", f"goals-{scenario}", now=MORNING)
    row = service.board(engine, info.id, key).rows[0]
    assert not row.goal.reached, "the goal is not reached at the start"
    for step in SOLUTIONS[scenario]:
        if step[0] in ("me", "tried"):
            case = service.seat(engine, seat.id).case
            outcome = service.act(engine, seat.id, step[1], **_args(case, step[2]))
            assert outcome.ok == (step[0] == "me"), (step, outcome.refused_by, outcome.facts)
        elif step[0] == "clock":
            service.move_clock(engine, info.id, key, step[1])
        else:
            assert service.others_answer(engine, info.id, key) == 1, (step, "nothing was waiting")
    for lang in ("en", "nl"):
        row = service.board(engine, info.id, key, lang).rows[0]
        assert row.goal.reached and row.goal.blocking is None, (lang, row.goal.blocking, row.goal.missing)


@pytest.mark.parametrize("scenario", REACHABLE)
def test_a_learner_alone_reaches_the_goal_playing_the_others(engine, scenario):
    snap, _creds = owners.create_learner(engine, owners.Snapshot(None, 0, load_scenario(scenario), {}, {}), "nl")
    for step in SOLUTIONS[scenario]:
        if step[0] in ("me", "tried"):
            outcome, snap = owners.act(engine, snap, step[1], **_args(snap.case, step[2]))
            assert outcome.ok == (step[0] == "me"), (step, outcome.refused_by)
        elif step[0] == "clock":
            outcome, snap = owners.act(engine, snap, "advance_clock", days=step[1])
        else:
            waiting = others.waiting(snap.case)
            assert waiting, (step, "nothing was waiting")
            for name, args in waiting:  # the teacher plays each of them on the sandbox page
                outcome, snap = owners.act(engine, snap, name, **args)
    snap = owners.load(engine, snap.owner)
    g = goal(load_content("nl"), scenario, snap.case)
    assert g.reached and g.blocking is None, (g.blocking, g.missing)


@pytest.mark.parametrize("action", ["support_solves_login", "founder_closes_project", "cofounder_accepts"])
def test_in_a_workshop_the_others_are_the_trainers_to_play(engine, action):
    """The seat refuses the others' actions: only the trainer answers for the NSO, partners and support."""
    info, key = service.create(engine, f"Others {action}", "en", "cannot-log-in", DAY)
    seat, _token = service.join(engine, info.join_code, "Sam", f"others-{action}", now=MORNING)
    with pytest.raises(service.WorkshopError, match="trainer_only"):
        service.act(engine, seat.id, action, project="x")
    assert not service.board(engine, info.id, key).rows[0].goal.reached
