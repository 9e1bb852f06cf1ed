"""Case paths: the small syntax symptoms.yaml uses to name a fact of a case, and a builder that sets them.

A path names one fact of a case-v1 file, field by field, as the case model spells them:

    person.country                          a field of a section
    eu_login: {}                            (value {}) the section exists, nothing else known yet
    accounts[main].status                   `[slot]`: the item of a list the troubleshooter calls `main`;
                                            created (appended) the first time a path names it
    contacts[partner].available_for_projects
    projects[main].cofounders[partner].invitation
                                            the same slot in two lists is the same person or thing: a name
                                            given to contacts[partner] is the name of cofounders[partner] too
    accounts[1].status                      `[n]`: the n-th item (0-based), created up to n if needed
    wants[+]                                `[+]`: append the value to a list of words (once)
    wants: [create_project, add_partner]    (a list) add each word to a list of words (once)
    projects[main].nso_approvals[@person.country]
                                            `[@path]`: a mapping's key taken from another fact
    organisations: []                       (value []) the list is known to be empty: "none"

A value is YAML: a word, number, true/false, `null` (the section is absent), or `@path` (the value
of another fact; skipped while that fact is unknown). A fact is *known* when the path is present in
the case being built; the case model's defaults do not count as knowledge.

The troubleshooter builds a case from nothing (`Builder()`); the guided flows' self-check answers
change a teacher's existing case (`apply_sets`), where a slot names the item that counts (for
accounts the live one, else the first item) instead of a new one. One writer does both.
"""

from __future__ import annotations

import functools
import re
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel, TypeAdapter, ValidationError

from ..errors import GuideError, suggestion
from .model import Case

MISSING: Any = object()
_SEG = re.compile(r"([a-z_][a-z0-9_]*)(?:\[([^\[\]]*(?:\[[^\]]*\][^\[\]]*)*)\])?")
_SLOT = re.compile(r"^[a-z][a-z0-9_]*$")


class PathError(GuideError, ValueError):
    """A case path that does not name a field of the case model, or a value the field cannot hold."""


class AnswerError(GuideError, ValueError):
    """A self-check answer whose case path or value does not fit the case model."""


@dataclass(frozen=True)
class Seg:
    name: str
    sel: tuple[str, Any] | None = None  # ("slot", word) | ("index", n) | ("append", None) | ("ref", path)


def parse(path: str) -> list[Seg]:
    """'projects[main].cofounders[partner].name' -> segments; raises PathError on bad syntax."""
    segs: list[Seg] = []
    pos = 0
    while True:
        m = _SEG.match(path, pos)
        if not m:
            raise PathError(f"'{path}': expected a field name at character {pos + 1}")
        name, sel = m.group(1), m.group(2)
        if sel is None:
            segs.append(Seg(name))
        elif sel == "+":
            segs.append(Seg(name, ("append", None)))
        elif sel.isdigit():
            segs.append(Seg(name, ("index", int(sel))))
        elif sel.startswith("@"):
            parse(sel[1:])
            segs.append(Seg(name, ("ref", sel[1:])))
        elif _SLOT.match(sel):
            segs.append(Seg(name, ("slot", sel)))
        else:
            raise PathError(f"'{path}': '[{sel}]' should be a slot word, a number, '+' or '@path'")
        pos = m.end()
        if pos == len(path):
            return segs
        if path[pos] != ".":
            raise PathError(f"'{path}': expected '.' at character {pos + 1}")
        pos += 1


def _strip_optional(ann: Any) -> Any:
    if get_origin(ann) in (Union, types.UnionType):
        args = [a for a in get_args(ann) if a is not type(None)]
        if len(args) == 1:
            return _strip_optional(args[0])
    if get_origin(ann) is typing.Annotated:
        return _strip_optional(get_args(ann)[0])
    return ann


def _is_model(ann: Any) -> bool:
    return isinstance(ann, type) and issubclass(ann, BaseModel)


@dataclass(frozen=True)
class Target:
    """What a path points at in the case model."""

    annotation: Any        # the field's type
    container: str         # "model" | "list_of_models" | "list_of_words" | "dict" | "value"
    item_model: type[BaseModel] | None = None


