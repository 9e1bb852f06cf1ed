"""Simulated ESEP actions for projects, TwinSpaces, rooms, groups and labels (handbook ch. 7-12)."""

from __future__ import annotations

from collections.abc import Callable

from ..case.model import (
    Case,
    Cofounder,
    Group,
    Label,
    Material,
    Member,
    Page,
    Project,
    Room,
    TwinboardItem,
    TwinSpace,
)
from ..content.world import World, load_world
from ..i18n import N_
from .clock import settle
from .outcome import ACCOUNT, ActionError, Outcome, copy, done, drop_want, gate, with_want
from .registry import action

CREATE_NEEDS = (*ACCOUNT, "project.founder_not_validated", "project.cofounder_not_contact", "contacts.request_pending",
                "project.cofounder_not_validated", "project.cofounder_not_available",
                "project.title_symbols", "project.missing_fields")


def cofounder_options(case: Case) -> list[str]:
    """Who 'Select the co-founder' offers: accepted contacts who ticked 'Available for eTwinning project'
    (ch. 7a step 4), and validated (step 1: both founders need a validated account)."""
    return [c.name for c in case.contacts
            if c.status == "accepted" and c.available_for_projects and c.validated]


def _project_index(case: Case, title: str) -> int:
    for i, project in enumerate(case.projects):
        if project.title == title:
            return i
    raise ActionError(N_("{field}: no project titled '{value}'; the projects are {known}"), field="project",
                      value=title, known=[p.title for p in case.projects])


def _only(index: int) -> Callable[[Case], None]:
    def focus(c: Case) -> None:
        c.projects = [c.projects[index]]
    return focus


@action(part="project", by="teacher", platform="'Create project'", step="7a.create-project")
def create_project(case: Case, title: str, cofounder: str, short_description: str = "", aims: str = "",
                   work_process: str = "", expected_results: str = "", repeat_next_year: bool = False,
                   world: World | None = None) -> Outcome:
    """'Create project' (ch. 7a-7c): the project goes to the co-founder and to the NSOs, status pending.

    A co-founder in the teacher's own country is allowed: the project is then national (diagnose warns,
    ch. 12). A TwinSpace is created with it ('wordt er automatisch een TwinSpace gecreëerd', ch. 7a).
    """
    if any(p.title == title for p in case.projects):
        raise ActionError(N_("{field}: a project titled '{value}' exists already; titles name projects in the "
                             "sandbox"), field="title", value=title)
    contact = case.contact(cofounder)
    countries = [c for c in (case.person.country, contact.country if contact else None) if c]
    project = Project(
        title=title, role="founder", founder="self",
        cofounders=[Cofounder(name=cofounder, invitation="pending")], status="pending",
        nso_approvals=dict.fromkeys(countries, "pending"),
        short_description=short_description, aims=aims, work_process=work_process,
        expected_results=expected_results, repeat_next_year=repeat_next_year, twinspace=TwinSpace())

    def build(c: Case) -> None:
        c.projects = [*c.projects, project]

    refusal = gate(case, "create_project", CREATE_NEEDS, build, _only(len(case.projects)),
                   title=title, cofounder=cofounder)
    if refusal:
        return refusal
    new = copy(case)
    build(new)
    drop_want(new, "create_project")
    member = (world or load_world()).member(cofounder)
    if member is not None and member.accepts == "at_once":
        new.projects[-1].cofounders[0].invitation = "accepted"
    return done(new, title=title, cofounder=cofounder, countries=list(project.nso_approvals))


@action(part="project", by="partner",
        phrase=N_("The co-founder accepts the invitation"), step="7c.cofounder-accepts")
def cofounder_accepts(case: Case, project: str, name: str | None = None) -> Outcome:
    """The co-founder clicks 'accept the invitation' under Notifications (ch. 7c step 7), also after
    declining by mistake (the fix of project.invitation_declined: talk to them first, was it a mistake?)."""
    new = copy(case)
    p = new.projects[_project_index(new, project)]
    chosen = [c for c in p.cofounders if name is None or c.name == name]
    if not chosen:
        raise ActionError(N_("{field}: '{value}' is not a co-founder of '{project}'"), field="name", value=name,
                          project=project)
    for cof in chosen:
        cof.invitation = "accepted"
    return done(new, project=project, activated=settle(p))


