"""The troubleshooter page as a helpdesk agent uses it (AppTest, the whole app, real content)."""

from __future__ import annotations

from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from apptest_tools import open_page, texts, walk

from guide.content.loader import load_content

SYMPTOM = "partner_not_in_cofounder_list"


def q(question_id: str, part: str = "", symptom: str = SYMPTOM) -> str:
    return f"ts_q_{symptom}_{question_id}{part}"


def _codes(at) -> list[str]:
    return [c.value for c in at.code]


def _link_buttons(at):
    return [n for n in walk(at.main) if type(n).__name__ == "LinkButton" or getattr(n, "type", "") == "link_button"]


def answer_done_when(at):
    """Pick the co-founder complaint and answer as the 'Done when' of the issue says."""
    at.button(key=f"ts_sym_{SYMPTOM}").click().run()
    at.radio(key=q("partner_contact")).set_value("accepted").run()   # contacts first
    at.text_input(key=q("partner_name", "_value")).input("Anna Kowalska").run()
    at.radio(key=q("partner_available")).set_value("no").run()
    at.radio(key=q("partner_validated")).set_value("yes").run()
    at.radio(key=q("self_validated")).set_value("yes").run()
    return at


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_done_when_partner_missing_from_the_cofounder_list(lang):
    at = open_page("troubleshoot", lang).run()
    assert not at.exception
    answer_done_when(at)
    assert not at.exception, [e.value for e in at.exception]
    assert at.query_params["symptom"] == [SYMPTOM] or at.query_params["symptom"] == SYMPTOM
    assert len(at.radio) + len(at.text_input) >= 5
    shown = texts(at)
    fix = next(t for t in shown if "Available for eTwinning project" in t and "Anna Kowalska" in t)
    assert fix, "the fix names the partner and the box"

    at.text_input(key="ts_name").input("Esep Handleiding").run()
    at.text_input(key="ts_account").input("2124634").run()
    at.text_input(key="ts_school").input("GOI Lyceum Aalst").run()
    at.selectbox(key="ts_country").set_value("NL").run()
    at.text_area(key="ts_tried").input("Looked for Anna in the list twice.").run()
    assert not at.exception

    symptoms = load_content(lang).get("symptoms.yaml")
    title = symptoms.symptom_by_id[SYMPTOM].title
    codes = _codes(at)
    summary = next(c for c in codes if c.startswith(symptoms.handover.summary_title))
    for part in ("Esep Handleiding", "2124634", "GOI Lyceum Aalst", "Looked for Anna in the list twice.", title,
                 "Anna Kowalska", "Available for eTwinning project"):
        assert part in summary, part
    # only Anna can act (her tick box): a reply to the teacher with the steps, no e-mail to the NSO yet
    reply = next(c for c in codes if c.startswith("Subject: ") and title in c.splitlines()[0])
    assert "Anna Kowalska" in reply and "Esep Handleiding" in reply
    assert not any(c.startswith("To: etwinning@nuffic.nl") for c in codes)
    assert not _link_buttons(at)

    # the teacher tried it and it did not help: now the NSO must look, by e-mail to the Dutch NSO
    at.radio(key="ts_outcome_partner_not_in_cofounder_list_project.cofounder_not_available").set_value(
        "not_solved").run()
    codes = _codes(at)
    mail = next(c for c in codes if c.startswith("To: etwinning@nuffic.nl"))
    subject = symptoms.handover.email_subject.format(symptom=title)
    assert f"Subject: {subject}" in mail
    for part in ("Esep Handleiding", "2124634", "GOI Lyceum Aalst", "Looked for Anna in the list twice.",
                 symptoms.handover.outcomes["not_solved"]):
        assert part in mail, part
    assert symptoms.handover.missing["screenshot"] in mail    # asked for, never claimed as attached
    [link] = _link_buttons(at)
    url = urlsplit(link.proto.url)
    assert url.scheme == "mailto" and unquote(url.path) == "etwinning@nuffic.nl"
    assert parse_qs(url.query)["subject"] == [subject]
    assert "Anna Kowalska" in parse_qs(url.query)["body"][0]
    downloads = {b.proto.label for b in at.get("download_button")}
    assert len(downloads) == 4  # reply, e-mail, summary, case file


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_what_the_teacher_did_not_say_is_asked_never_filled_in(lang):
    at = answer_done_when(open_page("troubleshoot", lang).run())
    symptoms = load_content(lang).get("symptoms.yaml")
    h = symptoms.handover
    summary = next(c for c in _codes(at) if c.startswith(h.summary_title))
    for key in ("name", "account_id", "school", "country"):
        assert h.ask[key] in summary, key
    assert h.not_given not in summary.split(h.summary_labels["answers"])[0]
    at.radio(key="ts_outcome_partner_not_in_cofounder_list_project.cofounder_not_available").set_value(
        "not_solved").run()
    mail = next(c for c in _codes(at) if c.startswith("Subject: ") and "\n\n" + h.greeting_nso in c)
    for key in ("name", "account_id", "school"):
        assert h.missing[key] in mail.splitlines()[-1], key
    assert h.summary_labels["name"] + ":" not in mail


