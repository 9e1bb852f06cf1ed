"""The troubleshooter without a browser: case paths, the question engine, matching, handover texts, uploads."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
import yaml

from guide.case.model import Case, parse_case
from guide.case.paths import Builder, PathError, check_path, check_value
from guide.content.loader import load_content
from guide.errors import CaseError
from guide.steps.findings import check, diagnose_json
from guide.steps.registry import all_rules
from guide.troubleshoot.engine import DONT_KNOW, Given, diagnosis, walk
from guide.troubleshoot.handover import Teacher, case_file, email, plain, route, summary
from guide.troubleshoot.matching import match
from guide.troubleshoot.upload import MAX_BYTES, read_upload

TODAY = dt.date(2026, 11, 30)  # a Monday
EN = load_content("en").get("symptoms.yaml")
NL = load_content("nl").get("symptoms.yaml")
SYMPTOM_IDS = [s.id for s in EN.symptoms]
LANGS = {"nl": NL, "en": EN}

#: The most questions each complaint may ever ask, over every combination of answers. Raising one is a
#: decision: the helpdesk promised 'a handful'.
MAX_QUESTIONS = {
    "cannot_log_in": 6,
    "registration_not_approved": 6,
    "cannot_find_school": 3,
    "school_not_validated": 3,
    "two_accounts": 5,
    "change_email": 1,
    "cannot_be_cofounder": 5,
    "partner_not_in_cofounder_list": 5,
    "partner_only_in_twinspace": 4,
    "project_pending": 5,
    "pupils_cannot_log_in": 2,
    "twinboard_picture": 2,
    "cannot_edit_room": 1,
    "close_or_reopen_project": 2,
    "quality_label": 4,
    "delete_account": 2,
    "no_etwinning_area": 2,
    "change_school": 1,
    "profile_photo": 3,
    "no_partner": 3,
    "project_form": 4,
    "twinspace_privacy": 3,
    "cannot_edit_project": 1,
    "group_pending": 1,
}

#: Values typed into typed questions while exploring every path (by question id, else by kind).
SAMPLES = {
    "project_title": ["Postcards from Europe", "Postcards <Europe> 2026-2027"],
    "eu_login_email": ["anna@example.org"],
    "account_email": ["anna@example.org", "a.kowalska@school.example"],
    "picture_name": ["photo1.jpg"],
    "text": ["Anna Kowalska"],
    "date": [TODAY - dt.timedelta(days=1), TODAY - dt.timedelta(days=20), dt.date(2023, 6, 1)],
    "country": ["NL", "PL"],
    "number": [0, 4],
    "main_account_id": [2124634],
    "old_account_id": [1045678],
}


def _options(question):
    if question.kind == "choice":
        return [Given(a.id) for a in question.answers] + [Given(DONT_KNOW)]
    typed = SAMPLES.get(question.id) or SAMPLES.get(question.kind) or SAMPLES["text"]
    return [Given(value=v) for v in typed] + [Given(a.id) for a in question.answers] + [Given(DONT_KNOW)]


def every_path(symptom_id, answers=None):
    """Every conversation the engine allows for a complaint: (answers, finished walk)."""
    answers = answers or {}
    w = walk(EN, symptom_id, answers, TODAY)
    if w.done:
        yield answers, w
        return
    for given in _options(w.next):
        yield from every_path(symptom_id, {**answers, w.next.id: given})


def failing(w, lang="en"):
    return [f.rule for f in diagnosis(EN if lang == "en" else NL, w, lang).failing]


# -- the content ------------------------------------------------------------------------------------

def test_both_languages_ask_the_same_questions_with_the_same_facts():
    def structure(symptoms):
        return (
            [(q.id, q.kind, q.path, q.ask_if, [(a.id, a.sets) for a in q.answers]) for q in symptoms.questions],
            [(s.id, s.rules, s.sets, s.questions) for s in symptoms.symptoms],
            sorted(symptoms.slots),
        )
    assert structure(EN) == structure(NL)


def test_the_issue_asks_for_these_complaints_at_least():
    required = {"cannot_log_in", "registration_not_approved", "cannot_find_school", "school_not_validated",
                "two_accounts", "change_email", "cannot_be_cofounder", "partner_not_in_cofounder_list",
                "partner_only_in_twinspace", "project_pending", "pupils_cannot_log_in", "twinboard_picture",
                "cannot_edit_room", "close_or_reopen_project", "quality_label", "delete_account"}
    assert required <= set(SYMPTOM_IDS)
    assert set(MAX_QUESTIONS) == set(SYMPTOM_IDS), "state the maximum number of questions of every complaint"


def test_every_rule_of_the_catalogue_is_listed_by_some_complaint():
    listed = {r for s in EN.symptoms for r in s.rules}
    assert set(all_rules()) - listed == set()
    assert listed - set(all_rules()) == set()


def test_every_answer_writes_facts_the_case_model_accepts():
    """Each answer applied alone to a symptom's starting facts gives a valid case (values fit their fields)."""
    for symptom in EN.symptoms:
        for qid in symptom.questions:
            q = EN.question_by_id[qid]
            for given in _options(q):
                w = walk(EN, symptom.id, {qid: given}, TODAY)
                Case.model_validate(w.builder.data)


