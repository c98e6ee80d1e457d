"""The game controller without any front end: the rules the app and plain mode share."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from game.controller.game import Game
from game.controller.launch import Launch, LaunchError, launch
from game.controller.outcomes import Diverged, Ended, Moved, Refused, Started
from game.controller.settings import Settings, load_gallery
from game.engine import Story, load_story, play
from game.runs import read_run, run_from_state, write_run

EXAMPLE = Path(__file__).parent / "fixtures" / "example"
NOW = dt.datetime(2024, 5, 1, 12, 0, tzinfo=dt.timezone.utc)


@pytest.fixture(scope="module")
def story() -> Story:
    return load_story(EXAMPLE)


def make_game(tmp_path: Path, story: Story) -> Game:
    game = Game(EXAMPLE, tmp_path / "saves", tmp_path / "config", Settings(), now=lambda: NOW)
    game.take(game.read(story))
    return game


def autosave(game: Game) -> None:
    job = game.autosave_job()
    assert job is not None
    job()


def test_play_takes_choice_ids_and_says_where_they_stop_fitting(story: Story) -> None:
    played = play(story, "alpha", ["rally", "fight"])
    assert played.divergence is None and played.state.scene == "alpha.end.win"
    assert [s.length for s in played.states] == [0, 1, 2]
    stuck = play(story, "alpha", ["wait", "fight", "accept"])
    assert stuck.state.scene == "alpha.noon"
    assert stuck.divergence is not None and stuck.divergence.kind == "locked" and stuck.divergence.step == 2
    assert "needs Staff loyalty at least 7" in stuck.divergence.reason


def test_choosing_to_an_ending_records_it_in_the_gallery_once(tmp_path: Path, story: Story) -> None:
    game = make_game(tmp_path, story)
    assert isinstance(game.start("alpha"), Started)
    assert isinstance(game.choose("rally"), Moved)
    ended = game.choose("fight")
    assert isinstance(ended, Ended) and ended.new and ended.found == 1
    assert ended.summary.title and ended.summary.real_score == 7.3
    assert ended.summary.score_line().endswith("The real drama got 7.3.")
    assert ended.summary.scale is not None and ended.summary.scale.words == "tipped hard toward profit"
    assert "alpha.end.win" in load_gallery(tmp_path / "config").found("example")
    game.start("alpha")
    game.choose("rally")
    again = game.choose("fight")
    assert isinstance(again, Ended) and not again.new and again.found == 1


def test_peeking_at_a_choice_shows_where_it_leads_and_takes_nothing(story: Story) -> None:
    """What the play screen lays out ahead while the player reads: the view a choice would
    give, with the run, its headlines and its undo left exactly as they were."""
    from game.controller.session import Session
    from game.engine import ChoiceError

    session = Session.new(story, "alpha")
    before = (session.state, list(session.states), list(session.headlines))
    peeked = {c.id: session.peek(c.id) for c in session.view().choices if c.available}
    assert (session.state, session.states, session.headlines) == before and not session.can_undo()
    with pytest.raises(ChoiceError):
        session.peek("no-such-choice")
    for choice_id, v in peeked.items():
        other = Session.new(story, "alpha")
        other.choose(choice_id)
        assert v == other.view(), choice_id


def test_undo_and_going_back_refuse_at_the_start(tmp_path: Path, story: Story) -> None:
    game = make_game(tmp_path, story)
    game.start("alpha")
    assert isinstance(game.undo(), Refused)
    game.choose("rally")
    moved = game.go_back(0)
    assert isinstance(moved, Moved) and "choice 1" in moved.note
    assert game.session is not None and game.session.steps == 0


def test_a_new_run_keeps_the_unfinished_autosave_of_another(tmp_path: Path, story: Story) -> None:
    game = make_game(tmp_path, story)
    game.start("alpha")
    game.choose("rally")
    autosave(game)
    started = game.start("beta")
    assert isinstance(started, Started) and started.kept is not None
    assert "unfinished run was kept" in started.kept.message
    kept = [p for p in (tmp_path / "saves").glob("*.json") if p.name != "autosave.json"]
    assert len(kept) == 1 and read_run(kept[0]).side == "alpha"


@pytest.mark.parametrize("first", ["listed after the first frame", "a choice autosaved first"])
def test_a_run_started_before_the_saves_are_listed_still_keeps_the_other_run_aside(
        tmp_path: Path, story: Story, first: str) -> None:
    """`play --side` shows its first scene before listing the saves (`read(listed=False)`):
    the autosave of the run played before is put aside when they are listed, after that first
    frame or when the new run's first choice is autosaved, whichever comes first; never lost."""
    before = make_game(tmp_path, story)
    before.start("alpha")
    before.choose("rally")
    autosave(before)
    before.close()  # that game has ended: its autosave is free to be this one's
    autosaved = (tmp_path / "saves" / "autosave.json").read_bytes()

    game = Game(EXAMPLE, tmp_path / "saves", tmp_path / "config", Settings(), now=lambda: NOW)
    game.take(game.read(story, latest=False, listed=False))
    started = game.start("beta")
    assert isinstance(started, Started) and started.kept is None  # not yet looked at
    assert sorted(p.name for p in (tmp_path / "saves").glob("*.json")) == ["autosave.json"]
    if first == "a choice autosaved first":
        game.choose(game.session.view().choices[0].id)  # type: ignore[union-attr]
        autosave(game)
    notice = game.list_saves()
    assert notice is not None and "unfinished run was kept" in notice.message
    assert game.list_saves() is None  # said once
    kept = [p for p in (tmp_path / "saves").glob("*.json") if p.name != "autosave.json"]
    assert len(kept) == 1 and kept[0].read_bytes() == autosaved and read_run(kept[0]).side == "alpha"
    assert read_run(tmp_path / "saves" / "autosave.json").side == ("beta" if first != "listed after the first frame"
                                                                  else "alpha")


