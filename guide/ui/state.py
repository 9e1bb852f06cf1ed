"""The teacher's case, step progress and answers in this browser session, saved to the store as they change.

Pages read and change the case only through get_case()/set_case(). Step progress lives in
st.session_state['progress'] ({step_id: 'done'|'skipped'}) and self-check answers in
st.session_state['answers']; both are saved the moment they change (set_progress/set_answer, or any
change to those dicts). The first change creates an anonymous learner row; its resume link and short
code (see the 'my-data' page) bring everything back in any browser. A workshop participant's session
reads and writes their seat in the workshop instead; on the workshop page their own seat link stays in the
address bar (?seat=), so reloading the tab keeps the seat.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import streamlit as st
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from ..case.model import Case
from ..errors import GuideError
from ..store import learners
from ..store.engine import get_engine
from ..store.learners import Conflict, Credentials, Gone
from ..workshop import service as workshops
from .common import _, lang

log = logging.getLogger(__name__)

CASE_KEY = "case"
PROGRESS_KEY = "progress"
ANSWERS_KEY = "answers"
OWNER_KEY = "_store_owner"        # Owner: whose row this session reads and writes
CREDS_KEY = "_store_creds"        # Credentials known in this session (shown on 'my-data'), never stored
PREVIOUS_KEY = "_store_previous"  # the learner owner to go back to after leaving a workshop
OFF_KEY = "_store_off"            # 'forget me' turned saving off for this session
SAVED_KEY = "_store_saved"        # (progress, answers) as last saved: detects dicts replaced wholesale
NOTICES_KEY = "_store_notices"
RESUME_PARAM = "resume"           # ?resume=<token>: a learner's resume link
SEAT_PARAM = "seat"               # ?seat=<token>: a workshop participant's personal link
SEAT_PAGE = "workshop"            # the one page that keeps ?seat= in the address bar (a reload keeps the seat)
SEAT_GONE_KEY = "_store_seat_gone"  # the workshop page explains why the seat is gone (not only a toast)
_savers: list[Callable[[Case], None]] = []
_UNREACHABLE = object()           # what _call returns for a store call that failed, when None means 'not found'


@dataclass(frozen=True)
class Owner:
    kind: str      # 'learner' | 'participant'
    id: int
    version: int


class _Tracked(dict):
    """A dict that saves itself on every change: pages may write st.session_state['progress'][step] = 'done'."""

    def __init__(self, key: str, data: dict | None = None):
        super().__init__(data or {})
        self._key = key

    def _changed(self) -> None:
        _save(**{self._key: dict(self)})

    def __setitem__(self, k, v):  # noqa: ANN001
        if self.get(k, object()) != v:
            super().__setitem__(k, v)
            self._changed()

    def __delitem__(self, k):  # noqa: ANN001
        super().__delitem__(k)
        self._changed()

    def update(self, *args, **kwargs):  # noqa: ANN002, ANN003
        before = dict(self)
        super().update(*args, **kwargs)
        if dict(self) != before:
            self._changed()

    def pop(self, *args):  # noqa: ANN002
        had = args[0] in self
        value = super().pop(*args)
        if had:
            self._changed()
        return value

    def clear(self):
        if self:
            super().clear()
            self._changed()

    def setdefault(self, k, default=None):  # noqa: ANN001
        if k not in self:
            self[k] = default
        return self[k]

    def __reduce__(self):  # session state may be pickled: it is a plain dict then
        return (dict, (dict(self),))


def client_address() -> str | None:
    """The browser's address, only to rate-limit wrong codes (hashed there, never stored as is)."""
    try:
        address = st.context.ip_address
    except Exception:  # noqa: BLE001 - no browser context (bare script run)
        return None
    return address if isinstance(address, str) else None


def engine() -> Engine:
    return get_engine()


def notice(kind: str, message: str) -> None:
    st.session_state.setdefault(NOTICES_KEY, []).append((kind, message))