# -- case paths -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("path", "message"), [
    ("person.contry", "'person.contry': person has no field 'contry' (did you mean 'country'?)"),
    ("contacts.name", "'contacts.name': 'contacts' is a list: name the item, e.g. contacts[main]"),
    ("person[x].name", "'person[x].name': 'person' is not a list; drop '[...]'"),
    ("wants.x", "'wants.x': 'wants' is a list of words: use wants[+] as the last part"),
    ("contacts[Partner].name", "'contacts[Partner].name': '[Partner]' should be a slot word, a number, '+' or '@path'"),
    ("person.name.first", "'person.name.first': 'name' is a value, it has no 'first'"),
])
def test_a_wrong_case_path_is_named_with_what_is_expected(path, message):
    with pytest.raises(PathError) as err:
        check_path(path)
    assert str(err.value) == message


def test_a_value_that_does_not_fit_its_field_is_refused():
    with pytest.raises(PathError, match="'maybe' does not fit"):
        check_value("contacts[partner].available_for_projects", "maybe")
    with pytest.raises(PathError, match="expected 'pending', 'validated', 'rejected' or 'deactivated'"):
        check_value("accounts[main].status", "waiting")


def test_a_slot_is_one_person_across_lists_and_references_copy_facts():
    b = Builder()
    b.set("projects[project].cofounders[partner].name", "Anna Kowalska")
    b.set("contacts[partner].status", "accepted")
    b.set("contacts[partner].country", "PL")
    b.set("projects[project].nso_approvals[@contacts[partner].country]", "pending")
    b.set("wants[+]", "create_project")
    b.set("wants[+]", "create_project")
    assert not b.set("projects[project].nso_approvals[@person.country]", "approved")  # country unknown: skipped
    b.fill_names({"partner": "your partner"})
    case = Case.model_validate(b.data)
    assert case.contacts[0].name == "Anna Kowalska"
    assert case.projects[0].nso_approvals == {"PL": "pending"}
    assert case.wants == ["create_project"]


def test_an_unnamed_slot_gets_the_word_of_the_readers_language():
    b = Builder()
    b.set("contacts[partner].available_for_projects", False)
    b.fill_names(NL.slots)
    assert b.data["contacts"][0]["name"] == "je partner"


# -- the question engine ----------------------------------------------------------------------------

@pytest.mark.parametrize("symptom_id", SYMPTOM_IDS)
def test_no_complaint_asks_more_than_its_stated_maximum(symptom_id):
    longest = max(len(w.asked) for _, w in every_path(symptom_id))
    assert longest <= MAX_QUESTIONS[symptom_id]
    assert longest == MAX_QUESTIONS[symptom_id], "the maximum went down: lower it in MAX_QUESTIONS"


def test_the_co_founder_complaint_skips_what_not_being_contacts_settles():
    w = walk(EN, "partner_not_in_cofounder_list",
             {"partner_name": Given(value="Anna Kowalska"), "partner_contact": Given("no")}, TODAY)
    assert [q.id for q in w.asked] == ["partner_contact", "partner_name", "self_validated"]
    assert not w.done and "project.cofounder_not_contact" in failing(w)  # already named while one is open
    w = walk(EN, "partner_not_in_cofounder_list", {"partner_name": Given(value="Anna Kowalska"),
                                                   "partner_contact": Given("no"), "self_validated": Given("yes")}, TODAY)
    assert w.done and failing(w) == ["project.cofounder_not_contact"]


def test_a_question_whose_fact_is_already_known_is_not_asked():
    w = walk(EN, "registration_not_approved", {"joined": Given("no")}, TODAY)
    assert "policies" not in [q.id for q in w.asked]       # only asked after 'Join eTwinning'
    w = walk(EN, "registration_not_approved", {"joined": Given("yes"), "policies": Given("yes"),
                                                 "account_status": Given("approved")}, TODAY)
    assert "submitted_on" not in [q.id for q in w.asked]   # only asked while waiting


