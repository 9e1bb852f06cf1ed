"""The command line: `python -m guide lint | schema | deps | diagnose CASE.yaml --lang nl|en [--json] | diagnose --list`."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from . import CONTENT_DIR, LANGUAGES
from .errors import CaseError, ContentError, GuideError
from .text import visible

EXIT_PROBLEMS = 2
SEVERITY_MARK = {"blocker": "BLOCKER", "warning": "WARNING", "info": "INFO", "tip": "TIP"}


def cmd_lint(args: argparse.Namespace) -> int:
    from .content.lint import lint_lines

    code, lines = lint_lines(Path(args.root))
    if code or not args.quiet:
        print("\n".join(lines), file=sys.stderr if code and args.quiet else sys.stdout)
    return code


def cmd_schema(args: argparse.Namespace) -> int:
    from .content.schema import write_schemas

    for path in write_schemas(Path(args.out)):
        print(path)
    return 0


def cmd_deps(args: argparse.Namespace) -> int:
    from .layers import report, upward

    print("\n".join(report()))
    return EXIT_PROBLEMS if upward() else 0


def _plain(text: str) -> str:
    """Markdown links [text](guide:chapter/3) read as 'text (chapter 3)' on a terminal."""
    import re

    return re.sub(r"\[([^\[\]]+)\]\(guide:([a-z]+)/([^)]+)\)", r"\1", text)


def cmd_diagnose(args: argparse.Namespace) -> int:
    from .case.model import load_case
    from .content.loader import FINDING_KINDS, load_content
    from .steps.findings import actor_line, diagnose, diagnose_json

    if args.list:
        return _list_rules(args)
    if args.case is None:
        print("diagnose: name a case file (or --list for the rules)", file=sys.stderr)
        return EXIT_PROBLEMS
    try:
        case = load_case(args.case)
        content = load_content(args.lang, Path(args.root), FINDING_KINDS)  # its words only, not the handbook
    except CaseError as exc:  # in --lang's words, as the findings would have been
        from .i18n import N_, problem_text, translator

        print(translator(args.lang).gettext(N_("{file}: not a valid case-v1 file")).format(file=visible(args.case)),
              file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem_text(problem, args.lang)}", file=sys.stderr)
        return EXIT_PROBLEMS
    except ContentError as exc:
        print("the content has errors (run `python -m guide lint`):", file=sys.stderr)
        print(str(exc), file=sys.stderr)
        return EXIT_PROBLEMS
    if args.json:
        json.dump(diagnose_json(case, args.lang, content), sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    findings = diagnose(case, args.lang, content, escape=visible)  # a name cannot send terminal escapes
    failing = [f for f in findings if f.status == "fail"]
    for f in failing:
        print(f"[{SEVERITY_MARK[f.severity]}] {f.title}  ({f.rule}, ch. {f.chapter})")
        print(f"    >> {actor_line(f, content, escape=visible)} ({f.actor})")
        for line in _plain(f.fix).splitlines():
            print(f"    {line}" if line.strip() else "")
        print()
    passed = sum(f.status == "pass" for f in findings)
    na = sum(f.status == "not_applicable" for f in findings)
    print(f"{len(failing)} failing, {passed} passing, {na} not applicable ({len(findings)} rules)")
    return 0


def _list_rules(args: argparse.Namespace) -> int:
    """The rule catalogue in acting order: id, severity, chapter, who acts and the title in `--lang`."""
    from .content.loader import load_content
    from .steps.registry import all_rules

    content = load_content(args.lang, Path(args.root))
    rules = sorted(all_rules().values(), key=lambda r: r.order)
    rows = [{"rule": r.id, "severity": r.severity, "chapter": r.chapter, "actor": r.actor,
             "title": t.title if (t := content.rule_texts.get(r.id)) else r.id} for r in rules]
    if args.json:
        json.dump({"version": 1, "lang": args.lang, "rules": rows}, sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    width = max(len(row["chapter"]) for row in rows)
    for row in rows:
        print(f"{row['rule']:36} {row['severity']:8} ch. {row['chapter']:{width}} {row['actor']:13} {row['title']}")
    print(f"{len(rows)} rules")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m guide", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("lint", help="validate content/<lang>/ and check parity between languages")
    p.add_argument("--root", default=str(CONTENT_DIR), help="content folder (default: %(default)s)")
    p.add_argument("--quiet", action="store_true", help="print only problems")
    p.set_defaults(func=cmd_lint)

    p = sub.add_parser("schema", help="write JSON Schema files for the content and case files")
    p.add_argument("--out", default=str(CONTENT_DIR / "schema"), help="folder (default: %(default)s)")
    p.set_defaults(func=cmd_schema)

    p = sub.add_parser("deps", help="print the package import graph by layer and every import that points up")
    p.set_defaults(func=cmd_deps)

    p = sub.add_parser("diagnose", help="check a case file against every rule")
    p.add_argument("case", nargs="?", help="case-v1 YAML file")
    p.add_argument("--lang", choices=LANGUAGES, default="nl")
    p.add_argument("--json", action="store_true", help="print the contract's JSON object")
    p.add_argument("--list", action="store_true", help="list the rules with severity, chapter and who acts")
    p.add_argument("--root", default=str(CONTENT_DIR), help=argparse.SUPPRESS)
    p.set_defaults(func=cmd_diagnose)

    p = sub.add_parser("serve", help="serve the app (ASGI under uvicorn): probes, migrations, logs",
                       description="Serve the app. Settings: GUIDE_DATABASE_URL, GUIDE_TRUSTED_PROXIES, "
                                   "GUIDE_MIGRATE, GUIDE_LOG_LEVEL, GUIDE_LOG_FORMAT (see docs/deploy.md).")
    p.add_argument("--host", default=os.environ.get("GUIDE_HOST", "127.0.0.1"),
                   help="address to listen on (default: GUIDE_HOST or %(default)s; 0.0.0.0 in a container)")
    p.add_argument("--port", type=int, default=int(os.environ.get("GUIDE_PORT", "8501")),
                   help="port (default: GUIDE_PORT or %(default)s)")
    p.set_defaults(func=cmd_serve)

    for register in _extensions():
        register(sub)
    return parser


def cmd_serve(args: argparse.Namespace) -> int:
    from .logs import SettingError
    from .server.settings import ServerSettings
    from .store import settings as store

    try:
        ServerSettings.from_env()  # a bad setting stops here with its name, before anything starts
        store.connect_timeout(), store.statement_timeout(), store.pool_size(), store.retention_days()
        store.database_url()  # the data folder is made and must be writable (no database URL given)
    except (SettingError, store.SettingError, store.DataDirError) as exc:
        print(f"cannot start: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    from .ui.server import serve, streamlit_env_options  # imports streamlit: only this command needs it

    try:
        streamlit_env_options()
    except ValueError as exc:
        print(f"cannot start: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    serve(args.host, args.port)
    return 0


def _extensions():
    """Sub-commands of other packages (e.g. `db` from guide.store), each a register(subparsers) function."""
    try:
        from .store.cli import register
    except ImportError:
        return []
    return [register]


def main(argv: list[str] | None = None) -> int:
    """Run a command. Whatever happens, the person gets one clear line, never a traceback."""
    args = build_parser().parse_args(argv)
    try:
        code = args.func(args)
        sys.stdout.flush()
        return code
    except BrokenPipeError:  # `... | head` closed the pipe: the reader has what it wanted
        _quiet_stdout()
        return 0
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except GuideError as exc:
        print(f"{args.command}: {visible(str(exc))}", file=sys.stderr)
        return EXIT_PROBLEMS
    except MemoryError:
        print(f"{args.command}: not enough memory for this input", file=sys.stderr)
        return EXIT_PROBLEMS
    except Exception as exc:  # a bug: say so in one line (the log has no use for a CLI user)
        print(f"{args.command}: internal error ({type(exc).__name__}: {visible(str(exc))[:300]}); "
              "please report it", file=sys.stderr)
        return 1


def _quiet_stdout() -> None:
    """After a closed pipe, Python's own flush at exit would complain again: point stdout at /dev/null."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
