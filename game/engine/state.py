"""Playing a story: the state of a run, what the player sees, and what a choice does.

`view(story, state)` and `choose(story, state, choice_id)` are the whole engine. Both are
pure: the same story and state give the same answer, always. A `State` is immutable and
cheap to keep, so undo is just holding on to an older one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import field
import typing
from typing import Iterator, Mapping, Optional

from game.engine.rules import BoolOp, Compare, Condition, Literal, Name, Node, Not, Seen
from game.engine.story import Choice, Ending, Scene, Source, Story, Value
from game.records import record


MeterDisplay = typing.Literal["meter", "scale", "bool"]
ChoiceErrorKind = typing.Literal["unknown-side", "unknown-scene", "ending", "unknown-choice", "locked"]


class ChoiceError(Exception):
    """A choice that cannot be taken from this state. `kind` says why, for replay reports."""

    def __init__(self, kind: ChoiceErrorKind, message: str):
        super().__init__(message)
        self.kind: ChoiceErrorKind = kind


@record
class Step:
    """One choice made: where the player was, what they picked, and when (in-game)."""

    scene: str
    choice: str
    at: dt.datetime


@record(eq=False)
class Trail:
    """The steps so far as a linked list, so a choice never copies the whole history."""

    step: Step
    prev: Optional["Trail"]
    length: int


@record
class State:
    side: str
    scene: str
    values: tuple[Value, ...]
    """Variable values, in `story.var_names` order."""
    seen: frozenset[str]
    """Visited scenes that some condition can observe (`story.observed_seen`); nothing else."""
    trail: Optional[Trail] = field(default=None, compare=False)
    """Left out of == and hash: comparing histories would recurse through every step."""

    @property
    def key(self) -> tuple[str, tuple[Value, ...], frozenset[str]]:
        """What distinguishes two states for play: two states with one key play alike."""
        return (self.scene, self.values, self.seen)

    @property
    def length(self) -> int:
        return self.trail.length if self.trail else 0

    def steps(self) -> list[Step]:
        out: list[Step] = []
        node = self.trail
        while node is not None:
            out.append(node.step)
            node = node.prev
        out.reverse()
        return out

    def visited(self) -> list[str]:
        """Every scene this run has been in, in order, ending with the current one."""
        return [s.scene for s in self.steps()] + [self.scene]

    def vars(self, story: Story) -> dict[str, Value]:
        return dict(zip(story.var_names, self.values))


def new_state(story: Story, side: str) -> State:
    """The state at the start of `side`."""
    s = story.sides.get(side)
    if s is None:
        raise ChoiceError("unknown-side", f"unknown side {side!r} (sides: {', '.join(story.sides)})")
    values = tuple(s.start_values[name] for name in story.var_names)
    seen = frozenset({s.start} & story.observed_seen)
    return State(side, s.start, values, seen)


def start_at(story: Story, side: str, scene: str, values: Optional[Mapping[str, Value]] = None) -> State:
    """A state on `side` in `scene` with the side's start values, some replaced by `values`:
    for authors, to play or test from anywhere. `ChoiceError` for an unknown side or scene,
    `ValueError` for an unknown variable or a value of the wrong type; an int outside its
    range clamps, like an effect."""
    state = new_state(story, side)
    if scene not in story.scenes:
        raise ChoiceError("unknown-scene", f"unknown scene {scene!r}")
    current = state.vars(story)
    for name, value in (values or {}).items():
        var = story.vars.get(name)
        if var is None:
            raise ValueError(f"unknown variable {name!r} (variables: {', '.join(story.var_names)})")
        if (var.type == "bool") != isinstance(value, bool):
            raise ValueError(f"variable {name!r} is {var.type}; {value!r} does not fit")
        current[name] = var.clamp(value)
    return State(side, scene, tuple(current[n] for n in story.var_names), frozenset({scene} & story.observed_seen))


def available(story: Story, state: State, choice: Choice) -> bool:
    if choice.condition is None:
        return True
    return choice.condition.holds(state.vars(story), state.seen.__contains__)


def choose(story: Story, state: State, choice_id: str) -> State:
    """The state after taking `choice_id`; `ChoiceError` if it cannot be taken here."""
    scene = story.scenes.get(state.scene)
    if scene is None:
        raise ChoiceError("unknown-scene", f"scene {state.scene!r} is not in the story")
    if scene.ending is not None:
        raise ChoiceError("ending", f"scene {scene.id!r} is an ending; the run is over")
    choice = scene.choice(choice_id)
    if choice is None:
        ids = ", ".join(c.id for c in scene.choices)
        raise ChoiceError("unknown-choice", f"scene {scene.id!r} has no choice {choice_id!r} (choices: {ids})")
    values = state.vars(story)
    if choice.condition is not None and not choice.condition.holds(values, state.seen.__contains__):
        raise ChoiceError("locked", f"choice {choice_id!r} in scene {scene.id!r} is locked: {reason(story, state, choice)}")
    for effect in choice.effects:
        var = story.vars[effect.var]
        new = values[effect.var] + effect.value if effect.op == "add" else effect.value
        values[effect.var] = var.clamp(new)
    seen = state.seen | {choice.goto} if choice.goto in story.observed_seen else state.seen
    trail = Trail(Step(scene.id, choice.id, scene.at), state.trail, state.length + 1)
    return State(state.side, choice.goto, tuple(values[n] for n in story.var_names), seen, trail)


# ----------------------------------------------------------------------------- what the player sees


@record
class ChoiceView:
    id: str
    text: str
    available: bool
    reason: Optional[str]
    """Why a locked choice is locked, in words a player can read; None when available."""


@record
class Meter:
    name: str
    label: str
    description: str
    value: Value
    min: int
    max: int
    display: MeterDisplay
    words: tuple[str, ...] = ()
    """A scale's words for where it rests (see `Var.words`)."""
    meaning: str = ""
    """What the meter means for the side being played (the story's `meaning`), or ""."""
    short: str = ""
    """The label where the meters share one line (the story's `short`, else the label)."""


