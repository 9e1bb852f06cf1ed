"""The case's calendar: working days, and the one date the NSO answers a registration by.

The rules (`account.validation_pending`) and the simulator (`sandbox.clock`) both ask `validation_due`,
so the date a teacher is told and the day the sandbox validates are the same day.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from .model import Account, Case, home_country

#: 'Binnen 2 werkdagen krijg je bericht of je registratie werd goedgekeurd' (handbook ch. 3b step 9).
VALIDATION_WORKING_DAYS = 2


@lru_cache(maxsize=256)
def _holidays(country: str | None, year: int) -> frozenset[dt.date]:
    if not country:
        return frozenset()
    import holidays  # ~30 ms of import: only when a date needs a country's holidays

    try:
        return frozenset(holidays.country_holidays(country, years=year).keys())
    except NotImplementedError:  # a country the holidays package does not know: weekends only
        return frozenset()


def is_working_day(day: dt.date, country: str | None) -> bool:
    return day.weekday() < 5 and day not in _holidays(country, day.year)


def add_working_days(start: dt.date, days: int, country: str | None) -> dt.date:
    """The date `days` working days after `start` in `country` (weekends and public holidays skipped)."""
    day = start
    left = days
    while left > 0:
        day += dt.timedelta(days=1)
        if is_working_day(day, country):
            left -= 1
    return day


def validation_due(case: Case, account: Account) -> dt.date | None:
    """The day the NSO answers: 2 working days after submitting, in the teacher's country (the person's,
    else their school's); None while the registration was not submitted."""
    if account.submitted_on is None:
        return None
    return add_working_days(account.submitted_on, VALIDATION_WORKING_DAYS, home_country(case))


def ready_for_nso(account: Account) -> bool:
    """Submitted: joined, policies ticked, status pending (the NSO only sees finished registrations)."""
    return account.status == "pending" and account.joined_etwinning and account.policies_accepted
