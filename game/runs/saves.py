"""The saves folder: the autosave, the quick save and named slots, one run file each.

Saving never replaces a file with one it could not read back, keeps an unreadable file aside
instead of overwriting it, and refuses slot names that could leave the folder or clash.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Optional

from game.confine import OutsideFolder, confined
from game.runs.files import dumps, parse_run, read_run, short, write_run
from game.runs.model import RunError, RunFile, utc_now

MAX_SLOT_NAME = 64
RESERVED_NAMES = ("autosave", "quicksave")

SaveKind = Literal["autosave", "quicksave", "slot"]

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
    def kind(self) -> SaveKind:
        if self.name == "autosave" or self.name == "quicksave":
            return self.name
        return "slot"


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
            raise RunError(f"slot name {short(repr(name), 40)} is not allowed: {problem}")
        try:
            confined(self.folder, f"{name}.json")
        except OutsideFolder:
            raise RunError(f"slot name {short(repr(name), 40)} is not allowed: it would leave the saves folder") from None
        return self.folder / f"{name}.json"

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
        stamp = utc_now().strftime("%Y%m%dT%H%M%S")
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
