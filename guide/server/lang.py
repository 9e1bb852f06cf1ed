"""The page's language on its first load: `<html lang>` of the served page follows the reader's language.

Streamlit serves one static index.html with `<html lang="en">` for every page and every language, so a
screen reader reads a Dutch page with English pronunciation (WCAG 3.1.1). This middleware rewrites that
attribute on page responses to the language the app itself will choose (`?lang=` in the address, then
the browser's Accept-Language, then Dutch; see guide.ui.common.lang) and says so in Content-Language.
It also puts the page's support styles and script (guide.ui.a11y) into the shell: they keep
`document.documentElement.lang` right after the first load, also when the reader switches language, and
come once with the page instead of as elements of every run. The shell is sent uncompressed (it is a few KB):
a compressed one could not be rewritten.

Plain ASGI, no streamlit import; wired in by guide/ui/server.py's app_options().
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import parse_qs

from starlette.middleware import Middleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..i18n import languages, pick_language

#: Streamlit's own machinery: never a page, never rewritten.
_NOT_PAGES = ("/_stcore/", "/static/", "/media/", "/component/", "/app/static/", "/healthz", "/readyz")
_HTML_LANG = re.compile(rb"<html\b([^>]*?)\blang=\"[^\"]*\"", re.IGNORECASE)
#: An index.html is a few KB; anything far larger is not the page shell and passes untouched.
_MAX_BODY = 512 * 1024


def accept_languages(header: str | None) -> list[str]:
    """Accept-Language's tags, most wanted first ('nl-NL,nl;q=0.9,en;q=0.8' -> ['nl-NL', 'nl', 'en'])."""
    if not header:
        return []
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        params = params.strip()
        if params.startswith("q="):
            try:
                q = float(params[2:])
            except ValueError:
                q = 0.0
        if tag and tag != "*" and q > 0:
            ranked.append((-q, index, tag.strip()))
    return [tag for _, _, tag in sorted(ranked)]


def page_language(query_string: bytes, accept_language: str | None) -> str:
    """The language the app will show: ?lang= when it is one of ours, then the browser's, then Dutch."""
    asked = parse_qs(query_string.decode("latin-1")).get("lang", [None])[-1]
    if asked in languages():
        return str(asked)
    return pick_language(*accept_languages(accept_language))


def set_html_lang(body: bytes, lang: str) -> bytes:
    """`body` with its first `<html ... lang="...">` saying `lang` (unchanged when there is none)."""
    safe = re.sub(r"[^A-Za-z0-9-]", "", lang).encode("ascii")
    return _HTML_LANG.sub(lambda m: b"<html" + m.group(1) + b'lang="' + safe + b'"', body, count=1)


def add_to_shell(body: bytes, head: bytes, tail: bytes) -> bytes:
    """`body` with `head` before its `</head>` and `tail` before its `</body>` (each left out when the
    body has no such tag)."""
    for tag, part in ((b"</head>", head), (b"</body>", tail)):
        at = body.lower().rfind(tag)
        if at >= 0 and part:
            body = body[:at] + part + body[at:]
    return body


#: () -> (what goes before </head>, what goes before </body>) of every page shell
Shell = Callable[[], tuple[bytes, bytes]]


class PageLanguage:
    """Rewrites `<html lang>` of HTML page responses and adds `shell`'s parts (pure ASGI, buffers only the
    small page shell)."""

    def __init__(self, app: ASGIApp, shell: Shell | None = None) -> None:
        self.app = app
        self.shell = shell

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or scope.get("method") != "GET" or path.startswith(_NOT_PAGES):
            await self.app(scope, receive, send)
            return
        headers = scope.get("headers") or []
        accept = next((v.decode("latin-1") for k, v in headers if k == b"accept-language"), None)
        lang = page_language(scope.get("query_string", b""), accept)
        # the shell differs per language now: never answer 304 from a copy made for another language; and
        # never compressed, or it could not be rewritten
        scope = {**scope, "headers": [(k, v) for k, v in headers
                                      if k not in (b"if-none-match", b"if-modified-since", b"accept-encoding")]}
        start: Message | None = None
        chunks: list[bytes] = []
        passing = False

        async def send_rewritten(message: Message) -> None:
            nonlocal start, passing
            if passing:
                await send(message)
                return
            if message["type"] == "http.response.start":
                hdrs = message.get("headers", [])
                ctype = next((v for k, v in hdrs if k.lower() == b"content-type"), b"")
                encoded = any(k.lower() == b"content-encoding" for k, _ in hdrs)
                if not ctype.startswith(b"text/html") or encoded:
                    passing = True
                    await send(message)
                    return
                start = message
                return
            if message["type"] == "http.response.body" and start is not None:
                chunks.append(message.get("body", b""))
                size = sum(len(c) for c in chunks)
                if message.get("more_body", False) and size <= _MAX_BODY:
                    return
                body = b"".join(chunks)
                if not message.get("more_body", False):
                    body = set_html_lang(body, lang)
                    if self.shell is not None:
                        body = add_to_shell(body, *self.shell())
                hdrs = [(k, v) for k, v in start.get("headers", [])
                        if k.lower() not in (b"content-length", b"etag", b"last-modified", b"content-language")]
                if not message.get("more_body", False):
                    hdrs.append((b"content-length", str(len(body)).encode("ascii")))
                hdrs += [(b"content-language", lang.encode("ascii")), (b"cache-control", b"no-cache")]
                hdrs = [(k, v) for i, (k, v) in enumerate(hdrs)
                        if k.lower() != b"cache-control" or i == len(hdrs) - 1]
                passing = True
                await send({**start, "headers": hdrs})
                await send({**message, "body": body})
                return
            await send(message)

        await self.app(scope, receive, send_rewritten)


def page_language_middleware(shell: Shell | None = None) -> list[Middleware]:
    return [Middleware(PageLanguage, shell=shell)]
