"""Rules for partners and contacts: finding a partner abroad, contact requests (handbook ch. 5, 6, 7)."""

from __future__ import annotations

from ..case.model import Case, Contact, home_country
from .facts import founding_partners
from .registry import NOT_APPLICABLE, PASS, Because, Result, Term, fail, passed_if, rule

# One fact, one finding (the fidelity review: one pending request gave four findings). A contact request or a
# co-founder who cannot be chosen is reported by the narrowest rule that reads it; the others step aside
# (not_applicable; they still pass when nothing is wrong). Severities are those of RULES.md.
#   no contact, no request, with a (co-)founder   -> project.cofounder_not_contact ('Add as contact')
#   the teacher's request to a (co-)founder       -> contacts.request_pending (the partner approves it)
#   a (co-)founder's request to the teacher       -> project.cofounder_not_contact (approve it under the bell)
#   any other request waiting for the teacher     -> contacts.request_received
#   a co-founder not validated / not available    -> project.cofounder_not_validated / _not_available
#   any other contact who cannot be chosen        -> partners.not_in_cofounder_list
#   no contact abroad at all                      -> partners.none (not while a request abroad is on its way)
# "(Co-)founder": a co-founder of a project the teacher registers, or the founder of a draft the teacher is to
# co-found (facts.founding_partners).


def abroad(case: Case, contact: Contact) -> bool:
    """A contact in another country (without the teacher's own country, any contact may be)."""
    home = home_country(case)
    return home is None or bool(contact.country and contact.country != home)


def _founding_with(case: Case) -> set[str]:
    """The names of the people the teacher founds a project with (the project rules speak for them)."""
    return {name for name, _ in founding_partners(case)}


@rule("contacts.request_received", severity="warning", chapter="5", actor="teacher")
def request_received(case: Case) -> Result:
    # 'Meldingen / Notifications: ... Klik hier om contactaanvragen goed te keuren' (ch. 5a item 1).
    if not case.contacts:
        return NOT_APPLICABLE
    asked = [c.name for c in case.contacts if c.status == "request_received"]
    others = [name for name in asked if name not in _founding_with(case)]
    if asked and not others:
        return NOT_APPLICABLE  # a (co-)founder's request: project.cofounder_not_contact says it
    return passed_if(not others, names=others)


@rule("contacts.request_pending", severity="warning", chapter="5", actor="partner")
def request_pending(case: Case) -> Result:
    # Founder and co-founder must be contacts (ch. 7a step 1): the partner approves under 'Notifications'.
    named = {c.name for p in case.projects for c in p.cofounders} | _founding_with(case)
    if not named:
        return NOT_APPLICABLE
    waiting = [c.name for c in case.contacts if c.name in named and c.status == "request_sent"]
    return passed_if(not waiting, names=waiting).by(who=waiting)


@rule("partners.none", severity="tip", chapter="6", actor="teacher", variants=("none",))
def no_partner_abroad(case: Case) -> Result:
    if not case.wants_any("create_project"):
        return NOT_APPLICABLE
    foreign = [c for c in case.contacts if abroad(case, c)]
    if any(c.status == "accepted" for c in foreign):
        return PASS
    if foreign:
        # A request abroad either way: the partner is found; the request rules name them and what to do.
        return NOT_APPLICABLE
    return fail("none")


#: Why a contact is not offered as co-founder (ch. 7a step 1, ch. 7c: only validated contacts who ticked
#: 'Available for eTwinning project' are in the list), in the order the teacher meets them.
def _not_offered(contact: Contact) -> Term | None:
    if contact.status == "request_sent":
        return Term("reason_request_sent")
    if not contact.validated:
        return Term("reason_not_validated")
    if not contact.available_for_projects:
        return Term("reason_not_available")
    return None


@rule("partners.not_in_cofounder_list", severity="info", chapter="7", actor="partner")
def not_in_cofounder_list(case: Case) -> Result:
    if not case.wants_any("create_project") or not case.contacts:
        return NOT_APPLICABLE
    # Contacts another rule names are left to it: the (co-)founders (project.cofounder_*,
    # contacts.request_pending) and requests the teacher received (contacts.request_received).
    spoken_for = _founding_with(case)
    not_offered = [c for c in case.contacts if c.status == "request_received" or _not_offered(c) is not None]
    if not not_offered:
        return PASS
    missing = [(c, why) for c in not_offered if c.name not in spoken_for and c.status != "request_received"
               and (why := _not_offered(c)) is not None]
    if not missing:
        return NOT_APPLICABLE  # every contact left out is named by another rule
    listed = [Because(c.name, why) for c, why in missing]
    return fail(contacts=listed).by("partner", who=[c.name for c, _ in missing])
