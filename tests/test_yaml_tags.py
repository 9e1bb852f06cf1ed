"""The loader's lean tag resolution gives exactly PyYAML's tags, on all content and on tricky scalars;
documents with anchors and aliases still take the careful path (alias bombs are refused)."""

from pathlib import Path

import pytest
import yaml

from guide import CONTENT_DIR
from guide.yamlio import YamlSyntaxError, _DateAsStr, load_text

TRICKY = """
plain: text
empty_quoted: ''
nothing:
tilde: ~
null_word: Null
bools: [yes, No, true, FALSE, on, off, y, n]
ints: [0, -12, +3, 0x1F, 0o17, 1_000, 0b101, 190:20:30]
floats: [1.5, -2e3, .inf, -.Inf, .nan, 6.8523015e+5, 1_0.5]
date: 2026-11-30
stamp: 2026-11-30T09:15:00Z
quoted: ["true", '12', "2026-11-30", "~"]
merge: {<<: {a: 1}}
equals: =
dots: ...x
colon: a:b
leading: [-x, .x, +x, 0y, 1x]
"""


def _tags(node: yaml.Node) -> list[str]:
    found = [node.tag]
    if isinstance(node.value, list):
        for child in node.value:
            for part in child if isinstance(child, tuple) else (child,):
                found.extend(_tags(part))
    return found


def _compose(text: str, loader: type) -> yaml.Node:
    ld = loader(text)
    try:
        return ld.get_single_node()
    finally:
        ld.dispose()


@pytest.mark.parametrize("path", sorted(CONTENT_DIR.glob("**/*.yaml")), ids=lambda p: str(p.relative_to(CONTENT_DIR)))
def test_every_content_file_gets_pyyamls_own_tags(path: Path):
    text = path.read_text(encoding="utf-8")
    assert _tags(_compose(text, _DateAsStr)) == _tags(_compose(text, yaml.SafeLoader))


def test_tricky_scalars_get_pyyamls_own_tags():
    ours = _tags(_compose(TRICKY, _DateAsStr))
    assert ours == _tags(_compose(TRICKY, yaml.SafeLoader))
    assert "tag:yaml.org,2002:timestamp" in ours and "tag:yaml.org,2002:bool" in ours
    data = load_text(TRICKY.replace("equals: =\n", ""), "tricky.yaml")  # "=" has no constructor in PyYAML either
    assert data["date"] == "2026-11-30" and data["nothing"] is None and data["bools"][:2] == [True, False]
    assert data["quoted"] == ["true", "12", "2026-11-30", "~"] and data["ints"][3] == 31


def test_anchors_and_aliases_still_take_the_careful_path():
    assert load_text("a: &x [1, 2]\nb: *x\n", "ok.yaml") == {"a": [1, 2], "b": [1, 2]}
    assert load_text("name: R&D\n", "amp.yaml") == {"name": "R&D"}  # an ampersand alone is text
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [{', '.join(['*' + p] * 10)}]\n" for p, c in zip("abcde", "bcdef", strict=True))
    with pytest.raises(YamlSyntaxError, match="aliases"):
        load_text(bomb, "bomb.yaml")
