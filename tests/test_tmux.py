"""The real `boardroom` command in a real terminal (tmux): start, play, quit, continue, resize,
and one side of the shipped story played along its documented path to its ending.

Skipped where tmux is missing. Runs on its own tmux server socket, with saves and config in
tmp_path and the typewriter off, so nothing here touches a developer's own sessions or files.
Every wait polls the screen for what a player would see next, with a generous deadline: on a
loaded machine the pane can stay blank for seconds, and nothing here measures time.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Callable

import pytest

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

EXAMPLE = Path(__file__).parent / "fixtures" / "example"
REAL_STORY = Path(__file__).parent.parent / "story"
GOLDEN = Path(__file__).parent / "golden"

PATIENCE = 90.0
"""Seconds to wait for the next screen: far more than it ever takes, so a loaded machine
(a pane left blank for seconds while another test suite runs) never fails a test."""


class Terminal:
    """One tmux server and window running a command; read with `screen()`, type with `keys()`."""

    def __init__(self, tmp: Path, width: int = 80, height: int = 24):
        self.socket = f"boardroom-test-{uuid.uuid4().hex[:8]}"
        self.tmp = tmp
        self.width, self.height = width, height
        self.runs = 0
        self.status = tmp / "exit-status-0"

    def tmux(self, *args: str) -> str:
        out = subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True, timeout=60)
        return out.stdout

    def start(self, *argv: str) -> None:
        env = {
            "BOARDROOM_CONFIG_DIR": str(self.tmp / "config"),
            "BOARDROOM_SAVES": str(self.tmp / "saves"),
            "TERM": "xterm-256color",
            "PATH": os.environ.get("PATH", ""),
            "HOME": str(self.tmp),
        }
        # The shell writes the game's exit status to a file and then keeps the pane open, so the
        # status never depends on tmux keeping a dead pane (remain-on-exit) around.
        self.runs += 1
        self.status = self.tmp / f"exit-status-{self.runs}"
        game = shlex.join(["env", "-i", *(f"{k}={v}" for k, v in env.items()), sys.executable, "-m", "game", *argv])
        command = f"{game}; echo $? > {shlex.quote(str(self.status))}; sleep 600"
        self.tmux("kill-session", "-t", "game")  # the previous run's pane, if any
        # Killing the last session ends the tmux server, and a session asked for while it ends can
        # fail (1 in 200 tries on an idle machine, more under load): the pane stayed blank and the
        # test waited 90 s for nothing. Ask again until it is there.
        for _ in range(50):
            made = subprocess.run(["tmux", "-L", self.socket, "new-session", "-d", "-s", "game", "-x", str(self.width),
                                   "-y", str(self.height), "-c", str(Path.cwd()), "sh", "-c", command],
                                  capture_output=True, text=True, timeout=60)
            if made.returncode == 0:
                break
            time.sleep(0.1)

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "game")

    def wait_for(self, text: str, timeout: float = PATIENCE) -> str:
        return self.wait_until(lambda shown: text in " ".join(shown.split()), repr(text), timeout)

    def wait_until(self, seen: Callable[[str], bool], what: str, timeout: float = PATIENCE) -> str:
        """Poll the pane until `seen(screen)` holds; on failure, say what never appeared and show the screen."""
        deadline = time.monotonic() + timeout
        shown = ""
        while time.monotonic() < deadline:
            shown = self.screen()
            if seen(shown):
                return shown
            time.sleep(0.1)
        raise AssertionError(f"{what} never appeared; the screen shows:\n{shown}")

    def keys(self, *keys: str) -> None:
        for key in keys:
            self.tmux("send-keys", "-t", "game", key)
            time.sleep(0.15)

    def exit_status(self, timeout: float = PATIENCE) -> int:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = self.status.read_text() if self.status.exists() else ""
            if text.endswith("\n"):
                return int(text)
            time.sleep(0.1)
        raise AssertionError(f"the game did not exit; the screen shows:\n{self.screen()}")

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)


@pytest.fixture
def terminal(tmp_path: Path):
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "settings.json").write_text(json.dumps({"typewriter": False}), encoding="utf-8")
    term = Terminal(tmp_path)
    yield term
    term.close()


def test_play_quit_continue_end_and_resize_in_a_real_terminal(terminal: Terminal, tmp_path: Path) -> None:
    terminal.start("--story", str(EXAMPLE))
    terminal.wait_for("New game")
    terminal.wait_for("The Example — A board meeting in four scenes")
    terminal.keys("n")
    terminal.wait_for("Whose side are you on?")
    terminal.keys("1")
    terminal.wait_for("Rally the staff.")
    terminal.keys("1")
    terminal.wait_for("You chose: Rally the staff.")
    terminal.keys("q")
    terminal.wait_for("Quit Boardroom?")
    terminal.keys("y")
    assert terminal.exit_status() == 0
    assert json.loads((tmp_path / "saves" / "autosave.json").read_text(encoding="utf-8"))["steps"][0]["choice"] == "rally"

    terminal.start("--story", str(EXAMPLE))
    terminal.wait_for("Continue Alpha · 1 choice made")
    terminal.keys("c")
    terminal.wait_for("The call comes at noon.")
    terminal.keys("1")
    terminal.wait_for("THE END")
    terminal.wait_for("New ending found — 1 of 5")
    terminal.keys("e")
    terminal.wait_for("1 of 5 endings found")

    terminal.tmux("resize-window", "-t", "game", "-x", "120", "-y", "40")

    def followed(shown: str) -> bool:  # the footer's palette hint moves to the new right edge
        lines = shown.splitlines()
        return len(lines) >= 40 and lines[39].rstrip().endswith("palette") and len(lines[39].rstrip()) > 100

    terminal.wait_until(followed, "the app following the resize to 120x40")
    terminal.wait_for("✓ The return")
    terminal.tmux("resize-window", "-t", "game", "-x", "50", "-y", "15")
    terminal.wait_for("Terminal too small")
    terminal.wait_for("needs 60×20")
    terminal.tmux("resize-window", "-t", "game", "-x", "80", "-y", "24")
    terminal.wait_for("1 of 5 endings found")

    terminal.keys("C-q")
    terminal.wait_for("Quit Boardroom?")
    terminal.keys("C-q")
    assert terminal.exit_status() == 0


def test_a_broken_story_in_a_real_terminal_shows_errors_and_exits_1(terminal: Terminal, tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(EXAMPLE, broken)
    (broken / "story.toml").write_text((broken / "story.toml").read_text(encoding="utf-8")
                                       .replace('start = "beta.start"', 'start = "beta.begin"'), encoding="utf-8")
    terminal.start("--story", str(broken))
    terminal.wait_for("cannot be played")
    terminal.wait_for("'beta.begin'")
    terminal.keys("q")
    assert terminal.exit_status() == 1


def test_a_side_of_the_shipped_story_played_to_its_ending_in_a_real_terminal(terminal: Terminal) -> None:
    """Satya Nadella's documented path (tests/golden), scene by scene, as a player takes it."""
    from game.engine import choose, load_story, new_state, view
    from game.runs import read_run

    story = load_story(REAL_STORY)
    run = read_run(GOLDEN / "nadella.json")
    state = new_state(story, run.side)
    terminal.width, terminal.height = 100, 30
    terminal.start("--story", str(REAL_STORY))
    terminal.wait_for("New game")
    terminal.keys("n")
    terminal.wait_for("Satya Nadella")
    terminal.keys(str(list(story.sides).index(run.side) + 1))
    for n, step in enumerate(run.steps, 1):
        v = view(story, state)
        # the scene's title on the title row: the screen has moved on to this scene
        terminal.wait_until(lambda shown, title=v.title: len(shown.splitlines()) > 2
                            and shown.splitlines()[2].strip().startswith(title), f"scene {n}, {v.title!r}")
        number = [c.id for c in v.choices].index(step.choice) + 1
        assert number <= 9, "every documented choice is within the number keys"
        terminal.keys(str(number))
        state = choose(story, state, step.choice)
    ending = story.scenes[state.scene].ending
    assert ending is not None
    terminal.wait_for("THE END")
    terminal.wait_for(ending.title)
    terminal.wait_for("★ what really happened")
    terminal.keys("q")
    terminal.wait_for("Quit Boardroom?")
    terminal.keys("y")
    assert terminal.exit_status() == 0
