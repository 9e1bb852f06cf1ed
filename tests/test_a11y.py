"""The page-language middleware's parts and the support script's one trap, without a browser."""

from __future__ import annotations

import re
import shutil

import pytest
from apptest_tools import open_page, shown

from guide import CONTENT_DIR, find_languages
from guide.content.lint import lint_lines
from guide.content.loader import load_content
from guide.i18n import format_date, language_name
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


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_statement_is_content_with_its_check_date(lang):
    """Every word and the check date of the statement come from content/<lang>/accessibility.yaml."""
    statement = load_content(lang).require("accessibility.yaml")
    at = open_page("accessibility", lang).run()
    assert not at.exception
    assert at.title[0].value == statement.title
    assert [h.value for h in at.header] == [s.heading for s in statement.sections]
    text = shown(at)
    assert format_date(statement.checked, lang) in text and "{date}" not in text and "{email}" not in text
    assert "mailto:etwinning@nuffic.nl" in text  # the contact: the Dutch NSO


def test_a_check_date_that_differs_between_languages_fails_lint(tmp_path, monkeypatch):
    root = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, root)
    monkeypatch.setenv("GUIDE_CACHE_DIR", str(tmp_path / "cache"))
    path = root / "en" / "accessibility.yaml"
    text = path.read_text(encoding="utf-8")
    checked = re.search(r"^checked: (\S+)$", text, re.M)
    assert checked
    path.write_text(text.replace(checked.group(0), "checked: 2020-01-01"), encoding="utf-8")
    code, lines = lint_lines(root)
    assert code == 2 and any("content/en/accessibility.yaml" in line and "checked" in line for line in lines), lines
