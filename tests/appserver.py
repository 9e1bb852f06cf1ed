"""The real app as a browser and an operator meet it, for every test that needs a process or chromium.

- `AppServer`: the app as a real process on a free loopback port, either `streamlit run app.py` (the
  ASGI app with its middleware, as `make run` used to) or `python -m guide serve` (uvicorn, as deployed),
  with its own environment and log in artifacts/. It can be stopped (also with SIGKILL) and started again
  on the same port.
- Browser helpers (`CHROMIUM_ARGS`, `launch_chromium`, `person`, `settle`, `until_rerun`, `click_and_wait`,
  `no_exception`, `shot`): one chromium per test session (tests/conftest.py), a fresh browser context
  (cookies, language) per person. They never pause for a fixed time: `settle` waits for the runs the page
  asked for to end and be drawn (see WATCH_RUNS).

tests/conftest.py holds the session fixtures built on these: `browser` and `app_server`.
"""

from __future__ import annotations

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
    """Debian's chromium under Playwright: its headless shell (package chromium-headless-shell: the same engine
    and version without the browser's own windows, as Playwright runs headless by default; a new browser
    context costs it about a quarter of the CPU) when installed, else chromium; a clear failure without either."""
    chromium = shutil.which("chromium-headless-shell") or shutil.which("chromium")
    if not chromium:
        import pytest

        pytest.fail("chromium is not installed: the browser tests need Debian's chromium "
                    "(apt-get install -y chromium-headless-shell chromium fonts-dejavu-core; .ci/run does this)")
    return playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, headless=True)


#: Installed in every page before the app's own scripts: counts, in the order they happen, the reruns the
#: page asks the server for (a BackMsg with `rerun_script`, field 11, sent on its websocket: a click, a page
#: switch, the first run after connecting, a fragment's timer) and the runs the server reports finished (a
#: ForwardMsg with `script_finished`, field 6, other than 'finished early for a rerun', value 2: an
#: `st.rerun()` is not the end of the run). A widget's change leaves the page from a zero-delay timer, so
#: after each input event (a click, a key, a change) the page waits for that timer before it can settle.
#: A finish counts once the page has drawn two frames after it, so
#: what it shows is the end of that run. The page has settled when a run finished after its last request, its
#: running indicator is idle (`data-test-script-state` 'notRunning') and no element is still a placeholder
#: (`stSkeleton`: Streamlit loads a widget's code the first time the page shows one).
WATCH_RUNS = r"""(() => {
  if (window.__guide) return;
  const g = window.__guide = {seq: 0, asked: 0, done: 0};
  function fields(data) {  // the top-level fields of a protobuf message: field number -> varint value (or null)
    const bytes = data instanceof ArrayBuffer ? new Uint8Array(data)
      : ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : null;
    const out = new Map();
    if (!bytes) return out;
    let i = 0;
    const varint = () => { let v = 0, s = 1, b; do { b = bytes[i++]; v += (b & 0x7f) * s; s *= 128; }
                           while ((b & 0x80) && i < bytes.length); return v; };
    while (i < bytes.length) {
      const tag = varint(), wire = tag % 8;
      let value = null;
      if (wire === 0) value = varint();
      else if (wire === 1) i += 8;
      else if (wire === 2) { const n = varint(); i += n; }  // not `i += varint()`: that reads i first
      else if (wire === 5) i += 4;
      else break;
      out.set(Math.floor(tag / 8), value);
    }
    return out;
  }
  const received = (event) => {
    const f = fields(event.data);
    if (!f.has(6) || f.get(6) === 2) return;
    const n = ++g.seq;
    requestAnimationFrame(() => requestAnimationFrame(() => { g.done = Math.max(g.done, n); }));
  };
  // Streamlit sends a widget's change from a zero-delay timer set while the event is handled. Ours is set
  // first (window, capturing) and sets a second one when it runs, which so runs after the app's.
  g.pending = 0;
  for (const type of ['click', 'keydown', 'keyup', 'change', 'input', 'focusout']) {
    window.addEventListener(type, () => {
      g.pending++;
      setTimeout(() => setTimeout(() => { g.pending--; }, 0), 0);
    }, true);
  }
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    if (!this.__guideHeard) { this.__guideHeard = true; this.addEventListener('message', received); }
    if (fields(data).has(11)) g.asked = ++g.seq;
    return send.call(this, data);
  };
})();"""
SETTLED = """() => { const g = window.__guide; return !!g && g.pending === 0 && g.done > g.asked && document.querySelector(
  "[data-testid='stApp']")?.getAttribute('data-test-script-state') === 'notRunning'
  && !document.querySelector("[data-testid='stSkeleton']"); }"""


