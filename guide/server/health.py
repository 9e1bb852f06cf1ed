"""Probes and start-up: liveness (/healthz: the process answers) and readiness (/readyz: the database is
reachable and its schema is the one this code needs). At start-up the replica migrates (under the
migration lock, guide.store.migrate) or, with GUIDE_MIGRATE=0, waits for the rollout job to do it; until
then /readyz says 503 and why, so no proxy or Service sends it teachers."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import TYPE_CHECKING, Any

from .settings import ServerSettings

if TYPE_CHECKING:
    from sqlalchemy import Engine

log = logging.getLogger(__name__)
CHECK_TIMEOUT_S = 3.0
RETRY_MAX_S = 10.0


class Readiness:
    def __init__(self, settings: ServerSettings, url: str | None = None) -> None:
        self.settings = settings
        self._url = url
        self.prepared = False      # schema reached head once in this process
        self.problem = "starting"  # why not ready, for /readyz and the log
        self._engine: Engine | None = None
        self._task: asyncio.Task | None = None

    @property
    def url(self) -> str:
        from ..store.settings import database_url

        self._url = self._url or database_url()
        return self._url

    # -- start-up -------------------------------------------------------------------------------------
    def _prepare_once(self) -> bool:
        from ..store.engine import get_engine
        from ..store.migrate import schema_state
        from ..store.settings import redact

        engine = get_engine(self.url, migrate=self.settings.migrate_on_start)
        state = schema_state(engine)
        if state.ready:
            self._engine = engine
            return True
        self.problem = state.error or f"schema at {state.current or 'nothing'}, this code needs {state.head}"
        if not self.settings.migrate_on_start:
            from ..store.engine import dispose_all

            dispose_all()  # look again next time: the cached engine must not stand for a checked schema
        log.warning("not ready: %s (%s)", self.problem, redact(self.url))
        return False

    async def prepare(self) -> None:
        """Until the schema is current: migrate (or wait for the job), retrying with back-off."""
        delay = 1.0
        started = time.monotonic()
        while True:
            try:
                if await asyncio.to_thread(self._prepare_once):
                    break
            except Exception as exc:  # database down, refused, timed out: try again
                reason = getattr(exc, "orig", None) or exc
                self.problem = f"{type(exc).__name__}: {str(reason).splitlines()[0][:200] if str(reason) else ''}"
                log.warning("start-up: database not usable yet, retrying in %.0f s: %s", delay, self.problem)
            await asyncio.sleep(delay)
            delay = min(delay * 2, RETRY_MAX_S)
        self.prepared = True
        self.problem = ""
        log.info("ready: schema current after %.1f s", time.monotonic() - started)

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self.prepare())

    async def stop(self) -> None:
        if self._task and not self._task.done():
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task

    # -- probes ---------------------------------------------------------------------------------------
    async def check(self) -> tuple[bool, str]:
        if not self.prepared or self._engine is None:
            return False, self.problem or "starting"
        from ..store.migrate import schema_state

        try:
            state = await asyncio.wait_for(asyncio.to_thread(schema_state, self._engine), CHECK_TIMEOUT_S)
        except TimeoutError:
            return False, f"database did not answer within {CHECK_TIMEOUT_S:.0f} s"
        if state.ready:
            return True, f"schema {state.current}"
        return False, state.error or f"schema at {state.current or 'nothing'}, this code needs {state.head}"


def health_routes(readiness: Readiness) -> list[Any]:
    from starlette.responses import PlainTextResponse
    from starlette.routing import Route

    async def live(_request: Any) -> PlainTextResponse:
        return PlainTextResponse("ok\n", headers={"cache-control": "no-store"})

    async def ready(_request: Any) -> PlainTextResponse:
        ok, why = await readiness.check()
        return PlainTextResponse(("ready: " if ok else "not ready: ") + why + "\n", status_code=200 if ok else 503,
                                 headers={"cache-control": "no-store"})

    return [Route("/healthz", live, methods=["GET", "HEAD"]), Route("/readyz", ready, methods=["GET", "HEAD"])]
