"""A few page runs at a time: the rest wait their turn, and the trainer's board keeps its rhythm.

Streamlit runs every session's script in its own thread. On one core, a hundred runs at once share the
interpreter lock in turns of a few milliseconds each, so every run takes as long as all of them together,
and so does the board's refresh that arrives in their midst (it waited up to 8 s at N = 100). Here a page
run waits, before it starts, until one of `RUNS_AT_ONCE` places is free; waiting costs no CPU. The same
work is done in the same total time, in turn instead of all at once: most runs end sooner, the last ones
no later.

Fragment refreshes (the trainer board every 5 s, a participant's seat watch) never wait: they run the
fragment alone, not the page (not `main()`), and stay cheap. Callbacks (a button's on_click) run before
the page's script; the heavy one, a sandbox action (guide.ui.saving.act), takes its own turn, so that a
room pressing at the same moment does not start a hundred actions at once.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from streamlit.runtime.scriptrunner_utils.exceptions import RerunException

#: page runs at once; a few, so that one waiting on the store does not hold up the others
RUNS_AT_ONCE = 4
#: the longest a run waits for its turn; then it goes in anyway. A store that hangs (every run in its turn
#: waiting for the database's timeout) must not make the queue behind it wait for all of them in a row.
WAIT_MAX_S = 5.0

_places = threading.BoundedSemaphore(RUNS_AT_ONCE)
_thread = threading.local()  # .again: this thread's last run ended in st.rerun() / st.switch_page()


@contextmanager
def turn() -> Iterator[None]:
    """Hold one of the places for the page run inside (after WAIT_MAX_S without one, go in anyway); given
    back however the run ends (a rerun, a page switch, a stop and an error are exceptions that leave
    through here). The run that st.rerun() or st.switch_page() asks for follows at once in the same thread,
    without queueing again: joining a workshop, for one, is a run and its rerun, and is one turn. Inside a
    turn, a turn asked for again (an action during a page run) is the same turn."""
    if getattr(_thread, "inside", False):
        yield
        return
    again, _thread.again = getattr(_thread, "again", False), False
    holds = not again and _places.acquire(timeout=WAIT_MAX_S)
    _thread.inside = True
    try:
        yield
    except RerunException:
        _thread.again = True
        raise
    finally:
        _thread.inside = False
        if holds:
            _places.release()
