"""The bar above the story: who you are, the in-game clock, the days, and the scene's provenance.

The day strip names each day of the story's window and marks today, so the player always
knows where they are in the week; the badge says whether the scene is documented, reported
or invented, and `s` opens its sources.
"""

from __future__ import annotations

import datetime as dt

from typing import Optional

from textual.content import Content
from textual.strip import Strip
from textual.widget import Widget

from game.engine import View
from game.format import PROVENANCE, clock
from game.tui.widgets.lines import strip

BADGE_STYLE = {
    "documented": "bold $background on $success",
    "reported": "bold $background on $warning",
    "counterfactual": "bold $background on $accent",
}


def badge(provenance: str) -> Content:
    return Content.styled(f" {PROVENANCE.get(provenance, provenance).upper()} ", BADGE_STYLE.get(provenance, "reverse"))


def day_strip(begins: dt.datetime, days: int, today: int) -> Content:
    """'Thu Fri ▐Sat▌ Sun Mon Tue': past days plain, today reversed, days to come faint (25 cells for 6 days)."""
    parts: list[Content] = []
    for i in range(days):
        name = f"{begins + dt.timedelta(days=i):%a}"
        if i + 1 == today:
            parts.append(Content.styled(f" {name} ", "bold reverse"))
        elif i + 1 < today:
            parts.append(Content.styled(name, "$foreground"))
        else:
            parts.append(Content.styled(name, "$foreground-disabled"))
    return Content(" ").join(parts)


WIDE = 96
"""From this width the bar names whose side you are on (the play screen's breakpoint)."""
BADGE_CELLS = 13
"""The badge's place, as wide as the widest badge (DOCUMENTED) and a cell after it: a scene of
another kind repaints the bar with nothing in it moving."""


class TopBar(Widget):
    """One line that draws itself: a new scene repaints it and lays nothing out."""

    DEFAULT_CSS = """
    TopBar {
        height: 1;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._parts: tuple[Content, Content, Content, Content] = (Content(""), Content(""), Content(""), Content(""))
        self._line: Optional[tuple[int, Strip]] = None

    def show(self, v: View, side_name: str, begins: dt.datetime) -> None:
        parts = (Content.styled(side_name, "bold"), Content.styled(clock(v.at), "bold $accent"),
                 day_strip(begins, v.days, v.day), badge(v.provenance))
        if any(not new.is_same(old) for new, old in zip(parts, self._parts)):
            self._parts = parts
            self._line = None
            self.refresh()

    def _content(self, width: int) -> Content:
        """Who (from `WIDE` columns), the clock, the days centred in what is left, the badge."""
        who, time, days, kind = self._parts
        left = (Content(" ") + who + " " if width >= WIDE and who.plain else Content("")) + " " + time + " "
        room = max(0, width - left.cell_length - BADGE_CELLS)
        if days.cell_length > room:
            days = days.truncate(max(0, room - 1), ellipsis=True)
        before = (room - days.cell_length) // 2
        middle = Content(" " * before) + days + " " * (room - before - days.cell_length)
        right = Content(" " * max(0, BADGE_CELLS - 1 - kind.cell_length)) + kind + " "
        return left + middle + right

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._line = None

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if self._line is None or self._line[0] != width:
            self._line = (width, strip(self, self._content(width), self.visual_style, width))
        return self._line[1] if y == 0 else Strip.blank(width, self.visual_style.rich_style)
