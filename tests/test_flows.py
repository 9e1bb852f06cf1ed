"""The journey without a browser: flows content, self-check answers filling the case, done/skip, next step."""

from __future__ import annotations

import re

import pytest
import yaml
from pydantic import ValidationError

from guide import CONTENT_DIR
from guide.case.model import Case
from guide.case.paths import AnswerError, apply_sets
from guide.content.flows import Flows, FlowStructure
from guide.content.loader import load_content
from guide.flows.answers import current_answer
from guide.flows.journey import (
    StepBlocked,
    clean_progress,
    evaluate,
    flows_of,
    mark_done,
    mark_skipped,
    unmark,
)
from guide.sandbox.actions import ACTIONS, apply
from guide.sandbox.scenarios import load_scenario, scenario_ids
from guide.steps.findings import check
from guide.steps.registry import all_rules

LANGS = ("nl", "en")


def flows(lang: str = "en") -> Flows:
    return flows_of(load_content(lang))


def questions(lang: str = "en"):
    return [(q, step.id) for f in flows(lang).flows for step in f.steps for q in step.questions]


def all_answers():
    return [pytest.param(q, a, id=f"{q.id}={a.id}") for q, _ in questions() for a in q.answers]


def ready_case() -> Case:
    """A teacher with a validated account, a school and a contact abroad (the handbook's happy path)."""
    return load_scenario("ready-to-create-project")


# -- content ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_every_flow_step_is_a_handbook_step(lang):
    content = load_content(lang)
    steps = [s.id for f in flows_of(content).flows for s in f.steps]
    assert [s for s in steps if s not in content.step_by_id] == []
    assert len(steps) == len(set(steps)), "a step belongs to one flow only"


def test_both_languages_walk_the_same_journey():
    def shape(lang):
        return [(f.id, [(s.id, s.done_when, [(q.id, [(a.id, a.sets) for a in q.answers]) for q in s.questions])
                        for s in f.steps]) for f in flows(lang).flows]
    assert shape("nl") == shape("en")
    assert set(flows("nl").names) == set(flows("en").names)


def test_the_journey_runs_from_eu_login_to_labels():
    assert [f.id for f in flows().flows] == ["account", "profile", "partners", "project", "twinspace",
                                             "rooms-groups", "closing-labels"]


def test_done_when_names_only_rules_of_the_catalogue():
    rules = set(all_rules())
    unknown = [(s.id, r) for f in flows().flows for s in f.steps for r in (s.done_when or []) if r not in rules]
    assert unknown == []


def test_every_sandbox_action_belongs_to_one_part_of_the_journey():
    parts = [f.id for f in flows().flows]
    assert {a.name: a.part for a in ACTIONS.values() if a.part not in parts} == {"advance_clock": None}
    assert [p for p in parts if not any(a.part == p for a in ACTIONS.values())] == []


def test_the_self_check_asks_about_the_box_that_matters_most():
    texts = {q.id: q.text for q, _ in questions("nl")}
    assert texts["available-ticked"] == "Heb je het vakje 'Available for eTwinning project' aangevinkt?"
    assert {q.id: q.text for q, _ in questions("en")}["available-ticked"] == \
        "Have you ticked 'Available for eTwinning project'?"


# -- self-check answers -> the case ------------------------------------------------------------------------

@pytest.mark.parametrize(("question", "answer"), all_answers())
@pytest.mark.parametrize("start", ["blank", "ready"])
def test_every_answer_gives_a_valid_case_that_then_shows_that_answer(question, answer, start):
    case = Case() if start == "blank" else ready_case()
    names = flows().names
    after = apply_sets(case, answer.sets, names)
    assert Case.model_validate(after.model_dump()) == after  # valid against the case model
    assert apply_sets(after, answer.sets, names) == after, "answering twice changes nothing more"
    assert current_answer(after, question.answers, names) == answer.id, "the question shows the given answer"


def _answer(qid: str, aid: str):
    q = next(q for q, _ in questions() if q.id == qid)
    return next(a for a in q.answers if a.id == aid)


def test_ticking_available_in_the_self_check_makes_the_rule_pass():
    case = apply_sets(ready_case(), {"profile.available_for_projects": False})
    assert check(case, ["profile.not_available"])["profile.not_available"].status == "fail"
    case = apply_sets(case, _answer("available-ticked", "yes").sets)
    assert case.profile.available_for_projects is True
    assert check(case, ["profile.not_available"])["profile.not_available"].status == "pass"


