"""The run: what a save, a replay and a golden run all are — choice ids from a side's start,
a snapshot of where they led, and the story's fingerprint.

A run file records choice ids, never positions, so a save outlives story edits. These are the
shapes, reading the files the game writes (`decode_run`; `schema` reads and refuses the rest),
and the ways to make one from a state.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any, Literal, Optional, Self, Union

from game.engine import State, Story
from game.engine.limits import ID_PATTERN, MAX_ID_CHARS, date_problem
from game.engine.play import Divergence, one_line, play
from game.patterns import pattern
from game.records import record

FORMAT_VERSION = 1
"""Bump when a run file changes shape; older readers then refuse newer files by name."""
MAX_LABEL_CHARS = 1000


class RunError(Exception):
    """A run file that cannot be read, written or played. `str()` is one line: which file, what is wrong."""

    def __init__(self, message: str, *, path: Optional[Path] = None, reason: Optional[str] = None,
                 code: str = "R001", line: int = 1, col: int = 1, located: Optional[str] = None):
        super().__init__(one_line(message))
        self.path = path
        self.reason = one_line(reason or message)
        """The problem without the file name, for lists that already show the name."""
        self.code, self.line, self.col = code, line, col
        """Which kind of problem (`game.runs.files.CODES`) and where in the file: 1:1 for the whole file."""
        self._located = one_line(located) if located else self.reason
        """The reason as `located()` words it, where the reason repeats the line and column."""

    def located(self) -> str:
        """'path:line:col: error[R003] reason', the form `boardroom check` prints for a story file."""
        from game.engine.diagnostics import Diagnostic

        if self.path is None:
            return str(self)
        return Diagnostic(str(self.path), self.line, self.col, "error", self.code, self._located).format()


class _Record:
    """What the run's records share: copies with changes and plain data, under the names the
    callers have always used (`model_copy`, `model_dump`)."""

    def model_copy(self, *, update: Optional[dict[str, Any]] = None) -> Self:
        """A copy with the fields in `update` replaced (not validated, like any record made in the game)."""
        return dataclasses.replace(self, **(update or {}))  # type: ignore[type-var]

    def model_dump(self, *, mode: Literal["python", "json"] = "python", exclude: frozenset[str] | set[str] = frozenset(),
                   ) -> dict[str, Any]:
        """The record as plain data; `mode="json"` spells dates as the run file does."""
        out: dict[str, Any] = {}
        for f in dataclasses.fields(self):  # type: ignore[arg-type]
            if f.name not in exclude:
                out[f.name] = _plain(getattr(self, f.name), mode)
        return out


def _plain(value: Any, mode: str) -> Any:
    if isinstance(value, _Record):
        return value.model_dump(mode=mode)  # type: ignore[arg-type]
    if isinstance(value, list):
        return [_plain(v, mode) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v, mode) for k, v in value.items()}
    if mode == "json" and isinstance(value, dt.datetime):
        return format_time(value)
    return value


def format_time(value: dt.datetime) -> str:
    """A run file's date: ISO 8601 with whole-minute offsets, "Z" for UTC, microseconds when there are any.

    Every run file ever written spells its dates this way (it is how the pydantic models this
    format began with wrote them), so golden runs regenerate byte for byte."""
    text = f"{value.year:04d}-{value.month:02d}-{value.day:02d}T{value.hour:02d}:{value.minute:02d}:{value.second:02d}"
    if value.microsecond:
        text += f".{value.microsecond:06d}"
    offset = value.utcoffset()
    seconds = 0 if offset is None else int(offset.total_seconds())
    if seconds == 0 and offset is not None:
        return text + "Z"
    if offset is None:
        return text
    sign = "-" if seconds < 0 else "+"
    seconds = abs(seconds)
    return f"{text}{sign}{seconds // 3600:02d}:{seconds % 3600 // 60:02d}"


@record(frozen=False)
class StepRecord(_Record):
    """One choice made: the scene the player was in, the choice id, and the in-game time."""

    scene: str
    choice: str
    at: dt.datetime


@record(frozen=False)
class Snapshot(_Record):
    """Where the run stands, so the same story can resume it without playing every step again."""

    scene: str
    values: dict[str, Union[int, bool]]
    seen: list[str]


@record(frozen=False)
class RunFile(_Record):
    """A run on disk: a save, a replay and a regression test at once.

    What a file may hold, and why one is refused, is `game.runs.schema` (ids follow the story's
    id rule, dates are aware and in years 1000..9000, no unknown keys); `decode_run` reads the
    files the game writes without it."""

    format: int
    story_id: str
    fingerprint: str
    side: str
    steps: list[StepRecord]
    snapshot: Snapshot
    ending: Optional[str]
    """The ending scene's id, once the run has reached one."""
    created: dt.datetime
    updated: dt.datetime
    label: str = ""

    @property
    def length(self) -> int:
        return len(self.steps)

    @property
    def ended(self) -> bool:
        return self.ending is not None


