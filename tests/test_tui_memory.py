"""What the app lets go of as a run goes on: Rich's widths of the text of scenes already left."""

from __future__ import annotations

from rich.cells import cached_cell_len

from tui_support import choose, start

LEFT_BEHIND = "a phrase only this test measures"


def forgotten() -> bool:
    """Whether Rich measures LEFT_BEHIND afresh (it had forgotten it) rather than from its cache."""
    misses = cached_cell_len.cache_info().misses
    cached_cell_len(LEFT_BEHIND)
    return cached_cell_len.cache_info().misses == misses + 1


async def test_a_choice_or_an_undo_forgets_the_widths_of_the_text_left_behind(make_app) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await start(pilot, "gamma")
        cached_cell_len(LEFT_BEHIND)
        assert not forgotten()  # the cache holds it until a scene is left
        await choose(pilot, ["ignore"])
        assert forgotten()
        await pilot.press("u")
        await pilot.pause()
        assert forgotten()
        assert "ignore" in [c.id for c in app.session.view().choices]  # the undo did go back
