"""Shared test set-up: the app's database and caches go to a throwaway folder, never the tester's home."""

from __future__ import annotations

import os
import tempfile

import pytest
from hypothesis import settings

# Property tests check behaviour, never speed (speed is measured in bench/): no per-example deadline,
# which only turned a busy machine into a red run.
settings.register_profile("guide", deadline=None)
settings.load_profile("guide")


@pytest.fixture(autouse=True, scope="session")
def _private_data_dir():
    # set before any test opens the app: AppTest runs the pages in this process
    with tempfile.TemporaryDirectory(prefix="guide-data-") as folder:
        old = {k: os.environ.get(k) for k in ("GUIDE_DATA_DIR", "GUIDE_DATABASE_URL", "GUIDE_CACHE_DIR")}
        os.environ["GUIDE_DATA_DIR"] = folder
        os.environ["GUIDE_CACHE_DIR"] = os.path.join(folder, "cache")
        os.environ.pop("GUIDE_DATABASE_URL", None)
        yield folder
        from guide.store.engine import dispose_all

        dispose_all()
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
