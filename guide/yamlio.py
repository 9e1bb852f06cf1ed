"""YAML reading with the C loader, and pydantic errors turned into file:line field-path messages."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from .errors import Problem, suggestion

try:  # the C loader is ~10x faster; PyYAML wheels ship it
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - only on a PyYAML built without libyaml
    _Loader = yaml.SafeLoader


class _DateAsStr(_Loader):  # type: ignore[misc, valid-type]
    """A loader that leaves dates as text, so pydantic (not PyYAML) judges them with the field's path."""


_DateAsStr.add_constructor(
    "tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node)
)


def load_text(text: str, file: str) -> Any:
    """Parse YAML; a syntax error becomes a Problem naming the file and line."""
    try:
        return yaml.load(text, Loader=_DateAsStr)  # noqa: S506 - a safe loader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        what = " ".join(s for s in (exc.context, exc.problem) if s)
        raise YamlSyntaxError(Problem(file, f"not valid YAML: {what}", line)) from None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(Problem(file, f"not valid YAML: {exc}")) from None


def load_file(path: Path, display: str | None = None) -> Any:
    display = display or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise YamlSyntaxError(Problem(display, "file not found")) from None
    except UnicodeDecodeError as exc:
        raise YamlSyntaxError(Problem(display, f"not UTF-8 text (byte {exc.start})")) from None
    return load_text(text, display)


class YamlSyntaxError(Exception):
    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


def line_of(text: str, loc: Sequence[str | int]) -> int | None:
    """The 1-based line of the node at `loc` (keys and list indexes), or of its nearest parent."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError:
        return None
    best = node.start_mark.line + 1 if node is not None else None
    for key in loc:
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if k.value == key:
                    best = k.start_mark.line + 1
                    node = v
                    break
            else:
                return best
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
            best = node.start_mark.line + 1
        else:
            return best
    return best


def dotted(loc: Sequence[str | int]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _model_fields(model: type[BaseModel], loc: Sequence[str | int]) -> list[str]:
    """Field names allowed at the parent of `loc`, for 'did you mean' on an unknown key."""
    current: Any = model
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return []
        field = current.model_fields.get(part)
        if field is None:
            continue  # a key of a mapping field (e.g. a country code): the model stays the same
        current = _inner_model(field.annotation)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _inner_model(annotation: Any) -> Any:
    from typing import get_args

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def problems_from_validation(
    exc: ValidationError, file: str, text: str | None, model: type[BaseModel]
) -> list[Problem]:
    """Every pydantic error as a Problem: field path, line when the YAML tells it, what was expected."""
    out: list[Problem] = []
    for err in exc.errors(include_url=False):
        loc = [p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-"))]
        msg = err["msg"]
        if err["type"] == "extra_forbidden":
            msg = f"unknown key '{loc[-1]}'{suggestion(str(loc[-1]), _model_fields(model, loc))}"
        elif err["type"] == "missing":
            msg = "required field is missing"
        elif err["type"] in ("enum", "literal_error"):
            msg = f"got {err.get('input')!r}; " + msg.replace("Input should be", "expected")
        elif err["type"].startswith("value_error"):
            msg = msg.removeprefix("Value error, ")
        elif err["type"].startswith("date_") or err["type"].startswith("datetime_"):
            reason = msg.split(", ", 1)[1] if ", " in msg else msg
            msg = f"expected a date like 2026-11-28, got {err.get('input')!r} ({reason})"
        elif err["type"] in ("bool_parsing", "bool_type"):
            msg = f"expected true or false, got {err.get('input')!r}"
        elif err["type"] in ("int_parsing", "int_type", "int_from_float"):
            msg = f"expected a whole number, got {err.get('input')!r}"
        elif err["type"] in ("list_type",):
            msg = f"expected a list, got {type(err.get('input')).__name__}"
        elif err["type"] in ("dict_type", "model_type", "model_attributes_type"):
            msg = f"expected a mapping (key: value), got {type(err.get('input')).__name__}"
        elif err["type"] in ("string_type",):
            msg = f"expected text, got {type(err.get('input')).__name__}"
        elif err["type"] == "string_too_short":
            msg = "text is empty"
        elif err["type"] == "string_pattern_mismatch":
            msg = f"{err.get('input')!r} is not a valid id: use lowercase letters, digits, '.', '-', '_'"
        line = line_of(text, loc) if text is not None else None
        out.append(Problem(file, msg, line, dotted(loc)))
    return out
