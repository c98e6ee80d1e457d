"""`--watch`: noticing that a story file changed, so the front end can reload it.

Polling, not file events: it works the same on every system and in containers, and comparing
every story file's name, modification time and size twice a second costs next to nothing.
"""

from __future__ import annotations

from pathlib import Path

Stamp = tuple[tuple[str, int, int], ...]

POLL_SECONDS = 0.5
"""How often a front end should call `StoryWatch.changed`."""


def stamp(root: Path) -> Stamp:
    """What --watch compares: every story file's name, modification time and size."""
    from game.engine.files import story_files

    out = []
    try:
        for path in story_files(root):
            try:
                st = path.stat()
            except OSError:
                continue
            out.append((str(path), st.st_mtime_ns, st.st_size))
    except OSError:
        pass
    return tuple(out)


class StoryWatch:
    """Remembers the story folder as it was, and says when it is no longer so."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self._stamp = stamp(self.root)

    def changed(self) -> bool:
        now = stamp(self.root)
        if now == self._stamp:
            return False
        self._stamp = now
        return True
