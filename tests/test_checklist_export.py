"""A teacher downloads a checklist with their ticks, as Markdown and as PDF."""

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from guide import checklist_export
from guide.checklist_export import PdfFontMissing, find_font, to_markdown, to_pdf
from guide.content.loader import read_language
from guide.i18n import translator

FIXTURE = Path(__file__).parent / "fixtures" / "ui_content"


def _checklist(lang):
    content, problems = read_language(lang, FIXTURE)
    assert not problems
    return content.checklist_by_id["before-project"]


def test_markdown_shows_ticks_progress_and_handbook_links():
    md = to_markdown(_checklist("en"), {"profile-ticked"}, translator("en").gettext,
                     link=lambda u: "https://x.test/handbook?" + u)
    assert md.startswith("# Ready for a project\n")
    assert "- [x] You ticked 'Available for eTwinning project'." in md
    assert "- [ ] Your co-founder is one of your contacts." in md
    assert "1 of 2 done" in md
    assert "(https://x.test/handbook?guide:step/7a.select-cofounder)" in md


def test_markdown_in_dutch_uses_the_dutch_labels():
    md = to_markdown(_checklist("nl"), set(), translator("nl").gettext)
    assert "# Klaar voor een project" in md
    assert "0 van 2 gedaan" in md
    assert "- [ ] Je hebt" in md


def test_pdf_contains_title_ticks_and_text():
    data = to_pdf(_checklist("nl"), {"cofounder-contact"}, translator("nl").gettext)
    assert data.startswith(b"%PDF")
    text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert "Klaar voor een project" in text
    assert "☐" in text and "☑" in text
    assert text.index("☐") < text.index("☑")  # first item open, second ticked
    assert "1 van 2 gedaan" in text


def test_missing_font_is_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.setenv("GUIDE_PDF_FONT", str(tmp_path / "nope.ttf"))
    monkeypatch.setattr(checklist_export, "FONT_CANDIDATES", ())
    monkeypatch.setattr(checklist_export.shutil, "which", lambda _name: None)
    with pytest.raises(PdfFontMissing, match="fonts-dejavu-core.*GUIDE_PDF_FONT"):
        find_font()


def test_the_font_is_found_on_this_machine():
    assert find_font().suffix == ".ttf"
