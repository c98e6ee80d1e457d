"""Helpers for the Textual tests: build the app, read the screen as text, play choices by id."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Iterable

from textual.pilot import Pilot

from game.tui.app import BoardroomApp
from game.controller.settings import Settings

EXAMPLE = Path(__file__).parent / "fixtures" / "example"
REAL_STORY = Path(__file__).parent.parent / "story"
FIXED_NOW = dt.datetime(2024, 5, 1, 12, 0, tzinfo=dt.timezone.utc)


def make_app(tmp: Path, story_dir: Path | str = EXAMPLE, **kwargs: Any) -> BoardroomApp:
    kwargs.setdefault("settings", Settings(typewriter=False))
    kwargs.setdefault("config", tmp / "config")
    kwargs.setdefault("now", lambda: FIXED_NOW)
    saves = kwargs.pop("saves", tmp / "saves")
    return BoardroomApp(story_dir, saves, **kwargs)


def screen_text(app: BoardroomApp) -> str:
    """What the terminal shows, as plain text, one line per row."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def flat(app: BoardroomApp) -> str:
    """The screen's words with runs of whitespace (and line breaks) squeezed, for phrase checks.

    Vertical frame lines (dialog borders, separators) are dropped, so a phrase inside a box
    reads on across its wrapped lines.
    """
    return " ".join(screen_text(app).translate({ord("│"): " ", ord("▏"): " "}).split())


async def ready(pilot: Pilot[Any]) -> None:
    """Wait until the story has loaded (the worker finished) and the screen has settled."""
    app: BoardroomApp = pilot.app  # type: ignore[assignment]
    for _ in range(200):
        await app.workers.wait_for_complete()
        await pilot.pause()
        if app.story is not None or app._failed:
            return
    raise AssertionError("the story never loaded")


async def start(pilot: Pilot[Any], side: str) -> None:
    """From the title screen: new game, pick `side`."""
    app: BoardroomApp = pilot.app  # type: ignore[assignment]
    await ready(pilot)
    assert app.story is not None
    await pilot.press("n")
    await pilot.pause()
    await pilot.press(str(list(app.story.sides).index(side) + 1))
    await pilot.pause()


async def choose(pilot: Pilot[Any], choice_ids: Iterable[str], keys: bool = True) -> None:
    """Take each choice by id, with its number key, as a player would.

    `keys=False` calls the play screen's `take` (what the keys call) without simulated key
    presses, for long paths whose keys other tests already cover; each choice still travels
    to the app as a message, so every one is followed by a pause.
    """
    from game.tui.screens.play import PlayScreen
    from game.tui.widgets.page import Page

    app: BoardroomApp = pilot.app  # type: ignore[assignment]
    for cid in choice_ids:
        page = app.screen.query_one(Page)
        ids = [c.id for c in page.scene.choices]
        assert cid in ids, f"choice {cid!r} is not on screen (choices: {ids})"
        index = ids.index(cid)
        if not keys:
            assert isinstance(app.screen, PlayScreen)
            app.screen.take(index)
            await pilot.pause()
        elif index < 9:
            await pilot.press(str(index + 1))
        else:
            page.highlighted = index
            await pilot.press("enter")


def static_text(app: BoardroomApp, selector: str) -> str:
    """The plain text a Static on the current screen holds, wrapping aside."""
    from textual.content import Content
    from textual.widgets import Static

    content = app.screen.query_one(selector, Static).content
    return content.plain if isinstance(content, Content) else str(content)


def notes(app: BoardroomApp) -> list[str]:
    """Every notification message shown so far, oldest first (run_test does not draw toasts)."""
    return [n.message for n in app._notifications]
