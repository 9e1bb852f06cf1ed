"""The pseudo-language walk: in a generated language where every catalog message and content text is
marked (tests/pseudo_lang.py), every page shows only marked text, apart from data (the sandbox's
schools and teachers, the NSO's name), the platform's own labels and a short list of Streamlit's words.
Visible text without a mark is a string outside the catalogs and the content."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from appserver import AppServer, choose_screen, go_to_page, settle, until_rerun
from playwright.sync_api import Page
from pseudo_lang import CODE, is_marked, make_project

from guide.i18n import language_name
from guide.sandbox.actions import ACTIONS
from guide.ui.app import PAGES
from guide.ui.pages.sandbox_screens import PLATFORM_LABELS

ROOT = Path(__file__).resolve().parent.parent
#: Streamlit's own words that the page's support script (guide.ui.a11y) cannot reach: none as text now.
#: What its lists announce to screen readers ('3 options available.') follows the browser's language, not the
#: app's (React Aria reads the browser's locale; the accessibility statement says so)
STREAMLIT: set[str] = set()
STREAMLIT_PATTERNS = re.compile(r"^\d+ options? available\.$")
#: platform labels the sandbox's forms show as the platform does and no action declares: the EU Login form's
#: own button (handbook ch. 1), 'Create' of the project form (ch. 7a) and the forms' field labels
PLATFORM = {"Create an account", "Create"} | PLATFORM_LABELS
_VISIBLE_TEXT = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, text = node.textContent.trim(), el = node.parentElement;
    if (!text || !el || el.closest('script, style, [aria-hidden="true"], [data-testid="stIconMaterial"]')) continue;
    if (!el.checkVisibility({visibilityProperty: true, opacityProperty: true})) continue;
    out.push(text);
  }
  return out;
}"""


def _data_words() -> set[str]:
    """Data and platform labels: shown as they are in every language."""
    allowed = {a.label for a in ACTIONS.values() if a.label} | STREAMLIT | PLATFORM
    for a in ACTIONS.values():  # "'Create account' > 'Register on this platform with EU login'"
        allowed |= set(re.findall(r"'([^']+)'", a.platform or ""))
    allowed |= {language_name(code) for code in ("nl", "en", CODE)}
    for name in ("sandbox/world.yaml", "nso.yaml"):
        data = yaml.safe_load((ROOT / "content" / name).read_text(encoding="utf-8"))
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, dict):
                stack.extend(item.values())
            elif isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, str):
                allowed.add(item)
    return allowed


#: a URL or a date CLDR wrote ('30 Novembro 2026'): not words of ours
_NOT_WORDS = re.compile(r"^(https?://\S+|[\w.+-]+@[\w-]+\.[\w.]+|\d{1,2} \w+ \d{4})$")


def unmarked(texts: list[str], allowed: set[str]) -> list[str]:
    return sorted({t for t in texts if re.search(r"[A-Za-z]{3,}", t) and not is_marked(t) and t not in allowed
                   and not _NOT_WORDS.match(t) and not STREAMLIT_PATTERNS.match(t)})


@pytest.fixture(scope="module")
def pseudo_server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("pseudo")
    copy = make_project(tmp)
    server = AppServer("pseudo", {"PYTHONPATH": str(copy), "GUIDE_DATA_DIR": str(tmp / "data")},
                       serve=True, cwd=copy)
    try:
        yield server.start().url
    finally:
        server.stop()


#: the name of the case file the upload state sends: user data, shown as it is
UPLOAD_NAME = "bad.yaml"


def test_every_page_in_the_pseudo_language_shows_only_marked_text(pseudo_server, page):
    allowed = _data_words() | {UPLOAD_NAME}
    found: dict[str, list[str]] = {}

    def look(where: str) -> None:
        assert page.locator("[data-testid='stException']").count() == 0, where
        # what the user sees: after the next frames are painted (the support script has run by then)
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        bad = unmarked(page.evaluate(_VISIBLE_TEXT), allowed)
        if bad:
            found[where] = bad

    page.goto(f"{pseudo_server}/{PAGES[0].url_path}?lang={CODE}")
    settle(page)
    for spec in PAGES:  # by the sidebar's links, as a user goes (a page without one by its address)
        go_to_page(page, pseudo_server, spec.url_path, f"lang={CODE}")
        look(spec.url_path)
    for where, reach in STATES.items():
        reach(page, pseudo_server)
        look(where)
    report = "\n".join(f"{where}: {texts}" for where, texts in found.items())
    assert not found, "text outside the catalogs and the content:\n" + report


# -- the states that matter, reached as a user would --------------------------------------------------

def _open(page: Page, base: str, path: str) -> None:
    page.goto(f"{base}/{path}{'&' if '?' in path else '?'}lang={CODE}")
    settle(page)


