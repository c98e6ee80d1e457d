"""The safety-profit scale, drawn as a balance whose beam tips with the value.

The beam is drawn with three line heights per row (▔ ─ ▁), so it tilts in small steps
instead of jumping a whole row; the pans hang from its ends and move with them. Plain
characters only, so it reads the same in NO_COLOR and in a screenshot.
"""

from __future__ import annotations

import math

from textual.content import Content
from textual.reactive import Reactive
from textual.widget import Widget

HEIGHT = 7
_LEVELS = "▔─▁"


def split_label(label: str) -> tuple[str, str]:
    """'Safety ⟷ Profit' -> ('Safety', 'Profit'): the two pans are named by the variable's label."""
    for sep in ("⟷", "<->", "↔", " vs ", "/", "-"):
        if sep in label:
            left, right = label.split(sep, 1)
            if left.strip() and right.strip():
                return left.strip(), right.strip()
    return "Less", "More"


def tilt(value: int, low: int, high: int) -> float:
    """-1.0 (all the way to the low side) .. 1.0 (all the way to the high side)."""
    mid = (low + high) / 2
    span = (high - low) / 2 or 1
    return max(-1.0, min(1.0, (value - mid) / span))


def draw(value: int, low: int, high: int, width: int, left: str = "SAFETY", right: str = "PROFIT") -> list[str]:
    """The balance as `HEIGHT` lines of `width` cells (width >= 13).

    The heavier side is the one the value leans to: a high value pulls the right pan down.
    """
    width = max(13, width)
    beam = width - 4 if width % 2 else width - 5  # odd, so the pivot sits in the middle
    pad = (width - beam) // 2
    rows = [[" "] * width for _ in range(HEIGHT)]
    drop = tilt(value, low, high) * 4  # sub-rows each end moves from the middle
    half = (beam - 1) / 2
    ends: dict[int, int] = {}
    for i in range(beam):
        sub = max(0, min(8, 4 + math.floor(drop * (i - half) / half + 0.5)))
        row, level = divmod(sub, 3)
        rows[row][pad + i] = _LEVELS[level]
        if i in (0, beam - 1):
            ends[pad + i] = row
    centre = pad + int(half)
    rows[2][centre] = "▲"
    rows[3][centre] = "┃"
    rows[4][centre] = "┃"
    for i, ch in enumerate("━━┻━━"):
        rows[5][centre - 2 + i] = ch
    for x, row in ends.items():
        rows[row + 1][x] = "│"
        rows[row + 2][x] = "│"
        for i, ch in enumerate("╰───╯"):
            if 0 <= x - 2 + i < width:
                rows[row + 3][x - 2 + i] = ch
    left, right = left[: width // 2 - 1], right[: width // 2 - 1]
    rows[6] = list(left + " " * (width - len(left) - len(right)) + right)
    return ["".join(r) for r in rows]


class Balance(Widget):
    """The scale widget: give it a value and range; it redraws to its own width."""

    DEFAULT_CSS = """
    Balance { height: 7; width: 1fr; }
    """

    auto_links: Reactive[bool] = Reactive(False)
    """No links in the drawing: no pass styling them at each repaint."""

    def __init__(self, label: str = "Safety ⟷ Profit", *, id: str | None = None, classes: str | None = None):
        super().__init__(id=id, classes=classes)
        self.left, self.right = (s.upper() for s in split_label(label))
        self.value, self.low, self.high = 5, 0, 10

    def set(self, value: int, low: int, high: int, label: str | None = None) -> None:
        """Redraw, only if something drawn changed (a repaint per choice for nothing adds up)."""
        left, right = (s.upper() for s in split_label(label)) if label is not None else (self.left, self.right)
        if (value, low, high, left, right) != (self.value, self.low, self.high, self.left, self.right):
            self.value, self.low, self.high, self.left, self.right = value, low, high, left, right
            self.refresh()

    def render(self) -> Content:
        width = self.content_size.width or 25
        lines = draw(self.value, self.low, self.high, width, self.left, self.right)
        t = tilt(self.value, self.low, self.high)
        content = Content("\n".join(lines))
        # colour only what colour adds to: the heavier pan's label and the beam; shapes carry the meaning
        beam_style = "$warning" if t > 0.1 else "$success" if t < -0.1 else "$foreground"
        spans_end = sum(len(line) + 1 for line in lines[:3])
        content = content.stylize(f"bold {beam_style}", 0, spans_end)
        label_start = sum(len(line) + 1 for line in lines[:6])
        left_len = len(self.left[: width // 2 - 1])
        right_len = len(self.right[: width // 2 - 1])
        content = content.stylize("bold $success" if t < -0.1 else "$foreground-muted", label_start, label_start + left_len)
        end = label_start + len(lines[6])
        content = content.stylize("bold $warning" if t > 0.1 else "$foreground-muted", end - right_len, end)
        return content
