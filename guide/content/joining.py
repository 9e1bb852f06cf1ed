"""Joining one language's words onto the language-neutral structure (content/flows.yaml and
content/symptoms.yaml, whose words are in content/<lang>/): every id of the structure needs its words, and
every id in the words needs its place in the structure. Each miss is a Problem with the words file's line,
and a near miss says which id was meant."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Protocol, TypeVar

from ..errors import Problem, suggestion
from ..yamlio import line_of

W = TypeVar("W")


class AnswerShape(Protocol):
    @property
    def id(self) -> str: ...

    @property
    def sets(self) -> Mapping[str, Any]: ...


class Joiner:
    """Collects the problems of joining the words file `display` (its `text`, for line numbers) onto the
    structure file `structure`."""

    def __init__(self, display: str, text: str, structure: str) -> None:
        self.display, self.text, self.structure = display, text, structure
        self.problems: list[Problem] = []

    def _problem(self, loc: tuple[str, ...], message: str) -> None:
        self.problems.append(Problem(self.display, message, line_of(self.text, loc), ".".join(loc)))

    def missing(self, loc: tuple[str, ...], what: str) -> None:
        """An id of the structure without words here."""
        self._problem(loc, f"{what} ({self.structure}) has no words here")

    def extra(self, loc: tuple[str, ...], what: str, known: Iterable[str]) -> None:
        """Words for an id the structure does not have (with the near miss, if any)."""
        self._problem(loc, f"{what} is not in {self.structure}{suggestion(loc[-1], known)}")

    def words(self, section: str, id_: str, words: Mapping[str, W], what: str) -> W | None:
        """The words of `id_` in `section`; None (and a problem) when there are none."""
        found = words.get(id_)
        if found is None:
            self.missing((section, id_), what)
        return found

    def unknown(self, section: str, words: Iterable[str], known: Iterable[str], noun: str) -> None:
        """A problem for every id in the words' `section` that the structure does not have."""
        known = set(known)
        for id_ in words:
            if id_ not in known:
                self.extra((section, id_), f"{noun} '{id_}'", known)

    def answers(self, question: str, shapes: Iterable[AnswerShape],
                labels: Mapping[str, str]) -> list[tuple[str, str, dict[str, Any]]]:
        """(id, label, sets) of each answer of `question` that has its words; a problem for each answer
        without words and for each worded answer the question does not have."""
        shapes = list(shapes)
        out = []
        for a in shapes:
            if a.id not in labels:
                self.missing(("questions", question, "answers", a.id), f"answer '{a.id}' of question '{question}'")
            else:
                out.append((a.id, labels[a.id], dict(a.sets)))
        ids = {a.id for a in shapes}
        for aid in labels:
            if aid not in ids:
                self.extra(("questions", question, "answers", aid), f"answer '{aid}' of question '{question}'", ids)
        return out
