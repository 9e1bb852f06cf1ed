"""The app served as ASGI: Streamlit's `st.App` around app.py, under uvicorn.

    python -m guide serve [--host 0.0.0.0] [--port 8501]      (what `make run` and the container run)
    uvicorn --factory guide.ui.server:create_app               (any ASGI server; then pass
                                                                --forwarded-allow-ips '' yourself)

Adds to Streamlit: the browser key (guide.ui.identity_routes), /healthz (liveness), /readyz (readiness: database reachable, schema current),
migration at start-up under a lock, security headers, a 404 for unknown /_stcore/ paths, client
addresses from X-Forwarded-For only when the connection comes from GUIDE_TRUSTED_PROXIES, log lines with
time and level (GUIDE_LOG_LEVEL, GUIDE_LOG_FORMAT=json), and script errors logged with a reference that
the teacher sees in a translated message instead of Streamlit's exception box.

Lives under guide/ui because it imports streamlit; the parts that do not are in guide/server/.
"""

from __future__ import annotations

import gc
import logging
import os
import sys
import threading
import uuid
from collections.abc import Mapping, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import streamlit as st

from ..server import parts as server_parts

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "app.py"
log = logging.getLogger("guide.server")


def on_script_error(exc: Exception) -> bool:
    """An uncaught error in a page: one log line with a reference, session and page (and the traceback),
    and for the teacher a message in their language with that reference, for the helpdesk."""
    ref = uuid.uuid4().hex[:10]
    session = page = None
    try:
        from streamlit.runtime.scriptrunner import get_script_run_ctx

        ctx = get_script_run_ctx()
        if ctx is not None:
            session, page = ctx.session_id, ctx.page_script_hash
    except Exception:  # logging must not fail on a missing context
        pass
    log.error("script error ref=%s session=%s page=%s: %s: %s", ref, session, page, type(exc).__name__, exc,
              exc_info=exc, extra={"ref": ref, "session": session, "page": page})
    try:
        from .common import _

        st.error(_("Something went wrong on our side. Please try again in a moment. If it keeps "
                   "happening, give the helpdesk this reference: {ref}").format(ref=ref),
                 icon=":material/error:")
    except Exception:  # cannot show our message: let Streamlit show its own
        return False
    return True


def app_options(routes: Sequence[Any] = (), middleware: Sequence[Any] = ()) -> dict[str, Any]:
    """st.App's keyword arguments: our routes, middleware, lifespan and error handler; extra `routes` and
    `middleware` come after the built-in ones. (app.py spells out `st.App(__file__, **app_options())`
    so that `streamlit run app.py` recognises the ASGI app.)"""
    from .. import logs
    from ..server.lang import page_language_middleware  # <html lang> of the first load (issue 14)
    from .a11y import shell_parts  # the page's support styles and script, in the shell (issue 16)
    from .identity_routes import identity_middleware

    server = server_parts()
    readiness = server.readiness
    assert readiness is not None, "server_parts() builds the readiness check"
    logs.configure(readiness.settings.log_level, readiness.settings.log_format)
    # Streamlit would log the same exception again without our reference
    logging.getLogger("streamlit.error_util").setLevel(logging.CRITICAL)

    @asynccontextmanager
    async def lifespan(_app: st.App):
        logs.configure(readiness.settings.log_level, readiness.settings.log_format)
        readiness.start()
        keeper = None
        if os.environ.get("GUIDE_GC_FREEZE", "1") != "0":
            settle_heap()
            keeper = HeapKeeper().start()
        try:
            yield {"readiness": readiness}
        finally:
            if keeper is not None:
                keeper.stop()
            await readiness.stop()

    return {"routes": [*server.routes, *routes],
            "middleware": [*server.middleware, *identity_middleware(), *page_language_middleware(shell_parts),
                           *middleware],
            "lifespan": lifespan, "on_script_error": on_script_error}


