"""The report's table, and the few statistics behind it.

Shared machines are noisy: a figure means something only next to a baseline measured in the
same run, in alternating order, and as a median.
"""

from __future__ import annotations

import gc
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional, Sequence


@dataclass
class Row:
    """One line of the report. `ok` is None for a figure that has no budget of its own."""

    name: str
    ours: str
    baseline: str = "—"
    ratio: str = "—"
    budget: str = "—"
    ok: Optional[bool] = None
    notes: list[str] = field(default_factory=list)
    failed: bool = False
    """The measurement could not be taken at all."""

    @property
    def verdict(self) -> str:
        if self.failed:
            return "ERROR"
        return "" if self.ok is None else "ok" if self.ok else "OVER"


COLUMNS = (("measurement", 46), ("ours", 12), ("baseline", 12), ("ratio", 6), ("budget", 16), ("verdict", 7))


def _line(cells: Sequence[str]) -> str:
    return "  ".join(cell.ljust(width) for (_, width), cell in zip(COLUMNS, cells)).rstrip()


def header_lines() -> list[str]:
    return [_line([name for name, _ in COLUMNS]), _line(["-" * width for _, width in COLUMNS])]


def row_lines(row: Row) -> list[str]:
    lines = [_line([row.name, row.ours, row.baseline, row.ratio, row.budget, row.verdict])]
    return lines + [f"    {note}" for note in row.notes]


def markdown_lines(rows: Sequence[Row]) -> list[str]:
    """The rows as a Markdown table, so the README's figures are pasted from a run, never typed."""
    def cell(text: str) -> str:
        return text.replace("|", "\\|")

    lines = ["| " + " | ".join(name for name, _ in COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    for row in rows:
        cells = [row.name, row.ours, row.baseline, row.ratio, row.budget, row.verdict or "—"]
        lines.append("| " + " | ".join(cell(c) for c in cells) + " |")
    return lines


def ms(seconds: float) -> str:
    if seconds < 0.01:
        return f"{seconds * 1000:.2f} ms"
    if seconds < 1:
        return f"{seconds * 1000:.1f} ms"
    return f"{seconds:.2f} s"


def mib(kib: float) -> str:
    return f"{kib / 1024:.1f} MiB"


def ratio_row(name: str, ours: float, base: float, limit: float, fmt: Callable[[float], str] = ms) -> Row:
    """A row comparing our median with the baseline's, against a budget of `limit` times it."""
    r = ours / base if base > 0 else float("inf")
    return Row(name, fmt(ours), fmt(base), f"{r:.2f}x", f"≤ {limit:g}x", r <= limit)


def median(samples: Sequence[float]) -> float:
    return statistics.median(samples)


def spread(samples: Sequence[float]) -> str:
    return f"{ms(min(samples))}..{ms(max(samples))}"


def times(n: int, what: str) -> str:
    """'1 file', '5 files', '3 presses'."""
    if n == 1:
        return f"{n:,} {what}"
    return f"{n:,} {what}es" if what.endswith("s") else f"{n:,} {what}s"


def alternate(a: Callable[[], float], b: Callable[[], float], runs: int) -> tuple[list[float], list[float]]:
    """Run `a` and `b` `runs` times each as A B B A A B ..., so drift in the machine's load
    falls on both alike. Each callable returns the figure it measured."""
    xs: list[float] = []
    ys: list[float] = []
    for i in range(runs):
        if i % 2 == 0:
            xs.append(a())
            ys.append(b())
        else:
            ys.append(b())
            xs.append(a())
    return xs, ys


def timed(fn: Callable[[], object]) -> float:
    """Seconds `fn` takes, starting from a collected heap so one run's garbage is not the next's."""
    gc.collect()
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def shown(path: Path) -> str:
    """A folder as the report names it: relative to the current folder when it is inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve())) + "/"
    except ValueError:
        return str(path)