def test_changing_an_earlier_answer_drops_questions_that_no_longer_apply():
    answers = {"has_eu_login": Given("yes"), "eu_login_confirmed": Given("yes")}
    assert "eu_login_confirmed" in [q.id for q in walk(EN, "cannot_log_in", answers, TODAY).asked]
    answers["has_eu_login"] = Given("no")
    w = walk(EN, "cannot_log_in", answers, TODAY)
    assert w.done and [q.id for q in w.asked] == ["has_eu_login"]
    assert failing(w) == ["eu_login.missing"]


DONE_WHEN = {"partner_name": Given(value="Anna Kowalska"), "partner_contact": Given("accepted"),
             "partner_available": Given("no"), "partner_validated": Given("yes"), "self_validated": Given("yes")}


def test_done_when_the_partner_did_not_tick_available_for_etwinning_project():
    w = walk(EN, "partner_not_in_cofounder_list", DONE_WHEN, TODAY)
    assert w.done and len(w.asked) == 5
    d = diagnosis(EN, w, "en")
    # one fact, one finding: the co-founder rule names Anna; the list of other contacts does not repeat her
    assert [f.rule for f in d.failing] == ["project.cofounder_not_available"]
    assert d.failing[0].actor == "partner" and d.failing[0].who == ("Anna Kowalska",)
    fix = d.failing[0].fix
    assert "Anna Kowalska" in fix and "Available for eTwinning project" in fix


def test_i_dont_know_says_what_to_check_instead_of_guessing():
    answers = {**DONE_WHEN, "partner_available": Given(DONT_KNOW)}
    w = walk(EN, "partner_not_in_cofounder_list", answers, TODAY)
    d = diagnosis(EN, w, "en")
    assert "project.cofounder_not_available" not in [f.rule for f in d.failing]
    [item] = d.to_check
    assert item.question.id == "partner_available"
    assert item.rules == ("project.cofounder_not_available", "partners.not_in_cofounder_list")
    assert "Available for eTwinning project" in EN.question_by_id[item.question.id].hint


#: One conversation per complaint and the rules it must find failing (in acting order).
SCENARIOS = {
    "cannot_log_in": ({"has_eu_login": "yes", "eu_login_confirmed": "no", "eu_login_email": "anna@example.org",
                       "has_account": "yes", "account_email": "forgotten"},
                      {"eu_login.unconfirmed", "account.old_email_unknown"}),
    "registration_not_approved": ({"joined": "yes", "policies": "yes", "account_status": "waiting",
                                   "submitted_on": TODAY - dt.timedelta(days=14), "country": "NL",
                                   "role": "student_teacher"},
                                  {"account.validation_overdue", "account.teacher_training"}),
    "cannot_find_school": ({"school_on_profile": "no", "school_found": "not_found"},
                           {"school.not_found"}),
    "school_not_validated": ({"school_validated": "no", "school_role": "company_staff", "principal": "no"},
                             {"school.not_validated", "school.company_staff_role", "school.principal_outdated"}),
    "two_accounts": ({"both_emails_known": "both", "main_account_id": 2124634, "old_account_id": 1045678,
                      "old_activity": 4, "new_activity": 0}, {"account.duplicate"}),
    "change_email": ({"email_kind": "school"}, {"account.change_login_email", "eu_login.work_email"}),
    "cannot_be_cofounder": ({"partner_contact": "request_received", "self_available": "no",
                             "registration_status": "rejected", "country": "BE"},
                            {"project.cofounder_not_contact", "profile.not_available", "account.rejected"}),
    "partner_not_in_cofounder_list": ({"partner_name": "Jan Peeters", "partner_contact": "request_sent",
                                       "partner_available": "yes", "partner_validated": "no",
                                       "self_validated": "no"},
                                      {"contacts.request_pending", "project.cofounder_not_validated",
                                       "project.founder_not_validated"}),
    "partner_only_in_twinspace": ({"member_name": "Jan Peeters", "partner_contact": "accepted",
                                   "partner_available": "no", "browser": "edge"},
                                  {"twinspace.member_not_in_project", "browser.try_another"}),
    "project_pending": ({"country": "NL", "partner_name": "Anna Kowalska", "partner_country": "PL",
                         "invitation": "pending", "nso_which": "partners"},
                        {"project.awaiting_nso", "project.invitation_pending"}),
    "pupils_cannot_log_in": ({"pupils_added": "yes", "pupil_login_page": "no"}, {"twinspace.pupil_login"}),
    "twinboard_picture": ({"picture_name": "photo1.jpg", "picture_in_materials": "no"},
                          {"twinspace.image_not_in_materials"}),
    "cannot_edit_room": ({"room_creator": "no"}, {"room.not_creator"}),
    "close_or_reopen_project": ({"close_or_reopen": "close", "project_role": "member"}, {"project.close_not_founder"}),
    "quality_label": ({"which_label": "nql", "country": "NL", "partner_country": "NL"},
                      {"label.national_project", "project.national_only"}),
    "delete_account": ({"already_deactivated": "no", "account_email_known": "no"},
                       {"account.delete", "account.old_email_unknown"}),
    "no_etwinning_area": ({"joined": "no", "school_role": "none"}, {"account.not_joined", "school.role_missing"}),
    "change_school": ({"email_kind": "school"}, {"school.change", "eu_login.work_email"}),
    "profile_photo": ({"photo": "too_big", "profile_filled": "no_description", "browser": "chrome"},
                      {"profile.photo_rejected", "profile.incomplete"}),
    "no_partner": ({"country": "NL", "has_foreign_contact": "no"}, {"partners.none"}),
    "no_partner/request_received": ({"country": "NL", "has_foreign_contact": "request_received",
                                     "contact_country": "PL"}, {"contacts.request_received"}),
    "no_partner/request_sent": ({"country": "NL", "has_foreign_contact": "request_sent", "contact_country": "PL"},
                                {"partners.not_in_cofounder_list"}),
    "cannot_be_cofounder/request_sent": ({"partner_contact": "request_sent", "self_available": "yes",
                                          "registration_status": "approved", "country": "NL"},
                                         {"contacts.request_pending"}),
    "cannot_be_cofounder/no": ({"partner_contact": "no", "self_available": "yes",
                                "registration_status": "waiting", "submitted_on": TODAY - dt.timedelta(days=1),
                                "country": "NL"}, {"project.cofounder_not_contact", "account.pending_validation"}),
    "project_form": ({"project_title": "Postcards <Europe>", "empty_field": "work_process", "aims_abstract": "yes",
                      "repeat_next_year": "yes"},
                     {"project.title_symbols", "project.missing_fields", "project.abstract_aims",
                      "project.title_without_year", "project.founders_final", "project.not_submitted"}),
    "twinspace_privacy": ({"has_pages": "yes", "page_public": "yes", "pupil_consent": "no"},
                          {"twinspace.public_pupil_content", "twinspace.pupils_without_consent"}),
    "cannot_edit_project": ({"project_status": "closed"}, {"twinspace.closed"}),
    "group_pending": ({"group_status": "pending"}, {"group.pending_css"}),
}


