"""Rules for project members and the TwinSpace: pages, pupils, consent, Materials (handbook ch. 7d, 9, 11)."""

from __future__ import annotations

from ..case.model import Case, TwinSpace
from .facts import founders_of
from .registry import NOT_APPLICABLE, PASS, Result, fail, passed_if, rule


@rule("twinspace.image_not_in_materials", severity="blocker", chapter="9", actor="teacher")
def image_not_in_materials(case: Case) -> Result:
    spaces = [(p, p.twinspace) for p in case.projects
              if p.twinspace and any(i.image for i in p.twinspace.twinboard_items)]
    if not spaces:
        return NOT_APPLICABLE
    for p, ts in spaces:
        have = {m.name for m in ts.materials}
        missing = [i.image for i in ts.twinboard_items if i.image and i.image not in have]
        if missing:
            return fail(project=p.title, images=missing)
    return PASS


@rule("twinspace.member_not_in_project", severity="warning", chapter="7", actor="teacher", variants=("not_contact", "not_available", "mixed", "ready"))
def member_not_in_project(case: Case) -> Result:
    teachers = [(p, m) for p in case.projects if p.twinspace for m in p.twinspace.members if m.kind == "teacher"]
    if not teachers:
        return NOT_APPLICABLE
    outside = [(p, m) for p, m in teachers if not m.in_project]
    if not outside:
        return PASS
    not_contact, not_available, ready = [], [], []
    for _, m in outside:
        contact = case.contact(m.name)
        if contact is None or contact.status != "accepted":
            not_contact.append(m.name)
        elif not contact.available_for_projects:
            not_available.append(m.name)
        else:  # a contact who is available: added to the TwinSpace only by choice in the pop-up
            ready.append(m.name)
    variant = ("mixed" if not_contact and not_available else "not_contact" if not_contact
               else "not_available" if not_available else "ready")
    projects = list(dict.fromkeys(p.title for p, _ in outside))
    result = fail(variant, names=[m.name for _, m in outside], not_contact=not_contact,
                  not_available=not_available, project=projects)
    return result.by("partner", who=not_available) if variant == "not_available" else result


@rule("twinspace.public_pupil_content", severity="warning", chapter="9", actor="teacher")
def public_pupil_content(case: Case) -> Result:
    exposed = [p for p in case.projects if p.twinspace and any(
        pg.visibility == "public" and pg.pupil_content for pg in p.twinspace.pages)]
    if not exposed:
        return NOT_APPLICABLE
    for p in exposed:
        ts = p.twinspace
        assert ts is not None
        if any(m.kind == "pupil" and not m.consent for m in ts.members):
            pages = [pg.title for pg in ts.pages if pg.visibility == "public" and pg.pupil_content]
            return fail(project=p.title, pages=pages)
    return PASS


def shows_pupils(space: TwinSpace) -> bool:
    """Images of pupils are used: a page with pupils' content, or an image marked as showing pupils."""
    return (any(pg.pupil_content for pg in space.pages)
            or any(m.shows_pupils for m in space.materials)
            or any(i.shows_pupils for i in space.twinboard_items))


@rule("twinspace.pupils_without_consent", severity="warning", chapter="netiquette", actor="school")
def pupils_without_consent(case: Case) -> Result:
    # 'Gebruik je beeldmateriaal van leerlingen? Zorg er dan voor dat je toestemming hebt' (Netiquette):
    # consent is about images of pupils, not about every pupil on the TwinSpace (RULES v2).
    pupils = [(p, m) for p in case.projects if p.twinspace and shows_pupils(p.twinspace)
              for m in p.twinspace.members if m.kind == "pupil"]
    if not pupils:
        return NOT_APPLICABLE
    lacking = [(p, m) for p, m in pupils if not m.consent]
    return passed_if(not lacking, names=[m.name for _, m in lacking],
                     project=list(dict.fromkeys(p.title for p, _ in lacking)))


@rule("twinspace.pupil_login", severity="info", chapter="9", actor="teacher")
def pupil_login(case: Case) -> Result:
    has_pupils = any(m.kind == "pupil" for p in case.projects if p.twinspace for m in p.twinspace.members)
    if not (case.wants_any("add_pupils") or has_pupils):
        return NOT_APPLICABLE
    return fail()


@rule("twinspace.closed", severity="info", chapter="11", actor="teacher", variants=("founder", "member_named", "member"))
def closed(case: Case) -> Result:
    if not case.wants_any("edit_project") or not case.projects:
        return NOT_APPLICABLE
    shut = [p for p in case.projects if p.status == "closed"]
    if not shut:
        return PASS
    leads = [p for p in shut if p.role in ("founder", "cofounder")]
    if leads:
        return fail("founder", project=[p.title for p in shut])
    founders = list(dict.fromkeys(n for p in shut for n in founders_of(case, p)))
    return fail("member_named" if founders else "member", project=[p.title for p in shut], founders=founders)


@rule("twinspace.no_pages", severity="tip", chapter="9", actor="teacher")
def no_pages(case: Case) -> Result:
    active = [p for p in case.projects if p.status == "active" and p.twinspace is not None]
    if not active:
        return NOT_APPLICABLE
    empty = [p.title for p in active if not p.twinspace.pages]  # type: ignore[union-attr]
    return passed_if(not empty, project=empty)
