"""The two databases every store test runs on: an SQLite file and a throwaway PostgreSQL (tests/pg.py)."""

from __future__ import annotations

import pytest
from pg import fresh_database

from guide.store.engine import dispose_all, get_engine

BACKENDS = ("sqlite", "postgresql")


def url_for(backend: str, tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'guide.sqlite3'}" if backend == "sqlite" else fresh_database()


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path):
    yield url_for(request.param, tmp_path)
    dispose_all()


@pytest.fixture
def engine(db_url):
    """A migrated engine on an empty database of each kind."""
    return get_engine(db_url)
