"""The production topology on loopback: a throwaway PostgreSQL with an empty database, two replicas of the
served app started together (both migrate at start-up, under the lock), and Debian's nginx in front with
the shipped deploy/nginx/guide.conf (cookie stickiness, websocket upgrade). A teacher answers self-check
questions in real chromium through the proxy; the replica holding their tab is killed mid-journey; the
tab reconnects to the other replica, where their browser key (guide.ui.identity) finds the same journey,
and they carry on with nothing saved lost."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from appserver import ARTIFACTS, free_port, get, no_exception, settle, start
from pg import fresh_database
from playwright.sync_api import Page, expect
from test_deploy import nginx_binary, nginx_config
from test_identity_browser import QUESTIONS, answer, checked, progress_text, question

from guide.store.engine import dispose_all


@pytest.fixture(scope="module")
def topology():
    url = fresh_database()
    env = {"GUIDE_DATABASE_URL": url, "GUIDE_TRUSTED_PROXIES": "127.0.0.1", "GUIDE_LOG_LEVEL": "INFO"}
    replicas = [start(f"replica-{i}", env) for i in (1, 2)]  # together, on an empty database
    tmp = Path(tempfile.mkdtemp(prefix="guide-nginx-"))
    nginx = None
    try:
        for r in replicas:  # both migrated the empty database at start-up (taking turns) and are ready
            assert r.wait_for("/readyz", status=200).startswith("ready: schema ")
        port = free_port()
        conf = nginx_config(tmp, [f"127.0.0.1:{r.port}" for r in replicas], f"127.0.0.1:{port}")
        conf.write_text(conf.read_text().replace(
            f"access_log {tmp}/access.log;",
            "log_format up '$request_uri $upstream_addr $cookie_guide_route';\n"
            f"    access_log {tmp}/access.log up;"))
        if os.geteuid() == 0:  # nginx's workers run as nobody: let them into the temp folders
            for path in [tmp, *tmp.iterdir()]:
                path.chmod(0o777 if path.is_dir() else 0o644)
        nginx = subprocess.Popen([nginx_binary(), "-c", str(conf), "-p", str(tmp), "-e", str(tmp / "error.log")],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while True:
            try:
                if get(f"http://127.0.0.1:{port}/start")[0] == 200:
                    break
            except OSError:
                pass
            assert nginx.poll() is None, (tmp / "error.log").read_text()
            assert time.monotonic() < deadline, "nginx did not answer"
            time.sleep(0.2)
        yield {"url": url, "replicas": replicas, "proxy": f"http://127.0.0.1:{port}", "tmp": tmp}
    finally:
        if nginx is not None:
            nginx.terminate()
            nginx.wait(timeout=15)
        for r in replicas:
            r.stop()
        dispose_all()
        shutil.rmtree(tmp, ignore_errors=True)


#: the app's connection state (`data-test-connection-state`): whether it was lost since this ran
WATCH_CONNECTION = """() => {
  window.__guideLost = false;
  new MutationObserver(() => {
    const state = document.querySelector("[data-testid='stApp']").getAttribute('data-test-connection-state');
    if (state !== 'CONNECTED') window.__guideLost = true;
  }).observe(document, {attributes: true, subtree: true, attributeFilter: ['data-test-connection-state']});
}"""
RECONNECTED = """() => window.__guideLost === true && document.querySelector(
  "[data-testid='stApp']").getAttribute('data-test-connection-state') === 'CONNECTED'"""


def replica_of(page: Page, topology: dict) -> int:
    """Which replica nginx sends this browser to: its access log, by the browser's guide_route cookie."""
    cookie = next(c["value"] for c in page.context.cookies() if c["name"] == "guide_route")
    lines = [line.split(" ") for line in (topology["tmp"] / "access.log").read_text().splitlines()]
    upstreams = [parts[1] for parts in lines if len(parts) == 3 and parts[2] == cookie and parts[1] != "-"]
    ports = {int(u.rsplit(":", 1)[1]) for u in upstreams[-5:]}
    assert len(ports) == 1, f"the browser was not kept on one replica: {upstreams}"
    return next(i for i, r in enumerate(topology["replicas"]) if r.port in ports)


def test_a_teacher_keeps_their_journey_when_their_replica_dies(topology, page):
    proxy, lang = topology["proxy"], "en"
    given = {}
    for qid in QUESTIONS[:2]:
        flow, step, q = question(lang, qid)
        page.goto(f"{proxy}/flows?lang={lang}&flow={flow}&step={step}")
        settle(page)
        given[qid] = q.answers[0].label
        answer(page, qid, given[qid])
        no_exception(page)
    before = progress_text(page)
    assert not before.startswith("Your journey: 0"), before

    doomed = replica_of(page, topology)
    survivor = topology["replicas"][1 - doomed]
    page.evaluate(WATCH_CONNECTION)
    topology["replicas"][doomed].stop(signal.SIGKILL)  # mid-journey, no goodbye

    # the open tab notices the closed websocket and reconnects through nginx to the survivor
    page.wait_for_function(RECONNECTED, timeout=60_000)
    page.wait_for_selector("[data-testid='stStatusWidget']", state="detached", timeout=60_000)
    settle(page)
    expect(page.locator(f".st-key-flows_q_{QUESTIONS[1]}")).to_be_visible(timeout=30_000)
    assert checked(page, QUESTIONS[1]) == given[QUESTIONS[1]]
    assert progress_text(page) == before
    page.screenshot(path=str(ARTIFACTS / "topology-after-failover.png"))

    flow, step, q = question(lang, QUESTIONS[2])  # and carries on there
    page.goto(f"{proxy}/flows?lang={lang}&flow={flow}&step={step}")
    settle(page)
    answer(page, QUESTIONS[2], q.answers[0].label)
    no_exception(page)
    assert progress_text(page) != before
    assert topology["replicas"][doomed].proc.poll() is not None and get(survivor.base + "/readyz")[0] == 200

    page.reload()  # what was saved on both replicas is all there
    settle(page)
    assert checked(page, QUESTIONS[2]) == q.answers[0].label
    flow, step, _q = question(lang, QUESTIONS[0])
    page.goto(f"{proxy}/flows?lang={lang}&flow={flow}&step={step}")
    settle(page)
    assert checked(page, QUESTIONS[0]) == given[QUESTIONS[0]]
