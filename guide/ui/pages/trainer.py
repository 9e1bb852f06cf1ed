"""'Trainer board': create a workshop; with ?w=<id>&key=<secret>, the live board and the trainer's commands."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from ... import LANGUAGES
from ...errors import GuideError
from ...workshop import service
from ...workshop.scenarios import scenario_ids
from .. import state
from ..common import _, absolute_url, content, lang, page_url

SECRETS_KEY = "trainer_keys"   # {workshop id: key} remembered by this session after the first load
CURRENT_KEY = "trainer_current"
REFRESH_SECONDS = 5
LANGUAGE_NAMES = {"nl": "Nederlands", "en": "English"}


def _remember_from_url() -> str | None:
    """Take the key out of the address bar (boards get projected) and keep it in this session only."""
    keys: dict[str, str] = st.session_state.setdefault(SECRETS_KEY, {})
    wid, key = st.query_params.get("w"), st.query_params.get("key")
    if wid and key:
        keys[wid] = key
        del st.query_params["key"]
    if wid:
        st.session_state[CURRENT_KEY] = wid
    return st.session_state.get(CURRENT_KEY)


def render() -> None:
    wid = _remember_from_url()
    key = st.session_state.get(SECRETS_KEY, {}).get(wid) if wid else None
    if wid and key:
        try:
            info = service.trainer_view(state.engine(), wid, key)
        except service.Forbidden:
            st.error(_("This trainer link is not valid: wrong key, or the workshop was deleted."))
            st.session_state[SECRETS_KEY].pop(wid, None)
            st.session_state.pop(CURRENT_KEY, None)
        else:
            _board_page(info, key)
            return
    elif wid:
        st.warning(_("Open your trainer link again to see this board (the key is kept only in the tab "
                     "where you opened it)."))
    _create()


def _scenario_titles() -> dict[str, str]:
    listed = content().get("scenarios.yaml")
    titles = {s.id: s.title for s in listed.scenarios} if listed else {}
    return {sid: titles.get(sid, sid) for sid in scenario_ids()}


def _create() -> None:
    st.title(_("New workshop"))
    titles = _scenario_titles()
    with st.form("create_workshop"):
        title = st.text_input(_("Title"), max_chars=service.TITLE_MAX)
        wlang = st.selectbox(_("Language"), LANGUAGES, index=LANGUAGES.index(lang()),
                             format_func=LANGUAGE_NAMES.get)
        scenario = st.selectbox(_("Exercise scenario"), list(titles), format_func=titles.get,
                                index=list(titles).index("blank-start") if "blank-start" in titles else 0)
        day = st.date_input(_("Date"), value=dt.date.today(), format="YYYY-MM-DD")
        submitted = st.form_submit_button(_("Create workshop"), type="primary")
    if not submitted:
        return
    try:
        info, key = service.create(state.engine(), title, wlang, scenario, day)
    except GuideError as exc:
        st.error(_("The workshop could not be created: {problem}").format(problem=str(exc)))
        return
    st.session_state.setdefault(SECRETS_KEY, {})[info.id] = key
    st.session_state[CURRENT_KEY] = info.id
    st.session_state["trainer_new_key"] = key  # the trainer link is shown once, on the next run
    st.query_params["w"] = info.id
    st.rerun()


def _board_page(info: service.WorkshopInfo, key: str) -> None:
    new_key = st.session_state.pop("trainer_new_key", None)
    if new_key:
        st.success(_("Workshop created. Keep this trainer link private: it opens this board from any device."))
        st.code(absolute_url(page_url("trainer", w=info.id, key=new_key)), language=None, wrap_lines=True)
    _board(info.id, key)
    _commands(info, key)


@st.fragment(run_every=REFRESH_SECONDS)
def _board(wid: str, key: str) -> None:
    try:
        board = service.board(state.engine(), wid, key, lang())
    except service.Forbidden:
        st.error(_("This workshop no longer exists."))
        return
    w = board.workshop
    st.header(_("Trainer board"), anchor=False)
    st.text(w.title)  # user text: shown as text, never Markdown or HTML
    # phone-sized: one big number (the code the room types), the rest on one line
    st.metric(_("Join code"), w.join_code if w.open else _("closed"))
    st.caption(_("Participants: {n} · simulated date: {day}").format(n=len(board.rows), day=w.today.isoformat()))
    if w.open:
        st.caption(_("Participants open '{page}' and type the code.").format(page=absolute_url(page_url("workshop"))))
    if board.stuck:
        st.subheader(_("Where they are"), anchor=False)
        # the count first: on a phone the rightmost columns scroll out of sight
        st.dataframe([{_("Participants"): n, _("Step"): title} for _s, title, n in board.stuck],
                     hide_index=True, width="stretch")
    st.subheader(_("Participants"), anchor=False)
    if not board.rows:
        st.write(_("Nobody has joined yet."))
        return
    rules = content().rule_texts
    st.dataframe(
        [{_("Nickname"): r.nickname,
          _("Blockers"): len(r.position.blockers),
          _("Step"): r.position.step_title or "✓",
          _("Failing"): ", ".join(rules[b].title if b in rules else b for b in r.position.blockers),
          _("Actions"): r.actions}
         for r in board.rows],
        hide_index=True, width="stretch")


def _commands(info: service.WorkshopInfo, key: str) -> None:
    engine = state.engine()
    st.subheader(_("Trainer commands"), anchor=False)
    c1, c2 = st.columns(2)
    if c1.button(_("Approve all NSO validations"), width="stretch"):
        n = service.approve_validations(engine, info.id, key)
        state.notice("ok", _("Approved for {n} participants.").format(n=n))
        st.rerun()
    with c2.form("clock", border=False):
        days = st.number_input(_("Days"), min_value=1, max_value=60, value=2, step=1)
        if st.form_submit_button(_("Move the clock for everyone"), width="stretch"):
            today = service.move_clock(engine, info.id, key, int(days))
            state.notice("ok", _("The simulated date is now {day}.").format(day=today.isoformat()))
            st.rerun()
    board = service.board(engine, info.id, key, lang())
    if board.rows:
        with st.expander(_("Reset one participant")):
            names = {r.participant_id: r.nickname for r in board.rows}
            pid = st.selectbox(_("Participant"), list(names), format_func=names.get)
            if st.button(_("Reset their sandbox")):
                service.reset_participant(engine, info.id, key, pid)
                state.notice("ok", _("Their sandbox starts again from the scenario."))
                st.rerun()
    st.download_button(_("Export results (CSV)"), service.export_csv(engine, info.id, key),
                       file_name=f"workshop-{info.day.isoformat()}.csv", mime="text/csv", width="stretch")
    if info.open:
        with st.expander(_("Close the workshop")):
            st.write(_("The join code stops working. Participants keep their sandboxes."))
            if st.button(_("Close"), key="close_workshop"):
                service.close(engine, info.id, key)
                st.rerun()
    with st.expander(_("Delete the workshop")):
        st.write(_("Deletes the workshop and every participant's sandbox now. This cannot be undone."))
        sure = st.checkbox(_("Yes, delete it with all its data"), key="delete_sure")
        if st.button(_("Delete"), type="primary", disabled=not sure, key="delete_workshop"):
            service.delete_workshop(engine, info.id, key)
            st.session_state[SECRETS_KEY].pop(info.id, None)
            st.session_state.pop(CURRENT_KEY, None)
            st.query_params.pop("w", None)
            state.notice("ok", _("The workshop and all its data are deleted."))
            st.rerun()
