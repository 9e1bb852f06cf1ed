"""Rules for groups, rooms and quality labels (handbook ch. 10, 12)."""

from __future__ import annotations

import datetime as dt

from ..case.model import Case
from .facts import is_national, is_self, led
from .registry import NOT_APPLICABLE, PASS, Result, fail, passed_if, rule

#: 'Dit label is twee jaar geldig' (ch. 12, eTwinning School Label).
SCHOOL_LABEL_YEARS = 2


def _years_later(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February -> 28 February
        return day.replace(year=day.year + years, day=28)


@rule("room.not_creator", severity="blocker", chapter="10", actor="partner")
def room_not_creator(case: Case) -> Result:
    if not case.wants_any("edit_room") or not case.rooms:
        return NOT_APPLICABLE
    others = [r for r in case.rooms if not is_self(case, r.creator)]
    creators = list(dict.fromkeys(r.creator for r in others if r.creator not in ("other", "")))
    return passed_if(not others, rooms=[r.title for r in others]).by(who=creators)


@rule("label.national_project", severity="blocker", chapter="12", actor="teacher")
def national_project(case: Case) -> Result:
    if not case.wants_any("apply_nql", "apply_eql"):
        return NOT_APPLICABLE
    judged = [(p, is_national(case, p)) for p in led(case)]  # founded or co-founded (RULES v2)
    judged = [(p, n) for p, n in judged if n is not None]
    if not judged:
        return NOT_APPLICABLE
    national = [p.title for p, n in judged if n]
    return passed_if(not national, project=national)


@rule("group.pending_css", severity="info", chapter="10", actor="css")
def group_pending(case: Case) -> Result:
    if not case.groups:
        return NOT_APPLICABLE
    pending = [g.title for g in case.groups if g.status == "pending"]
    return passed_if(not pending, groups=pending)


@rule("label.eql_not_requested", severity="info", chapter="12", actor="css")
def eql_not_requested(case: Case) -> Result:
    if not case.wants_any("apply_eql"):
        return NOT_APPLICABLE
    return fail()


@rule("label.school_label_expired", severity="info", chapter="12", actor="teacher")
def school_label_expired(case: Case) -> Result:
    dated = [lb.awarded_on for lb in case.labels if lb.kind == "school_label" and lb.awarded_on]
    if not dated:
        return NOT_APPLICABLE
    latest = max(dated)  # a newer school label replaces an older one
    expires = _years_later(latest, SCHOOL_LABEL_YEARS)
    if case.judged_on <= expires:
        return PASS
    return fail(awarded_on=latest, valid_until=expires)
