"""Per-session language, translations, content access and deep links for every page."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any
from urllib.parse import urlencode, urlsplit

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from .. import LANGUAGES
from ..content import Content, load_content
from ..i18n import N_ as N_  # re-exported: the pages mark messages with it
from ..i18n import pick_language, translator
from ..sandbox.actions import ACTIONS
from ..text import literal_asterisks

LANG_KEY = "lang"
_RUN_MEMO = "_guide_run_memo"


def run_memo() -> dict[str, Any]:
    """A dict that lives for this script run only (a page's rerun, a fragment's refresh, their callbacks),
    for what a run asks many times and only the run can change (the language: ~70 questions a run).

    Kept on Streamlit's run context and tied to the run by the context's per-run cursor table, which
    Streamlit makes anew at the start of every run; outside a run (bare script, tests) a fresh dict."""
    ctx = get_script_run_ctx(suppress_warning=True)
    if ctx is None:
        return {}
    marker = ctx.cursors
    memo = getattr(ctx, _RUN_MEMO, None)
    if memo is None or memo[0] is not marker:
        memo = (marker, {})
        setattr(ctx, _RUN_MEMO, memo)
    return memo[1]


def set_lang(code: str) -> None:
    """The reader chose a language: the session and the address bar follow, from this moment of the run."""
    st.session_state[LANG_KEY] = code
    st.query_params[LANG_KEY] = code
    run_memo()[LANG_KEY] = code


def lang() -> str:
    """The session's language: ?lang= in the URL, then the reader's earlier choice, then the browser, then Dutch.

    Asked once per run (kept in run_memo(); set_lang() changes it mid-run)."""
    memo = run_memo()
    found = memo.get(LANG_KEY)
    if found is None:
        found = memo[LANG_KEY] = _find_lang()
    return found


def _find_lang() -> str:
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
    return _page_url(url_path, lang(), tuple((k, v) for k, v in params.items() if v is not None))


@lru_cache(maxsize=4096)
def _page_url(url_path: str, code: str, params: tuple[tuple[str, str], ...]) -> str:
    """Deep links are few and asked on every run (a step's 'Link to this', a fix's chapter): made once each."""
    return f"/{url_path}?{urlencode({'lang': code, **dict(params)})}"


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
    return _resolved(markdown, lang())


@lru_cache(maxsize=4096)
def _resolved(markdown: str, code: str) -> str:
    """Content's texts are few and fixed: each is resolved once per language, not on every run."""
    def target(m: re.Match[str]) -> str:
        page, param = _TARGETS[m.group(1)]
        return f"](/{page}?{urlencode({'lang': code, param: m.group(2)})})"

    markdown = literal_asterisks(markdown)  # '(*)' and '* indicates a required field' show their asterisks
    return _GUIDE_LINK.sub(lambda m: target(m) if m.group(1) in _TARGETS else m.group(0), markdown)


NOTICES_KEY = "_notices"


def notice(kind: str, message: str) -> None:
    """A short message for the next place the app shows notices (as a toast at the start of a run)."""
    st.session_state.setdefault(NOTICES_KEY, []).append((kind, message))


def show_notices() -> None:
    for kind, message in st.session_state.pop(NOTICES_KEY, []):
        st.toast(message, icon=":material/warning:" if kind == "warning" else ":material/check_circle:")
