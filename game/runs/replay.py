"""Loading and replaying runs: the snapshot when the story is unchanged, else the steps again.

On an edited story a run's steps are played again (`game.engine.play`), so a save says exactly
which step stopped fitting and why, and `verify` also checks that it still ends where it ended.
"""

from __future__ import annotations

from typing import Optional, Sequence

from game.engine import State, Story
from game.engine.play import Divergence, StepLike, play, scene_name
from game.engine.state import Step, Trail
from game.records import record
from game.runs.model import RunError, RunFile, Unplayable, run_from_state


@record
class Resumed:
    """The outcome of loading or replaying a run."""

    state: State
    """The run's state when everything fits; otherwise the state after the last step that fits."""
    divergence: Optional[Divergence]
    replayed: bool
    """True when the steps were played again (the fingerprint differed, or the snapshot did not fit)."""

    @property
    def steps_fit(self) -> int:
        """How many recorded steps the state includes: 'continue from step N'."""
        return self.state.length


def _check_playable(story: Story, story_id: str, side: str, steps: Sequence[StepLike], fallback_scene: str) -> None:
    first = steps[0] if steps else None
    scene = first.scene if first else fallback_scene
    choice = first.choice if first else ""
    if story_id != story.id:
        raise Unplayable(Divergence(1 if first else 0, scene, choice, "foreign-story",
                                    f"this run belongs to story {story_id!r}, not to {story.id!r}"))
    if side not in story.sides:
        raise Unplayable(Divergence(1 if first else 0, scene, choice, "unknown-side",
                                    f"this story has no side {side!r} any more (sides: {', '.join(story.sides)})"))


def replay(story: Story, side: str, steps: Sequence[StepLike]) -> Resumed:
    """Play `steps` again from `side`'s start: the final state, or the last that fits and why not.

    Raises `Unplayable` when the story has no such side.
    """
    _check_playable(story, story.id, side, steps, "")
    played = play(story, side, steps)
    return Resumed(played.state, played.divergence, True)


def states(story: Story, run: RunFile) -> tuple[list[State], Optional[Divergence]]:
    """Every state of `run` (index i = after i steps) up to the last that fits, and the divergence.

    For the replay viewer: step forward and back, jump to a step, take over from any of them.
    Raises `Unplayable` for another story's run or a side that is gone.
    """
    _check_playable(story, run.story_id, run.side, run.steps, run.snapshot.scene)
    played = play(story, run.side, run.steps)
    if played.divergence is not None:
        return list(played.states), played.divergence
    return list(played.states), _end_check(story, run, played.state)


def branch(story: Story, run: RunFile, step: int, *, label: str = "") -> RunFile:
    """A new run that takes over `run` after its first `step` steps ("take over from here")."""
    if not 0 <= step <= len(run.steps):
        raise RunError(f"cannot branch at step {step}: the run has {len(run.steps)} steps")
    _check_playable(story, run.story_id, run.side, run.steps, run.snapshot.scene)
    resumed = replay(story, run.side, run.steps[:step])
    if resumed.divergence is not None:
        raise RunError(f"cannot branch at step {step}: {resumed.divergence.line()}")
    return run_from_state(story, resumed.state, label=label)


def resume(story: Story, run: RunFile) -> Resumed:
    """Load `run` on `story`: the snapshot when the story is unchanged and it checks out, else a replay.

    Raises `Unplayable` when the run belongs to another story or its side is gone.
    """
    _check_playable(story, run.story_id, run.side, run.steps, run.snapshot.scene)
    if run.fingerprint == story.fingerprint:
        state = _from_snapshot(story, run)
        if state is not None:
            return Resumed(state, None, False)
    return verify(story, run)


def verify(story: Story, run: RunFile) -> Resumed:
    """Replay `run` on `story` whatever the fingerprint, and check it ends where it ended.

    This is `boardroom replay --verify`: a run fits when every step can be taken and it reaches
    the same ending (or, unfinished, the same scene) as when it was saved.
    """
    _check_playable(story, run.story_id, run.side, run.steps, run.snapshot.scene)
    result = replay(story, run.side, run.steps)
    if result.divergence is None:
        divergence = _end_check(story, run, result.state)
        if divergence is not None:
            return Resumed(result.state, divergence, True)
    return result


def _end_check(story: Story, run: RunFile, state: State) -> Optional[Divergence]:
    """All steps fit; does the run still end (or stand) where it did?"""
    scene = story.scenes[state.scene]
    now_ending = state.scene if scene.ending is not None else None
    last = run.steps[-1] if run.steps else None
    step, at, choice = (len(run.steps), last.scene, last.choice) if last else (0, state.scene, "")
    if run.ending is not None or now_ending is not None:
        if now_ending == run.ending:
            return None
        if run.ending is None:
            why = f"the same choices now end the story, in {scene_name(story, state.scene)}"
        elif now_ending is None:
            why = (f"the same choices no longer reach the ending {scene_name(story, run.ending)}; "
                   f"they stop at {scene_name(story, state.scene)}")
        else:
            why = f"the same choices now end in {scene_name(story, now_ending)}, not in {scene_name(story, run.ending)}"
        return Divergence(step, at, choice, "ending-changed", why)
    if last is not None and state.scene != run.snapshot.scene:
        why = (f"step {step}'s choice {last.choice!r} now leads to {scene_name(story, state.scene)}, "
               f"not to {scene_name(story, run.snapshot.scene)}")
        return Divergence(step, at, choice, "wrong-scene", why)
    return None


def _from_snapshot(story: Story, run: RunFile) -> Optional[State]:
    """The snapshot as a State if it is consistent with the story and the steps; None otherwise."""
    snap = run.snapshot
    side = story.sides.get(run.side)
    scene = story.scenes.get(snap.scene)
    if side is None or scene is None:
        return None
    if set(snap.values) != set(story.var_names):
        return None
    for name, value in snap.values.items():
        var = story.vars[name]
        if var.type == "bool":
            if not isinstance(value, bool):
                return None
        elif isinstance(value, bool) or not var.min <= value <= var.max:
            return None
    seen = frozenset(snap.seen)
    if not seen <= story.observed_seen:
        return None
    if run.ending != (snap.scene if scene.ending is not None else None):
        return None
    if run.steps:
        first, last = run.steps[0], run.steps[-1]
        if first.scene != side.start:
            return None
        last_scene = story.scenes.get(last.scene)
        choice = last_scene.choice(last.choice) if last_scene is not None else None
        if choice is None or choice.goto != snap.scene:
            return None
    elif snap.scene != side.start:
        return None
    trail: Optional[Trail] = None
    for i, rec in enumerate(run.steps, 1):
        trail = Trail(Step(rec.scene, rec.choice, rec.at), trail, i)
    return State(run.side, snap.scene, tuple(snap.values[n] for n in story.var_names), seen, trail)
