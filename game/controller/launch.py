"""What `play --side S` and `play --load F` mean, decided once for the app and plain mode.

Both front ends check the command line the same way before they take over the terminal, so the
same flags give the same game or the same one-line error and exit code everywhere:

- `--side S` starts a new run as S; a side the story lacks is a usage error (exit 2).
- `--load F` continues the saved run F; an unreadable file is exit 2, a run of another story
  or of a side the story no longer has is exit 1 (the run does not fit), like `replay --verify`.
- `--side` and `--load` together are refused (exit 2): a loaded run already has its side, and
  guessing which flag the player meant would start the wrong game.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Optional

if TYPE_CHECKING:
    from game.engine.story import Story
    from game.runs import RunFile


@dataclass(frozen=True)
class Launch:
    """Where play begins: a new run as `side`, the saved `run`, or (both None) the player's pick."""

    side: Optional[str]
    run: Optional["RunFile"]


@dataclass(frozen=True)
class LaunchError:
    message: str
    """One line, without the `boardroom: error:` prefix the front end adds."""
    code: Literal[1, 2]


def launch(story: "Story", side: Optional[str], load: Optional[str | Path]) -> Launch | LaunchError:
    """Check `--side` and `--load` against `story` (reading the run file)."""
    if side and load:
        return LaunchError("give --load FILE or --side SIDE, not both", 2)
    if side:
        if side not in story.sides:
            return LaunchError(f"this story has no side {side!r} (sides: {', '.join(story.sides)})", 2)
        return Launch(side, None)
    if load:
        from game.runs import RunError, Unplayable, read_run, resume

        try:
            run = read_run(Path(load))
            resume(story, run)
        except Unplayable as exc:
            return LaunchError(f"{load}: {exc}", 1)
        except RunError as exc:
            return LaunchError(str(exc), 2)
        return Launch(None, run)
    return Launch(None, None)
