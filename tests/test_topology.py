"""The production topology on loopback: a throwaway PostgreSQL with an empty database, two replicas of the
served app started together (both migrate at start-up, under the lock), and Debian's nginx in front with
the shipped deploy/nginx/guide.conf (cookie stickiness, websocket upgrade). A workshop participant works
in real chromium through the proxy; the replica holding their tab is killed mid-journey; the tab
reconnects to the other replica and the participant carries on with nothing saved lost."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from pg import fresh_database
from playwright.sync_api import Page, expect, sync_playwright
from servers import ARTIFACTS, free_port, get, start
from test_deploy import nginx_binary, nginx_config

from guide.store.engine import dispose_all, get_engine
from guide.workshop import service

IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def topology():
    url = fresh_database()
    env = {"GUIDE_DATABASE_URL": url, "GUIDE_TRUSTED_PROXIES": "127.0.0.1", "GUIDE_LOG_LEVEL": "INFO"}
    replicas = [start(f"replica-{i}", env) for i in (1, 2)]  # together, on an empty database
    tmp = Path(tempfile.mkdtemp(prefix="guide-nginx-"))
    nginx = None
    try:
        for r in replicas:
            r.wait_for("/readyz", status=200)
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


@pytest.fixture
def page():
    chromium = shutil.which("chromium")
    if not chromium:
        pytest.fail("chromium is not installed (apt-get install chromium; .ci/run does this)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, headless=True)
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
        pg = context.new_page()
        pg.set_default_timeout(30_000)
        yield pg
        browser.close()


def settle(page: Page) -> None:
    page.wait_for_timeout(300)
    page.wait_for_selector(IDLE, timeout=60_000)
    page.wait_for_timeout(200)


def act(page: Page, label: str, fill: dict[str, str] | None = None) -> None:
    """Pick a platform action in the workshop page's form, fill its fields, press 'Do it'."""
    page.locator(".st-key-ws_action").click()
    page.get_by_role("option", name=label).click()
    settle(page)
    for field, value in (fill or {}).items():
        box = page.get_by_label(field, exact=True)
        box.fill(value)
    page.get_by_role("button", name="Do it").click()
    settle(page)


def actions_saved(engine, workshop_id: str, key: str, expected: int):  # noqa: ANN001, ANN201
    """The participant's board row once it counts `expected` actions (the save is the rerun's last step)."""
    deadline = time.monotonic() + 30
    while True:
        (row,) = service.board(engine, workshop_id, key).rows
        if row.actions >= expected or time.monotonic() > deadline:
            return row
        time.sleep(0.2)


def replica_of(page: Page, topology: dict) -> int:
    """Which replica nginx sends this browser to: its access log, by the browser's guide_route cookie."""
    cookie = next(c["value"] for c in page.context.cookies() if c["name"] == "guide_route")
    lines = [line.split(" ") for line in (topology["tmp"] / "access.log").read_text().splitlines()]
    upstreams = [parts[1] for parts in lines if len(parts) == 3 and parts[2] == cookie and parts[1] != "-"]
    ports = {int(u.rsplit(":", 1)[1]) for u in upstreams[-5:]}
    assert len(ports) == 1, f"the browser was not kept on one replica: {upstreams}"
    return next(i for i, r in enumerate(topology["replicas"]) if r.port in ports)


def test_a_participant_keeps_working_when_their_replica_dies(topology, page):
    engine = get_engine(topology["url"], migrate=False)
    info, key = service.create(engine, "Topology workshop", "en", "blank-start", dt.date.today())
    proxy = topology["proxy"]

    page.goto(f"{proxy}/workshop?lang=en&code={info.join_code}")
    settle(page)
    page.get_by_label("Nickname (shown to the trainer)").fill("Ann")
    page.get_by_role("button", name="Join").click()
    settle(page)
    expect(page.get_by_text("Topology workshop · you are")).to_be_visible()
    assert re.search(r"[?&]seat=", page.url), page.url

    act(page, "'Create account' > 'Create EU Login'", {"email": "ann@example.org"})
    assert actions_saved(engine, info.id, key, 1).actions == 1

    doomed = replica_of(page, topology)
    topology["replicas"][doomed].stop(signal.SIGKILL)  # mid-journey, no goodbye
    survivor = topology["replicas"][1 - doomed]

    # the tab reconnects through nginx to the survivor; the seat link in the address sits down again
    page.wait_for_timeout(2000)  # the tab notices the closed websocket and reconnects (~0.5 s)
    page.wait_for_selector("[data-testid='stStatusWidget']", state="detached", timeout=60_000)
    settle(page)
    page.screenshot(path=str(ARTIFACTS / "topology-after-failover.png"))
    expect(page.get_by_text("Topology workshop · you are")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("Ann", exact=True).first).to_be_visible()
    assert page.locator("[data-testid='stException']").count() == 0

    before = page.get_by_text("Where you are:").inner_text()
    act(page, "The EU Login e-mail: click the link and choose a password")  # on the survivor: the other is dead
    assert topology["replicas"][doomed].proc.poll() is not None
    expect(page.get_by_text("Where you are:")).not_to_have_text(before, timeout=30_000)  # the page moved on to the next step
    row = actions_saved(engine, info.id, key, 2)
    assert row.actions == 2  # the action before the failover is still there, and the new one joined it
    case = service.seat(engine, row.participant_id).case
    assert case.eu_login is not None and case.eu_login.email == "ann@example.org" and case.eu_login.confirmed
    assert get(survivor.base + "/readyz")[0] == 200
