"""'Trainer board': create a workshop; with ?w=<id>&key=<secret>, the live board and the trainer's commands."""

from __future__ import annotations

import datetime as dt
import logging

import pyarrow as pa  # type: ignore[import-untyped]
import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from ... import LANGUAGES
from ...errors import GuideError
from ...flows.goals import scenario_of
from ...i18n import language_name
from ...store.models import utcnow
from ...workshop import service
from ...workshop.scenarios import workshop_scenarios
from .. import identity, widgets
from ..common import N_, _, absolute_url, content, lang, notice, page_url

REFRESH_SECONDS = 5
NEW_LINK_KEY = "trainer_new_link"  # a trainer link made on request, shown in its expander until the page is left
UNREACHABLE = N_("The workshop store cannot be reached just now. Nothing is lost: try again in a few minutes.")

log = logging.getLogger(__name__)


def _from_link() -> None:
    """A trainer link (?w=&key=): check it, let this browser reopen the board, take both out of the address bar."""
    wid, key = st.query_params.get("w"), st.query_params.get("key")
    if not (wid and key):
        return
    del st.query_params["key"]  # boards get projected: the secret leaves the address bar at once
    st.query_params.pop("w", None)
    try:
        service.trainer_view(identity.engine(), wid, key)
    except service.Forbidden:
        st.error(_("This trainer link is not valid: wrong key, or the workshop was deleted."))
        return
    except SQLAlchemyError:
        st.session_state["trainer_link_waits"] = True
        st.query_params.update({"w": wid, "key": key})  # the store is down: the link stays valid, keep it
        return
    identity.open_board(wid, key)


def render() -> None:
    _from_link()
    if st.session_state.pop("trainer_link_waits", False):
        st.warning(_("The store cannot be reached just now. Your trainer link is still valid: reload this page "
                     "in a few minutes."), icon=":material/cloud_off:")
        return
    t = identity.trainer()
    if t is not None:
        try:
            info = service.trainer_view(identity.engine(), t.workshop_id, t.key)
        except service.Forbidden:
            st.error(_("This workshop no longer exists, or this browser may no longer open its board."))
            identity.close_board(t.workshop_id)
        except SQLAlchemyError:
            st.error(_(UNREACHABLE))
            return
        else:
            _board_page(info, t.key)
            return
    _create()


def _scenario_titles() -> dict[str, str]:
    listed = content().get("scenarios.yaml")
    titles = {s.id: s.title for s in listed.scenarios} if listed else {}
    return {sid: titles.get(sid, sid) for sid in workshop_scenarios()}


def _create() -> None:
    st.title(_("New workshop"))
    titles = _scenario_titles()
    with st.form("create_workshop"):
        title = st.text_input(_("Title"), max_chars=service.TITLE_MAX)
        wlang = st.selectbox(_("Language"), LANGUAGES, index=LANGUAGES.index(lang()),
                             format_func=language_name)
        scenario = st.selectbox(_("Exercise scenario"), list(titles), format_func=lambda s: titles.get(s, s),
                                index=list(titles).index("blank-start") if "blank-start" in titles else 0)
        day = st.date_input(_("Date"), value=dt.date.today(), format="YYYY-MM-DD")
        submitted = st.form_submit_button(_("Create workshop"), type="primary")
    if not submitted:
        return
    try:
        info, key = service.create(identity.engine(), title or "", wlang or lang(), scenario or "", day)
    except service.WorkshopError as exc:
        st.error(_("The workshop could not be created: {problem}").format(problem=str(exc)))
        return
    except GuideError:  # a broken scenario file: its path and line are for the operator's log
        log.exception("creating a workshop failed")
        st.error(_("The workshop could not be created: the exercise scenario has errors. The operator finds "
                   "the details in the server's log."))
        return
    except SQLAlchemyError:
        st.error(_(UNREACHABLE))
        return
    identity.open_board(info.id, key)  # this browser reopens the board after a reload; no link on screen
    notice("ok", _("Workshop created. This browser opens its board again after a reload."))
    st.rerun()


def _board_page(info: service.WorkshopInfo, key: str) -> None:
    _board(info.id, key)
    _commands(info, key)
    _other_device(info, key)


def _other_device(info: service.WorkshopInfo, key: str) -> None:
    """The trainer link only on request, inside a closed expander: the board is projected."""
    with st.expander(_("Open this board on another device")):
        st.write(_("A trainer link opens this board in any browser. Make one only where nobody watches your "
                   "screen; an older trainer link stops working."))
        link = st.session_state.get(NEW_LINK_KEY)
        if link and link[0] == info.id:
            st.code(absolute_url(page_url("trainer", w=info.id, key=link[1])), language=None, wrap_lines=True)
            if st.button(_("Hide the link"), key="trainer_hide_link"):
                st.session_state.pop(NEW_LINK_KEY, None)
                st.rerun()
        elif st.button(_("Make a trainer link"), key="trainer_make_link"):
            try:
                new = service.renew_trainer_key(identity.engine(), info.id, key)
            except SQLAlchemyError:
                st.error(_(UNREACHABLE))
                return
            if key != identity.key():  # this tab held the old trainer key, which now stops working
                identity.open_board(info.id, new)
            st.session_state[NEW_LINK_KEY] = (info.id, new)
            st.rerun()


