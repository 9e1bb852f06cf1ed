"""The handover: ticket summary (agent's language), e-mail to the NSO (teacher's language), case file."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import yaml

from ..case.model import Case, dump_case
from ..content.loader import load_content
from ..content.symptoms import Question, Symptoms
from ..i18n import country_name, format_date
from ..steps.findings import fill
from ..text import clean
from .engine import Diagnosis, Given, Walk, diagnosis, symptoms_of

_LINK = re.compile(r"\[([^\]]+)\]\(([^)]+)\)")
_MARKS = re.compile(r"(\*\*|__|`)")


def plain(markdown: str) -> str:
    """Markdown of a fix as plain text for a ticket or an e-mail: links keep their words (web links their URL)."""
    def link(m: re.Match[str]) -> str:
        text, url = m.group(1), m.group(2)
        return f"{text} ({url})" if url.startswith(("http://", "https://")) else text

    text = _MARKS.sub("", _LINK.sub(link, markdown)).strip()
    return "\n\n".join(_unwrap(par) for par in re.split(r"\n\s*\n", text))


def _unwrap(paragraph: str) -> str:
    """Content wraps long lines in YAML; in Markdown one newline is a space, so join them (list items stay)."""
    lines: list[str] = []
    for line in paragraph.splitlines():
        if lines and not re.match(r"\s*([-*] |\d+\. )", line):
            lines[-1] = f"{lines[-1]} {line.strip()}"
        else:
            lines.append(line.rstrip())
    return "\n".join(lines)


@dataclass(frozen=True)
class Teacher:
    """What the agent typed about the teacher for the handover; plain text, never rendered as HTML."""

    name: str = ""
    account_id: str = ""
    school: str = ""
    country: str | None = None
    tried: str = ""

    def __post_init__(self) -> None:  # typed by the agent or read from a case file: no invisible characters
        for name in ("name", "account_id", "school", "tried"):
            object.__setattr__(self, name, clean(getattr(self, name)))


def answer_text(question: Question, given: Given | None, symptoms: Symptoms, lang: str) -> str:
    """The answer as words in `symptoms`' language ('I don't know', the answer's label or the typed value)."""
    q = symptoms.question_by_id.get(question.id, question)
    if given is None:
        return symptoms.handover.not_given
    if given.dont_know:
        return symptoms.handover.dont_know
    if given.answer is not None:
        chosen = q.answer(given.answer)
        return chosen.label if chosen else given.answer
    if q.kind == "country" and isinstance(given.value, str):
        return country_name(given.value, lang)
    if isinstance(given.value, dt.date):
        return format_date(given.value, lang)
    return str(given.value).strip()


def _slot_names(symptoms: Symptoms, w: Walk) -> dict[str, str]:
    """{slot: the name the case gives it}: questions say 'Anna Kowalska', not 'your partner'."""
    names = dict(symptoms.slots)
    for loc, (_model, named) in w.builder.slots.items():
        items = w.builder._at(loc)
        for slot, index in named.items():
            for key in ("name", "title"):
                value = items[index].get(key)
                if isinstance(value, str) and value.strip() and value != symptoms.slots.get(slot):
                    names[slot] = value
    return names


def question_words(symptoms: Symptoms, w: Walk, question_id: str, lang: str,
                   escape: Callable[[str], str] = lambda s: s) -> str:
    """A question's text in `symptoms`' language with the names of the case filled in (escaped by `escape`)."""
    q = symptoms.question_by_id[question_id]
    names = {k: escape(v) for k, v in _slot_names(symptoms, w).items()}
    return fill(q.text, names, lang, {}, escape=clean)


@dataclass(frozen=True)
class Email:
    to: str               # '' when the country's NSO has no public address
    subject: str
    body: str
    contact_url: str      # the NSO's or ESEP's contact page

    @property
    def mailto(self) -> str:
        return f"mailto:{quote(self.to, safe='@')}?subject={quote(self.subject, safe='')}&body={quote(self.body, safe='')}"

    @property
    def text(self) -> str:
        """The e-mail as text to copy: address, subject, body."""
        head = [f"To: {self.to}"] if self.to else []
        return "\n".join([*head, f"Subject: {self.subject}", "", self.body])


def nso_address(country: str | None) -> tuple[str, str]:
    """(e-mail, contact page) of the country's NSO; ('', ESEP's contact page) when no public address is known."""
    from ..content.nso import esep_contact_url, nso_for

    contact = nso_for(country)
    if contact is None or not contact.email:
        return "", (contact.website if contact and contact.website else esep_contact_url())
    return contact.email, contact.website or esep_contact_url()


def _findings_text(d: Diagnosis, lang_symptoms: Symptoms, labels: dict[str, str], with_fix: bool) -> list[str]:
    out: list[str] = []
    for f in d.failing:
        sev = labels.get(f.severity, f.severity)
        out.append(f"- [{sev}] {plain(f.title)}")
        if with_fix and f.fix:
            out.extend(f"  {line}" for line in plain(f.fix).splitlines() if line.strip())
    for item in d.to_check:
        out.append(f"- ? {plain(lang_symptoms.question_by_id[item.question.id].hint)}")
    return out


