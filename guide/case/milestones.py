"""Milestones: facts of a case that show a step of the journey was done, where no rule can.

A rule answers 'is something wrong?'; once the situation it checks is behind the teacher it is often
not applicable (no pending project, no title to judge). A milestone answers 'did this happen?': a
project is registered, a contact accepted, a page exists. The guided flows (content/flows.yaml,
`shown_by`) name the milestones that show a step done, so the sandbox and the self-check answers move
the journey without any 'Mark as done' click. Ids are permanent, like rule ids.
"""

from __future__ import annotations

from collections.abc import Callable

from .model import Case, Project, TwinSpace


def _projects(case: Case, *status: str) -> list[Project]:
    return [p for p in case.projects if p.status in status]


def _international(case: Case, project: Project) -> bool:
    """Founder and co-founders from more than one country (as far as the case knows their countries):
    only such a project can win labels or prizes (ch. 12 'LET OP')."""
    def country(name: str) -> str | None:
        if name in ("self", case.person.name):
            return case.person.country
        contact = case.contact(name)
        return contact.country if contact else None

    found = {country(n) for n in (project.founder, *(c.name for c in project.cofounders)) if n}
    return len(found - {None}) > 1


def _twinspaces(case: Case) -> list[TwinSpace]:
    return [p.twinspace for p in case.projects if p.twinspace is not None]


MILESTONES: dict[str, Callable[[Case], bool]] = {
    # the registration form went to the NSO (ch. 3b 'Finish')
    "registration.submitted": lambda c: c.account is not None and (
        c.account.submitted_on is not None or c.account.status == "validated"),
    "account.validated": lambda c: c.account is not None and c.account.status == "validated",
    # 'Networking' > 'People': a contact request went out (or came in)
    "contact.any": lambda c: bool(c.contacts),
    "contact.accepted": lambda c: any(x.status == "accepted" for x in c.contacts),
    # 'Create project' went through: the project is pending, active or closed
    "project.registered": lambda c: bool(_projects(c, "pending", "active", "closed")),
    "project.cofounder_accepted": lambda c: bool(_projects(c, "active", "closed")) or any(
        x.invitation == "accepted" for p in c.projects for x in p.cofounders),
    "project.active": lambda c: bool(_projects(c, "active", "closed")),
    "project.closed": lambda c: bool(_projects(c, "closed")),
    # an active project with a co-founder from another country (a national one cannot win labels, ch. 12)
    "project.international": lambda c: any(_international(c, p) for p in _projects(c, "active", "closed")),
    "twinspace.page": lambda c: any(t.pages for t in _twinspaces(c)),
    "twinspace.material": lambda c: any(t.materials for t in _twinspaces(c)),
    "twinspace.twinboard_item": lambda c: any(t.twinboard_items for t in _twinspaces(c)),
    "twinspace.member": lambda c: any(t.members for t in _twinspaces(c)),
    "room.created": lambda c: any(r.creator == "self" for r in c.rooms),
    "group.created": lambda c: any(g.owner == "self" for g in c.groups),
    "label.nql": lambda c: any(x.kind == "NQL" for x in c.labels),
    "label.school_label": lambda c: any(x.kind == "school_label" for x in c.labels),
}


def reached(case: Case, milestone: str) -> bool:
    """True if the case shows the milestone (KeyError for an unknown id: content is checked by lint)."""
    return MILESTONES[milestone](case)
