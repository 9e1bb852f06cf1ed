"""Rules for partners and contacts: finding a partner abroad, contact requests (handbook ch. 5, 6, 7)."""

from __future__ import annotations

from ..case.model import Case, Contact, home_country
from .registry import NOT_APPLICABLE, PASS, Because, Result, Term, fail, passed_if, rule


def abroad(case: Case, contact: Contact) -> bool:
    """A contact in another country (without the teacher's own country, any contact may be)."""
    home = home_country(case)
    return home is None or bool(contact.country and contact.country != home)


@rule("contacts.request_received", severity="warning", chapter="5", actor="teacher")
def request_received(case: Case) -> Result:
    # 'Meldingen / Notifications: ... Klik hier om contactaanvragen goed te keuren' (ch. 5a item 1).
    if not case.contacts:
        return NOT_APPLICABLE
    asked = [c.name for c in case.contacts if c.status == "request_received"]
    return passed_if(not asked, names=asked)


@rule("contacts.request_pending", severity="warning", chapter="5", actor="partner")
def request_pending(case: Case) -> Result:
    named = {c.name for p in case.projects for c in p.cofounders}
    if not named:
        return NOT_APPLICABLE
    waiting = [c.name for c in case.contacts if c.name in named and c.status == "request_sent"]
    return passed_if(not waiting, names=waiting).by(who=waiting)


@rule("partners.none", severity="tip", chapter="6", actor="teacher", variants=("none", "sent", "received"))
def no_partner_abroad(case: Case) -> Result:
    if not case.wants_any("create_project"):
        return NOT_APPLICABLE
    foreign = [c for c in case.contacts if abroad(case, c)]
    if any(c.status == "accepted" for c in foreign):
        return PASS
    # A request abroad that is not accepted yet: the partner is found, the contact is not made yet.
    sent = [c.name for c in foreign if c.status == "request_sent"]
    received = [c.name for c in foreign if c.status == "request_received"]
    if received:
        return fail("received", names=received)
    if sent:
        return fail("sent", names=sent).by("partner", who=sent)
    return fail("none")


#: Why a contact is not offered as co-founder (ch. 7a step 1, ch. 7c: only validated contacts who ticked
#: 'Available for eTwinning project' are in the list), in the order the teacher meets them.
def _not_offered(contact: Contact) -> Term | None:
    if contact.status == "request_sent":
        return Term("reason_request_sent")
    if contact.status == "request_received":
        return Term("reason_request_received")
    if not contact.validated:
        return Term("reason_not_validated")
    if not contact.available_for_projects:
        return Term("reason_not_available")
    return None


@rule("partners.not_in_cofounder_list", severity="info", chapter="7", actor="partner")
def not_in_cofounder_list(case: Case) -> Result:
    if not case.wants_any("create_project") or not case.contacts:
        return NOT_APPLICABLE
    missing = [(c, why) for c in case.contacts if (why := _not_offered(c)) is not None]
    if not missing:
        return PASS
    listed = [Because(c.name, why) for c, why in missing]
    theirs = [c.name for c, why in missing if why != "reason_request_received"]
    result = fail(contacts=listed)
    # Only requests the teacher must accept: the teacher acts; otherwise the partners do.
    return result.by("partner", who=theirs) if theirs else result.by("teacher")
