"""Rich's memory of measured text, let go of when the scene changes.

Rich keeps the width of every string under 512 characters it measures (`rich.cells`'
`cached_cell_len`, up to 4,096 strings), and with each width the string itself. Wrapping a
scene measures its words and lines; the next scene's are new ones, so over a run the cache
fills with text no longer on screen: about 1 MiB at the end of a 30-choice run, the largest
single part of what a play-through adds to its peak memory after the first scene (the
`memory` row of `boardroom bench`). Measuring a string again is one pass over its
characters against Rich's table of one-cell characters, so forgetting between scenes costs a
scene's words once.
"""

from __future__ import annotations

import rich.cells

_cached = getattr(rich.cells, "cached_cell_len", None)


def forget_measured_text() -> None:
    """Empty Rich's cache of text widths (nothing, with a Rich that has no such cache)."""
    clear = getattr(_cached, "cache_clear", None)
    if clear is not None:
        clear()
