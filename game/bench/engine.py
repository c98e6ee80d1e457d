"""The engine's budgets: loading a story, exploring it, and replaying a long run.

Loading is compared with tomli's bare parse of the same files; exploring and replaying are
measured against their absolute budgets. The 5,000-scene story comes from the authoring
toolkit's generator; the long run needs a story with a loop, which `loop_story` writes.
"""

from __future__ import annotations

import gc
import time
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from game.bench.plan import BenchError, Plan
from game.bench.report import Row, alternate, median, ms, ratio_row, shown, spread, timed, times

if TYPE_CHECKING:
    from game.engine import State, Story

LOAD_BUDGET = 1.5
EXPLORE_BUDGET = 0.5
REPLAY_BUDGET = 1.0


def generated_story(work: Path, scenes: int) -> Path:
    """The generated story of `scenes` scenes, written once per bench run."""
    from game.generate import generate_story

    folder = work / f"generated-{scenes}"
    if not folder.exists():
        generate_story(folder, scenes=scenes, seed=0)
    return folder


# ----------------------------------------------------------------------------- loading


def bench_load_one(name: str, root: Path, runs: int, budget: bool) -> Row:
    import tomli

    from game.engine.files import story_files
    from game.engine.load import load_story

    files = story_files(root)
    story = load_story(root)  # warms every import and cache before timing

    def parse() -> None:
        for path in files:
            tomli.loads(path.read_bytes().decode("utf-8"))

    ours, base = alternate(lambda: timed(lambda: load_story(root)), lambda: timed(parse), runs)
    row = ratio_row(f"loading: {name}", median(ours), median(base), LOAD_BUDGET)
    if not budget:
        row.budget, row.ok = "—", None
    size = sum(p.stat().st_size for p in files)
    conditions = [c.condition.text for s in story.scenes.values() for c in s.choices if c.condition is not None]
    row.notes.append(f"{times(len(files), 'file')}, {size / 1024:,.0f} KiB, {len(story.scenes):,} scenes, "
                     f"{len(conditions):,} conditions ({len(set(conditions)):,} distinct); load_story (read, parse, "
                     f"validate, compile) against reading and tomli.loads alone; {runs} runs each")
    return row


def bench_cached(name: str, root: Path, runs: int, work: Path) -> Row:
    """The game's own load: the story from the compiled cache (files hashed, JSON decoded and
    checked), against the same bare tomli parse of the files."""
    import tomli

    from game.engine.files import story_files
    from game.story_cache import load_story_cached

    files = story_files(root)
    folder = work / "load-cache"
    load_story_cached(root, folder)  # compiles once and writes the cache

    def parse() -> None:
        for path in files:
            tomli.loads(path.read_bytes().decode("utf-8"))

    ours, base = alternate(lambda: timed(lambda: load_story_cached(root, folder)), lambda: timed(parse), runs)
    row = ratio_row(f"loading: {name} from the cache", median(ours), median(base), LOAD_BUDGET)
    row.budget, row.ok = "—", None
    row.notes.append(f"what the game does at startup: every file hashed, the cache read, its JSON decoded and "
                     f"checked type by type, conditions parsed again; against reading and tomli.loads; {runs} runs each")
    return row


def bench_loading(plan: Plan, story: Path, work: Path) -> Iterator[Row]:
    yield bench_load_one(shown(story), story, plan.load_runs * 3, budget=False)
    yield bench_cached(shown(story), story, plan.load_runs * 3, work)
    gen = generated_story(work, plan.generated_scenes)
    yield bench_load_one(f"generated, {plan.generated_scenes:,} scenes", gen, plan.load_runs, budget=True)


# ----------------------------------------------------------------------------- exploring


def bench_explore(plan: Plan, story_dir: Path, work: Path) -> Iterator[Row]:
    from game.engine.explore import explore
    from game.engine.load import load_story

    for which, root, cap in (("shipped", story_dir, 1_000_000),
                             ("generated", generated_story(work, plan.generated_scenes), plan.explore_cap)):
        story = load_story(root)
        took: list[float] = []
        reports = []
        for _ in range(plan.explore_runs):
            gc.collect()
            start = time.perf_counter()
            reports = explore(story, max_states=cap)
            took.append(time.perf_counter() - start)
        seconds = median(took)
        states = sum(r.states for r in reports)
        complete = all(r.complete for r in reports)
        rate = f"{states / seconds:,.0f} states/s"
        if which == "shipped":
            row = Row(f"explore: {shown(root)}, every side", ms(seconds), budget=f"< {EXPLORE_BUDGET:g} s",
                      ok=complete and seconds < EXPLORE_BUDGET)
            row.notes.append(f"{states:,} states, {sum(r.transitions for r in reports):,} transitions, {rate}"
                             f"{'' if complete else ', INCOMPLETE: the state cap stopped it'}; "
                             f"median of {plan.explore_runs}")
        else:
            row = Row(f"explore: generated, {plan.generated_scenes:,} scenes", rate.replace("states/s", "st/s"))
            row.notes.append(f"{states:,} states in {ms(seconds)}, "
                             f"{'every one' if complete else f'stopped at {cap:,} per side'}; "
                             f"states per second, median of {plan.explore_runs}")
        yield row


# ----------------------------------------------------------------------------- replaying

LOOP_SCENES = 12


