"""The rule registry: every rule of shared/RULES.md as a small pure function of the case, by id.

A rule returns a Result: pass, fail or not_applicable, with the facts its fix needs. It never
formats prose; the fix text lives in content/<lang>/rules.yaml under the rule's id.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from ..case.model import Case
from ..errors import GuideError, suggestion

Status = Literal["fail", "pass", "not_applicable"]
Severity = Literal["blocker", "warning", "info", "tip"]
SEVERITIES: tuple[Severity, ...] = ("blocker", "warning", "info", "tip")


class Country(str):
    """A country code in a rule's facts: the fix shows the country's name in the reader's language."""


class Term(str):
    """A key into content/<lang>/terms.yaml (a field name, an option): shown in the reader's language."""


@dataclass(frozen=True)
class Result:
    """What a rule found. `variant` picks one of several fix texts (e.g. duplicate-account option)."""

    status: Status
    facts: Mapping[str, Any] = field(default_factory=dict)
    variant: str | None = None


def fail(variant: str | None = None, **facts: Any) -> Result:
    return Result("fail", facts, variant)


PASS = Result("pass")
NOT_APPLICABLE = Result("not_applicable")


def passed_if(ok: bool, variant: str | None = None, **facts: Any) -> Result:
    """pass when ok, else fail with the facts."""
    return PASS if ok else Result("fail", facts, variant)


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    chapter: str
    check: Callable[[Case], Result]
    order: int  # registration order: within a severity group, the order a teacher acts on them

    def __call__(self, case: Case) -> Result:
        return self.check(case)


RULES: dict[str, Rule] = {}


class UnknownRule(GuideError, KeyError):
    def __str__(self) -> str:
        rid = self.args[0]
        return f"unknown rule id '{rid}'{suggestion(rid, RULES)}"


def rule(rule_id: str, *, severity: Severity, chapter: str) -> Callable[[Callable[[Case], Result]], Callable[[Case], Result]]:
    """Register a check under its public id (shared/RULES.md)."""

    def register(fn: Callable[[Case], Result]) -> Callable[[Case], Result]:
        if rule_id in RULES:
            raise ValueError(f"rule '{rule_id}' registered twice")
        RULES[rule_id] = Rule(rule_id, severity, chapter, fn, len(RULES))
        return fn

    return register


def get_rule(rule_id: str) -> Rule:
    all_rules()
    try:
        return RULES[rule_id]
    except KeyError:
        raise UnknownRule(rule_id) from None


def all_rules() -> dict[str, Rule]:
    """Every registered rule (importing the area modules registers them)."""
    from . import _areas  # noqa: F401  - registers the rules of every area

    return RULES


def today_of(case: Case) -> dt.date:
    return case.judged_on
