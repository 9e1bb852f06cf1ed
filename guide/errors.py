"""The project's errors: each says what is wrong, where, and what was expected.

A problem with a file a person gave us (a case file) carries a stable `code` and its `args` besides the
English `message`, so that the app can word it in the reader's language: `Problem.text(gettext)` looks
the code's message up in the Babel catalog (the msgids below are marked with N_ and translated in
guide/locales/<lang>/LC_MESSAGES/messages.po). `message` is the same text worded in English (the
catalog's source language): the command line's and the lint's words, and what tests and the contract see.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any


def N_(message: str) -> str:  # the gettext marker pybabel extracts (guide.i18n.N_ lives a layer up)
    return message


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The choice `word` is a near miss of, if any."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return close[0] if close else None


#: The hint after a near miss; `suggestion` words it in English, `did_you_mean` in the reader's language.
DID_YOU_MEAN = N_("(did you mean '{word}'?)")


class Hint(str):
    """' (did you mean 'x'?)' in English, with the word `x`, so that a message can say it in another language
    (guide.sandbox.outcome.ActionError.text does)."""

    word: str


def suggestion(word: str, choices: Iterable[str]) -> str:
    """' (did you mean 'x'?)' for a near miss (a Hint), else ''."""
    found = closest(word, choices)
    if not found:
        return ""
    hint = Hint(" " + DID_YOU_MEAN.format(word=found))
    hint.word = found
    return hint


def did_you_mean(word: str, choices: Iterable[str], gettext: Callable[[str], str] = str) -> str:
    """' (did you mean 'x'?)' for a near miss in the language of `gettext`, else ''."""
    found = closest(word, choices)
    return " " + gettext(DID_YOU_MEAN).format(word=found) if found else ""


#: Every problem a person's file can have, by code: the English message with {placeholders} from `args`.
MESSAGES: dict[str, str] = {
    # reading the file
    "file_not_found": N_("file not found"),
    "is_folder": N_("is a folder, not a case file"),
    "unreadable": N_("cannot be read ({reason})"),
    "not_utf8": N_("not UTF-8 text (byte {byte})"),
    "not_utf8_upload": N_("not UTF-8 text (byte {byte}); save the file as UTF-8"),
    "empty_file": N_("the file is empty"),
    "too_big": N_("the file is {kb} KB; a case file may be at most {limit} KB"),
    # YAML
    "yaml_syntax": N_("not valid YAML: {detail}"),
    "yaml_tag": N_("not valid YAML: could not determine a constructor for the tag {tag}"),
    "yaml_character": N_("not valid YAML: the character {char} at position {position}: control characters are not "
                         "allowed"),
    "yaml_aliases": N_("aliases (*name) repeat more than {limit} values; a case file has no need for that many: "
                       "write the values out"),
    "yaml_long_number": N_("a number of {digits} digits; numbers here have at most {limit}"),
    "duplicate_key": N_("key {key} appears twice in one mapping (also line {other})"),
    # the case's shape
    "case_not_mapping": N_("expected a mapping of case sections, got {type}"),
    "missing_version": N_("missing 'version: 1' at the top"),
    "unknown_key": N_("unknown key {key}"),
    "missing": N_("required field is missing"),
    "choice": N_("got {value}; expected {choices}"),
    "country_code": N_("{value} is not an ISO 3166-1 alpha-2 country code (e.g. NL, BE, PL)"),
    "date": N_("expected a date like 2026-11-28, got {value} ({reason})"),
    "bool": N_("expected true or false, got {value}"),
    "int": N_("expected a whole number, got {value}"),
    "number": N_("Input should be a valid number"),
    "number_parsing": N_("Input should be a valid number, unable to parse string as a number"),
    "at_least": N_("Input should be greater than or equal to {limit}"),
    "list": N_("expected a list, got {type}"),
    "mapping": N_("expected a mapping (key: value), got {type}"),
    "text": N_("expected text, got {type}"),
    "key_not_text": N_("Keys should be strings"),
    "empty_text": N_("text is empty"),
    "bad_id": N_("{value} is not a valid id: use lowercase letters, digits, '.', '-', '_'"),
    "more_problems": N_("and {n} more problems (the first {limit} are listed)"),
    "one_more_problem": N_("and 1 more problem (the first {limit} are listed)"),
    # a validator's own words (content files only): as they are
    "other": "{detail}",
}

#: Where a problem is, by what is known of it.
WHERE = {
    (True, True): N_("{file}:{line} {path}: {message}"),
    (True, False): N_("{file}:{line}: {message}"),
    (False, True): N_("{file} {path}: {message}"),
    (False, False): N_("{file}: {message}"),
}

#: Arguments that are words, looked up in the catalog too: a Python type's name, a date parser's reason,
#: a YAML parser's phrases (a list: each phrase looked up, then joined by spaces).
WORD_ARGS = frozenset({"type", "reason", "detail"})
#: A list of choices: the last joined with 'or' in the reader's language
CHOICES_OR = N_("{items} or {last}")

#: The words above, for the catalog: the Python type names pydantic reports ("expected a list, got dict")
TYPE_WORDS = (N_("dict"), N_("list"), N_("str"), N_("int"), N_("float"), N_("bool"), N_("NoneType"))
#: ... the date parser's reasons (pydantic-core's speedate) for a date that is not one
DATE_REASONS = (
    N_("input is too short"), N_("unexpected extra characters at the end of the input"),
    N_("invalid date separator, expected `-`"), N_("invalid character in year"), N_("invalid character in month"),
    N_("invalid character in day"), N_("month value is outside expected range of 1-12"),
    N_("day value is outside expected range"), N_("invalid datetime separator, expected `T`, `t`, `_` or space"),
    N_("Datetimes provided to dates should have zero time - e.g. be exact dates"),
    N_("dates before 0000 are not supported as unix timestamps"),
    N_("dates after 9999 are not supported as unix timestamps"), N_("Input should be a valid date"),
)
#: ... and libyaml's (the C loader's) phrases for a file that is not YAML
YAML_PHRASES = (
    N_("while parsing a block collection"), N_("while parsing a block mapping"), N_("while parsing a block node"),
    N_("while parsing a flow mapping"), N_("while parsing a flow node"), N_("while parsing a flow sequence"),
    N_("while parsing a node"), N_("while parsing a quoted scalar"), N_("while parsing a tag"),
    N_("while scanning a block scalar"), N_("while scanning a plain scalar"), N_("while scanning a quoted scalar"),
    N_("while scanning a simple key"), N_("while scanning a tag"), N_("while scanning an alias"),
    N_("while scanning an anchor"), N_("while scanning for the next token"), N_("while scanning a directive"),
    N_("did not find expected ',' or ']'"), N_("did not find expected ',' or '}'"),
    N_("did not find expected '-' indicator"), N_("did not find expected key"), N_("did not find expected node content"),
    N_("did not find expected <document start>"), N_("did not find expected alphabetic or numeric character"),
    N_("did not find expected comment or line break"), N_("did not find expected whitespace or line break"),
    N_("could not find expected ':'"), N_("found a tab character that violates indentation"),
    N_("found a tab character where an indentation space is expected"),
    N_("found character that cannot start any token"), N_("found undefined alias"),
    N_("found undefined tag handle"), N_("found unexpected end of stream"), N_("found unexpected ':'"),
    N_("found unexpected document indicator"), N_("found unknown escape character"),
    N_("mapping values are not allowed in this context"), N_("mapping keys are not allowed in this context"),
    N_("block sequence entries are not allowed in this context"), N_("control characters are not allowed"),
    N_("expected a single document in the stream"), N_("but found another document"),
    N_("found duplicate anchor; first occurrence"), N_("second occurrence"),
    N_("found unexpected non-alphabetical character"), N_("could not find expected directive name"),
    N_("did not find expected hexdecimal number"), N_("did not find URI escaped octet"),
    N_("did not find expected '!'"), N_("did not find expected tag URI"), N_("found an indentation indicator equal to 0"),
    N_("while constructing a mapping"), N_("found unhashable key"),
)


def _english(message: str) -> str:
    return message


def _thousands(n: int) -> str:
    return f"{n:,}"


@dataclass
class Problem:
    """One thing wrong with a file: where it is and what was expected.

    `code` and `args` say it in a way any language can word (see MESSAGES); `message` is the English.
    A problem made without a code (the content lint's own findings) has only its English message."""

    file: str
    message: str
    line: int | None = None
    path: str = ""
    code: str = ""
    args: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, code: str, file: str, line: int | None = None, path: str = "", **args: Any) -> Problem:
        """A problem by its code: the English message is worded from MESSAGES[code] and `args`.
        Whole numbers in `args` are counts (written 10,240 in English); lines and bytes are given as text."""
        if code not in MESSAGES:
            raise KeyError(f"no message for problem code {code!r}")
        problem = cls(file, "", line, path, code, dict(args))
        problem.message = problem.words()
        return problem

    def words(self, gettext: Callable[[str], str] = _english, number: Callable[[int], str] = _thousands) -> str:
        """What is wrong, in the language of `gettext` (a catalog's gettext); counts written by `number`."""
        if not self.code:
            return self.message
        values: dict[str, str] = {}
        for key, value in self.args.items():
            if key == "suggestion":
                continue
            if key == "choices":  # ["'a', 'b'", "'c'"]: the last one joined with 'or'
                values[key] = gettext(CHOICES_OR).format(items=value[0], last=value[1]) if len(value) == 2 \
                    else str(value[0])
            elif key in WORD_ARGS:
                phrases = value if isinstance(value, list | tuple) else [value]
                values[key] = " ".join(gettext(str(p)) for p in phrases if p)
            elif isinstance(value, int) and not isinstance(value, bool):
                values[key] = number(value)
            else:
                values[key] = str(value)
        template = MESSAGES[self.code]
        text = gettext(template).format(**values) if template != "{detail}" else values.get("detail", "")
        if self.args.get("suggestion"):
            text += " " + gettext(DID_YOU_MEAN).format(word=self.args["suggestion"])
        return text

    def text(self, gettext: Callable[[str], str] = _english, number: Callable[[int], str] = _thousands,
             label: Callable[[str], str | None] | None = None) -> str:
        """The whole line, file, line and field path first, in the language of `gettext`. `label(path)`
        may name the field as the reader's screen does; it is added in brackets after the path."""
        from .text import visible  # control characters from a file never reach a terminal or page raw

        path = visible(self.path)
        named = label(self.path) if label is not None and self.path else None
        if named:
            path = f"{path} ({named})"
        where = WHERE[(self.line is not None, bool(path))]
        return gettext(where).format(file=visible(self.file), line=self.line, path=path,
                                     message=visible(self.words(gettext, number)))

    def __str__(self) -> str:
        return self.text()


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
