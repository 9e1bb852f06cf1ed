"""Runs every rule on a case and words each result in the reader's language: the `diagnose` output."""

from __future__ import annotations

import datetime as dt
import re
import string
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from ..case.model import Case
from ..content.loader import Content, load_content
from ..content.models import RuleText
from ..errors import ContentError, Problem
from ..i18n import country_name, format_date, format_list
from .registry import SEVERITIES, Country, Result, Rule, Term, all_rules

STATUS_ORDER = {"fail": 0, "pass": 1, "not_applicable": 2}
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~])")


def escape_markdown(text: str) -> str:
    """User-supplied text (names, titles) inside Markdown: shown literally, never as links or HTML."""
    return _MD_SPECIAL.sub(r"\\\1", text)


@dataclass(frozen=True)
class Finding:
    rule: str
    status: str
    severity: str
    title: str
    fix: str
    chapter: str

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


def _fmt_value(value: Any, lang: str, terms: Mapping[str, str], escape: Callable[[str], str]) -> str:
    if isinstance(value, Country):
        return country_name(value, lang)
    if isinstance(value, Term):
        return terms.get(value, value)
    if isinstance(value, dt.date):
        return format_date(value, lang)
    if isinstance(value, list | tuple | set | frozenset):
        return format_list([_fmt_value(v, lang, terms, escape) for v in value], lang)
    if isinstance(value, bool):
        return terms.get("yes" if value else "no", str(value))
    if isinstance(value, int | float):
        return f"{value:g}" if isinstance(value, float) else str(value)
    return escape(str(value))


class _Facts(dict):
    """Formats facts lazily; a placeholder the rule did not supply stays visible as {name}."""

    def __init__(self, facts: Mapping[str, Any], lang: str, terms: Mapping[str, str], escape: Callable[[str], str]):
        super().__init__()
        self._facts, self._lang, self._terms, self._escape = facts, lang, terms, escape

    def __missing__(self, key: str) -> str:
        if key in self._facts:
            return _fmt_value(self._facts[key], self._lang, self._terms, self._escape)
        return "{" + key + "}"


def placeholders(text: str) -> set[str]:
    """The {names} a text uses."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def fill(template: str, facts: Mapping[str, Any], lang: str, terms: Mapping[str, str],
         escape: Callable[[str], str] = escape_markdown) -> str:
    return string.Formatter().vformat(template, (), _Facts(facts, lang, terms, escape))


def word(rule: Rule, result: Result, content: Content, escape: Callable[[str], str] = escape_markdown) -> Finding:
    """One rule's result as a Finding in the content's language."""
    text = content.rule_texts.get(rule.id)
    if text is None:  # lint reports missing fix texts; never crash a teacher's page over it
        return Finding(rule.id, result.status, rule.severity, rule.id, "", rule.chapter)
    fix = ""
    if result.status == "fail":
        fix = fill(fix_text(rule, result, text, content), result.facts, content.lang, content.terms, escape)
    elif result.status == "pass" and text.passed:
        fix = fill(text.passed, result.facts, content.lang, content.terms, escape)
    return Finding(rule.id, result.status, rule.severity, text.title, fix, rule.chapter)


def fix_text(rule: Rule, result: Result, text: RuleText, content: Content) -> str:
    """The fix for the variant the rule chose; its absence is a content error (lint reports it), never
    quietly another variant's text."""
    template = text.fix
    variant = result.variant
    if isinstance(template, str) and variant is None:
        return template
    if isinstance(template, dict) and variant in template:
        return template[variant]
    where = f"{content.root.name}/{content.lang}/rules.yaml"
    wanted = f"the variant '{variant}'" if variant else "one fix text (the rule declares no variants)"
    raise ContentError([Problem(where, f"rule '{rule.id}' needs {wanted} in its fix", None, f"rules.{rule.id}.fix")])


def check(case: Case, rule_ids: list[str] | None = None) -> dict[str, Result]:
    """Raw results of the given rules (default: all), without prose."""
    rules = all_rules()
    ids = rule_ids if rule_ids is not None else list(rules)
    return {rid: rules[rid](case) for rid in ids}


def sort_key(rule: Rule, status: str) -> tuple[int, int, int]:
    return (STATUS_ORDER[status], SEVERITIES.index(rule.severity), rule.order)


def diagnose(case: Case, lang: str, content: Content | None = None, rule_ids: list[str] | None = None,
             escape: Callable[[str], str] = escape_markdown) -> list[Finding]:
    """Every rule once: failing first, blockers -> warnings -> info -> tips, each group in acting order."""
    content = content or load_content(lang)
    rules = all_rules()
    results = check(case, rule_ids)
    ordered = sorted(results.items(), key=lambda kv: sort_key(rules[kv[0]], kv[1].status))
    return [word(rules[rid], res, content, escape) for rid, res in ordered]


def diagnose_json(case: Case, lang: str, content: Content | None = None) -> dict[str, Any]:
    findings = diagnose(case, lang, content, escape=lambda s: s)
    return {"version": 1, "lang": lang, "findings": [f.as_dict() for f in findings]}
