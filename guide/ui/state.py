"""The teacher's current case in this browser session. Persistence hooks in through `set_case`."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from ..sandbox.case import Case

CASE_KEY = "case"
_savers: list[Callable[[Case], None]] = []


def get_case() -> Case:
    case = st.session_state.get(CASE_KEY)
    if case is None:
        case = Case()
        st.session_state[CASE_KEY] = case
    return case


def set_case(case: Case) -> None:
    """Replace the session's case and hand it to every registered saver (e.g. the store)."""
    st.session_state[CASE_KEY] = case
    for save in _savers:
        save(case)


def on_save(saver: Callable[[Case], None]) -> None:
    """Register a function called with the case after each change (used by guide.store)."""
    if saver not in _savers:
        _savers.append(saver)
