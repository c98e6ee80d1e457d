"""The play screen's reading column: the scene's text, and the choices right under it.

The text takes the height the choices leave, and not a row more: short text sits right
above its choices, long text scrolls above them, and the choices are never pushed off the
screen. The layout works this out in the same pass that places everything, so a new scene
is laid out and painted once: sizing the text after a first layout (from the choices' height
it measured) cost a second layout and a second repaint on every choice.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content
from textual.geometry import Region, Size
from textual.reactive import Reactive
from textual.layouts.vertical import VerticalLayout
from textual.widget import Widget

if TYPE_CHECKING:
    from textual.containers import VerticalScroll
    from textual.layout import ArrangeResult

MIN_TEXT_ROWS = 3
"""The text keeps this many rows however many choices there are: the choices scroll instead."""


class TextAboveChoices(VerticalLayout):
    """A vertical layout whose first child gets the height the others leave, at most."""

    name = "text-above-choices"

    def arrange(self, parent: Widget, children: list[Widget], size: Size, greedy: bool = True) -> "ArrangeResult":
        if len(children) < 2:
            return super().arrange(parent, children, size, greedy)
        text, below = children[0], children[1:]
        lower = super().arrange(parent, below, size, greedy)
        used = max((p.region.bottom + p.margin.bottom for p in lower), default=0)
        room = max(MIN_TEXT_ROWS, size.height - used)
        placements = super().arrange(parent, [text], Size(size.width, room), greedy)
        top = placements[0]
        if top.region.height > room:
            top = top._replace(region=Region(top.region.x, top.region.y, top.region.width, room))
        offset = top.region.bottom + top.margin.bottom
        return [top, *(p._replace(region=p.region.translate((0, offset))) for p in lower)]


class ReadingColumn(Widget):
    """The text above, the choices below, sized in one layout pass (see `TextAboveChoices`)."""

    DEFAULT_CSS = """
    ReadingColumn { width: 1fr; height: 1fr; overflow: hidden hidden; }
    """

    _reading_layout = TextAboveChoices()

    @property
    def layout(self) -> VerticalLayout:
        return self._reading_layout


class MoreHint(Widget):
    """The line between the text and the choices: the typewriter's hint, or more text above or below.

    What it says depends on where the layout put the text, so it works it out when it is
    painted. `update()` repaints it only when the words would change, so a new scene that
    scrolls as the last one did costs this line nothing.
    """

    DEFAULT_CSS = """
    MoreHint { height: 1; }
    """

    auto_links: Reactive[bool] = Reactive(False)
    """No links in the line: no pass styling them at each repaint."""

    def __init__(self, scroll: "VerticalScroll", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._scroll = scroll
        self.typing = False
        """The typewriter is revealing the text: any key shows the rest."""
        self.words = ""
        """What the line says, as last painted."""

    def current(self) -> str:
        if self.typing:
            return "Any key shows the rest of the scene at once."
        scroll = self._scroll
        top = round(scroll.scroll_y)
        if scroll.max_scroll_y > 0 and top < scroll.max_scroll_y:
            return "▼ more text below: PgDn"
        if top > 0:
            return "▲ the scene starts above: PgUp"
        return ""

    def update(self) -> None:
        if self.current() != self.words:
            self.refresh()

    def render(self) -> Content:
        self.words = self.current()
        return Content.styled(self.words, "italic $foreground-muted")
