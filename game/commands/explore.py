"""`boardroom explore`: play every branch of the story by machine and report what a player could meet.

Exhaustive by default (see `game/engine/explore.py`): per side, the endings reached with a
shortest path to each, scene and choice coverage, soft locks (no choice available) and traps
(choices, but no way to any ending). `--random N --seed S` plays N seeded random games per
side instead and counts hits, like ChoiceScript's randomtest. `--out DIR` writes a run file
for each soft lock, which `boardroom play --load FILE` opens at the very spot.

Exit status: 0 when nothing is wrong, 1 when a soft lock, a trap or the state cap was met
(or the story does not load), 2 for bad usage.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from pathlib import Path
from typing import Any, Callable, TextIO

from game.commands.shared import load_or_report
from game.engine import Story
from game.engine.explore import (
    RandomReport,
    SideExploration,
    Stuck,
    TextRef,
    explore_side,
    random_play,
    random_runs,
    replay_path,
    run_seed,
    unreached_endings,
)
from game.engine.sourcemap import SourceMap, value_position
from game.engine.shape import SideShape, side_shape
from game.engine.state import State
from game.engine.text import Template

MAX_STEPS = 1000
"""Choices a random play-through makes before it counts as a loop (random_runs' default)."""

PATH_LIMIT = 12
"""Choices shown of a long path before eliding the middle."""


class ProgressBar:
    """A one-line progress bar on stderr, redrawn with \\r — only when stderr is a terminal.

    It stays silent for the first half second, so quick explorations print nothing extra.
    """

    def __init__(self, stream: TextIO, unit: str, width: int = 30) -> None:
        self.stream = stream
        self.unit = unit
        self.width = width
        self.enabled = stream.isatty()
        self.started = time.monotonic()
        self.last = 0.0
        self.drawn = False

    def __call__(self, label: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self.started < 0.5 or (now - self.last < 0.1 and done != total):
            return
        self.last = now
        if total:
            filled = min(self.width, self.width * done // total)
            bar = "#" * filled + "." * (self.width - filled)
            line = f"  {label:<12} [{bar}] {done:,}/{total:,} {self.unit}"
        else:
            line = f"  {label:<12} {done:,} {self.unit}…"
        self.stream.write("\r" + line[:100].ljust(100))
        self.stream.flush()
        self.drawn = True

    def clear(self) -> None:
        if self.drawn:
            self.stream.write("\r" + " " * 100 + "\r")
            self.stream.flush()
            self.drawn = False


def fail(message: str, code: int = 2) -> int:
    print(f"boardroom explore: error: {message}", file=sys.stderr)
    return code


def show_path(path: tuple[str, ...]) -> str:
    if not path:
        return "(the start)"
    if len(path) > PATH_LIMIT:
        head, tail = path[: PATH_LIMIT // 2], path[-PATH_LIMIT // 2:]
        return " > ".join(head) + f" > … {len(path) - PATH_LIMIT} more … > " + " > ".join(tail)
    return " > ".join(path)


def show_values(values: dict[str, Any], seen: frozenset[str]) -> str:
    parts = [f"{k}={str(v).lower() if isinstance(v, bool) else v}" for k, v in values.items()]
    if seen:
        parts.append("seen " + ", ".join(sorted(seen)))
    return ", ".join(parts)


def plural(n: int, word: str) -> str:
    return f"{n:,} {word}" + ("" if n == 1 else "s")


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "—"


def run_file_name(kind: str, side: str, scene: str) -> str:
    """A name for a stuck run's file; only letters, digits, '.', '_' and '-' survive from the ids."""
    return f"{kind}-{re.sub(r'[^a-z0-9._-]+', '-', side.lower())}-{re.sub(r'[^a-z0-9._-]+', '-', scene.lower())}.json"


LOOP = "(loop)"
"""Key of a side's loop run among the run files written by the random mode."""


def unreached_summary(story: Story, unreached: list[str], args: argparse.Namespace, where: str = "") -> list[str]:
    """The closing lines about scenes and endings no play reached, and whether that fails."""
    if not unreached:
        return []
    endings = [sid for sid in unreached if story.scenes[sid].ending is not None]
    scenes = [sid for sid in unreached if story.scenes[sid].ending is None]
    parts = ([plural(len(scenes), "scene")] if scenes else []) + ([plural(len(endings), "ending")] if endings else [])
    verdict = ("allowed by --allow-unreached" if getattr(args, "allow_unreached", False)
               else "this fails the exploration; pass --allow-unreached to accept it")
    return [f"never reached{where}: {' and '.join(parts)} ({verdict}): {', '.join(unreached)}"]


def print_run(story: Story, args: argparse.Namespace, sides: list[str]) -> int:
    """Run `--run I` of each side in full: every scene and the choice taken in it, then where it stopped."""
    if args.run < 0 or args.run >= args.random:
        return fail(f"--run must be between 0 and {args.random - 1} (the runs of --random {args.random})")
    out: list[str] = []
    for side in sides:
        state = random_play(story, side, random.Random(run_seed(args.seed, side, args.run)), MAX_STEPS)
        steps = state.steps()
        out.append(f"{side}, run {args.run} (seed {run_seed(args.seed, side, args.run)!r}), "
                   f"{plural(len(steps), 'choice')}:")
        for i, step in enumerate(steps, 1):
            out.append(f"  {i:>4}. {step.scene} > {step.choice}")
        end = story.scenes[state.scene]
        if end.ending is not None:
            out.append(f"        {state.scene}: ending “{end.ending.title}”")
        elif len(steps) >= MAX_STEPS:
            out.append(f"        {state.scene}: still going after {MAX_STEPS:,} choices (a loop)")
        else:
            out.append(f"        {state.scene}: no choice available (a soft lock)")
        out.append("")
    print("\n".join(out).rstrip())
    return 0


def write_stuck_runs(story: Story, out: Path, side: str, kind: str, items: list[tuple[str, State]]) -> dict[str, str]:
    """Write one run file per (scene, state); scene -> path written. Raises RunError.

    `kind` is "softlock", "trap" or "loop"; the file is named for it, the side and the scene."""
    from game.runs import run_from_state, write_run

    words = {"softlock": "soft lock", "trap": "trap", "loop": "loop"}[kind]
    written: dict[str, str] = {}
    from game.confine import OutsideFolder, confined
    from game.runs import RunError

    for scene, state in items:
        try:
            path = confined(out, run_file_name(kind, side, scene))
        except OutsideFolder as exc:
            raise RunError(str(exc)) from None
        write_run(run_from_state(story, state, label=f"{words} in {scene}"), path)
        written[scene] = str(path)
    return written


# ----------------------------------------------------------------------------- exhaustive


def exhaustive_text(story: Story, r: SideExploration, runs: dict[str, dict[str, str]],
                    arms_missed: list[dict[str, Any]]) -> list[str]:
    side = story.sides[r.side]
    lines = [f"{r.side} — {side.name}"]
    cap = "" if r.complete else f" — STOPPED at the cap of {r.max_states:,} states"
    lines.append(f"  {r.states:,} states, {r.transitions:,} moves, explored in {r.seconds:.2f} s "
                 f"({r.states_per_second:,.0f} states/s){cap}")
    if not r.complete:
        lines.append("  the exploration is incomplete: every count below is a lower bound. Raise --max-states, "
                     "or make effects coarser (smaller ranges, fewer seen() tests) so fewer states differ.")
    ends = [sid for sid in story.endings if sid in r.static_scenes]
    lines.append(f"  endings reached: {len(r.endings)} of {len(ends)}")
    for sid, path in sorted(r.endings.items(), key=lambda e: (len(e[1]), e[0])):
        lines.append(f"    {sid}  “{story.scenes[sid].ending.title}”  in {plural(len(path), 'choice')}: {show_path(path)}")  # type: ignore[union-attr]
    for sid in ends:
        if sid not in r.endings:
            lines.append(f"    {sid}  never reached: every way to it is locked")
    lines.append(f"  scenes: {len(r.scenes & r.static_scenes)} of {len(r.static_scenes)} reached "
                 f"({percent(len(r.scenes & r.static_scenes), len(r.static_scenes))})")
    for sid in r.missed_scenes:
        lines.append(f"    never reached: {sid} (every choice leading to it is locked on every path)")
    taken = len(r.choices & r.static_choices)
    lines.append(f"  choices: {taken} of {len(r.static_choices)} taken ({percent(taken, len(r.static_choices))})")
    for scene, choice in r.missed_choices:
        c = story.scenes[scene].choice(choice)
        cond = f" (if {c.condition.text!r})" if c is not None and c.condition is not None else ""
        lines.append(f"    never available: {scene} > {choice}{cond}")
    if r.complete:
        arms = sum(sum(n) for n in r.arm_counts.values())
        lines.append(f"  passage branches: {arms - len(arms_missed)} of {arms} shown")
        for a in arms_missed:
            lines.append(f"    never shown: {a['file']}:{a['line']}:{a['col']}: {a['what']}: {a['tag']}")
    if r.soft_locks:
        lines.append(f"  SOFT LOCKS: {len(r.soft_locks)} scene(s) where a player can be left with no choice")
        for s in r.soft_locks:
            lines.append(f"    {s.scene}: no choice available in {s.states:,} state(s); shortest way there, "
                         f"{plural(len(s.path), 'choice')}: {show_path(s.path)}")
            lines.append(f"      with {show_values(s.values, s.seen)}")
            if s.scene in runs["softlock"]:
                lines.append(f"      reproduce: boardroom play --load {runs['softlock'][s.scene]}")
    else:
        lines.append("  soft locks: none")
    if r.traps:
        lines.append(f"  TRAPS: {len(r.traps)} scene(s) where a player can go on choosing but never reach an ending")
        for s in r.traps:
            lines.append(f"    {s.scene}: {s.states:,} state(s) with no way to any ending; shortest way there: "
                         f"{show_path(s.path)}")
            if s.scene in runs["trap"]:
                lines.append(f"      reproduce: boardroom play --load {runs['trap'][s.scene]}")
    elif r.complete:
        lines.append("  traps: none")
    return lines


class ArmLocator:
    """Where a passage arm sits in the story's files, as `path:line:col`, reading each file once."""

    def __init__(self, story: Story) -> None:
        self.story = story
        self.maps: dict[str, SourceMap] = {}

    def text_of(self, ref: TextRef) -> tuple[str, tuple[Any, ...], str, Template]:
        """(file, TOML key, what it is, template) of a text the explorer names by `ref`."""
        scene_id, kind, choice_id = ref
        scene = self.story.scenes[scene_id]
        if kind == "text":
            return scene.file, ("scene", scene_id, "text"), f"scene {scene_id!r}'s text", scene.body
        if kind == "headline":
            return scene.file, ("scene", scene_id, "headline"), f"scene {scene_id!r}'s headline", scene.news
        c = scene.choice(choice_id)
        assert c is not None
        if kind == "label":
            return c.file or scene.file, c.key + ("text",), f"choice {choice_id!r} in {scene_id!r}", c.label
        assert c.outcome is not None
        return (c.file or scene.file, c.key + ("outcome",), f"the outcome of choice {choice_id!r} in {scene_id!r}",
                c.outcome)

    def arm(self, ref: TextRef, number: int, arm: int) -> dict[str, Any]:
        """One never-shown arm: its location, what holds it and its tag as written."""
        file, key, what, template = self.text_of(ref)
        passage = next(p for p in template.all_passages() if p.number == number)
        a = passage.arms[arm]
        tag = "{else}" if a.condition is None else f"{{{'if' if arm == 0 else 'elif'} {a.condition.text}}}"
        if file not in self.maps:
            try:
                with open(file, encoding="utf-8") as fh:
                    self.maps[file] = SourceMap(fh.read())
            except (OSError, UnicodeDecodeError):
                self.maps[file] = SourceMap("")
        source = self.maps[file]
        line, col = value_position(source.text, *source.locate(key), a.offset)
        return {"file": file, "line": line, "col": col, "scene": ref[0], "in": ref[1], "choice": ref[2] or None,
                "passage": number, "arm": arm, "tag": tag, "what": what}


def unshown_arms(locator: ArmLocator, r: SideExploration) -> list[dict[str, Any]]:
    return [locator.arm(*found) for found in r.unshown_arms] if r.complete else []


def stuck_dict(s: Stuck) -> dict[str, Any]:
    return {"scene": s.scene, "states": s.states, "path": list(s.path), "values": s.values, "seen": sorted(s.seen)}


def exhaustive_dict(story: Story, r: SideExploration, runs: dict[str, dict[str, str]],
                    arms_missed: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "side": r.side,
        "complete": r.complete,
        "states": r.states,
        "moves": r.transitions,
        "seconds": round(r.seconds, 4),
        "endings": {sid: list(path) for sid, path in r.endings.items()},
        "endings_not_reached": [sid for sid in story.endings if sid in r.static_scenes and sid not in r.endings],
        "scenes": {"reached": len(r.scenes & r.static_scenes), "total": len(r.static_scenes), "missed": r.missed_scenes},
        "choices": {"taken": len(r.choices & r.static_choices), "total": len(r.static_choices),
                    "never_available": [f"{s} > {c}" for s, c in r.missed_choices]},
        "passages": {"arms": sum(sum(n) for n in r.arm_counts.values()), "never_shown": arms_missed},
        "soft_locks": [dict(stuck_dict(s), run=runs["softlock"].get(s.scene)) for s in r.soft_locks],
        "traps": [dict(stuck_dict(s), run=runs["trap"].get(s.scene)) for s in r.traps],
    }


def run_exhaustive(story: Story, args: argparse.Namespace, sides: list[str]) -> int:
    bar = ProgressBar(sys.stderr, "states")
    reports: list[SideExploration] = []
    runs: dict[str, dict[str, dict[str, str]]] = {}
    problems = 0
    for side in sides:
        def progress(done: int, _total: int, side: str = side) -> None:
            bar(side, done, args.max_states)

        r = explore_side(story, side, max_states=args.max_states, progress=progress)
        bar.clear()
        reports.append(r)
        runs[side] = {"softlock": {}, "trap": {}}
        if args.out and (r.soft_locks or r.traps):
            from game.runs import RunError

            try:
                for kind, found in (("softlock", r.soft_locks), ("trap", r.traps)):
                    runs[side][kind] = write_stuck_runs(story, Path(args.out), side, kind,
                                                        [(s.scene, replay_path(story, side, s.path)) for s in found])
            except RunError as exc:
                return fail(str(exc), 1)
        problems += len(r.soft_locks) + len(r.traps) + (0 if r.complete else 1)
    everything = set(sides) == set(story.sides) and all(r.complete for r in reports)
    missing = unreached_endings(story, reports) if everything else []
    unreached = sorted({sid for r in reports for sid in r.missed_scenes} | set(missing))
    locator = ArmLocator(story)
    missed_arms = {r.side: unshown_arms(locator, r) for r in reports}
    arms_missed = sum(len(a) for a in missed_arms.values())
    if not getattr(args, "allow_unreached", False):
        problems += len(unreached) + arms_missed

    if args.format == "json":
        json.dump({
            "story": story.id, "fingerprint": story.fingerprint, "mode": "exhaustive", "max_states": args.max_states,
            "sides": [exhaustive_dict(story, r, runs[r.side], missed_arms[r.side]) for r in reports],
            "endings_no_side_reaches": missing, "never_reached": unreached, "problems": problems,
        }, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        out: list[str] = []
        for r in reports:
            out += exhaustive_text(story, r, runs[r.side], missed_arms[r.side]) + [""]
        total = sum(r.states for r in reports)
        secs = sum(r.seconds for r in reports)
        out.append(f"{len(reports)} side(s), {total:,} states in {secs:.2f} s: "
                   f"{sum(len(r.soft_locks) for r in reports)} soft lock(s), {sum(len(r.traps) for r in reports)} trap(s)"
                   + ("" if all(r.complete for r in reports) else ", stopped at the state cap"))
        if missing:
            out.append(f"endings no side reaches: {', '.join(missing)}")
        out += unreached_summary(story, unreached, args)
        if arms_missed:
            verdict = ("allowed by --allow-unreached" if getattr(args, "allow_unreached", False)
                       else "this fails the exploration; pass --allow-unreached to accept it")
            out.append(f"never shown: {arms_missed:,} passage branch{'' if arms_missed == 1 else 'es'} ({verdict})")
        if any(r.soft_locks or r.traps for r in reports) and not args.out:
            out.append("write a run file for each soft lock and trap with --out DIR, then open it with "
                       "'boardroom play --load FILE'")
        print("\n".join(out))
    return 1 if problems else 0


# ----------------------------------------------------------------------------- random


def random_text(story: Story, r: RandomReport, runs: dict[str, str]) -> list[str]:
    side = story.sides[r.side]
    lines = [f"{r.side} — {side.name}: {r.runs:,} random play-throughs, seed {r.seed} "
             f"({r.steps:,} choices)"]
    lines.append("  endings:")
    for sid, n in r.endings.most_common():
        lines.append(f"    {n:>7,}  {percent(n, r.runs):>4}  {sid}  “{story.scenes[sid].ending.title}”")  # type: ignore[union-attr]
    for sid in story.endings:
        if sid in r.static_scenes and sid not in r.endings:
            lines.append(f"    {0:>7}  {'0%':>4}  {sid}  “{story.scenes[sid].ending.title}”")  # type: ignore[union-attr]
    if r.soft_locks:
        lines.append("  SOFT LOCKS:")
        for sid, (run, state) in r.soft_locks.items():
            lines.append(f"    {plural(r.soft_lock_runs[sid], 'run')} stuck in {sid} with no choice; first in run {run} "
                         f"(seed {run_seed(r.seed, r.side, run)!r}): {show_path(tuple(s.choice for s in state.steps()))}")
            if sid in runs:
                lines.append(f"      reproduce: boardroom play --load {runs[sid]}")
            lines.append(f"      '--run {run}' prints it in full")
    if r.unfinished:
        run, _state = r.unfinished_example  # type: ignore[misc]
        lines.append(f"  LOOPS: {r.unfinished:,} runs were still going after {r.max_steps:,} choices (first: run {run}; "
                     f"'--run {run}' prints it in full)")
        if LOOP in runs:
            lines.append(f"      reproduce: boardroom play --load {runs[LOOP]}")
    visited = len(set(r.scene_hits) & r.static_scenes)
    lines.append(f"  scene hits ({visited} of {len(r.static_scenes)} scenes visited, "
                 f"{percent(visited, len(r.static_scenes))}):")
    order = sorted(r.static_scenes, key=lambda s: (story.scenes[s].at, s))
    for sid in order:
        lines.append(f"    {r.scene_hits.get(sid, 0):>7,}  {sid}")
    never = [f"{s} > {c.id}" for s in order for c in story.scenes[s].choices if (s, c.id) not in r.choice_hits]
    if never:
        lines.append(f"  choices never picked ({len(never)}):")
        lines += [f"    {n}" for n in never]
    return lines


def random_dict(r: RandomReport, runs: dict[str, str]) -> dict[str, Any]:
    return {
        "side": r.side, "runs": r.runs, "seed": r.seed, "choices": r.steps, "seconds": round(r.seconds, 4),
        "endings": dict(r.endings.most_common()),
        "soft_locks": [{"scene": sid, "runs": r.soft_lock_runs[sid], "first_run": run,
                        "seed": run_seed(r.seed, r.side, run), "path": [s.choice for s in st.steps()],
                        "run": runs.get(sid)} for sid, (run, st) in r.soft_locks.items()],
        "unfinished": r.unfinished,
        "scene_hits": {sid: r.scene_hits.get(sid, 0) for sid in sorted(r.static_scenes)},
        "choice_hits": {f"{s} > {c}": n for (s, c), n in sorted(r.choice_hits.items())},
        "missed_scenes": r.missed_scenes,
        "loop_run": runs.get(LOOP),
    }


def run_random(story: Story, args: argparse.Namespace, sides: list[str]) -> int:
    bar = ProgressBar(sys.stderr, "runs")
    problems = 0
    reports: list[RandomReport] = []
    runs: dict[str, dict[str, str]] = {}
    for side in sides:
        def progress(done: int, total: int, side: str = side) -> None:
            bar(side, done, total)

        r = random_runs(story, side, args.random, args.seed, progress=progress)
        bar.clear()
        reports.append(r)
        runs[side] = {}
        if args.out and (r.soft_locks or r.unfinished_example):
            from game.runs import RunError

            try:
                runs[side] = write_stuck_runs(story, Path(args.out), side, "softlock",
                                              [(sid, st) for sid, (_run, st) in r.soft_locks.items()])
                if r.unfinished_example is not None:
                    loop = r.unfinished_example[1]
                    runs[side].update({LOOP: path for path in write_stuck_runs(
                        story, Path(args.out), side, "loop", [(loop.scene, loop)]).values()})
            except RunError as exc:
                return fail(str(exc), 1)
        problems += len(r.soft_locks) + (1 if r.unfinished else 0)
    unreached = sorted({sid for r in reports for sid in r.missed_scenes})
    if not getattr(args, "allow_unreached", False):
        problems += len(unreached)
    if args.format == "json":
        json.dump({"story": story.id, "fingerprint": story.fingerprint, "mode": "random", "seed": args.seed,
                   "sides": [random_dict(r, runs[r.side]) for r in reports], "problems": problems},
                  sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        out: list[str] = []
        for r in reports:
            out += random_text(story, r, runs[r.side]) + [""]
        out.append(f"{len(reports)} side(s), {sum(r.runs for r in reports):,} play-throughs: "
                   f"{sum(sum(r.soft_lock_runs.values()) for r in reports):,} stuck, "
                   f"{sum(r.unfinished for r in reports):,} still going at the step limit")
        out += unreached_summary(story, unreached, args, f" in {plural(args.random, 'run')}")
        print("\n".join(out))
    return 1 if problems else 0


# ----------------------------------------------------------------------------- entry point


def shape_text(story: Story, shapes: list[SideShape]) -> list[str]:
    """The branching table, one column a side, then the scenes to look at."""
    names = [story.sides[s.side].name for s in shapes]
    total = SideShape("all")
    for s in shapes:
        total.scenes += s.scenes
        total.endings += s.endings
        total.with_choices += s.with_choices
        total.multi_choice += s.multi_choice
        total.single_option += s.single_option
        total.same_target += s.same_target
        total.unacknowledged += s.unacknowledged
        total.off_path += s.off_path

    def row(label: str, cell: Callable[[SideShape], str]) -> str:
        return "| " + " | ".join([label, *(cell(s) for s in shapes), cell(total)]) + " |"

    lines = [
        "| | " + " | ".join(names) + " | all |",
        "|---" * (len(shapes) + 2) + "|",
        row("scenes with a single option", lambda s: f"{len(s.single_option)} of {s.with_choices} ({percent(len(s.single_option), s.with_choices)})"),
        row("multi-choice scenes where every choice leads to the same scene",
            lambda s: f"{len(s.same_target)} of {s.multi_choice} ({percent(len(s.same_target), s.multi_choice)})"),
        row("  ... of which nothing shows which choice was taken",
            lambda s: f"{len(s.unacknowledged)} of {len(s.same_target)}"),
        row("scenes off the documented path", lambda s: f"{len(s.off_path)} of {s.scenes} ({percent(len(s.off_path), s.scenes)})"),
        row("endings", lambda s: str(s.endings)),
    ]
    for s, name in zip(shapes, names):
        if s.single_option:
            lines.append(f"{name}: single-option scenes: {', '.join(s.single_option)}")
        if s.unacknowledged:
            lines.append(f"{name}: choices not acknowledged after: {', '.join(s.unacknowledged)}")
    return lines


def run_shape(story: Story, args: argparse.Namespace, sides: list[str]) -> int:
    shapes = [side_shape(story, side) for side in sides]
    if args.format == "json":
        print(json.dumps({s.side: {
            "scenes": s.scenes, "endings": s.endings, "with_choices": s.with_choices,
            "multi_choice": s.multi_choice, "single_option": s.single_option,
            "same_target": s.same_target, "unacknowledged": s.unacknowledged,
            "documented": s.documented, "off_path": s.off_path,
        } for s in shapes}, indent=2))
    else:
        print("\n".join(shape_text(story, shapes)))
    return 0


def main(args: argparse.Namespace) -> int:
    if args.max_states is not None and args.max_states < 1:
        return fail(f"--max-states must be at least 1, not {args.max_states}")
    if args.random is not None and args.random < 1:
        return fail(f"--random needs a number of play-throughs of at least 1, not {args.random}")
    if args.run is not None and args.random is None:
        return fail("--run prints one of the random play-throughs: give --random N too")
    story = load_or_report(args.story, "boardroom explore")
    if story is None:
        return 1
    sides: list[str] = []
    for side in args.side or list(story.sides):
        if side not in story.sides:
            return fail(f"unknown side {side!r} (this story's sides: {', '.join(story.sides)})")
        if side not in sides:
            sides.append(side)
    if args.out:
        out = Path(args.out)
        if out.exists() and not out.is_dir():
            return fail(f"--out {args.out!r} is a file; give a folder for the run files")
    if args.shape:
        return run_shape(story, args, sides)
    if args.random is not None:
        if args.run is not None:
            return print_run(story, args, sides)
        return run_random(story, args, sides)
    return run_exhaustive(story, args, sides)

