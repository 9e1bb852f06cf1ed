"""The pages as people use them (AppTest, the real runtime): a trainer runs a workshop from create to
delete while a participant joins and acts; a teacher leaves, comes back with the link, and forgets."""

from __future__ import annotations

import re

import pytest
from apptest_tools import open_page, texts

from guide.sandbox.actions import ACTIONS
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


def _workshop(engine):  # noqa: ANN001, ANN202
    return service.create(engine, "Reload workshop", "en", "blank-start", __import__("datetime").date.today())


def _reload(page):  # noqa: ANN001, ANN202
    """What a browser reload does: a new session on the same address (same page, same query params)."""
    params = {k: v for k, v in page.query_params.items() if k != "lang"}
    return open_page("workshop", "en", **params).run()


def test_a_participant_who_reloads_the_tab_keeps_their_seat_and_sandbox(app_db):
    info, _key = _workshop(app_db)
    ann = _join(info.join_code, "Ann")
    token = ann.query_params["seat"]
    assert token and token != info.join_code and "code" not in ann.query_params
    assert service.seat_by_token(app_db, token).nickname == "Ann"  # her own seat link, nobody else's
    bob = _join(info.join_code, "Bob")
    assert bob.query_params["seat"] not in (token, info.join_code)

    ann.selectbox(key="ws_action").set_value("create_eu_login").run()
    ann.text_input[0].input("ann@example.org")
    _button(ann, "Do it").click().run()
    assert ann.session_state["case"].eu_login.email == "ann@example.org"

    again = _reload(ann)
    assert not again.exception, again.exception
    assert again.title[0].value == "Workshop" and "you are **Ann**" in " ".join(texts(again))
    assert again.session_state["case"].eu_login.email == "ann@example.org"  # the same sandbox, with her action
    assert again.query_params["seat"] == token  # a second reload keeps it too
    assert _reload(again).session_state["case"].eu_login.email == "ann@example.org"

    _button(again, "Leave the workshop on this device").click().run()
    assert "seat" not in again.query_params and again.title[0].value == "Join a workshop"
    assert _reload(again).title[0].value == "Join a workshop"  # leaving is not undone by a reload


def test_the_seat_link_leaves_the_address_bar_on_other_pages(app_db):
    info, _key = _workshop(app_db)
    token = _join(info.join_code, "Ann").query_params["seat"]
    start = open_page("start", "en", seat=token).run()
    assert not start.exception
    assert "seat" not in start.query_params  # the secret stays only on the workshop page
    assert start.session_state["_store_owner"].kind == "participant"  # the link still seated this tab
    assert open_page("workshop", "en").run().title[0].value == "Join a workshop"  # a tab without it is not


def test_after_the_trainer_deletes_the_workshop_the_seat_link_says_so(app_db):
    info, key = _workshop(app_db)
    ann = _join(info.join_code, "Ann")
    token = ann.query_params["seat"]
    service.delete_workshop(app_db, info.id, key)

    ann.run()  # the open tab
    assert ann.title[0].value == "Join a workshop" and "seat" not in ann.query_params
    assert any("deleted by the trainer" in w.value for w in ann.warning)

    link = open_page("workshop", "en", seat=token).run()  # the link, opened later or reloaded
    assert not link.exception
    assert link.title[0].value == "Join a workshop" and "you are" not in " ".join(texts(link))
    assert any("This workshop link is not valid (any more)" in w.value for w in link.warning)
    assert "seat" not in link.query_params


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_the_participant_picks_actions_by_their_platform_labels(app_db, lang):
    info, _key = _workshop(app_db)
    page = open_page("workshop", lang, code=info.join_code).run()
    page.text_input[1].input("Ann")
    page.button[0].click().run()
    options = page.selectbox(key="ws_action").options
    assert "'Networking' > 'People' > 'Add as contact'" in options and "'Create project'" in options
    assert not any("_" in o for o in options), options  # no raw action names such as send_contact_request
    assert not any("NSO" in o or "partner" in o.lower() or "awarded" in o for o in options)  # trainer's own
    assert len(options) == len(set(options)) == sum(a.by_teacher for a in ACTIONS.values())
    declaration = "Registratieformulier: de verklaring" if lang == "nl" else "Registration form: the declaration"
    assert declaration in options


def test_a_refused_action_is_explained_with_what_the_participant_tried(app_db):
    """The refusal's fix names what was typed: the rule judged the attempt, not the case before it."""
    info, _key = service.create(app_db, "Refusal workshop", "en", "ready-to-create-project",
                                __import__("datetime").date.today())
    page = _join(info.join_code, "Ann")
    page.selectbox(key="ws_action").select("create_project").run()
    fields = {t.label: t for t in page.text_input}
    fields["title"].input("Postcards <2026>")
    fields["cofounder"].input("Erika Mustermann")
    next(b for b in page.button if b.label == "Do it").click().run()
    shown = " ".join(texts(page))
    assert "The platform refused" in shown
    assert "Postcards" in shown and "<" in shown, shown  # the title and the symbol the platform rejects
