"""The start page and the guided flows page under the real Streamlit runtime, in Dutch and English."""

from __future__ import annotations

import pytest
from apptest_tools import by_key, shown, walk
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from guide.case.model import Case, Contact
from guide.content.loader import load_content
from guide.i18n import translator
from guide.sandbox.scenarios import load_scenario

LANGS = ("nl", "en")





def page_links(at: AppTest) -> list:
    return [n for n in walk(at.main) if getattr(n, "type", None) == "page_link"]


def open_page(url_path: str, lang: str, case: Case | None = None, progress=None, **params) -> AppTest:
    at = AppTest.from_file("../app.py", default_timeout=60)
    at.query_params.update({"lang": lang, **params})
    at._page_hash = calc_hash(url_path)
    if case is not None:
        at.session_state["case"] = case
    if progress is not None:
        at.session_state["progress"] = progress
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def t(lang: str, message: str) -> str:
    return translator(lang).gettext(message)


def rule_title(lang: str, rule_id: str) -> str:
    return load_content(lang).rule_texts[rule_id].title


def step_title(lang: str, step_id: str) -> str:
    return load_content(lang).step_by_id[step_id][2].title


# -- start page ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_start_page_shows_the_one_next_step_with_a_link_to_it(lang):
    at = open_page("start", lang)
    assert at.title[0].value == t(lang, "Where am I?")
    assert step_title(lang, "1a.create-account") in [s.value for s in at.header]
    links = page_links(at)
    go = next(n for n in links if n.proto.label == t(lang, "Go to this step"))
    assert go.proto.page == "flows"
    assert "flow=account" in go.proto.query_string and "step=1a.create-account" in go.proto.query_string
    assert rule_title(lang, "eu_login.missing") in shown(at), "the next step's blocker is named"
    assert load_content(lang).get("flows.yaml").ways_to_fill in shown(at), "the two ways to fill the case"


@pytest.mark.parametrize("lang", LANGS)
def test_start_page_progress_follows_the_case(lang):
    at = open_page("start", lang, case=load_scenario("ready-to-create-project"))
    flows = load_content(lang).get("flows.yaml").flows
    text = shown(at)
    assert f":material/check_circle: **{flows[0].title}**" in text  # account: proved by the case
    assert f":material/radio_button_unchecked: **{flows[3].title}**" in text  # project: still open
    bar = at.sidebar.get("progress")[0]
    assert bar.value > 0


# -- guided flows ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_a_deep_link_opens_that_step(lang):
    at = open_page("flows", lang, flow="profile", step="3a.available-for-projects")
    assert by_key(at, "flows_step").value == "3a.available-for-projects"
    assert by_key(at, "flows_flow").value == "profile"
    assert "Available for eTwinning project" in shown(at)


@pytest.mark.parametrize("lang", LANGS)
def test_an_unknown_step_in_the_link_says_so_and_shows_the_next_step(lang):
    at = open_page("flows", lang, step="3a.no-such-step")
    wrong_link = t(lang, "The link points to a step this guide does not know; here is your next step instead.")
    assert wrong_link in [w.value for w in at.warning], "the reader is told the link is wrong"
    assert by_key(at, "flows_step").value == "1a.create-account"


@pytest.mark.parametrize("lang", LANGS)
def test_check_shows_the_fix_in_place_with_a_chapter_link_and_done_is_disabled(lang):
    case = load_scenario("profile-not-available")
    at = open_page("flows", lang, case=case, flow="profile", step="3a.available-for-projects")
    assert not at.error, "no fix is shown before 'Check'"
    by_key(at, "flows_check").click()
    at.run()
    errors = [e.value for e in at.error]
    assert any(rule_title(lang, "profile.not_available") in e for e in errors)
    assert any(f"/handbook?lang={lang}&chapter=3" in e for e in errors)
    # the fix card says who acts before the fix
    assert any({"nl": "Je kunt dit zelf oplossen", "en": "You can fix this"}[lang] in e for e in errors)
    keys = {getattr(n, "key", None) for n in walk(at.main)}
    assert "flows_done" not in keys, "the case shows this step: answering or the sandbox does it, not a click"
    assert rule_title(lang, "profile.not_available") in "\n".join(c.value for c in at.caption)


@pytest.mark.parametrize("lang", LANGS)
def test_a_self_check_answer_fills_the_case_and_the_fix_goes(lang):
    case = load_scenario("profile-not-available")
    at = open_page("flows", lang, case=case, flow="profile", step="3a.available-for-projects")
    by_key(at, "flows_check").click()
    at.run()
    assert by_key(at, "flows_q_available-ticked").value == "no", "the question reads the case"
    by_key(at, "flows_q_available-ticked").set_value("yes")
    at.run()
    assert at.session_state["case"].profile.available_for_projects is True
    assert not any(rule_title(lang, "profile.not_available") in e.value for e in at.error)
    assert at.success, "the check now passes"


