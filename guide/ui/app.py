"""The Streamlit app: page table, language choice, navigation. Called by app.py on every rerun."""

from __future__ import annotations

import importlib
import logging
from dataclasses import dataclass

import streamlit as st

from .. import LANGUAGES
from ..errors import ContentError
from ..i18n import language_name
from .common import LANG_KEY, N_, _, content, lang, set_lang, show_notices


@dataclass(frozen=True)
class PageSpec:
    module: str        # guide.ui.pages.<module>, exposing render()
    url_path: str      # stable: deep links and bookmarks depend on it
    title: str         # gettext message id (English source)
    icon: str
    section: str       # gettext message id of the navigation group
    default: bool = False  # the page "/" forwards to
    visible: bool = True


# Structure comes from here only; language only changes the words.
PAGES: tuple[PageSpec, ...] = (
    PageSpec("start", "start", N_("Where am I?"), ":material/home:", N_("For teachers"), default=True),
    PageSpec("flows", "flows", N_("Guided flows"), ":material/route:", N_("For teachers")),
    PageSpec("sandbox", "sandbox", N_("Practice sandbox"), ":material/science:", N_("For teachers")),
    PageSpec("checklists", "checklists", N_("Checklists"), ":material/checklist:", N_("For teachers")),
    PageSpec("handbook", "handbook", N_("Handbook"), ":material/menu_book:", N_("Reference")),
    PageSpec("search", "search", N_("Search"), ":material/search:", N_("Reference")),
    PageSpec("troubleshoot", "troubleshoot", N_("Troubleshooter"), ":material/support_agent:", N_("Helpdesk")),
    PageSpec("workshop", "workshop", N_("Workshop"), ":material/groups:", N_("Workshops")),
    PageSpec("trainer", "trainer", N_("Trainer board"), ":material/dashboard:", N_("Workshops")),
    PageSpec("my_data", "my-data", N_("My saved progress"), ":material/lock:", N_("Privacy")),
    PageSpec("accessibility", "accessibility", N_("Accessibility"), ":material/accessibility:", N_("Privacy"),
             visible=False),
)
#: NSO insights: only when GUIDE_INSIGHTS_KEY is set (guide.ui.pages.insights); otherwise no such page
INSIGHTS = PageSpec("insights", "insights", N_("Insights"), ":material/insights:", N_("For NSOs"))


def pages() -> tuple[PageSpec, ...]:
    """The pages this app serves now: PAGES, and the insights page while its key is set."""
    from ..logs import SettingError
    from ..server.settings import insights_key

    try:
        enabled = insights_key() is not None
    except SettingError as exc:  # `serve` refuses to start with it; a bare `streamlit run` serves without
        logging.getLogger(__name__).error("no insights page: %s", exc)
        enabled = False
    return (*PAGES, INSIGHTS) if enabled else PAGES


PAGES_KEY = "_nav_pages"  # (language, {section: [st.Page]}, {url_path: st.Page}): this session's page table


def _page(spec: PageSpec) -> st.Page:
    module = importlib.import_module(f"guide.ui.pages.{spec.module}")
    return st.Page(module.render, title=_(spec.title), icon=spec.icon, url_path=spec.url_path,
                   visibility="visible" if spec.visible else "hidden")


def _pages() -> tuple[dict[str, list[st.Page]], dict[str, st.Page]]:
    """The navigation's sections and the pages by url_path, in the session's language: made once per session
    and language, not on every run. Per session, never shared: st.navigation marks the page it returns as
    the one this run may call, and another session's run must not see that mark."""
    code = lang()
    specs = pages()
    cached = st.session_state.get(PAGES_KEY)
    if cached is not None and cached[0] == (code, len(specs)):
        return cached[1], cached[2]
    sections: dict[str, list[st.Page]] = {}
    by_url: dict[str, st.Page] = {}
    landing = None
    for spec in specs:
        page = by_url[spec.url_path] = _page(spec)
        sections.setdefault(_(spec.section), []).append(page)
        landing = page if spec.default else landing
    # Streamlit serves its default page at "/" only, never at its url_path; a hidden default that
    # forwards to the landing page keeps /start (and every other url_path) a working link.
    assert landing is not None, "PAGES has a default page"
    root = st.Page(lambda: st.switch_page(landing, query_params=st.query_params.to_dict()), title=_(PAGES[0].title),
                   url_path="root", default=True, visibility="hidden")
    sections[next(iter(sections))].append(root)
    st.session_state[PAGES_KEY] = ((code, len(specs)), sections, by_url)
    return sections, by_url


def page_for(url_path: str) -> st.Page:
    """The page with this url_path as st.navigation knows it, for st.page_link (same tab, same session)."""
    return _pages()[1][url_path]


def main() -> None:
    """One page run: it waits for its turn (guide.ui.admission), so that a busy room does not slow the
    board's refresh down; fragments' refreshes do not come through here."""
    from .admission import turn

    with turn():
        _main()


def _main() -> None:
    st.set_page_config(page_title=_("eTwinning onboarding assistant"), page_icon=":material/school:",
                       layout="wide")
    try:
        content()  # fail here, once, with the operator's message, not deep inside a page
    except ContentError as exc:  # the details (files, lines) go to the operator's log, not to the reader
        logging.getLogger(__name__).error("the content has errors:\n%s", exc)
        st.error(_("The app's content has errors; the operator must fix them before teachers can use it. "
                   "The details are in the server's log."))
        st.stop()
    page = st.navigation(_pages()[0])  # the page's support styles and script come with its shell (guide.ui.a11y)
    with st.sidebar:
        _language_switch()
        _help()
        st.caption(_("eTwinning onboarding assistant — based on the Dutch eTwinning handbook."))
    from . import identity, saving  # who this browser is (guide.store.browsers); their case, saved

    identity.boot()
    saving.resume()
    show_notices()
    if identity.link_pending():  # a resume/seat link while the store is down: not 'deleted', kept
        st.warning(_("The store where progress is kept cannot be reached just now. Your link is still valid "
                     "and stays in the address bar: reload this page in a few minutes."), icon=":material/cloud_off:")
    from .pages.workshop import changed_notice, watch_seat

    if saving.seat() is not None:
        if page.url_path != "workshop":
            changed_notice()
        watch_seat()
    page.run()


def _help() -> None:
    """Help in the same place on every page (WCAG 2.2, consistent help): the helpdesk and the statement."""
    from ..content.nso import nso_for

    nso = nso_for("NL")
    if nso is not None:
        st.markdown(_("Help: [{email}](mailto:{email}) · {phone}").format(email=nso.email, phone=nso.phone))
    st.page_link(page_for("accessibility"), label=_("Accessibility"))


def _switch_language() -> None:
    choice = st.session_state.get("lang_switch")
    if choice in LANGUAGES:
        set_lang(choice)


def _language_switch() -> None:
    current = lang()
    # the widget follows the URL and the browser too, not only its own clicks
    if st.session_state.get("lang_switch") != current:
        st.session_state["lang_switch"] = current
    st.segmented_control(_("Language"), options=list(LANGUAGES), format_func=language_name,
                         key="lang_switch", required=True, on_change=_switch_language)
    if st.query_params.get(LANG_KEY) != current:
        st.query_params[LANG_KEY] = current  # a link copied from the address bar keeps the language