def _answers_lines(symptoms: Symptoms, w: Walk, answers: dict[str, Given], lang: str) -> list[str]:
    return [f"- {question_words(symptoms, w, q.id, lang)} {answer_text(q, answers.get(q.id), symptoms, lang)}"
            for q in w.asked if q.id in answers and q is not w.next]


def email(w: Walk, answers: dict[str, Given], teacher: Teacher, teacher_lang: str) -> Email:
    """The prefilled e-mail to the teacher's NSO, in the teacher's language."""
    content = load_content(teacher_lang)
    symptoms = symptoms_of(content)
    h = symptoms.handover
    d = diagnosis(symptoms, w, teacher_lang, content, escape=clean)
    symptom = symptoms.symptom_by_id[w.symptom.id].title
    given = {k: (v.strip() or h.not_given) for k, v in
             {"name": teacher.name, "account_id": teacher.account_id, "school": teacher.school,
              "tried": teacher.tried}.items()}
    country = country_name(teacher.country, teacher_lang) if teacher.country else h.not_given
    findings = "\n".join(_findings_text(d, symptoms, h.summary_labels, with_fix=True)) or h.no_findings
    facts = {**given, "country": country, "symptom": symptom,
             "answers": "\n".join(_answers_lines(symptoms, w, answers, teacher_lang)) or h.not_given,
             "findings": findings}
    to, url = nso_address(teacher.country)
    subject = fill(h.email_subject, facts, teacher_lang, {}, escape=clean)
    body = fill(h.email_body, facts, teacher_lang, {}, escape=clean)
    if not to:
        body = fill(h.email_no_address, {"url": url}, teacher_lang, {}, escape=clean) + "\n\n" + body
    return Email(to, subject, body, url)


def summary(w: Walk, answers: dict[str, Given], teacher: Teacher, agent_lang: str, teacher_lang: str,
            today: dt.date | None = None) -> str:
    """The ticket summary in the agent's language; the advice given in the teacher's language."""
    agent = symptoms_of(load_content(agent_lang))
    teach_content = load_content(teacher_lang)
    teach = symptoms_of(teach_content)
    h, lab = agent.handover, agent.handover.summary_labels
    d_agent = diagnosis(agent, w, agent_lang, escape=clean)
    d_teacher = diagnosis(teach, w, teacher_lang, teach_content, escape=clean)

    def field_line(key: str, value: str) -> str:
        return f"{lab.get(key, key)}: {value.strip() or h.not_given}"

    day = today or dt.date.today()
    lines = [h.summary_title, "",
             field_line("date", format_date(day, agent_lang)),
             field_line("symptom", f"{agent.symptom_by_id[w.symptom.id].title} ({w.symptom.id})"),
             field_line("name", teacher.name),
             field_line("country", country_name(teacher.country, agent_lang) if teacher.country else ""),
             field_line("account", teacher.account_id),
             field_line("school", teacher.school),
             field_line("tried", teacher.tried),
             "", lab.get("answers", "answers") + ":",
             *(_answers_lines(agent, w, answers, agent_lang) or [f"- {h.not_given}"]),
             "", lab.get("findings", "findings") + ":",
             *(_findings_text(d_agent, agent, lab, with_fix=False) or [f"- {h.no_findings}"]),
             "", f"{lab.get('advice', 'advice')} ({teacher_lang}):",
             *(_findings_text(d_teacher, teach, teach.handover.summary_labels, with_fix=True)
               or [f"- {teach.handover.no_findings}"])]
    return "\n".join(lines) + "\n"


def case_file(w: Walk, answers: dict[str, Given], teacher: Teacher, agent_lang: str) -> str:
    """The case as a case-v1 file, with the conversation as YAML comments (comments are ignored when read)."""
    agent = symptoms_of(load_content(agent_lang))
    data: dict[str, Any] = yaml.safe_load(dump_case(_with_teacher(w, teacher)))
    head = [f"symptom: {w.symptom.id} ({agent.symptom_by_id[w.symptom.id].title})"]
    head += [f"{q.id}: {answers[q.id].answer or answers[q.id].value}" for q in w.asked
             if q.id in answers and q is not w.next]
    if teacher.tried.strip():
        head.append(f"tried: {teacher.tried.strip()}")
    comment = "".join(f"# {line}\n" for entry in head for line in str(entry).splitlines())
    return "# eTwinning troubleshooter\n" + comment + yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def _with_teacher(w: Walk, teacher: Teacher) -> Case:
    """The walk's case with the handover facts (name, country, account ID, school) written in."""
    from ..case.paths import Builder

    b = Builder(data=yaml.safe_load(yaml.safe_dump(w.builder.data)), slots=w.builder.slots)
    if teacher.name.strip():
        b.set("person.name", teacher.name.strip())
    if teacher.country:
        b.set("person.country", teacher.country)
    if teacher.account_id.strip().isdigit():
        b.set("accounts[main].id", int(teacher.account_id.strip()))
    if teacher.school.strip() and not b.known("organisations[school].name"):
        b.set("organisations[school].name", teacher.school.strip())
    return Case.model_validate(b.data)
