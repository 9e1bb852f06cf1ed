"""Accessibility in a real browser (Debian's chromium), on the session's app server (tests/conftest.py).

- The document's language: `<html lang>` of the first load, and after switching language.
- Every page of the page table shows something and no exception (a screenshot of each in
  artifacts/screenshots/); axe-core (axe-playwright-python) on every page and in the states that matter
  (fixes shown, a form with errors, the trainer board, the troubleshooter's hand-over), in Dutch and
  English: no serious or critical violation. Every result is saved in artifacts/a11y/ (axe-<lang>.json and a readable summary).
- Keyboard only (Tab, Shift+Tab, Enter, Space; arrow keys only inside a radio group, its own pattern):
  one whole guided flow, every step done (none skipped) until the journey moves on, with a visible focus
  at every stop; and the whole troubleshooter: a complaint, all its questions, the findings, 'did this fix
  it?', the hand-over form and the summary downloaded.
"""

from __future__ import annotations

import json
import re
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest
from appserver import choose_screen, go_to_page, no_exception, sandbox_screen, settle, shot
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from guide.content.loader import load_content
from guide.i18n import format_date, translator
from guide.ui.app import PAGES

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT / "artifacts" / "a11y"
#: WCAG 2.0/2.1/2.2 A and AA, plus axe's best practices (reported; only serious/critical fail the test)
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa",
                                                     "best-practice"]},
               "resultTypes": ["violations"]}
FAILING = ("serious", "critical")


@pytest.fixture
def server(app_server):
    return app_server.url


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
def test_switching_language_changes_the_document_language(server, people, lang):
    other = "en" if lang == "nl" else "nl"
    page = people(lang)
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
    groups = page.locator("[data-testid='stSidebarNavItems'] [role='group']").evaluate_all(
        "els => els.map(e => e.getAttribute('aria-label'))")
    assert groups and not any(re.search(r"[a-z]+_[a-z]+", g or "") for g in groups), groups  # no 'expand_more'
    # Streamlit's own words in the page's language: the skip link and the heading anchors' names
    _ = translator(other).gettext
    expect(page.get_by_role("link", name=_("Skip to main content"))).to_have_count(1)
    expect(page.locator("[data-testid='stMain'] a[aria-label]").first).to_have_attribute(
        "aria-label", _("Link to heading"))


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
def test_axe_finds_nothing_serious_on_any_page_or_state(server, people, lang):
    _ = translator(lang).gettext
    log = AxeLog(lang)
    page = people(lang)
    try:
        page.goto(f"{server}/{PAGES[0].url_path}?lang={lang}")
        settle(page)
        for spec in PAGES:  # every page, by the sidebar as a user goes: it shows something, no exception, ...
            go_to_page(page, server, spec.url_path, f"lang={lang}")
            expect(page.locator("[data-testid='stMain']")).not_to_be_empty()
            shot(page, f"{lang}-{spec.url_path}")
            log.check(page, spec.url_path)
            # help in the same place on every page: the helpdesk and the accessibility statement
            sidebar = page.locator("[data-testid='stSidebar']")
            expect(sidebar.locator("a[href^='mailto:']")).to_have_count(1)
            expect(sidebar.get_by_role("link", name=_("Accessibility"))).to_be_visible()

        # the statement itself: results, limitations, contact
        page.locator("[data-testid='stSidebar']").get_by_role("link", name=_("Accessibility")).click()
        settle(page)
        statement = load_content(lang).require("accessibility.yaml")
        expect(page.locator("h1")).to_have_text(statement.title)
        for section in statement.sections:  # how we check, results, limitations, contact
            expect(page.get_by_role("heading", name=section.heading)).to_be_visible()
        expect(page.locator("[data-testid='stMain']")).to_contain_text(format_date(statement.checked, lang))

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

        # sandbox forms with errors: an address left empty, a refused action with the rule's fix, a project
        # without a co-founder to choose
        page.goto(f"{server}/sandbox?lang={lang}&part=account")
        settle(page)
        for action in ("create_eu_login", "join_etwinning"):
            choose_screen(page, action)
            page.locator(f".st-key-sb_{action}_submit button").click()
            settle(page)
            expect(sandbox_screen(page, action).locator("[data-testid='stAlert']").first).to_be_visible()
            log.check(page, f"sandbox, {action.replace('_', ' ')} with an error")
        page.goto(f"{server}/sandbox?lang={lang}&part=project")
        settle(page)
        choose_screen(page, "create_project")
        page.locator(".st-key-sb_create_project_submit button").click()
        settle(page)
        expect(sandbox_screen(page, "create_project").locator("[data-testid='stAlert']").first).to_be_visible()
        log.check(page, "sandbox, a project form with an error")

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
        failing = log.failing()
    assert not failing, f"serious or critical accessibility violations (see {report}):\n" + "\n".join(failing)


# -- keyboard only -------------------------------------------------------------------------------------
#
# Keys: Tab, Shift+Tab, Enter and Space; arrow keys only inside a radio group (its own keyboard pattern:
# the arrows choose among its answers) and in a list box opened from a select field; typing only into the
# focused text field. `press` and `type_into` refuse anything else.

