"""Playing in the Textual app: sides, choices, locked choices, the sidebar, undo, history, modals."""

from __future__ import annotations

import dataclasses

import pytest

from game.tui.screens.history import HistoryScreen
from game.tui.screens.play import PlayScreen
from game.tui.screens.sides import SideScreen
from game.tui.screens.sources import SourcesScreen
from game.tui.screens.storymap import StoryMapScreen
from game.tui.screens.timeline import TimelineScreen
from game.controller.settings import Settings
from game.tui.widgets.page import Page
from tui_support import choose, flat, notes, ready, start, static_text


def page_text(app) -> str:  # type: ignore[no-untyped-def]
    """The text the play screen's page shows (or will, once typed): the outcome, then the scene's."""
    return app.screen.query_one(Page).text


def row_styles(app, phrase: str) -> list[object]:  # type: ignore[no-untyped-def]
    """The styles of the screen row that shows `phrase`, run by run."""
    for strip in app.screen._compositor.render_strips():
        if phrase in "".join(segment.text for segment in strip):
            return [segment.style for segment in strip if segment.text.strip()]
    raise AssertionError(f"{phrase!r} is not on screen")


async def test_title_then_side_screen_describes_each_side(make_app) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await ready(pilot)
        assert "The Example — A board meeting in four scenes" in flat(app)
        assert "no saved run yet" in flat(app)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, SideScreen)
        text = flat(app)
        for name in ("Alpha", "Beta", "Gamma"):
            assert name in text
        details = static_text(app, "#side-details")
        assert "You run the company." in details and "Your job." in details
        assert "Thursday 16 November 2023, 09:00 PT — “Morning”" in details
        await pilot.press("down")
        await pilot.pause()
        details = static_text(app, "#side-details")
        assert "You sit on the board." in details and "The mission." in details
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        assert app.session is not None and app.session.side == "beta"


