"""The scene's choices: numbered, picked with number keys or arrows and Enter.

Locked choices stay in the list, dimmed and disabled, with the reason the engine gives, so
the player sees what a different path would have opened. The word "locked" carries the
meaning as well as the dimming, for NO_COLOR terminals. Prompts are Rich `Text` in a grid:
literal text (never markup), with long choices wrapping under their own first word.
"""

from __future__ import annotations

from typing import Optional, Sequence

from rich.table import Table
from rich.text import Text
from textual.css.styles import RulesMap
from textual.visual import RichVisual
from textual.widget import Widget
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from game.engine import ChoiceView


def choice_prompt(number: int, choice: ChoiceView, taken: bool = False) -> Table:
    """The number in its own column, so a long choice wraps under its text, not under its number."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=2, justify="right", no_wrap=True)
    grid.add_column(ratio=1)
    key = str(number) if number <= 9 else ""
    if not choice.available:
        grid.add_row(Text(key, style="dim"), Text(choice.text, style="dim"))
        grid.add_row(Text(""), Text(f"locked — {choice.reason or 'not open to you now'}", style="dim italic"))
    elif taken:
        grid.add_row(Text(key, style="bold reverse"), Text.assemble((choice.text, "bold"), ("  ◀ chosen", "bold")))
    else:
        grid.add_row(Text(key, style="bold"), Text(choice.text))
    return grid


class Prompt(RichVisual):
    """A choice's grid, measured once per width.

    The option list asks each option's height twice per scene (to list the lines, then to
    lay itself out) before it draws it; each answer rendered the whole grid again.
    """

    def __init__(self, widget: Widget, grid: Table) -> None:
        super().__init__(widget, grid)
        self._heights: dict[int, int] = {}

    def get_height(self, rules: RulesMap, width: int) -> int:
        height = self._heights.get(width)
        if height is None:
            height = self._heights[width] = super().get_height(rules, width)
        return height


class ChoiceList(OptionList):
    """An OptionList of ChoiceViews; `choice_at(index)` maps back to the engine's choice."""

    def __init__(self, *, id: str | None = None, classes: str | None = None, interactive: bool = True):
        super().__init__(id=id, classes=classes, markup=False)
        self.can_focus = interactive  # a replay shows the choices but takes no keys
        self.choices: tuple[ChoiceView, ...] = ()

    def set_choices(self, choices: Sequence[ChoiceView], taken: Optional[str] = None) -> None:
        self.choices = tuple(choices)
        self.clear_options()
        self.add_options(
            Option(Prompt(self, choice_prompt(i, c, c.id == taken)), id=f"choice-{i}",
                   disabled=not c.available and c.id != taken)
            for i, c in enumerate(self.choices, 1)
        )
        first = next((i for i, c in enumerate(self.choices) if c.id == taken), None)
        if first is None:
            first = next((i for i, c in enumerate(self.choices) if c.available), None)
        self.highlighted = first

    def choice_at(self, index: int) -> Optional[ChoiceView]:
        return self.choices[index] if 0 <= index < len(self.choices) else None