@st.fragment(run_every=REFRESH_SECONDS)
def _board(wid: str, key: str) -> None:
    try:
        board = service.board(identity.engine(), wid, key, lang())
    except service.Forbidden:
        st.error(_("This workshop no longer exists."))
        return
    except SQLAlchemyError:
        st.error(_(UNREACHABLE))
        return
    w = board.workshop
    st.header(_("Trainer board"), anchor=False)
    st.text(w.title)  # user text: shown as text, never Markdown or HTML
    scenario = scenario_of(content(), w.scenario)
    if scenario is not None:
        st.caption(_("Exercise: {title}. Goal: {goal}").format(title=scenario.title, goal=scenario.goal))
    # phone-sized: one big number (the code the room types), the rest on one line
    st.metric(_("Join code"), w.join_code if w.open else _("closed"))
    st.caption(_("Participants: {n} · simulated date: {day}").format(n=len(board.rows), day=w.today.isoformat()))
    if w.open:
        st.caption(_("Participants open '{page}' and type the code.").format(page=absolute_url(page_url("workshop"))))
    if board.stuck:
        st.subheader(_("Where they are"), anchor=False)
        # the count first: on a phone the rightmost columns scroll out of sight
        st.dataframe(_table([{_("Participants"): n, _("Step"): title} for _s, title, n in board.stuck]),
                     hide_index=True, width="stretch")
    st.subheader(_("Participants"), anchor=False)
    if not board.rows:
        st.write(_("Nobody has joined yet."))
        return
    rules = content().rule_texts
    now = utcnow()

    def title(rid: str | None) -> str:
        return (rules[rid].title if rid in rules else rid) if rid else ""

    st.dataframe(_table(
        [{_("Nickname"): r.nickname,
          _("Goal"): _("reached") if r.goal and r.goal.reached else _("not yet"),
          _("Blocking"): widgets.blocker_with_actor(title(r.goal.blocking), who_acts(r.position, r.goal.blocking))
          if r.goal and not r.goal.reached and r.goal.blocking else "",
          _("Last action"): since(r.acted_at, now),
          _("Step"): r.position.step_title or "✓",
          _("Blockers"): len(r.position.blockers),
          _("Actions"): r.actions}
         for r in board.rows]),
        hide_index=True, width="stretch")


def _table(rows: list[dict[str, object]]) -> pa.Table:
    """The rows as an Arrow table, which Streamlit sends as it is: the same table on screen, without a
    pandas DataFrame made and converted on every refresh of the board (most of a refresh's time)."""
    return pa.Table.from_pylist(rows)


def since(moment: dt.datetime | None, now: dt.datetime) -> str:
    """'no action yet', 'just now', '4 min ago', '2 h ago': time since a participant's last action."""
    if moment is None:
        return _("no action yet")
    minutes = int((now - moment).total_seconds() // 60)
    if minutes < 1:
        return _("just now")
    if minutes < 120:
        return _("{n} min ago").format(n=minutes)
    return _("{n} h ago").format(n=minutes // 60)


def who_acts(pos, rule_id: str | None) -> str | None:
    """Who acts on a participant's blocking rule, as their case says (None: not one of their blockers)."""
    actors = dict(zip(pos.blockers, pos.actors, strict=False))
    return actors.get(rule_id) if rule_id else None


def _commands(info: service.WorkshopInfo, key: str) -> None:
    engine = identity.engine()
    st.subheader(_("Trainer commands"), anchor=False)
    c1, c2 = st.columns(2)
    if c1.button(_("Approve all NSO validations"), width="stretch"):
        n = service.approve_validations(engine, info.id, key)
        notice("ok", _("Approved for {n} participants.").format(n=n))
        st.rerun()
    if c1.button(_("Partners, NSOs and support answer"), width="stretch", key="others_answer",
                 help=_("For every participant, whatever waits for someone else is answered: co-founders accept, "
                        "partners tick 'Available for eTwinning project', NSOs validate, approve or remove an "
                        "account, the support teams help.")):
        n = service.others_answer(engine, info.id, key)
        notice("ok", _("Answered for {n} participants.").format(n=n))
        st.rerun()
    with c2.form("clock", border=False):
        days = st.number_input(_("Days"), min_value=1, max_value=60, value=2, step=1)
        if st.form_submit_button(_("Move the clock for everyone"), width="stretch"):
            today = service.move_clock(engine, info.id, key, int(days))
            notice("ok", _("The simulated date is now {day}.").format(day=today.isoformat()))
            st.rerun()
    names = service.nicknames(engine, info.id, key)  # no second run of everyone's rules for a pick list
    if names:
        with st.expander(_("Reset one participant")):
            pid = st.selectbox(_("Participant"), list(names), format_func=lambda p: names.get(p, str(p)))
            if pid is not None and st.button(_("Reset their sandbox")):
                service.reset_participant(engine, info.id, key, pid)
                notice("ok", _("Their sandbox starts again from the scenario."))
                st.rerun()
    # a callable: the CSV is made when the trainer clicks, with everyone who joined up to then
    st.download_button(_("Export results (CSV)"), lambda: service.export_csv(engine, info.id, key),
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
            identity.close_board(info.id)
            notice("ok", _("The workshop and all its data are deleted."))
            st.rerun()
