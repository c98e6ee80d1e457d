"""`play --side`: the first frame is the whole play screen, built, styled and painted once.

Before, the screen was laid out and rendered inside Textual's startup batch, where the frame is
thrown away, then restyled for its width (the breakpoint class came with the first resize),
then its footer was composed empty and rebuilt key by key: the terminal's first frame was a
partial repaint and the scene came tens of milliseconds later. These count the work, not time.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from game.engine import load_story
from game.tui.screens.play import PlayScreen
from game.tui.widgets.footer import Footer
from textual._compositor import LayoutUpdate
from textual.dom import DOMNode
from tui_support import EXAMPLE, flat, make_app


def _spy(app: Any) -> tuple[list[tuple[int, Any, Any]], list[DOMNode]]:
    """Every update the screens hand to the terminal (with the batch depth then), and every node
    restyled by itself (a class or pseudo-class change)."""
    frames: list[tuple[int, Any, Any]] = []
    restyled: list[DOMNode] = []
    display, update_styles = app._display, app.update_styles

    def spy_display(screen: Any, renderable: Any) -> None:
        if renderable is not None:
            frames.append((app._batch_count, screen, renderable))
        display(screen, renderable)

    def spy_styles(node: DOMNode, animate: bool = True) -> None:
        restyled.append(node)
        update_styles(node, animate)

    app._display, app.update_styles = spy_display, spy_styles
    return frames, restyled


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_the_first_frame_of_play_side_is_the_whole_scene(tmp_path: Path, size: tuple[int, int]) -> None:
    app = make_app(tmp_path, side="beta", story=load_story(EXAMPLE))
    frames, restyled = _spy(app)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PlayScreen)
        assert "Four hands go up." in flat(app)
    play_frames = [(batch, update) for batch, shown, update in frames if shown is screen]
    batch, first = play_frames[0]
    assert batch == 0, "the play screen was first rendered inside a batch: that frame never reached the terminal"
    assert isinstance(first, LayoutUpdate) and first.region.size == size  # the whole screen at once
    text = "\n".join("".join(segment.text for segment in strip) for strip in first.strips)
    for words in ("The vote", "Four hands go up.", "Choose", "History", "NEWS"):
        assert words in text, f"{words!r} is not in the first frame"
    # styled once, with its width's class, when mounted: nothing restyled for the width, and the
    # footer's keys not restyled one by one
    assert screen.has_class("-narrow" if size[0] < 96 else "-wide")
    assert not [node for node in restyled if node is screen or type(node).__name__ == "FooterKey"]


async def test_the_footer_is_built_with_its_keys_and_rebuilt_only_when_they_change(tmp_path: Path) -> None:
    """A focus change that leaves the keys as they were (the choices taking the focus) rebuilds
    nothing; the first choice enables Undo, which does."""
    rebuilt: list[Footer] = []
    recompose = Footer.recompose

    async def spy(self: Footer) -> None:
        rebuilt.append(self)
        await recompose(self)

    app = make_app(tmp_path, side="beta", story=load_story(EXAMPLE))
    Footer.recompose = spy  # type: ignore[method-assign]
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            assert "Choose" in flat(app) and "Undo" in flat(app)
            assert rebuilt == []
            await pilot.press("1")
            await pilot.pause()
            assert len(rebuilt) <= 1 and "Undo" in flat(app)
    finally:
        Footer.recompose = recompose  # type: ignore[method-assign]
