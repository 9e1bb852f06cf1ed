"""The practice sandbox page under the real Streamlit runtime: screens for every action, refusals worded
by the refusing rule, the co-founder list, photo bytes, the clock, scenarios and the case file."""

from __future__ import annotations

import pytest
from apptest_tools import by_key, choose_screen, shown, walk
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
    choose_screen(at, "nso_remove_account")
    text = " ".join(str(getattr(n, "value", "")) for n in walk(at.main))
    assert "De NSO verwijdert een account" in text  # a phrase of ours, translated


def drawn_screens(at: AppTest) -> list[str]:
    return [str(n.key) for n in walk(at.main) if str(getattr(n, "key", "")).startswith("sb_screen_")]


@pytest.mark.parametrize("part", sorted({a.part for a in ACTIONS.values() if a.part}))
@pytest.mark.parametrize(("lang", "start"), [("nl", "blank"), ("en", "ready-to-create-project"),
                                             ("nl", "closed-project-edit")])
def test_every_part_lists_its_screens_and_draws_each_one_at_a_time(lang, part, start):
    case = Case() if start == "blank" else load_scenario(start)
    at = sandbox(lang, case, part)
    assert by_key(at, "sb_part").value == part
    chooser = by_key(at, "sb_screen")
    actions = in_part(part)  # a learner: their own screens, then what others do
    names = [a.name for a in actions if a.by_teacher] + [a.name for a in actions if not a.by_teacher]
    assert chooser.options == [chooser.format_func(n) for n in names]
    assert drawn_screens(at) == [f"sb_screen_{chooser.value}"]
    for name in names:  # each screen draws, alone
        choose_screen(at, name)
        assert drawn_screens(at) == [f"sb_screen_{name}"]


@pytest.mark.parametrize("lang", LANGS)
def test_the_chooser_opens_the_next_steps_screen_and_follows_a_success(lang):
    t = translator(lang).gettext
    at = sandbox(lang, Case(), "account")
    assert by_key(at, "sb_screen").value == "create_eu_login", "the journey starts with an EU Login"
    by_key(at, "sb_create_eu_login_email").set_value("esep@example.org")
    by_key(at, "sb_create_eu_login_submit").click()
    run(at)
    assert by_key(at, "sb_screen").value == "confirm_eu_login", "on to the next step's screen"
    assert drawn_screens(at) == ["sb_screen_confirm_eu_login"]
    done = [s.value for s in at.success]
    assert done == [t("{screen} — {outcome}").format(screen="**'Create account' > 'Create EU Login'**",
                                                      outcome=t("Done."))], "what was just done stays said"
    by_key(at, "sb_confirm_eu_login_submit").click()
    run(at)
    assert by_key(at, "sb_screen").value == "register_account"
    assert len(at.success) == 1 and "EU Login" in at.success[0].value  # only the last action's confirmation
    choose_screen(at, "join_etwinning")
    assert not at.success, "another screen chosen: the last outcome is gone"


def test_a_school_search_moves_on_to_its_results_and_an_empty_one_stays_to_search_again():
    at = sandbox("en", load_scenario("waiting-for-validation").model_copy(update={"organisations": []}), "profile")
    choose_screen(at, "search_schools")
    by_key(at, "sb_search_schools_city").set_value("Nowhere at all")
    by_key(at, "sb_search_schools_submit").click()
    run(at)
    assert by_key(at, "sb_screen").value == "search_schools", "no school found: the search stays"
    by_key(at, "sb_search_schools_city").set_value("Utrecht")
    by_key(at, "sb_search_schools_submit").click()
    run(at)
    assert by_key(at, "sb_screen").value == "add_organisation", "the same step's next screen: the results"
    assert by_key(at, "sb_add_organisation_school").options


@pytest.mark.parametrize("lang", LANGS)
def test_a_refusal_keeps_the_screen_and_a_part_change_resets_it(lang):
    at = sandbox(lang, Case(), "account")
    choose_screen(at, "join_etwinning")
    by_key(at, "sb_join_etwinning_submit").click()
    run(at)
    assert by_key(at, "sb_screen").value == "join_etwinning", "a refusal stays on its screen"
    assert any(rule_title(lang, "eu_login.missing") in e.value for e in at.error)
    by_key(at, "sb_part").set_value("profile")
    run(at)
    assert by_key(at, "sb_screen").value == "set_available", "the first screen when no step of the part is next"
    by_key(at, "sb_part").set_value("account")
    run(at)
    assert by_key(at, "sb_screen").value == "create_eu_login", "back in a part: its default, the next step's"


@pytest.mark.parametrize("lang", LANGS)
def test_a_refused_action_shows_the_refusing_rules_fix(lang):
    at = choose_screen(sandbox(lang, Case(), "account"), "join_etwinning")
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
    at = choose_screen(sandbox(lang, case, "project"), "create_project")
    assert by_key(at, "sb_create_project_cofounder").options == cofounder_options(case) == ["Erika Mustermann"]


@pytest.mark.parametrize("lang", LANGS)
def test_a_photo_is_judged_on_its_bytes(lang):
    case = load_scenario("ready-to-create-project")
    at = choose_screen(sandbox(lang, case, "profile"), "upload_photo")
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
    at = choose_screen(sandbox(lang, case, "project"), "create_project")
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
    assert t("Goal reached! Well done.") not in shown(at)
    by_key(at, "sb_part").set_value("profile")
    run(at)
    choose_screen(at, "set_available")
    by_key(at, "sb_set_available_available").set_value(True)
    by_key(at, "sb_set_available_submit").click()
    run(at)
    assert t("Goal reached! Well done.") in shown(at)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_link_to_a_scenario_opens_it_and_never_calls_an_empty_sandbox_the_goal(lang):
    # /sandbox?scenario=cofounder-not-available opened in a fresh browser: the goal was judged on an empty
    # sandbox, where nothing fails, and read 'Goal reached!'. The link now loads the scenario's start.
    t = translator(lang).gettext
    at = AppTest.from_file("../app.py", default_timeout=60)
    at.query_params.update({"lang": lang, "scenario": "cofounder-not-available"})
    at._page_hash = calc_hash("sandbox")
    run(at)
    assert t("Goal reached! Well done.") not in shown(at)
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
