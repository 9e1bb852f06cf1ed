"""Hostile case files through the CLI (`python -m guide diagnose`): each one as a ratio to the same CLI on
a valid case file of the same size, so the figure says 'costs like any file this big', not machine speed.

Inputs: the review's alias bombs (depth 8 and 9: 9**8 and 9**9 values in about 450 bytes; before, depth 8
took 101 s and 6 GB), the 4,000-error file (16 KB; before, 54-81 s) and a 60,000-error file (240 KB, just
under the upload limit). Baseline: a valid case of the same byte size (a scenario padded with contacts).
Printed per input: wall seconds, peak memory (max RSS of the process), exit status and the ratio.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).parent.parent
RUNS = 3


def alias_bomb(depth: int) -> str:
    s = "version: 1\nwants:\n- &r0 [l,l,l,l,l,l,l,l,l]\n"
    for i in range(1, depth + 1):
        s += f"- &r{i} [{','.join([f'*r{i - 1}'] * 9)}]\n"
    return s + f"person:\n  role: *r{depth}\n"


def many_errors(n: int) -> str:
    return "version: 1\nwants:\n" + "- x\n" * n


def valid_of_size(size: int) -> str:
    """A valid case of about `size` bytes: contacts until it is that long."""
    head = "version: 1\ntoday: 2026-11-28\nperson: {name: Ann, country: NL}\ncontacts:\n"
    line = "- {name: Contact %06d, country: PL, status: accepted}\n"
    n = max(1, (size - len(head)) // len(line % 0))
    return head + "".join(line % i for i in range(n))


def _cli(path: Path) -> tuple[float, float, int]:
    """(best wall seconds, peak RSS MB, exit status) of `diagnose path` over RUNS runs."""
    best, peak, code = float("inf"), 0.0, 0
    for _ in range(RUNS):
        t0 = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "guide", "diagnose", str(path), "--lang", "en"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT)
        err = proc.stderr.read().decode()
        _pid, status, usage = os.wait4(proc.pid, 0)  # this child's own peak memory
        best = min(best, time.perf_counter() - t0)
        code = os.waitstatus_to_exitcode(status)
        proc.returncode = code
        assert "Traceback" not in err, err[-1000:]
        peak = max(peak, usage.ru_maxrss / 1024)
    return best, peak, code


def main() -> None:
    inputs = {"alias bomb depth 8": alias_bomb(8), "alias bomb depth 9": alias_bomb(9),
              "4,000 errors": many_errors(4000), "60,000 errors": many_errors(60000)}
    with tempfile.TemporaryDirectory() as tmp:
        print(f"CLI `diagnose`, best of {RUNS} runs; ratio = time / time of a valid case of the same size")
        print(f"  {'input':22} {'bytes':>8} {'s':>6} {'MB':>6} {'exit':>4} {'valid s':>8} {'ratio':>6}")
        for name, text in inputs.items():
            path, base = Path(tmp) / "hostile.yaml", Path(tmp) / "valid.yaml"
            path.write_text(text)
            base.write_text(valid_of_size(len(text)))
            t, mb, code = _cli(path)
            tb, _mb, code_b = _cli(base)
            assert code_b == 0, "the baseline must be a valid case"
            print(f"  {name:22} {len(text):8,} {t:6.2f} {mb:6.0f} {code:4} {tb:8.2f} {t / tb:5.2f}x")
        print("  (target: every input answered in under 1 s and 200 MB; before: 101 s / 6 GB, 54 s, hours)")


if __name__ == "__main__":
    main()