def test_answers_change_the_account_that_counts_not_a_new_one():
    case = ready_case()
    after = apply_sets(case, _answer("joined-etwinning", "no").sets)
    assert len(after.accounts) == 1 and after.accounts[0].joined_etwinning is False
    assert after.accounts[0].id == case.accounts[0].id


def test_an_answer_copies_the_eu_login_address_to_the_new_account():
    case = apply_sets(Case(), {"eu_login.email": "esep@example.org"})
    after = apply_sets(case, _answer("registered-on-esep", "yes").sets)
    assert [a.email for a in after.accounts] == ["esep@example.org"]
    assert check(after, ["account.email_mismatch"])["account.email_mismatch"].status != "fail"


def test_a_new_list_item_gets_its_name_from_the_content():
    after = apply_sets(Case(), _answer("school-added", "validated").sets, flows("nl").names)
    assert [(o.name, o.etwinning_validated) for o in after.organisations] == [("je school", True)]


def test_answering_leaves_the_input_case_alone():
    case = ready_case()
    before = case.model_dump()
    apply_sets(case, {"profile.available_for_projects": False, "contacts": []})
    assert case.model_dump() == before


@pytest.mark.parametrize(("sets", "message"), [
    ({"profile.available_for_project": True},
     "profile has no field 'available_for_project' (did you mean 'available_for_projects'?)"),
    ({"profile.available_for_projects": "maybe"}, "profile.available_for_projects"),
    ({"accounts[main].status": "approved"}, "accounts.0.status"),
])
def test_a_wrong_path_or_value_is_named(sets, message):
    with pytest.raises(AnswerError, match=re.escape(message)):
        apply_sets(Case(), sets)


def structure() -> dict:
    """content/flows.yaml as data: the journey's structure, shared by every language."""
    return yaml.safe_load((CONTENT_DIR / "flows.yaml").read_text(encoding="utf-8"))


def test_flows_content_with_a_bad_answer_is_refused_at_load_naming_the_answer():
    data = structure()
    data["flows"][1]["steps"][0]["questions"][0]["answers"][0]["sets"] = {"profile.availabel": True}
    with pytest.raises(ValidationError, match="flow 'profile', question 'available-ticked', answer 'yes'"):
        FlowStructure.model_validate(data)


def test_flows_content_with_a_step_in_two_flows_is_refused():
    data = structure()
    data["flows"][1]["steps"].append(data["flows"][0]["steps"][0])
    with pytest.raises(ValidationError, match="step '1a.create-account' is in flow 'account' and in 'profile'"):
        FlowStructure.model_validate(data)


def test_both_languages_walk_the_same_journey_from_one_structure():
    en, nl = flows("en"), flows("nl")
    shape = [(f.id, [(s.id, s.done_when, [(q.id, [(a.id, a.sets) for a in q.answers]) for q in s.questions])
                     for s in f.steps]) for f in en.flows]
    assert shape == [(f.id, [(s.id, s.done_when, [(q.id, [(a.id, a.sets) for a in q.answers])
                                                  for q in s.questions]) for s in f.steps]) for f in nl.flows]
    assert en.flows[0].title != nl.flows[0].title


# -- done, skipped, next ------------------------------------------------------------------------------------

def journey(case: Case, progress=None):
    return evaluate(load_content("en"), case, progress or {})


def test_a_blank_case_starts_at_the_first_handbook_step():
    j = journey(Case())
    assert j.next_step.id == "1a.create-account"
    assert j.done_count == 0 and j.total == sum(len(f.steps) for f in flows().flows)
    assert {f.status for f in j.flows} == {"open"}


def test_a_step_with_a_failing_blocker_cannot_be_marked_done():
    case = apply_sets(ready_case(), {"profile.available_for_projects": False})
    state = journey(case).step("3a.available-for-projects")
    assert state.blocking == ("profile.not_available",)
    with pytest.raises(StepBlocked, match="profile.not_available"):
        mark_done({}, state)
    fixed = apply(case, "set_available", available=True).case
    state = journey(fixed).step("3a.available-for-projects")
    assert state.status == "done" and mark_done({}, state) == {"3a.available-for-projects": "done"}


