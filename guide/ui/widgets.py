"""Shared render helpers: handbook steps, notes, sections, glossary and FAQ entries, deep links.

Content text is trusted Markdown from content/<lang>/ (its `guide:` links resolved); user input never
comes here. Each item is drawn with as few elements as possible: a page rerun stays cheap.
"""

from __future__ import annotations

import re

import streamlit as st

from ..content.loader import Content
from ..content.models import Chapter, FaqEntry, FormField, GlossaryEntry, Note, Section, Step
from ..steps.findings import Finding, actor_line, escape_markdown
from .common import N_, _, absolute_url, link_for, resolve_links

NOTE_LABELS = {"tip": N_("Tip"), "warning": N_("Watch out!"), "newer": N_("Newer than the handbook")}
SEVERITY = {"blocker": N_("Blocker"), "warning": N_("Warning"), "info": N_("Good to know"), "tip": N_("Tip")}
SEVERITY_BOX = {"blocker": st.error, "warning": st.warning, "info": st.info, "tip": st.info}
#: One icon per actor on a fix card: who acts is seen before it is read.
ACTOR_ICON = {"teacher": ":material/person:", "partner": ":material/group:", "school": ":material/school:",
              "nso": ":material/support_agent:", "css": ":material/hourglass_top:",
              "esep_support": ":material/contact_support:"}
#: Who acts, in a word (the trainer's board): the participant, their partner, the NSO ...
ACTOR_SHORT = {"teacher": N_("they can fix it"), "partner": N_("waits for a partner"),
               "school": N_("waits for the school"), "nso": N_("waits for the NSO"),
               "css": N_("waits for the CSS"), "esep_support": N_("ESEP support")}
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
    elif n.kind == "newer":
        checked = _("checked {date}").format(date=n.checked.isoformat() if n.checked else "")
        st.info(f"{body}\n\n:small[{_('Source:')} <{n.source}> ({checked})]", icon=":material/update:")
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


def fix_card_markdown(f: Finding, content: Content, with_title: bool = True, note: str | None = None) -> str:
    """A failing finding as one Markdown block: severity and title, who acts (and until when we wait),
    the fix, the handbook chapter. Case facts in the title/fix are already escaped by the rules' words."""
    icon = ":material/hourglass_top:" if f.until is not None else ACTOR_ICON.get(f.actor, ":material/person:")
    parts = [f"**{_(SEVERITY[f.severity])}: {f.title}**"] if with_title else []
    if note:
        parts.append(f":small[{escape_markdown(note)}]")
    parts.append(f"{icon} **{actor_line(f, content)}**")
    if f.fix:
        parts.append(resolve_links(f.fix))
    chapter = _("Handbook, chapter {chapter}").format(chapter=f.chapter)
    parts.append(f":small[[:material/menu_book: {chapter}]({link_for('chapter', f.chapter)})]")
    return "\n\n".join(parts)


def fix_card(f: Finding, content: Content, with_title: bool = True, note: str | None = None) -> None:
    """The fix card shown wherever fixes are shown (flows, sandbox, troubleshooter, workshop): a box in the
    severity's colour that says who acts ('You can fix this', 'Only Anna Kowalska can do this', 'Waiting
    for your NSO until Monday 30 November') before the fix. `note`: a plain-text line under the title."""
    SEVERITY_BOX[f.severity](fix_card_markdown(f, content, with_title, note))


def blocker_with_actor(title: str, actor: str | None) -> str:
    """'Your co-founder is not in the list (waits for a partner)': a blocker on the trainer's board."""
    return f"{title} ({_(ACTOR_SHORT[actor])})" if actor in ACTOR_SHORT else title


def general_form(template: str) -> str:
    """A fix text without a case: each {placeholder} shown as ‹placeholder›."""
    return _PLACEHOLDER.sub(lambda m: f"‹{m.group(1).replace('_', ' ')}›", template)
