"""The Textual app's budgets: how fast a choice reaches the screen, and how much memory a game takes.

Responsiveness is timed in the app itself, headless (Pilot): a spy on `App._display` sees every
frame the compositor renders. Memory is each program's own peak resident set, reported by the
program as it exits, for a full play-through against the bare Textual app.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

from game.bench.engine import LOOP_SCENES, loop_run, loop_story, loop_title
from game.bench.plan import BenchError, Plan
from game.bench.report import Row, alternate, median, mib, ms, ratio_row, spread, times
from game.bench.startup import BARE_APP_CLASS, child_env

APP_SIZE = (100, 32)
SHOWN_BUDGET = 0.016
SETTLED_BUDGET = 0.033
GROWTH_BUDGET = 1.25
MEMORY_BUDGET = 1.4
PTY_SIZE = (100, 32)
SETTLE_QUIET = 0.15
"""A terminal that stays quiet this long after a key has settled."""

# ----------------------------------------------------------------------------- responsiveness


async def _wait_for(pilot: Any, test: Callable[[], bool], what: str, timeout: float = 30.0) -> None:
    deadline = time.perf_counter() + timeout
    while not test():
        if time.perf_counter() > deadline:
            raise BenchError(f"the app never reached {what} within {timeout:.0f} s")
        await pilot.pause(0.02)


async def respond_block(story_dir: Path, depth: int, presses: int, work: Path) -> list[tuple[float, float]]:
    """Press a choice's key `presses` times in a headless app resumed `depth` steps into the
    loop story. For each press: seconds until the screen first showed what it shows once the
    app has gone idle again, and seconds until the app's last frame (after a layout change
    Textual often repaints a region or two more, with the same content).

    A spy on `App._display` timestamps each frame the compositor renders and keeps a copy of
    the whole screen as it then stands; the first frame equal to the final screen is the
    moment the screen was updated.
    """
    from game.runs import run_from_state
    from game.tui.app import BoardroomApp
    from game.tui.screens.play import PlayScreen
    from game.controller.settings import Settings

    story, state = loop_run(story_dir, depth)
    home = Path(tempfile.mkdtemp(dir=work))
    app = BoardroomApp(story_dir, home / "saves", config=home / "config", settings=Settings(typewriter=False),
                       run=run_from_state(story, state, label="bench"), story=story)
    frames: list[tuple[float, list[tuple[Any, ...]]]] = []
    display = app._display

    def spy(screen: Any, renderable: Any) -> None:
        if renderable is not None:
            now = time.perf_counter()
            frames.append((now, [tuple(strip) for strip in screen._compositor.render_strips()]))
        display(screen, renderable)

    app._display = spy  # type: ignore[method-assign]
    samples: list[tuple[float, float]] = []
    async with app.run_test(size=APP_SIZE) as pilot:
        await _wait_for(pilot, lambda: isinstance(app.screen, PlayScreen), "the play screen")
        await pilot.pause()
        for _ in range(presses):
            session = app.session
            assert session is not None
            before = session.steps
            frames.clear()
            start = time.perf_counter()
            await pilot.press("1")
            await pilot.pause()
            if session.steps != before + 1:
                raise BenchError(f"key 1 at step {before} took no choice")
            if not frames:
                raise BenchError(f"key 1 at step {before} drew no frame")
            final = frames[-1][1]
            first = next(t for t, screen in frames if screen == final)
            samples.append((first - start, frames[-1][0] - start))
            app.flush_saves()  # a player reads the scene before the next key: its autosave is done by then
    return samples


def pty_block(story_dir: Path, depth: int, presses: int, work: Path) -> list[tuple[float, float]]:
    """Press a choice's key `presses` times in `boardroom play --load` on a real pty, resumed
    `depth` steps into the loop story. For each press: seconds until the next scene's title is
    on screen, and seconds until the last write before the terminal went quiet (its last repaint)."""
    from game.bench.startup import child_env, game_command
    from game.bench.terminal import Terminal
    from game.runs import run_from_state, write_run

    story, state = loop_run(story_dir, depth)
    run = work / f"loop-{depth}.json"
    if not run.exists():
        write_run(run_from_state(story, state, label="bench"), run)
    home = Path(tempfile.mkdtemp(dir=work))
    env = child_env(home)
    cmd = game_command() + ["play", "--load", str(run), "--story", str(story_dir)]
    samples: list[tuple[float, float]] = []
    with Terminal(cmd, env, Path.cwd(), PTY_SIZE, name="boardroom play --load") as term:
        scene = depth % LOOP_SCENES
        term.wait_for(loop_title(scene), timeout=60)
        term.settle(0.3)
        for _ in range(presses):
            scene = (scene + 1) % LOOP_SCENES
            sent, mark = term.press("1")
            shown = term.wait_for(loop_title(scene), since=mark)
            samples.append((shown - sent, term.settle(SETTLE_QUIET) - sent))
    return samples


def _rows(kind: str, results: dict[int, list[tuple[float, float]]], shallow: int, deep: int,
          note: str) -> Iterator[Row]:
    first = {d: [s for s, _ in results[d]] for d in results}
    last = {d: [t for _, t in results[d]] for d in results}
    for depth in (shallow, deep):
        a, settled = median(first[depth]), median(last[depth])
        base = median(first[shallow])
        growth = a / base if base > 0 else float("inf")
        if depth == shallow:
            row = Row(f"respond: key → next scene, {depth:,} steps, {kind}", ms(a), budget=f"≤ {SHOWN_BUDGET * 1000:g} ms",
                      ok=a <= SHOWN_BUDGET)
        else:
            row = Row(f"respond: key → next scene, {depth:,} steps, {kind}", ms(a), ms(base), f"{growth:.2f}x",
                      f"≤ {SHOWN_BUDGET * 1000:g} ms, flat", a <= SHOWN_BUDGET and growth <= GROWTH_BUDGET)
        row.notes.append(f"{times(len(first[depth]), 'press')}, {spread(first[depth])}; {note}")
        yield row
        row = Row(f"respond: key → settled, {depth:,} steps, {kind}", ms(settled),
                  budget=f"≤ {SETTLED_BUDGET * 1000:g} ms", ok=settled <= SETTLED_BUDGET)
        row.notes.append(f"the last repaint the key causes; {spread(last[depth])}")
        yield row


def bench_respond(plan: Plan, story_dir: Path, work: Path) -> Iterator[Row]:
    import asyncio

    folder = loop_story(work / "loop")
    shallow, deep = plan.respond_depths
    # A B B A A B B A, a few presses a block: drift in the machine's load, and a burst of it,
    # falls on both depths alike (--quick: A B, no warm-up)
    order = (shallow, deep) if plan.quick else (shallow, deep, deep, shallow) * 2
    block = max(1, plan.respond_presses // order.count(shallow))
    # in a real terminal: what the player sees
    pty: dict[int, list[tuple[float, float]]] = {shallow: [], deep: []}
    if not plan.quick:
        pty_block(folder, shallow, 1, work)  # warms the bytecode and story caches
    for depth in order:
        pty[depth] += pty_block(folder, depth, block, work)
    yield from _rows("pty", pty, shallow, deep,
                     f"`boardroom play --load` on an {PTY_SIZE[0]}x{PTY_SIZE[1]} pty, until the next scene's title is "
                     f"written; typewriter off, autosave on; flat: within {GROWTH_BUDGET:g}x of {shallow} steps")
    # headless, in the app itself: every frame the compositor renders
    headless: dict[int, list[tuple[float, float]]] = {shallow: [], deep: []}
    if not plan.quick:
        asyncio.run(respond_block(folder, shallow, 2, work))
    for depth in order:
        headless[depth] += asyncio.run(respond_block(folder, depth, block, work))
    yield from _rows("headless", headless, shallow, deep,
                     f"Pilot, {APP_SIZE[0]}x{APP_SIZE[1]}, until the frame that shows the final screen")


# ----------------------------------------------------------------------------- memory

PEAK_REPORT = """