@action(part="project", by="nso", phrase=N_("The NSOs approve the project"), step="7c.cofounder-accepts")
def nso_approve(case: Case, project: str, country: str | None = None) -> Outcome:
    """A trainer's command: the NSO of `country` (None: of every country) approves the project.
    It stays pending until every founder's country approved (ch. 7a 'Let op')."""
    new = copy(case)
    p = new.projects[_project_index(new, project)]
    if country is not None and country.upper() not in p.nso_approvals:
        raise ActionError(N_("{field} '{value}' has no say on '{project}'; its NSOs: {known}"), field="country",
                          value=country, project=project, known=list(p.nso_approvals))
    for code in p.nso_approvals:
        if country is None or code == country.upper():
            p.nso_approvals[code] = "approved"
    p.nso_approvals = dict(p.nso_approvals)  # re-assign so the change is validated and saved
    waiting = [c for c, v in p.nso_approvals.items() if v != "approved"]
    return done(new, project=project, activated=settle(p), waiting=waiting)



@action(part="project", by="teacher", platform="'Previous' / 'Next' > 'Create'", step="7c.review-create")
def submit_project(case: Case, project: str, title: str = "", short_description: str = "", aims: str = "",
                   work_process: str = "", expected_results: str = "") -> Outcome:
    """Back to a project form that was filled in but never sent with 'Create' (a draft): correct its fields
    and click 'Create' (ch. 7c step 6: 'Lees de Review ... klik op Create'). An empty field keeps the
    form's text. Refused, like 'Create project', while a rule the form must meet fails."""
    index = _project_index(case, project)
    if case.projects[index].status != "draft":
        raise ActionError(f"'{project}' was submitted already; it is {case.projects[index].status}")
    typed = {"title": title, "short_description": short_description, "aims": aims, "work_process": work_process,
             "expected_results": expected_results}
    if title.strip() and title != project and any(p.title == title for p in case.projects):
        raise ActionError(f"a project titled '{title}' exists already; titles name projects in the sandbox")

    def build(c: Case) -> None:
        p = c.projects[index]
        for field, value in typed.items():
            if str(value).strip():
                setattr(p, field, str(value).strip())

    refusal = gate(case, "create_project", CREATE_NEEDS, build, _only(index), project=project)
    if refusal:
        return refusal
    new = copy(case)
    build(new)
    p = new.projects[index]
    p.status = "pending"
    countries = [c for c in (new.person.country, *(x.country for x in (new.contact(cf.name) for cf in p.cofounders)
                                                    if x is not None)) if c]
    p.nso_approvals = {**dict.fromkeys(countries, "pending"), **p.nso_approvals}
    for cof in p.cofounders:
        if cof.invitation == "not_sent":
            cof.invitation = "pending"
    p.twinspace = p.twinspace or TwinSpace()
    drop_want(new, "create_project")
    return done(new, title=p.title, countries=list(p.nso_approvals))

# -- the TwinSpace (ch. 7d, 8, 9) ----------------------------------------------------------------------

def _edit_twinspace(case: Case, project: str, change: Callable[[TwinSpace], None],
                    also_needs: tuple[str, ...] = (), **facts: object) -> Outcome:
    """Any TwinSpace edit: a closed project's TwinSpace can be visited, not edited (ch. 11)."""
    index = _project_index(case, project)

    def build(c: Case) -> None:
        p = c.projects[index]
        p.twinspace = p.twinspace or TwinSpace()
        change(p.twinspace)

    refusal = gate(case, "edit_project", ("twinspace.closed", *also_needs), build, _only(index),
                   project=project, **facts)
    if refusal:
        return refusal
    new = copy(case)
    build(new)
    return done(new, project=project, **facts)


@action(part="twinspace", by="teacher",
        platform="'Invite members' / 'Add/invite members'", step="7d.invite-members")
def invite_member(case: Case, project: str, name: str, also_project: bool = True) -> Outcome:
    """'Invite members'. A contact who is 'available for eTwinning projects' can be added to the project
    as well; anyone else lands in the TwinSpace only (ch. 7d step 8). Inviting again after that is fixed
    adds them to the project."""
    contact = case.contact(name)
    can_join = contact is not None and contact.status == "accepted" and contact.available_for_projects
    in_project = bool(also_project and can_join)

    def change(ts: TwinSpace) -> None:
        ts.members = [m for m in ts.members if m.name != name] + [Member(name=name, kind="teacher",
                                                                         in_project=in_project)]

    return _edit_twinspace(case, project, change, name=name, in_project=in_project)


@action(part="twinspace", by="teacher", platform="'Pages' > 'create page'", step="9a.create-page")
def add_page(case: Case, project: str, title: str, visibility: str = "members",
             pupil_content: bool = False) -> Outcome:
    """'Pages' -> 'create page', with its visibility (ch. 9a): admins, members or public."""
    if visibility not in ("admins", "members", "public"):
        raise ActionError(N_("{field} '{value}': expected admins, members or public"), field="visibility",
                          value=visibility)
    page = Page(title=title, visibility=visibility, pupil_content=pupil_content)
    return _edit_twinspace(case, project, lambda ts: setattr(ts, "pages", [*ts.pages, page]), title=title)


