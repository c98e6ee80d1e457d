"""Managing saved runs: renaming, deleting to the trash folder, sorting the lists (Load, Replays)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from game.engine import load_story, play
from game.runs import RunError, Saves, read_run, run_from_state, write_run
from game.tui.screens.dialogs import DeleteScreen, RenameScreen
from game.tui.screens.replays import ReplayBrowser
from game.tui.screens.saves import LoadScreen
from game.tui.widgets.runs_table import RunsTable
from tui_support import EXAMPLE, flat, notes, ready

T0 = dt.datetime(2024, 4, 30, 9, 0, tzinfo=dt.timezone.utc)


@pytest.fixture(scope="module")
def story():
    return load_story(EXAMPLE)


def _save(story, folder: Path, name: str, side: str, choices: str, hours: int) -> Path:
    run = run_from_state(story, play(story, side, choices.split()).state).model_copy(update={"updated": T0 + dt.timedelta(hours=hours)})
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.json"
    write_run(run, path)
    return path


# ---------------------------------------------------------------------------------------------- Saves


def test_rename_moves_the_file_and_keeps_the_run(story, tmp_path: Path) -> None:
    saves = Saves(tmp_path / "saves")
    old = _save(story, saves.folder, "first", "alpha", "rally", 1)
    before = old.read_bytes()
    new = saves.rename(old, "before the vote")
    assert new == saves.folder / "before the vote.json" and new.read_bytes() == before and not old.exists()
    assert [e.name for e in saves.entries()] == ["before the vote"]


def test_rename_refuses_a_taken_name_and_a_bad_one_and_changes_nothing(story, tmp_path: Path) -> None:
    saves = Saves(tmp_path / "saves")
    one = _save(story, saves.folder, "one", "alpha", "rally", 1)
    two = _save(story, saves.folder, "two", "gamma", "ignore", 2)
    before = {p.name: p.read_bytes() for p in saves.folder.iterdir()}
    with pytest.raises(RunError, match="a run called “two” exists already"):
        saves.rename(one, "two")
    for bad, reason in (("../x", "slash"), ("autosave", "autosave"), ("", "empty"), ("a\x1bb", "control"),
                        ("x" * 200, "too long"), ("one", "its name already")):
        with pytest.raises(RunError, match=reason):
            saves.rename(one, bad)
    with pytest.raises(RunError, match="not a run in the saves folder"):
        saves.rename(tmp_path / "elsewhere.json", "three")
    assert {p.name: p.read_bytes() for p in saves.folder.iterdir()} == before
    assert not (tmp_path / "x.json").exists() and two.exists()


def test_a_link_in_the_folder_is_moved_as_a_link_never_followed(story, tmp_path: Path) -> None:
    outside = _save(story, tmp_path / "outside", "theirs", "alpha", "rally", 1)
    content = outside.read_bytes()
    saves = Saves(tmp_path / "saves")
    saves.folder.mkdir()
    link = saves.folder / "linked.json"
    link.symlink_to(outside)
    renamed = saves.rename(link, "renamed")
    assert renamed.is_symlink() and not link.exists()
    trashed = saves.trash(renamed)
    assert trashed.is_symlink() and trashed.parent == saves.folder / "trash"
    assert outside.read_bytes() == content and sorted(p.name for p in outside.parent.iterdir()) == ["theirs.json"]


def test_trash_keeps_every_deleted_run_under_a_unique_name(story, tmp_path: Path) -> None:
    saves = Saves(tmp_path / "saves")
    first = _save(story, saves.folder, "mine", "alpha", "rally", 1)
    first_bytes = first.read_bytes()
    assert saves.trash(first) == saves.folder / "trash" / "mine.json"
    second = _save(story, saves.folder, "mine", "gamma", "ignore", 2)
    second_bytes = second.read_bytes()
    assert saves.trash(second) == saves.folder / "trash" / "mine (2).json"
    assert (saves.folder / "trash" / "mine.json").read_bytes() == first_bytes
    assert (saves.folder / "trash" / "mine (2).json").read_bytes() == second_bytes
    assert saves.entries() == [] and saves.latest() is None, "the trash is not listed, nor continued"


def test_trash_refuses_a_trash_folder_that_leads_out_of_the_saves_folder(story, tmp_path: Path) -> None:
    saves = Saves(tmp_path / "saves")
    run = _save(story, saves.folder, "mine", "alpha", "rally", 1)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (saves.folder / "trash").symlink_to(elsewhere)
    with pytest.raises(RunError, match="not a folder"):
        saves.trash(run)
    assert run.exists() and list(elsewhere.iterdir()) == []


def test_trash_refuses_a_folder_named_like_a_run(tmp_path: Path) -> None:
    saves = Saves(tmp_path / "saves")
    (saves.folder / "odd.json").mkdir(parents=True)
    with pytest.raises(RunError, match="not a run file but a folder"):
        saves.trash(saves.folder / "odd.json")
    assert (saves.folder / "odd.json").is_dir()


def test_an_unreadable_file_can_be_renamed_and_deleted(tmp_path: Path) -> None:
    saves = Saves(tmp_path / "saves")
    saves.folder.mkdir()
    (saves.folder / "broken.json").write_text("{", encoding="utf-8")
    renamed = saves.rename(saves.folder / "broken.json", "broken old")
    assert saves.trash(renamed).read_text(encoding="utf-8") == "{"


# ---------------------------------------------------------------------------------------------- the app


def _names(app) -> list[str]:
    """The Save column, top to bottom, as shown."""
    table = app.screen.query_one(RunsTable)
    return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]


async def _open_load(pilot) -> None:
    await ready(pilot)
    await pilot.press("l")
    await pilot.pause()
    assert isinstance(pilot.app.screen, LoadScreen)


async def test_load_renames_a_run_and_refuses_taken_and_bad_names_on_screen(make_app, story, tmp_path: Path) -> None:
    folder = tmp_path / "saves"
    _save(story, folder, "before the vote", "alpha", "rally", 2)
    _save(story, folder, "a long name for the first run I played", "gamma", "ignore", 1)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await _open_load(pilot)
        assert _names(app) == ["before the vote", "a long name for the first run I played"]
        await pilot.press("down")
        await pilot.pause()
        assert "a long name for the first run I played: Gamma" in flat(app), "full names, never cut"
        await pilot.press("up")
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, RenameScreen)
        assert app.screen.query_one("Input").value == "before the vote", "the current name, to edit"
        await pilot.press(*"a long name for the first run I played", "enter")  # typing replaces it
        await pilot.pause()
        assert isinstance(app.screen, RenameScreen) and "already: choose another name" in flat(app)
        await pilot.press("ctrl+u", *"../elsewhere", "enter")
        await pilot.pause()
        assert isinstance(app.screen, RenameScreen) and "Not a slot name: it contains a slash" in flat(app)
        await pilot.press("ctrl+u", *"the vote", "enter")
        await pilot.pause()
        assert isinstance(app.screen, LoadScreen)
        said = "Renamed “before the vote” to “the vote”."
        assert said in flat(app) and not any(said in note for note in notes(app)), \
            "said under the table, not in a toast over its corner"
        assert _names(app) == ["the vote", "a long name for the first run I played"]
        assert app.screen.query_one(RunsTable).current().path == folder / "the vote.json"
    assert read_run(folder / "the vote.json").side == "alpha" and not (folder / "before the vote.json").exists()
    assert not (tmp_path / "elsewhere.json").exists()


async def test_delete_asks_keeps_on_no_and_moves_to_the_trash_on_yes(make_app, story, tmp_path: Path) -> None:
    folder = tmp_path / "saves"
    _save(story, folder, "mine", "alpha", "rally", 2)
    first = (folder / "mine.json").read_bytes()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_load(pilot)
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, DeleteScreen)
        text = flat(app)
        assert "“mine” will be moved to the trash folder" in text
        assert str(folder / "trash") in "".join(text.split()), "the trash folder's path (wrapped at 80 columns)"
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, LoadScreen) and (folder / "mine.json").read_bytes() == first
        await pilot.press("delete")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, LoadScreen)
        assert not (folder / "mine.json").exists() and (folder / "trash" / "mine.json").read_bytes() == first
        assert "Moved “mine” to the trash" in flat(app) and "No saved runs" in flat(app)
        assert not any("Moved “mine”" in note for note in notes(app)), "said in the dialog, no toast over it"
        await pilot.press("escape")
        await pilot.pause()
        assert "no saved run yet" in flat(app), "Continue no longer offers the deleted run"
        _save(story, folder, "mine", "gamma", "ignore", 3)  # the same name again, deleted again: both kept
        second = (folder / "mine.json").read_bytes()
        await pilot.press("l")
        await pilot.pause()
        await pilot.press("d", "y")
        await pilot.pause()
    assert (folder / "trash" / "mine.json").read_bytes() == first
    assert (folder / "trash" / "mine (2).json").read_bytes() == second


async def test_sorting_changes_the_order_by_key_and_by_header(make_app, story, tmp_path: Path) -> None:
    folder = tmp_path / "saves"
    _save(story, folder, "b middle", "gamma", "ignore", 2)
    _save(story, folder, "a oldest", "beta", "sign", 1)
    _save(story, folder, "c newest", "alpha", "rally", 3)
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await _open_load(pilot)
        assert _names(app) == ["c newest", "b middle", "a oldest"]
        assert "Sorted by date saved, newest first" in flat(app)
        await pilot.press("s")  # the next column along: the scene, A to Z
        await pilot.pause()
        assert _names(app) == ["a oldest", "c newest", "b middle"], "Folded, Noon, The call"
        assert "Sorted by scene, A to Z" in flat(app) and "Scene ▲" in flat(app)
        table = app.screen.query_one(RunsTable)
        name = table.columns["name"]
        for _ in range(2):  # a click on a header sorts by it; a second click flips the order
            table.post_message(table.HeaderSelected(table, name.key, 0, name.label))
            await pilot.pause()
        assert _names(app) == ["c newest", "b middle", "a oldest"] and "Sorted by name, Z to A" in flat(app)
        table.post_message(table.HeaderSelected(table, table.columns["side"].key, 1, table.columns["side"].label))
        await pilot.pause()
        assert _names(app) == ["c newest", "a oldest", "b middle"], "Alpha, Beta, Gamma"
        await pilot.press("enter")  # the highlighted row is the one loaded, whatever the order
        await pilot.pause()
        assert app.session is not None and app.session.side == "alpha"


async def test_replays_rename_and_delete_saved_runs_but_not_the_documented_paths(make_app, story,
                                                                                 tmp_path: Path) -> None:
    folder = tmp_path / "saves"
    _save(story, folder, "mine", "gamma", "ignore", 1)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, ReplayBrowser)
        assert _names(app)[0] == "mine" and "History" in _names(app)
        assert "⏎ Watch" in flat(app), "the footer says what Enter does (the table's own Enter hid it)"
        await pilot.press("r")
        await pilot.pause()
        await pilot.press(*"kept", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ReplayBrowser) and _names(app)[0] == "kept"
        await pilot.press("down", "d")
        await pilot.pause()
        assert isinstance(app.screen, ReplayBrowser), "a documented path is not a file: nothing to ask"
        assert "cannot be deleted" in notes(app)[-1]
        await pilot.press("up", "d", "y")
        await pilot.pause()
        assert "kept" not in _names(app)
    assert sorted(os.listdir(folder / "trash")) == ["kept.json"]


async def test_a_long_name_stays_whole_and_the_table_scrolls_to_every_column_at_80x24(make_app, story,
                                                                                     tmp_path: Path) -> None:
    folder = tmp_path / "saves"
    name = "the run where I stayed on the board and voted against every single motion"
    _save(story, folder, name, "beta", "sign", 1)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_load(pilot)
        await pilot.pause()
        table = app.screen.query_one(RunsTable)
        assert table.too_wide and "← → scroll the table sideways" in flat(app)
        assert f"{name}: Beta, 1 choice" in flat(app), "the line under the table spells the name out whole"
        shown = screen_rows_of(table)
        assert all(word in shown for word in name.split()), "the name wraps within its row, whole"
        assert "The board folds" not in shown
        for _ in range(len(table.columns)):
            await pilot.press("right")
        await pilot.pause()
        assert table.scroll_x == table.max_scroll_x and "The board folds" in screen_rows_of(table)
        await pilot.press("left")
        await pilot.pause()
        assert table.scroll_x < table.max_scroll_x, "← goes back a column"


def screen_rows_of(table: RunsTable) -> str:
    """What the table shows now (only the part scrolled into view)."""
    from tui_support import screen_text

    region = table.content_region
    rows = screen_text(table.app).splitlines()[region.y:region.bottom]
    return "\n".join(row[region.x:region.right] for row in rows)


async def test_help_from_load_opens_at_its_keys_with_question_mark_and_f1(make_app) -> None:
    """F1 did nothing in a dialog (a modal screen keeps the app's keys from it): it opens help now."""
    from game.tui.screens.help import HelpScreen

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_load(pilot)
        assert "r Rename" in flat(app) and "d Delete" in flat(app) and "s Sort" in flat(app)
        for key in ("question_mark", "f1"):
            await pilot.press(key)
            await pilot.pause()
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen), key
            text = flat(app)
            assert "LOADING A SAVED RUN" in text and "r Rename" in text and "d / Del Delete" in text
            assert "trash folder inside the saves folder" in text
            await pilot.press(key)  # the same key closes it
            await pilot.pause()
            assert isinstance(app.screen, LoadScreen), key


