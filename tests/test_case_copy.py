"""A sandbox action works on a copy of the case (guide.sandbox.outcome.copy): the same case as pydantic's deep
copy gives, down to which fields were given (a rule may tell 'not given' from a default), and nothing
shared with the original, so an action can never change the case it was given."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import BaseModel

from guide.case.model import Case
from guide.sandbox.actions import apply
from guide.sandbox.outcome import copy
from guide.sandbox.scenarios import load_scenario, scenario_ids


def _fields_given(value, path="case"):
    """{path: the fields given} of every model in the case."""
    out = {}
    if isinstance(value, BaseModel):
        out[path] = set(value.model_fields_set)
        for name, inner in value.__dict__.items():
            out.update(_fields_given(inner, f"{path}.{name}"))
    elif isinstance(value, list):
        for i, inner in enumerate(value):
            out.update(_fields_given(inner, f"{path}[{i}]"))
    return out


def _mutable_parts(value):
    """id -> object of every model, list and dict in the case."""
    found = {}
    if isinstance(value, BaseModel | list | dict):
        found[id(value)] = value
        inner = value.__dict__.values() if isinstance(value, BaseModel) else value.values() \
            if isinstance(value, dict) else value
        for v in inner:
            found.update(_mutable_parts(v))
    return found


def _worked_case() -> Case:
    """A case after a run of actions: lists of models, dates and fields set by the actions."""
    case = load_scenario("blank-start")
    for action, args in [("create_eu_login", {"email": "ann@example.org", "email_kind": "private"}),
                         ("confirm_eu_login", {}), ("register_account", {"email": "ann@example.org"}),
                         ("join_etwinning", {}), ("edit_profile", {"description": "Maths", "subjects": ["Maths"],
                                                                   "languages": ["en"]})]:
        case = apply(case, action, **args).case
    return case


@pytest.mark.parametrize("case", [Case(), _worked_case(), *(load_scenario(s) for s in scenario_ids())],
                         ids=["empty", "worked", *scenario_ids()])
def test_a_copy_is_the_same_case_with_the_same_fields_given_and_shares_nothing_that_can_change(case):
    copied = copy(case)
    assert copied == case == case.model_copy(deep=True)
    assert copied.model_dump_json(exclude_unset=True) == case.model_dump_json(exclude_unset=True)
    assert _fields_given(copied) == _fields_given(case)
    assert not set(_mutable_parts(copied)) & set(_mutable_parts(case))


def test_changing_a_copy_leaves_the_original_as_it_was():
    case = _worked_case()
    before = case.model_dump_json()
    copied = copy(case)
    copied.profile.subjects.append("History")
    copied.eu_login.email = "bob@example.org"
    copied.today = dt.date(2030, 1, 1)
    assert case.model_dump_json() == before and copied != case
