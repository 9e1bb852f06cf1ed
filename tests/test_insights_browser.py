"""The insights page in a real browser (the session's chromium) on a seeded store: the operator types the
key, the charts draw, the CSV downloads say '< 5' for small counts, and axe-core finds nothing serious or
critical, before and after signing in, in Dutch and English.

Its own app process: the page exists only with GUIDE_INSIGHTS_KEY set, which the session's shared server
(tests/conftest.py, app_server) has not, so that every other page is tested as a deployment without it."""

from __future__ import annotations

import datetime as dt

import pytest
from appserver import AppServer, no_exception, person, settle
from axe_playwright_python.sync_playwright import Axe
from insights_seed import seed
from playwright.sync_api import expect
from test_a11y_browser import AXE_OPTIONS, FAILING

from guide.i18n import translator
from guide.store.engine import dispose_all, get_engine

KEY = "operator-key-for-the-browser-0123"
#: both languages on one worker (pytest-xdist --dist loadgroup), which starts the insights server once for them
pytestmark = pytest.mark.xdist_group("insights")


@pytest.fixture(scope="module")
def insights_server(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('insights') / 'guide.sqlite3'}"
    seed(get_engine(url), dt.date.today() - dt.timedelta(days=3))  # inside the page's default period
    dispose_all()
    s = AppServer("insights", env={"GUIDE_DATABASE_URL": url, "GUIDE_INSIGHTS_KEY": KEY})
    try:
        s.start()
        yield s.url
    finally:
        s.stop()


def serious(page) -> list[str]:
    no_exception(page)
    result = Axe().run(page, options=AXE_OPTIONS).response
    return [f"{v['id']} ({v['impact']}) {v['help']} at {v['nodes'][0]['target']}"
            for v in result["violations"] if v["impact"] in FAILING]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_operator_signs_in_and_reads_the_charts(insights_server, browser, lang):
    _ = translator(lang).gettext
    page = person(browser, lang, viewport={"width": 1280, "height": 1000}, accept_downloads=True)
    context = page.context
    try:
        page.goto(f"{insights_server}/insights?lang={lang}")
        settle(page)
        expect(page.locator("h1")).to_have_text(_("Insights"), timeout=60_000)
        assert serious(page) == []

        page.get_by_label(_("Insights key")).fill(KEY)
        page.get_by_role("button", name=_("Open the insights")).click()
        expect(page.get_by_role("heading", name=_("Rules that fail most"))).to_be_visible(timeout=90_000)
        settle(page)
        assert KEY not in page.url
        # the charts draw (SVG with their own labels): one per source in tabs, then three; the first with '< 5'
        charts = page.locator("[data-testid='stVegaLiteChart']")
        expect(charts).to_have_count(7, timeout=60_000)
        expect(charts.first.locator("svg")).to_be_visible(timeout=60_000)
        expect(charts.first.locator("svg text", has_text="< 5").first).to_be_attached(timeout=60_000)
        assert serious(page) == []

        with page.expect_download() as download:
            page.locator(".st-key-insights_csv_funnel button").click()
        funnel = download.value.path().read_text(encoding="utf-8")
        assert funnel.splitlines()[0] == f"{_('Part')},{_('Started')},{_('Finished')}"
        assert "TwinSpace,< 5,< 5" in funnel
    finally:
        context.close()
