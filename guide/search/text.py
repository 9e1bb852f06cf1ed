"""Text normalisation for search: accents, case, hyphens, Markdown noise, tokens, typo distance."""

from __future__ import annotations

import re
import unicodedata

from ..text import readable

_LINK_TARGET = re.compile(r"\]\([^)]*\)")          # keep a link's words, drop its URL
_URL = re.compile(r"<?https?://\S+>?")
_WORD = re.compile(r"[a-z0-9]+(?:[-'’][a-z0-9]+)*")


def fold(text: str) -> str:
    """Lower case without accents: 'Één Medeoprichter' -> 'een medeoprichter'."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def plain(markdown: str) -> str:
    """Markdown as the words a reader sees (link targets and URLs removed, markup left to the tokenizer)."""
    return _URL.sub(" ", _LINK_TARGET.sub("] ", markdown))


def words(text: str) -> list[str]:
    """Folded words; a hyphenated word stays one word here: 'co-founder', "school's"."""
    return _WORD.findall(fold(text))


def tokens(text: str) -> list[str]:
    """Index tokens: 'co-founder' gives 'cofounder' (spelling variant without hyphen) and 'co', 'founder'."""
    out: list[str] = []
    for word in words(text):
        parts = re.split(r"[-'’]", word)
        out.append("".join(parts))
        if len(parts) > 1:
            out.extend(p for p in parts if p)
    return out


def query_tokens(text: str) -> list[str]:
    """Query tokens: one per word, hyphens dropped, so 'co-founder' and 'cofounder' ask the same."""
    return ["".join(re.split(r"[-'’]", w)) for w in words(text)]


def trigrams(token: str) -> set[str]:
    padded = f"  {token} "
    return {padded[i:i + 3] for i in range(len(padded) - 2)}


def max_typos(token: str) -> int:
    """How many edits still count as the same word: none for short words, where one edit is another word."""
    if len(token) <= 3:
        return 0
    return 1 if len(token) <= 7 else 2


def within_distance(a: str, b: str, limit: int) -> bool:
    """Damerau-Levenshtein distance (adjacent swaps count once) of a and b is at most `limit`."""
    if abs(len(a) - len(b)) > limit:
        return False
    prev2: list[int] | None = None
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if prev2 is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return False
        prev2, prev = prev, cur
    return prev[-1] <= limit


def snippet(text: str, needles: set[str], width: int = 160) -> str:
    """A short plain-text excerpt of `text` around the first word matching one of `needles` (show it as
    text: literal asterisks and brackets are in it)."""
    flat = " ".join(readable(text).split())
    if len(flat) <= width:
        return flat
    folded = fold(flat)
    start = 0
    for match in _WORD.finditer(folded):
        if "".join(re.split(r"[-'’]", match.group())) in needles or match.group() in needles:
            start = max(0, match.start() - width // 3)
            break
    end = min(len(flat), start + width)
    if start:  # whole words only
        start = flat.find(" ", start) + 1 or start
    if end < len(flat):
        end = flat.rfind(" ", start, end) if flat.rfind(" ", start, end) > start else end
    return ("…" if start else "") + flat[start:end].strip() + ("…" if end < len(flat) else "")
