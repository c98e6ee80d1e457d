"""What every command needs: the story or why not, the folders, and errors in one line.

Every command that needs a story says the same thing the same way when it is broken, and
every command reads the same folders (`settle_folders` decides them once, before dispatch).
Exit codes, for every command: 0 fine, 1 the story or a run has problems, 2 bad usage or
unreadable input.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Optional

if TYPE_CHECKING:  # `settle_folders` runs before the app's first frame: no pydantic, no argparse here
    import argparse

    from game.engine.story import Story

ExitCode = Literal[0, 1, 2]

SHOWN_ERRORS = 10
"""How many of a broken story's errors a command other than `check` prints."""

PLAYING = (None, "play")
"""Commands that play, and so bring in runs from a clone's old `./saves`."""
WRITING = ("new", "schema")
"""Commands that write into the story folder."""


def error(message: str, command: str = "boardroom") -> None:
    """`boardroom: error: message` on stderr: the one shape every command's errors take."""
    print(f"{command}: error: {message}", file=sys.stderr)


def load_or_report(story_dir: str | Path, command: str = "boardroom", *, cached: bool = False) -> Optional["Story"]:
    """The story, or None after printing its first errors and how to see them all.

    Every command that needs a story to run (play, explore, graph, replay, new) says the same
    thing the same way when the story is broken, and exits 1. Only playing passes `cached`:
    the story then comes from the compiled cache when its files are unchanged
    (`story_cache.py`); every other command validates from source.
    """
    if cached:
        from game.story_cache import load_story_cached

        story, diagnostics = load_story_cached(story_dir)
    else:
        from game.engine.load import compile_story

        story, diagnostics = compile_story(story_dir)
    if story is not None:
        return story
    errors = [d for d in diagnostics if d.severity == "error"]
    for d in errors[:SHOWN_ERRORS]:
        print(d.format(), file=sys.stderr)
    if len(errors) > SHOWN_ERRORS:
        print(f"... and {len(errors) - SHOWN_ERRORS} more", file=sys.stderr)
    error(f"the story in {str(story_dir)!r} has errors; fix them first "
          f"('boardroom check {story_dir}' lists them all)", command)
    return None


def settle_folders(args: argparse.Namespace) -> str:
    """Decide the story and saves folders once, for every command; a problem as one line, else "".

    `args.story` and `args.saves` become paths every command can use as they are. A story the
    user did not name and that is not the shipped one gets one line on stderr saying which it is.
    """
    from game import folders

    given = getattr(args, "dir", None) or getattr(args, "story", None)
    choice = folders.find_story(given)
    args.story = str(choice.path)
    args.story_source = choice.source
    args.saves_given = getattr(args, "saves", None)
    """--saves as typed: `boardroom serve` makes its tabs' folders inside it, not in the game's saves."""
    args.saves = str(folders.saves_dir(args.saves_given))
    if choice.note and args.command != "where":
        print(f"boardroom: {choice.note}", file=sys.stderr)
    if args.command in WRITING and not getattr(args, "check", False) and folders.is_packaged(choice.path):
        return (f"boardroom {args.command}: error: the story that came with the game ({choice.path}) is not for "
                f"editing; work in a clone of the game, or copy the story and pass --story DIR")
    if args.command in PLAYING:
        legacy, copied = folders.import_legacy_saves(Path(args.saves))
        if copied:
            print(f"boardroom: copied {len(copied)} run{'s' if len(copied) != 1 else ''} from "
                  f"{folders.shown(legacy)} into {args.saves} (the originals stay where they are)",  # type: ignore[arg-type]
                  file=sys.stderr)
    return ""


def story_path(args: argparse.Namespace) -> Path:
    """The story folder a command should read: `check DIR` wins over `--story` (see settle_folders)."""
    return Path(getattr(args, "dir", None) or args.story)
