"""Every page of the app starts in both languages under the real Streamlit runtime (AppTest)."""

from __future__ import annotations

import pytest
from apptest_tools import APP, TIMEOUT, open_page, texts
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from guide.i18n import translator
from guide.ui.app import PAGES


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
