"""What the game does before the player can act: no validator imported for files the game wrote,
`boardroom` showing the whole title as its first frame when the story is unchanged, and
`play --side` showing the scene as its first frame.

The budgets themselves are `boardroom bench`'s (no timed tests); these check the work that
was taken off the way stays off it.
"""

from __future__ import annotations

import gc
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any, Optional

import pytest

from game.engine import load_story
from game.tui.screens.play import PlayScreen
from game.tui.screens.title import TitleScreen
from tui_support import EXAMPLE, flat, make_app

PLAY_THEN_REPORT = '''
import asyncio, sys
from pathlib import Path
from game.controller.settings import Settings
from game.story_cache import load_story_cached
from game.tui.app import BoardroomApp

story_dir, home, side = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3] or None


async def main() -> None:
    # as `boardroom` does (the story in the app's worker) or `play --side` (loaded before the app)
    story = load_story_cached(story_dir)[0] if side else None
    app = BoardroomApp(story_dir, home / "saves", config=home / "config", settings=Settings(typewriter=False),
                       side=side, story=story)
    async with app.run_test() as pilot:
        for _ in range(500):
            await app.workers.wait_for_complete()
            await pilot.pause(0.01)
            if app.saves is not None and (side is None or app.session is not None):
                break
        if side is None:
            await pilot.press("n", "1")  # a new run on the title: the autosave of the last one is kept aside
            await pilot.pause()
        await pilot.press("1")  # a choice: the run is autosaved
        await pilot.pause()
        app.flush_saves()
        screen = type(app.screen).__name__
    print(screen, sorted(m for m in ("pydantic", "tomli", "tomllib", "_hashlib") if m in sys.modules))


asyncio.run(main())
'''


def _play(story: Path, home: Path, side: str) -> str:
    env = {**os.environ, "BOARDROOM_CACHE_DIR": str(home / "cache")}
    out = subprocess.run([sys.executable, "-c", PLAY_THEN_REPORT, str(story), str(home), side],
                         capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stdout + out.stderr
    return out.stdout.strip()


async def save_a_run(tmp_path: Path) -> None:
    """Play one choice of side alpha, so the saves folder holds a run to continue."""
    from tui_support import ready, start

    async with make_app(tmp_path).run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await start(pilot, "alpha")
        await pilot.press("1")
        await pilot.pause()


def record_frames(app: Any) -> list[str]:
    """What each frame the app draws shows, as `flat` reads it, in order."""
    frames: list[str] = []
    display = app._display

    def recording(screen: Any, renderable: Any) -> None:
        frames.append(flat(app))
        display(screen, renderable)

    app._display = recording
    return frames


FIRST_FRAME_MODULES = '''
import asyncio, sys
from pathlib import Path
from game.controller.settings import Settings
from game.story_cache import load_story_cached
from game.tui.app import BoardroomApp

story_dir, home = Path(sys.argv[1]), Path(sys.argv[2])
seen = []


async def main() -> None:
    story = load_story_cached(story_dir)[0]
    app = BoardroomApp(story_dir, home / "saves", config=home / "config", settings=Settings(typewriter=False),
                       side="alpha", story=story)
    display = app._display

    def first(screen, renderable):
        if type(screen).__name__ == "PlayScreen" and not seen:
            seen.append(sorted(m for m in ("game.runs", "game.tui.widgets.titlecard", "_hashlib") if m in sys.modules))
        display(screen, renderable)

    app._display = first
    async with app.run_test() as pilot:
        await pilot.pause()
    print(seen[0] if seen else "no frame")


asyncio.run(main())
'''


def test_play_side_draws_its_first_scene_before_reading_the_saves_or_building_the_title(tmp_path: Path) -> None:
    """What `play --side`'s first frame does not wait for: the runs (listed right after it), the
    title's card (built when the title is first shown), OpenSSL (the cache hashes with BLAKE2b)."""
    env = {**os.environ, "BOARDROOM_CACHE_DIR": str(tmp_path / "cache")}
    for expected in ("['_hashlib']", "[]"):  # the first start compiles the story (hashlib) and caches it
        out = subprocess.run([sys.executable, "-c", FIRST_FRAME_MODULES, str(EXAMPLE), str(tmp_path)],
                             capture_output=True, text=True, env=env, timeout=120)
        assert out.returncode == 0, out.stdout + out.stderr
        assert out.stdout.strip() == expected


def test_title_and_play_side_with_a_warm_cache_import_neither_pydantic_nor_tomli(tmp_path: Path) -> None:
    """The first game compiles the story (tomli, pydantic) and writes an autosave; every later
    start, from the title or `play --side`, reads both without the validators, or OpenSSL
    (hashlib's, a few milliseconds to load: the cache's digests are BLAKE2b)."""
    assert _play(EXAMPLE, tmp_path, "alpha").endswith("['_hashlib', 'pydantic', 'tomli']")  # cold cache: compiled
    assert _play(EXAMPLE, tmp_path, "alpha") == "PlayScreen []"  # the autosave of the first is kept aside
    assert _play(EXAMPLE, tmp_path, "") == "PlayScreen []"
    assert len(list((tmp_path / "saves").rglob("*.json"))) >= 2


async def test_play_side_shows_the_scene_first_and_the_title_when_asked(tmp_path: Path) -> None:
    """With the story loaded on the command line, the first screen is the scene; the title under
    it, built later, still names the story and offers the run to continue."""
    app = make_app(tmp_path, side="beta", story=load_story(EXAMPLE))
    shown: list[str] = []
    async with app.run_test(size=(100, 30)) as pilot:
        shown.append(type(app.screen).__name__)
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen) and app.session is not None and app.session.side == "beta"
        assert "Four hands go up." in flat(app) and "Choose" in flat(app)
        assert not app.screen_stack[0].children  # the title is built when first shown, not before
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, TitleScreen)
        text = flat(app)
        assert "A board meeting in four scenes" in text and "loading the story" not in text
        assert "Continue" in text and "no saved run yet" not in text
        assert "New game" in text and "Choose" not in text  # the footer follows the screen
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen) and "Choose" in flat(app) and "New game" not in flat(app)
    assert shown == ["PlayScreen"]


