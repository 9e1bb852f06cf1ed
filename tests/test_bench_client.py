"""The load benchmark's client (bench/_stclient.py) speaks Streamlit's websocket protocol to the served app:
it opens the flows page, picks a step and presses 'Check' like a browser, and sees no error."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from appserver import run_async, start

from bench._stclient import Session


@contextmanager
def served_workshop(name: str, tmp_path, monkeypatch, title: str, scenario: str) -> Iterator[tuple[Any, Any, str]]:
    """The served app with a workshop in its database, written as the trainer page does: (server, info, key)."""
    import datetime as dt

    from guide.store.engine import dispose_all, get_engine
    from guide.workshop import service

    server = start(name, {"GUIDE_DATA_DIR": str(tmp_path)})
    monkeypatch.setenv("GUIDE_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("GUIDE_DATABASE_URL", raising=False)
    try:
        server.wait_for("/readyz")
        try:
            info, key = service.create(get_engine(), title, "en", scenario, dt.date.today())
        finally:
            dispose_all()
        yield server, info, key
    finally:
        server.stop()


def test_the_benchmark_client_drives_the_served_app_like_a_browser(tmp_path):
    server = start("bench-client", {"GUIDE_DATA_DIR": str(tmp_path)})
    try:
        server.wait_for("/readyz")

        async def user() -> Session:
            s = Session(server.base, timeout=60)
            await s.connect()
            await s.open("flows", "lang=en")
            steps = s.widget("flows_step").proto.options
            await s.choose("flows_step", 1, "lang=en")
            await s.press("flows_check", "lang=en")
            await s.close()
            assert len(steps) > 2
            return s

        s = run_async(user())
        assert s.exceptions == []
        assert {"flows_step", "flows_check", "lang_switch"} <= set(s.widgets)
    finally:
        server.stop()


def test_a_step_picked_or_checked_reruns_the_step_panel_only_and_a_step_done_the_whole_page(tmp_path):
    """The flows page's step panel is a fragment (issue #16): picking a step and a 'Check' that finds
    something send only that panel; an answer that makes a step done runs the whole page again, so the
    sidebar's count and the part list show it at once."""
    server = start("flows-fragment", {"GUIDE_DATA_DIR": str(tmp_path)})
    try:
        server.wait_for("/readyz")

        async def user() -> dict[str, object]:
            seen: dict[str, object] = {}
            s = Session(server.base, timeout=60)
            await s.connect()
            await s.open("flows", "lang=en")
            seen["open"] = list(s.deltas)
            seen["progress before"] = next(t for t in s.texts if t.startswith("Your journey:"))
            await s.choose("flows_step", 1, "lang=en")
            seen["pick"] = list(s.deltas)
            seen["step"] = s.widget("flows_step").proto.options[1]
            await s.press("flows_check", "lang=en")
            seen["check"] = list(s.deltas)
            seen["check texts"] = list(s.texts)
            question = s.widget("flows_q_has-eu-login")
            s.texts.clear()
            await s.choose("flows_q_has-eu-login", list(question.proto.options).index("No, not yet"), "lang=en")
            seen["answer no"] = list(s.deltas)
            seen["answer no texts"] = list(s.texts)
            s.texts.clear()
            await s.choose("flows_q_has-eu-login", list(question.proto.options).index("Yes"), "lang=en")
            seen["answer"] = list(s.deltas)
            seen["progress after"] = next(t for t in s.texts if t.startswith("Your journey:"))
            seen["exceptions"] = list(s.exceptions)
            await s.close()
            return seen

        seen = run_async(user())
        assert seen["exceptions"] == []
        whole, pick, check, answer = seen["open"], seen["pick"], seen["check"], seen["answer"]
        assert "" in whole, "the first run draws the whole page"
        assert pick and "" not in pick and len(pick) < len(whole), "a picked step: the panel only"
        assert check and "" not in check, "'Check' that finds something: the panel only"
        # ... and of the panel only its own part: the button and what it found (issue #16), not the steps,
        # the step, its questions and actions again
        assert len(check) <= 3 and len(pick) > 10, (len(check), len(pick))
        assert any("You have no EU Login yet" in t for t in seen["check texts"]), "the fix is shown"
        assert seen["answer no"] and "" not in seen["answer no"], "an answer that changes no count: the panel only"
        assert any(t.startswith("Your progress is saved") for t in seen["answer no texts"]), seen["answer no texts"]
        assert "" in answer, "a step done: the whole page again"
        assert seen["progress before"].startswith("Your journey: 0 of ")
        assert not seen["progress after"].startswith("Your journey: 0 of "), seen["progress after"]
    finally:
        server.stop()


