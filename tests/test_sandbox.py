"""The practice sandbox behaves as the handbook says ESEP behaves, and refuses with the rule diagnose reports."""

from __future__ import annotations

import datetime as dt

import pytest

from guide.case.model import Case, Person, dump_case, parse_case
from guide.content.world import load_world
from guide.sandbox.actions import ACTIONS, ActionError, apply, cofounder_options
from guide.sandbox.photo import MAX_BYTES, MB
from guide.sandbox.scenarios import load_scenario
from guide.steps.findings import check

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
GIF = b"GIF89a" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
TEXT = b"Dit is geen foto, maar een tekstbestand.\n"
THURSDAY = dt.date(2026, 11, 26)
CHRISTMAS_EVE = dt.date(2026, 12, 24)  # a Thursday; 25 and 26 December are Dutch public holidays


def act(case: Case, name: str, /, **args) -> Case:
    """Run an action that must succeed; the input case must stay as it was."""
    before = dump_case(case)
    outcome = apply(case, name, **args)
    assert dump_case(case) == before, f"{name} changed its input case"
    assert outcome.ok, f"{name} refused by {outcome.refused_by}"
    assert outcome.refused_by is None and outcome.attempted is None
    return outcome.case


def status(case: Case, rule_id: str) -> str:
    return check(case, [rule_id])[rule_id].status


def blank(today: dt.date = THURSDAY) -> Case:
    return Case(today=today, person=Person(name="Esep Handleiding", country="NL"))


def registered(today: dt.date = THURSDAY) -> Case:
    """A teacher who went through chapters 1-3 in the sandbox and submitted the registration today."""
    case = blank(today)
    case = act(case, "create_eu_login", email="esephandleiding@gmail.com", email_kind="private")
    case = act(case, "confirm_eu_login")
    case = act(case, "register_account", email="esephandleiding@gmail.com")
    case = act(case, "join_etwinning")
    case = act(case, "add_organisation", school_id=900101, role="teacher")
    case = act(case, "accept_policies")
    return act(case, "submit_registration")


def validated() -> Case:
    case = act(registered(), "nso_validate")
    case = act(case, "set_available", available=True)
    return act(case, "edit_profile", description="Docent Engels", subjects=["Engels"], languages=["nl", "en"])


def with_contact(name: str) -> Case:
    return act(validated(), "send_contact_request", name=name)


PROJECT_FIELDS = dict(short_description="Ansichtkaarten uitwisselen", aims="Korte teksten in het Engels schrijven",
                      work_process="Oktober: kaarten schrijven", expected_results="Een TwinSpace-pagina met kaarten")


def with_project(cofounder: str = "Erika Mustermann", title: str = "Postcards from Europe 2026-2027") -> Case:
    case = act(with_contact(cofounder), "create_project", title=title, cofounder=cofounder, **PROJECT_FIELDS)
    return act(case, "nso_approve", project=title)


TITLE = "Postcards from Europe 2026-2027"


# -- the registration path (ch. 1-3) ----------------------------------------------------------------

def test_a_teacher_can_register_step_by_step_and_waits_for_the_nso():
    case = registered()
    account = case.account
    assert case.eu_login.email == account.email == "esephandleiding@gmail.com"
    assert case.eu_login.confirmed and account.joined_etwinning and account.policies_accepted
    assert account.status == "pending" and account.submitted_on == THURSDAY
    assert account.id == 2124634  # the handbook's 'Join eTwinning #2124634'
    assert case.profile is not None  # 'Join eTwinning' opens the profile form
    assert status(case, "account.pending_validation") == "fail"


def test_a_new_eu_login_starts_unconfirmed_and_a_bad_address_is_named():
    case = act(blank(), "create_eu_login", email="juf@school.example", email_kind="school")
    assert case.eu_login.confirmed is False and case.eu_login.email_kind == "school"
    assert status(case, "eu_login.unconfirmed") == "fail"
    with pytest.raises(ActionError, match="'juf.school.example' is not an e-mail address"):
        apply(blank(), "create_eu_login", email="juf.school.example")


def test_registering_the_same_address_twice_logs_into_the_existing_account():
    case = registered()
    outcome = apply(case, "register_account", email="esephandleiding@gmail.com")
    assert outcome.ok and outcome.facts["already_registered"] and len(outcome.case.accounts) == 1


def test_a_second_registration_next_to_an_imported_account_makes_a_duplicate():
    case = load_scenario("forgot-old-email")
    case = case.model_copy(update={"accounts": case.accounts[:1]}, deep=True)  # only the imported account
    case = act(case, "register_account", email="esephandleiding@gmail.com")
    assert len(case.live_accounts) == 2
    assert status(case, "account.duplicate") == "fail"


