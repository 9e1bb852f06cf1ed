"""Checklists page: tick the items, see progress, open where the handbook explains each, download with the ticks."""

from __future__ import annotations

import logging

import streamlit as st

from ...checklist_export import PdfFontMissing, find_font, progress_line, to_markdown, to_pdf
from ...content.models import Checklist
from ...i18n import translator
from .. import saving
from ..common import _, absolute_url, content, guide_url, lang

PICK_KEY = "checklist_pick"


def tick_key(checklist_id: str, item_id: str) -> str:
    return f"tick.{checklist_id}.{item_id}"


def ticked(cl: Checklist) -> set[str]:
    return {i.id for i in cl.items if st.session_state.get(tick_key(cl.id, i.id))}


def _save_ticks(cl: Checklist) -> None:
    """A tick is kept like an answer: a reload, another tab or another device (resume link) shows it."""
    saving.set_ticks(cl.id, ticked(cl))


def _picked() -> None:
    st.query_params["checklist"] = st.session_state[PICK_KEY]


def _link(url: str) -> str | None:
    app = guide_url(url)
    return absolute_url(app) if app else None


def render() -> None:
    st.title(_("Checklists"))
    lists = content().checklist_by_id
    if not lists:
        st.info(_("There are no checklists in this language yet."))
        return
    asked = st.query_params.get("checklist")
    if asked in lists and st.session_state.get("_checklist_link") != asked:
        st.session_state["_checklist_link"] = asked
        st.session_state[PICK_KEY] = asked
    elif asked is not None and asked not in lists:
        st.warning(_("This link asks for a checklist this app does not have; showing the first one."))
    if st.session_state.get(PICK_KEY) not in lists:
        st.session_state[PICK_KEY] = next(iter(lists))
    if len(lists) > 1:
        st.selectbox(_("Checklist"), options=list(lists), format_func=lambda i: lists[i].title, key=PICK_KEY,
                     on_change=_picked)
    cl = lists[st.session_state[PICK_KEY]]
    st.header(cl.title)
    if cl.intro:
        st.markdown(cl.intro)
    progress = st.empty()
    more = _("more in the handbook")
    stored = saving.get_ticks(cl.id)
    for item in cl.items:
        app = guide_url(item.link) if item.link else None
        label = f"{item.text} · [{more}]({app})" if app else item.text
        key = tick_key(cl.id, item.id)
        st.session_state[key] = item.id in stored  # the stored ticks (another tab may have changed them)
        st.checkbox(label, key=key, wrap=True, on_change=_save_ticks, args=(cl,))
    done = ticked(cl)
    progress.progress(len(done) / len(cl.items), text=progress_line(cl, done, _))
    if cl.source:
        st.caption(_("Source:") + " " + cl.source)
    _downloads(cl, done)


def _downloads(cl: Checklist, done: set[str]) -> None:
    st.subheader(_("Download"))
    # Resolved now, in this session: the PDF is made later, on click, outside the script run.
    links = {i.link: _link(i.link) for i in cl.items if i.link}
    gettext = translator(lang()).gettext
    row = st.container(horizontal=True)
    with row:
        st.download_button(_("Download as Markdown"), data=to_markdown(cl, done, gettext, links.get),
                           file_name=f"{cl.id}-{lang()}.md", mime="text/markdown", key=f"dl_md.{cl.id}",
                           icon=":material/description:", on_click="ignore")
        try:
            find_font()
        except PdfFontMissing:  # names the server's font folders: for the operator's log
            logging.getLogger(__name__).exception("no font for the PDF checklist")
            st.error(_("The PDF cannot be made on this server (a font is missing); the Markdown download works."))
            return
        st.download_button(_("Download as PDF"), data=lambda: to_pdf(cl, done, gettext, links.get),
                           file_name=f"{cl.id}-{lang()}.pdf", mime="application/pdf", key=f"dl_pdf.{cl.id}",
                           icon=":material/picture_as_pdf:", on_click="ignore")
