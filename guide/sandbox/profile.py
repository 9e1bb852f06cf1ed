"""Simulated ESEP actions for the profile, the photo, the school and contacts (handbook ch. 3, 5, 6)."""

from __future__ import annotations

from typing import get_args

from ..case.model import Browser, Case, Contact, Organisation, Profile, SchoolSearch
from ..content.world import World, load_world
from ..errors import suggestion
from ..i18n import N_
from .outcome import ACCOUNT, JOINED, ActionError, Outcome, copy, done, drop_want, gate
from .photo import photo_of
from .registry import action

ORG_ROLES = ("teacher", "head", "librarian", "company_staff", "other")


# -- profile (ch. 3) ---------------------------------------------------------------------------------

@action(part="profile", by="teacher", platform="'Edit profile'", step="3a.fill-in-details")
def edit_profile(case: Case, description: str | None = None, subjects: list[str] | None = None,
                 languages: list[str] | None = None) -> Outcome:
    """'Edit profile': description, subjects, languages (None leaves a field as it is)."""
    refusal = gate(case, None, JOINED, lambda c: None)
    if refusal:
        return refusal
    new = copy(case)
    profile = new.profile or Profile()
    if description is not None:
        profile.description = description.strip()
    if subjects is not None:
        profile.subjects = [s.strip() for s in subjects if s.strip()]
    if languages is not None:
        profile.languages = [s.strip() for s in languages if s.strip()]
    new.profile = profile
    drop_want(new, "edit_profile")
    return done(new)


@action(part="profile", by="teacher",
        platform="'Edit profile' > 'Available for eTwinning project'", step="3a.available-for-projects")
def set_available(case: Case, available: bool) -> Outcome:
    """Tick or untick 'Available for eTwinning project' (ch. 2 step 5, ch. 3a step 2)."""
    refusal = gate(case, None, JOINED, lambda c: None)
    if refusal:
        return refusal
    new = copy(case)
    new.profile = new.profile or Profile()
    new.profile.available_for_projects = bool(available)
    return done(new, available=bool(available))


@action(part="profile", by="teacher",
        platform="'Profile picture' > 'Afbeelding uploaden'", step="3a.profile-picture")
def upload_photo(case: Case, data: bytes, filename: str = "") -> Outcome:
    """'Afbeelding uploaden': one file, 10 MB limit, png gif jpg jpeg, judged on the bytes (photo.py).

    Only the type and size are kept; a refused upload leaves the previous photo in place.
    """
    if not isinstance(data, bytes | bytearray):
        raise ActionError(N_("{field}: expected the file's bytes, got {value}"), field="data",
                          value=type(data).__name__)
    photo = photo_of(bytes(data))

    def build(c: Case) -> None:
        c.profile = (c.profile or Profile()).model_copy(update={"photo": photo}, deep=True)

    refusal = gate(case, None, (*JOINED, "profile.photo_rejected"), build,
                   type=photo.type, size_mb=photo.size_mb, filename=filename)
    if refusal:
        return refusal
    new = copy(case)
    new.profile = new.profile or Profile()
    new.profile.photo = photo
    return done(new, type=photo.type, size_mb=photo.size_mb, filename=filename)


# -- school (ch. 3a step 4, 3c) ----------------------------------------------------------------------

@action(part="profile", by="teacher",
        platform="'Add organisation' > 'Search organisation'", step="3a.add-school")
def search_schools(case: Case, city: str, country: str | None = None, world: World | None = None) -> Outcome:
    """Search the directory by city or municipality; the case records whether the school list was empty."""
    results = (world or load_world()).search_schools(city, country)
    new = copy(case)
    new.school_search = SchoolSearch(city=city.strip(), found=bool(results))
    return done(new, results=results)


@action(part="profile", by="teacher", platform="'Add organisation'", step="3a.add-school")
def add_organisation(case: Case, school_id: int, role: str = "", world: World | None = None) -> Outcome:
    """'Add organisation'. The directory lists validated and non-validated entries and the platform
    lets you pick either: the handbook only tells the teacher to choose the 'eTwinning Validated' one
    (ch. 3a step 4). A non-validated school is added; diagnose then reports school.not_validated."""
    school = (world or load_world()).school(school_id)
    if school is None:
        raise ActionError(N_("{field} {value} is not in the sandbox's school directory"), field="school_id",
                          value=school_id)
    _check_role(role, allow_empty=True)
    refusal = gate(case, None, JOINED, lambda c: None)
    if refusal:
        return refusal
    new = copy(case)
    if any(o.id == school_id for o in new.organisations):
        return done(new, school=school.name, already_added=True)
    new.organisations = [*new.organisations, Organisation(
        id=school.id, name=school.name, city=school.city, country=school.country,
        etwinning_validated=school.etwinning_validated, role=role)]
    if new.person.country is None:  # the teacher's country is their school's country
        new.person.country = school.country
    drop_want(new, "change_school")
    return done(new, school=school.name, validated=school.etwinning_validated)


@action(part="profile", by="teacher",
        platform="'Organisations' > '...' > 'leave organisation'", step="3c.leave-organisation")
