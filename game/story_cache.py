"""The compiled story cache: the game starts from JSON when the story's files have not changed.

As Ren'Py keeps `.rpyc` files and ink ships compiled JSON: validating a story means tomli and
pydantic, and importing pydantic alone costs more than reading the whole compiled story. So
after a successful compile the story is written, as JSON, to the user cache folder; the next
start reads every story file's bytes, hashes them, and when a cache entry for exactly that
hash exists, decodes it instead of compiling (no tomli, no pydantic).

The cache is never trusted. Its file name is derived from the story's digest (every file's
name and bytes, recomputed on every load), the version of the compiler's code and the cache
format; the file carries that key, the digest, the story's fingerprint, and the digest and
length of its payload, and the payload is checked type by type on decode (`engine/codec.py`).
The digests are BLAKE2b, which needs no OpenSSL (see `engine/files.py`); the fingerprint is the
loader's SHA-256 of the same files, recorded when the story was compiled and cached, so a run
started from the cache records what it would have from source. Anything that does not
match — corrupt, truncated, stale, written for another story or by another version, not a
regular file, owned by someone else or writable by others, unreadable — is ignored and replaced
by a fresh compile. It holds JSON only: no pickle, no marshal, no code. (What this cannot stop is
a program running as the player rewriting the cache consistently, digest and all; such a
program can equally rewrite the game itself.) Only the game's play path reads it: `check`, `explore` and
the authoring tools always compile from source.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING, Mapping, Optional

from game.atomic import write_atomic
from game.engine.files import blake2b, story_digest
from game.folders import cache_dir
from game.patterns import pattern

if TYPE_CHECKING:
    from game.engine.diagnostics import Diagnostic
    from game.engine.story import Scene, Story

MAGIC = "boardroom-story-cache"
FORMAT_VERSION = 4
"""Bump when the file's layout changes (the payload's shape is covered by the schema signature).
3: the payload is ASCII, every other character written as a JSON escape. 4: BLAKE2b digests,
and the story's fingerprint in the header."""
MAX_CACHE_BYTES = 256 * 1024 * 1024
KEEP = 16
"""Cache files kept: one per story version recently played; the oldest go first."""
_NAME = pattern(r"^story-[0-9a-f]{32}\.json$")

_signature: Optional[str] = None


def compiler_signature() -> str:
    """The version of everything that decides what a compiled story looks like: the cache
    format, the compiled story's dataclasses, and the engine's own source files.

    The files are known by name, size and modification time, as Python knows a `.pyc` from
    its source: an edited checkout never reads a cache an older compiler wrote, and no source
    is read to find out (hashing them was a millisecond of every start)."""
    global _signature
    if _signature is None:
        from game.engine.codec import schema_signature

        digest = blake2b(f"{MAGIC} {FORMAT_VERSION} {schema_signature()}".encode(), digest_size=32)
        with os.scandir(Path(__file__).parent / "engine") as entries:
            sources = sorted((e.name, e.stat()) for e in entries if e.name.endswith(".py"))
        for name, st in sources:
            digest.update(f"{name} {st.st_size} {st.st_mtime_ns}\0".encode())
        _signature = digest.hexdigest()
    return _signature


def cache_key(digest: str, root: Path) -> str:
    """Which cache file holds the story whose files hash to `digest`, loaded from `root`.

    The folder as given and the current folder are part of it: the compiled story records
    its root and the paths of its files as the loader shows them."""
    parts = [FORMAT_VERSION, compiler_signature(), digest, str(root), os.path.abspath(root), os.getcwd()]
    return blake2b(json.dumps(parts).encode(), digest_size=16).hexdigest()


def load_story_cached(root: Path | str, folder: Optional[Path] = None) -> tuple[Optional["Story"], list["Diagnostic"]]:
    """What `compile_story(root)` gives, from the cache when the story's files are unchanged.

    Compiles (and caches the result) on a miss; a story with errors is never cached, so its
    diagnostics always come from the compiler."""
    root = Path(root)
    folder = cache_dir() if folder is None else folder
    digest, key, found = _look_up(root, folder)
    if found is not None:
        return found
    from game.engine.load import compile_story

    story, diagnostics = compile_story(root)
    # hashed again: the files the compiler read are the ones hashed before it (not an edit saved meanwhile)
    if story is not None and digest is not None and story_digest(root) == digest:
        write_cache(folder / f"story-{key}.json", key, digest, story, diagnostics)
    return story, diagnostics


def cached_story(root: Path | str, folder: Optional[Path] = None) -> Optional["Story"]:
    """The story from the cache when its files are unchanged and their cache entry passes every
    check; None otherwise, having compiled and written nothing.

    What lets `boardroom` show a whole title in its first frame when nothing changed: a
    miss costs a hash of the story's files, and the app then loads the story after a first
    frame that says so, as it must when compiling takes a while."""
    found = _look_up(Path(root), cache_dir() if folder is None else folder)[2]
    return found[0] if found is not None else None


