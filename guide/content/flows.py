"""The guided journey's content: its structure in content/flows.yaml (flows, steps, `done_when`, self-check
questions and the case facts each answer sets: the same for every language) and its words in
content/<lang>/flows.yaml (keyed by the same ids). `combine` joins them into `Flows`.

Every answer's `sets` is applied to an empty case when the structure loads, so a case path or value the
case model cannot hold is an error naming the flow, question and answer.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from ..errors import Problem
from .joining import Joiner

Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_.-]*$", min_length=1, max_length=80)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# -- the structure: content/flows.yaml ------------------------------------------------------------------------

class AnswerShape(Strict):
    """One answer to a self-check question and the case facts it settles."""

    id: Id = Field(description="Stable id; its words are in content/<lang>/flows.yaml, e.g. 'yes', 'pending'")
    sets: dict[str, Any] = Field(description="Case facts this answer settles: {case path: value}, e.g. "
                                 "{profile.available_for_projects: true}. Paths: see guide/case/paths.py")


class QuestionShape(Strict):
    """A self-check question about the real platform; the teacher's answer fills in the case."""

    id: Id = Field(description="Stable id, unique in the whole file, e.g. 'available-ticked'")
    answers: list[AnswerShape] = Field(min_length=2)

    @model_validator(mode="after")
    def _answers_unique(self) -> QuestionShape:
        ids = [a.id for a in self.answers]
        if len(set(ids)) != len(ids):
            raise ValueError(f"question '{self.id}': answer ids repeat: {ids}")
        return self


class StepShape(Strict):
    """One step of a flow: a handbook step (its text and rules come from the chapters) and its questions."""

    id: Id = Field(description="A step id of the handbook chapters, e.g. '3a.available-for-projects'")
    done_when: list[str] | None = Field(
        None, description="Rule ids that, when all pass on the case, show the step done without the teacher "
        "marking it. Absent: the step's own handbook rules. []: only the teacher's mark counts")
    shown_by: list[str] = Field(
        default_factory=list, description="Milestones (guide/case/milestones.py, e.g. 'project.registered') "
        "that, when all are reached in the case, show the step done too, where its rules no longer can")
    questions: list[QuestionShape] = Field(default_factory=list)


class FlowShape(Strict):
    """One part of the journey, e.g. 'account'."""

    id: Id = Field(description="Stable id; its title and intro are in content/<lang>/flows.yaml")
    steps: list[StepShape] = Field(min_length=1)


class FlowStructure(Strict):
    """content/flows.yaml: the journey in the order a teacher walks it, the same in every language."""

    flows: list[FlowShape] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> FlowStructure:
        from ..case.milestones import MILESTONES
        from ..case.paths import AnswerError, apply_sets
        from ..errors import suggestion

        problems: list[str] = []
        seen_flows: set[str] = set()
        seen_steps: dict[str, str] = {}
        seen_questions: set[str] = set()
        for flow in self.flows:
            if flow.id in seen_flows:
                problems.append(f"flow id '{flow.id}' repeats")
            seen_flows.add(flow.id)
            for step in flow.steps:
                if step.id in seen_steps:
                    problems.append(f"step '{step.id}' is in flow '{seen_steps[step.id]}' and in '{flow.id}'")
                seen_steps[step.id] = flow.id
                for m in step.shown_by:
                    if m not in MILESTONES:
                        problems.append(f"step '{step.id}': unknown milestone '{m}' in shown_by"
                                        f"{suggestion(m, list(MILESTONES))}")
                for q in step.questions:
                    if q.id in seen_questions:
                        problems.append(f"question id '{q.id}' repeats")
                    seen_questions.add(q.id)
                    for a in q.answers:
                        try:
                            apply_sets(None, a.sets)
                        except AnswerError as exc:
                            problems.append(f"flow '{flow.id}', question '{q.id}', answer '{a.id}': {exc}")
        if problems:
            raise ValueError("; ".join(problems))
        return self


