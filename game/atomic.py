"""The one way the game writes a file the player would miss: whole old file or whole new file.

Runs, settings, the endings gallery, command output files (`-o`) and the story cache all go
through `write_atomic`. A temporary file in the
same folder is written, flushed and fsynced, then renamed over the target (atomic on POSIX and
Windows), and the folder is fsynced so the rename itself survives a power cut. Standard library
only: settings are written on the app's startup path.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, data: bytes, *, durable: bool = True, make_folder: bool = True) -> None:
    """Replace `path` with `data` atomically; `OSError` (and no stray temporary file) on failure.

    `durable=False` skips the fsyncs, for a file that can always be rebuilt (the story cache);
    `make_folder=False` leaves a missing folder an error, for a path a user typed.
    """
    path = Path(path)
    folder = path.parent
    if make_folder:
        folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            if hasattr(os, "fchmod"):  # mkstemp makes 0600; keep the mode of the file replaced
                try:
                    mode = path.stat().st_mode & 0o777
                except OSError:
                    mode = 0o644
                os.fchmod(f.fileno(), mode)
            f.write(data)
            if durable:
                f.flush()
                os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    if durable:
        fsync_folder(folder)


def fsync_folder(folder: Path) -> None:
    """Make a rename in `folder` durable; a no-op where folders cannot be opened (Windows)."""
    if not hasattr(os, "O_DIRECTORY"):
        return
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
