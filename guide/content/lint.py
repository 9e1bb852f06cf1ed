"""`python -m guide lint`: every content problem in one run, each with file, line, field path and expectation.

Categories follow i18n-tasks: missing / extra (parity between languages), inconsistent placeholders,
same as the other language (probably untranslated), plus unknown rule ids, rules that differ between
languages, dead internal links, empty text, invalid files and missing schema pointers.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import CONTENT_DIR, LANGUAGES, LOCALE_DIR, find_languages
from ..errors import Problem, suggestion
from ..text import placeholders
from ..yamlio import YamlSyntaxError, line_of, load_text
from .loader import FILES, NEUTRAL_FILES, SCENARIO_DIR, content_files, parse_file_with, read_language

#: Fields whose values are the same in every language (ids, numbers, URLs, rule ids ...).
NEUTRAL = {"id", "number", "rules", "rule", "kind", "url", "email", "phone", "link", "sets", "source",
           "variant", "value", "path", "when", "ask_if", "flow", "steps_ref", "scenario", "success", "milestones",
           "checked"}
#: Neutral fields whose values must be equal across languages (a difference is a content bug).
MUST_MATCH = {"id", "number", "rules", "rule", "kind", "url", "email", "phone", "link", "sets",
              "value", "path", "when", "ask_if", "success", "milestones", "checked"}
#: Fields that may legitimately read the same in both languages (platform labels, names, terms).
SAME_OK = {"ui_labels", "term", "label", "title", "name", "help"}  # help: the platform's own (English) help text
LINK = re.compile(r"guide:([a-z]+)/([^)\s\"'>]+)")
SCHEMA_LINE = re.compile(r"#\s*yaml-language-server:\s*\$schema=(\S+)")

CATEGORIES = {
    "invalid": "Invalid files",
    "missing": "Missing translations",
    "extra": "Extra keys (not in the other language)",
    "rules_differ": "Rule ids or neutral values that differ between languages",
    "unknown_rule": "Unknown rule ids",
    "no_fix": "Rules without fix text",
    "variants": "Fix variants that differ from the rule's declared variants",
    "placeholders": "Inconsistent placeholders",
    "same": "Same as the other language (probably untranslated)",
    "empty": "Empty text",
    "dead_link": "Dead internal links",
    "schema": "Missing schema pointer",
    "unsourced_url": "URLs without a source (list them in content/sources.yaml)",
}


@dataclass
class Report:
    problems: dict[str, list[Problem]] = field(default_factory=lambda: defaultdict(list))

    def add(self, category: str, problem: Problem) -> None:
        if problem not in self.problems[category]:  # a shared structure file is read once per language
            self.problems[category].append(problem)

    @property
    def count(self) -> int:
        return sum(len(v) for v in self.problems.values())

    def lines(self) -> list[str]:
        out: list[str] = []
        for cat, title in CATEGORIES.items():
            probs = self.problems.get(cat)
            if probs:
                out.append(f"{title} ({len(probs)})")
                out.extend(f"  {p}" for p in probs)
        return out


_UNREADABLE = object()


@dataclass
class _File:
    lang: str
    rel: str          # path inside the language folder, e.g. chapters/3.yaml
    display: str      # path shown to a person, e.g. content/nl/chapters/3.yaml
    text: str
    data: Any


def _walk(data: Any, loc: tuple = (), key: tuple = ()) -> Iterator[tuple[tuple, tuple, Any]]:
    """(key path with ids, loc with indexes, value) for every node; list items keyed by their id."""
    yield key, loc, data
    if isinstance(data, dict):
        for k, v in data.items():
            yield from _walk(v, (*loc, k), (*key, str(k)))
    elif isinstance(data, list) and any(isinstance(v, dict) for v in data):
        for i, v in enumerate(data):
            ident = v.get("id") if isinstance(v, dict) else None
            yield from _walk(v, (*loc, i), (*key, f"[{ident}]" if ident is not None else f"[{i}]"))


def _field(key: tuple) -> str:
    named = [k for k in key if not k.startswith("[")]
    return named[-1] if named else ""


def _show(key: tuple) -> str:
    return "".join(k if k.startswith("[") else f".{k}" for k in key).lstrip(".")


def _read_files(root: Path, lang: str, report: Report) -> dict[str, _File]:
    files: dict[str, _File] = {}
    lang_dir = root / lang
    for _kind, path in content_files(lang_dir):
        rel = path.relative_to(lang_dir).as_posix()
        display = f"{root.name}/{lang}/{rel}"
        try:
            text = path.read_text(encoding="utf-8")
            data = load_text(text, display)
        except (YamlSyntaxError, UnicodeDecodeError):
            files[rel] = _File(lang, rel, display, "", _UNREADABLE)  # reported by read_language as invalid
            continue
        files[rel] = _File(lang, rel, display, text, data)
        pointer = SCHEMA_LINE.search(text.split("\n", 1)[0])
        if not pointer:
            report.add("schema", Problem(display, "first line should be '# yaml-language-server: $schema=...' so editors check the file", 1))
        elif not (path.parent / pointer.group(1)).is_file():
            report.add("schema", Problem(display, f"schema {pointer.group(1)} does not exist (run `python -m guide schema`)", 1))
    return files


def _problem(f: _File, loc: tuple, key: tuple, message: str) -> Problem:
    return Problem(f.display, message, line_of(f.text, loc), _show(key))


def lint(root: Path = CONTENT_DIR, languages: tuple[str, ...] = LANGUAGES) -> Report:
    from ..steps.registry import all_rules

    report = Report()
    rules = all_rules()
    rule_ids = set(rules)
    neutral = {f"{root.name}/{rel}" for rel in NEUTRAL_FILES}
    contents = {}
    for lang in languages:
        content, problems = read_language(lang, root)
        contents[lang] = content
        for p in problems:
            if p.file not in neutral:  # _check_neutral reports those, once
                report.add("invalid", p)
    files = {lang: _read_files(root, lang, report) for lang in languages}

    # What internal links may point at: ids of every language's content.
    targets: dict[str, set[str]] = defaultdict(set)
    for content in contents.values():
        targets["chapter"] |= set(content.chapter_by_id)
        targets["section"] |= set(content.section_by_id)
        targets["step"] |= set(content.step_by_id)
        targets["faq"] |= set(content.faq_by_id)
        targets["glossary"] |= set(content.glossary_by_id)
        targets["checklist"] |= set(content.checklist_by_id)
    targets["rule"] = rule_ids

    for lang in languages:
        for f in files[lang].values():
            if f.data is not _UNREADABLE:
                _check_file(f, rule_ids, targets, report)
        texts = contents[lang].rule_texts
        if "rules.yaml" in files[lang]:
            for rid in sorted(rule_ids - set(texts)):
                report.add("no_fix", Problem(files[lang]["rules.yaml"].display, f"rule '{rid}' has no title and fix", None, f"rules.{rid}"))
            for rid, text in texts.items():
                if rid in rules:
                    _check_variants(files[lang]["rules.yaml"], rid, rules[rid].variants, text.fix, report)

    _check_neutral(root, rule_ids, report)
    _check_urls(root, languages, report)
    base, *others = languages
    for other in others:
        _parity(files[base], files[other], root, (base, other), report)
    return report


def _check_neutral(root: Path, rule_ids: set[str], report: Report) -> None:
    """Language-neutral files and the scenario case files: valid, pointing to their schema, naming only
    rules of the catalogue (`rules`, `done_when`)."""
    from ..case.model import load_case
    from ..errors import CaseError

    checks: list[tuple[Path, str | None]] = [(root / rel, spec) for rel, spec in NEUTRAL_FILES.items()]
    checks += [(path, None) for path in sorted((root / SCENARIO_DIR).glob("*.yaml"))]
    for path, spec in checks:
        display = f"{root.name}/{path.relative_to(root).as_posix()}"
        if not path.is_file():
            report.add("invalid", Problem(display, "file is missing"))
            continue
        if spec is None:
            try:
                load_case(path)
            except CaseError as exc:
                for p in exc.problems:
                    report.add("invalid", Problem(display, p.message, p.line, p.path))
        else:
            _, problems, _ = parse_file_with(spec, path, display)
            for p in problems:
                report.add("invalid", p)
        text = path.read_text(encoding="utf-8", errors="replace")
        if spec is not None:
            _check_rule_ids(display, text, rule_ids, report)
        first = text.split("\n", 1)[0]
        pointer = SCHEMA_LINE.search(first)
        if not pointer:
            report.add("schema", Problem(display, "first line should be '# yaml-language-server: $schema=...' so editors check the file", 1))
        elif not (path.parent / pointer.group(1)).is_file():
            report.add("schema", Problem(display, f"schema {pointer.group(1)} does not exist (run `python -m guide schema`)", 1))


def _check_urls(root: Path, languages: tuple[str, ...], report: Report) -> None:
    """Every URL in a content file (any language, the neutral files, the scenarios) is listed in
    content/sources.yaml with the handbook lines or the public page (and date) it comes from."""
    from .sources import Sources, urls_in

    sources_path = root / "sources.yaml"
    listed: set[str] = set()
    if sources_path.is_file():
        model, _, _ = parse_file_with(NEUTRAL_FILES["sources.yaml"], sources_path, "sources.yaml")
        if isinstance(model, Sources):
            listed = set(model.urls)
    paths = [p for lang in languages for _, p in content_files(root / lang)]
    paths += [root / rel for rel in NEUTRAL_FILES if rel != "sources.yaml"]
    paths += sorted((root / SCENARIO_DIR).glob("*.yaml"))
    for path in paths:
        if not path.is_file():
            continue
        display = f"{root.name}/{path.relative_to(root).as_posix()}"
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        for number, line in enumerate(lines, 1):
            if line.lstrip().startswith("#"):
                continue  # a comment is not shown to anyone
            for url in urls_in(line):
                if url not in listed:
                    report.add("unsourced_url", Problem(
                        display, f"{url}: no source; add it to {root.name}/sources.yaml with the handbook lines "
                                 "that give it, or the public page and the date it was checked", number))


def _check_variants(f: _File, rid: str, declared: tuple[str, ...], fix: str | dict[str, str],
                    report: Report) -> None:
    """The fix texts of a rule are exactly the variants it declares: one text when it declares none."""
    loc = ("rules", rid, "fix")
    if isinstance(fix, str):
        if declared:
            report.add("variants", Problem(f.display, f"one text, but the rule chooses between the variants "
                                                      f"{', '.join(declared)}: give a text for each",
                                           line_of(f.text, loc), f"rules.{rid}.fix"))
        return
    for variant in declared:
        if variant not in fix:
            report.add("variants", Problem(f.display, f"variant '{variant}' missing: the rule can produce it",
                                           line_of(f.text, loc), f"rules.{rid}.fix"))
    for variant in fix:
        if variant not in declared:
            known = f"it declares {', '.join(declared)}" if declared else "it declares none"
            report.add("variants", Problem(f.display, f"variant '{variant}' is never produced by the rule ({known})"
                                                      f"{suggestion(variant, declared)}",
                                           line_of(f.text, (*loc, variant)), f"rules.{rid}.fix.{variant}"))


def _check_rule_ids(display: str, text: str, rule_ids: set[str], report: Report) -> None:
    try:
        data = load_text(text, display)
    except YamlSyntaxError:
        return  # reported as invalid
    for key, loc, value in _walk(data):
        if _field(key) in ("rules", "done_when") and isinstance(value, list):
            for rid in value:
                if isinstance(rid, str) and rid not in rule_ids:
                    report.add("unknown_rule", Problem(display, f"'{rid}' is not a rule of the catalogue"
                                                       f"{suggestion(rid, rule_ids)}", line_of(text, loc), _show(key)))


def _check_file(f: _File, rule_ids: set[str], targets: dict[str, set[str]], report: Report) -> None:
    is_rules_file = f.rel == "rules.yaml"
    for key, loc, value in _walk(f.data):
        name = _field(key)
        if is_rules_file and len(key) == 2 and key[0] == "rules" and key[1] not in rule_ids:
            report.add("unknown_rule", _problem(f, loc, key, f"'{key[1]}' is not a rule of the catalogue{suggestion(key[1], rule_ids)}"))
        if name in ("rules", "rule", "success") and not (is_rules_file and len(key) <= 2):
            for rid in value if isinstance(value, list) else [value]:
                if isinstance(rid, str) and rid not in rule_ids:
                    report.add("unknown_rule", _problem(f, loc, key, f"'{rid}' is not a rule of the catalogue{suggestion(rid, rule_ids)}"))
        if isinstance(value, str):
            # a value under `sets` (a case fact such as an empty title) may be empty; its key is a case path
            if not value.strip() and name not in NEUTRAL and "sets" not in key:
                report.add("empty", _problem(f, loc, key, "text is empty; write it or remove the field"))
            for kind, ident in LINK.findall(value):
                if kind not in targets:
                    report.add("dead_link", _problem(f, loc, key, f"guide:{kind}/{ident}: unknown kind '{kind}'{suggestion(kind, targets)}"))
                elif ident not in targets[kind]:
                    report.add("dead_link", _problem(f, loc, key, f"guide:{kind}/{ident} does not resolve{suggestion(ident, targets[kind])}"))


def _nodes(f: _File) -> dict[tuple, tuple[tuple, Any]]:
    return {key: (loc, value) for key, loc, value in _walk(f.data)}


def _parity(base_files: dict[str, _File], other_files: dict[str, _File], root: Path, langs: tuple[str, str],
            report: Report) -> None:
    base_lang, other_lang = langs
    for rel in sorted(set(base_files) | set(other_files)):
        a, b = base_files.get(rel), other_files.get(rel)
        if a is None or b is None:
            have = a or b
            assert have is not None
            lacking = other_lang if b is None else base_lang
            report.add("missing", Problem(f"{root.name}/{lacking}/{rel}", f"file is missing ({have.display} exists)"))
            continue
        if a.data is _UNREADABLE or b.data is _UNREADABLE:
            continue  # parity of a file that does not parse means nothing; it is reported as invalid
        na, nb = _nodes(a), _nodes(b)
        for key in na:
            if key and key not in nb and key[:-1] in nb:
                report.add("missing", Problem(b.display, f"missing ({a.lang} has it)", line_of(b.text, nb[key[:-1]][0]), _show(key)))
        for key, (loc, _) in nb.items():
            if key and key not in na and key[:-1] in na:
                report.add("extra", _problem(b, loc, key, f"not in {a.lang}"))
        for key, (loc_b, vb) in nb.items():
            if key not in na:
                continue
            va = na[key][1]
            named = [k for k in key if not k.startswith("[")]
            if rel == "rules.yaml" and named[:1] == ["rules"]:
                named = named[1:]  # rules.yaml's top-level 'rules' maps ids to texts; it is not a list of ids
            name = named[-1] if named else ""
            if any(k in MUST_MATCH for k in named[:-1]):
                continue  # compared as a whole at the neutral ancestor
            if name in MUST_MATCH:
                if va != vb:
                    report.add("rules_differ", _problem(b, loc_b, key, f"{vb!r} differs from {a.lang} {va!r}"))
                continue
            if not (isinstance(va, str) and isinstance(vb, str)) or any(k in NEUTRAL for k in named):
                continue
            pa, pb = placeholders(va), placeholders(vb)
            for ph in sorted(pa - pb):
                report.add("placeholders", _problem(b, loc_b, key, f"placeholder {{{ph}}} missing ({a.lang} has it)"))
            for ph in sorted(pb - pa):
                report.add("placeholders", _problem(b, loc_b, key, f"placeholder {{{ph}}} not in {a.lang}"))
            if (va.strip() and va.strip() == vb.strip() and name not in SAME_OK and len(va.split()) > 2
                    and not va.startswith("http")):
                report.add("same", _problem(b, loc_b, key, f"identical to {a.lang}: translate it"))


#: The language the UI's messages are written in: its catalog needs no translations.
SOURCE_LANGUAGE = "en"


@dataclass(frozen=True)
class Completeness:
    lang: str
    content_done: int   # texts of the first language's content that this language has too (not empty)
    content_total: int
    ui_done: int        # UI catalog messages translated (all of them for the source language)
    ui_total: int

    def line(self) -> str:
        from ..i18n import language_name

        def pct(done: int, total: int) -> str:
            return f"{100 * done // total if total else 100}%"

        ui = ("source language" if self.lang == SOURCE_LANGUAGE
              else f"{pct(self.ui_done, self.ui_total)} ({self.ui_done}/{self.ui_total} messages)")
        return (f"  {self.lang} ({language_name(self.lang)}): content {pct(self.content_done, self.content_total)} "
                f"({self.content_done}/{self.content_total} texts), UI {ui}")


def _texts(files: dict[str, _File]) -> dict[tuple[str, tuple], str]:
    out: dict[tuple[str, tuple], str] = {}
    for rel, f in files.items():
        if f.data is _UNREADABLE:
            continue
        for key, _loc, value in _walk(f.data):
            named = [k for k in key if not k.startswith("[")]
            if isinstance(value, str) and not any(k in NEUTRAL for k in named):
                out[(rel, key)] = value
    return out


def _translated(string: object) -> bool:
    """A catalog entry's msgstr is filled in (every form of a plural)."""
    if isinstance(string, str):
        return bool(string)
    return isinstance(string, (list, tuple)) and all(bool(s) for s in string)


