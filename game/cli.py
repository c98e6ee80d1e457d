"""The `boardroom` command: argument parsing and dispatch, nothing else.

Each subcommand lives in the module named for what it does and is imported only when run,
so `boardroom check` never loads Textual and `boardroom` reaches its first frame sooner.
Exit codes: 0 fine, 1 the story or run has problems, 2 bad usage or unreadable input.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Callable, NoReturn, Optional, Sequence

SIDES = ("altman", "sutskever", "nadella")
PLAYING = (None, "play")
"""Commands that play, and so bring in runs from a clone's old `./saves`."""
WRITING = ("new", "schema")
"""Commands that write into the story folder."""


def version() -> str:
    """The installed distribution's version (the source of truth is pyproject.toml)."""
    from importlib.metadata import PackageNotFoundError, version as dist_version

    try:
        return dist_version("boardroom")
    except PackageNotFoundError:
        return "unknown (not installed)"


class _Parser(argparse.ArgumentParser):
    """argparse, with its usage errors as one line: `boardroom: error: ...`, exit 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


class _Version(argparse.Action):
    """`--version`, reading the version only when asked (importlib.metadata is slow to start)."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: object):
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, help=str(kwargs.get("help", "")))

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        print(f"{parser.prog} {version()}")
        parser.exit(0)


