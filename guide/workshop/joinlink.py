"""Joining in one step: the join link with the code filled in, and its QR code (segno, pure Python).

The link carries the join code and the language only, never the trainer key: it is projected."""

from __future__ import annotations

import io
from functools import lru_cache
from urllib.parse import urlencode

import segno


def join_path(code: str, lang: str) -> str:
    """The workshop page with the code filled in, in the workshop's language (relative)."""
    return "/workshop?" + urlencode({"lang": lang, "code": code})


@lru_cache(maxsize=64)
def qr_png(link: str, scale: int = 12) -> bytes:
    """A QR code of `link` as PNG: black on white, a quiet zone of 4 modules, big enough to scan from
    the back of a room when projected (error correction M: a projector's glare may hide some modules).
    Made once per link (the trainer page shows it on every run)."""
    out = io.BytesIO()
    segno.make(link, error="m", micro=False).save(out, kind="png", scale=scale, border=4, dark="#000000",
                                                    light="#ffffff")
    return out.getvalue()
