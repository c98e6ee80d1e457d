"""The app around the play: startup, broken stories, the command line, help, palette, settings."""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from game.commands.play import app as run_app
from game.tui.screens.errors import StoryErrorsScreen
from game.tui.screens.gallery import GalleryScreen
from game.tui.screens.help import HelpScreen
from game.tui.screens.play import PlayScreen
from game.tui.screens.preferences import SettingsScreen
from game.tui.screens.title import TitleScreen
from game.controller.settings import Settings, load_settings
from tui_support import EXAMPLE, choose, flat, notes, ready, start


def test_first_frame_path_imports_no_engine_and_no_pydantic() -> None:
    """The title screen must come up without the story's cost: the engine loads after the first frame."""
    code = (
        "import sys, game.tui.app\n"
        "app = game.tui.app.BoardroomApp('story', 'saves', config='/nonexistent')\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] == 'pydantic' or m.startswith('game.engine')"
        " or m.startswith('game.runs') or m == 'textual.widgets._markdown')\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"the startup path imported {out.stdout.strip()}"


async def test_the_title_answers_a_key_as_soon_as_it_names_the_story(make_app, monkeypatch: pytest.MonkeyPatch) -> None:
    """Listing the saves (which imports the run format's validator) comes after the story is on the
    title: a player who presses `n` then sees the sides at once, and the run starts once the saves
    are known, so an unfinished run's autosave is never overwritten unseen."""
    import threading

    from game.controller.game import Game
    from game.tui.screens.sides import SideScreen

    saves_listed = threading.Event()
    real_read = Game.read

    def slow_read(self: Game, *args: object, **kwargs: object) -> object:
        saves_listed.wait(timeout=10)
        return real_read(self, *args, **kwargs)

    monkeypatch.setattr(Game, "read", slow_read)
    app = make_app()
    async with app.run_test() as pilot:
        for _ in range(200):
            await pilot.pause(0.02)
            if "A board meeting in four scenes" in flat(app):
                break
        assert "A board meeting in four scenes" in flat(app) and app.saves is None
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, SideScreen)
        await pilot.press("1")
        await pilot.pause()
        assert app.session is None and isinstance(app.screen, SideScreen)  # waiting for the saves
        saves_listed.set()
        await ready(pilot)
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen) and app.session is not None and app.session.side == "alpha"


async def test_a_broken_story_shows_its_errors_not_a_traceback(make_app, tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(EXAMPLE, broken)
    alpha = broken / "alpha.toml"
    alpha.write_text(alpha.read_text(encoding="utf-8").replace('goto = "alpha.noon"', 'goto = "alpha.nooon"', 1),
                     encoding="utf-8")
    app = make_app(broken)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        assert isinstance(app.screen, StoryErrorsScreen)
        text = flat(app)
        assert "has 1 error and cannot be played" in text
        assert "alpha.toml:" in text and "error[E104]" in text and "'alpha.nooon'" in text
        assert "boardroom check" in text
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 1


def _args(**kw: object) -> argparse.Namespace:
    base = {"story": str(EXAMPLE), "saves": "saves", "side": None, "load": None, "watch": False}
    base.update(kw)
    return argparse.Namespace(**base)


def test_command_line_errors_come_before_the_terminal_is_taken(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOARDROOM_FORCE_TUI", "1")  # pytest's stdout is no terminal; the checks come first anyway
    assert run_app(_args(side="zeta", saves=str(tmp_path))) == 2
    err = capsys.readouterr().err
    assert err.strip() == "boardroom: error: this story has no side 'zeta' (sides: alpha, beta, gamma)"

    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    assert run_app(_args(load=str(bad), saves=str(tmp_path))) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"{bad}:1:2: error[R003] corrupt") and "\n" not in err, "located, as replay does"

    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "story.toml").write_text("[story\n", encoding="utf-8")
    assert run_app(_args(story=str(broken), side="alpha", saves=str(tmp_path))) == 1
    err = capsys.readouterr().err
    assert "error[E001]" in err and "has errors" in err and "Traceback" not in err


