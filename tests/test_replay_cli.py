"""`boardroom replay` and `boardroom play --plain --load`, end to end, as a player or an author runs them."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from game.engine import choose, load_story, new_state
from game.runs import Saves, read_run, run_from_state, write_run

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "tests" / "fixtures" / "example"


def boardroom(*args: str, cwd: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BOARDROOM_SAVES": str(cwd / "saves"), "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "game", *args], cwd=cwd, env=env, input=stdin,
                          capture_output=True, text=True, timeout=60)


def no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout, result.stderr


def one_error_line(result: subprocess.CompletedProcess[str]) -> str:
    """The one line of stderr: `boardroom: error: ...`, or for a run file `path:line:col: error[R...] ...`."""
    no_traceback(result)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and (lines[0].startswith("boardroom: error: ") or ": error[R" in lines[0]), result.stderr
    return lines[0]


@pytest.fixture()
def runs(tmp_path: Path) -> Path:
    """tmp_path/runs with two finished runs and one in progress of the example story."""
    story = load_story(EXAMPLE)
    folder = tmp_path / "runs"
    for name, side, choices in (("chair", "alpha", ["rally", "fight"]), ("vote", "beta", ["sign"]), ("ringing", "gamma", ["ignore"])):
        state = new_state(story, side)
        for c in choices:
            state = choose(story, state, c)
        write_run(run_from_state(story, state, label=name), folder / f"{name}.json")
    return folder


def test_replay_prints_the_transcript(tmp_path: Path, runs: Path) -> None:
    result = boardroom("replay", str(runs / "chair.json"), "--story", str(EXAMPLE), cwd=tmp_path)
    assert result.returncode == 0 and result.stderr == ""
    out = result.stdout
    assert out.startswith("THE EXAMPLE — A board meeting in four scenes\n")
    assert "1 · Thu 16 Nov, 09:00 PT · MORNING" in out and "» You chose: Fight for the chair." in out
    assert "THE END — The return (what really happened)" in out and "7.3/10" in out


def test_replay_writes_markdown_to_a_file(tmp_path: Path, runs: Path) -> None:
    out = tmp_path / "chair.md"
    result = boardroom("replay", str(runs / "chair.json"), "--format", "markdown", "-o", str(out),
                       "--story", str(EXAMPLE), cwd=tmp_path)
    assert result.returncode == 0 and result.stdout == "" and f"wrote {out}" in result.stderr
    md = out.read_text(encoding="utf-8")
    assert md.startswith("# The Example: Alpha’s run") and "> **You chose:** Rally the staff." in md
    assert "](https://example.org/memo)" in md


def test_verify_a_folder_of_runs_that_all_fit(tmp_path: Path, runs: Path) -> None:
    result = boardroom("replay", "--verify", str(runs), "--story", str(EXAMPLE), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines == [
        f"ok          {runs / 'chair.json'}: alpha, 2 steps, reaches “The return” (alpha.end.win)",
        f"ok          {runs / 'ringing.json'}: gamma, 1 step, in progress at “The call” (gamma.start)",
        f"ok          {runs / 'vote.json'}: beta, 1 step, reaches “The board folds” (beta.end.fold)",
    ]
    assert "3 runs against" in result.stderr and "3 ok" in result.stderr


def test_verify_after_a_story_edit_exits_1_and_names_the_step(tmp_path: Path, runs: Path) -> None:
    story = tmp_path / "story"
    shutil.copytree(EXAMPLE, story)
    alpha = story / "alpha.toml"
    alpha.write_text(alpha.read_text().replace('if = "loyalty >= 7"', 'if = "loyalty >= 9"')
                     .replace("score = 4.0", "score = 4.0\nhistorical = true"))
    hist = story / "history.toml"
    hist.write_text(hist.read_text().replace('["rally", "fight"]', '["wait", "accept"]'))
    result = boardroom("replay", "--verify", str(runs), "--story", str(story), cwd=tmp_path)
    no_traceback(result)
    assert result.returncode == 1
    diverged = [line for line in result.stdout.splitlines() if line.startswith("diverges")]
    assert diverged == [f"diverges    {runs / 'chair.json'}: step 2 (alpha.noon, choice 'fight'): locked: choice 'fight' in "
                        "“Noon” (alpha.noon) is now locked: needs Staff loyalty at least 9 (now 8)"]
    assert "2 ok, 1 diverges" in result.stderr
    single = boardroom("replay", "--verify", str(runs / "vote.json"), "--story", str(story), cwd=tmp_path)
    assert single.returncode == 0 and single.stdout.startswith("ok ")
    shown = boardroom("replay", str(runs / "chair.json"), "--story", str(story), cwd=tmp_path)
    assert shown.returncode == 0 and "step 2 no longer fits the current story (locked)" in " ".join(shown.stdout.split())
    assert shown.stderr.startswith(f"boardroom: warning: {runs / 'chair.json'}: no longer fits the story at step 2")


def test_verify_reports_an_unreadable_run_in_a_folder_and_exits_2(tmp_path: Path, runs: Path) -> None:
    (runs / "broken.json").write_text('{"format": 1, "story_id": "example", "ste')
    result = boardroom("replay", "--verify", str(runs), "--story", str(EXAMPLE), cwd=tmp_path)
    no_traceback(result)
    assert result.returncode == 2
    assert (f"unreadable  {runs / 'broken.json'}:1:42: error[R003] truncated: the JSON ends early (was the save "
            "interrupted?)") in result.stdout
    assert sum(line.startswith("ok ") for line in result.stdout.splitlines()) == 3


@pytest.mark.parametrize("args, message", [
    (["replay", "missing.json"], "missing.json:1:1: error[R001] no such file"),
    (["replay", "--verify", "missing.json"], "boardroom: error: missing.json: no such file or folder"),
    (["replay", "corrupt.json"], "corrupt.json:1:2: error[R003] corrupt: invalid JSON: expecting property name"),
    (["replay", "--verify", "corrupt.json"], "corrupt.json:1:2: error[R003] corrupt: invalid JSON: expecting"),
    (["replay", "future.json"], "future.json:1:2: error[R004] written by a newer Boardroom (run format 7"),
    (["replay", "runs"], "boardroom: error: runs: is a folder; give one run file, or use --verify"),
    (["replay", "--verify", "empty"], "boardroom: error: empty: no run files (*.json) to verify"),
])
def test_bad_input_is_one_line_and_exit_2(tmp_path: Path, runs: Path, args: list[str], message: str) -> None:
    (tmp_path / "corrupt.json").write_text("{{ not json")
    (tmp_path / "future.json").write_text(json.dumps({"format": 7, "story_id": "example"}))
    (tmp_path / "empty").mkdir()
    result = boardroom(*args, "--story", str(EXAMPLE), cwd=tmp_path)
    assert result.returncode == 2
    assert one_error_line(result).startswith(message)


def test_run_file_errors_say_where_in_the_file_as_check_does(tmp_path: Path, runs: Path) -> None:
    """`replay` said 'boardroom: error: path: truncated ...' with no line or column at all."""
    text = (runs / "chair.json").read_text(encoding="utf-8")
    cut = text[: text.index('"snapshot"') + 20]
    (tmp_path / "cut.json").write_text(cut, encoding="utf-8")
    lines = cut.rstrip().splitlines()
    line = one_error_line(boardroom("replay", "cut.json", "--story", str(EXAMPLE), cwd=tmp_path))
    assert line == (f"cut.json:{len(lines)}:{len(lines[-1]) + 1}: error[R003] truncated: the JSON ends early "
                    "(was the save interrupted?)"), "where the JSON stops"
    data = json.loads(text)
    data["steps"][1]["at"] = "yesterday"
    (tmp_path / "bad.json").write_text(json.dumps(data, indent=2), encoding="utf-8")
    at = next(n for n, row in enumerate((tmp_path / "bad.json").read_text().splitlines(), 1) if "yesterday" in row)
    line = one_error_line(boardroom("replay", "bad.json", "--story", str(EXAMPLE), cwd=tmp_path))
    assert line.startswith(f"bad.json:{at}:") and "error[R005] invalid run: steps.1.at:" in line, line


def test_a_broken_story_exits_1_with_its_diagnostics(tmp_path: Path, runs: Path) -> None:
    story = tmp_path / "story"
    shutil.copytree(EXAMPLE, story)
    (story / "beta.toml").write_text((story / "beta.toml").read_text().replace('goto = "beta.end.hold"', 'goto = "beta.end.hodl"'))
    result = boardroom("replay", "--verify", str(runs), "--story", str(story), cwd=tmp_path)
    no_traceback(result)
    assert result.returncode == 1
    assert "error[E104]" in result.stderr and "did you mean 'beta.end.hold'" in result.stderr


def test_write_golden_then_verify(tmp_path: Path) -> None:
    golden = tmp_path / "golden"
    first = boardroom("replay", "--write-golden", str(golden), "--story", str(EXAMPLE), cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert sorted(p.name for p in golden.iterdir()) == ["alpha.json", "beta.json", "gamma.json"]
    assert [s.choice for s in read_run(golden / "gamma.json").steps] == ["ignore", "answer"]
    before = {p.name: p.read_bytes() for p in golden.iterdir()}
    stale = read_run(golden / "beta.json").model_copy(update={"side": "delta", "label": "gone"})
    write_run(stale, golden / "delta.json")
    again = boardroom("replay", "--write-golden", str(golden), "--story", str(EXAMPLE), cwd=tmp_path)
    assert again.returncode == 0
    assert again.stderr.count("unchanged") == 3 and "removed" in again.stderr and "'delta'" in again.stderr
    assert {p.name: p.read_bytes() for p in golden.iterdir()} == before
    check = boardroom("replay", "--verify", str(golden), "--story", str(EXAMPLE), cwd=tmp_path)
    assert check.returncode == 0 and check.stdout.count("ok ") == 3


def test_plain_mode_autosaves_and_continues_a_loaded_run(tmp_path: Path) -> None:
    first = boardroom("play", "--plain", "--side", "alpha", "--story", str(EXAMPLE), cwd=tmp_path, stdin="1\n")
    assert first.returncode == 0, first.stderr
    saves = Saves(tmp_path / "saves")
    run = read_run(saves.autosave_path())
    assert [s.choice for s in run.steps] == ["rally"] and run.ending is None
    latest = saves.latest()
    assert latest is not None and latest.name == "autosave"

    second = boardroom("play", "--plain", "--load", str(saves.autosave_path()), "--story", str(EXAMPLE), cwd=tmp_path,
                       stdin="1\n")
    assert second.returncode == 0, second.stderr
    assert "NOON" in second.stdout and "THE END — The return" in second.stdout
    done = read_run(saves.autosave_path())
    assert [s.choice for s in done.steps] == ["rally", "fight"] and done.ending == "alpha.end.win"
    assert done.created == run.created, "a continued run keeps its birth date"
    latest = saves.latest()
    assert latest is not None and latest.run == done, "Continue offers the run played last, at its ending"


def test_plain_mode_loads_a_run_that_no_longer_fits_and_continues_from_the_last_step_that_does(tmp_path: Path) -> None:
    story = load_story(EXAMPLE)
    state = choose(story, choose(story, new_state(story, "gamma"), "ignore"), "ignore")
    old = tmp_path / "old.json"
    write_run(run_from_state(story, state), old)
    edited = tmp_path / "story"
    shutil.copytree(EXAMPLE, edited)
    gamma = edited / "gamma.toml"
    gamma.write_text(gamma.read_text().replace('id = "ignore"\ntext = "Let it ring{if loyalty < 5} again{end}."\ngoto = "gamma.start"\nadd = { loyalty = -1 }',
                                               'id = "ignore"\ntext = "Let it ring{if loyalty < 5} again{end}."\ngoto = "gamma.start"\nadd = { loyalty = -1 }\n'
                                               'if = "loyalty >= 5"'))
    (edited / "history.toml").write_text((edited / "history.toml").read_text().replace('["ignore", "answer"]', '["answer"]'))
    result = boardroom("play", "--plain", "--load", str(old), "--story", str(edited), cwd=tmp_path, stdin="1\n")
    no_traceback(result)
    assert result.returncode == 0
    first = result.stdout.splitlines()[0]
    assert first == ("This run no longer fits the story at step 2 (gamma.start, choice 'ignore'): locked: choice 'ignore' in "
                     "“The call” (gamma.start) is now locked: needs Staff loyalty at least 5 (now 4). Continuing from step 1.")
    assert "THE END — The deal" in result.stdout
    assert [s.choice for s in read_run(tmp_path / "saves" / "autosave.json").steps] == ["ignore", "answer"]


@pytest.mark.parametrize("content, code, message", [
    ("{", 2, ":1:2: error[R003] truncated"),
    (None, 2, ":1:1: error[R001] no such file"),
])
@pytest.mark.parametrize("front", ["plain", "app"])
def test_play_refuses_an_unreadable_run_in_one_located_line(tmp_path: Path, content: str, code: int, message: str,
                                                            front: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """`play --load` locates a broken run as `replay` does: in plain mode, and before the app starts."""
    path = tmp_path / "run.json"
    if content is not None:
        path.write_text(content)
    if front == "app":
        monkeypatch.setenv("BOARDROOM_FORCE_TUI", "1")  # past the no-terminal check: the run is read first
    result = boardroom("play", *(["--plain"] if front == "plain" else []), "--load", str(path),
                       "--story", str(EXAMPLE), cwd=tmp_path)
    assert result.returncode == code
    assert one_error_line(result).startswith(f"{path}{message}")
    assert not (tmp_path / "saves").exists(), "nothing is saved over anything"
