"""Cold load + validation of all content in both languages vs. a bare C-loader yaml.load of the same files.

Each figure is the median over fresh interpreters (cold: nothing loaded, nothing cached in memory), in
CPU time of the process (wall time on a shared machine counts the other processes too; it is shown beside).
Imports are paid once per process by any program using these libraries and are reported apart.
The baseline is measured in the same run, so the ratios hold on a noisy 2-core machine.
Target (#16): both languages under 50 ms cold, without the parse cache (a first start).
"""

import os
import statistics
import subprocess
import sys
import tempfile

REPEATS = 11

BARE = """
import time, pathlib, yaml
w0, t0 = time.perf_counter(), time.process_time()
files = sorted(pathlib.Path('content').glob('[a-z][a-z]/**/*.yaml'))
for f in files:
    yaml.load(f.read_text(encoding='utf-8'), Loader=yaml.CSafeLoader)
print((time.process_time() - t0) * 1000, (time.perf_counter() - w0) * 1000, len(files))
"""

LOAD = """
import sys, time
w0 = time.perf_counter()
from guide.content.loader import COMBINED, FILES, NEUTRAL_FILES, load_content, model_for
for spec in (*FILES.values(), *NEUTRAL_FILES.values(), *COMBINED.values()):
    model_for(spec)  # import every content model (and what they import) before timing the load
w1, t1 = time.perf_counter(), time.process_time()
for lang in sys.argv[1:]:
    load_content(lang)
print((time.process_time() - t1) * 1000, (time.perf_counter() - w1) * 1000, (w1 - w0) * 1000)
"""


def _measure(code: str, env: dict[str, str], *args: str) -> tuple[float, float, float]:
    runs = []
    for _ in range(REPEATS):
        out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True,
                             env={**os.environ, **env}).stdout.split()
        runs.append([float(x) for x in out])
    return tuple(statistics.median(r[i] for r in runs) for i in range(3))  # type: ignore[return-value]


def main() -> None:
    os.system("uptime")
    bare, bare_wall, n_files = _measure(BARE, {})
    rows = [("baseline: bare yaml.load, C loader (parse only)", bare, bare_wall)]
    imports = 0.0
    for langs in (("nl", "en"), ("nl",), ("en",)):
        cpu, wall, imports = _measure(LOAD, {"GUIDE_CACHE_DIR": ""}, *langs)
        rows.append((f"load + validate {'+'.join(langs)}, cold, no parse cache", cpu, wall))
    with tempfile.TemporaryDirectory() as cache:
        subprocess.run([sys.executable, "-c", LOAD, "nl", "en"], check=True, capture_output=True,
                       env={**os.environ, "GUIDE_CACHE_DIR": cache})  # a first start fills the cache
        cpu, wall, _ = _measure(LOAD, {"GUIDE_CACHE_DIR": cache}, "nl", "en")
        rows.append(("load + validate nl+en, cold, parse cache from a 1st start", cpu, wall))
    print(f"{int(n_files)} YAML files of both languages; median of {REPEATS} fresh interpreters")
    print(f"  {'what':60} {'CPU ms':>7} {'ratio':>7} {'wall ms':>8}")
    for what, cpu, wall in rows:
        print(f"  {what:60} {cpu:7.1f} {cpu / bare:6.2f}x {wall:8.1f}")
    print(f"  (imports of the libraries and content models, once per process: {imports:.0f} ms wall)")


if __name__ == "__main__":
    main()
