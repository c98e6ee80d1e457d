"""The bar above the story: who you are, the in-game clock, the days, and the scene's provenance.

The day strip names each day of the story's window and marks today, so the player always
knows where they are in the week; the badge says whether the scene is documented, reported
or invented, and `s` opens its sources.
"""

from __future__ import annotations

import datetime as dt

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Static

from game.engine import View
from game.format import PROVENANCE, clock
from game.tui.widgets.quiet import Words, show

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


class TopBar(Horizontal):
    def compose(self) -> ComposeResult:
        yield Words(id="who", markup=False)
        yield Words(id="clock", markup=False)
        yield Words(id="days", markup=False)
        yield Words(id="badge", markup=False)

    def show(self, v: View, side_name: str, begins: dt.datetime) -> None:
        show(self.query_one("#who", Static), Content.styled(side_name, "bold"))
        show(self.query_one("#clock", Static), Content.styled(clock(v.at), "bold $accent"))
        show(self.query_one("#days", Static), day_strip(begins, v.days, v.day))
        show(self.query_one("#badge", Static), badge(v.provenance))
