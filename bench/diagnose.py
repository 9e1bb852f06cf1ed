"""Diagnosing cases in-process: all rules on every scenario, raw and worded, vs. validating the same case.

Baseline (measured in the same run): Case.model_validate of the scenario's data, the cost any use of a
case pays. Printed: microseconds per case, cases per second, and the ratio to the baseline.

Then `python -m guide diagnose` as a process (what a helpdesk script pays per case), against
`python -c 'import yaml, pydantic'` and `python -c pass` in the same run, interleaved: median CPU time
(user + system) and wall time of fresh interpreters. Target: under 4x the yaml+pydantic import.
"""

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from guide import CONTENT_DIR
from guide.case.model import Case, load_case
from guide.content.loader import load_content
from guide.steps.findings import check, diagnose
from guide.steps.registry import all_rules

ROUNDS = 300
PROCESSES = 15
TARGET = 4.0


def _process(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of one fresh interpreter running argv."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, env=env)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), wall


def processes(case: Path) -> None:
    """`diagnose` as a process vs. importing yaml and pydantic, interleaved so that load hits all alike."""
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "GUIDE_CACHE_DIR": cache}
        runs = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "python -c 'import yaml, pydantic'": [sys.executable, "-c", "import yaml, pydantic"],
            f"python -m guide diagnose {case.name} --lang nl": [sys.executable, "-m", "guide", "diagnose", str(case),
                                                               "--lang", "nl"],
            "  the same, --json": [sys.executable, "-m", "guide", "diagnose", str(case), "--lang", "nl", "--json"],
        }
        _process(runs[f"python -m guide diagnose {case.name} --lang nl"], env)  # a first run fills the parse cache
        got: dict[str, list[tuple[float, float]]] = {name: [] for name in runs}
        for _ in range(PROCESSES):
            for name, argv in runs.items():
                got[name].append(_process(argv, env))
    base_cpu = statistics.median(c for c, _ in got["python -c 'import yaml, pydantic'"])
    base_wall = statistics.median(w for _, w in got["python -c 'import yaml, pydantic'"])
    print(f"\n  as a process (median of {PROCESSES} fresh interpreters each, interleaved; load average "
          f"{os.getloadavg()[0]:.1f}):")
    print(f"  {'what':50} {'CPU ms':>8} {'wall ms':>8} {'x yaml+pydantic (CPU/wall)':>27}")
    for name, values in got.items():
        cpu = statistics.median(c for c, _ in values)
        wall = statistics.median(w for _, w in values)
        print(f"  {name:50} {cpu * 1000:8.0f} {wall * 1000:8.0f} {cpu / base_cpu:12.2f}x / {wall / base_wall:.2f}x")
    diag = f"python -m guide diagnose {case.name} --lang nl"
    ratio = statistics.median(c for c, _ in got[diag]) / base_cpu
    print(f"  diagnose process: {ratio:.2f}x the yaml+pydantic import (CPU); target under {TARGET:g}x: "
          f"{'met' if ratio < TARGET else 'NOT met'}")


def _per_case(fn, items) -> float:
    fn(items[0])  # warm caches (holidays tables, Babel locale data)
    t0 = time.perf_counter()
    for _ in range(ROUNDS):
        for item in items:
            fn(item)
    return (time.perf_counter() - t0) / (ROUNDS * len(items))


def main() -> None:
    paths = sorted((CONTENT_DIR / "scenarios").glob("*.yaml"))
    cases = [load_case(p) for p in paths]
    data = [c.model_dump(mode="json", exclude_unset=True) for c in cases]
    load_content("nl"), load_content("en")
    n_rules = len(all_rules())
    base = _per_case(Case.model_validate, data)
    raw = _per_case(check, cases)
    nl = _per_case(lambda c: diagnose(c, "nl"), cases)
    en = _per_case(lambda c: diagnose(c, "en"), cases)
    print(f"{len(cases)} scenarios x {ROUNDS} rounds, {n_rules} rules each")
    print(f"  {'what':38} {'us/case':>9} {'cases/s':>9} {'ratio':>7}")
    for name, t in [("baseline: Case.model_validate", base), ("check: all rules, raw results", raw),
                    ("diagnose nl: rules + worded fixes", nl), ("diagnose en: rules + worded fixes", en)]:
        print(f"  {name:38} {t * 1e6:9.1f} {1 / t:9.0f} {t / base:6.2f}x")
    per = {Path(p).stem: _per_case(lambda c: diagnose(c, "nl"), [c]) for p, c in zip(paths, cases, strict=True)}
    worst = max(per, key=per.get)
    print(f"  slowest scenario: {worst} {per[worst] * 1e3:.3f} ms per diagnose (target: well under 5 ms)")
    processes(Path(paths[len(paths) // 2]))


if __name__ == "__main__":
    main()