def test_each_text_is_wholly_in_one_language():
    at = open_page("troubleshoot", "en").run()
    at.selectbox(key="ts_teacher_lang").set_value("nl").run()
    answer_done_when(at)
    at.selectbox(key="ts_country").set_value("NL").run()
    at.radio(key="ts_outcome_partner_not_in_cofounder_list_project.cofounder_not_available").set_value(
        "not_solved").run()
    en_title = load_content("en").get("rules.yaml").rules["project.cofounder_not_available"].title
    nl_title = load_content("nl").get("rules.yaml").rules["project.cofounder_not_available"].title
    codes = _codes(at)
    summary = next(c for c in codes if c.startswith("eTwinning helpdesk – case summary"))
    assert "Complaint: My partner does not appear in the co-founder list" in summary
    assert en_title in summary and nl_title not in summary and "Only Anna Kowalska can do this" in summary
    mail = next(c for c in codes if c.startswith("To: etwinning@nuffic.nl"))
    assert "Beste eTwinning-supportteam" in mail and nl_title in mail and en_title not in mail
    reply = next(c for c in codes if c.startswith("Subject: Je vraag over eTwinning"))
    assert nl_title in reply and en_title not in reply and "Alleen Anna Kowalska kan dit doen" in reply


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_saved_case_file_uploaded_again_shows_the_same_findings(lang):
    import datetime as dt

    from guide.troubleshoot.engine import Given, walk
    from guide.troubleshoot.handover import Teacher, case_file

    at = answer_done_when(open_page("troubleshoot", lang).run())
    at.text_input(key="ts_name").input("Esep Handleiding").run()
    at.selectbox(key="ts_country").set_value("NL").run()
    cards = [b.value for b in [*at.error, *at.warning, *at.info] if "**" in b.value]
    assert cards
    symptoms = load_content(lang).get("symptoms.yaml")
    answers = {"partner_contact": Given("accepted"), "partner_name": Given(value="Anna Kowalska"),
               "partner_available": Given("no"), "partner_validated": Given("yes"), "self_validated": Given("yes")}
    w = walk(symptoms, SYMPTOM, answers, dt.date.today())
    saved = case_file(w, answers, Teacher("Esep Handleiding", country="NL"), lang).encode("utf-8")
    again = open_page("troubleshoot", lang).run()
    again.file_uploader(key="ts_upload").set_value(("saved.yaml", saved, "application/x-yaml")).run()
    assert not again.exception
    shown = [b.value for b in [*again.error, *again.warning, *again.info] if "**" in b.value]
    assert shown == cards, "no false blockers: the complaint's own checks, the same findings"


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_deep_link_opens_the_complaint_with_its_first_question(lang):
    at = open_page("troubleshoot", lang, symptom="cannot_edit_room").run()
    assert not at.exception
    title = load_content(lang).get("symptoms.yaml").symptom_by_id["cannot_edit_room"].title
    assert at.header[0].value == title
    assert at.radio(key=q("room_creator", symptom="cannot_edit_room")).value is None
    at.radio(key=q("room_creator", symptom="cannot_edit_room")).set_value("no").run()
    assert any("room" in t.lower() for t in texts(at))
    at.button(key="ts_reset").click().run()
    assert "symptom" not in at.query_params
    assert at.button(key="ts_sym_cannot_edit_room")


def test_an_unknown_complaint_in_a_link_says_so_and_lists_the_others():
    at = open_page("troubleshoot", "en", symptom="no_such_thing").run()
    assert not at.exception
    assert at.warning and "does not know" in at.warning[0].value
    assert at.button(key=f"ts_sym_{SYMPTOM}")


@pytest.mark.parametrize(("lang", "typed"), [("nl", "partner niet in cofounderlijst"),
                                             ("en", "my partner is not in the co-founder list"),
                                             ("en", "mijn partner staat niet in de lijst")])
def test_typing_the_complaint_finds_it(lang, typed):
    at = open_page("troubleshoot", lang).run()
    at.text_input(key="ts_search").input(typed).run()
    at.button(key=f"ts_match_{SYMPTOM}").click().run()
    assert at.radio(key=q("partner_contact"))


