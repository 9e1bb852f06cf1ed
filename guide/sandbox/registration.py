"""Simulated ESEP actions for EU Login, the platform account and its validation (handbook ch. 1, 2, 4)."""

from __future__ import annotations

import unicodedata

from .. import LANGUAGES
from ..case.calendar import ready_for_nso, validation_due
from ..case.model import Account, Case, EuLogin, Profile
from ..content.world import World, load_world
from ..i18n import N_, translator
from .clock import pass_days
from .outcome import ACCOUNT, JOINED, ActionError, Outcome, copy, done, drop_want, gate
from .registry import action

#: The account number the handbook's screenshots show ('Join eTwinning #2124634'): the first new id.
FIRST_ACCOUNT_ID = 2124634

def _account_index(case: Case) -> int:
    """Index of the account the teacher is logged in with (the first live one)."""
    current = case.account
    if current is None:
        raise ActionError(N_("There is no account yet: register on the platform first."))
    return case.accounts.index(current)


def _check_email(email: str) -> str:
    email = email.strip()
    if "@" not in email or email.startswith("@") or email.endswith("@"):
        raise ActionError(N_("{field}: '{value}' is not an e-mail address (for example name@example.org)"),
                          field="email", value=email)
    return email


#: The kinds of e-mail address, and what a teacher may type for them in any language of the app
EMAIL_KINDS = ("private", "school")


def email_kind_of(typed: str | None) -> str | None:
    """'private' or 'school' from the word in any of the app's languages ('privé', 'Private', 'school');
    None stays None (not said). Anything else: a message naming the field and the words it takes."""
    if typed is None or typed in EMAIL_KINDS:
        return typed
    wanted = _plain_word(typed)
    for lang in LANGUAGES:
        gettext = translator(lang).gettext
        for kind in EMAIL_KINDS:
            if wanted in (_plain_word(kind), _plain_word(gettext(kind))):
                return kind
    raise ActionError(N_("{field}: '{value}' is neither 'private' nor 'school'"), field="email_kind", value=typed)


def _plain_word(text: str) -> str:
    """Lower case without accents: 'Privé' -> 'prive'."""
    decomposed = unicodedata.normalize("NFKD", text.strip().casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# -- EU Login and the platform account (ch. 1, 2) ---------------------------------------------------

@action(part="account", by="teacher",
        platform="'Create account' > 'Create EU Login'", step="1a.create-eu-login")
def create_eu_login(case: Case, email: str, email_kind: str | None = None) -> Outcome:
    """'Create EU Login': a new EU Login replaces the one the case holds (the teacher logs in with it)."""
    email_kind = email_kind_of(email_kind)
    new = copy(case)
    old = case.eu_login.email if case.eu_login else None
    new.eu_login = EuLogin(email=_check_email(email), email_kind=email_kind, confirmed=False)
    return done(new, email=new.eu_login.email, replaced=old)


@action(part="account", by="teacher",
        phrase=N_("The EU Login e-mail: click the link and choose a password"), step="1b.confirm-email")
def confirm_eu_login(case: Case) -> Outcome:
    """Click the link in the e-mail and set a password (ch. 1b step 5)."""
    refusal = gate(case, None, ("eu_login.missing",), lambda c: None)
    if refusal:
        return refusal
    new = copy(case)
    assert new.eu_login is not None
    new.eu_login.confirmed = True
    return done(new)


@action(part="account", by="teacher",
        platform="'Create account' > 'Register on this platform with EU login'", step="2.register-with-eu-login")
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


@action(part="account", by="teacher",
        platform="'Join eTwinning' ('Aansluiten bij eTwinning')", step="2.join-etwinning")
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


@action(part="profile", by="teacher",
        phrase=N_("Registration form: the declaration"), step="3a.accept-policies")
def accept_policies(case: Case) -> Outcome:
    """Tick 'I declare that I have read and agree to the eTwinning Privacy Policy and ... Code of Conduct'."""
    refusal = gate(case, None, JOINED, lambda c: None)
    if refusal:
        return refusal
    new = copy(case)
    new.accounts[_account_index(new)].policies_accepted = True
    return done(new)


#: 'School toevoegen*' is a required field of the registration form (ch. 3a), so no school, no submit.
SUBMIT_NEEDS = (*JOINED, "account.policies_not_accepted", "school.not_found", "school.missing")


def _school_on_form(case: Case) -> None:
    """The form needs a school: with one on the profile, an earlier search that found nothing is no reason to refuse."""
    if case.organisations:
        case.school_search = None


@action(part="profile", by="teacher", phrase=N_("Registration form: finish"), step="3b.finish")
def submit_registration(case: Case) -> Outcome:
    """'Voltooien' (ch. 3b step 8): the registration goes to the NSO, dated the sandbox's today."""
    refusal = gate(case, None, SUBMIT_NEEDS, lambda c: None, _school_on_form)
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
    return done(new, submitted_on=account.submitted_on, due=validation_due(new, account))


@action(part=None, by="clock", phrase=N_("Time passes"))
def advance_clock(case: Case, days: int, world: World | None = None) -> Outcome:
    """Let `days` days pass: NSOs validate after 2 working days, cast members answer (see clock.py)."""
    if not isinstance(days, int) or isinstance(days, bool) or days < 1:
        raise ActionError(N_("{field}: expected a whole number of days, 1 or more, got {value}"), field="days",
                          value=repr(days))
    new = copy(case)
    facts = pass_days(new, days, (world or load_world()))
    return done(new, **facts)


@action(part="profile", by="nso",
        phrase=N_("The NSO validates your registration now"), step="3b.wait-for-validation")
def nso_validate(case: Case) -> Outcome:
    """A trainer's command: the NSO validates the submitted registration now instead of in 2 working days."""
    refusal = gate(case, None, SUBMIT_NEEDS, lambda c: None, _school_on_form)
    if refusal:
        return refusal
    new = copy(case)
    account = new.accounts[_account_index(new)]
    if not ready_for_nso(account):
        raise ActionError(N_("Account {account} is '{status}', not waiting for validation."), account=account.id,
                          status=account.status)
    account.status = "validated"
    return done(new, account_id=account.id)


@action(part="account", by="teacher",
        platform="'My profile' > 'Edit profile' > 'Deactivate profile'", step="4-delete.deactivate-profile")
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


@action(part="account", by="nso", phrase=N_("The NSO removes an account"), step="4-delete.ask-nso")
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
    raise ActionError(N_("{field}: there is no account {value}; the accounts are {known}"), field="account_id",
                      value=account_id, known=known)



@action(part="account", by="support", phrase=N_("ESEP's Contact and support team solves the login problem"),
        step="2.contact-support")
def support_solves_login(case: Case) -> Outcome:
    """'Bij inlogproblemen kun je contact opnemen met het Contact- en Support Team op ESEP' (ch. 2 step 6):
    the team answers and logging in works again."""
    if case.eu_login is None or case.eu_login.can_log_in is not False:
        raise ActionError("no login problem is known in this sandbox")
    new = copy(case)
    assert new.eu_login is not None
    new.eu_login.can_log_in = True
    return done(new)