def test_submitting_fixes_the_date_the_nso_counts_from():
    outcome = apply(act(registered(), "advance_clock", days=7), "submit_registration")
    assert outcome.ok and outcome.facts["already_validated"]  # validated by then: nothing to submit
    case = registered(dt.date(2026, 11, 27))
    assert case.account.submitted_on == dt.date(2026, 11, 27)
    assert apply(registered(), "submit_registration").facts["due"] == dt.date(2026, 11, 30)


# -- simulated time: NSO validation after 2 working days ---------------------------------------------

def test_validation_arrives_after_two_working_days_skipping_the_weekend():
    case = act(registered(THURSDAY), "advance_clock", days=3)  # Sunday 29 November: only Friday counted
    assert case.today == dt.date(2026, 11, 29) and case.account.status == "pending"
    outcome = apply(case, "advance_clock", days=1)  # Monday: the second working day
    assert outcome.case.account.status == "validated"
    assert outcome.facts["validated"] == [2124634]


def test_validation_skips_dutch_christmas_holidays():
    case = act(registered(CHRISTMAS_EVE), "advance_clock", days=4)  # Monday 28 December: 1 working day
    assert case.account.status == "pending"
    case = act(case, "advance_clock", days=1)  # Tuesday 29 December
    assert case.account.status == "validated"


def test_the_sandbox_validates_on_the_day_diagnose_gives_when_only_the_school_has_a_country():
    """An imported case: no country of their own, a Dutch school, submitted on Christmas Eve 2024 (a
    Tuesday). The Dutch holidays count for both the sandbox and diagnose: Monday 30 December (the
    weekends-only count would say Thursday 26)."""
    eve = dt.date(2024, 12, 24)
    case = parse_case(f"""version: 1
today: {eve}
person: {{name: Esep Handleiding}}
eu_login: {{email: esephandleiding@gmail.com, confirmed: true}}
accounts: [{{id: 2124634, email: esephandleiding@gmail.com, status: pending, joined_etwinning: true,
            policies_accepted: true}}]
organisations: [{{name: Sandbox College Utrecht, country: NL}}]
""")
    submitted = apply(case, "submit_registration")
    assert submitted.facts["due"] == dt.date(2024, 12, 30)
    pending = check(submitted.case, ["account.pending_validation"])["account.pending_validation"]
    assert pending.status == "fail" and pending.facts["due_date"] == dt.date(2024, 12, 30)
    case = act(submitted.case, "advance_clock", days=3)  # Friday 27 December: the first working day
    assert case.account.status == "pending"
    case = act(case, "advance_clock", days=3)  # Monday 30 December
    assert case.account.status == "validated"


def test_an_unfinished_registration_is_never_validated_by_time():
    case = act(blank(), "create_eu_login", email="esephandleiding@gmail.com")
    case = act(act(case, "confirm_eu_login"), "register_account", email="esephandleiding@gmail.com")
    case = act(case, "advance_clock", days=30)
    assert case.account.status == "pending" and not case.account.joined_etwinning


def test_the_trainer_can_validate_at_once():
    case = act(registered(), "nso_validate")
    assert case.account.status == "validated" and case.today == THURSDAY
    assert status(case, "account.pending_validation") != "fail"


@pytest.mark.parametrize("days", [0, -1, 1.5, "2"])
def test_time_only_moves_forward_in_whole_days(days):
    with pytest.raises(ActionError, match="days: expected a whole number of days"):
        apply(registered(), "advance_clock", days=days)


# -- profile and photo ---------------------------------------------------------------------------------

def test_profile_edits_and_the_availability_box_are_kept():
    case = validated()
    assert case.profile.available_for_projects and case.profile.subjects == ["Engels"]
    assert case.profile.languages == ["nl", "en"] and case.profile.description == "Docent Engels"
    case = act(case, "set_available", available=False)
    assert status(case, "profile.not_available") == "fail"


@pytest.mark.parametrize(("data", "name", "kind"), [
    (PNG, "photo.jpg", "png"), (GIF, "me.gif", "gif"), (JPEG, "me.jpeg", "jpg"), (JPEG, "no-extension", "jpg")])
def test_a_photo_is_judged_on_its_bytes_not_its_name(data, name, kind):
    case = act(registered(), "upload_photo", data=data, filename=name)
    assert case.profile.photo.type == kind
    assert status(case, "profile.photo_rejected") != "fail"


def test_a_text_file_named_photo_jpg_is_refused_and_the_old_photo_stays():
    case = act(registered(), "upload_photo", data=PNG, filename="old.png")
    outcome = apply(case, "upload_photo", data=TEXT, filename="photo.jpg")
    assert not outcome.ok and outcome.refused_by == "profile.photo_rejected"
    assert outcome.case.profile.photo.type == "png"
    assert outcome.attempted.profile.photo.type == "unknown"
    assert status(outcome.attempted, "profile.photo_rejected") == "fail"


