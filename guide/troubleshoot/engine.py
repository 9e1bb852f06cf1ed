"""The question engine: from a symptom and the answers so far, the next question, the case and the findings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..case.model import Case
from ..case.paths import MISSING, Builder
from ..content.loader import Content, load_content
from ..content.symptoms import Question, Symptom, Symptoms
from ..errors import GuideError
from ..steps.findings import Finding, check, diagnose

DONT_KNOW = "dont_know"


class UnknownSymptom(GuideError, KeyError):
    def __str__(self) -> str:
        return f"unknown symptom '{self.args[0]}'"


def symptoms_of(content: Content) -> Symptoms:
    return content.require("symptoms.yaml")


@dataclass(frozen=True)
class Given:
    """One answer: an answer id ('yes', 'dont_know' ...) or a typed value."""

    answer: str | None = None
    value: Any = None

    @property
    def dont_know(self) -> bool:
        return self.answer == DONT_KNOW


Answers = Mapping[str, Given]


def _holds(builder: Builder, path: str, expected: Any) -> bool:
    actual = builder.get(path)
    if expected == "unknown":
        return actual is MISSING
    if expected == "known":
        return actual is not MISSING
    if actual is MISSING:
        return False
    if isinstance(actual, list) and not isinstance(expected, list):
        return expected in actual           # a list of words holds the word
    if isinstance(actual, list):
        return bool(set(map(str, actual)) & set(map(str, expected))) or actual == expected
    if isinstance(expected, list):
        return actual in expected
    return actual == expected


def should_ask(question: Question, builder: Builder) -> bool:
    """Ask only when the ask_if facts hold and some fact the question settles is still unknown.

    A fact named in ask_if is left to ask_if: a question may refine a known fact ('the aims are filled in:
    are they abstract?').
    """
    if not all(_holds(builder, p, v) for p, v in question.ask_if.items()):
        return False
    settles = [p for p in question.paths if not p.endswith("[+]") and p not in question.ask_if]
    return not settles or any(not builder.known(p) for p in settles)


def apply(question: Question, given: Given, builder: Builder) -> None:
    if given.dont_know:
        return  # 'I don't know' settles nothing; the findings say what to check
    if given.answer is not None:
        chosen = question.answer(given.answer)
        if chosen is None:
            raise GuideError(f"question '{question.id}' has no answer '{given.answer}'")
        for path, value in chosen.sets.items():
            builder.set(path, value)
        return
    value = given.value
    if isinstance(value, dt.date):
        value = value.isoformat()
    if isinstance(value, str):
        value = value.strip()
    for path in question.path:
        builder.set(path, value)


@dataclass
class Walk:
    """Where a troubleshooting conversation stands."""

    symptom: Symptom
    asked: list[Question] = field(default_factory=list)   # in order, the questions that apply
    next: Question | None = None                          # the first unanswered one, None when done
    builder: Builder = field(default_factory=Builder)
    unknown: list[Question] = field(default_factory=list)  # answered 'I don't know'

    @property
    def done(self) -> bool:
        return self.next is None


def _start(symptom: Symptom, today: dt.date | None) -> Builder:
    builder = Builder()
    if today is not None:
        builder.data["today"] = today.isoformat()
    for path, value in symptom.sets.items():
        builder.set(path, value)
    return builder


def walk(symptoms: Symptoms, symptom_id: str, answers: Answers, today: dt.date | None = None) -> Walk:
    """Replay the answers in the symptom's order; answers to questions that no longer apply are ignored."""
    symptom = symptoms.symptom_by_id.get(symptom_id)
    if symptom is None:
        raise UnknownSymptom(symptom_id)
    questions = symptoms.question_by_id
    result = Walk(symptom, builder=_start(symptom, today))
    for qid in symptom.questions:
        question = questions[qid]
        if not should_ask(question, result.builder):
            continue
        given = answers.get(qid)
        if given is None or not _complete(question, given):
            result.next = question
            result.asked.append(question)
            break
        result.asked.append(question)
        if given.dont_know:
            result.unknown.append(question)
        apply(question, given, result.builder)
    result.builder.fill_names(symptoms.slots)
    _late_references(symptom, result.builder, symptoms.slots)
    return result


def _late_references(symptom: Symptom, builder: Builder, slot_names: dict[str, str]) -> None:
    """A complaint's fact that names a person of a slot ('projects[project].founder': '@contacts[partner].name')
    gets that person's name once the answers are in: the name typed anywhere for the slot, else its word."""
    for path, value in symptom.sets.items():
        if not (isinstance(value, str) and value.startswith("@")) or builder.known(path):
            continue
        name = builder.get(value[1:])
        if name is MISSING:
            name = builder.slot_name(value[1:], slot_names)
        if name is not None and name is not MISSING:
            builder.set(path, name)


def _complete(question: Question, given: Given) -> bool:
    if given.answer is not None:
        return given.answer == DONT_KNOW or question.answer(given.answer) is not None
    return given.value not in (None, "") and not (isinstance(given.value, str) and not given.value.strip())


def case_of(w: Walk) -> Case:
    return Case.model_validate(w.builder.data)


@dataclass(frozen=True)
class ToCheck:
    """A rule whose outcome hangs on an 'I don't know' answer, and what to look at to settle it."""

    question: Question
    rules: tuple[str, ...]
    titles: tuple[str, ...]


@dataclass
class Diagnosis:
    findings: list[Finding]       # the symptom's rules: failing first, blockers first
    to_check: list[ToCheck]

    @property
    def failing(self) -> list[Finding]:
        return [f for f in self.findings if f.status == "fail"]


def diagnosis(symptoms: Symptoms, w: Walk, lang: str, content: Content | None = None,
              escape: Any = None, case: Case | None = None) -> Diagnosis:
    """The findings of the symptom's rules on the case so far, and what 'I don't know' left open.
    `case`: the case to judge when it holds more than the answers (the hand-over's name, country ...)."""
    content = content or load_content(lang)
    kwargs = {"escape": escape} if escape is not None else {}
    case = case if case is not None else case_of(w)
    findings = diagnose(case, lang, content, rule_ids=list(w.symptom.rules), **kwargs)
    statuses = {f.rule: f.status for f in findings}
    titles = {f.rule: f.title for f in findings}
    open_checks: list[ToCheck] = []
    for question in w.unknown:
        depends = _depends_on(symptoms, w, question, statuses)
        if depends or not question.answers:
            open_checks.append(ToCheck(question, tuple(depends), tuple(titles[r] for r in depends)))
    return Diagnosis(findings, open_checks)


def _depends_on(symptoms: Symptoms, w: Walk, question: Question, statuses: dict[str, str]) -> list[str]:
    """Rules whose status would change with one of the question's answers: they hang on it."""
    rules = list(w.symptom.rules)
    out: list[str] = []
    for answer in question.answers:
        trial = w.builder.copy()
        for path, value in answer.sets.items():
            trial.set(path, value)
        trial.fill_names(symptoms.slots)
        try:
            results = check(Case.model_validate(trial.data), rules)
        except ValueError:
            continue
        for rid, res in results.items():
            if res.status != statuses.get(rid) and rid not in out:
                out.append(rid)
    return out
