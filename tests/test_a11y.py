"""The page-language middleware's parts, the page shell with its support styles and script, and the script's one
trap, without a browser."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from appserver import run_async
from apptest_tools import open_page, shown

from guide import CONTENT_DIR, LANGUAGES, find_languages
from guide.content.lint import lint_lines
from guide.content.loader import load_content
from guide.i18n import format_date, language_name, translator
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


def test_the_support_script_cannot_end_early():
    # a '<' followed by a letter, '/' or '!' inside the page's <script> would end it or start markup
    body = _SCRIPT.split("<script>", 1)[1].rsplit("</script>", 1)[0]
    assert not re.search(r"<[/\w!]", body)


def _served(path: str, accept_encoding: str) -> tuple[dict[str, str], bytes]:
    """A page shell as PageLanguage serves it, from an app that compresses what it may (as Streamlit does)."""
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.middleware.gzip import GZipMiddleware
    from starlette.responses import HTMLResponse
    from starlette.routing import Route

    from guide.server.lang import PageLanguage
    from guide.ui.a11y import shell_parts

    shell = '<!doctype html><html lang="en"><head><title>x</title></head><body><div id="root"></div>'
    shell += "<!-- " + "a shell of a few KB, worth compressing " * 40 + "--></body></html>"

    async def page(request):
        return HTMLResponse(shell)

    inner = Starlette(routes=[Route("/{page}", page)], middleware=[Middleware(GZipMiddleware, minimum_size=10)])
    app = PageLanguage(inner, shell=shell_parts)
    route, _, query = path.partition("?")
    scope = {"type": "http", "method": "GET", "path": route, "raw_path": route.encode(), "root_path": "",
             "query_string": query.encode(), "scheme": "http", "server": ("test", 80), "client": ("test", 1),
             "http_version": "1.1", "asgi": {"version": "3.0"},
             "headers": [(b"host", b"test"), (b"accept-encoding", accept_encoding.encode()),
                         (b"accept-language", b"nl-NL")]}
    sent: list[dict] = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    run_async(app(scope, receive, send))  # not asyncio.run: a worker may already hold the session's chromium
    headers = {k.decode().lower(): v.decode() for k, v in sent[0]["headers"]}
    return headers, b"".join(m.get("body", b"") for m in sent[1:])


@pytest.mark.parametrize("accept_encoding", ["gzip, deflate, br", "identity"])
def test_every_page_shell_says_its_language_and_brings_the_support_styles_and_script(accept_encoding):
    """As a browser asks for a deep link (compressed, please): the shell still says the page's language and
    has the styles and the script that keep it so, once per page load (issue #16: not an element of every run)."""
    headers, body = _served("/flows?lang=en", accept_encoding)
    assert headers.get("content-language") == "en" and "content-encoding" not in headers
    page = body.decode()
    assert '<html lang="en">' in page
    head, tail = page.split("</head>", 1)
    assert "outline: 3px solid" in head, "the focus styles, in the head"
    assert "__guideWords" in tail.split("</body>", 1)[0], "the script, at the end of the body"
    words = json.loads(re.search(r"var WORDS = (\{.*?\});", page).group(1))
    assert set(words) == set(LANGUAGES)
    assert words["nl"]["Skip to main content"] == translator("nl").gettext("Skip to main content")


@pytest.mark.parametrize("page", ["flows", "start"])
def test_a_page_run_draws_no_styles_or_scripts(page):
    """They come with the page shell (above): a run sends the page only."""
    at = open_page(page, "en").run()
    assert not at.exception and at.get("html") == []


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
