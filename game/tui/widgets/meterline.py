"""The meters in a line or two under the choices, where the terminal is too narrow for the sidebar.

Each meter goes by its short name ('Loyalty 5/10') and is never split across lines: the
meters fill as many lines as the width needs (one or two at 80 columns), so every meter of
the side stays readable rather than the last ones being cut off with an ellipsis.
"""

from __future__ import annotations

from typing import Sequence

from textual.content import Content
from textual.geometry import Size
from textual.reactive import Reactive
from textual.widget import Widget

from game.engine import Meter
from game.format import meter_short_words, packed
from game.tui.widgets.page import column


class MeterLine(Widget):
    DEFAULT_CSS = """
    MeterLine {
        height: auto;
    }
    """

    auto_links: Reactive[bool] = Reactive(False)
    """No links in the meters: no pass styling them at each repaint."""

    def __init__(self, *, id: str | None = None, classes: str | None = None):
        super().__init__(id=id, classes=classes)
        self._items: tuple[str, ...] = ()

    @property
    def items(self) -> tuple[str, ...]:
        return self._items

    def show(self, meters: Sequence[Meter]) -> None:
        items = tuple(meter_short_words(m) for m in meters)
        if items != self._items:
            width = self.size.width
            # Laid out already and as many lines as before: a repaint, no layout. Folded away
            # (the sidebar shows the meters): nothing to lay out until it is shown, which lays
            # out the screen anyway.
            same = width > 0 and len(packed(items, column(width)[1])) == len(self.lines(width))
            self._items = items
            self.refresh(layout=self.display and not same)

    def lines(self, width: int) -> list[str]:
        """The meters packed in lines, at `width` (the widget's), lined up with the page's text."""
        left, cells = column(width)
        return [" " * left + line for line in packed(self._items, cells)]

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return max(1, len(self.lines(width)))

    def render(self) -> Content:
        return Content.styled("\n".join(self.lines(self.size.width)), "$foreground-muted")
