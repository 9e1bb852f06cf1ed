"""A case file's problems in the reader's language: each made with a message code and its arguments
(guide.errors.Problem.of), worded through the catalog; the English stays the contract's and the CLI's."""

from __future__ import annotations

import random

import pytest
from pydantic import BaseModel

from guide.case.labels import LABELS, label_of
from guide.case.model import Case, parse_case
from guide.errors import MESSAGES, WORD_ARGS, CaseError, Problem
from guide.i18n import problem_text, translator
from guide.troubleshoot.upload import read_upload

GOOD = ("version: 1\ntoday: 2026-11-28\nperson:\n  name: 'Anna'\n  country: NL\n  role: teacher\n"
        "wants: [create_project, add_partner]\neu_login: {email: a@b.nl, email_kind: school, confirmed: true}\n"
        "profile: {available_for_projects: true, description: \"x\", photo: {type: png, size_mb: 2}}\n"
        "accounts:\n  - id: 5\n    status: pending\n    submitted_on: 2026-11-01\n    activity: {projects: 1}\n"
        "contacts: [{name: Jan, country: BE}]\nprojects:\n  - title: T\n    nso_approvals: {NL: approved}\n")
#: what a mutation may put into the file: YAML's punctuation, tabs, control characters, wrong values
PIECES = [*"{}[]:,-'\"\t &*!%@`|>#?\\\n", "---", "...", "\x01", "XX", "2026-02-30", "maybe", "-3", "persn", "1.5"]


def _mutants(n: int, seed: int = 14) -> list[str]:
    rnd = random.Random(seed)
    out = []
    for _ in range(n):
        text = list(GOOD)
        for _edit in range(rnd.randint(1, 3)):
            pos = rnd.randrange(len(text))
            if rnd.random() < 0.6:
                text.insert(pos, rnd.choice(PIECES))
            else:
                del text[pos]
        out.append("".join(text))
    return out


def _problems() -> list[Problem]:
    found = []
    for text in _mutants(1500):
        try:
            parse_case(text, "case.yaml")
        except CaseError as exc:
            found.extend(exc.problems)
    return found


PROBLEMS = _problems()


def test_the_mutants_reach_many_kinds_of_problem():
    codes = {p.code for p in PROBLEMS}
    assert {"yaml_syntax", "unknown_key", "choice", "country_code", "date", "bool", "int", "list",
            "yaml_character"} <= codes, codes


def test_every_problem_of_a_case_file_has_a_code_and_the_same_english_as_before():
    for p in PROBLEMS:
        assert p.code in MESSAGES and p.code != "other", p  # no pydantic message passed through untranslated
        assert problem_text(p, "en") == str(p)
        assert p.message == p.words()


def test_every_problem_of_a_case_file_is_wholly_dutch_in_dutch():
    gettext = translator("nl").gettext
    left: set[str] = set()
    for p in PROBLEMS:
        assert gettext(MESSAGES[p.code]) != MESSAGES[p.code], p.code
        for key in WORD_ARGS & set(p.args):
            phrases = p.args[key] if isinstance(p.args[key], list) else [p.args[key]]
            left |= {ph for ph in phrases if gettext(ph) == ph}
        dutch = problem_text(p, "nl")
        assert dutch != str(p) and (p.line is None or f", regel {p.line}" in dutch), dutch
    assert not left, f"words of the YAML or date parser without a Dutch translation: {sorted(left)}"


@pytest.mark.parametrize(("text", "nl"), [
    ("version: 1\ntoday: 2026-13-01\n", "case.yaml, regel 2, today (Datum): verwacht een datum zoals 2026-11-28, "
                                         "maar dit is '2026-13-01' (de maand moet tussen 1 en 12 liggen)"),
    ("version: 1\naccounts: [{activity: {projects: -1}}]\n",
     "case.yaml, regel 2, accounts[0].activity.projects: verwacht 0 of meer"),
    ("version: 1\nprojects: [{nso_approvals: {XX: approved}}]\n",
     "case.yaml, regel 2, projects[0].nso_approvals.XX.[key] (Land): 'XX' is geen landcode volgens ISO 3166-1 "
     "alpha-2 (bijvoorbeeld NL, BE, PL)"),
    ("version: 1\nperson: {name: \x01}\n",
     "case.yaml, regel 2: geen geldige YAML: het teken \\x01 op positie 26: stuurtekens zijn niet toegestaan"),
    ("version: 1\nwants: [!x y]\n",
     "case.yaml, regel 2: geen geldige YAML: onbekende tag '!x' (zet een waarde die met ! begint tussen "
     "aanhalingstekens)"),
    ("- 1\n", "case.yaml, regel 1: verwacht een mapping met de onderdelen van de casus, maar dit is een lijst"),
    ("person: {}\n", "case.yaml, regel 1, version: 'version: 1' ontbreekt bovenaan"),
    ("version: 1\nwants:\n" + "- x\n" * 60,
     "case.yaml: en nog meer problemen: 10 (de eerste 50 staan hierboven)"),
])
def test_dutch_words_for_a_case_file(text, nl):
    with pytest.raises(CaseError) as err:
        parse_case(text, "case.yaml")
    assert nl in [problem_text(p, "nl") for p in err.value.problems]


def test_counts_are_written_in_the_readers_format():
    with pytest.raises(CaseError) as err:
        read_upload("big.yaml", b"#" * (2000 * 1024))
    [p] = err.value.problems
    assert problem_text(p, "en") == "big.yaml: the file is 2,000 KB; a case file may be at most 256 KB"
    assert problem_text(p, "nl") == "big.yaml: het bestand is 2.000 KB; een casusbestand mag hoogstens 256 KB zijn"


def test_a_problem_without_a_code_keeps_its_words():
    p = Problem("content/nl/faq.yaml", "rule 'x' has no title and fix", 3, "rules.x")
    assert problem_text(p, "nl") == "content/nl/faq.yaml, regel 3, rules.x: rule 'x' has no title and fix"
    with pytest.raises(KeyError):
        Problem.of("no_such_code", "f.yaml")


def test_every_label_names_a_field_of_the_case_and_is_dutch():
    gettext = translator("nl").gettext
    for path, msgid in LABELS.items():
        model: type[BaseModel] = Case
        for part in path.split("."):
            field = model.model_fields[part]
            inner = _model_in(field.annotation)
            if inner is not None:
                model = inner
        assert gettext(msgid) != msgid or msgid in ("School", "Label", "Browser"), (path, msgid)
    assert label_of("contacts[3].country") == "Country" and label_of("persn") is None


def _model_in(annotation) -> type[BaseModel] | None:
    from typing import get_args

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def test_a_sandbox_refusal_says_did_you_mean_in_the_readers_language():
    from guide.sandbox.actions import ActionError
    from guide.sandbox.profile import _check_role

    with pytest.raises(ActionError) as err:
        _check_role("techer")
    assert str(err.value).endswith("(did you mean 'teacher'?)")
    dutch = err.value.text(translator("nl").gettext, lambda field: "'Jouw rol'")
    assert dutch.startswith("'Jouw rol' 'techer'") and dutch.endswith("(bedoel je 'teacher'?)"), dutch
