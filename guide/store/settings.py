"""Where the data lives and how long the app waits for it, all from environment variables.

GUIDE_DATABASE_URL, else an SQLite file in GUIDE_DATA_DIR (default: the user's data home).
GUIDE_DB_CONNECT_TIMEOUT and GUIDE_DB_STATEMENT_TIMEOUT (seconds) bound every wait for the database, so a
database that is down or hung costs a page a few seconds and a message, not a hang; GUIDE_DB_POOL_SIZE is
the number of connections each app process keeps; GUIDE_RETENTION_DAYS is how long unused progress and
workshops are kept.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_DIR_NAME = "etwinning-guide"
DB_FILE_NAME = "guide.sqlite3"


def data_dir() -> Path:
    """GUIDE_DATA_DIR, else $XDG_DATA_HOME/etwinning-guide (~/.local/share/... ; %APPDATA%\\... on Windows)."""
    explicit = os.environ.get("GUIDE_DATA_DIR")
    if explicit:
        return Path(explicit).expanduser()
    if sys.platform == "win32" and os.environ.get("APPDATA"):
        return Path(os.environ["APPDATA"]) / APP_DIR_NAME
    home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(home) / APP_DIR_NAME


class DataDirError(Exception):
    """The data folder cannot be used: one line for the operator, naming the folder and the reason."""


class SettingError(ValueError):
    """An environment variable with a value the app cannot use."""


def _number(name: str, default: float, low: float, high: float) -> float:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise SettingError(f"{name}={raw!r}: expected a number from {low:g} to {high:g}") from None
    if not low <= value <= high:
        raise SettingError(f"{name}={raw!r}: expected a number from {low:g} to {high:g}")
    return value


def connect_timeout() -> float:
    """Seconds to wait for a connection to the database (GUIDE_DB_CONNECT_TIMEOUT, default 5)."""
    return _number("GUIDE_DB_CONNECT_TIMEOUT", 5, 1, 300)


def statement_timeout() -> float:
    """Seconds one transaction may wait for the database (GUIDE_DB_STATEMENT_TIMEOUT, default 5)."""
    return _number("GUIDE_DB_STATEMENT_TIMEOUT", 5, 1, 300)


def pool_size() -> int:
    """Connections each app process keeps open (GUIDE_DB_POOL_SIZE, default 10; up to 4 times that briefly)."""
    return int(_number("GUIDE_DB_POOL_SIZE", 10, 1, 200))


def retention_days() -> int:
    """Days since last use after which progress and workshops are deleted (GUIDE_RETENTION_DAYS, default 180)."""
    return int(_number("GUIDE_RETENTION_DAYS", 180, 1, 3650))


def database_url() -> str:
    """The SQLAlchemy URL to use. The default SQLite file needs no setup: its folder is created on demand."""
    url = os.environ.get("GUIDE_DATABASE_URL", "").strip()
    if url:
        return url
    folder = data_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if not os.access(folder, os.W_OK | os.X_OK):
            raise PermissionError("not writable")
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise DataDirError(f"the data folder {folder} cannot be used ({reason}); set GUIDE_DATA_DIR to a "
                           "writable folder or GUIDE_DATABASE_URL to a database") from None
    return f"sqlite:///{folder / DB_FILE_NAME}"


def redact(url: str) -> str:
    """The URL without its password, for messages and logs."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
