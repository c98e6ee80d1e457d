"""The command line's parser (argparse), whole or one command's alone.

Built only when a command line needs it: `boardroom`, `boardroom play --side X` and their
`--story`/`--saves` are read without it (`game.cli.parse_args`), and argparse, with gettext
under it, is some milliseconds of a start that a player waits through.
"""

from __future__ import annotations

import argparse
from typing import Callable, NoReturn, Optional, Sequence, TypeAlias


class _Parser(argparse.ArgumentParser):
    """argparse, with its usage errors as one line: `boardroom: error: ...`, exit 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


class _Version(argparse.Action):
    """`--version`, reading the version only when asked (importlib.metadata is slow to start)."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: object):
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, help=str(kwargs.get("help", "")))

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        if isinstance(parser, Trial):
            raise Retry
        from game.cli import version

        print(f"{parser.prog} {version()}")
        parser.exit(0)


def build_parser(only: Optional[str] = None, parser_class: type["_Parser"] | None = None) -> argparse.ArgumentParser:
    """The parser of the whole command line; with `only`, of that command alone (see
    `game.cli.parse_args`)."""
    cls = parser_class or _Parser
    # --story and --saves may come before or after the command. The copies on the subcommands
    # default to SUPPRESS, so an option given before the command is not reset by them.
    top_story, top_saves = _folder_options(None, None)
    common, saves = _folder_options(argparse.SUPPRESS, argparse.SUPPRESS)

    p = cls(prog="boardroom", description="Boardroom: five days at OpenAI, November 2023. "
            "With no command, opens the game.", parents=[top_story, top_saves])
    p.add_argument("--version", action=_Version, help="print the version and exit")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=cls)
    for name, add in _COMMAND_PARSERS.items():
        if only is None or name == only:
            add(sub, common, saves)
    return p


Subparsers: TypeAlias = "argparse._SubParsersAction[_Parser]"


def _folder_options(default_story: object, default_saves: object) -> tuple["_Parser", "_Parser"]:
    story = _Parser(add_help=False)
    story.add_argument("--story", metavar="DIR", default=default_story,
                       help="story folder (default: $BOARDROOM_STORY, else ./story if it is a Boardroom "
                            "story, else the one that came with the game)")
    saves = _Parser(add_help=False)
    saves.add_argument("--saves", metavar="DIR", default=default_saves,
                       help="saves folder (default: $BOARDROOM_SAVES, else saves/ in the user data folder)")
    return story, saves


def _play(sub: Subparsers, common: _Parser, saves: _Parser) -> None:
    play = sub.add_parser("play", parents=[common, saves], help="play the game (Textual app, or --plain text)")
    play.add_argument("--plain", action="store_true", help="plain text on stdin/stdout, for screen readers and scripts")
    play.add_argument("--side", metavar="SIDE", help="start a new run as this side")
    play.add_argument("--watch", action="store_true", help="reload the story when a file changes (for authors)")
    play.add_argument("--load", metavar="FILE", help="continue a saved run")
    play.add_argument("--from", dest="start_scene", metavar="SCENE",
                      help="start a new run at this scene, on its side (for authors)")
    play.add_argument("--set", dest="set_values", metavar="VAR=VALUE", action="append", default=[],
                      help="with --from: start with this variable's value (repeat for more)")


def _check(sub: Subparsers, common: _Parser, saves: _Parser) -> None:
    check = sub.add_parser("check", parents=[common], help="check a story folder and list every problem")
    check.add_argument("dir", nargs="?", metavar="DIR", help="story folder (default: as --story)")
    check.add_argument("--format", choices=("text", "json"), default="text")
    check.add_argument("--strict", action="store_true", help="fail (exit 1) on warnings too, for CI")


def _explore(sub: Subparsers, common: _Parser, saves: _Parser) -> None:
    explore = sub.add_parser("explore", parents=[common], help="play every branch: endings, coverage, soft locks")
    explore.add_argument("--side", action="append", help="only this side (repeatable)")
    explore.add_argument("--random", type=int, metavar="N", help="N seeded random play-throughs instead")
    explore.add_argument("--seed", type=int, default=0, metavar="S", help="random seed (default 0)")
    explore.add_argument("--max-states", type=int, default=1_000_000, metavar="N", help="stop after N states")
    explore.add_argument("--out", metavar="DIR", help="write a run file reproducing each soft lock, trap or loop here")
    explore.add_argument("--allow-unreached", action="store_true",
                         help="do not fail when a scene, an ending or a passage branch is never reached")
    explore.add_argument("--run", type=int, metavar="I", help="with --random: print run I of each side in full")
    explore.add_argument("--format", choices=("text", "json"), default="text")
    explore.add_argument("--shape", action="store_true",
                         help="how much the choices branch the story: single options, shared targets, scenes off the documented path")


