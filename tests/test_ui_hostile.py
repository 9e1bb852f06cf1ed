"""Hostile input and faults as people meet them in the app (AppTest, the real runtime)."""

from __future__ import annotations

import datetime as dt

import pytest
from apptest_tools import open_page, shown

from guide.store.engine import dispose_all, get_engine
from guide.store.ratelimit import PER_CLIENT
from guide.workshop import service


@pytest.fixture
def app_db(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'app.sqlite3'}"
    monkeypatch.setenv("GUIDE_DATABASE_URL", url)
    yield get_engine(url)
    dispose_all()


def _join(page, code: str, nickname: str):  # noqa: ANN001, ANN202
    page.text_input[0].set_value(code)
    page.text_input[1].set_value(nickname)
    next(b for b in page.button if b.label == "Join").click()
    return page.run()


def test_one_pupils_wrong_codes_do_not_lock_out_the_next_pupil(app_db):
    info, _key = service.create(app_db, "Room 12", "en", "blank-start", dt.date.today())
    typo = open_page("workshop", "en").run()
    for _ in range(PER_CLIENT):
        _join(typo, "ZZZZZZ", "Typo")
        assert "No open workshop has this code" in shown(typo)
    _join(typo, info.join_code, "Typo")
    assert "Too many wrong codes" in shown(typo)  # this pupil waits
    # the next pupil in the same room (same address; AppTest has none, like localhost) gets in
    next_pupil = _join(open_page("workshop", "en").run(), info.join_code, "Next")
    assert not next_pupil.exception
    assert "Too many wrong codes" not in shown(next_pupil)
    assert "you are **Next**" in shown(next_pupil)
