"""Every practice scenario is a valid case file, described in both languages, about the rule it names,
and its `diagnose --json` output matches the reviewed golden file.

Regenerate the golden files after a reviewed content or rule change:
    UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_scenarios.py
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from guide import LANGUAGES
from guide.case.model import dump_case, parse_case
from guide.content.loader import load_content
from guide.sandbox.actions import apply
from guide.sandbox.outcome import ActionError
from guide.sandbox.scenarios import SCENARIO_DIR, load_scenario, scenario_ids
from guide.steps.findings import check, diagnose_json
from guide.steps.registry import all_rules

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"
IDS = scenario_ids()

#: What each scenario is for: the rules that must fail on it (a workshop exercise about nothing is useless).
ABOUT = {
    "blank-start": ["eu_login.missing"],
    "eu-login-unconfirmed": ["eu_login.unconfirmed"],
    "email-mismatch": ["account.email_mismatch"],
    "not-joined": ["account.not_joined"],  # the declaration only counts after joining
    "waiting-for-validation": ["account.pending_validation"],
    "validation-overdue": ["account.validation_overdue"],
    "teacher-trainer": ["account.teacher_training"],
    "duplicate-accounts": ["account.duplicate"],
    "forgot-old-email": ["account.old_email_unknown", "account.delete"],
    "school-not-found": ["school.not_found"],
    "school-not-validated": ["school.not_validated"],
    "company-staff-role": ["school.company_staff_role"],
    "profile-not-available": ["profile.not_available", "profile.incomplete", "school.role_missing",
                              "school.principal_outdated"],
    "ready-to-create-project": ["partners.not_in_cofounder_list"],  # who is missing from the list, and why
    "cofounder-not-available": ["project.cofounder_not_available", "project.founders_final"],
    "cofounder-not-validated": ["project.cofounder_not_validated"],
    "cofounder-not-a-contact": ["contacts.request_pending"],
    "cofounder-invitation-pending": ["project.invitation_pending", "project.awaiting_nso"],
    "waiting-for-partner-nso": ["project.awaiting_nso"],
    "title-with-symbols": ["project.title_symbols", "project.missing_fields"],
    "national-project-wants-label": ["label.national_project", "project.national_only"],
    "member-in-twinspace-only": ["twinspace.member_not_in_project"],
    "public-pupil-pictures-without-consent": ["twinspace.public_pupil_content", "twinspace.pupils_without_consent"],
    "twinboard-image-missing": ["twinspace.image_not_in_materials"],
    "closed-project-edit": ["twinspace.closed"],
    "member-wants-to-close": ["project.close_not_founder"],
    "room-not-mine": ["room.not_creator", "group.pending_css"],
    "school-label-expired": ["label.school_label_expired", "label.eql_not_requested"],
    "edge-cannot-add-partner": ["browser.try_another"],
    "cannot-log-in": ["account.login_problem"],
    "contact-request-received": ["contacts.request_received"],
    "invitation-declined": ["project.invitation_declined"],
    "project-not-submitted": ["project.not_submitted"],
}


def test_there_are_enough_scenarios_and_each_says_what_it_is_about():
    assert len(IDS) >= 12
    assert sorted(ABOUT) == IDS


@pytest.mark.parametrize("scenario", IDS)
def test_a_scenario_is_a_fixed_date_case_that_survives_a_save(scenario):
    case = load_scenario(scenario)
    assert case.today is not None, "a scenario fixes `today` so its diagnosis never depends on the real date"
    assert parse_case(dump_case(case)) == case
    text = (SCENARIO_DIR / f"{scenario}.yaml").read_text(encoding="utf-8")
    first, second = text.splitlines()[:2]
    assert first == "# yaml-language-server: $schema=../schema/case.schema.json"
    assert (SCENARIO_DIR / "../schema/case.schema.json").is_file()
    assert second.startswith(f"# Practice scenario '{scenario}'")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_scenario_has_a_title_and_description_in_each_language(lang):
    described = [s.id for s in load_content(lang).get("scenarios.yaml").scenarios]
    assert sorted(described) == IDS
    assert len(set(described)) == len(described)


@pytest.mark.parametrize("scenario", IDS)
def test_a_scenario_shows_the_problem_it_is_named_after(scenario):
    case = load_scenario(scenario)
    results = check(case)
    failing = {rid for rid, r in results.items() if r.status == "fail"}
    missing = [rid for rid in ABOUT[scenario] if rid not in failing]
    assert not missing, f"{scenario}: expected {missing} to fail; failing: {sorted(failing)}"


#: Rules that must NOT fail in a scenario because another rule says the same fact ('One fact, one
#: finding', guide/steps/partners.py): the review asked that one finding win for one pending contact request.
NOT_AGAIN = {
    "cofounder-not-a-contact": ["project.cofounder_not_contact", "partners.none", "partners.not_in_cofounder_list"],
    "contact-request-received": ["partners.none", "partners.not_in_cofounder_list"],
    "cofounder-not-available": ["partners.not_in_cofounder_list"],
    "cofounder-not-validated": ["partners.not_in_cofounder_list"],
    "school-not-found": ["school.missing"],  # 'search and add it' after a search that found nothing
}


@pytest.mark.parametrize("scenario", sorted(NOT_AGAIN))
def test_one_fact_in_a_scenario_is_one_finding(scenario):
    results = check(load_scenario(scenario))
    again = [rid for rid in NOT_AGAIN[scenario] if results[rid].status == "fail"]
    assert not again, f"{scenario}: {again} repeat what {ABOUT[scenario]} already say"


def test_the_ready_scenario_has_no_blocker_left():
    rules = all_rules()
    results = check(load_scenario("ready-to-create-project"))
    blockers = [rid for rid, r in results.items() if r.status == "fail" and rules[rid].severity == "blocker"]
    assert blockers == []


def test_an_unknown_scenario_is_named_with_a_suggestion():
    with pytest.raises(ActionError, match="no scenario 'blank-strat'.*'blank-start'"):
        load_scenario("blank-strat")


def test_the_sandbox_refuses_what_the_scenario_is_about():
    """A trainer's exercise: in 'cofounder-not-available' the platform will not take Anna as co-founder."""
    case = load_scenario("cofounder-not-available")
    outcome = apply(case, "create_project", title="Postcards 2026-2027", cofounder="Anna Kowalska",
                    short_description="a", aims="b", work_process="c", expected_results="d")
    assert outcome.refused_by == "project.cofounder_not_available"
    fixed = apply(apply(case, "partner_sets_available", name="Anna Kowalska").case, "create_project",
                  title="Postcards 2026-2027", cofounder="Anna Kowalska",
                  short_description="a", aims="b", work_process="c", expected_results="d")
    assert fixed.ok


# -- golden files ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("scenario", IDS)
def test_diagnose_output_matches_the_golden_file(scenario, lang):
    got = diagnose_json(load_scenario(scenario), lang)
    text = json.dumps(got, ensure_ascii=False, indent=2) + "\n"
    path = GOLDEN / f"{scenario}.{lang}.json"
    if UPDATE:
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.is_file(), f"{path} is missing: run UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_scenarios.py"
    expected = json.loads(path.read_text(encoding="utf-8"))
    assert got == expected, f"{scenario} ({lang}) differs from {path.name}; review, then regenerate with UPDATE_GOLDEN=1"


def test_no_golden_file_is_left_over_from_a_removed_scenario():
    expected = {f"{s}.{lang}.json" for s in IDS for lang in LANGUAGES}
    present = {p.name for p in GOLDEN.glob("*.json")}
    assert present <= expected, f"stale golden files: {sorted(present - expected)}"
