"""SVG snapshots of the main screens at 80x24, 120x40 and 250x70 (pytest-textual-snapshot).

Plain `def` tests (snap_compare runs its own event loop). The example story, a fixed clock,
the typewriter off and animations off keep every frame the same from run to run. After a
deliberate change to a screen: `pytest tests/test_snapshots.py --snapshot-update`, then look
at the new SVGs before committing them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Awaitable, Callable

import pytest

from tui_support import choose, make_app, ready, start

SIZES = [(80, 24), (120, 40), (250, 70)]


def _app(tmp_path: Path) -> Any:
    app = make_app(tmp_path)
    app.animation_level = "none"
    return app


def _steps(side: str | None, choices: list[str]) -> Callable[[Any], Awaitable[None]]:
    async def run_before(pilot: Any) -> None:
        await ready(pilot)
        if side is not None:
            await start(pilot, side)
            await choose(pilot, choices)
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_title_screen(snap_compare: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, size: tuple[int, int]) -> None:
    monkeypatch.setenv("BOARDROOM_CONFIG_DIR", str(tmp_path / "config"))
    assert snap_compare(_app(tmp_path), terminal_size=size, run_before=_steps(None, []))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_side_screen(snap_compare: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, size: tuple[int, int]) -> None:
    monkeypatch.setenv("BOARDROOM_CONFIG_DIR", str(tmp_path / "config"))

    async def run_before(pilot: Any) -> None:
        await ready(pilot)
        await pilot.press("n")
        await pilot.pause()

    assert snap_compare(_app(tmp_path), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_play_screen(snap_compare: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, size: tuple[int, int]) -> None:
    """After one choice: the note, a meter's change, a locked choice with its reason, the news."""
    monkeypatch.setenv("BOARDROOM_CONFIG_DIR", str(tmp_path / "config"))
    assert snap_compare(_app(tmp_path), terminal_size=size, run_before=_steps("alpha", ["rally"]))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_ending_screen(snap_compare: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, size: tuple[int, int]) -> None:
    monkeypatch.setenv("BOARDROOM_CONFIG_DIR", str(tmp_path / "config"))
    assert snap_compare(_app(tmp_path), terminal_size=size, run_before=_steps("alpha", ["rally", "fight"]))


def test_story_map(snap_compare: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOARDROOM_CONFIG_DIR", str(tmp_path / "config"))

    async def run_before(pilot: Any) -> None:
        await _steps("alpha", ["rally"])(pilot)
        await pilot.press("m")
        await pilot.pause()

    assert snap_compare(_app(tmp_path), terminal_size=(80, 24), run_before=run_before)


@pytest.mark.parametrize("size", SIZES[:2], ids=lambda s: f"{s[0]}x{s[1]}")
def test_load_screen(snap_compare: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, size: tuple[int, int]) -> None:
    """The runs table: a finished run, an unfinished one with a long name, an unreadable file."""
    import datetime as dt
    import os

    from game.engine import load_story, play
    from game.runs import run_from_state, write_run
    from tui_support import EXAMPLE, FIXED_NOW

    monkeypatch.setenv("BOARDROOM_CONFIG_DIR", str(tmp_path / "config"))
    story = load_story(EXAMPLE)
    folder = tmp_path / "saves"
    folder.mkdir()
    for hours, (name, side, choices) in enumerate((("the run where I held the board together to the very end",
                                                    "gamma", ["ignore"]),
                                                   ("before the vote", "alpha", ["rally", "fight"]))):
        when = FIXED_NOW - dt.timedelta(hours=3 - hours)
        run = run_from_state(story, play(story, side, choices).state, created=when)
        write_run(run.model_copy(update={"updated": when}), folder / f"{name}.json")
    (folder / "broken.json").write_text("{", encoding="utf-8")
    stamp = (FIXED_NOW - dt.timedelta(days=2)).timestamp()
    os.utime(folder / "broken.json", (stamp, stamp))

    async def run_before(pilot: Any) -> None:
        await ready(pilot)
        await pilot.press("l")
        await pilot.pause()

    assert snap_compare(_app(tmp_path), terminal_size=size, run_before=run_before)
