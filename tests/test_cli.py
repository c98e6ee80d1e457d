"""The command line itself: options in either place, one-line usage errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from game.cli import build_parser

EXAMPLE = str(Path(__file__).parent / "fixtures" / "example")


def test_story_and_saves_work_before_or_after_the_command() -> None:
    parser = build_parser()
    before = parser.parse_args(["--story", EXAMPLE, "--saves", "s", "play", "--plain"])
    after = parser.parse_args(["play", "--plain", "--story", EXAMPLE, "--saves", "s"])
    assert (before.story, before.saves) == (after.story, after.saves) == (EXAMPLE, "s")
    assert parser.parse_args(["check"]).story is None  # decided after parsing: see game.folders
    assert parser.parse_args([]).command is None


def test_a_wrong_command_is_one_line_and_exit_2() -> None:
    out = subprocess.run([sys.executable, "-m", "game", "bogus"], capture_output=True, text=True)
    assert out.returncode == 2
    assert out.stderr.count("\n") == 1 and "invalid choice: 'bogus'" in out.stderr


def test_without_a_terminal_the_game_points_to_plain_mode() -> None:
    out = subprocess.run([sys.executable, "-m", "game"], capture_output=True, text=True, stdin=subprocess.DEVNULL)
    assert out.returncode == 2
    assert "boardroom play --plain" in out.stderr and "Traceback" not in out.stderr