def test_a_photo_over_10_mb_is_refused_and_exactly_10_mb_is_accepted():
    outcome = apply(registered(), "upload_photo", data=JPEG + b"\x00" * (11 * MB), filename="big.jpg")
    assert not outcome.ok and outcome.refused_by == "profile.photo_rejected"
    assert outcome.case.profile.photo is None
    one_byte_over = apply(registered(), "upload_photo", data=JPEG + b"\x00" * (MAX_BYTES - len(JPEG) + 1))
    assert one_byte_over.refused_by == "profile.photo_rejected"
    case = act(registered(), "upload_photo", data=JPEG + b"\x00" * (MAX_BYTES - len(JPEG)))
    assert case.profile.photo.size_mb == 10


def test_only_the_photos_type_and_size_are_saved_never_its_bytes():
    case = act(registered(), "upload_photo", data=PNG + b"SECRET-PIXELS", filename="me.png")
    saved = dump_case(case)
    assert "SECRET" not in saved and "photo:" in saved and "type: png" in saved


# -- school (ch. 3a step 4, 3c) ----------------------------------------------------------------------

def test_searching_aalst_lists_the_handbooks_schools_and_an_invented_one_not_validated():
    outcome = apply(registered(), "search_schools", city="Aalst", country="BE")
    ids = [s.id for s in outcome.facts["results"]]
    assert ids == [16160, 23755, 108116, 113772, 135793, 900211]
    not_validated = [s.name for s in outcome.facts["results"] if not s.etwinning_validated]
    assert not_validated == ["Sandbox Campus Aalst"], "a real school is never shown as 'not validated'"
    assert outcome.case.school_search.found is True


def test_a_search_without_result_is_recorded_and_diagnosed():
    outcome = apply(blank(), "search_schools", city="Dokkum")
    assert outcome.ok and outcome.facts["results"] == []
    assert outcome.case.school_search.city == "Dokkum" and outcome.case.school_search.found is False
    assert status(outcome.case, "school.not_found") == "fail"


def test_after_a_search_that_found_nothing_the_nso_comes_first_and_a_school_added_later_lets_the_form_go():
    case = act(_joined(), "accept_policies")
    case = act(case, "search_schools", city="Dokkum")
    refused = apply(case, "submit_registration")
    assert not refused.ok and refused.refused_by == "school.not_found"   # not 'search and add it' again
    assert status(case, "school.missing") == "not_applicable"
    case = act(act(case, "search_schools", city="Utrecht"), "add_organisation", school_id=900101, role="teacher")
    case = act(act(case, "search_schools", city="Dokkum"), "submit_registration")  # a later empty search
    assert case.account.status == "pending"


def test_a_non_validated_school_can_be_added_but_is_flagged():
    case = act(blank(), "create_eu_login", email="a@b.example")
    case = act(act(case, "confirm_eu_login"), "register_account", email="a@b.example")
    case = act(act(case, "join_etwinning"), "add_organisation", school_id=900102, role="teacher")
    assert case.organisations[0].name == "Sandbox Lyceum Utrecht" and not case.organisations[0].etwinning_validated
    assert status(case, "school.not_validated") == "fail"
    case = act(case, "leave_organisation", school_id=900102)
    case = act(case, "add_organisation", school_id=900101, role="teacher")
    assert status(case, "school.not_validated") != "fail"


def test_the_teachers_country_comes_from_their_school():
    case = act(Case(today=THURSDAY), "create_eu_login", email="a@b.example")
    case = act(act(case, "confirm_eu_login"), "register_account", email="a@b.example")
    case = act(act(case, "join_etwinning"), "add_organisation", school_id=16160)
    assert case.person.country == "BE"


def test_company_staff_can_be_chosen_and_is_flagged_until_the_role_is_edited():
    case = act(registered(), "set_role", school_id=900101, role="company_staff")
    assert status(case, "school.company_staff_role") == "fail"
    case = act(case, "set_role", school_id=900101, role="teacher")
    assert status(case, "school.company_staff_role") != "fail"
    with pytest.raises(ActionError, match="role 'teacher_': expected one of .*did you mean 'teacher'"):
        apply(case, "set_role", school_id=900101, role="teacher_")
    with pytest.raises(ActionError, match="school_id 424242 is not in the sandbox's school directory"):
        apply(case, "add_organisation", school_id=424242)


# -- contacts and the cast --------------------------------------------------------------------------

def test_cast_members_answer_contact_requests_as_the_world_file_says():
    world = load_world()
    assert world.member("Erika Mustermann").accepts == "at_once"
    case = act(validated(), "send_contact_request", name="Erika Mustermann")
    case = act(case, "send_contact_request", name="Jan Kowalski")  # next_day
    case = act(case, "send_contact_request", name="Max Mustermann")  # never
    statuses = {c.name: c.status for c in case.contacts}
    assert statuses == {"Erika Mustermann": "accepted", "Jan Kowalski": "request_sent", "Max Mustermann": "request_sent"}
    outcome = apply(case, "advance_clock", days=1)
    assert outcome.facts["contacts_accepted"] == ["Jan Kowalski"]
    case = act(outcome.case, "advance_clock", days=60)
    assert case.contact("Max Mustermann").status == "request_sent"


