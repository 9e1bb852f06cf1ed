"""Cold load + validation of all content in both languages vs. a bare C-loader yaml.load of the same files.

Each figure is the median over fresh interpreters (cold: nothing loaded, nothing cached in memory).
Imports are paid once per process by any program using these libraries and are reported apart.
The baseline is measured in the same run, so the ratios hold on a noisy 2-core machine.
"""

import os
import statistics
import subprocess
import sys
import tempfile

REPEATS = 11

BARE = """
import time, pathlib, yaml
t0 = time.perf_counter()
files = sorted(pathlib.Path('content').glob('[a-z][a-z]/**/*.yaml'))
for f in files:
    yaml.load(f.read_text(encoding='utf-8'), Loader=yaml.CSafeLoader)
print((time.perf_counter() - t0) * 1000, len(files))
"""

LOAD = """
import time
t0 = time.perf_counter()
from guide.content.loader import FILES, load_all, model_for
for spec in FILES.values():
    model_for(spec)  # import every content model (and what they import) before timing the load
t1 = time.perf_counter()
load_all()
print((time.perf_counter() - t1) * 1000, (t1 - t0) * 1000)
"""


def _measure(code: str, env: dict[str, str]) -> tuple[float, float]:
    first, second = [], []
    for _ in range(REPEATS):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                             env={**os.environ, **env}).stdout.split()
        first.append(float(out[0]))
        second.append(float(out[1]))
    return statistics.median(first), statistics.median(second)


def main() -> None:
    bare, n_files = _measure(BARE, {})
    no_cache, imports = _measure(LOAD, {"GUIDE_CACHE_DIR": ""})
    with tempfile.TemporaryDirectory() as cache:
        subprocess.run([sys.executable, "-c", LOAD], check=True, capture_output=True,
                       env={**os.environ, "GUIDE_CACHE_DIR": cache})  # a first start fills the cache
        cached, _ = _measure(LOAD, {"GUIDE_CACHE_DIR": cache})
    print(f"{int(n_files)} YAML files of both languages; median of {REPEATS} fresh interpreters")
    print(f"  {'what':52} {'ms':>7} {'ratio':>7}")
    print(f"  {'baseline: bare yaml.load, C loader (parse only)':52} {bare:7.1f} {1:6.2f}x")
    print(f"  {'load + validate, cold, no parse cache':52} {no_cache:7.1f} {no_cache / bare:6.2f}x")
    print(f"  {'load + validate, cold, parse cache from a 1st start':52} {cached:7.1f} {cached / bare:6.2f}x")
    print(f"  (imports of the libraries and content models, once per process: {imports:.0f} ms)")


if __name__ == "__main__":
    main()
