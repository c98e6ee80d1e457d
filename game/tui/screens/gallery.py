"""Endings found, across every run and session: the ones reached, and how many remain.

Endings not found yet show only whose they are, so the gallery invites another run
without giving the ending away.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from game.engine.safe_text import shown
from game.tui.widgets.footer import Footer

if TYPE_CHECKING:
    from game.engine import Story
    from game.controller.settings import Gallery


def _date(iso: str) -> str:
    try:
        when = dt.datetime.fromisoformat(iso)
    except ValueError:
        return shown(iso, 40)  # the gallery file is the player's to edit: never echo it raw
    return f"{when.day} {when:%b %Y}"


def gallery_content(story: "Story", gallery: "Gallery") -> Content:
    found = gallery.found(story.id)
    endings = story.endings
    count = sum(1 for e in endings if e in found)
    lines: list[Content] = [
        Content.assemble((f"{count} of {len(endings)} ", "bold $accent"), "endings found in ", (story.title, "italic"),
                         ("   ★ marks what really happened", "$foreground-muted")),
    ]
    for side_id, side in story.sides.items():
        mine = sorted((s for s in endings.values() if s.side == side_id), key=lambda s: (s.id not in found, s.id))
        if not mine:
            continue
        got = sum(1 for s in mine if s.id in found)
        lines += [Content(""), Content.assemble((side.name.upper(), "bold $foreground-muted"),
                                                (f"  {got} of {len(mine)}", "$foreground-muted"))]
        for scene in mine:
            ending = scene.ending
            assert ending is not None
            f = found.get(scene.id)
            if f is None:
                lines.append(Content.styled("  ○ ??? — not found yet", "$foreground-disabled"))
                continue
            star = " ★" if ending.historical else ""
            lines.append(Content.assemble(("  ✓ ", "bold $success"), (ending.title, "bold"), (star, "bold $success"),
                                          (f"   critic {ending.score:.1f}/10", "$accent")))
            times = f"{f.times} time{'s' if f.times != 1 else ''}"
            lines.append(Content.styled(f"      first found {_date(f.first)} · reached {times} · "
                                        f"fewest choices {f.steps}", "$foreground-muted"))
    return Content("\n").join(lines)


class GalleryScreen(Screen[None]):
    BINDINGS = [
        Binding("escape", "app.to_title", "Back"),
        Binding("n", "app.new_game", "New game"),
        Binding("q", "app.request_quit", "Quit"),
    ]

    def __init__(self, story: "Story", gallery: "Gallery"):
        super().__init__()
        self.story = story
        self.gallery = gallery

    def compose(self) -> ComposeResult:
        yield Static(Content.styled("Endings found", "bold"), classes="screen-heading")
        with VerticalScroll(id="gallery-scroll"):
            yield Static(gallery_content(self.story, self.gallery), id="gallery-body", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#gallery-scroll").focus()