def test_an_unknown_teacher_is_named_with_a_suggestion():
    with pytest.raises(ActionError, match="'Erika Musterman' is not a teacher in the sandbox.*'Erika Mustermann'"):
        apply(validated(), "send_contact_request", name="Erika Musterman")


def test_a_received_request_is_accepted_under_notifications():
    case = parse_case(dump_case(validated()) + "contacts:\n- {name: Jan Peeters, country: BE, status: request_received}\n")
    case = act(case, "accept_contact_request", name="Jan Peeters")
    assert case.contact("Jan Peeters").status == "accepted"
    with pytest.raises(ActionError, match="no contact request from 'Nobody' is waiting"):
        apply(case, "accept_contact_request", name="Nobody")


def test_cofounder_options_list_only_available_validated_accepted_contacts():
    case = load_scenario("ready-to-create-project")
    assert cofounder_options(case) == ["Erika Mustermann"]  # not unavailable Anna, unvalidated Mario, pending Jan
    case = act(case, "partner_sets_available", name="Anna Kowalska")
    case = act(case, "partner_validated", name="Mario Rossi")
    case = act(case, "advance_clock", days=1)  # Jan Kowalski accepts the next day
    assert cofounder_options(case) == ["Erika Mustermann", "Anna Kowalska", "Mario Rossi", "Jan Kowalski"]


# -- projects (ch. 7) ----------------------------------------------------------------------------------

def test_a_project_stays_pending_until_both_nsos_approve():
    case = act(with_contact("Erika Mustermann"), "create_project", title=TITLE, cofounder="Erika Mustermann",
               repeat_next_year=True, **PROJECT_FIELDS)
    project = case.projects[0]
    assert project.status == "pending" and project.nso_approvals == {"NL": "pending", "DE": "pending"}
    assert project.cofounders[0].invitation == "accepted"  # Erika accepts at once
    assert project.twinspace is not None  # the TwinSpace is created with the project
    case = act(case, "nso_approve", project=TITLE, country="NL")
    assert case.projects[0].status == "pending"
    assert status(case, "project.awaiting_nso") == "fail"
    outcome = apply(case, "nso_approve", project=TITLE, country="DE")
    assert outcome.case.projects[0].status == "active" and outcome.facts["activated"]


def test_a_project_waits_for_the_cofounder_to_accept():
    case = act(with_contact("Maija Meikäläinen"), "advance_clock", days=1)  # she accepts the contact request
    case = act(case, "create_project", title=TITLE, cofounder="Maija Meikäläinen", **PROJECT_FIELDS)
    case = act(case, "nso_approve", project=TITLE)
    assert case.projects[0].status == "pending" and case.projects[0].cofounders[0].invitation == "pending"
    assert status(case, "project.invitation_pending") == "fail"
    case = act(case, "advance_clock", days=1)
    assert case.projects[0].status == "active"


def test_the_trainer_can_make_a_cofounder_accept():
    case = act(with_contact("Jan Modaal"), "create_project", title=TITLE, cofounder="Jan Modaal", **PROJECT_FIELDS)
    case = act(case, "cofounder_accepts", project=TITLE)
    assert case.projects[0].nso_approvals == {"NL": "pending"}  # one country: one NSO
    assert status(case, "project.national_only") == "fail"  # allowed, but national


def test_nso_approval_names_a_country_that_has_a_say():
    with pytest.raises(ActionError, match="country 'PL' has no say on"):
        apply(with_project(), "nso_approve", project=TITLE, country="PL")


# -- TwinSpace (ch. 7d, 9) --------------------------------------------------------------------------

def test_a_non_contact_invited_member_lands_in_the_twinspace_only():
    case = act(with_project(), "invite_member", project=TITLE, name="Jan Peeters")
    member = case.projects[0].twinspace.members[0]
    assert member.name == "Jan Peeters" and member.in_project is False
    assert status(case, "twinspace.member_not_in_project") == "fail"
    case = act(act(case, "send_contact_request", name="Jan Peeters"), "advance_clock", days=1)
    case = act(case, "invite_member", project=TITLE, name="Jan Peeters")  # fixed: invite again
    assert [m.in_project for m in case.projects[0].twinspace.members] == [True]


def test_an_unavailable_contact_lands_in_the_twinspace_only():
    case = act(with_project(), "send_contact_request", name="Anna Kowalska")
    case = act(case, "invite_member", project=TITLE, name="Anna Kowalska")
    assert case.projects[0].twinspace.members[0].in_project is False


