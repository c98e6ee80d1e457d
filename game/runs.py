"""Runs: a save and a replay are one thing — the choices made from a side's start, plus a snapshot.

A run file records choice ids, never positions, and the story's fingerprint. Loading it on the
same story takes the snapshot (after checking it still makes sense); on an edited story the
steps are played again, so a save outlives story edits or says exactly which step stopped
fitting and why. Everything here is pure except the small file layer at the bottom, which
writes atomically so a crash or a kill mid-save always leaves a whole file behind.

No Textual and no Rich: the app, plain mode, `boardroom replay` and the tests share this module.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Sequence, Union

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError

from game.atomic import write_atomic
from game.engine import State, Story
from game.engine.play import Divergence, StepLike, one_line, play, scene_name
from game.engine.state import Step, Trail

FORMAT_VERSION = 1
"""Bump when a run file changes shape; older readers then refuse newer files by name."""

MAX_RUN_BYTES = 64 * 1024 * 1024
"""A 10,000-step run is about 1 MB; anything past this is not a run the game wrote."""

MAX_SLOT_NAME = 64
RESERVED_NAMES = ("autosave", "quicksave")


class RunError(Exception):
    """A run file that cannot be read, written or played. `str()` is one line: which file, what is wrong."""

    def __init__(self, message: str, *, path: Optional[Path] = None, reason: Optional[str] = None):
        super().__init__(one_line(message))
        self.path = path
        self.reason = one_line(reason or message)
        """The problem without the file name, for lists that already show the name."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class StepRecord(_Model):
    """One choice made: the scene the player was in, the choice id, and the in-game time."""

    scene: str = Field(min_length=1)
    choice: str = Field(min_length=1)
    at: AwareDatetime


class Snapshot(_Model):
    """Where the run stands, so the same story can resume it without playing every step again."""

    scene: str = Field(min_length=1)
    values: dict[str, Union[int, bool]]
    seen: list[str]


class RunFile(_Model):
    """A run on disk: a save, a replay and a regression test at once."""

    format: int
    story_id: str = Field(min_length=1)
    fingerprint: str = Field(min_length=1)
    side: str = Field(min_length=1)
    steps: list[StepRecord]
    snapshot: Snapshot
    ending: Optional[str]
    """The ending scene's id, once the run has reached one."""
    created: AwareDatetime
    updated: AwareDatetime
    label: str = ""

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


@dataclass(frozen=True)
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


# ----------------------------------------------------------------------------- building runs


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def run_from_state(story: Story, state: State, *, label: str = "", created: Optional[dt.datetime] = None) -> RunFile:
    """The run file for `state`. Pass `created` to keep a run's birth date across saves."""
    now = _now()
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


# ----------------------------------------------------------------------------- replaying


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


# ----------------------------------------------------------------------------- files


def dumps(run: RunFile) -> str:
    """The run as JSON, one step per line so files diff well (golden runs live in git)."""
    data = run.model_dump(mode="json")
    lines = ["{"]
    keys = list(data)
    for n, key in enumerate(keys):
        comma = "," if n < len(keys) - 1 else ""
        value = data[key]
        if key == "steps" and value:
            # One C-level dump for all steps, then a line break between them. `}, {"` cannot occur
            # inside a JSON string (a quote in a string is always escaped), so the split is exact.
            body = json.dumps(value, ensure_ascii=False)[1:-1].replace('}, {"', '},\n    {"')
            lines.append(f"  {json.dumps(key)}: [\n    {body}\n  ]{comma}")
        else:
            lines.append(f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}{comma}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def write_run(run: RunFile, path: Path) -> None:
    """Write `run` to `path` atomically (see `game.atomic`): whole old file or whole new file."""
    path = Path(path)
    try:
        write_atomic(path, dumps(run).encode("utf-8"))
    except OSError as exc:
        raise _fail(path, f"cannot write: {exc.strerror or exc}") from None


def _fail(path: Path, reason: str) -> RunError:
    return RunError(f"{path}: {reason}", path=path, reason=reason)


def read_run(path: Path) -> RunFile:
    """The run in `path`, or a `RunError` that says what is wrong with the file, in one line."""
    path = Path(path)
    try:
        if path.is_dir():
            raise _fail(path, "is a folder, not a run file")
        if path.exists() and not path.is_file():
            raise _fail(path, "not a regular file")
        with open(path, "rb") as f:
            raw = f.read(MAX_RUN_BYTES + 1)
    except FileNotFoundError:
        raise _fail(path, "no such file") from None
    except OSError as exc:
        raise _fail(path, f"cannot read: {exc.strerror or exc}") from None
    return parse_run(raw, path)