@record
class View:
    scene: Scene
    side: str
    at: dt.datetime
    progress: float
    """How far through the story's window the clock is, 0.0 to 1.0."""
    day: int
    """Which day of the story's window this is, from 1."""
    days: int
    sources: tuple[Source, ...]
    meters: tuple[Meter, ...]
    choices: tuple[ChoiceView, ...]
    step: int
    text: str
    """The scene's text as this state shows it: passages chosen, values filled in."""
    headline: str
    """The scene's headline as this state shows it; empty when it has none."""
    outcome: str
    """What the choice that led here made happen, read before the text; empty when none."""
    outcome_recorded: bool = True
    """False when that choice is off the documented path: the outcome is a what-if, whatever the
    scene's own provenance."""

    @property
    def title(self) -> str:
        return self.scene.title

    @property
    def provenance(self) -> str:
        return self.scene.provenance

    @property
    def ending(self) -> Optional[Ending]:
        return self.scene.ending


def view(story: Story, state: State) -> View:
    """Everything a front end needs to show `state`: text, clock, provenance, meters, choices."""
    scene = story.scenes[state.scene]
    values = state.vars(story)
    seen = state.seen.__contains__
    choices = []
    for c in scene.choices:
        ok = c.condition is None or c.condition.holds(values, seen)
        if not ok and c.hidden:
            continue
        choices.append(ChoiceView(c.id, c.label.render(values, seen), ok, None if ok else reason(story, state, c)))
    meters = tuple(
        Meter(v.name, v.label, v.description, values[v.name], v.min, v.max, "bool" if v.type == "bool" else v.display,
              v.words, v.meaning_for(state.side), v.short or v.label)
        for v in story.vars.values()
        if v.show and v.side in ("", state.side)
    )
    span = (story.ends - story.begins).total_seconds() or 1.0
    progress = min(1.0, max(0.0, (scene.at - story.begins).total_seconds() / span))
    sources = tuple(story.sources[s] for s in scene.sources if s in story.sources)
    first = story.begins.date()
    day = (scene.at.date() - first).days + 1
    days = max(1, (story.ends - story.begins - dt.timedelta(seconds=1)).days + 1)
    return View(scene, state.side, scene.at, progress, day, days, sources, meters, tuple(choices), state.length,
                scene.body.render(values, seen), scene.news.render(values, seen), outcome(story, state),
                outcome_on_record(story, state))


def outcome(story: Story, state: State) -> str:
    """The outcome of the choice that led to `state`, rendered with the values it left behind."""
    if state.trail is None:
        return ""
    step = state.trail.step
    before = story.scenes.get(step.scene)
    choice = before.choice(step.choice) if before is not None else None
    if choice is None or choice.outcome is None:
        return ""
    return choice.outcome.render(state.vars(story), state.seen.__contains__)


