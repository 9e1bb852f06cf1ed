"""The pages as people use them (AppTest, the real runtime): a trainer runs a workshop from create to
delete while a participant joins and acts; a teacher leaves, comes back with the link, and forgets."""

from __future__ import annotations

import re

import pytest
from apptest_tools import button, by_key, choose_screen, open_page, shown, texts, walk
from streamlit.util import calc_hash

from guide.content.loader import load_content
from guide.sandbox.actions import in_part
from guide.store import learners
from guide.store.engine import dispose_all
from guide.ui import identity
from guide.workshop import service


def _board_nicknames(at) -> list[str]:
    return [list(df.value.iloc[:, 0]) for df in at.dataframe if df.value.columns[0] == "Nickname"][0]


def _join(code: str, nickname: str):
    p = open_page("workshop", "en", code=code).run()
    p.text_input[1].input(nickname)
    button(p, "Join").click().run()
    return p


def _act_in_sandbox(page, key: str, value: str, submit: str):
    """The participant opens the practice sandbox (same tab) and uses one of its screens."""
    page._page_hash = calc_hash("sandbox")
    page.run()
    choose_screen(page, submit.removeprefix("sb_").removesuffix("_submit"))
    by_key(page, key).set_value(value)
    by_key(page, submit).click()
    return page.run()


def test_a_trainer_runs_a_workshop_from_create_to_delete(app_db):
    trainer = open_page("trainer", "en").run()
    trainer.text_input[0].input("Onboarding <b>Utrecht</b>")
    button(trainer, "Create workshop").click().run()
    assert not trainer.exception, trainer.exception
    (wid, key), = trainer.session_state[identity.TRAINER_KEYS].items()
    assert not trainer.query_params.get("key") and not trainer.query_params.get("w")
    assert key not in " ".join(texts(trainer))  # the board is projected: no trainer key on it
    info = service.trainer_view(app_db, wid, key)
    assert info.join_code in [m.value for m in trainer.metric]
    assert "Onboarding <b>Utrecht</b>" in [t.value for t in trainer.text]  # shown as text, not HTML

    ann = _join(info.join_code, "Ann")
    assert not ann.exception and "you are **Ann**" in " ".join(texts(ann))
    _act_in_sandbox(ann, "sb_create_eu_login_email", "ann@example.org", "sb_create_eu_login_submit")
    assert not ann.exception, ann.exception
    assert service.board(app_db, wid, key).rows[0].actions == 1  # her sandbox is her seat
    bob = _join(info.join_code, "**Bob**")

    trainer.run()  # the board (a fragment refreshing itself) on its next refresh
    assert _board_nicknames(trainer) == ["Ann", "**Bob**"]
    assert any(t.startswith("Participants: 2 ·") for t in texts(trainer))

    button(trainer, "Approve all NSO validations").click().run()
    button(trainer, "Move the clock for everyone").click().run()
    assert any(service.trainer_view(app_db, wid, key).today.isoformat() in t for t in texts(trainer))
    bob.run()  # Bob's page reads the clock the trainer moved
    assert service.trainer_view(app_db, wid, key).today.isoformat() in [m.value for m in bob.metric]

    exported = service.export_csv(app_db, wid, key)
    assert exported.splitlines()[1].startswith("Ann,") and "'**Bob**" not in exported  # not a formula

    button(trainer, "Close").click().run()
    late = _join(info.join_code, "Late")
    assert any("No open workshop has this code" in e.value for e in late.error)

    trainer.checkbox(key="delete_sure").check().run()
    button(trainer, "Delete").click().run()
    assert not trainer.exception
    with pytest.raises(service.Forbidden):
        service.board(app_db, wid, key)
    ann._page_hash = calc_hash("workshop")
    ann.run()  # the participant's page learns that the workshop is gone
    assert not ann.exception
    assert ann.title[0].value == "Join a workshop"
    assert any("deleted by the trainer" in w.value for w in ann.warning)


def test_the_trainer_link_is_made_only_on_request_and_replaces_the_old_one(app_db):
    info, key = service.create(app_db, "Linked", "en", "blank-start", __import__("datetime").date.today())
    at = open_page("trainer", "en", w=info.id, key=key).run()
    assert not at.exception and "key" not in at.query_params
    assert info.join_code in [m.value for m in at.metric]
    assert "/trainer?" not in " ".join(texts(at))
    by_key(at, "trainer_make_link").click()
    at.run()
    link = next(t for t in texts(at) if "/trainer?" in t)
    new = re.search(r"key=([A-Za-z0-9_-]+)", link).group(1)
    assert new != key and service.trainer_view(app_db, info.id, new).id == info.id
    with pytest.raises(service.Forbidden):
        service.trainer_view(app_db, info.id, key)  # the old link stops working
    assert info.join_code in [m.value for m in at.run().metric]  # this tab keeps its board


