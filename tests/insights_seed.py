"""A seeded insights store: known counts over several days, some under 5, for the store, page and
screenshot tests. Every key is a real content id (rules, parts, complaints, questions, answers)."""

from __future__ import annotations

import datetime as dt

from guide.store import insights

DAY = dt.date(2026, 11, 2)        # the period's first day
DAYS = [DAY + dt.timedelta(days=i) for i in range(3)]

#: (source, rule id): count per day of DAYS (summed over the period below)
RULES = {
    ("sandbox", "project.cofounder_not_contact"): (5, 4, 3),         # 12
    ("sandbox", "profile.not_available"): (3, 3, 2),                 # 8
    ("sandbox", "school.not_validated"): (1, 1, 1),                  # 3: '< 5'
    ("selfcheck", "account.pending_validation"): (4, 2, 1),          # 7
    ("selfcheck", "eu_login.unconfirmed"): (1, 0, 1),                # 2: '< 5'
    ("workshop", "partners.not_in_cofounder_list"): (9, 0, 0),       # 9
    ("workshop", "project.awaiting_nso"): (6, 0, 0),                 # 6
    ("troubleshooter", "eu_login.unconfirmed"): (2, 2, 2),           # 6
    ("troubleshooter", "account.not_joined"): (0, 1, 0),             # 1: '< 5'
}
#: part: (started, done) over the period
FUNNEL = {"account": (40, 31), "profile": (29, 22), "partners": (21, 12), "project": (11, 6),
          "twinspace": (4, 2)}
#: part: {minutes: participants}
MINUTES = {"account": {6: 3, 8: 4, 11: 2}, "profile": {9: 2, 12: 3, 20: 1}, "partners": {14: 2, 18: 1}}
#: (complaint, ((question, answer), ...)): conversations that ended in an e-mail
ESCALATED = {
    ("cannot_log_in", (("has_eu_login", "yes"), ("eu_login_confirmed", "no"))): 7,
    ("registration_not_approved", (("joined", "yes"), ("policies", "yes"), ("account_status", "rejected"))): 5,
    ("two_accounts", (("both_emails_known", "old_unknown"), ("main_account_id", "value"))): 2,
}
OUTSIDE = DAY - dt.timedelta(days=1)  # counts on this day are outside the period


def seed(engine, first: dt.date = DAY) -> None:
    """The counts above on the three days from `first`, and 100 more the day before (outside the period)."""
    days = [first + dt.timedelta(days=i) for i in range(3)]
    for (source, rule), per_day in RULES.items():
        for day, n in zip(days, per_day, strict=True):
            if n:
                insights.add(engine, day, source, "rule", rule, n)
    for part, (started, done) in FUNNEL.items():
        insights.add(engine, days[0], "sandbox", "started", part, started - 1)
        insights.add(engine, days[1], "workshop", "started", part, 1)
        insights.add(engine, days[2], "selfcheck", "done", part, done)
    for part, histogram in MINUTES.items():
        for minutes, n in histogram.items():
            insights.add(engine, days[1], "workshop", "minutes", f"{part}/{minutes}", n)
    for (complaint, steps), n in ESCALATED.items():
        insights.add(engine, days[2], "troubleshooter", "escalated", insights.path_key(complaint, steps), n)
    insights.add(engine, first - dt.timedelta(days=1), "sandbox", "rule", "project.cofounder_not_contact", 100)
