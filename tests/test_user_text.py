"""User text is text (shared/reviews/security.md D9): whatever a person types or puts in a case file is
shown as the same visible text, in Streamlit's real Markdown renderer in chromium: no math, emoji,
icons, colours, links, HTML or emphasis, and no invisible character that turns the app's own text around.

Hypothesis generates the strings (Markdown's and Streamlit's special characters, any Unicode)."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest
from appserver import ROOT, AppServer, person
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from guide.text import WORD_JOINER, clean, preview, visible

PROBE_APP = Path(__file__).parent / "fixtures" / "md_probe_app.py"

SPECIAL = list("\\`*_{}[]()#+-.!|<>~$&@=^:;\"'/ \n\t%") + ["$$", "::", "://", "www.", "&amp;", "&#x41;",
                                                            "\u202e", "\u200b", "\u2066", "\ufeff", "\x1b"]
WORDS = ["x", "smile", "red", "material/home", "LaTeX", "href", "a@b.co", "http", "1", "img", "script"]
user_text = st.lists(st.one_of(st.sampled_from(SPECIAL), st.sampled_from(WORDS),
                               st.characters(exclude_categories=("Cs",))), max_size=30).map("".join)

KNOWN = ["$x^2$", "$$\\LaTeX$$", ":smile:", ":material/home:", ":red[alarm]", ":blue-background[x]",
         "[click](javascript:alert(1))", "<img src=x onerror=alert(1)>", "**bold** _it_ ~~s~~", "# Title",
         "- item\n1. item\n> quote", "https://example.org www.example.org a@b.co", "a | b\n--|--\n1 | 2",
         "Anna\u202eKowalska", "zero\u200bwidth\u2060join\ufeff", "\\*not\\* escaped\\", "`code`", "&lt;b&gt;",
         "1) first", "Title\n===", "    indented code", "[^1]", "H~2~O", "x^2^", "==mark==",
         "www.#V|", "a <- b -> c <-> d -- e >= f <= g ~= h", "<\U000ef627-", "Ña@b.coscript", "🏻", "~www.#", "smile~www.#V|", "x www. y", "www.x", "see www.-a", "a@-b.co", "x@y"]


def _flat(text: str) -> str:
    """The visible text, whitespace as HTML shows it (runs of spaces and newlines are one space)."""
    return re.sub(r"[ \t\n\r\f]+", " ", text.replace(WORD_JOINER, "")).strip()


# -- the functions themselves --------------------------------------------------------------------------

def _shown_category(ch: str) -> bool:
    """Letters, marks, numbers, punctuation, symbols, spaces: what a reader sees."""
    cat = unicodedata.category(ch)
    return cat[0] in "LMNPS" or cat == "Zs"


@given(user_text)
def test_clean_drops_exactly_the_invisible_characters(s):
    out = clean(s)
    assert [ch for ch in out if not _shown_category(ch)] == [ch for ch in out if ch in "\n\t"]
    assert [ch for ch in s if _shown_category(ch) or ch in "\n\t"] == list(out)


@given(user_text)
def test_visible_escapes_every_control_and_format_character(s):
    out = visible(s)
    assert all(_shown_category(ch) for ch in out)
    if all(_shown_category(ch) for ch in s):
        assert out == s


@given(st.one_of(user_text, st.integers(), st.lists(user_text), st.dictionaries(user_text, user_text)))
def test_a_preview_is_short(value):
    assert len(preview(value)) < 200


def test_a_huge_integer_is_previewed_without_its_digits():
    assert preview(10 ** 5000) == "<a number of about 5000 digits>"


# -- in the real renderer ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def probe(tmp_path_factory, browser):
    """(write the strings, read what chromium shows): a Streamlit server for PROBE_APP and a browser page."""
    data = tmp_path_factory.mktemp("probe") / "strings.json"
    data.write_text("[]")
    server = AppServer("md-probe", {"GUIDE_MD_PROBE": str(data), "PYTHONPATH": str(ROOT)}, script=PROBE_APP,
                       args=("--server.runOnSave", "false"))
    page = person(browser)
    try:
        server.start()
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))

        def show(strings: list[str]) -> list[dict]:
            data.write_text(json.dumps(strings), encoding="utf-8")
            page.goto(server.url)
            page.get_by_text("probe done").wait_for(timeout=60_000)
            return page.eval_on_selector_all(
                "[data-testid='stMarkdownContainer']",
                """els => els.filter(e => !e.closest("[data-testid='stCaptionContainer']")).map(e => ({
                    text: e.innerText,
                    special: e.querySelectorAll('a, img, script, iframe, strong, em, del, code, h1, h2, h3, '
                        + 'h4, h5, h6, li, blockquote, table, .katex, hr, [style*=color], span[class*=emoji]'
                        + ', [data-testid=stIconMaterial]').length}))""")

        yield show, dialogs
    finally:
        page.context.close()
        server.stop()


def _assert_shown_as_typed(strings: list[str], shown: list[dict]) -> None:
    nonblank = [s for s in strings if _flat(clean(s))]
    got = [x for x in shown if _flat(x["text"])]
    assert len(got) == len(nonblank), (nonblank, got)
    for s, x in zip(nonblank, got, strict=True):
        assert _flat(x["text"]) == _flat(clean(s)), (s, x["text"])
        assert x["special"] == 0, (s, x)
        assert "\u202e" not in x["text"] and "\u200b" not in x["text"]


@pytest.mark.xdist_group("md-probe")  # one worker starts the probe app (pytest-xdist --dist loadgroup)
def test_known_attacks_show_as_the_text_typed(probe):
    show, dialogs = probe
    _assert_shown_as_typed(KNOWN, show(KNOWN))
    assert dialogs == []


@pytest.mark.xdist_group("md-probe")
@settings(max_examples=5, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate],
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(user_text, min_size=40, max_size=40))
def test_any_user_string_shows_as_the_same_visible_text(probe, strings):
    show, dialogs = probe
    _assert_shown_as_typed(strings, show(strings))
    assert dialogs == []
