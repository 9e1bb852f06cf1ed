"""Self-check answers -> the case: a small case-path syntax and pure functions that apply it.

A path names one fact of the teacher's case, field by field as case-v1 spells them:

    profile.available_for_projects         a field of a section (the section is created if absent)
    eu_login: {}                           the section exists; nothing else known (a mapping merges)
    eu_login: null                         the section is absent (e.g. 'I have no EU Login')
    accounts[main].joined_etwinning        `[main]`: the item that counts (for accounts the first live
                                           one, else the first item); created when the list is empty
    organisations: []                      the list is empty: 'none'
    accounts[main].email: "@eu_login.email"  a value `@path` copies another fact (skipped if it is absent)

Paths are checked against the case model with guide.troubleshoot.paths (one syntax for both features);
the resulting case is validated by the case model, so an answer can never produce an invalid case.
"""

from __future__ import annotations

import copy
import types
import typing
from collections.abc import Mapping
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from ..errors import GuideError
from ..sandbox.case import Case
from ..troubleshoot.paths import PathError, Seg, resolve

_ABSENT: Any = object()


class AnswerError(GuideError, ValueError):
    """A self-check answer whose case path or value does not fit the case model."""


def _unwrap(ann: Any) -> Any:
    if get_origin(ann) in (Union, types.UnionType):
        args = [a for a in get_args(ann) if a is not type(None)]
        if len(args) == 1:
            return _unwrap(args[0])
    if get_origin(ann) is typing.Annotated:
        return _unwrap(get_args(ann)[0])
    return ann


def _new_item(model: Any, list_name: str, names: Mapping[str, str]) -> dict[str, Any]:
    """A fresh list item with its required name or title (from the content's `names`)."""
    item: dict[str, Any] = {}
    if isinstance(model, type) and issubclass(model, BaseModel):
        for key in ("name", "title"):
            if key in model.model_fields and model.model_fields[key].is_required():
                item[key] = names.get(list_name, list_name)
    return item


def _main_index(case: Case | None, list_name: str, depth: int) -> int:
    """Which item `[main]` means: the account that counts, else the first item."""
    if case is not None and depth == 0 and list_name == "accounts" and case.account is not None:
        return case.accounts.index(case.account)
    return 0


def _get(data: dict[str, Any], segs: list[Seg], case: Case | None) -> Any:
    node: Any = data
    for depth, seg in enumerate(segs):
        if not isinstance(node, dict) or node.get(seg.name) is None:
            return _ABSENT
        node = node[seg.name]
        if seg.sel is not None:
            index = _main_index(case, seg.name, depth) if seg.sel[0] == "slot" else seg.sel[1]
            if not isinstance(node, list) or index >= len(node):
                return _ABSENT
            node = node[index]
    return node


def _set(data: dict[str, Any], segs: list[Seg], value: Any, case: Case | None, names: Mapping[str, str]) -> None:
    node: dict[str, Any] = data
    model: Any = Case
    for depth, seg in enumerate(segs):
        last = depth == len(segs) - 1
        ann = _unwrap(model.model_fields[seg.name].annotation)
        if seg.sel is None:
            if last:
                if isinstance(value, dict) and isinstance(node.get(seg.name), dict):
                    node[seg.name].update(copy.deepcopy(value))  # {} keeps what the case knows already
                else:
                    node[seg.name] = copy.deepcopy(value)
                return
            if not isinstance(node.get(seg.name), dict):
                node[seg.name] = {}
            node, model = node[seg.name], ann
            continue
        kind, arg = seg.sel
        if kind not in ("slot", "index"):
            raise AnswerError(f"'{seg.name}[...]': self-check answers name items with [main] or a number")
        item_model = _unwrap(get_args(ann)[0])
        items = node.get(seg.name)
        if not isinstance(items, list):
            items = node[seg.name] = []
        index = _main_index(case, seg.name, depth) if kind == "slot" else arg
        while len(items) <= index:
            items.append(_new_item(item_model, seg.name, names))
        if last:
            if isinstance(value, dict) and isinstance(items[index], dict):
                items[index].update(copy.deepcopy(value))
            else:
                items[index] = copy.deepcopy(value)
            return
        node, model = items[index], item_model


def apply_sets(case: Case | None, sets: Mapping[str, Any], names: Mapping[str, str] | None = None) -> Case:
    """The case with the answer's facts set (a new case; the input is never changed).

    `case` None means an empty case. Raises AnswerError naming the path when a path or value does not fit.
    """
    names = names or {}
    base = case or Case()
    data = base.model_dump(mode="json", exclude_unset=True)
    for path, value in sets.items():
        try:
            segs, _ = resolve(path)
        except PathError as exc:
            raise AnswerError(str(exc)) from None
        if isinstance(value, str) and value.startswith("@"):
            try:
                ref_segs, _ = resolve(value[1:])
            except PathError as exc:
                raise AnswerError(f"'{path}': {exc}") from None
            value = _get(data, ref_segs, base)
            if value is _ABSENT:
                continue
        _set(data, segs, value, base, names)
    data["version"] = 1
    try:
        return Case.model_validate(data)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in err["loc"])
        msg = err["msg"].replace("Input should be", "expected")
        raise AnswerError(f"{', '.join(sets)}: the case would not be valid at {where}: {msg}") from None


def same_case(a: Case, b: Case) -> bool:
    return a.model_dump() == b.model_dump()


def current_answer(case: Case, answers: list[Any], names: Mapping[str, str] | None = None) -> str | None:
    """The id of the first answer the case already agrees with (applying it changes nothing), else None."""
    for answer in answers:
        try:
            if same_case(apply_sets(case, answer.sets, names), case):
                return answer.id
        except AnswerError:
            continue
    return None