def test_a_board_link_with_a_wrong_key_shows_nothing_of_the_workshop(app_db):
    info, key = service.create(app_db, "Secret workshop", "en", "blank-start", __import__("datetime").date.today())
    at = open_page("trainer", "en", w=info.id, key=key[::-1]).run()
    assert any("not valid" in e.value for e in at.error)
    assert info.join_code not in " ".join(texts(at)) and "Secret workshop" not in " ".join(texts(at))


def test_a_teacher_comes_back_with_the_link_and_continues_then_forgets(app_db):
    page = open_page("my-data", "en").run()
    assert any("Nothing is stored about you yet" in t for t in texts(page))
    page._page_hash = calc_hash("flows")
    page.query_params.update(flow="account", step="1a.create-eu-login")
    page.run()
    by_key(page, "flows_q_has-eu-login").set_value("yes")
    page.run()
    page._page_hash = calc_hash("my-data")
    page.run()
    shown = " ".join(texts(page))
    token = re.search(r"resume=([A-Za-z0-9_-]+)", shown).group(1)
    code = re.search(r"\b([A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{2})\b", shown).group(1)
    assert learners.by_token(app_db, token).answers == {"has-eu-login": "yes"}

    later = open_page("start", "en", resume=token).run()  # two days later, another browser
    assert not later.exception
    assert later.session_state["answers"] == {"has-eu-login": "yes"}
    assert later.session_state["case"].eu_login is not None
    assert "resume" not in later.query_params

    other = open_page("my-data", "en").run()  # yet another browser, with the code
    other.text_input[0].input(code.lower())
    button(other, "Continue").click().run()
    assert other.session_state["answers"] == {"has-eu-login": "yes"}

    other.checkbox(key="forget_sure").check().run()
    button(other, "Forget me").click().run()
    assert learners.by_token(app_db, token) is None
    assert not other.session_state["answers"] and other.session_state["case"].eu_login is None
    again = open_page("start", "en", resume=token).run()
    assert not again.session_state["answers"]
    assert any("not valid (any more)" in str(t.value) for t in again.toast)


def _workshop(engine):
    return service.create(engine, "Reload workshop", "en", "blank-start", __import__("datetime").date.today())


def _reload(page):
    """What a browser reload does: a new session on the same address (same page, same query params)."""
    params = {k: v for k, v in page.query_params.items() if k != "lang"}
    return open_page("workshop", "en", **params).run()


def test_the_seat_link_seats_a_new_browser_and_leaves_the_address_bar(app_db):
    info, _key = _workshop(app_db)
    ann = _join(info.join_code, "Ann")
    assert "code" not in ann.query_params and "seat" not in ann.query_params  # no secret in the address bar
    token = re.search(r"seat=([A-Za-z0-9_-]+)", " ".join(texts(ann))).group(1)  # 'come back later'
    assert service.seat_by_token(app_db, token).nickname == "Ann"
    _act_in_sandbox(ann, "sb_create_eu_login_email", "ann@example.org", "sb_create_eu_login_submit")

    for page in ("workshop", "start", "sandbox"):
        other = open_page(page, "en", seat=token).run()  # her phone
        assert not other.exception, other.exception
        assert "seat" not in other.query_params
        assert other.session_state["case"].eu_login.email == "ann@example.org"  # the same sandbox
    assert open_page("workshop", "en").run().title[0].value == "Join a workshop"  # a browser without it is not

    ann._page_hash = calc_hash("workshop")
    ann.run()
    button(ann, "Leave the workshop on this device").click().run()
    assert ann.title[0].value == "Join a workshop"


def test_a_seated_participant_acts_in_their_seat_but_cannot_move_the_clock_or_play_the_nso(app_db):
    info, key = service.create(app_db, "Refusals", "en", "ready-to-create-project",
                               __import__("datetime").date.today())
    ann = _join(info.join_code, "Ann")
    ann._page_hash = calc_hash("sandbox")
    ann.run()
    scenario = next(s for s in load_content("en").get("scenarios.yaml").scenarios
                    if s.id == "ready-to-create-project")
    assert scenario.goal in shown(ann) and scenario.description in shown(ann)  # the briefing, in her seat
    assert not ann.success
    keys = {getattr(n, "key", None) for n in walk(ann._tree)}
    assert "sb_next_day" not in keys and "sb_load" not in keys and "sb_reset" not in keys
    for part in ("account", "profile", "project"):
        by_key(ann, "sb_part").set_value(part)
        ann.run()
        chooser = by_key(ann, "sb_screen")  # her own screens only: no NSO, partner or support screen
        assert chooser.options == [chooser.format_func(a.name) for a in in_part(part) if a.by_teacher]
        assert not [o for o in chooser.options if o.endswith("simulated)")]
    by_key(ann, "sb_part").set_value("project")
    ann.run()
    choose_screen(ann, "create_project")
    cofounder = by_key(ann, "sb_create_project_cofounder")
    cofounder.set_value(cofounder.options[0])
    for field in ("short_description", "aims", "work_process", "expected_results"):
        by_key(ann, f"sb_create_project_{field}").set_value("Pupils write letters.")
    by_key(ann, "sb_create_project_title").set_value("Our <project>")
    by_key(ann, "sb_create_project_submit").click()
    ann.run()
    # refused by project.title_symbols, explained with the case of the attempt (a fix, not an empty text)
    title = load_content("en").rule_texts["project.title_symbols"].title
    assert title in shown(ann)
    assert "Our" in shown(ann) and "<" in shown(ann)  # the fix names the title and the symbol it rejects
    assert service.board(app_db, info.id, key).rows[0].actions == 1


