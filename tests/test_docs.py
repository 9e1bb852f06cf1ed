"""The README and docs/ point to files that exist: a reader following a link finds what it names."""

import re

import pytest

from guide import ROOT

LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]


@pytest.mark.parametrize("doc", DOCS, ids=[str(d.relative_to(ROOT)) for d in DOCS])
def test_every_relative_link_resolves(doc):
    targets = [t for t in LINK.findall(doc.read_text(encoding="utf-8")) if "://" not in t
               and not t.startswith(("mailto:", "guide:"))]
    assert [t for t in targets if not (doc.parent / t).exists()] == []


def test_the_case_format_and_the_rules_are_in_the_repository():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "(docs/contracts/case-v1.md)" in readme and (ROOT / "docs" / "contracts" / "case-v1.md").is_file()
    rules = (ROOT / "docs" / "RULES.md").read_text(encoding="utf-8")
    assert "contracts/case-v1.md" in rules and (ROOT / "docs" / "contracts" / "case-v1.md").is_file()