def parse_run(raw: bytes, path: Path) -> RunFile:
    """`read_run` on bytes already read; `path` names the file in errors."""
    if len(raw) > MAX_RUN_BYTES:
        raise _fail(path, f"not a run file (larger than {MAX_RUN_BYTES // (1024 * 1024)} MB)")
    if not raw.strip():
        raise _fail(path, "empty file (not a run)")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _fail(path, f"not a run file (not UTF-8 text: {exc.reason} at byte {exc.start})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        if _truncated(text, exc):
            raise _fail(path, "truncated: the JSON ends early (was the save interrupted?)") from None
        raise _fail(path, f"corrupt: invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg.lower()}") from None
    except (ValueError, RecursionError) as exc:
        raise _fail(path, f"corrupt: invalid JSON ({_short(str(exc) or type(exc).__name__)})") from None
    if not isinstance(data, dict):
        raise _fail(path, f"not a Boardroom run (the JSON is {_json_kind(data)}, not an object)")
    fmt = data.get("format")
    if "format" not in data or "story_id" not in data:
        raise _fail(path, "not a Boardroom run (no 'format' and 'story_id' keys)")
    if isinstance(fmt, bool) or not isinstance(fmt, int):
        raise _fail(path, f"not a Boardroom run (format is {_short(repr(fmt))}, not a number)")
    if fmt > FORMAT_VERSION:
        raise _fail(path, f"written by a newer Boardroom (run format {fmt}; this version reads up to {FORMAT_VERSION})")
    if fmt < 1:
        raise _fail(path, f"unknown run format {fmt}")
    try:
        run = RunFile.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        first = errors[0]
        where = ".".join(str(p) for p in first["loc"]) or "file"
        more = f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})" if len(errors) > 1 else ""
        raise _fail(path, f"invalid run: {where}: {_short(first['msg'].lower())}{more}") from None
    except (ValueError, TypeError, RecursionError) as exc:
        raise _fail(path, f"invalid run ({_short(str(exc))})") from None
    if run.ending is not None and run.ending != run.snapshot.scene:
        raise _fail(path, f"invalid run: ending {run.ending!r} is not the snapshot's scene {run.snapshot.scene!r}")
    return run


def _truncated(text: str, exc: json.JSONDecodeError) -> bool:
    """Whether the JSON stops mid-way (an interrupted write) rather than being wrong mid-way."""
    rest = text[exc.pos:].rstrip()
    if not rest:
        return True
    if "\n" in rest:
        return False
    return (exc.msg.startswith("Unterminated string") or any(lit.startswith(rest) for lit in ("true", "false", "null"))
            or re.fullmatch(r"[-+.eE0-9]+", rest) is not None)


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _json_kind(value: object) -> str:
    return {list: "a list", str: "a string", int: "a number", float: "a number", bool: "true or false"}.get(
        type(value), "null")


# ----------------------------------------------------------------------------- the saves folder

_SLOT = re.compile(r"[\w][\w .,'()!+\-]*", re.UNICODE)


@dataclass(frozen=True)
class SaveEntry:
    """One file in the saves folder: its run, or why it cannot be read."""

    path: Path
    run: Optional[RunFile]
    error: Optional[str]
    """Why the file is unreadable (without its name), or None."""
    name: str
    """The slot name: the file name without `.json`."""
    when: dt.datetime = dt.datetime.min.replace(tzinfo=dt.timezone.utc)
    """When the run was last saved (the file's time for unreadable files)."""

    @property
    def kind(self) -> str:
        """autosave | quicksave | slot"""
        return self.name if self.name in RESERVED_NAMES else "slot"


