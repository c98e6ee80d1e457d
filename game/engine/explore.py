"""Playing every branch by machine: exhaustive exploration and seeded random play-throughs.

`explore_side` walks every reachable state of one side breadth-first, keyed by what the
rest of the story can still observe (the scene, the class of each variable's value that some
later read can tell apart, and the visits some later `seen()` reads: `classes.py`, `live.py`),
applying effects as the engine's own `choose` does, so what it finds is what a player would
meet. Breadth-first order makes the first path found to any state a shortest one. `random_runs` plays whole games choosing at random, like
ChoiceScript's randomtest, and counts what it saw.

Pure: no I/O. A front end passes a `progress` callback to show how far it has got.
"""

from __future__ import annotations

import random
import time
from array import array
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable, Optional

from game.engine.lint import reachable_scenes
from game.engine.classes import Computed, Plan, StateKeys, Tabled
from game.engine.play import play
from game.engine.state import ChoiceError, State, choose, new_state
from game.engine.rules import Condition
from game.engine.story import Choice, Story, Value
from game.engine.text import Template
from game.records import record

TextRef = tuple[str, str, str]
"""A text with passages: (scene id, "text" | "headline" | "label" | "outcome", choice id or "")."""

Edge = tuple[Choice, Optional[Condition], Optional[TextRef], Tabled, Computed, str,
             Optional[frozenset[str]], frozenset[str], Optional[tuple[TextRef, Template]]]
"""A choice as the explorer takes it: the choice, its condition, its label's ref (None: no
passages), what it does to the values, its target, the visits to keep (None: all) and to add,
its outcome's ref and text (None: no passages)."""

Progress = Callable[[int, int], None]
"""Called now and then with (work done, work expected or 0 when unknown)."""

PROGRESS_EVERY = 4096


@record
class Stuck:
    """A reachable state that is not an ending: a soft lock (no choice available) or a trap.

    `path` is the shortest list of choice ids from the side's start; `states` how many distinct
    states of this kind share the scene (they differ in variables or visits).
    """

    side: str
    scene: str
    path: tuple[str, ...]
    values: dict[str, Value]
    seen: frozenset[str]
    states: int


@dataclass
class SideExploration:
    """Everything exhaustive exploration of one side found."""

    side: str
    states: int = 0
    transitions: int = 0
    complete: bool = True
    """False when `max_states` stopped the exploration; then every count is a lower bound."""
    max_states: int = 0
    seconds: float = 0.0
    endings: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Ending scene id -> a shortest path (choice ids) that reaches it."""
    scenes: set[str] = field(default_factory=set)
    """Scenes reached."""
    choices: set[tuple[str, str]] = field(default_factory=set)
    """(scene, choice) pairs taken at least once."""
    static_scenes: set[str] = field(default_factory=set)
    """Scenes that gotos reach from this side's start, ignoring conditions: the coverage target."""
    static_choices: set[tuple[str, str]] = field(default_factory=set)
    soft_locks: list[Stuck] = field(default_factory=list)
    """One entry per scene where some reachable state has no available choice."""
    traps: list[Stuck] = field(default_factory=list)
    """One entry per scene where some reachable state has choices but can never reach an ending."""
    max_depth: int = 0
    shown: set[tuple[TextRef, int, int]] = field(default_factory=set)
    """(text, passage number, arm index) of every passage arm some reached state shows."""
    read: set[TextRef] = field(default_factory=set)
    """Texts with passages that some reached state shows: the target `unshown_arms` measures."""
    arm_counts: dict[TextRef, tuple[int, ...]] = field(default_factory=dict)
    """Per text read: how many arms each of its passages has, by passage number."""

    @property
    def unshown_arms(self) -> list[tuple[TextRef, int, int]]:
        """Arms of passages in texts a player reads that no reachable state shows."""
        out = []
        for ref in sorted(self.read):
            for number, arms in enumerate(self.arm_counts[ref]):
                out += [(ref, number, a) for a in range(arms) if (ref, number, a) not in self.shown]
        return out

    @property
    def states_per_second(self) -> float:
        return self.states / self.seconds if self.seconds > 0 else float(self.states)

    @property
    def missed_scenes(self) -> list[str]:
        return sorted(self.static_scenes - self.scenes)

    @property
    def missed_choices(self) -> list[tuple[str, str]]:
        """Choices in reached scenes that were never available: their conditions never hold."""
        return sorted(c for c in self.static_choices - self.choices if c[0] in self.scenes)

    @property
    def ok(self) -> bool:
        return self.complete and not self.soft_locks and not self.traps


