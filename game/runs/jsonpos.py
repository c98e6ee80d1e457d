"""Where a value sits in JSON text, so an error in a run file points at its line and column.

`json.loads` gives positions only for syntax errors; a run that parses but fails validation
(a step with a bad date, an unknown key) is located here by walking the text along the
error's path. The walk skips values without recursion, so no nesting depth can break it.
"""

from __future__ import annotations

import json.decoder
from typing import Callable, Sequence, Union

scanstring: Callable[[str, int], tuple[str, int]] = getattr(json.decoder, "scanstring")
"""The JSON decoder's own string scanner (C where available; its stubs do not export it): given
the offset just after an opening quote, (the string, the offset just after its closing quote)."""

_SPACE = " \t\n\r"
_END_OF_SCALAR = ",]}" + _SPACE


def line_col(text: str, offset: int) -> tuple[int, int]:
    """(line, column), both from 1, of the character at `offset`."""
    offset = max(0, min(len(text), offset))
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


def end_of(text: str) -> tuple[int, int]:
    """(line, column) just after the last character that is not white space: where a cut-off file stops."""
    return line_col(text, len(text.rstrip()))


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in _SPACE:
        pos += 1
    return pos


def _skip_value(text: str, pos: int) -> int:
    """The offset just past the value starting at `pos` (text already parsed as JSON)."""
    if pos >= len(text):
        return pos
    if text[pos] == '"':
        return scanstring(text, pos + 1)[1]
    if text[pos] not in "[{":
        while pos < len(text) and text[pos] not in _END_OF_SCALAR:
            pos += 1
        return pos
    depth = 0
    while pos < len(text):
        ch = text[pos]
        if ch == '"':
            pos = scanstring(text, pos + 1)[1]
            continue
        if ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
            if depth == 0:
                return pos + 1
        pos += 1
    return pos


def _member(text: str, pos: int, key: str) -> tuple[int, int] | None:
    """(offset of the key, offset of its value) in the object at `pos`, or None."""
    pos = _skip_space(text, pos + 1)
    while pos < len(text) and text[pos] == '"':
        name, after = scanstring(text, pos + 1)
        value = _skip_space(text, _skip_space(text, after) + 1)
        if name == key:
            return pos, value
        pos = _skip_space(text, _skip_value(text, value))
        if pos < len(text) and text[pos] == ",":
            pos = _skip_space(text, pos + 1)
    return None


def _item(text: str, pos: int, index: int) -> int | None:
    """The offset of item `index` of the list at `pos`, or None."""
    pos = _skip_space(text, pos + 1)
    for _ in range(index):
        if pos >= len(text) or text[pos] == "]":
            return None
        pos = _skip_space(text, _skip_value(text, pos))
        if pos < len(text) and text[pos] == ",":
            pos = _skip_space(text, pos + 1)
    return pos if pos < len(text) and text[pos] != "]" else None


def locate(text: str, path: Sequence[Union[str, int]]) -> tuple[int, int]:
    """(line, column) of the deepest part of `path` the text holds: a member's key, a list's item.

    A path that leaves the text (a missing key) stops at the last part found; an empty path, or
    one whose first part is missing, is the start of the document.
    """
    pos = _skip_space(text, 0)
    found = pos
    for part in path:
        if pos >= len(text):
            break
        if isinstance(part, str) and text[pos] == "{":
            member = _member(text, pos, part)
            if member is None:
                break
            found, pos = member
        elif isinstance(part, int) and not isinstance(part, bool) and text[pos] == "[":
            item = _item(text, pos, part)
            if item is None:
                break
            found = pos = item
        else:
            break
    return line_col(text, found)
