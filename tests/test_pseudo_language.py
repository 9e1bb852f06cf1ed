"""The pseudo-language walk: in a generated language where every catalog message and content text is
marked (tests/pseudo_lang.py), every page shows only marked text, apart from data (the sandbox's
schools and teachers, the NSO's name), the platform's own labels and a short list of Streamlit's words.
Visible text without a mark is a string outside the catalogs and the content."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from appserver import AppServer, settle
from pseudo_lang import CODE, is_marked, make_project

from guide.i18n import language_name
from guide.sandbox.actions import ACTIONS
from guide.ui.app import PAGES

ROOT = Path(__file__).resolve().parent.parent
#: Streamlit's own words, which it does not let an app translate (the accessibility statement names them)
STREAMLIT = {"Skip to main content", "Main menu", "Link to heading", "Choose an option", "No results",
             "Drag and drop file here", "Browse files", "Press Enter to apply", "Press Enter to submit form"}
#: platform labels the sandbox's forms show as the platform does and no action declares: the EU Login
#: form's own button (handbook ch. 1)
PLATFORM = {"Create an account"}
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
                   and not _NOT_WORDS.match(t)})


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


def test_every_page_in_the_pseudo_language_shows_only_marked_text(pseudo_server, page):
    allowed = _data_words()
    found: dict[str, list[str]] = {}
    for spec in PAGES:
        page.goto(f"{pseudo_server}/{spec.url_path}?lang={CODE}")
        settle(page)
        assert page.locator("[data-testid='stException']").count() == 0, spec.url_path
        bad = unmarked(page.evaluate(_VISIBLE_TEXT), allowed)
        if bad:
            found[spec.url_path] = bad
    report = "\n".join(f"{where}: {texts}" for where, texts in found.items())
    assert not found, "text outside the catalogs and the content:\n" + report
