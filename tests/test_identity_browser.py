"""One journey per person, in a real browser (Debian's chromium) against the real app processes.

Two app processes share one throwaway PostgreSQL (tests/pg.py), as two replicas behind a load balancer
would; a browser context is one person's browser (its cookie jar). (a) self-check answers survive a reload;
(b) the sandbox alone moves the journey; (c) a trainer and three participants, 'Open my sandbox', the board,
reloads; (d) a restart mid-journey; (e) the next page served by the other process (in (a), (b) and (c)).
Each journey is walked once, in both languages: a person switches language on the way ((a), (b)) or the
people in it speak different ones ((c), (d)), so each sees what they saved worded in the language they read
it in. Every assertion reads what the person sees in their language. (The staging journey,
test_staging_browser, walks the board and a participant's notice in each language in full.)
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from appserver import AppServer, choose_screen, click_and_wait, no_exception, settle, shot, until_rerun
from pg import fresh_database
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from guide.content.loader import load_content
from guide.flows.journey import flows_of
from guide.i18n import translator
from guide.store.engine import get_engine
from guide.workshop import service

#: the walks run on one worker (pytest-xdist --dist loadgroup), which starts the two replicas once for them
pytestmark = pytest.mark.xdist_group("identity")

SECRET = re.compile(r"(resume|seat|key)=[A-Za-z0-9_-]{20,}")


@pytest.fixture(scope="module")
def servers():
    """Two app processes ('replicas') on one PostgreSQL database."""
    env = {"GUIDE_DATABASE_URL": fresh_database()}
    a, b = AppServer("replica-a", env), AppServer("replica-b", env)
    try:
        a.start()
        b.start()
        yield a, b
    finally:
        a.stop()
        b.stop()


def progress_text(page: Page) -> str:
    return page.locator("[data-testid='stSidebar'] [data-testid='stProgress']").first.inner_text()


JOURNEY = "Your journey: {done} of {total} steps done"


def journey(page: Page, lang: str) -> tuple[int, int]:
    """(steps done, steps in all) as the sidebar's progress bar says them, in `lang`'s words."""
    pattern = re.escape(translator(lang).gettext(JOURNEY))
    for field in ("{done}", "{total}"):
        pattern = pattern.replace(re.escape(field), r"(\d+)")
    text = progress_text(page)
    found = re.fullmatch(pattern, text.strip())
    assert found, (lang, text)
    return int(found[1]), int(found[2])


def answer(page: Page, question_id: str, label: str) -> None:
    until_rerun(page, page.locator(f".st-key-flows_q_{question_id}").get_by_text(label, exact=True).click)


def checked(page: Page, question_id: str, expected: bool = True) -> str | None:
    """The label of the question's chosen answer (None: not answered), once the page shows the question."""
    expect(page.locator(f".st-key-flows_q_{question_id} input[type=radio]").first).to_be_visible()
    box = page.locator(f".st-key-flows_q_{question_id} input[type=radio]:checked")
    if expected:
        expect(box).to_have_count(1)
    if box.count() == 0:
        return None
    return box.first.locator("xpath=ancestor::label[1]").inner_text().strip()


def question(lang: str, qid: str):
    for flow in flows_of(load_content(lang)).flows:
        for step in flow.steps:
            for q in step.questions:
                if q.id == qid:
                    return flow.id, step.id, q
    raise KeyError(qid)


QUESTIONS = ("has-eu-login", "eu-login-confirmed", "registered-on-esep")


def test_a_self_check_answers_survive_a_reload_and_the_other_replica_in_the_other_language(servers, people):
    """Answered in Dutch; after F5 still there; the next page, from the other replica, in English: the same
    answers and the same count, in English words (answers are kept by what they mean, not by their words)."""
    a, b = servers
    page = people("nl")
    page.goto(f"{a.url}/flows?lang=nl&flow=account&step=1a.create-eu-login")
    settle(page)
    assert checked(page, "has-eu-login", expected=False) is None  # a new teacher: not answered yet, nothing pre-filled
    for qid in QUESTIONS:
        flow, step, q = question("nl", qid)
        page.goto(f"{a.url}/flows?lang=nl&flow={flow}&step={step}")
        settle(page)
        answer(page, qid, q.answers[0].label)
        no_exception(page)
    before = journey(page, "nl")
    assert before[0] > 0, before

    page.reload()  # F5
    settle(page)
    assert journey(page, "nl") == before
    assert checked(page, "registered-on-esep") == question("nl", "registered-on-esep")[2].answers[0].label
    assert not SECRET.search(page.url), page.url

    flow, step, q = question("en", "has-eu-login")
    page.goto(f"{b.url}/flows?lang=en&flow={flow}&step={step}")  # the other replica serves the next page
    settle(page)
    assert journey(page, "en") == before
    assert checked(page, "has-eu-login") == q.answers[0].label


