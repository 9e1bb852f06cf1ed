"""What the others (the NSO, partners, ESEP's support teams) would do now for a teacher who asked: the
requests a case shows as waiting, each answered by one of their declared actions (registry.By other than
the teacher and the clock). In a workshop the trainer plays them all at once for everyone
(guide.workshop.service.others_answer); working alone, the teacher plays each on the sandbox page.

Only what the case shows as asked or waiting is answered: a submitted registration, a pending project,
an invitation sent to a co-founder, a contact named as co-founder or invited to a TwinSpace, an account the
teacher wanted deleted but could not, a group waiting for the CSS, a label applied for, a login problem.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..case.calendar import ready_for_nso
from ..case.model import Case
from .actions import ACTIONS, apply

#: 'Dit label is twee jaar geldig' (ch. 12): a School Label older than this is applied for anew.
SCHOOL_LABEL_DAYS = 2 * 365


def waiting(case: Case) -> list[tuple[str, dict[str, Any]]]:
    """The others' actions (name, arguments) that answer what waits on this case, in acting order."""
    out: list[tuple[str, dict[str, Any]]] = []
    if case.eu_login is not None and case.eu_login.can_log_in is False:
        out.append(("support_solves_login", {}))
    if "delete_account" in case.wants:
        out += [("nso_remove_account", {"account_id": a.id}) for a in case.accounts
                if not a.email_known and a.id is not None]
    if case.account is not None and ready_for_nso(case.account):
        out.append(("nso_validate", {}))
    named = [c.name for p in case.projects if p.status != "closed" for c in p.cofounders]
    named += [m.name for p in case.projects if p.twinspace and p.status != "closed"
              for m in p.twinspace.members if m.kind == "teacher" and not m.in_project]
    for contact in case.contacts:
        if contact.name in named and contact.status == "accepted" and not contact.validated:
            out.append(("partner_validated", {"name": contact.name}))
        if contact.name in named and contact.status == "accepted" and not contact.available_for_projects:
            out.append(("partner_sets_available", {"name": contact.name}))
    for p in case.projects:
        if p.role == "founder" and p.status == "pending" and any(
                c.invitation in ("pending", "declined") for c in p.cofounders):
            out.append(("cofounder_accepts", {"project": p.title}))
        if p.status == "pending" and any(v != "approved" for v in p.nso_approvals.values()):
            out.append(("nso_approve", {"project": p.title}))
        if "close_project" in case.wants and p.role == "member" and p.status != "closed":
            out.append(("founder_closes_project", {"project": p.title}))
    out += [("css_approve_group", {"title": g.title}) for g in case.groups if g.status == "pending"]
    if "apply_school_label" in case.wants and not any(
            lb.kind == "school_label" and lb.awarded_on is not None
            and case.judged_on - lb.awarded_on < dt.timedelta(days=SCHOOL_LABEL_DAYS) for lb in case.labels):
        out.append(("award_label", {"kind": "school_label"}))
    assert all(not ACTIONS[name].by_teacher and ACTIONS[name].by != "clock" for name, _ in out)
    return out


def answer(case: Case) -> tuple[Case, list[str]]:
    """Every waiting request answered, in order (each on the case the previous one left); the names of the
    actions that changed something. A refused answer (a rule still fails) leaves the case as it was."""
    done: list[str] = []
    for name, args in waiting(case):
        outcome = apply(case, name, **args)
        if outcome.ok and outcome.case != case:
            case, done = outcome.case, [*done, name]
    return case, done
