"""The load benchmark's client (bench/_stclient.py) speaks Streamlit's websocket protocol to the served app:
it opens the flows page, picks a step and presses 'Check' like a browser, and sees no error."""

from __future__ import annotations

import asyncio

from appserver import start

from bench._stclient import Session


def test_the_benchmark_client_drives_the_served_app_like_a_browser(tmp_path):
    server = start("bench-client", {"GUIDE_DATA_DIR": str(tmp_path)})
    try:
        server.wait_for("/readyz")

        async def user() -> Session:
            s = Session(server.base, timeout=60)
            await s.connect()
            await s.open("flows", "lang=en")
            steps = s.widget("flows_step").proto.options
            await s.choose("flows_step", 1, "lang=en")
            await s.press("flows_check", "lang=en")
            await s.close()
            assert len(steps) > 2
            return s

        s = asyncio.run(user())
        assert s.exceptions == []
        assert {"flows_step", "flows_check", "lang_switch"} <= set(s.widgets)
    finally:
        server.stop()
