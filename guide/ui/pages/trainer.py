"""'Trainer board': create a workshop; with ?w=<id>&key=<secret>, the live board and the trainer's commands."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import re
from collections.abc import Callable

import pyarrow as pa  # type: ignore[import-untyped]
import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from ... import LANGUAGES
from ...errors import GuideError
from ...flows.goals import scenario_of
from ...i18n import language_name, translator
from ...steps.findings import escape_markdown
from ...store.models import utcnow
from ...workshop import report, service, staging
from ...workshop.joinlink import join_path, qr_png
from ...workshop.scenarios import workshop_scenarios
from .. import identity, widgets
from ..common import N_, _, absolute_url, content, lang, ngettext, notice, page_url, run_memo

REFRESH_SECONDS = 5
NEW_LINK_KEY = "trainer_new_link"  # a trainer link made on request, shown in its expander until the page is left
UNREACHABLE = N_("The workshop store cannot be reached just now. Nothing is lost: try again in a few minutes.")

log = logging.getLogger(__name__)
#: a join link with nothing Markdown would read (host names, ports, our path and code)
PLAIN_LINK = re.compile(r"(https?://[A-Za-z0-9.:-]+)?/workshop\?lang=[a-z]{2,3}&code=[A-Z0-9]{4,12}")


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
            board = service.board(identity.engine(), t.workshop_id, t.key, lang())
        except service.Forbidden:
            st.error(_("This workshop no longer exists, or this browser may no longer open its board."))
            identity.close_board(t.workshop_id)
        except SQLAlchemyError:
            st.error(_(UNREACHABLE))
            return
        else:
            _board_page(board, t.key)
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


def _board_page(board: service.Board, key: str) -> None:
    """The whole page from one read of the board: the live part below draws this read in this run too."""
    info = board.workshop
    if info.open:
        _join_panel(info)
    # What only the trainer's commands change is drawn with the page, not on every refresh of the board: the
    # heading, the join code and the timeline. A refresh that finds them changed (by the trainer on another
    # device) reruns the page.
    _heading(info)
    run_memo()[PAGE_READ] = board
    _board(info.id, key, _drawn(info, board.events))
    _timeline(board.events)
    names = {r.participant_id: r.nickname for r in board.rows}  # the pick lists: as the board, in joining order
    _stage(info, key, names, board.faults)
    _commands(info, key, names)
    _other_device(info, key)


def _join_panel(info: service.WorkshopInfo) -> None:
    """Joining in one step, for the projector: the QR code and the link with the code filled in (no key)."""
    link = absolute_url(join_path(info.join_code, info.lang))
    qr, words = st.columns([2, 3], vertical_alignment="center")
    with qr:  # the code as wide as its column: a fixed width ran over the link on a 980 px laptop screen
        st.image(qr_png(link), caption=_("Scan to join"), width="stretch",
                 alt=_("QR code that opens the join link: {link}").format(link=link))
    with words:
        st.markdown(_("Join with your phone: scan the code, or open this link and type a nickname."))
        # big enough to read from the back of the room; as it is, so that it can be copied as it is
        st.subheader(link if PLAIN_LINK.fullmatch(link) else escape_markdown(link), anchor=False)
        st.caption(_("The link holds the join code only; the board's own key is never on screen."))


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


def _heading(info: service.WorkshopInfo) -> None:
    st.header(_("Trainer board"), anchor=False)
    st.text(info.title)  # user text: shown as text, never Markdown or HTML
    scenario = scenario_of(content(), info.scenario)
    if scenario is not None:
        st.caption(_("Exercise: {title}. Goal: {goal}").format(title=scenario.title, goal=scenario.goal))
    # phone-sized: one big number (the code the room types), the rest on one line
    st.metric(_("Join code"), info.join_code if info.open else _("closed"))


def _drawn(info: service.WorkshopInfo, events: list[service.Event]) -> tuple[service.WorkshopInfo, int]:
    """What the page drew outside the board's refreshes: the workshop as its heading shows it, and the
    number of lines in the timeline."""
    return dataclasses.replace(info, participants=0), len(events)


@st.fragment(run_every=REFRESH_SECONDS)
def _board(wid: str, key: str, drawn: tuple[service.WorkshopInfo, int]) -> None:
    """The live part of the board, redrawn every few seconds: counts, where everyone is, staged trouble."""
    board = run_memo().pop(PAGE_READ, None)  # the page's own read, when this is the page's run
    if board is None:
        try:
            board = service.board(identity.engine(), wid, key, lang())
        except service.Forbidden:
            st.error(_("This workshop no longer exists."))
            return
        except SQLAlchemyError:
            st.error(_(UNREACHABLE))
            return
    if _drawn(board.workshop, board.events) != drawn:
        st.rerun()  # closed, renamed, clock moved or a command given elsewhere: the whole page as it is now
    w = board.workshop
    st.caption(_("Participants: {n} · simulated date: {day}").format(n=len(board.rows), day=w.today.isoformat()))
    if board.stuck:
        st.subheader(_("Where they are"), anchor=False)
        # the count first: on a phone the rightmost columns scroll out of sight
        st.dataframe(_kept(STUCK_KEY, (lang(), tuple(board.stuck)), lambda: pa.Table.from_pydict({
            _("Participants"): [n for _s, _t, n in board.stuck], _("Step"): [title for _s, title, _n in board.stuck]})),
            hide_index=True, width="stretch")
    st.subheader(_("Participants"), anchor=False)
    now = utcnow()
    if board.rows:
        _participants(board, now)
    else:
        st.write(_("Nobody has joined yet."))
    _faults(board.faults, now)


#: session keys: the board's tables of the last refresh, each with what it shows
TABLE_KEY, STUCK_KEY, FAULTS_KEY = "trainer_board_table", "trainer_board_stuck", "trainer_board_faults"
PAGE_READ = "trainer_page_board"  # run memo: the board the page read, for the board's run inside the page's


def _kept(name: str, shows: tuple, make: Callable[[], pa.Table]) -> pa.Table:
    """The table this session's last refresh made, when it shows the same again; else made now and kept."""
    kept = st.session_state.get(name)
    if kept is None or kept[0] != shows:
        kept = st.session_state[name] = (shows, make())
    return kept[1]


