"""`python -m guide lint` finds every kind of content problem in a deliberately broken tree, and none in ours."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from guide import CONTENT_DIR
from guide.content.lint import lint_lines

ROOT = Path(__file__).parent.parent
BROKEN = Path(__file__).parent / "fixtures" / "broken"


@pytest.fixture(scope="module")
def broken_lines():
    code, lines = lint_lines(BROKEN)
    assert code == 2
    return lines


@pytest.mark.parametrize("expected", [
    # invalid files: broken YAML, unknown key with a suggestion, a wrong type, a missing field
    "broken/nl/faq.yaml:6: not valid YAML: while scanning a quoted scalar found unexpected end of stream",
    "broken/nl/glossary.yaml:5 entries[0].defintion: unknown key 'defintion' (did you mean 'definition'?)",
    "broken/nl/glossary.yaml:3 entries[0].definition: required field is missing",
    "broken/en/glossary.yaml:1 entries: expected a list, got str",
    # parity: missing and extra in both directions, a missing file
    "broken/en/chapters/1.yaml:11 sections[1a].steps[1a.create-account].notes: missing (nl has it)",
    "broken/en/chapters/1.yaml:22 sections[1a].steps[1a.extra-step]: not in nl",
    "broken/en/terms.yaml: file is missing (broken/nl/terms.yaml exists)",
    # rule ids: unknown (with a suggestion) and different between languages
    "broken/en/chapters/1.yaml:15 sections[1a].steps[1a.create-account].rules: 'eu_login.misssing' is not a rule of the catalogue (did you mean 'eu_login.missing'?)",
    "broken/en/chapters/1.yaml:15 sections[1a].steps[1a.create-account].rules: ['eu_login.misssing'] differs from nl ['eu_login.missing']",
    # placeholders, untranslated text, empty text, dead links, schema pointer
    "broken/en/chapters/1.yaml:14 sections[1a].steps[1a.create-account].text: placeholder {cofounder} missing (nl has it)",
    "broken/en/chapters/1.yaml:20 sections[1a].steps[1a.confirm].text: identical to nl: translate it",
    "broken/en/chapters/1.yaml:16 sections[1a].steps[1a.create-account].screen: text is empty; write it or remove the field",
    "broken/nl/chapters/1.yaml:14 sections[1a].steps[1a.create-account].text: guide:chapter/2 does not resolve",
    # language-neutral files and scenario case files
    "broken/nso.yaml:7 countries.NL.e-mail: unknown key 'e-mail' (did you mean 'email'?)",
    "broken/sandbox/world.yaml: file is missing",
    "broken/flows.yaml:6 flows[account].steps[1a.create-account].done_when: 'eu_login.mising' is not a rule of the catalogue (did you mean 'eu_login.missing'?)",
    # words per language for a neutral structure: every id has words, no words without an id
    "broken/en/flows.yaml:12 questions.has-eu-login.answers.no: answer 'no' of question 'has-eu-login' (broken/flows.yaml) has no words here",
    "broken/nl/flows.yaml:15 questions.has-account: question 'has-account' is not in broken/flows.yaml",
    "broken/scenarios/bad-country.yaml:3 person.country: 'Holland' is not an ISO 3166-1 alpha-2 country code (e.g. NL, BE, PL)",
    # every URL has a source: the handbook lines, or a public page with the date it was checked
    "broken/sources.yaml:3 urls.https://school-education.ec.europa.eu/en…: give the handbook lines (`handbook: [n]`) "
    "or a public `page` with the date it was `checked`",
    "broken/nso.yaml:3: https://school-education.ec.europa.eu/en/about/contact-and-support: no source; add it to "
    "broken/sources.yaml with the handbook lines that give it, or the public page and the date it was checked",
    "broken/en/glossary.yaml:1: first line should be '# yaml-language-server: $schema=...' so editors check the file",
])
def test_broken_tree_problem_is_reported_exactly(broken_lines, expected):
    assert f"  {expected}" in broken_lines


def test_report_groups_problems_under_counted_titles(broken_lines):
    assert "Dead internal links (1)" in broken_lines
    assert broken_lines[-1].endswith("problem(s) in " + str(BROKEN))


def test_unparseable_file_is_not_also_reported_as_missing(broken_lines):
    assert not any("nl/faq.yaml: file is missing" in line for line in broken_lines)


def test_command_exits_2_without_traceback():
    proc = subprocess.run([sys.executable, "-m", "guide", "lint", "--root", str(BROKEN)],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stdout + proc.stderr
    assert "Invalid files (16)" in proc.stdout


def test_real_content_lints_clean():
    code, lines = lint_lines(CONTENT_DIR)
    assert code == 0, "\n".join(lines)


def test_fix_variants_must_be_exactly_those_the_rule_declares(tmp_path, monkeypatch):
    root = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, root)
    monkeypatch.setenv("GUIDE_CACHE_DIR", str(tmp_path / "cache"))
    rules = root / "en" / "rules.yaml"
    text = rules.read_text(encoding="utf-8")
    text = text.replace("      esep: |-\n        Your NSO did not approve your registration.",
                        "      espe: |-\n        Your NSO did not approve your registration.", 1)
    rules.write_text(text, encoding="utf-8")
    line = text.splitlines().index("      espe: |-") + 1
    code, lines = lint_lines(root)
    assert code == 2
    assert lines[lines.index("Fix variants that differ from the rule's declared variants (2)") + 1:][:2] == [
        f"  content/en/rules.yaml:{line - 5} rules.account.rejected.fix: variant 'esep' missing: the rule can produce it",
        f"  content/en/rules.yaml:{line} rules.account.rejected.fix.espe: variant 'espe' is never produced by the "
        "rule (it declares nso, esep) (did you mean 'esep'?)",
    ]


def test_a_url_without_a_source_fails_lint_until_it_is_listed(tmp_path, monkeypatch):
    root = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, root)
    monkeypatch.setenv("GUIDE_CACHE_DIR", str(tmp_path / "cache"))
    faq = root / "nl" / "faq.yaml"
    faq.write_text(faq.read_text(encoding="utf-8").replace(
        "Europees Kwaliteitslabel en de jaarlijkse wedstrijd",
        "Europees Kwaliteitslabel (<https://example.org/labels>) en de jaarlijkse wedstrijd", 1), encoding="utf-8")
    code, lines = lint_lines(root)
    assert code == 2
    [problem] = [line for line in lines if "example.org" in line]
    assert problem.startswith("  content/nl/faq.yaml:") and "https://example.org/labels: no source" in problem
    sources = root / "sources.yaml"
    sources.write_text(sources.read_text(encoding="utf-8")
                       + "  https://example.org/labels: {page: Example labels page, checked: 2026-11-30}\n",
                       encoding="utf-8")
    assert not [line for line in lint_lines(root)[1] if "example.org" in line]


def test_every_listed_handbook_line_holds_its_url():
    """content/sources.yaml cites the handbook truthfully (checked when the shared handbook is beside us)."""
    from guide.content.sources import Sources, urls_in
    from guide.yamlio import load_text

    handbook = ROOT.parent / "shared" / "handbook" / "000_3b971a07396a7929.txt"
    sources = Sources.model_validate(load_text((CONTENT_DIR / "sources.yaml").read_text(encoding="utf-8"), "s"))
    if not handbook.is_file():
        assert all(s.handbook or s.checked for s in sources.urls.values())
        return
    lines = handbook.read_text(encoding="utf-8").splitlines()
    for url, source in sources.urls.items():
        for n in source.handbook:
            assert url in urls_in(lines[n - 1]), f"{url} is not on handbook line {n}"


def test_a_note_newer_than_the_handbook_carries_its_public_source_and_date():
    from pydantic import ValidationError

    from guide.content.loader import load_content
    from guide.content.models import Note

    with pytest.raises(ValidationError, match="needs the `source` page's address and the date it was `checked`"):
        Note(kind="newer", text="Since 2026 ...")
    for lang in ("nl", "en"):
        step = load_content(lang).step_by_id["12-labels.school-label"][2]
        [note] = [n for n in step.notes if n.kind == "newer"]
        assert note.source == "https://school-education.ec.europa.eu/lt/node/325000" and note.checked
        assert "2025-2026" in note.text


def test_lint_reads_placeholders_as_the_fix_texts_are_filled():
    """One reading of {placeholders}: what lint compares between languages is what str.format fills."""
    from guide.steps.findings import fill
    from guide.text import placeholders

    template = "Ask {cofounder} ({{not this}}) before {due_date}."
    assert placeholders(template) == {"cofounder", "due_date"}
    assert fill(template, {"cofounder": "Anna", "due_date": "x"}, "en", {}) == "Ask Anna ({not this}) before x."
    assert placeholders("a lone { brace") == set()
