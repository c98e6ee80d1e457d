"""The autosave thread: a moment after each choice, newest state wins, flushed before quitting."""

from __future__ import annotations

import threading
import time

from game.tui.autosave import Autosaver


def test_newest_job_wins_and_flush_runs_it_at_once() -> None:
    done: list[int] = []
    saver = Autosaver(lambda message: None, delay=5.0)
    try:
        for n in range(5):
            saver.submit(lambda n=n: done.append(n))
        time.sleep(0.05)
        assert done == [], "jobs wait for the delay"
        start = time.monotonic()
        assert saver.flush(timeout=2)
        assert time.monotonic() - start < 1, "flush does not wait out the delay"
        assert done == [4], "only the newest state is written"
    finally:
        saver.close()


def test_jobs_run_by_themselves_after_the_delay() -> None:
    ran = threading.Event()
    saver = Autosaver(lambda message: None, delay=0.05)
    try:
        saver.submit(ran.set)
        assert ran.wait(2)
    finally:
        saver.close()


def test_a_failing_save_is_reported_and_the_saver_keeps_working() -> None:
    errors: list[str] = []
    done: list[str] = []
    saver = Autosaver(errors.append, delay=0.0)

    def fail() -> None:
        raise OSError("No space left on device")

    try:
        saver.submit(fail)
        saver.flush(timeout=2)
        saver.submit(lambda: done.append("ok"))
        saver.flush(timeout=2)
        assert errors == ["No space left on device"] and done == ["ok"]
    finally:
        saver.close()


def test_close_writes_what_is_pending_and_refuses_more() -> None:
    done: list[str] = []
    saver = Autosaver(lambda message: None, delay=10.0)
    saver.submit(lambda: done.append("last choice"))
    saver.close(timeout=2)
    saver.submit(lambda: done.append("after close"))
    time.sleep(0.05)
    assert done == ["last choice"]


def test_the_thread_starts_with_the_first_job_and_an_idle_saver_flushes_and_closes() -> None:
    before = threading.active_count()
    idle = Autosaver(lambda message: None, delay=5.0)
    assert not idle.started and threading.active_count() == before
    assert idle.flush(timeout=1)
    idle.close(timeout=1)
    idle.submit(lambda: None)  # closed: nothing starts
    assert not idle.started
    done: list[int] = []
    saver = Autosaver(lambda message: None, delay=5.0)
    try:
        saver.submit(lambda: done.append(1))
        assert saver.started
        assert saver.flush(timeout=2) and done == [1]
    finally:
        saver.close()
