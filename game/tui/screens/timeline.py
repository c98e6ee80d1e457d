"""The crisis so far: every headline this run has passed, in order, by day."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from game.tui.widgets.ticker import _TIMED

if TYPE_CHECKING:
    from game.controller.session import Session


def timeline_content(session: "Session") -> Content:
    lines: list[Content] = []
    day = None
    for h in session.headlines:
        if h.at.date() != day:
            day = h.at.date()
            if lines:
                lines.append(Content(""))
            lines.append(Content.styled(f"{h.at:%A} {h.at.day} {h.at:%B}", "bold $foreground-muted"))
        when = "" if _TIMED.match(h.text) else f"{h.at:%H:%M}"
        lines.append(Content.assemble((f"  {when:>5}  ", "bold $accent"), h.text))
    if not lines:
        lines.append(Content.styled("No headlines yet: the news breaks as the week unfolds.", "$foreground-muted"))
    return Content("\n").join(lines)


class TimelineScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape", "dismiss", "Close"), Binding("t", "dismiss", "Close", show=False)]

    def __init__(self, session: "Session"):
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide-dialog"):
            yield Static(Content.styled("The crisis so far", "bold"), classes="dialog-title")
            with VerticalScroll(id="timeline-scroll"):
                yield Static(timeline_content(self.session), markup=False)
            yield Static(Content.styled("Escape closes · ↑ ↓ scroll", "$foreground-muted"), classes="dialog-hint")

    def on_mount(self) -> None:
        scroll = self.query_one("#timeline-scroll", VerticalScroll)
        scroll.scroll_end(animate=False)
        scroll.focus()
