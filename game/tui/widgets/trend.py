"""A meter's course over a run, as a line of block characters (a sparkline).

Plain strings, so the sidebar, the ending screen and a test read the same thing. A run is
sampled to at most `cells` points, so drawing it costs the same at step 10 and at step 5,000.
"""

from __future__ import annotations

from typing import Sequence, TypeVar

BLOCKS = "▁▂▃▄▅▆▇█"

T = TypeVar("T")


def sample(items: Sequence[T], cells: int) -> list[T]:
    """At most `cells` items, evenly spread, always keeping the first and the last."""
    n = len(items)
    if n <= cells or cells < 2:
        return list(items[-cells:]) if cells > 0 else []
    return [items[round(i * (n - 1) / (cells - 1))] for i in range(cells)]


def window(values: Sequence[int], low: int, high: int) -> tuple[int, int]:
    """The part of `low..high` to draw: the values' own span, widened to eight steps where the
    range allows, so a move of one point is one block higher, never lost to rounding."""
    lo, hi = min(values), max(values)
    steps = len(BLOCKS) - 1
    if hi - lo >= steps:
        return lo, hi
    lo = max(low, min(lo, hi - steps))
    hi = min(high, max(hi, lo + steps))
    lo = max(low, min(lo, hi - steps))
    return lo, hi


def spark(values: Sequence[int], low: int, high: int) -> str:
    """One block per value, its height the value's place in the window drawn."""
    if not values:
        return ""
    lo, hi = window(values, low, high)
    span = (hi - lo) or 1
    top = len(BLOCKS) - 1
    return "".join(BLOCKS[max(0, min(top, round((v - lo) / span * top)))] for v in values)


def course(values: Sequence[int]) -> str:
    """'5 → 8 (+3)': where a meter started and where it is now."""
    if not values:
        return ""
    first, last = values[0], values[-1]
    diff = last - first
    return f"{first} → {last} ({diff:+d})" if diff else f"{first} → {last} (unchanged)"
