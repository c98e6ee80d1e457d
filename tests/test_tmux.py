"""The real `boardroom` command in a real terminal (tmux): start, play, quit, continue, resize.

Skipped where tmux is missing. Runs on its own tmux server socket, with saves and config in
tmp_path and the typewriter off, so nothing here touches a developer's own sessions or files.
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

import pytest

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

EXAMPLE = Path(__file__).parent / "fixtures" / "example"


class Terminal:
    """One tmux server and window running a command; read with `screen()`, type with `keys()`."""

    def __init__(self, tmp: Path, width: int = 80, height: int = 24):
        self.socket = f"boardroom-test-{uuid.uuid4().hex[:8]}"
        self.tmp = tmp
        self.width, self.height = width, height
        self.runs = 0
        self.status = tmp / "exit-status-0"

    def tmux(self, *args: str) -> str:
        out = subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True, timeout=10)
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
        self.tmux("new-session", "-d", "-s", "game", "-x", str(self.width), "-y", str(self.height),
                  "-c", str(Path.cwd()), "sh", "-c", command)

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "game")

    def wait_for(self, text: str, timeout: float = 15.0) -> str:
        deadline = time.monotonic() + timeout
        shown = ""
        while time.monotonic() < deadline:
            shown = self.screen()
            if text in " ".join(shown.split()):
                return shown
            time.sleep(0.1)
        raise AssertionError(f"{text!r} never appeared; the screen shows:\n{shown}")

    def keys(self, *keys: str) -> None:
        for key in keys:
            self.tmux("send-keys", "-t", "game", key)
            time.sleep(0.15)

    def exit_status(self, timeout: float = 10.0) -> int:
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
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:  # the footer's palette hint moves to the new right edge
        lines = terminal.screen().splitlines()
        if len(lines) >= 40 and lines[39].rstrip().endswith("palette") and len(lines[39].rstrip()) > 100:
            break
        time.sleep(0.1)
    else:
        raise AssertionError(f"the app did not follow the resize:\n{terminal.screen()}")
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