@action(part="twinspace", by="teacher", platform="'Materials' > upload", step="9c.materials")
def add_material(case: Case, project: str, name: str, kind: str = "image") -> Outcome:
    """Upload to 'Materials' (ch. 9c)."""
    item = Material(name=name, kind=kind)
    return _edit_twinspace(case, project, lambda ts: setattr(ts, "materials", [*ts.materials, item]), name=name)


@action(part="twinspace", by="teacher", platform="TwinBoard > 'add item'", step="9b.add-item")
def add_twinboard_item(case: Case, project: str, title: str, image: str | None = None) -> Outcome:
    """'add item' on a TwinBoard; an image must be in 'Materials' first (ch. 9b 'Opgelet!')."""
    item = TwinboardItem(title=title, image=image)
    return _edit_twinspace(case, project, lambda ts: setattr(ts, "twinboard_items", [*ts.twinboard_items, item]),
                           ("twinspace.image_not_in_materials",), title=title, image=image)


@action(part="twinspace", by="teacher", platform="'Members' > pupils", step="9c.add-members")
def add_pupil(case: Case, project: str, name: str, consent: bool = False) -> Outcome:
    """'Members' -> add a pupil (ch. 9c); consent: a signed parental consent form (Netiquette)."""
    def change(ts: TwinSpace) -> None:
        ts.members = [m for m in ts.members if m.name != name] + [Member(name=name, kind="pupil", consent=consent)]
    return _edit_twinspace(case, project, change, name=name)


@action(part="twinspace", by="teacher",
        phrase=N_("A parental consent form comes in"), step="netiquette-privacy.parental-consent")
def set_pupil_consent(case: Case, project: str, name: str, consent: bool = True) -> Outcome:
    """Record that a pupil's parental consent form came in (or was withdrawn)."""
    p = case.projects[_project_index(case, project)]
    pupils = [m.name for m in (p.twinspace.members if p.twinspace else []) if m.kind == "pupil"]
    if name not in pupils:
        raise ActionError(N_("{field}: '{value}' is not a pupil in '{project}'; pupils: {known}"), field="name",
                          value=name, project=project, known=pupils)

    def change(ts: TwinSpace) -> None:
        for m in ts.members:
            if m.name == name and m.kind == "pupil":
                m.consent = consent
    return _edit_twinspace(case, project, change, name=name, consent=consent)


# -- closing and reopening (ch. 11) -----------------------------------------------------------------------

@action(part="closing-labels", by="teacher",
        platform="'My projects' > 'Close project'", step="11-close.close-project")
def close_project(case: Case, project: str) -> Outcome:
    """'Close project': only the founder and/or co-founder can (ch. 11 step 1)."""
    index = _project_index(case, project)
    refusal = gate(case, "close_project", ("project.close_not_founder",), lambda c: None, _only(index),
                   project=project)
    if refusal:
        return refusal
    new = copy(case)
    new.projects[index].status = "closed"
    drop_want(new, "close_project")
    return done(new, project=project)


@action(part="closing-labels", by="partner", phrase=N_("The founder or co-founder closes the project"),
        step="11-close.close-project")
def founder_closes_project(case: Case, project: str) -> Outcome:
    """A project the teacher is a member of is closed by its founder or co-founder, who alone can close it
    (ch. 11: 'kunnen de founder en/of co-founder het project afsluiten')."""
    new = copy(case)
    p = new.projects[_project_index(new, project)]
    if p.status == "closed":
        raise ActionError(f"'{project}' is closed already")
    if p.role != "member":
        raise ActionError(f"you lead '{project}': close it yourself with 'Close project'")
    p.status = "closed"
    drop_want(new, "close_project")
    return done(new, project=project)


@action(part="closing-labels", by="teacher", platform="'Closed' > '...' > 'Reopen'", step="11-close.reopen")
def reopen_project(case: Case, project: str) -> Outcome:
    """'Closed' tab -> three dots -> 'Reopen' (ch. 11 step 2). The handbook does not say who may reopen:
    the sandbox lets whoever sees the project do it."""
    new = copy(case)
    p = new.projects[_project_index(new, project)]
    if p.status != "closed":
        raise ActionError(N_("{field}: '{value}' is {status}, not closed"), field="project", value=project,
                          status=p.status)
    p.status = "active"
    drop_want(new, "reopen_project", "edit_project")
    return done(new, project=project)


# -- rooms and groups (ch. 10) ------------------------------------------------------------------------------

def _room_index(case: Case, title: str) -> int:
    for i, room in enumerate(case.rooms):
        if room.title == title:
            return i
    raise ActionError(N_("{field}: no room titled '{value}'; the rooms are {known}"), field="title", value=title,
                      known=[r.title for r in case.rooms])


@action(part="rooms-groups", by="teacher",
        platform="'My eTwinning' > 'rooms' > 'create room'", step="10-rooms.create-room")
