"""Updating a widget only when what it shows changes.

Every `Static.update` costs a layout and a repaint of that widget, even with the same words.
A new scene changes a few of the dozen lines around the text (the clock, a meter or two); the
rest (who you are, the day strip, most meters) stay as they were, and skipping them keeps a
choice to one small layout and repaint.
"""

from __future__ import annotations

from typing import Optional

from textual.content import Content
from textual.widget import Widget
from textual.widgets import Static


def show(widget: Static, content: Content, layout: bool = True) -> None:
    """`widget.update(content)` unless it already shows exactly that (words and styles).

    `layout=False` for a widget whose size its content cannot change (a fixed height and width)."""
    current = widget.content
    if isinstance(current, Content) and current.is_same(content):
        return
    widget.update(content, layout=layout)


def set_tooltip(widget: Widget, tooltip: Optional[Content]) -> None:
    """Set a tooltip only when it changes: setting one makes the screen look at the mouse again."""
    current = widget.tooltip
    if isinstance(current, Content) and tooltip is not None and current.is_same(tooltip):
        return
    if current is None and tooltip is None:
        return
    widget.tooltip = tooltip
