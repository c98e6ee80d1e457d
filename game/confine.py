"""Where a command may write: inside the folder it was given, and nowhere else.

File names the game makes up come partly from files other people wrote (a side id becomes a
golden run's name, a scene id a soft lock's). Ids are checked at load, but every writer also
goes through `confined`, so a name that could leave its folder is refused rather than followed,
whatever made it: `..`, an absolute path, a symbolic link planted in the folder.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from game.atomic import write_atomic
from game.engine.safe_text import shown


class OutsideFolder(ValueError):
    """A file name that would put the file outside the folder it was meant for."""


def confined(folder: Path | str, name: str) -> Path:
    """`folder / name`, resolved, if it stays directly or deeper inside `folder` (resolved);
    `OutsideFolder` otherwise. Nothing is created or read."""
    base = Path(folder)
    try:
        root = base.resolve()
        target = (root / name).resolve()
    except (OSError, RuntimeError, ValueError) as exc:
        raise OutsideFolder(f"cannot use the name {shown(repr(name), 80)} in {shown(str(base), 200)}: {exc}") from None
    if target == root or root not in target.parents or Path(name).is_absolute():
        raise OutsideFolder(f"refusing to write {shown(repr(name), 80)}: it would land outside "
                            f"{shown(str(base), 200)}")
    return target


def write_output(path: Path | str, text: str) -> None:
    """Write a command's output file (`-o FILE`) whole or not at all: a temporary file in the same
    folder, then a rename. An existing folder, FIFO or device is refused, never opened, so writing
    cannot block on a pipe nobody reads or wander into a device. Raises `OSError` with a reason."""
    path = Path(path)
    try:
        st = os.stat(path)
    except FileNotFoundError:
        st = None
    if st is not None and not stat.S_ISREG(st.st_mode):
        raise IsADirectoryError(21, "is a folder, not a file") if stat.S_ISDIR(st.st_mode) else \
            OSError(22, "is not a regular file (a FIFO, a device or a socket)")
    write_atomic(path, text.encode("utf-8"), make_folder=False)
