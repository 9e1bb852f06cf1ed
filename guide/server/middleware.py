"""ASGI middleware for the served app: security headers, 404 for unknown /_stcore/ paths, trusted proxies."""

from __future__ import annotations

from typing import Any

Scope = dict[str, Any]

# Resume links and trainer links carry secrets in the address: never send them on as a Referer.
SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", b"frame-ancestors 'self'"),
    (b"x-frame-options", b"SAMEORIGIN"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
)


class SecurityHeaders:
    """Adds SECURITY_HEADERS to every HTTP response that does not set them itself."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: dict) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers += [(k, v) for k, v in SECURITY_HEADERS if k not in present]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class CoreRoutesOnly:
    """Streamlit answers any unknown path with its HTML page (status 200), /_stcore/ included, so a typo in
    a probe path passes silently. Its own /_stcore/ endpoints never answer with HTML; an HTML answer there
    is that fallback, and becomes a 404."""

    PREFIX = "/_stcore/"
    HTML_ALLOWED = ("/_stcore/bidi-components/",)  # component assets may be HTML

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or self.PREFIX not in path or path.startswith(self.HTML_ALLOWED):
            await self.app(scope, receive, send)
            return
        replaced = False

        async def guard(message: dict) -> None:
            nonlocal replaced
            if message["type"] == "http.response.start":
                types = [v for k, v in message.get("headers", []) if k.lower() == b"content-type"]
                if message["status"] == 200 and types and types[0].startswith(b"text/html"):
                    replaced = True
                    await send({"type": "http.response.start", "status": 404,
                                "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                                            (b"content-length", b"10")]})
                    await send({"type": "http.response.body", "body": b"not found\n"})
                    return
            if replaced:
                return  # swallow the HTML body
            await send(message)

        await self.app(scope, receive, guard)


def trusted_proxies_middleware(trusted: tuple[str, ...]) -> Any:
    """X-Forwarded-For and X-Forwarded-Proto believed only from `trusted` addresses (uvicorn's own
    implementation; `guide serve` turns uvicorn's built-in copy off so this one alone decides). With none
    configured, the connecting address is the client: a teacher cannot claim another address."""
    from starlette.middleware import Middleware
    from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

    return Middleware(ProxyHeadersMiddleware, trusted_hosts=list(trusted) or [""])
