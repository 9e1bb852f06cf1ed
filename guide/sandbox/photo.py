"""Profile photo checks as ESEP's upload field states them: one file, 10 MB limit, png gif jpg jpeg."""

from __future__ import annotations

import math

from ..case.model import Photo

#: 'Slechts één bestand. 10 MB limiet. Toegestane types: png gif jpg jpeg' (handbook ch. 3a step 6).
ALLOWED_TYPES = ("png", "gif", "jpg", "jpeg")
#: ESEP runs on Drupal, whose upload limits count a megabyte as 1024 * 1024 bytes.
MB = 1024 * 1024
MAX_BYTES = 10 * MB

# The type is read from the file's first bytes (its magic number), never from its name: a renamed
# text file is not a picture, and a PNG saved as 'photo.jpg' is still a picture.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
    (b"\xff\xd8\xff", "jpg"),
    (b"%PDF-", "pdf"),
    (b"BM", "bmp"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
)


def sniff(data: bytes) -> str:
    """The file type its bytes show: png, gif, jpg, or another type; 'unknown' when unrecognised."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if data[4:12] in (b"ftypheic", b"ftypheix", b"ftypmif1"):
        return "heic"
    return "unknown"


def photo_of(data: bytes) -> Photo:
    """What the case keeps of an upload: its type and size (never the bytes)."""
    # rounded UP to 0.01 MB: a file one byte over the limit must still read as over 10 MB
    return Photo(type=sniff(data), size_mb=math.ceil(len(data) * 100 / MB) / 100)