class Saves:
    """One saves folder: the autosave, the quick save and named slots, one JSON run each."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self._written: dict[Path, tuple[int, int]] = {}
        """(mtime_ns, size) of files this object wrote, so autosaving need not re-read its own file."""

    def autosave_path(self) -> Path:
        return self.folder / "autosave.json"

    def quicksave_path(self) -> Path:
        return self.folder / "quicksave.json"

    def slot_path(self, name: str) -> Path:
        """The file for slot `name`; `RunError` for any name that could leave the folder or clash."""
        problem = slot_name_problem(name)
        if problem:
            raise RunError(f"slot name {_short(repr(name), 40)} is not allowed: {problem}")
        path = self.folder / f"{name}.json"
        try:
            inside = path.resolve().parent == self.folder.resolve()
        except (OSError, RuntimeError, ValueError):
            inside = False
        if not inside:
            raise RunError(f"slot name {name!r} is not allowed: it would leave the saves folder")
        return path

    def save(self, run: RunFile, path: Path) -> None:
        """Write `run` to `path` atomically, never replacing a file with an unreadable one.

        The new file is checked by reading it back before it replaces anything. An existing
        file this version cannot read (corrupt, or from a newer Boardroom) is kept: it is
        renamed to `<name>.unreadable-<time>.json` first, so it stays listed and nothing is lost.
        """
        path = Path(path)
        parse_run(dumps(run).encode("utf-8"), path)  # refuses to write what it could not read back
        try:
            st = path.stat()
            mine = self._written.get(path) == (st.st_mtime_ns, st.st_size)
        except OSError:
            mine = not path.is_symlink()  # nothing there (a dangling link is checked below)
        if not mine:
            try:
                read_run(path)
            except RunError as exc:
                if exc.reason != "no such file":
                    self._keep_aside(path)
        self._clean_temps(path)
        write_run(run, path)
        try:
            st = path.stat()
            self._written[path] = (st.st_mtime_ns, st.st_size)
        except OSError:
            self._written.pop(path, None)

    def _keep_aside(self, path: Path) -> None:
        stamp = _now().strftime("%Y%m%dT%H%M%S")
        for n in range(1000):
            suffix = f"-{n}" if n else ""
            aside = path.with_name(f"{path.stem}.unreadable-{stamp}{suffix}.json")
            if not aside.exists():
                try:
                    os.replace(path, aside)
                except OSError as exc:
                    raise RunError(f"{path}: cannot keep the unreadable file aside: {exc.strerror or exc}") from None
                return
        raise RunError(f"{path}: cannot keep the unreadable file aside: too many copies")

    def _clean_temps(self, path: Path, older_than: float = 60.0) -> None:
        """Remove temporary files a killed save left behind for `path` (never a fresh one in use)."""
        cutoff = time.time() - older_than
        for tmp in path.parent.glob(f".{_glob_escape(path.name)}.*.tmp"):
            try:
                if tmp.stat().st_mtime < cutoff:
                    tmp.unlink()
            except OSError:
                pass

    def entries(self) -> list[SaveEntry]:
        """Every run file in the folder, newest first; unreadable ones listed with the reason."""
        out: list[SaveEntry] = []
        try:
            paths = sorted(p for p in self.folder.glob("*.json") if not p.name.startswith("."))
        except OSError:
            return []
        for p in paths:
            try:
                run = read_run(p)
            except RunError as exc:
                try:
                    mtime = dt.datetime.fromtimestamp(p.stat().st_mtime, dt.timezone.utc)
                except OSError:
                    mtime = dt.datetime.min.replace(tzinfo=dt.timezone.utc)
                out.append(SaveEntry(p, None, exc.reason, p.stem, mtime))
                continue
            out.append(SaveEntry(p, run, None, p.stem, run.updated))
        out.sort(key=lambda e: (e.when, e.name), reverse=True)
        return out

    def latest(self, story_id: Optional[str] = None) -> Optional[SaveEntry]:
        """The newest readable run that has not ended ("continue"), of `story_id` if given."""
        for entry in self.entries():
            if entry.run is not None and not entry.run.ended and (story_id is None or entry.run.story_id == story_id):
                return entry
        return None


def _glob_escape(name: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", name)


def slot_name_problem(name: str) -> Optional[str]:
    """Why `name` cannot be a slot name, or None. Shown to the player as typed."""
    if not isinstance(name, str) or not name.strip():
        return "it is empty"
    if len(name) > MAX_SLOT_NAME:
        return f"it is longer than {MAX_SLOT_NAME} characters"
    if "\0" in name or any(unicodedata.category(ch).startswith("C") for ch in name):
        return "it contains control characters"
    if "/" in name or "\\" in name:
        return "it contains a slash"
    if ".." in name:
        return "it contains '..'"
    if name.casefold() in RESERVED_NAMES:
        return f"{name!r} is the {name.casefold()}'s own file"
    if name != name.strip() or name.endswith("."):
        return "it starts or ends with a space or ends with a dot"
    if not _SLOT.fullmatch(name):
        return "use letters, digits, spaces and - _ . , ' ( ) ! +"
    if name.split(".")[0].upper() in _WINDOWS_DEVICES:
        return f"{name!r} is a device name on Windows"
    return None


_WINDOWS_DEVICES = frozenset({"CON", "PRN", "AUX", "NUL"} | {f"COM{i}" for i in range(10)} | {f"LPT{i}" for i in range(10)})
