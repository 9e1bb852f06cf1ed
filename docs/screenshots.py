"""The README's pictures of the trainer board and the insights page, made from a seeded store in the real
app and chromium, so they show what the app shows today:

    .venv/bin/python docs/screenshots.py            # writes docs/trainer-board.png and docs/insights.png

Everything in them is fictional: a workshop of 20 nicknames in a throwaway data folder (deleted after), and
the insights counts of tests/insights_seed.py."""

from __future__ import annotations

import datetime as dt
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from appserver import AppServer, launch_chromium, person, settle, shot  # noqa: E402
from insights_seed import seed  # noqa: E402
from playwright.sync_api import expect, sync_playwright  # noqa: E402

from guide.store.engine import dispose_all, get_engine  # noqa: E402
from guide.store.settings import DB_FILE_NAME  # noqa: E402
from guide.workshop import service  # noqa: E402

NICKNAMES = ["Anouk", "Ben", "Chris", "Dewi", "Eva", "Fatima", "Gert", "Hanna", "Ilse", "Joost", "Karim",
             "Lotte", "Mila", "Noah", "Olga", "Pieter", "Quinn", "Rosa", "Sem", "Tess"]
INSIGHTS_KEY = "operator-key-for-the-screenshots-0123"


def room(engine) -> str:
    """A workshop of 20 in the middle of its exercise; returns the trainer's link (path and query)."""
    info, key = service.create(engine, "Workshop Utrecht, 30 November", "en", "ready-to-create-project",
                               dt.date.today())
    seats = [service.join(engine, info.join_code, name, f"docs-{name}")[0] for name in NICKNAMES]
    service.stage(engine, info.id, key, "flip:school_not_validated", [s.id for s in seats[1:4]])
    service.stage(engine, info.id, key, "flip:availability_off", None)
    for s in seats[8:15]:  # some found out what changed and ticked it again
        service.act(engine, s.id, "set_available", available=True)
    return f"/trainer?lang=en&w={info.id}&key={key}"


def main() -> None:
    data = Path(tempfile.mkdtemp(prefix="guide-docs-"))
    try:
        url = f"sqlite:///{data / DB_FILE_NAME}"
        engine = get_engine(url)
        seed(engine, dt.date.today() - dt.timedelta(days=3))
        trainer = room(engine)
        dispose_all()
        app = AppServer("docs", env={"GUIDE_DATA_DIR": str(data), "GUIDE_INSIGHTS_KEY": INSIGHTS_KEY}).start()
        try:
            with sync_playwright() as p:
                browser = launch_chromium(p)
                page = person(browser, "en", 90_000, viewport={"width": 980, "height": 900})
                page.goto(app.url + trainer)
                settle(page)
                expect(page.get_by_text("Staged trouble", exact=True)).to_be_visible()
                shot(page, "docs-trainer-board", to=ROOT / "docs" / "trainer-board.png")

                page = person(browser, "en", 90_000, viewport={"width": 980, "height": 900})
                page.goto(f"{app.url}/insights?lang=en")
                settle(page)
                page.get_by_label("Insights key").fill(INSIGHTS_KEY)
                page.get_by_role("button", name="Open the insights").click()
                page.locator("[data-testid='stVegaLiteChart'] canvas, [data-testid='stVegaLiteChart'] svg") \
                    .first.wait_for()
                settle(page)
                shot(page, "docs-insights", to=ROOT / "docs" / "insights.png")
                browser.close()
        finally:
            app.stop()
    finally:
        dispose_all()
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