def test_a_workshop_participants_sandbox_action_reruns_only_the_sandbox_fragment(tmp_path, monkeypatch):
    """Issue #16: a participant's sandbox action reruns the sandbox page's fragment, not the page, and that
    fragment draws one ESEP screen at a time: an action sends 10-11 elements and blocks (was 45, then 12-13 with
    the goal in a slot outside the fragment and the checks inside it), and still the
    sidebar's count and the next step move with it, and the chooser follows to the next step's screen."""

    from bench.workshop import _act, _join

    with served_workshop("sandbox-fragment", tmp_path, monkeypatch, "Fragment room", "blank-start") as (server, info, _):
        async def participant() -> dict[str, list]:
            seen: dict[str, list] = {}
            s = Session(server.base, timeout=60, browser_key=True)
            await s.connect()
            await _join(s, info.join_code, "Ann")
            await s.open("sandbox", "lang=en&part=account")
            seen["page"], seen["before"] = list(s.deltas), list(s.texts)
            s.texts.clear()
            await _act(s, 0)  # 'Create EU Login', as the bench does it
            seen["action"], seen["blocks"] = list(s.deltas), list(s.blocks)
            seen["after"], seen["exceptions"] = list(s.texts), list(s.exceptions)
            seen["screen"] = [k for k in s.widgets if k.endswith("_submit")]
            sizes = []
            for i in range(1, 4):  # the bench's next actions: confirm, register, join (each on the screen shown)
                await _act(s, i)
                sizes.append(len(s.deltas) + len(s.blocks))
            seen["sizes"], seen["exceptions"] = sizes, seen["exceptions"] + list(s.exceptions)
            await s.close()
            return seen

        seen = run_async(participant())
        assert seen["exceptions"] == []
        page, action = seen["page"], seen["action"]
        assert "" in page, "opening the sandbox draws the whole page"
        assert action and "" not in action and "" not in seen["blocks"], "the action sends the fragment's only"
        # what an action sends: the fragment's box, the sidebar's slot, the count, the goal (one element), the
        # chooser, the confirmation, the screen (form, title, its fields, submit), the next step
        assert len(action) + len(seen["blocks"]) <= 10, (len(action), len(seen["blocks"]))  # a screen without fields
        assert max(seen["sizes"]) <= 11, seen["sizes"]  # ... with one (the e-mail of 'Register')
        assert seen["screen"] == ["sb_confirm_eu_login_submit"], "the chooser moved on to the next step's screen"
        assert "**'Create account' > 'Create EU Login'** — Done." in seen["after"], "what was done stays said"
        count = [next(t for t in seen[k] if t.startswith("Your journey:")) for k in ("before", "after")]
        assert count[0].startswith("Your journey: 0 of ") and not count[1].startswith("Your journey: 0 of "), count
        steps = [[t for t in seen[k] if t.startswith("Your next step: ")] for k in ("before", "after")]
        assert steps[0] and steps[1] and steps[0][-1] != steps[1][-1], ("the next step moves on", steps)


