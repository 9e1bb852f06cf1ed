"""The app in a real browser: Debian's chromium driven by Playwright against `streamlit run app.py` (the
session's app server and browser, tests/conftest.py).

Walks what a teacher does (start page, handbook, a chapter deep link, search, a checklist), in Dutch until
she switches to English half-way; saves a screenshot of each in artifacts/screenshots/. Every page of the page table is visited
(and photographed) by the accessibility walk in tests/test_a11y_browser.py, in both languages.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from appserver import no_exception, settle, shot, until_rerun
from playwright.sync_api import expect

from guide.content.loader import load_content
from guide.i18n import translator


@pytest.fixture
def server(app_server):
    return app_server.url


def test_teacher_walk(server, people):
    lang = "nl"
    _ = translator(lang).gettext
    c = load_content(lang)
    page = people(lang)

    page.goto(f"{server}/start?lang={lang}")
    settle(page)
    no_exception(page)
    nav = page.locator("[data-testid='stSidebarNav']")
    expect(nav.get_by_text(_("Handbook"), exact=True)).to_be_visible()
    shot(page, f"{lang}-walk-start")

    nav.get_by_text(_("Handbook"), exact=True).click()
    settle(page)
    expect(page.locator("h1")).to_contain_text(_("Handbook"))
    assert "/handbook" in page.url
    shot(page, f"{lang}-walk-handbook")

    chapter = c.chapter_by_id["2"]
    page.goto(f"{server}/handbook?lang={lang}&chapter=2")
    settle(page)
    expect(page.locator("h2").first).to_contain_text(chapter.title)
    shot(page, f"{lang}-walk-handbook-chapter-2")

    page.goto(f"{server}/handbook?lang={lang}&step=7a.select-cofounder")
    settle(page)
    focus = page.locator(".st-key-handbook_focus")
    expect(focus).to_contain_text(c.step_by_id["7a.select-cofounder"][2].title)
    shot(page, f"{lang}-walk-handbook-step-link")

    # half-way she switches to English: the rest of the walk, downloads included, follows
    page.locator("[data-testid='stSidebar']").get_by_text("English", exact=True).click()
    settle(page)
    lang = "en"
    _ = translator(lang).gettext
    c = load_content(lang)
    expect(page.locator(".st-key-handbook_focus")).to_contain_text(c.step_by_id["7a.select-cofounder"][2].title)

    nav.get_by_text(_("Search"), exact=True).click()
    settle(page)
    box = page.locator(".st-key-q input")
    box.fill("cofounder")
    box.press("Enter")
    settle(page)
    expect(page.locator("a[href*='step=7a.select-cofounder']").first).to_be_visible()
    assert re.search(r"[?&]q=cofounder", page.url), page.url
    shot(page, f"{lang}-walk-search")

    nav.get_by_text(_("Checklists"), exact=True).click()
    settle(page)
    first = page.locator("[data-testid='stCheckbox']").first
    first.locator("label").click(position={"x": 8, "y": 10})  # the box, not the handbook link in the label
    settle(page)
    expect(first.locator("input")).to_be_checked()
    cl = next(iter(c.checklist_by_id.values()))
    done = _("{done} of {total} done").format(done=1, total=len(cl.items))
    expect(page.get_by_text(done)).to_be_visible()
    shot(page, f"{lang}-walk-checklists")
    no_exception(page)

    with page.expect_download() as md:
        page.get_by_role("button", name=_("Download as Markdown")).click()
    text = Path(md.value.path()).read_text(encoding="utf-8")
    assert text.startswith(f"# {cl.title}") and f"- [x] {cl.items[0].text}" in text and done in text
    with page.expect_download() as pdf:
        page.get_by_role("button", name=_("Download as PDF")).click()
    data = Path(pdf.value.path()).read_bytes()
    assert data.startswith(b"%PDF") and pdf.value.suggested_filename == f"{cl.id}-{lang}.pdf"


def test_a_case_file_upload_error_is_dutch_in_the_dutch_troubleshooter(server, page):
    """What a Dutch helpdesk agent sees after uploading a broken case file: the problems in Dutch, as text."""
    page.goto(f"{server}/troubleshoot?lang=nl")
    settle(page)
    page.locator("[data-testid='stTabs'] [role='tab']").nth(1).click()
    settle(page)
    data = b"version: 1\npersn: {name: Anna}\ncontacts: [{name: Jan, country: '<b>XX</b>'}]\n"
    # the file goes up first; the rerun the uploader then asks for reads it
    until_rerun(page, lambda: page.locator(".st-key-ts_upload input[type=file]").set_input_files(
        files=[{"name": "anna.yaml", "mimeType": "application/x-yaml", "buffer": data}]))
    no_exception(page)
    main = page.locator("[data-testid='stMain']")
    expect(main.get_by_text("Dit bestand is geen geldig casusbestand.", exact=False)).to_be_visible()
    problems = main.locator("[data-testid='stCode']").last
    expect(problems).to_contain_text("anna.yaml, regel 2, persn: onbekende sleutel 'persn' (bedoel je 'person'?)")
    # the file's text is text: '<b>' shown as typed, never a bold element
    expect(problems).to_contain_text("anna.yaml, regel 3, contacts[0].country (Land): '<b>XX</b>' is geen landcode")
    assert "unknown key" not in problems.inner_text() and main.locator("b").count() == 0
    shot(page, "nl-troubleshoot-upload-error")
