"""Simulated ESEP actions for login, account, profile, school and contacts, and the registry of all actions.

Every action is a pure function `(case, **args) -> Outcome`. Where the platform refuses, the refusal
is decided by the rule that `diagnose` reports for that situation (see outcome.gate), so the sandbox
and the diagnosis never disagree. Where the handbook is silent, the choice is written next to the code.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from ..errors import suggestion
from . import projects
from .case import Account, Case, Contact, EuLogin, Organisation, Profile, SchoolSearch
from .clock import pass_days, ready_for_nso, validation_due
from .outcome import ACCOUNT, JOINED, ActionError, Outcome, copy, done, drop_want, gate, with_want
from .photo import photo_of
from .world import World, load_world

#: The account number the handbook's screenshots show ('Join eTwinning #2124634'): the first new id.
FIRST_ACCOUNT_ID = 2124634
ORG_ROLES = ("teacher", "head", "librarian", "company_staff", "other")


def _world(world: World | None) -> World:
    return world or load_world()


def _account_index(case: Case) -> int:
    """Index of the account the teacher is logged in with (the first live one)."""
    current = case.account
    if current is None:
        raise ActionError("there is no account yet: run register_account first")
    return case.accounts.index(current)


def _check_email(email: str) -> str:
    email = email.strip()
    if "@" not in email or email.startswith("@") or email.endswith("@"):
        raise ActionError(f"'{email}' is not an e-mail address (expected name@example.org)")
    return email


# -- EU Login and the platform account (ch. 1, 2) ---------------------------------------------------

def create_eu_login(case: Case, email: str, email_kind: str | None = None) -> Outcome:
    """'Create EU Login': a new EU Login replaces the one the case holds (the teacher logs in with it)."""
    if email_kind not in (None, "private", "school"):
        raise ActionError(f"email_kind '{email_kind}': expected 'private' or 'school'")
    new = copy(case)
    old = case.eu_login.email if case.eu_login else None
    new.eu_login = EuLogin(email=_check_email(email), email_kind=email_kind, confirmed=False)  # type: ignore[arg-type]
    return done(new, email=new.eu_login.email, replaced=old)


def confirm_eu_login(case: Case) -> Outcome:
    """Click the link in the e-mail and set a password (ch. 1b step 5)."""
    refusal = gate(case, None, ("eu_login.missing",), lambda c: None)
    if refusal:
        return refusal
    new = copy(case)
    assert new.eu_login is not None
    new.eu_login.confirmed = True
    return done(new)


def register_account(case: Case, email: str) -> Outcome:
    """'Register on this platform with EU login' (ch. 2 steps 1-3), with the EU Login's e-mail.

    An account with the same e-mail already there: the platform logs you into it (no second account).
    Another e-mail (an account imported from the old platform) does not stop a new registration: that
    is how duplicate accounts arise (ch. 4), and diagnose then reports account.duplicate.
    """
    email = _check_email(email)
    existing = next((a for a in case.live_accounts if a.email.casefold() == email.casefold()), None)
    if existing is not None and case.eu_login and case.eu_login.confirmed:
        return done(copy(case), account_id=existing.id, already_registered=True)
    new_id = max([FIRST_ACCOUNT_ID - 1, *(a.id or 0 for a in case.accounts)]) + 1
    account = Account(id=new_id, email=email, origin="new", status="pending")

    def build(c: Case) -> None:
        c.accounts = [*c.accounts, account]

    def focus(c: Case) -> None:
        c.accounts = [account]

    refusal = gate(case, None, ("eu_login.missing", "eu_login.unconfirmed", "account.email_mismatch"),
                   build, focus, email=email)
    if refusal:
        return refusal
    new = copy(case)
    build(new)
    return done(new, account_id=new_id)


def join_etwinning(case: Case) -> Outcome:
    """Click 'Join eTwinning' / 'Aansluiten bij eTwinning' (ch. 2 step 4): the profile form opens."""
    refusal = gate(case, None, ACCOUNT, lambda c: None)
    if refusal:
        return refusal
    new = copy(case)
    new.accounts[_account_index(new)].joined_etwinning = True
    if new.profile is None:
        new.profile = Profile()
    return done(new)


def accept_policies(case: Case) -> Outcome:
    """Tick 'I declare that I have read and agree to the eTwinning Privacy Policy and ... Code of Conduct'."""
    refusal = gate(case, None, JOINED, lambda c: None)
    if refusal:
        return refusal
    new = copy(case)
    new.accounts[_account_index(new)].policies_accepted = True
    return done(new)


#: 'School toevoegen*' is a required field of the registration form (ch. 3a), so no school, no submit.
SUBMIT_NEEDS = (*JOINED, "account.policies_not_accepted", "school.missing")


def submit_registration(case: Case) -> Outcome:
    """'Voltooien' (ch. 3b step 8): the registration goes to the NSO, dated the sandbox's today."""
    refusal = gate(case, None, SUBMIT_NEEDS, lambda c: None)
    if refusal:
        return refusal
    new = copy(case)
    account = new.accounts[_account_index(new)]
    if account.status == "validated":
        return done(new, already_validated=True)
    account.status = "pending"
    account.submitted_on = new.judged_on
    if new.today is None:  # fix the sandbox's clock, so that the due date stays meaningful
        new.today = new.judged_on
    return done(new, submitted_on=account.submitted_on, due=validation_due(account, new.person.country))


