"""The served app settles its start-up heap (issue #16): both languages' content and every page module are
loaded once at start-up, then frozen out of the garbage collector's automatic collections."""

from __future__ import annotations

import gc

from guide import LANGUAGES
from guide.content import loader
from guide.ui.app import PAGES
from guide.ui.server import settle_heap


def test_the_start_up_heap_holds_the_content_and_pages_and_is_frozen():
    import sys

    before = gc.get_freeze_count()
    try:
        settle_heap()
        assert gc.get_freeze_count() > before + 10_000, "the start-up heap is out of the collector's way"
        for lang in LANGUAGES:
            assert loader.load_content(lang) is loader.load_content(lang)
            assert any(key[1] == lang for key in loader._cache), f"{lang} loaded at start-up"
        assert all(f"guide.ui.pages.{spec.module}" in sys.modules for spec in PAGES)
        assert gc.isenabled(), "collections go on for what the sessions make"
    finally:
        gc.unfreeze()


def test_a_content_error_does_not_stop_the_start(monkeypatch):
    from guide.errors import ContentError, Problem

    def broken(*_args, **_kwargs):
        raise ContentError([Problem("content/nl/faq.yaml", "not valid YAML")])

    monkeypatch.setattr("guide.content.load_all", broken)
    try:
        settle_heap()  # the pages tell the operator; the start goes on
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_the_whole_heap_is_collected_on_the_keepers_schedule_not_by_the_collectors_count():
    import time
    import weakref

    from guide.ui.server import HeapKeeper

    class Node:
        pass

    threshold = gc.get_threshold()
    keeper = HeapKeeper(every_s=0.05).start()
    try:
        assert gc.get_threshold() == (threshold[0], threshold[1], HeapKeeper.NEVER), "no automatic full collection"
        a, b = Node(), Node()
        a.other, b.other = b, a  # a cycle: only the collector frees it
        gone = weakref.ref(a)
        gc.collect()  # it survives into the oldest generation, which only a full collection walks
        del a, b
        deadline = time.monotonic() + 5
        while gone() is not None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert gone() is None, "the keeper's full collection freed the cycle"
    finally:
        keeper.stop()
    assert gc.get_threshold() == threshold, "the collector's own schedule again"