def test_after_the_trainer_deletes_the_workshop_the_seat_link_says_so(app_db):
    info, key = _workshop(app_db)
    ann = _join(info.join_code, "Ann")
    token = re.search(r"seat=([A-Za-z0-9_-]+)", " ".join(texts(ann))).group(1)
    service.delete_workshop(app_db, info.id, key)

    ann.run()  # the open tab
    assert ann.title[0].value == "Join a workshop"
    assert any("deleted by the trainer" in w.value for w in ann.warning)

    link = open_page("workshop", "en", seat=token).run()  # the link, opened later
    assert not link.exception
    assert link.title[0].value == "Join a workshop" and "you are" not in " ".join(texts(link))
    assert "seat" not in link.query_params


def test_the_board_shows_goal_reached_the_blocking_rule_and_the_last_action(app_db):
    info, key = service.create(app_db, "Goals", "en", "profile-not-available", __import__("datetime").date.today())
    trainer = open_page("trainer", "en", w=info.id, key=key).run()
    ann, bob = _join(info.join_code, "Ann"), _join(info.join_code, "Bob")
    _act_in_sandbox(ann, "sb_set_available_available", True, "sb_set_available_submit")
    assert "Goal reached" in shown(ann), "the participant sees it the moment it happens"
    trainer.run()
    board = next(df.value for df in trainer.dataframe if df.value.columns[0] == "Nickname")
    rows = {r["Nickname"]: r for r in board.to_dict("records")}
    assert rows["Ann"]["Goal"] == "reached" and rows["Ann"]["Blocking"] == ""
    assert rows["Ann"]["Last action"] == "just now"
    texts_ = load_content("en").rule_texts
    # the blocking rule, and who acts on it (Bob himself: he ticks the box)
    assert rows["Bob"]["Goal"] == "not yet"
    assert rows["Bob"]["Blocking"] == texts_["profile.not_available"].title + " (they can fix it)"
    assert rows["Bob"]["Last action"] == "no action yet"
    assert bob.run().title[0].value == "Workshop"


def _board_tables(at) -> dict[str, list[dict]]:
    """The board's tables by their first column: everyone ('Nickname'/'Bijnaam' first), where they are, trouble."""
    return {df.value.columns[0] + ("/trouble" if len(df.value.columns) == 6 else ""): df.value.to_dict("records")
            for df in at.dataframe}


def test_the_boards_tables_follow_each_change_and_the_language_on_the_next_refresh(app_db):
    """The board keeps its tables in the session between refreshes (issue #16) and makes them again only
    when what they show changed: an action, trouble seen, a participant removed, the language switched each
    show on the next refresh, with no stale row."""
    import datetime as dt

    from guide.i18n import translator

    info, key = service.create(app_db, "Kept", "en", "profile-not-available", dt.date.today())
    trainer = open_page("trainer", "en", w=info.id, key=key).run()
    ann, bob = _join(info.join_code, "Ann"), _join(info.join_code, "Bob")
    trainer.run()
    before = _board_tables(trainer)
    assert [(r["Nickname"], r["Goal"], r["Actions"], r["Last action"]) for r in before["Nickname"]] == [
        ("Ann", "not yet", 0, "no action yet"), ("Bob", "not yet", 0, "no action yet")]
    assert _board_tables(trainer.run()) == before, "a quiet refresh shows the same"

    _act_in_sandbox(ann, "sb_set_available_available", True, "sb_set_available_submit")
    rows = {r["Nickname"]: r for r in _board_tables(trainer.run())["Nickname"]}
    assert (rows["Ann"]["Goal"], rows["Ann"]["Actions"], rows["Ann"]["Last action"]) == ("reached", 1, "just now")
    assert rows["Bob"] == before["Nickname"][1]

    bob_id = _participant_id(app_db, info, key, "Bob")
    service.stage(app_db, info.id, key, "scenario:cannot-log-in", [bob_id])
    trouble = _board_tables(trainer.run())["Nickname/trouble"]
    assert [(r["Nickname"], r["Fixed"], r["Seen"]) for r in trouble] == [("Bob", "not yet", "")]
    service.acknowledge(app_db, bob_id)  # he saw 'something changed'; his sandbox did not change
    trouble = _board_tables(trainer.run())["Nickname/trouble"]
    assert [(r["Nickname"], r["Fixed"], r["Seen"]) for r in trouble] == [("Bob", "not yet", "✓")]

    service.remove_participant(app_db, info.id, key, bob_id)
    trainer.run()
    assert [r["Nickname"] for r in _board_tables(trainer)["Nickname"]] == ["Ann"]
    assert "Nickname/trouble" not in _board_tables(trainer) and "Staged trouble" not in texts(trainer)
    assert any(t.startswith("Participants: 1 ·") for t in texts(trainer))

    nl = translator("nl").gettext
    trainer.query_params["lang"] = "nl"
    dutch = _board_tables(trainer.run())[nl("Nickname")]
    assert [(r[nl("Nickname")], r[nl("Goal")], r[nl("Last action")]) for r in dutch] == [
        ("Ann", nl("reached"), nl("just now"))]
    trainer.query_params["lang"] = "en"
    assert [r["Goal"] for r in _board_tables(trainer.run())["Nickname"]] == ["reached"]
    assert not bob.exception and not trainer.exception