def resolve(path: str) -> tuple[list[Seg], Target]:
    """Check a path against the case model; raise PathError naming the first wrong part."""
    segs, target = _resolve(path)
    return list(segs), target


@functools.lru_cache(maxsize=1024)
def _resolve(path: str) -> tuple[tuple[Seg, ...], Target]:
    """resolve(), cached: a path's meaning depends only on the case model (errors are not cached)."""
    segs = tuple(parse(path))
    model: type[BaseModel] = Case
    done: list[str] = []
    for i, seg in enumerate(segs):
        last = i == len(segs) - 1
        fields = model.model_fields
        if seg.name not in fields:
            where = ".".join(done) or "the case"
            raise PathError(f"'{path}': {where} has no field '{seg.name}'{suggestion(seg.name, fields)}")
        ann = _strip_optional(fields[seg.name].annotation)
        origin = get_origin(ann)
        done.append(seg.name)
        if origin is list:
            inner = _strip_optional(get_args(ann)[0])
            if _is_model(inner):
                if seg.sel is None:
                    if last:
                        return segs, Target(ann, "list_of_models", inner)
                    raise PathError(f"'{path}': '{seg.name}' is a list: name the item, e.g. {seg.name}[main]")
                if seg.sel[0] not in ("slot", "index"):
                    raise PathError(f"'{path}': items of '{seg.name}' are named with [slot] or [number]")
                if last:
                    return segs, Target(inner, "model", inner)
                model = inner
                continue
            if seg.sel is None and last:
                return segs, Target(ann, "list_of_words")
            if seg.sel != ("append", None) or not last:
                raise PathError(f"'{path}': '{seg.name}' is a list of words: use {seg.name}[+] as the last part")
            return segs, Target(inner, "value")
        if origin is dict:
            value_ann = get_args(ann)[1]
            if seg.sel is None and last:
                return segs, Target(ann, "dict")
            if seg.sel is None or seg.sel[0] not in ("ref", "slot") or not last:
                raise PathError(f"'{path}': '{seg.name}' is a mapping: name the key as the last part, "
                                f"e.g. {seg.name}[@person.country]")
            return segs, Target(value_ann, "value")
        if seg.sel is not None:
            raise PathError(f"'{path}': '{seg.name}' is not a list; drop '[...]'")
        if _is_model(ann):
            if last:
                return segs, Target(ann, "model", ann)
            model = ann
            continue
        if not last:
            raise PathError(f"'{path}': '{seg.name}' is a value, it has no '{segs[i + 1].name}'")
        return segs, Target(ann, "value")
    raise AssertionError("unreachable")  # pragma: no cover


def check_path(path: str) -> None:
    resolve(path)


_adapters: dict[Any, TypeAdapter] = {}


def _adapter(annotation: Any) -> TypeAdapter:
    """A TypeAdapter per annotation, built once: building one costs far more than using it."""
    try:
        return _adapters.setdefault(annotation, _adapters.get(annotation) or TypeAdapter(annotation))
    except TypeError:  # an unhashable annotation: build it each time
        return TypeAdapter(annotation)


def check_value(path: str, value: Any) -> None:
    """Raise PathError when `value` cannot be stored at `path`."""
    _, target = resolve(path)
    if isinstance(value, str) and value.startswith("@"):
        check_path(value[1:])
        return
    if target.container in ("model",):
        if value != {}:
            raise PathError(f"'{path}' is a section: its only value here is {{}} (it exists)")
        return
    if target.container == "list_of_words" and isinstance(value, list):
        try:
            _adapter(target.annotation).validate_python(value)
        except ValidationError as exc:
            msg = exc.errors(include_url=False)[0]["msg"].replace("Input should be", "expected")
            raise PathError(f"'{path}': {value!r} does not fit: {msg}") from None
        return
    if target.container in ("list_of_models", "list_of_words", "dict"):
        if value not in ([], {}):
            raise PathError(f"'{path}' is a list: its only value here is [] (none)")
        return
    try:
        _adapter(target.annotation).validate_python(value)
    except ValidationError as exc:
        msg = exc.errors(include_url=False)[0]["msg"].replace("Input should be", "expected")
        raise PathError(f"'{path}': {value!r} does not fit: {msg}") from None


