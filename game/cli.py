"""The `boardroom` command: argument parsing and dispatch, nothing else.

Each subcommand lives in `game/commands/`, in the module named after it, and is imported only
when run, so `boardroom check` never loads Textual and `boardroom` reaches its first frame sooner.
Exit codes: 0 fine, 1 the story or run has problems, 2 bad usage or unreadable input.
"""

from __future__ import annotations

import gc
import os
import sys
from types import SimpleNamespace
from typing import TYPE_CHECKING, Optional, Sequence, cast

if TYPE_CHECKING:  # argparse is imported only for a command line that needs a parser (game.parser)
    import argparse

SIDES = ("altman", "sutskever", "nadella")


def version() -> str:
    """The installed distribution's version (the source of truth is pyproject.toml)."""
    from importlib.metadata import PackageNotFoundError, version as dist_version

    try:
        return dist_version("boardroom")
    except PackageNotFoundError:
        return "unknown (not installed)"


COMMANDS = ("play", "check", "explore", "graph", "new", "schema", "replay", "test", "where", "serve", "bench", "lsp")
"""Each is `game.commands.<name>.main`; no command means `play`."""


def parse_args(argv: Optional[Sequence[str]] = None) -> "argparse.Namespace":
    """The command line, parsed. `boardroom` and `boardroom play --side SIDE`, with whole
    --story and --saves options, which open the game, are read without any parser; a command
    line naming its command first (after whole --story and --saves options) is parsed by a
    parser of that command alone. Both cost milliseconds less before the first frame. Help,
    the version and errors always come from the full parser."""
    args = list(sys.argv[1:] if argv is None else argv)
    plain = _opening_the_game(args)
    if plain is not None:
        return plain
    from game.parser import Retry, Trial, build_parser as build

    command = _named_command(args)
    if command is not None:
        try:
            return build(command, Trial).parse_args(args)
        except Retry:
            pass
    return build().parse_args(args)


def _named_command(args: list[str]) -> Optional[str]:
    """The command, when it is the first word after whole --story and --saves options."""
    rest = iter(args)
    for arg in rest:
        if arg in ("--story", "--saves"):
            next(rest, None)
        elif not arg.startswith(("--story=", "--saves=")):
            return arg if arg in COMMANDS else None
    return None


PLAY_DEFAULTS: dict[str, object] = {"plain": False, "side": None, "watch": False, "load": None, "start_scene": None}
"""What the full parser gives `play`'s options a command line leaves out (`set_values` is a new
list each time); tests/test_cli.py holds this to the parser."""


def _opening_the_game(args: list[str]) -> Optional["argparse.Namespace"]:
    """What the full parser gives for a command line of whole --story and --saves options, or of
    `play` with those and --side (values that do not start with '-'), or None for any other
    command line. A plain namespace: the commands read its attributes, as argparse's."""
    given: dict[str, Optional[str]] = {"story": None, "saves": None}
    play = False
    rest = iter(args)
    for arg in rest:
        if arg == "play" and not play:
            play = True
            continue
        name, eq, value = arg.partition("=")
        if name not in ("--story", "--saves") and not (play and name == "--side"):
            return None
        if not eq:
            value = next(rest, "")
            if not value or value.startswith("-"):
                return None
        given[name[2:]] = value
    if not play:
        return cast("argparse.Namespace", SimpleNamespace(**given, command=None))
    return cast("argparse.Namespace", SimpleNamespace(**{**PLAY_DEFAULTS, "set_values": [], **given, "command": "play"}))


def main(argv: Optional[Sequence[str]] = None) -> int:
    # Starting the game builds hundreds of thousands of objects that live as long as it does
    # (Textual, the engine, the story); the collector would walk them all several times over
    # while they are made, for nothing. It is off until the game is up: the app collects once and
    # freezes what it has then (`game.tui.loading`); every other command turns it on at once.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _main(argv)
    finally:
        if enabled:
            gc.enable()


def _main(argv: Optional[Sequence[str]]) -> int:
    from game.commands.shared import settle_folders

    args = parse_args(argv)
    command = args.command or "play"
    if command != "play" or getattr(args, "plain", False):
        gc.enable()
    problem = settle_folders(args)
    if problem:
        print(problem, file=sys.stderr)
        return 2
    try:
        return _run(command, args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # stdout closed early (`boardroom graph | head`): not an error worth a traceback
        try:
            sys.stdout = open(os.devnull, "w")
        except OSError:
            pass
        return 0


def _run(command: str, args: "argparse.Namespace") -> int:
    """Import the command's module only now: `boardroom check` never loads Textual."""
    import importlib

    if command not in COMMANDS:  # the parser knows every command; a module name never comes from elsewhere
        raise ValueError(f"unknown command {command!r}")
    return int(importlib.import_module(f"game.commands.{command}").main(args))
