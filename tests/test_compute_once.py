"""What is computed once is still right: the trainer board keeps a participant's position until their
sandbox changes and then shows the change; a session's findings follow its case; sessions that share
computed values never see each other's case; plain YAML reads as PyYAML reads it.

Only behaviour is asserted here (what is shown, how often the rules run), never time: speed is measured
in bench/."""

from __future__ import annotations

import datetime as dt
import pathlib
from collections import Counter

import pytest
import yaml
from apptest_tools import by_key, choose_screen, open_page, shown, walk
from dbs import db_url, engine  # noqa: F401 - fixtures
from streamlit.util import calc_hash

from guide import CONTENT_DIR
from guide.case.model import Case
from guide.content.loader import load_content
from guide.sandbox.scenarios import load_scenario
from guide.steps import findings as findings_module
from guide.store.engine import dispose_all, get_engine
from guide.ui import derived
from guide.workshop import service
from guide.yamlio import _DateAsStr, parse

DAY = dt.date(2026, 11, 30)
MORNING = dt.datetime(2026, 11, 30, 9, 0)


@pytest.fixture
def room(engine):  # noqa: F811
    info, key = service.create(engine, "Room", "en", "blank-start", DAY)
    ann, _ = service.join(engine, info.join_code, "Ann", "room", now=MORNING)
    bob, _ = service.join(engine, info.join_code, "Bob", "room", now=MORNING)
    return info, key, ann, bob


@pytest.fixture
def counted(monkeypatch):
    """How many participants' rules the board ran (service.check is what it calls per participant)."""
    calls = []
    real = service.check

    def check(case, *args, **kwargs):
        calls.append(case)
        return real(case, *args, **kwargs)

    monkeypatch.setattr(service, "check", check)
    return calls


def _row(board, pid):
    return next(r for r in board.rows if r.participant_id == pid)


def test_the_board_checks_a_participant_again_only_when_their_sandbox_changed(engine, room, counted):  # noqa: F811
    info, key, ann, bob = room
    first = service.board(engine, info.id, key)
    assert len(counted) == 2 and _row(first, ann.id).actions == 0
    again = service.board(engine, info.id, key)
    assert len(counted) == 2, "nobody changed: nobody's rules run again"
    assert again.rows == first.rows

    assert service.act(engine, ann.id, "create_eu_login", email="ann@example.org", email_kind="private").ok
    after = service.board(engine, info.id, key)
    assert len(counted) == 3, "only Ann's sandbox changed"
    assert _row(after, ann.id).actions == 1 and _row(after, bob.id).actions == 0
    assert _row(after, ann.id).position != _row(first, ann.id).position  # her next step moved on
    assert _row(after, bob.id).position == _row(first, bob.id).position
    assert [r.nickname for r in after.rows] == ["Ann", "Bob"]


def test_the_board_follows_the_trainers_commands_and_a_reset(engine, room, counted):  # noqa: F811
    info, key, ann, bob = room
    service.act(engine, ann.id, "create_eu_login", email="ann@example.org", email_kind="private")
    before = service.board(engine, info.id, key)
    service.move_clock(engine, info.id, key, 3)  # every sandbox changes: everyone is checked again
    n = len(counted)
    moved = service.board(engine, info.id, key)
    assert len(counted) == n + 2
    service.reset_participant(engine, info.id, key, ann.id)
    reset = service.board(engine, info.id, key)
    assert _row(reset, ann.id).actions == 0
    assert _row(reset, ann.id).position == _row(moved, bob.id).position  # a fresh sandbox, like Bob's
    assert _row(before, ann.id).position != _row(reset, ann.id).position