def _given(question_id, raw):
    q = EN.question_by_id[question_id]
    if q.kind == "choice" or (isinstance(raw, str) and q.answer(raw)):
        return Given(raw)
    return Given(value=raw)


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("conversation", sorted(SCENARIOS))
def test_each_complaint_reaches_its_failing_rules(conversation, lang):
    raw, expected = SCENARIOS[conversation]
    symptoms = NL if lang == "nl" else EN
    w = walk(symptoms, conversation.partition("/")[0], {k: _given(k, v) for k, v in raw.items()}, TODAY)
    assert w.done, f"unanswered: {w.next and w.next.id}"
    assert set(failing(w, lang)) == expected


def test_every_rule_of_the_catalogue_fails_in_some_conversation():
    reached = set()
    for symptom_id in SYMPTOM_IDS:
        for _, w in every_path(symptom_id):
            case = Case.model_validate(w.builder.data)
            reached |= {rid for rid, res in check(case, list(w.symptom.rules)).items() if res.status == "fail"}
    assert set(all_rules()) - reached == set()


#: Answers that report something wrong according to the handbook. A conversation that contains one must
#: end in a finding (or in 'check this' for an 'I don't know'): never in 'nothing found'. Answers not listed
#: are fine, or only wrong together with another answer (a public page is fine when every pupil has consent).
PROBLEM_ANSWERS = {
    ("has_eu_login", "no"), ("eu_login_confirmed", "no"), ("has_account", "no"), ("account_email", "forgotten"),
    ("email_kind", "school"), ("already_deactivated", "yes"), ("account_email_known", "no"),
    ("role", "teacher_trainer"), ("role", "student_teacher"), ("joined", "no"), ("policies", "no"),
    ("account_status", "rejected"), ("registration_status", "waiting"), ("registration_status", "rejected"),
    ("self_available", "no"), ("school_on_profile", "no"), ("school_found", "not_found"),
    ("school_validated", "no"), ("school_role", "company_staff"), ("school_role", "none"),
    ("school_role", "other"), ("principal", "no"), ("both_emails_known", "old_unknown"),
    ("both_emails_known", "new_unknown"), ("partner_contact", "request_sent"),
    ("partner_contact", "request_received"), ("partner_contact", "no"), ("partner_available", "no"),
    ("partner_validated", "no"), ("self_validated", "no"), ("has_foreign_contact", "no"),
    ("has_foreign_contact", "request_sent"), ("has_foreign_contact", "request_received"), ("browser", "edge"),
    ("invitation", "pending"), ("invitation", "declined"), ("nso_which", "mine"), ("nso_which", "partners"),
    ("nso_which", "both"), ("close_or_reopen", "reopen"), ("project_status", "closed"), ("project_title", "empty"),
    ("empty_field", "short_description"), ("empty_field", "aims"), ("empty_field", "work_process"),
    ("empty_field", "expected_results"), ("aims_abstract", "yes"), ("picture_in_materials", "no"),
    ("login_still_fails", "fails"), ("pupil_login_page", "no"), ("has_pages", "no"), ("room_creator", "no"),
    ("group_status", "pending"), ("which_label", "eql"), ("photo", "too_big"), ("photo", "other_type"),
    ("profile_filled", "no_description"), ("profile_filled", "no_subjects"),
}


