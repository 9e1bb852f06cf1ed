"""Secrets for links and codes: random from `secrets`, stored only as SHA-256 hashes."""

from __future__ import annotations

import hashlib
import hmac
import secrets

#: No 0/O, 1/I/L: codes are read aloud in a workshop room and typed on phones.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
TOKEN_BYTES = 24  # 192 bits behind every link (the brief asks for at least 128)


def new_token() -> str:
    """A URL-safe link secret."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def new_code(length: int) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def normalize_code(text: str) -> str:
    """What a person typed -> the code: case, spaces and dashes do not matter."""
    return "".join(ch for ch in text.upper() if ch.isalnum())


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def same_secret(secret: str, stored_hash: str) -> bool:
    return hmac.compare_digest(hash_secret(secret), stored_hash)


def group(code: str, size: int = 4) -> str:
    """'K7QM4TZPX2' -> 'K7QM-4TZP-X2' for reading out; normalize_code undoes it."""
    return "-".join(code[i:i + size] for i in range(0, len(code), size))
