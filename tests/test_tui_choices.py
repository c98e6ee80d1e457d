"""The page shown again for each scene: the new text, choices, locks and highlight every time.

The page keeps its size whatever it shows and caches its lines between repaints, so a scene
shown after any other must look exactly as it does on a page that never showed anything else.
"""

from __future__ import annotations

from typing import Sequence

import pytest
from textual.app import App, ComposeResult

from game.engine import ChoiceView
from game.tui.widgets.page import MORE_BELOW, Page, Scene


def opened(*texts: str) -> list[ChoiceView]:
    return [ChoiceView(f"c{i}", text, True, None) for i, text in enumerate(texts)]


class PageApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Page(id="page")


def rows(app: PageApp) -> list[list[tuple[str, object]]]:
    """Every row as (text, style) runs: the words, the dimmed locks, the highlight."""
    return [[(segment.text, segment.style) for segment in strip] for strip in app.screen._compositor.render_strips()]


LONG = "A choice long enough to wrap onto a second line in a list forty cells wide, and then some."
PAGES = " ".join(["The board meets at noon, on a video call, and you are not on it."] * 6)

SCENES: list[tuple[str, str, Sequence[ChoiceView]]] = [
    ("three open", "Short.", opened("Go north.", "Go south.", "Wait.")),
    ("same lines, new words, one locked", "Short too.", [
        ChoiceView("a", "Call Ilya.", True, None),
        ChoiceView("b", "Call Greg.", False, "needs trust"),
        ChoiceView("c", "Sleep.", True, None)]),
    ("the first locked now", PAGES, [
        ChoiceView("a", "Call Ilya.", False, "too late"),
        ChoiceView("b", "Call Greg.", True, None),
        ChoiceView("c", "Sleep.", True, None)]),
    ("a long one: more lines", "Medium text\n\nin two paragraphs.", opened(LONG, "Short.", "Shorter.")),
    ("same count, fewer lines", PAGES, opened("One.", "Two.", "Three.")),
    ("fewer choices", "", opened("Only this.")),
    ("none", "The end.", []),
    ("back to two", "Short.", opened("Left.", "Right.")),
]


async def show(app: PageApp, pilot: object, title: str, text: str, choices: Sequence[ChoiceView]) -> Page:
    page = app.query_one(Page)
    page.show(Scene(title, "You chose: something.", "", text, tuple(choices)))
    await pilot.pause()  # type: ignore[attr-defined]
    return page


@pytest.mark.parametrize("start", range(len(SCENES)))
async def test_each_scene_shows_its_own_text_choices_locks_and_highlight(start: int) -> None:
    app = PageApp()
    async with app.run_test(size=(40, 20)) as pilot:
        # every scene after every other: from `start`, round the list
        for what, text, scene in SCENES[start:] + SCENES[:start]:
            page = await show(app, pilot, what, text, scene)
            fresh = PageApp()
            async with fresh.run_test(size=(40, 20)) as fresh_pilot:
                expected = await show(fresh, fresh_pilot, what, text, scene)
                assert rows(app) == rows(fresh), what
                assert page.highlighted == expected.highlighted, what
            if any(c.available for c in scene):
                assert page.highlighted == next(i for i, c in enumerate(scene) if c.available), what
                assert page.choice_at(page.highlighted) == scene[page.highlighted]
            assert (page.hint() == MORE_BELOW) == (text == PAGES), what


async def test_more_choices_than_half_the_screen_scroll_to_the_highlighted_one() -> None:
    """The choices take half the terminal at most; the highlighted one is always among those shown."""
    from tui_support import screen_text

    app = PageApp()
    choices = opened(*(f"Option number {n}." for n in range(1, 13)))
    async with app.run_test(size=(40, 20)) as pilot:
        page = await show(app, pilot, "Many", "Short.", choices)
        shown = [n for n in range(1, 13) if f"Option number {n}." in screen_text(app)]
        assert 1 in shown and len(shown) < 12, "the first ones shown, not all twelve"
        page.focus()
        await pilot.press("end")
        await pilot.pause()
        assert page.highlighted == 11 and "Option number 12." in screen_text(app)
        await pilot.press("home")
        await pilot.pause()
        assert page.highlighted == 0 and "Option number 1." in screen_text(app)
        for _ in range(6):
            await pilot.press("down")
        await pilot.pause()
        assert page.highlighted == 6 and "Option number 7." in screen_text(app)


@pytest.mark.parametrize("start", range(len(SCENES)))
async def test_a_scene_laid_out_ahead_is_shown_exactly_as_one_that_was_not(start: int) -> None:
    """While the player reads, the page lays out the scenes the choices lead to (`prepare`); the
    one the choice shows is drawn from those lines, and must look as it would have anyway."""
    app = PageApp()
    async with app.run_test(size=(40, 20)) as pilot:
        for what, text, scene in SCENES[start:] + SCENES[:start]:
            page = app.query_one(Page)
            coming = Scene(what, "You chose: something.", "", text, tuple(scene))
            for other, other_text, other_scene in SCENES:  # every scene a choice might lead to
                page.prepare(Scene(other, "You chose: something.", "", other_text, tuple(other_scene)))
            laid_ahead = page._ahead[coming].lines
            page.show(coming)
            await pilot.pause()
            assert page._lines() is laid_ahead, f"{what}: laid out again instead of drawn from the lines made ahead"
            fresh = PageApp()
            async with fresh.run_test(size=(40, 20)) as fresh_pilot:
                expected = await show(fresh, fresh_pilot, what, text, scene)
                assert rows(app) == rows(fresh), what
                assert page.highlighted == expected.highlighted, what


async def test_a_scene_laid_out_ahead_at_another_size_or_in_another_theme_is_laid_out_again() -> None:
    what, text, scene = SCENES[2]
    coming = Scene(what, "You chose: something.", "", text, tuple(scene))
    for change in ("size", "theme"):
        app = PageApp()
        async with app.run_test(size=(40, 20)) as pilot:
            page = await show(app, pilot, *SCENES[0])
            page.prepare(coming)
            if change == "size":
                await pilot.resize_terminal(52, 24)
            else:
                app.theme = "textual-light"
            await pilot.pause()
            page.show(coming)
            await pilot.pause()
            fresh = PageApp()
            async with fresh.run_test(size=(52, 24) if change == "size" else (40, 20)) as fresh_pilot:
                if change == "theme":
                    fresh.theme = "textual-light"
                await show(fresh, fresh_pilot, what, text, scene)
                assert rows(app) == rows(fresh), change


async def test_a_scene_laid_out_ahead_and_then_typed_types_the_same_lines() -> None:
    """Shown with the typewriter, a scene laid out ahead takes its wrapped text from there: it
    types to the same page as one that was not."""
    what, text, scene = SCENES[2]
    coming = Scene(what, "You chose: something.", "", text, tuple(scene))

    async def typed(ahead: bool) -> list[list[tuple[str, object]]]:
        app = PageApp()
        async with app.run_test(size=(40, 20)) as pilot:
            page = await show(app, pilot, *SCENES[0])
            if ahead:
                page.prepare(coming)
            page.show(coming, chars_per_second=2000)
            assert page.running
            for _ in range(100):
                if not page.running:
                    break
                await pilot.pause(0.02)
            assert not page.running
            await pilot.pause()
            return rows(app)

    assert await typed(ahead=True) == await typed(ahead=False)