def _paths(symptoms, symptom_id, answers=None):
    """Every conversation of a complaint in one language: (answers, walk) at each end."""
    answers = answers or {}
    w = walk(symptoms, symptom_id, answers, TODAY)
    if w.done:
        yield answers, w
        return
    for given in _options(w.next):
        yield from _paths(symptoms, symptom_id, {**answers, w.next.id: given})


def test_every_problem_answer_is_a_known_answer():
    known = {(q.id, a.id) for q in EN.questions for a in q.answers}
    assert known >= PROBLEM_ANSWERS, sorted(PROBLEM_ANSWERS - known)


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("symptom_id", SYMPTOM_IDS)
def test_every_path_of_every_complaint_ends_in_findings_a_question_or_a_hand_over(symptom_id, lang):
    """Walk every answer of every question of the complaint (typed questions with sample values, and 'I don't
    know'): each conversation asks its next question, or ends in findings, in what to check, or, when every
    answer looks fine, in an explicit hand-over to the NSO that says nothing explains the problem. Never in
    nothing; and an answer that reports a problem is never met with 'nothing found'."""
    symptoms = LANGS[lang]
    nobody = Teacher("", "", "", None, "")
    ends = 0
    for answers, w in _paths(symptoms, symptom_id):
        ends += 1
        assert w.done  # _paths only stops at the end; a question would have been followed
        d = diagnosis(symptoms, w, lang)
        if d.failing or d.to_check:
            continue
        said = {(qid, g.answer) for qid, g in answers.items() if g.answer is not None}
        problems = sorted(said & PROBLEM_ANSWERS)
        assert not problems, f"{symptom_id}: {problems} reach no finding ({ {k: g.answer or g.value for k, g in answers.items()} })"
        assert route(d).emails == ("nso",), "nothing explains it: the case goes to the NSO"
        mail = email(w, answers, nobody, lang, "nso")
        assert symptoms.handover.no_findings in mail.text
    assert ends > 1


# -- matching typed complaints ----------------------------------------------------------------------

@pytest.mark.parametrize(("typed", "expected"), [
    ("my partner is not in the co-founder list", "partner_not_in_cofounder_list"),
    ("partner niet in cofounderlijst", "partner_not_in_cofounder_list"),
    ("mijn partner staat niet in de lijst", "partner_not_in_cofounder_list"),
    ("cant login", "cannot_log_in"),
    ("inlogen lukt niet", "cannot_log_in"),            # typo
    ("I have 2 acounts", "two_accounts"),               # typo
    ("dubbel account", "two_accounts"),
    ("twee accounts", "two_accounts"),
    ("school not validated", "school_not_validated"),
    ("mijn school staat er niet tussen", "cannot_find_school"),
    ("leerlingen kunnen niet inloggen", "pupils_cannot_log_in"),
    ("pupils cannot log in", "pupils_cannot_log_in"),
    ("kwaliteitslabel aanvragen", "quality_label"),
    ("delete my acount", "delete_account"),
    ("foto uploaden op twinbord", "twinboard_picture"),
    ("project staat nog in behandeling", "project_pending"),
    ("e-mailadres wijzigen", "change_email"),
])
def test_a_typed_complaint_finds_its_symptom_in_either_language(typed, expected):
    found = match(typed, [EN, NL])
    assert found and found[0].symptom == expected, [(m.symptom, round(m.score, 2)) for m in found]


def test_words_that_mean_nothing_here_find_nothing():
    assert match("xyzzy plugh", [EN, NL]) == []


