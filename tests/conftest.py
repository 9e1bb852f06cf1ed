"""Shared test set-up: the app's database and caches go to a throwaway folder, never the tester's home;
one app server and one chromium for the whole session (tests/appserver.py), a fresh browser context per
test."""

from __future__ import annotations

import os
import tempfile

import pytest
from appserver import AppServer, launch_chromium, person
from hypothesis import settings

# Property tests check behaviour, never speed (speed is measured in bench/): no per-example deadline,
# which only turned a busy machine into a red run.
settings.register_profile("guide", deadline=None)
settings.load_profile("guide")


@pytest.fixture(autouse=True, scope="session")
def _private_data_dir():
    # set before any test opens the app: AppTest runs the pages in this process
    with tempfile.TemporaryDirectory(prefix="guide-data-") as folder:
        old = {k: os.environ.get(k) for k in ("GUIDE_DATA_DIR", "GUIDE_DATABASE_URL", "GUIDE_CACHE_DIR")}
        os.environ["GUIDE_DATA_DIR"] = folder
        os.environ["GUIDE_CACHE_DIR"] = os.path.join(folder, "cache")
        os.environ.pop("GUIDE_DATABASE_URL", None)
        yield folder
        from guide.store.engine import dispose_all

        dispose_all()
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


@pytest.hookimpl(trylast=True)  # after pytest-xdist has named each test's group
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests that drive chromium run first: they are the longest, and pytest-xdist (--dist loadgroup) hands
    out the tests in this order, so the many short ones fill both workers' ends and they finish together.
    Tests marked `xdist_group` share a server on one worker: each fails if pytest-xdist no longer groups."""
    items.sort(key=lambda item: "browser" not in getattr(item, "fixturenames", ()))
    if getattr(config.option, "loadgroup", False):
        _UNGROUPED.update(i.nodeid for i in items if i.get_closest_marker("xdist_group") and "@" not in i.nodeid)


_UNGROUPED: set[str] = set()


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.nodeid in _UNGROUPED:
        pytest.fail("pytest-xdist --dist loadgroup did not group this test with its xdist_group: a pytest it "
                    "does not support (see pyproject.toml)", pytrace=False)


@pytest.fixture
def app_db(tmp_path, monkeypatch):
    """The app's database for this test: GUIDE_DATABASE_URL, read by the pages (AppTest) as in production."""
    from guide.store.engine import dispose_all, get_engine

    url = f"sqlite:///{tmp_path / 'app.sqlite3'}"
    monkeypatch.setenv("GUIDE_DATABASE_URL", url)
    yield get_engine(url)
    dispose_all()


@pytest.fixture(scope="session")
def app_server(_private_data_dir):
    """`streamlit run app.py` on SQLite in the session's data folder, shared by every browser test that
    needs no database of its own (each person is a fresh browser context, so they do not meet)."""
    server = AppServer("session", {"GUIDE_DATA_DIR": os.path.join(_private_data_dir, "app-server")})
    try:
        yield server.start()
    finally:
        server.stop()


@pytest.fixture(scope="session")
def browser():
    """One chromium for the session."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = launch_chromium(p)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    """A fresh browser context (no cookies), English, 1280×900; closed after the test."""
    pg = person(browser, "en-US")
    yield pg
    pg.context.close()


@pytest.fixture
def people(browser):
    """`people(lang)`: a new person (a fresh browser context) per call; all closed after the test."""
    made = []

    def new(lang: str = "en"):
        pg = person(browser, lang)
        made.append(pg)
        return pg

    yield new
    for pg in made:
        pg.context.close()