def _graph(sub: Subparsers, common: _Parser, saves: _Parser) -> None:
    graph = sub.add_parser("graph", parents=[common], help="the story as a DOT or Mermaid graph")
    graph.add_argument("--format", choices=("dot", "mermaid"), default="mermaid")
    graph.add_argument("--side", metavar="SIDE")
    graph.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    graph.add_argument("--around", metavar="SCENE", help="only the scenes near SCENE (see --depth)")
    graph.add_argument("--depth", type=int, default=2, metavar="N",
                       help="with --around: scenes at most N choices away, either way (default 2)")
    graph.add_argument("--layout", choices=("lr", "tb"), default="lr", help="left to right (default) or top to bottom")


def _new(sub: Subparsers, common: _Parser, saves: _Parser) -> None:
    new = sub.add_parser("new", parents=[common], help="scaffold new story content")
    new_sub = new.add_subparsers(dest="what", metavar="WHAT", required=True, parser_class=_Parser)
    branch = new_sub.add_parser("branch", parents=[common], help="a new branch hooked onto an existing scene")
    branch.add_argument("name", help="a short name, e.g. 'call-chesky'")
    branch.add_argument("--from", dest="from_scene", required=True, metavar="SCENE", help="scene to hook onto")


def _schema(sub: Subparsers, common: _Parser, saves: _Parser) -> None:
    schema = sub.add_parser("schema", parents=[common], help="write the story format's JSON Schema")
    schema.add_argument("--check", action="store_true", help="exit 1 if the committed schema is out of date")
    schema.add_argument("-o", "--output", metavar="FILE", help="default: <story>/schema.json")


def _replay(sub: Subparsers, common: _Parser, saves: _Parser) -> None:
    replay = sub.add_parser("replay", parents=[common, saves], help="print, export or verify saved runs")
    replay.add_argument("path", metavar="FILE|DIR")
    replay.add_argument("--verify", action="store_true", help="re-run against the current story; exit 1 on divergence")
    replay.add_argument("--format", choices=("text", "markdown"), default="text")
    replay.add_argument("-o", "--output", metavar="FILE", help="write the transcript to FILE")
    replay.add_argument("--write-golden", action="store_true",
                        help="write each side's documented path ([history.<side>]) as a golden run into DIR")


def _serve(sub: Subparsers, common: _Parser, saves: _Parser) -> None:
    serve = sub.add_parser("serve", parents=[common, saves],
                           help="play in a web browser (needs the 'web' extra: pip install 'boardroom[web]')",
                           description="Serve the game to web browsers with textual-serve. Each browser tab plays "
                           "with a saves folder of its own, made inside --saves DIR (default: web/ in the user "
                           "data folder).")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this machine only)")
    serve.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    serve.add_argument("--public", action="store_true", help="allow a --host other than loopback (others can play)")
    serve.add_argument("--public-url", metavar="URL",
                       help="the address browsers use, if not http://HOST:PORT (behind a proxy, or --host 0.0.0.0)")


def _test(sub: Subparsers, common: _Parser, saves: _Parser) -> None:
    test = sub.add_parser("test", parents=[common], help="run the story's test plans (story/tests/*.toml)")
    test.add_argument("files", nargs="*", metavar="FILE", help="plan files or folders (default: tests/ in the story)")


def _where(sub: Subparsers, common: _Parser, saves: _Parser) -> None:
    sub.add_parser("where", parents=[common, saves], help="every folder the game uses: story, saves, settings, cache")


def _lsp(sub: Subparsers, common: _Parser, saves: _Parser) -> None:
    lsp = sub.add_parser("lsp", help="the language server for story files, over stdin/stdout (for editors)")
    lsp.add_argument("--story", dest="lsp_story", metavar="DIR",
                     help="the story folder (default: the folder holding story.toml above each file opened)")


def _bench(sub: Subparsers, common: _Parser, saves: _Parser) -> None:
    bench = sub.add_parser("bench", parents=[common], help="measure startup, loading, exploration, replay")
    bench.add_argument("--quick", action="store_true", help="fewer repetitions")
    bench.add_argument("--only", action="append", metavar="NAME", help="run only this measurement (repeatable)")
    bench.add_argument("--markdown", metavar="FILE",
                       help="also write the table as Markdown to FILE (for the README's performance section)")


_COMMAND_PARSERS: dict[str, Callable[[Subparsers, _Parser, _Parser], None]] = {
    "play": _play, "check": _check, "explore": _explore, "graph": _graph, "new": _new, "schema": _schema,
    "replay": _replay, "serve": _serve, "test": _test, "where": _where, "lsp": _lsp, "bench": _bench,
}


class Retry(Exception):
    """The parser of one command could not parse this command line alone: ask the full one."""


class Trial(_Parser):
    """A parser that shows nothing: where it would print help, a version or an error, the full
    parser is asked instead, so what the player sees never depends on which parser ran."""

    def exit(self, status: int = 0, message: Optional[str] = None) -> NoReturn:
        raise Retry

    def print_help(self, file: object = None) -> None:
        raise Retry
