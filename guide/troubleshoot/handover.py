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
from ..steps.findings import actor_line, fill
from ..text import clean
from .engine import Diagnosis, Given, Walk, diagnosis, symptoms_of, walk

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
            if index >= len(items):  # the list was emptied by a later answer ('never had a label')
                continue
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


#: 'Did this fix it?' for each fix the agent gave: the answers, in this order.
OUTCOMES = ("not_tried", "solved", "not_solved")
#: Actors the teacher reaches alone (their own steps, their partner, their school): a reply is enough.
TEACHER_SIDE = ("teacher", "partner", "school")


def _today(w: Walk) -> dt.date | None:
    day = w.builder.data.get("today")
    return dt.date.fromisoformat(day) if isinstance(day, str) else None


def _in(lang: str, w: Walk, answers: dict[str, Given]) -> tuple[Symptoms, Walk]:
    """The complaint's words in `lang`, and the conversation replayed in them (names of unnamed things too)."""
    symptoms = symptoms_of(load_content(lang))
    return symptoms, walk(symptoms, w.symptom.id, answers, _today(w))


def judged(w: Walk, answers: dict[str, Given], teacher: Teacher, lang: str) -> Diagnosis:
    """The complaint's findings in `lang`, on the case the hand-over saves (answers plus the typed facts)."""
    symptoms, lw = _in(lang, w, answers)
    return diagnosis(symptoms, lw, lang, escape=clean, case=handover_case(lw, teacher))


@dataclass(frozen=True)
class Route:
    """Where the case goes, following who acts on what is still open."""

    reply: bool                 # the teacher can act (alone, with their partner or school): a reply with steps
    emails: tuple[str, ...]     # 'nso' and/or 'esep_support' when they must act


def route(d: Diagnosis, outcomes: dict[str, str] | None = None) -> Route:
    """Reply to the teacher when they can act; e-mail the NSO when it must act, when a fix the teacher tried
    did not solve it, or when nothing explains the problem; e-mail ESEP support for what only it can do."""
    outcomes = outcomes or {}
    failing = d.failing
    still = [f for f in failing if outcomes.get(f.rule) != "solved"]
    emails: list[str] = []
    if (any(f.actor == "nso" for f in still) or not failing
            or any(outcomes.get(f.rule) == "not_solved" and f.actor in TEACHER_SIDE for f in failing)):
        emails.append("nso")
    if any(f.actor == "esep_support" for f in still):
        emails.append("esep_support")
    return Route(any(f.actor in TEACHER_SIDE for f in still), tuple(emails))


def _findings_lines(d: Diagnosis, symptoms: Symptoms, content, outcomes: dict[str, str],
                    with_fix: bool, only: tuple[str, ...] | None = None) -> list[str]:
    h = symptoms.handover
    out: list[str] = []
    for f in d.failing:
        if only is not None and (f.actor not in only or outcomes.get(f.rule) == "solved"):
            continue
        sev = h.summary_labels.get(f.severity, f.severity)
        done = outcomes.get(f.rule)
        mark = f" ({h.outcomes[done]})" if done in h.outcomes and done != "not_tried" else ""
        out.append(f"- [{sev}] {plain(f.title)}{mark}")
        out.append(f"  {actor_line(f, content, escape=clean)}")
        if with_fix and f.fix:
            out.extend(f"  {line}" for line in plain(f.fix).splitlines() if line.strip())
    if only is None:
        for item in d.to_check:
            out.append(f"- ? {plain(symptoms.question_by_id[item.question.id].hint)}")
    return out


def _answers_lines(symptoms: Symptoms, w: Walk, answers: dict[str, Given], lang: str) -> list[str]:
    return [f"- {question_words(symptoms, w, q.id, lang)} {answer_text(q, answers.get(q.id), symptoms, lang)}"
            for q in w.asked if q.id in answers and q is not w.next]


def _given(teacher: Teacher, country: str | None) -> dict[str, str]:
    """The hand-over facts the agent actually typed (or the case holds): nothing else is written in."""
    facts = {"name": teacher.name.strip(), "account_id": teacher.account_id.strip(), "school": teacher.school.strip(),
             "country": country or ""}
    return {k: v for k, v in facts.items() if v}


def _country(w: Walk, teacher: Teacher) -> str | None:
    return teacher.country or w.builder.data.get("person", {}).get("country")


def email(w: Walk, answers: dict[str, Given], teacher: Teacher, teacher_lang: str, to: str = "nso",
          outcomes: dict[str, str] | None = None) -> Email:
    """The e-mail to the teacher's NSO (or to ESEP's Contact and support team), wholly in the teacher's
    language, with only the facts given; what is not known is left to add before sending."""
    content = load_content(teacher_lang)
    symptoms, tw = _in(teacher_lang, w, answers)
    h = symptoms.handover
    outcomes = outcomes or {}
    d = diagnosis(symptoms, tw, teacher_lang, content, escape=clean, case=handover_case(tw, teacher))
    country = _country(w, teacher)
    given = _given(teacher, country)
    lab = h.summary_labels
    facts = [f"{lab['name']}: {given['name']}" if "name" in given else "",
             f"{lab['account']}: {given['account_id']}" if "account_id" in given else "",
             f"{lab['school']}: {given['school']}" if "school" in given else "",
             f"{lab['country']}: {country_name(country, teacher_lang)}" if country else ""]
    facts = [line for line in facts if line]
    if teacher.tried.strip():
        facts.append(f"{lab['tried']}: {teacher.tried.strip()}")
    symptom = symptoms.symptom_by_id[w.symptom.id].title
    values = {"greeting": h.greeting_esep if to == "esep_support" else h.greeting_nso, "symptom": symptom,
              "facts": "\n".join(facts),
              "answers": "\n".join(_answers_lines(symptoms, tw, answers, teacher_lang)) or h.not_given,
              "findings": "\n".join(_findings_lines(d, symptoms, content, outcomes, with_fix=True)) or h.no_findings,
              "signature": f",\n{given['name']}" if "name" in given else ""}
    body = fill(h.email_body, values, teacher_lang, {}, escape=clean)
    body = re.sub(r"\n{3,}", "\n\n", body)  # no empty block where no fact was given
    missing = [h.missing[k] for k in ("name", "account_id", "school", "country") if k not in given]
    missing.append(h.missing["screenshot"])  # we never know one is attached: the sender adds it
    from ..i18n import format_list

    body += "\n\n" + fill(h.email_complete, {"missing": format_list(missing, teacher_lang)}, teacher_lang, {},
                           escape=clean)
    if to == "esep_support":
        from ..content.nso import esep_contact_url

        address, url = "", f"{esep_contact_url()} (About > Contact and support)"
    else:
        address, url = nso_address(country)
    if not address:
        body = fill(h.email_no_address, {"url": url}, teacher_lang, {}, escape=clean) + "\n\n" + body
    subject = fill(h.email_subject, {"symptom": symptom}, teacher_lang, {}, escape=clean)
    return Email(address, subject, body, url)


