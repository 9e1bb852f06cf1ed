"""Every page of the app starts in both languages under the real Streamlit runtime (AppTest)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from guide.i18n import translator
from guide.ui.app import PAGES

APP = "../app.py"
TIMEOUT = 60


def open_page(url_path: str, lang: str | None = "nl", **params: str) -> AppTest:
    """An AppTest of the whole app (app.py, st.navigation, sidebar) opened at /<url_path>?lang=..&params.

    AppTest.switch_page() only knows file pages; ours are callables. st.Page identifies a page by the
    hash of its url_path, which is what a browser's rerun request carries, so the test sends that.
    """
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    if lang:
        at.query_params["lang"] = lang
    at.query_params.update(params)
    at._page_hash = calc_hash(url_path)
    return at


def walk(node):
    """Every element under a block, in page order."""
    yield node
    for child in getattr(node, "children", {}).values():
        yield from walk(child)


def texts(at: AppTest) -> list[str]:
    """The text of every heading, Markdown, caption, text, alert and code element of the main area, in order."""
    return [n.value for n in walk(at.main) if isinstance(getattr(n, "value", None), str)
            and type(n).__name__ in {"Title", "Header", "Subheader", "Markdown", "Caption", "Text", "Code",
                                     "Info", "Warning", "Error", "Success"}]


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("spec", PAGES, ids=[p.url_path for p in PAGES])
def test_every_page_renders_in_both_languages(spec, lang):
    at = open_page(spec.url_path, lang).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at._finished_page_script_hash == calc_hash(spec.url_path), "the test did not reach the page"
    assert texts(at), f"page {spec.url_path} shows nothing"
    assert at.sidebar.children[0].value == lang  # the language switch shows the language in use


def test_the_language_switch_changes_the_words_and_the_url():
    at = open_page("handbook", "nl").run()
    assert at.title[0].value == translator("nl").gettext("Handbook") == "Handleiding"
    at.sidebar.children[0].set_value("en").run()
    assert at.title[0].value == "Handbook"
    assert at.query_params["lang"] == "en"


@pytest.mark.parametrize(("locale", "expected"), [("en-GB", "Handbook"), ("nl-BE", "Handleiding"),
                                                  ("fr-FR", "Handleiding")])
def test_without_lang_in_the_url_the_browser_language_decides(locale, expected):
    at = open_page("handbook", lang=None)
    at.context = {"locale": locale}
    at.run()
    assert at.title[0].value == expected


def test_lang_in_the_url_beats_the_browser_language():
    at = open_page("handbook", lang="nl")
    at.context = {"locale": "en-US"}
    at.run()
    assert at.title[0].value == "Handleiding"


def test_language_is_per_session_not_per_process():
    english = open_page("handbook", "en").run()
    dutch = open_page("handbook", "nl").run()
    english.run()  # rerun the first session after the second one chose Dutch
    assert english.title[0].value == "Handbook" and dutch.title[0].value == "Handleiding"


def test_the_app_root_lands_on_the_start_page_keeping_the_language():
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["lang"] = "en"
    at.run()
    assert not at.exception
    assert at._finished_page_script_hash == calc_hash("start")
    assert at.query_params["lang"] == "en"
