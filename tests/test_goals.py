"""Scenario goals: no scenario starts with its goal reached, and the goal is reached the moment the
sandbox gets there, by the actions a participant (or the trainer, for the NSO) would take."""

from __future__ import annotations

import pytest

from guide.content.loader import load_content
from guide.flows.goals import goal
from guide.sandbox.actions import apply
from guide.sandbox.scenarios import load_scenario, scenario_ids

PROJECT_FORM = {"short_description": "Postcards", "aims": "Writing", "work_process": "A card a month",
                "expected_results": "A TwinBoard"}
#: scenario -> the actions that reach its goal ('@' values are read from the case)
SOLUTIONS = {
    "blank-start": [("create_eu_login", {"email": "t@example.org"}), ("confirm_eu_login", {}),
                    ("register_account", {"email": "t@example.org"}), ("join_etwinning", {}),
                    ("add_organisation", {"school_id": 900101, "role": "teacher"}), ("accept_policies", {}),
                    ("submit_registration", {}), ("advance_clock", {"days": 5})],
    "eu-login-unconfirmed": [("confirm_eu_login", {}), ("register_account", {"email": "@eu"})],
    "email-mismatch": [("deactivate_account", {}), ("register_account", {"email": "@eu"})],
    "not-joined": [("join_etwinning", {}), ("accept_policies", {})],
    "waiting-for-validation": [("advance_clock", {"days": 2})],
    "validation-overdue": [("nso_validate", {})],
    "duplicate-accounts": [("nso_remove_account", {"account_id": "@new"})],
    "forgot-old-email": [("nso_remove_account", {"account_id": "@imported"})],
    "company-staff-role": [("set_role", {"school_id": "@org0", "role": "teacher"})],
    "profile-not-available": [("set_available", {"available": True})],
    "cofounder-not-a-contact": [("advance_clock", {"days": 1})],
    "cofounder-not-available": [("partner_sets_available", {"name": "@cofounder"})],
    "cofounder-not-validated": [("partner_validated", {"name": "@cofounder"})],
    "cofounder-invitation-pending": [("cofounder_accepts", {"project": "@project"})],
    "waiting-for-partner-nso": [("nso_approve", {"project": "@project"})],
    "closed-project-edit": [("reopen_project", {"project": "@project"})],
    "contact-request-received": [("accept_contact_request", {"name": "Jan Kowalski"})],
    "school-not-validated": [("leave_organisation", {"school_id": 900102}),
                             ("add_organisation", {"school_id": 900101, "role": "teacher"})],
    "school-label-expired": [("apply_label", {"kind": "school_label"}), ("award_label", {"kind": "school_label"})],
    "room-not-mine": [("leave_room", {"title": "@room"})],
    "ready-to-create-project": [("create_project", {"title": "Postcards 2027", "cofounder": "Erika Mustermann",
                                                    **PROJECT_FORM}),
                                ("nso_approve", {"project": "Postcards 2027"})],
}


def _value(case, v):
    if v == "@eu":
        return case.eu_login.email
    if v in ("@new", "@imported"):
        return next(a.id for a in case.accounts if a.origin == v[1:])
    if v == "@org0":
        return case.organisations[0].id
    if v == "@cofounder":
        return case.projects[0].cofounders[0].name
    if v == "@project":
        return case.projects[0].title
    if v == "@room":
        return next(r.title for r in case.rooms if r.creator != "self")
    return v


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("scenario", scenario_ids())
def test_no_scenario_starts_with_its_goal_reached(scenario, lang):
    g = goal(load_content(lang), scenario, load_scenario(scenario))
    assert g is not None and g.scenario.goal and g.scenario.description
    assert not g.reached and (g.blocking or g.missing)


@pytest.mark.parametrize("scenario", sorted(SOLUTIONS))
def test_the_goal_is_reached_by_doing_it_in_the_sandbox(scenario):
    content = load_content("en")
    case = load_scenario(scenario)
    for action, args in SOLUTIONS[scenario]:
        outcome = apply(case, action, **{k: _value(case, v) for k, v in args.items()})
        assert outcome.ok, (action, outcome.refused_by)
        case = outcome.case
    g = goal(content, scenario, case)
    assert g.reached and g.blocking is None, (g.blocking, g.missing)
