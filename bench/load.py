"""The served app under load, with a client that speaks Streamlit's websocket protocol (bench/_stclient.py).

N sessions at once (N = 10, 30, 60, 100), no think time; each opens a page, changes a widget, presses a
button:
  app          /flows?lang=en, pick step 2 in the step list, press 'Check'
  hello-world  bench/_hello_app.py: the same kinds of widgets, nothing else
App sessions carry the app's browser cookie, as real browsers do after their first page (the app then reads
whom the browser finds on every run). Targets, in the same run: hello-world, the app on 1 replica, the app on 2 replicas (sessions split between
them as a sticky proxy would), each with the shipped settings and with Streamlit's defaults
(post-script GC on, file watcher on). Printed per target and N: p50/p95 per interaction, errors, server
CPU per interaction and memory per session, and the app's ratios to hello-world.

    python -m bench.load            # the full sweep (minutes)
    python -m bench.load --quick    # N = 10, 30; shipped settings only
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HELLO = Path(__file__).resolve().parent / "_hello_app.py"
STEPS = ("open", "change", "press")
DEFAULTS = {"STREAMLIT_RUNNER_POST_SCRIPT_GC": "true", "STREAMLIT_SERVER_FILE_WATCHER_TYPE": "auto"}
TICK = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


@dataclass
class Server:
    proc: subprocess.Popen
    port: int

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def start(kind: str, env: dict[str, str], data_dir: str, cores: str | None = None) -> Server:
    """The hello-world app or the app (uvicorn, as deployed) on a free port, ready; pinned to `cores`
    (taskset) when given and taskset exists."""
    port = free_port()
    if kind == "hello":
        cmd = [sys.executable, "-m", "streamlit", "run", str(HELLO), "--server.port", str(port),
               "--server.address", "127.0.0.1"]
    else:
        cmd = [sys.executable, "-m", "guide", "serve", "--port", str(port)]
    if cores and shutil.which("taskset"):
        cmd = ["taskset", "-c", cores, *cmd]
    full_env = {**os.environ, "GUIDE_DATA_DIR": data_dir, "GUIDE_LOG_LEVEL": "WARNING", **env}
    proc = subprocess.Popen(cmd, cwd=ROOT, env=full_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    server = Server(proc, port)
    deadline = time.monotonic() + 120
    path = "/_stcore/health" if kind == "hello" else "/readyz"
    while True:
        try:
            with urllib.request.urlopen(server.base + path, timeout=2) as r:
                if r.status == 200:
                    return server
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"{kind} server did not start (exit {proc.poll()})")
        time.sleep(0.3)


#: The app page each user works on (--page): flows (pick step 2, press 'Check') or the practice sandbox as a
#: learner (pick the part 'account', type an e-mail into 'Create EU Login' and submit it).
PAGE = {"name": "flows"}


def script(kind: str) -> list[tuple[str, str, tuple]]:
    """(step, method, args) of one user's interactions."""
    if kind == "hello":
        return [("open", "open", ("", "")), ("change", "choose", ("flows_step", 1, "")),
                ("press", "press", ("flows_check", ""))]
    if PAGE["name"] == "sandbox":
        query = "lang=en&part=account"
        return [("open", "open", ("sandbox", query)), ("change", "choose", ("sb_part", 0, query)),
                ("press", "submit_form", ("sb_create_eu_login", {"email": "esep@example.org"}, query))]
    query = "lang=en"
    return [("open", "open", ("flows", query)), ("change", "choose", ("flows_step", 1, query)),
            ("press", "press", ("flows_check", query))]


@dataclass
class Result:
    times: dict[str, list[float]] = field(default_factory=lambda: {s: [] for s in STEPS})
    errors: list[str] = field(default_factory=list)
    cpu: float = 0.0
    rss_before: float = 0.0
    rss_after: float = 0.0
    wall: float = 0.0

    def per_interaction_cpu_ms(self, n: int) -> float:
        done = sum(len(v) for v in self.times.values())
        return 1000 * self.cpu / max(done, 1)


