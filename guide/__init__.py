"""eTwinning onboarding assistant: the handbook as content, the case, its rules and their fixes."""

from pathlib import Path

__version__ = "0.1.0"

#: Root of the content tree (content/<lang>/, content/scenarios/). Overridable for tests and deployments.
ROOT = Path(__file__).resolve().parent.parent
CONTENT_DIR = ROOT / "content"
LOCALE_DIR = Path(__file__).resolve().parent / "locales"
DEFAULT_LANGUAGE = "nl"


def find_languages(content_dir: Path = CONTENT_DIR, locale_dir: Path = LOCALE_DIR) -> tuple[str, ...]:
    """The languages the app speaks: every `content/<lang>/` that has a UI catalog in
    `guide/locales/<lang>/LC_MESSAGES/`. A new language is a folder in each; no code names it.
    Dutch (the handbook's language) first, the rest in alphabetical order."""
    if not content_dir.is_dir():
        return (DEFAULT_LANGUAGE,)
    found = sorted(d.name for d in content_dir.iterdir()
                   if d.is_dir() and (locale_dir / d.name / "LC_MESSAGES").is_dir())
    return tuple(sorted(found, key=lambda code: (code != DEFAULT_LANGUAGE, code))) or (DEFAULT_LANGUAGE,)


#: Found once per process from the folders (see find_languages).
LANGUAGES: tuple[str, ...] = find_languages()
