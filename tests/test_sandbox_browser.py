"""The practice sandbox in a real browser (the session's app server and chromium, tests/conftest.py): a
sandbox action reruns the page's fragment only (issue #16), which draws one ESEP screen at a time; still the
sidebar's count, the confirmation, 'Your next step', the screen chooser and the panels opened under the
fragment follow it at once, in the same page (no reload), and a reload keeps the case and opens the next step's screen."""

from __future__ import annotations

import re

from appserver import click_and_wait, sandbox_screen, settle, shot
from playwright.sync_api import expect


def test_two_sandbox_actions_in_a_row_move_the_count_the_next_step_and_the_screen_without_a_reload(
        app_server, page):
    page.goto(f"{app_server.url}/sandbox?lang=en&part=account")
    settle(page)
    count = page.locator("[data-testid='stSidebar'] [data-testid='stProgress']")
    expect(count).to_have_count(1)
    expect(count).to_contain_text(re.compile(r"Your journey: 0 of \d+ steps done"))
    step = page.locator("[data-testid='stMain'] [data-testid='stPageLink']").last  # 'Your next step: ...'
    expect(step).to_contain_text("Your next step: ")
    before = step.inner_text()
    chosen = page.locator(".st-key-sb_screen label:has(input:checked)")  # the chooser's chosen screen
    expect(sandbox_screen(page, "create_eu_login")).to_be_visible()  # the chooser opens the next step's screen
    expect(page.locator("[data-testid='stMain'] [data-testid='stForm']")).to_have_count(1)  # one screen
    page.evaluate("() => { window.__sameDocument = true; }")  # gone if the page were loaded again
    page.locator(".st-key-sb_create_eu_login_email input").fill("ann@example.org")
    click_and_wait(page, page.locator(".st-key-sb_create_eu_login_submit button"))
    done = page.locator("[data-testid='stMain'] [data-testid='stAlert']")
    expect(done).to_contain_text("'Create account' > 'Create EU Login' — Done.")
    expect(sandbox_screen(page, "confirm_eu_login")).to_be_visible()  # the chooser moved on with the journey
    expect(sandbox_screen(page, "create_eu_login")).to_have_count(0)
    expect(count).to_have_count(1)  # the count is drawn again in its place, not once more
    expect(count).not_to_contain_text("Your journey: 0 of")
    expect(step).not_to_have_text(before)  # 'Your next step' moved on
    case_file = page.locator(".st-key-sb_case_file_open")  # 'The sandbox as a case file', opened now ...
    click_and_wait(page, case_file.locator("summary").first)
    expect(case_file.locator("[data-testid='stCode']")).to_contain_text("confirmed: false")
    checks = page.locator(".st-key-sb_checks_open")  # ... and 'What the checks find now' ...
    click_and_wait(page, checks.locator("summary").first)
    found = checks.locator("[data-testid='stExpanderDetails']")
    unconfirmed = "Your EU Login is not confirmed yet"  # a blocker until the next action
    expect(found).to_contain_text("2 checks block you:")
    expect(found).to_contain_text(unconfirmed)
    click_and_wait(page, page.locator(".st-key-sb_confirm_eu_login_submit button"))
    expect(case_file.locator("[data-testid='stCode']")).to_contain_text("confirmed: true")  # ... follow the action
    expect(found).to_contain_text("1 check blocks you:")
    expect(found).not_to_contain_text(unconfirmed)
    expect(done).to_have_count(1)  # the last action's confirmation only
    expect(done).to_contain_text("The EU Login e-mail: click the link and choose a password — Done.")
    expect(sandbox_screen(page, "register_account")).to_be_visible()
    expect(chosen).to_have_text("'Create account' > 'Register on this platform with EU login'")
    assert page.evaluate("() => window.__sameDocument === true"), "the page was not loaded again"
    shot(page, "sandbox-after-two-actions")
    page.reload()  # the same teacher, later: the case is kept, and the screen is the next step's again
    settle(page)
    expect(sandbox_screen(page, "register_account")).to_be_visible()
    expect(page.locator(".st-key-sb_register_account_email input")).to_have_value("ann@example.org")
    expect(count).not_to_contain_text("Your journey: 0 of")
    expect(done).to_have_count(0)
