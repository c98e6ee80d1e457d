"""The app and plain mode with damaged settings and galleries, hostile runs and tiny terminals.

Each case crashed, hung on "loading the story…" or lost the player's file before issue 18.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from game.cli import main
from game.controller.settings import load_gallery, load_settings
from game.engine import load_story, new_state
from game.runs import run_from_state
from game.tui.screens.play import PlayScreen
from game.tui.screens.toosmall import TooSmallScreen
from tui_support import make_app, notes, ready

EXAMPLE = Path(__file__).parent / "fixtures" / "example"

GOOD_GALLERY = {"format": 1, "stories": {"example": {"alpha.end.win": {
    "title": "Win", "side": "alpha", "first": "2026-11-30T10:00+00:00", "times": 2, "steps": 3}}}}

DAMAGED = [
    ("settings.json", "[" * 100_000 + "]" * 100_000),
    ("settings.json", '{"typewriter": NaN}'),
    ("settings.json", '{"autoplay": 1e999, "theme": 7}'),
    ("settings.json", "\xff\xfe not utf-8"),
    ("endings.json", '{"format": 1, "stories": {"example": {"alpha.end.win": {"title": "W", "side": "alpha", '
                     '"first": "2026-11-30", "times": Infinity}}}}'),
    ("endings.json", json.dumps({"format": 1, "stories": {"example": {"x": {
        "title": "W", "side": "alpha", "first": "0001-01-01T00:00+23:59", "times": 1}}}})),
    ("endings.json", json.dumps({"format": 1, "stories": {"example": {"x": {
        "title": "W", "side": "alpha", "first": "2026", "times": 10 ** 30}}}})),
    ("endings.json", "{" * 50_000),
]


@pytest.mark.parametrize("name, content", DAMAGED)
def test_a_damaged_file_is_set_aside_and_the_defaults_used(tmp_path: Path, name: str, content: str) -> None:
    config = tmp_path / "config"
    config.mkdir()
    (config / name).write_bytes(content.encode("utf-8", "surrogateescape") if "\xff" not in content
                                else content.encode("latin-1"))
    problems: list[str] = []
    load_settings(config, problems)
    load_gallery(config, problems)
    assert len(problems) == 1 and "kept as" in problems[0], problems
    aside = [p for p in config.iterdir() if ".damaged-" in p.name]
    assert len(aside) == 1 and not (config / name).exists()


def test_a_good_gallery_and_settings_are_left_alone(tmp_path: Path) -> None:
    config = tmp_path / "config"
    config.mkdir()
    (config / "endings.json").write_text(json.dumps(GOOD_GALLERY), encoding="utf-8")
    (config / "settings.json").write_text('{"typewriter": false, "autoplay": 2}', encoding="utf-8")
    problems: list[str] = []
    assert load_settings(config, problems).autoplay == 2.0
    assert load_gallery(config, problems).found("example")["alpha.end.win"].times == 2
    assert problems == [] and sorted(p.name for p in config.iterdir()) == ["endings.json", "settings.json"]


@pytest.mark.skipif(not hasattr(__import__("os"), "mkfifo"), reason="no FIFOs here")
def test_a_fifo_for_settings_does_not_hang(tmp_path: Path) -> None:
    import os

    config = tmp_path / "config"
    config.mkdir()
    os.mkfifo(config / "settings.json")
    problems: list[str] = []
    load_settings(config, problems)
    assert problems and "not a plain file" in problems[0]


@pytest.mark.parametrize("name, content", [DAMAGED[4], DAMAGED[0]])
async def test_the_app_starts_and_says_what_it_set_aside(tmp_path: Path, name: str, content: str) -> None:
    config = tmp_path / "config"
    config.mkdir()
    (config / name).write_text(content, encoding="utf-8")
    app = make_app(tmp_path, settings=None)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        assert app.story is not None
        assert any("kept as" in n for n in notes(app)), notes(app)


def test_plain_mode_says_what_it_set_aside(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "config"
    config.mkdir()
    (config / "endings.json").write_text(DAMAGED[4][1], encoding="utf-8")
    monkeypatch.setenv("BOARDROOM_CONFIG_DIR", str(config))
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert main(["play", "--plain", "--side", "alpha", "--story", str(EXAMPLE), "--saves", str(tmp_path / "s")]) == 0
    err = capsys.readouterr().err
    assert "warning: endings.json was damaged" in err


@pytest.mark.parametrize("how", ["side", "load"])
async def test_a_tiny_terminal_with_a_run_to_start_does_not_crash(tmp_path: Path, how: str) -> None:
    story = load_story(EXAMPLE)
    given = {"side": "alpha"} if how == "side" else {"run": run_from_state(story, new_state(story, "alpha"))}
    app = make_app(tmp_path, story=story, **given)
    async with app.run_test(size=(50, 15)) as pilot:
        await ready(pilot)
        await pilot.pause()
        assert isinstance(app.screen, TooSmallScreen)
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