def _peak_kib() -> int:
    # VmHWM is this program's own peak: ru_maxrss would also count the benchmark's memory,
    # which fork copies into the child before exec.
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    import resource
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak // 1024 if sys.platform == "darwin" else peak


print("PEAK_KIB", _peak_kib())
"""

BARE_HEADLESS = BARE_APP_CLASS + f"""

import asyncio
import sys


async def main() -> None:
    async with BareApp().run_test(size={APP_SIZE!r}) as pilot:
        await pilot.press("tab", "tab")
        await pilot.pause()


asyncio.run(main())
""" + PEAK_REPORT

GAME_PLAYTHROUGH = f"""
import asyncio
import sys
from pathlib import Path


async def main(story_dir: Path, home: Path) -> None:
    from game.story_cache import load_story_cached
    from game.tui.app import BoardroomApp
    from game.tui.screens.play import PlayScreen
    from game.controller.settings import Settings

    # as `boardroom play --side` does it: the story from the compiled cache
    story, _ = load_story_cached(story_dir)
    side = next(iter(story.history), None) or next(iter(story.sides))
    path = list(story.history.get(side, ()))
    how = "documented path" if path else "first open choices"
    app = BoardroomApp(story_dir, home / "saves", config=home / "config", settings=Settings(typewriter=False),
                       side=side, story=story)
    async with app.run_test(size={APP_SIZE!r}) as pilot:
        for _ in range(1500):
            if isinstance(app.screen, PlayScreen):
                break
            await pilot.pause(0.02)
        steps = 0
        while not app.session.over:
            shown = list(app.session.view().choices)
            wanted = path[steps] if steps < len(path) else next(c.id for c in shown if c.available)
            index = [c.id for c in shown].index(wanted)
            if index > 8:
                raise SystemExit(f"choice {{wanted!r}} is number {{index + 1}}; only 1-9 have keys")
            await pilot.press(str(index + 1))
            await pilot.pause()
            steps += 1
            if steps > 5000:
                raise SystemExit("no ending after 5000 choices")
        await pilot.pause()
        app.flush_saves()
    print("PLAYED", side, steps, how)


