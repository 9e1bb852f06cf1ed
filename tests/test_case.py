"""The case-v1 format: exactly the contract's fields, strict, with messages that name file, line, path."""

import datetime as dt
from pathlib import Path

import pytest

from guide.case.model import Case, CaseError, dump_case, load_case, parse_case

CONTRACT_EXAMPLE = """\
version: 1
today: 2026-11-28
person:
  name: Esep Handleiding
  country: NL
  role: teacher
  browser: edge
wants:
  - create_project
eu_login:
  email: esephandleiding@gmail.com
  email_kind: private
  confirmed: true
accounts:
  - id: 2124634
    email: esephandleiding@gmail.com
    origin: new
    joined_etwinning: true
    policies_accepted: true
    status: pending
    submitted_on: 2026-11-26
    email_known: true
    activity: {projects: 0, twinspaces: 0, groups: 0, labels: 0}
profile:
  available_for_projects: false
  description: ""
  subjects: [Engels, Geschiedenis]
  languages: [nl, en]
  photo: {type: jpg, size_mb: 2.5}
organisations:
  - id: 16160
    name: GOI Lyceum Aalst
    city: Aalst
    country: BE
    etwinning_validated: true
    role: teacher
    principal_up_to_date: true
school_search:
  city: Aalst
  found: false
contacts:
  - name: Anna Kowalska
    country: PL
    status: accepted
    validated: true
    available_for_projects: false
projects:
  - title: Postcards from Europe 2026-2027
    role: founder
    founder: self
    cofounders:
      - {name: Anna Kowalska, invitation: pending}
    status: draft
    nso_approvals: {NL: approved, PL: pending}
    short_description: "..."
    aims: "..."
    work_process: "..."
    expected_results: "..."
    repeat_next_year: true
    twinspace:
      pages:
        - {title: Kennismaking, visibility: public, pupil_content: true}
      materials: [{name: foto1.jpg, kind: image}]
      twinboard_items: [{title: Hallo, image: foto2.jpg}]
      members:
        - {name: Jan Peeters, kind: teacher, in_project: false}
        - {name: Pupil 1, kind: pupil, consent: false}
groups: [{title: CLIL in Europe, status: pending, owner: self}]
rooms: [{title: Maths teachers, creator: other}]
labels: [{kind: school_label, awarded_on: 2023-06-01}]
"""


def test_the_contracts_own_example_is_accepted_in_full():
    case = parse_case(CONTRACT_EXAMPLE)
    assert case.person.country == "NL"
    assert case.accounts[0].submitted_on == dt.date(2026, 11, 26)
    assert case.projects[0].nso_approvals == {"NL": "approved", "PL": "pending"}
    assert case.projects[0].twinspace.members[1].consent is False
    assert case.labels[0].kind == "school_label"


def test_saving_and_loading_gives_the_same_case():
    case = parse_case(CONTRACT_EXAMPLE)
    assert parse_case(dump_case(case)) == case


def test_a_minimal_case_is_just_the_version():
    case = parse_case("version: 1\n")
    assert case.eu_login is None and case.accounts == [] and case.profile is None


@pytest.mark.parametrize("text, message", [
    ("version: 1\npersn:\n  name: x\n",
     "case.yaml:2 persn: unknown key 'persn' (did you mean 'person'?)"),
    ("version: 1\nprojects:\n  - title: x\n    twinspace:\n      pages:\n        - {title: a, visiblity: public}\n",
     "case.yaml:6 projects[0].twinspace.pages[0].visiblity: unknown key 'visiblity' (did you mean 'visibility'?)"),
    ("version: 1\nperson:\n  role: teachr\n",
     "case.yaml:3 person.role: got 'teachr'; expected 'teacher', 'head', 'teacher_trainer', 'student_teacher' or 'other'"),
    ("version: 1\nwants: [create_projct]\n",
     "case.yaml:2 wants[0]: got 'create_projct'; expected"),
    ("version: 1\naccounts:\n  - id: 1\n    submitted_on: 2026-02-30\n",
     "case.yaml:4 accounts[0].submitted_on: expected a date like 2026-11-28, got '2026-02-30' (day value is outside expected range)"),
    ("version: 1\ntoday: yesterday\n",
     "case.yaml:2 today: expected a date like 2026-11-28, got 'yesterday'"),
    ("version: 1\nperson:\n  country: XX\n",
     "case.yaml:3 person.country: 'XX' is not an ISO 3166-1 alpha-2 country code (e.g. NL, BE, PL)"),
    ("version: 1\ncontacts:\n  - name: Anna\n    country: Poland\n",
     "case.yaml:4 contacts[0].country: 'Poland' is not an ISO 3166-1 alpha-2 country code"),
    ("version: 1\nprojects:\n  - nso_approvals: {NL: aproved}\n",
     "case.yaml:3 projects[0].nso_approvals.NL: got 'aproved'; expected 'approved', 'pending' or 'rejected'"),
    ("version: 1\nprofile:\n  available_for_projects: maybe\n",
     "case.yaml:3 profile.available_for_projects: expected true or false, got 'maybe'"),
    ("version: 1\nprofile:\n  photo: {type: jpg, size_mb: -1}\n",
     "case.yaml:3 profile.photo.size_mb: Input should be greater than or equal to 0"),
    ("person: {name: x}\n", "case.yaml:1 version: missing 'version: 1' at the top"),
    ("version: 2\n", "case.yaml:1 version: got 2; expected 1"),
    ("version: 1\nperson: [\n", "case.yaml:3: not valid YAML"),
    ("- 1\n- 2\n", "case.yaml:1: expected a mapping of case sections, got list"),
])
def test_a_bad_case_is_refused_with_file_line_path_and_expectation(text, message):
    with pytest.raises(CaseError) as info:
        parse_case(text, "case.yaml")
    assert message in str(info.value)


def test_every_problem_of_a_file_is_reported_at_once():
    with pytest.raises(CaseError) as info:
        parse_case("version: 1\nperson:\n  role: x\n  country: ZZ\n", "case.yaml")
    assert len(info.value.problems) == 2


def test_missing_file_and_folder_are_named(tmp_path: Path):
    with pytest.raises(CaseError, match="nope.yaml: file not found"):
        load_case(tmp_path / "nope.yaml")
    with pytest.raises(CaseError, match="is a folder, not a case file"):
        load_case(tmp_path)


def test_not_utf8_is_named(tmp_path: Path):
    bad = tmp_path / "case.yaml"
    bad.write_bytes(b"version: 1\nperson: {name: \xff\xfe}\n")
    with pytest.raises(CaseError, match="not UTF-8 text"):
        load_case(bad)


def test_the_judging_day_defaults_to_the_real_today():
    assert Case().judged_on == dt.date.today()
    assert Case(today=dt.date(2026, 1, 5)).judged_on == dt.date(2026, 1, 5)
