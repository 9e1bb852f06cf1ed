"""What the served app adds around Streamlit, as plain ASGI (no streamlit import here): probes, security
headers, trusted proxies, start-up migration, logging. guide/ui/server.py assembles it into `st.App`.

Other issues extend it by appending to ROUTES / MIDDLEWARE in `parts()` (or passing their own to
`guide.ui.server.create_app(routes=..., middleware=...)`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .health import Readiness, health_routes
from .middleware import CoreRoutesOnly, SecurityHeaders, trusted_proxies_middleware
from .settings import ServerSettings


@dataclass
class Parts:
    """Routes, middleware and the start-up hook of the served app."""

    routes: list[Any] = field(default_factory=list)
    middleware: list[Any] = field(default_factory=list)
    readiness: Readiness | None = None


def parts(settings: ServerSettings | None = None) -> Parts:
    from starlette.middleware import Middleware

    settings = settings or ServerSettings.from_env()
    readiness = Readiness(settings)
    return Parts(
        routes=health_routes(readiness),
        # outermost first: the client address is settled before anything logs or counts it
        middleware=[trusted_proxies_middleware(settings.trusted_proxies),
                    Middleware(SecurityHeaders),
                    Middleware(CoreRoutesOnly)],
        readiness=readiness,
    )


__all__ = ["Parts", "Readiness", "ServerSettings", "parts"]
