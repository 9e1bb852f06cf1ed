"""A workshop room on the served app, with the websocket client (bench/_stclient.py): a trainer board
refreshing itself every 5 s while N participants (N = 10, 30, 60, 100) join and act in their sandboxes.

Every participant is a browser with the app's cookie. Phases, with the board ticking throughout:
  join     all N open the workshop page, type the code and a nickname, press 'Join' (at once)
  once     each participant acts once (a sandbox form) at a random moment within 10 s: the room as it is
  busy     each participant does five sandbox actions, no pause between them: the worst case
Then, with the room quiet: board   K refreshes of the board (the fragment) one after the other,
                                   full    K reruns of the whole trainer page.
In the same run, on a hello-world app (bench/_hello_app.py) served the same way: N sessions open, change,
press at once (CPU per interaction), then each presses once at a random moment within 10 s (CPU per press),
and K reruns of one session (CPU per rerun). An interaction alone costs any Streamlit app ~2x what it costs
among many (the server's event loop wakes for each message instead of sending many per wake), so each
phase is compared with hello-world acting the same way: 'once' with the spread presses, 'busy' with the
sessions at once. An interaction is a form's submit or a click on the sandbox's screen chooser (a participant
whose next action is on another screen chooses it first, as a user does). Printed: p50/p95 per phase,
errors, server CPU per interaction and per rerun, and the ratios to hello-world; the board's tick
intervals (their 5 s rhythm: max/p95 and how many) while the room acts once and while it is busy, and each
tick's own time; RSS per participant. The quiet room's reruns are also measured in 3 batches: a collection of
the whole heap by Python's garbage collector (~80 ms with a room of 100, due whenever the room's work left it)
lands in one batch or none, and the median batch shows what a rerun itself costs. The server's CPU is read in
clock ticks (10 ms): a batch needs some 30 reruns to be read to a third of a millisecond per rerun.

    python -m bench.workshop                 # N = 10 30 60 100, shipped settings and Streamlit's defaults
    python -m bench.workshop --quick         # N = 10 30, shipped settings
    python -m bench.workshop --n 100         # one N
The server runs on one core (taskset -c 0) when taskset exists (--cores to change).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field

from bench.load import DEFAULTS, Server, cpu_seconds, pct, rss_mb, start

HELLO_KEYS = ("flows_step", "flows_check")
#: The sandbox actions a participant of 'blank-start' does, in order; each is a form with a submit.
ACTIONS = ("create_eu_login", "confirm_eu_login", "register_account", "join_etwinning", "create_eu_login")
TICK_SECONDS = 5.0
QUERY = "lang=en"


@dataclass
class Phase:
    name: str
    times: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    cpu: float = 0.0
    wall: float = 0.0
    settled: int = 0  # participants done with this phase's untimed follow-up (after joining: opening the sandbox)
    chosen: int = 0   # screen chooser clicks before an action (an interaction of their own, timed with it)

    def cpu_ms(self) -> float:
        return 1000 * self.cpu / max(len(self.times), 1)

    def per_interaction_ms(self) -> float:
        """CPU per interaction: a form's submit or a chooser click, each a rerun the participant asks for, as
        hello-world's open, choose and press are."""
        return 1000 * self.cpu / max(len(self.times) + self.chosen, 1)


@dataclass
class Board:
    """The trainer's tab: its ticks, one every 5 s as the browser's timer sends them."""

    session: object = None
    done_at: list[float] = field(default_factory=list)   # when each tick's rerun finished (monotonic)
    took: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    running: bool = True

    async def ticking(self) -> None:
        nxt = time.monotonic() + TICK_SECONDS
        while self.running:
            await asyncio.sleep(max(0.0, nxt - time.monotonic()))
            if not self.running:
                return
            nxt += TICK_SECONDS
            try:
                self.took.append(await self.session.tick())
                self.done_at.append(time.monotonic())
            except Exception as exc:  # counted, not fatal
                self.errors.append(f"{type(exc).__name__}: {str(exc)[:100]}")
            nxt = max(nxt, time.monotonic())  # a late tick does not make the next ones race to catch up

    def waits(self, since: float, until: float) -> list[float]:
        """How long each tick that ended in this span took, from its request to its last message."""
        return [took for took, t in zip(self.took, self.done_at, strict=False) if since <= t <= until]

    def gaps(self, since: float, until: float) -> list[float]:
        marks = [t for t in self.done_at if since <= t <= until]
        return [b - a for a, b in zip(marks, marks[1:], strict=False)]


