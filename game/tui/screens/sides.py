"""Choosing a side: who each one is, where they start, and what is at stake.

The list on the left picks; the panel on the right describes the highlighted side, so a
player can compare the three before committing. 1-3 or Enter starts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from game.format import long_clock
from game.tui import messages
from game.tui.widgets.footer import Footer

if TYPE_CHECKING:
    from game.engine import Story


def side_details(story: "Story", side_id: str) -> Content:
    side = story.sides[side_id]
    start = story.scenes.get(side.start)
    where = f"{long_clock(start.at)} — “{start.title}”" if start else side.start
    parts: list[Content | tuple[str, str] | str] = [
        (side.name, "bold $accent"), "\n", (side.role, "italic"), "\n\n",
        side.blurb, "\n\n",
        ("YOU START  ", "bold $foreground-muted"), where, "\n\n",
        ("AT STAKE  ", "bold $foreground-muted"), side.stakes,
    ]
    return Content.assemble(*parts)


class SideScreen(Screen[None]):
    BINDINGS = [
        Binding("1", "pick(1)", "Pick", key_display="1-3"),
        *(Binding(str(n), f"pick({n})", show=False) for n in range(2, 10)),
        Binding("escape", "app.to_title", "Back"),
        Binding("question_mark", "app.help", "Help"),
        Binding("q", "app.request_quit", "Quit"),
    ]

    def __init__(self, story: "Story"):
        super().__init__()
        self.story = story
        self.side_ids = list(story.sides)

    def compose(self) -> ComposeResult:
        yield Static(Content.styled("Whose side are you on?", "bold"), id="sides-heading")
        with Horizontal(id="sides-body"):
            yield OptionList(
                *(Option(Content.assemble((f" {i} ", "bold $accent"), " ", (s.name, "bold")), id=sid)
                  for i, (sid, s) in enumerate(self.story.sides.items(), 1)),
                id="side-list", markup=False)
            with VerticalScroll(id="side-details-box"):
                yield Static(id="side-details", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        options = self.query_one("#side-list", OptionList)
        options.highlighted = 0
        options.focus()

    @on(OptionList.OptionHighlighted, "#side-list")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_id:
            self.query_one("#side-details", Static).update(side_details(self.story, event.option_id))

    @on(OptionList.OptionSelected, "#side-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_id:
            self._start(event.option_id)

    def action_pick(self, number: int) -> None:
        if 1 <= number <= len(self.side_ids):
            self._start(self.side_ids[number - 1])

    def _start(self, side: str) -> None:
        self.post_message(messages.SideChosen(side))