# ----------------------------------------------------------------------------- reading, fast

_ID = pattern(ID_PATTERN.rstrip("$") + r"\Z")
"""The story's id rule, ending at the end of the text (`$` would let a final newline through)."""
_TIME = pattern(r"([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]{1,6}))?"
                   r"(?:(Z)|([+-])([0-9]{2}):([0-9]{2}))\Z")
"""A date as run files spell them (`format_time`)."""
_SURROGATE = pattern("[\ud800-\udfff]")
"""These three are compiled when a run is first read (`game.patterns`), not before the first frame."""
_RUN_KEYS = frozenset(f.name for f in dataclasses.fields(RunFile))
_RUN_REQUIRED = _RUN_KEYS - {"label"}
_STEP_KEYS = frozenset(f.name for f in dataclasses.fields(StepRecord))
_SNAPSHOT_KEYS = frozenset(f.name for f in dataclasses.fields(Snapshot))


class _Declined(Exception):
    """Not a file the game writes as it writes them: `game.runs.schema` decides and says why."""


def decode_run(data: dict[str, Any]) -> Optional[RunFile]:
    """The run in `data` (a run file's parsed JSON) when it is spelled as the game writes runs, else None.

    Reading a save is on the way to the first scene, and the pydantic models of
    `game.runs.schema` cost more to import and build than the rest of the game's startup, so
    the files the game writes are read here, by hand. This accepts only what the schema accepts
    and gives what it gives (a test compares them on damaged and random files); anything else,
    a broken file or one a person edited, returns None and the schema reads it or says why not."""
    try:
        return _decode(data)
    except _Declined:
        return None


def _decode(data: dict[str, Any]) -> RunFile:
    if not (_RUN_REQUIRED <= data.keys() <= _RUN_KEYS):
        raise _Declined
    fmt = data["format"]
    if type(fmt) is not int:
        raise _Declined
    fingerprint = data["fingerprint"]
    if type(fingerprint) is not str or not 1 <= len(fingerprint) <= MAX_ID_CHARS or _SURROGATE().search(fingerprint):
        raise _Declined
    label = data.get("label", "")
    if type(label) is not str or len(label) > MAX_LABEL_CHARS or _SURROGATE().search(label):
        raise _Declined
    steps = data["steps"]
    if type(steps) is not list:
        raise _Declined
    ending = data["ending"]
    return RunFile(
        format=fmt,
        story_id=_id(data["story_id"]),
        fingerprint=fingerprint,
        side=_id(data["side"]),
        steps=[_step(step) for step in steps],
        snapshot=_snapshot(data["snapshot"]),
        ending=None if ending is None else _id(ending),
        created=_time(data["created"]),
        updated=_time(data["updated"]),
        label=label,
    )


def _id(value: object) -> str:
    if type(value) is not str or len(value) > MAX_ID_CHARS or not _ID().match(value):
        raise _Declined
    return value


def _step(value: object) -> StepRecord:
    if type(value) is not dict or value.keys() != _STEP_KEYS:
        raise _Declined
    return StepRecord(scene=_id(value["scene"]), choice=_id(value["choice"]), at=_time(value["at"]))


def _snapshot(value: object) -> Snapshot:
    if type(value) is not dict or value.keys() != _SNAPSHOT_KEYS:
        raise _Declined
    values, seen = value["values"], value["seen"]
    if type(values) is not dict or type(seen) is not list:
        raise _Declined
    for name, v in values.items():
        if len(name) > MAX_ID_CHARS or _SURROGATE().search(name) or type(v) not in (int, bool):
            raise _Declined
    return Snapshot(scene=_id(value["scene"]), values=dict(values), seen=[_id(s) for s in seen])


_ZONES: dict[str, dt.timezone] = {}


def _time(value: object) -> dt.datetime:
    if type(value) is not str:
        raise _Declined
    m = _TIME().match(value)
    if m is None:
        raise _Declined
    year, month, day, hour, minute, second, fraction, utc, sign, zh, zm = m.groups()
    zone_key = "Z" if utc else value[-6:]
    zone = _ZONES.get(zone_key)
    if zone is None:
        if utc:
            zone = dt.timezone.utc
        else:
            minutes = int(zh) * 60 + int(zm)
            if int(zm) > 59 or minutes >= 24 * 60:
                raise _Declined
            zone = dt.timezone(dt.timedelta(minutes=-minutes if sign == "-" else minutes))
        if len(_ZONES) < 64:
            _ZONES[zone_key] = zone
    try:
        moment = dt.datetime(int(year), int(month), int(day), int(hour), int(minute), int(second),
                             int(fraction.ljust(6, "0")) if fraction else 0, tzinfo=zone)
    except ValueError:
        raise _Declined from None
    if date_problem(moment):
        raise _Declined
    return moment


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
