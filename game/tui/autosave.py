"""Saving off the UI thread, a moment after the choice: a choice never waits for the disk.

Each choice hands over a job that writes the autosave. The job runs `delay` seconds later,
once the new scene is on screen, so writing a long run (the whole path, validated, fsynced)
never competes with drawing it; a newer job replaces a pending older one, since only the
latest state matters. `flush()` runs what is pending at once and waits for it, which the app
does before quitting, loading and ending a run, so quitting never loses a choice.

The thread starts with the first job: the app makes its autosaver before its first frame, and
starting a thread then (and waiting for it to be running) is a millisecond or two that no
first frame needs.
"""

from __future__ import annotations

import threading
import time
from typing import Callable, Optional

Job = Callable[[], None]

DELAY = 0.4
"""Seconds between a choice and its autosave: longer than drawing a scene, shorter than reading one."""


class Autosaver:
    def __init__(self, on_error: Callable[[str], None], delay: float = DELAY):
        self._on_error = on_error
        self._delay = delay
        self._lock = threading.Condition()
        self._pending: Optional[Job] = None
        self._due = 0.0
        self._busy = False
        self._closed = False
        self._thread: Optional[threading.Thread] = None

    @property
    def started(self) -> bool:
        """Whether the saving thread runs: from the first job on."""
        return self._thread is not None

    def submit(self, job: Job) -> None:
        """Run `job` after the delay, replacing any job that has not started yet."""
        with self._lock:
            if self._closed:
                return
            self._pending = job
            self._due = time.monotonic() + self._delay
            self._lock.notify_all()
            if self._thread is None:
                self._thread = threading.Thread(target=self._loop, name="boardroom-autosave", daemon=True)
                self._thread.start()

    def flush(self, timeout: float = 10.0) -> bool:
        """Run the pending job now and wait for it; False if that took longer than `timeout`."""
        with self._lock:
            self._due = 0.0
            self._lock.notify_all()
            return self._lock.wait_for(lambda: self._pending is None and not self._busy, timeout)

    def close(self, timeout: float = 10.0) -> None:
        self.flush(timeout)
        with self._lock:
            self._closed = True
            self._lock.notify_all()
        if self._thread is not None:
            self._thread.join(timeout)

    def _loop(self) -> None:
        while True:
            with self._lock:
                while True:
                    if self._pending is None:
                        if self._closed:
                            return
                        self._lock.wait()
                        continue
                    wait = self._due - time.monotonic()
                    if wait <= 0:
                        break
                    self._lock.wait(wait)
                job, self._pending = self._pending, None
                self._busy = True
            try:
                job()
            except Exception as exc:  # a full disk must not end the game: say so and keep playing
                self._on_error(str(exc) or type(exc).__name__)
            finally:
                with self._lock:
                    self._busy = False
                    self._lock.notify_all()
