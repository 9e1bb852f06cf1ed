"""Accessibility in a real browser (Debian's chromium), one app server for the module.

- The document's language: `<html lang>` of the first load, and after switching language.
- axe-core (axe-playwright-python) on every page and in the states that matter (fixes shown, a form with
  errors, the trainer board, the troubleshooter's hand-over), in Dutch and English: no serious or
  critical violation. Every result is saved in artifacts/a11y/ (axe-<lang>.json and a readable summary).
- Keyboard only (Tab, Shift+Tab, Enter, Space): a whole part of the guided flows (questions answered,
  steps checked, marked or skipped, 'Next step' followed) until the journey moves on, with a visible
  focus at every stop; then a complaint opened in the troubleshooter.
"""

from __future__ import annotations

import json
import re
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


def person(browser, lang: str) -> Page:
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
            # help in the same place on every page: the helpdesk and the accessibility statement
            sidebar = page.locator("[data-testid='stSidebar']")
            expect(sidebar.locator("a[href^='mailto:']")).to_have_count(1)
            expect(sidebar.get_by_role("link", name=_("Accessibility"))).to_be_visible()

        # the statement itself: results, limitations, contact
        page.locator("[data-testid='stSidebar']").get_by_role("link", name=_("Accessibility")).click()
        settle(page)
        expect(page.locator("h1")).to_have_text(_("Accessibility"))
        for heading in ("Results", "Known limitations", "Contact"):
            expect(page.get_by_role("heading", name=_(heading))).to_be_visible()

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


# -- keyboard only -------------------------------------------------------------------------------------

KEYS_USED: set[str] = set()


def press(page: Page, key: str) -> None:
    assert key in ("Tab", "Shift+Tab", "Enter", "Space"), key
    KEYS_USED.add(key)
    page.keyboard.press(key)


def focused(page: Page, selector: str) -> bool:
    return bool(page.evaluate("s => { const a = document.activeElement; return !!(a && a.closest(s)); }", selector))


def tab_to(page: Page, selector: str, limit: int = 120) -> None:
    """Tab forward until the focus is inside `selector`; if it went past, come back with Shift+Tab."""
    for _i in range(limit):
        if focused(page, selector):
            _focus_is_visible(page)
            return
        press(page, "Tab")
    for _i in range(limit):
        if focused(page, selector):
            _focus_is_visible(page)
            return
        press(page, "Shift+Tab")
    raise AssertionError(f"Tab and Shift+Tab never reach {selector}")


def _focus_is_visible(page: Page) -> None:
    style = page.evaluate("""() => { const a = document.activeElement, s = getComputedStyle(a);
        return [s.outlineStyle, parseFloat(s.outlineWidth) || 0, s.boxShadow]; }""")
    assert (style[0] != "none" and style[1] >= 2) or style[2] != "none", f"focus not visible: {style}"


def _where(page: Page) -> tuple[str, str]:
    """(part of the journey, step) the flows page shows: the chosen part and the checked step."""
    page.wait_for_function("() => (document.querySelector('.st-key-flows_flow')?.innerText || '').trim() !== ''")
    settle(page)
    shown = page.locator(".st-key-flows_flow").inner_text().strip().splitlines()[-1]
    flow = shown.rsplit(" (", 1)[0]  # 'EU Login and account (3/9)': the count changes as steps are done
    label = page.evaluate("""() => { const i = document.querySelector('.st-key-flows_step input:checked');
        if (!i) return ''; const l = i.closest('label').cloneNode(true);
        l.querySelectorAll('[data-testid=stIconMaterial]').forEach(e => e.remove());
        return l.textContent.trim(); }""")
    return flow, _ICON_WORD.sub("", label)


_ICON_WORD = re.compile(r"^[a-z]+(?:_[a-z]+)+\s+")  # a status icon's ligature ('skip_next') before the title


def _steps_of_part(page: Page) -> set[str]:
    labels = page.locator(".st-key-flows_step label:has(input)").all_inner_texts()
    return {_ICON_WORD.sub("", t.strip()) for t in labels if t.strip()}


OPEN_QUESTION = "[data-testid='stMain'] [class*='st-key-flows_q_']"


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_keyboard_only_a_whole_part_of_the_journey_and_a_complaint(server, browser, lang):
    _ = translator(lang).gettext
    page = person(browser, lang)
    page.goto(f"{server}/flows?lang={lang}")
    settle(page)
    first_flow = _where(page)[0]
    part = _steps_of_part(page)
    steps_seen: list[str] = []
    for _round in range(40):
        flow, step = _where(page)
        if flow != first_flow or step not in part:  # the journey moved on to its next part
            break
        if not steps_seen or steps_seen[-1] != step:
            steps_seen.append(step)
        unanswered = [g for g in page.locator(OPEN_QUESTION).all() if g.locator("input:checked").count() == 0]
        if unanswered:
            key = next(c for c in (unanswered[0].get_attribute("class") or "").split() if c.startswith("st-key-"))
            tab_to(page, f".{key} label")
            press(page, "Space")  # the first answer
            settle(page)
            continue
        for button in (".st-key-flows_check button", ".st-key-flows_done button"):
            target = page.locator(button)
            if target.count() and target.is_enabled():
                tab_to(page, button)
                press(page, "Enter")
                settle(page)
                no_exception(page)
                if _where(page) != (flow, step):
                    break
        if _where(page) != (flow, step):
            continue
        # the case cannot show this step yet: skip it, then follow 'Next step'
        skip = page.locator(".st-key-flows_skip button")
        if skip.count() and skip.is_enabled():
            tab_to(page, ".st-key-flows_skip button")
            press(page, "Enter")
            settle(page)
            if _where(page) != (flow, step):
                continue
        nxt = "[data-testid='stMain'] [data-testid='stPageLink'] a[href*='flows']"
        if not page.locator(nxt).count():
            REPORTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(REPORTS / f"keyboard-stuck-{lang}.png"), full_page=True)
        assert page.locator(nxt).count(), f"stuck on step {step}: no way on by keyboard"
        tab_to(page, nxt)
        press(page, "Enter")
        settle(page)
        no_exception(page)
    else:
        raise AssertionError(f"the flow never ended by keyboard; steps: {steps_seen}")
    # the journey moved on to its next part only when every step of this one was done or skipped
    assert len(steps_seen) >= 3, steps_seen

    # the troubleshooter: a complaint, its questions, the hand-over
    page.goto(f"{server}/troubleshoot?lang={lang}")
    settle(page)
    tab_to(page, "[class*='st-key-ts_sym_'] button")
    press(page, "Enter")
    settle(page)
    # the complaint opened from the keyboard: its title and its first question
    expect(page.get_by_role("button", name=_("Choose another complaint"))).to_be_visible()
    expect(page.locator("[data-testid='stMain'] [data-testid='stRadio']").first).to_be_visible()
    assert {"Tab", "Shift+Tab", "Enter", "Space"} >= KEYS_USED
    page.context.close()
