"""A scene's choice as the page draws it: its number, then its text wrapped beside the number.

Locked choices stay in the list, dimmed, with the reason the engine gives, so the player sees
what a different path would have opened. The word "locked" carries the meaning as well as the
dimming, for NO_COLOR terminals. Prompts are literal `Content` (never markup), the number in
a column of its own, so long choices wrap under their own first word.
"""

from __future__ import annotations

from typing import Sequence

from textual.content import Content

from game.engine import ChoiceView

KEY_CELLS = 2
"""The number's column: right-aligned, so 1-9 line up."""
GAP = 1


class Prompt:
    """A choice in lines: the number's column, a gap, the text, each line of a paragraph padded
    to the widest in its paragraph's style (a locked choice's reason in its own)."""

    def __init__(self, key: Content, rows: Sequence[tuple[Content, str]]) -> None:
        """`key`: the number, `KEY_CELLS` wide; `rows`: each paragraph, and a style for all of it
        (padding included, as the grid drew it) or "" for none."""
        self._key = key
        self._rows = tuple(rows)
        self._wrapped: tuple[int, list[tuple[Content, ...]]] = (-1, [])

    def lines(self, width: int) -> list[tuple[Content, ...]]:
        """Each line at `width` cells, in the pieces the grid drew it in: the number (or a blank),
        the gap and the text on a paragraph's first line, one blank then the text on the others."""
        if self._wrapped[0] == width:
            return self._wrapped[1]
        column = min(max((row.cell_length for row, _ in self._rows), default=0), max(1, width - KEY_CELLS - GAP))
        lines: list[tuple[Content, ...]] = []
        for row, row_style in self._rows:
            for n, line in enumerate(row.wrap(column, overflow="ellipsis")):
                pad = " " * (column - line.cell_length)
                text = Content.styled(line.plain + pad, row_style) if row_style else line + pad
                if n:
                    lines.append((_BLANK_GAP, text))
                else:
                    lines.append((_BLANK if lines else self._key, _GAP, text))
        self._wrapped = (width, lines)
        return lines


_BLANK = Content(" " * KEY_CELLS)
_GAP = Content(" " * GAP)
_BLANK_GAP = Content(" " * (KEY_CELLS + GAP))


def choice_prompt(number: int, choice: ChoiceView, taken: bool = False) -> Prompt:
    """The number in its own column, so a long choice wraps under its text, not under its number."""
    key = f"{number if number <= 9 else '':>{KEY_CELLS}}"
    if not choice.available:
        reason = f"locked — {choice.reason or 'not open to you now'}"
        return Prompt(Content.styled(key, "dim"), [(Content(choice.text), "dim"), (Content(reason), "dim italic")])
    if taken:
        return Prompt(Content.styled(key, "bold reverse"), [(Content.assemble((choice.text, "bold"), ("  ◀ chosen", "bold")), "")])
    return Prompt(Content.styled(key, "bold"), [(Content(choice.text), "")])
