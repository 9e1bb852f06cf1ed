"""The troubleshooter's content model (content/<lang>/symptoms.yaml): symptoms, questions, handover texts.

Both language files carry the same ids, the same case paths (`sets`, `path`, `ask_if`) and the same
rule ids; only the words differ (`python -m guide lint` checks it). Case paths use the small syntax
of guide/case/paths.py and are validated against the case model when the file loads.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, model_validator

from ..case.paths import PathError, check_path, check_value

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


class Answer(Strict):
    """One answer the agent can pick; `sets` writes facts into the case."""

    id: Id = Field(description="Stable id, same in every language, e.g. 'yes', 'request_sent'")
    label: Text = Field(description="The answer as the agent reads it")
    sets: Sets = Field(default_factory=dict, description="Case facts this answer settles: {case path: value}. "
                       "Empty: the answer tells nothing the rules can use")


class Question(Strict):
    """A question that fills in case facts. 'I don't know' is always offered and sets nothing."""

    id: Id
    kind: Literal["choice", "text", "number", "date", "country"] = Field(
        "choice", description="choice: pick one of `answers`; text/number/date/country: type a value that "
        "goes to every path in `path` (the `answers` are then extra choices such as 'I don't remember')")
    text: Text = Field(description="The question. {slot} placeholders name the teacher's partner, project ...")
    help: str | None = Field(None, description="Where the teacher can see the answer on ESEP (Markdown)")
    path: list[CasePath] = Field(default_factory=list, description="Typed questions: where the typed value goes")
    answers: list[Answer] = Field(default_factory=list)
    ask_if: dict[CasePath, Scalar | list[Scalar]] = Field(
        default_factory=dict, description="Ask only when every fact holds: a value (equal; a list of words holds "
        "it), a list (one of), 'unknown' (absent from the case) or 'known'. Besides, a question is skipped when "
        "every fact it settles is already known, except facts named here")
    hint: Text = Field(description="What to check when the answer is 'I don't know' (Markdown)")

    @model_validator(mode="after")
    def _shape(self) -> Question:
        if self.kind == "choice" and len(self.answers) < 2:
            raise ValueError(f"choice question '{self.id}' needs at least two answers")
        if self.kind != "choice" and not self.path:
            raise ValueError(f"{self.kind} question '{self.id}' needs a `path` for the typed value")
        ids = [a.id for a in self.answers]
        if len(set(ids)) != len(ids) or "dont_know" in ids:
            raise ValueError(f"question '{self.id}': answer ids must be unique and not 'dont_know' (always offered)")
        return self

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
    """A complaint in the teacher's words, the rules it can reach and the questions that decide them."""

    id: Id = Field(description="Stable id, used in ?symptom=<id> deep links")
    title: Text = Field(description="The complaint in plain words, as a teacher would say it")
    synonyms: list[Text] = Field(default_factory=list, description="Other ways people say it (for matching)")
    rules: list[str] = Field(min_length=1, description="Rule ids (shared/RULES.md) this symptom can reach")
    sets: Sets = Field(default_factory=dict, description="Facts the complaint itself tells, e.g. {wants[+]: create_project}")
    questions: list[Id] = Field(default_factory=list, description="Question ids in asking order")


class Handover(Strict):
    """Texts of the ticket summary and of the e-mail to the NSO ({placeholders} filled by the troubleshooter)."""

    dont_know: Text
    not_given: Text = Field(description="Shown for a field the agent left empty")
    summary_title: Text
    summary_labels: dict[Id, Text] = Field(description="Headings and field names of the ticket summary")
    to_check: Text = Field(description="Heading of the facts still to check ('I don't know' answers)")
    no_findings: Text
    email_subject: Text = Field(description="Placeholders: {symptom}, {account_id}")
    email_body: Text = Field(description="Placeholders: {name}, {account_id}, {school}, {country}, {symptom}, "
                             "{answers}, {findings}, {tried}")
    email_no_address: Text = Field(description="When the country's NSO has no public e-mail: {url}")


class Symptoms(Strict):
    """content/<lang>/symptoms.yaml."""

    stopwords: list[str] = Field(default_factory=list, description="Words ignored when matching typed complaints")
    slots: dict[Id, Text] = Field(description="What to call a case item nobody named yet, e.g. partner: your partner")
    questions: list[Question] = Field(min_length=1)
    symptoms: list[Symptom] = Field(min_length=1)
    handover: Handover

    @model_validator(mode="after")
    def _references(self) -> Symptoms:
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
                    from ..errors import suggestion

                    raise ValueError(f"symptom '{s.id}' asks unknown question '{qid}'{suggestion(qid, known)}")
        return self

    @property
    def question_by_id(self) -> dict[str, Question]:
        return {q.id: q for q in self.questions}

    @property
    def symptom_by_id(self) -> dict[str, Symptom]:
        return {s.id: s for s in self.symptoms}