def _workshop(data_dir: str, n: int) -> tuple[str, str, str]:
    """A workshop in the served app's database (the bench process writes it like the trainer page does)."""
    os.environ["GUIDE_DATA_DIR"] = data_dir
    from guide.store.engine import dispose_all, get_engine
    from guide.workshop import service

    engine = get_engine()
    info, key = service.create(engine, f"Bench room of {n}", "en", "blank-start", dt.date.today())
    dispose_all()
    return info.id, key, info.join_code


async def _join(session, code: str, nickname: str) -> float:
    await session.open("workshop", QUERY)
    session.fill(session.labelled("Workshop code"), code)
    session.fill(session.labelled("Nickname (shown to the trainer)"), nickname)
    took = await session.submit(session.labelled("Join"), QUERY)
    session.states.clear()
    if not any(f"you are **{nickname}**" in t for t in session.texts):
        raise RuntimeError(f"not seated after 'Join' (page: {session.texts[:3]})")
    return took


async def _act(session, i: int, phase: Phase | None = None) -> float:
    """The participant's i-th sandbox action: its form's fields typed, its submit pressed. The sandbox shows one
    screen at a time and moves on to the next step's screen after a success; when the wanted screen is not the
    one shown, the participant first chooses it with the screen chooser, as a user would (part of the action)."""
    from guide.sandbox.actions import ACTIONS as DECLARED

    action = ACTIONS[i % len(ACTIONS)]
    took = 0.0
    if f"sb_{action}_submit" not in session.widgets:
        declared = DECLARED[action]  # the chooser lists screens by their English titles (QUERY is lang=en)
        took += await session.choose_label("sb_screen", declared.phrase or declared.label, QUERY)
        session.screens_chosen = getattr(session, "screens_chosen", 0) + 1
        if phase is not None:
            phase.chosen += 1
    if f"sb_{action}_email" in session.widgets:
        session.fill(session.widget(f"sb_{action}_email"), f"p{id(session) % 100000}@example.org")
    return took + await session.submit(session.widget(f"sb_{action}_submit"), QUERY)


async def _participant(base: str, code: str, number: int, phases: dict[str, Phase], gate: dict[str, asyncio.Event],
                       sessions: list) -> None:
    from bench._stclient import Session

    s = Session(base, browser_key=True)
    sessions.append(s)
    phase = phases["join"]
    try:
        await s.connect()
        await gate["join"].wait()
        phase.times.append(await _join(s, code, f"Teacher {number:03d}"))
        await s.open("sandbox", QUERY)  # where they work; not timed
        if s.exceptions:
            raise RuntimeError(s.exceptions[0][:100])
        phase.settled += 1  # the next phase starts when everyone is there: its ticks measure its own load
        phase = phases["once"]
        await gate["once"].wait()
        await asyncio.sleep(random.uniform(0, 10))  # the room: each acts once within 10 s
        phase.times.append(await _act(s, 0, phase))
        phase = phases["busy"]
        await gate["busy"].wait()
        for i in range(1, 6):
            phase.times.append(await _act(s, i, phase))
        if s.exceptions:
            raise RuntimeError(s.exceptions[0][:100])
    except Exception as exc:  # counted, not fatal
        phase.errors.append(f"{type(exc).__name__}: {str(exc)[:120]}")


