"""Startup: time to the first frame of `boardroom` as a whole process, against a bare Textual app.

Both programs are started the same way, on a fresh pseudo-terminal of the same size, and
timed from the spawn until their first full frame has been written to the terminal: the
last row painted, and the screen's own content (not just a header) on it. Nothing in either
program cooperates or knows it is timed.
"""

from __future__ import annotations

import os
import re
import select
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterator, Sequence

from game.bench.plan import BenchError, Plan
from game.bench.report import Row, alternate, median, ratio_row, spread

BARE_APP_CLASS = '''
from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Static


class BareApp(App):
    """The baseline: what any Textual app pays for a header, a static and a footer."""

    TITLE = "Bare"

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("A bare Textual app.")
        yield Footer()
'''
BARE_APP = BARE_APP_CLASS + "\n\nBareApp().run()\n"
BARE_MARKER = "A bare Textual app."

SIZE = (80, 24)
BUDGET = 1.25

_ANSI = re.compile(rb"\x1b\[[0-9;?<>=$]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[=>78]")


def game_marker() -> str:
    """Text on the game's first screen once it is really there: the title menu's "load" entry."""
    from game.tui.screens.title import MENU

    return next(label for option, _, label in MENU if option == "load")


def screen_text(raw: bytes) -> str:
    """What a terminal would show of `raw`, roughly: the text without its escape sequences."""
    return _ANSI.sub(b"", raw).decode("utf-8", "replace")


def child_env(home: Path) -> dict[str, str]:
    """The environment of every program the bench runs: the same for the game and the baseline,
    a throwaway config and saves folder, and no size overrides (the pty sets the size)."""
    drop = ("COLUMNS", "LINES", "NO_COLOR", "TEXTUAL", "TEXTUAL_DRIVER", "BOARDROOM_FORCE_TUI", "PYTHONDONTWRITEBYTECODE")
    env = {k: v for k, v in os.environ.items() if k not in drop}
    # Bytecode is cached, as it is for anyone who has run the game once, but in our own folder:
    # never in the project's tree or site-packages. The first, unmeasured run of each fills it.
    env.update(TERM="xterm-256color", BOARDROOM_CONFIG_DIR=str(home / "config"),
               BOARDROOM_SAVES=str(home / "saves"), PYTHONPYCACHEPREFIX=str(home / "pycache"))
    return env


def game_command() -> list[str]:
    """`boardroom` as a user runs it: the console script next to this interpreter."""
    script = Path(sys.executable).with_name("boardroom")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "game"]


def first_frame(cmd: Sequence[str], marker: str, env: dict[str, str], cwd: Path, timeout: float = 30.0) -> float:
    """Seconds from spawning `cmd` on a fresh pseudo-terminal until its first full frame is on
    it: the last row has been painted and `marker` is on screen. The program is then killed."""
    import fcntl
    import pty
    import struct
    import termios

    cols, rows = SIZE
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    last_row = f"\x1b[{rows};1H".encode()
    start = time.perf_counter()
    proc = subprocess.Popen(list(cmd), stdin=slave, stdout=slave, stderr=slave, env=env, cwd=cwd,
                            start_new_session=True, close_fds=True)
    os.close(slave)
    data = bytearray()
    try:
        deadline = start + timeout
        while True:
            left = deadline - time.perf_counter()
            if left <= 0:
                raise BenchError(f"{_name(cmd)}: no first frame showing {marker!r} within {timeout:.0f} s; "
                                 f"the terminal shows {_tail(data)}")
            ready, _, _ = select.select([master], [], [], left)
            if not ready:
                continue
            try:
                chunk = os.read(master, 1 << 16)
            except OSError:  # EIO: the program has exited and closed its side
                chunk = b""
            now = time.perf_counter()
            if not chunk:
                raise BenchError(f"{_name(cmd)} exited before its first frame; the terminal shows {_tail(data)}")
            data += chunk
            if last_row in data and marker in screen_text(bytes(data)):
                return now - start
    finally:
        stop(proc)
        os.close(master)


def _name(cmd: Sequence[str]) -> str:
    return "the bare Textual app" if "-c" in cmd else "boardroom"


def _tail(data: bytes) -> str:
    text = " ".join(screen_text(bytes(data)).split())
    return repr(text[-300:]) if text else "nothing"


def stop(proc: "subprocess.Popen[bytes]") -> None:
    """End a program the bench started, by its id (it leads its own session and process group)."""
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    proc.wait()


def bench_startup(plan: Plan, story: Path, work: Path) -> Iterator[Row]:
    env = child_env(work)
    cwd = Path.cwd()
    marker = game_marker()
    game = game_command() + ["--story", str(story)]
    bare = [sys.executable, "-c", BARE_APP]
    # an unmeasured run of each fills the bytecode cache and the page cache
    first_frame(game, marker, env, cwd)
    first_frame(bare, BARE_MARKER, env, cwd)
    ours, base = alternate(lambda: first_frame(game, marker, env, cwd),
                           lambda: first_frame(bare, BARE_MARKER, env, cwd), plan.startup_runs)
    row = ratio_row(f"startup: first frame, {SIZE[0]}x{SIZE[1]} pty", median(ours), median(base), BUDGET)
    row.notes.append(f"{plan.startup_runs} runs each, alternating, bytecode cached; `boardroom` {spread(ours)}, "
                     f"bare Textual app (header, static, footer) {spread(base)}")
    yield row
