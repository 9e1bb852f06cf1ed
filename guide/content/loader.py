"""Loads content/<lang>/ into validated models, once per process, with file:line messages on error."""

from __future__ import annotations

import gc
import importlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from .. import CONTENT_DIR, LANGUAGES
from ..errors import ContentError, Problem
from ..yamlio import YamlSyntaxError, load_text, problems_from_validation
from .models import Chapter, Checklist, FaqEntry, GlossaryEntry, RuleText, Section, Step
from .parsecache import ParseCache, digest

#: Every content file of a language and its model ("module:Class", imported lazily).
#: A folder entry ("chapters/") holds one file per item. Adding a kind of content = one line here.
FILES: dict[str, str] = {
    "chapters/": "guide.content.models:Chapter",
    "faq.yaml": "guide.content.models:Faq",
    "glossary.yaml": "guide.content.models:Glossary",
    "links.yaml": "guide.content.models:Links",
    "checklists.yaml": "guide.content.models:Checklists",
    "rules.yaml": "guide.content.models:RuleTexts",
    "terms.yaml": "guide.content.models:Terms",
    "scenarios.yaml": "guide.content.models:Scenarios",
    "symptoms.yaml": "guide.content.symptoms:SymptomTexts",
    "flows.yaml": "guide.content.flows:FlowTexts",
    "accessibility.yaml": "guide.content.models:AccessibilityStatement",
}

#: Language-neutral content files (paths under content/) and their models: data, not prose.
NEUTRAL_FILES: dict[str, str] = {
    "nso.yaml": "guide.content.nso:NsoContacts",
    "sources.yaml": "guide.content.sources:Sources",
    "sandbox/world.yaml": "guide.content.world:World",
    "symptoms.yaml": "guide.content.symptoms:SymptomStructure",
    "flows.yaml": "guide.content.flows:FlowStructure",
}
#: Language files that hold only words for a neutral file's structure (same name under content/): the
#: function that joins them into what the app reads. The language model holds only the words.
COMBINED: dict[str, str] = {
    "symptoms.yaml": "guide.content.symptoms:combine",
    "flows.yaml": "guide.content.flows:combine",
}
#: Case files for practice and tests (content/scenarios/*.yaml), validated as case-v1.
SCENARIO_DIR = "scenarios"

#: Chapters in the handbook's order (file names in content/<lang>/chapters/ without .yaml).
CHAPTER_ORDER = ("intro", "etwinning", "netiquette", *(str(n) for n in range(1, 17)))


def model_for(spec: str) -> Any:
    """The model (or function) named by "module:Name"."""
    module, _, name = spec.partition(":")
    return getattr(importlib.import_module(module), name)


@dataclass
class Content:
    """All content of one language."""

    lang: str
    root: Path
    files: dict[str, BaseModel] = field(default_factory=dict)
    chapters: list[Chapter] = field(default_factory=list)

    def get(self, name: str) -> Any:
        return self.files.get(name)

    def require(self, name: str) -> Any:
        """The file's model; a ContentError naming the file when this language lacks it."""
        found = self.files.get(name)
        if found is None:
            raise ContentError([Problem(f"{self.root.name}/{self.lang}/{name}", "file is missing")])
        return found

    # -- indexes (built once) ------------------------------------------------------------------
    @cached_property
    def chapter_by_id(self) -> dict[str, Chapter]:
        return {c.id: c for c in self.chapters}

    @cached_property
    def section_by_id(self) -> dict[str, tuple[Chapter, Section]]:
        return {s.id: (c, s) for c in self.chapters for s in c.sections}

    @cached_property
    def step_by_id(self) -> dict[str, tuple[Chapter, Section, Step]]:
        return {st.id: (c, s, st) for c in self.chapters for s in c.sections for st in s.steps}

    @cached_property
    def faq_by_id(self) -> dict[str, FaqEntry]:
        faq = self.get("faq.yaml")
        return {e.id: e for e in faq.entries} if faq else {}

    @cached_property
    def glossary_by_id(self) -> dict[str, GlossaryEntry]:
        g = self.get("glossary.yaml")
        return {e.id: e for e in g.entries} if g else {}

    @cached_property
    def checklist_by_id(self) -> dict[str, Checklist]:
        c = self.get("checklists.yaml")
        return {x.id: x for x in c.checklists} if c else {}

    @property
    def rule_texts(self) -> dict[str, RuleText]:
        r = self.get("rules.yaml")
        return r.rules if r else {}

    @property
    def terms(self) -> dict[str, str]:
        t = self.get("terms.yaml")
        return t.terms if t else {}


def content_files(lang_dir: Path) -> list[tuple[str, Path]]:
    """(kind, path) of every content file present in a language folder, in a stable order."""
    found: list[tuple[str, Path]] = []
    for name in FILES:
        if name.endswith("/"):
            folder = lang_dir / name
            if folder.is_dir():
                found.extend((name, p) for p in sorted(folder.glob("*.yaml")))
        elif (lang_dir / name).is_file():
            found.append((name, lang_dir / name))
    return found


def parse_file(kind: str, path: Path, display: str,
               cache: ParseCache | None = None) -> tuple[BaseModel | None, list[Problem], str | None]:
    """Load and validate one content file of a language. Returns (model or None, problems, text)."""
    return parse_file_with(FILES[kind], path, display, cache)