def test_an_available_contact_can_be_added_to_the_twinspace_only_on_request():
    case = act(with_project(), "send_contact_request", name="Fulana de Tal")
    joined = act(case, "invite_member", project=TITLE, name="Fulana de Tal")
    assert joined.projects[0].twinspace.members[0].in_project is True
    only_ts = act(case, "invite_member", project=TITLE, name="Fulana de Tal", also_project=False)
    assert only_ts.projects[0].twinspace.members[0].in_project is False


def test_pages_materials_twinboard_and_pupils():
    case = act(with_project(), "add_page", project=TITLE, title="Onze klas", visibility="public", pupil_content=True)
    case = act(case, "add_material", project=TITLE, name="foto1.jpg")
    case = act(case, "add_twinboard_item", project=TITLE, title="Hallo", image="foto1.jpg")
    case = act(case, "add_twinboard_item", project=TITLE, title="Alleen tekst")
    case = act(case, "add_pupil", project=TITLE, name="Pupil 1")
    ts = case.projects[0].twinspace
    assert [p.title for p in ts.pages] == ["Onze klas"] and [m.name for m in ts.materials] == ["foto1.jpg"]
    assert [i.image for i in ts.twinboard_items] == ["foto1.jpg", None]
    assert status(case, "twinspace.public_pupil_content") == "fail"
    assert status(case, "twinspace.pupils_without_consent") == "fail"
    case = act(case, "set_pupil_consent", project=TITLE, name="Pupil 1")
    assert status(case, "twinspace.pupils_without_consent") != "fail"
    assert status(case, "twinspace.public_pupil_content") != "fail"
    with pytest.raises(ActionError, match="visibility 'everyone': expected admins, members or public"):
        apply(case, "add_page", project=TITLE, title="X", visibility="everyone")


def test_closing_and_reopening_a_project():
    case = act(with_project(), "close_project", project=TITLE)
    assert case.projects[0].status == "closed"
    case = act(case, "reopen_project", project=TITLE)
    assert case.projects[0].status == "active"
    case = act(case, "add_page", project=TITLE, title="Na heropenen")
    assert case.projects[0].twinspace.pages[-1].title == "Na heropenen"


# -- rooms, groups, labels, deactivation (ch. 4, 10-12) -----------------------------------------------

def test_rooms_and_groups():
    case = act(validated(), "create_room", title="CLIL ideas")
    case = act(case, "edit_room", title="CLIL ideas", new_title="CLIL ideas 2026")
    assert [r.title for r in case.rooms] == ["CLIL ideas 2026"] and case.rooms[0].creator == "self"
    case = act(case, "leave_room", title="CLIL ideas 2026")
    assert case.rooms == []
    case = act(case, "create_group", title="CLIL in Europe")
    assert case.groups[0].status == "pending" and status(case, "group.pending_css") == "fail"
    case = act(case, "css_approve_group", title="CLIL in Europe")
    assert case.groups[0].status == "active"


def test_labels_for_an_international_project():
    case = act(with_project(), "apply_label", kind="NQL", project=TITLE)
    assert "apply_nql" in case.wants, "the application stands until the jury answers"
    case = act(case, "apply_label", kind="school_label")
    case = act(case, "award_label", kind="school_label")
    assert [(lb.kind, lb.awarded_on) for lb in case.labels] == [("school_label", THURSDAY)]
    assert "apply_school_label" not in case.wants and "apply_nql" in case.wants


def test_deactivating_and_the_nso_removing_accounts():
    case = act(validated(), "deactivate_account")
    assert case.accounts[0].status == "deactivated"
    assert status(case, "account.deactivated") == "fail"
    forgot = load_scenario("forgot-old-email")
    case = act(forgot, "nso_remove_account", account_id=1045678)
    assert [a.id for a in case.accounts] == [2124634] and "delete_account" not in case.wants


# -- refusals: the same rule id as diagnose ------------------------------------------------------------

def _unconfirmed() -> Case:
    return act(blank(), "create_eu_login", email="esephandleiding@gmail.com")


def _account_only() -> Case:
    return act(act(_unconfirmed(), "confirm_eu_login"), "register_account", email="esephandleiding@gmail.com")


def _joined() -> Case:
    return act(_account_only(), "join_etwinning")