@pytest.mark.parametrize("keys", [(), ("1",)], ids=["nothing pressed", "a choice at once"])
async def test_play_side_keeps_the_last_run_aside_once_its_first_scene_is_up(tmp_path: Path,
                                                                            keys: tuple[str, ...]) -> None:
    """`play --side` lists the saves after its first frame: the run played last is still kept as a
    named save, and the player told, before the new run's first autosave, even one taken at once."""
    from tui_support import notes

    await save_a_run(tmp_path)  # an unfinished run of side alpha, autosaved
    autosaved = (tmp_path / "saves" / "autosave.json").read_bytes()
    app = make_app(tmp_path, side="beta", story=load_story(EXAMPLE))
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.press(*keys)
        await pilot.pause()
        app.flush_saves()
        await pilot.pause()
        assert app.session is not None and app.session.side == "beta" and app.session.steps == len(keys)
        assert any("unfinished run was kept" in note for note in notes(app))
    kept = [p for p in (tmp_path / "saves").glob("*.json") if p.name != "autosave.json"]
    assert len(kept) == 1 and kept[0].read_bytes() == autosaved


async def test_the_footer_shows_each_screens_keys_after_every_switch(tmp_path: Path) -> None:
    """The footer is rebuilt only when its keys change: going back and forth never leaves a
    screen showing another's keys."""
    from tui_support import ready, start

    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        for _ in range(2):
            assert "New game" in flat(app) and "Choose" not in flat(app)
            await start(pilot, "alpha")
            assert "Choose" in flat(app) and "Undo" in flat(app) and "New game" not in flat(app)
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, TitleScreen)


