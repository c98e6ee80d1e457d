"""The crisis so far: every headline this run has passed, in order, by day."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from game.tui.widgets.footer import Footer
from game.tui.widgets.ticker import news_when

if TYPE_CHECKING:
    from game.controller.session import Session


def timeline_content(session: "Session") -> Group | Text:
    """By day, one headline a row: times in a right-aligned column as wide as the widest, and a
    long headline wraps under its own words, not under the times."""
    rows = [(h, *news_when(h)) for h in session.headlines]
    if not rows:
        return Text("No headlines yet: the news breaks as the week unfolds.", style="dim")
    width = max((len(time) for _, _, time, _ in rows), default=5)
    parts: list[Text | Table] = []
    grid: Table | None = None
    day = None
    for h, _, time, text in rows:
        if h.at.date() != day:
            day = h.at.date()
            if grid is not None:
                parts += [grid, Text("")]
            parts.append(Text(f"{h.at:%A} {h.at.day} {h.at:%B}", style="bold dim"))
            grid = Table.grid(padding=(0, 2), pad_edge=True)
            grid.add_column(min_width=width, justify="right", no_wrap=True)
            grid.add_column(ratio=1)
        assert grid is not None
        grid.add_row(Text(time, style="bold"), Text(text))
    if grid is not None:
        parts.append(grid)
    return Group(*parts)


class TimelineScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape", "dismiss", "Close"),
        Binding("t", "dismiss", "Close", show=False),
        Binding("question_mark", "app.help", "Help"),
    ]

    def __init__(self, session: "Session"):
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide-dialog"):
            yield Static(Content.styled("The crisis so far", "bold"), classes="dialog-title")
            with VerticalScroll(id="timeline-scroll"):
                yield Static(timeline_content(self.session), id="timeline-body")
        yield Footer()

    def on_mount(self) -> None:
        scroll = self.query_one("#timeline-scroll", VerticalScroll)
        scroll.scroll_end(animate=False)
        scroll.focus()
