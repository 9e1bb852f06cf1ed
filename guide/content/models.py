"""Content models for the handbook: chapters -> sections -> numbered steps, and the reference material.

Every model forbids unknown keys, so a typo in a YAML key is an error, not a silently lost fact.
Text fields are Markdown. Internal links use `guide:` URLs, e.g. `[hoofdstuk 2](guide:chapter/2)`,
`guide:section/<id>`, `guide:step/<id>`, `guide:faq/<id>`, `guide:checklist/<id>`,
`guide:glossary/<id>`, `guide:rule/<rule id>`; `python -m guide lint` checks that each resolves.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from ..errors import suggestion

Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_.-]*$", min_length=1, max_length=80)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Note(Strict):
    """A tip or warning as the handbook marks it: 'Tip', 'Let op!' / 'OPGELET!' (warning), 'TIP!'; or a
    note on what a public page says that the handbook does not ('newer': shown as newer than the handbook,
    always with its `source` address and the date it was `checked`)."""

    kind: Literal["tip", "warning", "newer"] = Field(description="tip: advice ('Tip', 'TIP!'); warning: 'Let op!', "
                                                   "'OPGELET!', 'Opgelet!'; newer: a public page newer than the handbook")
    text: Text = Field(description="Markdown")
    source: str | None = Field(None, description="newer: the public page's address (listed in content/sources.yaml)")
    checked: dt.date | None = Field(None, description="newer: the day the page was checked")

    @model_validator(mode="after")
    def _sourced(self) -> Note:
        if self.kind == "newer" and not (self.source and self.checked):
            raise ValueError("a 'newer' note needs the `source` page's address and the date it was `checked`")
        return self


class Step(Strict):
    """One numbered step of the handbook: one thing the teacher does on the platform."""

    id: Id = Field(description="Stable id, unique in the whole content, e.g. 'account.join-etwinning'. Never rename.")
    number: int | None = Field(None, description="The handbook's number for the step within its section")
    title: Text = Field(description="Short imperative title, e.g. 'Click Join eTwinning'")
    text: Text = Field(description="The instruction (Markdown)")
    ui_labels: list[Text] = Field(default_factory=list, description="The platform's own labels this step mentions, exactly as ESEP shows them")
    rules: list[str] = Field(default_factory=list, description="Ids of rules (shared/RULES.md) that check this step")
    screen: str | None = Field(None, description="What the handbook's screenshot shows, in words")
    notes: list[Note] = Field(default_factory=list)


class FormField(Strict):
    """A field of a platform form with the platform's help text and the handbook's sample answer."""

    label: Text = Field(description="The platform's label, e.g. 'Title *'")
    help: str | None = Field(None, description="The platform's help text under the label")
    example: str | None = Field(None, description="What the handbook fills in (Markdown)")


class Section(Strict):
    """A part of a chapter, e.g. '1b. EU-account aanmaken op ESEP'."""

    id: Id
    number: str | None = Field(None, description="The handbook's numbering, e.g. '1b', '7d'")
    title: Text
    text: str | None = Field(None, description="Text before the steps (Markdown)")
    steps: list[Step] = Field(default_factory=list)
    form: list[FormField] = Field(default_factory=list, description="A platform form shown in this section")
    notes: list[Note] = Field(default_factory=list)
    after: str | None = Field(None, description="Text after the steps (Markdown)")


class Chapter(Strict):
    id: Id = Field(description="'intro', 'etwinning', 'netiquette' or the chapter number '1'..'16'")
    number: str | None = Field(None, description="The handbook's chapter number, if any")
    title: Text
    summary: Text = Field(description="One or two sentences: what this chapter is for")
    sections: list[Section] = Field(min_length=1)


class FaqEntry(Strict):
    id: Id
    question: Text
    answer: Text
    alt_questions: list[Text] = Field(default_factory=list, description="Other ways people ask this (for search)")
    source: str | None = Field(None, description="Where the answer comes from when not the handbook")


class Faq(Strict):
    entries: list[FaqEntry] = Field(min_length=1)


class GlossaryEntry(Strict):
    id: Id
    term: Text
    aliases: list[Text] = Field(default_factory=list, description="Other words people use for the term, in any language, e.g. 'medeoprichter', 'cofounder' (search synonyms)")
    definition: Text
    source: str | None = Field(None, description="Source when not the handbook, e.g. an ESEP page URL")


class Glossary(Strict):
    entries: list[GlossaryEntry] = Field(min_length=1)


class Link(Strict):
    id: Id
    title: Text
    url: Text
    text: str | None = None


class Contact(Strict):
    id: Id
    title: Text
    email: str | None = None
    phone: str | None = None
    url: str | None = None
    text: str | None = None


class Links(Strict):
    intro: str | None = None
    contacts: list[Contact] = Field(default_factory=list)
    links: list[Link] = Field(min_length=1)


class ChecklistItem(Strict):
    id: Id
    text: Text
    rules: list[str] = Field(default_factory=list, description="Rules that check this item on a case")
    link: str | None = Field(None, description="Internal link (guide:...) to where the handbook explains it")


class Checklist(Strict):
    id: Id
    title: Text
    intro: str | None = None
    items: list[ChecklistItem] = Field(min_length=1)
    source: str | None = Field(None, description="Source beyond the handbook, if any")


class Checklists(Strict):
    checklists: list[Checklist] = Field(min_length=1)


class RuleText(Strict):
    """The words for one rule: its title and its fix. `{placeholders}` are filled with the case's facts."""

    title: Text = Field(description="What is wrong, in a few words")
    fix: Text | dict[Id, Text] = Field(description="The fix (Markdown); a mapping variant -> fix when the rule returns variants")
    passed: Text | None = Field(None, description="Shown when the check passes, optional")


