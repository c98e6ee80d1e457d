"""No run is ever lost: new games, two games on one saves folder, odd side names, long slot names,
and kills in the middle of keeping a run aside.

Each case lost a run or raised a traceback before issue 18.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from game.controller.game import Game
from game.controller.outcomes import Started
from game.controller.settings import Settings
from game.engine import Story, load_story
from game.runs import RunError, Saves, read_run, run_from_state, safe_slot_name, slot_name_problem
from game.runs.files import dumps, parse_run
from game.runs.saves import MAX_SLOT_BYTES, create_exclusive

EXAMPLE = Path(__file__).parent / "fixtures" / "example"
NOW = dt.datetime(2026, 12, 1, 14, 0, tzinfo=dt.timezone.utc)


@pytest.fixture(scope="module")
def story() -> Story:
    return load_story(EXAMPLE)


def make_game(saves: Path, story: Story, config: Path) -> Game:
    game = Game(EXAMPLE, saves, config, Settings(), now=lambda: NOW)
    game.take(game.read(story))
    return game


def autosave(game: Game) -> None:
    job = game.autosave_job()
    assert job is not None
    job()


def runs_in(folder: Path) -> list[tuple[str, list[str]]]:
    """(side, choices) of every readable run in the folder."""
    out = []
    for p in sorted(folder.glob("*.json")):
        run = read_run(p)
        out.append((run.side, [s.choice for s in run.steps]))
    return sorted(out)


def test_two_games_sharing_a_saves_folder_keep_both_runs(tmp_path: Path, story: Story) -> None:
    saves = tmp_path / "saves"
    first, second = make_game(saves, story, tmp_path / "c1"), make_game(saves, story, tmp_path / "c2")
    first.start("alpha")
    second.start("gamma")
    first.choose("rally")
    second.choose("ignore")
    for _ in range(2):  # interleaved, as two terminals would
        autosave(first)
        autosave(second)
    assert runs_in(saves) == [("alpha", ["rally"]), ("gamma", ["ignore"])]
    assert {p.name for p in saves.glob("*.json")} == {"autosave.json", "autosave-2.json"}
    later = make_game(saves, story, tmp_path / "c3")
    assert later.latest is not None and later.latest.run is not None
    first.close()
    second.close()
    third = make_game(saves, story, tmp_path / "c4")
    third.start("beta")
    autosave(third)  # the first autosave is free again, and its run is kept aside first
    assert ("alpha", ["rally"]) in runs_in(saves) and ("gamma", ["ignore"]) in runs_in(saves)
    third.close()


def plain(tmp_path: Path, side: str) -> subprocess.Popen[str]:
    env = {**os.environ, "BOARDROOM_SAVES": str(tmp_path / "saves")}
    return subprocess.Popen([sys.executable, "-m", "game", "play", "--plain", "--side", side, "--story", str(EXAMPLE)],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            cwd=tmp_path, env=env)


def wait_for(predicate, what: str) -> None:  # type: ignore[no-untyped-def]
    for _ in range(600):
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def test_two_plain_games_at_once_never_lose_a_run(tmp_path: Path) -> None:
    saves = tmp_path / "saves"
    a = plain(tmp_path, "alpha")
    b = plain(tmp_path, "gamma")
    try:
        assert a.stdin is not None and b.stdin is not None
        a.stdin.write("1\n")
        a.stdin.flush()
        wait_for(lambda: len(list(saves.glob("*.json"))) == 1, "the first game's autosave")
        b.stdin.write("1\n")
        b.stdin.flush()
        wait_for(lambda: len(list(saves.glob("*.json"))) == 2, "the second game's autosave")
        a.stdin.write("1\n")
        a.stdin.flush()
    finally:
        for p in (a, b):
            out, err = p.communicate(timeout=60)
            assert p.returncode == 0 and "Traceback" not in err, err
    sides = sorted(read_run(p).side for p in saves.glob("*.json"))
    assert sides == ["alpha", "gamma"]


def test_a_new_plain_game_keeps_the_unfinished_one(tmp_path: Path) -> None:
    saves = tmp_path / "saves"
    for side in ("alpha", "gamma", "alpha"):
        p = plain(tmp_path, side)
        _, err = p.communicate("1\n", timeout=60)
        assert p.returncode == 0, err
    assert [side for side, _ in runs_in(saves)] == ["alpha", "alpha", "gamma"]


@pytest.mark.parametrize("name", ["Sam/Altman: *the* CEO?", "..", "autosave", "CON", "\u05e9\u05dc\u05d5\u05dd " * 40,
                                  "\U0001d54f" * 80])
def test_a_run_is_kept_whatever_the_side_is_called(tmp_path: Path, name: str) -> None:
    root = tmp_path / "story"
    shutil.copytree(EXAMPLE, root)
    text = (root / "story.toml").read_text(encoding="utf-8").replace('name = "Alpha"', f'name = "{name}"', 1)
    (root / "story.toml").write_text(text, encoding="utf-8")
    story = load_story(root)
    saves = tmp_path / "saves"
    for n in range(3):  # the same name three times: a counter keeps the names apart
        game = make_game(saves, story, tmp_path / "config")
        # three runs begun seconds apart (in the same minute, so the same name): with one frozen
        # clock they would be one run, and a run the folder already holds is not kept again
        game.now = lambda n=n: NOW + dt.timedelta(seconds=n)
        game.start("alpha")
        game.choose("rally")
        autosave(game)
        started = game.start("gamma")
        assert isinstance(started, Started) and started.kept is not None
        assert "was kept as" in started.kept.message, started.kept.message
        game.close()
    names = [p.stem for p in saves.glob("*.json") if p.stem != "autosave"]
    assert len(names) == 3 and all(slot_name_problem(n) is None for n in names), names
    assert all(len(p.name.encode("utf-8")) <= MAX_SLOT_BYTES + 5 for p in saves.glob("*.json"))


def test_slot_names_are_limited_by_bytes_not_characters(tmp_path: Path, story: Story) -> None:
    saves = Saves(tmp_path / "saves")
    run = run_from_state(story, story_state(story))
    with pytest.raises(RunError, match="bytes"):
        saves.slot_path("\U0001d54f" * 63)
    longest = "\U0001d54f" * 30  # 120 bytes
    saves.save(run, saves.slot_path(longest))
    assert read_run(saves.slot_path(longest)) == run


def story_state(story: Story):  # type: ignore[no-untyped-def]
    from game.engine import choose, new_state

    return choose(story, new_state(story, "alpha"), "rally")


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_any_text_makes_a_valid_slot_name(text: str) -> None:
    name = safe_slot_name(text)
    assert slot_name_problem(name) is None
    assert len(name.encode("utf-8")) <= MAX_SLOT_BYTES


def test_save_new_never_overwrites(tmp_path: Path, story: Story) -> None:
    saves = Saves(tmp_path / "saves")
    run = run_from_state(story, story_state(story))
    paths = [saves.save_new(run.model_copy(update={"label": str(i)}), "Alpha") for i in range(3)]
    assert [p.stem for p in paths] == ["Alpha", "Alpha (2)", "Alpha (3)"]
    assert [read_run(p).label for p in paths] == ["0", "1", "2"]


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork to kill a saving process cheaply")
def test_a_kill_while_keeping_a_run_aside_leaves_no_half_file(tmp_path: Path, story: Story) -> None:
    data = dumps(run_from_state(story, story_state(story))).encode("utf-8")
    folder = tmp_path / "saves"
    folder.mkdir()
    for i in range(12):
        ready_r, ready_w = os.pipe()
        pid = os.fork()
        if pid == 0:  # keep creating new files until killed, saying when the first one is there
            try:
                os.close(ready_r)
                n = 0
                while True:
                    n += 1
                    create_exclusive(folder / f"kept-{i}-{n}.json", data)
                    if n == 1:
                        os.write(ready_w, b"1")
            finally:
                os._exit(0)
        os.close(ready_w)
        os.read(ready_r, 1)  # the first file is whole; kill somewhere in the next ones
        os.close(ready_r)
        time.sleep(0.001 * (i % 4))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    files = list(folder.glob("*.json"))
    assert len(files) >= 12
    for p in files:
        parse_run(p.read_bytes(), p)  # every file there is whole