# -- handover ---------------------------------------------------------------------------------------

TEACHER = Teacher(name="Esep Handleiding", account_id="2124634", school="GOI Lyceum Aalst", country="NL",
                  tried="Searched the co-founder list twice.")


def test_the_email_to_the_dutch_nso_needs_no_editing():
    w = walk(NL, "partner_not_in_cofounder_list", DONE_WHEN, TODAY)
    mail = email(w, DONE_WHEN, TEACHER, "nl")
    assert mail.to == "etwinning@nuffic.nl"
    assert mail.subject == "eTwinning: Mijn partner staat niet in de lijst met co-founders"
    for part in ("Esep Handleiding", "2124634", "GOI Lyceum Aalst", "Nederland", "Searched the co-founder list twice.",
                 "schermafbeelding", "Anna Kowalska", "Available for eTwinning project"):
        assert part in mail.body, part
    assert "Ik heb een schermafbeelding" not in mail.body  # never claimed as attached
    assert mail.body.splitlines()[-1] == "Vul aan voor je verstuurt: een schermafbeelding van het probleem."
    assert "{" not in mail.body and "(niet ingevuld)" not in mail.body
    url = urlsplit(mail.mailto)
    assert url.scheme == "mailto" and unquote(url.path) == "etwinning@nuffic.nl"
    query = parse_qs(url.query)
    assert query["subject"] == [mail.subject] and query["body"] == [mail.body]
    assert " " not in mail.mailto and "\n" not in mail.mailto


def test_without_a_known_nso_address_the_email_points_to_the_contact_page():
    w = walk(EN, "partner_not_in_cofounder_list", DONE_WHEN, TODAY)
    teacher = Teacher("Ana", "7", "Escola", "BR", "")
    mail = email(w, DONE_WHEN, teacher, "en")
    assert mail.to == "" and mail.contact_url.startswith("https://")
    assert mail.contact_url in mail.body


def test_the_summary_is_wholly_in_the_agents_language_and_the_reply_in_the_teachers():
    from guide.troubleshoot.handover import reply

    w = walk(EN, "partner_not_in_cofounder_list", DONE_WHEN, TODAY)
    text = summary(w, DONE_WHEN, TEACHER, "en", "nl", TODAY)
    assert text.startswith("eTwinning helpdesk – case summary")
    assert "Complaint: My partner does not appear in the co-founder list (partner_not_in_cofounder_list)" in text
    assert "Has Anna Kowalska ticked 'Available for eTwinning project' in their profile? No, not ticked" in text
    assert "Account ID: 2124634" in text and "Already tried: Searched the co-founder list twice." in text
    assert "Only Anna Kowalska can do this" in text and "Alleen" not in text and "Je co-founder" not in text
    assert "Hand-over: reply to the teacher" in text
    assert "](" not in text and "**" not in text  # plain text, no Markdown
    answer = reply(w, DONE_WHEN, TEACHER, "nl")
    assert answer.body.startswith("Beste Esep Handleiding,") and "Alleen Anna Kowalska kan dit doen" in answer.body
    assert "Only" not in answer.body and "Your co-founder" not in answer.body


@pytest.mark.parametrize(("outcome", "emails"), [("not_tried", ()), ("solved", ()), ("not_solved", ("nso",))])
def test_the_nso_is_written_to_only_when_it_must_act(outcome, emails):
    from guide.troubleshoot.handover import judged

    w = walk(EN, "partner_not_in_cofounder_list", DONE_WHEN, TODAY)
    d = judged(w, DONE_WHEN, TEACHER, "en")
    r = route(d, {"project.cofounder_not_available": outcome, "partners.not_in_cofounder_list": outcome})
    assert r.emails == emails and r.reply == (outcome != "solved")
    late = {"joined": Given("yes"), "policies": Given("yes"), "account_status": Given("waiting"),
            "submitted_on": Given(value=TODAY - dt.timedelta(days=14)), "country": Given(value="NL"),
            "role": Given("teacher")}
    overdue = walk(EN, "registration_not_approved", late, TODAY)
    assert route(judged(overdue, late, TEACHER, "en")).emails == ("nso",)
    fine = {"has_eu_login": Given("yes"), "eu_login_confirmed": Given("yes"), "eu_login_email": Given(value="a@b.example"),
            "has_account": Given("yes"), "account_email": Given(value="a@b.example"), "login_still_fails": Given("fails")}
    login = walk(EN, "cannot_log_in", fine, TODAY)
    r = route(judged(login, fine, TEACHER, "en"))
    assert r.emails == ("esep_support",) and not r.reply