REFUSALS = [
    ("confirm without EU Login", blank, "confirm_eu_login", {}, "eu_login.missing"),
    ("register without EU Login", blank, "register_account", {"email": "a@b.example"}, "eu_login.missing"),
    ("register with unconfirmed EU Login", _unconfirmed, "register_account",
     {"email": "esephandleiding@gmail.com"}, "eu_login.unconfirmed"),
    ("register with another e-mail", lambda: act(_unconfirmed(), "confirm_eu_login"), "register_account",
     {"email": "e.handleiding@school.example"}, "account.email_mismatch"),
    ("join without account", lambda: act(_unconfirmed(), "confirm_eu_login"), "join_etwinning", {}, "account.missing"),
    ("policies before joining", _account_only, "accept_policies", {}, "account.not_joined"),
    ("profile before joining", _account_only, "edit_profile", {"description": "x"}, "account.not_joined"),
    ("school before joining", _account_only, "add_organisation", {"school_id": 900101}, "account.not_joined"),
    ("submit without declaration", lambda: act(_joined(), "add_organisation", school_id=900101),
     "submit_registration", {}, "account.policies_not_accepted"),
    ("submit without school", lambda: act(_joined(), "accept_policies"), "submit_registration", {}, "school.missing"),
    ("NSO validates an unsubmitted registration", _joined, "nso_validate", {}, "account.policies_not_accepted"),
    ("text file as photo", registered, "upload_photo", {"data": TEXT, "filename": "photo.jpg"},
     "profile.photo_rejected"),
    ("11 MB photo", registered, "upload_photo", {"data": PNG + b"\x00" * (11 * MB)}, "profile.photo_rejected"),
    ("project before validation", lambda: act(registered(), "send_contact_request", name="Erika Mustermann"),
     "create_project", {"title": TITLE, "cofounder": "Erika Mustermann", **PROJECT_FIELDS},
     "project.founder_not_validated"),
    ("co-founder not a contact", validated, "create_project",
     {"title": TITLE, "cofounder": "Erika Mustermann", **PROJECT_FIELDS}, "project.cofounder_not_contact"),
    ("co-founder request not accepted", lambda: with_contact("Max Mustermann"), "create_project",
     {"title": TITLE, "cofounder": "Max Mustermann", **PROJECT_FIELDS}, "contacts.request_pending"),
    ("co-founder not validated", lambda: with_contact("Mario Rossi"), "create_project",
     {"title": TITLE, "cofounder": "Mario Rossi", **PROJECT_FIELDS}, "project.cofounder_not_validated"),
    ("co-founder not available", lambda: with_contact("Anna Kowalska"), "create_project",
     {"title": TITLE, "cofounder": "Anna Kowalska", **PROJECT_FIELDS}, "project.cofounder_not_available"),
    ("symbols in the title", lambda: with_contact("Erika Mustermann"), "create_project",
     {"title": "<Postcards> *2026*", "cofounder": "Erika Mustermann", **PROJECT_FIELDS}, "project.title_symbols"),
    ("empty aims", lambda: with_contact("Erika Mustermann"), "create_project",
     {"title": TITLE, "cofounder": "Erika Mustermann", **{**PROJECT_FIELDS, "aims": " "}}, "project.missing_fields"),
    ("TwinBoard image not in Materials", with_project, "add_twinboard_item",
     {"project": TITLE, "title": "Hallo", "image": "foto2.jpg"}, "twinspace.image_not_in_materials"),
    ("page on a closed project", lambda: load_scenario("closed-project-edit"), "add_page",
     {"project": "Postcards from Europe 2025-2026", "title": "Nieuw"}, "twinspace.closed"),
    ("member on a closed project", lambda: act(with_project(), "close_project", project=TITLE), "invite_member",
     {"project": TITLE, "name": "Jan Peeters"}, "twinspace.closed"),
    ("pupil on a closed project", lambda: act(with_project(), "close_project", project=TITLE), "add_pupil",
     {"project": TITLE, "name": "Pupil 1"}, "twinspace.closed"),
    ("member closes a project", lambda: load_scenario("member-wants-to-close"), "close_project",
     {"project": "Recetas de Europa 2026-2027"}, "project.close_not_founder"),
    ("edit someone else's room", lambda: load_scenario("room-not-mine"), "edit_room",
     {"title": "Maths teachers", "new_title": "Mine now"}, "room.not_creator"),
    ("NQL for a national project", lambda: load_scenario("national-project-wants-label"), "apply_label",
     {"kind": "NQL", "project": "Water in onze wijk 2025-2026"}, "label.national_project"),
    ("applying for the EQL", with_project, "apply_label", {"kind": "EQL"}, "label.eql_not_requested"),
    ("deactivating an account whose e-mail is forgotten", lambda: load_scenario("forgot-old-email"),
     "deactivate_account", {"account_id": 1045678}, "account.old_email_unknown"),
]


@pytest.mark.parametrize(("what", "make", "action", "args", "rule_id"), REFUSALS, ids=[r[0] for r in REFUSALS])
def test_a_refusal_names_the_rule_diagnose_reports_on_the_attempt(what, make, action, args, rule_id):
    case = make()
    before = dump_case(case)
    outcome = apply(case, action, **args)
    assert dump_case(case) == before
    assert not outcome.ok and outcome.refused_by == rule_id
    # agreement: diagnose on the situation the platform refused reports the same rule as failing
    assert status(outcome.attempted, rule_id) == "fail"
    # the refused action changed nothing on the platform: only the teacher's intent may be recorded
    assert outcome.case.model_copy(update={"wants": case.wants}) == case


