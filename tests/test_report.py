"""The workshop report after closing: one page of PDF that opens and holds the figures (text extracted
with pypdf), the same figures in Markdown, in the trainer's language, nicknames only when asked for."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from apptest_tools import by_key, open_page, shown
from pypdf import PdfReader

from guide.i18n import translator
from guide.workshop import report, service

NICKS = [f"Juf {i:02d}" for i in range(20)]


@pytest.fixture
def closed(app_db):
    """A workshop of 20 on 'ready-to-create-project': 2 faults staged, some fixed, one taken back, closed."""
    info, key = service.create(app_db, "Werkmiddag Utrecht", "nl", "ready-to-create-project", dt.date(2026, 11, 30))
    seats = [service.join(app_db, info.join_code, nick, f"c{i}")[0] for i, nick in enumerate(NICKS)]
    service.stage(app_db, info.id, key, "flip:availability_off")                       # everyone
    service.stage(app_db, info.id, key, "flip:school_not_validated", [s.id for s in seats[:4]])  # a few
    for s in seats[:15]:
        service.act(app_db, s.id, "set_available", available=True)
    first = next(f for f in service.faults(app_db, info.id, key)
                 if f.kind == "flip:school_not_validated" and f.outcome is None)
    service.take_back(app_db, info.id, key, first.id)
    service.close(app_db, info.id, key)
    return app_db, info, key


def _report(engine, info, key, lang):
    gettext = translator(lang).gettext
    return report.build(engine, info.id, key, lang, lambda k: report.label_for(k, lang, gettext)), gettext


def _pdf_text(data: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), " ".join(" ".join(p.extract_text().split()) for p in reader.pages)


def test_the_figures(closed):
    engine, info, key = closed
    r, _ = _report(engine, info, key, "en")
    assert r.joined == 20
    assert [(g.reached, g.of) for g in r.goals] == [(sum(1 for row in service.board(engine, info.id, key).rows
                                                         if row.goal.reached), 20)]
    avail, school = r.faults
    assert (avail.staged, avail.fixed, avail.open) == (20, 15, 5) and avail.median is not None
    assert (school.staged, school.taken_back, school.open) == (4, 1, 3)
    top = r.blockers[0]
    assert (top.rule, top.participants) == ("profile.not_available", 5)
    assert "Available for eTwinning project" in top.fix


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_the_pdf_is_one_page_that_opens_and_holds_the_figures_in_the_trainers_language(closed, lang):
    engine, info, key = closed
    r, gettext = _report(engine, info, key, lang)
    pages, text = _pdf_text(report.to_pdf(r, gettext))
    assert pages == 1
    words = {"en": ("Workshop report", "Participants who joined: 20.", "Goals reached",
                    "Most common blockers, with their fixes", "You are not available as co-founder (participants: 5)",
                    "staged 20 times; fixed by them 15", "Time per part of the journey"),
             "nl": ("Workshopverslag", "Deelnemers: 20.", "Doelen bereikt", "Meest voorkomende blokkades",
                    "(deelnemers: 5)", "20 keer in scène gezet; zelf opgelost 15", "Tijd per deel van het traject")}
    for expected in words[lang]:
        assert expected in text, (expected, text)
    assert not any(nick in text for nick in NICKS)  # no nicknames unless asked for
    md = report.to_markdown(r, gettext)
    assert words[lang][1] in md and not any(nick in md for nick in NICKS)


def test_nicknames_only_when_the_trainer_ticks_it(closed):
    engine, info, key = closed
    r, gettext = _report(engine, info, key, "en")
    pages, text = _pdf_text(report.to_pdf(r, gettext, names=True))
    assert pages == 1 and all(nick in text for nick in NICKS)
    assert re.search(r"Juf 00: goal (reached|not yet), 1 of 2 staged faults fixed", report.to_markdown(r, gettext, True))


def test_no_e_mail_address_a_participant_typed_reaches_the_report(app_db):
    info, key = service.create(app_db, "Privacy", "en", "blank-start", dt.date(2026, 11, 30))
    seat, _t = service.join(app_db, info.join_code, "Ann", "c1")
    service.act(app_db, seat.id, "create_eu_login", email="ann.private@example.org")
    service.close(app_db, info.id, key)
    r, gettext = _report(app_db, info, key, "en")
    assert any(b.rule == "eu_login.unconfirmed" for b in r.blockers)
    assert "ann.private" not in report.to_markdown(r, gettext, names=True)
    assert "ann.private" not in _pdf_text(report.to_pdf(r, gettext, names=True))[1]


def test_time_per_part_counts_a_part_a_participant_finished(app_db):
    info, key = service.create(app_db, "Parts", "en", "blank-start", dt.date(2026, 11, 30))
    seat, _t = service.join(app_db, info.join_code, "Ann", "c1")
    for action, args in (("create_eu_login", {"email": "a@school.example"}), ("confirm_eu_login", {}),
                         ("register_account", {"email": "a@school.example"}), ("join_etwinning", {})):
        assert service.act(app_db, seat.id, action, **args).ok, action
    rows = service.report_rows(app_db, info.id, key).participants
    assert "done" in rows[0].parts["account"] and "since" in rows[0].parts["account"]
    r, _ = _report(app_db, info, key, "en")
    account = next(p for p in r.parts if p.finished)
    assert account.finished == 1 and account.median is not None


def test_the_board_offers_the_report_once_the_workshop_is_closed(closed):
    engine, info, key = closed
    board = open_page("trainer", "nl", w=info.id, key=key).run()
    assert not board.exception, board.exception
    assert "Workshopverslag" in shown(board)
    by_key(board, "report_names")  # the tick box is there, off by default
    assert board.checkbox(key="report_names").value is False