def fill(page: Page, key: str, value: str) -> None:
    box = page.locator(f".st-key-{key} input, .st-key-{key} textarea").first
    box.fill(value)


def press(page: Page, key: str) -> None:
    """Click a button and wait for the rerun it causes to finish (a fixed pause missed slow reruns on a busy
    machine, and the next page load then cut the action off before it was saved)."""
    click_and_wait(page, page.locator(f".st-key-{key} button").first)


def choose(page: Page, key: str, option: str) -> None:
    """Pick an option of a selectbox (the list may need a second click while the page re-renders)."""
    wanted = page.get_by_role("option", name=option).first
    for _attempt in range(3):
        page.locator(f".st-key-{key}").click()
        try:
            wanted.wait_for(state="visible", timeout=5_000)
            break
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
            settle(page)
    wanted.click()


def sandbox_part(page: Page, base: str, lang: str, part: str) -> None:
    page.goto(f"{base}/sandbox?lang={lang}&part={part}")  # a new page load: the journey must still be there
    settle(page)


def case_yaml(page: Page) -> str:
    """The case file as 'The sandbox as a case file' shows it; the expander is opened first (it is made
    only when opened)."""
    box = page.locator(".st-key-sb_case_file_open")
    code = box.locator("[data-testid='stCode']")
    if code.count() == 0:
        box.locator("summary").first.click()
        code.first.wait_for(state="visible", timeout=30_000)
    return code.last.text_content() or ""