async def test_side_flag_starts_a_new_run_directly(make_app) -> None:
    app = make_app(side="beta")
    async with app.run_test() as pilot:
        await ready(pilot)
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        assert app.session.side == "beta" and "Four hands go up." in flat(app)


async def test_load_flag_resumes_a_run(make_app, tmp_path: Path) -> None:
    from game.engine import choose as engine_choose, load_story, new_state
    from game.runs import run_from_state

    story = load_story(EXAMPLE)
    run = run_from_state(story, engine_choose(story, new_state(story, "alpha"), "wait"))
    app = make_app(run=run)
    async with app.run_test() as pilot:
        await ready(pilot)
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        assert app.session.state.scene == "alpha.noon" and app.session.steps == 1


async def test_help_lists_every_screen_and_its_keys(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(100, 60)) as pilot:
        await ready(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert "Keys and help" in flat(app) and "TITLE SCREEN" in flat(app) and "New game" in flat(app)
        from game.tui.screens.help import help_text

        body = help_text()
        for words in ("TITLE SCREEN", "PLAYING", "WATCHING A REPLAY", "1-9", "Choose", "F5", "Quick save",
                      "F9", "ctrl+s", "Take over", "ctrl+p", "Documented", "What if", "any key", "EVERYWHERE",
                      "THE RUN SO FAR", "Go back here", "+ / ="):
            assert words in body, words
        assert "equals_sign" not in body and "question_mark" not in body
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, TitleScreen)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)


async def test_command_palette_has_game_commands_and_keeps_the_builtins(make_app) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await ready(pilot)
        from textual.app import App

        assert App.COMMANDS <= app.COMMANDS  # Textual's own commands stay; the game's are imported on opening
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"endings found")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause(0.2)
        assert isinstance(app.screen, GalleryScreen)
        assert "0 of 5 endings found" in flat(app)


async def test_palette_offers_play_commands_while_playing(make_app) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await start(pilot, "gamma")
        await choose(pilot, ["ignore"])
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"undo")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause(0.2)
        assert isinstance(app.screen, PlayScreen) and app.session.steps == 0


async def test_settings_are_kept_between_sessions(make_app, tmp_path: Path) -> None:
    app = make_app(settings=None)
    async with app.run_test(size=(80, 30)) as pilot:
        await ready(pilot)
        assert app.settings.typewriter is True
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)
        await pilot.press("space")  # the typewriter switch has focus
        await pilot.pause()
        assert app.settings.typewriter is False
        await pilot.press("escape")
        await pilot.pause()
        app.theme = "nord"
        await pilot.pause()
    saved = load_settings(tmp_path / "config")
    assert saved.typewriter is False and saved.theme == "nord"
    again = make_app(settings=None)
    assert again.theme == "nord" and again.settings.typewriter is False


def test_corrupt_settings_fall_back_to_defaults(tmp_path: Path) -> None:
    folder = tmp_path / "config"
    folder.mkdir()
    (folder / "settings.json").write_text('{"typewriter": "yes", "theme": 3, "autoplay": -1', encoding="utf-8")
    assert load_settings(folder) == Settings()
    (folder / "settings.json").write_text(json.dumps({"typewriter": False, "typewriter_speed": "warp",
                                                      "autoplay": 2}), encoding="utf-8")
    s = load_settings(folder)
    assert s.typewriter is False and s.typewriter_speed == "normal" and s.autoplay == 2.0


async def test_an_unknown_theme_in_settings_falls_back(make_app) -> None:
    app = make_app(settings=Settings(theme="no-such-theme"))
    assert app.theme == "textual-dark"


async def test_toggle_typewriter_from_the_palette_action(make_app) -> None:
    app = make_app(settings=Settings(typewriter=False))
    async with app.run_test() as pilot:
        await ready(pilot)
        await app.run_action("toggle_typewriter")
        await pilot.pause()
        assert app.settings.typewriter is True
        assert "Typewriter text on." in notes(app)[-1]
