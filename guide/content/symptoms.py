"""The troubleshooter's content: its structure in content/symptoms.yaml (questions, case paths, conditions,
rule ids: the same for every language) and its words in content/<lang>/symptoms.yaml (keyed by the same ids).

`combine` joins the two into `Symptoms`, what the troubleshooter reads. Case paths use the syntax of
guide/case/paths.py and are validated against the case model when the structure loads.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, model_validator

from ..case.paths import PathError, check_path, check_value
from ..errors import Problem, suggestion
from .joining import Joiner

Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_.-]*$", min_length=1, max_length=80)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Scalar = str | int | bool | None


def _valid_path(path: str) -> str:
    try:
        check_path(path)
    except PathError as exc:
        raise ValueError(str(exc)) from None
    return path


CasePath = Annotated[str, AfterValidator(_valid_path)]


def _valid_sets(sets: dict[str, Any]) -> dict[str, Any]:
    for path, value in sets.items():
        try:
            check_value(path, value)
        except PathError as exc:
            raise ValueError(str(exc)) from None
    return sets


Sets = Annotated[dict[CasePath, Any], AfterValidator(_valid_sets)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# -- the structure: content/symptoms.yaml -----------------------------------------------------------------

class AnswerShape(Strict):
    """One answer the agent can pick; `sets` writes facts into the case."""

    id: Id = Field(description="Stable id; its words are in content/<lang>/symptoms.yaml, e.g. 'yes', 'request_sent'")
    sets: Sets = Field(default_factory=dict, description="Case facts this answer settles: {case path: value}. "
                       "Empty: the answer tells nothing the rules can use")


class QuestionShape(Strict):
    """A question that fills in case facts. 'I don't know' is always offered and sets nothing."""

    id: Id = Field(description="Stable id; its words are in content/<lang>/symptoms.yaml under questions")
    kind: Literal["choice", "text", "number", "date", "country"] = Field(
        "choice", description="choice: pick one of `answers`; text/number/date/country: type a value that "
        "goes to every path in `path` (the `answers` are then extra choices such as 'I don't remember')")
    path: list[CasePath] = Field(default_factory=list, description="Typed questions: where the typed value goes")
    answers: list[AnswerShape] = Field(default_factory=list)
    ask_if: dict[CasePath, Scalar | list[Scalar]] = Field(
        default_factory=dict, description="Ask only when every fact holds: a value (equal; a list of words holds "
        "it), a list (one of), 'unknown' (absent from the case) or 'known'. Besides, a question is skipped when "
        "every fact it settles is already known, except facts named here")

    @model_validator(mode="after")
    def _shape(self) -> QuestionShape:
        if self.kind == "choice" and len(self.answers) < 2:
            raise ValueError(f"choice question '{self.id}' needs at least two answers")
        if self.kind != "choice" and not self.path:
            raise ValueError(f"{self.kind} question '{self.id}' needs a `path` for the typed value")
        ids = [a.id for a in self.answers]
        if len(set(ids)) != len(ids) or "dont_know" in ids:
            raise ValueError(f"question '{self.id}': answer ids must be unique and not 'dont_know' (always offered)")
        return self


class SymptomShape(Strict):
    """A complaint: the rules it can reach and the questions that decide them."""

    id: Id = Field(description="Stable id, used in ?symptom=<id> deep links; its words are per language")
    rules: list[str] = Field(min_length=1, description="Rule ids (docs/RULES.md) this symptom can reach")
    sets: Sets = Field(default_factory=dict, description="Facts the complaint itself tells, e.g. {wants[+]: create_project}")
    questions: list[Id] = Field(default_factory=list, description="Question ids in asking order")


class SymptomStructure(Strict):
    """content/symptoms.yaml: the troubleshooter's questions and complaints, the same in every language."""

    questions: list[QuestionShape] = Field(min_length=1)
    symptoms: list[SymptomShape] = Field(min_length=1)

    @model_validator(mode="after")
    def _references(self) -> SymptomStructure:
        qids = [q.id for q in self.questions]
        if len(set(qids)) != len(qids):
            raise ValueError("question ids must be unique")
        sids = [s.id for s in self.symptoms]
        if len(set(sids)) != len(sids):
            raise ValueError("symptom ids must be unique")
        known = set(qids)
        for s in self.symptoms:
            for qid in s.questions:
                if qid not in known:
                    raise ValueError(f"symptom '{s.id}' asks unknown question '{qid}'{suggestion(qid, known)}")
        return self


# -- the words: content/<lang>/symptoms.yaml ---------------------------------------------------------------

class QuestionWords(Strict):
    """A question's words in one language."""

    text: Text = Field(description="The question. {slot} placeholders name the teacher's partner, project ...")
    help: str | None = Field(None, description="Where the teacher can see the answer on ESEP (Markdown)")
    answers: dict[Id, Text] = Field(default_factory=dict, description="Each answer id of the question: its words")
    hint: Text = Field(description="What to check when the answer is 'I don't know' (Markdown)")


class SymptomWords(Strict):
    """A complaint in the teacher's words."""

    title: Text = Field(description="The complaint in plain words, as a teacher would say it")
    synonyms: list[Text] = Field(default_factory=list, description="Other ways people say it (for matching)")


