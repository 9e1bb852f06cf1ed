"""'My saved progress': the resume link and code, what is stored, 'Forget me', and resuming with a code."""

from __future__ import annotations

import streamlit as st

from ...case.model import dump_case
from ...store.ratelimit import RateLimited
from ...store.tokens import group
from .. import state
from ..common import _, absolute_url, page_url


def render() -> None:
    st.title(_("My saved progress"))
    st.caption(_("No account needed. Only your practice case, your step progress and your self-check answers "
                 "are stored, with no name or address beyond what you typed into the case yourself."))
    current = state.owner()
    if current is None:
        if state.saving_enabled():
            st.info(_("Nothing is stored about you yet. As soon as you change something (a step, an answer, "
                      "the sandbox), it is saved and you get a link to come back."))
        else:
            st.info(_("Everything was deleted and nothing is saved in this tab."))
            if st.button(_("Save my progress again")):
                state.start_saving()
                st.rerun()
    elif current.kind == "learner":
        _learner()
    else:
        _participant()
    _resume_form()


def _learner() -> None:
    creds = state.credentials()
    st.subheader(_("Come back later"))
    if creds and creds.token:
        st.write(_("Open this link in any browser to continue where you are now:"))
        st.code(absolute_url(page_url("start", resume=creds.token)), language=None, wrap_lines=True)
    if creds and creds.code:
        st.write(_("Or type this code on this page:"))
        st.code(group(creds.code), language=None)
    if not creds or not (creds.token and creds.code):
        st.write(_("For safety the link and code are only shown when they are made. Make new ones "
                   "(the old ones stop working):"))
        if st.button(_("Make a new link and code")):
            state.renew_credentials()
            st.rerun()
    st.caption(_("Keep them private: whoever has them can see and change your progress."))
    _stored()
    _forget(_("Forget me"), _("Delete my case, my step progress and my answers now. This cannot be undone."))


def _participant() -> None:
    creds = state.credentials()
    st.subheader(_("Your workshop seat"))
    if creds and creds.token:
        st.write(_("Open this link to come back to your workshop sandbox:"))
        st.code(absolute_url(page_url("workshop", seat=creds.token)), language=None, wrap_lines=True)
    _stored()
    _forget(_("Forget me"), _("Delete my workshop sandbox and my progress in it now. The trainer will no "
                              "longer see me. This cannot be undone."))


def _stored() -> None:
    with st.expander(_("What is stored")):
        progress = state.get_progress()
        st.write(_("Steps marked: {n}").format(n=len(progress)))
        st.write(_("Self-check answers: {n}").format(n=len(state.get_answers())))
        st.download_button(_("Download my case (YAML)"), dump_case(state.get_case()), file_name="case.yaml",
                           mime="application/yaml")


def _forget(label: str, explanation: str) -> None:
    st.subheader(label)
    st.write(explanation)
    sure = st.checkbox(_("Yes, delete everything of mine"), key="forget_sure")
    if st.button(label, type="primary", disabled=not sure, key="forget_button"):
        state.forget_me()
        st.session_state.pop("forget_sure", None)
        state.notice("ok", _("Deleted. Nothing about you is stored any more."))
        st.rerun()


def _resume_form() -> None:
    st.subheader(_("Continue with a code"))
    with st.form("resume_code", clear_on_submit=True, border=False):
        code = st.text_input(_("Your code"), max_chars=20, placeholder="XXXX-XXXX-XX")
        submitted = st.form_submit_button(_("Continue"))
    if submitted and code:
        try:
            saved = state.resume_with_code(code, state.client_address())
        except RateLimited:
            st.error(_("Too many wrong codes. Wait a quarter of an hour and try again."))
            return
        if saved is None:
            st.error(_("No saved progress has this code. Check it and try again."))
        else:
            state.notice("ok", _("Your saved progress is loaded."))
            st.rerun()
