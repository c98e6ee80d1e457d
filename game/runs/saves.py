"""The saves folder: the autosave, the quick save and named slots, one run file each.

Saving never replaces a file with one it could not read back, keeps an unreadable file aside
instead of overwriting it, and refuses slot names that could leave the folder or clash.
Renaming refuses a name taken by another run, and deleting moves the file into the `trash`
folder inside the saves folder: nothing the player saved is ever destroyed by the game.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
import tempfile
import time
import unicodedata
from pathlib import Path
from typing import Literal, Optional

from game.atomic import fsync_folder
from game.confine import OutsideFolder, confined
from game.patterns import pattern
from game.records import record
from game.runs.files import dumps, parse_run, read_run, short, write_run_data
from game.runs.model import RunError, RunFile, utc_now

MAX_SLOT_BYTES = 120
"""A slot name's length in UTF-8 bytes: with `.json` and a save's temporary-file affixes it stays
far below the 255 bytes file systems allow, whatever script the name is written in."""
RESERVED_NAMES = ("autosave", "quicksave")
MAX_GAMES = 64
"""Games sharing one saves folder at once, each with an autosave of its own."""

_AUTOSAVE = pattern(r"autosave(?:-\d+)?")
TRASH = "trash"
"""The folder, inside the saves folder, that deleted runs are moved to (never listed as runs)."""

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]
if os.name == "nt":
    import msvcrt
else:  # not looked for elsewhere: a failed import searches every folder on the path first
    msvcrt = None  # type: ignore[assignment]

SaveKind = Literal["autosave", "quicksave", "slot"]

_SLOT = pattern(r"[\w][\w .,'()!+\-]*", re.UNICODE)
_SLOT_CHAR = pattern(r"[\w .,'()!+\-]", re.UNICODE)


@record
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
        if _AUTOSAVE().fullmatch(self.name):
            return "autosave"
        if self.name == "quicksave":
            return "quicksave"
        return "slot"


class Saves:
    """One saves folder: the autosave, the quick save and named slots, one JSON run each."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self._written: dict[Path, tuple[int, int]] = {}
        """(mtime_ns, size) of files this object wrote, so autosaving need not re-read its own file."""
        self._held: Optional[tuple[Path, int]] = None
        """The autosave this game writes, and the open lock file that makes it this game's alone."""

    def autosave_path(self) -> Path:
        """The first autosave's file, `autosave.json`: the one a game writes when it plays alone."""
        return self.folder / "autosave.json"

    def own_autosave(self) -> Path:
        """The autosave this game writes, held for as long as the game runs.

        Two games sharing a saves folder (two terminals) must not write one file, or each would
        overwrite the other's run. The first game to ask holds `autosave.json` through a lock on
        `.autosave.lock`; a second one gets `autosave-2.json`, and so on. The operating system
        drops a lock when its game exits, however it exits, so the next game takes the file back.
        Every autosave is an ordinary run in the folder: Load lists it and "continue" offers the
        newest unfinished run, whichever game wrote it."""
        if self._held is not None:
            return self._held[0]
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            return self.autosave_path()  # the save itself will say why the folder cannot be written
        for n in range(1, MAX_GAMES + 1):
            stem = "autosave" if n == 1 else f"autosave-{n}"
            fd = _try_lock(self.folder / f".{stem}.lock")
            if fd is not None:
                self._held = (self.folder / f"{stem}.json", fd)
                return self._held[0]
        raise RunError(f"{self.folder}: {MAX_GAMES} games already share this saves folder")

    def release(self) -> None:
        """Let another game have this game's autosave (the game is closing)."""
        if self._held is not None:
            _, fd = self._held
            self._held = None
            try:
                os.close(fd)
            except OSError:
                pass

    def save_new(self, run: RunFile, base: str) -> Path:
        """Save `run` under a slot name that no file has yet: `base`, else `base (2)`, `base (3)`...

        Each candidate is claimed by creating it only if it does not exist (a hard link from a
        whole, fsynced temporary file), so two games keeping runs at the same moment never
        write over one another. `base` must be a valid slot name (see `safe_slot_name`)."""
        data = dumps(run).encode("utf-8")
        parse_run(data, self.folder / f"{base}.json")
        for n in range(1, 1000):
            name = base if n == 1 else _numbered(base, n)
            path = self.slot_path(name)
            try:
                if create_exclusive(path, data):
                    return path
            except OSError as exc:
                raise RunError(f"{path}: cannot write: {exc.strerror or exc}", path=path) from None
        raise RunError(f"{self.folder}: cannot find a free name for {base!r}")

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
        data = dumps(run).encode("utf-8")  # once: a long run's autosave spends most of its time here
        parse_run(data, path)  # refuses to write what it could not read back
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
        write_run_data(data, path)
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

    def listed_bytes(self) -> int:
        """How much listing the folder reads (`entries`): the size of every run file in it, 0 for
        a folder that cannot be listed. Listing reads each run whole, about 60 ms a MiB here."""
        total = 0
        try:
            with os.scandir(self.folder) as found:
                for entry in found:
                    if entry.name.endswith(".json") and not entry.name.startswith("."):
                        try:
                            total += entry.stat().st_size
                        except OSError:
                            pass
        except OSError:
            return 0
        return total

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
                except (OSError, OverflowError, ValueError):  # a file dated past year 9999
                    mtime = dt.datetime.min.replace(tzinfo=dt.timezone.utc)
                out.append(SaveEntry(p, None, exc.reason, p.stem, mtime))
                continue
            out.append(SaveEntry(p, run, None, p.stem, run.updated))
        out.sort(key=lambda e: (e.when, e.name), reverse=True)
        return out

    def latest(self, story_id: Optional[str] = None) -> Optional[SaveEntry]:
        """The run played last ("continue"), of `story_id` if given: the newest readable run,
        ended or not. A player who finished a run and comes back expects that run, at its ending,
        not an older unfinished one they had forgotten; unreadable files are skipped."""
        for entry in self.entries():
            if entry.run is not None and (story_id is None or entry.run.story_id == story_id):
                return entry
        return None

    def trash_folder(self) -> Path:
        return self.folder / TRASH

    def rename(self, path: Path, name: str) -> Path:
        """Give the run file `path` (an entry of this folder) the slot name `name`; its new path.

        The name goes through the checks a new slot's does (`slot_path`), and a name another run
        already has is refused, never written over. The file is moved, not rewritten, so an
        unreadable file can be renamed too and the run's dates stay as they were. A symbolic
        link is renamed as a link: what it points at is never touched."""
        source = self._own_entry(path)
        target = self.slot_path(name)
        if target.name == source.name:
            raise RunError(f"“{short(name, 60)}” is its name already")
        if _same_entry(source, target):  # only the case differs, on a file system that ignores case
            _rename(source, target)
        elif not _move_new(source, target):
            raise RunError(f"a run called “{short(name, 60)}” exists already: choose another name")
        fsync_folder(self.folder)
        return target

    def trash(self, path: Path) -> Path:
        """Move the run file `path` (an entry of this folder) into the trash folder; its new path.

        A file of that name already in the trash is never replaced: this one gets a number,
        `name (2).json`, and both stay. Moving it back into the saves folder restores it."""
        source = self._own_entry(path)
        trash = self.trash_folder()
        try:
            os.mkdir(trash, 0o755)
        except FileExistsError:
            pass
        except OSError as exc:
            raise RunError(f"{trash}: cannot make the trash folder: {exc.strerror or exc}") from None
        try:
            is_folder = stat.S_ISDIR(os.lstat(trash).st_mode)
        except OSError as exc:
            raise RunError(f"{trash}: cannot use the trash folder: {exc.strerror or exc}") from None
        if not is_folder:
            raise RunError(f"{trash} is not a folder (a file or a link is in its place): nothing was moved")
        stem = source.name[:-len(".json")] if source.name.endswith(".json") else source.name
        for n in range(1, 1000):
            name = source.name if n == 1 else f"{_numbered(stem, n)}.json"
            if _move_new(source, trash / name):
                fsync_folder(trash)
                fsync_folder(self.folder)
                return trash / name
        raise RunError(f"{trash}: cannot find a free name for {short(source.name, 60)}")

    def _own_entry(self, path: Path) -> Path:
        """`path` if it is a run file listed in this folder (a regular file, or a link, itself in
        the folder); `RunError` otherwise, so nothing outside the folder is ever moved."""
        path = Path(path)
        try:
            inside = path.parent.resolve() == self.folder.resolve()
        except (OSError, RuntimeError):
            inside = False
        if not inside or path.name.startswith(".") or not path.name.endswith(".json"):
            raise RunError(f"{shown_name(path)} is not a run in the saves folder {self.folder}")
        try:
            mode = os.lstat(path).st_mode
        except FileNotFoundError:
            raise RunError(f"{shown_name(path)} is not in the saves folder any more") from None
        except OSError as exc:
            raise RunError(f"{shown_name(path)}: {exc.strerror or exc}") from None
        if not (stat.S_ISREG(mode) or stat.S_ISLNK(mode)):
            raise RunError(f"{shown_name(path)} is not a run file but a folder or a device: "
                           f"move it yourself, in {self.folder}")
        return path


