"""Simulated time: what happens on the platform while days pass (NSO validation, partners answering)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..case.calendar import ready_for_nso, validation_due
from ..case.model import Case, Project
from ..content.world import World


def settle(project: Project) -> bool:
    """A pending project becomes active once every country's NSO approved and every co-founder accepted.

    The handbook: the co-founder is asked 'to start the project together' and the NSOs of both countries
    validate it; 'als dat gebeurd is, begint het eTwinning-avontuur' (ch. 7a, 7c). Returns True when it
    became active now.
    """
    if project.status != "pending" or not project.nso_approvals:
        return False
    if all(v == "approved" for v in project.nso_approvals.values()) and all(
            c.invitation == "accepted" for c in project.cofounders):
        project.status = "active"
        return True
    return False


def pass_days(case: Case, days: int, world: World) -> dict[str, Any]:
    """Move `case.today` on by `days` and let the simulated platform act (changes `case`: a copy)."""
    today = case.judged_on + dt.timedelta(days=days)
    case.today = today
    validated: list[int | None] = []
    for account in case.accounts:
        due = validation_due(case, account)
        if ready_for_nso(account) and due is not None and due <= today:
            account.status = "validated"
            validated.append(account.id)
    # cast members who answer 'at_once' or 'next_day' have answered by now; 'never' never does
    answers = ("at_once", "next_day")
    accepted_contacts = []
    for contact in case.contacts:
        member = world.member(contact.name)
        if contact.status == "request_sent" and member is not None and member.accepts in answers:
            contact.status = "accepted"
            accepted_contacts.append(contact.name)
    accepted_invitations = []
    activated = []
    for project in case.projects:
        for cof in project.cofounders:
            member = world.member(cof.name)
            if cof.invitation == "pending" and member is not None and member.accepts in answers:
                cof.invitation = "accepted"
                accepted_invitations.append({"project": project.title, "name": cof.name})
        if settle(project):
            activated.append(project.title)
    return {"today": today, "validated": validated, "contacts_accepted": accepted_contacts,
            "invitations_accepted": accepted_invitations, "projects_activated": activated}
