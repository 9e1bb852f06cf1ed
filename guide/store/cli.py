"""`python -m guide db upgrade | current | where | purge`: the storage commands (registered by guide.cli)."""

from __future__ import annotations

import argparse
import sys


def cmd_db(args: argparse.Namespace) -> int:
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError

    from .engine import current_revision, make_engine, upgrade
    from .settings import DataDirError, database_url, redact

    try:
        url = args.url or database_url()
        engine = make_engine(url)
    except DataDirError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except (ArgumentError, NoSuchModuleError, ValueError) as exc:
        print(f"not a database URL this app can use: {exc}; expected e.g. sqlite:///path/guide.sqlite3 "
              "or postgresql+psycopg://user:password@host/db", file=sys.stderr)
        return 2
    except ImportError as exc:
        print(f"no driver for this database URL ({exc.name}); expected sqlite:/// or postgresql+psycopg://",
              file=sys.stderr)
        return 2
    try:
        if args.action == "upgrade":
            upgrade(engine, args.revision)
            print(f"{redact(url)}: schema at {current_revision(engine)}")
        elif args.action == "current":
            print(f"{redact(url)}: schema at {current_revision(engine) or 'nothing (empty database)'}")
        elif args.action == "purge":
            from .privacy import purge_expired
            from .settings import retention_days

            days = retention_days()
            p = purge_expired(engine, days)
            print(f"{redact(url)}: deleted what was unused for {days} days: {p.learners} learner(s), "
                  f"{p.workshops} workshop(s) with {p.participants} participant(s), {p.browsers} browser key(s); "
                  f"{p.attempts} expired wrong-code attempt(s)")
        else:
            print(redact(url))
    except SQLAlchemyError as exc:
        detail = " ".join(str(exc.orig if hasattr(exc, "orig") else exc).split())
        print(f"{redact(url)}: {type(exc).__name__}: {detail}", file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("db", help="the database: run migrations, show the schema revision or the URL, purge",
                       description="Database URL: GUIDE_DATABASE_URL, else an SQLite file in GUIDE_DATA_DIR. "
                                   "purge: delete progress, workshops and browser keys unused for "
                                   "GUIDE_RETENTION_DAYS (default 180) days.")
    p.add_argument("action", choices=("upgrade", "current", "where", "purge"))
    p.add_argument("--revision", default="head", help="target of upgrade (default: %(default)s)")
    p.add_argument("--url", help="an SQLAlchemy URL instead of the configured one")
    p.set_defaults(func=cmd_db)
