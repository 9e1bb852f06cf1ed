"""A checklist with the reader's ticks as Markdown and as PDF (fpdf2 with a Unicode TTF font)."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Collection
from pathlib import Path

from .content.models import Checklist
from .errors import GuideError
from .text import readable

Gettext = Callable[[str], str]
#: Turns an item's `guide:` link into a URL the reader can open, or None to leave the link out.
Linker = Callable[[str], str | None]

FONT_ENV = "GUIDE_PDF_FONT"
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",   # Debian, Ubuntu (fonts-dejavu-core)
    "/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf",  # Fedora
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",                # Arch
    "/usr/local/share/fonts/DejaVuSans.ttf",
    "/Library/Fonts/DejaVuSans.ttf",
)


class PdfFontMissing(GuideError):
    """No Unicode TrueType font for the PDF export."""


def find_font() -> Path:
    """A TrueType font that covers Dutch, English and the tick boxes: $GUIDE_PDF_FONT, DejaVu Sans, fontconfig."""
    tried: list[str] = []
    env = os.environ.get(FONT_ENV)
    if env:
        if Path(env).is_file():
            return Path(env)
        tried.append(f"${FONT_ENV}={env} (no such file)")
    for cand in FONT_CANDIDATES:
        if Path(cand).is_file():
            return Path(cand)
        tried.append(cand)
    if shutil.which("fc-match"):
        out = subprocess.run(["fc-match", "--format=%{file}", "DejaVu Sans"], capture_output=True, text=True,
                             timeout=10, check=False).stdout.strip()
        if out.lower().endswith(".ttf") and "dejavusans" in Path(out).name.lower() and Path(out).is_file():
            return Path(out)
        tried.append(f"fc-match 'DejaVu Sans' -> {out or 'nothing'}")
    raise PdfFontMissing(
        "PDF export needs a Unicode TrueType font and none was found. Tried: " + "; ".join(tried)
        + f". Install Debian's fonts-dejavu-core (apt-get install fonts-dejavu-core) or set {FONT_ENV} to a .ttf file.")


def _plain(markdown: str) -> str:
    """One paragraph of plain text: the content's line breaks are only where its YAML wrapped."""
    return " ".join(readable(markdown).split())


def _one_line(markdown: str) -> str:
    """Markdown on one line (a task-list item): the content's wrapping joined with spaces."""
    return " ".join(markdown.split())


def progress_line(checklist: Checklist, ticked: Collection[str], _: Gettext) -> str:
    done = sum(1 for item in checklist.items if item.id in ticked)
    return _("{done} of {total} done").format(done=done, total=len(checklist.items))


def to_markdown(checklist: Checklist, ticked: Collection[str], _: Gettext, link: Linker = lambda _u: None) -> str:
    """GitHub-style task list: `- [x]` for ticked items, with a link to where the handbook explains each."""
    lines = [f"# {checklist.title}", ""]
    if checklist.intro:
        lines += [checklist.intro, ""]
    lines += [progress_line(checklist, ticked, _), ""]
    for item in checklist.items:
        box = "[x]" if item.id in ticked else "[ ]"
        url = link(item.link) if item.link else None
        more = " ([" + _("Read in the handbook") + f"]({url}))" if url else ""
        lines.append(f"- {box} {_one_line(item.text)}{more}")
    return "\n".join(lines) + "\n"


def to_pdf(checklist: Checklist, ticked: Collection[str], _: Gettext, link: Linker = lambda _u: None) -> bytes:
    """The checklist as a one-column A4 PDF with ☑/☐ boxes. Raises PdfFontMissing without a font."""
    from fpdf import FPDF  # imported here: only the export needs it

    font = find_font()
    pdf = FPDF(format="A4")
    pdf.set_title(checklist.title)
    pdf.set_creator("eTwinning onboarding assistant")
    pdf.add_font("body", "", str(font))
    bold = font.with_name(font.name.replace("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"))
    pdf.add_font("body", "B", str(bold if bold.is_file() else font))
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    pdf.set_font("body", "B", 18)
    pdf.multi_cell(width, 9, checklist.title, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font("body", "", 11)
    if checklist.intro:
        pdf.multi_cell(width, 6, _plain(checklist.intro), align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    pdf.set_font("body", "B", 11)
    pdf.multi_cell(width, 6, progress_line(checklist, ticked, _), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    for item in checklist.items:
        url = link(item.link) if item.link else None
        text = _plain(item.text)
        # an item stays whole: when it does not fit under the last one, it starts the next page
        pdf.set_font("body", "", 11)
        lines = pdf.multi_cell(width - 9, 7, text, align="L", dry_run=True, output="LINES")
        assert isinstance(lines, list)  # output="LINES" gives the lines
        height = 7 * len(lines) + (5 if url else 0) + 1.5
        if pdf.get_y() + height > pdf.page_break_trigger and pdf.get_y() > pdf.t_margin + 1:
            pdf.add_page()
        pdf.set_font("body", "", 14)
        pdf.cell(9, 7, "☑" if item.id in ticked else "☐")
        pdf.set_font("body", "", 11)
        pdf.multi_cell(width - 9, 7, text, align="L", new_x="LMARGIN", new_y="NEXT")
        if url:
            pdf.set_x(pdf.l_margin + 9)
            pdf.set_font("body", "", 9)
            pdf.set_text_color(30, 80, 160)
            pdf.cell(width - 9, 5, _("Read in the handbook"), link=url, new_x="LMARGIN", new_y="NEXT")
            pdf.set_text_color(0, 0, 0)
        pdf.ln(1.5)
    return bytes(pdf.output())