def _participants(board: service.Board, now: dt.datetime) -> None:
    """Everyone's row. The table is made again only when a row, a 'last action' or the language changed:
    a refresh where nobody acted sends the same table without wording it anew."""
    ago = since_words()
    last = [ago(r.acted_at, now) for r in board.rows]
    st.dataframe(_kept(TABLE_KEY, (lang(), tuple(board.rows), tuple(last)),
                       lambda: _participants_table(board.rows, last)), hide_index=True, width="stretch")


def _participants_table(rows: list[service.BoardRow], last: list[str]) -> pa.Table:
    rules = content().rule_texts
    blocking: dict[tuple[str, str | None], str] = {}  # (rule, who acts) -> its words, once per table

    def blocker(r: service.BoardRow) -> str:
        if not (r.goal and not r.goal.reached and r.goal.blocking):
            return ""
        rid = r.goal.blocking
        actor = who_acts(r.position, rid)
        words = blocking.get((rid, actor))
        if words is None:
            words = blocking[(rid, actor)] = widgets.blocker_with_actor(
                rules[rid].title if rid in rules else rid, actor)
        return words

    reached, not_yet = _("reached"), _("not yet")  # worded once per table, not once per participant
    return pa.Table.from_pydict({
        _("Nickname"): [r.nickname for r in rows],
        _("Goal"): [reached if r.goal and r.goal.reached else not_yet for r in rows],
        _("Blocking"): [blocker(r) for r in rows],
        _("Last action"): last,
        _("Step"): [r.position.step_title or "✓" for r in rows],
        _("Blockers"): [len(r.position.blockers) for r in rows],
        _("Actions"): [r.actions for r in rows]})


