"""The Streamlit app: page table, language choice, navigation. Called by app.py on every rerun."""

from __future__ import annotations

import importlib
from dataclasses import dataclass

import streamlit as st

from ..errors import ContentError
from .common import _, content, lang


@dataclass(frozen=True)
class PageSpec:
    module: str        # guide.ui.pages.<module>, exposing render()
    url_path: str      # stable: deep links and bookmarks depend on it
    title: str         # gettext message id (English source)
    icon: str
    section: str       # gettext message id of the navigation group
    default: bool = False
    visible: bool = True


# Structure comes from here only; language only changes the words.
PAGES: tuple[PageSpec, ...] = (
    PageSpec("start", "start", "Where am I?", ":material/home:", "For teachers", default=True),
    PageSpec("flows", "flows", "Guided flows", ":material/route:", "For teachers"),
    PageSpec("sandbox", "sandbox", "Practice sandbox", ":material/science:", "For teachers"),
    PageSpec("checklists", "checklists", "Checklists", ":material/checklist:", "For teachers"),
    PageSpec("handbook", "handbook", "Handbook", ":material/menu_book:", "Reference"),
    PageSpec("search", "search", "Search", ":material/search:", "Reference"),
    PageSpec("troubleshoot", "troubleshoot", "Troubleshooter", ":material/support_agent:", "Helpdesk"),
    PageSpec("workshop", "workshop", "Workshop", ":material/groups:", "Workshops"),
    PageSpec("trainer", "trainer", "Trainer board", ":material/dashboard:", "Workshops"),
    PageSpec("my_data", "my-data", "My saved progress", ":material/lock:", "Privacy"),
)


def _page(spec: PageSpec) -> st.Page:
    module = importlib.import_module(f"guide.ui.pages.{spec.module}")
    return st.Page(module.render, title=_(spec.title), icon=spec.icon, url_path=spec.url_path,
                   default=spec.default, visibility="visible" if spec.visible else "hidden")


def main() -> None:
    st.set_page_config(page_title="eTwinning", page_icon=":material/school:", layout="wide")
    try:
        content()  # fail here, once, with the operator's message, not deep inside a page
    except ContentError as exc:
        st.error(_("The app's content has errors; the operator must fix them before teachers can use it."))
        st.code(str(exc), language=None)
        st.stop()
    sections: dict[str, list[st.Page]] = {}
    for spec in PAGES:
        sections.setdefault(_(spec.section), []).append(_page(spec))
    with st.sidebar:
        _language_switch()
    st.navigation(sections).run()


def _language_switch() -> None:
    names = {"nl": "Nederlands", "en": "English"}
    current = lang()
    choice = st.segmented_control(_("Language"), options=list(names), format_func=names.__getitem__,
                                  default=current, key="lang_switch")
    if choice and choice != current:
        st.session_state["lang"] = choice
        st.query_params["lang"] = choice
        st.rerun()
