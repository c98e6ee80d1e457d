"""`boardroom play` (and `boardroom` alone): the Textual app, or plain text with `--plain`.

Both front ends get the same checks of `--side` and `--load` (`game.controller.launch`),
made here before the terminal is taken over, so a bad flag is one line and an exit code in
either. Plain `boardroom` takes the story from the compiled cache here when its files have not
changed (its first frame is then the whole title); otherwise the app compiles it after a first
frame that says it is loading.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Optional

from game.commands.shared import error, load_or_report

if TYPE_CHECKING:
    import argparse

    from game.controller.launch import Launch
    from game.engine.story import Story
    from game.runs import RunFile


def main(args: argparse.Namespace) -> int:
    if getattr(args, "plain", False):
        return plain(args)
    return app(args)


def _checked(args: argparse.Namespace, story_dir: Path) -> tuple["Story", "Launch"] | int:
    """The story and where play starts, or the exit code after saying what is wrong.

    Playing loads the story from the compiled cache when its files are unchanged (`--watch`
    is for authors, so it reads the source)."""
    from game.controller.launch import LaunchError, launch

    story = load_or_report(story_dir, cached=not getattr(args, "watch", False))
    if story is None:
        return 1
    start = launch(story, getattr(args, "side", None), getattr(args, "load", None),
                   getattr(args, "start_scene", None), getattr(args, "set_values", None))
    if isinstance(start, LaunchError):
        if start.located:
            print(start.located, file=sys.stderr)
        else:
            error(start.message)
        return start.code
    return story, start


def plain(args: argparse.Namespace) -> int:
    """Plain text on stdin and stdout, driving the same controller as the app."""
    from game.controller.game import Game
    from game.controller.settings import load_settings
    from game.folders import config_dir
    from game.plain import Plain

    checked = _checked(args, Path(args.story))
    if isinstance(checked, int):
        return checked
    story, start = checked
    folder = config_dir()
    problems: list[str] = []
    game = Game(Path(args.story), Path(args.saves), folder, load_settings(folder, problems))
    loaded = game.read(story, latest=False)  # plain mode offers no "continue"
    game.take(loaded)
    for problem in [*problems, *loaded.problems]:
        print(f"boardroom: warning: {problem}", file=sys.stderr)
    lines = (line.rstrip("\n") for line in sys.stdin)
    try:
        return Plain(game, sys.stdout, lines).run(start)
    finally:
        game.close()


def app(args: argparse.Namespace) -> int:
    """The Textual app; `--side` and `--load` need the story before the first frame, so they load it here."""
    # Piped without a terminal, Textual would draw escape codes into a file or a pipe: point to plain
    # mode instead. A Textual driver named in the environment (textual-serve sets TEXTUAL_DRIVER to
    # its web driver, which talks over pipes on purpose) means something is hosting the app.
    if not sys.stdout.isatty() or not sys.stdin.isatty():
        if os.environ.get("BOARDROOM_FORCE_TUI") != "1" and not os.environ.get("TEXTUAL_DRIVER"):
            error("the game needs a terminal; use 'boardroom play --plain' to play on stdin/stdout")
            return 2
    story_dir = Path(args.story)
    side = getattr(args, "side", None)
    load = getattr(args, "load", None)
    story: Optional["Story"] = None
    run: Optional["RunFile"] = None
    state = None
    if side or load or getattr(args, "start_scene", None) or getattr(args, "set_values", None):
        checked = _checked(args, story_dir)
        if isinstance(checked, int):
            return checked
        story, start = checked
        side, run, state = start.side, start.run, start.state
    elif not getattr(args, "watch", False):
        from game.story_cache import cached_story

        # unchanged since it was last played: the title is whole in its first frame
        story = cached_story(story_dir)
    from game.tui.app import BoardroomApp

    tui = BoardroomApp(story_dir, Path(args.saves), side=side, run=run, story=story, state=state,
                       watch=bool(getattr(args, "watch", False)))
    tui.run()
    return tui.return_code or 0
