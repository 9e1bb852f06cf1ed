"""Joining in one step: the board projects a QR code and the join link with the code filled in (never
the trainer key); the QR code decodes back to that link; opening it lands on the join form with the
code filled in, so the participant only types a nickname."""

from __future__ import annotations

import datetime as dt
import io
from urllib.parse import parse_qs, urlsplit

import segno
import zxingcpp
from apptest_tools import open_page, shown, walk
from PIL import Image

from guide.workshop import service
from guide.workshop.joinlink import join_path, qr_png

LINK = "https://etwinning.example.org" + join_path("K7MP3Q", "nl")


def _modules(png: bytes, scale: int = 12, border: int = 4) -> list[list[bool]]:
    """The dark/light modules of a QR PNG, read from the centre pixel of each module."""
    image = Image.open(io.BytesIO(png)).convert("L")
    n = image.width // scale - 2 * border
    return [[image.getpixel(((border + x) * scale + scale // 2, (border + y) * scale + scale // 2)) < 128
             for x in range(n)] for y in range(n)]


def test_the_qr_code_decodes_back_to_the_join_link():
    png = qr_png(LINK)
    decoded = [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))]
    assert decoded == [LINK]


def test_the_qr_code_is_segnos_matrix_of_the_link_module_for_module():
    expected = [[bool(v) for v in row] for row in segno.make(LINK, error="m", micro=False).matrix]
    assert _modules(qr_png(LINK)) == expected
    assert _modules(qr_png(LINK + "X")) != expected  # another link, another code


def test_the_join_link_holds_the_code_and_the_language_only():
    query = parse_qs(urlsplit(LINK).query)
    assert urlsplit(LINK).path == "/workshop" and query == {"lang": ["nl"], "code": ["K7MP3Q"]}


def test_the_board_projects_the_link_and_the_qr_code_without_the_key(app_db):
    info, key = service.create(app_db, "Projected", "en", "blank-start", dt.date.today())
    board = open_page("trainer", "en", w=info.id, key=key).run()
    assert not board.exception, board.exception
    link = next(h.value for h in board.subheader if "/workshop?" in h.value)
    assert link.endswith(join_path(info.join_code, "en"))
    assert "Scan to join" in shown(board) or any(
        "Scan to join" in str(getattr(n, "proto", "")) for n in walk(board.main))
    assert key not in shown(board) and key not in str(board._tree)

    page = open_page("workshop", "en", code=info.join_code).run()  # what scanning opens
    assert page.text_input[0].value == info.join_code
    page.text_input[1].input("Phone")
    next(b for b in page.button if b.label == "Join").click().run()
    assert "you are **Phone**" in shown(page)
    assert service.board(app_db, info.id, key).rows[0].nickname == "Phone"


def test_a_closed_workshop_projects_no_join_link(app_db):
    info, key = service.create(app_db, "Closed", "en", "blank-start", dt.date.today())
    service.close(app_db, info.id, key)
    board = open_page("trainer", "en", w=info.id, key=key).run()
    assert not [h.value for h in board.subheader if "/workshop?" in h.value]
