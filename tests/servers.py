"""Start the served app (`python -m guide serve`, the ASGI app under uvicorn) as a real process on a free
loopback port; used by the server, topology and browser tests and the load benchmark."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "artifacts"


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


@dataclass
class Server:
    proc: subprocess.Popen
    port: int
    log: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_for(self, path: str, status: int = 200, timeout: float = 90, contains: str = "") -> str:
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"server exited with {self.proc.returncode}:\n{self.log_text()[-3000:]}")
            try:
                last = get(self.base + path, timeout=5)
                if last[0] == status and contains in last[2]:
                    return last[2]
            except OSError:
                pass
            time.sleep(0.3)
        raise AssertionError(f"{path} never answered {status} (last: {last}):\n{self.log_text()[-3000:]}")

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)


def start(name: str, env: dict[str, str] | None = None, port: int | None = None,
          args: tuple[str, ...] = ()) -> Server:
    """`python -m guide serve` with `env` on top of this process's environment; log in artifacts/."""
    port = port or free_port()
    ARTIFACTS.mkdir(exist_ok=True)
    log = ARTIFACTS / f"server-{name}.log"
    with log.open("w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "guide", "serve", "--port", str(port), *args], cwd=ROOT,
                                stdout=out, stderr=subprocess.STDOUT,
                                env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})})
    return Server(proc, port, log)
