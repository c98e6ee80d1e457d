"""`boardroom check`: every problem in a story folder, like a compiler reports them.

Loading finds the errors (see `engine/load.py`); this module adds the lints that need the
whole compiled story, and prints the lot as `path:line:col: severity[CODE] message`.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Mapping, Optional

from game.engine.diagnostics import Diagnostic
from game.engine.story import Story

if TYPE_CHECKING:
    from game.engine.load import ParseCache

SHOWN_ERRORS = 10


def check(root: str | Path, overlay: Optional[Mapping[Path, str]] = None,
          cache: Optional[ParseCache] = None) -> list[Diagnostic]:
    """Every diagnostic for the story in `root`: load errors, then lint warnings. An editor
    passes its unsaved buffers as `overlay` and keeps a `cache` of parsed files between calls."""
    from game.engine.lint import lint
    from game.engine.load import compile_files

    compiled = compile_files(root, overlay, cache)
    diagnostics = compiled.diagnostics
    if compiled.story is not None:
        diagnostics = diagnostics + lint(compiled.story, compiled.texts)
    return sorted(diagnostics, key=lambda d: (d.path, d.line, d.col, d.code))


def load_or_report(story_dir: str | Path, command: str = "boardroom", *, cached: bool = False) -> Optional[Story]:
    """The story, or None after printing its first errors and how to see them all.

    Every command that needs a story to run (play, explore, graph, replay, new) says the same
    thing the same way when the story is broken, and exits 1. Only playing passes `cached`:
    the story then comes from the compiled cache when its files are unchanged
    (`story_cache.py`); every other command validates from source.
    """
    if cached:
        from game.story_cache import load_story_cached

        story, diagnostics = load_story_cached(story_dir)
    else:
        from game.engine.load import compile_story

        story, diagnostics = compile_story(story_dir)
    if story is not None:
        return story
    errors = [d for d in diagnostics if d.severity == "error"]
    for d in errors[:SHOWN_ERRORS]:
        print(d.format(), file=sys.stderr)
    if len(errors) > SHOWN_ERRORS:
        print(f"... and {len(errors) - SHOWN_ERRORS} more", file=sys.stderr)
    print(f"{command}: error: the story in {str(story_dir)!r} has errors; fix them first "
          f"('boardroom check {story_dir}' lists them all)", file=sys.stderr)
    return None


def main(args: argparse.Namespace) -> int:
    from game.cli import story_path

    root = story_path(args)
    diagnostics = check(str(root))
    errors = sum(1 for d in diagnostics if d.severity == "error")
    warnings = len(diagnostics) - errors
    if args.format == "json":
        json.dump({"errors": errors, "warnings": warnings, "diagnostics": [d.as_dict() for d in diagnostics]},
                  sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        for d in diagnostics:
            print(d.format())
        if errors or warnings:
            strict = " (--strict: warnings fail the check)" if getattr(args, "strict", False) and warnings and not errors else ""
            print(f"{errors} error{'s' if errors != 1 else ''}, {warnings} warning{'s' if warnings != 1 else ''}"
                  f"{strict}", file=sys.stderr)
        else:
            print(f"{root}: story is clean", file=sys.stderr)
    return 1 if errors or (getattr(args, "strict", False) and warnings) else 0