async def _user(base: str, kind: str, result: Result) -> object:
    from bench._stclient import Session

    session = Session(base, browser_key=kind == "app")  # the app's cookie, as every browser after its first page
    try:
        await session.connect()
        for step, method, args in script(kind):
            result.times[step].append(await getattr(session, method)(*args))
        if session.exceptions:
            result.errors.append(f"exception shown: {session.exceptions[0][:100]}")
    except Exception as exc:  # counted, not fatal
        result.errors.append(f"{type(exc).__name__}: {str(exc)[:100]}")
    return session


async def _run(bases: list[str], kind: str, n: int, result: Result) -> list:
    return await asyncio.gather(*(_user(bases[i % len(bases)], kind, result) for i in range(n)))


def phase(servers: list[Server], kind: str, n: int) -> Result:
    result = Result()
    pids = [s.proc.pid for s in servers]
    result.rss_before = sum(rss_mb(p) for p in pids)
    cpu0 = sum(cpu_seconds(p) for p in pids)
    started = time.perf_counter()

    async def go() -> None:
        sessions = await _run([s.base for s in servers], kind, n, result)
        result.wall = time.perf_counter() - started
        result.cpu = sum(cpu_seconds(p) for p in pids) - cpu0
        result.rss_after = sum(rss_mb(p) for p in pids)  # while all n sessions are still open
        await asyncio.gather(*(s.close() for s in sessions), return_exceptions=True)

    asyncio.run(go())
    time.sleep(0.5)
    return result


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="N = 10, 30 with the shipped settings only")
    parser.add_argument("--n", type=int, nargs="*", help="session counts (default 10 30 60 100)")
    parser.add_argument("--page", choices=("flows", "sandbox"), default="flows", help="the app page (default flows)")
    parser.add_argument("--shipped", action="store_true", help="the shipped settings only (not Streamlit's defaults)")
    parser.add_argument("--replicas", type=int, nargs="*", default=[1, 2], help="app replica counts (default 1 2)")
    args = parser.parse_args(argv if argv is not None else [])
    PAGE["name"] = args.page
    ns = args.n or ([10, 30] if args.quick else [10, 30, 60, 100])
    configs = {"shipped": {}} if args.quick or args.shipped else {"shipped": {}, "streamlit defaults": DEFAULTS}
    data = tempfile.mkdtemp(prefix="guide-bench-")
    os.system("uptime")
    print(f"{os.cpu_count()} CPUs; N = {ns}; app page: {args.page}; interactions per session: open page, change "
          "widget, press button")
    try:
        for config, env in configs.items():
            print(f"\n-- {config} --")
            targets = {"hello-world": ("hello", 1),
                       **{f"{args.page}, {r} repl.": ("app", r) for r in args.replicas}}
            header = (f"{'target':17} {'N':>4} {'open p50/p95 s':>15} {'change p50/p95':>15} {'press p50/p95':>15}"
                      f" {'err':>4} {'CPU ms/int':>10} {'MB/session':>10} {'x hello CPU':>11} {'x hello p95':>11}")
            print(header)
            for n in ns:
                base: Result | None = None
                for label, (kind, replicas) in targets.items():
                    servers = [start(kind, env, data) for _ in range(replicas)]
                    try:
                        phase(servers, kind, 3)  # warm: imports, content, first page per process
                        r = phase(servers, kind, n)
                    finally:
                        for s in servers:
                            s.stop()
                    all_times = [t for v in r.times.values() for t in v]
                    cpu = r.per_interaction_cpu_ms(n)
                    mem = (r.rss_after - r.rss_before) / n
                    cols = " ".join(f"{pct(r.times[s], .5):6.3f}/{pct(r.times[s], .95):<8.3f}" for s in STEPS)
                    ratio_cpu = ratio_p95 = ""
                    if kind == "hello":
                        base = r
                    elif base is not None:
                        base_times = [t for v in base.times.values() for t in v]
                        ratio_cpu = f"{cpu / max(base.per_interaction_cpu_ms(n), 1e-9):.1f}x"
                        ratio_p95 = f"{pct(all_times, .95) / max(pct(base_times, .95), 1e-9):.1f}x"
                    print(f"{label:17} {n:>4} {cols} {len(r.errors):>4} {cpu:>10.1f} {mem:>10.2f} "
                          f"{ratio_cpu:>11} {ratio_p95:>11}", flush=True)
                    for err in sorted(set(r.errors))[:3]:
                        print(f"    error: {err}")
    finally:
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1:])
