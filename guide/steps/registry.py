"""The rule registry: every rule of docs/RULES.md as a small pure function of the case, by id.

A rule returns a Result: pass, fail or not_applicable, with the facts its fix needs. It never
formats prose; the fix text lives in content/<lang>/rules.yaml under the rule's id, one text per
declared variant when the rule declares `variants`.

The acting order of findings is explicit: the areas in AREAS, and in each area its rules in the order
its module defines them. Which module happens to be imported first changes nothing.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from ..case.model import Case
from ..errors import GuideError, suggestion

Status = Literal["fail", "pass", "not_applicable"]
Severity = Literal["blocker", "warning", "info", "tip"]
SEVERITIES: tuple[Severity, ...] = ("blocker", "warning", "info", "tip")
#: The handbook's areas in the order a teacher acts in; each is a module of guide/steps holding its rules.
AREAS: tuple[str, ...] = ("account", "profile", "partners", "project", "twinspace", "labels")


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


class UndeclaredVariant(GuideError, ValueError):
    """A rule returned a fix variant it does not declare: a programming error, never shown as some other text."""


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    chapter: str
    check: Callable[[Case], Result]
    area: str  # the module of guide/steps that holds it (one of AREAS)
    seq: int  # registration sequence: within an area, the order its module defines its rules
    #: the fix texts a failing result can ask for (content/<lang>/rules.yaml has one text per variant)
    variants: tuple[str, ...] = ()

    @property
    def order(self) -> tuple[int, int]:
        """Acting order: the area's place in AREAS, then the rule's place in its module."""
        return (AREAS.index(self.area), self.seq)

    def __call__(self, case: Case) -> Result:
        result = self.check(case)
        if result.status == "fail" and result.variant not in (self.variants or (None,)):
            raise UndeclaredVariant(f"rule '{self.id}' returned variant {result.variant!r}; it declares "
                                    f"{list(self.variants) or 'none'}")
        return result


_registered: dict[str, Rule] = {}
_ordered: dict[str, Rule] | None = None  # built once, whole, then swapped in (sessions are threads)


class UnknownRule(GuideError, KeyError):
    def __str__(self) -> str:
        rid = self.args[0]
        return f"unknown rule id '{rid}'{suggestion(rid, all_rules())}"


def rule(rule_id: str, *, severity: Severity, chapter: str,
         variants: tuple[str, ...] = ()) -> Callable[[Callable[[Case], Result]], Callable[[Case], Result]]:
    """Register a check under its public id (docs/RULES.md), in the area of the module defining it.

    `variants`: the fix texts it chooses between (a failing result names one); none means one fix text.
    """

    def register(fn: Callable[[Case], Result]) -> Callable[[Case], Result]:
        if rule_id in _registered:
            raise ValueError(f"rule '{rule_id}' registered twice")
        area = fn.__module__.rpartition(".")[2]
        if area not in AREAS:
            raise ValueError(f"rule '{rule_id}' is defined in {fn.__module__}, which is not an area of AREAS "
                             f"{AREAS}{suggestion(area, AREAS)}")
        global _ordered
        _registered[rule_id] = Rule(rule_id, severity, chapter, fn, area, len(_registered), tuple(variants))
        _ordered = None
        return fn

    return register


def get_rule(rule_id: str) -> Rule:
    try:
        return all_rules()[rule_id]
    except KeyError:
        raise UnknownRule(rule_id) from None


def all_rules() -> dict[str, Rule]:
    """Every rule, in acting order (importing the area modules registers them)."""
    global _ordered
    ordered = _ordered
    if ordered is None:
        for area in AREAS:
            importlib.import_module(f"{__package__}.{area}")
        ordered = _ordered = dict(sorted(_registered.items(), key=lambda kv: kv[1].order))
    return ordered
