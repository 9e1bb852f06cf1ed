"""The practice sandbox in a real browser (the session's app server and chromium, tests/conftest.py): a
sandbox action reruns the page's fragment only (issue #16), and still the sidebar's count, the screen's
outcome and 'Your next step' follow it at once, in the same page (no reload)."""

from __future__ import annotations

import re

from appserver import click_and_wait, settle, shot
from playwright.sync_api import expect


def test_a_sandbox_action_moves_the_sidebar_count_and_the_next_step_without_a_reload(app_server, page):
    page.goto(f"{app_server.url}/sandbox?lang=en&part=account")
    settle(page)
    count = page.locator("[data-testid='stSidebar'] [data-testid='stProgress']")
    expect(count).to_have_count(1)
    expect(count).to_contain_text(re.compile(r"Your journey: 0 of \d+ steps done"))
    status = page.locator("[data-testid='stColumn']").last
    before = status.inner_text()
    page.evaluate("() => { window.__sameDocument = true; }")  # gone if the page were loaded again
    page.locator(".st-key-sb_create_eu_login_email input").fill("ann@example.org")
    click_and_wait(page, page.locator(".st-key-sb_create_eu_login_submit button"))
    expect(page.locator(".st-key-sb_screen_create_eu_login [data-testid='stAlert']")).to_contain_text("Done.")
    expect(count).to_have_count(1)  # the count is drawn again in its place, not once more
    expect(count).not_to_contain_text("Your journey: 0 of")
    assert status.inner_text() != before, "'Your next step' moved on"
    click_and_wait(page, page.locator(".st-key-sb_confirm_eu_login_submit button"))
    expect(page.locator(".st-key-sb_screen_confirm_eu_login [data-testid='stAlert']")).to_contain_text("Done.")
    expect(page.locator(".st-key-sb_screen_create_eu_login [data-testid='stAlert']")).to_have_count(0)
    assert page.evaluate("() => window.__sameDocument === true"), "the page was not loaded again"
    shot(page, "sandbox-after-two-actions")
