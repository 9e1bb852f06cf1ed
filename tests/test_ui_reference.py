"""The reference pages as a teacher uses them: handbook deep links, search, checklists (AppTest, real content)."""

from __future__ import annotations

import pytest
from apptest_tools import open_page, texts, walk

from guide.content.loader import load_content
from guide.ui import identity
from guide.ui.pages.checklists import tick_key


def _focus(at):
    return next((n for n in walk(at.main) if getattr(n, "key", None) == "handbook_focus"), None)


# -- handbook ------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["nl", "en"])
def test_chapter_link_opens_that_chapter(lang):
    chapter = load_content(lang).chapter_by_id["2"]
    at = open_page("handbook", lang, chapter="2").run()
    assert not at.exception
    assert at.selectbox(key="handbook_part").value == "2"
    assert at.header[0].value == f"2. {chapter.title}"
    assert [s.value for s in at.subheader][: len(chapter.sections)] == [
        f"{s.number}. {s.title}" if s.number else s.title for s in chapter.sections]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_step_link_shows_the_step_first_with_its_own_link(lang):
    c = load_content(lang)
    ch, sec, step = c.step_by_id["7a.select-cofounder"]
    at = open_page("handbook", lang, step=step.id).run()
    focus = _focus(at)
    assert focus is not None, "the linked step is not highlighted"
    shown = [n.value for n in walk(focus) if isinstance(getattr(n, "value", None), str)]
    assert any(step.title in t for t in shown)
    assert any(t.endswith(f"/handbook?lang={lang}&step=7a.select-cofounder") for t in shown)  # link to copy
    order = texts(at)
    first_step = next(i for i, t in enumerate(order) if step.title in t)
    assert first_step < order.index(at.header[0].value)  # shown before the chapter it belongs to
    assert at.selectbox(key="handbook_part").value == ch.id


def test_section_link_opens_its_chapter_with_the_section_first():
    at = open_page("handbook", "en", section="7a").run()
    assert at.selectbox(key="handbook_part").value == "7"
    assert _focus(at) is not None
    assert at.subheader[0].value.startswith("7a.")


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_faq_link_opens_the_question(lang):
    entry = next(iter(load_content(lang).faq_by_id.values()))
    at = open_page("handbook", lang, faq=entry.id).run()
    assert at.selectbox(key="handbook_part").value == "faq"
    assert any(entry.question in t for t in texts(at)[:8])
    expanded = [e for e in at.expander if e.label == entry.question]
    assert expanded and expanded[0].proto.expanded


def test_term_link_shows_the_definition():
    term = load_content("en").glossary_by_id["co-founder"]
    at = open_page("handbook", "en", term="co-founder").run()
    shown = [n.value for n in walk(_focus(at)) if isinstance(getattr(n, "value", None), str)]
    assert any(term.term in t and term.definition.split()[0] in t for t in shown)
    assert at.selectbox(key="handbook_part").value == "glossary"


def test_picking_another_chapter_drops_the_old_deep_link():
    at = open_page("handbook", "en", step="7a.select-cofounder").run()
    at.selectbox(key="handbook_part").set_value("3").run()
    assert at.header[0].value.startswith("3.")
    assert _focus(at) is None
    assert "step" not in at.query_params and at.query_params["chapter"] == "3"


def test_a_link_to_an_unknown_step_says_so_in_plain_text():
    at = open_page("handbook", "en", step="[click](http://evil.test)").run()
    assert not at.exception
    assert at.warning and "\\[click\\]" in at.warning[0].value  # escaped: shown, never a live link


@pytest.mark.parametrize(("lang", "hint"), [("nl", "(bedoel je '7a.select-cofounder'?)"),
                                            ("en", "(did you mean '7a.select-cofounder'?)")])
def test_a_link_to_a_misspelt_step_suggests_the_step_in_the_readers_language(lang, hint):
    at = open_page("handbook", lang, step="7a.select-cofoundr").run()
    assert not at.exception
    assert at.warning and at.warning[0].value.endswith(hint), at.warning[0].value


def test_tips_and_warnings_are_styled():
    at = open_page("handbook", "nl", chapter="7").run()
    assert any(w.value.startswith("**Let op!**") for w in at.warning)


