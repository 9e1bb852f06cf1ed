"""Working days: the NSO validates within 2 working days, skipping weekends and national holidays."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays


@lru_cache(maxsize=256)
def _holidays(country: str | None, year: int) -> frozenset[dt.date]:
    if not country:
        return frozenset()
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