KEYS_USED: set[str] = set()
ARROWS = ("ArrowDown", "ArrowUp", "ArrowLeft", "ArrowRight")


def press(page: Page, key: str) -> None:
    assert key in ("Tab", "Shift+Tab", "Enter", "Space", *ARROWS), key
    if key in ARROWS:
        role = page.evaluate("() => { const a = document.activeElement; return a.type || a.getAttribute('role'); }")
        assert role in ("radio", "combobox"), f"an arrow key outside a radio group or list: {role}"
    KEYS_USED.add(key)
    page.keyboard.press(key)


def type_into(page: Page, text: str) -> None:
    tag = page.evaluate("() => document.activeElement.tagName")
    assert tag in ("INPUT", "TEXTAREA"), f"typing outside a text field: {tag}"
    page.keyboard.type(text)


def focused(page: Page, selector: str) -> bool:
    return bool(page.evaluate("s => { const a = document.activeElement; return !!(a && a.closest(s)); }", selector))


def tab_to(page: Page, selector: str, limit: int = 120) -> None:
    """Tab forward until the focus is inside `selector`; if it went past, come back with Shift+Tab."""
    for keys in ("Tab", "Shift+Tab"):
        for _i in range(limit):
            if focused(page, selector):
                _focus_is_visible(page)
                return
            press(page, keys)
    raise AssertionError(f"Tab and Shift+Tab never reach {selector}")


def _focus_is_visible(page: Page) -> None:
    style = page.evaluate("""() => { const a = document.activeElement, s = getComputedStyle(a);
        const l = a.closest('label'), ls = l ? getComputedStyle(l) : null;
        return [s.outlineStyle, parseFloat(s.outlineWidth) || 0, s.boxShadow,
                ls ? ls.outlineStyle : 'none', ls ? parseFloat(ls.outlineWidth) || 0 : 0]; }""")
    assert ((style[0] != "none" and style[1] >= 2) or style[2] != "none" or (style[3] != "none" and style[4] >= 2)), \
        f"focus not visible: {style}"


def choose(page: Page, group: str, index: int) -> None:
    """Answer a radio group by keyboard: Tab into it, arrows to the answer, Space to choose it."""
    tab_to(page, f"{group} input[type='radio']")
    delta = index - _checked_index(page, group)  # Tab lands on the chosen answer, or on the first
    for _i in range(abs(delta)):
        press(page, "ArrowDown" if delta > 0 else "ArrowUp")
    press(page, "Space")
    settle(page)
    assert _checked_index(page, group) == index, f"{group}: answer {index} not chosen"


def _checked_index(page: Page, group: str) -> int:
    return int(page.evaluate("""g => { const all = [...document.querySelectorAll(g + " input[type='radio']")];
        const i = all.findIndex(r => r.checked); return i < 0 ? 0 : i; }""", group))


def fill(page: Page, field: str, text: str) -> None:
    """Tab to a text field, type, Enter (Streamlit applies a text field on Enter)."""
    tab_to(page, f"{field} input, {field} textarea")
    type_into(page, text)
    press(page, "Enter")
    settle(page)


def _where(page: Page) -> tuple[str, str]:
    """(part of the journey, step) the flows page shows: the chosen part and the checked step."""
    settle(page)
    shown = page.locator(".st-key-flows_flow input").input_value()
    return shown, page.evaluate("() => document.querySelector('.st-key-flows_step input:checked')?.value || ''")


def _radio_names(page: Page, group: str) -> list[str]:
    """The accessible names of a radio group's choices, as a screen reader hears them."""
    snapshot = page.locator(group).aria_snapshot()
    return [m.group(1) for m in re.finditer(r'- radio "((?:[^"\\]|\\.)*)"', snapshot)]


