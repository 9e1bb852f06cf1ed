"""The person's case, step marks and self-check answers: read from the store at the start of every run,
saved the moment they change. Pages read and change them only through this module.

- The case is one: the sandbox's state and what the self-check answers say (an answer writes its facts
  into the case). The answers themselves are kept too ({question id: answer id}), so a question shows the
  answer the teacher gave, and a new teacher sees 'not answered yet' rather than a guess.
- Step marks ({step id: 'done' | 'skipped'}) are only for what the case cannot show.
- Checklist ticks ride along with the answers, under one reserved key ({TICKS: {checklist id: [item ids]}});
  get_answers() leaves them out, so they never count as self-check answers.
- Whose row this is comes from guide.ui.identity; guide.workshop.owners does the store's part for a
  learner or a participant alike. The first change of a person without a row creates a learner.
- A broken store costs the saving, never the page: the change is kept in this tab and a notice says so.
"""

from __future__ import annotations

import logging
from typing import Any

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from ..case.model import Case
from ..errors import GuideError
from ..sandbox.actions import ActionError, Outcome, apply
from ..workshop import owners, service
from ..workshop.owners import Conflict, Gone, Snapshot
from ..workshop.service import WorkshopError
from . import identity
from .common import _, lang, notice, run_memo

log = logging.getLogger(__name__)

CASE_KEY = "case"
PROGRESS_KEY = "progress"
ANSWERS_KEY = "answers"
META_KEY = "_save_meta"        # (owner, version, seat) of the snapshot in this session
OFF_KEY = "_save_off"          # 'forget me' turned saving off in this tab
SEAT_GONE_KEY = "_save_seat_gone"  # the workshop page explains why the seat is gone (not only a toast)
FRESH = "saved_row"  # run_memo(): (owner, version) this run wrote or read already (no second read)


def snapshot() -> Snapshot:
    """What this session shows: the stored row as last read or saved, plus changes not saved yet."""
    owner, version, seat = st.session_state.get(META_KEY, (None, 0, None))
    case = st.session_state.get(CASE_KEY)
    return Snapshot(owner, version, case if isinstance(case, Case) else Case(),
                    dict(st.session_state.get(PROGRESS_KEY) or {}), dict(st.session_state.get(ANSWERS_KEY) or {}),
                    seat)


def show(snap: Snapshot | None, fresh: bool = False, shown: Snapshot | None = None) -> None:
    """This session now shows `snap` (None: an empty start, nothing stored). `fresh`: just read or written by
    this run, so resume() in the same run need not read it again. `shown`: what the session showed a moment
    ago (snapshot()), so that marks and answers that stay as they were are not written again."""
    snap = snap or owners.EMPTY
    run_memo()[FRESH] = (snap.owner, snap.version) if fresh and snap.owner is not None else None
    st.session_state[META_KEY] = (snap.owner, snap.version, snap.seat)
    st.session_state[CASE_KEY] = snap.case
    if shown is None or snap.progress != shown.progress:
        st.session_state[PROGRESS_KEY] = dict(snap.progress)
    if shown is None or snap.answers != shown.answers:
        st.session_state[ANSWERS_KEY] = dict(snap.answers)


def saving_enabled() -> bool:
    return not st.session_state.get(OFF_KEY, False)


def stop() -> None:
    """After 'forget me': an empty start, and nothing saved in this tab until the person asks."""
    show(None)
    st.session_state[OFF_KEY] = True


def start() -> None:
    """Saving back on after 'forget me' (the person asked for it): the current state is saved."""
    st.session_state.pop(OFF_KEY, None)
    _save()


def _engine():
    return identity.engine()


def resume() -> None:
    """Show the owner's row as the store has it now (another tab, replica or the trainer may have written)."""
    owner = identity.owner()
    shown = snapshot()
    if META_KEY not in st.session_state:
        show(shown)  # a new session: its (empty, or given) case, marks and answers
    if owner is None:
        if shown.owner is not None:  # forgotten or left elsewhere: this tab no longer shows that row
            show(None)
        return
    if run_memo().get(FRESH) == (owner, shown.version):
        return  # this run wrote or read the row a moment ago (an action, a save): no second read
    try:
        snap = owners.load(_engine(), owner)
    except SQLAlchemyError:
        log.exception("store call failed")
        return  # the store is down: what this tab shows stays, it is not 'deleted'
    if snap is None:
        _gone(owner)
    elif snap.owner != shown.owner or snap.version != shown.version:
        show(snap, fresh=True)
    else:
        run_memo()[FRESH] = (snap.owner, snap.version)