def test_an_action_that_ends_the_trainers_trouble_runs_the_whole_sandbox_page_again(tmp_path, monkeypatch):
    """The 'Something changed' notice sits above the sandbox's fragment: when a participant's own action ends
    the trouble the trainer staged, the whole page runs again and the notice is gone at once."""

    from streamlit.proto.WidgetStates_pb2 import WidgetState

    from bench.workshop import _join
    from guide.store.engine import dispose_all, get_engine
    from guide.workshop import service

    notice = "Something changed in your account: find out what."
    with served_workshop("sandbox-told", tmp_path, monkeypatch, "Told room", "ready-to-create-project") as (server, info, key):
        async def participant(stage) -> dict[str, list[str]]:
            seen: dict[str, list[str]] = {}
            s = Session(server.base, timeout=60, browser_key=True)
            await s.connect()
            await _join(s, info.join_code, "Ann")
            stage()
            await s.open("sandbox", "lang=en&part=profile")
            seen["page"] = list(s.texts)
            s.texts.clear()
            await s.choose_label("sb_screen", "'Edit profile' > 'Available for eTwinning project'",
                                 "lang=en&part=profile")
            box = s.widget("sb_set_available_available")
            s.states[box.id] = WidgetState(id=box.id, bool_value=True)
            await s.submit(s.widget("sb_set_available_submit"), "lang=en&part=profile")
            seen["action"], seen["after"], seen["exceptions"] = list(s.deltas), list(s.texts), list(s.exceptions)
            await s.close()
            return seen

        def stage() -> None:
            try:
                engine = get_engine()
                ann = next(pid for pid, name in service.nicknames(engine, info.id, key).items() if name == "Ann")
                assert service.stage(engine, info.id, key, "flip:availability_off", [ann]).staged == 1
            finally:
                dispose_all()

        seen = run_async(participant(stage))
        assert seen["exceptions"] == []
        assert notice in seen["page"], "the staged trouble is told above the sandbox"
        assert "" in seen["action"], "the action that ended it runs the whole page again"
        assert notice not in seen["after"] and any(t.startswith("Your journey:") for t in seen["after"])


def test_the_boards_refresh_redraws_its_live_part_and_a_change_made_elsewhere_the_whole_page(tmp_path, monkeypatch):
    """Issue #16: the trainer board's refresh every 5 s redraws only what the participants change (counts,
    tables, trouble); the heading, the join code and the timeline come with the page. When the trainer changed
    the workshop on another device (here: closed it), the next refresh runs the whole page, once."""

    from guide.store.engine import dispose_all, get_engine
    from guide.workshop import service

    with served_workshop("board-refresh", tmp_path, monkeypatch, "Refresh room", "blank-start") as (server, info, key):
        async def trainer() -> dict[str, list[str]]:
            seen: dict[str, list[str]] = {}
            s = Session(server.base, timeout=60, browser_key=True)
            await s.connect()
            await s.open("trainer", f"lang=en&w={info.id}&key={key}")
            seen["page"], seen["page texts"] = list(s.deltas), list(s.texts)
            for name in ("quiet", "closed elsewhere", "quiet again"):
                if name == "closed elsewhere":
                    try:
                        service.close(get_engine(), info.id, key)
                    finally:
                        dispose_all()
                s.texts.clear()
                await s.tick()
                seen[name], seen[f"{name} texts"] = list(s.deltas), list(s.texts)
            seen["exceptions"] = list(s.exceptions)
            await s.close()
            return seen

        seen = run_async(trainer())
        assert seen["exceptions"] == []
        created = "`" in " ".join(seen["page texts"]) and any("Workshop created" in t for t in seen["page texts"])
        assert created and "" in seen["page"]
        for name in ("quiet", "quiet again"):
            assert seen[name] and "" not in seen[name], f"a {name} refresh sends the board's live part only"
            assert any(t.startswith("Participants: 0 ·") for t in seen[f"{name} texts"])
            assert not any("Workshop created" in t or t.startswith("Exercise:") for t in seen[f"{name} texts"])
        assert len(seen["quiet"]) < 0.5 * len(seen["page"]), (len(seen["quiet"]), len(seen["page"]))
        assert "" in seen["closed elsewhere"], "closed on another device: the next refresh runs the whole page"
        assert any("Workshop closed" in t for t in seen["closed elsewhere texts"])