def advance_clock(case: Case, days: int, world: World | None = None) -> Outcome:
    """Let `days` days pass: NSOs validate after 2 working days, cast members answer (see clock.py)."""
    if not isinstance(days, int) or isinstance(days, bool) or days < 1:
        raise ActionError(f"days: expected a whole number of days, 1 or more, got {days!r}")
    new = copy(case)
    facts = pass_days(new, days, _world(world))
    return done(new, **facts)


def nso_validate(case: Case) -> Outcome:
    """A trainer's command: the NSO validates the submitted registration now instead of in 2 working days."""
    refusal = gate(case, None, SUBMIT_NEEDS, lambda c: None)
    if refusal:
        return refusal
    new = copy(case)
    account = new.accounts[_account_index(new)]
    if not ready_for_nso(account):
        raise ActionError(f"account {account.id} is '{account.status}', not waiting for validation")
    account.status = "validated"
    return done(new, account_id=account.id)


def deactivate_account(case: Case, account_id: int | None = None) -> Outcome:
    """'Edit profile' -> 'Deactivate profile' (ch. 4). An account whose e-mail the teacher no longer
    knows cannot be logged into, so only the NSO can remove it: refused by account.old_email_unknown."""
    new = copy(case)
    index = _account_index(new) if account_id is None else _find_account(new, account_id)
    if not new.accounts[index].email_known:
        refusal = gate(case, "delete_account", ("account.old_email_unknown",), lambda c: None,
                       account_id=new.accounts[index].id)
        if refusal:
            return refusal
    new.accounts[index].status = "deactivated"
    drop_want(new, "delete_account")
    return done(new, account_id=new.accounts[index].id)


def nso_remove_account(case: Case, account_id: int) -> Outcome:
    """A trainer's command: the NSO removes an account (the way out when its e-mail is forgotten, ch. 4)."""
    new = copy(case)
    index = _find_account(new, account_id)
    new.accounts = [a for i, a in enumerate(new.accounts) if i != index]
    drop_want(new, "delete_account")
    return done(new, account_id=account_id)


def _find_account(case: Case, account_id: int) -> int:
    for i, account in enumerate(case.accounts):
        if account.id == account_id:
            return i
    known = [a.id for a in case.accounts]
    raise ActionError(f"no account with id {account_id}; the case has {known}")


# -- profile (ch. 3) ---------------------------------------------------------------------------------

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


def set_available(case: Case, available: bool) -> Outcome:
    """Tick or untick 'Available for eTwinning project' (ch. 2 step 5, ch. 3a step 2)."""
    refusal = gate(case, None, JOINED, lambda c: None)
    if refusal:
        return refusal
    new = copy(case)
    new.profile = new.profile or Profile()
    new.profile.available_for_projects = bool(available)
    return done(new, available=bool(available))


def upload_photo(case: Case, data: bytes, filename: str = "") -> Outcome:
    """'Afbeelding uploaden': one file, 10 MB limit, png gif jpg jpeg, judged on the bytes (photo.py).

    Only the type and size are kept; a refused upload leaves the previous photo in place.
    """
    if not isinstance(data, bytes | bytearray):
        raise ActionError(f"data: expected the file's bytes, got {type(data).__name__}")
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

def search_schools(case: Case, city: str, country: str | None = None, world: World | None = None) -> Outcome:
    """Search the directory by city or municipality; the case records whether the school list was empty."""
    results = _world(world).search_schools(city, country)
    new = copy(case)
    new.school_search = SchoolSearch(city=city.strip(), found=bool(results))
    return done(new, results=results)


