"""The sandbox's forms in the reader's language (issue #14 item 5): validation messages through the
catalog naming the field by the label the form shows, 'privé' understood, no Streamlit 'No results' in an
empty co-founder list, and the platform's buttons known in both languages shown in the reader's language
with the other in brackets."""

from __future__ import annotations

import pytest
from apptest_tools import by_key, choose_screen, walk
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from guide.case.model import Case
from guide.i18n import translator
from guide.sandbox.actions import ActionError, apply
from guide.sandbox.registration import email_kind_of
from guide.sandbox.scenarios import load_scenario

WJ = "\u2060"  # escape_markdown's invisible word joiner after ':' and before a domain's '.'
RAW_NAMES = ("email_kind", "account_id", "school_id", "short_description", "cofounder:", "email:")


def sandbox(lang: str, case: Case, part: str) -> AppTest:
    at = AppTest.from_file("../app.py", default_timeout=60)
    at.query_params.update({"lang": lang, "part": part})
    at._page_hash = calc_hash("sandbox")
    at.session_state["case"] = case
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize("typed, kind", [("privé", "private"), ("Prive", "private"), ("private", "private"),
                                         ("School", "school"), (" school ", "school"), (None, None)])
def test_the_kind_of_address_is_understood_in_either_language(typed, kind):
    assert email_kind_of(typed) == kind
    assert apply(Case(), "create_eu_login", email="juf@example.org", email_kind=typed).case.eu_login.email_kind \
        == kind


def test_a_kind_it_does_not_know_is_answered_in_the_readers_language():
    with pytest.raises(ActionError) as caught:
        apply(Case(), "create_eu_login", email="juf@example.org", email_kind="werk")
    nl = caught.value.text(translator("nl").gettext, lambda field: "'Soort adres'")
    assert nl == "'Soort adres': 'werk' is niet 'privé' en niet 'school'"
    assert str(caught.value) == "email_kind: 'werk' is neither 'private' nor 'school'"


@pytest.mark.parametrize("lang, expected", [
    ("nl", "De oefenomgeving kan dit niet: 'E-mail': '' is geen e-mailadres (bijvoorbeeld naam@example.org)"),
    ("en", "The sandbox cannot do this: 'E-mail': '' is not an e-mail address (for example name@example.org)"),
])
def test_an_empty_e_mail_is_named_by_its_label_in_the_readers_language(lang, expected):
    at = sandbox(lang, Case(), "account")
    by_key(at, "sb_create_eu_login_submit").click()
    at.run()
    errors = [e.value for e in at.error]
    assert [e.replace("\\", "").replace(WJ, "") for e in errors] == [expected]
    assert not any(raw in errors[0] for raw in RAW_NAMES)


@pytest.mark.parametrize("lang, expected", [
    ("nl", "'Project': een Nationaal Kwaliteitslabel vraag je aan met een project: kies er een"),
    ("en", "'Project': a National Quality Label is applied for with a project: choose one"),
])
def test_a_label_without_its_project_is_named_by_the_field(lang, expected):
    at = choose_screen(sandbox(lang, Case(), "closing-labels"), "apply_label")
    assert by_key(at, "sb_apply_label_kind").value == "NQL" and by_key(at, "sb_apply_label_project").value is None
    by_key(at, "sb_apply_label_submit").click()
    at.run()
    errors = [e.value.replace("\\", "").replace(WJ, "") for e in at.error]
    assert len(errors) == 1 and errors[0].endswith(expected), errors
    assert "project=" not in errors[0]


@pytest.mark.parametrize("lang, expected", [
    ("nl", "'Title': er bestaat al een project met de titel 'Postcards 2027'"),
    ("en", "'Title': a project titled 'Postcards 2027' exists already"),
])
def test_a_title_used_twice_is_named_by_the_forms_label(lang, expected):
    at = sandbox(lang, load_scenario("ready-to-create-project"), "project")
    for _twice in range(2):
        choose_screen(at, "create_project")  # after the first, the chooser moved on to the next step's screen
        by_key(at, "sb_create_project_cofounder").set_value("Erika Mustermann")
        by_key(at, "sb_create_project_title").set_value("Postcards 2027")
        for field in ("short_description", "aims", "work_process", "expected_results"):
            by_key(at, f"sb_create_project_{field}").set_value("Pupils write postcards to each other in English.")
        by_key(at, "sb_create_project_submit").click()
        at.run()
    errors = [e.value.replace("\\", "").replace(WJ, "") for e in at.error]
    assert len(errors) == 1 and expected in errors[0], errors
    assert len(at.session_state["case"].projects) == 1


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_an_empty_cofounder_list_says_why_instead_of_no_results(lang):
    at = choose_screen(sandbox(lang, Case(), "project"), "create_project")
    keys = {getattr(n, "key", None) for n in walk(at.main)}
    assert "sb_create_project_cofounder" not in keys  # no empty list that only says 'No results'
    _ = translator(lang).gettext
    assert any(_("Nobody to choose yet: only contacts who ticked 'Available for eTwinning project' and are "
                 "validated appear here.") == c.value for c in at.caption)
    by_key(at, "sb_create_project_submit").click()
    at.run()
    assert [e.value for e in at.error][0].replace("\\", "").replace(WJ, "").startswith(
        _("The sandbox cannot do this:") + " 'Co-founder': ")


@pytest.mark.parametrize("lang, next_, finish, join", [
    ("nl", "Volgende (Next)", "Voltooien (Finish)", "Aansluiten bij eTwinning (Join eTwinning)"),
    ("en", "Next (Volgende)", "Finish (Voltooien)", "Join eTwinning (Aansluiten bij eTwinning)"),
])
def test_platform_buttons_known_in_both_languages(lang, next_, finish, join):
    at = choose_screen(sandbox(lang, Case(), "profile"), "accept_policies")
    assert by_key(at, "sb_accept_policies_submit").proto.label == next_
    choose_screen(at, "submit_registration")
    assert by_key(at, "sb_submit_registration_submit").proto.label == finish
    at = choose_screen(sandbox(lang, Case(), "account"), "join_etwinning")
    assert by_key(at, "sb_join_etwinning_submit").proto.label == join