def test_the_board_reads_staged_trouble_and_the_timeline_as_they_are_now(engine, room, counted):  # noqa: F811
    """One read per refresh gives the rows, the staged trouble and the timeline together; what is kept
    between refreshes (the rows) never holds back the trouble or the timeline."""
    info, key, ann, bob = room
    quiet = service.board(engine, info.id, key)
    assert quiet.faults == [] and [e.kind for e in quiet.events] == ["created"]
    service.stage(engine, info.id, key, "scenario:waiting-for-validation", [ann.id])
    staged = service.board(engine, info.id, key)
    assert staged.faults == service.faults(engine, info.id, key)
    assert staged.events == service.timeline(engine, info.id, key)
    assert [e.kind for e in staged.events] == ["created", "staged"]
    assert _row(staged, bob.id) is _row(quiet, bob.id), "Bob did not change: his row is the one kept"
    n = len(counted)
    assert [(f.nickname, f.outcome) for f in staged.faults] == [("Ann", None)]
    assert _row(staged, ann.id).position != _row(quiet, ann.id).position  # her sandbox is the scenario's now
    service.reset_participant(engine, info.id, key, ann.id)
    reset = service.board(engine, info.id, key)
    assert [f.outcome for f in reset.faults] == ["replaced"]
    assert [e.kind for e in reset.events] == ["created", "staged", "reset"]
    assert _row(reset, ann.id).position == _row(quiet, ann.id).position  # a fresh sandbox again
    assert len(counted) == n + 1, "the reset changed Ann's sandbox only"


def test_a_quiet_refresh_shows_the_board_before_and_the_next_shows_who_joined_left_or_acted(engine, room, counted):  # noqa: F811
    """A refresh where nobody joined, left or changed shows the rows of the refresh before (issue #16: the room
    is read as one string of ids and versions); each change shows on the very next refresh, never a stale row."""
    info, key, ann, bob = room
    first = service.board(engine, info.id, key)
    quiet = service.board(engine, info.id, key)
    assert [a is b for a, b in zip(quiet.rows, first.rows, strict=True)] == [True, True]
    assert quiet.stuck == first.stuck and quiet.workshop == first.workshop

    cid, _ = service.join(engine, info.join_code, "Cid", "room", now=MORNING + dt.timedelta(minutes=1))
    joined = service.board(engine, info.id, key)
    assert [r.nickname for r in joined.rows] == ["Ann", "Bob", "Cid"] and joined.workshop.participants == 3
    assert sum(n for _s, _t, n in joined.stuck) == 3

    service.remove_participant(engine, info.id, key, bob.id)
    left = service.board(engine, info.id, key)
    assert [r.nickname for r in left.rows] == ["Ann", "Cid"] and left.workshop.participants == 2
    assert sum(n for _s, _t, n in left.stuck) == 2

    n = len(counted)
    assert service.act(engine, cid.id, "create_eu_login", email="cid@example.org", email_kind="private").ok
    acted = service.board(engine, info.id, key)
    assert _row(acted, cid.id).actions == 1 and _row(acted, cid.id).acted_at is not None
    assert _row(acted, cid.id).position != _row(left, cid.id).position
    assert _row(acted, ann.id) is _row(left, ann.id) and len(counted) == n + 1
    assert service.board(engine, info.id, key).rows == acted.rows


def test_staged_trouble_seen_fixed_or_gone_shows_on_the_next_refresh(engine, room):  # noqa: F811
    """The staged trouble, kept between quiet refreshes like the rows, follows every change of a fault: a
    participant who saw the notice (no change of their sandbox), fixed it, or the trainer took it back."""
    info, key, ann, bob = room
    service.stage(engine, info.id, key, "scenario:profile-not-available", [ann.id, bob.id])
    staged = service.board(engine, info.id, key)
    assert sorted((f.nickname, f.outcome, f.seen_at) for f in staged.faults) == [("Ann", None, None), ("Bob", None, None)]
    assert service.board(engine, info.id, key).faults == staged.faults  # quiet

    service.acknowledge(engine, ann.id)  # she saw 'something changed': her sandbox did not change
    seen = service.board(engine, info.id, key)
    assert {f.nickname: f.seen_at is not None for f in seen.faults} == {"Ann": True, "Bob": False}
    assert seen.faults == service.faults(engine, info.id, key)

    assert service.act(engine, bob.id, "set_available", available=True).ok  # he fixes it himself
    fixed = service.board(engine, info.id, key)
    assert {f.nickname: f.outcome for f in fixed.faults} == {"Ann": None, "Bob": "fixed"}
    assert fixed.faults == service.faults(engine, info.id, key)

    service.remove_participant(engine, info.id, key, ann.id)
    gone = service.board(engine, info.id, key)
    assert [f.nickname for f in gone.faults] == ["Bob"] and gone.faults == service.faults(engine, info.id, key)


