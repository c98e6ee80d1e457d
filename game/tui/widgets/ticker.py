"""The crisis so far in one line: the latest headlines, newest first.

Headlines come from the scenes the run has passed through (`headline` in the story). The
full timeline is a key away (`t`).
"""

from __future__ import annotations

import re
from typing import Sequence

from textual.content import Content
from textual.widgets import Static

from game.controller.session import Headline


_TIMED = re.compile(r"^~?\d{1,2}:\d{2}")


def stamp(h: Headline) -> str:
    """'Fri 12:30' before a headline, or just 'Fri' when the headline gives its own time."""
    return f"{h.at:%a}" if _TIMED.match(h.text) else f"{h.at:%a %H:%M}"


def ticker_content(headlines: Sequence[Headline]) -> Content:
    parts: list[Content | tuple[str, str] | str] = [(" NEWS ", "bold reverse"), " "]
    if not headlines:
        parts.append(("No headlines yet. The news breaks as the week unfolds.", "$foreground-muted"))
    for i, h in enumerate(reversed(headlines)):
        if i:
            parts.append(("  ◆  ", "$foreground-muted"))
        parts.append((f"{stamp(h)} ", "bold $accent" if i == 0 else "$foreground-muted"))
        parts.append((h.text, "" if i == 0 else "$foreground-muted"))
    return Content.assemble(*parts)


class Ticker(Static):
    DEFAULT_CSS = """
    Ticker { height: 1; text-wrap: nowrap; text-overflow: ellipsis; }
    """

    def __init__(self, *, id: str | None = None):
        super().__init__(id=id, markup=False)

    def show(self, headlines: Sequence[Headline]) -> None:
        self.update(ticker_content(headlines[-6:]))
