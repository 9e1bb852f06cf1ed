"""The served app (`python -m guide serve`: st.App under uvicorn) as an operator meets it: probes that tell
'alive' from 'ready', security headers, no 200 for made-up /_stcore/ paths, log lines with time and level
and no secrets, bad settings refused by name, proxies trusted only when configured, and a script error
shown to the teacher as a translated message with a reference that is also in the log."""

from __future__ import annotations

import json
import logging
import subprocess
import sys

import pytest
from appserver import ROOT, free_port, get, run_async, start
from pg import fresh_database

from guide.server.middleware import trusted_proxies_middleware
from guide.server.settings import parse_proxies
from guide.store.migrate import head_revision

#: one worker runs this module (pytest-xdist --dist loadgroup): the db_down server is started once
pytestmark = pytest.mark.xdist_group("server")


@pytest.fixture(scope="module")
def db_down():
    """A replica whose PostgreSQL does not answer (nothing listens on the port); JSON log lines."""
    url = f"postgresql+psycopg://guide:s3cr3t-pw@127.0.0.1:{free_port()}/guide"
    server = start("db-down", {"GUIDE_DATABASE_URL": url, "GUIDE_LOG_FORMAT": "json", "GUIDE_LOG_LEVEL": "INFO"})
    try:
        server.wait_for("/healthz")
        server.wait_for("/readyz", status=503, contains="OperationalError")  # the first attempt failed
        yield server
    finally:
        server.stop()


def test_alive_but_not_ready_while_the_database_is_unreachable(db_down):
    status, _, body = get(db_down.base + "/readyz")
    assert status == 503 and body.startswith("not ready: OperationalError"), (status, body)
    assert get(db_down.base + "/healthz")[0] == 200  # liveness: restarting would not bring the database back
    assert "s3cr3t-pw" not in body


def test_made_up_core_paths_are_404_and_streamlits_own_still_work(db_down):
    for path in ("/_stcore/nonexistent", "/_stcore/script-health-check", "/_stcore/healthz"):
        status, headers, _ = get(db_down.base + path)
        assert status == 404, path
    assert get(db_down.base + "/_stcore/health")[:3:2] == (200, "ok")
    status, headers, body = get(db_down.base + "/_stcore/host-config")
    assert status == 200 and headers["content-type"].startswith("application/json")
    status, headers, body = get(db_down.base + "/start")  # pages are still the app's HTML
    assert status == 200 and "<html" in body.lower()


def test_every_response_carries_the_security_headers(db_down):
    for path in ("/start", "/healthz", "/readyz", "/_stcore/health", "/_stcore/nonexistent"):
        _, headers, _ = get(db_down.base + path)
        assert "frame-ancestors 'self'" in headers.get("content-security-policy", ""), path
        assert headers.get("x-content-type-options") == "nosniff", path
        assert headers.get("referrer-policy") == "no-referrer", path  # resume links never leak as Referer


def test_log_lines_are_json_with_time_level_and_event_and_no_password(db_down):
    db_down.wait_for("/readyz", status=503)
    lines = [line for line in db_down.log_text().splitlines() if line.startswith("{")]
    entries = [json.loads(line) for line in lines]
    assert entries, db_down.log_text()[-2000:]
    assert all({"time", "level", "logger", "event"} <= set(e) for e in entries)
    assert any(e["level"] == "WARNING" and "database not usable yet" in e["event"] for e in entries)
    assert "s3cr3t-pw" not in db_down.log_text()


def test_a_replica_waiting_for_the_migration_job_becomes_ready_once_the_job_ran():
    url = fresh_database()
    server = start("wait-for-job", {"GUIDE_DATABASE_URL": url, "GUIDE_MIGRATE": "0"})
    try:
        body = server.wait_for("/readyz", status=503, contains="schema at")
        assert body == f"not ready: schema at nothing, this code needs {head_revision()}\n", body
        job = subprocess.run([sys.executable, "-m", "guide", "db", "upgrade", "--url", url], cwd=ROOT,
                             capture_output=True, text=True, timeout=120)
        assert job.returncode == 0, job.stderr
        assert server.wait_for("/readyz", status=200, timeout=60).startswith("ready: schema ")
        text = server.log_text()
        assert " WARNING guide.server.health not ready: schema at nothing" in text  # text lines: time level logger
        assert " INFO guide.server.health ready: schema current" in text
    finally:
        server.stop()


