"""Facts about the case that rules of more than one area read, and the facts a fix text names: who the
teacher is in a project, which projects they found or lead, whether a project's founders share a country,
and which NSO (or ESEP's contact page) a fix sends them to. One home, so that an area module holds only its
own rules and no area imports another."""

from __future__ import annotations

from typing import Any

from ..case.model import Account, Case, Contact, Project, home_country
from ..content.nso import esep_contact_url, nso_for
from .registry import Country, Term

# -- who the teacher is in a project (ch. 7, 11, 12) ----------------------------------------------------------

def is_self(case: Case, who: str) -> bool:
    return who == "self" or (bool(case.person.name) and who == case.person.name)


def founded(case: Case) -> list[Project]:
    """Projects the teacher founded."""
    return [p for p in case.projects if p.role == "founder" or is_self(case, p.founder)]


def registering(case: Case) -> list[Project]:
    """Founded projects not yet running: the 'Create project' form and what it sent off (ch. 7)."""
    return [p for p in founded(case) if p.status in ("draft", "pending")]


def founders_of(case: Case, project: Project) -> list[str]:
    """The names of a project's founder and co-founders, as the case gives them (not the teacher)."""
    names = [project.founder, *(c.name for c in project.cofounders)]
    return [n for n in names if n and not is_self(case, n)]


def led(case: Case) -> list[Project]:
    """Projects the teacher founded or co-founded."""
    return [p for p in case.projects if p.role in ("founder", "cofounder") or is_self(case, p.founder)
            or any(is_self(case, c.name) for c in p.cofounders)]


def countries_of(case: Case, project: Project) -> set[str] | None:
    """Countries of the founder and co-founders; None when one of them is not known."""
    people: list[str | None] = []
    if is_self(case, project.founder):
        people.append(home_country(case))
    else:
        contact = case.contact(project.founder)
        people.append(contact.country if contact else None)
    for cof in project.cofounders:
        contact = case.contact(cof.name)
        people.append(home_country(case) if is_self(case, cof.name) else contact.country if contact else None)
    if None in people:
        # the NSOs that must approve are the founders' countries: a second one there settles it
        return set(project.nso_approvals) if len(project.nso_approvals) > 1 else None
    return {c for c in people if c} | set(project.nso_approvals)


def is_national(case: Case, project: Project) -> bool | None:
    """True: every founder in one country; None: cannot tell (no co-founder yet, a country unknown)."""
    if not project.cofounders and len(project.nso_approvals) < 2:
        return None
    countries = countries_of(case, project)
    return None if countries is None else len(countries) == 1


def cofounder_contacts(case: Case) -> list[tuple[Project, str, Contact | None]]:
    """(project, co-founder name, contact or None) for every co-founder of a project being registered."""
    return [(p, c.name, case.contact(c.name)) for p in registering(case) for c in p.cofounders
            if not is_self(case, c.name)]


def founding_partners(case: Case) -> list[tuple[str, Contact | None]]:
    """(name, contact or None) of everyone the teacher founds a project with that is being set up: the
    co-founders of a project the teacher registers, and the founder of a draft the teacher is to co-found
    (ch. 7a step 1: founder and co-founder must be contacts of each other)."""
    names = [name for _, name, _ in cofounder_contacts(case)]
    names += [p.founder for p in case.projects if p.role == "cofounder" and p.status == "draft"
              and p.founder and not is_self(case, p.founder)]
    return [(name, case.contact(name)) for name in dict.fromkeys(names)]


# -- what a fix text names ------------------------------------------------------------------------------------

#: The two fixes that send a teacher to their NSO (see nso_facts).
NSO_VARIANTS = ("nso", "esep")


def nso_facts(case: Case) -> tuple[str, dict[str, Any]]:
    """(variant, facts) for a fix that sends the teacher to their NSO: 'nso' when its address is on file,
    else 'esep' (ESEP's page listing every NSO)."""
    country = home_country(case)
    contact = nso_for(country)
    if country is None or contact is None:
        return "esep", {"esep_url": esep_contact_url()}
    return "nso", {"country": Country(country), "nso_name": contact.name, "nso_email": contact.email,
                   "nso_phone": contact.phone, "nso_website": contact.website}


def school_name(case: Case) -> Any:
    return case.organisations[0].name if case.organisations else Term("unknown")


def account_ref(account: Account | None) -> Any:
    return str(account.id) if account is not None and account.id is not None else Term("unknown")


def title_of(project: Project) -> Any:
    return project.title.strip() or Term("untitled_project")
