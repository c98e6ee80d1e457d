"""`boardroom bench`: the performance budgets, measured and printed as a table.

Shared two-core machines are noisy, so a figure is compared, wherever a baseline makes sense,
with that baseline measured in the same run, in alternating order, as medians over several
runs. The command is a report, not a test: it exits 0 even when a budget is missed (the row
says OVER), and 1 only when something could not be measured at all.

    boardroom bench                  # everything, in about a minute
    boardroom bench --quick          # fewer runs and smaller inputs: a smoke test
    boardroom bench --only loading   # one measurement (repeatable)
    boardroom bench --markdown t.md  # also the table as Markdown, for the README
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable, Iterator

from game.bench.app import bench_memory, bench_respond
from game.bench.engine import bench_explore, bench_loading, bench_replay
from game.bench.plan import Plan
from game.atomic import write_atomic
from game.bench.report import Row, header_lines, markdown_lines, row_lines
from game.bench.startup import bench_startup

BENCHES: dict[str, Callable[[Plan, Path, Path], Iterator[Row]]] = {
    "startup": bench_startup,
    "loading": bench_loading,
    "explore": bench_explore,
    "replay": bench_replay,
    "respond": bench_respond,
    "memory": bench_memory,
}
MEASUREMENTS = tuple(BENCHES)


def main(args: argparse.Namespace) -> int:
    only: list[str] = list(getattr(args, "only", None) or [])
    unknown = [name for name in only if name not in BENCHES]
    if unknown:
        print(f"boardroom bench: error: no measurement called {unknown[0]!r} (choose from {', '.join(MEASUREMENTS)})",
              file=sys.stderr)
        return 2
    story = Path(args.story)
    if not story.is_dir():
        print(f"boardroom bench: error: story folder {str(story)!r} not found", file=sys.stderr)
        return 2
    markdown = Path(args.markdown) if getattr(args, "markdown", None) else None
    if markdown is not None and (markdown.is_dir() or not markdown.parent.is_dir()):
        what = "is a folder" if markdown.is_dir() else "is in a folder that does not exist"
        print(f"boardroom bench: error: --markdown {str(markdown)!r} {what}", file=sys.stderr)
        return 2
    plan = Plan.make(bool(getattr(args, "quick", False)))
    names = [name for name in MEASUREMENTS if not only or name in only]
    return run(plan, story, names, markdown)


def run(plan: Plan, story: Path, names: list[str], markdown: Path | None = None) -> int:
    """Measure `names` in order and print each row as soon as it is known."""
    out = sys.stdout
    out.write(f"boardroom bench{' --quick' if plan.quick else ''}: Python {platform.python_version()}, "
              f"{os.cpu_count()} CPUs, {_versions()}{_load('at the start')}\n"
              "figures are medians; ratios compare with a baseline measured in the same run, alternating\n\n")
    for line in header_lines():
        out.write(line + "\n")
    out.flush()
    rows: list[Row] = []
    began = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="boardroom-bench-") as tmp:
        for name in names:
            try:
                for row in BENCHES[name](plan, story, Path(tmp)):
                    _show(row, rows)
            except Exception as exc:  # one measurement that cannot run must not hide the others
                message = " ".join(str(exc).split()) or type(exc).__name__
                _show(Row(f"{name}: could not measure", "—", failed=True, notes=[message[:500]]), rows)
    over = [r.name for r in rows if r.ok is False and not r.failed]
    failed = [r.name for r in rows if r.failed]
    verdict = "every budget met" if not over and not failed else "; ".join(
        part for part in (f"OVER budget: {', '.join(over)}" if over else "",
                          f"could not measure: {', '.join(failed)}" if failed else "") if part)
    out.write(f"\n{verdict} ({time.perf_counter() - began:.0f} s{_load('at the end')})\n")
    if markdown is not None:
        try:
            write_atomic(markdown, ("\n".join(markdown_lines(rows)) + "\n").encode("utf-8"), make_folder=False)
        except OSError as exc:
            print(f"boardroom bench: error: cannot write {str(markdown)!r}: {exc.strerror or exc}", file=sys.stderr)
            return 1
        out.write(f"Markdown table written to {markdown}\n")
    return 1 if failed else 0


def _show(row: Row, rows: list[Row]) -> None:
    rows.append(row)
    for line in row_lines(row):
        sys.stdout.write(line + "\n")
    sys.stdout.flush()


def _load(when: str) -> str:
    """The machine's load average over the last minute, where the system tells it: the rows
    timed in milliseconds (a key's answer) move with what else runs, the ratios much less."""
    getloadavg = getattr(os, "getloadavg", None)
    if getloadavg is None:
        return ""
    try:
        return f"; load average {getloadavg()[0]:.2f} {when}"
    except OSError:
        return ""


def _versions() -> str:
    from importlib.metadata import PackageNotFoundError, version

    parts = []
    for dist in ("textual", "pydantic", "tomli"):
        try:
            parts.append(f"{dist} {version(dist)}")
        except PackageNotFoundError:
            pass
    return ", ".join(parts)
