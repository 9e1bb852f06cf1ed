"""Where the data lives: GUIDE_DATABASE_URL, else an SQLite file in GUIDE_DATA_DIR (default: the user's data home)."""

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


def database_url() -> str:
    """The SQLAlchemy URL to use. The default SQLite file needs no setup: its folder is created on demand."""
    url = os.environ.get("GUIDE_DATABASE_URL", "").strip()
    if url:
        return url
    folder = data_dir()
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / DB_FILE_NAME}"


def redact(url: str) -> str:
    """The URL without its password, for messages and logs."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
