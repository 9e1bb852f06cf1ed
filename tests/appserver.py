"""The real app as a browser and an operator meet it, for every test that needs a process or chromium.

- `AppServer`: the app as a real process on a free loopback port, either `streamlit run app.py` (the
  ASGI app with its middleware, as `make run` used to) or `python -m guide serve` (uvicorn, as deployed),
  with its own environment and log in artifacts/. It can be stopped (also with SIGKILL) and started again
  on the same port.
- Browser helpers (`CHROMIUM_ARGS`, `launch_chromium`, `person`, `settle`, `no_exception`, `shot`): one
  chromium per test session (tests/conftest.py), a fresh browser context (cookies, language) per person.

tests/conftest.py holds the session fixtures built on these: `browser` and `app_server`.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "artifacts"
SHOTS = ARTIFACTS / "screenshots"
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str, timeout: float = 5.0, headers: dict | None = None) -> tuple[int, dict, str]:
    """(status, headers, body) of a GET, also for 4xx/5xx answers."""
    req = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, {k.lower(): v for k, v in r.headers.items()}, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, {k.lower(): v for k, v in exc.headers.items()}, exc.read().decode("utf-8", "replace")


class AppServer:
    """One app process. `serve=True`: `python -m guide serve` (uvicorn); else `streamlit run <script>`.
    `cwd` is where it runs (a copy of the project for the language tests); `env` goes on top of this
    process's environment (the session's private data folder unless it says otherwise)."""

    def __init__(self, name: str, env: dict[str, str] | None = None, port: int | None = None, *,
                 serve: bool = False, cwd: Path = ROOT, script: str | Path = "app.py",
                 args: tuple[str, ...] = ()):
        self.name, self.env, self.port = name, dict(env or {}), port or free_port()
        self.serve, self.cwd, self.script, self.args = serve, Path(cwd), str(script), tuple(args)
        self.proc: subprocess.Popen | None = None
        worker = os.environ.get("PYTEST_XDIST_WORKER", "")
        self.log = ARTIFACTS / f"{'server' if serve else 'streamlit'}-{name}{'-' + worker if worker else ''}.log"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    base = url

    def command(self) -> list[str]:
        if self.serve:
            return [sys.executable, "-m", "guide", "serve", "--port", str(self.port), *self.args]
        return [sys.executable, "-m", "streamlit", "run", self.script, "--server.port", str(self.port),
                "--server.address", "127.0.0.1", "--server.headless", "true",
                "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none", *self.args]

    def launch(self) -> AppServer:
        """Start the process and return at once (see `wait_for`)."""
        self.log.parent.mkdir(exist_ok=True)
        with self.log.open("a") as out:
            out.write(f"--- {' '.join(self.command()[1:])}\n")
            out.flush()
            self.proc = subprocess.Popen(self.command(), cwd=self.cwd, stdout=out, stderr=subprocess.STDOUT,
                                         env={**os.environ, "PYTHONUNBUFFERED": "1", **self.env})
        return self

    def start(self, timeout: float = 120) -> AppServer:
        """Start the process and wait until it answers its health check."""
        self.launch()
        self.wait_for("/_stcore/health", timeout=timeout)
        return self

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_for(self, path: str, status: int = 200, timeout: float = 90, contains: str = "") -> str:
        """The body of `path` once it answers `status` (and holds `contains`); fails with the log's end."""
        assert self.proc is not None, "not started"
        deadline = time.monotonic() + timeout
        last: Any = None
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"{self.name} exited with {self.proc.returncode}:\n{self.log_text()[-3000:]}")
            try:
                last = get(self.url + path, timeout=5)
                if last[0] == status and contains in last[2]:
                    return last[2]
            except OSError:
                pass
            time.sleep(0.2)
        raise AssertionError(f"{self.name}: {path} never answered {status} (last: {last}):\n"
                             f"{self.log_text()[-3000:]}")

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)

    def restart(self) -> None:
        self.stop()
        self.start()


def start(name: str, env: dict[str, str] | None = None, port: int | None = None,
          args: tuple[str, ...] = ()) -> AppServer:
    """`python -m guide serve` with `env`, launched (not yet waited for: see `AppServer.wait_for`)."""
    return AppServer(name, env, port, serve=True, args=args).launch()


# -- the browser --------------------------------------------------------------------------------------------

def launch_chromium(playwright: Any) -> Any:
    """Debian's chromium under Playwright; a clear failure when it is not installed."""
    chromium = shutil.which("chromium")
    if not chromium:
        import pytest

        pytest.fail("chromium is not installed: the browser tests need Debian's chromium "
                    "(apt-get install -y chromium fonts-dejavu-core; .ci/run does this)")
    return playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, headless=True)


def person(browser: Any, lang: str = "en", timeout: float = 60_000) -> Any:
    """A new person: their own browser context (cookies), in their language; returns its page."""
    locale = {"nl": "nl-NL", "en": "en-GB"}.get(lang, lang)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale=locale)
    page = context.new_page()
    page.set_default_timeout(timeout)
    return page


def settle(page: Any) -> None:
    """Wait until the script has run to the end (a rerun may only start a moment after a click)."""
    page.wait_for_selector("[data-testid='stApp']", timeout=90_000)
    page.wait_for_timeout(300)
    page.wait_for_selector(IDLE, timeout=90_000)
    page.wait_for_timeout(200)


WATCH_RERUN = """() => {
  // any change of the script state after the click means a rerun started (it may also have ended before
  // the observer's callback runs, so the records count, not the value read in the callback)
  window.__guideRan = false;
  if (window.__guideWatch) window.__guideWatch.disconnect();
  window.__guideWatch = new MutationObserver((records) => { if (records.length) window.__guideRan = true; });
  window.__guideWatch.observe(document.documentElement,
    {attributes: true, subtree: true, attributeFilter: ['data-test-script-state']});
}"""
RERUN_DONE = """() => window.__guideRan === true && document.querySelector(
  "[data-testid='stApp']").getAttribute('data-test-script-state') === 'notRunning'"""


def wait_for_rerun(page: Any) -> None:
    """Wait for the rerun a click started (after `page.evaluate(WATCH_RERUN)`) to end; where none was seen
    (the click queued behind a rerun already running), fall back to waiting until the page is idle."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    with contextlib.suppress(PlaywrightTimeout):
        page.wait_for_function(RERUN_DONE, timeout=15_000)
    settle(page)


def click_and_wait(page: Any, locator: Any) -> None:
    """Click and wait for the rerun the click started (never a fixed pause), then check for an exception."""
    page.evaluate(WATCH_RERUN)
    locator.click()
    wait_for_rerun(page)
    no_exception(page)


def no_exception(page: Any) -> None:
    errors = page.locator("[data-testid='stException']")
    assert errors.count() == 0, errors.first.inner_text()


def shot(page: Any, name: str) -> None:
    """The whole page in artifacts/screenshots/: Streamlit scrolls inside stMain, so the window grows to its
    height for the picture."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    height = page.evaluate("document.querySelector(\"[data-testid='stMain']\")?.scrollHeight || 900")
    size = page.viewport_size
    page.set_viewport_size({"width": size["width"], "height": max(900, min(int(height), 8000))})
    page.wait_for_timeout(300)
    page.screenshot(path=str(SHOTS / f"{name}.png"))
    page.set_viewport_size(size)
