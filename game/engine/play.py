"""Playing recorded choices again: the one way every part of the game replays a path.

A save being loaded on an edited story, the replay viewer, the explorer's soft-lock runs, the
loader's check of the documented paths and the app keeping the player's place after a reload
all play a list of choice ids from a side's start. They share `play`, so they agree on what
"still fits" means and say the same words when a step stops fitting.
"""

from __future__ import annotations

from typing import Literal, Optional, Protocol, Sequence, Union

from game.engine.safe_text import shown
from game.engine.state import ChoiceError, State, choose, new_state, reason as locked_reason
from game.engine.story import Story
from game.records import record

DivergenceKind = Literal[
    "scene-gone", "choice-gone", "locked", "wrong-scene", "now-ending", "ending-changed",
    "unknown-side", "foreign-story", "unknown-scene", "ending", "unknown-choice",
]
"""Why a recorded run stops fitting. The last three are `ChoiceError` kinds passed through."""


def one_line(text: str) -> str:
    """`text` with line breaks, controls and bidi characters escaped, so a message stays one line
    and a file cannot reach the terminal through it (see `game.engine.safe_text`)."""
    return shown(text, 2000)


class StepLike(Protocol):
    """A recorded step: a step from a run file, or the engine's own `Step` from `State.steps()`."""

    @property
    def scene(self) -> str: ...

    @property
    def choice(self) -> str: ...


Move = Union[str, StepLike]
"""A choice id, or a recorded (scene, choice) step whose scene is checked as well."""


@record
class Divergence:
    """Where a recorded run stops fitting the current story, in words a player can read."""

    step: int
    """1-based index of the first step that no longer fits. For `ending-changed` (and a final
    `wrong-scene`) every step fits but the last now leads elsewhere: it is the last step, and
    the state includes it. 0 means the side's start, for a run with no steps."""
    scene: str
    choice: str
    kind: DivergenceKind
    reason: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "reason", one_line(self.reason))  # story titles or ids could hold a line break

    def line(self) -> str:
        """'step 2 (alpha.noon, choice 'fight'): locked: ...' — one line for logs and the shell."""
        if self.step == 0 or not self.choice:
            where = f"step {self.step}" if self.step else "the start"
            return f"{where}: {self.kind}: {self.reason}"
        return (f"step {self.step} ({shown(self.scene, 80)}, choice {shown(repr(self.choice), 80)}): "
                f"{self.kind}: {self.reason}")


@record
class Played:
    """Every state of a path from the side's start (index i = after i steps), up to the last that fits."""

    states: tuple[State, ...]
    divergence: Optional[Divergence]
    """Why the next step could not be taken, or None when every step was."""

    @property
    def state(self) -> State:
        return self.states[-1]


def play(story: Story, side: str, moves: Sequence[Move]) -> Played:
    """Take `moves` from `side`'s start, stopping at the first that does not fit.

    Each move is a choice id, or a recorded step whose scene must also be the scene the
    path has reached (a save's steps). Raises `ChoiceError` (kind `unknown-side`) when the
    story has no such side: there is no start to play from.
    """
    state = new_state(story, side)
    out = [state]
    for i, move in enumerate(moves, 1):
        item = _step(story, state, moves, i, move)
        if isinstance(item, Divergence):
            return Played(tuple(out), item)
        state = item
        out.append(state)
    return Played(tuple(out), None)


def _parts(move: Move) -> tuple[Optional[str], str]:
    if isinstance(move, str):
        return None, move
    return move.scene, move.choice


def scene_name(story: Story, scene_id: str) -> str:
    """“Title” (id) for a scene: an ending goes by its ending's title, as the gallery names it."""
    scene = story.scenes.get(scene_id)
    if scene is None:
        return repr(scene_id)
    title = scene.ending.title if scene.ending is not None else scene.title
    return f"“{title}” ({scene_id})"


def _step(story: Story, state: State, moves: Sequence[Move], i: int, move: Move) -> Union[State, Divergence]:
    """The state after move `i`, or why it cannot be taken from `state`."""
    recorded, choice_id = _parts(move)
    at = state.scene if recorded is None else recorded
    if at != state.scene:
        if at not in story.scenes:
            return Divergence(i, at, choice_id, "scene-gone", f"scene {at!r} is no longer in the story")
        if i == 1:
            why = f"side {state.side!r} now starts at {scene_name(story, state.scene)}, not at {scene_name(story, at)}"
        else:
            prev = _parts(moves[i - 2])[1]
            why = (f"step {i - 1}'s choice {prev!r} now leads to {scene_name(story, state.scene)}, "
                   f"not to {scene_name(story, at)}")
        return Divergence(i, at, choice_id, "wrong-scene", why)
    try:
        return choose(story, state, choice_id)
    except ChoiceError as exc:
        scene = story.scenes.get(at)
        if exc.kind == "unknown-scene" or scene is None:
            return Divergence(i, at, choice_id, "scene-gone", f"scene {at!r} is no longer in the story")
        if exc.kind == "ending":
            return Divergence(i, at, choice_id, "now-ending",
                              f"{scene_name(story, at)} is now an ending, so the run stops there")
        if exc.kind == "unknown-choice":
            ids = ", ".join(c.id for c in scene.choices)
            return Divergence(i, at, choice_id, "choice-gone",
                              f"{scene_name(story, at)} no longer has the choice {choice_id!r} (it has: {ids})")
        choice = scene.choice(choice_id)
        if exc.kind == "locked" and choice is not None:
            return Divergence(i, at, choice_id, "locked",
                              f"choice {choice_id!r} in {scene_name(story, at)} is now locked: "
                              f"{locked_reason(story, state, choice)}")
        return Divergence(i, at, choice_id, exc.kind, str(exc))