StateKey = tuple[str, tuple[Value, ...], frozenset[str]]
"""A state as exploring tells states apart: scene, each value's class there (its smallest
value), the visits that still matter there."""

def _path(parent: "array[int]", via: list[str], index: int) -> tuple[str, ...]:
    out: list[str] = []
    while index > 0:
        out.append(via[index])
        index = parent[index]
    out.reverse()
    return tuple(out)


def explore_side(story: Story, side: str, *, max_states: int = 1_000_000,
                 progress: Optional[Progress] = None, keying: Optional[StateKeys] = None) -> SideExploration:
    """Every state reachable from `side`'s start, breadth-first, up to `max_states` states.

    States are keyed by what the rest of the story can observe (`classes.StateKeys`): in each
    scene, a variable keeps only the class of its value that the reads from there on can tell
    apart (none at all when nothing reads it again), and a visit no later `seen()` reads is
    forgotten. States that share a key play alike to every ending and show the same passages,
    so the endings (with shortest paths), coverage, soft locks, traps and passages found are
    those of the full state space, in far fewer states; `states` counts keys. What a stuck
    state's report shows (its variables and visits) is the real state, played again along its
    path. `keying` lets several sides share one analysis of the story.
    """
    began = time.perf_counter()
    report = SideExploration(side, max_states=max_states)
    report.static_scenes = reachable_scenes(story, [story.sides[side].start])
    report.static_choices = {(sid, c.id) for sid in report.static_scenes for c in story.scenes[sid].choices}

    if keying is None:
        keying = StateKeys(story)
    watch = keying.seen
    observed = story.observed_seen
    start = new_state(story, side)
    scenes = story.scenes
    var_names = story.var_names
    first: StateKey = (start.scene, keying.start(start.scene, start.values),
                       start.seen & watch[start.scene] if start.seen else start.seen)
    index: dict[StateKey, int] = {first: 0}
    keys: list[StateKey] = [first]
    parent = array("l", [-1])
    depth = array("l", [0])
    via: list[str] = [""]
    # successors in compressed rows: the edges of state i are dst[offsets[i]:offsets[i + 1]]
    offsets = array("l", [0])
    dst = array("l")
    is_ending = bytearray()
    soft: dict[str, list[int]] = {}
    taken = report.choices
    reached = report.scenes
    shown = report.shown
    read = report.read
    # Passages are read where the player reads them: a scene's texts in the state at the scene,
    # a choice's outcome in the state it leads to. Only texts with passages cost anything, each
    # once per state (an outcome once per state it leads to), never once per edge.
    scene_texts: dict[str, tuple[tuple[TextRef, Template], ...]] = {}
    outcome_done: set[tuple[int, int]] = set()

    def note(ref: TextRef, template: Template, env: dict[str, Value], contains: Callable[[str], bool]) -> None:
        if ref not in read:
            read.add(ref)
            report.arm_counts[ref] = tuple(len(p.arms) for p in sorted(template.all_passages(), key=lambda p: p.number))
        for number, arm in template.shown(env, contains):
            shown.add((ref, number, arm))

    # Per scene, each choice with what taking it does to a key, worked out once: the plan for
    # the values, and for the visits which to keep (None: all of them, the target reads every
    # visit this scene does) and which to add (the target's own, when a later seen() asks).
    edges: dict[str, tuple[Edge, ...]] = {}

    def edge(scene_id: str, c: Choice, plan: Plan) -> Edge:
        tabled, computed = plan
        target = c.goto
        keep = None if watch[scene_id] <= watch[target] else watch[target]
        visit = frozenset({target}) & watch[target] if target in observed else frozenset()
        return (c, c.condition, (scene_id, "label", c.id) if c.label.passages else None, tabled, computed, target,
                keep, visit, ((scene_id, "outcome", c.id), c.outcome) if c.outcome is not None and c.outcome.passages else None)

    i = 0
    while i < len(keys):
        if progress is not None and i % PROGRESS_EVERY == 0:
            progress(i, 0)
        scene_id, values, seen = keys[i]
        scene = scenes[scene_id]
        reached.add(scene_id)
        texts = scene_texts.get(scene_id)
        if texts is None:
            texts = scene_texts[scene_id] = tuple(
                ((scene_id, kind, ""), t) for kind, t in (("text", scene.body), ("headline", scene.news)) if t.passages)
        if scene.ending is not None:
            if texts:
                env = dict(zip(var_names, values))
                for ref, template in texts:
                    note(ref, template, env, seen.__contains__)
            is_ending.append(1)
            if scene_id not in report.endings:  # one path per ending, not one per ending state
                report.endings[scene_id] = _path(parent, via, i)
            offsets.append(len(dst))
            i += 1
            continue
        is_ending.append(0)
        env = dict(zip(var_names, values))
        contains = seen.__contains__
        for ref, template in texts:
            note(ref, template, env, contains)
        available = 0
        moves = edges.get(scene_id)
        if moves is None:
            moves = edges[scene_id] = tuple(edge(scene_id, c, plan) for c, plan in zip(scene.choices, keying.plans(scene_id)))
        for c, condition, label, tabled, computed, goto, keep, visit, outcome in moves:
            if condition is not None and not condition.holds(env, contains):
                if label is not None and not c.hidden:  # a locked choice still shows its label
                    note(label, c.label, env, contains)
                continue
            if label is not None:
                note(label, c.label, env, contains)
            available += 1
            taken.add((scene_id, c.id))
            after = values
            if tabled or computed:
                out = list(values)
                for p, low, table in tabled:
                    out[p] = table[out[p] - low]
                for p, fn in computed:
                    out[p] = fn(out[p])
                after = tuple(out)
            after_seen = seen & keep if keep is not None and seen else seen
            if visit:
                after_seen = after_seen | visit
            key = (goto, after, after_seen)
            j = index.get(key)
            if j is None:
                if len(keys) >= max_states:
                    report.complete = False
                    continue
                j = len(keys)
                index[key] = j
                keys.append(key)
                parent.append(i)
                depth.append(depth[i] + 1)
                via.append(c.id)
            if outcome is not None and (id(c), j) not in outcome_done:
                outcome_done.add((id(c), j))
                _, after, after_seen = keys[j]
                note(outcome[0], outcome[1], dict(zip(var_names, after)), after_seen.__contains__)
            dst.append(j)
        if not available:
            soft.setdefault(scene_id, []).append(i)
        offsets.append(len(dst))
        i += 1

    report.states = len(keys)
    report.transitions = len(dst)
    report.max_depth = max(depth) if len(depth) else 0

    def stuck(ids: list[int]) -> Stuck:
        path = _path(parent, via, ids[0])
        state = replay_path(story, side, path)
        return Stuck(side, state.scene, path, state.vars(story), state.seen, len(ids))

    report.soft_locks = [stuck(ids) for ids in soft.values()]
    if report.complete:
        report.traps = [stuck(ids) for ids in _traps(keys, offsets, dst, is_ending, soft).values()]
    report.soft_locks.sort(key=lambda s: (len(s.path), s.scene))
    report.traps.sort(key=lambda s: (len(s.path), s.scene))
    report.seconds = time.perf_counter() - began
    if progress is not None:
        progress(report.states, report.states)
    return report


