"""`boardroom check`: every problem in a story folder, like a compiler reports them.

Loading finds the errors (see `engine/load.py`); this module adds the lints that need the
whole compiled story, and prints the lot as `path:line:col: severity[CODE] message`.
The exit status is 1 on any error, and with `--strict` on any warning as well: a story in
progress is full of warnings, but the shipped one must have none.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Mapping, Optional

from game.commands.shared import story_path
from game.engine.diagnostics import Diagnostic

if TYPE_CHECKING:
    from game.engine.lint import LintCache
    from game.engine.load import Compiled, ParseCache


def check(root: str | Path, overlay: Optional[Mapping[Path, str]] = None,
          cache: Optional[ParseCache] = None, lints: Optional[LintCache] = None) -> list[Diagnostic]:
    """Every diagnostic for the story in `root`: load errors, then lint warnings. An editor
    passes its unsaved buffers as `overlay` and keeps a `cache` of parsed files and `lints`
    of the last warnings between calls."""
    return check_compiled(root, overlay, cache, lints)[0]


def check_compiled(root: str | Path, overlay: Optional[Mapping[Path, str]] = None,
                   cache: Optional[ParseCache] = None,
                   lints: Optional[LintCache] = None) -> tuple[list[Diagnostic], "Compiled"]:
    """`check`, with the compile it ran: the editor also needs the story and the files' texts."""
    from game.engine.lint import lint
    from game.engine.load import compile_files

    compiled = compile_files(root, overlay, cache)
    diagnostics = compiled.diagnostics
    if compiled.story is not None:
        diagnostics = diagnostics + lint(compiled.story, compiled.texts, lints)
    return sorted(diagnostics, key=lambda d: (d.path, d.line, d.col, d.code)), compiled


def main(args: argparse.Namespace) -> int:
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
