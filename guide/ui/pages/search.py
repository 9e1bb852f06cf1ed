"""Search page: one box, results from the whole handbook in the reader's language; the query lives in ?q=."""

from __future__ import annotations

import streamlit as st

from ...search import search
from ...text import MAX_SHORT, escape_markdown
from ..common import N_, _, lang, link_for, ngettext

QUERY_KEY = "q"  # also the URL parameter: /search?q=cofounder is a link to these results
KIND_LABELS = {
    "chapter": N_("Chapter"), "section": N_("Section"), "step": N_("Step"), "faq": N_("Question"),
    "glossary": N_("Glossary"), "rule": N_("Check and fix"), "checklist": N_("Checklist"),
}
LIMIT = 25


def render() -> None:
    st.title(_("Search"))
    query = st.text_input(_("Search the handbook"), key=QUERY_KEY, bind="query-params",
                          placeholder=_("e.g. co-founder, validation, EU Login"), icon=":material/search:", max_chars=MAX_SHORT)
    query = (query or "").strip()
    if not query:
        st.caption(_("Type a word: spelling mistakes, accents and hyphens do not matter."))
        return
    hits = search(query, lang(), LIMIT)
    # The query is the reader's input: echoed only as plain text, never as Markdown or HTML.
    if not hits:
        st.text(_("Nothing found for: {query}").format(query=query))
        st.caption(_("Try another word, or fewer words."))
        return
    st.text(ngettext("{n} result for: {query}", "{n} results for: {query}", len(hits)).format(
        n=len(hits), query=query))
    for hit in hits:
        kind = _(KIND_LABELS[hit.kind])
        where = f" · {hit.context}" if hit.context else ""
        text = f"**[{hit.title}]({link_for(hit.kind, hit.ident)})**  \n:small[:gray[{kind}{where}]]"
        if hit.snippet and hit.snippet != hit.title:
            text += f"  \n{escape_markdown(hit.snippet)}"  # plain text: its asterisks and brackets as they are
        st.markdown(text)  # one element per hit: a rerun of a long result list stays cheap
