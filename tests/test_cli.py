"""The command line itself: options in either place, one-line usage errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from game.cli import parse_args
from game.parser import build_parser

EXAMPLE = str(Path(__file__).parent / "fixtures" / "example")


def test_story_and_saves_work_before_or_after_the_command() -> None:
    parser = build_parser()
    before = parser.parse_args(["--story", EXAMPLE, "--saves", "s", "play", "--plain"])
    after = parser.parse_args(["play", "--plain", "--story", EXAMPLE, "--saves", "s"])
    assert (before.story, before.saves) == (after.story, after.saves) == (EXAMPLE, "s")
    assert parser.parse_args(["check"]).story is None  # decided after parsing: see game.folders
    assert parser.parse_args([]).command is None


@pytest.mark.parametrize("argv", [
    [], ["--story", EXAMPLE], ["--saves", "s"], ["--story", EXAMPLE, "--saves", "s"], ["--story=x", "--saves=y"],
    ["--story=", "--story", "z"], ["--story=-x"], ["--saves", "s", "play"], ["--story", EXAMPLE, "check"], ["play"],
    ["--sto", "x"], ["play", "--side", "altman"], ["--story", EXAMPLE, "play", "--side", "altman", "--saves", "s"],
    ["play", "--side=x", "--story=y"], ["play", "--side", "a", "--side", "b"], ["--story", "a", "play", "--story", "b"],
    ["play", "--side", "play"], ["play", "--side="], ["play", "--side=-x"], ["--saves", "s", "play", "--saves", "t"],
])
def test_opening_the_game_parses_as_the_full_parser_does(argv: list[str]) -> None:
    """`boardroom`, `boardroom play --side SIDE` and their --story and --saves build no parser at all
    (argparse is not even imported), to the same result."""
    assert vars(parse_args(argv)) == vars(build_parser().parse_args(argv))


def test_opening_the_game_imports_no_argparse() -> None:
    code = ("import sys; from game.cli import parse_args; "
            "parse_args(['play', '--side', 'altman', '--story', 'x']); parse_args(['--saves', 's']); "
            "print('argparse' in sys.modules, 'gettext' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


@pytest.mark.parametrize("argv", [
    ["play", "--side", "altman"], ["--story", EXAMPLE, "play", "--side", "altman", "--saves", "s"],
    ["play", "--from", "a.b", "--set", "x=1", "--set", "y=2"], ["--story=x", "check", "--strict"],
    ["check", EXAMPLE, "--format", "json"], ["explore", "--side", "a", "--side", "b"], ["new", "branch", "n", "--from", "a"],
    ["graph", "--around", "a", "-o", "f"], ["replay", "f", "--verify"], ["where"], ["lsp", "--story", "d"],
    ["bench", "--quick"], ["play", "--pl"], ["play", "--sid=x"], ["--saves", "s", "test", "a", "b"],
])
def test_a_command_parses_as_the_full_parser_does(argv: list[str]) -> None:
    """A command line naming its command first is parsed by that command's parser alone, to the same result."""
    assert vars(parse_args(argv)) == vars(build_parser().parse_args(argv))


@pytest.mark.parametrize("argv", [
    ["--story"], ["--story", "-x"], ["--story", "--saves", "s"], ["--help"], ["--version"], ["bogus"],
    ["play", "--help"], ["play", "-h"], ["play", "--he"], ["play", "--version"], ["play", "--bogus"], ["play", "--side"],
    ["check", "--format", "x"], ["check", "a", "b"], ["new"], ["new", "branch"], ["explore", "--random", "x"],
    ["graph", "--format", "svg"], ["replay"], ["--story", "s", "play", "extra"], ["--side", "x", "play"],
    ["play", "play"], ["play", "--side", "-x"], ["play", "--side", "--story", "s"],
])
def test_other_command_lines_still_get_the_full_parsers_answer(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """Help, the version and every error are the full parser's, word for word."""
    with pytest.raises(SystemExit) as full:
        build_parser().parse_args(argv)
    expected = capsys.readouterr()
    with pytest.raises(SystemExit) as ours:
        parse_args(argv)
    assert ours.value.code == full.value.code
    assert capsys.readouterr() == expected


def test_a_wrong_command_is_one_line_and_exit_2() -> None:
    out = subprocess.run([sys.executable, "-m", "game", "bogus"], capture_output=True, text=True)
    assert out.returncode == 2
    assert out.stderr.count("\n") == 1 and "invalid choice: 'bogus'" in out.stderr


def test_without_a_terminal_the_game_points_to_plain_mode() -> None:
    out = subprocess.run([sys.executable, "-m", "game"], capture_output=True, text=True, stdin=subprocess.DEVNULL)
    assert out.returncode == 2
    assert "boardroom play --plain" in out.stderr and "Traceback" not in out.stderr
