"""Whose case this is, store-side: one load/save/act/forget for a learner (working alone) and a workshop
participant (working in their seat), so the UI never branches on the kind to keep a journey.

A Snapshot is the row as read: the case (sandbox state and self-check answers in one), the step marks,
the answers given, and the version a later save must match (else Conflict: someone else wrote first).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import Connection

from ..case.model import Case
from ..sandbox.actions import Outcome, apply
from ..store import learners
from ..store.engine import Engine
from ..store.learners import Conflict, Credentials, Gone  # noqa: F401 - part of this module's interface
from . import service

Kind = Literal["learner", "participant"]


@dataclass(frozen=True)
class Owner:
    kind: Kind
    id: int


@dataclass(frozen=True)
class Snapshot:
    owner: Owner | None          # None: nothing stored yet (the session's own, unsaved)
    version: int
    case: Case
    progress: dict[str, str]
    answers: dict[str, Any]
    seat: service.Seat | None = None   # a participant's workshop, nickname and scenario


EMPTY = Snapshot(None, 0, Case(), {}, {})


def _from_learner(saved: learners.Saved) -> Snapshot:
    return Snapshot(Owner("learner", saved.id), saved.version, saved.case, saved.progress, saved.answers)


def _from_seat(seat: service.Seat) -> Snapshot:
    return Snapshot(Owner("participant", seat.id), seat.version, seat.case, seat.progress, seat.answers, seat)


def load(engine: Engine, owner: Owner) -> Snapshot | None:
    """The owner's row as it is now; None when it was deleted (forget me, a deleted workshop)."""
    if owner.kind == "learner":
        saved = learners.load(engine, owner.id)
        return _from_learner(saved) if saved else None
    seat = service.seat(engine, owner.id)
    return _from_seat(seat) if seat else None


def by_resume_token(engine: Engine, token: str) -> Snapshot | None:
    saved = learners.by_token(engine, token)
    return _from_learner(saved) if saved else None


def by_seat_token(engine: Engine, token: str) -> Snapshot | None:
    seat = service.seat_by_token(engine, token)
    return _from_seat(seat) if seat else None


def create_learner(engine: Engine, base: Snapshot, lang: str) -> tuple[Snapshot, Credentials]:
    """The first save of a person working alone: a learner row with a fresh resume link and code."""
    saved, creds = learners.create(engine, base.case, base.progress, base.answers, lang)
    return _from_learner(saved), creds


def save(engine: Engine, snap: Snapshot, *, case: Case | None = None, progress: dict[str, str] | None = None,
         answers: dict[str, Any] | None = None) -> Snapshot:
    """Write what changed over `snap` (Conflict if someone wrote since, Gone if deleted)."""
    assert snap.owner is not None, "save() needs a stored owner; create_learner() makes the first one"
    if snap.owner.kind == "learner":
        return _from_learner(learners.save(engine, snap.owner.id, snap.version, case=case, progress=progress,
                                           answers=answers))
    return _from_seat(service.save(engine, snap.owner.id, snap.version, case=case, progress=progress,
                                   answers=answers))


def act(engine: Engine, snap: Snapshot, action: str, **args: Any) -> tuple[Outcome, Snapshot]:
    """Run a sandbox action on the owner's latest case and keep the result (a refusal keeps the intent).

    A participant acts under their seat's row lock and the action counts on the trainer board; the
    trainer's commands (the clock, the NSO, the partner) are refused there (WorkshopError 'trainer_only').
    """
    return perform(engine, snap, action, args)


def perform(engine: Engine, snap: Snapshot, action: str, args: dict[str, Any], *,
            journey_of: service.JourneyOf | None = None,
            then: Callable[[Connection, Snapshot, Snapshot], None] | None = None) -> tuple[Outcome, Snapshot]:
    """act(), with the caller's journey of a case (service.perform) and `then`, run inside a participant's
    action transaction with the snapshots before and after (the insights' counts: one transaction, not two).
    A learner's action is saved like any change; `then` is not called for it."""
    assert snap.owner is not None
    if snap.owner.kind == "participant":  # one transaction: the action and the seat as it left it
        hook = None if then is None else (lambda s, old, new: then(s, _from_seat(old), _from_seat(new)))
        outcome, seat = service.perform(engine, snap.owner.id, action, args, journey_of=journey_of, then=hook,
                                        known=snap.seat)
        return outcome, _from_seat(seat)
    outcome = apply(snap.case, action, **args)
    return outcome, save(engine, snap, case=outcome.case)


def forget(engine: Engine, owner: Owner) -> bool:
    """Delete everything stored for the owner at once; True if there was something to delete."""
    if owner.kind == "learner":
        return learners.forget(engine, owner.id)
    return service.forget_participant(engine, owner.id)
