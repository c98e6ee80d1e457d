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
from game.tui.widgets.sidebar import Sidebar
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
    for words in ("The vote", "Four hands go up.", "NEWS"):
        assert words in text, f"{words!r} is not in the first frame"
    # styled once, with its width's class, when mounted: nothing restyled for the width; the
    # footer's keys (the frame after, as in any Textual app) not restyled one by one either
    assert screen.has_class("-narrow" if size[0] < 96 else "-wide")
    assert not [node for node in restyled if node is screen or type(node).__name__ == "FooterKey"]
    if size[0] >= 96:
        assert "WHERE YOU STAND" in text and "Staff loyalty" in text  # the sidebar, whole in the first frame


async def test_a_folded_sidebar_is_built_after_the_first_frame_and_shows_the_meters_when_asked(tmp_path: Path) -> None:
    """At 80 columns the sidebar is folded: its widgets are made once the scene is on screen,
    and `i` shows it with the meters as they are (a choice made meanwhile included)."""
    app = make_app(tmp_path, side="alpha", story=load_story(EXAMPLE))
    built_at_first_frame: list[int] = []
    display = app._display

    def spy(screen: Any, renderable: Any) -> None:
        if renderable is not None and isinstance(screen, PlayScreen) and not built_at_first_frame:
            built_at_first_frame.append(len(screen.query_one(Sidebar).children))
        display(screen, renderable)

    app._display = spy
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert built_at_first_frame == [0]
        sidebar = app.screen.query_one(Sidebar)
        assert sidebar.children and not sidebar.display and "WHERE YOU STAND" not in flat(app)
        await pilot.press("1")
        await pilot.pause()
        await pilot.press("i")
        await pilot.pause()
        assert sidebar.display and "WHERE YOU STAND" in flat(app) and "Staff loyalty" in flat(app)
        assert "Staff loyalty ▲3" in flat(app), "the last choice's mark on its meter"


async def test_a_sidebar_whose_screen_went_before_it_was_built_stays_unbuilt(tmp_path: Path) -> None:
    """The build waits for a refresh; a player quick to leave the screen must not make it fail."""
    app = make_app(tmp_path, side="alpha", story=load_story(EXAMPLE))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.session is not None
        sidebar = Sidebar(built=False)
        await app.screen.mount(sidebar)
        await sidebar.remove()
        sidebar.show(app.session.view().meters)
        await sidebar.build()
        assert not sidebar.built and not sidebar.children


async def test_a_footer_removed_before_its_rebuild_does_nothing(tmp_path: Path) -> None:
    """A footer waits for a refresh to rebuild; the play screen's widgets are removed as soon as
    the ending replaces it (`show_main`), and a rebuild that came then crashed the game (NoScreen),
    seen in a tmux play-through of the shipped story."""
    app = make_app(tmp_path, side="alpha", story=load_story(EXAMPLE))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        footer = app.screen.query_one(Footer)
        await footer.remove()
        await footer._rebuild()  # what the refresh it waited for calls
        assert not footer.children


async def test_the_footer_is_rebuilt_only_when_the_keys_it_shows_change(tmp_path: Path) -> None:
    """The typewriter holds the focus off the choices until the text is shown; the choices then
    take it, which adds only their hidden keys (arrows, enter): the footer stays as it is. The
    first choice enables Undo, which it shows."""
    from game.controller.settings import Settings

    rebuilt: list[Footer] = []
    recompose = Footer.recompose

    async def spy(self: Footer) -> None:
        rebuilt.append(self)
        await recompose(self)

    app = make_app(tmp_path, side="beta", story=load_story(EXAMPLE), settings=Settings(typewriter=True))
    Footer.recompose = spy  # type: ignore[method-assign]
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            assert "Choose" in flat(app) and "Any key shows the rest" in flat(app)
            assert len(rebuilt) == 1  # composed empty, then its keys
            await pilot.press("space")  # the rest of the text at once; the choices take the focus
            await pilot.pause()
            assert app.screen.query_one("#page").has_focus and "Any key shows the rest" not in flat(app)
            assert len(rebuilt) == 1
            await pilot.press("1")
            await pilot.pause()
            assert len(rebuilt) == 2 and "Undo" in flat(app)
    finally:
        Footer.recompose = recompose  # type: ignore[method-assign]


async def test_a_folded_sidebar_whose_screen_is_being_replaced_is_not_built(tmp_path: Path) -> None:
    """The folded sidebar is built after a refresh. A player who plays the last choice before it
    (a continued run, on a busy machine) replaces the play screen with the ending, whose widgets
    are then removed: the build that came meanwhile crashed the game (NoMatches '#meters'), seen
    in a tmux play-through with the test suite running beside it."""
    from textual.containers import Vertical

    app = make_app(tmp_path, side="alpha", story=load_story(EXAMPLE))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.session is not None
        box = Vertical()
        sidebar = Sidebar(built=False)
        await app.screen.mount(box)
        await box.mount(sidebar)
        sidebar.show(app.session.view().meters)  # shown when built
        removing = box.remove()  # as `show_main` removes the replaced screen's widgets
        await sidebar.build()
        await removing
        await pilot.pause()
        assert not sidebar.built and not sidebar.children


@pytest.mark.parametrize("size", [(80, 24), (100, 30)], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_a_choice_is_drawn_in_one_frame_whatever_the_length_of_the_next_scene(
        tmp_path: Path, size: tuple[int, int]) -> None:
    """Scenes of the shipped story change length at nearly every choice. When the column was a
    dozen widgets, each such choice was laid out twice by Textual and reached the terminal in two
    frames, the second 30-50 ms after the first (the scrollbar and the line under the text came
    in it). The page keeps its size: one frame, with the whole next scene in it."""
    from game.engine.classes import Story
    from game.runs import golden_run
    from tui_support import REAL_STORY

    story: Story = load_story(REAL_STORY)
    app = make_app(tmp_path, side="altman", story=story)
    frames, _ = _spy(app)
    path = [step.choice for step in golden_run(story, "altman").steps][:8]
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        lengths = set()
        for choice in path:
            screen = app.screen
            assert isinstance(screen, PlayScreen)
            index = [c.id for c in screen.session.view().choices].index(choice)
            frames.clear()
            await pilot.press(str(index + 1))
            await pilot.pause()
            await pilot.pause(0.1)  # anything the frame set off (a second layout, a hint) shows by now
            scene = app.session.view()
            lengths.add(len(scene.text))
            drawn = [update for _, shown, update in frames if shown is app.screen]
            assert len(drawn) == 1, f"{len(drawn)} frames for the choice that led to {scene.scene.id!r}"
            assert scene.title in flat(app)
        assert len(lengths) > 4, "the path went through scenes of different lengths"
