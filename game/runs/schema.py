"""The run format as pydantic models: what a run file may contain, and why one is refused.

Only files the game did not write as it writes them come here (a damaged save, one a person
edited): `model.decode_run` reads the rest by hand, because importing pydantic and building
these models costs more than the rest of the game's startup. The messages players see for a
broken run file are this module's (`parse_run` turns the first into one line).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Optional, Union

from pydantic import AfterValidator, AwareDatetime, BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from game.engine.limits import ID_PATTERN, MAX_ID_CHARS, date_problem
from game.runs.model import MAX_LABEL_CHARS, RunFile, Snapshot, StepRecord

__all__ = ["RunFileModel", "ValidationError", "validate_run"]


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


class StepModel(_Model):
    scene: RunId
    choice: RunId
    at: RunTime


class SnapshotModel(_Model):
    scene: RunId
    values: dict[Annotated[str, Field(max_length=MAX_ID_CHARS)], Union[int, bool]]
    seen: list[RunId]


class RunFileModel(_Model):
    format: int
    story_id: RunId
    fingerprint: str = Field(min_length=1, max_length=MAX_ID_CHARS)
    side: RunId
    steps: list[StepModel]
    snapshot: SnapshotModel
    ending: Optional[RunId]
    created: RunTime
    updated: RunTime
    label: Annotated[str, BeforeValidator(_no_surrogates), Field(max_length=MAX_LABEL_CHARS)] = ""


def validate_run(data: Any) -> RunFile:
    """The run in `data`, validated by the models above; raises pydantic's `ValidationError`."""
    model = RunFileModel.model_validate(data)
    snap = model.snapshot
    return RunFile(
        format=model.format, story_id=model.story_id, fingerprint=model.fingerprint, side=model.side,
        steps=[StepRecord(scene=s.scene, choice=s.choice, at=s.at) for s in model.steps],
        snapshot=Snapshot(scene=snap.scene, values=dict(snap.values), seen=list(snap.seen)),
        ending=model.ending, created=model.created, updated=model.updated, label=model.label,
    )
