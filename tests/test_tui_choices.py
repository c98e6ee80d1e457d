"""The choice list shown again for each scene: the new prompts, locks and highlight every time.

A list whose new choices take as many lines as the old keeps its options and swaps their
prompts (no layout); one whose choices take more or fewer lines is rebuilt. Either way the
player must see exactly the new scene's choices.
"""

from __future__ import annotations

from typing import Sequence

import pytest
from textual.app import App, ComposeResult

from game.engine import ChoiceView
from game.tui.widgets.choices import ChoiceList


def opened(*texts: str) -> list[ChoiceView]:
    return [ChoiceView(f"c{i}", text, True, None) for i, text in enumerate(texts)]


class ListApp(App[None]):
    def compose(self) -> ComposeResult:
        yield ChoiceList(id="choices")


def rows(app: ListApp) -> list[list[tuple[str, object]]]:
    """Every row as (text, style) runs: the words, the dimmed locks, the highlight."""
    return [[(segment.text, segment.style) for segment in strip] for strip in app.screen._compositor.render_strips()]


LONG = "A choice long enough to wrap onto a second line in a list forty cells wide, and then some."

SCENES: list[tuple[str, Sequence[ChoiceView]]] = [
    ("three open", opened("Go north.", "Go south.", "Wait.")),
    ("same lines, new words, one locked", [ChoiceView("a", "Call Ilya.", True, None),
                                            ChoiceView("b", "Call Greg.", False, "needs trust"),
                                            ChoiceView("c", "Sleep.", True, None)]),
    ("the first locked now", [ChoiceView("a", "Call Ilya.", False, "too late"),
                              ChoiceView("b", "Call Greg.", True, None),
                              ChoiceView("c", "Sleep.", True, None)]),
    ("a long one: more lines", opened(LONG, "Short.", "Shorter.")),
    ("same count, fewer lines", opened("One.", "Two.", "Three.")),
    ("fewer choices", opened("Only this.")),
    ("none", []),
    ("back to two", opened("Left.", "Right.")),
]


@pytest.mark.parametrize("start", range(len(SCENES)))
async def test_each_scene_shows_its_own_choices_locks_and_highlight(start: int) -> None:
    app = ListApp()
    async with app.run_test(size=(40, 20)) as pilot:
        choices = app.query_one(ChoiceList)
        # every scene after every other: from `start`, round the list
        for what, scene in SCENES[start:] + SCENES[:start]:
            choices.set_choices(scene)
            await pilot.pause()
            fresh = ListApp()
            async with fresh.run_test(size=(40, 20)) as fresh_pilot:
                fresh.query_one(ChoiceList).set_choices(scene)
                await fresh_pilot.pause()
                assert rows(app) == rows(fresh), what
                expected = fresh.query_one(ChoiceList)
                assert choices.highlighted == expected.highlighted, what
                assert [o.disabled for o in choices.options] == [o.disabled for o in expected.options], what
            if any(c.available for c in scene):
                assert choices.highlighted == next(i for i, c in enumerate(scene) if c.available), what
                assert choices.choice_at(choices.highlighted) == scene[choices.highlighted]
