"""Search finds handbook content however a teacher spells it, ranked, in the reader's language."""

from pathlib import Path

import pytest

from guide.content.loader import read_language
from guide.search import build_index, index_for
from guide.search.text import fold, query_tokens, tokens, within_distance

FIXTURE = Path(__file__).parent / "fixtures" / "ui_content"


def _index(lang):
    content, problems = read_language(lang, FIXTURE)
    other, _ = read_language("en" if lang == "nl" else "nl", FIXTURE)
    assert not problems
    return build_index(content, [other])


@pytest.fixture(scope="module")
def nl():
    return _index("nl")


@pytest.fixture(scope="module")
def en():
    return _index("en")


def test_accents_and_case_are_folded():
    assert fold("Één CO-Founder") == "een co-founder"


def test_hyphenated_words_are_indexed_joined_and_apart():
    assert tokens("co-founder") == ["cofounder", "co", "founder"]
    assert query_tokens("Co-Founder") == ["cofounder"]


@pytest.mark.parametrize(("a", "b", "limit", "close"), [
    ("cofounder", "cofuonder", 1, True),   # swapped letters count once
    ("valideren", "valdieren", 1, True),
    ("project", "prject", 1, True),
    ("project", "product", 1, False),
])
def test_edit_distance(a, b, limit, close):
    assert within_distance(a, b, limit) is close


@pytest.mark.parametrize("query", ["cofounder", "co-founder", "Co founder", "cofuonder", "CO-FOUNDER"])
def test_spelling_variants_find_the_cofounder_step(nl, query):
    kinds = {(h.kind, h.ident) for h in nl.search(query)}
    assert ("step", "7a.select-cofounder") in kinds


def test_a_dutch_synonym_from_the_glossary_finds_english_content(en):
    hits = en.search("medeoprichter")
    assert ("step", "7a.select-cofounder") in {(h.kind, h.ident) for h in hits}
    assert ("glossary", "co-founder") in {(h.kind, h.ident) for h in hits}


def test_title_hits_rank_above_body_hits(en):
    hits = en.search("co-founder")
    titles = [h for h in hits if "co-founder" in h.title.lower()]
    others = [h for h in hits if "co-founder" not in h.title.lower()]
    assert titles and others
    assert max(hits.index(h) for h in titles) < min(hits.index(h) for h in others)


def test_exact_words_rank_above_typos(en):
    exact = en.search("submit")[0]
    typo = en.search("submt")[0]
    assert exact.ident == typo.ident == "7a.submit"
    assert exact.score > typo.score


def test_faq_alternative_questions_are_searched(nl):
    hits = nl.search("collega niet kiezen")
    assert hits[0].kind == "faq" and hits[0].ident == "cofounder-missing"


def test_rule_fix_texts_are_searched_without_placeholders(en):
    hits = [h for h in en.search("tick available") if h.kind == "rule"]
    assert hits and hits[0].ident == "project.cofounder_not_available"
    assert "{" not in hits[0].snippet


def test_accents_in_the_query_do_not_matter(nl):
    assert nl.search("wérkdagen")[0].ident == "7a.submit"


def test_search_is_per_language(nl, en):
    assert en.search("verstuur") == []
    assert nl.search("verstuur")[0].title == "Verstuur het projectvoorstel"


def test_empty_or_punctuation_query_finds_nothing(nl):
    assert nl.search("") == [] and nl.search("?!") == []


def test_snippet_is_plain_text_around_the_match(en):
    hit = next(h for h in en.search("Available for eTwinning project") if h.kind == "faq")
    assert "guide:" not in hit.snippet and "Available" in hit.snippet


def test_index_is_built_once_per_language():
    assert index_for("nl", FIXTURE) is index_for("nl", FIXTURE)
    assert index_for("en", FIXTURE) is not index_for("nl", FIXTURE)
