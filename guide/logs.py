"""Log lines an operator can use: time, level, logger and the event, one line each (JSON if asked), with
passwords in URLs masked. Settings: GUIDE_LOG_LEVEL (DEBUG, INFO, WARNING, ERROR; default INFO) and
GUIDE_LOG_FORMAT (text or json; default text). Streamlit's and uvicorn's loggers are brought into the
same shape, so one replica writes one kind of line."""

from __future__ import annotations

import json
import logging
import os
import re
import socket
import sys
from datetime import UTC, datetime

LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
FORMATS = ("text", "json")
_SECRET_IN_URL = re.compile(r"(\b[a-z][a-z0-9+.-]*://[^:/@\s]+:)[^@\s]+@", re.IGNORECASE)
_SECRET_PARAM = re.compile(r"\b(resume|key|seat|token|password)=[^&\s\"']+", re.IGNORECASE)
TAKEN_OVER = ("streamlit", "uvicorn", "uvicorn.error", "uvicorn.access", "alembic", "sqlalchemy")


class SettingError(ValueError):
    pass


def mask(text: str) -> str:
    """Passwords in URLs and secret query parameters (resume links, trainer keys) replaced by ***."""
    return _SECRET_PARAM.sub(lambda m: f"{m.group(1)}=***", _SECRET_IN_URL.sub(r"\1***@", text))


def level_from_env() -> str:
    value = os.environ.get("GUIDE_LOG_LEVEL", "INFO").strip().upper() or "INFO"
    if value not in LEVELS:
        raise SettingError(f"GUIDE_LOG_LEVEL={value!r}: expected one of {', '.join(LEVELS)}")
    return value


def format_from_env() -> str:
    value = os.environ.get("GUIDE_LOG_FORMAT", "text").strip().lower() or "text"
    if value not in FORMATS:
        raise SettingError(f"GUIDE_LOG_FORMAT={value!r}: expected one of {', '.join(FORMATS)}")
    return value


class TextFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s")

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        return datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds")

    def format(self, record: logging.LogRecord) -> str:
        return mask(super().format(record))


class JsonFormatter(logging.Formatter):
    host = socket.gethostname()

    def format(self, record: logging.LogRecord) -> str:
        entry = {"time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
                 "level": record.levelname, "logger": record.name, "event": mask(record.getMessage()),
                 "host": self.host, "pid": record.process}
        for key in ("ref", "session", "page", "request_id"):
            if hasattr(record, key):
                entry[key] = getattr(record, key)
        if record.exc_info:
            entry["exc"] = mask(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)


def _drop_chatter(record: logging.LogRecord) -> bool:
    """Alembic says which dialect it uses each time anyone reads the schema revision (every probe), and
    uvicorn says so at INFO each time a tab opens or closes its websocket."""
    if record.levelno > logging.INFO:
        return True
    message = str(record.msg)
    if record.name == "alembic.runtime.migration":
        return not message.startswith(("Context impl", "Will assume"))
    if record.name == "uvicorn.error":
        return not (message.startswith(("connection open", "connection closed"))
                    or '"WebSocket %s" %s' in message or "WebSocket" in message and "accepted" in record.getMessage())
    return True


def configure(level: str | None = None, fmt: str | None = None) -> logging.Handler:
    """One handler on stderr for the whole process; Streamlit's and uvicorn's loggers go through it too."""
    level = level or level_from_env()
    fmt = fmt or format_from_env()
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    handler.set_name("guide")
    root = logging.getLogger()
    for old in list(root.handlers):
        if old.get_name() == "guide":
            root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    logging.getLogger("guide").setLevel(level)
    for name in list(logging.root.manager.loggerDict):
        if name.split(".")[0] in {n.split(".")[0] for n in TAKEN_OVER}:
            logger = logging.getLogger(name)
            logger.handlers.clear()
            logger.propagate = True
    # one line per statement / per request / per schema look-up: only when asked for DEBUG
    quiet = level if level == "DEBUG" else "WARNING"
    for name in ("sqlalchemy", "uvicorn.access", "alembic.runtime.plugins"):
        logging.getLogger(name).setLevel(quiet)
    handler.addFilter(_drop_chatter)
    return handler