def loop_title(scene: int) -> str:
    """The title of the loop story's scene `scene`: unique, and no title is a prefix of another."""
    return f"Round {scene + 1:02d}"


def loop_story(folder: Path) -> Path:
    """A small story with a loop, so a run can be as long as we like.

    A ring of scenes round which the first choice ("on") always goes on, with effects,
    conditions and `seen()` to evaluate on every step, a way out to an ending, a headline
    in every scene and a few paragraphs of text, like a real one. Like a real one too, no
    two scenes in a row are the same length: the screen is laid out again on every choice
    (a ring of equal scenes is drawn without a layout, faster than any real story plays).
    """
    folder.mkdir(parents=True, exist_ok=True)
    out = [
        "[story]", 'id = "bench-loop"', 'title = "The Loop"', 'subtitle = "A week that never ends"',
        "begins = 2023-11-16T08:00:00-08:00", "ends = 2023-11-22T00:00:00-08:00", "",
        "[side.loop]", 'name = "Loop"', 'role = "Director"', 'start = "loop.s00"',
        'blurb = "Round and round the boardroom."', "",
        "[var.loyalty]", 'label = "Staff loyalty"', "start = 5", "",
        "[var.pressure]", 'label = "Investor pressure"', "start = 2", "",
        "[var.scale]", 'label = "Safety ⟷ Profit"', "start = 5", 'display = "scale"', "",
        "[var.signed]", 'label = "Letter signed"', 'type = "bool"', "start = false", "",
    ]
    para = ("The board meets again in the same room, and the same questions come round: who knew, "
            "who voted, and what the staff will do on Monday. Phones light up along the table. ")
    for i in range(LOOP_SCENES):
        sid, nxt, skip = (f"loop.s{i:02d}", f"loop.s{(i + 1) % LOOP_SCENES:02d}",
                          f"loop.s{(i + 2) % LOOP_SCENES:02d}")
        first, extra = ((1, 1), (3, 2), (2, 1), (1, 3))[i % 4]  # paragraphs: 3, 7, 4, 7 lengths of `para`
        out += [
            f'[scene."{sid}"]', 'side = "loop"', f"at = 2023-11-{16 + i % 6:02d}T{8 + i % 12:02d}:00:00-08:00",
            f'title = "{loop_title(i)}"', 'provenance = "counterfactual"', f'headline = "{loop_title(i)} of talks"',
            'text = """', (para * first).strip(), *(["", (para * 2).strip()] * extra), '"""', "",
            f'[[scene."{sid}".choice]]', 'id = "on"', 'text = "Go on to the next meeting."', f'goto = "{nxt}"',
            f"add = {{ loyalty = {1 if i % 2 else -1}, pressure = {1 if i % 3 else -2} }}", "",
            f'[[scene."{sid}".choice]]', 'id = "skip"', 'text = "Skip a meeting."', f'goto = "{skip}"',
            "if = \"loyalty >= 4 and (pressure < 8 or seen('loop.s03'))\"", 'locked = "Nobody would cover for you."',
            "set = { signed = true }", "",
            f'[[scene."{sid}".choice]]', 'id = "leave"', 'text = "Walk out for good."', 'goto = "loop.end"',
            'if = "signed and scale != 0"', "",
        ]
    out += [
        '[scene."loop.end"]', 'side = "loop"', "at = 2023-11-21T20:00:00-08:00", 'title = "Out"',
        'provenance = "counterfactual"', 'text = "You walk out, and the loop closes behind you."', "",
        '[scene."loop.end".ending]', 'title = "Out of the loop"', 'history = "No such loop happened."',
        "score = 5.0", "",
    ]
    (folder / "story.toml").write_text("\n".join(out), encoding="utf-8")
    return folder


def loop_run(story_dir: Path, steps: int) -> tuple["Story", "State"]:
    """The loop story, and a state `steps` choices deep in it, going round by the first choice."""
    from game.engine import choose, load_story, new_state

    story = load_story(story_dir)
    state = new_state(story, "loop")
    for _ in range(steps):
        state = choose(story, state, "on")
    return story, state


def bench_replay(plan: Plan, story_dir: Path, work: Path) -> Iterator[Row]:
    from game.runs import read_run, run_from_state, verify, write_run

    story, state = loop_run(loop_story(work / "loop"), plan.replay_steps)
    path = work / "loop-run.json"
    write_run(run_from_state(story, state, label="bench"), path)

    def replay_once() -> float:
        gc.collect()
        start = time.perf_counter()
        result = verify(story, read_run(path))
        took = time.perf_counter() - start
        if result.divergence is not None or result.state.length != plan.replay_steps:
            raise BenchError(f"the {plan.replay_steps:,}-step run did not verify: {result.divergence}")
        return took

    replay_once()
    took = [replay_once() for _ in range(plan.replay_runs)]
    seconds = median(took)
    row = Row(f"replay: {plan.replay_steps:,}-step run, read + verify", ms(seconds),
              budget=f"< {REPLAY_BUDGET:g} s", ok=seconds < REPLAY_BUDGET)
    row.notes.append(f"a {path.stat().st_size / 1024:,.0f} KiB run file read, every step played again and the end "
                     f"checked: {plan.replay_steps / seconds:,.0f} steps/s; median of {plan.replay_runs}, "
                     f"{spread(took)}")
    yield row