def on_record(story: Story, side: str, scene_id: str, choice_id: str) -> bool:
    """Whether taking `choice_id` in `scene_id` is what the side's documented path does.

    An outcome sits at the top of the next scene, under that scene's provenance badge; an outcome
    of a choice off the record is invented, and front ends say so rather than let the badge vouch
    for it. The documented path is short, so it is walked on each call rather than stored.
    """
    scene = story.scenes.get(story.sides[side].start) if side in story.sides else None
    for cid in story.history.get(side, ()):
        if scene is None:
            return False
        if scene.id == scene_id:
            return cid == choice_id
        choice = scene.choice(cid)
        scene = story.scenes.get(choice.goto) if choice is not None else None
    return False


def outcome_on_record(story: Story, state: State) -> bool:
    """Whether the outcome `view` shows for `state` follows a choice on the documented path."""
    if state.trail is None:
        return True
    step = state.trail.step
    return on_record(story, state.side, step.scene, step.choice)


def headline(story: Story, state: State) -> str:
    """The headline of `state`'s scene as this state shows it; empty when the scene has none."""
    scene = story.scenes.get(state.scene)
    if scene is None or not scene.headline:
        return ""
    return scene.news.render(state.vars(story), state.seen.__contains__)


def choice_label(story: Story, state: State, choice: Choice) -> str:
    """`choice`'s label as the player read it in `state` (the state the choice was made in)."""
    return choice.label.render(state.vars(story), state.seen.__contains__)


def reason(story: Story, state: State, choice: Choice) -> str:
    """Why `choice` is locked: the author's words if given, else the failing parts of its condition."""
    if choice.locked:
        return choice.locked
    assert choice.condition is not None
    return explain(story, choice.condition, state)


def explain(story: Story, condition: Condition, state: State) -> str:
    values = state.vars(story)
    env = (values, state.seen.__contains__)
    parts = list(_failing(story, condition.tree, env))
    return "; ".join(parts) if parts else f"needs {condition.text}"


def _failing(story: Story, node: Node, env: tuple[Mapping[str, Value], object]) -> Iterator[str]:
    if node.eval(env):  # type: ignore[arg-type]
        return
    if isinstance(node, BoolOp) and node.op == "and":
        for part in node.operands:
            yield from _failing(story, part, env)
        return
    yield _describe(story, node, env)


_WORDS = {">=": "at least", ">": "more than", "<=": "at most", "<": "less than", "==": "exactly", "!=": "not"}


def _describe(story: Story, node: Node, env: tuple[Mapping[str, Value], object]) -> str:
    values = env[0]
    if isinstance(node, Compare) and isinstance(node.left, Name) and isinstance(node.right, Literal):
        var = story.vars[node.left.name]
        now = values[node.left.name]
        if var.type == "bool":
            return f"needs {var.label} to be {'yes' if node.right.value == (node.op == '==') else 'no'}"
        return f"needs {var.label} {_WORDS[node.op]} {node.right.value} (now {now})"
    if isinstance(node, Name):
        return f"needs {story.vars[node.name].label}"
    if isinstance(node, Not) and isinstance(node.operand, Name):
        return f"only without {story.vars[node.operand.name].label}"
    if isinstance(node, Seen):
        scene = story.scenes.get(node.scene)
        return f"only after “{scene.title if scene else node.scene}”"
    if isinstance(node, Not) and isinstance(node.operand, Seen):
        scene = story.scenes.get(node.operand.scene)
        return f"not after “{scene.title if scene else node.operand.scene}”"
    if isinstance(node, BoolOp) and node.op == "or":
        phrases = [_alternative(story, p, env) for p in node.operands]
        return "needs " + ", ".join(phrases[:-1]) + " or " + phrases[-1]
    return f"needs {node.source()}"


def _alternative(story: Story, node: Node, env: tuple[Mapping[str, Value], object]) -> str:
    """One alternative of an `or`, phrased to follow "needs": the reason reads as one sentence,
    "needs Trust at least 6 (now 4) or to have seen “The call”"."""
    words = _describe(story, node, env)
    for prefix, replacement in (("needs ", ""), ("only after ", "to have seen "), ("not after ", "not to have seen "),
                                ("only without ", "no ")):
        if words.startswith(prefix):
            return replacement + words[len(prefix):]
    return words
