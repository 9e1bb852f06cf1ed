"""mypy finds no type error in guide/ and app.py (settings in pyproject.toml [tool.mypy]; `make types` runs
the same check alone). It runs as a test so that it checks beside the rest of the suite (pytest-xdist)
instead of before it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_mypy_finds_no_type_error():
    run = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True, timeout=280)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Success: no issues found" in run.stdout, run.stdout