def _show_notices() -> None:
    for kind, message in st.session_state.pop(NOTICES_KEY, []):
        st.toast(message, icon=":material/warning:" if kind == "warning" else ":material/check_circle:")


# -- the session's view -------------------------------------------------------------------------------

def owner() -> Owner | None:
    return st.session_state.get(OWNER_KEY)


def credentials() -> Credentials | None:
    return st.session_state.get(CREDS_KEY)


def saving_enabled() -> bool:
    return not st.session_state.get(OFF_KEY, False)


def _adopt(kind: str, row_id: int, version: int, case: Case, progress: dict, answers: dict) -> None:
    st.session_state[OWNER_KEY] = Owner(kind, row_id, version)
    st.session_state[CASE_KEY] = case
    st.session_state[PROGRESS_KEY] = _Tracked(PROGRESS_KEY, progress)
    st.session_state[ANSWERS_KEY] = _Tracked(ANSWERS_KEY, answers)
    st.session_state[SAVED_KEY] = (dict(progress), dict(answers))


def adopt_learner(saved: learners.Saved, creds: Credentials | None = None) -> None:
    _adopt("learner", saved.id, saved.version, saved.case, saved.progress, saved.answers)
    st.session_state[CREDS_KEY] = creds
    st.session_state.pop(OFF_KEY, None)


def adopt_seat(seat: workshops.Seat) -> None:
    """This session now works in the participant's own sandbox (the learner's is remembered)."""
    current = owner()
    if current is not None and current.kind == "learner":
        st.session_state[PREVIOUS_KEY] = (current, credentials())
    _adopt("participant", seat.id, seat.version, seat.case, seat.progress, seat.answers)
    st.session_state[CREDS_KEY] = None
    st.session_state.pop(OFF_KEY, None)


def leave_workshop() -> None:
    """Back to the session's own progress (or a fresh start) on this device; the seat stays stored."""
    previous = st.session_state.pop(PREVIOUS_KEY, None)
    _drop_seat_link()
    _clear()
    if previous is not None:
        prev_owner, creds = previous
        saved = _call(lambda e: learners.load(e, prev_owner.id))
        if saved is not None:
            adopt_learner(saved, creds)


def _drop_seat_link() -> None:
    """The seat link leaves the address bar: a reload after leaving must not sit down again."""
    st.query_params.pop(SEAT_PARAM, None)


def seat_gone(message: str) -> None:
    """The seat behind this session or link is gone: say so on the workshop page and as a toast."""
    _drop_seat_link()
    st.session_state[SEAT_GONE_KEY] = message
    notice("warning", message)


def _clear() -> None:
    for key in (OWNER_KEY, CREDS_KEY, CASE_KEY, SAVED_KEY):
        st.session_state.pop(key, None)
    st.session_state[PROGRESS_KEY] = _Tracked(PROGRESS_KEY)
    st.session_state[ANSWERS_KEY] = _Tracked(ANSWERS_KEY)


def _call(work: Callable[[Engine], Any], failed: Any = None) -> Any:
    """Run a store call; a broken database costs the teacher their saving, never the page (`failed` then)."""
    try:
        return work(engine())
    except SQLAlchemyError:
        log.exception("store call failed")
        notice("warning", _("Your progress could not be saved just now; it is kept in this browser tab."))
        return failed


# -- start of every run ----------------------------------------------------------------------------