def test_i_dont_know_shows_what_to_check():
    at = open_page("troubleshoot", "en").run()
    at.button(key=f"ts_sym_{SYMPTOM}").click().run()
    at.radio(key=q("partner_contact")).set_value("accepted").run()
    at.text_input(key=q("partner_name", "_value")).input("Anna Kowalska").run()
    at.radio(key=q("partner_available")).set_value("dont_know").run()
    at.radio(key=q("partner_validated")).set_value("yes").run()
    at.radio(key=q("self_validated")).set_value("yes").run()
    shown = texts(at)
    assert "**Still to check**" in shown
    hint = load_content("en").get("symptoms.yaml").question_by_id["partner_available"].hint
    assert any(hint in t for t in shown)


def test_a_typed_name_is_never_read_as_markdown():
    at = open_page("troubleshoot", "en").run()
    at.button(key=f"ts_sym_{SYMPTOM}").click().run()
    at.radio(key=q("partner_contact")).set_value("accepted").run()
    at.text_input(key=q("partner_name", "_value")).input("[click](https://evil.example) **Anna**").run()
    label = at.radio(key=q("partner_available")).label
    assert "\\[click\\]\\(https://evil\\.example\\) \\*\\*Anna\\*\\*" in label


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_an_uploaded_case_file_is_diagnosed(lang):
    at = open_page("troubleshoot", lang).run()
    data = b"version: 1\nperson: {name: Anna, country: PL}\nprofile: {available_for_projects: false}\n"
    at.file_uploader(key="ts_upload").set_value(("anna.yaml", data, "application/x-yaml")).run()
    assert not at.exception
    title = load_content(lang).get("rules.yaml").rules["profile.not_available"].title
    assert any(title in t for t in texts(at))


@pytest.mark.parametrize(("data", "problem"), [
    (b"version: 1\nperson: {name: x\n", "bad.yaml:3: not valid YAML"),
    (b"version: 1\npersn: {name: x}\n", "bad.yaml:2 persn: unknown key 'persn' (did you mean 'person'?)"),
    (b"version: 1\naccounts:\n  - {submitted_on: 2026-02-30}\n", "bad.yaml:3 accounts[0].submitted_on:"),
    (b"version: 1\nperson: {name: \xe9}\n", "bad.yaml: not UTF-8 text"),
    (b"#" * (300 * 1024), "bad.yaml: the file is 300 KB; a case file may be at most 256 KB"),
])
def test_a_bad_upload_gets_a_clear_message_not_a_traceback(data, problem):
    at = open_page("troubleshoot", "en").run()
    at.file_uploader(key="ts_upload").set_value(("bad.yaml", data, "application/x-yaml")).run()
    assert not at.exception
    assert at.error and "not a valid case file" in at.error[0].value
    assert any(c.startswith(problem) for c in _codes(at)), _codes(at)


# -- a bad case file, in the reader's language ---------------------------------------------------------

