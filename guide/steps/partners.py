"""Rules for partners and contacts: finding a partner abroad, contact requests (handbook ch. 5, 6)."""

from __future__ import annotations

from ..case.model import Case, home_country
from .registry import NOT_APPLICABLE, PASS, Result, fail, passed_if, rule


@rule("contacts.request_pending", severity="warning", chapter="5")
def request_pending(case: Case) -> Result:
    named = {c.name for p in case.projects for c in p.cofounders}
    if not named:
        return NOT_APPLICABLE
    waiting = [c.name for c in case.contacts if c.name in named and c.status == "request_sent"]
    return passed_if(not waiting, names=waiting)


@rule("partners.none", severity="tip", chapter="6")
def no_partner_abroad(case: Case) -> Result:
    if not case.wants_any("create_project"):
        return NOT_APPLICABLE
    home = home_country(case)
    # Without the teacher's own country any accepted contact abroad-or-not counts: we cannot tell.
    abroad = [c for c in case.contacts if c.status == "accepted" and (home is None or (c.country and c.country != home))]
    return PASS if abroad else fail()
