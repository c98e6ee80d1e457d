"""The scene's choices: numbered, picked with number keys or arrows and Enter.

Locked choices stay in the list, dimmed and disabled, with the reason the engine gives, so
the player sees what a different path would have opened. The word "locked" carries the
meaning as well as the dimming, for NO_COLOR terminals. Prompts are literal `Content` (never
markup), the number in a column of its own, so long choices wrap under their own first word.
"""

from __future__ import annotations

from typing import Optional, Sequence, cast

from textual.content import Content
from textual.css.styles import RulesMap
from textual.reactive import Reactive
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from game.engine import ChoiceView

KEY_CELLS = 2
"""The number's column: right-aligned, so 1-9 line up."""
GAP = 1


class Prompt(Visual):
    """A choice as the list shows it: its number, then its text wrapped beside the number.

    It draws what a two-column grid drew (the number's column, a gap, the text, each line of a
    row padded to the widest in its row's style), with the text wrapped once per width: the
    option list asks an option's height twice per scene before it draws it, and the grid
    rendered itself whole each time.
    """

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

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return KEY_CELLS + GAP + max((row.cell_length for row, _ in self._rows), default=0)

    def get_height(self, rules: RulesMap, width: int) -> int:
        return len(self.lines(width))

    def render_strips(self, width: int, height: Optional[int], style: Style, options: RenderOptions) -> list[Strip]:
        # segments as the grid gave them: no per-cell offsets (nothing in a choice is selectable)
        return [
            Strip([segment for piece in pieces for segment in piece.render_segments(style)])
            for pieces in self.lines(width)[:height]
        ]


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


class ChoiceList(OptionList):
    """An OptionList of ChoiceViews; `choice_at(index)` maps back to the engine's choice."""

    auto_links: Reactive[bool] = Reactive(False)
    """Choices hold no links: no pass styling them at each repaint."""

    def __init__(self, *, id: str | None = None, classes: str | None = None, interactive: bool = True):
        super().__init__(id=id, classes=classes, markup=False)
        self.can_focus = interactive  # a replay shows the choices but takes no keys
        self.choices: tuple[ChoiceView, ...] = ()

    def set_choices(self, choices: Sequence[ChoiceView], taken: Optional[str] = None) -> None:
        """Show `choices`, the first open one (or the one `taken`) highlighted.

        As many choices as lines as before (most scenes after most): the options keep their
        places and take the new prompts, a repaint with no layout. Otherwise `set_options` (not
        clearing first: an empty list in between changed the list's size twice, each a layout).
        No screen listens for which choice is highlighted, so `OptionHighlighted` (a message
        that walks up every container to the app) is not sent.
        """
        self.choices = tuple(choices)
        first = next((i for i, c in enumerate(self.choices) if c.id == taken), None)
        if first is None:
            first = next((i for i, c in enumerate(self.choices) if c.available), None)
        prompts = [(choice_prompt(i, c, c.id == taken), not c.available and c.id != taken)
                   for i, c in enumerate(self.choices, 1)]
        with self.prevent(OptionList.OptionHighlighted):
            if prompts and self._same_height([prompt for prompt, _ in prompts]):
                for index, (prompt, disabled) in enumerate(prompts):
                    self.replace_option_prompt_at_index(index, prompt)
                    if self.options[index].disabled != disabled:
                        (self.disable_option_at_index if disabled else self.enable_option_at_index)(index)
            elif prompts:
                self.set_options(Option(prompt, id=f"choice-{i}", disabled=disabled)
                                 for i, (prompt, disabled) in enumerate(prompts, 1))
            else:
                self.clear_options()  # `set_options([])` would not repaint the list
            self.highlighted = first

    def _same_height(self, prompts: Sequence[Prompt]) -> bool:
        """Whether `prompts` would take exactly the lines the options shown take now, at the
        width the list was laid out at (no scrollbar: its size then depends on more)."""
        # the width `OptionList.get_content_height` measures options at, in a layout
        width = self.content_region.width - self.get_component_styles("option-list--option").padding.width
        if width <= 0 or len(prompts) != self.option_count or self.show_vertical_scrollbar:
            return False
        if any(option._divider for option in self.options):
            return False
        rules = cast(RulesMap, self.styles)
        before: int = sum(self._get_visual(option).get_height(rules, width) for option in self.options)
        return before == sum(prompt.get_height(rules, width) for prompt in prompts)

    def choice_at(self, index: int) -> Optional[ChoiceView]:
        return self.choices[index] if 0 <= index < len(self.choices) else None
