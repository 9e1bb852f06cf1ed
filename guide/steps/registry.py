"""The rule registry: every rule of docs/RULES.md as a small pure function of the case, by id.

A rule returns a Result: pass, fail or not_applicable, with the facts its fix needs. It never
formats prose; the fix text lives in content/<lang>/rules.yaml under the rule's id, one text per
declared variant when the rule declares `variants`.

The acting order of findings is explicit: the areas in AREAS, and in each area its rules in the order
its module defines them. Which module happens to be imported first changes nothing.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from ..case.model import Case
from ..errors import GuideError, suggestion

Status = Literal["fail", "pass", "not_applicable"]
Severity = Literal["blocker", "warning", "info", "tip"]
SEVERITIES: tuple[Severity, ...] = ("blocker", "warning", "info", "tip")
#: The handbook's areas in the order a teacher acts in; each is a module of guide/steps holding its rules.
AREAS: tuple[str, ...] = ("account", "profile", "partners", "project", "twinspace", "labels")
#: Who can fix a finding (shared/RULES.md, version 2): the teacher, their partner (a contact), their school,
#: their National Support Organisation, the Central Support Service, ESEP's Contact and support team.
Actor = Literal["teacher", "partner", "school", "nso", "css", "esep_support"]
ACTORS: tuple[Actor, ...] = ("teacher", "partner", "school", "nso", "css", "esep_support")


class Country(str):
    """A country code in a rule's facts: the fix shows the country's name in the reader's language."""


class Term(str):
    """A key into content/<lang>/terms.yaml (a field name, an option): shown in the reader's language."""


@dataclass(frozen=True)
class Because:
    """A name from the case with the reason that applies to it: 'Anna Kowalska (reason in words)'."""

    name: str
    reason: Term


@dataclass(frozen=True)
class Count:
    """A number of things in a fix, e.g. Count(1, "projects") -> '1 project' / '1 project', Count(2, ...) ->
    '2 projects' / '2 projecten' by the language's CLDR plural rules (Babel). None: the case does not say,
    shown as the term's 'unknown' form ('an unknown number of projects'), never as 0."""

    n: int | None
    term: str


@dataclass(frozen=True)
class Result:
    """What a rule found. `variant` picks one of several fix texts (e.g. duplicate-account option).

    `actor` overrides the rule's declared actor for this result (a co-founder invitation waits for the
    teacher or for their partner); `who` names the people who must act, `until` the day we wait for.
    """

    status: Status
    facts: Mapping[str, Any] = field(default_factory=dict)
    variant: str | None = None
    actor: Actor | None = None
    who: tuple[str, ...] = ()
    until: dt.date | None = None

    def by(self, actor: Actor | None = None, who: Any = (), until: dt.date | None = None) -> Result:
        """The same result with who acts: `fail(...).by("partner", who=names)`."""
        names = (who,) if isinstance(who, str) else tuple(who)
        return replace(self, actor=actor or self.actor, who=names or self.who, until=until or self.until)


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
    actor: Actor = "teacher"  # who can fix it, unless a result says otherwise

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
         actor: Actor, variants: tuple[str, ...] = ()) -> Callable[[Callable[[Case], Result]], Callable[[Case], Result]]:
    """Register a check under its public id (docs/RULES.md), in the area of the module defining it, with
    who can fix it (`actor`, RULES.md version 2).

    `variants`: the fix texts it chooses between (a failing result names one); none means one fix text.
    """

    def register(fn: Callable[[Case], Result]) -> Callable[[Case], Result]:
        if rule_id in _registered:
            raise ValueError(f"rule '{rule_id}' registered twice")
        if actor not in ACTORS:
            raise ValueError(f"rule '{rule_id}': actor '{actor}' is not one of {', '.join(ACTORS)}")
        area = fn.__module__.rpartition(".")[2]
        if area not in AREAS:
            raise ValueError(f"rule '{rule_id}' is defined in {fn.__module__}, which is not an area of AREAS "
                             f"{AREAS}{suggestion(area, AREAS)}")
        global _ordered
        _registered[rule_id] = Rule(rule_id, severity, chapter, fn, area, len(_registered), tuple(variants), actor)
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
