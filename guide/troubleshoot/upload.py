"""Reading a case file someone uploaded: size and encoding checked first, then parse_case's own checks."""

from __future__ import annotations

import re

from ..case.model import MAX_CASE_BYTES, Case, parse_case, too_big
from ..errors import CaseError, Problem

MAX_BYTES = MAX_CASE_BYTES
#: The troubleshooter's case files start with these comments (guide.troubleshoot.handover.case_file).
_HEADER = "# eTwinning troubleshooter\n"
_SYMPTOM = re.compile(r"^# symptom: ([a-z0-9][a-z0-9_.-]*)\b", re.M)


def symptom_of(data: bytes) -> str | None:
    """The complaint a troubleshooter case file was saved for (its header comment), else None: such a file
    is judged on that complaint's rules again, so uploading it gives exactly the findings the agent saw."""
    text = data.decode("utf-8-sig", errors="replace")
    if not text.startswith(_HEADER):
        return None
    for line in text.splitlines()[1:50]:
        if not line.startswith("#"):
            break  # the header ends where the case begins
        found = _SYMPTOM.match(line)
        if found:
            return found.group(1)
    return None


def read_upload(name: str, data: bytes) -> Case:
    """The uploaded bytes as a Case; CaseError lists every problem, each naming the file (and line, path)."""
    if len(data) > MAX_BYTES:
        raise too_big(name, len(data))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CaseError([Problem.of("not_utf8_upload", name, byte=str(exc.start))]) from None
    if not text.strip():
        raise CaseError([Problem.of("empty_file", name)])
    return parse_case(text, name)