def person(browser: Any, lang: str = "en", timeout: float = 60_000, **options: Any) -> Any:
    """A new person: their own browser context (cookies), in their language; returns its page. `options` go
    to the context (a bigger viewport, downloads)."""
    locale = {"nl": "nl-NL", "en": "en-GB"}.get(lang, lang)
    context = browser.new_context(**{"viewport": {"width": 1280, "height": 900}, "locale": locale, **options})
    context.add_init_script(script=WATCH_RUNS)
    page = context.new_page()
    page.set_default_timeout(timeout)
    return page


def settle(page: Any, timeout: float = 90_000) -> None:
    """Wait until every run the page asked the server for has finished and the page shows its end (after a
    page load, a reload, or an action whose rerun request leaves the page at once: a click, a key, a choice).
    No fixed pause: it returns as soon as the app is idle, at once when nothing was asked."""
    page.wait_for_function(SETTLED, timeout=timeout)


def rerun_asked(page: Any) -> int:
    return int(page.evaluate("() => window.__guide ? window.__guide.asked : 0"))


def until_rerun(page: Any, action: Any, timeout: float = 90_000) -> None:
    """Do `action()` and wait for the rerun it asks for (also one asked for later, as an upload's), to its end."""
    before = rerun_asked(page)
    action()
    page.wait_for_function(f"() => window.__guide && window.__guide.asked > {before}", timeout=timeout)
    settle(page, timeout)


def click_and_wait(page: Any, locator: Any) -> None:
    """Click and wait for the rerun the click asked for, to its end (never a fixed pause); then check that
    the page shows no exception."""
    until_rerun(page, locator.click)
    no_exception(page)


def no_exception(page: Any) -> None:
    errors = page.locator("[data-testid='stException']")
    assert errors.count() == 0, errors.first.inner_text()


def run_async(coro: Any) -> Any:
    """`asyncio.run(coro)` in a thread of its own: while the session's chromium is open, Playwright's sync API
    marks its event loop as running in this thread, and asyncio.run() refuses to start inside it."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


def go_to_page(page: Any, base: str, url_path: str, query: str) -> None:
    """Open one of the app's pages as a user does: by its link in the sidebar's navigation when the page has
    one (the same session, no new load of the app: cheaper for chromium and the server), else by its address
    with `query`; then settle. The address bar must end up on the page."""
    link = page.locator(f"[data-testid='stSidebarNav'] a[href$='/{url_path}']")
    if link.count():
        link.first.click()
    else:
        page.goto(f"{base}/{url_path}?{query}")
    settle(page)
    path = page.evaluate("location.pathname")
    assert path.rstrip("/").endswith(f"/{url_path}"), (url_path, page.url)


def shot(page: Any, name: str, to: Path | None = None) -> None:
    """The whole page in artifacts/screenshots/<name>.png (or at `to`): Streamlit scrolls inside stMain, so
    the window grows to its height for the picture."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    height = page.evaluate("document.querySelector(\"[data-testid='stMain']\")?.scrollHeight || 900")
    size = page.viewport_size
    page.set_viewport_size({"width": size["width"], "height": max(900, min(int(height), 8000))})
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")  # drawn
    page.screenshot(path=str(to or SHOTS / f"{name}.png"))
    page.set_viewport_size(size)


def sandbox_screen(page: Any, action: str) -> Any:
    """A practice sandbox screen as drawn: its form (the one with its submit button), or, for a screen with
    nothing to do now, its keyed box."""
    return page.locator(f"[data-testid='stForm']:has(.st-key-sb_{action}_submit), .st-key-sb_screen_{action}")


def choose_screen(page: Any, action: str) -> None:
    """In the practice sandbox, open the screen of `action` as a teacher does: click its title in the screen
    chooser (in the page's language) and wait for the screen; nothing when it is open already."""
    import re
    from urllib.parse import parse_qs, urlparse

    from guide.i18n import translator
    from guide.sandbox.actions import ACTIONS

    screen = sandbox_screen(page, action)
    if screen.count() == 0:
        lang = parse_qs(urlparse(page.url).query).get("lang", ["nl"])[0]
        declared = ACTIONS[action]
        title = translator(lang).gettext(declared.phrase) if declared.phrase else declared.label
        shown_as = re.compile(r"^\s*" + re.escape(title) + r"( \(.+\))?\s*$")  # someone else's: '(NSO, simulated)'
        option = page.locator(".st-key-sb_screen label").filter(has_text=shown_as)
        click_and_wait(page, option.first)
    screen.first.wait_for(state="visible", timeout=30_000)