# -- the words: content/<lang>/flows.yaml ------------------------------------------------------------------

class FlowWords(Strict):
    title: Text
    intro: Text = Field(description="What this part is for, in one or two sentences (Markdown)")


class QuestionWords(Strict):
    text: Text = Field(description="The question, with the platform's own labels")
    help: str | None = Field(None, description="Where on ESEP the teacher sees the answer (Markdown)")
    answers: dict[Id, Text] = Field(description="Each answer id of the question: the answer as the teacher reads it")


class FlowTexts(Strict):
    """content/<lang>/flows.yaml: the words of the journey of content/flows.yaml."""

    start_intro: Text = Field(description="The start page's opening words (Markdown)")
    ways_to_fill: Text = Field(description="The two ways to tell the app where you stand: sandbox or self-check")
    skip_cost: Text = Field(description="The general sentence shown when a teacher skips a step")
    names: dict[Id, Text] = Field(default_factory=dict, description=(
        "Names for list items a self-check answer creates, by list field (organisations, contacts, projects, "
        "pages ...), e.g. 'your school'"))
    flows: dict[Id, FlowWords] = Field(description="By flow id of content/flows.yaml")
    questions: dict[Id, QuestionWords] = Field(default_factory=dict,
                                               description="By question id of content/flows.yaml")


# -- combined: what the flows read -----------------------------------------------------------------------------

class Answer(Strict):
    id: str
    label: str
    sets: dict[str, Any]


class Question(Strict):
    id: str
    text: str
    help: str | None = None
    answers: list[Answer]


class FlowStep(Strict):
    id: str
    done_when: list[str] | None = None
    shown_by: list[str] = Field(default_factory=list)
    questions: list[Question] = Field(default_factory=list)

    @property
    def case_can_show(self) -> bool:
        """True when the case can show this step done (rules or milestones); else only the teacher's mark."""
        return bool(self.shown_by) or self.done_when != []


class Flow(Strict):
    id: str
    title: str
    intro: str
    steps: list[FlowStep]


class Flows(Strict):
    """One language's journey: the structure with that language's words."""

    start_intro: str
    ways_to_fill: str
    skip_cost: str
    names: dict[str, str] = Field(default_factory=dict)
    flows: list[Flow]


def combine(structure: FlowStructure, words: FlowTexts, display: str, text: str,
            structure_display: str) -> tuple[Flows | None, list[Problem]]:
    """The structure with one language's words; a Problem (file, line) for every id without words or
    words without an id. None when anything is missing."""
    join = Joiner(display, text, structure_display)
    flows = []
    shaped_questions: set[str] = set()
    for flow in structure.flows:
        fw = join.words("flows", flow.id, words.flows, f"flow '{flow.id}'")
        steps = []
        for step in flow.steps:
            questions = []
            for q in step.questions:
                shaped_questions.add(q.id)
                qw = join.words("questions", q.id, words.questions, f"question '{q.id}'")
                if qw is None:
                    continue
                answers = [Answer(id=aid, label=label, sets=sets)
                           for aid, label, sets in join.answers(q.id, q.answers, qw.answers)]
                questions.append(Question(id=q.id, text=qw.text, help=qw.help, answers=answers))
            steps.append(FlowStep(id=step.id, done_when=step.done_when, shown_by=list(step.shown_by),
                                  questions=questions))
        if fw is not None:
            flows.append(Flow(id=flow.id, title=fw.title, intro=fw.intro, steps=steps))
    join.unknown("flows", words.flows, (f.id for f in structure.flows), "flow")
    join.unknown("questions", words.questions, shaped_questions, "question")
    if join.problems:
        return None, join.problems
    return Flows(start_intro=words.start_intro, ways_to_fill=words.ways_to_fill, skip_cost=words.skip_cost,
                 names=dict(words.names), flows=flows), []
