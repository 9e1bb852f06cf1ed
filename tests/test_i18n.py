"""Every UI string the code uses has a Dutch translation, and the committed catalogs are up to date."""

import gettext
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from guide.i18n import LOCALE_DIR, pick_language, translator

ROOT = Path(__file__).resolve().parent.parent
PYBABEL = str(Path(sys.executable).with_name("pybabel"))
FIELD = re.compile(r"\{[a-z_]*\}")


@pytest.fixture(scope="module")
def fresh_pot(tmp_path_factory):
    """What `make i18n` would extract from the code as it is now."""
    out = tmp_path_factory.mktemp("i18n") / "messages.pot"
    subprocess.run([PYBABEL, "extract", "--mapping", "babel.cfg", "--output-file", str(out), "--project",
                    "etwinning-guide", "--no-location", "--sort-output", "."],
                   cwd=ROOT, check=True, capture_output=True)
    with out.open("rb") as f:
        return read_po(f)


def _po(lang):
    with (LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po").open("rb") as f:
        return read_po(f, locale=lang)


def _ids(catalog):
    return {m.id if isinstance(m.id, str) else tuple(m.id) for m in catalog if m.id}


def test_every_ui_string_has_a_dutch_translation(fresh_pot):
    nl = _po("nl")
    untranslated = []
    for m in fresh_pot:
        if not m.id:
            continue
        have = nl.get(m.id)
        strings = [] if have is None else ([have.string] if isinstance(have.string, str) else list(have.string))
        if have is None or not all(strings) or have.fuzzy:
            untranslated.append(m.id)
    assert not untranslated, "run `make i18n` and translate in guide/locales/nl/LC_MESSAGES/messages.po: " + repr(untranslated)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_catalog_is_up_to_date_with_the_code(fresh_pot, lang, tmp_path):
    """Like `pybabel update --check`: no message missing from, or left over in, the committed catalogs."""
    committed_pot = _ids(read_po((LOCALE_DIR / "messages.pot").open("rb")))
    assert _ids(fresh_pot) == committed_pot, "guide/locales/messages.pot is stale: run `make i18n`"
    assert _ids(_po(lang)) == _ids(fresh_pot), f"guide/locales/{lang} catalog is stale: run `make i18n`"
    copy = tmp_path / lang / "LC_MESSAGES"
    copy.mkdir(parents=True)
    shutil.copy(LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po", copy / "messages.po")
    result = subprocess.run([PYBABEL, "update", "--check", "--domain", "messages", "--input-file",
                             str(LOCALE_DIR / "messages.pot"), "--output-dir", str(tmp_path), "--locale", lang,
                             "--no-fuzzy-matching"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_compiled_dutch_catalog_matches_the_po_file():
    compiled = gettext.GNUTranslations((LOCALE_DIR / "nl" / "LC_MESSAGES" / "messages.mo").open("rb"))
    for m in _po("nl"):
        if m.id and isinstance(m.id, str):
            assert compiled.gettext(m.id) == m.string, f"messages.mo is older than messages.po ({m.id!r}): run `make i18n`"


def test_translations_keep_their_placeholders():
    for m in _po("nl"):
        if m.id and isinstance(m.id, str) and m.string:
            assert set(FIELD.findall(m.id)) == set(FIELD.findall(m.string)), m.id


def test_dutch_and_english_words_for_the_same_button():
    assert translator("nl").gettext("Download as PDF") == "Downloaden als pdf"
    assert translator("en").gettext("Download as PDF") == "Download as PDF"
    assert translator("nl").ngettext("{n} result for: {query}", "{n} results for: {query}", 2) == "{n} resultaten voor: {query}"


@pytest.mark.parametrize(("candidates", "expected"), [
    (("en", "nl-NL"), "en"), ((None, "en-GB"), "en"), (("fr", "nl_BE"), "nl"), ((None, None), "nl"), (("de",), "nl"),
])
def test_language_choice(candidates, expected):
    assert pick_language(*candidates) == expected