def _look_up(root: Path, folder: Path) -> tuple[Optional[str], str, Optional[tuple["Story", list["Diagnostic"]]]]:
    """The story's digest (None when its files cannot be hashed), its cache key, and what its
    cache entry holds, if that passes every check."""
    digest = story_digest(root) if root.is_dir() else None
    if digest is None:
        return None, "", None
    try:
        key = cache_key(digest, root)
    except OSError:  # the current folder is gone: nothing to key a cache by
        return None, "", None
    return digest, key, read_cache(folder / f"story-{key}.json", key, digest, root)


def read_cache(path: Path, key: str, digest: str, root: Path) -> Optional[tuple["Story", list["Diagnostic"]]]:
    """The story in the cache file `path`, or None unless every check passes."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0))
        with open(fd, "rb") as handle:
            st = os.fstat(handle.fileno())
            if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_CACHE_BYTES or not _own(st):
                return None
            data = handle.read(st.st_size + 1)  # not a buffer the size of the limit: see engine/files.py
    except OSError:
        return None
    if len(data) != st.st_size:  # written to while read
        return None
    header, newline, payload = data.partition(b"\n")
    if not newline:
        return None
    try:
        head = json.loads(header)
        fingerprint = head.pop("fingerprint", None) if type(head) is dict else None
        if type(fingerprint) is not str or head != _header(key, digest, payload):
            return None
        from game.engine.codec import decode_story

        # ASCII, as written: decoded at the speed of a copy and scanned as narrow text, where a
        # single emoji in the story made the whole payload four bytes a character to scan.
        found = decode_story(json.loads(payload.decode("ascii")), str(root), fingerprint,
                             from_source=lambda: _scenes_from_source(path, key, digest, root, fingerprint))
    except Exception:  # noqa: BLE001 - whatever is wrong with a cache, the cure is to rebuild it
        return None
    try:
        os.utime(path)  # the most recently used survive pruning
    except OSError:
        pass
    return found


def _scenes_from_source(path: Path, key: str, digest: str, root: Path, fingerprint: str) -> Mapping[str, "Scene"]:
    """The scenes of the story compiled from its files, for a cached story one of whose scenes
    failed its checks when read (`codec.ScenesOnRead`); the cache file is rewritten from them."""
    from game.engine.codec import CodecError
    from game.engine.load import compile_story

    story, diagnostics = compile_story(root)
    if story is None or story.fingerprint != fingerprint:
        raise CodecError(f"a scene in the story cache failed its checks, and the story in {str(root)!r} has "
                         "changed since the game started: start the game again")
    if story_digest(root) == digest:
        write_cache(path, key, digest, story, diagnostics)
    return story.scenes


def _own(st: os.stat_result) -> bool:
    """A cache file someone else owns, or that others may write to, may say anything: it is
    not ours to believe (a shared `$BOARDROOM_CACHE_DIR`, say)."""
    getuid = getattr(os, "getuid", None)
    if getuid is None:  # Windows: the user's own profile folder is the only protection there is
        return True
    return st.st_uid == getuid() and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def write_cache(path: Path, key: str, digest: str, story: "Story", diagnostics: list["Diagnostic"]) -> bool:
    """Write the cache file atomically (a crash leaves the old file or none); False if it could not be."""
    from game.engine.codec import encode_story

    try:
        payload = json.dumps(encode_story(story, diagnostics), ensure_ascii=True, separators=(",", ":")).encode("ascii")
    except (TypeError, ValueError):
        return False
    header = json.dumps({**_header(key, digest, payload), "fingerprint": story.fingerprint}).encode()
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        write_atomic(path, header + b"\n" + payload, durable=False)
    except OSError:
        return False
    prune(folder)
    return True


def _header(key: str, digest: str, payload: bytes) -> dict[str, object]:
    """What a cache file's first line says, but the story's fingerprint (the payload's own
    fingerprint must match that)."""
    return {"format": MAGIC, "version": FORMAT_VERSION, "key": key, "digest": digest,
            "blake2b": blake2b(payload, digest_size=32).hexdigest(), "bytes": len(payload)}


def prune(folder: Path, keep: int = KEEP) -> None:
    """Remove all but the `keep` most recently used cache files (ours only, by name)."""
    try:
        entries = []
        for entry in os.scandir(folder):
            if _NAME().match(entry.name) and entry.is_file(follow_symlinks=False):
                entries.append((entry.stat(follow_symlinks=False).st_mtime_ns, entry.path))
        entries.sort(reverse=True)
        for _, old in entries[keep:]:
            os.unlink(old)
    except OSError:
        pass


def cache_files(folder: Optional[Path] = None) -> list[Path]:
    """The story cache files in `folder` (the cache folder by default), for tests and tools."""
    folder = cache_dir() if folder is None else folder
    try:
        return sorted(p for p in folder.iterdir() if _NAME().match(p.name))
    except OSError:
        return []

