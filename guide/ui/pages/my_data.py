"""'My saved progress': the resume link and code, what is stored, 'Forget me', and resuming with a code."""

from __future__ import annotations

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from ...store.ratelimit import RateLimited
from ...store.tokens import group
from .. import derived, identity, saving
from ..common import _, absolute_url, notice, page_url


def render() -> None:
    st.title(_("My saved progress"))
    st.caption(_("No account needed. Only your practice case, your step progress, your self-check answers and "
                 "your checklist ticks are stored, with no name or address beyond what you typed into the case "
                 "yourself."))
    current = identity.owner()
    if current is None:
        if saving.saving_enabled():
            st.info(_("Nothing is stored about you yet. As soon as you change something (a step, an answer, "
                      "the sandbox), it is saved and you get a link to come back."))
        else:
            st.info(_("Everything was deleted and nothing is saved in this tab."))
            if st.button(_("Save my progress again")):
                saving.start()
                st.rerun()
    elif current.kind == "learner":
        _learner()
    else:
        _participant()
    _resume_form()


def _learner() -> None:
    creds = identity.credentials()
    st.header(_("Come back later"))
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
            identity.renew_credentials()
            st.rerun()
    st.caption(_("Keep them private: whoever has them can see and change your progress."))
    _stored()
    _forget(_("Forget me"), _("Delete my case, my step progress and my answers now. This cannot be undone."))


def _participant() -> None:
    st.header(_("Your workshop seat"))
    seat_link()
    _stored()
    _forget(_("Forget me"), _("Delete my workshop sandbox and my progress in it now. The trainer will no "
                              "longer see me. This cannot be undone."))


def seat_link() -> None:
    """The participant's personal link, for another device (this browser finds the seat by itself)."""
    creds = identity.credentials()
    st.write(_("This browser keeps your seat. To continue on another device, open your personal link there."))
    if creds and creds.token:
        st.code(absolute_url(page_url("workshop", seat=creds.token)), language=None, wrap_lines=True)
        st.caption(_("Keep it private: whoever has it works in your sandbox."))
    elif st.button(_("Show a link for another device"), key="seat_new_link",
                   help=_("Makes a new personal link; an older one stops working.")):
        identity.renew_seat_link()
        st.rerun()


def _stored() -> None:
    with st.expander(_("What is stored")):
        progress = saving.get_progress()
        st.write(_("Steps marked: {n}").format(n=len(progress)))
        st.write(_("Self-check answers: {n}").format(n=len(saving.get_answers())))
        st.write(_("This browser finds your progress again by a random key in a cookie (no name, no tracking); "
                   "'Forget me' ends that too."))
        st.download_button(_("Download my case (YAML)"), derived.case_file(), file_name="case.yaml",
                           mime="application/yaml")


def _forget(label: str, explanation: str) -> None:
    st.header(label)
    st.write(explanation)
    sure = st.checkbox(_("Yes, delete everything of mine"), key="forget_sure")
    if st.button(label, type="primary", disabled=not sure, key="forget_button"):
        identity.forget_me()
        st.session_state.pop("forget_sure", None)
        notice("ok", _("Deleted. Nothing about you is stored any more."))
        st.rerun()


def _resume_form() -> None:
    st.header(_("Continue with a code"))
    with st.form("resume_code", clear_on_submit=True, border=False):
        code = st.text_input(_("Your code"), max_chars=20, placeholder="XXXX-XXXX-XX")
        submitted = st.form_submit_button(_("Continue"))
    if submitted and code:
        try:
            saved = identity.resume_with_code(code, identity.client_address())
        except RateLimited:
            st.error(_("Too many wrong codes. Wait a quarter of an hour and try again."))
            return
        except SQLAlchemyError:
            st.error(_("The store where progress is kept cannot be reached just now. Your code is still valid: "
                       "try again in a few minutes."))
            return
        if saved is None:
            st.error(_("No saved progress has this code. Check it and try again."))
        else:
            notice("ok", _("Your saved progress is loaded."))
            st.rerun()