async def _room(server: Server, data_dir: str, n: int, k: int) -> dict:
    from bench._stclient import Session

    wid, key, code = _workshop(data_dir, n)
    trainer = Session(server.base, browser_key=True)
    await trainer.connect()
    await trainer.open("trainer", f"{QUERY}&w={wid}&key={key}")
    if not trainer.fragments:
        raise RuntimeError(f"the trainer page has no refreshing board (exceptions: {trainer.exceptions[:1]})")
    board = Board(trainer)
    ticker = asyncio.create_task(board.ticking())
    phases = {name: Phase(name) for name in ("join", "once", "busy")}
    gate = {name: asyncio.Event() for name in phases}
    sessions: list = []
    pid = server.proc.pid
    rss0 = rss_mb(pid)
    users = [asyncio.create_task(_participant(server.base, code, i, phases, gate, sessions)) for i in range(n)]
    spans: dict[str, tuple[float, float]] = {}
    for name, phase in phases.items():
        await asyncio.sleep(0.5)
        cpu0, t0 = cpu_seconds(pid), time.monotonic()
        gate[name].set()
        expected = n * (5 if name == "busy" else 1)
        while len(phase.times) + len(phase.errors) * (5 if name == "busy" else 1) < expected:
            if all(u.done() for u in users):
                break
            await asyncio.sleep(0.05)
        phase.cpu, phase.wall = cpu_seconds(pid) - cpu0, time.monotonic() - t0
        spans[name] = (t0, time.monotonic())
        while name == "join" and phase.settled + len(phase.errors) < n and not all(u.done() for u in users):
            await asyncio.sleep(0.05)  # the sandbox pages still opening (untimed) are not the next phase's load
    await asyncio.gather(*users)
    rss1 = rss_mb(pid)
    # the board in a quiet room: its ticks one after the other, then whole-page reruns
    board.running = False
    await ticker
    await asyncio.sleep(0.5)
    ticks: list[float] = []
    fulls: list[float] = []
    tick_cpu, tick_batches = await _batched(pid, k, lambda: _timed(ticks, trainer.tick()))
    full_cpu, full_batches = await _batched(pid, k, lambda: _timed(fulls, trainer.rerun(query=QUERY)))
    await asyncio.gather(trainer.close(), *(s.close() for s in sessions), return_exceptions=True)
    return {"phases": phases, "board": board, "spans": spans, "tick_cpu": tick_cpu, "full_cpu": full_cpu,
            "tick_batches": tick_batches, "full_batches": full_batches, "ticks": ticks, "fulls": fulls, "rss": (rss1 - rss0) / max(n, 1), "trainer_errors": trainer.exceptions,
            "chosen": sum(getattr(s, "screens_chosen", 0) for s in sessions)}


async def _timed(into: list[float], rerun) -> None:
    into.append(await rerun)


