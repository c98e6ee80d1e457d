"""`boardroom bench` runs every measurement and prints its table.

No timing is asserted anywhere here: machines are shared and noisy, and the budgets are the
benchmark's to report (`boardroom bench`), never the test suite's to enforce. These tests
check that the report is produced, complete and readable, and that failures are reported.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Iterator

import pytest

from game.commands import bench
from game.bench.plan import BenchError, Plan
from game.bench.report import Row, ratio_row
from game.bench.startup import child_env, first_frame

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "tests" / "fixtures" / "example"

ROWS = (
    "startup: first frame, 80x24 pty",
    "startup: title usable (story loaded)",
    "startup: play --side → first scene",
    "startup: quit → shell prompt",
    "loading: tests/fixtures/example/",
    "loading: generated, 200 scenes",
    "explore: tests/fixtures/example/, every side",
    "explore: generated, 200 scenes",
    "replay: 1,000-step run, read + verify",
    "respond: key → next scene, 10 steps, pty",
    "respond: key → settled, 10 steps, pty",
    "respond: key → next scene, 50 steps, pty",
    "respond: key → settled, 50 steps, pty",
    "respond: key → next scene, 10 steps, headless",
    "respond: key → settled, 50 steps, headless",
    "memory: peak RSS, play-through",
)


def boardroom_bench(*args: str, tmp_path: Path, timeout: float = 240) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BOARDROOM_CONFIG_DIR": str(tmp_path / "config"), "BOARDROOM_SAVES": str(tmp_path / "saves")}
    return subprocess.run([sys.executable, "-m", "game", "bench", *args], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=timeout)


def test_quick_bench_measures_everything_and_prints_one_table(tmp_path: Path) -> None:
    result = boardroom_bench("--quick", "--story", str(EXAMPLE), tmp_path=tmp_path)
    out = result.stdout
    assert result.returncode == 0, out + result.stderr
    assert "Traceback" not in out + result.stderr
    lines = out.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("measurement"))
    assert lines[header].split() == ["measurement", "ours", "baseline", "ratio", "budget", "verdict"]
    for name in ROWS:
        row = next((line for line in lines if line.startswith(name)), None)
        assert row is not None, f"no row {name!r} in:\n{out}"
        # every row has a figure of ours, and a verdict wherever it has a budget
        assert not row[len(name):].split()[0].startswith("—"), row
        has_budget = "≤" in row or "<" in row
        assert row.rstrip().endswith(("ok", "OVER")) == has_budget, row
    assert "could not measure" not in out and "ERROR" not in out
    summary = lines[-1]
    assert summary.startswith(("every budget met", "OVER budget: ")), summary
    if hasattr(os, "getloadavg"):  # what else ran, for the rows timed in milliseconds
        assert "load average" in lines[0] and "at the start" in lines[0]
        assert "load average" in summary and summary.endswith("at the end)")


def test_only_runs_the_measurements_named(tmp_path: Path) -> None:
    result = boardroom_bench("--quick", "--only", "replay", "--only", "loading", "--story", str(EXAMPLE),
                             tmp_path=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    measured = [line.split(":")[0] for line in result.stdout.splitlines()
                if line.split(":")[0] in bench.MEASUREMENTS]
    assert sorted(set(measured)) == ["loading", "replay"]


def test_markdown_writes_the_rows_printed_as_a_table_for_the_readme(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    def rows(plan: Plan, story: Path, work: Path) -> Iterator[Row]:
        yield ratio_row("loading: a loader", 0.3, 0.2, 1.5)
        yield Row("explore: a | pipe", "10 st/s")

    monkeypatch.setattr(bench, "BENCHES", {"loading": rows})
    table = tmp_path / "perf.md"
    table.write_text("an older table\n", encoding="utf-8")
    assert bench.run(Plan.make(True), EXAMPLE, ["loading"], table) == 0
    assert table.read_text(encoding="utf-8").splitlines() == [
        "| measurement | ours | baseline | ratio | budget | verdict |",
        "|---|---|---|---|---|---|",
        "| loading: a loader | 300.0 ms | 200.0 ms | 1.50x | ≤ 1.5x | ok |",
        "| explore: a \\| pipe | 10 st/s | — | — | — | — |",
    ]
    assert capsys.readouterr().out.splitlines()[-1] == f"Markdown table written to {table}"


@pytest.mark.parametrize(("args", "message"), [
    (("--only", "speed"), "no measurement called 'speed' (choose from startup, loading, explore, replay, respond, memory)"),
    (("--story", "no/such/folder"), "story folder 'no/such/folder' not found"),
    (("--markdown", "no/such/folder/t.md"), "--markdown 'no/such/folder/t.md' is in a folder that does not exist"),
    (("--markdown", "tests"), "--markdown 'tests' is a folder"),
])
def test_bad_arguments_get_one_line_and_exit_2(tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    result = boardroom_bench("--quick", *args, tmp_path=tmp_path, timeout=60)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [f"boardroom bench: error: {message}"]
    assert result.stdout == ""


def test_over_budget_is_reported_as_over_but_exits_0(monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    def slow(plan: Plan, story: Path, work: Path) -> Iterator[Row]:
        yield ratio_row("loading: a slow loader", 0.3, 0.1, 2.0)

    monkeypatch.setattr(bench, "BENCHES", {"loading": slow})
    assert bench.run(Plan.make(True), EXAMPLE, ["loading"]) == 0
    out = capsys.readouterr().out
    row = next(line for line in out.splitlines() if line.startswith("loading: a slow loader"))
    assert row.split()[-4:] == ["3.00x", "≤", "2x", "OVER"]
    assert out.splitlines()[-1].startswith("OVER budget: loading: a slow loader")


def test_a_measurement_that_cannot_run_is_reported_and_the_others_still_run(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    def broken(plan: Plan, story: Path, work: Path) -> Iterator[Row]:
        raise BenchError("the app never reached the play screen within 30 s")
        yield  # pragma: no cover - makes this a generator like the real measurements

    def fine(plan: Plan, story: Path, work: Path) -> Iterator[Row]:
        yield Row("replay: a quick one", "1.00 ms", budget="< 1 s", ok=True)

    monkeypatch.setattr(bench, "BENCHES", {"respond": broken, "replay": fine})
    assert bench.run(Plan.make(True), EXAMPLE, ["respond", "replay"]) == 1
    out = capsys.readouterr().out
    lines = out.splitlines()
    failed = lines.index(next(line for line in lines if line.startswith("respond: could not measure")))
    assert lines[failed].rstrip().endswith("ERROR")
    assert lines[failed + 1].strip() == "the app never reached the play screen within 30 s"
    assert any(line.startswith("replay: a quick one") and line.rstrip().endswith("ok") for line in lines)
    assert lines[-1].startswith("could not measure: respond: could not measure")


def test_a_program_that_never_draws_a_frame_is_an_error_not_a_hang(tmp_path: Path) -> None:
    with pytest.raises(BenchError, match="exited before its first frame; the terminal shows 'no screen here'"):
        first_frame([sys.executable, "-c", "print('no screen here')"], "A bare Textual app.",
                    child_env(tmp_path), tmp_path, timeout=30)


def test_the_loop_story_has_no_two_scenes_in_a_row_of_one_length(tmp_path: Path) -> None:
    """The respond rows time a real story's choice, which lays the screen out again: a ring of
    equal scenes is drawn without a layout, and timed only that shortcut."""
    from game.bench.engine import LOOP_SCENES, loop_story
    from game.engine import load_story

    story = load_story(loop_story(tmp_path / "loop"))
    lengths = [len(story.scenes[f"loop.s{i:02d}"].text) for i in range(LOOP_SCENES)]
    for i, length in enumerate(lengths):
        assert abs(length - lengths[(i + 1) % LOOP_SCENES]) > 150, lengths


def test_a_marker_that_came_with_an_earlier_one_is_timed_at_that_write(tmp_path: Path) -> None:
    """`boardroom`'s title usable (its subtitle) is waited for after its first frame (the bottom row
    and the menu): when both came in one write, both are that write's time, not the next write's."""
    from game.bench.terminal import Terminal

    program = ("import sys, time; sys.stdout.write('menu and subtitle\\x1b[24;1Hbottom'); sys.stdout.flush(); "
               "time.sleep(0.3); sys.stdout.write('later'); sys.stdout.flush(); time.sleep(5)")
    with Terminal([sys.executable, "-c", program], child_env(tmp_path), tmp_path, (80, 24), name="writer") as term:
        frame = term.wait_for("menu", last_row=True)
        assert term.wait_for("subtitle") == frame
        later = term.wait_for("later")
        assert later > frame and term.wait_for("subtitle", since=0) == frame


def test_the_harness_does_not_collect_its_own_garbage_while_it_times_a_program(tmp_path: Path) -> None:
    """A program is timed by when its output is read: a collection of the benchmark's own heap
    (after the loading and exploring measurements, hundreds of thousands of objects) stalled
    the reading and was counted as the program's time, some 2-4 ms of a keypress. The collector
    is off while a program runs on the terminal, and as it was afterwards."""
    import gc

    from game.bench.terminal import Terminal

    program = "import sys; sys.stdout.write('ready'); sys.stdout.flush()"
    assert gc.isenabled()
    try:
        with Terminal([sys.executable, "-c", program], child_env(tmp_path), tmp_path, (80, 24), name="writer") as term:
            term.wait_for("ready")
            assert not gc.isenabled()
        assert gc.isenabled()
        gc.disable()
        with Terminal([sys.executable, "-c", program], child_env(tmp_path), tmp_path, (80, 24), name="writer") as term:
            term.wait_for("ready")
        assert not gc.isenabled()  # left as the caller had it
    finally:
        gc.enable()
