"""Search page: one box, results from the whole handbook in the reader's language; the query lives in ?q=."""

from __future__ import annotations

import time

import streamlit as st

from ...search import index_for
from ..common import N_, _, lang, link_for, ngettext

QUERY_KEY = "q"  # also the URL parameter: /search?q=cofounder is a link to these results
KIND_LABELS = {
    "chapter": N_("Chapter"), "section": N_("Section"), "step": N_("Step"), "faq": N_("Question"),
    "glossary": N_("Glossary"), "rule": N_("Check and fix"), "checklist": N_("Checklist"),
}
LIMIT = 30


def render() -> None:
    st.title(_("Search"))
    query = st.text_input(_("Search the handbook"), key=QUERY_KEY, bind="query-params",
                          placeholder=_("e.g. co-founder, validation, EU Login"), icon=":material/search:")
    query = (query or "").strip()
    if not query:
        st.caption(_("Type a word: spelling mistakes, accents and hyphens do not matter."))
        return
    started = time.perf_counter()
    hits = index_for(lang()).search(query, LIMIT)
    took = (time.perf_counter() - started) * 1000
    # The query is the reader's input: echoed only as plain text, never as Markdown or HTML.
    if not hits:
        st.text(_("Nothing found for: {query}").format(query=query))
        st.caption(_("Try another word, or fewer words."))
        return
    st.text(ngettext("{n} result for: {query}", "{n} results for: {query}", len(hits)).format(
        n=len(hits), query=query))
    st.caption(_("{ms} ms").format(ms=f"{took:.0f}"))
    for hit in hits:
        kind = _(KIND_LABELS[hit.kind])
        where = f" · {hit.context}" if hit.context else ""
        lines = [f"**[{hit.title}]({link_for(hit.kind, hit.ident)})**", f":small[:gray[{kind}{where}]]"]
        if hit.snippet and hit.snippet != hit.title:
            lines.append(hit.snippet)
        with st.container(border=True):
            st.markdown("  \n".join(lines[:2]) + ("\n\n" + lines[2] if len(lines) > 2 else ""))