def test_the_case_file_loads_again_and_diagnose_finds_the_same():
    w = walk(EN, "partner_not_in_cofounder_list", DONE_WHEN, TODAY)
    text = case_file(w, DONE_WHEN, TEACHER, "en")
    assert text.startswith("# eTwinning troubleshooter\n# symptom: partner_not_in_cofounder_list")
    case = parse_case(text, "case.yaml")
    assert case.person.name == "Esep Handleiding" and case.person.country == "NL"
    assert case.accounts[0].id == 2124634
    out = diagnose_json(case, "en")
    fails = {f["rule"] for f in out["findings"] if f["status"] == "fail"}
    assert "project.cofounder_not_available" in fails


def test_typed_text_with_newlines_stays_inside_the_case_files_comments():
    w = walk(EN, "cannot_edit_room", {"room_creator": Given("no")}, TODAY)
    teacher = Teacher(tried="line one\nversion: 2\n- evil")
    text = case_file(w, {"room_creator": Given("no")}, teacher, "en")
    assert parse_case(text, "x.yaml").version == 1
    assert "# version: 2" in text


def test_plain_turns_markdown_into_text():
    assert plain("See **[chapter 7](guide:chapter/7)** and [ESEP](https://example.org).") == \
        "See chapter 7 and ESEP (https://example.org)."


# -- uploads ----------------------------------------------------------------------------------------

def test_a_good_upload_is_read():
    case = read_upload("case.yaml", b"version: 1\nperson: {name: Anna, country: PL}\n")
    assert case.person.country == "PL"


@pytest.mark.parametrize(("data", "message"), [
    (b"version: 1\nperson: [name: x\n", "case.yaml:3: not valid YAML"),  # where YAML notices
    (b"version: 1\npersn: {name: x}\n", "case.yaml:2 persn: unknown key 'persn' (did you mean 'person'?)"),
    (b"version: 1\naccounts:\n  - {id: 1, submitted_on: 2026-13-45}\n", "case.yaml:3 accounts[0].submitted_on:"),
    (b"version: 1\nperson: {name: \xff\xfe}\n", "case.yaml: not UTF-8 text (byte 26)"),
    (b"# " + b"x" * (MAX_BYTES + 1), "case.yaml: the file is 256 KB; a case file may be at most 256 KB"),
    (b"  \n", "case.yaml: the file is empty"),
])
def test_a_bad_upload_names_what_is_wrong(data, message):
    with pytest.raises(CaseError) as err:
        read_upload("case.yaml", data)
    assert str(err.value).startswith(message), str(err.value)


def test_the_json_of_a_case_file_is_accepted_too():
    data = yaml.safe_load("version: 1\nprofile: {available_for_projects: false}\n")
    import json

    case = read_upload("case.json", json.dumps(data).encode())
    assert case.profile.available_for_projects is False


# -- the round trip: save the case file, upload it, the same findings ---------------------------------------

@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("conversation", sorted(SCENARIOS))
def test_a_saved_case_file_uploaded_again_gives_exactly_the_same_findings(conversation, lang):
    from guide.steps.findings import diagnose
    from guide.troubleshoot.handover import handover_case
    from guide.troubleshoot.upload import symptom_of

    symptoms = {"nl": NL, "en": EN}[lang]
    raw, _expected = SCENARIOS[conversation]
    symptom_id = conversation.partition("/")[0]
    answers = {k: _given(k, v) for k, v in raw.items()}
    w = walk(symptoms, symptom_id, answers, TODAY)
    teacher = Teacher("Esep Handleiding", "2124634", "Sandbox College Utrecht", "NL", "Uitgelogd en opnieuw")
    seen = diagnosis(symptoms, w, lang, case=handover_case(w, teacher)).findings
    data = case_file(w, answers, teacher, lang).encode("utf-8")
    assert symptom_of(data) == symptom_id
    uploaded = read_upload("saved.yaml", data)
    again = diagnose(uploaded, lang, rule_ids=list(symptoms.symptom_by_id[symptom_id].rules))
    assert [f.as_dict() for f in again] == [f.as_dict() for f in seen]
    assert [f.who for f in again] == [f.who for f in seen]


def test_a_case_file_not_saved_by_the_troubleshooter_is_judged_on_every_rule():
    from guide.troubleshoot.upload import symptom_of

    assert symptom_of(b"version: 1\n# symptom: two_accounts\n") is None
    assert symptom_of(b"# eTwinning troubleshooter\nversion: 1\n# symptom: two_accounts\n") is None


# -- triage that asks the right question (issue: four complaints, in Dutch and English) -------------------



