"""Staging the trouble from the trainer board, as a trainer and a room of 20 use it (AppTest, the real
runtime and store): the trainer stages a fault for a few and another for everyone; participants see
'something changed', fix it, and the board shows who fixed it and how long it took; the timeline is
stored and a new session of the board shows it again."""

from __future__ import annotations

import datetime as dt
import re

from apptest_tools import button, by_key, choose_screen, open_page, shown, texts
from streamlit.util import calc_hash

from guide.store.engine import dispose_all
from guide.ui import identity
from guide.workshop import service

ROOM = 20


def _table(at, first_column: str):
    return next(df.value for df in at.dataframe if df.value.columns[0] == first_column and
                "Trouble" in df.value.columns)


def _join_in_page(code, nickname, lang):
    page = open_page("workshop", lang, code=code).run()
    page.text_input[1].input(nickname)
    button(page, "Deelnemen" if lang == "nl" else "Join").click().run()
    assert not page.exception, page.exception
    return page


def test_a_board_over_twenty_participants_stages_faults_and_shows_who_fixed_them(app_db):
    trainer = open_page("trainer", "en").run()
    trainer.text_input[0].input("Staging rehearsal")
    trainer.selectbox[1].set_value("ready-to-create-project")
    button(trainer, "Create workshop").click().run()
    (wid, key), = trainer.session_state[identity.TRAINER_KEYS].items()
    info = service.trainer_view(app_db, wid, key)

    ann = _join_in_page(info.join_code, "Ann", "en")   # two in their own browser sessions ...
    bram = _join_in_page(info.join_code, "Bram", "nl")
    for i in range(ROOM - 2):                          # ... and the rest of the room
        service.join(app_db, info.join_code, f"Teacher {i + 1:02d}", f"room-{i}")
    ids = service.nicknames(app_db, wid, key)
    by_nick = {v: k for k, v in ids.items()}
    trainer.run()

    # a few: Ann and two others get the wrong school entry
    few = [by_nick["Ann"], by_nick["Teacher 01"], by_nick["Teacher 02"]]
    by_key(trainer, "stage_who").set_value(few)
    by_key(trainer, "stage_what").set_value("flip:school_not_validated")
    button(trainer, "Stage it").click().run()
    assert "Staged for participants: 3." in [t.value for t in trainer.toast]
    # everyone: 'Available for eTwinning project' unticked
    by_key(trainer, "stage_everyone").set_value(True)
    by_key(trainer, "stage_what").set_value("flip:availability_off")
    button(trainer, "Stage it").click().run()
    assert f"Staged for participants: {ROOM}." in [t.value for t in trainer.toast]
    faults = _table(trainer, "Nickname")
    assert len(faults) == ROOM + 3 and set(faults["Fixed"]) == {"not yet"}

    # Ann, on her sandbox page, is told; on her workshop page she finds out what (the blockers)
    ann._page_hash = calc_hash("sandbox")
    ann.run()
    assert [w.value for w in ann.warning] == ["Something changed in your account: find out what."]
    ann._page_hash = calc_hash("workshop")
    ann.run()
    assert "Something changed in your account: find out what." in [w.value for w in ann.warning]
    assert "You are not available as co-founder" in shown(ann)  # the blocker, with its fix
    ann.run()
    assert not [w.value for w in ann.warning if "Something changed" in w.value]  # told once
    bram._page_hash = calc_hash("sandbox")
    bram.run()
    assert "Er is iets veranderd in je account: zoek uit wat." in [w.value for w in bram.warning]

    # Ann ticks the box again in her sandbox; eleven others fix it too; the first few fix their school
    ann._page_hash = calc_hash("sandbox")
    ann.run()
    by_key(ann, "sb_part").set_value("profile")
    ann.run()
    choose_screen(ann, "set_available")
    by_key(ann, "sb_set_available_available").check()
    by_key(ann, "sb_set_available_submit").click()
    ann.run()
    assert not ann.exception, ann.exception
    for i in range(1, 12):
        service.act(app_db, by_nick[f"Teacher {i:02d}"], "set_available", available=True)
    for i in (1, 2):
        seat = service.seat(app_db, by_nick[f"Teacher {i:02d}"])
        wrong = next(o for o in seat.case.organisations if not o.etwinning_validated)
        service.act(app_db, seat.id, "leave_organisation", school_id=wrong.id)
        service.act(app_db, seat.id, "add_organisation", school_id=900101, role="teacher")

    trainer.run()
    faults = _table(trainer, "Nickname")
    fixed = faults[faults["Fixed"] == "fixed by them"]
    assert sorted(fixed["Nickname"]) == sorted(["Ann"] + [f"Teacher {i:02d}" for i in range(1, 12)] +
                                               ["Teacher 01", "Teacher 02"])
    assert all(re.fullmatch(r"\d+ s|\d+ min \d+ s", took) for took in fixed["Took"])  # how long it took
    assert set(faults[faults["Fixed"] == "not yet"]["Took"]) == {""}
    assert "14 of 23 staged faults fixed, 9 still open." in texts(trainer)

    # the timeline is stored: a new session (another device, after a restart) shows it again
    dispose_all()
    again = open_page("trainer", "en", w=wid, key=key).run()
    assert not again.exception, again.exception
    lines = _timeline(again)
    assert [line.split(" · ", 1)[1] for line in lines] == [
        f"Staged: 'Available for eTwinning project' is unticked, for everyone (participants: {ROOM})",
        "Staged: The school on the profile is not 'eTwinning Validated', for participants: 3",
        "Workshop created"]
    assert key not in shown(again)


def _timeline(at) -> list[str]:
    """The timeline's lines, newest first ('`12:04:05` · what happened'): one per line of its text."""
    return [line for t in texts(at) if t.startswith("`") for line in t.split("  \n") if " · " in line]


def test_the_board_speaks_dutch_and_the_timeline_logs_every_command(app_db):
    info, key = service.create(app_db, "Werkbank", "nl", "waiting-for-validation", dt.date(2026, 11, 30))
    seat, _token = service.join(app_db, info.join_code, "Ann", "c1")
    board = open_page("trainer", "nl", w=info.id, key=key).run()
    by_key(board, "stage_who").set_value([seat.id])
    by_key(board, "stage_what").set_value("flip:nso_rejects")
    button(board, "In scène zetten").click().run()
    assert not board.exception, board.exception
    assert "Het NSO wijst de registratie af" in shown(board)
    by_key(board, "takeback").click()
    board.run()
    button(board, "Alle NSO-validaties goedkeuren").click().run()
    by_key(board, "remove_who").set_value(seat.id)
    by_key(board, "remove_participant").click()
    board.run()
    lines = [t.split(" · ", 1)[1] for t in _timeline(board)]
    assert lines[:4] == ["Eén deelnemer verwijderd", "Het NSO valideerde, voor deelnemers: 1",
                         "Teruggenomen: Het NSO wijst de registratie af, voor één deelnemer",
                         "In scène gezet: Het NSO wijst de registratie af, voor deelnemers: 1"]