def test_a_step_marked_done_reopens_when_the_case_breaks_it_again():
    progress = {"3a.available-for-projects": "done"}
    assert journey(ready_case(), progress).step("3a.available-for-projects").status == "done"
    broken = apply_sets(ready_case(), {"profile.available_for_projects": False})
    assert journey(broken, progress).step("3a.available-for-projects").status == "open"


def test_the_case_shows_steps_done_without_marks():
    j = journey(ready_case())
    assert j.flow("account").status == "done"
    assert j.step("3a.add-school").status == "done"
    assert j.step("3b.finish").status == "done", "the submitted registration shows it (a milestone)"
    assert j.step("10-rooms.join-room").status == "open", "no fact shows it: the teacher's own mark counts"


def test_a_sandbox_run_to_an_active_project_shows_four_parts_done_without_a_mark():
    """Blank start -> EU Login, account, profile, school, validation, a contact, a project with its
    co-founder, approved: account, profile, partners and project all done with an empty progress."""
    from guide.sandbox.actions import apply

    case = load_scenario("blank-start")
    steps = [("create_eu_login", {"email": "esephandleiding@gmail.com"}), ("confirm_eu_login", {}),
             ("register_account", {"email": "esephandleiding@gmail.com"}), ("join_etwinning", {}),
             ("add_organisation", {"school_id": 900101, "role": "teacher"}), ("set_available", {"available": True}),
             ("edit_profile", {"description": "Docent Engels", "subjects": ["Engels"], "languages": ["nl", "en"]}),
             ("upload_photo", {"data": b"\xff\xd8\xff\xe0" + b"0" * 2000, "filename": "me.jpg"}),
             ("accept_policies", {}), ("submit_registration", {}), ("advance_clock", {"days": 4}),
             ("send_contact_request", {"name": "Jan Kowalski"}), ("advance_clock", {"days": 1}),
             ("create_project", {"title": "Postcards", "cofounder": "Jan Kowalski", "short_description": "a",
                                 "aims": "b", "work_process": "c", "expected_results": "d"}),
             ("advance_clock", {"days": 1}), ("nso_approve", {"project": "Postcards"})]
    for action, args in steps:
        outcome = apply(case, action, **args)
        assert outcome.ok, (action, outcome.refused_by)
        case = outcome.case
    j = journey(case, {})
    for part in ("account", "profile", "partners", "project"):
        assert j.flow(part).status == "done", [(s.id, s.status) for s in j.flow(part).steps]
    assert j.next_step.flow == "twinspace", "the next step is the first one not done"


def test_skipping_moves_the_journey_on_and_says_what_it_costs():
    case = apply_sets(ready_case(), {"profile.available_for_projects": False})
    j = journey(case)
    assert j.next_step.id == "3a.available-for-projects"
    state = j.step("3a.available-for-projects")
    assert state.skip_cost == ("profile.not_available",)
    progress = mark_skipped({}, state.id)
    j = journey(case, progress)
    assert j.step(state.id).status == "skipped"
    assert j.next_step.id != state.id
    order = [s.id for s in j.steps]
    assert order.index(j.next_step.id) > order.index(state.id), "the journey moves past the skipped step"
    assert journey(case, unmark(progress, state.id)).next_step.id == state.id


def test_a_part_whose_open_steps_are_all_skipped_reads_skipped():
    j = journey(ready_case())
    rooms = j.flow("rooms-groups")
    progress = {s.id: "skipped" for s in rooms.steps}
    assert journey(ready_case(), progress).flow("rooms-groups").status == "skipped"


def test_every_step_done_or_skipped_leaves_no_next_step():
    j = journey(Case())
    progress = {s.id: "skipped" for s in j.steps}
    assert journey(Case(), progress).next_step is None


def test_stored_progress_keeps_only_marks():
    assert clean_progress({"a": "done", "b": "skipped", "c": "maybe", 3: "done"}) == {"a": "done", "b": "skipped"}
    assert clean_progress(None) == {} and clean_progress(["a"]) == {}


@pytest.mark.parametrize("scenario", scenario_ids())
def test_every_scenario_has_a_journey(scenario):
    j = journey(load_scenario(scenario))
    assert 0 <= j.done_count <= j.total
