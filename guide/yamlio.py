"""YAML reading with the C loader, and pydantic errors turned into file:line field-path messages."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from .errors import Problem, closest
from .text import preview, visible

try:  # the C loader is ~10x faster; PyYAML wheels ship it
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - only on a PyYAML built without libyaml
    _Loader = yaml.SafeLoader


class _DateAsStr(_Loader):
    """A loader that leaves dates as text, so pydantic (not PyYAML) judges them with the field's path.

    Its tag resolution gives PyYAML's own answers (same implicit resolvers, no path resolvers) without
    the general machinery: the C composer calls these three methods for every node, ~1/4 of the parse."""

    _by_first: dict[str | None, tuple[tuple[str, Any], ...]] = {}

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        pass  # path resolvers: none are registered (checked below)

    def ascend_resolver(self) -> None:
        pass

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode:
            if implicit[0]:  # plain (unquoted) scalar: the implicit resolvers of its first character
                by_first = self._by_first
                for tag, regexp in by_first.get(value[:1], by_first[None]):
                    if regexp.match(value):
                        return tag
            return self.DEFAULT_SCALAR_TAG
        return self.DEFAULT_SEQUENCE_TAG if kind is yaml.SequenceNode else self.DEFAULT_MAPPING_TAG


_DateAsStr.add_constructor(
    "tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node)
)
assert not _DateAsStr.yaml_path_resolvers, "the lean resolve() above assumes no path resolvers"
_wildcard = tuple(_DateAsStr.yaml_implicit_resolvers.get(None, ()))
_DateAsStr._by_first = {first: tuple(resolvers) + _wildcard
                        for first, resolvers in _DateAsStr.yaml_implicit_resolvers.items() if first is not None}
_DateAsStr._by_first[None] = _wildcard


#: Aliases (*name) may repeat earlier parts of a file, but only this many nodes in total beyond what is
#: written out: a few hundred bytes of nested aliases would otherwise stand for billions of values.
MAX_ALIAS_EXPANSION = 10_000
#: Longer whole numbers are refused where they are written (Python refuses to read past 4,300 digits).
MAX_INT_DIGITS = 30
#: A file with more problems lists this many, then 'and N more problems'.
MAX_PROBLEMS = 50
_INT_TAG = "tag:yaml.org,2002:int"


def _mark_line(exc: yaml.MarkedYAMLError) -> int | None:
    mark = exc.problem_mark or exc.context_mark
    return mark.line + 1 if mark is not None else None


def parse(text: str, file: str) -> tuple[Any, yaml.Node | None]:
    """Parse YAML once: (data, node tree for line numbers). Syntax errors, alias bombs, endless numbers
    and duplicate keys become a YamlSyntaxError naming the file and line."""
    loader = _DateAsStr(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, None
        try:
            return _plain(loader, node, aliases="&" in text), node
        except (_NotPlain, RecursionError):
            pass  # aliases, other tags, or a problem: the careful path below finds and names it
        _check_tree(node, file)
        return loader.construct_document(node), node
    except yaml.MarkedYAMLError as exc:
        what = [visible(" ".join(s.split())) for s in (exc.context, exc.problem) if s]  # libyaml's phrases
        tag = _UNKNOWN_TAG.fullmatch(what[-1]) if what else None
        if tag:
            raise YamlSyntaxError(Problem.of("yaml_tag", file, _mark_line(exc), tag=tag.group(1))) from None
        raise YamlSyntaxError(Problem.of("yaml_syntax", file, _mark_line(exc), detail=what)) from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow (a control character)
        line = text.count("\n", 0, exc.position) + 1 if isinstance(exc.position, int) else None
        raise YamlSyntaxError(Problem.of("yaml_character", file, line, char=visible(chr(exc.character))
                                         if isinstance(exc.character, int) else preview(exc.character),
                                         position=str(exc.position))) from None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(Problem.of("yaml_syntax", file, detail=[visible(" ".join(str(exc).split()))])) from None
    except (ValueError, OverflowError) as exc:  # a value the constructor cannot make (checked above; belt and braces)
        raise YamlSyntaxError(Problem.of("yaml_syntax", file, detail=[preview(str(exc))])) from None
    finally:
        loader.dispose()


_UNKNOWN_TAG = re.compile(r"could not determine a constructor for the tag (.+)")


class _NotPlain(Exception):
    """The document needs the careful path: an alias, a tag other than the plain ones, a long number, a key twice."""


_STR_TAG, _MAP_TAG, _SEQ_TAG = "tag:yaml.org,2002:str", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"
#: scalars built by the loader's own constructor (one call each, no recursion); dates stay text (_DateAsStr)
_PLAIN_SCALARS = frozenset({_INT_TAG, "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool",
                            "tag:yaml.org,2002:null", "tag:yaml.org,2002:timestamp"})
_PLAIN_KEYS = _PLAIN_SCALARS | {_STR_TAG}


def _plain(loader: Any, root: yaml.Node, aliases: bool = True) -> Any:
    """The data of a plain document (mappings with text keys, sequences, text, numbers, booleans, nulls, dates
    as text), as the loader's constructor builds it, in one walk without its generator machinery: content
    files are all plain, and this is most of their parsing time. Anything else raises _NotPlain.
    `aliases`: whether the text can hold one (an alias needs an anchor, and an anchor needs '&')."""
    seen: set[int] = set()
    scalar = loader.yaml_constructors

    def build(node: yaml.Node) -> Any:
        if aliases:
            if id(node) in seen:
                raise _NotPlain  # an alias: the careful path counts what it stands for
            seen.add(id(node))
        tag = node.tag
        if isinstance(node, yaml.ScalarNode):
            if tag == _STR_TAG:
                return node.value
            if tag not in _PLAIN_SCALARS or (tag == _INT_TAG and sum(ch.isdigit() for ch in node.value) > MAX_INT_DIGITS):
                raise _NotPlain
            return scalar[tag](loader, node)
        if isinstance(node, yaml.MappingNode) and tag == _MAP_TAG:
            data: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in _PLAIN_KEYS:
                    raise _NotPlain  # merge keys (<<), '=' keys, complex keys
                key = build(key_node)
                if key in data:
                    raise _NotPlain  # a key twice: the careful path names both lines
                data[key] = build(value_node)
            return data
        if isinstance(node, yaml.SequenceNode) and tag == _SEQ_TAG:
            return [build(child) for child in node.value]
        raise _NotPlain

    return build(root)


def _check_tree(root: yaml.Node, file: str) -> None:
    """One walk over the node graph: how many nodes the aliases stand for, numbers, duplicate keys."""
    size: dict[int, int] = {}  # id(node) -> nodes it stands for, aliases expanded
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            children = _children(node)
            total = 1 + sum(size[id(c)] for c in children)
            size[key] = total
            if total - len(size) > MAX_ALIAS_EXPANSION:
                raise YamlSyntaxError(Problem.of("yaml_aliases", file, node.start_mark.line + 1,
                                                 limit=MAX_ALIAS_EXPANSION))
            continue
        if key in size:
            continue
        size[key] = 0  # being expanded (a cycle cannot happen: the composer refuses recursive aliases)
        if isinstance(node, yaml.ScalarNode):
            if node.tag == _INT_TAG and sum(ch.isdigit() for ch in node.value) > MAX_INT_DIGITS:
                raise YamlSyntaxError(Problem.of("yaml_long_number", file, node.start_mark.line + 1,
                                                 digits=len(node.value), limit=MAX_INT_DIGITS))
            size[key] = 1
            continue
        if isinstance(node, yaml.MappingNode):
            seen: dict[Any, int] = {}
            for k, _v in node.value:
                if isinstance(k, yaml.ScalarNode):
                    if k.value in seen:
                        raise YamlSyntaxError(Problem.of("duplicate_key", file, k.start_mark.line + 1,
                                                         key=preview(k.value), other=str(seen[k.value])))
                    seen[k.value] = k.start_mark.line + 1
        stack.append((node, True))
        stack.extend((c, False) for c in _children(node) if id(c) not in size)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return []


def load_text(text: str, file: str) -> Any:
    """Parse YAML; a syntax error becomes a Problem naming the file and line."""
    return parse(text, file)[0]


def load_file(path: Path, display: str | None = None) -> Any:
    display = display or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise YamlSyntaxError(Problem.of("file_not_found", display)) from None
    except UnicodeDecodeError as exc:
        raise YamlSyntaxError(Problem.of("not_utf8", display, byte=str(exc.start))) from None
    return load_text(text, display)


class YamlSyntaxError(Exception):
    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


def line_of(source: str | yaml.Node | None, loc: Sequence[str | int]) -> int | None:
    """The 1-based line of the node at `loc` (keys and list indexes), or of its nearest parent.
    `source` is the node tree from parse() (no second parse), or the YAML text."""
    if isinstance(source, str):
        try:
            node = yaml.compose(source, Loader=_Loader)
        except yaml.YAMLError:
            return None
    else:
        node = source
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
        if isinstance(part, str) and len(part) > 40:
            part = part[:40] + "…"
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
    exc: ValidationError, file: str, source: str | yaml.Node | None, model: type[BaseModel]
) -> list[Problem]:
    """Pydantic's errors as Problems: field path, line when the YAML tells it (`source`: the node tree from
    parse(), or the text), what was expected. At most MAX_PROBLEMS, then one 'and N more problems'."""
    out: list[Problem] = []
    if isinstance(source, str):
        try:
            source = yaml.compose(source, Loader=_Loader)
        except yaml.YAMLError:
            source = None
    errors = exc.errors(include_url=False)
    for err in errors[:MAX_PROBLEMS]:
        loc = [p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-"))]
        line = line_of(source, loc) if source is not None else None
        out.append(_problem(err, loc, file, line, model))
    out.sort(key=lambda p: (p.line is None, p.line or 0))  # in the file's order, as a reader goes through it
    if len(errors) > MAX_PROBLEMS:
        more = len(errors) - MAX_PROBLEMS
        out.append(Problem.of("one_more_problem", file, limit=MAX_PROBLEMS) if more == 1
                   else Problem.of("more_problems", file, n=more, limit=MAX_PROBLEMS))
    return out


def _problem(err: Any, loc: list[str | int], file: str, line: int | None, model: type[BaseModel]) -> Problem:
    """One pydantic error as a Problem with its message code (guide.errors.MESSAGES)."""
    kind, path, got = err["type"], dotted(loc), err.get("input")
    if kind == "extra_forbidden":
        key = str(loc[-1])
        return Problem.of("unknown_key", file, line, path, key=preview(key),
                          suggestion=closest(key, _model_fields(model, loc)))
    if kind == "missing":
        return Problem.of("missing", file, line, path)
    if kind in ("enum", "literal_error"):
        expected = str((err.get("ctx") or {}).get("expected", ""))
        return Problem.of("choice", file, line, path, value=preview(got), choices=expected.rsplit(" or ", 1))
    if kind == "country_code":
        return Problem.of("country_code", file, line, path, value=preview(got))
    if kind.startswith("date_") or kind.startswith("datetime_"):
        msg = err["msg"]
        reason = str((err.get("ctx") or {}).get("error") or (msg.split(", ", 1)[1] if ", " in msg else msg))
        return Problem.of("date", file, line, path, value=preview(got), reason=reason)
    simple = {"bool_parsing": "bool", "bool_type": "bool", "int_parsing": "int", "int_type": "int",
              "int_from_float": "int", "float_type": "number", "float_parsing": "number_parsing",
              "string_too_short": "empty_text", "invalid_key": "key_not_text"}
    if kind in simple:
        return Problem.of(simple[kind], file, line, path, value=preview(got))
    typed = {"list_type": "list", "dict_type": "mapping", "model_type": "mapping", "model_attributes_type": "mapping",
             "string_type": "text"}
    if kind in typed:
        return Problem.of(typed[kind], file, line, path, type=type(got).__name__)
    if kind == "greater_than_equal":
        return Problem.of("at_least", file, line, path, limit=(err.get("ctx") or {}).get("ge"))
    if kind == "string_pattern_mismatch":
        return Problem.of("bad_id", file, line, path, value=preview(got))
    msg = err["msg"].removeprefix("Value error, ") if kind.startswith("value_error") else err["msg"]
    if len(msg) > 300:  # a validator's message may quote the input
        msg = msg[:300] + "…"
    return Problem.of("other", file, line, path, detail=msg)
