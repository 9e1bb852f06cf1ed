"""A whole journey under the real Streamlit runtime, in Dutch and in English: from a blank sandbox to a
TwinSpace with a page, driving the sandbox's screens by their keys and pressing 'Check' in the guided
flows, where each step's fixes appear while the case is wrong and are gone once it is right."""

from __future__ import annotations

import pytest
from apptest_tools import by_key, choose_screen, shown, walk
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from guide.case.model import Case
from guide.content.loader import load_content

TIMEOUT = 60





def goto(at: AppTest, url_path: str, lang: str, **params: str) -> AppTest:
    at.query_params.clear()
    at.query_params.update({"lang": lang, **params})
    at._page_hash = calc_hash(url_path)
    return at.run()


def ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    return at


class Journey:
    def __init__(self, lang: str):
        self.lang = lang
        self.at = AppTest.from_file("../app.py", default_timeout=TIMEOUT)
        self.texts = load_content(lang).rule_texts

    @property
    def case(self) -> Case:
        return self.at.session_state["case"]

    def sandbox(self, part: str) -> None:
        ok(goto(self.at, "sandbox", self.lang))
        by_key(self.at, "sb_part").set_value(part)
        ok(self.at.run())

    def screen(self, action: str) -> None:
        """Open a sandbox screen with the chooser (a success has often moved it there already)."""
        choose_screen(self.at, action)

    def press(self, key: str) -> None:
        by_key(self.at, key).click()
        ok(self.at.run())

    def fill(self, key: str, value) -> None:
        by_key(self.at, key).set_value(value)

    def check(self, flow: str, step: str) -> str:
        """Open the step in the guided flows, press 'Check', return what the page shows."""
        ok(goto(self.at, "flows", self.lang, flow=flow, step=step))
        self.press("flows_check")
        return shown(self.at)

    def title(self, rule_id: str) -> str:
        return self.texts[rule_id].title


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_blank_sandbox_to_a_twinspace_page(lang):
    j = Journey(lang)
    ok(goto(j.at, "sandbox", lang))
    j.fill("sb_scenario", "blank-start")
    j.press("sb_load")
    assert j.case.today is not None and j.case.eu_login is None

    # EU Login: the fix shows until there is one, confirmed
    assert j.title("eu_login.missing") in j.check("account", "1a.create-eu-login")
    j.sandbox("account")
    j.screen("create_eu_login")
    j.fill("sb_create_eu_login_email", "esephandleiding@gmail.com")
    j.press("sb_create_eu_login_submit")
    j.screen("confirm_eu_login")
    j.press("sb_confirm_eu_login_submit")
    after = j.check("account", "1a.create-eu-login")
    assert j.title("eu_login.missing") not in after
    assert j.title("eu_login.unconfirmed") not in j.check("account", "1b.confirm-email")

    # the platform account, with the same e-mail, and 'Join eTwinning'
    j.sandbox("account")
    j.screen("register_account")
    j.fill("sb_register_account_email", "esephandleiding@gmail.com")
    j.press("sb_register_account_submit")
    assert j.title("account.not_joined") in j.check("account", "2.join-etwinning")
    j.sandbox("account")
    j.screen("join_etwinning")
    j.press("sb_join_etwinning_submit")
    assert j.title("account.not_joined") not in j.check("account", "2.join-etwinning")
    assert j.case.account.joined_etwinning

    # profile: the 'Available for eTwinning project' fix shows before ticking the box and is gone after
    assert j.title("profile.not_available") in j.check("profile", "3a.available-for-projects")
    assert "flows_done" not in {getattr(n, "key", None) for n in walk(j.at.main)}, "the case shows it, no click"
    j.sandbox("profile")
    j.screen("set_available")
    j.fill("sb_set_available_available", True)
    j.press("sb_set_available_submit")
    assert j.title("profile.not_available") not in j.check("profile", "3a.available-for-projects")
    assert j.at.query_params["step"] != "3a.available-for-projects", "Check passed: the next step opens"

    # school, policies, submit; simulated days pass until the NSO has validated the account
    j.sandbox("profile")
    j.screen("search_schools")
    j.fill("sb_search_schools_city", "Utrecht")
    j.press("sb_search_schools_submit")
    j.screen("add_organisation")
    j.fill("sb_add_organisation_school", 900101)
    j.fill("sb_add_organisation_role", "teacher")
    j.press("sb_add_organisation_submit")
    assert [o.id for o in j.case.organisations] == [900101]
    j.screen("accept_policies")
    j.fill("sb_accept_policies_ticked", True)
    j.press("sb_accept_policies_submit")
    j.screen("submit_registration")
    j.press("sb_submit_registration_submit")
    assert j.case.account.status == "pending"
    for _day in range(5):
        if j.case.account.status == "validated":
            break
        j.press("sb_next_day")
    assert j.case.account.status == "validated"

    # a partner abroad who accepts at once and ticked the box
    j.sandbox("partners")
    j.screen("send_contact_request")
    j.fill("sb_send_contact_request_name", "Erika Mustermann")
    j.press("sb_send_contact_request_submit")
    assert j.case.contact("Erika Mustermann").status == "accepted"

    # the project: a title with a symbol is refused with the rule's fix; a clean one is registered
    j.sandbox("project")
    j.screen("create_project")
    assert by_key(j.at, "sb_create_project_cofounder").options == ["Erika Mustermann"]
    for field, value in {"title": "Postcards <2026-2027>", "short_description": "Postcards between two schools",
                         "aims": "Writing in English", "work_process": "One postcard a month",
                         "expected_results": "A TwinBoard of postcards"}.items():
        j.fill(f"sb_create_project_{field}", value)
    j.fill("sb_create_project_cofounder", "Erika Mustermann")
    j.press("sb_create_project_submit")
    assert j.title("project.title_symbols") in shown(j.at)
    assert j.case.projects == []
    j.fill("sb_create_project_title", "Postcards 2026-2027")
    j.press("sb_create_project_submit")
    assert [p.title for p in j.case.projects] == ["Postcards 2026-2027"]
    assert j.title("project.awaiting_nso") in j.check("project", "7c.cofounder-accepts")
    j.sandbox("project")
    j.screen("nso_approve")
    j.fill("sb_nso_approve_project", "Postcards 2026-2027")
    j.press("sb_nso_approve_submit")
    assert j.case.projects[0].status == "active"

    # TwinSpace: no pages yet is flagged; after 'create page' it is gone
    assert j.title("twinspace.no_pages") in j.check("twinspace", "9a.create-page")
    j.sandbox("twinspace")
    j.screen("add_page")
    j.fill("sb_add_page_project", "Postcards 2026-2027")
    j.fill("sb_add_page_title", "Kennismaking")
    j.press("sb_add_page_submit")
    assert j.title("twinspace.no_pages") not in j.check("twinspace", "9a.create-page")

    # the start page shows the progress the case proves, and one next step
    ok(goto(j.at, "start", lang))
    text = shown(j.at)
    account = load_content(lang).get("flows.yaml").flows[0]
    assert f":material/check_circle: **{account.title}**" in text, "the case proves the account part done"
    assert j.title("eu_login.missing") not in text
    assert j.title("profile.not_available") not in text