def test_a_replay_steps_within_its_run_and_says_what_was_taken_and_where_it_stops_fitting(
        tmp_path: Path, story: Story) -> None:
    from game.controller.replay import Replay

    game = make_game(tmp_path, story)
    game.start("gamma")
    for choice in ("ignore", "ignore", "answer"):
        game.choose(choice)
    run = game.run_file("watched")
    assert run is not None
    replay = game.replay(run)
    assert isinstance(replay, Replay) and replay.step == 0 and replay.last == 3
    assert replay.go_to(-5) is False and replay.step == 0 and replay.meters_before() is None
    assert [(replay.go_to(i), replay.taken())[1] for i in range(4)] == ["ignore", "ignore", "answer", None]
    assert replay.go_to(99) is False and replay.step == 3 and replay.ended() and replay.stopped() is None
    assert replay.view().scene.id == run.ending and replay.side_name() == story.sides["gamma"].name
    assert replay.meters_before() is not None

    steps = list(run.steps)
    steps[1] = dataclasses.replace(steps[1], choice="vanished")  # as if the story lost that choice
    replay = game.replay(dataclasses.replace(run, steps=steps))
    assert isinstance(replay, Replay) and replay.last == 1
    replay.go_to(1)
    assert replay.taken() == "vanished" and replay.stopped() is not None and not replay.ended()
    assert "vanished" in replay.stopped()  # type: ignore[operator]

    refused = game.replay(dataclasses.replace(run, side="omega"))
    assert isinstance(refused, Refused) and "no side 'omega'" in refused.notice.message


def test_continuing_the_same_run_keeps_nothing_aside(tmp_path: Path, story: Story) -> None:
    game = make_game(tmp_path, story)
    game.start("alpha")
    game.choose("rally")
    autosave(game)
    outcome = game.continue_run()
    assert isinstance(outcome, Started) and outcome.kept is None


def test_a_run_the_story_outgrew_is_asked_about_then_continued(tmp_path: Path, story: Story) -> None:
    game = make_game(tmp_path, story)
    run = run_from_state(story, play(story, "alpha", ["wait"]).state)
    bad = run.model_copy(update={"steps": run.steps + [run.steps[0].model_copy(update={"scene": "alpha.noon",
                                                                                         "choice": "fight"})],
                                 "fingerprint": "changed"})
    outcome = game.open(bad)
    assert isinstance(outcome, Diverged) and outcome.fits == 1 and outcome.total == 2
    started = game.accept(outcome)
    assert started.session.steps == 1 and "story has changed" in started.note


def test_reload_keeps_the_place_or_says_where_the_run_stopped_fitting(tmp_path: Path, story: Story) -> None:
    game = make_game(tmp_path, story)
    assert game.reload(story).kind == "no-run"
    game.start("alpha")
    game.choose("wait")
    assert game.reload(story).kind == "kept"
    edited = tmp_path / "story"
    shutil.copytree(EXAMPLE, edited)
    text = (edited / "alpha.toml").read_text(encoding="utf-8")
    (edited / "alpha.toml").write_text(text.replace('id = "wait"', 'id = "bide"'), encoding="utf-8")
    outcome = game.reload(load_story(edited))
    assert outcome.kind == "diverged" and "no longer fits at choice 1" in outcome.note
    assert game.session is not None and game.session.steps == 0


def test_side_and_load_together_are_refused_the_same_way_everywhere(tmp_path: Path, story: Story) -> None:
    run = tmp_path / "run.json"
    write_run(run_from_state(story, play(story, "alpha", ["rally"]).state), run)
    assert launch(story, "alpha", None) == Launch("alpha", None)
    both = launch(story, "alpha", run)
    assert isinstance(both, LaunchError) and both.code == 2 and "not both" in both.message
    for args in (["play", "--plain"], ["play"]):
        out = subprocess.run([sys.executable, "-m", "game", *args, "--story", str(EXAMPLE), "--side", "alpha",
                              "--load", str(run)], capture_output=True, text=True, timeout=60,
                             env={**os.environ, "BOARDROOM_FORCE_TUI": "1"})
        assert out.returncode == 2, (args, out.stderr)
        assert out.stderr == "boardroom: error: give --load FILE or --side SIDE, not both\n"


def test_plain_mode_records_endings_in_the_gallery(tmp_path: Path) -> None:
    env = {**os.environ, "BOARDROOM_CONFIG_DIR": str(tmp_path / "config")}
    out = subprocess.run([sys.executable, "-m", "game", "play", "--plain", "--story", str(EXAMPLE), "--saves",
                          str(tmp_path / "saves"), "--side", "alpha"], input="1\n1\n", capture_output=True,
                         text=True, timeout=60, env=env)
    assert out.returncode == 0, out.stderr
    assert "alpha.end.win" in load_gallery(tmp_path / "config").found("example")