def _traps(keys: list[StateKey], offsets: "array[int]", dst: "array[int]", is_ending: bytearray,
           soft: dict[str, list[int]]) -> dict[str, list[int]]:
    """States that have choices but from which no ending can be reached, grouped by scene.

    Walks the edges backwards from every ending state; what the walk never meets is trapped.
    """
    n = len(keys)
    # reverse edges, compressed the same way
    counts = array("l", [0]) * (n + 1)
    for j in dst:
        counts[j + 1] += 1
    for k in range(n):
        counts[k + 1] += counts[k]
    fill = array("l", counts)
    src = array("l", [0]) * len(dst)
    for i in range(n):
        for e in range(offsets[i], offsets[i + 1]):
            j = dst[e]
            src[fill[j]] = i
            fill[j] += 1
    alive = bytearray(is_ending)
    stack = [k for k in range(n) if is_ending[k]]
    while stack:
        j = stack.pop()
        for e in range(counts[j], counts[j + 1]):
            i = src[e]
            if not alive[i]:
                alive[i] = 1
                stack.append(i)
    locked = {i for ids in soft.values() for i in ids}
    out: dict[str, list[int]] = {}
    for k in range(n):
        if not alive[k] and k not in locked:
            out.setdefault(keys[k][0], []).append(k)
    return out


