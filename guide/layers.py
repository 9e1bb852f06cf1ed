"""The package's layers and its import graph, read from the source (`python -m guide deps`).

Imports point down: a module may import its own layer and the layers below it, never one above.
The order is DESIGN.md's; a test walks every import (top-level and inside functions) against it.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
_BY_NAME = re.compile(r"^guide(\.[a-z_]+)+:[A-Za-z_]+$")

#: Bottom first. A module belongs to the entry with the longest matching dotted prefix.
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("base", ("guide", "guide.errors", "guide.text", "guide.yamlio", "guide.logs", "guide.lru")),
    ("case", ("guide.case",)),
    ("content", ("guide.content", "guide.i18n")),
    ("rules", ("guide.steps",)),
    # lint checks content against the rule registry: a tool over both, not part of loading content
    ("tools", ("guide.content.lint",)),
    ("sandbox", ("guide.sandbox",)),
    ("flows", ("guide.flows", "guide.troubleshoot", "guide.search", "guide.checklist_export")),
    ("store", ("guide.store", "guide.workshop")),
    # the served app's ASGI parts (probes, middleware, start-up migration): plain ASGI, no streamlit
    ("server", ("guide.server",)),
    ("ui", ("guide.ui",)),
    ("entry", ("guide.cli", "guide.__main__", "guide.layers")),
)


@dataclass(frozen=True)
class Import:
    source: str  # the importing module, dotted
    target: str  # the imported module, dotted
    file: str  # the importing file, relative to the project
    line: int


def _place(module: str) -> tuple[str, int, str]:
    """(unit, layer index, layer name): the unit is the longest prefix in LAYERS that holds `module`."""
    best: tuple[str, int, str] | None = None
    for index, (name, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and (best is None or len(prefix) > len(best[0])):
                best = (prefix, index, name)
    if best is None:
        raise KeyError(f"{module}: in no layer of guide.layers.LAYERS")
    return best


def layer_of(module: str) -> tuple[int, str]:
    """(index, name) of the layer holding `module`; a module outside every layer is an error."""
    _, index, name = _place(module)
    return index, name


def module_name(path: Path, root: Path = PACKAGE_DIR) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules(root: Path = PACKAGE_DIR) -> Iterator[Path]:
    yield from sorted(p for p in root.rglob("*.py") if "migrations" not in p.relative_to(root).parts)


def imports(path: Path, root: Path = PACKAGE_DIR) -> Iterator[Import]:
    """Every import of a guide module in `path`, wherever it stands (function-level ones too, and
    'guide.pkg.module:Name' strings, which are imported by name)."""
    source = module_name(path, root)
    package = source if path.name == "__init__.py" else source.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and _BY_NAME.match(node.value):
            targets = [node.value.partition(":")[0]]  # 'guide.x.models:Name', imported with importlib
        elif isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                stem = ".".join(base + ([node.module] if node.module else []))
            else:
                stem = node.module or ""
            # `from . import x` names a module; `from .m import name` names m
            targets = [f"{stem}.{a.name}" for a in node.names] if node.module is None else [stem]
        else:
            continue
        for target in targets:
            if target == "guide" or target.startswith("guide."):
                yield Import(source, target, str(path.relative_to(root.parent)), node.lineno)


def graph(root: Path = PACKAGE_DIR) -> list[Import]:
    return [imp for path in modules(root) for imp in imports(path, root)]


def upward(root: Path = PACKAGE_DIR) -> list[Import]:
    """Imports that point to a higher layer than their module's."""
    return [i for i in graph(root) if layer_of(i.target)[0] > layer_of(i.source)[0]]


def report(root: Path = PACKAGE_DIR) -> list[str]:
    """The package graph by layer, then every import that points up (what `python -m guide deps` prints)."""
    edges: dict[str, set[str]] = {}
    for imp in graph(root):
        src, dst = _place(imp.source)[0], _place(imp.target)[0]
        edges.setdefault(src, set())
        if src != dst:
            edges[src].add(dst)
    lines = ["Layers (bottom first) and the packages each imports:"]
    for index, (name, _) in enumerate(LAYERS):
        members = sorted(p for p in edges if _place(p)[1] == index)
        if not members:
            continue
        lines.append(f"{index} {name}")
        for pkg in members:
            lines.append(f"    {pkg} -> {', '.join(sorted(edges[pkg])) or '(nothing)'}")
    ups = upward(root)
    lines.append(f"Upward imports ({len(ups)})")
    for imp in ups:
        lines.append(f"  {imp.file}:{imp.line} {imp.source} ({layer_of(imp.source)[1]}) -> "
                     f"{imp.target} ({layer_of(imp.target)[1]})")
    return lines
