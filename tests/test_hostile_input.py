"""Hostile case files and command lines (shared/reviews/security.md D1, D10, D13): every one is answered
with the usual file/line message or a clear line, within fixed CPU and memory limits, never a traceback.

The CLI runs as a real process under RLIMIT_CPU and RLIMIT_AS (resource limits, not wall-clock timings),
so a file that needs minutes or gigabytes (as these did before) kills the process and fails the test.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from guide.case.model import MAX_CASE_BYTES, parse_case
from guide.errors import CaseError
from guide.troubleshoot.upload import read_upload
from guide.yamlio import MAX_PROBLEMS

ROOT = Path(__file__).parent.parent
CPU_SECONDS = 20          # every file here needs well under 1 s; before, some needed minutes
MEMORY = 600 * 1024 ** 2  # address space (the interpreter with pydantic, yaml, babel maps ~250 MB of it)


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def cli(*args: str, stdout: int | None = subprocess.PIPE) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "guide", *args], stdout=stdout, stderr=subprocess.PIPE,
                          text=True, cwd=ROOT, preexec_fn=_limits)


def alias_bomb(depth: int, where: str = "role") -> str:
    """~50 bytes per level; level n stands for 9**n values (the review's bomb_literal.yaml at depth 8)."""
    s = "version: 1\nwants:\n- &r0 [l,l,l,l,l,l,l,l,l]\n"
    for i in range(1, depth + 1):
        s += f"- &r{i} [{','.join([f'*r{i - 1}'] * 9)}]\n"
    return s + (f"person:\n  role: *r{depth}\n" if where == "role" else "")


def many_errors(n: int) -> str:
    return "version: 1\nwants:\n" + "- x\n" * n


def no_traceback(proc: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in proc.stderr and "Traceback" not in (proc.stdout or ""), proc.stderr[-2000:]


# -- bounded parsing ------------------------------------------------------------------------------

@pytest.mark.parametrize("depth", [5, 8, 9])
@pytest.mark.parametrize("where", ["role", "wants"])
def test_an_alias_bomb_is_refused_at_its_line_by_the_cli(tmp_path, depth, where):
    path = tmp_path / "bomb.yaml"
    path.write_text(alias_bomb(depth, where))
    proc = cli("diagnose", str(path), "--lang", "en")
    no_traceback(proc)
    assert proc.returncode == 2, proc.stderr[-500:]
    lines = proc.stderr.splitlines()
    assert lines[0] == f"{path}: not a valid case-v1 file"
    assert len(proc.stderr) < 1000  # before: an 8 MB message at depth 5, a MemoryError at depth 8
    assert f"{path}:" in lines[1] and "aliases (*name) repeat more than" in lines[1]


def test_an_alias_bomb_upload_gives_one_short_problem():
    with pytest.raises(CaseError) as err:
        read_upload("bomb.yaml", alias_bomb(8).encode())
    [problem] = err.value.problems
    assert problem.line is not None and "aliases" in problem.message


def test_a_few_aliases_are_fine():
    case = parse_case("version: 1\nwants: &w [create_project]\nperson: {name: &n Ann}\n"
                      "contacts: [{name: *n}]\nprojects: [{title: T, cofounders: [{name: *n}]}]\n")
    assert case.contacts[0].name == case.projects[0].cofounders[0].name == "Ann"


@pytest.mark.parametrize(("lang", "last"), [("en", "and 1 more problem (the first {limit} are listed)"),
                                            ("nl", "en nog 1 probleem (de eerste {limit} staan hierboven)")])
def test_one_error_past_the_fifty_is_one_more_problem(tmp_path, lang, last):
    path = tmp_path / "errors.yaml"
    path.write_text(many_errors(MAX_PROBLEMS + 1))
    proc = cli("diagnose", str(path), "--lang", lang)
    no_traceback(proc)
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 + MAX_PROBLEMS + 1
    assert lines[-1] == f"  {path}: " + last.format(limit=MAX_PROBLEMS)


@pytest.mark.parametrize("n", [4000, 60000])
def test_thousands_of_errors_list_fifty_then_how_many_more(tmp_path, n):
    path = tmp_path / "errors.yaml"
    path.write_text(many_errors(n))
    assert path.stat().st_size <= MAX_CASE_BYTES
    proc = cli("diagnose", str(path), "--lang", "en")
    no_traceback(proc)
    assert proc.returncode == 2
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 + MAX_PROBLEMS + 1
    assert lines[1].startswith(f"  {path}:3 wants[0]: got 'x'; expected 'create_project'")
    assert lines[MAX_PROBLEMS].startswith(f"  {path}:{2 + MAX_PROBLEMS} wants[{MAX_PROBLEMS - 1}]")
    assert lines[-1] == f"  {path}: and {n - MAX_PROBLEMS:,} more problems (the first {MAX_PROBLEMS} are listed)"


def test_the_yaml_is_parsed_once_however_many_errors(monkeypatch):
    import yaml

    calls = []
    for name in ("compose", "load", "safe_load"):
        real = getattr(yaml, name)
        monkeypatch.setattr(yaml, name, lambda *a, _real=real, _name=name, **k: calls.append(_name) or _real(*a, **k))
    with pytest.raises(CaseError) as err:
        parse_case(many_errors(300), "e.yaml")
    assert calls == []  # one loader object parses it; no yaml.compose per error as before
    assert [p.line for p in err.value.problems[:3]] == [3, 4, 5]


def test_a_long_value_is_quoted_as_a_short_preview():
    with pytest.raises(CaseError) as err:
        parse_case(f"version: 1\nperson: {{role: {'x' * 200_000}}}\n", "long.yaml")
    [problem] = err.value.problems
    assert problem.message.startswith("got 'xxxxxxxx") and "xxx...xxx" in problem.message
    assert len(str(problem)) < 400


def test_a_long_unknown_key_is_shortened_too():
    with pytest.raises(CaseError) as err:
        parse_case(f"version: 1\nperson: {{{'k' * 5000}: 1}}\n", "key.yaml")
    assert len(str(err.value)) < 400


def test_a_file_over_the_upload_limit_is_refused_by_the_cli_too(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_text("version: 1\n# " + "x" * (10 * 1024 * 1024) + "\n")
    proc = cli("diagnose", str(path), "--lang", "en")
    no_traceback(proc)
    assert proc.returncode == 2
    assert f"{path}: the file is 10,240 KB; a case file may be at most 256 KB" in proc.stderr
    dutch = cli("diagnose", str(path))  # --lang nl, the default: the words and the number are Dutch
    assert dutch.returncode == 2
    assert f"{path}: het bestand is 10.240 KB; een casusbestand mag hoogstens 256 KB zijn" in dutch.stderr


def test_a_number_of_5000_digits_is_refused_at_its_line(tmp_path):
    path = tmp_path / "int.yaml"
    path.write_text("version: 1\naccounts:\n- id: " + "9" * 5000 + "\n")
    proc = cli("diagnose", str(path), "--lang", "en")
    no_traceback(proc)
    assert proc.returncode == 2
    assert f"{path}:3: a number of 5,000 digits; numbers here have at most 30" in proc.stderr
    dutch = cli("diagnose", str(path), "--lang", "nl")
    assert f"{path}, regel 3: een getal van 5.000 cijfers; getallen hier hebben er hoogstens 30" in dutch.stderr
    with pytest.raises(CaseError) as err:  # the troubleshooter's upload: the same message, not a ValueError
        read_upload("int.yaml", path.read_bytes())
    assert err.value.problems[0].line == 3


def test_a_duplicate_key_is_named_not_silently_dropped():
    with pytest.raises(CaseError) as err:
        parse_case("version: 1\nperson:\n  name: A\n  name: B\n", "dup.yaml")
    assert str(err.value) == "dup.yaml:4: key 'name' appears twice in one mapping (also line 3)"


# -- control characters ---------------------------------------------------------------------------

def test_terminal_escapes_in_a_name_are_printed_escaped(tmp_path):
    from tests.test_cli import CASE

    path = tmp_path / "esc.yaml"
    path.write_text(CASE.replace("Anna Kowalska", '"Anna\\e[2J\\e[31mFAKE"'))
    proc = cli("diagnose", str(path), "--lang", "en")
    assert proc.returncode == 0, proc.stderr
    assert "\x1b" not in proc.stdout
    assert "Ask Anna\\x1b[2J\\x1b[31mFAKE to tick it" in " ".join(proc.stdout.split())


def test_terminal_escapes_in_an_error_are_printed_escaped(tmp_path):
    path = tmp_path / "esc.yaml"
    path.write_text('version: 1\nperson: {role: "\\e[2J\\u202eFAKE: all checks passed"}\n')
    for lang, says in (("en", "got '\\x1b[2J\\u202eFAKE: all checks passed'"),
                       ("nl", "'\\x1b[2J\\u202eFAKE: all checks passed' is geen mogelijke waarde")):
        proc = cli("diagnose", str(path), "--lang", lang)
        assert proc.returncode == 2
        assert "\x1b" not in proc.stderr and "\u202e" not in proc.stderr
        assert says in proc.stderr


# -- the command line never shows a traceback -----------------------------------------------------

def test_a_closed_pipe_ends_quietly(tmp_path):
    from tests.test_cli import CASE

    path = tmp_path / "case.yaml"
    path.write_text(CASE)
    read_end, write_end = os.pipe()
    os.close(read_end)  # like `| head` that has already exited
    try:
        proc = cli("diagnose", str(path), "--json", stdout=write_end)
    finally:
        os.close(write_end)
    assert proc.returncode == 0
    assert proc.stderr == ""


@pytest.mark.parametrize(("url", "says"), [
    ("not a url", "not a database URL this app can use"),
    ("mysql://user:secretpw@localhost/db", "no driver for this database URL"),
    ("postgresql+psycopg://user:secretpw@localhost:1/db?connect_timeout=2", "OperationalError"),
])
def test_a_bad_database_url_gets_one_line(url, says):
    proc = cli("db", "current", "--url", url)
    no_traceback(proc)
    assert proc.returncode == 2
    assert says in proc.stderr and "secretpw" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_an_unusable_data_folder_gets_one_line(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    proc = subprocess.run([sys.executable, "-m", "guide", "db", "upgrade"], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "GUIDE_DATA_DIR": str(blocker / "data"), "GUIDE_DATABASE_URL": ""})
    no_traceback(proc)
    assert proc.returncode == 2
    assert proc.stderr.strip() == (f"the data folder {blocker / 'data'} cannot be used (Not a directory); "
                                   "set GUIDE_DATA_DIR to a writable folder or GUIDE_DATABASE_URL to a database")


def test_an_unusable_data_folder_stops_the_start_with_one_line(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    proc = subprocess.run([sys.executable, "-m", "guide", "serve", "--port", "1"], capture_output=True, text=True,
                          cwd=ROOT, timeout=120,
                          env={**os.environ, "GUIDE_DATA_DIR": str(blocker / "data"), "GUIDE_DATABASE_URL": ""})
    no_traceback(proc)
    assert proc.returncode == 2
    assert proc.stderr.strip() == (f"cannot start: the data folder {blocker / 'data'} cannot be used (Not a directory); "
                                   "set GUIDE_DATA_DIR to a writable folder or GUIDE_DATABASE_URL to a database")


def test_a_sandbox_field_never_stores_megabytes():
    from guide.case.model import Case
    from guide.sandbox.actions import ActionError, apply

    with pytest.raises(ActionError, match="email is too long: at most 200 characters"):
        apply(Case(), "create_eu_login", email="a" * 5_000_000 + "@example.org", email_kind="school")
