"""Imports point down the layers of DESIGN.md: case → content/i18n → rules → sandbox → flows/troubleshoot
→ store/workshop → ui. Every import counts, also one inside a function or one made by name."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from guide.layers import LAYERS, graph, layer_of, module_name, modules, upward


def test_no_module_of_guide_imports_a_higher_layer():
    assert [f"{i.file}:{i.line} {i.source} -> {i.target}" for i in upward()] == []


def test_every_module_has_a_layer():
    for path in modules():
        layer_of(module_name(path))  # raises KeyError naming the module


def test_the_layers_are_designs_order():
    names = [name for name, _ in LAYERS]
    order = ["case", "content", "rules", "sandbox", "flows", "store", "ui"]
    assert [n for n in names if n in order] == order
    assert layer_of("guide.case.model")[1] == "case"
    assert layer_of("guide.steps.account")[1] == "rules"
    assert layer_of("guide.sandbox.outcome")[1] == "sandbox"


def test_the_walk_sees_lazy_and_by_name_imports(tmp_path):
    pkg = tmp_path / "guide"
    (pkg / "case").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "case" / "__init__.py").write_text("")
    (pkg / "case" / "model.py").write_text(textwrap.dedent('''
        from ..errors import GuideError

        def late():
            from ..steps.findings import check

        MODELS = {"x": "guide.flows.journey:Journey"}
    '''))
    found = {(i.source, i.target) for i in graph(pkg)}
    assert found == {("guide.case.model", "guide.errors"), ("guide.case.model", "guide.steps.findings"),
                     ("guide.case.model", "guide.flows.journey")}
    assert sorted((i.file, i.line, i.target) for i in upward(pkg)) == [
        ("guide/case/model.py", 5, "guide.steps.findings"), ("guide/case/model.py", 7, "guide.flows.journey")]


def test_python_m_guide_deps_prints_the_graph_and_no_upward_import():
    run = subprocess.run([sys.executable, "-m", "guide", "deps"], capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "guide.steps -> guide.case, guide.content, guide.errors, guide.i18n" in run.stdout
    assert run.stdout.rstrip().endswith("Upward imports (0)")


def test_no_rule_area_imports_another_area():
    """Facts that rules of several areas read live in guide/steps/facts.py, not in one area's module."""
    from guide.steps.registry import AREAS

    areas = {f"guide.steps.{a}" for a in AREAS}
    crossing = [f"{i.file}:{i.line} {i.source} -> {i.target}" for i in graph()
                if i.source in areas and i.target in areas and i.source != i.target]
    assert crossing == []
