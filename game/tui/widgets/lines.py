"""A line of `Content` as a `Strip`, for the widgets that draw their own lines.

The page, the title card and the top bar draw what they show line by line (`render_line`)
instead of through Static's wrapping and layout. They turn each line into terminal segments the
same way: rendered over the widget's own style, theme variables (`$accent`) resolved by the
widget, and cut or padded to the cells it has. The text is never read as markup.
"""

from __future__ import annotations

from rich.segment import Segment
from textual.content import Content
from textual.strip import Strip
from textual.style import Style
from textual.widget import Widget


def segments(widget: Widget, content: Content, style: Style) -> list[Segment]:
    """`content` over `style`, as `widget` resolves the styles it names."""
    return [Segment(text, part.rich_style)
            for text, part in content.render(style, end="", parse_style=widget._get_style)]


def strip(widget: Widget, content: Content, style: Style, width: int) -> Strip:
    """`content` over `style`, exactly `width` cells: cut, or padded in `style`."""
    return Strip(segments(widget, content, style)).adjust_cell_length(width, style.rich_style)
