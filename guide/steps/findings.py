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
from ..content.models import Plural, RuleText
from ..errors import ContentError, Problem
from ..i18n import country_in_sentence, format_date, format_list, plural_category
from ..text import escape_markdown
from .registry import SEVERITIES, Because, Count, Country, Result, Rule, Term, all_rules

UNKNOWN = Term("unknown")  # a fact the case does not give (terms.yaml: unknown)

STATUS_ORDER = {"fail": 0, "pass": 1, "not_applicable": 2}

#: The keys of a finding in `diagnose --json` (contracts/case-v1.md, with `actor` from version 2).
JSON_KEYS = ("rule", "status", "severity", "title", "fix", "chapter", "actor")


@dataclass(frozen=True)
class Finding:
    rule: str
    status: str
    severity: str
    title: str
    fix: str
    chapter: str
    actor: str = "teacher"            # who can fix it: teacher, partner, school, nso, css, esep_support
    who: tuple[str, ...] = ()         # the people who must act (a partner's name), as the case gives them
    until: dt.date | None = None      # the day we wait for (validation due)

    def as_dict(self) -> dict[str, str]:
        data = asdict(self)
        return {key: data[key] for key in JSON_KEYS}


def _fmt_value(value: Any, lang: str, terms: Mapping[str, str], escape: Callable[[str], str]) -> str:
    if isinstance(value, Country):
        return country_in_sentence(value, lang)
    if isinstance(value, Term):
        found = terms.get(value, value)
        return found if isinstance(found, str) else str(value)
    if isinstance(value, Count):
        return format_count(value, lang, terms)
    if isinstance(value, Because):
        return f"{escape(value.name)} ({_fmt_value(value.reason, lang, terms, escape)})"
    if isinstance(value, dt.date):
        return format_date(value, lang)
    if isinstance(value, list | tuple | set | frozenset):
        return format_list([_fmt_value(v, lang, terms, escape) for v in value], lang)
    if isinstance(value, bool):
        return terms.get("yes" if value else "no", str(value))
    if isinstance(value, int | float):
        return f"{value:g}" if isinstance(value, float) else str(value)
    return escape(str(value))


def format_count(count: Count, lang: str, terms: Mapping[str, Any]) -> str:
    """'1 project' / '2 projecten' by CLDR plural rules; an unknown count in words, never 0."""
    forms = terms.get(count.term)
    if not isinstance(forms, Plural):
        return str(count.n) if count.n is not None else str(terms.get("unknown", "?"))
    if count.n is None:
        return str(forms.get("unknown") or terms.get("unknown", "?"))
    category = plural_category(count.n, lang)
    template = forms.get(category) or forms.get("other") or "{n}"
    return template.replace("{n}", str(count.n))


class _Facts(dict):
    """Formats facts lazily; a placeholder the rule did not supply stays visible as {name}."""

    def __init__(self, facts: Mapping[str, Any], lang: str, terms: Mapping[str, str], escape: Callable[[str], str]):
        super().__init__()
        self._facts, self._lang, self._terms, self._escape = facts, lang, terms, escape

    def __missing__(self, key: str) -> str:
        if key in self._facts:
            return _fmt_value(self._facts[key], self._lang, self._terms, self._escape)
        return "{" + key + "}"


def actor_line(finding: Finding, content: Content, escape: Callable[[str], str] = escape_markdown) -> str:
    """Who acts on a finding, in the reader's language: 'You can fix this', 'Only Anna Kowalska can do
    this', 'Waiting for your NSO until Monday 30 November at the latest'."""
    terms = content.terms
    lang = content.lang
    if finding.actor == "partner" and finding.who:
        forms = terms.get("actor_partner_named")
        names = format_list([escape(n) for n in finding.who], lang)
        if isinstance(forms, Plural):
            template = forms.get(plural_category(len(finding.who), lang)) or forms.other
            return template.replace("{names}", names).replace("{n}", str(len(finding.who)))
    if finding.actor == "nso" and finding.until is not None:
        template = terms.get("actor_nso_until")
        if isinstance(template, str):
            return template.replace("{date}", format_date(finding.until, lang, "EEEE d MMMM"))
    line = terms.get(f"actor_{finding.actor}")
    return line if isinstance(line, str) else finding.actor


def fill(template: str, facts: Mapping[str, Any], lang: str, terms: Mapping[str, str],
         escape: Callable[[str], str] = escape_markdown) -> str:
    """The template with the facts in the reader's language. A fact the case does not give, standing in
    brackets after what it names ('your name ({name})'), is left out with its brackets: 'your name', not
    'your name (unknown)', which in a list of what to send the NSO reads as something to send."""
    for key, value in facts.items():
        if isinstance(value, Term) and value == UNKNOWN:
            template = re.sub(r"[ \t]*\n?[ \t]*\(\{" + re.escape(key) + r"\}\)", "", template)
    return string.Formatter().vformat(template, (), _Facts(facts, lang, terms, escape))


def word(rule: Rule, result: Result, content: Content, escape: Callable[[str], str] = escape_markdown) -> Finding:
    """One rule's result as a Finding in the content's language."""
    text = content.rule_texts.get(rule.id)
    actor = result.actor or rule.actor
    if text is None:  # lint reports missing fix texts; never crash a teacher's page over it
        return Finding(rule.id, result.status, rule.severity, rule.id, "", rule.chapter, actor, result.who, result.until)
    fix = ""
    if result.status == "fail":
        template = fix_text(rule, result, text, content)
        fix = fill(template, result.facts, content.lang, content.terms, escape)
        if template.startswith("{names}"):  # people open the sentence: 'your partner' too ('Your partner has ...')
            fix = fix[:1].upper() + fix[1:]
    elif result.status == "pass" and text.passed:
        fix = fill(text.passed, result.facts, content.lang, content.terms, escape)
    return Finding(rule.id, result.status, rule.severity, text.title, fix, rule.chapter, actor, result.who,
                   result.until)


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


def sort_key(rule: Rule, status: str) -> tuple[int, int, tuple[int, int]]:
    return (STATUS_ORDER[status], SEVERITIES.index(rule.severity), rule.order)


def diagnose(case: Case, lang: str, content: Content | None = None, rule_ids: list[str] | None = None,
             escape: Callable[[str], str] = escape_markdown, results: Mapping[str, Result] | None = None) -> list[Finding]:
    """Every rule once: failing first, blockers -> warnings -> info -> tips, each group in acting order.
    `results`: check(case) when the caller has it already (the rules do not run again)."""
    content = content or load_content(lang)
    rules = all_rules()
    if results is None:
        results = check(case, rule_ids)
    elif rule_ids is not None:
        results = {rid: results[rid] for rid in rule_ids}
    ordered = sorted(results.items(), key=lambda kv: sort_key(rules[kv[0]], kv[1].status))
    return [word(rules[rid], res, content, escape) for rid, res in ordered]


def diagnose_json(case: Case, lang: str, content: Content | None = None) -> dict[str, Any]:
    findings = diagnose(case, lang, content, escape=lambda s: s)
    return {"version": 1, "lang": lang, "findings": [f.as_dict() for f in findings]}