def leave_organisation(case: Case, school_id: int) -> Outcome:
    """'Organisations' -> three dots -> 'leave organisation' (ch. 3c step 5)."""
    refusal = gate(case, None, JOINED, lambda c: None)
    if refusal:
        return refusal
    new = copy(case)
    _org_index(new, school_id)
    new.organisations = [o for o in new.organisations if o.id != school_id]
    return done(new)


@action(part="profile", by="teacher", platform="'Organisations' > '...' > 'edit role'", step="3c.edit-role")
def set_role(case: Case, school_id: int, role: str) -> Outcome:
    """'edit role' (ch. 3c step 4). 'Company Staff' can be chosen; diagnose flags it (no eTwinning access)."""
    _check_role(role)
    refusal = gate(case, None, JOINED, lambda c: None)
    if refusal:
        return refusal
    new = copy(case)
    new.organisations[_org_index(new, school_id)].role = role  # type: ignore[assignment]
    return done(new, role=role)


def _org_index(case: Case, school_id: int) -> int:
    for i, org in enumerate(case.organisations):
        if org.id == school_id:
            return i
    raise ActionError(N_("{field} {value} is not on the profile; it has {known}"), field="school_id",
                      value=school_id, known=[o.id for o in case.organisations])


def _check_role(role: str, allow_empty: bool = False) -> None:
    if role in ORG_ROLES or (allow_empty and role == ""):
        return
    if not role:
        raise ActionError(N_("{field}: choose one"), field="role")
    raise ActionError(N_("{field} '{value}': expected one of {known}{hint}"), field="role", value=role,
                      known=", ".join(ORG_ROLES), hint=suggestion(role, ORG_ROLES))


# -- contacts (ch. 5, 6) -----------------------------------------------------------------------------

@action(part="partners", by="teacher",
        platform="'Networking' > 'People' > 'Add as contact'", step="5b.people")
def send_contact_request(case: Case, name: str, world: World | None = None) -> Outcome:
    """'Add as contact' on a cast member. Cast members answer as world.yaml says: 'at_once' accepts
    immediately, 'next_day' when simulated time moves on, 'never' leaves it at request_sent."""
    world = (world or load_world())
    member = world.member(name)
    if member is None:
        raise ActionError(N_("{field}: '{value}' is not a teacher in the sandbox{hint}"), field="name", value=name,
                          hint=world.member_hint(name))
    refusal = gate(case, "add_partner", ACCOUNT, lambda c: None)
    if refusal:
        return refusal
    new = copy(case)
    drop_want(new, "add_partner")
    known = new.contact(name)
    if known is not None and known.status == "accepted":
        return done(new, name=name, status="accepted", already_contact=True)
    status = "accepted" if member.accepts == "at_once" or (known and known.status == "request_received") \
        else "request_sent"
    contact = Contact(name=name, country=member.country, status=status, validated=member.validated,
                      available_for_projects=member.available_for_projects)
    new.contacts = [c for c in new.contacts if c.name != name] + [contact]
    return done(new, name=name, status=status)


@action(part="partners", by="teacher", platform="'Notifications' > 'Accept'", step="5a.notifications")
def accept_contact_request(case: Case, name: str) -> Outcome:
    """Accept a request under 'Notifications' (ch. 5a step 1)."""
    new = copy(case)
    contact = new.contact(name)
    if contact is None or contact.status != "request_received":
        waiting = [c.name for c in new.contacts if c.status == "request_received"]
        raise ActionError(N_("{field}: no contact request from '{value}' is waiting; requests waiting: {known}"),
                          field="name", value=name, known=waiting)
    contact.status = "accepted"
    return done(new, name=name)


@action(part="partners", by="partner", phrase=N_("Your partner ticks 'Available for eTwinning project'"))
def partner_sets_available(case: Case, name: str) -> Outcome:
    """A simulated partner ticks 'Available for eTwinning project' (what the fix asks them to do)."""
    new = copy(case)
    _known_contact(new, name).available_for_projects = True
    return done(new, name=name)


@action(part="partners", by="nso", phrase=N_("Your partner's NSO validates them"))
def partner_validated(case: Case, name: str) -> Outcome:
    """A simulated partner's NSO validates them."""
    new = copy(case)
    _known_contact(new, name).validated = True
    return done(new, name=name)


def _known_contact(case: Case, name: str) -> Contact:
    contact = case.contact(name)
    if contact is None:
        names = [c.name for c in case.contacts]
        raise ActionError(N_("{field}: '{value}' is not among the contacts {known}{hint}"), field="name", value=name,
                          known=names, hint=suggestion(name, names))
    return contact



@action(part="partners", by="teacher", phrase=N_("Open the platform in another browser"))
def switch_browser(case: Case, browser: str) -> Outcome:
    """The tip of ch. 3c: 'Probeer eens een andere browser. Wat niet lukt in Microsoft Edge, lukt soms wel met
    Google Chrome.' The sandbox records the browser the teacher now uses."""
    allowed = get_args(Browser)
    if browser not in allowed:
        raise ActionError(f"browser '{browser}': expected one of {', '.join(allowed)}")
    new = copy(case)
    new.person.browser = browser  # type: ignore[assignment]
    return done(new, browser=browser)
