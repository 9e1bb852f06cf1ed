"""Rules for the eTwinning profile, the school on it and the browser used to edit it (handbook ch. 2, 3)."""

from __future__ import annotations

from ..case.model import Case
from .facts import nso_facts
from .registry import NOT_APPLICABLE, PASS, Result, Term, fail, passed_if, rule

#: 'Slechts één bestand. 10 MB limiet. Toegestane types: png gif jpg jpeg' (ch. 3a step 6).
PHOTO_MAX_MB = 10
PHOTO_TYPES = ("png", "gif", "jpg", "jpeg")


# -- the profile (ch. 2 step 5, ch. 3a, 3b) ---------------------------------------------------------

@rule("profile.not_available", severity="blocker", chapter="3", actor="teacher")
def not_available(case: Case) -> Result:
    if case.profile is None:
        return NOT_APPLICABLE
    return passed_if(case.profile.available_for_projects)


@rule("school.not_found", severity="blocker", chapter="3", actor="nso", variants=("nso_city", "nso", "esep_city", "esep"))
def school_not_found(case: Case) -> Result:
    # Before anything else (ch. 3a step 4): registered first among the school rules.
    search = case.school_search
    if search is None:
        return NOT_APPLICABLE
    variant, facts = nso_facts(case)
    city = search.city.strip()
    return passed_if(search.found, f"{variant}_city" if city else variant, city=city, **facts)


@rule("school.missing", severity="blocker", chapter="3", actor="teacher")
def school_missing(case: Case) -> Result:
    # The school belongs to the platform account's profile: nothing to add it to without an account.
    if case.account is None:
        return NOT_APPLICABLE
    if not case.organisations and case.school_search is not None and not case.school_search.found:
        # One fact, one finding: the search found nothing, so 'search and add it' is not the teacher's next
        # step; school.not_found says it: contact the NSO before anything else (ch. 3a step 4).
        return NOT_APPLICABLE
    return passed_if(bool(case.organisations))


@rule("school.not_validated", severity="blocker", chapter="3", actor="teacher")
def school_not_validated(case: Case) -> Result:
    if not case.organisations:
        return NOT_APPLICABLE
    bad = [o.name for o in case.organisations if not o.etwinning_validated]
    return passed_if(not bad, school=bad)


@rule("school.company_staff_role", severity="warning", chapter="3", actor="teacher")
def company_staff_role(case: Case) -> Result:
    if not case.organisations:
        return NOT_APPLICABLE
    bad = [o for o in case.organisations if o.role in ("company_staff", "other")]
    return passed_if(not bad, school=[o.name for o in bad], role=[Term(f"org_{o.role}") for o in bad])


@rule("profile.incomplete", severity="warning", chapter="3", actor="teacher")
def incomplete(case: Case) -> Result:
    p = case.profile
    if p is None:
        return NOT_APPLICABLE
    missing = [Term(name) for name, empty in (
        ("description", not p.description.strip()),
        ("subjects", not p.subjects),
        ("languages", not p.languages),
        ("photo", p.photo is None),
    ) if empty]
    return passed_if(not missing, missing=missing)


@rule("profile.photo_rejected", severity="warning", chapter="3", actor="teacher", variants=("too_big", "wrong_type", "both"))
def photo_rejected(case: Case) -> Result:
    if case.profile is None or case.profile.photo is None:
        return NOT_APPLICABLE
    photo = case.profile.photo
    kind = photo.type.strip().lower().lstrip(".")
    too_big = photo.size_mb > PHOTO_MAX_MB
    wrong_type = kind not in PHOTO_TYPES
    if not (too_big or wrong_type):
        return PASS
    variant = "both" if too_big and wrong_type else "too_big" if too_big else "wrong_type"
    return fail(variant, size_mb=float(photo.size_mb), type=photo.type or Term("unknown"))


@rule("school.role_missing", severity="tip", chapter="3", actor="teacher")
def role_missing(case: Case) -> Result:
    if not case.organisations:
        return NOT_APPLICABLE
    bad = [o.name for o in case.organisations if not o.role]
    return passed_if(not bad, school=bad)


@rule("school.principal_outdated", severity="tip", chapter="3", actor="teacher")
def principal_outdated(case: Case) -> Result:
    if not case.organisations:
        return NOT_APPLICABLE
    bad = [o.name for o in case.organisations if not o.principal_up_to_date]
    return passed_if(not bad, school=bad)


@rule("school.change", severity="info", chapter="3", actor="teacher", variants=("school", "no_school"))
def change_school(case: Case) -> Result:
    if not case.wants_any("change_school"):
        return NOT_APPLICABLE
    if not case.organisations:
        return fail("no_school")
    return fail("school", school=[o.name for o in case.organisations])


@rule("browser.try_another", severity="tip", chapter="3", actor="teacher")
def try_another_browser(case: Case) -> Result:
    # Only when the teacher is stuck on one of the actions the handbook's TIP names (ch. 3c).
    if not case.wants_any("add_partner", "invite_members", "edit_profile") or case.person.browser is None:
        return NOT_APPLICABLE
    return passed_if(case.person.browser != "edge")
