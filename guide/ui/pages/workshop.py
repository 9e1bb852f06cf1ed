"""'Workshop': join with a code and a nickname, then work in your own seat: the practice sandbox, seeded
from the workshop's scenario, on the workshop's clock.

The seat is this browser's (guide.ui.identity): a reload, the sandbox page, a new tab opened from the app
all find it again without any secret in the address bar. The personal seat link is for another device.
"""

from __future__ import annotations

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from ...steps.findings import escape_markdown
from ...store.ratelimit import RateLimited, client_bucket
from ...workshop import service
from .. import derived, identity, saving, widgets
from ..common import N_, _, content

JOIN_ERRORS = {
    "code_unknown": N_("No open workshop has this code. Check it with your trainer."),
    "nickname_taken": N_("Somebody in this workshop already uses this nickname. Is it you, in another browser or "
                         "on another device? There, the workshop page has your personal link under 'Come back "
                         "later': open it here. Otherwise choose another nickname."),
    "nickname_empty": N_("Type a nickname."),
    "nickname_too_long": N_("The nickname is too long (at most 40 characters)."),
    "nickname_invalid": N_("The nickname contains characters that cannot be shown."),
    "workshop_full": N_("This workshop is full."),
}
UNREACHABLE = N_("The workshop store cannot be reached just now. Nothing is lost: try again in a few minutes.")
def render() -> None:
    if identity.link_pending() == identity.SEAT_PARAM:
        st.title(_("Workshop"))  # the app says above that the store is down and the link still valid
        return
    if saving.seat() is not None:
        _seat()
    else:
        _join()


def _join() -> None:
    st.title(_("Join a workshop"))
    gone = saving.seat_gone()
    if gone:  # the seat of a deleted workshop: say so here, not only in a passing toast
        st.warning(gone, icon=":material/event_busy:")
    st.write(_("Your trainer gives you a short code. Each participant gets their own practice sandbox."))
    with st.form("join"):
        code = st.text_input(_("Workshop code"), value=st.query_params.get("code", ""), max_chars=12)
        nickname = st.text_input(_("Nickname (shown to the trainer)"), max_chars=service.NICKNAME_MAX)
        submitted = st.form_submit_button(_("Join"), type="primary")
    st.caption(_("Only your nickname and your sandbox are stored, until the trainer deletes the workshop."))
    if not submitted:
        return
    try:
        engine = identity.engine()
        seat, token = service.join(engine, code, nickname, client_bucket(engine, identity.current(),
                                                                          identity.client_address()))
    except RateLimited:
        st.error(_("Too many wrong codes. Wait a quarter of an hour and try again."))
        return
    except service.WorkshopError as exc:
        st.error(_(JOIN_ERRORS[exc.reason]) if exc.reason in JOIN_ERRORS else
                 _("This did not work: {reason}").format(reason=exc.reason))
        return
    except SQLAlchemyError:
        st.error(_(UNREACHABLE))
        return
    from ...workshop.owners import Owner, Snapshot

    identity.adopt(Snapshot(Owner("participant", seat.id), seat.version, seat.case, seat.progress, seat.answers,
                            seat), identity.Credentials(token, ""))
    st.query_params.pop("code", None)
    st.rerun()


CHANGED = N_("Something changed in your account: find out what.")
POLL_SECONDS = 4


def changed_notice(on_workshop_page: bool = False) -> None:
    """A participant whose sandbox the trainer changed is told so, on whatever page they are; on their
    workshop page (where their blockers are) they find out what, and the notice is done."""
    seat = saving.seat()
    if seat is None or not seat.changed:
        return
    with st.container(key="seat_changed"):
        st.warning(_(CHANGED), icon=":material/notification_important:")
        if on_workshop_page:
            saving.seat_told()
        else:
            from ..app import page_for

            st.page_link(page_for("workshop"), label=_("Find out what"), icon=":material/search:")


@st.fragment(run_every=POLL_SECONDS)
def watch_seat() -> None:
    """While seated: when the trainer changes this sandbox (staged trouble, the clock), run the page
    again so it shows the change and the notice (a cheap read of the seat's version)."""
    seat = saving.seat()
    if seat is None:
        return
    stored = saving.stored_version()
    if stored is not None and stored > seat.version and st.session_state.get("_seat_polled") != stored:
        st.session_state["_seat_polled"] = stored  # one rerun per change, never a loop
        st.rerun(scope="app")


def _seat() -> None:
    seat = saving.seat()
    st.title(_("Workshop"))
    changed_notice(on_workshop_page=True)
    st.markdown(f"**{escape_markdown(seat.workshop_title)}** · " + _("you are {nickname}").format(
        nickname=f"**{escape_markdown(seat.nickname)}**"))
    case = saving.get_case()
    pos = derived.where()
    cols = st.columns(2)
    cols[0].metric(_("Simulated date"), case.judged_on.isoformat())
    cols[1].metric(_("Blockers"), len(pos.blockers))
    if pos.step:
        st.info(_("Where you are: {step}").format(step=pos.step_title))
    else:
        st.success(_("Nothing blocks you any more."))
    from ..app import page_for
    from .sandbox import goal_panel

    goal_panel(seat.scenario)
    st.page_link(page_for("sandbox"), label=_("Open my sandbox"), icon=":material/science:")
    _findings(case)
    with st.expander(_("Come back later")):
        from .my_data import seat_link

        seat_link()
        if st.button(_("Leave the workshop on this device")):
            identity.leave_workshop()
            st.rerun()


def _findings(case) -> None:
    failing = [f for f in derived.failing() if f.severity == "blocker"]
    for f in failing:
        with st.expander(f":material/block: {f.title}"):
            widgets.fix_card(f, content(), with_title=False)