@dataclass
class Builder:
    """Builds case data (the plain dict of a case file) fact by fact; remembers which item is which slot."""

    data: dict[str, Any] = field(default_factory=lambda: {"version": 1})
    # concrete location of a list -> (item model, {slot: index})
    slots: dict[tuple, tuple[type[BaseModel], dict[str, int]]] = field(default_factory=dict)
    #: the existing case `data` came from: a slot not named yet means the item that counts there
    onto: Case | None = None
    #: names for items created in `onto` mode, by list field ('organisations': 'your school')
    names: Mapping[str, str] = field(default_factory=dict)

    def _slot(self, loc: tuple, arg: str, items: list[Any], item_model: Any, create: bool) -> int | None:
        """The index a slot word names at `loc`: known, else (onto a case) the item that counts, else new."""
        if create:
            _, named = self.slots.setdefault(loc, (item_model, {}))
        else:
            named = self.slots[loc][1] if loc in self.slots else {}
        if arg in named:
            return named[arg]
        if self.onto is not None:
            index = self._main_index(loc)
            if not create:
                return index if index < len(items) else None
            while len(items) <= index:
                items.append(_new_item(item_model, loc[-1], self.names))
        elif not create:
            return None
        else:
            items.append({})
            index = len(items) - 1
        named[arg] = index
        return index

    def _main_index(self, loc: tuple) -> int:
        """Which item a slot means in an existing case: the account that counts, else the first item."""
        case = self.onto
        if case is not None and loc == ("accounts",) and case.account is not None:
            return case.accounts.index(case.account)
        return 0

    # -- reading --------------------------------------------------------------------------------
    def get(self, path: str) -> Any:
        segs, _ = resolve(path)
        node: Any = self.data
        loc: tuple = ()
        for seg in segs:
            if not isinstance(node, dict) or seg.name not in node:
                return MISSING
            node = node[seg.name]
            loc = (*loc, seg.name)
            if seg.sel is None:
                continue
            kind, arg = seg.sel
            if kind == "append":
                return node if node else MISSING
            if kind == "ref":
                key = self.get(arg)
                if key is MISSING or not isinstance(node, dict) or key not in node:
                    return MISSING
                node = node[key]
                continue
            if not isinstance(node, list):
                return MISSING
            if kind == "slot":
                pos = self._slot(loc, arg, node, None, create=False)
                if pos is None:
                    return MISSING
                arg = pos
            if arg >= len(node):
                return MISSING
            node = node[arg]
            loc = (*loc, arg)
        return node

    def known(self, path: str) -> bool:
        return self.get(path) is not MISSING

    # -- writing --------------------------------------------------------------------------------
    def set(self, path: str, value: Any) -> bool:
        """Write one fact. Returns False (and changes nothing) when a referenced fact is unknown."""
        segs, target = resolve(path)
        if isinstance(value, str) and value.startswith("@"):
            value = self.get(value[1:])
            if value is MISSING:
                return False
        model: type[BaseModel] = Case
        node: dict[str, Any] = self.data
        loc: tuple = ()
        for i, seg in enumerate(segs):
            last = i == len(segs) - 1
            ann = _strip_optional(model.model_fields[seg.name].annotation)
            loc = (*loc, seg.name)
            if seg.sel is None:
                if last:
                    if isinstance(value, dict) and isinstance(node.get(seg.name), dict):
                        node[seg.name].update(_copy(value))  # {} keeps what is known about the section
                    elif (self.onto is None and isinstance(value, list) and value and get_origin(ann) is list
                          and not _is_model(_strip_optional(get_args(ann)[0]))):
                        # building from nothing, answers add to a list of words, each word once;
                        # a self-check answer about an existing case says what the list now holds
                        words = node.setdefault(seg.name, [])
                        words.extend(v for v in value if v not in words)
                    else:
                        node[seg.name] = _copy(value)
                    return True
                if not isinstance(node.get(seg.name), dict):  # absent or null: the section now exists
                    node[seg.name] = {}
                node = node[seg.name]
                model = ann
                continue
            kind, arg = seg.sel
            if kind == "append":
                words = node.setdefault(seg.name, [])
                if value not in words:
                    words.append(value)
                return True
            if kind == "ref":
                key = self.get(arg)
                if key is MISSING:
                    return False
                node.setdefault(seg.name, {})[key] = value
                return True
            if not isinstance(node.get(seg.name), list):
                node[seg.name] = []
            items = node[seg.name]
            item_model = _strip_optional(get_args(ann)[0])
            if kind == "slot":
                index = self._slot(loc, arg, items, item_model, create=True)
                assert index is not None
            else:
                index = arg
                while len(items) <= index:
                    items.append(_new_item(item_model, seg.name, self.names) if self.onto is not None else {})
            if last:
                if isinstance(value, dict) and isinstance(items[index], dict):
                    items[index].update(_copy(value))  # {} keeps what is known about the item
                else:
                    items[index] = _copy(value)
                return True
            node = items[index]
            loc = (*loc, index)
            model = item_model
        return True  # pragma: no cover

    def copy(self) -> Builder:
        """An independent builder with the same facts and slots (to try an answer without keeping it)."""
        return Builder(data=_copy(self.data), slots={loc: (model, dict(named)) for loc, (model, named)
                                                     in self.slots.items()}, onto=self.onto, names=self.names)

    # -- finishing --------------------------------------------------------------------------------
    def fill_names(self, slot_names: dict[str, str]) -> None:
        """Give every slot item its required name/title: the one given to the same slot elsewhere, else the slot's word."""
        given = self._given_names()
        for loc, (model, named) in self.slots.items():
            items = self._at(loc)
            for slot, index in named.items():
                for key in ("name", "title"):
                    if key in model.model_fields and model.model_fields[key].is_required() and key not in items[index]:
                        items[index][key] = given.get(slot) or slot_names.get(slot, slot)

    def slot_name(self, ref: str, slot_names: dict[str, str]) -> str | None:
        """The name a reference such as 'contacts[partner].name' means even while that item does not exist:
        the name given to the slot anywhere, else the slot's word ('your partner'). None for other paths."""
        segs, _ = resolve(ref)
        last = segs[-2] if len(segs) > 1 and segs[-1].name in ("name", "title") else None
        if last is None or last.sel is None or last.sel[0] != "slot":
            return None
        slot = last.sel[1]
        return self._given_names().get(slot) or slot_names.get(slot, slot)

    def _given_names(self) -> dict[str, str]:
        given: dict[str, str] = {}
        for loc, (model, named) in self.slots.items():
            items = self._at(loc)
            for slot, index in named.items():
                for key in ("name", "title"):
                    if key in model.model_fields and isinstance(items[index].get(key), str) and items[index][key]:
                        given.setdefault(slot, items[index][key])
        return given

    def _at(self, loc: tuple) -> Any:
        node: Any = self.data
        for part in loc:
            node = node[part]
        return node


