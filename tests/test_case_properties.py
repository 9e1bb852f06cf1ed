"""Proof by property tests (issue 12): Hypothesis makes case files (valid ones from the scenarios, mutated
ones, hostile YAML structures) and every one ends as a case or as short file/line problems, never as
another exception; through `python -m guide diagnose` it ends in exit 0 or 2 without a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guide import CONTENT_DIR
from guide.case.model import Case, dump_case, load_case, parse_case
from guide.cli import main
from guide.errors import CaseError
from guide.yamlio import MAX_PROBLEMS

SCENARIOS = sorted((CONTENT_DIR / "scenarios").glob("*.yaml"))
VALID = [p.read_text(encoding="utf-8") for p in SCENARIOS]
NOISE = ["*a", "&a ", "<<: ", "- ", ": ", "{", "}", "[", "]", "'", '"', "\\e", "\t", "\n", "#", "!!python/name:os",
         "!!binary ", "9" * 40, "1e999", "~", "null", "? ", "|", "\u202e", "\x00", "\ufeff", "---\n", "...\n"]


def _answered(text: str, name: str = "c.yaml") -> Case | CaseError:
    """parse_case's answer; anything but a Case or a CaseError fails the test."""
    try:
        return parse_case(text, name)
    except CaseError as exc:
        assert exc.problems and len(exc.problems) <= MAX_PROBLEMS + 1
        for p in exc.problems:
            assert p.file == name
            assert len(str(p)) < 700, str(p)[:200]
        return exc


@st.composite
def mutated(draw) -> str:
    text = draw(st.sampled_from(VALID))
    for _ in range(draw(st.integers(1, 6))):
        if not text:
            break
        at = draw(st.integers(0, len(text) - 1))
        kind = draw(st.sampled_from(["insert", "delete", "replace", "dup-line"]))
        if kind == "insert":
            text = text[:at] + draw(st.one_of(st.sampled_from(NOISE), st.text(max_size=5))) + text[at:]
        elif kind == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 20)):]
        elif kind == "replace":
            text = text[:at] + draw(st.characters(exclude_categories=("Cs",))) + text[at + 1:]
        else:
            lines = text.splitlines(keepends=True)
            i = draw(st.integers(0, len(lines) - 1))
            text = "".join(lines[:i + 1] + lines[i:])
    return text


scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=30),
                    st.sampled_from(["teacher", "NL", "2026-02-30", "validated", "create_project", "x" * 500]))
yaml_trees = st.recursive(scalars, lambda children: st.one_of(
    st.lists(children, max_size=6),
    st.dictionaries(st.one_of(st.sampled_from(["version", "person", "wants", "accounts", "name", "role",
                                               "projects", "title", "status", "today", "id"]), st.text(max_size=8)),
                    children, max_size=6)), max_leaves=40)


@given(st.sampled_from(SCENARIOS))
def test_every_valid_case_reads_back_as_itself(path):
    case = load_case(path)
    assert parse_case(dump_case(case)) == case


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_a_mutated_case_file_is_a_case_or_short_problems(text):
    _answered(text)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(yaml_trees)
def test_any_yaml_structure_is_a_case_or_short_problems(tree):
    _answered(yaml.safe_dump({"version": 1, "person": tree, "wants": tree, "projects": [tree]},
                             allow_unicode=True))


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(1, 9), st.integers(2, 9), st.sampled_from(["person:\n  role: ", "wants:\n- ", "x: ",
                                                               "accounts:\n- id: "]))
def test_nested_aliases_are_a_case_or_one_problem(depth, width, where):
    text = "version: 1\nanchors:\n- &r0 [l]\n"
    for i in range(1, depth + 1):
        text += f"- &r{i} [{', '.join([f'*r{i - 1}'] * width)}]\n"
    result = _answered(text + f"{where}*r{depth}\n")
    assert isinstance(result, CaseError)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(st.one_of(mutated(), yaml_trees.map(lambda t: yaml.safe_dump({"version": 1, "person": t}))))
def test_the_cli_exits_0_or_2(tmp_path, capsys, text):
    path = Path(tmp_path) / "case.yaml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    code = main(["diagnose", str(path), "--lang", "en"])
    out, err = capsys.readouterr()
    assert code in (0, 2), err
    assert "Traceback" not in err and "\x1b" not in out + err


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_the_scenarios_are_valid_cases(path):
    assert isinstance(_answered(path.read_text(encoding="utf-8"), path.name), Case)