def test_a_refusal_that_depends_on_an_intent_is_explained_by_diagnose_afterwards():
    outcome = apply(load_scenario("room-not-mine").model_copy(update={"wants": []}), "edit_room", title="Maths teachers")
    assert "edit_room" in outcome.case.wants
    assert status(outcome.case, "room.not_creator") == "fail"


def test_an_old_project_does_not_block_a_new_one():
    case = load_scenario("title-with-symbols")  # a draft with symbols and empty fields
    case = act(case, "create_project", title=TITLE, cofounder="Erika Mustermann", **PROJECT_FIELDS)
    assert [p.title for p in case.projects][-1] == TITLE


# -- the registry ------------------------------------------------------------------------------------------

SMOKE = {  # one successful call of every action
    "create_eu_login": (blank, {"email": "a@b.example"}),
    "confirm_eu_login": (_unconfirmed, {}),
    "register_account": (lambda: act(_unconfirmed(), "confirm_eu_login"), {"email": "esephandleiding@gmail.com"}),
    "join_etwinning": (_account_only, {}),
    "accept_policies": (_joined, {}),
    "submit_registration": (lambda: act(act(_joined(), "accept_policies"), "add_organisation", school_id=16160), {}),
    "advance_clock": (registered, {"days": 1}),
    "nso_validate": (registered, {}),
    "deactivate_account": (validated, {}),
    "nso_remove_account": (validated, {"account_id": 2124634}),
    "edit_profile": (registered, {"subjects": ["Engels"]}),
    "set_available": (registered, {"available": True}),
    "upload_photo": (registered, {"data": JPEG}),
    "search_schools": (registered, {"city": "Utrecht"}),
    "add_organisation": (registered, {"school_id": 900103}),
    "leave_organisation": (registered, {"school_id": 900101}),
    "set_role": (registered, {"school_id": 900101, "role": "head"}),
    "send_contact_request": (validated, {"name": "Jan Kowalski"}),
    "accept_contact_request": (lambda: parse_case(dump_case(validated()) + "contacts:\n- {name: Jan Peeters, status: request_received}\n"),
                               {"name": "Jan Peeters"}),
    "partner_sets_available": (lambda: with_contact("Anna Kowalska"), {"name": "Anna Kowalska"}),
    "partner_validated": (lambda: with_contact("Mario Rossi"), {"name": "Mario Rossi"}),
    "create_project": (lambda: with_contact("Erika Mustermann"),
                       {"title": TITLE, "cofounder": "Erika Mustermann", **PROJECT_FIELDS}),
    "cofounder_accepts": (lambda: load_scenario("cofounder-invitation-pending"), {"project": TITLE}),
    "nso_approve": (lambda: load_scenario("waiting-for-partner-nso"), {"project": TITLE, "country": "PL"}),
    "invite_member": (with_project, {"project": TITLE, "name": "Jan Peeters"}),
    "add_page": (with_project, {"project": TITLE, "title": "Kennismaking"}),
    "add_material": (with_project, {"project": TITLE, "name": "foto1.jpg"}),
    "add_twinboard_item": (with_project, {"project": TITLE, "title": "Hallo"}),
    "add_pupil": (with_project, {"project": TITLE, "name": "Pupil 1", "consent": True}),
    "set_pupil_consent": (lambda: load_scenario("public-pupil-pictures-without-consent"),
                          {"project": TITLE, "name": "Pupil 2"}),
    "close_project": (with_project, {"project": TITLE}),
    "reopen_project": (lambda: load_scenario("closed-project-edit"), {"project": "Postcards from Europe 2025-2026"}),
    "create_room": (validated, {"title": "Room"}),
    "edit_room": (lambda: load_scenario("room-not-mine"), {"title": "CLIL ideas", "new_title": "CLIL"}),
    "leave_room": (lambda: load_scenario("room-not-mine"), {"title": "Maths teachers"}),
    "create_group": (validated, {"title": "Group"}),
    "css_approve_group": (lambda: load_scenario("room-not-mine"), {"title": "CLIL in Europe"}),
    "apply_label": (with_project, {"kind": "school_label"}),
    "award_label": (with_project, {"kind": "NQL"}),
    "support_solves_login": (lambda: load_scenario("cannot-log-in"), {}),
    "switch_browser": (lambda: load_scenario("edge-cannot-add-partner"), {"browser": "chrome"}),
    "submit_project": (lambda: load_scenario("project-not-submitted"), {"project": "Postcards from Europe 2026-2027"}),
    "founder_closes_project": (lambda: load_scenario("member-wants-to-close"), {"project": "Recetas de Europa 2026-2027"}),
}


