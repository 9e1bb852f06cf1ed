"""The practice sandbox page under the real Streamlit runtime: screens for every action, refusals worded
by the refusing rule, the co-founder list, photo bytes, the clock, scenarios and the case file."""

from __future__ import annotations

import pytest
from apptest_tools import by_key, shown, walk
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from guide.case.model import Case, dump_case, parse_case
from guide.content.loader import load_content
from guide.i18n import format_date, translator
from guide.sandbox.actions import ACTIONS, cofounder_options, in_part
from guide.sandbox.scenarios import load_scenario
from guide.ui.pages.sandbox_screens import SCREENS

LANGS = ("nl", "en")
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 2048





def sandbox(lang: str, case: Case | None = None, part: str | None = None) -> AppTest:
    at = AppTest.from_file("../app.py", default_timeout=60)
    at.query_params.update({"lang": lang, **({"part": part} if part else {})})
    at._page_hash = calc_hash("sandbox")
    if case is not None:
        at.session_state["case"] = case
    return run(at)


def run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def rule_title(lang: str, rule_id: str) -> str:
    return load_content(lang).rule_texts[rule_id].title


def test_every_sandbox_action_has_a_screen():
    assert sorted(SCREENS) == sorted(a for a in ACTIONS if a != "advance_clock")


def test_a_screen_is_titled_as_its_action_is_declared():
    at = sandbox("nl", Case(), "account")
    text = " ".join(str(getattr(n, "value", "")) for n in walk(at.main))
    assert "'Create account' > 'Create EU Login'" in text  # the platform's words, as they are
    assert "De NSO verwijdert een account" in text  # a phrase of ours, translated


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("part", sorted({a.part for a in ACTIONS.values() if a.part}))
@pytest.mark.parametrize("start", ["blank", "ready-to-create-project", "closed-project-edit"])
def test_every_part_renders_its_screens(lang, part, start):
    case = Case() if start == "blank" else load_scenario(start)
    at = sandbox(lang, case, part)
    assert by_key(at, "sb_part").value == part
    screens = {n.key for n in walk(at.main) if str(getattr(n, "key", "")).startswith("sb_screen_")}
    assert screens == {f"sb_screen_{a.name}" for a in in_part(part)}


@pytest.mark.parametrize("lang", LANGS)
def test_a_refused_action_shows_the_refusing_rules_fix(lang):
    at = sandbox(lang, Case(), "account")
    by_key(at, "sb_join_etwinning_submit").click()
    run(at)
    assert any(rule_title(lang, "eu_login.missing") in e.value for e in at.error)
    assert f"/handbook?lang={lang}&chapter=1" in shown(at)


@pytest.mark.parametrize("lang", LANGS)
def test_a_successful_action_confirms_and_changes_the_case(lang):
    at = sandbox(lang, Case(), "account")
    by_key(at, "sb_create_eu_login_email").set_value("esep@example.org")
    by_key(at, "sb_create_eu_login_submit").click()
    run(at)
    assert at.session_state["case"].eu_login.email == "esep@example.org"
    assert at.success


@pytest.mark.parametrize("lang", LANGS)
def test_the_cofounder_list_offers_only_available_validated_contacts(lang):
    case = load_scenario("ready-to-create-project")
    at = sandbox(lang, case, "project")
    assert by_key(at, "sb_create_project_cofounder").options == cofounder_options(case) == ["Erika Mustermann"]


@pytest.mark.parametrize("lang", LANGS)
def test_a_photo_is_judged_on_its_bytes(lang):
    case = load_scenario("ready-to-create-project")
    at = sandbox(lang, case, "profile")
    uploader = by_key(at, "sb_upload_photo_file")
    assert sorted(uploader.allowed_type) == [".gif", ".jpeg", ".jpg", ".png"]
    uploader.upload("me.png", PNG, "image/png")
    by_key(at, "sb_upload_photo_submit").click()
    run(at)
    assert at.session_state["case"].profile.photo.type == "png"
    by_key(at, "sb_upload_photo_file").set_value(("me.jpg", b"this is a text file", "image/jpeg"))
    by_key(at, "sb_upload_photo_submit").click()
    run(at)
    assert any(rule_title(lang, "profile.photo_rejected") in w.value for w in at.warning)
    assert at.session_state["case"].profile.photo.type == "png", "a refused upload keeps the earlier photo"


@pytest.mark.parametrize("lang", LANGS)
def test_the_clock_moves_a_day_and_the_nso_validates_after_two_working_days(lang):
    case = load_scenario("waiting-for-validation")
    at = sandbox(lang, case)
    today = translator(lang).gettext("Today in the sandbox: **{date}**").format(date=format_date(case.today, lang))
    assert today in shown(at)
    for _day in range(6):
        by_key(at, "sb_next_day").click()
        run(at)
        if at.session_state["case"].account.status == "validated":
            break
    after = at.session_state["case"]
    assert after.account.status == "validated" and after.today > case.today
    assert format_date(after.today, lang) in shown(at)


