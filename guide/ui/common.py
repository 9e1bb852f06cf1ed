"""Per-session language, translations, content access and deep links for every page."""

from __future__ import annotations

import re
from urllib.parse import urlencode, urlsplit

import streamlit as st

from .. import LANGUAGES
from ..content import Content, load_content
from ..i18n import N_ as N_  # re-exported: the pages mark messages with it
from ..i18n import pick_language, translator
from ..sandbox.actions import ACTIONS

LANG_KEY = "lang"


def lang() -> str:
    """The session's language: ?lang= in the URL, then the reader's earlier choice, then the browser, then Dutch."""
    asked = st.query_params.get(LANG_KEY)
    if asked in LANGUAGES:
        if st.session_state.get(LANG_KEY) != asked:
            st.session_state[LANG_KEY] = asked
        return asked
    chosen = st.session_state.get(LANG_KEY)
    if chosen:
        return chosen
    try:
        browser = st.context.locale
    except Exception:  # no browser context (bare script run)
        browser = None
    chosen = pick_language(browser)
    st.session_state[LANG_KEY] = chosen
    return chosen


def _(message: str) -> str:
    """gettext for this session's language (never process-wide)."""
    return translator(lang()).gettext(message)


def action_label(name: str) -> str:
    """A sandbox action's label: the platform's own English words as they are, or our phrase translated.
    An unknown name still reads (e.g. an action stored before it was renamed)."""
    found = ACTIONS.get(name)
    if found is None:
        return name.replace("_", " ")
    return _(found.phrase) if found.phrase else found.label


def ngettext(singular: str, plural: str, n: int) -> str:
    return translator(lang()).ngettext(singular, plural, n)


def content() -> Content:
    """The session language's content, loaded once per process (see guide.content.loader)."""
    return load_content(lang())


def page_url(url_path: str, **params: str | None) -> str:
    """A relative URL to a page, keeping the language, e.g. /handbook?lang=en&chapter=3."""
    query = {"lang": lang(), **{k: v for k, v in params.items() if v is not None}}
    return f"/{url_path}?{urlencode(query)}"


def absolute_url(relative: str) -> str:
    """`relative` on the server the reader is using (for links to copy); relative when unknown."""
    try:
        here = st.context.url
    except Exception:  # no browser context
        here = None
    if not here:
        return relative
    parts = urlsplit(here)
    return f"{parts.scheme}://{parts.netloc}{relative}"


# guide:<kind>/<id> -> (page url_path, query parameter)
_TARGETS = {
    "chapter": ("handbook", "chapter"),
    "section": ("handbook", "section"),
    "step": ("handbook", "step"),
    "faq": ("handbook", "faq"),
    "glossary": ("handbook", "term"),
    "checklist": ("checklists", "checklist"),
    "rule": ("handbook", "rule"),
}
_GUIDE_LINK = re.compile(r"\]\(guide:([a-z]+)/([^)\s]+)\)")
_GUIDE_URL = re.compile(r"^guide:([a-z]+)/(\S+)$")


def link_for(kind: str, ident: str) -> str:
    page, param = _TARGETS[kind]
    return page_url(page, **{param: ident})


def guide_url(url: str) -> str | None:
    """A bare `guide:kind/id` URL (e.g. a checklist item's link) as an app URL; None if it is not one."""
    m = _GUIDE_URL.match(url.strip())
    return link_for(m.group(1), m.group(2)) if m and m.group(1) in _TARGETS else None


def resolve_links(markdown: str) -> str:
    """Turn content's `guide:kind/id` links into app URLs (content is trusted; user input never gets here)."""
    return _GUIDE_LINK.sub(lambda m: f"]({link_for(m.group(1), m.group(2))})" if m.group(1) in _TARGETS else m.group(0), markdown)


NOTICES_KEY = "_notices"


def notice(kind: str, message: str) -> None:
    """A short message for the next place the app shows notices (as a toast at the start of a run)."""
    st.session_state.setdefault(NOTICES_KEY, []).append((kind, message))


def show_notices() -> None:
    for kind, message in st.session_state.pop(NOTICES_KEY, []):
        st.toast(message, icon=":material/warning:" if kind == "warning" else ":material/check_circle:")