def test_the_board_words_positions_in_the_language_asked(engine, room):  # noqa: F811
    info, key, ann, _bob = room
    en = _row(service.board(engine, info.id, key, "en"), ann.id).position
    nl = _row(service.board(engine, info.id, key, "nl"), ann.id).position
    assert en.step == nl.step
    assert en.step_title == load_content("en").step_by_id[en.step][2].title
    assert nl.step_title == load_content("nl").step_by_id[nl.step][2].title != en.step_title
    # each language's board is kept apart: asked again, each in its own words
    assert _row(service.board(engine, info.id, key, "en"), ann.id).position == en
    assert _row(service.board(engine, info.id, key, "nl"), ann.id).position == nl
    assert _row(service.board(engine, info.id, key), ann.id).position == en  # the workshop's own language


def test_a_participant_who_left_and_joined_again_is_shown_as_they_are_now(engine, room):  # noqa: F811
    info, key, ann, _bob = room
    service.act(engine, ann.id, "create_eu_login", email="ann@example.org", email_kind="private")
    assert _row(service.board(engine, info.id, key), ann.id).actions == 1
    service.forget_participant(engine, ann.id)
    again, _ = service.join(engine, info.join_code, "Ann", "room", now=MORNING + dt.timedelta(minutes=5))
    row = _row(service.board(engine, info.id, key), again.id)
    assert row.actions == 0 and row.nickname == "Ann"
    fresh = _row(service.board(engine, info.id, key), _bob_id(engine, info, key))
    assert row.position == fresh.position  # a fresh sandbox again, not her old one


def _bob_id(engine, info, key):  # noqa: F811
    return next(pid for pid, name in service.nicknames(engine, info.id, key).items() if name == "Bob")


def test_the_csv_shows_the_same_positions_as_the_board(engine, room):  # noqa: F811
    info, key, ann, _bob = room
    service.act(engine, ann.id, "create_eu_login", email="ann@example.org", email_kind="private")
    board = service.board(engine, info.id, key)
    lines = service.export_csv(engine, info.id, key).splitlines()
    assert [line.split(",")[5] for line in lines[1:]] == [r.position.step for r in board.rows]


# -- a session's findings, kept until its case changes ---------------------------------------------------

@pytest.fixture
def rule_runs(monkeypatch):
    """How often a page ran all rules on a case (guide.ui.derived calls check once per case)."""
    calls = []
    real = derived.check

    def check(case, *args, **kwargs):
        calls.append(case)
        return real(case, *args, **kwargs)

    monkeypatch.setattr(derived, "check", check)
    monkeypatch.setattr(derived, "_shared", type(derived._shared)())  # nothing made by other tests
    return calls


def _sandbox(lang="en", case=None):
    at = open_page("sandbox", lang, part="account")
    if case is not None:
        at.session_state["case"] = case
    return at.run()


CHECKS = "What the checks find now"


def checks(at) -> str:
    """'What the checks find now' opened (a rerun): its text."""
    at.session_state["sb_checks_open"] = True
    at.run()
    box = next(e for e in at.expander if e.label == CHECKS)
    return "\n".join(str(n.value) for n in walk(box) if isinstance(getattr(n, "value", None), str))


