"""One rerun of every page (AppTest, the real Streamlit runtime) vs. a hello-world app's rerun in the same run.

Also times a search query and checks that content is loaded once per process, not per rerun.
Target: every page within 5x the hello-world rerun.
"""

import statistics
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from guide.content import loader
from guide.search import index_for
from guide.ui.app import PAGES

APP = str(Path(__file__).resolve().parent.parent / "app.py")
RERUNS = 7
TARGET = 5.0
HELLO = "import streamlit as st\nst.title('Hello')\nst.write('world')\n"


def _median_rerun_ms(at: AppTest) -> float:
    at.run()  # first run: imports, session set-up; not what a reader waits for on each click
    times = []
    for _ in range(RERUNS):
        t0 = time.perf_counter()
        at.run()
        times.append((time.perf_counter() - t0) * 1000)
        assert not at.exception, at.exception
    return statistics.median(times)


def _page(url_path: str, lang: str, **params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["lang"] = lang
    at.query_params.update(params)
    at._page_hash = calc_hash(url_path)  # st.Page is addressed by the hash of its url_path
    return at


def main() -> None:
    hello = _median_rerun_ms(AppTest.from_string(HELLO, default_timeout=60))
    loads = {"n": 0}
    real_read = loader.read_language

    def counting(*args, **kwargs):
        loads["n"] += 1
        return real_read(*args, **kwargs)

    rows = []
    # the biggest views of the reference pages, beside each page's first view
    heavy = [("handbook", {"chapter": "7"}, "handbook?ch=7"), ("handbook", {"step": "7a.select-cofounder"}, "handbook?step"),
             ("search", {"q": "cofounder"}, "search?q=cofounder")]
    for lang in ("nl", "en"):
        views = [(spec.url_path, {}, spec.url_path) for spec in PAGES] + heavy
        for url_path, params, label in views:
            at = _page(url_path, lang, **params)
            at.run()  # warm: content and indexes load here, once per process
            loader.read_language = counting
            try:
                ms = _median_rerun_ms(at)
            finally:
                loader.read_language = real_read
            rows.append((f"{lang}/{label}", ms, ms / hello))
    print(f"{'page':<24}{'rerun ms':>10}{'x hello':>9}")
    print(f"{'hello world':<24}{hello:>10.1f}{1:>9.1f}")
    for name, ms, ratio in rows:
        flag = "" if ratio <= TARGET else f"  > {TARGET:g}x target"
        print(f"{name:<24}{ms:>10.1f}{ratio:>9.1f}{flag}")
    print(f"content loads during reruns: {loads['n']} (expected 0: content loads once per process)")

    index = index_for("nl")
    queries = ["cofounder", "medeoprichter", "Available for eTwinning project", "validatie werkdagen", "eu logn"]
    for q in queries:
        index.search(q)
    t0 = time.perf_counter()
    n = 0
    for _ in range(20):
        for q in queries:
            index.search(q)
            n += 1
    per = (time.perf_counter() - t0) * 1000 / n
    print(f"search: {per:.2f} ms per query over {len(index.docs)} items (nl); hello-world rerun {hello:.1f} ms "
          f"-> {per / hello:.2f}x")
