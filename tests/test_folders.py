"""Where the game finds its story and keeps runs, settings and caches, from any folder.

Each test runs `boardroom` as a player would, from a folder of its own, with the platform's
user folders (XDG_*) pointed into tmp_path so nothing touches the developer's home.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from game import folders

EXAMPLE = Path(__file__).parent / "fixtures" / "example"
REPO_STORY = Path(__file__).resolve().parent.parent / "story"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A player's home: XDG folders in tmp_path, no Boardroom overrides, and a working folder."""
    for var in ("BOARDROOM_SAVES", "BOARDROOM_CONFIG_DIR", "BOARDROOM_CACHE_DIR", "BOARDROOM_STORY"):
        monkeypatch.delenv(var, raising=False)
    for var, name in (("XDG_DATA_HOME", "data"), ("XDG_CONFIG_HOME", "config"), ("XDG_CACHE_HOME", "cache")):
        monkeypatch.setenv(var, str(tmp_path / name))
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return tmp_path


def boardroom(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "game", *args], input=stdin, capture_output=True,
                          text=True, timeout=60)


def test_from_any_folder_the_game_plays_the_shipped_story_and_saves_in_the_user_data_folder(home: Path) -> None:
    out = boardroom("play", "--plain", "--side", "altman", stdin="1\n")
    assert out.returncode == 0, out.stderr
    assert out.stderr == ""  # the shipped story: nothing to say about it
    assert "Whose side" not in out.stdout and "=" * 78 in out.stdout
    saved = home / "data" / "boardroom" / "saves" / "autosave.json"
    assert json.loads(saved.read_text(encoding="utf-8"))["side"] == "altman"
    assert not (home / "work" / "saves").exists()


def test_a_story_in_the_current_folder_wins_and_every_command_says_so(home: Path) -> None:
    shutil.copytree(EXAMPLE, home / "work" / "story")
    for args in (["check"], ["graph"], ["play", "--plain", "--side", "alpha"]):
        out = boardroom(*args)
        assert out.stderr.splitlines()[0] == "boardroom: using the story in ./story (found in the current folder)", args


def test_a_story_folder_that_is_not_a_boardroom_story_is_passed_over(home: Path) -> None:
    (home / "work" / "story").mkdir()
    (home / "work" / "story" / "story.toml").write_text("[novel]\ntitle = 'not ours'\n", encoding="utf-8")
    out = boardroom("check")
    assert out.returncode == 0 and "using the story" not in out.stderr
    assert "story is clean" in out.stderr


def test_an_author_s_broken_story_is_still_found_and_reported(home: Path) -> None:
    shutil.copytree(EXAMPLE, home / "work" / "story")
    toml = home / "work" / "story" / "story.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + "\n[[[broken\n", encoding="utf-8")
    out = boardroom("check")
    assert out.returncode == 1 and "using the story in ./story" in out.stderr
    assert "story.toml:" in out.stdout and "error[" in out.stdout


def test_story_option_then_environment_then_current_folder(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(EXAMPLE, home / "work" / "story")
    monkeypatch.setenv("BOARDROOM_STORY", str(EXAMPLE))
    assert folders.find_story().source == "env"
    assert folders.find_story(str(REPO_STORY)) == folders.StoryChoice(REPO_STORY, "option")
    out = boardroom("check")
    assert f"using the story in {EXAMPLE} (from $BOARDROOM_STORY)" in out.stderr
    out = boardroom("check", str(EXAMPLE))  # named on the command line: no note
    assert "using the story" not in out.stderr


def test_saves_and_config_follow_options_and_environment(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert folders.saves_dir() == home / "data" / "boardroom" / "saves"
    assert folders.config_dir() == home / "config" / "boardroom"
    assert folders.cache_dir() == home / "cache" / "boardroom"
    monkeypatch.setenv("BOARDROOM_SAVES", "elsewhere")
    monkeypatch.setenv("BOARDROOM_CONFIG_DIR", "conf")
    monkeypatch.setenv("BOARDROOM_CACHE_DIR", "cache")
    assert folders.saves_dir() == Path("elsewhere") and folders.saves_dir("given") == Path("given")
    assert folders.config_dir() == Path("conf") and folders.cache_dir() == Path("cache")


def test_where_lists_every_folder(home: Path) -> None:
    out = boardroom("where")
    assert out.returncode == 0 and out.stderr == ""
    lines = out.stdout.splitlines()
    named = {line.split()[0]: line.split()[-1] for line in lines if not line.startswith(" ")}
    assert named["story"] == str(folders.shipped_story())
    assert named["saves"] == str(home / "data" / "boardroom" / "saves")
    assert named["settings"] == str(home / "config" / "boardroom")
    assert named["cache"] == str(home / "cache" / "boardroom")
    assert "the one that came with the game" in out.stdout


def test_runs_in_a_clone_s_saves_are_copied_once_and_never_moved(home: Path) -> None:
    shutil.copytree(EXAMPLE, home / "work" / "story")
    legacy = home / "work" / "saves"
    legacy.mkdir()
    (legacy / "chair.json").write_text('{"a": 1}\n', encoding="utf-8")
    (legacy / "autosave.json").write_text('{"b": 2}\n', encoding="utf-8")
    saves = home / "data" / "boardroom" / "saves"
    saves.mkdir(parents=True)
    (saves / "autosave.json").write_text('{"mine": 3}\n', encoding="utf-8")

    where = boardroom("where")
    assert "old saves" in where.stdout and str(legacy) in where.stdout
    out = boardroom("play", "--plain", "--side", "alpha", "--story", str(EXAMPLE), stdin="q\n")
    assert f"copied 2 runs from ./saves into {saves} (the originals stay where they are)" in out.stderr
    assert (legacy / "chair.json").read_text(encoding="utf-8") == '{"a": 1}\n'  # still there
    assert (saves / "chair.json").read_text(encoding="utf-8") == '{"a": 1}\n'
    assert (saves / "autosave-clone.json").read_text(encoding="utf-8") == '{"b": 2}\n'  # no overwrite
    assert (saves / "autosave.json").read_text(encoding="utf-8") == '{"mine": 3}\n'

    again = boardroom("play", "--plain", "--side", "alpha", "--story", str(EXAMPLE), stdin="q\n")
    assert "copied" not in again.stderr
    (legacy / "chair.json").write_text('{"a": 2}\n', encoding="utf-8")  # played on in the clone
    third = boardroom("play", "--plain", "--side", "alpha", "--story", str(EXAMPLE), stdin="q\n")
    assert "copied 1 run from" in third.stderr
    assert (saves / "chair-clone.json").read_text(encoding="utf-8") == '{"a": 2}\n'


def test_version(home: Path) -> None:
    out = boardroom("--version")
    assert out.returncode == 0 and out.stdout.startswith("boardroom ") and out.stdout.split()[1][0].isdigit()
    assert os.linesep in out.stdout
