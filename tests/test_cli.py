"""`python -m guide diagnose` exactly as the case-v1 contract says, run as a real process."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from guide.steps.registry import SEVERITIES, all_rules

ROOT = Path(__file__).parent.parent

CASE = """\
version: 1
today: 2026-11-28
person: {name: Esep Handleiding, country: NL, role: teacher}
wants: [create_project]
eu_login: {email: esep@example.org, confirmed: true}
accounts:
  - {id: 2124634, email: esep@example.org, joined_etwinning: true, policies_accepted: true,
     status: validated, submitted_on: 2026-11-20}
profile: {available_for_projects: false, description: Engels, subjects: [Engels], languages: [nl]}
contacts:
  - {name: Anna Kowalska, country: PL, status: accepted, validated: true, available_for_projects: false}
projects:
  - title: Postcards from Europe
    cofounders: [{name: Anna Kowalska, invitation: not_sent}]
    status: draft
"""


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "guide", *args], capture_output=True, text=True, cwd=ROOT)


@pytest.fixture()
def case_file(tmp_path: Path) -> Path:
    path = tmp_path / "case.yaml"
    path.write_text(CASE, encoding="utf-8")
    return path


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_json_has_every_rule_once_failing_first_by_severity(case_file, lang):
    proc = run("diagnose", str(case_file), "--lang", lang, "--json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["version"] == 1 and out["lang"] == lang
    rules = [f["rule"] for f in out["findings"]]
    assert sorted(rules) == sorted(all_rules()) and len(rules) == len(set(rules))
    statuses = [f["status"] for f in out["findings"]]
    n_fail = statuses.count("fail")
    assert statuses[:n_fail] == ["fail"] * n_fail and "fail" not in statuses[n_fail:]
    severities = [SEVERITIES.index(f["severity"]) for f in out["findings"][:n_fail]]
    assert severities == sorted(severities)
    for f in out["findings"]:
        assert set(f) == {"rule", "status", "severity", "title", "fix", "chapter", "actor"}
        assert f["actor"] in ("teacher", "partner", "school", "nso", "css", "esep_support")
        assert f["title"], f"{f['rule']} has no title in {lang}"


def test_the_fix_names_the_partner_who_must_tick_the_box(case_file):
    out = json.loads(run("diagnose", str(case_file), "--lang", "en", "--json").stdout)
    fix = next(f for f in out["findings"] if f["rule"] == "project.cofounder_not_available")
    assert fix["status"] == "fail" and fix["actor"] == "partner"
    assert "Anna Kowalska" in fix["fix"] and "Available for eTwinning project" in fix["fix"]


def test_readable_text_without_json(case_file):
    proc = run("diagnose", str(case_file), "--lang", "nl")
    assert proc.returncode == 0, proc.stderr
    assert "[BLOCKER]" in proc.stdout and "profile.not_available" in proc.stdout
    assert f"({len(all_rules())} rules)" in proc.stdout and len(all_rules()) == 60
    # every failing finding says who acts, in the reader's language
    assert ">> Je kunt dit zelf oplossen (teacher)" in proc.stdout
    assert ">> Alleen Anna Kowalska kan dit doen (partner)" in proc.stdout
    english = run("diagnose", str(case_file), "--lang", "en").stdout
    assert ">> Only Anna Kowalska can do this (partner)" in english


@pytest.mark.parametrize("text, message", [
    ("version: 1\nperson: {country: Nederland}\n", "case.yaml:2 person.country: 'Nederland' is not an ISO 3166-1 alpha-2"),
    ("version: 1\nprofile:\n  availble_for_projects: true\n", "case.yaml:3 profile.availble_for_projects: unknown key"),
    ("version: 1\naccounts:\n  - submitted_on: 2026-13-01\n", "case.yaml:3 accounts[0].submitted_on: expected a date"),
    ("version: 1\nperson: {name: [\n", "case.yaml:3: not valid YAML"),
])
def test_a_bad_case_file_exits_2_naming_what_is_wrong(tmp_path, text, message):
    path = tmp_path / "case.yaml"
    path.write_text(text, encoding="utf-8")
    proc = run("diagnose", str(path), "--lang", "en", "--json")
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert message in proc.stderr.replace(str(tmp_path) + "/", "")
    assert "Traceback" not in proc.stderr


def test_a_missing_case_file_exits_2(tmp_path):
    proc = run("diagnose", str(tmp_path / "nope.yaml"), "--json", "--lang", "en")
    assert proc.returncode == 2 and proc.stdout == ""
    assert "nope.yaml: file not found" in proc.stderr and "Traceback" not in proc.stderr
    dutch = run("diagnose", str(tmp_path / "nope.yaml"), "--json")  # --lang nl, the default
    assert dutch.returncode == 2 and dutch.stdout == ""
    assert "nope.yaml: geen geldig case-v1-bestand" in dutch.stderr and "nope.yaml: bestand niet gevonden" in dutch.stderr


@pytest.mark.parametrize("text, message", [
    ("version: 1\nperson: {country: Nederland}\n",
     "case.yaml, regel 2, person.country (Land): 'Nederland' is geen landcode volgens ISO 3166-1 alpha-2"),
    ("version: 1\nprofile:\n  availble_for_projects: true\n",
     "case.yaml, regel 3, profile.availble_for_projects: onbekende sleutel 'availble_for_projects' "
     "(bedoel je 'available_for_projects'?)"),
    ("version: 1\naccounts:\n  - submitted_on: 2026-13-01\n",
     "case.yaml, regel 3, accounts[0].submitted_on: verwacht een datum zoals 2026-11-28, maar dit is '2026-13-01' "
     "(de maand moet tussen 1 en 12 liggen)"),
    ("version: 1\nperson: {name: [\n", "case.yaml, regel 3: geen geldige YAML: "),
])
def test_a_bad_case_file_is_named_in_dutch_with_lang_nl(tmp_path, text, message):
    """The contract's 'names the file, the line, the field's path and what was expected', in --lang's words."""
    path = tmp_path / "case.yaml"
    path.write_text(text, encoding="utf-8")
    proc = run("diagnose", str(path), "--lang", "nl", "--json")
    assert proc.returncode == 2 and proc.stdout == ""
    lines = proc.stderr.replace(str(tmp_path) + "/", "").splitlines()
    assert lines[0] == "case.yaml: geen geldig case-v1-bestand"
    assert any(line.strip().startswith(message) for line in lines[1:]), lines


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_diagnose_list_names_the_60_rules_with_who_acts(lang):
    from guide.steps.registry import ACTORS

    out = run("diagnose", "--list", "--json", "--lang", lang)
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)["rules"]
    assert len(rows) == 60 and {r["rule"] for r in rows} == set(all_rules())
    assert all(r["actor"] in ACTORS and r["title"] and r["title"] != r["rule"] for r in rows)
    assert {r["rule"]: r["actor"] for r in rows}["account.login_problem"] == "esep_support"
    text = run("diagnose", "--list", "--lang", lang)
    assert text.returncode == 0 and text.stdout.rstrip().endswith("60 rules")


def test_diagnose_without_a_case_or_list_says_what_is_missing():
    out = run("diagnose")
    assert out.returncode == 2 and "name a case file" in out.stderr and out.stdout == ""
