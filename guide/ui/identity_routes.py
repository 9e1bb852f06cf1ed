"""HTTP middleware for the browser key: every browser gets one random HttpOnly cookie on its first page.

The key itself means nothing: it names no person and nothing is stored about it until the person
changes something. Then `guide.ui.identity` files the learner, workshop seat or trainer board under the
key's hash in the database (`guide.store.browsers`), so a reload, a new tab opened from the app, a
restarted server and another replica all find the same person again. The cookie is HttpOnly (no
script reads it), SameSite=Lax (not sent on cross-site requests) and Secure behind HTTPS.

Every response also carries `Referrer-Policy: no-referrer`: a resume or seat link in the address bar
never travels to another site in a Referer header.

Wired into the ASGI app by guide/ui/server.py (app_options).
"""

from __future__ import annotations

from http.cookies import SimpleCookie

from starlette.middleware import Middleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..store.tokens import new_token

COOKIE = "guide_browser"
MAX_AGE = 400 * 24 * 3600  # the longest browsers keep a cookie (RFC 6265bis caps at 400 days)
#: Streamlit's own machinery: no page is served there, so no key is handed out there.
_NOT_PAGES = ("/_stcore/", "/static/", "/media/", "/component/", "/app/static/")


def browser_key(cookie_header: str | None) -> str | None:
    """The browser key in a Cookie header (None when absent or not one of ours)."""
    if not cookie_header:
        return None
    jar = SimpleCookie()
    try:
        jar.load(cookie_header)
    except Exception:  # a malformed Cookie header from some other site's script
        return None
    morsel = jar.get(COOKIE)
    value = morsel.value if morsel else None
    return value if value and 20 <= len(value) <= 64 and value.replace("-", "").replace("_", "").isalnum() else None


def _set_cookie(key: str, secure: bool) -> bytes:
    parts = [f"{COOKIE}={key}", "Path=/", f"Max-Age={MAX_AGE}", "HttpOnly", "SameSite=Lax"]
    if secure:
        parts.append("Secure")
    return "; ".join(parts).encode("latin-1")


def _header(scope: Scope, name: bytes) -> str | None:
    for k, v in scope.get("headers") or ():
        if k == name:
            return v.decode("latin-1")
    return None


class BrowserKeyMiddleware:
    """Pure ASGI: hands out the browser key on page responses and sets Referrer-Policy everywhere."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        needs_key = (scope.get("method") == "GET" and not path.startswith(_NOT_PAGES)
                     and browser_key(_header(scope, b"cookie")) is None)
        forwarded = (_header(scope, b"x-forwarded-proto") or "").split(",")[0].strip()
        secure = scope.get("scheme") == "https" or forwarded == "https"

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"referrer-policy"]
                headers.append((b"referrer-policy", b"no-referrer"))
                content_type = next((v for k, v in headers if k.lower() == b"content-type"), b"")
                if needs_key and content_type.startswith(b"text/html"):
                    headers.append((b"set-cookie", _set_cookie(new_token(), secure)))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def identity_middleware() -> list[Middleware]:
    return [Middleware(BrowserKeyMiddleware)]