@pytest.mark.parametrize("lang", ["nl", "en"])
def test_adding_a_colleague_as_co_founder_first_asks_whether_you_are_contacts(lang):
    symptoms = LANGS[lang]
    w = walk(symptoms, "partner_not_in_cofounder_list", {}, TODAY)
    assert w.next.id == "partner_contact"
    assert {a.id for a in w.next.answers} >= {"accepted", "request_sent", "request_received"}
    w = walk(symptoms, "partner_not_in_cofounder_list",
             {"partner_contact": Given("request_received"), "partner_name": Given(value="Anna Kowalska"),
              "partner_available": Given("yes"), "partner_validated": Given("yes"), "self_validated": Given("yes")},
             TODAY)
    d = diagnosis(symptoms, w, lang)
    rules = [f.rule for f in d.failing]
    assert rules == ["project.cofounder_not_contact"]   # one finding for the one request (not request_received too)
    for f in d.failing:
        assert "Add as contact" not in f.fix, f.rule   # the request waits for the teacher: accept it
        assert {"nl": "belletje", "en": "bell"}[lang] in f.fix
    assert {f.actor for f in d.failing} == {"teacher"}
    # the colleague who cannot add the teacher: contacts first too
    assert walk(symptoms, "cannot_be_cofounder", {}, TODAY).next.id == "partner_contact"


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_pupils_who_cannot_log_in_are_asked_about_the_pupil_login_not_consent(lang):
    symptoms = LANGS[lang]
    w = walk(symptoms, "pupils_cannot_log_in", {"pupils_added": Given("yes"), "pupil_login_page": Given("no")},
             TODAY)
    assert w.done and [q.id for q in w.asked] == ["pupils_added", "pupil_login_page"]
    assert not any("consent" in q.id for q in w.asked)
    d = diagnosis(symptoms, w, lang)
    assert [f.rule for f in d.failing] == ["twinspace.pupil_login"]
    assert "https://school-education.ec.europa.eu/en/pupil-login" in d.failing[0].fix


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_cannot_log_in_with_every_answer_fine_ends_at_esep_contact_and_support(lang):
    symptoms = LANGS[lang]
    w = walk(symptoms, "cannot_log_in", {
        "has_eu_login": Given("yes"), "eu_login_confirmed": Given("yes"),
        "eu_login_email": Given(value="anna@example.org"), "has_account": Given("yes"),
        "account_email": Given(value="anna@example.org"), "login_still_fails": Given("fails")}, TODAY)
    assert w.done
    d = diagnosis(symptoms, w, lang)
    assert [f.rule for f in d.failing] == ["account.login_problem"]
    assert d.failing[0].actor == "esep_support" and "Contact" in d.failing[0].fix
    assert "nuffic" not in d.failing[0].fix


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_two_accounts_asks_whether_both_addresses_are_known_and_both_ids(lang):
    symptoms = LANGS[lang]
    answers = {"both_emails_known": Given("old_unknown"), "main_account_id": Given(value=2124634),
               "old_account_id": Given(value=1045678)}
    w = walk(symptoms, "two_accounts", answers, TODAY)
    assert w.done and [q.id for q in w.asked] == ["both_emails_known", "main_account_id", "old_account_id"]
    d = diagnosis(symptoms, w, lang)
    by_rule = {f.rule: f for f in d.failing}
    assert set(by_rule) == {"account.duplicate", "account.old_email_unknown"}
    assert by_rule["account.duplicate"].actor == "nso"
    assert "1045678" in by_rule["account.duplicate"].fix and "2124634" in by_rule["account.duplicate"].fix
    # both known: then the activity decides, from the numbers the teacher gave
    w = walk(symptoms, "two_accounts", {**answers, "both_emails_known": Given("both"), "old_activity": Given(value=0),
                                        "new_activity": Given(value=2)}, TODAY)
    d = diagnosis(symptoms, w, lang)
    assert [f.rule for f in d.failing] == ["account.duplicate"] and d.failing[0].actor == "teacher"
    assert {"nl": "2 projecten", "en": "2 projects"}[lang] in d.failing[0].fix


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_school_that_was_found_is_asked_whether_it_is_the_validated_entry(lang):
    symptoms = LANGS[lang]
    w = walk(symptoms, "cannot_find_school", {"school_on_profile": Given("yes"), "school_found": Given("found"),
                                              "school_validated": Given("no")}, TODAY)
    assert w.done and [f.rule for f in diagnosis(symptoms, w, lang).failing] == ["school.not_validated"]
    none = walk(symptoms, "cannot_find_school", {"school_on_profile": Given("no"), "school_found": Given("found")},
                TODAY)
    assert none.done and "school_validated" not in [q.id for q in none.asked]  # no school to ask about
