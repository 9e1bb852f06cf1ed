"""Accessibility in a real browser (Debian's chromium), one app server for the module.

- The document's language: `<html lang>` of the first load, and after switching language.
- axe-core (axe-playwright-python) on every page and in the states that matter (fixes shown, a form with
  errors, the trainer board, the troubleshooter's hand-over), in Dutch and English: no serious or
  critical violation. Every result is saved in artifacts/a11y/ (axe-<lang>.json and a readable summary).
- Keyboard only (Tab, Shift+Tab, Enter, Space): a guided flow's step checked and marked done, and the
  troubleshooter from a complaint to its findings.
"""

from __future__ import annotations

import json
import shutil
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest
from appserver import AppServer
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect, sync_playwright

from guide.i18n import translator
from guide.ui.app import PAGES

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT / "artifacts" / "a11y"
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
#: WCAG 2.0/2.1/2.2 A and AA, plus axe's best practices (reported; only serious/critical fail the test)
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa",
                                                     "best-practice"]},
               "resultTypes": ["violations"]}
FAILING = ("serious", "critical")


@pytest.fixture(scope="module")
def server():
    s = AppServer("a11y")
    try:
        s.start()
        yield s.url
    finally:
        s.stop()


@pytest.fixture(scope="module")
def browser():
    chromium = shutil.which("chromium")
    if not chromium:
        pytest.fail("chromium is not installed (apt-get install -y chromium fonts-dejavu-core; .ci/run does this)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


def person(browser, lang: str) -> Page:  # noqa: ANN001
    context = browser.new_context(viewport={"width": 1280, "height": 900},
                                  locale="nl-NL" if lang == "nl" else "en-GB")
    page = context.new_page()
    page.set_default_timeout(60_000)
    return page


def settle(page: Page) -> None:
    page.wait_for_selector("[data-testid='stApp']", timeout=90_000)
    page.wait_for_timeout(300)
    page.wait_for_selector(IDLE, timeout=90_000)
    page.wait_for_timeout(300)


def no_exception(page: Page) -> None:
    errors = page.locator("[data-testid='stException']")
    assert errors.count() == 0, errors.first.inner_text()


# -- the document's language ---------------------------------------------------------------------------

def _html_lang(url: str, accept_language: str) -> str:
    req = urllib.request.Request(url, headers={"Accept-Language": accept_language})
    with urllib.request.urlopen(req, timeout=30) as r:
        body = r.read().decode()
        assert r.headers["Content-Language"] in ("nl", "en")
    start = body.index("<html")
    return body[start:body.index(">", start) + 1]


def test_the_first_load_says_the_page_language(server):
    assert 'lang="nl"' in _html_lang(f"{server}/start", "nl-NL,nl;q=0.9,en;q=0.5")
    assert 'lang="en"' in _html_lang(f"{server}/handbook", "en-GB,en;q=0.9")
    assert 'lang="nl"' in _html_lang(f"{server}/flows", "fr-FR")  # none of ours: Dutch, as the app does
    assert 'lang="en"' in _html_lang(f"{server}/search?lang=en", "nl-NL")  # the address wins
    assert 'lang="nl"' in _html_lang(f"{server}/search?lang=nl", "en-GB")


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_switching_language_changes_the_document_language(server, browser, lang):
    other = "en" if lang == "nl" else "nl"
    page = person(browser, lang)
    page.goto(f"{server}/start")
    settle(page)
    assert page.evaluate("document.documentElement.lang") == lang
    name = {"nl": "Nederlands", "en": "English"}[other]
    page.locator("[data-testid='stSidebar']").get_by_text(name, exact=True).click()
    settle(page)
    expect(page.locator("h1").first).to_have_text(translator(other).gettext("Where am I?"))
    assert page.evaluate("document.documentElement.lang") == other
    # icons are decoration: never part of a link's or button's name
    assert page.locator("[data-testid='stIconMaterial']:not([aria-hidden='true'])").count() == 0
    page.context.close()


# -- axe-core ------------------------------------------------------------------------------------------

class AxeLog:
    """Collects every axe run of one language and writes artifacts/a11y/axe-<lang>.{json,txt}."""

    def __init__(self, lang: str) -> None:
        self.lang, self.runs, self.axe = lang, [], Axe()

    def check(self, page: Page, where: str) -> None:
        no_exception(page)
        result = self.axe.run(page, options=AXE_OPTIONS).response
        self.runs.append({"where": where, "url": page.url, "violations": result["violations"]})

    def failing(self) -> list[str]:
        return [f"{run['where']}: {v['id']} ({v['impact']}) {v['help']} at {v['nodes'][0]['target']}"
                for run in self.runs for v in run["violations"] if v["impact"] in FAILING]

    def save(self) -> Path:
        REPORTS.mkdir(parents=True, exist_ok=True)
        (REPORTS / f"axe-{self.lang}.json").write_text(json.dumps(self.runs, indent=1), encoding="utf-8")
        lines = [f"axe-core in chromium, language {self.lang}: {len(self.runs)} pages and states"]
        for run in self.runs:
            found = ", ".join(f"{v['id']} ({v['impact']}, {len(v['nodes'])})" for v in run["violations"])
            lines.append(f"- {run['where']}: {found or 'no violations'}")
        path = REPORTS / f"axe-{self.lang}.txt"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path


def _troubleshooter_to_handover(page: Page, _: Callable[[str], str]) -> None:
    """Pick the first complaint and answer 'I don't know' (the last choice) until the hand-over shows."""
    page.locator("[class*='st-key-ts_sym_'] button").first.click()
    settle(page)
    for _round in range(12):
        if page.get_by_role("heading", name=_("Hand over")).count():
            return
        open_groups = [g for g in page.locator("[data-testid='stMain'] [data-testid='stRadio']").all()
                       if g.locator("input:checked").count() == 0]
        assert open_groups, "no question left to answer, yet no hand-over"
        open_groups[0].locator("label").last.click()
        settle(page)
    raise AssertionError("the troubleshooter never reached its hand-over")


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_axe_finds_nothing_serious_on_any_page_or_state(server, browser, lang):
    _ = translator(lang).gettext
    log = AxeLog(lang)
    page = person(browser, lang)
    try:
        for spec in PAGES:
            page.goto(f"{server}/{spec.url_path}?lang={lang}")
            settle(page)
            log.check(page, spec.url_path)

        # fixes shown: a flow step checked
        page.goto(f"{server}/flows?lang={lang}")
        settle(page)
        page.locator(".st-key-flows_check button").click()
        settle(page)
        log.check(page, "flows, after Check (fixes shown)")

        # a form with an error: a workshop code that does not exist
        page.goto(f"{server}/workshop?lang={lang}")
        settle(page)
        inputs = page.locator("[data-testid='stForm'] input[type='text']")
        inputs.nth(0).fill("ZZZZZZ")
        if inputs.count() > 1:
            inputs.nth(1).fill("Anouk")
        page.locator("[data-testid='stForm'] button").last.click()
        settle(page)
        expect(page.locator("[data-testid='stAlert']").first).to_be_visible()
        log.check(page, "workshop join, with an error")

        # the trainer board
        page.goto(f"{server}/trainer?lang={lang}")
        settle(page)
        page.locator("[data-testid='stForm'] input[type='text']").first.fill("Axe workshop")
        page.get_by_role("button", name=_("Create workshop")).click()
        settle(page)
        expect(page.get_by_role("heading", name=_("Trainer board"))).to_be_visible()
        log.check(page, "trainer board")

        # the troubleshooter's hand-over
        page.goto(f"{server}/troubleshoot?lang={lang}")
        settle(page)
        _troubleshooter_to_handover(page, _)
        log.check(page, "troubleshooter hand-over")
    finally:
        report = log.save()
        page.context.close()
    failing = log.failing()
    assert not failing, f"serious or critical accessibility violations (see {report}):\n" + "\n".join(failing)
