"""A throwaway PostgreSQL cluster for the tests and the benchmark: initdb in a temp dir, a free port,
started once per process and stopped at exit. Fails loudly when the binaries are missing."""

from __future__ import annotations

import atexit
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import uuid
from pathlib import Path

BIN_DIRS = ("/usr/lib/postgresql/15/bin", *sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True))
_lock = threading.Lock()
_cluster: dict[str, str] = {}


class PostgresMissing(RuntimeError):
    pass


def _bin_dir() -> Path:
    for d in (os.environ.get("GUIDE_PG_BIN", ""), *BIN_DIRS):
        if d and (Path(d) / "initdb").is_file() and (Path(d) / "pg_ctl").is_file():
            return Path(d)
    on_path = shutil.which("initdb")
    if on_path and shutil.which("pg_ctl"):
        return Path(on_path).parent
    raise PostgresMissing(
        "PostgreSQL server binaries (initdb, pg_ctl) not found in /usr/lib/postgresql/*/bin or on PATH: "
        "install them (Debian: apt-get install postgresql; .ci/run does this) or set GUIDE_PG_BIN")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_owner(cmd: list[str]) -> list[str]:
    """postgres refuses to run as root: run it as 'nobody' then (tests run as root in CI)."""
    return ["runuser", "-u", "nobody", "--", *cmd] if os.geteuid() == 0 else cmd


def _run(cmd: list[str]) -> None:
    done = subprocess.run(_as_owner(cmd), capture_output=True, text=True, timeout=120)
    if done.returncode:
        raise RuntimeError(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")


def server_url() -> str:
    """postgresql+psycopg://... of the running throwaway server (started on first call)."""
    with _lock:
        if "url" in _cluster:
            return _cluster["url"]
        bindir = _bin_dir()
        base = Path(tempfile.mkdtemp(prefix="guide-pg-"))
        data, sock = base / "data", base / "sock"
        sock.mkdir()
        if os.geteuid() == 0:
            shutil.chown(base, "nobody")
            shutil.chown(sock, "nobody")
        os.chmod(base, 0o755)
        _run([str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
              "--no-sync", "--locale=C"])
        port = _free_port()
        opts = f"-p {port} -k {sock} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
        _run([str(bindir / "pg_ctl"), "-D", str(data), "-o", opts, "-l", str(base / "log"), "-w", "start"])
        _cluster.update(url=f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres", base=str(base),
                        pg_ctl=str(bindir / "pg_ctl"), data=str(data))
        atexit.register(stop)
        return _cluster["url"]


def fresh_database() -> str:
    """A new empty database on the throwaway server: every test starts from nothing."""
    import psycopg

    base = server_url()
    name = "t_" + uuid.uuid4().hex[:12]
    with psycopg.connect(base.replace("postgresql+psycopg", "postgresql"), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return base.rsplit("/", 1)[0] + "/" + name


def stop() -> None:
    with _lock:
        if "url" not in _cluster:
            return
        try:
            _run([_cluster["pg_ctl"], "-D", _cluster["data"], "-m", "immediate", "-w", "stop"])
        finally:
            shutil.rmtree(_cluster["base"], ignore_errors=True)
            _cluster.clear()