class Handover(Strict):
    """Texts of the hand-over ({placeholders} filled by the troubleshooter). The summary is in the agent's
    language; the reply to the teacher and the e-mail to the NSO or ESEP support in the teacher's. Only facts
    the teacher gave are written in; what is not known is asked (`ask`) or left to add (`missing`)."""

    dont_know: Text
    not_given: Text = Field(description="Shown for an answer the agent left empty")
    summary_title: Text
    summary_labels: dict[Id, Text] = Field(description="Headings and field names of the ticket summary")
    to_check: Text = Field(description="Heading of the facts still to check ('I don't know' answers)")
    to_ask: Text = Field(description="Heading of the questions still to ask the teacher (facts not given)")
    ask: dict[Id, Text] = Field(description="The question for each fact not given: name, account_id, school, "
                                "country, screenshot")
    missing: dict[Id, Text] = Field(description="The same facts as words for 'add before you send it'")
    outcomes: dict[Id, Text] = Field(description="'Did this fix it?': solved, not_solved, not_tried")
    routes: dict[Id, Text] = Field(description="Where the case goes: reply, nso, esep_support")
    no_findings: Text
    reply_subject: Text = Field(description="Placeholders: {symptom}")
    reply_body: Text = Field(description="Placeholders: {name}, {symptom}, {steps}")
    reply_no_name: Text = Field(description="The greeting's name when the teacher's name is not known")
    email_subject: Text = Field(description="Placeholders: {symptom}")
    greeting_nso: Text
    greeting_esep: Text
    email_body: Text = Field(description="Placeholders: {greeting}, {symptom}, {facts}, {answers}, {findings}, "
                             "{signature}")
    email_complete: Text = Field(description="Placeholders: {missing}")
    email_no_address: Text = Field(description="When no public e-mail address is known: {url}")


class SymptomTexts(Strict):
    """content/<lang>/symptoms.yaml: the words of every question and complaint of content/symptoms.yaml."""

    stopwords: list[str] = Field(default_factory=list, description="Words ignored when matching typed complaints")
    slots: dict[Id, Text] = Field(description="What to call a case item nobody named yet, e.g. partner: your partner")
    questions: dict[Id, QuestionWords] = Field(description="By question id of content/symptoms.yaml")
    symptoms: dict[Id, SymptomWords] = Field(description="By symptom id of content/symptoms.yaml")
    handover: Handover


# -- combined: what the troubleshooter reads ---------------------------------------------------------------

class Answer(Strict):
    id: str
    label: str
    sets: dict[str, Any] = Field(default_factory=dict)


class Question(Strict):
    id: str
    kind: Literal["choice", "text", "number", "date", "country"] = "choice"
    text: str
    help: str | None = None
    path: list[str] = Field(default_factory=list)
    answers: list[Answer] = Field(default_factory=list)
    ask_if: dict[str, Scalar | list[Scalar]] = Field(default_factory=dict)
    hint: str

    @property
    def paths(self) -> list[str]:
        """Every case path this question can settle."""
        out = list(self.path)
        for answer in self.answers:
            out.extend(p for p in answer.sets if p not in out)
        return out

    def answer(self, answer_id: str) -> Answer | None:
        return next((a for a in self.answers if a.id == answer_id), None)


class Symptom(Strict):
    id: str
    title: str
    synonyms: list[str] = Field(default_factory=list)
    rules: list[str]
    sets: dict[str, Any] = Field(default_factory=dict)
    questions: list[str] = Field(default_factory=list)


class Symptoms(Strict):
    """One language's troubleshooter: the structure with that language's words."""

    stopwords: list[str] = Field(default_factory=list)
    slots: dict[str, str]
    questions: list[Question]
    symptoms: list[Symptom]
    handover: Handover

    @property
    def question_by_id(self) -> dict[str, Question]:
        return {q.id: q for q in self.questions}

    @property
    def symptom_by_id(self) -> dict[str, Symptom]:
        return {s.id: s for s in self.symptoms}


def combine(structure: SymptomStructure, words: SymptomTexts, display: str, text: str,
            structure_display: str) -> tuple[Symptoms | None, list[Problem]]:
    """The structure with one language's words; a Problem (file, line) for every id without words or
    words without an id. None when anything is missing."""
    join = Joiner(display, text, structure_display)
    questions = []
    for q in structure.questions:
        w = join.words("questions", q.id, words.questions, f"question '{q.id}'")
        if w is None:
            continue
        answers = [Answer(id=aid, label=label, sets=sets) for aid, label, sets in join.answers(q.id, q.answers, w.answers)]
        questions.append(Question(id=q.id, kind=q.kind, text=w.text, help=w.help, path=list(q.path),
                                  answers=answers, ask_if=dict(q.ask_if), hint=w.hint))
    join.unknown("questions", words.questions, (q.id for q in structure.questions), "question")
    symptoms = []
    for s in structure.symptoms:
        sw = join.words("symptoms", s.id, words.symptoms, f"symptom '{s.id}'")
        if sw is None:
            continue
        symptoms.append(Symptom(id=s.id, title=sw.title, synonyms=list(sw.synonyms), rules=list(s.rules),
                                sets=dict(s.sets), questions=list(s.questions)))
    join.unknown("symptoms", words.symptoms, (s.id for s in structure.symptoms), "symptom")
    if join.problems:
        return None, join.problems
    return Symptoms(stopwords=list(words.stopwords), slots=dict(words.slots), questions=questions,
                    symptoms=symptoms, handover=words.handover), []
