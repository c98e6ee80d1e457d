"""The shape of a story's graph: how much the player's choices branch it.

A story can load clean, reach every ending and still be a gauntlet: scenes that offer a single
"continue", choices that all lead to the same next scene with nothing to show which was taken,
and a documented path that every deviation rejoins at once. These numbers say how far a side
is from that, from the scene graph alone (conditions ignored), so an author can track them and
the story's tests can hold them to targets.

Pure: no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from game.engine.state import choose, new_state
from game.engine.story import Story


@dataclass
class SideShape:
    """One side's numbers. Scene ids are kept so a report can name what to fix."""

    side: str
    scenes: int = 0
    endings: int = 0
    with_choices: int = 0
    single_option: list[str] = field(default_factory=list)
    """Scenes (not endings) that offer exactly one choice."""
    multi_choice: int = 0
    same_target: list[str] = field(default_factory=list)
    """Scenes with two or more choices that all lead to one scene."""
    unacknowledged: list[str] = field(default_factory=list)
    """Of `same_target`, those where the player cannot tell which choice was taken: some choice
    carries no outcome text and the scene they lead to has no conditional passage."""
    documented: int = 0
    """Scenes on the side's documented path, its ending included."""
    off_path: list[str] = field(default_factory=list)

    @property
    def single_share(self) -> float:
        return len(self.single_option) / self.with_choices if self.with_choices else 0.0

    @property
    def same_target_share(self) -> float:
        return len(self.same_target) / self.multi_choice if self.multi_choice else 0.0

    @property
    def off_path_share(self) -> float:
        return len(self.off_path) / self.scenes if self.scenes else 0.0


def documented_scenes(story: Story, side: str) -> list[str]:
    """The scenes the documented path (`[history.<side>]`) passes through, in order."""
    state = new_state(story, side)
    out = [state.scene]
    for choice in story.history.get(side, ()):
        state = choose(story, state, choice)
        out.append(state.scene)
    return out


def side_shape(story: Story, side: str) -> SideShape:
    shape = SideShape(side)
    on_path = set(documented_scenes(story, side)) if side in story.history else set()
    shape.documented = len(on_path)
    for sid, scene in story.scenes.items():
        if scene.side != side:
            continue
        shape.scenes += 1
        if sid not in on_path:
            shape.off_path.append(sid)
        if scene.is_ending:
            shape.endings += 1
            continue
        n = len(scene.choices)
        if n == 0:
            continue
        shape.with_choices += 1
        if n == 1:
            shape.single_option.append(sid)
            continue
        shape.multi_choice += 1
        targets = {c.goto for c in scene.choices}
        if len(targets) == 1:
            shape.same_target.append(sid)
            target = story.scenes.get(next(iter(targets)))
            every_outcome = all(c.outcome is not None for c in scene.choices)
            if not every_outcome and not (target is not None and target.varies):
                shape.unacknowledged.append(sid)
    for ids in (shape.single_option, shape.same_target, shape.unacknowledged, shape.off_path):
        ids.sort()
    return shape


def story_shape(story: Story) -> dict[str, SideShape]:
    return {side: side_shape(story, side) for side in story.sides}
