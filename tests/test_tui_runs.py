"""Saving, quitting, continuing, loading, endings and the gallery, in the Textual app."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from game.engine import load_story
from game.runs import Saves, read_run, run_from_state, write_run
from game.engine import choose as engine_choose, new_state
from game.tui.screens.dialogs import DivergenceScreen, QuitScreen, SlotScreen
from game.tui.screens.ending import EndingScreen
from game.tui.screens.gallery import GalleryScreen
from game.tui.screens.play import PlayScreen
from game.tui.screens.saves import LoadScreen
from game.tui.screens.title import TitleScreen
from game.controller.settings import load_gallery
from tui_support import EXAMPLE, REAL_STORY, choose, flat, notes, ready, start


def saved(tmp_path: Path, name: str = "autosave"):
    return read_run(tmp_path / "saves" / f"{name}.json")


async def test_every_choice_is_autosaved(make_app, tmp_path: Path) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await start(pilot, "gamma")
        await choose(pilot, ["ignore", "ignore"])
        app.flush_saves()
        run = saved(tmp_path)
        assert [s.choice for s in run.steps] == ["ignore", "ignore"]
        assert run.side == "gamma" and run.ending is None
        await pilot.press("u")
        await pilot.pause()
        app.flush_saves()
        assert len(saved(tmp_path).steps) == 1, "an undo is saved too"


async def test_quit_asks_first_and_keeps_the_run_for_continue(make_app, tmp_path: Path) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await start(pilot, "alpha")
        await choose(pilot, ["rally"])
        for key in ("q", "ctrl+c", "ctrl+q"):
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, QuitScreen), key
            assert "Continue on the title screen" in flat(app)
            await pilot.press("n")
            await pilot.pause()
            assert isinstance(app.screen, PlayScreen)
        await pilot.press("q")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
    assert app.return_code == 0
    assert saved(tmp_path).steps[-1].choice == "rally"

    again = make_app()
    async with again.run_test() as pilot:
        await ready(pilot)
        assert isinstance(again.screen, TitleScreen)
        assert "Continue Alpha · 1 choice made" in flat(again)
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(again.screen, PlayScreen)
        assert again.session.state.scene == "alpha.noon"
        assert "The call comes at noon." in flat(again)
        await pilot.press("ctrl+q", "ctrl+q")  # twice quits
        await pilot.pause()
    assert again.return_code == 0


async def test_escape_goes_to_the_title_and_continue_comes_back(make_app) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await start(pilot, "gamma")
        await choose(pilot, ["ignore"])
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, TitleScreen)
        assert "Continue Gamma · 1 choice made" in flat(app)
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen) and app.session.steps == 1


async def test_quick_save_and_quick_load(make_app, tmp_path: Path) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await start(pilot, "gamma")
        await pilot.press("f9")
        await pilot.pause()
        assert "No quick save yet" in notes(app)[-1]
        await choose(pilot, ["ignore"])
        await pilot.press("f5")
        await pilot.pause()
        assert "Quick saved at choice 1" in notes(app)[-1]
        await choose(pilot, ["ignore", "ignore"])
        assert app.session.steps == 3
        await pilot.press("f9")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        assert app.session.steps == 1
        assert "Quick loaded." in flat(app)
        assert len(saved(tmp_path, "quicksave").steps) == 1


async def test_save_to_a_named_slot_refuses_unsafe_names(make_app, tmp_path: Path) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await start(pilot, "gamma")
        await choose(pilot, ["ignore"])
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, SlotScreen)
        await pilot.press(*"../x", "enter")
        await pilot.pause()
        assert isinstance(app.screen, SlotScreen)
        assert "Not a slot name" in flat(app)
        await pilot.press(*["backspace"] * 4, *"my vote", "enter")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        assert "Saved as “my vote”." in notes(app)[-1]
    assert saved(tmp_path, "my vote").side == "gamma"
    assert not (tmp_path / "x.json").exists()


async def test_load_lists_unreadable_files_with_the_reason_and_never_touches_them(make_app, tmp_path: Path) -> None:
    story = load_story(EXAMPLE)
    folder = tmp_path / "saves"
    folder.mkdir()
    state = engine_choose(story, new_state(story, "alpha"), "rally")
    write_run(run_from_state(story, state, label="mine"), folder / "slot one.json")
    (folder / "broken.json").write_text('{"format": 1, "story_id": "example", "side": ', encoding="utf-8")
    (folder / "future.json").write_text(json.dumps({"format": 99, "story_id": "example"}), encoding="utf-8")
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    app = make_app()
    async with app.run_test(size=(110, 30)) as pilot:
        await ready(pilot)
        await pilot.press("l")
        await pilot.pause()
        assert isinstance(app.screen, LoadScreen)
        text = flat(app)
        assert text.count("unreadable") == 3, "two rows, and the line under the table on the highlighted one"
        assert "truncated: the JSON" in text and "written by a newer" in text
        assert "slot one" in text and "Alpha" in text and "Noon" in text
        rows = [e.name for e in app.screen.entries]
        await pilot.press(*["down"] * rows.index("broken"), "enter")
        await pilot.pause()
        assert isinstance(app.screen, LoadScreen), "an unreadable file is not loaded"
        assert "cannot be loaded" in notes(app)[-1]
        await pilot.press("home", *["down"] * rows.index("slot one"), "enter")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        assert app.session.state.scene == "alpha.noon"
    assert {p.name: p.read_bytes() for p in folder.iterdir() if p.name in before} == before


async def test_a_run_the_story_outgrew_says_where_and_continues_from_what_fits(make_app, tmp_path: Path) -> None:
    original = load_story(EXAMPLE)
    state = new_state(original, "gamma")
    for cid in ("ignore", "ignore"):
        state = engine_choose(original, state, cid)
    edited = tmp_path / "story"
    shutil.copytree(EXAMPLE, edited)
    gamma = edited / "gamma.toml"
    gamma.write_text(gamma.read_text(encoding="utf-8").replace('id = "ignore"', 'id = "let-it-ring"'),
                     encoding="utf-8")
    history = edited / "history.toml"
    history.write_text(history.read_text(encoding="utf-8").replace('"ignore"', '"let-it-ring"'), encoding="utf-8")
    run_file = tmp_path / "old.json"
    write_run(run_from_state(original, state), run_file)
    app = make_app(edited)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        app.open_run(read_run(run_file))
        await pilot.pause()
        assert isinstance(app.screen, DivergenceScreen)
        text = flat(app)
        assert "Choice 1 of 2" in text and "'ignore'" in text and "no longer has the choice" in text
        assert "Continue from choice 1" in text
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        assert app.session.steps == 0
        assert "the story has changed" in flat(app)


async def test_ending_screen_and_gallery_kept_between_sessions(make_app, tmp_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await start(pilot, "alpha")
        await choose(pilot, ["rally", "fight"])
        assert isinstance(app.screen, EndingScreen)
        text = flat(app)
        assert "THE END" in text and "The return" in text and "what really happened" in text
        assert "You are back." in text
        assert "WHAT ACTUALLY HAPPENED" in text and "This is what happened." in text
        assert "Critic 7.3/10" in text and "the real drama got 7.3" in text and "★★" not in text
        assert "The scale: tipped hard toward profit (10/10)" in text
        assert "New ending found — 1 of 5" in text
        await pilot.press("end")
        await pilot.pause()
        assert "“Predictable.”" in flat(app)
        await pilot.press("end")  # the ending scrolls with the keys
        await pilot.pause()
        text = flat(app)
        assert "1. Thu 09:00 Morning → Rally the staff." in text and "2. Thu 12:00 Noon → Fight for the chair." in text
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, GalleryScreen)
        text = flat(app)
        assert "1 of 5 endings found" in text and "✓ The return ★" in text and "??? — not found yet" in text
    gallery = load_gallery(tmp_path / "config")
    assert set(gallery.found("example")) == {"alpha.end.win"}

    again = make_app()
    async with again.run_test(size=(100, 40)) as pilot:
        await start(pilot, "alpha")
        await choose(pilot, ["rally", "accept"])
        assert "New ending found — 2 of 5" in flat(again)
        await pilot.press("u")  # back from the ending to choose again
        await pilot.pause()
        assert isinstance(again.screen, PlayScreen) and again.session.state.scene == "alpha.noon"
        await choose(pilot, ["fight"])
        assert "Endings found: 2 of 5" in flat(again)
    found = load_gallery(tmp_path / "config").found("example")
    assert found["alpha.end.win"].times == 2 and found["alpha.end.leave"].times == 1


async def test_continue_opens_the_run_last_played_even_at_its_ending(make_app, tmp_path: Path) -> None:
    """Continue used to skip finished runs: after finishing a run the title offered an older
    unfinished one the player had left days before (or "no saved run yet" beside a full saves
    folder). It opens the run played last now, at its ending when it has one, and says so."""
    app = make_app()
    async with app.run_test() as pilot:
        await start(pilot, "gamma")
        await choose(pilot, ["ignore"])  # unfinished, then left for another run
        app.flush_saves()
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("n", "2")
        await pilot.pause()
        await choose(pilot, ["sign"])
        assert isinstance(app.screen, EndingScreen)
        app.flush_saves()
    (tmp_path / "saves" / "zz broken.json").write_text("{", encoding="utf-8")  # newest, unreadable: skipped
    again = make_app()
    async with again.run_test() as pilot:
        await ready(pilot)
        assert "Continue Beta · ended: The board folds" in flat(again)
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(again.screen, EndingScreen) and again.session.side == "beta"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("l")
        await pilot.pause()
        rows = [e.name for e in again.screen.entries]
        kept = next(name for name in rows if name.startswith("Gamma"))
        await pilot.press(*["down"] * rows.index(kept), "enter")  # open the older run, choose nothing, quit
        await pilot.pause()
        assert isinstance(again.screen, PlayScreen) and again.session.side == "gamma"
        again.flush_saves()
    third = make_app()
    async with third.run_test() as pilot:
        await ready(pilot)
        assert "Continue Gamma · 1 choice made" in flat(third), "the run opened last is the one played last"
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(third.screen, PlayScreen) and third.session.side == "gamma"


async def test_documented_paths_reach_the_historical_endings(make_app) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await ready(pilot)
        for n, side in enumerate(("alpha", "beta", "gamma"), 1):
            await pilot.press("n", str(n))  # from the title, then from each ending
            await choose(pilot, app.story.history[side])
            assert isinstance(app.screen, EndingScreen), side
            ending = app.story.scenes[app.session.state.scene].ending
            assert ending is not None and ending.historical, side
            assert "what really happened" in flat(app)


async def test_real_story_documented_paths_through_the_app(make_app) -> None:
    from game.engine import StoryError

    try:
        story = load_story(REAL_STORY)
    except StoryError as exc:
        pytest.skip(f"the real story does not load yet: {exc}")
    if not story.history:
        pytest.skip("the real story has no documented paths ([history.<side>]) yet")
    app = make_app(REAL_STORY)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        for n, (side, path) in enumerate(story.history.items(), 1):
            await pilot.press("n", str(list(story.sides).index(side) + 1))
            assert isinstance(app.screen, PlayScreen), side
            await choose(pilot, path, keys=False)
            assert isinstance(app.screen, EndingScreen), f"{side}: the documented path did not end"
            ending = story.scenes[app.session.state.scene].ending
            assert ending is not None and ending.historical, f"{side}: not the historical ending"
            assert ending.title in flat(app)


async def start_another_run_as_alpha(app, pilot) -> None:
    """Back to the title, a new game as Alpha, one choice: the autosave now holds the new run."""
    app.flush_saves()
    await pilot.press("escape")
    await pilot.pause()
    await pilot.press("n")
    await pilot.pause()
    await pilot.press("1")
    await pilot.pause()
    await choose(pilot, ["rally"])
    app.flush_saves()


async def test_new_game_keeps_an_unfinished_autosave_as_a_slot(make_app, tmp_path: Path) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await start(pilot, "gamma")
        await choose(pilot, ["ignore", "ignore"])
        await start_another_run_as_alpha(app, pilot)
        assert any("kept as" in n for n in notes(app))
    runs = {e.name: e.run for e in Saves(tmp_path / "saves").entries()}
    assert runs["autosave"].side == "alpha"
    kept = [run for name, run in runs.items() if name not in ("autosave",)]
    assert len(kept) == 1 and kept[0].side == "gamma" and len(kept[0].steps) == 2


async def test_new_game_keeps_a_finished_autosave_for_replays(make_app, tmp_path: Path) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await start(pilot, "gamma")
        await choose(pilot, ["answer"])  # straight to the ending
        await start_another_run_as_alpha(app, pilot)
        assert any("finished run was kept" in n and "Replays" in n for n in notes(app))
    runs = {e.name: e.run for e in Saves(tmp_path / "saves").entries()}
    assert runs["autosave"].side == "alpha"
    kept = [run for name, run in runs.items() if name != "autosave"]
    assert len(kept) == 1 and kept[0].ending == "gamma.end.deal"
