"""Hostile input and faults as people meet them in the app (AppTest, the real runtime)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from apptest_tools import open_page, shown, walk

from guide.store.engine import dispose_all
from guide.store.ratelimit import PER_CLIENT
from guide.workshop import service


def _join(page, code: str, nickname: str, label: str = "Join"):
    page.text_input[0].set_value(code)
    page.text_input[1].set_value(nickname)
    next(b for b in page.button if b.label == label).click()
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


# -- bounded parsing in the app ---------------------------------------------------------------------

def _upload(data: bytes, lang: str = "en"):
    at = open_page("troubleshoot", lang).run()
    at.file_uploader(key="ts_upload").set_value(("case.yaml", data, "application/x-yaml")).run()
    assert not at.exception, at.exception
    return at


def _codes(at) -> list[str]:
    return [c.value for c in at.code]


def test_an_alias_bomb_upload_gets_one_line_about_aliases():
    from test_hostile_input import alias_bomb

    at = _upload(alias_bomb(8).encode())
    assert at.error and "not a valid case file" in at.error[0].value
    [problems] = [c for c in _codes(at) if c.startswith("case.yaml")]
    assert problems.startswith("case.yaml:") and "aliases (*name) repeat more than" in problems
    assert len(problems) < 300  # before: a 74-million-character box, then MessageSizeError, then MemoryError


def test_a_4000_error_upload_lists_fifty_then_how_many_more():
    at = _upload(("version: 1\nwants:\n" + "- x\n" * 4000).encode())
    [problems] = [c for c in _codes(at) if c.startswith("case.yaml")]
    lines = problems.splitlines()
    assert len(lines) == 51 and lines[-1] == "case.yaml: and 3,950 more problems (the first 50 are listed)"


# -- user text is text ------------------------------------------------------------------------------

HOSTILE_NAME = "$x^2$ :smile: :red[Anna] \u202eKowalska\u200b <b>x</b>"


def test_names_from_a_case_file_show_as_typed_in_the_findings():
    from tests.test_cli import CASE

    hostile = '"$x^2$ :smile: :red[Anna] \\u202eKowalska\\u200b <b>x</b>"'
    at = _upload(CASE.replace("Anna Kowalska", hostile).replace("Esep Handleiding", hostile).encode())
    # the fix cards are boxes in the severity's colour (st.error/warning/info), Markdown inside
    markdown = "\n".join(m.value for m in [*at.markdown, *at.error, *at.warning, *at.info])
    assert "Kowalska" in markdown  # the name is in a fix
    assert "\u202e" not in shown(at) and "\u200b" not in shown(at)
    assert not re.search(r"(?<!\\)\$", markdown)  # no math: every $ escaped
    assert "\\$x\\^2\\$" in markdown
    assert ":smile:" not in markdown and ":red[" not in markdown and "<b>" not in markdown
    assert "Teacher: $x^2$ :smile: :red[Anna] Kowalska <b>x</b>" in [t.value for t in at.text]


def _submit_too_long() -> None:
    """A sandbox screen's submit with a text past its field's cap (as a crafted request would send)."""
    import streamlit as st

    from guide.text import MAX_SHORT
    from guide.ui.pages import sandbox_screens

    st.query_params["lang"] = "nl"
    sandbox_screens.run("create_eu_login", lambda: {"email": "a" * (MAX_SHORT + 1) + "@example.org",
                                                    "email_kind": "school"})
    st.text(st.session_state[sandbox_screens.RESULT_KEY]["error"])


def test_a_text_over_the_limit_is_refused_with_a_translated_message(app_db):
    from streamlit.testing.v1 import AppTest

    from guide.text import MAX_SHORT

    at = open_page("sandbox", "nl", part="account").run()
    from apptest_tools import by_key, choose_screen

    choose_screen(at, "create_eu_login")
    assert by_key(at, "sb_create_eu_login_email").proto.max_chars == MAX_SHORT  # the field stops typing there
    # past the field (a crafted request, like the review's 5 MB e-mail address): refused, in Dutch
    at = AppTest.from_function(_submit_too_long).run()
    assert not at.exception, at.exception
    # the message names the field by its label, as every sandbox message does
    assert [t.value for t in at.text] == [f"'E-mail': de tekst is te lang: hoogstens {MAX_SHORT} tekens"]


def test_every_text_field_has_a_length_cap():
    import ast
    from pathlib import Path

    pages = Path(__file__).parent.parent / "guide" / "ui" / "pages"
    uncapped = []
    for path in pages.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr in ("text_input", "text_area", "chat_input")
                    and not any(k.arg == "max_chars" for k in node.keywords)):
                uncapped.append(f"{path.name}:{node.lineno}")
    assert uncapped == []


# -- consistent limits --------------------------------------------------------------------------------

def test_the_photo_limits_agree_with_the_handbook():
    import tomllib
    from pathlib import Path

    from guide.sandbox.photo import MAX_BYTES, MB
    from guide.ui.pages.sandbox_screens import PHOTO_UPLOAD_MB

    config = tomllib.loads((Path(__file__).parent.parent / ".streamlit" / "config.toml").read_text())
    server_mb = config["server"]["maxUploadSize"]
    # ESEP's rule (10 MB) is the sandbox's; a file just over it must get through the uploader and the
    # server to be refused by the sandbox with the platform's words (before: 'AxiosError 413' over 1 MB)
    assert MAX_BYTES == 10 * MB
    assert server_mb >= PHOTO_UPLOAD_MB > MAX_BYTES / MB


def test_the_csv_is_made_when_the_trainer_clicks(app_db):
    from guide.ui import identity

    trainer = open_page("trainer", "en").run()
    trainer.text_input[0].input("CSV check")
    next(b for b in trainer.button if b.label == "Create workshop").click().run()
    (wid, key), = trainer.session_state[identity.TRAINER_KEYS].items()
    [download] = [e for e in walk(trainer.main) if type(e).__name__ == "UnknownElement"
                  and getattr(e, "type", "") == "download_button"] or [trainer.get("download_button")[0]]
    assert download.proto.deferred_file_id and not download.proto.url  # nothing made at render time


# -- faults with a message -----------------------------------------------------------------------------

@pytest.fixture
def no_database(monkeypatch):
    """A database server that is not there (nothing listens on the port)."""
    monkeypatch.setenv("GUIDE_DATABASE_URL", "postgresql+psycopg://guide:pw@127.0.0.1:1/guide")
    monkeypatch.setenv("GUIDE_DB_CONNECT_TIMEOUT", "1")
    yield
    dispose_all()


def test_every_page_works_without_its_database_and_says_so_in_dutch(no_database):
    from guide.i18n import translator
    from guide.ui.app import PAGES

    for spec in PAGES:
        at = open_page(spec.url_path, "nl").run()
        assert not at.exception, (spec.url_path, at.exception)
    at = _join(open_page("workshop", "nl").run(), "ABCDEF", "Ann", translator("nl").gettext("Join"))
    assert not at.exception
    unreachable = "The workshop store cannot be reached just now. Nothing is lost: try again in a few minutes."
    assert translator("nl").gettext(unreachable) in [e.value for e in at.error]


def test_a_broken_scenario_shows_no_server_path_to_the_trainer(app_db, monkeypatch):
    from guide.errors import ContentError, Problem
    from guide.workshop import scenarios

    def broken(*_a, **_k):
        raise ContentError([Problem("/srv/guide/content/scenarios/blank-start.yaml", "not valid YAML", 5)])

    monkeypatch.setattr(scenarios, "seed", broken)
    monkeypatch.setattr(service, "seed", broken)
    trainer = open_page("trainer", "en").run()
    trainer.text_input[0].input("Broken")
    next(b for b in trainer.button if b.label == "Create workshop").click().run()
    assert not trainer.exception
    assert "/srv/guide" not in shown(trainer)
    assert any("the exercise scenario has errors" in e.value for e in trainer.error)