def boot(page: str | None = None) -> None:
    """Once per run, before the page (its url_path): follow a resume/seat link, refresh a seat, track dicts."""
    params = st.query_params
    token = params.get(RESUME_PARAM)
    if token:
        del params[RESUME_PARAM]  # the secret leaves the address bar (projectors, screenshots, history)
        saved = _call(lambda e: learners.by_token(e, token))
        if saved is None:
            notice("warning", _("This resume link is not valid (any more). Was the progress deleted?"))
        else:
            adopt_learner(saved, Credentials(token, ""))
            notice("ok", _("Welcome back: your saved progress is loaded."))
    token = params.get(SEAT_PARAM)
    if token:
        # On the workshop page the participant's own link stays in the address bar, so a reload (a new
        # session) sits down again; elsewhere the secret leaves it, like a resume link.
        if page != SEAT_PAGE:
            del params[SEAT_PARAM]
        if not _seated_with(token):  # a rerun of the seated session needs no second look-up
            seat = _call(lambda e: workshops.seat_by_token(e, token), _UNREACHABLE)
            if seat is _UNREACHABLE:
                pass  # the store is down: keep the link in the address bar, a later reload may work
            elif seat is None:
                seat_gone(_("This workshop link is not valid (any more). Was the workshop deleted?"))
            else:
                adopt_seat(seat)
                st.session_state[CREDS_KEY] = Credentials(token, "")
    current = owner()
    if current is not None and current.kind == "participant":
        refresh()
    _track()
    _show_notices()


def _seated_with(token: str) -> bool:
    current, creds = owner(), credentials()
    return current is not None and current.kind == "participant" and creds is not None and creds.token == token


def seat_token() -> str | None:
    """The seated participant's own link secret (None when this session has no seat)."""
    current, creds = owner(), credentials()
    if current is None or current.kind != "participant" or creds is None or not creds.token:
        return None
    return creds.token


def refresh() -> None:
    """Re-read a participant's seat: the trainer may have moved the clock or approved meanwhile."""
    current = owner()
    if current is None or current.kind != "participant":
        return
    seat = _call(lambda e: workshops.seat(e, current.id), _UNREACHABLE)
    if seat is _UNREACHABLE:
        return  # the store is down: the seat is kept as last read, not dropped as if deleted
    if seat is None:
        _clear()
        seat_gone(_("Your workshop was deleted by the trainer; nothing of it is stored any more."))
    elif seat.version != current.version:
        _adopt("participant", seat.id, seat.version, seat.case, seat.progress, seat.answers)


def _track() -> None:
    """Wrap plain progress/answers dicts and save them when a page replaced them since the last save."""
    for key in (PROGRESS_KEY, ANSWERS_KEY):
        value = st.session_state.get(key)
        if not isinstance(value, _Tracked):
            st.session_state[key] = _Tracked(key, dict(value or {}))
    saved = st.session_state.get(SAVED_KEY, ({}, {}))  # nothing saved yet: empty, so a first mark counts
    now = (dict(st.session_state[PROGRESS_KEY]), dict(st.session_state[ANSWERS_KEY]))
    if saved != now:
        _save(progress=now[0], answers=now[1])


# -- the API pages use --------------------------------------------------------------------------------

def get_case() -> Case:
    if PROGRESS_KEY not in st.session_state or not isinstance(st.session_state[PROGRESS_KEY], _Tracked):
        _track()
    case = st.session_state.get(CASE_KEY)
    if case is None:
        case = Case()
        st.session_state[CASE_KEY] = case
    return case


def set_case(case: Case) -> None:
    """Replace the session's case, save it, and hand it to every registered saver."""
    st.session_state[CASE_KEY] = case
    _save(case=case)
    for save in _savers:
        save(case)


def get_progress() -> dict[str, str]:
    get_case()
    return st.session_state[PROGRESS_KEY]


def set_progress(step_id: str, status: str | None) -> None:
    """Mark a step 'done' or 'skipped' (None: not yet), saved at once."""
    if status not in (None, "done", "skipped"):
        raise ValueError(f"step status '{status}': expected 'done', 'skipped' or None")
    progress = get_progress()
    if status is None:
        progress.pop(step_id, None)
    else:
        progress[step_id] = status


def get_answers() -> dict[str, Any]:
    get_case()
    return st.session_state[ANSWERS_KEY]


def set_answer(question_id: str, value: Any) -> None:
    get_answers()[question_id] = value


