"""The pages as people use them (AppTest, the real runtime): a trainer runs a workshop from create to
delete while a participant joins and acts; a teacher leaves, comes back with the link, and forgets."""

from __future__ import annotations

import re

import pytest
from test_app_smoke import open_page, texts

from guide.store import learners
from guide.store.engine import dispose_all, get_engine
from guide.ui.pages.trainer import SECRETS_KEY
from guide.workshop import service


@pytest.fixture
def app_db(tmp_path, monkeypatch):
    """The app's database for this test: GUIDE_DATABASE_URL, read by the pages like in production."""
    url = f"sqlite:///{tmp_path / 'app.sqlite3'}"
    monkeypatch.setenv("GUIDE_DATABASE_URL", url)
    yield get_engine(url)
    dispose_all()


def _button(at, label):  # noqa: ANN001
    return next(b for b in at.button if b.label == label)


def _board_nicknames(at) -> list[str]:  # noqa: ANN001
    return [list(df.value.iloc[:, 0]) for df in at.dataframe if df.value.columns[0] == "Nickname"][0]


def _join(code: str, nickname: str):  # noqa: ANN202
    p = open_page("workshop", "en", code=code).run()
    p.text_input[1].input(nickname)
    _button(p, "Join").click().run()
    return p


def test_a_trainer_runs_a_workshop_from_create_to_delete(app_db):
    trainer = open_page("trainer", "en").run()
    trainer.text_input[0].input("Onboarding <b>Utrecht</b>")
    _button(trainer, "Create workshop").click().run()
    assert not trainer.exception, trainer.exception
    wid = trainer.query_params["w"]
    key = trainer.session_state[SECRETS_KEY][wid]
    assert "key" not in trainer.query_params  # the secret is not left in the address bar
    link = next(t for t in texts(trainer) if "/trainer?" in t)
    assert f"w={wid}" in link and f"key={key}" in link
    info = service.trainer_view(app_db, wid, key)
    assert info.join_code in [m.value for m in trainer.metric]
    assert "Onboarding <b>Utrecht</b>" in [t.value for t in trainer.text]  # shown as text, not HTML

    ann = _join(info.join_code, "Ann")
    assert not ann.exception and "you are **Ann**" in " ".join(texts(ann))
    ann.selectbox(key="ws_action").set_value("create_eu_login").run()
    ann.text_input[0].input("ann@example.org")
    _button(ann, "Do it").click().run()
    assert not ann.exception
    assert service.board(app_db, wid, key).rows[0].actions == 1
    bob = _join(info.join_code, "**Bob**")

    trainer.run()  # the board (a fragment refreshing itself) on its next refresh
    assert _board_nicknames(trainer) == ["Ann", "**Bob**"]
    assert any(t.startswith("Participants: 2 ·") for t in texts(trainer))

    _button(trainer, "Approve all NSO validations").click().run()
    _button(trainer, "Move the clock for everyone").click().run()
    assert any(service.trainer_view(app_db, wid, key).today.isoformat() in t for t in texts(trainer))
    bob.run()  # Bob's page reads the clock the trainer moved
    assert service.trainer_view(app_db, wid, key).today.isoformat() in [m.value for m in bob.metric]

    exported = service.export_csv(app_db, wid, key)
    assert exported.splitlines()[1].startswith("Ann,") and "'**Bob**" not in exported  # not a formula

    _button(trainer, "Close").click().run()
    late = _join(info.join_code, "Late")
    assert any("No open workshop has this code" in e.value for e in late.error)

    trainer.checkbox(key="delete_sure").check().run()
    _button(trainer, "Delete").click().run()
    assert not trainer.exception
    with pytest.raises(service.Forbidden):
        service.board(app_db, wid, key)
    ann.run()  # the participant's page learns that the workshop is gone
    assert not ann.exception
    assert ann.title[0].value == "Join a workshop"


def test_a_board_link_with_a_wrong_key_shows_nothing_of_the_workshop(app_db):
    info, key = service.create(app_db, "Secret workshop", "en", "blank-start", __import__("datetime").date.today())
    at = open_page("trainer", "en", w=info.id, key=key[::-1]).run()
    assert any("not valid" in e.value for e in at.error)
    assert info.join_code not in " ".join(texts(at)) and "Secret workshop" not in " ".join(texts(at))


def test_a_teacher_comes_back_with_the_link_and_continues_then_forgets(app_db):
    page = open_page("my-data", "en").run()
    assert any("Nothing is stored about you yet" in t for t in texts(page))
    page.session_state["progress"] = {"1b.create-eu-login": "done"}  # as the flows page marks a step
    page.run()
    shown = " ".join(texts(page))
    token = re.search(r"resume=([A-Za-z0-9_-]+)", shown).group(1)
    code = re.search(r"\b([A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{2})\b", shown).group(1)
    assert learners.by_token(app_db, token).progress == {"1b.create-eu-login": "done"}

    later = open_page("start", "en", resume=token).run()  # two days later, another browser
    assert not later.exception
    assert dict(later.session_state["progress"]) == {"1b.create-eu-login": "done"}
    assert "resume" not in later.query_params

    other = open_page("my-data", "en").run()  # yet another browser, with the code
    other.text_input[0].input(code.lower())
    _button(other, "Continue").click().run()
    assert dict(other.session_state["progress"]) == {"1b.create-eu-login": "done"}

    other.checkbox(key="forget_sure").check().run()
    _button(other, "Forget me").click().run()
    assert learners.by_token(app_db, token) is None
    assert not other.session_state["progress"]
    again = open_page("start", "en", resume=token).run()
    assert not again.session_state["progress"]
