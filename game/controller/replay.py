"""A saved run played back step by step: what the replay viewer shows at each step.

The viewer (`game.tui.screens.replays.ReplayViewer`) draws and keeps time; this decides: the
states the run passes through (computed once, by `game.runs.states`), which of them is shown,
the choice the run took from it, the meters just before it, and where the run stops fitting an
edited story. `Game.replay` makes one, or says why a run cannot be replayed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from game.engine import view

if TYPE_CHECKING:
    from game.engine import Meter, State, Story, View
    from game.runs import RunFile


class Replay:
    def __init__(self, story: "Story", run: "RunFile") -> None:
        """Raises `game.runs.Unplayable` for another story's run or a side the story no longer has."""
        from game.runs import states

        self.story = story
        self.run = run
        self.states, self.divergence = states(story, run)
        self.step = 0
        """The step shown: 0 is the side's start, `last` where the run ends (or stops fitting)."""

    @property
    def last(self) -> int:
        return len(self.states) - 1

    @property
    def state(self) -> "State":
        return self.states[self.step]

    def go_to(self, step: int) -> bool:
        """Show `step`, kept within the run; whether the step shown changed."""
        step = max(0, min(self.last, step))
        changed, self.step = step != self.step, step
        return changed

    def view(self) -> "View":
        return view(self.story, self.state)

    def side_name(self) -> str:
        return self.story.sides[self.state.side].name

    def meters_before(self) -> Optional[tuple["Meter", ...]]:
        """The meters one step back, for the sidebar's trend; None at the start."""
        return view(self.story, self.states[self.step - 1]).meters if self.step else None

    def taken(self) -> Optional[str]:
        """The choice the run took from the step shown: none at its end, and where it stops
        fitting the story, the choice that no longer fits."""
        if self.step < self.last or (self.divergence is not None and self.step < len(self.run.steps)):
            return self.run.steps[self.step].choice
        return None

    def stopped(self) -> Optional[str]:
        """At the last step of a run that stops fitting the story: why."""
        return self.divergence.reason if self.step == self.last and self.divergence is not None else None

    def ended(self) -> bool:
        """At the last step of a run that reached an ending."""
        return self.step == self.last and self.divergence is None and bool(self.run.ending)


def documented_runs(story: "Story") -> list[tuple[str, Optional["RunFile"], Optional[str]]]:
    """Each side's documented path (`[history.<side>]`) as a run to replay: its side's name, and
    the run or, when the story's history does not play, why not."""
    from game.runs import RunError, golden_run

    found: list[tuple[str, Optional["RunFile"], Optional[str]]] = []
    for side_id, side in story.sides.items():
        if side_id not in story.history:
            continue
        try:
            found.append((side.name, golden_run(story, side_id), None))
        except RunError as exc:
            found.append((side.name, None, str(exc)))
    return found
