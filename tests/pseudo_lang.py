"""A generated pseudo-language: every catalog message and every content text of English, marked.

`make_project(tmp)` copies the project (guide/, content/, .streamlit/, app.py) and adds language `eo`
(a code CLDR knows, so dates and lists still work): content/eo/ is content/en/ with every text marked,
guide/locales/eo/ is the English catalog with every message marked. Marked means wrapped in ⟦ ⟧ with
its vowels accented (ȧ ḗ ḯ ṓ ṻ), placeholders, link targets, URLs and Markdown kept as they are.
Any visible text without a mark then comes from somewhere else: code, Streamlit, data.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import yaml
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from guide.content.lint import NEUTRAL

ROOT = Path(__file__).resolve().parent.parent
CODE = "eo"
ACCENTS = str.maketrans({"a": "ȧ", "e": "ḗ", "i": "ḯ", "o": "ṓ", "u": "ṻ", "A": "Ȧ", "E": "Ḗ", "I": "Ḯ",
                         "O": "Ṓ", "U": "Ṻ"})
MARKS = set("ȧḗḯṓṻȦḖḮṒṺ⟦⟧")
#: kept exactly: placeholders, link targets, URLs, e-mail addresses, icons and colour directives, HTML tags
_KEEP = re.compile(r"\{[^{}]*\}|\]\([^)]*\)|<[^>]*>|https?://\S+|mailto:\S+|[\w.+-]+@[\w-]+\.[\w.]+"
                   r"|:material/[a-z_]+:|:[a-z]+\[|guide:[a-z]+/\S+")


_LEAD = re.compile(r"^(\s*(?:[-*+]\s+|\d+\.\s+|#+\s+|>\s*)?)")


def mark(text: str) -> str:
    """Every line marked after its Markdown list, heading or quote marker."""
    return "\n".join(_mark_line(line) for line in text.split("\n"))


def _mark_line(text: str) -> str:
    if not text.strip():
        return text
    lead = _LEAD.match(text).group(1)  # type: ignore[union-attr]
    text = text[len(lead):]
    out, last = [], 0
    for m in _KEEP.finditer(text):
        out.append(text[last:m.start()].translate(ACCENTS))
        out.append(m.group())
        last = m.end()
    out.append(text[last:].translate(ACCENTS))
    body = "".join(out)
    return lead + "⟦" + body.rstrip() + "⟧" + body[len(body.rstrip()):]


def is_marked(text: str) -> bool:
    return any(ch in MARKS for ch in text)


def _mark_tree(data: Any, key: str = "") -> Any:
    if isinstance(data, dict):
        # neutral fields (ids, rule lists, URLs) stay; rules.yaml's 'rules' maps ids to texts: marked
        return {k: (v if k in NEUTRAL and not isinstance(v, dict) else _mark_tree(v, str(k)))
                for k, v in data.items()}
    if isinstance(data, list):
        return [_mark_tree(v, key) for v in data]
    if isinstance(data, str):
        return mark(data)
    return data


def make_project(tmp: Path) -> Path:
    copy = tmp / "project"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for part in ("guide", "content", ".streamlit"):
        shutil.copytree(ROOT / part, copy / part, ignore=ignore)
    shutil.copy(ROOT / "app.py", copy / "app.py")
    source = ROOT / "content" / "en"
    for path in sorted(source.rglob("*.yaml")):
        target = copy / "content" / CODE / path.relative_to(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        text = path.read_text(encoding="utf-8")
        first = text.split("\n", 1)[0]
        marked = _mark_tree(yaml.safe_load(text))
        schema = first.replace("$schema=", "$schema=") if first.startswith("#") else ""
        target.write_text((schema + "\n" if schema else "") + yaml.safe_dump(marked, allow_unicode=True, sort_keys=False),
                          encoding="utf-8")
    locale = copy / "guide" / "locales" / CODE / "LC_MESSAGES"
    locale.mkdir(parents=True)
    with (ROOT / "guide" / "locales" / "en" / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        catalog = read_po(fh, locale=CODE)
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, (list, tuple)):
            message.string = tuple(mark(i) for i in (message.id[0], message.id[1]))
        else:
            message.string = mark(message.id)
    with (locale / "messages.po").open("wb") as fh:
        write_po(fh, catalog)
    with (locale / "messages.mo").open("wb") as fh:
        write_mo(fh, catalog)
    return copy
