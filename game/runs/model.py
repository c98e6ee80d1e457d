"""The run: what a save, a replay and a golden run all are — choice ids from a side's start,
a snapshot of where they led, and the story's fingerprint.

A run file records choice ids, never positions, so a save outlives story edits. These are the
shapes (validated by pydantic when a file is read) and the ways to make one from a state.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Annotated, Optional, Union

from pydantic import AfterValidator, AwareDatetime, BaseModel, BeforeValidator, ConfigDict, Field

from game.engine import State, Story
from game.engine.limits import ID_PATTERN, MAX_ID_CHARS, date_problem
from game.engine.play import Divergence, one_line, play

FORMAT_VERSION = 1
"""Bump when a run file changes shape; older readers then refuse newer files by name."""


class RunError(Exception):
    """A run file that cannot be read, written or played. `str()` is one line: which file, what is wrong."""

    def __init__(self, message: str, *, path: Optional[Path] = None, reason: Optional[str] = None):
        super().__init__(one_line(message))
        self.path = path
        self.reason = one_line(reason or message)
        """The problem without the file name, for lists that already show the name."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _in_range(value: dt.datetime) -> dt.datetime:
    problem = date_problem(value)
    if problem:
        raise ValueError(problem)
    return value


_SURROGATE = re.compile("[\ud800-\udfff]")


def _no_surrogates(value: object) -> object:
    # JSON can spell a lone surrogate ("\ud800") that no file can encode: writing the run back
    # would fail, so it becomes U+FFFD, the replacement character, as a decoder would make it.
    return _SURROGATE.sub("\ufffd", value) if isinstance(value, str) else value


RunId = Annotated[str, Field(min_length=1, max_length=MAX_ID_CHARS, pattern=ID_PATTERN)]
"""Story, side, scene and choice ids follow the story's own id rule, so a run cannot smuggle a
path, an escape or a 100,000-character name into a message."""
RunTime = Annotated[AwareDatetime, AfterValidator(_in_range)]
"""Years 1000..9000 (`limits.date_problem`): converting to UTC or local time never overflows."""
MAX_LABEL_CHARS = 1000


class StepRecord(_Model):
    """One choice made: the scene the player was in, the choice id, and the in-game time."""

    scene: RunId
    choice: RunId
    at: RunTime


class Snapshot(_Model):
    """Where the run stands, so the same story can resume it without playing every step again."""

    scene: RunId
    values: dict[Annotated[str, Field(max_length=MAX_ID_CHARS)], Union[int, bool]]
    seen: list[RunId]


class RunFile(_Model):
    """A run on disk: a save, a replay and a regression test at once."""

    format: int
    story_id: RunId
    fingerprint: str = Field(min_length=1, max_length=MAX_ID_CHARS)
    side: RunId
    steps: list[StepRecord]
    snapshot: Snapshot
    ending: Optional[RunId]
    """The ending scene's id, once the run has reached one."""
    created: RunTime
    updated: RunTime
    label: Annotated[str, BeforeValidator(_no_surrogates), Field(max_length=MAX_LABEL_CHARS)] = ""

    @property
    def length(self) -> int:
        return len(self.steps)

    @property
    def ended(self) -> bool:
        return self.ending is not None


class Unplayable(RunError):
    """A run that cannot be played on this story at all: another story, or a side it no longer has."""

    def __init__(self, divergence: Divergence):
        super().__init__(divergence.reason)
        self.divergence = divergence


def utc_now() -> dt.datetime:
    """The wall clock, in UTC: when a run file was written."""
    return dt.datetime.now(dt.timezone.utc)


def run_from_state(story: Story, state: State, *, label: str = "", created: Optional[dt.datetime] = None) -> RunFile:
    """The run file for `state`. Pass `created` to keep a run's birth date across saves."""
    now = utc_now()
    scene = story.scenes.get(state.scene)
    return RunFile(
        format=FORMAT_VERSION,
        story_id=story.id,
        fingerprint=story.fingerprint,
        side=state.side,
        steps=[StepRecord(scene=s.scene, choice=s.choice, at=s.at) for s in state.steps()],
        snapshot=Snapshot(scene=state.scene, values=state.vars(story), seen=sorted(state.seen)),
        ending=state.scene if scene is not None and scene.ending is not None else None,
        created=created or now,
        updated=now,
        label=label,
    )


def golden_run(story: Story, side: str) -> RunFile:
    """The documented path of `side` (`[history.<side>] choices`) as a run.

    Its dates are fixed (the story's window) so regenerating an unchanged path writes the
    same bytes, apart from the fingerprint.
    """
    choices = story.history.get(side)
    if choices is None:
        raise RunError(f"story {story.id!r} has no documented path for side {side!r} (no [history.{side}])")
    played = play(story, side, choices)
    if played.divergence is not None:
        d = played.divergence
        raise RunError(f"documented path of {side!r} stops fitting at step {d.step}: {d.reason}")
    state = played.state
    stamp = story.ends.astimezone(dt.timezone.utc)
    name = story.sides[side].name
    return run_from_state(story, state, label=f"Documented path: {name}", created=stamp).model_copy(
        update={"updated": stamp})


def same_path(a: RunFile, b: RunFile) -> bool:
    """Whether two runs take the same path: same story, side, (scene, choice) steps and ending.

    Clock times, variable values, labels and dates may differ; golden runs are compared this way.
    """
    return (a.story_id == b.story_id and a.side == b.side and a.ending == b.ending
            and [(s.scene, s.choice) for s in a.steps] == [(s.scene, s.choice) for s in b.steps])


def same_content(a: RunFile, b: RunFile) -> bool:
    """Whether two runs hold the same play, ignoring the fingerprint and dates (to skip needless rewrites)."""
    skip = {"fingerprint", "created", "updated"}
    return a.model_dump(exclude=skip) == b.model_dump(exclude=skip)