def _gone(owner: owners.Owner | None) -> None:
    if owner is None:  # nothing was stored: nothing can have gone
        return
    identity.remember(owner.kind, None)
    identity.set_credentials(None)
    if owner.kind == "participant":
        message = _("Your workshop was deleted by the trainer; nothing of it is stored any more.")
        st.session_state[SEAT_GONE_KEY] = message
        notice("warning", message)
        resume()  # back to this browser's own progress, if it has one
        if identity.owner() is None:
            show(None)
    else:
        show(None)
        st.session_state[OFF_KEY] = True
        notice("warning", _("Your saved progress was deleted elsewhere; nothing is saved in this tab now."))


def seat_gone() -> str | None:
    """Why the seat this tab had is gone (once), for the workshop page."""
    return st.session_state.pop(SEAT_GONE_KEY, None)


# -- what pages read ------------------------------------------------------------------------------------

def get_case() -> Case:
    case = st.session_state.get(CASE_KEY)
    if not isinstance(case, Case):
        case = Case()
        st.session_state[CASE_KEY] = case
    return case


def get_progress() -> dict[str, str]:
    """The step marks ({step id: 'done' | 'skipped'}), a copy: change them with set_progress()."""
    from ..flows.journey import clean_progress

    return clean_progress(st.session_state.get(PROGRESS_KEY))


def get_answers() -> dict[str, Any]:
    """The self-check answers given ({question id: answer id}), a copy."""
    answers = st.session_state.get(ANSWERS_KEY)
    return {k: v for k, v in answers.items() if isinstance(k, str) and isinstance(v, str)} if answers else {}


TICKS = "_checklists"  # the reserved key of the answers column that holds checklist ticks


def _raw_answers() -> dict[str, Any]:
    return dict(st.session_state.get(ANSWERS_KEY) or {})


def get_ticks(checklist_id: str) -> set[str]:
    """The item ids ticked on a checklist, as stored."""
    ticks = _raw_answers().get(TICKS)
    items = ticks.get(checklist_id) if isinstance(ticks, dict) else None
    return {i for i in items if isinstance(i, str)} if isinstance(items, list) else set()


def set_ticks(checklist_id: str, ticked: set[str]) -> None:
    """Keep a checklist's ticks (saved at once, like an answer)."""
    answers = _raw_answers()
    ticks = dict(answers.get(TICKS) or {}) if isinstance(answers.get(TICKS), dict) else {}
    ticks[checklist_id] = sorted(ticked)
    answers[TICKS] = ticks
    st.session_state[ANSWERS_KEY] = answers
    _save(answers=answers)


def seat():
    """The participant's workshop seat as last read (None when not seated)."""
    return snapshot().seat


def seat_told() -> None:
    """The participant was told that the trainer changed something: stored, and this tab knows it."""
    import dataclasses

    owner, version, seated = st.session_state.get(META_KEY, (None, 0, None))
    if seated is None or not seated.changed:
        return
    try:
        service.acknowledge(_engine(), seated.id)
    except SQLAlchemyError:
        log.exception("store call failed")
        return
    st.session_state[META_KEY] = (owner, version, dataclasses.replace(seated, changed=False))


def stored_version() -> int | None:
    """The seat's version in the store now (None: not seated, gone, or the store is down)."""
    shown = snapshot()
    seated = shown.seat
    if seated is None:
        return None
    if run_memo().get(FRESH) == (shown.owner, shown.version):
        return shown.version  # this run read or wrote the seat a moment ago (a page's run): no second read
    try:
        return service.seat_version(_engine(), seated.id)
    except SQLAlchemyError:
        return None


# -- what pages change -----------------------------------------------------------------------------------

def set_case(case: Case) -> None:
    st.session_state[CASE_KEY] = case
    _save(case=case)