class RuleTexts(Strict):
    rules: dict[str, RuleText]


class Plural(Strict):
    """A counted thing in the reader's language, by CLDR plural category (Babel's plural rules):
    nl and en use 'one' and 'other'. `{n}` is the number. `unknown`: the words when the case does not
    give the number (never shown as 0)."""

    zero: Text | None = None
    one: Text | None = None
    two: Text | None = None
    few: Text | None = None
    many: Text | None = None
    other: Text = Field(description="Every number the other categories do not cover, e.g. '{n} projecten'")
    unknown: Text = Field(description="When the number is not known, e.g. 'een onbekend aantal projecten'")

    def get(self, key: str, default: str | None = None) -> str | None:
        value = getattr(self, key, None) if key in type(self).model_fields else None
        return value if value is not None else default


class Terms(Strict):
    """Words the fixes need in the reader's language: field names, options, short phrases, counted things."""

    terms: dict[Id, Text | Plural]


class Scenario(Strict):
    """A scenario case file in content/scenarios/ (the case itself is language-neutral): its briefing
    (the situation, what to reach) and its success criteria, which are the same in every language."""

    id: Id
    title: Text
    description: Text = Field(description="The situation, as the participant reads it before starting")
    goal: Text = Field(description="What to reach, in one sentence")
    success: list[str] = Field(min_length=1, description=(
        "Rule ids: the goal is reached when none of them fails (each passes, or no longer applies)"))
    milestones: list[str] = Field(default_factory=list, description=(
        "Milestones (guide/case/milestones.py) that must be reached too, e.g. 'account.validated'"))

    @model_validator(mode="after")
    def _known_milestones(self) -> Scenario:
        from ..case.milestones import MILESTONES

        unknown = [m for m in self.milestones if m not in MILESTONES]
        if unknown:
            raise ValueError(f"scenario '{self.id}': unknown milestones {unknown}"
                             f"{suggestion(unknown[0], list(MILESTONES))}")
        return self


class Scenarios(Strict):
    scenarios: list[Scenario] = Field(min_length=1)


class StatementSection(Strict):
    id: Id
    heading: Text
    text: Text = Field(description="Markdown; {date}, {name} and {email} are filled in by the page")


class AccessibilityStatement(Strict):
    """The accessibility statement (content/<lang>/accessibility.yaml): what is checked and how, the results,
    what Streamlit does not allow and what the app does about it, and whom to tell about a barrier."""

    title: Text
    intro: Text
    checked: dt.date = Field(description="The day the checks the statement describes last ran against this text")
    sections: list[StatementSection] = Field(min_length=1)
