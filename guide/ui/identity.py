"""Who this person is, in this browser: a learner, a workshop participant, a trainer of one workshop.

Where it lives (and what survives what):
- The browser's key, an HttpOnly SameSite cookie handed out by guide.ui.identity_routes, names nobody
  by itself. `guide.store.browsers` files under its hash whom it finds again: the learner, the seat,
  the workshop whose board it opened. Every run reads that row first, so a reload, a tab opened from the
  app, a restarted server and another replica all find the same person; a change in one tab (a resume
  link, joining, leaving, 'forget me') holds in every tab of that browser on its next run.
- The session (st.session_state) keeps the same references for a browser without the cookie (cookies off,
  AppTest): then only this tab knows, and the resume link or seat link brings the person back.
- The resume link (?resume=), seat link (?seat=) and trainer link (?w=&key=) move a person to another
  device. Each leaves the address bar on the first run, and every response says Referrer-Policy:
  no-referrer, so they reach neither a projected screen nor another site. Their plain secrets are kept
  only in this session, to show on 'My saved progress' (never stored, never logged).
- 'Forget me' deletes the row; every browser that found it forgets it with it (ON DELETE SET NULL).

The case, progress and answers of that person are kept by guide.ui.saving.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass, replace
from typing import Any, cast

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from ..store import browsers
from ..store.browsers import Known
from ..store.engine import Engine, get_engine
from ..store.learners import Credentials
from ..workshop.owners import Owner, Snapshot
from .common import _, notice, run_memo
from .identity_routes import COOKIE, browser_key

log = logging.getLogger(__name__)

KNOWN_KEY = "_id_known"           # Known: whom this session (and its browser) finds
CREDS_KEY = "_id_creds"           # Credentials shown on 'My saved progress' / the workshop page (session only)
TRAINER_KEYS = "_id_trainer_keys"  # {workshop id: trainer key} opened in this session (for a browser without cookie)
LINK_PENDING_KEY = "_id_link_pending"  # (param, token): a link that waits for the store to come back
SESSION_NAME_KEY = "_id_session"  # a random name for a session without cookie or owner (rate limits)
RESUME_PARAM = "resume"
SEAT_PARAM = "seat"


@dataclass(frozen=True)
class Trainer:
    """A trainer's pass to one workshop's board: the trainer key, or the browser key that opened it."""

    workshop_id: str
    key: str


def engine() -> Engine:
    """The store, looked up once per run (the lookup checks the data folder on disk)."""
    memo = run_memo()
    found = memo.get("engine")
    if found is None:
        found = memo["engine"] = get_engine()
    return found


def client_address() -> str | None:
    """The browser's address, only to rate-limit wrong codes (hashed there, never stored as is)."""
    try:
        address = st.context.ip_address
    except Exception:  # no browser context (bare script run)
        return None
    return address if isinstance(address, str) else None


def key() -> str | None:
    """This browser's key (the HttpOnly cookie), or None (cookies off, AppTest, a bare script run)."""
    try:
        cookies = st.context.cookies
    except Exception:  # no browser context
        return None
    value = cookies.get(COOKIE) if cookies else None
    return browser_key(f"{COOKIE}={value}") if value else None


def known() -> Known:
    return st.session_state.get(KNOWN_KEY) or Known()


def owner() -> Owner | None:
    """Whose case this session works on: the seat while seated, else the learner, else nobody yet."""
    k = known()
    if k.participant_id is not None:
        return Owner("participant", k.participant_id)
    if k.learner_id is not None:
        return Owner("learner", k.learner_id)
    return None


def current() -> str:
    """One stable name for whoever sends this request, to key rate limits and logs on (never a secret):
    'participant:<id>', 'learner:<id>', 'browser:<hash prefix>' or 'session:<id>'."""
    who = owner()
    if who is not None:
        return f"{who.kind}:{who.id}"
    browser = key()
    if browser:
        return "browser:" + hashlib.sha256(browser.encode()).hexdigest()[:16]
    # a random name kept in this session (not Streamlit's session id, which is fixed under AppTest)
    session = st.session_state.get(SESSION_NAME_KEY)
    if session is None:
        session = st.session_state[SESSION_NAME_KEY] = secrets.token_hex(8)
    return f"session:{session}"


def credentials() -> Credentials | None:
    return st.session_state.get(CREDS_KEY)


def set_credentials(creds: Credentials | None) -> None:
    st.session_state[CREDS_KEY] = creds


def _store(work: Any, failed: Any = None) -> Any:
    try:
        return work(engine())
    except SQLAlchemyError:
        log.exception("store call failed")
        return failed


def remember(kind: str, ref: int | str | None) -> None:
    """This session, and this browser in the store, now find `ref` as its `kind` (None: not any more)."""
    column = browsers.KINDS[kind]
    st.session_state[KNOWN_KEY] = replace(known(), **cast(dict[str, Any], {column: ref}))
    _store(lambda e: browsers.remember(e, key(), kind, ref))


# -- start of every run -----------------------------------------------------------------------------

