"""`boardroom test [FILES]`: run the story's test plans (`story/tests/*.toml` by default).

Each failure is one line, `path:line:col: error[T...] expected ..., got ...`; the exit
status is 1 on any failure, 0 when every test passes.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from game.commands.shared import error, load_or_report, story_path


def _shown(path: Path) -> str:
    """The plan's path as the author would type it: relative to here when it is below here."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def main(args: argparse.Namespace) -> int:
    from game.testplan import plan_files, run_plan

    root = story_path(args)
    story = load_or_report(root, "boardroom test")
    if story is None:
        return 1
    files = plan_files(root, args.files)
    if not files:
        error(f"no test plans: write them in {str(root / 'tests')!r} (see the authoring guide)", "boardroom test")
        return 1
    tests = failed = 0
    for path in files:
        if not path.is_file():
            error(f"no test plan {str(path)!r}", "boardroom test")
            return 2
        result = run_plan(story, path, _shown(path))
        tests += result.tests
        for d in result.failures:
            print(d.format())
        failed += len(result.failures)
    plans = f"{len(files)} plan{'s' if len(files) != 1 else ''}"
    if failed:
        print(f"{failed} failure{'s' if failed != 1 else ''} in {tests} test{'s' if tests != 1 else ''} ({plans})",
              file=sys.stderr)
        return 1
    print(f"{tests} test{'s' if tests != 1 else ''} passed ({plans})")
    return 0
