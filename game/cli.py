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

DEFAULT_STORY = "story"
SIDES = ("altman", "sutskever", "nadella")


def default_saves() -> str:
    return os.environ.get("BOARDROOM_SAVES", "saves")


class _Parser(argparse.ArgumentParser):
    """argparse, with its usage errors as one line: `boardroom: error: ...`, exit 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


def build_parser() -> argparse.ArgumentParser:
    # --story and --saves may come before or after the command. The copies on the subcommands
    # default to SUPPRESS, so an option given before the command is not reset by them.
    def options(default_story: object, default_saves: object) -> tuple[argparse.ArgumentParser, ...]:
        story = argparse.ArgumentParser(add_help=False)
        story.add_argument("--story", metavar="DIR", default=default_story, help="story folder (default: story/)")
        saves = argparse.ArgumentParser(add_help=False)
        saves.add_argument("--saves", metavar="DIR", default=default_saves,
                           help="saves folder (default: $BOARDROOM_SAVES or saves/)")
        return story, saves

    top_story, top_saves = options(DEFAULT_STORY, None)
    common, saves = options(argparse.SUPPRESS, argparse.SUPPRESS)

    p = _Parser(prog="boardroom", description="Boardroom: five days at OpenAI, November 2023. "
                "With no command, opens the game.", parents=[top_story, top_saves])
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    play = sub.add_parser("play", parents=[common, saves], help="play the game (Textual app, or --plain text)")
    play.add_argument("--plain", action="store_true", help="plain text on stdin/stdout, for screen readers and scripts")
    play.add_argument("--side", metavar="SIDE", help="start a new run as this side")
    play.add_argument("--watch", action="store_true", help="reload the story when a file changes (for authors)")
    play.add_argument("--load", metavar="FILE", help="continue a saved run")

    check = sub.add_parser("check", parents=[common], help="check a story folder and list every problem")
    check.add_argument("dir", nargs="?", metavar="DIR", help="story folder (default: --story, story/)")
    check.add_argument("--format", choices=("text", "json"), default="text")

    explore = sub.add_parser("explore", parents=[common], help="play every branch: endings, coverage, soft locks")
    explore.add_argument("--side", action="append", help="only this side (repeatable)")
    explore.add_argument("--random", type=int, metavar="N", help="N seeded random play-throughs instead")
    explore.add_argument("--seed", type=int, default=0, metavar="S", help="random seed (default 0)")
    explore.add_argument("--max-states", type=int, default=1_000_000, metavar="N", help="stop after N states")
    explore.add_argument("--out", metavar="DIR", help="write a run file reproducing each soft lock here")
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

    bench = sub.add_parser("bench", parents=[common], help="measure startup, loading, exploration, replay")
    bench.add_argument("--quick", action="store_true", help="fewer repetitions")
    bench.add_argument("--only", action="append", metavar="NAME", help="run only this measurement (repeatable)")
    return p


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = build_parser().parse_args(argv)
    if getattr(args, "saves", None) is None:
        args.saves = default_saves()
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


def story_path(args: argparse.Namespace) -> Path:
    """The story folder a command should read: `check DIR` wins over `--story`."""
    return Path(getattr(args, "dir", None) or args.story)
