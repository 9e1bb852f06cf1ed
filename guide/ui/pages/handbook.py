"""Handbook page: every chapter in the handbook's order, FAQ, links and contacts, glossary; deep links to each item.

Deep links: ?chapter=<id|faq|links|glossary>, ?section=<id>, ?step=<id>, ?faq=<id>, ?term=<id>, ?rule=<id>.
The linked item is shown first, in a box with its own link to copy, above the part it belongs to.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import streamlit as st

from ...content.loader import Content
from ...errors import did_you_mean
from ...steps.findings import escape_markdown
from ...steps.registry import all_rules
from .. import widgets as w
from ..common import N_, _, content, link_for, page_url

PART_KEY = "handbook_part"
SIG_KEY = "_handbook_link"
DEEP = ("chapter", "section", "step", "faq", "term", "rule")
EXTRA_PARTS = {"faq": N_("Frequently asked questions"), "links": N_("Useful links and contacts"),
               "glossary": N_("Glossary")}


def _parts(c: Content) -> dict[str, str]:
    parts = {ch.id: w.chapter_title(ch) for ch in c.chapters}
    present = {"faq": c.get("faq.yaml"), "links": c.get("links.yaml"), "glossary": c.get("glossary.yaml")}
    parts.update({k: _(label) for k, label in EXTRA_PARTS.items() if present[k]})
    return parts


def _rule_chapter(c: Content, rule_id: str) -> str | None:
    """The chapter that explains a rule: the rule's own chapter, else the first step that it checks."""
    try:
        rule = all_rules().get(rule_id)
    except Exception:  # a broken rule module must not take the handbook down
        rule = None
    if rule is not None:
        if rule.chapter in c.chapter_by_id:
            return rule.chapter
        if rule.chapter in c.section_by_id:
            return c.section_by_id[rule.chapter][0].id
    for ch, _sec, step in c.step_by_id.values():
        if rule_id in step.rules:
            return ch.id
    return None


def _target(c: Content) -> tuple[str | None, tuple[str, str] | None, str | None]:
    """(part to show, (kind, id) to show first, problem with the link) from the URL."""
    qp = st.query_params
    known: dict[str, tuple[Mapping[str, object], Callable[[str], str | None]]] = {
        "step": (c.step_by_id, lambda i: c.step_by_id[i][0].id),
        "section": (c.section_by_id, lambda i: c.section_by_id[i][0].id),
        "faq": (c.faq_by_id, lambda _i: "faq"),
        "term": (c.glossary_by_id, lambda _i: "glossary"),
        "rule": (c.rule_texts, lambda i: _rule_chapter(c, i)),
    }
    for param, (table, part_of) in known.items():
        ident = qp.get(param)
        if ident is None:
            continue
        if ident in table:
            return part_of(ident), (param, ident), None
        return None, None, _("This link points to '{ident}', which this handbook does not have.").format(
            ident=escape_markdown(ident)) + did_you_mean(ident, table, _)
    chapter = qp.get("chapter")
    if chapter is not None:
        if chapter in _parts(c):
            return chapter, None, None
        return None, None, _("This link points to '{ident}', which this handbook does not have.").format(
            ident=escape_markdown(chapter)) + did_you_mean(chapter, _parts(c), _)
    return None, None, None


def _picked() -> None:
    """The reader chose another part: the URL now says that part, and no longer the old deep link."""
    for p in DEEP:
        if p in st.query_params:
            del st.query_params[p]
    st.query_params["chapter"] = st.session_state[PART_KEY]
    st.session_state[SIG_KEY] = _signature()


def _signature() -> tuple:
    return tuple(st.query_params.get(p) for p in DEEP)