def test_b_the_sandbox_alone_moves_the_journey_without_a_click_on_mark_as_done(servers, people):
    """The account and the profile done in the English sandbox, partners and project in the Dutch one; the
    Dutch start page, on the other replica, shows all four parts done and names the next step as the sandbox
    did."""
    a, b = servers
    page = people("en")
    sandbox_part(page, a.url, "en", "account")
    choose_screen(page, "create_eu_login")
    fill(page, "sb_create_eu_login_email", "esephandleiding@gmail.com")
    press(page, "sb_create_eu_login_submit")
    choose_screen(page, "confirm_eu_login")
    press(page, "sb_confirm_eu_login_submit")
    choose_screen(page, "register_account")
    fill(page, "sb_register_account_email", "esephandleiding@gmail.com")
    press(page, "sb_register_account_submit")
    choose_screen(page, "join_etwinning")
    press(page, "sb_join_etwinning_submit")

    sandbox_part(page, b.url, "en", "profile")  # the other replica serves the rest of the profile
    choose_screen(page, "set_available")
    page.locator(".st-key-sb_set_available_available label").click()
    press(page, "sb_set_available_submit")
    choose_screen(page, "edit_profile")
    fill(page, "sb_edit_profile_description", "Docent Engels in de onderbouw")
    fill(page, "sb_edit_profile_subjects", "Engels")
    fill(page, "sb_edit_profile_languages", "nl, en")
    press(page, "sb_edit_profile_submit")
    choose_screen(page, "upload_photo")
    page.locator(".st-key-sb_upload_photo_file input[type=file]").set_input_files(
        files=[{"name": "me.jpg", "mimeType": "image/jpeg", "buffer": b"\xff\xd8\xff\xe0" + b"0" * 4000}])
    # the form shows the chosen file (its Upload button waits, disabled, until the file has reached the server)
    expect(page.locator(".st-key-sb_upload_photo_file")).to_contain_text("me.jpg")
    press(page, "sb_upload_photo_submit")
    choose_screen(page, "search_schools")
    fill(page, "sb_search_schools_city", "Utrecht")
    press(page, "sb_search_schools_submit")
    choose_screen(page, "add_organisation")
    page.locator(".st-key-sb_add_organisation_school").get_by_text("Sandbox College Utrecht", exact=False).click()
    choose(page, "sb_add_organisation_role", "Teacher")
    press(page, "sb_add_organisation_submit")
    choose_screen(page, "accept_policies")
    page.locator(".st-key-sb_accept_policies_ticked label").click()
    press(page, "sb_accept_policies_submit")
    choose_screen(page, "submit_registration")
    press(page, "sb_submit_registration_submit")
    for _day in range(6):
        if "status: validated" in case_yaml(page):
            break
        press(page, "sb_next_day")
    assert "status: validated" in case_yaml(page)

    lang = "nl"  # the teacher switches language: the sandbox and the journey stay theirs
    _ = translator(lang).gettext
    sandbox_part(page, a.url, lang, "partners")
    choose_screen(page, "send_contact_request")
    choose(page, "sb_send_contact_request_name", "Erika Mustermann")
    press(page, "sb_send_contact_request_submit")

    sandbox_part(page, a.url, lang, "project")
    choose_screen(page, "create_project")
    choose(page, "sb_create_project_cofounder", "Erika Mustermann")
    for field, value in {"title": "Postcards 2026-2027", "short_description": "Postcards between two schools",
                         "aims": "Writing in English", "work_process": "One postcard a month",
                         "expected_results": "A TwinBoard of postcards"}.items():
        fill(page, f"sb_create_project_{field}", value)
    press(page, "sb_create_project_submit")
    choose_screen(page, "nso_approve")
    press(page, "sb_nso_approve_submit")
    assert "status: active" in case_yaml(page)
    sandbox_next = page.locator("[data-testid='stMain'] [data-testid='stPageLink']").last.inner_text()

    page.goto(f"{b.url}/start?lang={lang}")
    settle(page)
    main = page.locator("[data-testid='stMain']").inner_text()
    flows = {f.id: f for f in flows_of(load_content(lang)).flows}
    for part in ("account", "profile", "partners", "project"):
        assert f"{flows[part].title} — {_('done')}" in main, (part, main)
    nxt = next(s for s in flows["twinspace"].steps)  # the first step not done
    title = load_content(lang).step_by_id[nxt.id][2].title
    assert title in main and title in sandbox_next, "Start and the sandbox name the same next step"
    assert not SECRET.search(page.url)


def _button(page: Page, label: str):
    return page.get_by_role("button", name=label, exact=True)


#: the participants' nicknames and languages (a workshop's participants choose their own); the first follows
#: 'Open my sandbox'
MEMBERS = (("Anouk", "en"), ("Bram", "nl"), ("Chris", "en"))


