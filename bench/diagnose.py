"""Diagnosing cases in-process: all rules on every scenario, raw and worded, vs. validating the same case.

Baseline (measured in the same run): Case.model_validate of the scenario's data, the cost any use of a
case pays. Printed: microseconds per case, cases per second, and the ratio to the baseline.
"""

import time
from pathlib import Path

from guide import CONTENT_DIR
from guide.case.model import Case, load_case
from guide.content.loader import load_content
from guide.steps.findings import check, diagnose
from guide.steps.registry import all_rules

ROUNDS = 300


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


if __name__ == "__main__":
    main()
