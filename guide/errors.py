"""The project's errors: each says what is wrong, where, and what was expected."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field


def suggestion(word: str, choices: Iterable[str]) -> str:
    """' (did you mean 'x'?)' for a near miss, else ''."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


@dataclass
class Problem:
    """One thing wrong with a file: where it is and what was expected."""

    file: str
    message: str
    line: int | None = None
    path: str = ""

    def __str__(self) -> str:
        from .text import visible  # control characters from a file never reach a terminal or page raw

        file, path, message = visible(self.file), visible(self.path), visible(self.message)
        where = file if self.line is None else f"{file}:{self.line}"
        return f"{where} {path}: {message}" if path else f"{where}: {message}"


class GuideError(Exception):
    """Base of every error the assistant reports to a person."""


@dataclass
class FileProblems(GuideError):
    """A file (content or case) that cannot be used, with every problem found in it."""

    problems: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


class ContentError(FileProblems):
    """The content tree is broken: the operator must fix the YAML before the app can start."""


class CaseError(FileProblems):
    """A case file is not a valid case-v1 file."""
