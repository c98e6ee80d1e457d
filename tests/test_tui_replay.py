"""Replays in the app: the browser, the viewer's steps, autoplay, jumping, and taking over."""

from __future__ import annotations

from pathlib import Path

from game.runs import read_run
from game.tui.screens.dialogs import JumpScreen
from game.tui.screens.ending import EndingScreen
from game.tui.screens.play import PlayScreen
from game.tui.screens.replays import ReplayBrowser, ReplayViewer
from game.controller.settings import Settings
from game.tui.widgets.page import Page
from tui_support import choose, flat, notes, ready, start


async def _browser_with_a_run(pilot, app) -> None:
    await start(pilot, "gamma")
    await choose(pilot, ["ignore", "ignore", "answer"])
    app.flush_saves()
    await pilot.press("escape")
    await pilot.pause()
    await pilot.press("r")
    await pilot.pause()


async def test_browser_lists_runs_and_the_documented_paths(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(110, 30)) as pilot:
        await _browser_with_a_run(pilot, app)
        assert isinstance(app.screen, ReplayBrowser)
        text = flat(app)
        assert "Autosave Gamma 3" in text and "The deal The deal" in text and "ended: The deal" in text
        assert "History Alpha 2 history Back in the chair The return" in text
        assert "History Beta 1 history Folded The board folds" in text


async def test_viewer_steps_autoplays_jumps_and_takes_over(make_app, tmp_path: Path) -> None:
    app = make_app(settings=Settings(typewriter=False, autoplay=0.5))
    async with app.run_test(size=(100, 30)) as pilot:
        await _browser_with_a_run(pilot, app)
        await pilot.press("enter")
        await pilot.pause()
        viewer = app.screen
        assert isinstance(viewer, ReplayViewer)
        assert "scene 1 of 4" in flat(app) and "paused" in flat(app) and "step 0" not in flat(app)
        assert "Let it ring. ◀ chosen" in flat(app)
        await pilot.press("right")
        await pilot.pause()
        assert viewer.step == 1 and "scene 2 of 4" in flat(app)
        await pilot.press("left", "left")
        await pilot.pause()
        assert viewer.step == 0
        await pilot.press("end")
        await pilot.pause()
        assert viewer.step == 3 and "You make a deal." in flat(app) and "the end" in flat(app)
        await pilot.press("space")  # autoplay from the end starts over
        await pilot.pause()
        assert "playing, 0.5 s per step" in flat(app)
        for _ in range(40):
            if viewer.step >= 1:
                break
            await pilot.pause(0.05)
        await pilot.press("space")
        await pilot.pause()
        stopped = viewer.step
        assert 1 <= stopped < 3 and "paused" in flat(app)
        await pilot.pause(0.6)
        assert viewer.step == stopped
        await pilot.press("minus")
        assert app.settings.autoplay == 1.0
        await pilot.press("g")
        await pilot.pause()
        assert isinstance(app.screen, JumpScreen)
        assert "Scene 1 is the start; scene 4 is the last." in flat(app)
        await pilot.press("9", "enter")  # the scene shown is selected, so typing replaces it
        await pilot.pause()
        assert isinstance(app.screen, JumpScreen) and "no scene 9: type 1 to 4" in flat(app)
        await pilot.press("backspace", "3", "enter")
        await pilot.pause()
        assert app.screen is viewer and viewer.step == 2 and "scene 3 of 4" in flat(app)
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        assert app.session.steps == 2 and app.session.state.scene == "gamma.start"
        assert "took over this run at choice 3" in flat(app)
        await choose(pilot, ["ignore"])
        app.flush_saves()
    assert len(read_run(tmp_path / "saves" / "autosave.json").steps) == 3


async def test_ending_offers_its_own_replay(make_app) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await start(pilot, "beta")
        await choose(pilot, ["sign"])
        assert isinstance(app.screen, EndingScreen)
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, ReplayViewer)
        assert app.screen.last == 1
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ReplayBrowser)


async def test_a_documented_path_plays_back(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(110, 30)) as pilot:
        await ready(pilot)
        await pilot.press("r")
        await pilot.pause()
        browser = app.screen
        assert isinstance(browser, ReplayBrowser)
        index = next(i for i, (run, _) in enumerate(browser.rows) if run is not None and run.side == "alpha")
        await pilot.press(*["down"] * index, "enter")
        await pilot.pause()
        assert isinstance(app.screen, ReplayViewer)
        await pilot.press("end")
        await pilot.pause()
        assert "You are back." in flat(app)
        assert not notes(app)


async def test_the_viewer_shows_each_scene_as_it_read_then(make_app) -> None:
    app = make_app(settings=Settings(typewriter=False))
    async with app.run_test(size=(100, 30)) as pilot:
        await _browser_with_a_run(pilot, app)
        await pilot.press("enter")
        await pilot.pause()
        assert "Let it ring. ◀ chosen" in flat(app) and "It has rung" not in flat(app)
        await pilot.press("right")
        await pilot.pause()
        assert "The phone rings. It has rung 2 times now." in flat(app)
        assert "Let it ring again. ◀ chosen" in flat(app)