def _press(page: Page, selector: str) -> None:
    page.locator(selector).first.click()
    settle(page)


def _fixes_shown(page: Page, base: str) -> None:
    _open(page, base, "flows")
    _press(page, ".st-key-flows_check button")
    assert page.locator("[data-testid='stMain'] [data-testid='stAlert']").count(), "no fix shown after Check"


def _sandbox_form_errors(page: Page, base: str) -> None:
    _open(page, base, "sandbox?part=account")
    choose_screen(page, "create_eu_login")
    _press(page, ".st-key-sb_create_eu_login_submit button")  # no e-mail address typed
    choose_screen(page, "join_etwinning")
    _press(page, ".st-key-sb_join_etwinning_submit button")   # refused: the rule's fix
    _open(page, base, "sandbox?part=project")
    choose_screen(page, "create_project")
    _press(page, ".st-key-sb_create_project_submit button")   # no co-founder to choose
    assert page.locator("[data-testid='stAlert']").count() >= 1


def _workshop_join_error(page: Page, base: str) -> None:
    _open(page, base, "workshop")
    inputs = page.locator("[data-testid='stForm'] input[type='text']")
    inputs.nth(0).fill("ZZZZZZ")
    inputs.nth(1).fill("Anouk")
    _press(page, "[data-testid='stForm'] button")
    assert page.locator("[data-testid='stAlert']").count()


def _trainer_board(page: Page, base: str) -> None:
    _open(page, base, "trainer")
    page.locator("[data-testid='stForm'] input[type='text']").first.fill("Pseudo workshop")
    _press(page, "[data-testid='stForm'] button")
    assert page.locator("[data-testid='stMain'] h2, [data-testid='stMain'] h1").count() >= 1


def _handover(page: Page, base: str) -> None:
    _open(page, base, "troubleshoot?symptom=partner_not_in_cofounder_list")
    for _round in range(12):
        groups = [g for g in page.locator("[data-testid='stMain'] [data-testid='stRadio']").all()
                  if g.locator("input:checked").count() == 0]
        if not groups:
            break
        groups[0].locator("label").last.click()  # 'I don't know'
        settle(page)
    assert page.locator(".st-key-ts_dl_summary").count(), "no hand-over"
    page.locator(".st-key-ts_name input").fill("Joke de Vries")
    page.locator(".st-key-ts_name input").press("Enter")
    settle(page)


def _upload_errors(page: Page, base: str) -> None:
    """A case file with a YAML error, then one with an unknown key (its 'did you mean'), a wrong country code,
    a wrong date and a wrong type: every message and where it is, in the reader's language."""
    _open(page, base, "troubleshoot")
    _press(page, "[data-testid='stTabs'] [role='tab'] >> nth=1")
    upload = page.locator(".st-key-ts_upload input[type=file]")
    for data in (b"version: 1\nperson: {name: x\n",
                 b"version: 1\npersn: {name: x}\ncontacts: [{name: A, country: XX}]\n"
                 b"accounts: [{submitted_on: 2026-02-30}]\nwants: create_project\n"):
        # the file goes up first; the rerun the uploader then asks for reads it
        until_rerun(page, lambda data=data: upload.set_input_files(
            files=[{"name": UPLOAD_NAME, "mimeType": "application/x-yaml", "buffer": data}]))
    problems = page.locator("[data-testid='stMain'] [data-testid='stCode']").last.inner_text()
    assert "persn" in problems and "XX" in problems and "2026-02-30" in problems, problems
    # each line's frame (file, line, field) and its message are both the catalog's: two marks a line
    assert all(line.count("⟦") >= 2 for line in problems.splitlines()), problems
    # over the server's limit the uploader refuses the file itself: its words are ours too
    upload.set_input_files(files=[{"name": UPLOAD_NAME, "mimeType": "application/x-yaml",
                                   "buffer": b"#" * (13 * 1024 * 1024)}])
    settle(page)
    refusal = page.locator("[data-testid='stFileUploader'] [role='alert']")
    refusal.wait_for(state="attached", timeout=30_000)
    assert is_marked(refusal.text_content() or ""), refusal.text_content()
    remove = page.locator("[data-testid='stFileChipDeleteBtn'] button").first.get_attribute("aria-label") or ""
    assert is_marked(remove) and UPLOAD_NAME in remove, remove  # a screen reader's name for 'remove the file'


STATES = {"flows: fixes shown": _fixes_shown, "sandbox: forms with errors": _sandbox_form_errors,
          "workshop: join with an error": _workshop_join_error, "trainer board": _trainer_board,
          "troubleshooter: hand-over": _handover, "troubleshooter: a bad case file": _upload_errors}