def _try_lock(path: Path) -> Optional[int]:
    """An open descriptor holding an exclusive lock on `path`, or None when another game holds it."""
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o600)
    except OSError:
        return None
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        elif msvcrt is not None:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
    except OSError:
        os.close(fd)
        return None
    return fd


def create_exclusive(path: Path, data: bytes) -> bool:
    """Create `path` holding `data`, whole, only if nothing is there; False if something is.

    The data goes to a temporary file in the same folder first (written and fsynced), which is
    then hard-linked to `path`: the link fails if `path` exists, and appears whole or not at all.
    Where hard links are not supported the file is created exclusively and written in place."""
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            if hasattr(os, "fchmod"):
                os.fchmod(f.fileno(), 0o644)
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        try:
            os.link(tmp, path)
        except FileExistsError:
            return False
        except OSError:  # no hard links here (some network or FAT file systems)
            try:
                out = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            except FileExistsError:
                return False
            with os.fdopen(out, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
    finally:
        try:
            os.unlink(tmp)
        except OSError:
            pass
    fsync_folder(folder)
    return True


def shown_name(path: Path) -> str:
    """A run's name for a message, as Load lists it: quoted, without `.json`, its control
    characters escaped, cut if long."""
    from game.engine.safe_text import shown

    name = path.name[:-len(".json")] if path.name.endswith(".json") else path.name
    return f"“{shown(name, 80)}”"


def _same_entry(a: Path, b: Path) -> bool:
    try:
        return os.path.samestat(os.lstat(a), os.lstat(b))
    except OSError:
        return False


def _rename(source: Path, target: Path) -> None:
    try:
        os.rename(source, target)
    except OSError as exc:
        raise RunError(f"{shown_name(source)}: cannot move it: {exc.strerror or exc}") from None


def _move_new(source: Path, target: Path) -> bool:
    """Move `source` to `target` only if nothing is at `target`; False if something is.

    A hard link claims `target` atomically (it fails if the name is taken) and then the old name
    goes; a link is linked as a link, never followed. Where hard links are not supported the
    target is checked and the file renamed."""
    try:
        os.link(source, target, follow_symlinks=False)
    except FileExistsError:
        return False
    except FileNotFoundError:
        raise RunError(f"{shown_name(source)} is not in the saves folder any more") from None
    except (OSError, NotImplementedError):  # no hard links here (FAT, some network file systems)
        if os.path.lexists(target):
            return False
        _rename(source, target)
        return True
    try:
        os.unlink(source)
    except OSError as exc:
        try:
            os.unlink(target)  # put things back as they were: the file keeps its old name only
        except OSError:
            pass
        raise RunError(f"{shown_name(source)}: cannot move it: {exc.strerror or exc}") from None
    return True


def _numbered(base: str, n: int) -> str:
    """`base (n)`, with `base` cut (never mid-character) so the name stays within the byte limit."""
    suffix = f" ({n})"
    room = MAX_SLOT_BYTES - len(suffix.encode("utf-8"))
    return _cut(base, room).rstrip(" .") + suffix


def _cut(text: str, limit: int) -> str:
    """`text` cut to at most `limit` UTF-8 bytes, on a character boundary."""
    return text.encode("utf-8")[:limit].decode("utf-8", "ignore")


def safe_slot_name(text: str, fallback: str = "run") -> str:
    """A valid slot name made from any text (a side's name and a date, say): characters a slot
    name may not hold become '-', the length is cut to the byte limit, and a name that is still
    not allowed (empty, reserved, a device name) becomes `fallback`."""
    slot_char = _SLOT_CHAR()
    name = "".join(ch if slot_char.fullmatch(ch) else "-" for ch in text)
    name = re.sub(r"\.{2,}", ".", re.sub(r"-{2,}", "-", name))
    name = _cut(name, MAX_SLOT_BYTES).strip(" .-")
    return name if not slot_name_problem(name) else fallback


def _glob_escape(name: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", name)


def slot_name_problem(name: str) -> Optional[str]:
    """Why `name` cannot be a slot name, or None. Shown to the player as typed."""
    if not isinstance(name, str) or not name.strip():
        return "it is empty"
    if "\0" in name or any(unicodedata.category(ch).startswith("C") for ch in name):
        return "it contains control characters"
    if len(name.encode("utf-8")) > MAX_SLOT_BYTES:
        return f"it is too long ({len(name.encode('utf-8'))} bytes in UTF-8; at most {MAX_SLOT_BYTES})"
    if "/" in name or "\\" in name:
        return "it contains a slash"
    if ".." in name:
        return "it contains '..'"
    if name.casefold() in RESERVED_NAMES or _AUTOSAVE().fullmatch(name.casefold()):
        return f"{name!r} is the name of an autosave or the quick save"
    if name != name.strip() or name.endswith("."):
        return "it starts or ends with a space or ends with a dot"
    if not _SLOT().fullmatch(name):
        return "use letters, digits, spaces and - _ . , ' ( ) ! +"
    if name.split(".")[0].upper() in _WINDOWS_DEVICES:
        return f"{name!r} is a device name on Windows"
    return None


_WINDOWS_DEVICES = frozenset({"CON", "PRN", "AUX", "NUL"} | {f"COM{i}" for i in range(10)} | {f"LPT{i}" for i in range(10)})
