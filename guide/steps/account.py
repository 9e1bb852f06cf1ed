"""Rules for EU Login and the ESEP account: login, joining, validation, duplicates (handbook ch. 1, 2, 4)."""

from __future__ import annotations

from typing import Any

from ..case.calendar import ready_for_nso, validation_due
from ..case.model import ACTIVITY_KINDS, Account, Case, home_country
from .facts import NSO_VARIANTS, account_ref, nso_facts, school_name
from .registry import NOT_APPLICABLE, PASS, Count, Country, Result, Term, fail, passed_if, rule


def _submitted(case: Case) -> Account | None:
    """The registration the NSO has in its queue: pending, joined and the declaration ticked."""
    return next((a for a in case.live_accounts if ready_for_nso(a)), None)


# -- EU Login (ch. 1) -------------------------------------------------------------------------------

@rule("eu_login.missing", severity="blocker", chapter="1", actor="teacher")
def eu_login_missing(case: Case) -> Result:
    return passed_if(case.eu_login is not None)


@rule("eu_login.unconfirmed", severity="blocker", chapter="1", actor="teacher")
def eu_login_unconfirmed(case: Case) -> Result:
    if case.eu_login is None:
        return NOT_APPLICABLE
    return passed_if(case.eu_login.confirmed, email=case.eu_login.email or Term("your_address"))


@rule("account.login_problem", severity="blocker", chapter="2", actor="esep_support",
      variants=("only", "after_others", "only_no_address", "after_others_no_address"))
def login_problem(case: Case) -> Result:
    # 'Bij inlogproblemen kun je contact opnemen met het Contact- en Support Team op ESEP' (ch. 2 step 6).
    login = case.eu_login
    if login is None or not login.confirmed or login.can_log_in is None:
        return NOT_APPLICABLE  # no EU Login or not confirmed: those rules say what to do first
    if login.can_log_in:
        return PASS
    # Causes the handbook names come first; the support team is for what they do not explain.
    other_causes = (not case.accounts or email_mismatch(case).status == "fail"
                    or any(not a.email_known for a in case.live_accounts))
    variant = "after_others" if other_causes else "only"
    if not login.email:  # the case does not give the address: a sentence without it, not '(unknown)'
        return fail(f"{variant}_no_address")
    return fail(variant, email=login.email)


# -- the platform account (ch. 2) -------------------------------------------------------------------

@rule("account.missing", severity="blocker", chapter="2", actor="teacher")
def account_missing(case: Case) -> Result:
    if case.eu_login is None:
        return NOT_APPLICABLE
    return passed_if(bool(case.accounts))


@rule("account.email_mismatch", severity="blocker", chapter="2", actor="teacher")
def email_mismatch(case: Case) -> Result:
    # Judged on the live accounts as a whole: when one of them uses the EU Login's address, the other
    # one is a duplicate (account.duplicate) or an account whose address is forgotten, not a mismatch.
    login = case.eu_login.email.strip().lower() if case.eu_login else ""
    known = [a for a in case.live_accounts if a.email_known and a.email.strip()]
    if not login or not known:
        return NOT_APPLICABLE
    if any(a.email.strip().lower() == login for a in known):
        return PASS
    return fail(login_email=case.eu_login.email, account_email=[a.email for a in known])  # type: ignore[union-attr]


@rule("account.not_joined", severity="blocker", chapter="2", actor="teacher")
def not_joined(case: Case) -> Result:
    if case.account is None or case.account.status == "deactivated":
        return NOT_APPLICABLE
    return passed_if(case.account.joined_etwinning)


@rule("account.policies_not_accepted", severity="blocker", chapter="3", actor="teacher")
def policies_not_accepted(case: Case) -> Result:
    # The declaration is part of the form that follows 'Join eTwinning': not applicable before it.
    acc = case.account
    if acc is None or acc.status == "deactivated" or not acc.joined_etwinning:
        return NOT_APPLICABLE
    return passed_if(acc.policies_accepted)


@rule("account.rejected", severity="blocker", chapter="2", actor="nso", variants=NSO_VARIANTS)
def rejected(case: Case) -> Result:
    if case.account is None or case.account.status == "deactivated":
        return NOT_APPLICABLE
    variant, facts = nso_facts(case)
    return passed_if(case.account.status != "rejected", variant, account_id=account_ref(case.account),
                     school=school_name(case), **facts)


@rule("account.old_email_unknown", severity="blocker", chapter="4", actor="nso", variants=NSO_VARIANTS)
def old_email_unknown(case: Case) -> Result:
    if not case.live_accounts:
        return NOT_APPLICABLE
    lost = [a for a in case.live_accounts if not a.email_known]
    if not lost:
        return PASS
    variant, facts = nso_facts(case)
    return fail(variant, account_id=account_ref(lost[0]), name=case.person.name or Term("unknown"),
                school=school_name(case), **facts)


