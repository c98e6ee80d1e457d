"""Which files make up a story, and how they are hashed: what both the loader and the cache read.

Kept apart from `load.py` so that a game starting from the compiled cache can list and hash
the story's files without importing the validator (tomli and pydantic).

The loader's fingerprint of a story is SHA-256 (runs record it, so it stays). The cache finds
a story by BLAKE2b instead, taken from the interpreter's own `_blake2` module: importing
`hashlib` loads OpenSSL, 2 to 3 ms of every start, more than hashing the whole story takes.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Protocol

try:
    from _blake2 import blake2b as blake2b
except ImportError:  # an interpreter built without it: hashlib's own (the same function)
    from hashlib import blake2b as blake2b

MAX_CACHED_FILE_BYTES = 16 * 1024 * 1024
"""A story file larger than this is never hashed for the cache: the loader judges it."""


PLANS = "tests"
"""The folder at the story's top that holds test plans (`boardroom test`), not story files."""


def story_files(root: Path) -> list[Path]:
    """Every `*.toml` under `root`, in a stable order, skipping hidden folders and the test
    plans in `tests/` at its top.

    Folders are walked without following links, so a linked folder (or a loop of them) is
    never entered; a `*.toml` that is a link is listed and the loader's `read_story_file`
    judges it (a link may not leave the story folder)."""
    return [Path(path) for _, path in _named_files(root)]


def _named_files(root: Path) -> list[tuple[str, str]]:
    """`story_files` as (its place under `root`, with '/' between folders; its path) pairs,
    sorted by the first: the walk and the names in strings, for the digest at every start
    (`pathlib` would cost it more than reading the files)."""
    top = os.fspath(root)
    prefix = os.path.join(top, "")
    found: list[tuple[str, str]] = []
    for folder, dirs, names in os.walk(top, followlinks=False):
        dirs[:] = [d for d in dirs if not d.startswith(".") and not (d == PLANS and folder == top)]
        place = "" if folder == top else folder[len(prefix):].replace(os.sep, "/") + "/"
        found.extend((place + n, os.path.join(folder, n)) for n in names if n.endswith(".toml") and not n.startswith("."))
    found.sort()
    return found


def digest_name(path: Path, root: Path, resolved_root: Path) -> str:
    """A file's name in the story's digest: its place in the resolved story folder.

    Only a link needs resolving (an `lstat`, where resolving costs one per folder on the way):
    `story_files` never enters a linked folder, so any other file it lists is where the walk
    found it. A path from elsewhere (the language server's unsaved files) is resolved."""
    if not os.path.islink(path):
        try:
            return path.relative_to(root).as_posix()
        except ValueError:
            pass
    return path.resolve().relative_to(resolved_root).as_posix()


class Digest(Protocol):
    def update(self, data: bytes, /) -> None: ...


def add_file_to_digest(digest: Digest, name: str, raw: bytes) -> None:
    """Add what one file contributes to the story's digest: its `digest_name` and its bytes,
    each followed by a NUL. Fed in pieces: joining them first would copy every file."""
    digest.update(name.encode() + b"\0")
    digest.update(raw)
    digest.update(b"\0")


def story_digest(root: Path) -> str | None:
    """The BLAKE2b of every story file's name and bytes, fed as the loader feeds its SHA-256
    (`add_file_to_digest`): what the cache knows a story by. None when a file is not a plain,
    readable, reasonably sized file: then only the loader, which says what is wrong, may read
    the story."""
    digest = blake2b(digest_size=32)
    try:
        files = _named_files(root)
        if not files:
            return None
        resolved_root: Path | None = None
        for name, path in files:
            # O_NONBLOCK: opening a FIFO that poses as a story file must not wait for a writer
            fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
            with open(fd, "rb") as handle:
                st = os.fstat(handle.fileno())
                if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_CACHED_FILE_BYTES:
                    return None
                # the size it has, and a byte more to see it end (a buffer the size of the limit
                # would be mapped and unmapped for every file)
                raw = handle.read(st.st_size + 1)
            if len(raw) > st.st_size:  # growing while read: the loader will judge it
                return None
            if os.path.islink(path):  # as `digest_name` names it: where the link leads
                resolved_root = resolved_root or root.resolve()
                name = digest_name(Path(path), root, resolved_root)
            add_file_to_digest(digest, name, raw)
    except (OSError, ValueError):
        return None
    return digest.hexdigest()
