"""Does memory stay flat without Streamlit's post-script garbage collection? One replica of the served app
holds N sessions (default 100) that keep rerunning (pick a step, press 'Check', open another page) for a
few minutes; the server's RSS is sampled throughout. Shipped settings (postScriptGC off), and for
comparison Streamlit's default (on).

    python -m bench.memory                    # 100 sessions, 150 s per setting
    python -m bench.memory --quick            # 100 sessions, 40 s, shipped settings only
"""

from __future__ import annotations

import argparse
import asyncio
import random
import shutil
import sys
import tempfile
import time

from bench.load import DEFAULTS, cpu_seconds, rss_mb, start


async def _user(base: str, stop_at: float, counts: list[int], errors: list[str]) -> None:
    from bench._stclient import Session

    s = Session(base)
    try:
        await s.connect()
        await s.open("flows", "lang=en")
        i = 0
        while time.monotonic() < stop_at:
            i += 1
            if i % 3 == 0:
                await s.press("flows_check", "lang=en")
            elif i % 3 == 1:
                await s.choose("flows_step", i % 5, "lang=en")
            else:
                await s.open(random.choice(["flows", "start", "handbook", "sandbox"]), "lang=en")
                await s.open("flows", "lang=en")
            counts[0] += 1
            await asyncio.sleep(random.uniform(0.5, 1.5))  # a person reads for a moment
    except Exception as exc:
        errors.append(f"{type(exc).__name__}: {str(exc)[:100]}")
    finally:
        await s.close()


def run(env: dict[str, str], n: int, seconds: float, data: str) -> None:
    server = start("app", env, data)
    pid = server.proc.pid
    try:
        idle = rss_mb(pid)
        counts, errors = [0], []
        samples: list[tuple[float, float]] = []

        async def go() -> None:
            stop_at = time.monotonic() + seconds
            users = [asyncio.create_task(_user(server.base, stop_at, counts, errors)) for _ in range(n)]
            t0 = time.monotonic()
            while time.monotonic() < stop_at:
                await asyncio.sleep(5)
                samples.append((time.monotonic() - t0, rss_mb(pid)))
            await asyncio.gather(*users)

        cpu0 = cpu_seconds(pid)
        asyncio.run(go())
        cpu = cpu_seconds(pid) - cpu0
        first = samples[1][1] if len(samples) > 1 else samples[0][1]  # all sessions open and warm
        last = samples[-1][1]
        peak = max(rss for _, rss in samples)
        print(f"  idle {idle:.0f} MB; with {n} sessions: at {samples[1][0]:.0f} s {first:.0f} MB, "
              f"at {samples[-1][0]:.0f} s {last:.0f} MB (growth {last - first:+.1f} MB, peak {peak:.0f} MB); "
              f"{counts[0]} reruns, {1000 * cpu / max(counts[0], 1):.1f} ms CPU each, {len(errors)} errors")
        trend = " ".join(f"{rss:.0f}" for _, rss in samples[:: max(1, len(samples) // 12)])
        print(f"  RSS every ~{seconds / 12:.0f} s (MB): {trend}")
        for err in sorted(set(errors))[:3]:
            print(f"    error: {err}")
    finally:
        server.stop()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.memory", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--sessions", type=int, default=100)
    parser.add_argument("--seconds", type=float)
    args = parser.parse_args(argv if argv is not None else [])
    seconds = args.seconds or (40 if args.quick else 150)
    configs = {"shipped (postScriptGC off)": {}}
    if not args.quick:
        configs["Streamlit default (postScriptGC on, file watcher on)"] = DEFAULTS
    data = tempfile.mkdtemp(prefix="guide-bench-mem-")
    try:
        for name, env in configs.items():
            print(f"-- {name}: {args.sessions} sessions rerunning for {seconds:.0f} s")
            run(env, args.sessions, seconds, data)
    finally:
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1:])
