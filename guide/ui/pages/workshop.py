"""'Workshop': join with a code and a nickname, then work in your own sandbox seeded from the scenario.

While seated, the address bar carries the participant's own seat link (?seat=, never the join code), so
reloading the tab keeps the seat; leaving the workshop, or its deletion by the trainer, removes it.
"""

from __future__ import annotations

import inspect
import typing

import streamlit as st

from ...errors import GuideError
from ...sandbox.actions import ACTIONS
from ...steps.findings import diagnose, escape_markdown
from ...store.ratelimit import RateLimited, client_bucket
from ...workshop import service
from ...workshop.progress import position
from .. import state
from ..common import _, absolute_url, action_label, content, lang, page_url, resolve_links

JOIN_ERRORS = {
    "code_unknown": "No open workshop has this code. Check it with your trainer.",
    "nickname_taken": "Somebody in this workshop already uses this nickname. Choose another one.",
    "nickname_empty": "Type a nickname.",
    "nickname_too_long": "The nickname is too long (at most 40 characters).",
    "nickname_invalid": "The nickname contains characters that cannot be shown.",
    "workshop_full": "This workshop is full.",
}
#: What a participant may do: the teacher's own actions (the others are the trainer's commands).
TEACHER_ACTIONS = tuple(name for name, declared in ACTIONS.items() if declared.by_teacher)


def render() -> None:
    current = state.owner()
    if current is not None and current.kind == "participant":
        _seat()
    else:
        _join()


def _join() -> None:
    st.title(_("Join a workshop"))
    gone = st.session_state.pop(state.SEAT_GONE_KEY, None)
    if gone:  # the seat link of a deleted workshop: say so here, not only in a passing toast
        st.warning(gone, icon=":material/event_busy:")
    st.write(_("Your trainer gives you a short code. Each participant gets their own practice sandbox."))
    with st.form("join"):
        code = st.text_input(_("Workshop code"), value=st.query_params.get("code", ""), max_chars=12)
        nickname = st.text_input(_("Nickname (shown to the trainer)"), max_chars=service.NICKNAME_MAX)
        submitted = st.form_submit_button(_("Join"), type="primary")
    st.caption(_("Only your nickname and your sandbox are stored, until the trainer deletes the workshop."))
    if not submitted:
        return
    engine = state.engine()
    try:
        seat, token = service.join(engine, code, nickname, client_bucket(engine, state.client_address()))
    except RateLimited:
        st.error(_("Too many wrong codes. Wait a quarter of an hour and try again."))
        return
    except service.WorkshopError as exc:
        st.error(_(JOIN_ERRORS.get(exc.reason, "This did not work: {reason}")).format(reason=exc.reason))
        return
    state.adopt_seat(seat)
    st.session_state[state.CREDS_KEY] = state.Credentials(token, "")
    st.query_params.pop("code", None)
    st.rerun()


def _seat() -> None:
    seat = service.seat(state.engine(), state.owner().id)
    if seat is None:  # deleted since this run's boot
        state.leave_workshop()
        state.seat_gone(_("Your workshop was deleted by the trainer; nothing of it is stored any more."))
        st.rerun()
    token = state.seat_token()
    if token and st.query_params.get(state.SEAT_PARAM) != token:
        st.query_params[state.SEAT_PARAM] = token  # a reload of this tab sits down again
    st.title(_("Workshop"))
    st.markdown(f"**{escape_markdown(seat.workshop_title)}** · {_('you are')} **{escape_markdown(seat.nickname)}**")
    case = state.get_case()
    pos = position(case, lang(), state.get_progress())
    cols = st.columns(2)
    cols[0].metric(_("Simulated date"), case.judged_on.isoformat())
    cols[1].metric(_("Blockers"), len(pos.blockers))
    if pos.step:
        st.info(_("Where you are: {step}").format(step=pos.step_title))
    else:
        st.success(_("Nothing blocks you any more."))
    refusal = st.session_state.pop("ws_refusal", None)
    if refusal:
        st.warning(_("The platform refused: {title}").format(title=refusal[0]))
        st.markdown(resolve_links(refusal[1]))
    st.markdown(f":material/science: [{_('Open my sandbox')}]({page_url('sandbox')})")
    _actions()
    _findings(case)
    with st.expander(_("Come back later")):
        creds = state.credentials()
        if creds and creds.token:
            st.code(absolute_url(page_url("workshop", seat=creds.token)), language=None, wrap_lines=True)
        if st.button(_("Leave the workshop on this device")):
            state.leave_workshop()
            st.rerun()


def _findings(case) -> None:  # noqa: ANN001
    failing = [f for f in diagnose(case, lang(), content()) if f.status == "fail" and f.severity == "blocker"]
    for f in failing:
        with st.expander(f":material/block: {f.title}"):
            st.markdown(resolve_links(f.fix))


# -- a compact form for any sandbox action -------------------------------------------------------------

def _params(name: str) -> list[tuple[str, object, object]]:
    fn = ACTIONS[name].fn
    hints = typing.get_type_hints(fn)
    out = []
    for pname, p in list(inspect.signature(fn).parameters.items())[1:]:
        if pname == "world":
            continue
        out.append((pname, hints.get(pname, str), p.default))
    return out


def _convert(kind: object, raw: str) -> object:
    args = typing.get_args(kind)
    base = next((a for a in args if a is not type(None)), kind) if args and type(None) in args else kind
    if base is int:
        return int(raw)
    if typing.get_origin(base) is list:
        return [part.strip() for part in raw.split(",") if part.strip()]
    return raw


def _actions() -> None:
    with st.expander(_("Do something on the platform"), expanded=True):
        name = st.selectbox(_("Action"), TEACHER_ACTIONS, format_func=action_label, key="ws_action")
        values: dict[str, object] = {}
        with st.form("ws_form", border=False):
            for pname, kind, default in _params(name):
                label = pname.replace("_", " ")
                if kind is bool:
                    values[pname] = st.checkbox(label, value=bool(default) if default is not inspect._empty else True)
                elif kind is bytes:
                    values[pname] = st.file_uploader(label)
                else:
                    shown = "" if default in (inspect._empty, None) else str(default)
                    values[pname] = (kind, st.text_input(label, value=shown), default)
            go = st.form_submit_button(_("Do it"))
        if go:
            _run(name, values)


def _run(name: str, values: dict[str, object]) -> None:
    args: dict[str, object] = {}
    try:
        for pname, value in values.items():
            if isinstance(value, tuple):
                kind, raw, default = value
                if raw == "" and default is not inspect._empty:
                    continue
                args[pname] = _convert(kind, raw)
            elif value is not None and hasattr(value, "getvalue"):
                args[pname] = value.getvalue()
                if "filename" in {p for p, _k, _d in _params(name)}:
                    args.setdefault("filename", value.name)
            elif value is not None:
                args[pname] = value
        outcome = service.act(state.engine(), state.owner().id, name, **args)
    except (GuideError, ValueError) as exc:
        st.error(str(exc))
        return
    state.refresh()
    if outcome.ok:
        state.notice("ok", _("Done."))
    else:
        # explained with the case as the attempt left it, as the sandbox page does: the rule judged that one
        refusal = diagnose(outcome.attempted or outcome.case, lang(), content(), rule_ids=[outcome.refused_by])[0]
        st.session_state["ws_refusal"] = (refusal.title, refusal.fix)
    st.rerun()