@pytest.mark.parametrize("lang", LANGS)
def test_a_scenario_loads_by_its_title_and_the_case_file_round_trips(lang):
    at = sandbox(lang, Case())
    titles = {s.id: s.title for s in load_content(lang).get("scenarios.yaml").scenarios}
    pick = by_key(at, "sb_scenario")
    assert titles["cofounder-not-available"] in pick.proto.options
    pick.set_value("cofounder-not-available")
    by_key(at, "sb_load").click()
    run(at)
    case = at.session_state["case"]
    assert case == load_scenario("cofounder-not-available")
    assert not [c for c in at.code if c.value.startswith("version: 1")], "made only when opened"
    at.session_state["sb_case_file_open"] = True  # the reader opens 'The sandbox as a case file'
    run(at)
    code = [c.value for c in at.code if c.value.startswith("version: 1")]
    assert code == [dump_case(case).rstrip("\n")]
    assert parse_case(code[0]) == case
    assert by_key(at, "sb_download").proto.label == translator(lang).gettext("Save as case file")


@pytest.mark.parametrize("lang", LANGS)
def test_typed_titles_are_never_markdown(lang):
    case = load_scenario("ready-to-create-project")
    at = sandbox(lang, case, "project")
    by_key(at, "sb_create_project_title").set_value("**Big** <b>news</b> [x](http://evil.example)")
    by_key(at, "sb_create_project_cofounder").set_value("Erika Mustermann")
    by_key(at, "sb_create_project_submit").click()
    run(at)
    refusal = "\n".join(e.value for e in at.error)
    assert rule_title(lang, "project.title_symbols") in refusal
    assert "<b>" not in refusal and "[x](http" not in refusal
    assert {"nl": "Je kunt dit zelf oplossen", "en": "You can fix this"}[lang] in refusal


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_loaded_scenario_shows_its_goal_and_goal_reached_the_moment_it_is(lang):
    t = translator(lang).gettext
    at = sandbox(lang)
    by_key(at, "sb_scenario").set_value("profile-not-available")
    by_key(at, "sb_load").click()
    run(at)
    scenario = next(s for s in load_content(lang).get("scenarios.yaml").scenarios if s.id == "profile-not-available")
    assert scenario.goal in shown(at) and scenario.description in shown(at)
    assert at.query_params["scenario"] == "profile-not-available"  # a reload keeps the exercise
    assert not any(t("Goal reached! Well done.") == s.value for s in at.success)
    by_key(at, "sb_part").set_value("profile")
    run(at)
    by_key(at, "sb_set_available_available").set_value(True)
    by_key(at, "sb_set_available_submit").click()
    run(at)
    assert any(t("Goal reached! Well done.") == s.value for s in at.success)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_link_to_a_scenario_opens_it_and_never_calls_an_empty_sandbox_the_goal(lang):
    # /sandbox?scenario=cofounder-not-available opened in a fresh browser: the goal was judged on an empty
    # sandbox, where nothing fails, and read 'Goal reached!'. The link now loads the scenario's start.
    t = translator(lang).gettext
    at = AppTest.from_file("../app.py", default_timeout=60)
    at.query_params.update({"lang": lang, "scenario": "cofounder-not-available"})
    at._page_hash = calc_hash("sandbox")
    run(at)
    assert not any(t("Goal reached! Well done.") == s.value for s in at.success)
    assert at.session_state["case"] == load_scenario("cofounder-not-available")
    scenario = next(s for s in load_content(lang).get("scenarios.yaml").scenarios if s.id == "cofounder-not-available")
    assert scenario.goal in shown(at)
    assert at.query_params["scenario"] == "cofounder-not-available"
    assert by_key(at, "sb_scenario").value == "cofounder-not-available"  # the list shows what is loaded


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_scenario_link_keeps_what_the_learner_did_and_ignores_names_that_are_no_scenario(lang):
    practised = load_scenario("cannot-log-in")  # what this sandbox holds now, not the link's start
    at = AppTest.from_file("../app.py", default_timeout=60)
    at.query_params.update({"lang": lang, "scenario": "profile-not-available"})
    at._page_hash = calc_hash("sandbox")
    at.session_state["case"] = practised  # F5, or a link opened, after practising
    run(at)
    assert at.session_state["case"] == practised != load_scenario("profile-not-available")
    hostile = AppTest.from_file("../app.py", default_timeout=60)
    hostile.query_params.update({"lang": lang, "scenario": "../../etc/passwd"})
    hostile._page_hash = calc_hash("sandbox")
    run(hostile)
    assert hostile.session_state["case"] == Case() and "scenario" not in hostile.query_params
