"""The app in a real browser: Debian's chromium driven by Playwright against `streamlit run app.py`.

Walks what a teacher does (start page, handbook, a chapter deep link, search, a checklist) in Dutch and
in English, then visits every page of the page table; saves a screenshot of each in artifacts/screenshots/.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from guide.content.loader import load_content
from guide.i18n import translator
from guide.ui.app import PAGES

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "artifacts" / "screenshots"
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    port = _free_port()
    log = (ROOT / "artifacts").joinpath("streamlit-browser-test.log")
    log.parent.mkdir(exist_ok=True)
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.headless", "true",
             "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
            cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"streamlit did not start (exit {proc.poll()}); see {log}")
            time.sleep(0.5)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="module")
def browser():
    chromium = shutil.which("chromium")
    if not chromium:
        pytest.fail("chromium is not installed: the browser test needs Debian's chromium "
                    "(apt-get install -y chromium fonts-dejavu-core; .ci/run does this)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    yield pg
    context.close()


def settle(page: Page) -> None:
    """Wait until the script has run to the end (a rerun may only start a moment after the click)."""
    page.wait_for_timeout(300)
    page.wait_for_selector(IDLE, timeout=60_000)
    page.wait_for_timeout(200)


def shot(page: Page, name: str) -> None:
    """The whole page: Streamlit scrolls inside stMain, so the window grows to its height for the picture."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    height = page.evaluate("document.querySelector(\"[data-testid='stMain']\")?.scrollHeight || 900")
    size = page.viewport_size
    page.set_viewport_size({"width": size["width"], "height": max(900, min(int(height), 8000))})
    page.wait_for_timeout(300)
    page.screenshot(path=str(SHOTS / f"{name}.png"))
    page.set_viewport_size(size)


def no_exception(page: Page) -> None:
    assert page.locator("[data-testid='stException']").count() == 0, page.locator("[data-testid='stException']").first.inner_text()


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_teacher_walk(server, page, lang):
    _ = translator(lang).gettext
    c = load_content(lang)

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


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_page_in_the_browser(server, page, lang):
    for spec in PAGES:
        page.goto(f"{server}/{spec.url_path}?lang={lang}")
        settle(page)
        no_exception(page)
        expect(page.locator("[data-testid='stMain']")).not_to_be_empty()
        shot(page, f"{lang}-{spec.url_path}")