def settle_heap() -> None:
    """What every page run reads is made once at start-up (both languages' content, the page modules), then
    the start-up heap is moved out of the garbage collector's way (gc.freeze): its automatic collections
    no longer walk the objects that live as long as the process, only what the sessions make. Nothing is
    leaked: what is frozen was never going to be freed."""
    import contextlib
    import gc
    import importlib

    from ..content import load_all
    from ..errors import ContentError
    from .app import PAGES

    with contextlib.suppress(ContentError):  # the pages tell the operator (guide.ui.app.main)
        load_all()
    for spec in PAGES:
        importlib.import_module(f"guide.ui.pages.{spec.module}")
    gc.collect()
    gc.freeze()


class HeapKeeper:
    """The whole heap collected on a schedule, not by the collector's own count. Its automatic full
    collections walk everything the sessions hold (~50 ms for a room of 100, the interpreter held meanwhile)
    and, in a busy room of 100, came every few hundred page runs (3 in 1,000 measured: ~0.3 ms a run). Young objects are still
    collected as they come (generations 0 and 1, as before); the full collection, which frees the cycles
    that outlived them, runs every `every_s` seconds in a thread of its own (bench/memory.py: RSS stays
    flat)."""

    NEVER = 1_000_000_000  # generation 2's threshold: full collections that many young ones apart

    def __init__(self, every_s: float = 30.0):
        self.every_s = every_s
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._threshold: tuple[int, int, int] | None = None

    def start(self) -> HeapKeeper:
        self._threshold = gc.get_threshold()
        gc.set_threshold(self._threshold[0], self._threshold[1], self.NEVER)
        self._thread = threading.Thread(target=self._run, name="guide-heap-keeper", daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.wait(self.every_s):
            gc.collect()

    def stop(self) -> None:
        """The collector's own schedule again (a server that stops; tests)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        if self._threshold is not None:
            gc.set_threshold(*self._threshold)


def create_app(routes: Sequence[Any] = (), middleware: Sequence[Any] = ()) -> st.App:
    """The ASGI app (for `uvicorn --factory guide.ui.server:create_app` and `serve`)."""
    return st.App(SCRIPT, **app_options(routes, middleware))


def streamlit_env_options(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Streamlit options set as STREAMLIT_* variables (STREAMLIT_SERVER_MAX_UPLOAD_SIZE=2, ...), typed.
    `streamlit run` reads them through its command line; App.run() does not, so `serve` passes them on
    (sensitive ones, such as the cookie secret, Streamlit reads from the environment itself)."""
    from streamlit import config as st_config

    env: Mapping[str, str] = os.environ if environ is None else environ
    out: dict[str, Any] = {}
    for name, option in st_config._config_options_template.items():
        raw = env.get(option.env_var or "")
        if raw is None or option.sensitive or name in {"server.address", "server.port"}:
            continue
        kind = option.type
        if kind is bool:
            if raw.strip().lower() not in {"true", "false", "1", "0"}:
                raise ValueError(f"{option.env_var}={raw!r}: expected true or false")
            out[name] = raw.strip().lower() in {"true", "1"}
        elif kind in (int, float):
            try:
                out[name] = kind(raw)
            except ValueError:
                raise ValueError(f"{option.env_var}={raw!r}: expected a number") from None
        else:
            out[name] = raw
    return out


def serve(host: str = "127.0.0.1", port: int = 8501) -> None:
    """Run the app under uvicorn (blocks). Streamlit's runner: port handling, websocket settings, signals."""
    # uvicorn's own proxy-header layer trusts nobody; the TrustedProxies middleware alone decides
    os.environ["FORWARDED_ALLOW_IPS"] = ""
    # the script-level config (.streamlit/ beside app.py) applies wherever this is started from
    sys.argv = [str(SCRIPT)]
    options = {**streamlit_env_options(), "server.address": host, "server.port": port}
    app = create_app()
    app.run(config=options)
