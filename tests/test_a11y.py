"""The page-language middleware's parts and the support script's one trap, without a browser."""

from __future__ import annotations

import re

from guide import find_languages
from guide.i18n import language_name
from guide.server.lang import accept_languages, page_language, set_html_lang
from guide.ui.a11y import _SCRIPT


def test_accept_language_is_ranked_by_q():
    assert accept_languages("en;q=0.5, nl-NL, nl;q=0.9, *;q=0.1") == ["nl-NL", "nl", "en"]
    assert accept_languages("") == [] and accept_languages("fr;q=0") == []


def test_the_page_language_is_the_apps_choice():
    assert page_language(b"lang=en", "nl-NL") == "en"
    assert page_language(b"lang=xx", "en-GB,en;q=0.9") == "en"  # not one of ours: the browser's
    assert page_language(b"", "fr-FR, de;q=0.8") == "nl"  # none of ours: Dutch


def test_only_the_html_element_changes():
    shell = b'<!doctype html>\n<html lang="en">\n<head><meta lang="en"></head>'
    assert set_html_lang(shell, "nl") == b'<!doctype html>\n<html lang="nl">\n<head><meta lang="en"></head>'
    assert set_html_lang(shell, 'nl" onload="x') == shell.replace(b'lang="en">\n<head>', b'lang="nlonloadx">\n<head>', 1)


def test_the_support_script_survives_streamlits_sanitiser():
    # DOMPurify drops a <script> whose text has '<' followed by a letter, '/' or '!'
    body = _SCRIPT.split("<script>", 1)[1].rsplit("</script>", 1)[0]
    assert not re.search(r"<[/\w!]", body)


def test_languages_are_the_folders(tmp_path):
    (tmp_path / "content" / "nl").mkdir(parents=True)
    (tmp_path / "content" / "de").mkdir()
    (tmp_path / "content" / "schema").mkdir()  # not a language: no catalog
    for code in ("nl", "de", "fr"):  # fr: a catalog without content is no language either
        (tmp_path / "locales" / code / "LC_MESSAGES").mkdir(parents=True)
    assert find_languages(tmp_path / "content", tmp_path / "locales") == ("nl", "de")
    assert [language_name(c) for c in ("nl", "en", "de")] == ["Nederlands", "English", "Deutsch"]