def fault_label(kind: str) -> str:
    """A staged fault in the reader's language: the flip's words, or 'Scenario: <title>'."""
    if kind.startswith(staging.FLIP):
        found = staging.FLIPS.get(kind.removeprefix(staging.FLIP))
        return _(found.label) if found else kind
    scenario = scenario_of(content(), kind.removeprefix(staging.SCENARIO))
    return _("Scenario: {title}").format(title=scenario.title if scenario else kind)


OUTCOMES = {
    None: N_("not yet"),
    "fixed": N_("fixed by them"),
    "helped": N_("fixed after your command"),
    "taken_back": N_("taken back"),
    "replaced": N_("replaced"),
}


def duration(delta: dt.timedelta | None) -> str:
    """'2 min 5 s', '40 s', '1 h 3 min'; empty when unknown."""
    if delta is None:
        return ""
    seconds = int(delta.total_seconds())
    if seconds < 60:
        return _("{s} s").format(s=seconds)
    if seconds < 3600:
        return _("{m} min {s} s").format(m=seconds // 60, s=seconds % 60)
    return _("{h} h {m} min").format(h=seconds // 3600, m=seconds % 3600 // 60)


def _faults(found: list[service.Fault], now: dt.datetime) -> None:
    if not found:
        return
    st.subheader(_("Staged trouble"), anchor=False)
    fixed = sum(1 for f in found if f.outcome in ("fixed", "helped"))
    st.caption(_("{fixed} of {n} staged faults fixed, {open} still open.").format(
        fixed=fixed, n=len(found), open=sum(1 for f in found if f.outcome is None)))
    ago = since_words()
    staged = [ago(f.staged_at, now) for f in found]
    st.container(key="board_faults").dataframe(
        _kept(FAULTS_KEY, (lang(), tuple(found), tuple(staged)), lambda: _faults_table(found, staged)),
        hide_index=True, width="stretch")


def _faults_table(found: list[service.Fault], staged: list[str]) -> pa.Table:
    labels: dict[str, str] = {}
    for f in found:
        if f.kind not in labels:
            labels[f.kind] = fault_label(f.kind)
    outcomes = {k: _(v) for k, v in OUTCOMES.items()}
    return pa.Table.from_pydict({
        _("Nickname"): [f.nickname for f in found],
        _("Trouble"): [labels[f.kind] for f in found],
        _("Staged"): staged,
        _("Fixed"): [outcomes.get(f.outcome, f.outcome or "") for f in found],
        _("Took"): [duration(f.took) for f in found],
        _("Seen"): ["✓" if f.seen_at else "" for f in found]})


EVENTS = {
    "created": N_("Workshop created"),
    "staged": N_("Staged: {what}, for participants: {n}"),
    "staged_all": N_("Staged: {what}, for everyone (participants: {n})"),
    "taken_back": N_("Taken back: {what}, for one participant"),
    "approved": N_("The NSO validated, for participants: {n}"),
    "others_answered": N_("Partners, NSOs and support answered, for participants: {n}"),
    "reset": N_("One participant's sandbox reset"),
    "removed": N_("One participant removed"),
    "trainer_link": N_("A new trainer link was made"),
    "closed": N_("Workshop closed"),
    "report": N_("Workshop report made"),
}


def event_text(event: service.Event) -> str:
    d = event.detail
    if event.kind == "clock":
        days = int(d.get("days") or 0)
        return ngettext("Clock moved {days} day on, to {today}", "Clock moved {days} days on, to {today}",
                        days).format(days=days, today=d.get("today", ""))
    kind = "staged_all" if event.kind == "staged" and d.get("everyone") else event.kind
    text = _(EVENTS[kind]) if kind in EVENTS else kind
    text = text.format(what=fault_label(str(d.get("what", ""))), n=d.get("participants", 0),
                       days=d.get("days", ""), today=d.get("today", ""))
    skipped = int(d.get("not_applicable") or 0)
    if skipped:
        text += " · " + _("not applicable for {n}").format(n=skipped)
    return text


def _timeline(events: list[service.Event]) -> None:
    with st.container(key="board_timeline"), st.expander(_("Timeline ({n})").format(n=len(events)), expanded=True):
        # newest first, one line each, in one element (a refresh sends one message, not one per line);
        # our words and counts only
        st.markdown("  \n".join(f"`{e.at.strftime('%H:%M:%S')}` · {event_text(e)}" for e in reversed(events)))
        st.caption(_("Times in UTC."))


def _stage(info: service.WorkshopInfo, key: str, names: dict[int, str], found: list[service.Fault]) -> None:
    """Stage the trouble: one participant, a chosen few or everyone into a scenario's state, or one fact flipped.
    `names`: {participant: nickname}; `found`: the faults staged so far (the page's read of the board)."""
    engine = identity.engine()
    st.subheader(_("Stage the trouble"), anchor=False)
    if not names:
        st.caption(_("Once participants have joined, you can put trouble into their sandboxes here."))
        return
    titles = _scenario_titles()
    # labels made now, in this run's language (a format function may be called outside the run)
    options = {o: fault_label(o) for o in
               [staging.FLIP + n for n in staging.FLIPS] + [staging.SCENARIO + sid for sid in titles]}
    with st.form("stage", border=True):
        everyone = st.toggle(_("Everyone"), key="stage_everyone")
        chosen = st.multiselect(_("Participants (one or a few)"), list(names),
                                format_func=lambda p: names.get(p, str(p)), key="stage_who")
        what = st.selectbox(_("What goes wrong"), list(options), format_func=options.__getitem__, key="stage_what")
        st.caption(_("A fact is flipped in their sandbox as the platform would show it; a scenario gives them "
                     "a fresh sandbox in its state, its goal theirs. They see 'Something changed in your "
                     "account' and find out what."))
        submitted = st.form_submit_button(_("Stage it"), type="primary")
    if submitted:
        try:
            done = service.stage(engine, info.id, key, what or "", None if everyone else list(chosen))
        except service.WorkshopError as exc:
            st.error(_(STAGE_ERRORS[exc.reason]) if exc.reason in STAGE_ERRORS else str(exc))
            return
        except SQLAlchemyError:
            st.error(_(UNREACHABLE))
            return
        message = _("Staged for participants: {n}.").format(n=done.staged)
        if done.not_applicable:
            message += " " + _("Not applicable for {n}: their sandbox has nothing this could change yet.").format(
                n=done.not_applicable)
        if done.already:
            message += " " + _("{n} had it already.").format(n=done.already)
        notice("ok", message)
        st.rerun()
    open_flips = [f for f in found if f.outcome is None and f.kind.startswith(staging.FLIP)]
    if open_flips:
        with st.expander(_("Take a staged fault back")):
            st.write(_("You play the NSO and the partners: when a participant asked them the right way, take "
                       "the fault back for them."))
            by_id = {f.id: f"{f.nickname} · {fault_label(f.kind)}" for f in open_flips}
            fid = st.selectbox(_("Staged fault"), list(by_id), key="takeback_which", format_func=by_id.__getitem__)
            if fid is not None and st.button(_("Take it back"), key="takeback"):
                service.take_back(engine, info.id, key, fid)
                notice("ok", _("Taken back."))
                st.rerun()


STAGE_ERRORS = {
    "nobody_chosen": N_("Choose one or more participants, or switch on 'Everyone'."),
    "participant_unknown": N_("That participant is no longer in the workshop."),
}


def _report(info: service.WorkshopInfo, key: str) -> None:
    """The workshop report, in the trainer's language: one page of PDF and the same as Markdown."""
    engine = identity.engine()
    with st.container(border=True, key="workshop_report"):
        st.subheader(_("Workshop report"), anchor=False)
        st.write(_("How many joined, how many reached each goal, the staged trouble and how fast it was "
                   "fixed, the most common blockers with their fixes, and the time per part."))
        names = st.checkbox(_("Include participants' nicknames"), key="report_names")
        here = lang()

        def made() -> report.Report:
            service.note_report(engine, info.id, key)
            return report.build(engine, info.id, key, here, fault_label_in(here))

        gettext = translator(here).gettext
        c1, c2 = st.columns(2)
        c1.download_button(_("Report (PDF)"), lambda: report.to_pdf(made(), gettext, names),
                           file_name=f"workshop-report-{info.day.isoformat()}.pdf", mime="application/pdf",
                           width="stretch", key="report_pdf", icon=":material/picture_as_pdf:")
        c2.download_button(_("Report (Markdown)"), lambda: report.to_markdown(made(), gettext, names),
                           file_name=f"workshop-report-{info.day.isoformat()}.md", mime="text/markdown",
                           width="stretch", key="report_md", icon=":material/description:")


def fault_label_in(language: str):
    """fault_label for a callback that may run outside this run (the language fixed now)."""
    gettext = translator(language).gettext
    return lambda kind: report.label_for(kind, language, gettext)


def since_words():
    """'no action yet', 'just now', '4 min ago', '2 h ago': time since a moment, its words looked up once (for a
    column of a hundred participants)."""
    none, just, minutes_ago, hours_ago = _("no action yet"), _("just now"), _("{n} min ago"), _("{n} h ago")

    def ago(moment: dt.datetime | None, now: dt.datetime) -> str:
        if moment is None:
            return none
        minutes = int((now - moment).total_seconds() // 60)
        if minutes < 1:
            return just
        if minutes < 120:
            return minutes_ago.format(n=minutes)
        return hours_ago.format(n=minutes // 60)

    return ago


def who_acts(pos, rule_id: str | None) -> str | None:
    """Who acts on a participant's blocking rule, as their case says (None: not one of their blockers)."""
    actors = dict(zip(pos.blockers, pos.actors, strict=False))
    return actors.get(rule_id) if rule_id else None


def _commands(info: service.WorkshopInfo, key: str, names: dict[int, str]) -> None:
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
    if names:
        with st.expander(_("Reset one participant")):
            pid = st.selectbox(_("Participant"), list(names), format_func=lambda p: names.get(p, str(p)))
            if pid is not None and st.button(_("Reset their sandbox")):
                service.reset_participant(engine, info.id, key, pid)
                notice("ok", _("Their sandbox starts again from the scenario."))
                st.rerun()
        with st.expander(_("Remove a participant")):
            st.write(_("Deletes their seat and sandbox now, e.g. for a nickname that should not be on the board."))
            rid = st.selectbox(_("Participant"), list(names), format_func=lambda p: names.get(p, str(p)),
                               key="remove_who")
            if rid is not None and st.button(_("Remove"), key="remove_participant"):
                service.remove_participant(engine, info.id, key, rid)
                notice("ok", _("The participant is removed."))
                st.rerun()
    # a callable: the CSV is made when the trainer clicks, with everyone who joined up to then
    st.download_button(_("Export results (CSV)"), lambda: service.export_csv(engine, info.id, key),
                       file_name=f"workshop-{info.day.isoformat()}.csv", mime="text/csv", width="stretch")
    if info.open:
        with st.expander(_("Close the workshop")):
            st.write(_("The join code stops working. Participants keep their sandboxes. Then you can "
                       "download the workshop report."))
            if st.button(_("Close"), key="close_workshop"):
                service.close(engine, info.id, key)
                st.rerun()
    else:
        _report(info, key)
    with st.expander(_("Delete the workshop")):
        st.write(_("Deletes the workshop and every participant's sandbox now. This cannot be undone."))
        sure = st.checkbox(_("Yes, delete it with all its data"), key="delete_sure")
        if st.button(_("Delete"), type="primary", disabled=not sure, key="delete_workshop"):
            service.delete_workshop(engine, info.id, key)
            identity.close_board(info.id)
            notice("ok", _("The workshop and all its data are deleted."))
            st.rerun()