@rule("account.duplicate", severity="blocker", chapter="4", actor="teacher", variants=("unknown_email_nso", "unknown_email_esep", "option_1", "option_2"))
def duplicate(case: Case) -> Result:
    live = case.live_accounts
    if not case.accounts:
        return NOT_APPLICABLE
    if len(live) < 2:
        return PASS
    lost = next((a for a in live if not a.email_known), None)
    if lost is not None:
        # Without its e-mail address the teacher cannot log in to that account, so cannot delete it:
        # the handbook sends them to the NSO (FAQ 'Hoe verwijder ik mijn account?', ch. 4).
        keep = next((a for a in live if a is not lost and a.email_known), None)
        variant, facts = nso_facts(case)
        return fail(f"unknown_email_{variant}", remove_id=account_ref(lost), keep_id=account_ref(keep),
                    name=case.person.name or Term("unknown"), school=school_name(case), **facts).by("nso")
    old = next((a for a in live if a.origin == "imported"), None)
    new = next((a for a in live if a is not old), live[1])
    # Option 1 (keep the imported account) only when it has activity and the new one has none
    # ('veel activiteiten' on the old platform, the new one hardly used); otherwise option 2. With two
    # new accounts there is no imported one to keep: option 2's steps (delete the other) apply.
    if old is not None and has_activity(old) and has_no_activity(new):
        return fail("option_1", keep_id=account_ref(old), remove_id=account_ref(new),
                    old_activity=activity_of(old), new_activity=activity_of(new))
    old = old or next(a for a in live if a is not new)
    return fail("option_2", keep_id=account_ref(new), remove_id=account_ref(old),
                old_activity=activity_of(old), new_activity=activity_of(new))


#: What counts as activity for choosing an option (ch. 4: 'projecten, TwinSpaces etc.'; labels, see RULES v2).
OPTION_ACTIVITY = ("projects", "twinspaces", "labels")


def has_activity(account: Account) -> bool:
    known = account.activity.known()
    return any(known.get(k, 0) > 0 for k in OPTION_ACTIVITY)


def has_no_activity(account: Account) -> bool:
    """True when the case says so: some count given, and every given count zero (what the teacher reports
    as 'nothing on my new account'). Nothing given: not known, so not 'none'."""
    known = [n for k, n in account.activity.known().items() if k in OPTION_ACTIVITY]
    return bool(known) and all(n == 0 for n in known)


def activity_of(account: Account) -> Any:
    """The account's activity as the case gives it: '2 projecten en 1 label'; counts not given are named
    as unknown, never shown as 0."""
    known = account.activity.known()
    if not known:
        return Term("activity_unknown")
    if len(known) == len(ACTIVITY_KINDS) and not any(known.values()):
        return Term("no_activity")
    parts: list[Any] = [Count(n, kind) for kind, n in known.items()]
    if len(known) < len(ACTIVITY_KINDS):
        parts.append(Term("rest_unknown"))
    return parts


@rule("account.pending_validation", severity="info", chapter="3", actor="nso", variants=("country", "weekends", "no_date"))
def pending_validation(case: Case) -> Result:
    acc = _submitted(case)
    if acc is None:
        return NOT_APPLICABLE
    due = validation_due(case, acc)
    if due is None:
        return fail("no_date")
    if case.judged_on > due:
        return PASS  # overdue: account.validation_overdue takes over
    country = home_country(case)
    return fail("country" if country else "weekends", due_date=due, submitted_on=acc.submitted_on,
                country=Country(country or "")).by(until=due)


@rule("account.validation_overdue", severity="warning", chapter="2", actor="nso", variants=NSO_VARIANTS)
def validation_overdue(case: Case) -> Result:
    acc = _submitted(case)
    due = validation_due(case, acc) if acc is not None else None
    if acc is None or due is None:
        return NOT_APPLICABLE
    variant, facts = nso_facts(case)
    return passed_if(case.judged_on <= due, variant, due_date=due, submitted_on=acc.submitted_on,
                     account_id=account_ref(acc), school=school_name(case), **facts)


@rule("account.teacher_training", severity="warning", chapter="2", actor="nso", variants=NSO_VARIANTS)
def teacher_training(case: Case) -> Result:
    if "role" not in case.person.model_fields_set:  # not given: not known (the model's default is teacher)
        return NOT_APPLICABLE
    role = case.person.role
    variant, facts = nso_facts(case)
    return passed_if(role not in ("teacher_trainer", "student_teacher"), variant, role=Term(role), **facts)


@rule("account.deactivated", severity="info", chapter="4", actor="teacher")
def deactivated(case: Case) -> Result:
    if not case.accounts:
        return NOT_APPLICABLE
    return passed_if(bool(case.live_accounts), account_id=account_ref(case.accounts[0]))


@rule("eu_login.work_email", severity="tip", chapter="1", actor="teacher", variants=("address", "no_address"))
def work_email(case: Case) -> Result:
    if case.eu_login is None or case.eu_login.email_kind is None:
        return NOT_APPLICABLE
    if case.eu_login.email_kind != "school":
        return PASS
    # the troubleshooter asks which kind of address without asking the address itself
    return fail("address", email=case.eu_login.email) if case.eu_login.email else fail("no_address")


@rule("account.change_login_email", severity="info", chapter="3", actor="teacher")
def change_login_email(case: Case) -> Result:
    if not case.wants_any("change_login_email"):
        return NOT_APPLICABLE
    return fail()


@rule("account.delete", severity="info", chapter="4", actor="teacher", variants=NSO_VARIANTS)
def delete(case: Case) -> Result:
    if not case.wants_any("delete_account"):
        return NOT_APPLICABLE
    variant, facts = nso_facts(case)
    return fail(variant, **facts)