def set_progress(progress: dict[str, str]) -> None:
    """The teacher marked a step in the guided flows (done, skipped, or the mark taken back)."""
    before = snapshot()
    st.session_state[PROGRESS_KEY] = dict(progress)
    _save(progress=dict(progress))
    _observe("selfcheck", before, before.case, progress)


def answer(question_id: str, answer_id: str, case: Case) -> None:
    """The teacher answered a self-check question: the answer and the facts it gives, saved together."""
    before = snapshot()
    answers = {**_raw_answers(), question_id: answer_id}  # checklist ticks (TICKS) stay
    st.session_state[CASE_KEY] = case
    st.session_state[ANSWERS_KEY] = answers
    _save(case=case, answers=answers)
    _observe("selfcheck", before, case)


def _observe(source: str, before: Snapshot, case: Case, progress: dict[str, str] | None = None) -> None:
    """The NSO insights' anonymous counts (guide.ui.observe); not after 'forget me' in this tab."""
    if saving_enabled():
        from . import observe

        observe.changed(source, before, case, progress)


def act(action: str, **args: Any) -> Outcome:
    """Run a sandbox action on this person's case: in their seat for a participant (counted on the
    trainer board), else on their own case. A refusal keeps the intent in the case (`wants`).

    In its turn (guide.ui.admission): a submit is a callback, before the page's run and its turn."""
    from .admission import turn

    with turn():
        return _act(action, **args)


def _act(action: str, **args: Any) -> Outcome:
    snap = snapshot()
    if snap.owner is None or not saving_enabled():
        outcome = apply(snap.case, action, **args)
        set_case(outcome.case)
        _observe("sandbox", snap, outcome.case)
        return outcome
    from . import derived, observe

    seated = snap.owner.kind == "participant"
    marks: list[observe.Counted | None] = []  # what each try of the transaction counted; the last one held

    def count(conn: Any, before: Snapshot, after: Snapshot) -> None:
        marks.append(observe.in_action(conn, before, after))

    for attempt in range(2):
        try:
            # a participant's counts go in the action's own transaction; the journey the page makes for
            # the new case is the one that notes the participant's parts (guide.workshop.service.perform)
            outcome, now = owners.perform(_engine(), snap, action, args, journey_of=derived.journey_of,
                                          then=count if seated else None)
        except Conflict:
            resume()  # another tab wrote first: act again on the case as it is now
            snap = snapshot()
            if attempt:
                raise ActionError(_("Your sandbox changed meanwhile in another tab. Please try again.")) from None
            continue
        except Gone:
            _gone(snap.owner)
            raise ActionError(_("Your saved progress was deleted elsewhere; nothing is saved in this tab now.")) \
                from None
        except WorkshopError as exc:
            if exc.reason == "trainer_only":
                raise ActionError(_("In a workshop, the trainer does this for everyone.")) from None
            raise
        except SQLAlchemyError:
            log.exception("store call failed")
            raise ActionError(_("The store cannot be reached just now; nothing was changed. Try again in a "
                                "moment.")) from None
        show(now, fresh=True, shown=snap)  # an action changes the case; marks and answers mostly stay
        if seated:
            observe.counted(marks[-1] if marks else None)  # committed: now the session knows it counted
        else:
            _observe("sandbox", snap, now.case)
        return outcome
    raise AssertionError("unreachable")


def _save(**changes: Any) -> None:
    if not saving_enabled():
        return
    snap = snapshot()
    try:
        if snap.owner is None:
            saved, creds = owners.create_learner(_engine(), snap, lang())
            assert saved.owner is not None, "create_learner() returns the stored learner"
            identity.remember("learner", saved.owner.id)
            identity.set_credentials(creds)
            show(saved, fresh=True)
            notice("ok", _("Your progress is saved. 'My saved progress' has your link to come back."))
            return
        show(owners.save(_engine(), snap, **changes), fresh=True)
    except Conflict:
        resume()
        notice("warning", _("Your sandbox changed meanwhile (another tab or the trainer). "
                            "It is shown as it is now: please do your last step again."))
    except Gone:
        _gone(snap.owner)
    except (SQLAlchemyError, GuideError):
        log.exception("saving failed")
        notice("warning", _("Your progress could not be saved just now; it is kept in this browser tab."))