def boot() -> None:
    """Once per run, before the page: whom this browser finds, then a resume/seat link in the address bar."""
    browser = key()
    if browser:
        found = _store(lambda e: browsers.known(e, browser))
        if found is not None:
            st.session_state[KNOWN_KEY] = found
    _follow_links()


def _follow_links() -> None:
    params = st.query_params
    for param in (RESUME_PARAM, SEAT_PARAM):
        token = params.get(param)
        if not token:
            continue
        from ..workshop import owners

        look = owners.by_resume_token if param == RESUME_PARAM else owners.by_seat_token
        snap = _store(lambda e, look=look, token=token: look(e, token), failed=False)
        if snap is False:
            # the store is down: the link stays in the address bar (a reload later works) and is not 'deleted'
            st.session_state[LINK_PENDING_KEY] = param
            continue
        del params[param]  # the secret leaves the address bar (projectors, screenshots, history)
        st.session_state.pop(LINK_PENDING_KEY, None)
        if snap is None:
            notice("warning", _("This resume link is not valid (any more). Was the progress deleted?")
                   if param == RESUME_PARAM else
                   _("This workshop link is not valid (any more). Was the workshop deleted?"))
            continue
        adopt(snap, Credentials(token, ""))
        if param == RESUME_PARAM:
            notice("ok", _("Welcome back: your saved progress is loaded."))


def link_pending() -> str | None:
    """'resume' or 'seat' when a link in the address bar waits for the store to be reachable again."""
    return st.session_state.get(LINK_PENDING_KEY)


def adopt(snap: Snapshot, creds: Credentials | None = None) -> None:
    """This browser is now the snapshot's owner (a learner, or a participant seated in their workshop)."""
    assert snap.owner is not None
    if snap.owner.kind == "learner":
        if known().participant_id is not None:
            remember("participant", None)  # a resume link or code: the person works alone again
        remember("learner", snap.owner.id)
    else:
        remember("participant", snap.owner.id)
    set_credentials(creds)
    from . import saving

    saving.resume()


def leave_workshop() -> None:
    """Back to this browser's own progress (or a fresh start); the seat stays stored for the trainer."""
    from . import saving

    remember("participant", None)
    set_credentials(None)
    saving.show(None)


def forget_me() -> bool:
    """Delete everything stored about this person at once, in every browser, and stop saving in this tab."""
    from ..workshop import owners
    from . import saving

    gone = False
    k = known()
    for who in (Owner("participant", k.participant_id) if k.participant_id is not None else None,
                Owner("learner", k.learner_id) if k.learner_id is not None else None):
        if who is not None:
            gone = bool(_store(lambda e, who=who: owners.forget(e, who))) or gone
    _store(lambda e: browsers.forget_browser(e, key()))
    st.session_state[KNOWN_KEY] = Known(workshop_id=k.workshop_id)
    set_credentials(None)
    saving.stop()
    return gone


# -- trainers ------------------------------------------------------------------------------------------

def open_board(workshop_id: str, trainer_key: str) -> None:
    """The trainer opened their board with their key: this browser reopens it from now on."""
    st.session_state.setdefault(TRAINER_KEYS, {})[workshop_id] = trainer_key
    remember("trainer", workshop_id)


def trainer() -> Trainer | None:
    """The board this session may open: the browser's (the cookie), else one opened in this tab."""
    k = known()
    keys: dict[str, str] = st.session_state.get(TRAINER_KEYS, {})
    if k.workshop_id is not None:
        if k.workshop_id in keys:
            return Trainer(k.workshop_id, keys[k.workshop_id])
        browser = key()
        if browser:
            return Trainer(k.workshop_id, browser)
    if keys:
        wid = next(reversed(keys))
        return Trainer(wid, keys[wid])
    return None


def close_board(workshop_id: str) -> None:
    st.session_state.get(TRAINER_KEYS, {}).pop(workshop_id, None)
    if known().workshop_id == workshop_id:
        remember("trainer", None)


# -- resume with a code, new link and code ------------------------------------------------------------

def resume_with_code(code: str, client: str | None) -> Snapshot | None:
    """Load the progress behind a short code (RateLimited after too many wrong codes; SQLAlchemyError
    when the store is down: the caller says so)."""
    from ..store import learners
    from ..store.ratelimit import client_bucket
    from ..workshop import owners

    e = engine()
    saved = learners.by_code(e, code, client_bucket(e, current(), client))  # this person first, then the address
    if saved is None:
        return None
    snap = owners.load(e, Owner("learner", saved.id))
    if snap is not None:
        adopt(snap, None)
    return snap


def renew_credentials() -> Credentials | None:
    """A new resume link and code for this learner (the old ones stop working)."""
    from ..store import learners

    who = owner()
    if who is None or who.kind != "learner":
        return None
    creds = _store(lambda e: learners.renew(e, who.id))
    if creds is not None:
        set_credentials(creds)
    return creds


def renew_seat_link() -> str | None:
    """A new personal seat link for another device (the old one stops working)."""
    from ..workshop import service

    who = owner()
    if who is None or who.kind != "participant":
        return None
    token = _store(lambda e: service.renew_seat_link(e, who.id))
    if token:
        set_credentials(Credentials(token, ""))
    return token
