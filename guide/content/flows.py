"""The content model of content/<lang>/flows.yaml: the journey's flows, their steps and self-check questions.

Ids, step ids, `done_when` and `sets` are the same in every language (`python -m guide lint` checks
it); only the words differ. Every answer's `sets` is applied to an empty case when the file loads, so a
case path or value the case model cannot hold is an error naming the flow, question and answer.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_.-]*$", min_length=1, max_length=80)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Answer(Strict):
    """One answer to a self-check question and the case facts it settles."""

    id: Id = Field(description="Stable id, the same in every language, e.g. 'yes', 'no', 'pending'")
    label: Text = Field(description="The answer as the teacher reads it")
    sets: dict[str, Any] = Field(description="Case facts this answer settles: {case path: value}, e.g. "
                                 "{profile.available_for_projects: true}. Paths: see guide/case/paths.py")


class Question(Strict):
    """A self-check question about the real platform; the teacher's answer fills in the case."""

    id: Id = Field(description="Stable id, unique in the whole file, e.g. 'available-ticked'")
    text: Text = Field(description="The question, with the platform's own labels")
    help: str | None = Field(None, description="Where on ESEP the teacher sees the answer (Markdown)")
    answers: list[Answer] = Field(min_length=2)

    @model_validator(mode="after")
    def _answers_unique(self) -> Question:
        ids = [a.id for a in self.answers]
        if len(set(ids)) != len(ids):
            raise ValueError(f"question '{self.id}': answer ids repeat: {ids}")
        return self


class FlowStep(Strict):
    """One step of a flow: a handbook step (its text and rules come from the chapters) and its questions."""

    id: Id = Field(description="A step id of the handbook chapters, e.g. '3a.available-for-projects'")
    done_when: list[str] | None = Field(
        None, description="Rule ids that, when all pass on the case, show the step done without the teacher "
        "marking it. Absent: the step's own handbook rules. []: only the teacher's mark counts")
    questions: list[Question] = Field(default_factory=list)


class Flow(Strict):
    """One part of the journey, e.g. 'EU Login and account'."""

    id: Id
    title: Text
    intro: Text = Field(description="What this part is for, in one or two sentences (Markdown)")
    steps: list[FlowStep] = Field(min_length=1)


class Flows(Strict):
    """The whole journey, in the order a teacher walks it."""

    start_intro: Text = Field(description="The start page's opening words (Markdown)")
    ways_to_fill: Text = Field(description="The two ways to tell the app where you stand: sandbox or self-check")
    skip_cost: Text = Field(description="The general sentence shown when a teacher skips a step")
    names: dict[Id, Text] = Field(default_factory=dict, description=(
        "Names for list items a self-check answer creates, by list field (organisations, contacts, projects, "
        "pages ...), e.g. 'your school'"))
    flows: list[Flow] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> Flows:
        from ..case.paths import AnswerError, apply_sets

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
                for q in step.questions:
                    if q.id in seen_questions:
                        problems.append(f"question id '{q.id}' repeats")
                    seen_questions.add(q.id)
                    for a in q.answers:
                        try:
                            apply_sets(None, a.sets, self.names)
                        except AnswerError as exc:
                            problems.append(f"flow '{flow.id}', question '{q.id}', answer '{a.id}': {exc}")
        if problems:
            raise ValueError("; ".join(problems))
        return self