async def test_play_screen_shows_clock_badge_meters_scale_and_news(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await start(pilot, "alpha")
        text = flat(app)
        assert "Thu 16 Nov, 09:00 PT" in text
        assert "DOCUMENTED" in text
        assert "Morning" in text and "You sit at the long table." in text and "The coffee is cold." in text
        assert "Staff loyalty" in text and "Board cohesion" in text and "Letter signed no" in text
        assert "SAFETY" in text and "PROFIT" in text and "Level 5/10" in text
        assert "Thu 09:00 the board convenes" in text  # the headline's own time, said once
        assert "1 Rally the staff." in text and "2 Wait and see." in text


async def test_number_key_chooses_and_meters_show_the_change(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await start(pilot, "alpha")
        await pilot.press("1")
        await pilot.pause()
        text = flat(app)
        assert "Noon" in text and "The call comes at noon." in text
        assert "You chose: Rally the staff." in text
        assert "Staff loyalty ▲3" in text
        assert "WHAT IF" in text and "Thu 16 Nov, 12:00 PT" in text


async def test_while_the_player_reads_the_scenes_ahead_are_laid_out_and_a_key_shows_one(make_app) -> None:
    """A moment after a scene is whole, the page lays out where each open choice leads; the key
    then shows that scene from those lines, as it would have shown it anyway."""
    from game.tui.screens.play import AHEAD_AFTER

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await start(pilot, "alpha")
        await pilot.pause(AHEAD_AFTER + 0.2)
        page = app.screen.query_one(Page)
        session = app.session
        assert session is not None
        leads = {c.id: session.peek(c.id).title for c in session.view().choices if c.available}
        assert sorted(scene.title for scene in page._ahead) == sorted(leads.values())
        assert session.steps == 0, "laying out ahead takes no choice"
        lines = next(a.lines for scene, a in page._ahead.items() if scene.title == leads["rally"])
        await pilot.press("1")
        await pilot.pause()
        assert page._lines() is lines
        text = flat(app)
        assert "You chose: Rally the staff." in text and "The call comes at noon." in text


async def test_arrows_and_enter_choose(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await start(pilot, "alpha")
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.session is not None
        assert [s.choice for s in app.session.state.steps()] == ["wait"]
        assert "Staff loyalty ▼2" in flat(app)
        assert "SAFETY ⟷ PROFIT ▲1" in flat(app)


async def test_locked_choice_is_dimmed_with_its_reason_and_cannot_be_taken(make_app) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await start(pilot, "alpha")
        await choose(pilot, ["rally"])  # the scale stays at 5, so 'go' is locked with the author's words
        text = flat(app)
        assert "Walk away. locked — You cannot leave yet." in text
        assert "Take the secret door." not in text  # hidden while locked
        locked = [not c.available for c in app.screen.query_one(Page).scene.choices]
        assert locked == [False, True, False]
        page = app.screen.query_one(Page)
        brightness = lambda phrase: max(sum(s.color.get_truecolor()) for s in row_styles(app, phrase))  # noqa: E731
        assert brightness("Walk away.") < brightness(page.scene.choices[2].text) / 2, "the locked choice is dimmed"
        await pilot.press("2")
        await pilot.pause()
        assert app.session.state.scene == "alpha.noon"
        assert "You cannot leave yet." in notes(app)[-1]
        from tui_support import screen_text

        rows = screen_text(app).splitlines()
        y = next(i for i, row in enumerate(rows) if "Walk away." in row)
        told = len(notes(app))
        await pilot.click(offset=(rows[y].index("Walk away."), y))  # a click says why, as the key does
        await pilot.pause()
        assert app.session.state.scene == "alpha.noon" and len(notes(app)) == told + 1
        assert "You cannot leave yet." in notes(app)[-1]
        await pilot.press("u")
        await choose(pilot, ["wait"])  # loyalty 3: the engine explains the failing condition itself
        assert "Fight for the chair. locked — needs Staff loyalty at least 7 (now 3)" in flat(app)


async def test_undo_and_history_step_back(make_app) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await start(pilot, "gamma")
        await choose(pilot, ["ignore", "ignore", "ignore"])
        assert app.session.steps == 3
        await pilot.press("u")
        await pilot.pause()
        assert app.session.steps == 2
        assert "stepped back" in flat(app)
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        text = flat(app)
        assert "1. Thu 10:00 The call → Let it ring." in text
        assert "you are here" in text
        await pilot.press("up", "up", "enter")  # back to the start: no choices kept
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        assert app.session.steps == 0
        await pilot.press("u")
        await pilot.pause()
        assert "nothing to undo" in notes(app)[-1]


async def test_sources_map_and_timeline_modals(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await start(pilot, "alpha")
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, SourcesScreen)
        text = flat(app)
        assert "The Example Times, “A memo” (17 Nov 2023)" in text
        assert "https://example.org/memo" in text
        assert "official statements" in text
        await pilot.press("escape")
        await choose(pilot, ["rally"])
        await pilot.press("s")
        await pilot.pause()
        text = flat(app)
        assert "our invention" in text and "Accounts of the hour differ." in text
        await pilot.press("escape", "m")
        await pilot.pause()
        assert isinstance(app.screen, StoryMapScreen)
        text = flat(app)
        assert "✓ Morning" in text and "← you came this way" in text
        assert "● Noon" in text
        assert "◆ The return" in text and "Take the secret door." not in text
        await pilot.press("escape", "t")
        await pilot.pause()
        assert isinstance(app.screen, TimelineScreen)
        assert "Thursday 16 November" in flat(app) and "09:00 the board convenes" in flat(app)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)


async def test_typewriter_reveals_text_and_any_key_finishes_it_without_choosing(make_app, monkeypatch) -> None:
    from game.controller import settings

    monkeypatch.setitem(settings.TYPEWRITER_SPEEDS, "slow", 4)  # slow enough that no loaded machine finishes it
    app = make_app(settings=Settings(typewriter=True, typewriter_speed="slow"))
    async with app.run_test() as pilot:
        await start(pilot, "alpha")
        writer = app.screen.query_one(Page)
        assert writer.running
        assert "The coffee is cold." not in flat(app)
        assert "Rally the staff." not in flat(app)
        await pilot.press("1")
        await pilot.pause()
        assert not writer.running
        assert "The coffee is cold." in flat(app)
        assert app.session.steps == 0, "the key that finished the text must not also choose"
        assert "Rally the staff." in flat(app)
        await pilot.press("1")
        await pilot.pause()
        assert app.session.steps == 1


async def test_a_command_key_while_typing_finishes_the_text_and_does_its_job(make_app, monkeypatch) -> None:
    from game.controller import settings
    from game.tui.screens.sources import SourcesScreen

    monkeypatch.setitem(settings.TYPEWRITER_SPEEDS, "slow", 4)
    app = make_app(settings=Settings(typewriter=True, typewriter_speed="slow"))
    async with app.run_test() as pilot:
        await start(pilot, "alpha")
        writer = app.screen.query_one(Page)
        assert writer.running
        await pilot.press("s")
        await pilot.pause()
        assert not writer.running
        assert isinstance(app.screen, SourcesScreen)
        assert app.session.steps == 0


async def test_typewriter_finishes_by_itself(make_app) -> None:
    app = make_app(settings=Settings(typewriter=True, typewriter_speed="fast"))
    async with app.run_test() as pilot:
        await start(pilot, "alpha")
        writer = app.screen.query_one(Page)
        for _ in range(40):
            if not writer.running:
                break
            await pilot.pause(0.05)
        assert not writer.running
        assert "The coffee is cold." in flat(app)


async def test_story_text_is_never_read_as_markup(make_app) -> None:
    from game.engine import load_story
    from game.engine.text import plain_template
    from tui_support import EXAMPLE

    story = load_story(EXAMPLE)
    nasty = "[/ [bold]not bold[/bold] [$accent] [@click=app.quit]x[/] $5"
    start_scene = story.scenes["alpha.start"]
    choices = (dataclasses.replace(start_scene.choices[0], text="Rally [/] the staff",
                                   label=plain_template("Rally [/] the staff")),) + start_scene.choices[1:]
    scene = dataclasses.replace(start_scene, title="Morning [/b]", text=nasty, headline="[/x] headline",
                                body=plain_template(nasty), news=plain_template("[/x] headline"), choices=choices)
    story = dataclasses.replace(story, scenes={**story.scenes, "alpha.start": scene})
    app = make_app(story=story)
    async with app.run_test() as pilot:
        await start(pilot, "alpha")
        assert page_text(app) == nasty
        text = flat(app)
        assert "Morning [/b]" in text and "Rally [/] the staff" in text and "[/x] headline" in text
        await choose(pilot, ["rally"])
        assert "You chose: Rally [/] the staff" in flat(app)


@pytest.mark.parametrize("size", [(60, 20), (250, 70)])
async def test_extreme_sizes_keep_the_essentials(make_app, size: tuple[int, int]) -> None:
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await start(pilot, "alpha")
        text = flat(app)
        assert "Morning" in text and "1 Rally the staff." in text and "Thu 16 Nov, 09:00 PT" in text
        assert "DOCUMENTED" in text
        if size[0] < 80:
            assert "Staff loyalty 5" in text  # the one-line summary stands in for the sidebar
            await pilot.press("i")
            await pilot.pause()
            assert "WHERE YOU STAND" in flat(app)
        else:
            assert "WHERE YOU STAND" in text


async def test_resize_live_reflows_and_too_small_says_what_is_needed(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await start(pilot, "alpha")
        assert "WHERE YOU STAND" in flat(app)
        await pilot.resize_terminal(50, 16)
        await pilot.pause(0.1)
        text = flat(app)
        assert "Terminal too small" in text and "needs 60×20" in text and "this one is 50×16" in text
        await pilot.press("1")  # keys do not reach the game underneath
        await pilot.resize_terminal(70, 22)
        await pilot.pause(0.1)
        assert isinstance(app.screen, PlayScreen)
        assert app.session.steps == 0
        text = flat(app)
        assert "WHERE YOU STAND" not in text and "Staff loyalty 5" in text


async def test_no_color_is_respected(make_app, monkeypatch: pytest.MonkeyPatch) -> None:
    from textual.filter import Monochrome, NoColor

    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app()
    assert any(isinstance(f, (Monochrome, NoColor)) for f in app._filters)
    async with app.run_test() as pilot:
        await start(pilot, "alpha")
        await choose(pilot, ["wait"])
        assert "locked —" in flat(app)  # the word carries the meaning the dimming would


async def test_title_menu_works_with_arrows(make_app) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await ready(pilot)
        from game.tui.widgets.titlecard import TitleCard

        menu = app.screen.query_one("#menu", TitleCard)
        assert menu.highlighted == 0
        assert not menu.entries[1].enabled, "no run saved: nothing to continue"
        await pilot.press("down")  # "Continue" is skipped, down and up
        await pilot.pause()
        assert menu.entries[menu.highlighted].id == "load"
        await pilot.press("up")
        await pilot.pause()
        assert menu.entries[menu.highlighted].id == "new"
        await pilot.press("end")
        await pilot.pause()
        assert menu.entries[menu.highlighted].id == "quit"
        await pilot.press("home", "enter")
        await pilot.pause()
        assert isinstance(app.screen, SideScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, SideScreen)


async def test_a_click_on_a_title_entry_takes_it_and_one_not_open_does_nothing(make_app) -> None:
    from game.tui.screens.replays import ReplayBrowser
    from tui_support import screen_text

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        rows = screen_text(app).splitlines()
        continue_row = next(y for y, row in enumerate(rows) if "Continue" in row and "no saved run yet" in row)
        await pilot.click(offset=(rows[continue_row].index("Continue"), continue_row))
        await pilot.pause()
        assert not isinstance(app.screen, SideScreen) and "no saved run yet" in flat(app)
        replays_row = next(y for y, row in enumerate(rows) if row.strip().endswith("Replays") and " r " in row)
        await pilot.click(offset=(rows[replays_row].index("Replays"), replays_row))
        await pilot.pause()
        assert isinstance(app.screen, ReplayBrowser)


async def test_the_outcome_opens_the_next_scene_before_its_text_and_the_news_follows_the_run(make_app) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await start(pilot, "alpha")
        await choose(pilot, ["wait"])
        text = page_text(app)
        assert text == "What if: Nobody notices you waiting.\n\nThe call comes at noon."
        assert all(style.italic for style in row_styles(app, "What if: Nobody notices you waiting."))
        assert not any(style.italic for style in row_styles(app, "The call comes at noon."))
        assert "The chief stands alone" in flat(app) and "Staff rally" not in flat(app)
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, TimelineScreen) and "The chief stands alone" in flat(app)


async def test_the_typewriter_types_the_outcome_first_in_its_own_style(make_app, monkeypatch) -> None:
    from game.controller import settings

    monkeypatch.setitem(settings.TYPEWRITER_SPEEDS, "slow", 4)
    app = make_app(settings=Settings(typewriter=True, typewriter_speed="slow"))
    async with app.run_test() as pilot:
        await start(pilot, "alpha")
        await pilot.press("1")  # finishes the first scene's text
        await pilot.pause()
        await pilot.press("1")
        await pilot.pause()
        writer = app.screen.query_one(Page)
        assert writer.running and "The call comes at noon." not in flat(app)
        await pilot.press("space")
        await pilot.pause()
        assert page_text(app) == "The staff cheer. Staff loyalty stands at 8.\n\nThe call comes at noon."
        assert all(style.italic for style in row_styles(app, "The staff cheer."))