def blocking_said(n: int) -> str:
    return "Nothing blocks you." if n == 0 else f"{n} check blocks you:" if n == 1 else f"{n} checks block you:"


def test_findings_follow_the_case_and_are_not_made_again_while_it_is_the_same(rule_runs):
    at = _sandbox()
    assert not at.exception
    before = checks(at)  # opened, and open while the action below is done
    runs = len(rule_runs)
    assert runs >= 1
    at.run()
    at.run()
    assert len(rule_runs) == runs, "the same case: its rules do not run again on a rerun"

    choose_screen(at, "create_eu_login")  # the default: the journey's next step
    by_key(at, "sb_create_eu_login_email").set_value("esep@example.org")
    by_key(at, "sb_create_eu_login_submit").click()
    at.run()
    assert not at.exception
    assert len(rule_runs) > runs, "a new case: its findings are made anew"
    assert at.session_state["case"].eu_login.email == "esep@example.org"
    # the findings shown are those of the new case, the same as diagnosing it directly
    expected = [f for f in findings_module.diagnose(at.session_state["case"], "en") if f.status == "fail"
                and f.severity == "blocker"]
    now = checks(at)
    assert now.startswith(blocking_said(len(expected))), now
    assert all(f.title in now for f in expected)
    assert now != before or not expected


def test_findings_follow_the_language_on_the_same_case(rule_runs):
    case = load_scenario("email-mismatch")  # three blockers
    at = open_page("sandbox", "en", part="account")
    at.session_state["case"] = case
    at.session_state["sb_checks_open"] = True  # 'What the checks find now' opened
    at.run()
    en = shown(at)
    at.query_params["lang"] = "nl"
    at.run()
    nl = shown(at)
    blockers = [f for f in findings_module.diagnose(case, "nl") if f.status == "fail" and f.severity == "blocker"]
    assert blockers
    for f in blockers:
        assert f.title in nl
    for f in findings_module.diagnose(case, "en"):
        if f.status == "fail" and f.severity == "blocker":
            assert f.title in en and f.title not in nl
    assert en != nl


def test_a_sandbox_action_words_no_findings_and_writes_no_case_file_while_they_are_closed(monkeypatch):
    """'What the checks find now' and 'The sandbox as a case file' are made when the reader opens them, not
    on every action; the count in the first one's label still follows the case."""
    made = Counter()
    for name in ("diagnose", "dump_case"):
        real = getattr(derived, name)
        monkeypatch.setattr(derived, name, lambda *a, _real=real, _name=name, **k: made.update([_name]) or _real(*a, **k))
    monkeypatch.setattr(derived, "_shared", type(derived._shared)())
    at = _sandbox()
    choose_screen(at, "create_eu_login")  # the default: the journey's next step
    by_key(at, "sb_create_eu_login_email").set_value("esep@example.org")
    by_key(at, "sb_create_eu_login_submit").click()
    at.run()
    assert not at.exception and made == Counter()
    expected = sum(f.status == "fail" and f.severity == "blocker"
                   for f in findings_module.diagnose(at.session_state["case"], "en"))
    assert [e.label for e in at.expander if e.label.startswith(CHECKS)] == [CHECKS], "a label with no count"
    shown_now = checks(at)
    assert made == Counter({"diagnose": 1})
    assert shown_now.startswith(blocking_said(expected)), "opened: its findings are shown, counted"


def test_sessions_with_different_cases_never_see_each_others_findings(rule_runs):
    waiting = load_scenario("waiting-for-validation")
    blank = Case()
    a = _sandbox("en", waiting)
    b = _sandbox("en", blank)
    a2 = _sandbox("en", load_scenario("waiting-for-validation"))  # the same contents, another session
    said = [checks(at) for at in (a, b, a2)]
    want = [sum(f.status == "fail" and f.severity == "blocker" for f in findings_module.diagnose(c, "en"))
            for c in (waiting, blank, waiting)]
    assert [t.split("\n")[0] for t in said] == [blocking_said(n) for n in want]
    assert said[0] == said[2] and said[0] != said[1]


