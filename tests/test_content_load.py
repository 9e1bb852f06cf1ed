"""Both languages load in full, once per process; the parse cache never serves stale content."""

import re
import shutil
from pathlib import Path

import pytest

from guide import CONTENT_DIR
from guide.content import loader
from guide.content.loader import load_all, read_language


def test_both_languages_load_with_the_whole_handbook():
    contents = load_all()
    for lang, content in contents.items():
        ids = [c.id for c in content.chapters]
        assert ids == ["intro", "etwinning", "netiquette", *(str(n) for n in range(1, 17))], lang
        assert len(content.step_by_id) > 100 and content.faq_by_id and content.glossary_by_id
    nl, en = contents["nl"], contents["en"]
    assert set(nl.step_by_id) == set(en.step_by_id)
    assert nl.chapter_by_id["2"].title != en.chapter_by_id["2"].title


def test_content_is_loaded_once_per_process():
    assert loader.load_content("nl") is loader.load_content("nl")


@pytest.fixture()
def tree(tmp_path: Path, monkeypatch) -> Path:
    root = tmp_path / "content"
    shutil.copytree(CONTENT_DIR / "nl", root / "nl")
    for structure in ("symptoms.yaml", "flows.yaml"):  # the words of nl/ need their structure
        shutil.copy(CONTENT_DIR / structure, root / structure)
    monkeypatch.setenv("GUIDE_CACHE_DIR", str(tmp_path / "cache"))
    return root


def test_an_edited_file_is_read_again_not_served_from_the_cache(tree: Path):
    first, problems = read_language("nl", tree)
    assert not problems and (tree.parent / "cache").is_dir()
    chapter = tree / "nl" / "chapters" / "2.yaml"
    chapter.write_text(chapter.read_text(encoding="utf-8").replace(
        "title: eTwinning-account aanmaken", "title: Een eTwinning-account aanmaken", 1), encoding="utf-8")
    second, problems = read_language("nl", tree)
    assert not problems
    assert second.chapter_by_id["2"].title == "Een eTwinning-account aanmaken"
    assert first.chapter_by_id["2"].title == "eTwinning-account aanmaken"


def test_a_broken_file_is_reported_even_when_the_cache_knew_the_old_version(tree: Path):
    read_language("nl", tree)
    (tree / "nl" / "faq.yaml").write_text("entries: [\n", encoding="utf-8")
    _, problems = read_language("nl", tree)
    assert any("faq.yaml" in str(p) and "not valid YAML" in str(p) for p in problems)


def test_a_corrupt_cache_file_is_ignored(tree: Path):
    read_language("nl", tree)
    for f in (tree.parent / "cache").iterdir():
        f.write_bytes(b"\x00garbage")
    content, problems = read_language("nl", tree)
    assert not problems and content.chapter_by_id["2"]


def test_a_question_without_words_in_one_language_is_named_with_file_and_line(tree: Path):
    words = tree / "nl" / "symptoms.yaml"
    text = words.read_text(encoding="utf-8")
    start = text.index("  eu_login_email:\n")
    end = text.index("  has_account:\n")
    words.write_text(text[:start] + text[end:], encoding="utf-8")
    _, problems = read_language("nl", tree)
    assert [str(p) for p in problems] == [
        f"content/nl/symptoms.yaml:{text[:text.index('questions:')].count(chr(10)) + 1} questions.eu_login_email: "
        "question 'eu_login_email' (content/symptoms.yaml) has no words here"]


@pytest.mark.parametrize("name", ["symptoms.yaml", "flows.yaml"])
def test_a_mistyped_answer_id_is_named_both_ways_with_the_id_it_meant(tree: Path, name: str):
    """The troubleshooter's and the flows' words are joined onto their structure the same way: the answer
    without words, and the words without an answer with the near miss it probably meant."""
    words = tree / "nl" / name
    text = words.read_text(encoding="utf-8")
    at = text.index("      'no': Nee")
    words.write_text(text[:at] + "      'noo': Nee" + text[at + len("      'no': Nee"):], encoding="utf-8")
    _, problems = read_language("nl", tree)
    line = text[:at].count("\n") + 1
    question = re.findall(r"\n  ([a-z][\w-]*):\n", text[:at])[-1]  # the question the answer belongs to
    assert [str(p) for p in problems] == [
        f"content/nl/{name}:{line - 2} questions.{question}.answers.no: answer 'no' of question '{question}' "
        f"(content/{name}) has no words here",
        f"content/nl/{name}:{line} questions.{question}.answers.noo: answer 'noo' of question '{question}' "
        f"is not in content/{name} (did you mean 'no'?)"]


@pytest.fixture()
def both(tmp_path: Path, monkeypatch) -> Path:
    """A copy of the whole content tree (both languages and the shared structures), with its own cache."""
    root = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, root)
    monkeypatch.setenv("GUIDE_CACHE_DIR", str(tmp_path / "cache"))
    return root


def test_the_shared_structure_is_read_again_for_every_language_when_it_changes(both: Path):
    """Both languages join their words to one shared structure, validated once per process; an edit of it
    reaches both languages, and a broken one is reported for both."""
    nl, _ = read_language("nl", both)
    en, _ = read_language("en", both)
    assert nl.get("symptoms.yaml").questions[0].id == en.get("symptoms.yaml").questions[0].id == "has_eu_login"
    structure = both / "symptoms.yaml"
    before = next(q for q in nl.get("symptoms.yaml").questions if q.id == "eu_login_confirmed")
    assert before.ask_if == {"eu_login": "known"}
    structure.write_text(structure.read_text(encoding="utf-8").replace(
        "  - id: eu_login_confirmed\n    ask_if: {eu_login: known}\n", "  - id: eu_login_confirmed\n", 1),
        encoding="utf-8")
    for lang in ("nl", "en"):
        content, problems = read_language(lang, both)
        assert not problems, problems
        question = next(q for q in content.get("symptoms.yaml").questions if q.id == "eu_login_confirmed")
        assert question.ask_if == {}, lang  # the edit, not the first reading
    structure.write_text("questions: [\n", encoding="utf-8")
    for lang in ("nl", "en"):
        content, problems = read_language(lang, both)
        assert content.get("symptoms.yaml") is None
        assert any(str(p).startswith("content/symptoms.yaml") and "not valid YAML" in str(p) for p in problems)


def test_loading_leaves_the_garbage_collector_as_it_was(tree: Path):
    import gc

    assert gc.isenabled()
    read_language("nl", tree)
    assert gc.isenabled()
    (tree / "nl" / "faq.yaml").write_text("entries: [\n", encoding="utf-8")
    read_language("nl", tree)  # a broken file too
    assert gc.isenabled()
    gc.disable()
    try:
        read_language("nl", tree)
        assert not gc.isenabled()  # a caller's choice is kept
    finally:
        gc.enable()
