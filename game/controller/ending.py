"""An ending as plain data: what every front end shows when a run ends, decided once.

Plain mode, the transcripts and the app's ending screen each draw an `EndingSummary` their own
way, so they can never disagree on the title, the critic's score beside the real one, or
where the scale came to rest.
"""

from __future__ import annotations

import datetime as dt
from typing import Optional

from game.engine.state import State, view
from game.engine.story import Story
from game.format import outcome_text, scale_words
from game.records import record


@record
class ScaleRest:
    """Where a story's scale stands: its label, value, range and the words for it."""

    label: str
    value: int
    min: int
    max: int
    words: str


@record
class EndingSummary:
    title: str
    """The ending's own title (the gallery's name for it)."""
    historical: bool
    """True for the ending that really happened."""
    scene_title: str
    """The ending scene's title, which may differ from the ending's."""
    text: str
    """The epilogue: the ending scene's text, as this run reads it."""
    outcome: str
    """What the choice that led here made happen, read before the epilogue ("" when none)."""
    history: str
    """What actually happened."""
    score: float
    real_score: Optional[float]
    """The critic's score for the real drama (from the story), or None when the story gives none."""
    verdict: str
    """The critic's words on this version ("" when none)."""
    critic: str
    """The story's line introducing the critic ("" when none)."""
    scale: Optional[ScaleRest]
    side: str
    """The side's display name."""
    steps: int
    at: dt.datetime
    provenance: str

    def score_line(self, whose: str = "your") -> str:
        """'The critic gives your version 6.0/10. The real drama got 7.3.'"""
        line = f"The critic gives {whose} version {self.score:.1f}/10."
        if self.real_score is not None:
            line += f" The real drama got {self.real_score:g}."
        return line


def scale_rest(story: Story, state: State) -> Optional[ScaleRest]:
    """The story's scale (the first int variable displayed as one) for `state`, if it has one."""
    values = state.vars(story)
    for var in story.vars.values():
        if var.display == "scale" and var.type == "int":
            value = int(values[var.name])
            return ScaleRest(var.label, value, var.min, var.max, scale_words(value, var.min, var.max, var.words))
    return None


def summarize(story: Story, state: State) -> EndingSummary:
    """The summary of the ending `state` stands in; `ValueError` if it is not at an ending."""
    v = view(story, state)
    e = v.ending
    if e is None:
        raise ValueError(f"scene {state.scene!r} is not an ending")
    return EndingSummary(
        title=e.title, historical=e.historical, scene_title=v.title, text=v.text, outcome=outcome_text(v),
        history=e.history,
        score=e.score, real_score=story.real_score, verdict=e.critic.strip(),
        critic=story.critic.strip(), scale=scale_rest(story, state),
        side=story.sides[state.side].name, steps=state.length, at=v.at, provenance=v.provenance,
    )
