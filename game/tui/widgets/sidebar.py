"""The sidebar: the story's variables as meters, and the scale as a balance.

Each meter shows how the last choice moved it (▲2, ▼1), so a player sees what a choice did
without reading numbers. Meters take their labels, ranges and display kinds from the story.
"""

from __future__ import annotations

from typing import Mapping, Optional, Sequence

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from game.engine import Meter
from game.format import scale_words
from game.tui.widgets.balance import Balance


def meter_bar(value: int, low: int, high: int, cells: int) -> str:
    span = (high - low) or 1
    filled = round((value - low) / span * cells)
    filled = max(0, min(cells, filled))
    return "█" * filled + "░" * (cells - filled)


def delta_mark(now: object, before: object) -> tuple[str, str]:
    """A short mark for how a value moved since the last step, and its style."""
    if before is None or now == before:
        return "", ""
    if isinstance(now, bool) or isinstance(before, bool):
        return " (new)" if now else " (undone)", "bold $accent"
    diff = int(now) - int(before)  # type: ignore[call-overload]
    return (f" ▲{diff}", "bold $success") if diff > 0 else (f" ▼{-diff}", "bold $error")


def meters_content(meters: Sequence[Meter], before: Mapping[str, object]) -> Content:
    lines: list[Content] = []
    for m in meters:
        if m.display == "scale":
            continue
        mark, mark_style = delta_mark(m.value, before.get(m.name))
        if m.display == "bool":
            lines.append(Content.assemble((m.label, "bold"), "  ", ("yes" if m.value else "no", "$accent"),
                                          (mark, mark_style)))
            continue
        lines.append(Content.assemble((m.label, "bold"), (mark, mark_style)))
        span = m.max - m.min
        bar = meter_bar(int(m.value), m.min, m.max, span if 4 <= span <= 16 else 12)
        lines.append(Content.assemble((bar, "$primary"), f" {m.value:>2}"))
    return Content("\n").join(lines)


class Sidebar(VerticalScroll, can_focus=False):
    """Meters above, the balance below; call `show(meters)` after every step."""

    def compose(self) -> ComposeResult:
        yield Static(Content.styled("WHERE YOU STAND", "bold $foreground-muted"), classes="sidebar-heading")
        yield Static(id="meters", markup=False)
        yield Static(Content.styled("THE SCALE", "bold $foreground-muted"), id="scale-heading", classes="sidebar-heading")
        yield Balance(id="balance")
        yield Static(id="scale-words", markup=False)

    def show(self, meters: Sequence[Meter], before: Optional[Sequence[Meter]] = None) -> None:
        previous = {m.name: m.value for m in before} if before else {}
        self.query_one("#meters", Static).update(meters_content(meters, previous))
        scale = next((m for m in meters if m.display == "scale"), None)
        for node in ("#scale-heading", "#balance", "#scale-words"):
            self.query_one(node).display = scale is not None
        if scale is None:
            return
        mark, mark_style = delta_mark(scale.value, previous.get(scale.name))
        self.query_one("#scale-heading", Static).update(
            Content.assemble((scale.label.upper(), "bold $foreground-muted"), (mark, mark_style)))
        self.query_one(Balance).set(int(scale.value), scale.min, scale.max, scale.label)
        words = scale_words(int(scale.value), scale.min, scale.max, scale.words)
        self.query_one("#scale-words", Static).update(
            Content.assemble(words[0].upper() + words[1:], (f" {scale.value}/{scale.max}", "$foreground-muted")))