def _participant_id(engine, info, key, nickname: str) -> int:
    return next(pid for pid, name in service.nicknames(engine, info.id, key).items() if name == nickname)


@pytest.fixture
def store_down(monkeypatch):
    """A database nobody answers on (connection refused): the store is unreachable, not empty."""
    monkeypatch.setenv("GUIDE_DATABASE_URL", "postgresql+psycopg://guide@127.0.0.1:9/nowhere?connect_timeout=2")
    dispose_all()
    yield
    dispose_all()


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_an_unreachable_store_is_not_a_deleted_link(store_down, lang):
    from guide.i18n import translator

    t = translator(lang).gettext
    for param in ("resume", "seat"):
        page = "workshop" if param == "seat" else "start"
        at = open_page(page, lang, **{param: "A" * 32}).run()
        assert not at.exception, at.exception
        assert at.query_params[param] == "A" * 32, "the link stays in the address bar: a reload later works"
        warnings = [w.value for w in at.warning]
        assert t("The store where progress is kept cannot be reached just now. Your link is still valid and stays "
                 "in the address bar: reload this page in a few minutes.") in warnings
        assert not any(t("This resume link is not valid (any more). Was the progress deleted?") in w
                       or t("This workshop link is not valid (any more). Was the workshop deleted?") in w
                       for w in warnings), "an unreachable store is not a deleted link"
    trainer = open_page("trainer", lang).run()
    trainer.text_input[0].input("Workshop")
    button(trainer, t("Create workshop")).click().run()
    assert not trainer.exception
    assert any(t("The workshop store cannot be reached just now. Nothing is lost: try again in a few minutes.")
               == e.value for e in trainer.error)
    join = open_page("workshop", lang, code="ABCDEF").run()
    join.text_input[1].input("Ann")
    button(join, t("Join")).click().run()
    assert any(t("The workshop store cannot be reached just now. Nothing is lost: try again in a few minutes.")
               == e.value for e in join.error)
    code = open_page("my-data", lang).run()
    code.text_input[0].input("ABCD-EFGH-JK")
    button(code, t("Continue")).click().run()
    assert not code.exception
    assert t("The store where progress is kept cannot be reached just now. Your code is still valid: try again in "
             "a few minutes.") in [e.value for e in code.error]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_trainer_plays_the_others_and_the_participant_sees_the_goal_reached(app_db, lang):
    """'Logging in fails': only ESEP's support team can help, so the trainer plays them for everyone; the
    participant's page then says 'Goal reached!' and the board says so too (each in their language)."""
    import datetime as dt

    from guide.i18n import translator

    tr = translator(lang).gettext
    info, key = service.create(app_db, "Others", lang, "cannot-log-in", dt.date.today())
    p = open_page("workshop", lang, code=info.join_code).run()
    p.text_input[1].input("Ann")
    button(p, tr("Join")).click().run()
    p._page_hash = calc_hash("sandbox")
    p.run()
    assert tr("Goal reached! Well done.") not in shown(p)
    trainer = open_page("trainer", lang, w=info.id, key=key).run()
    by_key(trainer, "others_answer").click()
    trainer.run()
    assert not trainer.exception, trainer.exception
    assert tr("Answered for {n} participants.").format(n=1) in [t.value for t in trainer.toast]
    assert service.board(app_db, info.id, key, lang).rows[0].goal.reached
    p.run()  # her page reads her seat as the trainer left it
    assert tr("Goal reached! Well done.") in shown(p)
