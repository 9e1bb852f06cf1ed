"""A cache of parsed YAML, keyed by each file's bytes, so a cold start skips re-parsing unchanged content.

Parsing ~400 KB of YAML costs ~100 ms even with the C loader (its object construction is Python);
validation still runs on every load, so a stale or tampered cache can only cost time, never
correctness. marshal holds plain data only (dicts, lists, strings, numbers) and never runs code.
"""

from __future__ import annotations

import hashlib
import logging
import marshal
import os
import tempfile
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)
_FORMAT = 1


def cache_dir() -> Path | None:
    """GUIDE_CACHE_DIR, else $XDG_CACHE_HOME/etwinning-guide; GUIDE_CACHE_DIR='' turns the cache off."""
    configured = os.environ.get("GUIDE_CACHE_DIR")
    if configured is not None:
        return Path(configured) if configured else None
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "etwinning-guide"


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class ParseCache:
    """Parsed data of one content tree; `get`/`put` by text digest; `save` writes only what was used."""

    def __init__(self, name: str):
        folder = cache_dir()
        self.path = folder / f"{name}.marshal" if folder else None
        self._old: dict[str, Any] = self._read()
        self._used: dict[str, Any] = {}

    def _read(self) -> dict[str, Any]:
        if self.path is None:
            return {}
        try:
            fmt, data = marshal.loads(self.path.read_bytes())
            return data if fmt == _FORMAT and isinstance(data, dict) else {}
        except (OSError, EOFError, ValueError, TypeError):
            return {}  # missing or unreadable: parse again and rewrite

    def get(self, key: str) -> tuple[bool, Any]:
        if key in self._old:
            self._used[key] = self._old[key]
            return True, self._old[key]
        return False, None

    def put(self, key: str, data: Any) -> None:
        self._used[key] = data

    def save(self) -> None:
        if self.path is None or self._used == self._old:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            blob = marshal.dumps((_FORMAT, self._used))
            with tempfile.NamedTemporaryFile(dir=self.path.parent, delete=False) as tmp:
                tmp.write(blob)
            os.replace(tmp.name, self.path)
        except (OSError, ValueError) as exc:  # read-only home, unmarshallable data: just parse next time
            log.debug("content parse cache not written: %s", exc)
