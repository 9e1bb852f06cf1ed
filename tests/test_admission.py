"""Page runs take turns (guide.ui.admission): a few at once, the others wait; a place is always given back,
however the run ends; the rerun a run asks for (st.rerun, st.switch_page) does not queue again.

Threads stand in for Streamlit's script threads; every wait here is on an event, never on time."""

from __future__ import annotations

import threading

import pytest
from streamlit.runtime.scriptrunner_utils.exceptions import RerunException, StopException

from guide.ui import admission


def _free() -> bool:
    """Is a place free now? (taken and given back at once)"""
    if admission._places.acquire(blocking=False):
        admission._places.release()
        return True
    return False


class Run(threading.Thread):
    """A page run that holds its turn until told to end (`end`), then ends as `how` says."""

    def __init__(self, how: BaseException | None = None):
        super().__init__(daemon=True)
        self.how, self.inside, self.end = how, threading.Event(), threading.Event()

    def run(self) -> None:
        try:
            with admission.turn():
                self.inside.set()
                self.end.wait()
                if self.how is not None:
                    raise self.how
        except BaseException:  # the run's own ending, as Streamlit catches it
            pass


@pytest.fixture
def full():
    """Every place taken by a run that is still going."""
    runs = [Run() for _ in range(admission.RUNS_AT_ONCE)]
    for r in runs:
        r.start()
        assert r.inside.wait(30)
    yield runs
    for r in runs:
        r.end.set()
        r.join(30)


def test_a_run_waits_while_every_place_is_taken_and_goes_in_when_one_is_free(full):
    assert not _free()
    waiting = Run()
    waiting.start()
    full[0].end.set()  # one run ends: the waiting one goes in
    assert waiting.inside.wait(30)
    waiting.end.set()
    waiting.join(30)


@pytest.mark.parametrize("how", [ValueError("a bug in a page"), StopException(), RerunException(None)],
                         ids=["error", "stop", "rerun"])
def test_a_place_is_given_back_however_the_run_ends(how):
    runs = [Run(how) for _ in range(admission.RUNS_AT_ONCE)]
    for r in runs:
        r.start()
        assert r.inside.wait(30)
    assert not _free()
    for r in runs:
        r.end.set()
        r.join(30)
    assert all(_free() for _ in range(admission.RUNS_AT_ONCE))


def test_the_rerun_a_run_asks_for_follows_without_queueing_again(full):
    """Joining a workshop is a run that ends in st.rerun() and the run after it: one turn, not two."""
    order = []
    others = []

    def page_then_its_rerun() -> None:
        try:
            with admission.turn():
                order.append("join")
                raise RerunException(None)
        except RerunException:
            pass
        other = Run()  # somebody else's run takes the place given back: every place is taken again
        others.append(other)
        other.start()
        assert other.inside.wait(30)
        assert not _free()
        with admission.turn():  # yet the rerun goes in
            order.append("seated")

    full[0].end.set()
    full[0].join(30)  # a place for the first run
    thread = threading.Thread(target=page_then_its_rerun, daemon=True)
    thread.start()
    thread.join(30)
    assert order == ["join", "seated"]
    for other in others:
        other.end.set()
        other.join(30)


def test_only_the_rerun_skips_the_queue_not_the_runs_after_it(full):
    full[0].end.set()
    full[0].join(30)  # one place free
    with pytest.raises(RerunException), admission.turn():
        assert not _free()  # this run holds the last place
        raise RerunException(None)
    with admission.turn():
        assert _free(), "the rerun holds no place of its own"
    with admission.turn():
        assert not _free(), "the next run takes a place like anyone else"


def test_a_run_goes_in_anyway_when_the_queue_does_not_move(full, monkeypatch):
    """A store that hangs keeps every run in its turn waiting: the queue behind them does not wait for all
    of those waits in a row."""
    monkeypatch.setattr(admission, "WAIT_MAX_S", 0.01)
    late = Run()
    late.start()
    assert late.inside.wait(30), "it went in although every place stayed taken"
    assert not _free()
    late.end.set()
    late.join(30)
    assert not _free(), "it gave back no place it did not hold"


def test_a_turn_inside_a_turn_is_the_same_turn(full, monkeypatch):
    """An action during a page run (a turn asked for inside a turn) takes no second place: it does not
    queue for one, and the page run's place is given back once, at the end."""
    asked = []
    places = admission._places

    class Counted:
        def acquire(self, *args, **kwargs):
            if kwargs.get("blocking", True):  # a turn's wait (not this test's look with blocking=False)
                asked.append(1)
            return places.acquire(*args, **kwargs)

        def release(self):
            places.release()

    monkeypatch.setattr(admission, "_places", Counted())
    full[0].end.set()
    full[0].join(30)  # the last place is this run's
    with admission.turn():
        with admission.turn():
            assert not _free()
        assert not _free(), "the inner turn gave back no place: the page run still holds it"
    assert asked == [1], "one place asked for, by the page run"
    assert _free()