asyncio.run(main(Path(sys.argv[1]), Path(sys.argv[2])))
""" + PEAK_REPORT


def peak_rss(cmd: Sequence[str], env: dict[str, str], cwd: Path) -> tuple[float, str]:
    """The peak resident memory (KiB) of the program `cmd` runs, as it reports it on exit, and its output."""
    out = subprocess.run(list(cmd), stdin=subprocess.DEVNULL, capture_output=True, env=env, cwd=cwd, timeout=300)
    text = (out.stdout + out.stderr).decode("utf-8", "replace")
    found = re.search(r"^PEAK_KIB (\d+)$", text, re.MULTILINE)
    if out.returncode != 0 or found is None:
        what = "the play-through" if "PLAYED" in cmd[2] else "the bare Textual app"
        raise BenchError(f"{what} failed (exit {out.returncode}): {' '.join(text.split())[-400:]}")
    return float(found.group(1)), text


def bench_memory(plan: Plan, story_dir: Path, work: Path) -> Iterator[Row]:
    env = child_env(work)
    cwd = Path.cwd()
    played: list[str] = []

    def game() -> float:
        home = work / f"memory-{len(played)}"
        kib, text = peak_rss([sys.executable, "-c", GAME_PLAYTHROUGH, str(story_dir.resolve()), str(home)], env, cwd)
        played.append(next(line for line in text.splitlines() if line.startswith("PLAYED ")))
        return kib

    def bare() -> float:
        return peak_rss([sys.executable, "-c", BARE_HEADLESS], env, cwd)[0]

    if not plan.quick:
        game()  # compiles the story once and caches it, as a player's first game does
        played.clear()
    ours, base = alternate(game, bare, plan.memory_runs)
    row = ratio_row("memory: peak RSS, play-through", median(ours), median(base), MEMORY_BUDGET, mib)
    _, side, steps, how = played[-1].split(None, 3)
    row.notes.append(f"{times(plan.memory_runs, 'run')} each, headless: {side}'s {how}, "
                     f"{steps} choices to an ending, story from the compiled cache, against the bare Textual app "
                     f"pressing two keys")
    yield row