def completeness(root: Path = CONTENT_DIR, languages: tuple[str, ...] | None = None,
                 locale_dir: Path = LOCALE_DIR) -> list[Completeness]:
    """How complete each language is: its content against the first language's, its UI catalog."""
    from babel.messages.pofile import read_po

    languages = languages or find_languages(root, locale_dir)
    quiet = Report()
    texts = {lang: _texts(_read_files(root, lang, quiet)) for lang in languages}
    base = texts[languages[0]]
    out = []
    for lang in languages:
        done = sum(1 for k in base if texts[lang].get(k, "").strip())
        po = locale_dir / lang / "LC_MESSAGES" / "messages.po"
        ui_done = ui_total = 0
        if po.is_file():
            with po.open("rb") as fh:
                messages = [m for m in read_po(fh) if m.id]
            ui_total = len(messages)
            ui_done = ui_total if lang == SOURCE_LANGUAGE else sum(1 for m in messages if _translated(m.string))
        out.append(Completeness(lang, done, len(base), ui_done, ui_total))
    return out


def lint_lines(root: Path = CONTENT_DIR) -> tuple[int, list[str]]:
    languages = find_languages(root, LOCALE_DIR) if root != CONTENT_DIR else LANGUAGES
    report = lint(root, languages)
    complete = ["Languages (found in content/<lang>/ and guide/locales/<lang>/):",
                *(c.line() for c in completeness(root, languages))]
    if report.count:
        return 2, [*report.lines(), *complete, f"{report.count} problem(s) in {root}"]
    return 0, [*complete, f"content OK: {', '.join(languages)} in {root} ({len(FILES)} kinds of file)"]