def explore(story: Story, sides: Optional[list[str]] = None, *, max_states: int = 1_000_000,
            progress: Optional[Callable[[str, int, int], None]] = None) -> list[SideExploration]:
    """`explore_side` for each of `sides` (every side by default), each with its own state budget."""
    out = []
    keying = StateKeys(story)  # what the sides share: the analysis, and each scene's plans
    for side in sides or list(story.sides):
        cb = (lambda done, total, _s=side: progress(_s, done, total)) if progress else None
        out.append(explore_side(story, side, max_states=max_states, progress=cb, keying=keying))
    return out


def unreached_endings(story: Story, reports: list[SideExploration]) -> list[str]:
    """Endings that no explored side reached (meaningful only when every side was explored)."""
    reached = {e for r in reports for e in r.endings}
    return sorted(set(story.endings) - reached)


# ----------------------------------------------------------------------------- random play


@dataclass
class RandomReport:
    """What `runs` seeded random play-throughs of one side met, with hit counts."""

    side: str
    runs: int
    seed: int
    max_steps: int
    scene_hits: Counter[str] = field(default_factory=Counter)
    choice_hits: Counter[tuple[str, str]] = field(default_factory=Counter)
    endings: Counter[str] = field(default_factory=Counter)
    soft_locks: dict[str, tuple[int, State]] = field(default_factory=dict)
    """Scene -> (the first run that got stuck there, its final state with the whole trail)."""
    soft_lock_runs: Counter[str] = field(default_factory=Counter)
    unfinished: int = 0
    """Runs still going after `max_steps` choices: the story loops."""
    unfinished_example: Optional[tuple[int, State]] = None
    steps: int = 0
    seconds: float = 0.0
    static_scenes: set[str] = field(default_factory=set)

    @property
    def missed_scenes(self) -> list[str]:
        return sorted(self.static_scenes - set(self.scene_hits))


def run_seed(seed: int, side: str, run: int) -> str:
    """The seed of one play-through: each run can be replayed on its own."""
    return f"{seed}:{side}:{run}"


def random_play(story: Story, side: str, rng: random.Random, max_steps: int) -> State:
    """One play-through choosing uniformly among the available choices, until an ending,
    a state with no choice, or `max_steps` choices."""
    state = new_state(story, side)
    var_names = story.var_names
    for _ in range(max_steps):
        scene = story.scenes[state.scene]
        if scene.ending is not None:
            break
        env = dict(zip(var_names, state.values))
        contains = state.seen.__contains__
        options = [c.id for c in scene.choices if c.condition is None or c.condition.holds(env, contains)]
        if not options:
            break
        state = choose(story, state, rng.choice(options))
    return state


def random_runs(story: Story, side: str, runs: int, seed: int = 0, *, max_steps: int = 1000,
                progress: Optional[Progress] = None) -> RandomReport:
    """`runs` random play-throughs of `side`; run `i` is seeded with `run_seed(seed, side, i)`."""
    began = time.perf_counter()
    report = RandomReport(side, runs, seed, max_steps)
    report.static_scenes = reachable_scenes(story, [story.sides[side].start])
    every = max(1, runs // 200)
    for i in range(runs):
        if progress is not None and i % every == 0:
            progress(i, runs)
        state = random_play(story, side, random.Random(run_seed(seed, side, i)), max_steps)
        steps = state.steps()
        report.steps += len(steps)
        for step in steps:
            report.scene_hits[step.scene] += 1
            report.choice_hits[(step.scene, step.choice)] += 1
        report.scene_hits[state.scene] += 1
        scene = story.scenes[state.scene]
        if scene.ending is not None:
            report.endings[state.scene] += 1
        elif len(steps) >= max_steps:
            report.unfinished += 1
            if report.unfinished_example is None:
                report.unfinished_example = (i, state)
        else:
            report.soft_lock_runs[state.scene] += 1
            report.soft_locks.setdefault(state.scene, (i, state))
    report.seconds = time.perf_counter() - began
    if progress is not None:
        progress(runs, runs)
    return report


def replay_path(story: Story, side: str, path: tuple[str, ...]) -> State:
    """The state at the end of `path`, with its whole trail: what a run file records.

    The path comes from exploring this very story, so every step fits; a step that does not
    is a bug in the explorer and raises `ChoiceError`.
    """
    played = play(story, side, path)
    if played.divergence is not None:
        raise ChoiceError("unknown-choice", played.divergence.line())
    return played.state
