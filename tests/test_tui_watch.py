"""`boardroom play --watch`: the story reloads as the author saves, and the player keeps their place."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path
from typing import Callable

from game.tui.screens.errors import StoryErrorsScreen
from game.tui.screens.play import PlayScreen
from game.tui.screens.title import TitleScreen
from game.tui.widgets.page import Page
from tui_support import EXAMPLE, choose, flat, notes, ready, start


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new), encoding="utf-8")
    stamp = time.time() + 1  # a coarse file system clock must still see a change
    os.utime(path, (stamp, stamp))


def stale(app) -> list:
    """The persistent 'Stale story' markers the app shows."""
    return [n for n in app._notifications if n.title == "Stale story"]


async def until(pilot, condition: Callable[[], bool], seconds: float = 5.0) -> None:
    for _ in range(int(seconds / 0.1)):
        if condition():
            return
        await pilot.pause(0.1)
    raise AssertionError(f"the app never caught up with the edit; notifications: {notes(pilot.app)}")


async def test_reload_keeps_the_place_and_says_when_the_run_no_longer_fits(make_app, tmp_path: Path) -> None:
    story = tmp_path / "story"
    shutil.copytree(EXAMPLE, story)
    app = make_app(story, watch=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await start(pilot, "alpha")
        await choose(pilot, ["rally"])
        edit(story / "alpha.toml", 'text = "The call comes at noon."', 'text = "The call comes at half past twelve."')
        await until(pilot, lambda: "The call comes at half past twelve." in flat(app) and bool(notes(app)))
        assert isinstance(app.screen, PlayScreen) and app.session.steps == 1
        assert "your place is kept" in notes(app)[-1]

        edit(story / "alpha.toml", '[scene."alpha.noon"]\n', '[scene."alpha.noon"\n')
        await until(pilot, lambda: bool(stale(app)))
        (marker,) = stale(app)
        assert "TOML syntax" in marker.message and "Still playing the last version" in marker.message
        assert marker.timeout > 24 * 3600  # it stays until the story loads, not for a few seconds
        assert app.session.steps == 1 and "half past twelve" in flat(app)
        # another broken save: still one marker, with the newest problem
        edit(story / "alpha.toml", '[scene."alpha.noon"\n', '[scene."alpha.noon"]\n')
        edit(story / "alpha.toml", 'title = "Noon"', 'title = "Noon')
        await until(pilot, lambda: len(stale(app)) == 1 and "line ends inside a string" in stale(app)[0].message)

        edit(story / "alpha.toml", 'title = "Noon', 'title = "Noon"')
        await until(pilot, lambda: not stale(app))
        edit(story / "alpha.toml", 'id = "rally"', 'id = "rally-them"')
        edit(story / "history.toml", '"rally"', '"rally-them"')
        await until(pilot, lambda: app.session.steps == 0, 3)
        assert app.session.state.scene == "alpha.start"
        note = app.screen.query_one(Page).scene.note
        assert "no longer fits at choice 1" in note and "no longer has the choice 'rally'" in note
        assert "You are back at choice 1." in note
        assert "You sit at the long table." in flat(app)


async def test_a_story_broken_at_start_loads_once_fixed(make_app, tmp_path: Path) -> None:
    story = tmp_path / "story"
    shutil.copytree(EXAMPLE, story)
    edit(story / "story.toml", 'start = "alpha.start"', 'start = "alpha.begin"')
    app = make_app(story, watch=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        assert isinstance(app.screen, StoryErrorsScreen)
        assert "Watching the story folder" in flat(app) and "'alpha.begin'" in flat(app)
        edit(story / "story.toml", 'start = "alpha.begin"', 'start = "alpha.start"')
        await until(pilot, lambda: isinstance(app.screen, TitleScreen) and app.story is not None)
        assert "The Example" in flat(app)
        await pilot.press("n", "1")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