async def test_a_long_scene_keeps_its_choices_on_screen_and_scrolls(make_app) -> None:
    """At 100x30 a long scene pushed the choices off the screen, cut the text mid-sentence and PgDn did nothing."""
    from tui_support import REAL_STORY

    app = make_app(REAL_STORY)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("r")
        await pilot.pause()
        browser = app.screen
        assert isinstance(browser, ReplayBrowser)
        index = next(i for i, (run, _) in enumerate(browser.rows) if run is not None and run.side == "altman")
        await pilot.press(*["down"] * index, "enter")
        await pilot.pause()
        viewer = app.screen
        assert isinstance(viewer, ReplayViewer)
        await pilot.press("right")
        await pilot.pause()
        await pilot.pause()
        assert viewer.step == 1 and "◀ chosen" in flat(app)
        page = viewer.query_one(Page)
        assert page.top_line == 0
        # no blank rows left under the choices: the text has all the height they leave
        assert max(page._lines().owners) == page.region.height - 1, "the last choice on the page's last row"
        assert "▼ more text below: PgDn" in flat(app), "the text says it goes on, as play's does"
        await pilot.press("pagedown")
        await pilot.pause()
        assert page.top_line > 0
        await pilot.press("end")  # the last scene of the run: short, nothing below
        await pilot.pause()
        await pilot.pause()
        if page.hint() == "":
            assert "more text below" not in flat(app)
        await pilot.press("home", "right")
        await pilot.pause()
        await pilot.press("pagedown", "pagedown", "pagedown", "pagedown")
        await pilot.pause()
        assert "more text below" not in flat(app) and "▲ the scene starts above: PgUp" in flat(app)
        await pilot.press("pageup", "pageup", "pageup", "pageup")
        await pilot.pause()
        assert page.top_line == 0


async def test_the_viewer_hides_the_sidebar_where_the_game_does(make_app) -> None:
    """At 80 columns the game drops the sidebar for the text; the viewer kept it and squeezed the text to 48."""
    app = make_app(settings=Settings(typewriter=False))
    async with app.run_test(size=(80, 24)) as pilot:
        await _browser_with_a_run(pilot, app)
        await pilot.press("enter")
        await pilot.pause()
        viewer = app.screen
        assert isinstance(viewer, ReplayViewer)
        assert not viewer.query_one("#sidebar").display
        assert "/10" in flat(app)  # the meters on one line, as in play


async def test_the_viewer_indents_its_text_as_play_does(make_app) -> None:
    """The viewer's text started at column 0 while play indents it by the column's padding."""
    from tui_support import screen_text

    app = make_app(settings=Settings(typewriter=False))
    async with app.run_test(size=(80, 24)) as pilot:
        await _browser_with_a_run(pilot, app)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReplayViewer)
        line = next(row for row in screen_text(app).splitlines() if "The phone rings." in row)
        indent = len(line) - len(line.lstrip())
        assert indent >= 2, line
        await pilot.press("t")  # take over: the same scene in play
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        played = next(row for row in screen_text(app).splitlines() if "The phone rings." in row)
        assert len(played) - len(played.lstrip()) == indent, (played, line)


async def test_a_short_scene_has_its_choices_right_under_it_in_the_viewer_too(make_app) -> None:
    """At 250x70 the viewer left a field of blank rows between a scene's text and its choices."""
    from tui_support import REAL_STORY, screen_text

    app = make_app(REAL_STORY)
    async with app.run_test(size=(250, 70)) as pilot:
        await ready(pilot)
        await pilot.press("r")
        await pilot.pause()
        browser = app.screen
        assert isinstance(browser, ReplayBrowser)
        index = next(i for i, (run, _) in enumerate(browser.rows) if run is not None and run.side == "altman")
        await pilot.press(*["down"] * index, "enter")
        await pilot.pause()
        await pilot.pause()
        viewer = app.screen
        assert isinstance(viewer, ReplayViewer)
        rows = screen_text(app).splitlines()
        last_text = max(i for i, row in enumerate(rows) if "How much of the frontier do you show them?" in row)
        chosen = min(i for i, row in enumerate(rows) if "◀ chosen" in row)
        assert chosen - last_text <= 4, "\n".join(rows)


async def test_a_run_whose_side_the_story_no_longer_has_is_refused_not_replayed(make_app, tmp_path: Path) -> None:
    """A run of a side taken out of the story since (an edited story, a hand-edited file) is
    listed; watching it says why it cannot be replayed, and the browser stays."""
    app = make_app()
    async with app.run_test(size=(110, 30), notifications=True) as pilot:
        await _browser_with_a_run(pilot, app)
        autosave = tmp_path / "saves" / "autosave.json"
        (tmp_path / "saves" / "omega.json").write_text(
            autosave.read_text(encoding="utf-8").replace('"side": "gamma"', '"side": "omega"'), encoding="utf-8")
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        browser = app.screen
        assert isinstance(browser, ReplayBrowser)
        for _ in range(6):
            if "omega" in str(browser.query_one("#runs-detail").render()).lower():
                break
            await pilot.press("down")
            await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is browser
        assert any("no side 'omega'" in note for note in notes(app))