def on_save(saver: Callable[[Case], None]) -> None:
    """Register a function called with the case after each change."""
    if saver not in _savers:
        _savers.append(saver)


# -- saving ---------------------------------------------------------------------------------------------

def _save(case: Case | None = None, progress: dict | None = None, answers: dict | None = None) -> None:
    if not saving_enabled():
        return
    current = owner()
    changes = {"case": case, "progress": progress, "answers": answers}
    try:
        if current is None:
            saved, creds = learners.create(
                engine(), st.session_state.get(CASE_KEY) or Case(),
                dict(st.session_state.get(PROGRESS_KEY) or {}), dict(st.session_state.get(ANSWERS_KEY) or {}),
                lang())
            st.session_state[OWNER_KEY] = Owner("learner", saved.id, saved.version)
            st.session_state[CREDS_KEY] = creds
            notice("ok", _("Your progress is saved. 'My saved progress' has your link to come back."))
        elif current.kind == "learner":
            saved = learners.save(engine(), current.id, current.version, **changes)
            st.session_state[OWNER_KEY] = Owner("learner", saved.id, saved.version)
        else:
            seat = workshops.save(engine(), current.id, current.version, **changes)
            st.session_state[OWNER_KEY] = Owner("participant", seat.id, seat.version)
    except Conflict:
        _reload(current)
        return
    except Gone:
        if current is not None and current.kind == "participant":
            _drop_seat_link()
        _clear()
        st.session_state[OFF_KEY] = True
        notice("warning", _("Your saved progress was deleted elsewhere; nothing is saved in this tab now."))
        return
    except (SQLAlchemyError, GuideError):
        log.exception("saving failed")
        notice("warning", _("Your progress could not be saved just now; it is kept in this browser tab."))
        return
    st.session_state[SAVED_KEY] = (dict(st.session_state.get(PROGRESS_KEY) or {}),
                                   dict(st.session_state.get(ANSWERS_KEY) or {}))


def _reload(current: Owner) -> None:
    """Someone else wrote first (another tab, the trainer): show their version; the teacher acts again."""
    if current.kind == "learner":
        saved = _call(lambda e: learners.load(e, current.id))
        if saved is not None:
            adopt_learner(saved, credentials())
    else:
        seat = _call(lambda e: workshops.seat(e, current.id))
        if seat is not None:
            _adopt("participant", seat.id, seat.version, seat.case, seat.progress, seat.answers)
    notice("warning", _("Your sandbox changed meanwhile (another tab or the trainer). "
                        "It is shown as it is now: please do your last step again."))


# -- privacy ---------------------------------------------------------------------------------------------

def forget_me() -> bool:
    """Delete everything stored about this session's owner at once and stop saving in this tab."""
    current = owner()
    gone = False
    if current is not None:
        if current.kind == "learner":
            gone = bool(_call(lambda e: learners.forget(e, current.id)))
        else:
            gone = bool(_call(lambda e: workshops.forget_participant(e, current.id)))
    previous = st.session_state.pop(PREVIOUS_KEY, None)
    if previous is not None:
        _call(lambda e: learners.forget(e, previous[0].id))
    _drop_seat_link()
    _clear()
    st.session_state[OFF_KEY] = True
    return gone


def resume_with_code(code: str, client: str | None) -> learners.Saved | None:
    """Load the progress behind a short code (RateLimited after too many wrong codes)."""
    from ..store.ratelimit import client_bucket

    e = engine()
    saved = learners.by_code(e, code, client_bucket(e, client))
    if saved is not None:
        adopt_learner(saved, None)
    return saved


def renew_credentials() -> Credentials | None:
    current = owner()
    if current is None or current.kind != "learner":
        return None
    creds = _call(lambda e: learners.renew(e, current.id))
    if creds is not None:
        st.session_state[CREDS_KEY] = creds
    return creds


def start_saving() -> None:
    """Saving back on after 'forget me' (the teacher asked for it)."""
    st.session_state.pop(OFF_KEY, None)
    _save()