def _new_item(model: Any, list_name: str, names: Mapping[str, str]) -> dict[str, Any]:
    """A fresh list item with its required name or title (from the content's `names`)."""
    item: dict[str, Any] = {}
    if _is_model(model):
        for key in ("name", "title"):
            if key in model.model_fields and model.model_fields[key].is_required():
                item[key] = names.get(list_name, list_name)
    return item


def apply_sets(case: Case | None, sets: Mapping[str, Any], names: Mapping[str, str] | None = None) -> Case:
    """The case with a self-check answer's facts set (a new case; the input is never changed).

    `case` None means an empty case. Raises AnswerError naming the path when a path or value does not fit.
    """
    base = case or Case()
    builder = Builder(data=base.model_dump(mode="json", exclude_unset=True), onto=base, names=names or {})
    for path, value in sets.items():
        try:
            resolve(path)
        except PathError as exc:
            raise AnswerError(str(exc)) from None
        try:
            builder.set(path, value)
        except PathError as exc:  # the `@path` value names no fact
            raise AnswerError(f"'{path}': {exc}") from None
    builder.data["version"] = 1
    try:
        return Case.model_validate(builder.data)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in err["loc"])
        msg = err["msg"].replace("Input should be", "expected")
        raise AnswerError(f"{', '.join(sets)}: the case would not be valid at {where}: {msg}") from None


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value