def test_the_controller_says_why_in_words_and_continue_follows(story, tmp_path: Path) -> None:
    from game.controller.game import Game
    from game.controller.settings import Settings

    folder = tmp_path / "saves"
    _save(story, folder, "older", "gamma", "ignore", 1)
    newest = _save(story, folder, "newest", "alpha", "rally", 2)
    game = Game(EXAMPLE, folder, tmp_path / "config", Settings())
    game.take(game.read())
    assert game.latest is not None and game.latest.name == "newest"
    refused = game.delete_run(tmp_path / "elsewhere.json")
    assert not refused.ok and refused.notice.severity == "error"
    assert refused.notice.message.startswith("Could not delete “elsewhere”: ")
    clash = game.rename_run(newest, "older")
    assert not clash.ok and "exists already" in clash.notice.message
    moved = game.delete_run(newest)
    assert moved.ok and moved.path == folder / "trash" / "newest.json" and "restore" in moved.notice.message
    assert game.latest is not None and game.latest.name == "older", "Continue moves on to the run played before"


async def test_opening_one_saved_run_after_another_keeps_no_copies(make_app, story, tmp_path: Path) -> None:
    """Loading run A, then run B, then A... kept the autosave as a new named copy each time
    (`Alpha 2026-12-01 18.00 (2)`, `(3)`...), though each run was already in its own file."""
    folder = tmp_path / "saves"
    _save(story, folder, "run a", "alpha", "rally", 2)
    _save(story, folder, "run b", "gamma", "ignore", 1)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        for name in ("run a", "run b", "run a", "run b"):
            await pilot.press("escape")
            await pilot.pause()
            await pilot.press("l")
            await pilot.pause()
            names = [e.name for e in app.screen.entries]
            await pilot.press(*["down"] * names.index(name), "enter")
            await pilot.pause()
            app.flush_saves()
        assert not any("kept as" in n for n in notes(app))
    assert sorted(p.name for p in folder.glob("*.json")) == ["autosave.json", "run a.json", "run b.json"]
    assert read_run(folder / "autosave.json").side == "gamma", "the run opened last, for Continue"