def reply(w: Walk, answers: dict[str, Given], teacher: Teacher, teacher_lang: str,
          outcomes: dict[str, str] | None = None) -> Email:
    """The reply to the teacher, wholly in the teacher's language: the steps they (their partner, their
    school) can take, each with who acts; fixes marked solved are left out."""
    content = load_content(teacher_lang)
    symptoms, tw = _in(teacher_lang, w, answers)
    h = symptoms.handover
    d = diagnosis(symptoms, tw, teacher_lang, content, escape=clean, case=handover_case(tw, teacher))
    steps = _findings_lines(d, symptoms, content, outcomes or {}, with_fix=True, only=TEACHER_SIDE)
    symptom = symptoms.symptom_by_id[w.symptom.id].title
    body = fill(h.reply_body, {"name": teacher.name.strip() or h.reply_no_name, "symptom": symptom,
                               "steps": "\n".join(steps) or h.no_findings}, teacher_lang, {}, escape=clean)
    subject = fill(h.reply_subject, {"symptom": symptom}, teacher_lang, {}, escape=clean)
    return Email("", subject, body, "")


def summary(w: Walk, answers: dict[str, Given], teacher: Teacher, agent_lang: str, teacher_lang: str,
            today: dt.date | None = None, outcomes: dict[str, str] | None = None) -> str:
    """The ticket summary, wholly in the agent's language: the facts given, the questions still to ask, the
    answers, each finding with who acts and whether it helped, and where the case goes."""
    content = load_content(agent_lang)
    agent, aw = _in(agent_lang, w, answers)
    h, lab = agent.handover, agent.handover.summary_labels
    outcomes = outcomes or {}
    d = diagnosis(agent, aw, agent_lang, content, escape=clean, case=handover_case(aw, teacher))
    country = _country(w, teacher)
    given = _given(teacher, country)
    r = route(d, outcomes)
    day = today or dt.date.today()
    lines = [h.summary_title, "",
             f"{lab['date']}: {format_date(day, agent_lang)}",
             f"{lab['symptom']}: {agent.symptom_by_id[w.symptom.id].title} ({w.symptom.id})"]
    if "name" in given:
        lines.append(f"{lab['name']}: {given['name']}")
    if country:
        lines.append(f"{lab['country']}: {country_name(country, agent_lang)}")
    if "account_id" in given:
        lines.append(f"{lab['account']}: {given['account_id']}")
    if "school" in given:
        lines.append(f"{lab['school']}: {given['school']}")
    if teacher.tried.strip():
        lines.append(f"{lab['tried']}: {teacher.tried.strip()}")
    to_ask = [h.ask[k] for k in ("name", "account_id", "school", "country") if k not in given]
    if r.emails:
        to_ask.append(h.ask["screenshot"])
    if to_ask:
        lines += ["", h.to_ask + ":", *(f"- {q}" for q in to_ask)]
    lines += ["", lab["answers"] + ":", *(_answers_lines(agent, aw, answers, agent_lang) or [f"- {h.not_given}"]),
              "", lab["findings"] + ":",
              *(_findings_lines(d, agent, content, outcomes, with_fix=True) or [f"- {h.no_findings}"]),
              "", f"{lab['route']}: " + "; ".join(
                  ([h.routes["reply"]] if r.reply else []) + [h.routes[e] for e in r.emails])]
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


def handover_case(w: Walk, teacher: Teacher) -> Case:
    """The case the troubleshooter judges and saves: the answers plus what the agent typed for the hand-over.
    The findings on screen, in the hand-over texts and after uploading the saved file come from this one case."""
    return _with_teacher(w, teacher)


def _with_teacher(w: Walk, teacher: Teacher) -> Case:
    """The walk's case with the handover facts (name, country, account ID, school) written in."""
    from ..case.paths import Builder

    # copies: building the hand-over case twice (findings, then the file) must not change the walk
    b = Builder(data=yaml.safe_load(yaml.safe_dump(w.builder.data)),
                slots={k: (m, dict(v)) for k, (m, v) in w.builder.slots.items()})
    if teacher.name.strip():
        b.set("person.name", teacher.name.strip())
    if teacher.country:
        b.set("person.country", teacher.country)
    if teacher.account_id.strip().isdigit():
        b.set("accounts[main].id", int(teacher.account_id.strip()))
    if teacher.school.strip() and not b.known("organisations[school].name"):
        b.set("organisations[school].name", teacher.school.strip())
    return Case.model_validate(b.data)