def create_room(case: Case, title: str) -> Outcome:
    """'create room': it appears under 'My active rooms' with you as its creator."""
    refusal = gate(case, None, ACCOUNT, lambda c: None)
    if refusal:
        return refusal
    new = copy(case)
    new.rooms = [*new.rooms, Room(title=title, creator="self")]
    return done(new, title=title)


@action(part="rooms-groups", by="teacher", platform="'rooms' > '...' > 'edit'", step="10-rooms.edit-or-leave")
def edit_room(case: Case, title: str, new_title: str | None = None) -> Outcome:
    """Three dots -> 'edit': only the room's creator can (ch. 10)."""
    index = _room_index(case, title)

    def focus(c: Case) -> None:
        c.rooms = [c.rooms[index]]

    refusal = gate(case, "edit_room", ("room.not_creator",), lambda c: None, focus, title=title)
    if refusal:
        return refusal
    new = copy(case)
    if new_title:
        new.rooms[index].title = new_title
    drop_want(new, "edit_room")
    return done(new, title=new_title or title)


@action(part="rooms-groups", by="teacher",
        platform="'rooms' > '...' > 'leave'", step="10-rooms.edit-or-leave")
def leave_room(case: Case, title: str) -> Outcome:
    """Three dots -> 'leave'."""
    new = copy(case)
    index = _room_index(new, title)
    new.rooms = [r for i, r in enumerate(new.rooms) if i != index]
    drop_want(new, "edit_room")
    return done(new, title=title)


@action(part="rooms-groups", by="teacher", platform="'Create group'", step="10-groups.create-group")
def create_group(case: Case, title: str) -> Outcome:
    """'Create group': pending until the Central Support Service approves it (ch. 10)."""
    refusal = gate(case, "create_group", ACCOUNT, lambda c: None)
    if refusal:
        return refusal
    new = copy(case)
    new.groups = [*new.groups, Group(title=title, status="pending", owner="self")]
    drop_want(new, "create_group")
    return done(new, title=title)


@action(part="rooms-groups", by="support",
        phrase=N_("The Central Support Service approves a group"), step="10-groups.my-groups")
def css_approve_group(case: Case, title: str) -> Outcome:
    """A trainer's command: the CSS approves the group; it moves from 'Pending' to 'Active'."""
    new = copy(case)
    group = next((g for g in new.groups if g.title == title), None)
    if group is None:
        raise ActionError(N_("{field}: no group titled '{value}'; the groups are {known}"), field="title",
                          value=title, known=[g.title for g in new.groups])
    group.status = "active"
    return done(new, title=title)


# -- labels (ch. 12) ---------------------------------------------------------------------------------------

LABEL_WANTS = {"NQL": "apply_nql", "EQL": "apply_eql", "school_label": "apply_school_label"}


@action(part="closing-labels", by="teacher", phrase=N_("Apply for a label"), step="12-labels.apply-nql")
def apply_label(case: Case, kind: str, project: str | None = None) -> Outcome:
    """Apply for a label. NQL: not for a national project (ch. 12 LET OP). EQL: not applied for at
    all; the CSS awards it. school_label: applied for; the NSO tells the school if it qualifies.
    The sandbox records the application only as the teacher's intent: case-v1 has no 'applied' state,
    and the jury's verdict is a trainer's `award_label`."""
    if kind not in LABEL_WANTS:
        raise ActionError(N_("{field} '{value}': expected NQL, EQL or school_label"), field="kind", value=kind)
    focus = None
    if project is not None:
        focus = _only(_project_index(case, project))
    elif kind == "NQL":
        raise ActionError(N_("{field}: a National Quality Label is applied for with a project: choose one"),
                          field="project")
    # only the rule about this kind of label: a standing wish for another label must not block this one
    refuse_ids = {"EQL": ("label.eql_not_requested",), "NQL": ("label.national_project",), "school_label": ()}[kind]
    refusal = gate(case, LABEL_WANTS[kind], refuse_ids, lambda c: None, focus, kind=kind, project=project)
    if refusal:
        return refusal
    new = with_want(case, LABEL_WANTS[kind])  # the application stands until the label is awarded
    return done(new, kind=kind, project=project)


@action(part="closing-labels", by="nso", phrase=N_("A label is awarded"), step="12-labels.apply-nql")
def award_label(case: Case, kind: str) -> Outcome:
    """A trainer's command: the label is awarded today."""
    if kind not in LABEL_WANTS:
        raise ActionError(N_("{field} '{value}': expected NQL, EQL or school_label"), field="kind", value=kind)
    new = copy(case)
    new.labels = [*new.labels, Label(kind=kind, awarded_on=new.judged_on)]
    drop_want(new, LABEL_WANTS[kind])  # the application is answered
    return done(new, kind=kind)