def add_organisation(case: Case, school_id: int, role: str = "", world: World | None = None) -> Outcome:
    """'Add organisation'. The directory lists validated and non-validated entries and the platform
    lets you pick either: the handbook only tells the teacher to choose the 'eTwinning Validated' one
    (ch. 3a step 4). A non-validated school is added; diagnose then reports school.not_validated."""
    school = _world(world).school(school_id)
    if school is None:
        raise ActionError(f"school_id {school_id} is not in the sandbox's school directory")
    _check_role(role, allow_empty=True)
    refusal = gate(case, None, JOINED, lambda c: None)
    if refusal:
        return refusal
    new = copy(case)
    if any(o.id == school_id for o in new.organisations):
        return done(new, school=school.name, already_added=True)
    new.organisations = [*new.organisations, Organisation(
        id=school.id, name=school.name, city=school.city, country=school.country,
        etwinning_validated=school.etwinning_validated, role=role)]  # type: ignore[arg-type]
    if new.person.country is None:  # the teacher's country is their school's country
        new.person.country = school.country
    drop_want(new, "change_school")
    return done(new, school=school.name, validated=school.etwinning_validated)


def leave_organisation(case: Case, school_id: int) -> Outcome:
    """'Organisations' -> three dots -> 'leave organisation' (ch. 3c step 5)."""
    refusal = gate(case, None, JOINED, lambda c: None)
    if refusal:
        return refusal
    new = copy(case)
    _org_index(new, school_id)
    new.organisations = [o for o in new.organisations if o.id != school_id]
    return done(new)


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
    raise ActionError(f"school_id {school_id} is not on the profile; it has {[o.id for o in case.organisations]}")


def _check_role(role: str, allow_empty: bool = False) -> None:
    if role in ORG_ROLES or (allow_empty and role == ""):
        return
    raise ActionError(f"role '{role}': expected one of {', '.join(ORG_ROLES)}{suggestion(role, ORG_ROLES)}")


# -- contacts (ch. 5, 6) -----------------------------------------------------------------------------

def send_contact_request(case: Case, name: str, world: World | None = None) -> Outcome:
    """'Add as contact' on a cast member. Cast members answer as world.yaml says: 'at_once' accepts
    immediately, 'next_day' when simulated time moves on, 'never' leaves it at request_sent."""
    world = _world(world)
    member = world.member(name)
    if member is None:
        raise ActionError(f"'{name}' is not a teacher in the sandbox{world.member_hint(name)}")
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


def accept_contact_request(case: Case, name: str) -> Outcome:
    """Accept a request under 'Notifications' (ch. 5a step 1)."""
    new = copy(case)
    contact = new.contact(name)
    if contact is None or contact.status != "request_received":
        waiting = [c.name for c in new.contacts if c.status == "request_received"]
        raise ActionError(f"no contact request from '{name}' is waiting; requests waiting: {waiting}")
    contact.status = "accepted"
    return done(new, name=name)


def partner_sets_available(case: Case, name: str) -> Outcome:
    """A simulated partner ticks 'Available for eTwinning project' (what the fix asks them to do)."""
    new = copy(case)
    _known_contact(new, name).available_for_projects = True
    return done(new, name=name)


def partner_validated(case: Case, name: str) -> Outcome:
    """A simulated partner's NSO validates them."""
    new = copy(case)
    _known_contact(new, name).validated = True
    return done(new, name=name)


def _known_contact(case: Case, name: str) -> Contact:
    contact = case.contact(name)
    if contact is None:
        names = [c.name for c in case.contacts]
        raise ActionError(f"'{name}' is not among the contacts {names}{suggestion(name, names)}")
    return contact


# -- the registry ---------------------------------------------------------------------------------------

cofounder_options = projects.cofounder_options

ACTIONS: dict[str, Callable[..., Outcome]] = {
    fn.__name__: fn for fn in (
        create_eu_login, confirm_eu_login, register_account, join_etwinning, accept_policies,
        submit_registration, advance_clock, nso_validate, deactivate_account, nso_remove_account,
        edit_profile, set_available, upload_photo,
        search_schools, add_organisation, leave_organisation, set_role,
        send_contact_request, accept_contact_request, partner_sets_available, partner_validated,
        *projects.PROJECT_ACTIONS,
    )
}

#: Commands a workshop trainer (or the simulated platform) gives, not the teacher.
TRAINER_ACTIONS = frozenset({
    "advance_clock", "nso_validate", "nso_remove_account", "partner_sets_available", "partner_validated",
    "cofounder_accepts", "nso_approve", "css_approve_group", "award_label",
})


def apply(case: Case, action_name: str, **args: Any) -> Outcome:
    """Run an action by name (for the UI and the workshop board)."""
    fn = ACTIONS.get(action_name)
    if fn is None:
        raise ActionError(f"unknown sandbox action '{action_name}'{suggestion(action_name, ACTIONS)}")
    try:
        inspect.signature(fn).bind(case, **args)
    except TypeError as exc:  # wrong or missing argument names: say which action and which arguments
        raise ActionError(f"{action_name}: {exc}") from None
    return fn(case, **args)


__all__ = ["ACTIONS", "TRAINER_ACTIONS", "ActionError", "Outcome", "apply", "cofounder_options", "with_want"]