@pytest.mark.parametrize("lang", LANGS)
def test_skipping_keeps_the_mark_and_says_what_it_costs(lang):
    case = load_scenario("profile-not-available")
    at = open_page("flows", lang, case=case, flow="profile", step="3a.available-for-projects")
    by_key(at, "flows_skip").click()
    at.run()
    assert at.session_state["progress"] == {"3a.available-for-projects": "skipped"}
    warning = "\n".join(w.value for w in at.warning)
    assert rule_title(lang, "profile.not_available") in warning
    assert load_content(lang).get("flows.yaml").skip_cost in warning
    by_key(at, "flows_unmark").click()
    at.run()
    assert at.session_state["progress"] == {}


@pytest.mark.parametrize("lang", LANGS)
def test_marking_done_records_progress_and_moves_to_the_next_step(lang):
    case = load_scenario("ready-to-create-project")
    at = open_page("flows", lang, case=case, flow="rooms-groups", step="10-rooms.join-room")
    assert not by_key(at, "flows_done").disabled  # no fact of the case shows joining a room: the teacher says so
    assert any(t(lang, "Your case in this app has no fact that shows this step: mark it done yourself when you "
                       "have done it on ESEP.") in c.value.split("\n\n") for c in at.caption)
    by_key(at, "flows_done").click()
    at.run()
    assert at.session_state["progress"]["10-rooms.join-room"] == "done"
    assert at.query_params["step"] != "10-rooms.join-room"
    assert by_key(at, "flows_step").value == at.query_params["step"]
    bar = at.sidebar.get("progress")[0]
    assert bar.value > 0


@pytest.mark.parametrize("lang", LANGS)
def test_typed_names_in_a_fix_are_plain_text(lang):
    case = load_scenario("ready-to-create-project")
    evil = "Ann *bold* [x](http://evil.example)"
    case = case.model_copy(update={"contacts": [*case.contacts, Contact(name=evil, country="PL",
                                                                        available_for_projects=False)]})
    case = case.model_copy(update={"projects": []})
    from guide.case.model import Cofounder, Project

    case.projects = [Project(title="Postcards 2026-2027", cofounders=[Cofounder(name=evil, invitation="pending")],
                             status="pending")]
    at = open_page("flows", lang, case=case, flow="project", step="7a.select-cofounder")
    by_key(at, "flows_check").click()
    at.run()
    text = "\n".join(e.value for e in at.error)
    # escaped, with an invisible word joiner after ':' and before '.' (Streamlit links addresses otherwise)
    assert r"\*bold\*" in text and "\\[x\\]\\(http:\u2060//evil\u2060\\.example\\)" in text
    assert "[x](http://evil.example)" not in text


def _all_steps():
    flows = load_content("en").get("flows.yaml").flows
    return [pytest.param(f.id, s.id, id=s.id) for f in flows for s in f.steps]


@pytest.mark.parametrize(("flow", "step"), _all_steps())
def test_every_flow_step_has_a_working_deep_link(flow, step):
    from urllib.parse import parse_qsl, urlsplit

    at = open_page("flows", "en", flow=flow, step=step)
    link = next(m.value for m in at.markdown if "Link to this](/flows?" in m.value)
    url = link[link.index("Link to this](") + len("Link to this]("):link.rindex(")")]
    parts = urlsplit(url)
    assert parts.path == "/flows" and dict(parse_qsl(parts.query)) == {"lang": "en", "flow": flow, "step": step}
    assert by_key(at, "flows_step").value == step and by_key(at, "flows_flow").value == flow
    wrong_link = t("en", "The link points to a step this guide does not know; here is your next step instead.")
    assert wrong_link not in [w.value for w in at.warning]


@pytest.mark.parametrize("lang", LANGS)
def test_check_verifies_and_moves_on_to_the_next_step(lang):
    case = load_scenario("profile-not-available")
    at = open_page("flows", lang, case=case, flow="profile", step="3a.available-for-projects")
    by_key(at, "flows_q_available-ticked").set_value("yes")
    at.run()
    by_key(at, "flows_check").click()
    at.run()
    assert at.query_params["step"] != "3a.available-for-projects", "the next step opens"
    passed = t(lang, "Check passed: '{title}' is done. Here is your next step.").format(
        title=step_title(lang, "3a.available-for-projects"))
    assert passed in [s.value for s in at.success]
    assert at.session_state["progress"] == {}, "done because the case shows it, not by a mark"


@pytest.mark.parametrize("lang", LANGS)
def test_a_new_teacher_sees_not_answered_yet_and_step_one_has_a_question(lang):
    at = open_page("flows", lang)
    assert by_key(at, "flows_step").value == "1a.create-account"  # the next step of a new teacher
    at = open_page("flows", lang, flow="account", step="1a.create-account")
    question = by_key(at, "flows_q_has-eu-login")  # the question of step 2 is asked at step 1 too: no dead end
    assert question.value is None, "nothing pre-filled for a new teacher"
    for qid in ("registered-on-esep", "available-ticked"):
        flow, step = ("account", "2.register-with-eu-login") if qid == "registered-on-esep" else (
            "profile", "3a.available-for-projects")
        other = open_page("flows", lang, flow=flow, step=step)
        assert by_key(other, f"flows_q_{qid}").value is None
    question.set_value("yes")
    at.run()
    assert by_key(at, "flows_q_has-eu-login").value == "yes"
    assert at.session_state["answers"] == {"has-eu-login": "yes"}
