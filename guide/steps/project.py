"""Rules for registering, running and closing a project (handbook ch. 7a-7c, 11, 12)."""

from __future__ import annotations

import re

from ..case.model import Case
from .facts import (
    cofounder_contacts,
    countries_of,
    founded,
    founders_of,
    founding_partners,
    is_national,
    is_self,
    registering,
    title_of,
)
from .registry import NOT_APPLICABLE, PASS, Country, Result, Term, fail, passed_if, rule

#: 'For titles, use letters or numbers, not symbols such as "< > *"' (ch. 7b form). Ordinary punctuation
#: (- , . : ! ? ' & + and brackets) stays allowed: the handbook's own titles and 'Erasmus+' use it.
TITLE_SYMBOLS = set("<>*#{}[]|\\^~=$%@")
SCHOOL_YEAR = re.compile(r"(?<!\d)20\d\d\s*[-/–]\s*(?:20)?\d\d(?!\d)")
#: Phrases the form calls 'too abstract' (ch. 7b, 'Aims'), in English and Dutch.
ABSTRACT_AIMS = ("european dimension", "intercultural communication", "europese dimensie",
                 "interculturele communicatie")
FIELDS = ("title", "short_description", "aims", "work_process", "expected_results")


# -- before 'Create project' (ch. 7a) -------------------------------------------------------------------

@rule("project.founder_not_validated", severity="blocker", chapter="7", actor="nso")
def founder_not_validated(case: Case) -> Result:
    if not (case.wants_any("create_project") or registering(case)):
        return NOT_APPLICABLE
    return passed_if(case.account is not None and case.account.status == "validated")


@rule("project.cofounder_not_contact", severity="blocker", chapter="7", actor="teacher", variants=("not_contact", "received"))
def cofounder_not_contact(case: Case) -> Result:
    named = founding_partners(case)
    if not named:
        return NOT_APPLICABLE
    strangers = [name for name, contact in named if contact is None]
    received = [name for name, contact in named if contact is not None and contact.status == "request_received"]
    # One cause, one action: not a contact yet -> send a request; their request -> accept it (ch. 5a item 1,
    # ch. 7a step 1). A request the teacher sent is contacts.request_pending's (one fact, one finding).
    if strangers:
        return fail("not_contact", names=strangers)
    if received:
        return fail("received", names=received)
    if any(contact is not None and contact.status == "request_sent" for _, contact in named):
        return NOT_APPLICABLE
    return PASS


@rule("project.cofounder_not_validated", severity="blocker", chapter="7", actor="partner")
def cofounder_not_validated(case: Case) -> Result:
    known = [(name, c) for _, name, c in cofounder_contacts(case) if c is not None]
    if not known:
        return NOT_APPLICABLE
    bad = [name for name, c in known if not c.validated]
    return passed_if(not bad, names=bad).by(who=bad)


@rule("project.cofounder_not_available", severity="blocker", chapter="7", actor="partner")
def cofounder_not_available(case: Case) -> Result:
    known = [(name, c) for _, name, c in cofounder_contacts(case) if c is not None]
    if not known:
        return NOT_APPLICABLE
    bad = [name for name, c in known if not c.available_for_projects]
    return passed_if(not bad, names=bad).by(who=bad)


# -- the form (ch. 7b) ------------------------------------------------------------------------------------

@rule("project.title_symbols", severity="blocker", chapter="7", actor="teacher")
def title_symbols(case: Case) -> Result:
    projects = [p for p in registering(case) if p.title.strip()]
    if not projects:
        return NOT_APPLICABLE
    for p in projects:
        found = sorted({ch for ch in p.title if ch in TITLE_SYMBOLS})
        if found:
            return fail(project=p.title, symbols=found)
    return PASS


@rule("project.missing_fields", severity="blocker", chapter="7", actor="teacher")
def missing_fields(case: Case) -> Result:
    projects = registering(case)
    if not projects:
        return NOT_APPLICABLE
    for p in projects:
        empty = [Term(f) for f in FIELDS if not str(getattr(p, f)).strip()]
        if empty:
            return fail(project=title_of(p), fields=empty)
    return PASS


@rule("project.national_only", severity="warning", chapter="12", actor="teacher")
def national_only(case: Case) -> Result:
    judged = [(p, is_national(case, p)) for p in case.projects]
    judged = [(p, national) for p, national in judged if national is not None]
    if not judged:
        return NOT_APPLICABLE
    national = [p for p, n in judged if n]
    if not national:
        return PASS
    countries = countries_of(case, national[0]) or set()
    return fail(project=[p.title for p in national], country=Country(next(iter(countries), "")))


