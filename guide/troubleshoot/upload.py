"""Reading a case file someone uploaded: size and encoding checked first, then parse_case's own checks."""

from __future__ import annotations

from ..case.model import MAX_CASE_BYTES, Case, parse_case, too_big
from ..errors import CaseError, Problem

MAX_BYTES = MAX_CASE_BYTES


def read_upload(name: str, data: bytes) -> Case:
    """The uploaded bytes as a Case; CaseError lists every problem, each naming the file (and line, path)."""
    if len(data) > MAX_BYTES:
        raise too_big(name, len(data))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CaseError([Problem(name, f"not UTF-8 text (byte {exc.start}); save the file as UTF-8")]) from None
    if not text.strip():
        raise CaseError([Problem(name, "the file is empty")])
    return parse_case(text, name)
