"""Per-session translations (Babel gettext catalogs) and locale-aware dates, lists and country names.

Never install a global `_`: Streamlit sessions are threads in one process. Ask for the
translation of the session's language with `translator(lang)` and call its gettext.
"""

from __future__ import annotations

import datetime as dt
import gettext
import logging
from collections.abc import Iterable
from functools import cache, lru_cache

from babel import Locale
from babel.dates import format_date as _babel_format_date
from babel.lists import format_list as _babel_format_list

from .. import DEFAULT_LANGUAGE, LANGUAGES, LOCALE_DIR
from ..case.labels import label_of
from ..errors import Problem

DOMAIN = "messages"
log = logging.getLogger(__name__)


def N_(message: str) -> str:  # the gettext convention pybabel extracts by default
    """Marks a message for extraction where it is defined; translate it with _() where it is shown."""
    return message


@cache
def translator(lang: str) -> gettext.NullTranslations:
    """The compiled catalog for `lang`; a missing catalog is logged, never silent."""
    try:
        return gettext.translation(DOMAIN, localedir=LOCALE_DIR, languages=[lang])
    except FileNotFoundError:
        if lang != "en":  # English is the source language of the UI strings
            log.warning("no compiled catalog for '%s' in %s; falling back to the source strings", lang, LOCALE_DIR)
        return gettext.NullTranslations()


def pick_language(*candidates: str | None) -> str:
    """The first supported language among candidates ('nl-NL' counts as 'nl'), else Dutch."""
    for cand in candidates:
        if not cand:
            continue
        code = str(cand).replace("_", "-").split("-")[0].lower()
        if code in LANGUAGES:
            return code
    return DEFAULT_LANGUAGE


def languages() -> tuple[str, ...]:
    """The languages found in content/ and guide/locales/ (guide.find_languages), Dutch first."""
    return LANGUAGES


@cache
def language_name(lang: str) -> str:
    """A language's name in that language, from CLDR ('nl' -> 'Nederlands', 'de' -> 'Deutsch'), so that
    anyone finds their own; the code itself when CLDR does not know it."""
    try:
        name = _locale(lang).display_name
    except Exception:
        return lang
    return (name[:1].upper() + name[1:]) if name else lang


@lru_cache(maxsize=8)
def _locale(lang: str) -> Locale:
    return Locale.parse(lang)


def country_name(code: str, lang: str) -> str:
    """'DE' -> 'Duitsland' (nl) / 'Germany' (en), from CLDR."""
    return _locale(lang).territories.get(code.upper(), code)


#: Countries whose English name takes 'the' inside a sentence ('public holidays in the Netherlands').
_EN_THE = frozenset({"NL", "GB", "US", "AE", "CF", "DO", "PH", "BS", "GM", "MV", "SC", "MH", "SB", "FO", "VA",
                     "KY", "FK", "VG", "VI", "TC", "KM", "CD", "CG"})


def country_in_sentence(code: str, lang: str) -> str:
    """A country's name as it reads inside a sentence: 'the Netherlands', 'Poland' / 'Nederland'."""
    name = country_name(code, lang)
    return f"the {name}" if lang == "en" and code.upper() in _EN_THE else name


def format_date(day: dt.date, lang: str, fmt: str = "long") -> str:
    """A date in the reader's format: '2 december 2026' / 'December 2, 2026'."""
    return _babel_format_date(day, format=fmt, locale=_locale(lang))


def format_list(items: Iterable[str], lang: str) -> str:
    """'a, b en c' / 'a, b, and c'."""
    items = list(items)
    return _babel_format_list(items, locale=_locale(lang)) if items else ""


def plural_category(n: int, lang: str) -> str:
    """The CLDR plural category of n in lang ('one', 'other', ...), from Babel's plural rules."""
    return _locale(lang).plural_form(n)


def format_number(n: int, lang: str) -> str:
    """A count in the reader's format: '10.240' / '10,240'."""
    from babel.numbers import format_decimal

    return format_decimal(n, locale=_locale(lang))


def problem_text(problem: Problem, lang: str) -> str:
    """A problem with a file a person gave us, worded in `lang` through the catalog: where it is (the file,
    'regel 3' / line 3, the field's path as the file spells it, and the screen's label for the field where
    the reader's language words it otherwise) and what is wrong. Problems without a code stay English."""
    gettext = translator(lang).gettext

    def label(path: str) -> str | None:
        msgid = label_of(path)
        words = gettext(msgid) if msgid else None
        return words if words and words != msgid else None  # the path's own English words say it already

    return problem.text(gettext, number=lambda n: format_number(n, lang), label=label)