@rule("project.invitation_pending", severity="warning", chapter="7", actor="partner", variants=("partner", "self"))
def invitation_pending(case: Case) -> Result:
    with_cofounders = [p for p in case.projects if p.cofounders and p.status != "closed"]
    if not with_cofounders:
        return NOT_APPLICABLE
    for p in with_cofounders:
        pending = [c.name for c in p.cofounders if c.invitation == "pending"]
        if not pending:
            continue
        if p.role == "cofounder":  # the invitation waits for the teacher themselves
            return fail("self", project=p.title).by("teacher")
        return fail("partner", project=p.title, names=pending).by(who=pending)
    return PASS


@rule("project.invitation_declined", severity="blocker", chapter="12", actor="nso")
def invitation_declined(case: Case) -> Result:
    # The founder and co-founder cannot be changed afterwards (ch. 12 LET OP): the NSO knows how to go on.
    with_cofounders = [p for p in case.projects if p.cofounders and p.status != "closed"]
    if not with_cofounders:
        return NOT_APPLICABLE
    for p in with_cofounders:
        declined = [c.name for c in p.cofounders if c.invitation == "declined" and not is_self(case, c.name)]
        if declined:
            return fail(project=title_of(p), names=declined)
    return PASS


@rule("project.awaiting_nso", severity="info", chapter="7", actor="nso", variants=("countries", "unknown"))
def awaiting_nso(case: Case) -> Result:
    pending = [p for p in case.projects if p.status == "pending"]
    if not pending:
        return NOT_APPLICABLE
    for p in pending:
        if not p.nso_approvals:
            return fail("unknown", project=p.title)
        waiting = [Country(c) for c, v in p.nso_approvals.items() if v == "pending"]
        if waiting:
            return fail("countries", project=p.title, countries=waiting)
    return PASS


@rule("project.not_submitted", severity="blocker", chapter="7", actor="teacher")
def not_submitted(case: Case) -> Result:
    # 'Klik op Next ... Lees de Review ... klik op Create' (ch. 7c step 6): until then nothing is sent.
    mine = founded(case)
    if not case.wants_any("create_project") or not mine:
        return NOT_APPLICABLE
    drafts = [p for p in mine if p.status == "draft"]
    return passed_if(not drafts, project=title_of(drafts[0]) if drafts else "")


@rule("project.founders_final", severity="info", chapter="12", actor="teacher", variants=("named", "none"))
def founders_final(case: Case) -> Result:
    drafts = [p for p in founded(case) if p.status == "draft"]
    if not drafts:
        return NOT_APPLICABLE
    p = drafts[0]
    names = [c.name for c in p.cofounders]
    return fail("named" if names else "none", project=title_of(p), names=names)


@rule("project.title_without_year", severity="tip", chapter="7", actor="teacher")
def title_without_year(case: Case) -> Result:
    repeated = [p for p in case.projects if p.repeat_next_year and p.status != "closed" and p.title.strip()]
    if not repeated:
        return NOT_APPLICABLE
    bare = [p for p in repeated if not SCHOOL_YEAR.search(p.title)]
    if not bare:
        return PASS
    # School years start in August/September in the participating countries (NL: mid-August):
    # from August on, suggest the year that starts now.
    today = case.judged_on
    start = today.year if today.month >= 8 else today.year - 1
    return fail(project=bare[0].title, school_year=f"{start}-{start + 1}")


@rule("project.abstract_aims", severity="tip", chapter="7", actor="teacher")
def abstract_aims(case: Case) -> Result:
    projects = [p for p in registering(case) if p.aims.strip()]
    if not projects:
        return NOT_APPLICABLE
    for p in projects:
        aims = p.aims.lower()
        if any(phrase in aims for phrase in ABSTRACT_AIMS):
            return fail(project=title_of(p))
    return PASS


# -- closing and reopening (ch. 11) ---------------------------------------------------------------------

@rule("project.close_not_founder", severity="blocker", chapter="11", actor="partner", variants=("named", "unnamed"))
def close_not_founder(case: Case) -> Result:
    open_projects = [p for p in case.projects if p.status != "closed"]
    if not case.wants_any("close_project") or not open_projects:
        return NOT_APPLICABLE
    member_of = [p for p in open_projects if p.role == "member"]
    if not member_of:
        return PASS
    leads = list(dict.fromkeys(name for p in member_of for name in founders_of(case, p)))
    return fail("named" if leads else "unnamed", project=[p.title for p in member_of],
                founders=leads).by(who=leads)


@rule("project.reopen", severity="info", chapter="11", actor="teacher")
def reopen(case: Case) -> Result:
    if not case.wants_any("reopen_project"):
        return NOT_APPLICABLE
    return fail()
