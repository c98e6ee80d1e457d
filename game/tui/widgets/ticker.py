"""The crisis so far in one line: the latest headlines, newest first.

Headlines come from the scenes the run has passed through (`headline` in the story). The
line does not scroll: it is a line, cut with an ellipsis at the edge, and the full timeline
is a key away (`t`). Many headlines carry their own time ("12:30 PT — …", "Mon morning —
…"); that time replaces the scene's, so no headline says its time twice.
"""

from __future__ import annotations

from typing import Sequence

from textual.content import Content

from game.controller.session import Headline
from game.patterns import pattern
from game.tui.widgets.quiet import Words, show


_OWN_TIME = pattern(
    r"^(?:(?P<day>Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*\b(?:\s+(?P<part>morning|afternoon|evening|night))?"
    r"|(?P<time>~?\d{1,2}:\d{2})(?:\s*PT)?)\s*[—–-]\s+")


def news_when(h: Headline) -> tuple[str, str, str]:
    """(day, time, text): 'Fri', '12:30', 'OpenAI: Altman out' — the headline's own time when it
    gives one (then cut from its text), else its scene's; time may be '', '~22:00' or 'night'."""
    own = _OWN_TIME().match(h.text)
    if own is None:
        return f"{h.at:%a}", f"{h.at:%H:%M}", h.text
    rest = h.text[own.end():]
    if own.group("time"):
        return f"{h.at:%a}", own.group("time"), rest
    return own.group("day"), own.group("part") or "", rest


def stamp(h: Headline) -> str:
    """'Fri 12:30', 'Mon morning' or 'Tue': when a headline broke, said once."""
    day, time, _ = news_when(h)
    return f"{day} {time}".strip()


def ticker_content(headlines: Sequence[Headline]) -> Content:
    parts: list[Content | tuple[str, str] | str] = [(" NEWS ", "bold reverse"), " "]
    if not headlines:
        parts.append(("No headlines yet. The news breaks as the week unfolds.", "$foreground-muted"))
    for i, h in enumerate(reversed(headlines)):
        if i:
            parts.append(("  ◆  ", "$foreground-muted"))
        parts.append((f"{stamp(h)} ", "bold $accent" if i == 0 else "$foreground-muted"))
        parts.append((news_when(h)[2], "" if i == 0 else "$foreground-muted"))
    return Content.assemble(*parts)


class Ticker(Words):
    DEFAULT_CSS = """
    Ticker { height: 1; text-wrap: nowrap; text-overflow: ellipsis; }
    """

    def __init__(self, *, id: str | None = None):
        super().__init__(id=id, markup=False)

    def show(self, headlines: Sequence[Headline]) -> None:
        show(self, ticker_content(headlines[-6:]), layout=False)  # one line, as wide as the screen

    def render(self) -> Content:
        """The line cut a little past the width before Textual cuts it there with an ellipsis:
        the same cells, without styling a few hundred characters no screen shows."""
        content = self.content
        width = self.content_region.width
        if isinstance(content, Content) and width > 0 and content.cell_length > width + 2:
            return content.truncate(width + 2)
        return super().render()  # type: ignore[return-value]
