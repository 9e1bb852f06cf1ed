"""Shared render helpers: handbook steps, notes, sections, glossary and FAQ entries, deep links.

Content text is trusted Markdown from content/<lang>/ (its `guide:` links resolved); user input never
comes here. Each item is drawn with as few elements as possible: a page rerun stays cheap.
"""

from __future__ import annotations

import re

import streamlit as st

from ..content.models import Chapter, FaqEntry, FormField, GlossaryEntry, Note, Section, Step
from ..steps.findings import escape_markdown
from .common import N_, _, absolute_url, link_for, resolve_links

NOTE_LABELS = {"tip": N_("Tip"), "warning": N_("Watch out!")}
_PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")


def md(text: str | None) -> None:
    """Content Markdown with its `guide:` links turned into app links."""
    if text:
        st.markdown(resolve_links(text))


def link_line(kind: str, ident: str) -> str:
    """A small Markdown link to the item's own deep link (opening it shows the item first)."""
    label = _("Link to this")
    return f":small[[:material/link: {label}]({link_for(kind, ident)})]"


def copy_link(kind: str, ident: str) -> None:
    """The item's full deep link in a code box with a copy button."""
    st.caption(_("Link to share:"))
    st.code(absolute_url(link_for(kind, ident)), language=None, wrap_lines=True)


def note(n: Note) -> None:
    label = _(NOTE_LABELS[n.kind])
    body = f"**{label}** {resolve_links(n.text)}"
    if n.kind == "warning":
        st.warning(body, icon=":material/warning:")
    else:
        st.info(body, icon=":material/lightbulb:")


def chapter_title(ch: Chapter) -> str:
    return f"{ch.number}. {ch.title}" if ch.number else ch.title


def section_title(sec: Section) -> str:
    return f"{sec.number}. {sec.title}" if sec.number else sec.title


def step_markdown(step: Step, with_link: bool = True) -> str:
    head = f"**{step.number}. {step.title}**" if step.number is not None else f"**{step.title}**"
    parts = [head, resolve_links(step.text)]
    if step.ui_labels:
        on_screen = _("On screen:")
        parts.append(f"{on_screen} " + " · ".join(f"`{label}`" for label in step.ui_labels))
    if step.screen:
        seen = _("What you see:")
        parts.append(f":material/image: *{seen}* {resolve_links(step.screen)}")
    if with_link:
        parts.append(link_line("step", step.id))
    return "\n\n".join(parts)


def step(s: Step, with_link: bool = True) -> None:
    """One numbered step: title, instruction, the platform's labels, the screen, then its notes."""
    st.markdown(step_markdown(s, with_link))
    for n in s.notes:
        note(n)


def form(fields: list[FormField]) -> None:
    """A platform form with the handbook's sample answers, as the handbook shows it in 7b."""
    with st.container(border=True):
        st.markdown("**" + _("Sample form") + "**")
        lines = []
        for f in fields:
            lines.append(f"**{escape_markdown(f.label)}**")  # platform labels end in "*"
            if f.help:
                lines.append(f":gray[{resolve_links(f.help)}]")
            if f.example:
                lines.append(f"> {resolve_links(f.example)}".replace("\n", "\n> "))
            lines.append("")
        st.markdown("\n\n".join(lines))


def section(sec: Section, with_link: bool = True) -> None:
    """A section with its text, numbered steps, form, notes and closing text."""
    st.subheader(section_title(sec), anchor=f"section-{sec.id}")
    intro = resolve_links(sec.text) if sec.text else ""
    if with_link:
        intro = f"{intro}\n\n{link_line('section', sec.id)}" if intro else link_line("section", sec.id)
    st.markdown(intro)
    for s in sec.steps:
        step(s, with_link)
    if sec.form:
        form(sec.form)
    for n in sec.notes:
        note(n)
    md(sec.after)


def glossary_entry(g: GlossaryEntry, with_link: bool = True) -> None:
    text = f"**{g.term}** — {resolve_links(g.definition)}"
    if g.source:
        text += "\n\n:small[" + _("Source:") + f" {g.source}]"
    if with_link:
        text += f"\n\n{link_line('glossary', g.id)}"
    st.markdown(text)


def faq_answer(e: FaqEntry, with_link: bool = True) -> None:
    text = resolve_links(e.answer)
    if e.source:
        text += "\n\n:small[" + _("Source:") + f" {e.source}]"
    if with_link:
        text += f"\n\n{link_line('faq', e.id)}"
    st.markdown(text)


def general_form(template: str) -> str:
    """A fix text without a case: each {placeholder} shown as ‹placeholder›."""
    return _PLACEHOLDER.sub(lambda m: f"‹{m.group(1).replace('_', ' ')}›", template)
