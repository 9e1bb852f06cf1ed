"""Staging the trouble in a real browser (Debian's chromium) against the real app: a trainer projects the
board, a participant joins by the link the QR code holds (the code filled in, only a nickname typed); the
trainer stages a fault for her from the board in another browser context; her page, untouched, tells her
'something changed'; she finds out what, fixes it in her sandbox, and the board shows it fixed. Both
languages in one run: a Dutch workshop and its trainer, and a participant who joins by the Dutch link and
then works in English (tests/test_ui_staging.py has the other two: the board in English, a participant
in Dutch)."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
import zxingcpp
from appserver import choose_screen, click_and_wait, no_exception, settle, shot
from axe_playwright_python.sync_playwright import Axe
from PIL import Image
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from guide.content.loader import load_content
from guide.i18n import translator
from guide.store.engine import get_engine
from guide.store.settings import DB_FILE_NAME
from guide.workshop import service


@pytest.fixture
def store(app_server):
    """The session's app server and its database (SQLite in its data folder), for the trainer's set-up."""
    return get_engine(f"sqlite:///{Path(app_server.env['GUIDE_DATA_DIR']) / DB_FILE_NAME}")


def press(page: Page, locator) -> None:
    """Click and wait for the rerun the click started (never a fixed pause)."""
    click_and_wait(page, locator)


def pick(page: Page, key: str, option: str) -> None:
    """Pick an option of a selectbox or multiselect as a keyboard user does: into the box, type the option's
    words (which opens the list, filtered to them), Enter. A click alone sometimes left the list closed while
    the board refreshed itself, and the test then waited out a timeout before trying again."""
    wanted = page.get_by_role("option", name=option, exact=True).first
    box = page.locator(f".st-key-{key} input").first
    for _attempt in range(4):
        box.click()
        page.keyboard.type(option)
        try:  # a busy machine can take a while to show the list: wait for what the user would see
            wanted.wait_for(state="visible", timeout=10_000)
            break
        except PlaywrightTimeout:
            box.fill("")
            page.keyboard.press("Escape")
            settle(page)
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")


def serious_violations(page: Page) -> list[str]:
    """axe-core's serious and critical findings on the page as it is now (the same rules as test_a11y_browser)."""
    from test_a11y_browser import AXE_OPTIONS, FAILING

    result = Axe().run(page, options=AXE_OPTIONS).response
    return [f"{v['id']} ({v['impact']}) {v['help']} at {v['nodes'][0]['target']}"
            for v in result["violations"] if v["impact"] in FAILING]


def test_a_staged_fault_is_seen_fixed_and_shown_fixed_on_the_board(app_server, store, people):
    app, engine = app_server, store
    lang, hers = "nl", "en"  # the workshop and its trainer; the language Ann works in once she has joined
    _, _ann = translator(lang).gettext, translator(hers).gettext
    info, key = service.create(engine, f"Rehearsal {lang}", lang, "ready-to-create-project", dt.date.today())
    trainer = people(lang)
    trainer.goto(f"{app.url}/trainer?lang={lang}&w={info.id}&key={key}")  # the trainer link, once
    settle(trainer)
    no_exception(trainer)

    # joining in one step: the projected QR code holds the link shown beside it, with the code filled in
    heading = trainer.locator("[data-testid='stHeadingWithActionElements'] h3", has_text="/workshop?").first
    expect(heading).to_be_visible()
    link = heading.inner_text()
    assert link == f"{app.url}/workshop?lang={lang}&code={info.join_code}"
    qr = trainer.locator("[data-testid='stImage'] img").first
    expect(qr).to_be_visible()
    decoded = [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(qr.screenshot())))]
    assert decoded == [link]
    trainer.set_viewport_size({"width": 980, "height": 900})  # a laptop: the code ran over the link here
    trainer.wait_for_function(  # the code ends left of the link once the page is laid out for the width
        "([code, link]) => code.getBoundingClientRect().right <= link.getBoundingClientRect().left",
        arg=[qr.element_handle(), heading.element_handle()], timeout=10_000)
    trainer.set_viewport_size({"width": 1280, "height": 900})
    assert key not in trainer.locator("[data-testid='stMain']").inner_text()

    ann = people(hers)  # her browser is English; the workshop's link is Dutch
    ann.set_viewport_size({"width": 420, "height": 900})  # a phone
    ann.goto(decoded[0])
    settle(ann)
    expect(ann.locator("[data-testid='stForm'] input").nth(0)).to_have_value(info.join_code)
    ann.locator("[data-testid='stForm'] input").nth(1).fill("Ann")
    press(ann, ann.get_by_role("button", name=_("Join"), exact=True))  # the page as the link gives it: Dutch
    assert "Ann" in ann.locator("[data-testid='stMain']").inner_text()
    ann.goto(f"{app.url}/sandbox?lang={hers}&part=profile")  # from here on she works in English
    settle(ann)
    choose_screen(ann, "set_available")
    expect(ann.locator(".st-key-sb_set_available_available")).to_be_visible()
    no_exception(ann)
    changed = _ann("Something changed in your account: find out what.")
    assert changed not in ann.locator("[data-testid='stMain']").inner_text()

    # the trainer stages 'availability off' for Ann alone, from the board
    trainer.reload()
    settle(trainer)
    expect(trainer.locator(".st-key-stage_who")).to_be_visible()
    pick(trainer, "stage_who", "Ann")
    pick(trainer, "stage_what", _("'Available for eTwinning project' is unticked"))
    press(trainer, trainer.get_by_role("button", name=_("Stage it"), exact=True))
    faults = trainer.locator(".st-key-board_faults [data-testid='stDataFrame']")
    expect(faults).to_contain_text(_("not yet"))

    # Ann's page, untouched, tells her (it checks every few seconds) ...
    notice = ann.locator("[data-testid='stAlertContentWarning']", has_text=changed)
    expect(notice).to_be_visible(timeout=30_000)
    shot(ann, f"{hers}-participant-something-changed")
    assert serious_violations(ann) == []  # the notice and its link
    # ... she finds out what on her workshop page ...
    press(ann, ann.get_by_role("link", name=_ann("Find out what")))
    settle(ann)
    assert "/workshop" in ann.url
    main = ann.locator("[data-testid='stMain']").inner_text()
    assert _ann("Where you are: {step}").split("{")[0] in main
    title = load_content(hers).rule_texts["profile.not_available"].title
    expect(ann.get_by_text(title).first).to_be_visible()
    # ... and ticks the box again in her sandbox
    ann.goto(f"{app.url}/sandbox?lang={hers}&part=profile")
    settle(ann)
    choose_screen(ann, "set_available")
    box = ann.locator(".st-key-sb_set_available_available input[type=checkbox]")
    expect(box).not_to_be_checked()
    ann.locator(".st-key-sb_set_available_available label").first.click()
    press(ann, ann.locator(".st-key-sb_set_available_submit button"))

    # the board (refreshing itself every 5 s) shows it fixed, with the time it took
    expect(faults).to_contain_text(_("fixed by them"), timeout=30_000)
    fault, = service.faults(engine, info.id, key)
    assert fault.outcome == "fixed" and fault.took is not None and fault.seen_at is not None
    timeline = trainer.locator(".st-key-board_timeline")
    expect(timeline).to_contain_text(_("Workshop created"))
    shot(trainer, f"{lang}-trainer-board-staged")
    assert serious_violations(trainer) == []  # QR code, staging form, staged trouble, timeline
