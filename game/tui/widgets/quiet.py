"""Updating a widget only when what it shows changes, and laying it out only when its size may.

Every `Static.update` costs a layout and a repaint of that widget, even with the same words.
A new scene changes a few of the dozen lines around the text (the clock, a meter or two); the
rest (who you are, the day strip, most meters) stay as they were, and skipping them keeps a
choice to one small layout and repaint. Of those that change, most keep their size (the clock,
a meter's two lines): they are repainted without a layout, so the bar or the sidebar they sit
in keeps the arrangement Textual worked out for it.
"""

from __future__ import annotations

from typing import Optional

from rich.cells import cell_len
from textual.content import Content
from textual.reactive import Reactive
from textual.widget import Widget
from textual.widgets import Static


class Words(Static):
    """A Static for the game's own words, which hold no links: Textual's pass that styles links
    (for the one under the mouse) is skipped every time it is drawn."""

    auto_links: Reactive[bool] = Reactive(False)


def _extent(content: Content) -> tuple[int, int]:
    """(widest line in cells, lines) of `content` before any wrapping."""
    lines = content.plain.split("\n")
    return max(cell_len(line) for line in lines), len(lines)


def sized_by_content(widget: Widget) -> tuple[bool, bool]:
    """Whether the widget's width, and its height, may follow its content. No size set fills
    the container; `auto` follows the content, and so may a fraction (Textual measures the
    content of `fr` widgets when it sizes a container to fit them)."""
    styles = widget.styles
    width, height = styles.width, styles.height
    return (width is not None and (width.is_auto or width.is_fraction),
            height is not None and (height.is_auto or height.is_fraction))


def same_size(widget: Widget, old: Content, new: Content) -> bool:
    """Whether `widget`, laid out showing `old`, would get the same size showing `new`.

    Only what is certain without wrapping counts: the widest line (for a widget as wide as its
    content) and the number of lines, when no line of either is wider than the widget. Anything
    else is left to Textual's layout."""
    width = widget.content_region.width
    if width <= 0 or not widget.is_mounted:
        return False  # not laid out yet: nothing to compare with
    auto_width, auto_height = sized_by_content(widget)
    if not (auto_width or auto_height):
        return True
    (old_wide, old_lines), (new_wide, new_lines) = _extent(old), _extent(new)
    if auto_width and old_wide != new_wide:
        return False
    if auto_height and (old_lines != new_lines or max(old_wide, new_wide) > width):
        return False
    return True


def show(widget: Static, content: Content, layout: bool = True) -> None:
    """`widget.update(content)` unless it already shows exactly that (words and styles), with a
    layout only if the new words may change its size.

    `layout=False` for a widget whose size its content cannot change (a fixed height and width)."""
    current = widget.content
    if isinstance(current, Content):
        if current.is_same(content):
            return
        if layout and same_size(widget, current, content):
            layout = False
    widget.update(content, layout=layout)


def set_tooltip(widget: Widget, tooltip: Optional[Content]) -> None:
    """Set a tooltip only when it changes: setting one makes the screen look at the mouse again."""
    current = widget.tooltip
    if isinstance(current, Content) and tooltip is not None and current.is_same(tooltip):
        return
    if current is None and tooltip is None:
        return
    widget.tooltip = tooltip