async def _batched(pid: int, k: int, one, batches: int = 3) -> tuple[float, list[float]]:
    """Server CPU per call of `one()` over k calls after each other: the mean, and the mean of each of `batches`
    equal batches. A collection of the server's whole heap by Python's garbage collector (~80 ms with a room of
    100) lands in one batch or none, wherever the room's own work left it due: that batch stands out, and the
    median batch is what a call itself costs."""
    size = max(k // batches, 1)
    per_batch = []
    total = 0.0
    for b in range(batches):
        cpu0 = cpu_seconds(pid)
        for _ in range(size if b < batches - 1 else k - size * (batches - 1)):
            await one()
        spent = cpu_seconds(pid) - cpu0
        total += spent
        per_batch.append(spent / (size if b < batches - 1 else k - size * (batches - 1)))
    return total / k, per_batch


async def _hello(server: Server, n: int, k: int, spread: bool = True) -> tuple[float, float, float, list[float], list[float]]:
    """Hello-world in the same run: N sessions open/change/press at once (CPU per interaction, the baseline of
    the busy room); then each presses once at a random moment within 10 s (CPU per press, the baseline of the
    room acting once: an interaction alone costs more than one among many, in any Streamlit app); one
    session's K reruns after each other (CPU per rerun)."""
    from bench._stclient import Session

    pid = server.proc.pid
    sessions = [Session(server.base) for _ in range(n)]
    await asyncio.gather(*(s.connect() for s in sessions))
    times: list[float] = []

    async def user(s) -> None:
        times.append(await s.open(""))
        times.append(await s.choose(HELLO_KEYS[0], 1))
        times.append(await s.press(HELLO_KEYS[1]))

    cpu0 = cpu_seconds(pid)
    await asyncio.gather(*(user(s) for s in sessions))
    per_interaction = (cpu_seconds(pid) - cpu0) / max(len(times), 1)

    async def once(s) -> None:
        await asyncio.sleep(random.uniform(0, 10))
        await s.press(HELLO_KEYS[1])

    per_spread = 0.0
    if spread:
        await asyncio.sleep(0.5)
        cpu0 = cpu_seconds(pid)
        await asyncio.gather(*(once(s) for s in sessions))
        per_spread = (cpu_seconds(pid) - cpu0) / max(n, 1)
    one = sessions[0]
    per_rerun, batches = await _batched(pid, k, lambda: one.press(HELLO_KEYS[1]))
    await asyncio.gather(*(s.close() for s in sessions), return_exceptions=True)
    return per_interaction, per_spread, per_rerun, times, batches


def _fmt(values: list[float]) -> str:
    return f"{pct(values, .5):6.3f}/{pct(values, .95):<7.3f}" if values else f"{'-':>14}"


def run(config: str, env: dict[str, str], ns: list[int], k: int, cores: str | None) -> list[dict]:
    rows = []
    print(f"\n-- {config}; server pinned to core(s) {cores or 'none'}; load average now "
          f"{os.getloadavg()[0]:.1f} --", flush=True)
    print(f"{'N':>4} {'join p50/p95 s':>15} {'once p50/p95':>15} {'busy p50/p95':>15} {'err':>4} "
          f"{'once ms/int':>11} {'x hello':>7} {'busy ms/int':>11} {'x hello':>7} {'tick ms CPU':>11} {'x hello rerun':>13} "
          f"{'page ms CPU':>11} {'gaps once s':>15} {'gaps busy s':>15} {'MB/participant':>14}", flush=True)
    for n in ns:
        data = tempfile.mkdtemp(prefix="guide-bench-ws-")
        try:
            hello = start("hello", env, data, cores)
            try:
                asyncio.run(_hello(hello, 3, 3, spread=False))  # warm
                h_int, h_spread, h_rerun, _, h_batches = asyncio.run(_hello(hello, n, k))
            finally:
                hello.stop()
            app = start("app", env, data, cores)
            try:
                r = asyncio.run(_room(app, data, n, k))
            finally:
                app.stop()
        finally:
            shutil.rmtree(data, ignore_errors=True)
        ph = r["phases"]
        acted = ph["once"].times + ph["busy"].times
        action_cpu = 1000 * (ph["once"].cpu + ph["busy"].cpu) / max(len(acted), 1)
        # the board's rhythm while the room acts: 'once' is the room as it is (each acts once within 10 s),
        # 'busy' the worst case (everyone acting without a pause: the core is saturated)
        gaps_once = r["board"].gaps(r["spans"]["once"][0], r["spans"]["busy"][0])  # not the busy phase's first tick
        gaps = r["board"].gaps(r["spans"]["busy"][0], r["spans"]["busy"][1] + TICK_SECONDS)
        busy_waits = r["board"].waits(r["spans"]["once"][0], r["spans"]["busy"][1])  # ticks while they act
        errors = sum(len(p.errors) for p in ph.values()) + len(r["board"].errors) + len(r["trainer_errors"])
        # a workshop action against hello-world acting the same way: the room acting once (each within 10 s)
        # against hello-world's presses spread over 10 s; the busy room against hello-world's sessions at once
        once_ms, busy_ms = ph["once"].per_interaction_ms(), ph["busy"].per_interaction_ms()
        row = {"config": config, "n": n, "join": ph["join"].times, "once": ph["once"].times, "busy": ph["busy"].times,
               "errors": errors, "action_cpu_ms": action_cpu, "hello_int_ms": 1000 * h_int,
               "once_int_ms": once_ms, "busy_int_ms": busy_ms, "hello_spread_ms": 1000 * h_spread,
               "once_x": once_ms / max(1000 * h_spread, 1e-9), "busy_x": busy_ms / max(1000 * h_int, 1e-9),
               "tick_cpu_ms": 1000 * r["tick_cpu"], "hello_rerun_ms": 1000 * h_rerun, "page_cpu_ms": 1000 * r["full_cpu"],
               "gaps": gaps, "gaps_once": gaps_once, "tick_waits": busy_waits, "rss": r["rss"], "load": os.getloadavg()[0]}
        rows.append(row)
        gap_txt = f"{max(gaps):.1f}/{pct(gaps, .95):.1f} ({len(gaps)})" if gaps else "-"
        once_txt = f"{max(gaps_once):.1f}/{pct(gaps_once, .95):.1f} ({len(gaps_once)})" if gaps_once else "-"
        print(f"{n:>4} {_fmt(row['join'])} {_fmt(row['once'])} {_fmt(row['busy'])} {errors:>4} "
              f"{once_ms:>11.1f} {row['once_x']:>6.1f}x {busy_ms:>11.1f} {row['busy_x']:>6.1f}x "
              f"{row['tick_cpu_ms']:>11.1f} {row['tick_cpu_ms'] / max(row['hello_rerun_ms'], 1e-9):>12.1f}x "
              f"{row['page_cpu_ms']:>11.1f} {once_txt:>15} {gap_txt:>15} {row['rss']:>14.2f}", flush=True)
        print(f"     hello-world: {row['hello_int_ms']:.1f} ms CPU per interaction at once, {row['hello_spread_ms']:.1f} ms "
              f"per press spread over 10 s, {row['hello_rerun_ms']:.1f} ms per "
              f"rerun; board tick wall time p50/max {statistics.median(r['ticks']):.3f}/{max(r['ticks']):.3f} s quiet, "
              f"max {max(busy_waits, default=0):.3f} s while the room acts ({len(busy_waits)} ticks); "
              f"load average {row['load']:.1f}", flush=True)
        print(f"     sandbox actions, their chooser clicks counted in: {ph['once'].cpu_ms():.1f} ms CPU each acting "
              f"once, {ph['busy'].cpu_ms():.1f} ms busy, {action_cpu:.1f} ms both ({action_cpu / max(row['hello_int_ms'], 1e-9):.1f}x "
              f"hello at once); {r['chosen']} of {len(acted)} first chose their screen with the chooser "
              f"(once: {ph['once'].chosen}, busy: {ph['busy'].chosen}); the board's ticks are in the phases' CPU",
              flush=True)
        tick_med, page_med, hello_med = (1000 * statistics.median(b) for b in (r["tick_batches"], r["full_batches"],
                                                                             h_batches))
        row.update(tick_median_ms=tick_med, page_median_ms=page_med, hello_median_ms=hello_med)
        print(f"     in {len(h_batches)} batches of {k // len(h_batches)}: board tick "
              f"{'/'.join(f'{1000 * c:.1f}' for c in r['tick_batches'])} ms CPU, median {tick_med:.1f} = "
              f"{tick_med / max(hello_med, 1e-9):.1f}x hello's median rerun ({'/'.join(f'{1000 * c:.1f}' for c in h_batches)}"
              f" ms); page {'/'.join(f'{1000 * c:.1f}' for c in r['full_batches'])} ms, median {page_med:.1f} "
              f"(a batch far above the others: a collection of the whole heap landed in it)", flush=True)
        for p in ph.values():
            for err in sorted(set(p.errors))[:2]:
                print(f"    error ({p.name}): {err}")
        for err in sorted(set(r["board"].errors))[:2] + r["trainer_errors"][:1]:
            print(f"    error (board): {err}")
    return rows


def main(argv: list[str] | None = None) -> list[dict]:
    parser = argparse.ArgumentParser(prog="python -m bench.workshop", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="N = 10, 30 with the shipped settings only")
    parser.add_argument("--n", type=int, nargs="*", help="room sizes (default 10 30 60 100)")
    parser.add_argument("--reruns", type=int, default=90,
                        help="board ticks / page reruns in the quiet room (and hello-world reruns), in 3 batches")
    parser.add_argument("--cores", default="0", help="taskset core list for the servers ('' for none)")
    parser.add_argument("--defaults", action="store_true", help="also with Streamlit's default settings")
    args = parser.parse_args(argv if argv is not None else [])
    ns = args.n or ([10, 30] if args.quick else [10, 30, 60, 100])
    print(f"{os.cpu_count()} CPUs; N = {ns}; one trainer board ticking every {TICK_SECONDS:g} s", flush=True)
    rows = run("shipped settings", {}, ns, args.reruns, args.cores or None)
    if args.defaults or not (args.quick or args.n):
        rows += run("Streamlit defaults (post-script GC, file watcher)", DEFAULTS, ns, args.reruns, args.cores or None)
    return rows


if __name__ == "__main__":
    main(sys.argv[1:])