def test_netiquette_chapter_and_reference_parts_are_in_the_contents():
    at = open_page("handbook", "nl").run()
    options = at.selectbox(key="handbook_part").options
    assert "Netiquette" in " ".join(options)
    for part in ("Veelgestelde vragen", "Nuttige links en contactgegevens", "Begrippenlijst"):
        assert part in options
    at.selectbox(key="handbook_part").set_value("links").run()
    assert at.header[0].value == "Nuttige links en contactgegevens"


# -- search --------------------------------------------------------------------------------------

@pytest.mark.parametrize(("lang", "query"), [("nl", "cofounder"), ("en", "cofounder"), ("nl", "Co-Founder"),
                                              ("en", "medeoprichter"), ("nl", "medeoprichter")])
def test_search_finds_cofounder_content(lang, query):
    at = open_page("search", lang, q=query).run()
    assert not at.exception
    links = [m.value for m in at.markdown if "step=7a.select-cofounder" in m.value]
    assert links, f"{query!r} did not find the step that selects the co-founder"
    assert at.text[0].value.endswith(f": {query}")


def test_the_query_is_echoed_as_plain_text_only():
    at = open_page("search", "en", q="<b>x</b> [a](http://evil.test)").run()
    assert not at.exception
    assert at.text[0].value.endswith("<b>x</b> [a](http://evil.test)")
    assert not any("evil.test" in m.value for m in at.markdown)


def test_typing_a_query_shows_results():
    # The URL side of bind="query-params" is the browser's job: tests/test_browser.py checks ?q= there.
    at = open_page("search", "en").run()
    assert not at.main.markdown  # the sidebar has the help line on every page
    at.text_input(key="q").input("validation").run()
    assert at.text[0].value.endswith(": validation")
    assert any("/handbook?lang=en" in m.value for m in at.markdown)


# -- checklists ----------------------------------------------------------------------------------

def test_checklist_link_ticking_and_progress():
    cl = load_content("en").checklist_by_id["before-project"]
    at = open_page("checklists", "en", checklist="before-project").run()
    assert at.header[0].value == cl.title
    first = cl.items[0]
    at.checkbox(key=tick_key(cl.id, first.id)).check().run()
    assert f"1 of {len(cl.items)} done" in at.get("progress")[0].proto.text
    labels = [at.checkbox(key=tick_key(cl.id, i.id)).label for i in cl.items]
    linked = [label for label in labels if "](/handbook?lang=en&" in label]
    assert len(linked) == sum(1 for i in cl.items if i.link)  # each item links to where the handbook explains it


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_checklist_ticks_are_kept_like_answers_and_come_back_with_the_resume_link(lang):
    """A tick is saved at once (F5, another tab or device finds it); it is not a self-check answer."""
    cl = load_content(lang).checklist_by_id["before-project"]
    first, second = cl.items[0], cl.items[1]
    at = open_page("checklists", lang, checklist=cl.id).run()
    at.checkbox(key=tick_key(cl.id, second.id)).check().run()
    assert not at.exception
    creds = at.session_state[identity.CREDS_KEY]  # the first save made a stored learner and its resume link
    again = open_page("checklists", lang, checklist=cl.id, resume=creds.token).run()  # a new session
    assert again.checkbox(key=tick_key(cl.id, second.id)).value
    assert not again.checkbox(key=tick_key(cl.id, first.id)).value
    done = "1 van" if lang == "nl" else "1 of"
    assert done in again.get("progress")[0].proto.text
    again.checkbox(key=tick_key(cl.id, second.id)).uncheck().run()
    later = open_page("checklists", lang, checklist=cl.id, resume=creds.token).run()
    assert not later.checkbox(key=tick_key(cl.id, second.id)).value
    mine = open_page("my-data", lang, resume=creds.token).run()
    assert ("Antwoorden zelfcontrole: 0" if lang == "nl" else "Self-check answers: 0") in " ".join(
        m.value for m in mine.markdown), "a tick is not a self-check answer"


def test_checklist_downloads_are_offered_in_dutch():
    at = open_page("checklists", "nl").run()
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Downloaden als Markdown", "Downloaden als pdf"]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_sample_form_labels_keep_their_required_star(lang):
    """'6. Aims *' is the platform's label: shown literally, not eaten by Markdown bold."""
    at = open_page("handbook", lang, section="7b").run()
    assert not at.exception
    shown = "\n".join(texts(at))
    # escaped ('6.' with an invisible word joiner: no list, no link)
    assert "**6\u2060\\. Aims \\***" in shown and "**Title \\***" in shown
