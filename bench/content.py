"""Cold load + validation of all content in both languages vs. a bare C-loader yaml.load of the same files.

Each measurement runs in a fresh interpreter (cold: nothing imported, nothing cached), repeated; the
baseline is measured in the same run so the ratio holds on a noisy 2-core machine.
"""

import statistics
import subprocess
import sys

REPEATS = 15

BARE = """
import time, pathlib
t0 = time.perf_counter()
import yaml
files = sorted(pathlib.Path('content').glob('[a-z][a-z]/**/*.yaml'))
for f in files:
    yaml.load(f.read_text(encoding='utf-8'), Loader=yaml.CSafeLoader)
print((time.perf_counter() - t0) * 1000, len(files))
"""

FULL = """
import time
t0 = time.perf_counter()
from guide.content.loader import load_all
load_all()
print((time.perf_counter() - t0) * 1000, 0)
"""

FULL_WARM_IMPORTS = """
import time
import pydantic, yaml, babel  # imports paid by any program using these libraries
from guide.content import loader
t0 = time.perf_counter()
loader.load_all()
print((time.perf_counter() - t0) * 1000, 0)
"""


def _measure(code: str) -> tuple[float, int]:
    times, count = [], 0
    for _ in range(REPEATS):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
        times.append(float(out[0]))
        count = int(out[1])
    return statistics.median(times), count


def main() -> None:
    bare, n_files = _measure(BARE)
    full, _ = _measure(FULL)
    load_only, _ = _measure(FULL_WARM_IMPORTS)
    print(f"{n_files} YAML files, both languages; median of {REPEATS} fresh interpreters")
    print(f"  bare yaml.load (C loader), incl. import yaml : {bare:7.1f} ms   1.00x")
    print(f"  load + validate, cold, incl. all imports      : {full:7.1f} ms   {full / bare:.2f}x")
    print(f"  load + validate, cold, after library imports  : {load_only:7.1f} ms   {load_only / bare:.2f}x")


if __name__ == "__main__":
    main()