HOSTILE = '<img src=x onerror=alert(1)> **bold** :red[x] \\u202e'
#: (file bytes, what the troubleshooter says about it in nl and in en): one line per problem, the whole line
BAD_UPLOADS = [
    ("broken YAML", b"version: 1\nperson: {name: x\n", {
        "nl": "bad.yaml, regel 3: geen geldige YAML: in een mapping tussen { }: de verwachte ',' of '}' ontbreekt",
        "en": "bad.yaml:3: not valid YAML: while parsing a flow mapping did not find expected ',' or '}'"}),
    ("unknown key", b"version: 1\npersn: {name: x}\n", {
        "nl": "bad.yaml, regel 2, persn: onbekende sleutel 'persn' (bedoel je 'person'?)",
        "en": "bad.yaml:2 persn: unknown key 'persn' (did you mean 'person'?)"}),
    ("country code", b"version: 1\ncontacts:\n  - {name: Anna, country: XX}\n", {
        "nl": "bad.yaml, regel 3, contacts[0].country (Land): 'XX' is geen landcode volgens ISO 3166-1 alpha-2 "
              "(bijvoorbeeld NL, BE, PL)",
        "en": "bad.yaml:3 contacts[0].country: 'XX' is not an ISO 3166-1 alpha-2 country code (e.g. NL, BE, PL)"}),
    ("date", b"version: 1\naccounts:\n  - {submitted_on: 2026-02-30}\n", {
        "nl": "bad.yaml, regel 3, accounts[0].submitted_on: verwacht een datum zoals 2026-11-28, maar dit is "
              "'2026-02-30' (die dag bestaat niet in die maand)",
        "en": "bad.yaml:3 accounts[0].submitted_on: expected a date like 2026-11-28, got '2026-02-30' "
              "(day value is outside expected range)"}),
    ("types", b"version: 1\nperson: {role: boss}\nwants: create_project\nprofile: {available_for_projects: misschien}\n", {
        "nl": "bad.yaml, regel 2, person.role (Jouw rol): 'boss' is geen mogelijke waarde; verwacht 'teacher', "
              "'head', 'teacher_trainer', 'student_teacher' of 'other'\n"
              "bad.yaml, regel 3, wants: verwacht een lijst, maar dit is tekst\n"
              "bad.yaml, regel 4, profile.available_for_projects: verwacht true of false, maar dit is 'misschien'",
        "en": "bad.yaml:2 person.role: got 'boss'; expected 'teacher', 'head', 'teacher_trainer', 'student_teacher' "
              "or 'other'\n"
              "bad.yaml:3 wants: expected a list, got str\n"
              "bad.yaml:4 profile.available_for_projects: expected true or false, got 'misschien'"}),
    ("too big", b"#" * (300 * 1024), {
        "nl": "bad.yaml: het bestand is 300 KB; een casusbestand mag hoogstens 256 KB zijn",
        "en": "bad.yaml: the file is 300 KB; a case file may be at most 256 KB"}),
    ("hostile value", f'version: 1\nperson: {{country: "{HOSTILE}"}}\n'.encode(), {
        "nl": "bad.yaml, regel 2, person.country (Land): '<img src=x onerror=alert(1)> **bold** :red[x] \\u202e' "
              "is geen landcode volgens ISO 3166-1 alpha-2 (bijvoorbeeld NL, BE, PL)",
        "en": "bad.yaml:2 person.country: '<img src=x onerror=alert(1)> **bold** :red[x] \\u202e' is not an "
              "ISO 3166-1 alpha-2 country code (e.g. NL, BE, PL)"}),
]
#: English words of the messages that must not be left in a Dutch one
ENGLISH = ("expected", "unknown key", "not valid", "got ", "did you mean", "while parsing", "line ", "the file",
           "is not an")


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_bad_upload_is_worded_in_the_readers_language_and_nothing_entered_is_lost(lang):
    at = open_page("troubleshoot", lang).run()
    # what the agent entered before: the complaint's first answers and the teacher's name in the hand-over
    at.button(key=f"ts_sym_{SYMPTOM}").click().run()
    at.radio(key=q("partner_contact")).set_value("accepted").run()
    at.text_input(key=q("partner_name", "_value")).input("Anna Kowalska").run()
    at.radio(key=q("partner_available")).set_value("no").run()
    at.radio(key=q("partner_validated")).set_value("yes").run()
    at.radio(key=q("self_validated")).set_value("yes").run()
    at.text_input(key="ts_name").input("Esep Handleiding").run()
    heading = {"nl": "Dit bestand is geen geldig casusbestand.", "en": "This file is not a valid case file."}[lang]
    for what, data, says in BAD_UPLOADS:
        at.file_uploader(key="ts_upload").set_value(("bad.yaml", data, "application/x-yaml")).run()
        assert not at.exception, (what, [e.value for e in at.exception])
        assert [e for e in at.error if e.value.startswith(heading)], what
        [problems] = [c for c in _codes(at) if c.startswith("bad.yaml")]
        assert problems == says[lang], what
        if lang == "nl":
            assert not [w for w in ENGLISH if w in problems], (what, problems)
        # the file's text is shown as plain text (a code block), never as Markdown or HTML
        markdown = "\n".join(str(m.value) for m in [*at.markdown, *at.error, *at.warning, *at.info, *at.caption])
        assert "<img" not in markdown and "bold" not in markdown and "persn" not in markdown, what
    # nothing entered is lost: the answers and the name are there, and a good file is diagnosed after the bad ones
    assert at.radio(key=q("partner_contact")).value == "accepted"
    assert at.text_input(key=q("partner_name", "_value")).value == "Anna Kowalska"
    assert at.text_input(key="ts_name").value == "Esep Handleiding"
    good = b"version: 1\nperson: {name: Anna, country: PL}\nprofile: {available_for_projects: false}\n"
    at.file_uploader(key="ts_upload").set_value(("anna.yaml", good, "application/x-yaml")).run()
    title = load_content(lang).get("rules.yaml").rules["profile.not_available"].title
    assert not at.exception and any(title in t for t in texts(at))
    assert at.radio(key=q("self_validated")).value == "yes" and at.text_input(key="ts_name").value == "Esep Handleiding"
