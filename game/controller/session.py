"""A run in progress, as the app holds it: every State so far, so undo is a list slice.

States are immutable and share their trail, so keeping all of them costs a few objects per
choice. The story logic stays in the engine: this only calls `new_state`, `choose` and
`view`, and remembers what they returned.
"""

from __future__ import annotations

import datetime as dt

from game.engine import State, Story, View, choice_label, choose, headline, new_state, play, view
from game.records import record


@record
class Headline:
    """A line for the crisis ticker: the scene that made the news, and when."""

    index: int
    """Which state (step) reached it."""
    at: dt.datetime
    text: str


class Session:
    """One side's run: the states from the start to now, and the headlines met on the way."""

    def __init__(self, story: Story, states: list[State]):
        if not states:
            raise ValueError("a session needs at least its starting state")
        self.story = story
        self.states = states
        self.headlines: list[Headline] = []
        for i, state in enumerate(states):
            self._note(i, state)

    @classmethod
    def new(cls, story: Story, side: str) -> "Session":
        return cls(story, [new_state(story, side)])

    @classmethod
    def from_state(cls, story: Story, state: State) -> "Session":
        """Rebuild every earlier state of `state` by replaying its steps, so undo reaches the start.

        A state from this story replays exactly; one that does not (its story changed under it)
        keeps only itself, and undo starts there.
        """
        if state.side not in story.sides:
            return cls(story, [state])
        played = play(story, state.side, state.steps())
        if played.divergence is not None or played.state.key != state.key:
            return cls(story, [state])
        return cls(story, list(played.states))

    def _note(self, index: int, state: State) -> None:
        text = headline(self.story, state)
        if text:
            self.headlines.append(Headline(index, self.story.scenes[state.scene].at, text))

    @property
    def state(self) -> State:
        return self.states[-1]

    @property
    def side(self) -> str:
        return self.state.side

    @property
    def steps(self) -> int:
        """Choices made so far."""
        return self.state.length

    @property
    def first_step(self) -> int:
        """The step the kept states start at (0 unless the run was rebuilt from a lone state)."""
        return self.states[0].length

    @property
    def over(self) -> bool:
        scene = self.story.scenes.get(self.state.scene)
        return scene is not None and scene.ending is not None

    def view(self) -> View:
        return view(self.story, self.state)

    def peek(self, choice_id: str) -> View:
        """What taking a choice would show, the run left as it is (ChoiceError if it cannot be taken)."""
        return view(self.story, choose(self.story, self.state, choice_id))

    def choose(self, choice_id: str) -> State:
        """Take a choice (ChoiceError if it cannot be taken) and keep the new state."""
        state = choose(self.story, self.state, choice_id)
        self.states.append(state)
        self._note(len(self.states) - 1, state)
        return state

    def can_undo(self) -> bool:
        return len(self.states) > 1

    def back_to(self, step: int) -> State:
        """Return to the state before choice `step + 1`, dropping everything after it."""
        index = step - self.first_step
        if not 0 <= index < len(self.states):
            raise IndexError(f"no step {step} in this run (steps {self.first_step}..{self.steps})")
        del self.states[index + 1:]
        while self.headlines and self.headlines[-1].index > index:
            self.headlines.pop()
        return self.state

    def undo(self) -> State:
        return self.back_to(max(self.first_step, self.steps - 1))

    def recent_headlines(self, count: int) -> list[Headline]:
        return self.headlines[-count:]

    def path(self) -> list[tuple[State, str]]:
        """Each state a choice was made in, with the text of the choice made there."""
        out: list[tuple[State, str]] = []
        for before, after in zip(self.states, self.states[1:]):
            assert after.trail is not None
            scene = self.story.scenes[before.scene]
            choice = scene.choice(after.trail.step.choice)
            out.append((before, choice_label(self.story, before, choice) if choice else after.trail.step.choice))
        return out