OPEN_QUESTION = "[data-testid='stMain'] [class*='st-key-flows_q_']"


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_keyboard_only_one_whole_guided_flow(server, people, lang):
    """The first part of the journey, every step done (none skipped), by keyboard only."""
    _ = translator(lang).gettext
    page = people(lang)
    page.goto(f"{server}/flows?lang={lang}")
    settle(page)
    first_part, _step = _where(page)
    count = len(_radio_names(page, ".st-key-flows_step"))
    assert first_part.endswith(f"(0/{count})"), first_part
    part_title = first_part.rsplit(" (", 1)[0]
    seen: list[str] = []
    for _round in range(6 * count):
        part, step = _where(page)
        if not part.startswith(part_title):  # the journey moved on to its next part
            break
        if not seen or seen[-1] != step:
            seen.append(step)
        # the first answer of each of this part's questions is 'yes' (a question may show the case's 'no')
        unanswered = [g for g in page.locator(OPEN_QUESTION).all()
                      if g.locator("input[type='radio']").first.is_checked() is False]
        if unanswered:
            key = next(c for c in (unanswered[0].get_attribute("class") or "").split() if c.startswith("st-key-"))
            choose(page, f".{key}", 0)
            continue
        moved = False
        for button in (".st-key-flows_check button", ".st-key-flows_done button"):
            target = page.locator(button)
            if target.count() and target.is_enabled():
                tab_to(page, button)
                press(page, "Enter")
                settle(page)
                no_exception(page)
                if _where(page) != (part, step):
                    moved = True
                    break
        if not moved:
            REPORTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(REPORTS / f"keyboard-stuck-{lang}.png"), full_page=True)
            raise AssertionError(f"stuck on step {step}: no way on by keyboard (see keyboard-stuck-{lang}.png)")
    else:
        raise AssertionError(f"the part never ended by keyboard; steps: {seen}")
    # every step of the part done (some by the answers of an earlier step), none skipped: the page and the
    # sidebar say so
    assert len(seen) >= 3, seen
    expect(page.locator(".st-key-flows_flow input")).not_to_have_value(re.compile(re.escape(part_title)))
    journey = _("Your journey: {done} of {total} steps done")
    expect(page.locator("[data-testid='stSidebar']")).to_contain_text(journey.split("{total}")[0].format(done=count))
    page.goto(f"{server}/flows?lang={lang}&flow={_first_flow(lang)}")
    settle(page)
    assert _where(page)[0] == f"{part_title} ({count}/{count})"
    # a done step says so in words, and no icon name reaches a screen reader
    names = _radio_names(page, ".st-key-flows_step")
    assert names and all(n.endswith(f"({_('done')})") for n in names), names
    assert not any(re.search(r"\b[a-z]+_[a-z_]+\b", n) for n in names), names
    page.screenshot(path=str(REPORTS / f"keyboard-flow-{lang}.png"), full_page=True)


def _first_flow(lang: str) -> str:
    from guide.flows.journey import flows_of

    return flows_of(load_content(lang)).flows[0].id


SYMPTOM = "partner_not_in_cofounder_list"


def _q(question: str, part: str = "") -> str:
    return f".st-key-ts_q_{SYMPTOM}_{question}{part}"


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_keyboard_only_the_whole_troubleshooter(server, people, lang):
    """A complaint, all its questions, the findings, 'did this fix it?' and the hand-over, by keyboard only."""
    _ = translator(lang).gettext
    page = people(lang)
    page.goto(f"{server}/troubleshoot?lang={lang}")
    settle(page)
    tab_to(page, f".st-key-ts_sym_{SYMPTOM} button")
    press(page, "Enter")
    settle(page)
    expect(page.get_by_role("button", name=_("Choose another complaint"))).to_be_visible()
    choose(page, _q("partner_contact"), 0)                     # a contact: yes, accepted
    fill(page, _q("partner_name", "_value"), "Anna Kowalska")  # the partner's name
    choose(page, _q("partner_available"), 1)                   # 'Available for eTwinning project': no
    choose(page, _q("partner_validated"), 0)                   # validated: yes
    choose(page, _q("self_validated"), 0)                      # the teacher validated: yes
    main = page.locator("[data-testid='stMain']")
    expect(main.get_by_role("heading", name=_("Findings"))).to_be_visible()
    expect(main.get_by_role("heading", name=_("Hand over"))).to_be_visible()
    expect(main).to_contain_text("Anna Kowalska")  # the fix names the partner
    # the hand-over form
    fill(page, ".st-key-ts_name", "Joke de Vries")
    fill(page, ".st-key-ts_account", "2124634")
    fill(page, ".st-key-ts_school", "Sandbox College")
    tab_to(page, ".st-key-ts_country input")
    type_into(page, {"nl": "Nederland", "en": "Netherlands"}[lang])
    press(page, "Enter")
    settle(page)
    outcome = page.locator("[class*='st-key-ts_outcome_']").first
    outcome_key = next(c for c in (outcome.get_attribute("class") or "").split() if c.startswith("st-key-"))
    choose(page, f".{outcome_key}", 2)  # did this fix it? no
    # the summary shows everything typed and chosen, and it downloads by keyboard
    summary = main.locator("[data-testid='stCode']").last
    for shown in ("Joke de Vries", "2124634", "Sandbox College", "Anna Kowalska"):
        expect(summary).to_contain_text(shown)
    tab_to(page, ".st-key-ts_dl_summary button")
    with page.expect_download() as download:
        press(page, "Enter")
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert "Joke de Vries" in text and "2124634" in text and "Anna Kowalska" in text
    expect(page.locator(f".{outcome_key}").get_by_role("radio", name=load_outcome_word(lang, "not_solved"))) \
        .to_be_checked()
    REPORTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(REPORTS / f"keyboard-troubleshooter-{lang}.png"), full_page=True)
    assert set(KEYS_USED) <= {"Tab", "Shift+Tab", "Enter", "Space", *ARROWS}


def load_outcome_word(lang: str, outcome: str) -> str:
    from guide.troubleshoot.engine import symptoms_of

    return symptoms_of(load_content(lang)).handover.outcomes[outcome]
