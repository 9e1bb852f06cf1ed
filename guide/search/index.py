"""A search index over one language's content: chapters, sections, steps, FAQ, glossary, rule fixes, checklists.

Accent- and case-insensitive, tolerant of hyphens ('co-founder' = 'cofounder') and small typos,
with synonyms from the glossary terms of every language ('medeoprichter' finds co-founder content).
Ranked: title hits above body hits, exact words above prefixes above typos.
"""

from __future__ import annotations

import bisect
import contextlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

from .. import CONTENT_DIR, LANGUAGES
from ..content.loader import Content, load_content
from ..errors import ContentError
from .text import max_typos, plain, query_tokens, snippet, tokens, trigrams, within_distance

TITLE, KEYWORDS, BODY = 3.0, 2.0, 1.0
EXACT, PREFIX, TYPO = 1.0, 0.8, 0.6
#: Kinds in the order a tie is shown; also the `guide:` link kind each hit points to.
KINDS = ("chapter", "section", "step", "faq", "glossary", "rule", "checklist")
_PLACEHOLDER = re.compile(r"\{[a-z_][a-z0-9_]*\}")


@dataclass(frozen=True)
class Doc:
    kind: str          # one of KINDS
    ident: str         # id for link_for(kind, ident)
    title: str
    context: str       # where it lives, e.g. the chapter and section title
    text: str          # Markdown body the snippet comes from
    fields: tuple[tuple[float, str], ...] = ()  # (weight, text) to index


@dataclass(frozen=True)
class Hit:
    kind: str
    ident: str
    title: str
    context: str
    snippet: str
    score: float
    coverage: float    # share of the query's words (or synonyms) found


def _join(*parts: str | None) -> str:
    return "\n\n".join(p for p in parts if p)


def documents(content: Content) -> list[Doc]:
    """Every searchable item of one language, in reading order."""
    docs: list[Doc] = []
    for ch in content.chapters:
        chap = f"{ch.number}. {ch.title}" if ch.number else ch.title
        docs.append(Doc("chapter", ch.id, chap, "", ch.summary, ((TITLE, ch.title), (BODY, ch.summary))))
        for sec in ch.sections:
            sec_title = f"{sec.number}. {sec.title}" if sec.number else sec.title
            form = [_join(f.label, f.help, f.example) for f in sec.form]
            body = _join(sec.text, *(n.text for n in sec.notes), *form, sec.after)
            docs.append(Doc("section", sec.id, sec_title, chap, body or "",
                            ((TITLE, sec.title), (KEYWORDS, sec.number or ""), (BODY, body))))
            for step in sec.steps:
                body = _join(step.text, step.screen, *(n.text for n in step.notes))
                docs.append(Doc("step", step.id, step.title, f"{chap} › {sec_title}", step.text,
                                ((TITLE, step.title), (KEYWORDS, " ".join(step.ui_labels)), (BODY, body))))
    faq = content.get("faq.yaml")
    for e in faq.entries if faq else ():
        docs.append(Doc("faq", e.id, e.question, "", e.answer,
                        ((TITLE, e.question), (KEYWORDS, "\n".join(e.alt_questions)), (BODY, e.answer))))
    glossary = content.get("glossary.yaml")
    for g in glossary.entries if glossary else ():
        docs.append(Doc("glossary", g.id, g.term, "", g.definition,
                        ((TITLE, g.term), (KEYWORDS, " ".join(g.aliases)), (BODY, g.definition))))
    for rule_id, rt in content.rule_texts.items():
        fixes = rt.fix.values() if isinstance(rt.fix, dict) else [rt.fix]
        body = _PLACEHOLDER.sub("…", _join(*fixes))
        docs.append(Doc("rule", rule_id, rt.title, "", body,
                        ((TITLE, rt.title), (KEYWORDS, rule_id.replace(".", " ").replace("_", " ")), (BODY, body))))
    checklists = content.get("checklists.yaml")
    for cl in checklists.checklists if checklists else ():
        body = _join(cl.intro, *(i.text for i in cl.items))
        docs.append(Doc("checklist", cl.id, cl.title, "", body, ((TITLE, cl.title), (BODY, body))))
    return docs


def synonym_groups(contents: Iterable[Content]) -> list[tuple[tuple[str, ...], ...]]:
    """Glossary terms and aliases with the same id in every language (and bracketed or slashed variants) as one group."""
    groups: dict[str, set[tuple[str, ...]]] = {}
    for content in contents:
        glossary = content.get("glossary.yaml")
        for g in glossary.entries if glossary else ():
            for part in re.split(r"[()/,;]", "/".join([g.term, *g.aliases])):
                phrase = tuple(query_tokens(part))
                if phrase:
                    groups.setdefault(g.id, set()).add(phrase)
    return [tuple(sorted(g)) for g in groups.values() if len(g) > 1]