def test_c_a_trainer_and_three_participants_keep_their_seats_and_the_board(servers, people):
    """A Dutch trainer and three participants, each in their own browser, two of them in English."""
    a, b = servers
    lang, members = "nl", MEMBERS
    tr = translator(lang).gettext
    trainer = people(lang)
    trainer.goto(f"{a.url}/trainer?lang={lang}")
    settle(trainer)
    # the create form (a busy machine once took over 30 s to show it: wait for what the trainer would see)
    expect(_button(trainer, tr("Create workshop"))).to_be_visible(timeout=90_000)
    trainer.locator("[data-testid='stForm'] input").first.fill("Onboarding")
    _button(trainer, tr("Create workshop")).click()
    settle(trainer)
    no_exception(trainer)
    code = trainer.locator("[data-testid='stMetricValue']").first.inner_text().strip()
    assert re.fullmatch(r"[A-Z2-9]{6}", code), code
    assert not SECRET.search(trainer.url) and "/trainer?" not in trainer.locator("[data-testid='stMain']").inner_text()

    seated = []
    for i, (nickname, their) in enumerate(members):
        p = people(their)
        p.goto(f"{(a if i % 2 == 0 else b).url}/workshop?lang={their}&code={code}")
        settle(p)
        p.locator("[data-testid='stForm'] input").nth(1).fill(nickname)
        _button(p, translator(their).gettext("Join")).click()
        settle(p)
        no_exception(p)
        assert nickname in p.locator("[data-testid='stMain']").inner_text()
        assert not SECRET.search(p.url), p.url
        seated.append((nickname, their, p))

    first, their, page = seated[0]
    pt = translator(their).gettext
    page.get_by_role("link", name=pt("Open my sandbox")).click()  # the app's own link: same person, same seat
    settle(page)
    assert "/sandbox" in page.url
    banner = page.locator("[data-testid='stMain']").inner_text()
    assert first in banner and pt("Your goal") in banner and pt("Practice sandbox") in banner
    assert page.locator(".st-key-sb_next_day").count() == 0, "a seated participant does not move the clock"
    choose_screen(page, "create_eu_login")
    fill(page, "sb_create_eu_login_email", f"{first.lower()}@example.org")
    press(page, "sb_create_eu_login_submit")

    grid = trainer.locator("[data-testid='stDataFrame']").last
    expect(grid).to_contain_text(tr("just now"), timeout=10_000)  # the board refreshes every 5 s
    shot(trainer, f"{lang}-trainer-board-live")
    shot(page, f"{their}-participant-sandbox")

    for nickname, _their, p in seated:  # F5 on every participant page keeps the seat
        p.reload()
        settle(p)
        no_exception(p)
        assert nickname in p.locator("[data-testid='stMain']").inner_text(), (nickname, p.url)
    assert f"{first.lower()}@example.org" in case_yaml(page), "their sandbox, with their action"
    other_name, other_lang, seat_page = seated[1]
    seat_page.goto(f"{b.url}/workshop?lang={other_lang}")  # the seat page, served by the other process
    settle(seat_page)
    assert other_name in seat_page.locator("[data-testid='stMain']").inner_text()
    shot(seat_page, f"{other_lang}-participant-seat")

    trainer.reload()
    settle(trainer)
    no_exception(trainer)
    assert code == trainer.locator("[data-testid='stMetricValue']").first.inner_text().strip()
    main = trainer.locator("[data-testid='stMain']").inner_text()
    assert not SECRET.search(trainer.url) and "key=" not in main, "no trainer key on the projected board"
    assert tr("Trainer commands") in main
    expect(trainer.locator("[data-testid='stDataFrame']").last).to_contain_text(first)


def test_d_a_restart_mid_journey_brings_everything_back(servers, people):
    """An English learner, trainer and workshop, a Dutch participant; replica a restarts under them."""
    a, _b = servers
    lang, their = "en", "nl"  # the participant's language
    tr, pt = translator(lang).gettext, translator(their).gettext
    learner = people(lang)
    flow, step, q = question(lang, "has-eu-login")
    learner.goto(f"{a.url}/flows?lang={lang}&flow={flow}&step={step}")
    settle(learner)
    answer(learner, "has-eu-login", q.answers[0].label)
    before = progress_text(learner)
    engine = get_engine(a.env["GUIDE_DATABASE_URL"])
    info, key = service.create(engine, f"Restart {lang}", lang, "blank-start", dt.date.today())
    participant = people(their)
    participant.goto(f"{a.url}/workshop?lang={their}&code={info.join_code}")
    settle(participant)
    participant.locator("[data-testid='stForm'] input").nth(1).fill("Dana")
    _button(participant, pt("Join")).click()
    settle(participant)
    sandbox_part(participant, a.url, their, "account")
    choose_screen(participant, "create_eu_login")
    fill(participant, "sb_create_eu_login_email", "dana@example.org")
    press(participant, "sb_create_eu_login_submit")

    trainer = people(lang)
    trainer.goto(f"{a.url}/trainer?lang={lang}&w={info.id}&key={key}")  # the trainer link, once
    settle(trainer)
    assert not SECRET.search(trainer.url)

    a.restart()  # the app process goes away mid-journey and comes back

    trainer.reload()
    settle(trainer)
    no_exception(trainer)
    assert info.join_code == trainer.locator("[data-testid='stMetricValue']").first.inner_text().strip()
    assert tr("Trainer commands") in trainer.locator("[data-testid='stMain']").inner_text()

    participant.reload()
    settle(participant)
    no_exception(participant)
    main = participant.locator("[data-testid='stMain']").inner_text()
    assert "Dana" in main and pt("Practice sandbox") in main
    assert "dana@example.org" in case_yaml(participant)
    assert service.board(engine, info.id, key).rows[0].actions == 1

    learner.reload()
    settle(learner)
    no_exception(learner)
    assert progress_text(learner) == before
    assert checked(learner, "has-eu-login") == q.answers[0].label