def parse_file_with(spec: str, path: Path, display: str,
                    cache: ParseCache | None = None) -> tuple[BaseModel | None, list[Problem], str | None]:
    """Load one YAML file and validate it with the model named by spec ("module:Class")."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return None, [Problem(display, f"not UTF-8 text (byte {exc.start})")], None
    key = digest(text) if cache is not None else ""
    hit, data = cache.get(key) if cache is not None else (False, None)
    if not hit:
        try:
            data = load_text(text, display)
        except YamlSyntaxError as exc:
            return None, [exc.problem], text
        if cache is not None:
            cache.put(key, data)
    model = model_for(spec)
    if not isinstance(data, dict):
        return None, [Problem(display, f"expected a mapping at the top, got {type(data).__name__}", 1)], text
    try:
        return model.model_validate(data), [], text
    except ValidationError as exc:
        return None, problems_from_validation(exc, display, text, model), text


#: Validated language-neutral structures by (kind, digest of the text): every language joins its words to
#: the same structure, so it is read and validated once per process (its models are frozen).
_structures: dict[tuple[str, str], tuple[BaseModel | None, list[Problem]]] = {}


def _neutral(kind: str, path: Path, display: str, cache: ParseCache) -> tuple[BaseModel | None, list[Problem]]:
    try:
        key = (f"{kind}:{display}", digest(path.read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError):  # parse_file_with names the problem
        key = None
    found = _structures.get(key) if key is not None else None
    if found is not None and key is not None:
        cache.get(key[1])  # keeps its parsed data in this language's parse cache file
    else:
        model, probs, _ = parse_file_with(NEUTRAL_FILES[kind], path, display, cache)
        found = (model, probs)
        if key is not None:
            _structures[key] = found
    return found[0], list(found[1])


def _display(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root.parent))
    except ValueError:
        return str(path)


@contextmanager
def _no_gc() -> Iterator[None]:
    """The cyclic garbage collector paused: loading allocates ~40,000 objects that all stay (no cycles to
    free), and the collections they set off cost about half of a cold load (~30 of ~65 ms for both
    languages). Collection resumes as before afterwards, also after an error."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def read_language(lang: str, root: Path = CONTENT_DIR,
                  kinds: tuple[str, ...] | None = None) -> tuple[Content, list[Problem]]:
    """Read one language without raising: the content that loaded, and every problem found. `kinds`: only
    these files (keys of FILES), e.g. what `diagnose` words its findings with."""
    with _no_gc():
        return _read_language(lang, root, kinds)


def _read_language(lang: str, root: Path, kinds: tuple[str, ...] | None) -> tuple[Content, list[Problem]]:
    lang_dir = root / lang
    content = Content(lang, root)
    problems: list[Problem] = []
    if not lang_dir.is_dir():
        return content, [Problem(_display(lang_dir, root), "language folder is missing")]
    chapters: dict[str, Chapter] = {}
    cache = ParseCache(f"content-{lang}-{digest(str(root.resolve()))[:12]}")
    structures: dict[str, BaseModel | None] = {}
    for kind, path in content_files(lang_dir):
        if kinds is not None and kind not in kinds:
            continue
        display = _display(path, root)
        model, probs, text = parse_file(kind, path, display, cache)
        problems.extend(probs)
        if model is None:
            continue
        if kind in COMBINED:
            neutral = root / kind
            neutral_display = _display(neutral, root)
            if kind not in structures:
                if neutral.is_file():
                    structures[kind], probs = _neutral(kind, neutral, neutral_display, cache)
                    problems.extend(probs)
                else:
                    structures[kind] = None
                    problems.append(Problem(neutral_display, f"file is missing (the structure of {display})"))
            structure = structures[kind]
            if structure is None:
                continue
            model, probs = model_for(COMBINED[kind])(structure, model, display, text or "", neutral_display)
            problems.extend(probs)
            if model is None:
                continue
        if kind == "chapters/":
            assert isinstance(model, Chapter)
            if model.id != path.stem:
                problems.append(Problem(display, f"chapter id '{model.id}' must match the file name '{path.stem}'", None, "id"))
            chapters[model.id] = model
        else:
            content.files[kind] = model
    cache.save()
    order = {cid: i for i, cid in enumerate(CHAPTER_ORDER)}
    content.chapters = sorted(chapters.values(), key=lambda c: (order.get(c.id, len(order)), c.id))
    return content, problems


_cache: dict[tuple[Path, str], Content] = {}
#: What `diagnose` words findings with: the rules' titles and fixes, and the terms they use.
FINDING_KINDS = ("rules.yaml", "terms.yaml")
_lock = threading.Lock()


def load_content(lang: str, root: Path = CONTENT_DIR, kinds: tuple[str, ...] | None = None) -> Content:
    """The validated content of one language, loaded once per process. Raises ContentError.

    `kinds`: only these files (a command that needs a few, e.g. `diagnose`: the rules' words and terms);
    the whole language when it is loaded already."""
    cached = _cache.get((root, lang))
    if cached is not None:
        return cached
    key = (root, lang) if kinds is None else (root, f"{lang}:{','.join(sorted(kinds))}")
    cached = _cache.get(key)
    if cached is not None:
        return cached
    with _lock:
        if key not in _cache:
            content, problems = read_language(lang, root, kinds)
            if problems:
                raise ContentError(problems)
            _cache[key] = content
    return _cache[key]


def load_all(root: Path = CONTENT_DIR) -> dict[str, Content]:
    return {lang: load_content(lang, root) for lang in LANGUAGES}