@pytest.mark.parametrize("variable,value", [("GUIDE_TRUSTED_PROXIES", "nginx.local"), ("GUIDE_LOG_LEVEL", "LOUD"),
                                            ("GUIDE_LOG_FORMAT", "xml"), ("GUIDE_MIGRATE", "maybe"),
                                            ("STREAMLIT_RUNNER_POST_SCRIPT_GC", "maybe"),
                                            ("STREAMLIT_SERVER_MAX_UPLOAD_SIZE", "lots")])
def test_a_bad_setting_stops_the_start_and_names_the_variable(variable, value):
    done = subprocess.run([sys.executable, "-m", "guide", "serve", "--port", str(free_port())], cwd=ROOT,
                          capture_output=True, text=True, timeout=60, env={**_env(), variable: value})
    assert done.returncode == 2
    assert variable in done.stderr and value in done.stderr


def test_streamlit_options_from_the_environment_reach_the_served_app_typed():
    from guide.ui.server import streamlit_env_options

    got = streamlit_env_options({"STREAMLIT_RUNNER_POST_SCRIPT_GC": "true", "STREAMLIT_SERVER_MAX_UPLOAD_SIZE": "3",
                                 "STREAMLIT_SERVER_FILE_WATCHER_TYPE": "auto", "STREAMLIT_SERVER_PORT": "1",
                                 "STREAMLIT_SERVER_COOKIE_SECRET": "not passed on: Streamlit reads it itself"})
    assert got == {"runner.postScriptGC": True, "server.maxUploadSize": 3, "server.fileWatcherType": "auto"}


def _env() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if not k.startswith("GUIDE_") or k in ("GUIDE_DATA_DIR",)}


def _client_seen(trusted: str, peer: str, forwarded: str | None) -> str:
    """The client address the app sees behind the trusted-proxies middleware (uvicorn's implementation)."""
    seen = {}

    async def app(scope, receive, send):
        seen["client"] = scope["client"][0]

    mw = trusted_proxies_middleware(parse_proxies(trusted))
    wrapped = mw.cls(app, *mw.args, **mw.kwargs)
    headers = [(b"x-forwarded-for", forwarded.encode())] if forwarded else []
    scope = {"type": "http", "client": (peer, 50000), "headers": headers, "path": "/", "scheme": "http"}
    run_async(wrapped(scope, None, None))
    return seen["client"]


def test_forwarded_addresses_count_only_from_a_configured_proxy():
    # nobody configured: the connecting address is the client, whatever the header claims
    assert _client_seen("", "10.0.0.5", "203.0.113.7") == "10.0.0.5"
    # the proxy configured: each teacher is their own client (one school's typos do not lock out another)
    assert _client_seen("10.0.0.5", "10.0.0.5", "203.0.113.7") == "203.0.113.7"
    assert _client_seen("10.0.0.0/8", "10.0.0.5", "198.51.100.9") == "198.51.100.9"
    # someone else sending the header is not believed
    assert _client_seen("10.0.0.5", "192.0.2.44", "203.0.113.7") == "192.0.2.44"


def test_a_script_error_shows_a_translated_message_with_the_reference_that_is_logged(caplog):
    from streamlit.testing.v1 import AppTest

    def page():
        import streamlit as st

        from guide.ui.server import on_script_error

        st.query_params["lang"] = "nl"
        on_script_error(RuntimeError("the store fell over"))

    at = AppTest.from_function(page)
    with caplog.at_level(logging.ERROR, logger="guide.server"):
        at.run()
    assert len(at.error) == 1
    shown = at.error[0].value
    assert "Er ging bij ons iets mis" in shown, shown  # Dutch, the session's language
    record = next(r for r in caplog.records if "script error" in r.getMessage())
    assert record.ref in shown and "the store fell over" in record.getMessage()
    assert "the store fell over" not in shown  # the teacher never sees the internals
