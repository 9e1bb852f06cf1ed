"""Finds the symptoms a typed complaint means: words of titles and synonyms in every language, typos tolerated."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..content.symptoms import Symptoms
from ..search.text import max_typos, query_tokens, within_distance


@dataclass(frozen=True)
class Match:
    symptom: str
    score: float


def _similar(q: str, word: str) -> float:
    """1 for the same word; less for a typo, a prefix or a part of a compound ('inlog' in 'inlogproblemen')."""
    if q == word:
        return 1.0
    if within_distance(q, word, max_typos(q)):
        return 0.9
    if len(q) >= 4 and (word.startswith(q) or (len(q) >= 5 and q in word)):
        return 0.8
    if len(word) >= 5 and word in q:
        return 0.7  # a compound typed as one word: 'cofounderlijst' holds 'cofounder'
    return 0.0


def _phrase_score(query: list[str], phrase: list[str]) -> float:
    if not query or not phrase:
        return 0.0
    covered = sum(max(_similar(q, w) for w in phrase) for q in query) / len(query)
    precise = sum(max(_similar(q, w) for q in query) for w in phrase) / len(phrase)
    return 0.75 * covered + 0.25 * precise


def match(text: str, catalogues: Iterable[Symptoms], limit: int = 5, threshold: float = 0.45) -> list[Match]:
    """Symptoms best matching `text`, best first. Searches every language's titles and synonyms."""
    catalogues = list(catalogues)
    stop = {w for cat in catalogues for sw in cat.stopwords for w in query_tokens(sw)}
    query = [t for t in query_tokens(text) if t not in stop] or query_tokens(text)
    best: dict[str, float] = {}
    for cat in catalogues:
        for symptom in cat.symptoms:
            for phrase in (symptom.title, *symptom.synonyms):
                words = [t for t in query_tokens(phrase) if t not in stop] or query_tokens(phrase)
                score = _phrase_score(query, words)
                if score > best.get(symptom.id, 0.0):
                    best[symptom.id] = score
    order = [s.id for s in catalogues[0].symptoms] if catalogues else []
    ranked = sorted((Match(sid, sc) for sid, sc in best.items() if sc >= threshold),
                    key=lambda m: (-m.score, order.index(m.symptom) if m.symptom in order else 0))
    return ranked[:limit]
