"""Plain mode end to end, as a script or a screen reader would drive it: piped stdin."""

from __future__ import annotations

import subprocess

import pytest
import sys
from pathlib import Path

EXAMPLE = Path(__file__).parent / "fixtures" / "example"


def run(args: list[str], stdin: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "game", "play", "--plain", "--story", str(EXAMPLE), "--saves", str(tmp_path), *args],
        input=stdin, capture_output=True, text=True, timeout=60,
    )


def test_piped_numbers_play_to_an_ending(tmp_path) -> None:
    out = run(["--side", "alpha"], "1\n1\n", tmp_path)
    assert out.returncode == 0, out.stderr
    assert "THE END — The return" in out.stdout
    assert "The critic gives your version 7.3/10" in out.stdout
    assert "Traceback" not in out.stderr


def test_bad_input_gets_a_one_line_hint_and_play_goes_on(tmp_path) -> None:
    out = run(["--side", "alpha"], "abc\n\n7\n-1\n1\n1\n", tmp_path)
    assert out.returncode == 0
    assert "Type a number from 1 to 2 or a choice's id, not 'abc'; q quits." in out.stdout
    assert "Type the number of a choice (1-2) and press Enter; q quits." in out.stdout
    assert "There is no a choice 7" not in out.stdout
    assert "There is no choice 7: type a number from 1 to 2." in out.stdout
    assert "THE END" in out.stdout


def test_locked_choice_is_listed_with_its_reason_and_refused(tmp_path) -> None:
    out = run(["--side", "alpha"], "2\n1\n3\n", tmp_path)
    assert "(locked) Fight for the chair. — needs Staff loyalty at least 7 (now 3)" in out.stdout
    assert "That choice is locked: needs Staff loyalty at least 7 (now 3). Pick another." in out.stdout
    assert "THE END — The exit" in out.stdout


def test_end_of_input_ends_cleanly(tmp_path) -> None:
    out = run(["--side", "beta"], "", tmp_path)
    assert out.returncode == 0
    assert "Game ended." in out.stdout
    assert out.stderr == ""


def test_without_a_side_the_player_picks_one(tmp_path) -> None:
    out = run([], "3\n1\n", tmp_path)
    assert "Whose side are you on?" in out.stdout
    assert "THE END — The deal" in out.stdout


def test_a_broken_story_is_reported_without_a_traceback(tmp_path) -> None:
    broken = tmp_path / "story"
    broken.mkdir()
    (broken / "story.toml").write_text("[story]\nid = 'x'\ntitle = \n")
    out = subprocess.run([sys.executable, "-m", "game", "play", "--plain", "--story", str(broken)],
                         input="", capture_output=True, text=True)
    assert out.returncode == 1
    assert "story.toml:3:" in out.stderr and "error[E001]" in out.stderr
    assert "Traceback" not in out.stderr


def test_outcomes_and_passages_read_in_plain_mode(tmp_path) -> None:
    out = run(["--side", "alpha"], "2\n3\n", tmp_path)
    assert "\n    What if: Nobody notices you waiting.\n\nThe call comes at noon.\n" in out.stdout
    assert "Nobody on the staff says goodbye: you waited too long that morning." in out.stdout
    assert "{" not in out.stdout.replace("{braces}", "")


def test_a_choice_id_works_as_its_number_does(tmp_path) -> None:
    out = run(["--side", "alpha"], "rally\nnope\nfight\n", tmp_path)
    assert out.returncode == 0, out.stderr
    assert "Type a number from 1 to 3 or a choice's id, not 'nope'; q quits." in out.stdout
    assert "THE END — The return" in out.stdout


def test_from_a_scene_with_values_starts_there_unsaved(tmp_path) -> None:
    out = run(["--from", "alpha.noon", "--set", "loyalty=6", "--set", "signed=true"], "accept\n", tmp_path)
    assert out.returncode == 0, out.stderr
    assert "Started at “Noon” (--from): this run is not saved." in out.stdout
    assert "Staff loyalty 6/10" in out.stdout and "The letter you signed is still on the table." in out.stdout
    assert not (tmp_path / "autosave.json").exists()


@pytest.mark.parametrize("args, words", [
    (["--from", "alpha.nooon"], "this story has no scene 'alpha.nooon' (did you mean 'alpha.noon'?)"),
    (["--from", "alpha.noon", "--set", "loyalty=11"], "--set 'loyalty=11': loyalty is from 0 to 10"),
    (["--from", "alpha.noon", "--set", "signed=maybe"], "--set 'signed=maybe': signed is true or false"),
    (["--from", "alpha.noon", "--set", "morale=1"], "--set 'morale=1': give VAR=VALUE with one of the story's variables"),
    (["--set", "loyalty=1"], "--set needs --from SCENE"),
    (["--from", "alpha.noon", "--side", "beta"], "scene 'alpha.noon' is on side 'alpha', not 'beta'"),
])
def test_from_and_set_refuse_what_does_not_fit_in_one_line(tmp_path, args: list[str], words: str) -> None:
    out = run(args, "", tmp_path)
    assert out.returncode == 2 and words in out.stderr and out.stderr.count("\n") == 1, out.stderr


def test_plain_mode_does_not_read_every_run_to_offer_one(tmp_path, monkeypatch, capsys) -> None:
    """Plain mode has no "continue": looking for the run played last (every run in the folder
    read whole, a second or more for a large folder) is left out of its start."""
    import io

    from game.cli import main
    from game.runs.saves import Saves

    assert run(["--side", "alpha"], "1\n", tmp_path).returncode == 0  # a run in the folder
    assert list(tmp_path.glob("*.json"))
    looked: list[int] = []
    real = Saves.latest

    def latest(self: Saves, story_id: str | None = None):
        looked.append(1)
        return real(self, story_id)

    monkeypatch.setattr(Saves, "latest", latest)
    monkeypatch.setattr(sys, "stdin", io.StringIO("1\n1\n"))
    assert main(["play", "--plain", "--side", "alpha", "--story", str(EXAMPLE), "--saves", str(tmp_path)]) == 0
    assert "THE END — The return" in capsys.readouterr().out
    assert looked == []
