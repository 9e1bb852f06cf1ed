"""Trouble a trainer stages on purpose: one fact of a participant's sandbox flipped, declared here.

Every flip changes existing case fields only (case-v1), to values the platform itself produces: a
registration the NSO rejected, a co-founder who declined, a school entry that is not 'eTwinning
Validated' (the directory's own fictional non-validated entries, never a real school), a contact
request not answered yet, the 'Available for eTwinning project' box unticked (the teacher's own
`set_available` action). A flip that would change nothing a rule can see is 'not applicable' to that
participant and is not staged. Each flip keeps what it changed (`undo`), so the trainer, who plays the
NSO and the partners, can take it back.

A staged fault is fixed when none of the rules it made fail fails any more (guide.steps): the
participant's own actions, or the trainer's commands (the clock, the NSO), or the trainer taking it back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..case.calendar import ready_for_nso
from ..case.model import Case, Organisation
from ..content.world import World, load_world
from ..i18n import N_
from ..sandbox.actions import apply
from ..sandbox.outcome import copy
from ..steps.findings import check
from ..steps.project import is_self

FLIP = "flip:"
SCENARIO = "scenario:"

Change = tuple[Case, dict[str, Any]]


@dataclass(frozen=True)
class Flip:
    name: str
    label: str          # msgid (English), translated by the UI
    rule: str           # the rule it is meant to make fail (the board and the report name it)
    #: who acts on the real platform to undo it: the teacher themselves, or the trainer playing them
    fixed_by: str
    change: Callable[[Case, World], Change | None]   # None: nothing to flip in this case
    undo: Callable[[Case, dict[str, Any]], Case]


def _availability_off(case: Case, world: World) -> Change | None:
    if case.profile is None or not case.profile.available_for_projects:
        return None
    outcome = apply(case, "set_available", available=False)  # what the teacher's own untick does
    return (outcome.case, {}) if outcome.ok else None


def _availability_back(case: Case, undo: dict[str, Any]) -> Case:
    new = copy(case)
    if new.profile is not None:
        new.profile.available_for_projects = True
    return new


def _nso_rejects(case: Case, world: World) -> Change | None:
    account = case.account  # a submitted registration waiting for the NSO: instead of validating, it rejects
    if account is None or not ready_for_nso(account):
        return None
    new = copy(case)
    index = case.accounts.index(account)
    new.accounts[index].status = "rejected"
    return new, {"account": index, "status": account.status}


def _nso_back(case: Case, undo: dict[str, Any]) -> Case:
    new = copy(case)
    index = int(undo.get("account", -1))
    if 0 <= index < len(new.accounts) and new.accounts[index].status == "rejected":
        new.accounts[index].status = undo.get("status", "pending")
    return new


def _cofounder_declines(case: Case, world: World) -> Change | None:
    for i, project in enumerate(case.projects):
        if project.status != "pending":
            continue  # an active project's co-founder accepted long ago
        for j, cof in enumerate(project.cofounders):
            if cof.invitation == "pending" and not is_self(case, cof.name):
                new = copy(case)
                new.projects[i].cofounders[j].invitation = "declined"
                return new, {"project": i, "cofounder": j}
    return None


def _cofounder_back(case: Case, undo: dict[str, Any]) -> Case:
    new = copy(case)
    i, j = int(undo.get("project", -1)), int(undo.get("cofounder", -1))
    if 0 <= i < len(new.projects) and 0 <= j < len(new.projects[i].cofounders):
        cof = new.projects[i].cofounders[j]
        if cof.invitation == "declined":
            cof.invitation = "pending"
    return new


def _school_not_validated(case: Case, world: World) -> Change | None:
    """The validated school on the profile swapped for the directory's non-validated entry in the same
    city (else country): the mix-up the handbook warns about (ch. 3a step 4)."""
    for i, org in enumerate(case.organisations):
        if not org.etwinning_validated:
            continue
        same_city = [s for s in world.schools if not s.etwinning_validated and s.city == org.city and s.id != org.id]
        same_country = [s for s in world.schools if not s.etwinning_validated and s.country == org.country
                        and s.id != org.id]
        if not (same_city or same_country):
            continue
        entry = (same_city or same_country)[0]
        new = copy(case)
        new.organisations[i] = Organisation(id=entry.id, name=entry.name, city=entry.city, country=entry.country,
                                            etwinning_validated=False, role=org.role,
                                            principal_up_to_date=org.principal_up_to_date)
        return new, {"index": i, "entry": entry.id, "organisation": org.model_dump(mode="json")}
    return None


def _school_back(case: Case, undo: dict[str, Any]) -> Case:
    new = copy(case)
    if not undo.get("organisation"):
        return new
    before = Organisation.model_validate(undo["organisation"])
    orgs = [o for o in new.organisations if o.id != undo.get("entry")]
    if all(o.id != before.id for o in orgs):
        orgs.insert(min(int(undo.get("index", 0)), len(orgs)), before)
    new.organisations = orgs
    return new


def _contact_unanswered(case: Case, world: World) -> Change | None:
    """A contact request the partner has not answered yet: the co-founder's first (else any accepted
    contact abroad) back at 'request sent'."""
    named = [c.name for p in case.projects if p.status in ("draft", "pending") for c in p.cofounders]
    accepted = [c for c in case.contacts if c.status == "accepted"]
    chosen = next((c for c in accepted if c.name in named), None) or next(iter(accepted), None)
    if chosen is None:
        return None
    new = copy(case)
    contact = new.contact(chosen.name)
    assert contact is not None
    contact.status = "request_sent"
    return new, {"name": chosen.name}


def _contact_back(case: Case, undo: dict[str, Any]) -> Case:
    new = copy(case)
    contact = new.contact(str(undo.get("name", "")))
    if contact is not None and contact.status == "request_sent":
        contact.status = "accepted"
    return new


FLIPS: dict[str, Flip] = {f.name: f for f in (
    Flip("availability_off", N_("'Available for eTwinning project' is unticked"), "profile.not_available",
         "teacher", _availability_off, _availability_back),
    Flip("cofounder_declines", N_("The co-founder declines the invitation"), "project.invitation_declined",
         "nso", _cofounder_declines, _cofounder_back),
    Flip("nso_rejects", N_("The NSO rejects the registration"), "account.rejected", "nso", _nso_rejects,
         _nso_back),
    Flip("school_not_validated", N_("The school on the profile is not 'eTwinning Validated'"),
         "school.not_validated", "teacher", _school_not_validated, _school_back),
    Flip("contact_unanswered", N_("A contact request stays unanswered"), "contacts.request_pending", "partner",
         _contact_unanswered, _contact_back),
)}


def failing(case: Case, rule_ids: list[str] | None = None) -> set[str]:
    return {rid for rid, r in check(case, rule_ids).items() if r.status == "fail"}


def flip(case: Case, name: str, world: World | None = None) -> tuple[Case, list[str], dict[str, Any]] | None:
    """The case with fact `name` flipped, the rules that fail because of it, and what to take back.
    None: not applicable (nothing to flip, or the flip's own rule would not notice)."""
    found = FLIPS[name]
    changed = found.change(case, world or load_world())
    if changed is None:
        return None
    new, undo = changed
    newly = sorted(failing(new) - failing(case))
    return (new, newly, undo) if found.rule in newly else None


def take_back(case: Case, name: str, undo: dict[str, Any]) -> Case:
    return FLIPS[name].undo(case, undo)