def test_boardroom_hands_the_app_the_story_from_the_cache_only_when_it_is_unchanged(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cold cache or an edited story: the app loads the story itself, after a first frame
    saying so; otherwise it starts with the story the cache holds."""
    import game.tui.app
    from game.cli import main

    story_dir = tmp_path / "story"
    shutil.copytree(EXAMPLE, story_dir)
    monkeypatch.setenv("BOARDROOM_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("BOARDROOM_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("BOARDROOM_FORCE_TUI", "1")
    given: list[Optional[str]] = []

    def run(app: Any) -> None:
        given.append(app._given_story.title if app._given_story is not None else None)
        assert not gc.isenabled()  # off while the game starts: the app turns it on once it is up

    monkeypatch.setattr(game.tui.app.BoardroomApp, "run", run)
    argv = ["--story", str(story_dir), "--saves", str(tmp_path / "saves")]
    assert main(argv) == 0  # nothing cached yet
    from game.story_cache import load_story_cached

    load_story_cached(story_dir)
    assert main(argv) == 0
    (story_dir / "story.toml").write_text((story_dir / "story.toml").read_text() + "\n")
    assert main(argv) == 0
    assert main(["play", "--watch", *argv]) == 0  # authors' reloads read the source
    assert given == [None, "The Example", None, None]
    assert gc.isenabled()
    seen: list[bool] = []
    import game.commands.check

    monkeypatch.setattr(game.commands.check, "main", lambda args: seen.append(gc.isenabled()) or 0)
    assert main(["check", str(story_dir)]) == 0 and seen == [True]  # other commands: on from the start


async def test_an_unchanged_story_gives_a_whole_title_in_the_first_frame(tmp_path: Path) -> None:
    """Given the story, the app lists the saves before its first frame: that frame names the
    story and offers the run to continue; "loading the story" is never drawn and no thread
    is started to load what is there."""
    await save_a_run(tmp_path)  # a run to continue
    app = make_app(tmp_path, story=load_story(EXAMPLE))
    frames = record_frames(app)
    gc.disable()  # as `boardroom` starts it
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert not app.workers._workers
        assert isinstance(app.screen, TitleScreen)
        assert gc.isenabled()  # on again once the title is up, what was built then frozen
    assert frames, "nothing was drawn"
    assert "A board meeting in four scenes" in frames[0] and "1 choice made" in frames[0]
    assert not any("loading the story" in frame for frame in frames)


async def test_a_large_saves_folder_is_listed_after_a_first_frame_that_names_the_story(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Reading many long runs before the first frame would leave the terminal blank: past a
    size, the first frame names the story and "Continue" follows from the thread."""
    import game.tui.loading
    from tui_support import ready

    await save_a_run(tmp_path)  # a run to continue
    app = make_app(tmp_path, story=load_story(EXAMPLE))
    runs = [p for p in (tmp_path / "saves").glob("*.json")]
    assert runs and app.game.saves_bytes() == sum(p.stat().st_size for p in runs)
    monkeypatch.setattr(game.tui.loading, "LISTED_BEFORE_FIRST_FRAME", 0)
    frames = record_frames(app)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        assert "1 choice made" in flat(app)
    assert frames and "A board meeting in four scenes" in frames[0] and "1 choice made" not in frames[0]
    assert not any("loading the story" in frame for frame in frames)


async def test_play_side_does_not_read_every_run_to_offer_one_it_replaces(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`play --side` starts a run of its own, which "Continue" then offers: looking for the run
    played last (every run in the folder read whole) is left out of its start."""
    from game.runs.saves import Saves

    await save_a_run(tmp_path)  # an older run in the folder
    looked: list[int] = []
    real = Saves.latest

    def latest(self: Saves, story_id: Optional[str] = None) -> Any:
        looked.append(1)
        return real(self, story_id)

    monkeypatch.setattr(Saves, "latest", latest)
    app = make_app(tmp_path, side="beta", story=load_story(EXAMPLE))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen) and app.session is not None and app.session.side == "beta"
        assert looked == []
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, TitleScreen)
        assert "Continue" in flat(app) and "0 choices made" in flat(app) and "no saved run yet" not in flat(app)


@pytest.mark.parametrize("side, size", [(None, (100, 30)), ("alpha", (80, 24)), ("alpha", (120, 40))],
                         ids=["title", "play --side, narrow", "play --side, wide"])
async def test_the_stylesheets_parsed_after_the_first_frame_restyle_nothing_on_it(
        tmp_path: Path, side: Optional[str], size: tuple[int, int]) -> None:
    """The title is drawn with title.tcss alone and `play --side`'s first scene with play.tcss
    too; the rest is parsed once that first frame is up, and never restyles what it drew: a
    rule there for one of its widgets (the toasts' once was) would leave it drawn without it.
    Every rule applied again to the first screen, all stylesheets loaded, changes no style."""
    from game.tui.loading import GAME_CSS, PLAY_CSS

    app = make_app(tmp_path, side=side, story=load_story(EXAMPLE))
    frames = record_frames(app)
    async with app.run_test(size=size, notifications=True, tooltips=True) as pilot:
        await pilot.pause()
        app.notify("A toast on the first screen")
        await pilot.pause()
        assert {str(GAME_CSS), str(PLAY_CSS)} <= {str(path) for path in app.css_path}
        assert isinstance(app.screen, PlayScreen if side else TitleScreen)
        nodes = list(app.screen.walk_children(with_self=True))
        assert any(type(node).__name__ == "Toast" for node in nodes)
        drawn = [node.styles.css for node in nodes]
        app.stylesheet.update(app.screen)
        assert [node.styles.css for node in nodes] == drawn
    assert ("Morning" if side else "A board meeting in four scenes") in frames[0]
