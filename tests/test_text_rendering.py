"""Handbook text as the reader should see it (issue #14 item 7): asterisks and brackets that mean the
characters themselves show them, search snippets are clean text, and the checklist PDF wraps at word
boundaries and keeps every item whole on one page. Checked against the real content and the handbook."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from apptest_tools import open_page
from pypdf import PdfReader

from guide.checklist_export import to_markdown, to_pdf
from guide.content.loader import load_content
from guide.content.models import Checklist, ChecklistItem
from guide.i18n import translator
from guide.search import search
from guide.text import literal_asterisks, readable

ROOT = Path(__file__).resolve().parent.parent
#: the handbook the content comes from, when the shared folder is beside the checkout (not in CI)
HANDBOOK = ROOT.parent / "shared" / "handbook" / "000_3b971a07396a7929.txt"


def test_an_asterisk_that_means_itself_is_escaped_and_emphasis_is_kept():
    text = "Een sterretje (*) betekent dat het veld verplicht is ('* indicates a required field')."
    assert literal_asterisks(text) == ("Een sterretje (\\*) betekent dat het veld verplicht is "
                                       "('\\* indicates a required field').")
    assert literal_asterisks('geen symbolen zoals "< > *", maar *wel* **dit**') == \
        'geen symbolen zoals "< > \\*", maar *wel* **dit**'
    assert literal_asterisks("* een lijst\n* met twee") == "* een lijst\n* met twee"  # list markers stay
    assert literal_asterisks("tekens `< > *` in code") == "tekens `< > *` in code"  # code shows as it is
    assert literal_asterisks("Anna \\*Kowalska\\*") == "Anna \\*Kowalska\\*"  # escaped already


def test_readable_text_keeps_literal_marks_and_drops_markup():
    md = ("**Let op:** kies het veld (*) en zie [hoofdstuk 12](guide:chapter/12) of <https://x.example/a>. "
          "Het account van {name} is *nog niet* gevalideerd; `Title *` [sic]")
    assert " ".join(readable(md).split()) == ("Let op: kies het veld (*) en zie hoofdstuk 12 of . "
                                              "Het account van … is nog niet gevalideerd; Title * [sic]")
    assert readable("zie https://x.example/a.") == "zie  ."


@pytest.mark.parametrize("lang, words", [("nl", "Een sterretje (*) betekent dat"),
                                          ("en", "An asterisk (*) means the field is")])
def test_the_handbook_page_shows_the_asterisks(lang, words):
    at = open_page("handbook", lang, chapter="7").run()
    assert not at.exception
    shown = "\n".join(m.value for m in at.markdown)
    assert "(\\*)" in shown and "('\\* indicates a required field')" in shown
    # what the reader sees once Markdown is rendered: the asterisks, no emphasis between them
    paragraph = " ".join(readable(next(m.value for m in at.markdown if "(\\*)" in m.value)).split())
    assert words in paragraph
    # the platform's note as the handbook quotes it (line 541), asterisk and all
    platform_note = "* indicates a required field"
    if HANDBOOK.is_file():
        assert platform_note in HANDBOOK.read_text(encoding="utf-8").splitlines()[540]
    assert f"('{platform_note}')" in paragraph


@pytest.mark.parametrize("lang, query", [("en", "chapter 12 label school"), ("nl", "schoollabel hoofdstuk")])
def test_search_snippets_are_clean_text(lang, query):
    hits = search(query, lang, 25)
    assert hits
    for hit in hits:
        assert "](" not in hit.snippet and "guide:" not in hit.snippet, hit.snippet
        assert not re.search(r"\[[^\]]*\]\s*\)", hit.snippet), hit.snippet  # no '[chapter 12] )'
        assert not re.search(r"\{[a-z_]+\}", hit.snippet), hit.snippet    # no '{name}'
        assert "**" not in hit.snippet and "`" not in hit.snippet, hit.snippet


def test_a_search_snippet_keeps_the_asterisk_it_is_about():
    hit = next(h for h in search("sterretje verplicht veld", "nl", 25) if "sterretje" in h.snippet)
    assert "(*)" in hit.snippet


def _words(text: str) -> list[str]:
    return text.split()


def _pages(data: bytes) -> list[str]:
    return [" ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(data)).pages]


def _check_pdf(checklist: Checklist, lang: str) -> list[str]:
    data = to_pdf(checklist, set(), translator(lang).gettext, link=lambda u: "https://x.test/" + u)
    pages = _pages(data)
    for item in checklist.items:
        whole = " ".join(readable(item.text).split())
        # the item's text, every word intact and in order, on one page (no word split over lines, no item
        # split over pages)
        holders = [i for i, page in enumerate(pages) if whole in page]
        assert holders, f"item {item.id} is not whole on any page: {whole!r}"
    return pages


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_real_checklist_pdf_wraps_at_words_and_keeps_items_whole(lang):
    for checklist in load_content(lang).checklist_by_id.values():
        _check_pdf(checklist, lang)
        md = to_markdown(checklist, set(), translator(lang).gettext)
        for item in checklist.items:  # one line per item in the Markdown file too
            assert f"- [ ] {' '.join(item.text.split())}" in md


def test_a_long_checklist_breaks_pages_between_items_only():
    sentence = ("Ik heb mijn profiel ingevuld, mijn school toegevoegd en 'Available for eTwinning project' "
                "aangevinkt, zodat een partner mij als co-founder kan kiezen. ")
    items = [ChecklistItem(id=f"item-{i}", text=f"Punt {i}: " + sentence * (1 + i % 4), link="guide:chapter/3")
             for i in range(40)]
    checklist = Checklist(id="long", title="Een lange lijst", items=items)
    pages = _check_pdf(checklist, "nl")
    assert len(pages) > 3  # long enough to need page breaks