def render() -> None:
    c = content()
    parts = _parts(c)
    st.title(_("Handbook"))
    part, focus, problem = _target(c)
    if problem:
        st.warning(problem)  # plain text: the id comes from the URL
    sig = _signature()
    # A new link in the URL moves the chapter picker; the reader's own picks are kept otherwise.
    if st.session_state.get(SIG_KEY) != sig:
        st.session_state[SIG_KEY] = sig
        if part in parts:
            st.session_state[PART_KEY] = part
    if st.session_state.get(PART_KEY) not in parts:
        st.session_state[PART_KEY] = next(iter(parts))
    with st.expander(_("Contents"), icon=":material/toc:"):
        st.markdown("\n".join(f"- [{title}]({page_url('handbook', chapter=pid)})" for pid, title in parts.items()))
    st.selectbox(_("Chapter"), options=list(parts), format_func=parts.__getitem__, key=PART_KEY,
                 on_change=_picked)
    chosen = st.session_state[PART_KEY]
    if focus:
        _focus(c, *focus)
    if chosen == "faq":
        _faq(c, focus[1] if focus and focus[0] == "faq" else None)
    elif chosen == "glossary":
        _glossary(c)
    elif chosen == "links":
        _links(c)
    else:
        _chapter(c, chosen)


def _focus(c: Content, kind: str, ident: str) -> None:
    """The linked item first, in a highlighted box, with its own link to copy."""
    link_kind = "glossary" if kind == "term" else kind
    with st.container(border=True, key="handbook_focus"):
        st.caption(_("You opened a link to:"))
        if kind == "step":
            ch, sec, step = c.step_by_id[ident]
            st.markdown(f"**{w.chapter_title(ch)} › {w.section_title(sec)}**")
            w.step(step, with_link=False)
        elif kind == "section":
            _ch, sec = c.section_by_id[ident]
            w.section(sec, with_link=False)
        elif kind == "faq":
            e = c.faq_by_id[ident]
            st.markdown(f"**{e.question}**")
            w.faq_answer(e, with_link=False)
        elif kind == "term":
            w.glossary_entry(c.glossary_by_id[ident], with_link=False)
        elif kind == "rule":
            _rule(c, ident)
        w.copy_link(link_kind, ident)


def _rule(c: Content, rule_id: str) -> None:
    """A rule's fix in general form and the steps it checks."""
    text = c.rule_texts[rule_id]
    st.markdown(f"**{text.title}**  \n:small[`{rule_id}`]")
    fixes = text.fix if isinstance(text.fix, dict) else {"": text.fix}
    for variant, fix in fixes.items():
        prefix = f"*{variant}:* " if variant else ""
        st.markdown(prefix + w.resolve_links(w.general_form(fix)))
    steps = [(ch, sec, s) for ch, sec, s in c.step_by_id.values() if rule_id in s.rules]
    if steps:
        st.markdown("**" + _("Steps this check looks at:") + "**\n\n" + "\n".join(
            f"- [{w.section_title(sec)} › {s.title}]({link_for('step', s.id)})" for _ch, sec, s in steps))


def _chapter(c: Content, chapter_id: str) -> None:
    ch = c.chapter_by_id[chapter_id]
    st.header(w.chapter_title(ch), anchor=f"chapter-{ch.id}")
    st.markdown(f"*{w.resolve_links(ch.summary)}*\n\n{w.link_line('chapter', ch.id)}")
    for sec in ch.sections:
        w.section(sec)


def _faq(c: Content, open_id: str | None) -> None:
    st.header(_("Frequently asked questions"))
    for e in c.faq_by_id.values():
        with st.expander(e.question, expanded=e.id == open_id):
            w.faq_answer(e)


def _glossary(c: Content) -> None:
    st.header(_("Glossary"))
    for g in sorted(c.glossary_by_id.values(), key=lambda g: g.term.casefold()):
        w.glossary_entry(g)


def _links(c: Content) -> None:
    links = c.get("links.yaml")
    st.header(_("Useful links and contacts"))
    w.md(links.intro)
    if links.contacts:
        st.subheader(_("Contacts"))
        for ct in links.contacts:
            lines = [f"**{ct.title}**"]
            if ct.text:
                lines.append(w.resolve_links(ct.text))
            if ct.email:
                lines.append(f":material/mail: [{ct.email}](mailto:{ct.email})")
            if ct.phone:
                lines.append(f":material/call: {ct.phone}")
            if ct.url:
                lines.append(f":material/open_in_new: <{ct.url}>")
            st.markdown("  \n".join(lines))
    st.subheader(_("Links"))
    st.markdown("\n".join(
        f"- [{ln.title}]({ln.url})" + (f" — {w.resolve_links(ln.text)}" if ln.text else "") for ln in links.links))