def test_a_case_that_differs_only_in_what_was_given_is_judged_apart():
    """`role` not given and `role: teacher` read alike as values, not to the rules: the shared table keeps
    them apart."""
    given = Case.model_validate({"version": 1, "person": {"role": "teacher"}})
    not_given = Case.model_validate({"version": 1, "person": {}})
    assert given.person.role == not_given.person.role
    assert derived.signature(given) != derived.signature(not_given)


def test_the_flows_page_runs_the_rules_once_per_case_not_per_rerun(rule_runs):
    at = open_page("flows", "en").run()
    assert not at.exception
    runs = len(rule_runs)
    assert runs == 1, "one page run: the journey, the questions and the findings share one check"
    at.run()
    at.run()
    assert len(rule_runs) == runs


# -- content: plain YAML read in one walk --------------------------------------------------------------

def _all_yaml():
    return sorted(pathlib.Path(CONTENT_DIR).rglob("*.yaml"))


@pytest.mark.parametrize("path", _all_yaml(), ids=lambda p: str(p.relative_to(CONTENT_DIR)))
def test_content_reads_exactly_as_pyyaml_reads_it(path):
    text = path.read_text(encoding="utf-8")
    loader = _DateAsStr(text)
    expected = loader.construct_document(loader.get_single_node())
    assert repr(parse(text, str(path))[0]) == repr(expected)


def test_aliases_and_merge_keys_still_read_and_a_key_twice_is_still_named():
    text = "base: &b {a: 1, when: 2026-11-30}\ncopy: *b\nmerged:\n  <<: *b\n  c: 3\n"
    assert parse(text, "x.yaml")[0] == yaml.load(text, Loader=_DateAsStr)
    assert parse(text, "x.yaml")[0]["merged"] == {"a": 1, "when": "2026-11-30", "c": 3}
    with pytest.raises(Exception, match="appears twice"):
        parse("a: 1\nb: 2\na: 3\n", "x.yaml")


def test_the_sandbox_writes_its_case_file_when_the_teacher_clicks():
    from guide.case.model import dump_case
    from guide.ui.pages.sandbox import _case_file

    case = load_scenario("waiting-for-validation")
    at = _sandbox("en", case)
    download = by_key(at, "sb_download")
    assert download.proto.deferred_file_id and not download.proto.url  # nothing written at render time
    assert _case_file(case)() == dump_case(case)  # what the click gets: the case as the page showed it



def test_a_seated_action_and_the_run_after_it_make_each_cases_signature_once(monkeypatch, tmp_path):
    """The rules, journey and insights of the case before and after a participant's sandbox action are looked
    up by the case's signature (two full dumps of it): made once per case in the run, however many ask."""
    url = f"sqlite:///{tmp_path / 'guide.sqlite3'}"
    monkeypatch.setenv("GUIDE_DATABASE_URL", url)
    try:
        info, _key = service.create(get_engine(url), "Room", "en", "cofounder-not-a-contact", dt.date.today())
        ws = open_page("workshop", "en", code=info.join_code).run()
        ws.text_input[1].input("Ann")
        next(b for b in ws.button if b.label == "Join").click().run()
        ws._page_hash = calc_hash("sandbox")
        ws.query_params["part"] = "profile"
        ws.run()
        signed = []
        real = derived.signature
        monkeypatch.setattr(derived, "signature", lambda case: signed.append(case) or real(case))
        by_key(ws, "sb_set_available_available").set_value(True)
        by_key(ws, "sb_set_available_submit").click()
        ws.run()
        assert not ws.exception, [x.value for x in ws.exception]
        assert ws.session_state["case"].profile.available_for_projects
        assert signed, "the new case is judged"
        assert len(signed) == len({id(case) for case in signed}), "no case signed twice in one run"
    finally:
        dispose_all()