def test_a_draft_form_is_corrected_and_sent_with_create():
    draft = load_scenario("title-with-symbols")
    title = draft.projects[0].title
    refused = apply(draft, "submit_project", project=title)  # symbols and empty fields: the form says no
    assert not refused.ok and refused.refused_by == "project.title_symbols"
    fixed = act(draft, "submit_project", project=title, title="Postcards 2026-2027", aims="Writing",
                work_process="A card a month")
    p = fixed.projects[0]
    assert (p.title, p.status, p.aims) == ("Postcards 2026-2027", "pending", "Writing")
    assert p.short_description == draft.projects[0].short_description, "an empty field keeps the form's text"
    assert p.cofounders[0].invitation == "pending" and set(p.nso_approvals) == {"NL", "DE"}
    with pytest.raises(ActionError, match="submitted already"):
        apply(fixed, "submit_project", project="Postcards 2026-2027")


def test_only_a_member_asks_the_founder_to_close_and_support_only_solves_a_known_problem():
    with pytest.raises(ActionError, match="close it yourself"):
        apply(with_project(), "founder_closes_project", project=TITLE)
    with pytest.raises(ActionError, match="no login problem"):
        apply(validated(), "support_solves_login")
    with pytest.raises(ActionError, match="browser 'netscape'"):
        apply(validated(), "switch_browser", browser="netscape")


def test_every_action_has_a_success_case():
    assert set(SMOKE) == set(ACTIONS)


@pytest.mark.parametrize("name", sorted(SMOKE))
def test_every_action_succeeds_changes_the_case_and_survives_a_save(name):
    make, args = SMOKE[name]
    case = make()
    after = act(case, name, **args)
    assert after != case, f"{name} changed nothing"
    assert parse_case(dump_case(after)) == after


def test_apply_names_an_unknown_action_or_argument():
    with pytest.raises(ActionError, match="unknown sandbox action 'create_projct'.*'create_project'"):
        apply(blank(), "create_projct")
    with pytest.raises(ActionError, match=r"create_eu_login: unknown argument 'mail' \(did you mean 'email'\?\); it takes email, email_kind"):
        apply(blank(), "create_eu_login", mail="a@b.example")
    with pytest.raises(ActionError, match="register_account: missing a required argument: 'email'"):
        apply(blank(), "register_account")
    with pytest.raises(ActionError, match="no project titled 'Nope'"):
        apply(with_project(), "add_page", project="Nope", title="x")


# -- the world file ------------------------------------------------------------------------------------

def test_the_directory_has_the_handbooks_aalst_schools_and_only_clearly_fictional_others():
    world = load_world()
    handbook = {s.id: s.name for s in world.schools if s.source == "handbook"}
    assert handbook == {16160: "GOI Lyceum Aalst", 23755: "GOI Handelsschool Aalst", 108116: "GOI atheneum Aalst",
                        113772: "TechniGOI campus De Voorstad Aalst", 135793: "Odisee campus Aalst"}
    fictional = [s for s in world.schools if s.source == "fictional"]
    assert all(s.name.startswith("Sandbox ") and s.id >= 900000 for s in fictional)
    for city in ("Utrecht", "Zwolle", "Groningen"):
        assert world.search_schools(city, "NL"), city
    assert {s.country for s in fictional} >= {"NL", "PL", "ES", "IT", "FR", "DE", "FI"}
    # a real school is never shown as 'not validated'; the broken entries a teacher practises with are invented
    assert {s.etwinning_validated for s in world.schools if s.source == "handbook"} == {True}
    assert any(not s.etwinning_validated for s in world.search_schools("Aalst", "BE"))


def test_the_cast_mixes_available_unavailable_and_unvalidated_teachers_in_several_countries():
    cast = load_world().cast
    assert len(cast) >= 10 and len({c.country for c in cast}) >= 6
    assert {c.accepts for c in cast} == {"at_once", "next_day", "never"}
    assert any(not c.available_for_projects for c in cast) and any(not c.validated for c in cast)


def test_a_broken_world_file_names_the_field(tmp_path):
    from guide.content.world import read_world
    from guide.errors import ContentError

    bad = tmp_path / "world.yaml"
    bad.write_text("schools:\n  - {id: 1, name: X, city: Y, country: NL, etwinning_validated: yes}\n"
                   "cast:\n  - {name: Z, country: PL, school: 1, validated: true, available_for_projects: true,"
                   " accepts: sometimes}\n", encoding="utf-8")
    with pytest.raises(ContentError, match=r"world.yaml:4 cast\[0\].accepts: got 'sometimes'; expected"):
        read_world(bad)
    bad.write_text("schools:\n  - {id: 1, name: X, city: Y, country: NL, etwinning_validated: true}\n"
                   "cast:\n  - {name: Z, country: PL, school: 1, validated: true, available_for_projects: true,"
                   " accepts: never}\n", encoding="utf-8")
    with pytest.raises(ContentError, match="cast member 'Z': country PL differs from their school's country NL"):
        read_world(bad)