@dataclass
class Index:
    docs: list[Doc]
    synonyms: list[tuple[tuple[str, ...], ...]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.postings: dict[str, dict[int, float]] = {}
        for n, doc in enumerate(self.docs):
            for weight, text in doc.fields:
                for tok in tokens(plain(text)):
                    post = self.postings.setdefault(tok, {})
                    if post.get(n, 0.0) < weight:
                        post[n] = weight
        self.vocab = sorted(self.postings)
        self.by_trigram: dict[str, set[str]] = {}
        for tok in self.vocab:
            for tri in trigrams(tok):
                self.by_trigram.setdefault(tri, set()).add(tok)

    # -- matching one word ---------------------------------------------------------------------
    def matches(self, token: str) -> dict[str, float]:
        """Vocabulary words that count as `token`, with how good the match is."""
        found: dict[str, float] = {}
        if token in self.postings:
            found[token] = EXACT
        if len(token) >= 3:
            i = bisect.bisect_left(self.vocab, token)
            while i < len(self.vocab) and self.vocab[i].startswith(token):
                found.setdefault(self.vocab[i], PREFIX)
                i += 1
        limit = max_typos(token)
        if limit:
            grams = trigrams(token)
            shared: dict[str, int] = {}
            for tri in grams:
                for cand in self.by_trigram.get(tri, ()):
                    shared[cand] = shared.get(cand, 0) + 1
            # each edit destroys at most 3 trigrams: fewer shared ones cannot be within `limit`
            need = len(grams) - 3 * limit
            for cand, count in shared.items():
                if count >= need and cand not in found and within_distance(token, cand, limit):
                    found[cand] = TYPO
        return found

    def _scores(self, token: str) -> dict[int, float]:
        scores: dict[int, float] = {}
        for word, quality in self.matches(token).items():
            for n, weight in self.postings[word].items():
                s = quality * weight
                if s > scores.get(n, 0.0):
                    scores[n] = s
        return scores

    # -- the query -----------------------------------------------------------------------------
    def _slots(self, qtoks: list[str]) -> list[tuple[tuple[str, ...], ...]]:
        """Each slot: alternative phrases that answer one part of the query (a word, or a glossary synonym)."""
        slots: list[tuple[tuple[str, ...], ...]] = []
        i = 0
        while i < len(qtoks):
            hit = self._synonym_at(qtoks, i)
            if hit:
                length, group = hit
                slots.append(group)
                i += length
            else:
                slots.append(((qtoks[i],),))
                i += 1
        return slots

    def _synonym_at(self, qtoks: list[str], i: int) -> tuple[int, tuple[tuple[str, ...], ...]] | None:
        for group in self.synonyms:
            for phrase in group:
                n = len(phrase)
                if _same(qtoks[i:i + n], phrase):
                    return n, group
                # 'co founder' typed apart still asks for the one-word phrase 'cofounder'
                if n == 1 and i + 1 < len(qtoks) and _same(["".join(qtoks[i:i + 2])], phrase):
                    return 2, group
        return None

    def search(self, query: str, limit: int = 30) -> list[Hit]:
        qtoks = query_tokens(query)
        if not qtoks:
            return []
        slots = self._slots(qtoks)
        cache: dict[str, dict[int, float]] = {}
        totals: dict[int, float] = {}
        found: dict[int, int] = {}
        needles: set[str] = set()
        for slot in slots:
            best: dict[int, float] = {}
            for phrase in slot:
                per_token = [cache.setdefault(t, self._scores(t)) for t in phrase]
                needles.update(phrase)
                common = set.intersection(*(set(s) for s in per_token))
                for n in common:
                    s = min(scores[n] for scores in per_token)
                    if s > best.get(n, 0.0):
                        best[n] = s
            for n, s in best.items():
                totals[n] = totals.get(n, 0.0) + s
                found[n] = found.get(n, 0) + 1
        needed = max(1, (len(slots) + 1) // 2)
        ranked = sorted((n for n in totals if found[n] >= needed),
                        key=lambda n: (-found[n], -totals[n], KINDS.index(self.docs[n].kind), n))
        marks = set(needles)
        for t in needles:
            marks.update(self.matches(t))
        hits = []
        for n in ranked[:limit]:
            doc = self.docs[n]
            hits.append(Hit(doc.kind, doc.ident, doc.title, doc.context, snippet(doc.text, marks),
                            round(totals[n], 3), found[n] / len(slots)))
        return hits


def _same(words: Sequence[str], phrase: tuple[str, ...]) -> bool:
    if len(words) != len(phrase):
        return False
    return all(w == p or within_distance(w, p, max_typos(p)) for w, p in zip(words, phrase, strict=True))


def build_index(content: Content, others: Iterable[Content] = ()) -> Index:
    return Index(documents(content), synonym_groups([content, *others]))


@cache
def index_for(lang: str, root: Path = CONTENT_DIR) -> Index:
    """The index of one language, built once per process (content does not change while the app runs)."""
    content = load_content(lang, root)
    others = []
    for other in LANGUAGES:
        if other != lang:
            # the other language only adds synonyms; its errors are reported where it is used
            with contextlib.suppress(ContentError):
                others.append(load_content(other, root))
    return build_index(content, others)


@lru_cache(maxsize=512)
def search(query: str, lang: str, limit: int = 30) -> tuple[Hit, ...]:
    """Results for a query, remembered: every rerun of the results page asks the same question again."""
    return tuple(index_for(lang).search(query, limit))