def build_parser() -> argparse.ArgumentParser:
    # --story and --saves may come before or after the command. The copies on the subcommands
    # default to SUPPRESS, so an option given before the command is not reset by them.
    def options(default_story: object, default_saves: object) -> tuple[argparse.ArgumentParser, ...]:
        story = argparse.ArgumentParser(add_help=False)
        story.add_argument("--story", metavar="DIR", default=default_story,
                           help="story folder (default: $BOARDROOM_STORY, else ./story if it is a Boardroom "
                                "story, else the one that came with the game)")
        saves = argparse.ArgumentParser(add_help=False)
        saves.add_argument("--saves", metavar="DIR", default=default_saves,
                           help="saves folder (default: $BOARDROOM_SAVES, else saves/ in the user data folder)")
        return story, saves

    top_story, top_saves = options(None, None)
    common, saves = options(argparse.SUPPRESS, argparse.SUPPRESS)

    p = _Parser(prog="boardroom", description="Boardroom: five days at OpenAI, November 2023. "
                "With no command, opens the game.", parents=[top_story, top_saves])
    p.add_argument("--version", action=_Version, help="print the version and exit")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    play = sub.add_parser("play", parents=[common, saves], help="play the game (Textual app, or --plain text)")
    play.add_argument("--plain", action="store_true", help="plain text on stdin/stdout, for screen readers and scripts")
    play.add_argument("--side", metavar="SIDE", help="start a new run as this side")
    play.add_argument("--watch", action="store_true", help="reload the story when a file changes (for authors)")
    play.add_argument("--load", metavar="FILE", help="continue a saved run")

    check = sub.add_parser("check", parents=[common], help="check a story folder and list every problem")
    check.add_argument("dir", nargs="?", metavar="DIR", help="story folder (default: as --story)")
    check.add_argument("--format", choices=("text", "json"), default="text")
    check.add_argument("--strict", action="store_true", help="fail (exit 1) on warnings too, for CI")

    explore = sub.add_parser("explore", parents=[common], help="play every branch: endings, coverage, soft locks")
    explore.add_argument("--side", action="append", help="only this side (repeatable)")
    explore.add_argument("--random", type=int, metavar="N", help="N seeded random play-throughs instead")
    explore.add_argument("--seed", type=int, default=0, metavar="S", help="random seed (default 0)")
    explore.add_argument("--max-states", type=int, default=1_000_000, metavar="N", help="stop after N states")
    explore.add_argument("--out", metavar="DIR", help="write a run file reproducing each soft lock, trap or loop here")
    explore.add_argument("--allow-unreached", action="store_true",
                         help="do not fail when a scene or an ending is never reached")
    explore.add_argument("--run", type=int, metavar="I", help="with --random: print run I of each side in full")
    explore.add_argument("--format", choices=("text", "json"), default="text")
    explore.add_argument("--shape", action="store_true",
                         help="how much the choices branch the story: single options, shared targets, scenes off the documented path")

    graph = sub.add_parser("graph", parents=[common], help="the story as a DOT or Mermaid graph")
    graph.add_argument("--format", choices=("dot", "mermaid"), default="mermaid")
    graph.add_argument("--side", metavar="SIDE")
    graph.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")

    new = sub.add_parser("new", parents=[common], help="scaffold new story content")
    new_sub = new.add_subparsers(dest="what", metavar="WHAT", required=True, parser_class=_Parser)
    branch = new_sub.add_parser("branch", parents=[common], help="a new branch hooked onto an existing scene")
    branch.add_argument("name", help="a short name, e.g. 'call-chesky'")
    branch.add_argument("--from", dest="from_scene", required=True, metavar="SCENE", help="scene to hook onto")

    schema = sub.add_parser("schema", parents=[common], help="write the story format's JSON Schema")
    schema.add_argument("--check", action="store_true", help="exit 1 if the committed schema is out of date")
    schema.add_argument("-o", "--output", metavar="FILE", help="default: <story>/schema.json")

    replay = sub.add_parser("replay", parents=[common, saves], help="print, export or verify saved runs")
    replay.add_argument("path", metavar="FILE|DIR")
    replay.add_argument("--verify", action="store_true", help="re-run against the current story; exit 1 on divergence")
    replay.add_argument("--format", choices=("text", "markdown"), default="text")
    replay.add_argument("-o", "--output", metavar="FILE", help="write the transcript to FILE")
    replay.add_argument("--write-golden", action="store_true",
                        help="write each side's documented path ([history.<side>]) as a golden run into DIR")

    sub.add_parser("where", parents=[common, saves], help="every folder the game uses: story, saves, settings, cache")

    bench = sub.add_parser("bench", parents=[common], help="measure startup, loading, exploration, replay")
    bench.add_argument("--quick", action="store_true", help="fewer repetitions")
    bench.add_argument("--only", action="append", metavar="NAME", help="run only this measurement (repeatable)")
    return p


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = build_parser().parse_args(argv)
    problem = settle_folders(args)
    if problem:
        print(problem, file=sys.stderr)
        return 2
    handlers: dict[Optional[str], Callable[[argparse.Namespace], int]] = {
        None: _tui,
        "play": _play,
        "check": _check,
        "explore": _lazy("game.explore", "main"),
        "graph": _lazy("game.export", "graph_main"),
        "new": _lazy("game.scaffold", "main"),
        "schema": _lazy("game.schema", "main"),
        "replay": _lazy("game.runs_cli", "main"),
        "bench": _lazy("game.bench", "main"),
        "where": _lazy("game.where", "main"),
    }
    try:
        return handlers[args.command](args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # stdout closed early (`boardroom graph | head`): not an error worth a traceback
        try:
            sys.stdout = open(os.devnull, "w")
        except OSError:
            pass
        return 0


def _lazy(module: str, func: str) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        import importlib

        return int(getattr(importlib.import_module(module), func)(args))

    return run


def _check(args: argparse.Namespace) -> int:
    from game.check import main as check_main

    return check_main(args)


def _play(args: argparse.Namespace) -> int:
    if args.plain:
        from game.plain import main as plain_main

        return plain_main(args)
    return _tui(args)


def _tui(args: argparse.Namespace) -> int:
    if not sys.stdout.isatty() or not sys.stdin.isatty():
        if os.environ.get("BOARDROOM_FORCE_TUI") != "1":
            print("boardroom: error: the game needs a terminal; use 'boardroom play --plain' to play on "
                  "stdin/stdout", file=sys.stderr)
            return 2
    from game.tui.app import run_app

    return run_app(args)


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
    args.saves = str(folders.saves_dir(getattr(args, "saves", None)))
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
