"""A program on a real pseudo-terminal, timed as a player would time it: by what reaches the screen.

The program is spawned on a fresh pty of a given size; everything it writes is read as it
comes, timestamped, and searched for text once the escape sequences are taken out. Keys are
written to the pty as a terminal would send them. Nothing in the program cooperates or knows
it is timed: the same harness times the game and a bare Textual app.
"""

from __future__ import annotations

import gc
import os
import re
import select
import signal
import subprocess
import time
from pathlib import Path
from typing import Optional, Sequence

from game.bench.plan import BenchError

_ANSI = re.compile(rb"\x1b\[[0-9;?<>=$]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[=>78]")

KEYS = {"ctrl+q": b"\x11", "enter": b"\r", "escape": b"\x1b"}


def screen_text(raw: bytes) -> str:
    """What a terminal would show of `raw`, roughly: the text without its escape sequences.

    Textual writes each changed line as a cursor move and styled runs, so a phrase inside one
    widget's line stays contiguous here."""
    return _ANSI.sub(b"", raw).decode("utf-8", "replace")


class Terminal:
    """One program on its own pty. Use as a context manager: the program is killed on exit."""

    def __init__(self, cmd: Sequence[str], env: dict[str, str], cwd: Path, size: tuple[int, int] = (80, 24),
                 name: Optional[str] = None) -> None:
        self.cmd = list(cmd)
        self.env = env
        self.cwd = cwd
        self.size = size
        self.name = name or Path(self.cmd[0]).name
        self.data = bytearray()
        self.chunks: list[tuple[float, int]] = []
        """(time read, end offset in `data`) for every read."""
        self.proc: Optional["subprocess.Popen[bytes]"] = None
        self.master = -1
        self.started = 0.0
        self.closed = False
        self._collecting = False

    def __enter__(self) -> "Terminal":
        import fcntl
        import pty
        import struct
        import termios

        cols, rows = self.size
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        # The program is timed by when its output is read here: a collection of this process's
        # own heap (the benchmark's stories and explorations, hundreds of thousands of objects)
        # would stall the reading and be counted as the program's time. Off while it runs.
        self._collecting = gc.isenabled()
        gc.collect()
        gc.disable()
        self.started = time.perf_counter()
        try:
            self.proc = subprocess.Popen(self.cmd, stdin=slave, stdout=slave, stderr=slave, env=self.env, cwd=self.cwd,
                                         start_new_session=True, close_fds=True)
        except BaseException:
            os.close(slave)
            os.close(master)
            if self._collecting:
                gc.enable()
            raise
        os.close(slave)
        self.master = master
        return self

    def __exit__(self, *exc: object) -> None:
        proc = self.proc
        if proc is not None and proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        if proc is not None:
            proc.wait()
        if self.master >= 0:
            os.close(self.master)
            self.master = -1
        if self._collecting:
            gc.enable()

    # ------------------------------------------------------------------ reading

    def _read(self, until: float) -> bool:
        """Read what is there (waiting at most until `until`); False once the program closed the pty."""
        left = max(0.0, until - time.perf_counter())
        ready, _, _ = select.select([self.master], [], [], left)
        if not ready:
            return True
        try:
            chunk = os.read(self.master, 1 << 16)
        except OSError:  # EIO: the program has exited and closed its side
            chunk = b""
        now = time.perf_counter()
        if not chunk:
            self.closed = True
            return False
        self.data += chunk
        self.chunks.append((now, len(self.data)))
        return True

    def wait_for(self, marker: str, since: int = 0, timeout: float = 30.0, last_row: bool = False) -> float:
        """The time `marker` was first on screen in what the program wrote after offset `since`
        (with `last_row`, also once the bottom row has been painted: a whole first frame)."""
        row = f"\x1b[{self.size[1]};1H".encode()
        deadline = time.perf_counter() + timeout
        # from the first write past `since`, already read or not: a marker that came in the same
        # write as one waited for before is on screen from that write's time, not the next's
        checked = next((i for i, (_, end) in enumerate(self.chunks) if end > since), len(self.chunks))
        while True:
            for at, end in self.chunks[checked:]:
                seen = bytes(self.data[since:end])
                if marker in screen_text(seen) and (not last_row or row in seen):
                    return at
            checked = len(self.chunks)
            if self.closed:
                raise BenchError(f"{self.name} exited before showing {marker!r}; the terminal shows {self.tail()}")
            if time.perf_counter() > deadline:
                raise BenchError(f"{self.name} did not show {marker!r} within {timeout:.0f} s; "
                                 f"the terminal shows {self.tail(since)}")
            self._read(deadline)

    def settle(self, quiet: float = 0.25, timeout: float = 10.0) -> float:
        """The time of the last write before the program went quiet for `quiet` seconds: its last repaint."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            count = len(self.chunks)
            if not self._read(time.perf_counter() + quiet):
                break
            if len(self.chunks) == count:
                break
        return self.chunks[-1][0] if self.chunks else self.started

    def wait_exit(self, timeout: float = 30.0) -> float:
        """The time the program had exited (its pty closed and the process reaped)."""
        deadline = time.perf_counter() + timeout
        while not self.closed:
            if time.perf_counter() > deadline:
                raise BenchError(f"{self.name} did not exit within {timeout:.0f} s; the terminal shows {self.tail()}")
            self._read(deadline)
        assert self.proc is not None
        self.proc.wait(timeout=max(0.1, deadline - time.perf_counter()))
        return time.perf_counter()

    # ------------------------------------------------------------------ writing

    def press(self, key: str) -> tuple[float, int]:
        """Send one key; the time it was sent and the output offset to look for its effect from."""
        self.settle(0.05, timeout=0.5)  # read what came before, so only the key's effect follows
        mark = len(self.data)
        os.write(self.master, KEYS.get(key, key.encode()))
        return time.perf_counter(), mark

    def tail(self, since: int = 0) -> str:
        text = " ".join(screen_text(bytes(self.data[since:])).split())
        return repr(text[-300:]) if text else "nothing"
