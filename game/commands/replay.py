"""`boardroom replay`: print a run as a transcript, verify runs against the story, write golden runs.

    boardroom replay FILE                         the transcript, as text
    boardroom replay FILE --format markdown -o F  the transcript as a Markdown page
    boardroom replay --verify FILE|DIR            one line per run; exit 1 if any stopped fitting
    boardroom replay --write-golden DIR           each side's documented path as DIR/<side>.json

Exit codes follow `game.commands.shared`: 0 fine, 1 a run or the story has problems, 2 unreadable input.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Optional

from game.commands.shared import load_or_report
from game.engine import Story
from game.engine.safe_text import shown
from game.runs import (
    RunError,
    RunFile,
    Unplayable,
    golden_run,
    read_run,
    same_content,
    verify,
    write_run,
)


def _error(message: str) -> None:
    print(f"boardroom: error: {message}", file=sys.stderr)


def _run_error(exc: RunError) -> None:
    """A run file that cannot be read, located as `boardroom check` locates a story's errors."""
    print(exc.located(), file=sys.stderr)


def _load(story_dir: str) -> Optional[Story]:
    """The story, or None after printing its errors the way `boardroom check` does."""
    return load_or_report(story_dir, "boardroom replay")


def main(args: argparse.Namespace) -> int:
    path = Path(args.path)
    if getattr(args, "write_golden", False):
        return write_golden(args.story, path)
    if args.verify:
        return verify_main(args.story, path)
    return show(args.story, path, args.format, args.output)


# ----------------------------------------------------------------------------- transcript


def show(story_dir: str, path: Path, fmt: str, output: Optional[str]) -> int:
    from game.transcript import transcript

    if path.is_dir():
        _error(f"{path}: is a folder; give one run file, or use --verify to check every run in it")
        return 2
    try:
        run = read_run(path)
    except RunError as exc:
        _run_error(exc)
        return 2
    story = _load(story_dir)
    if story is None:
        return 1
    try:
        text = transcript(story, run, fmt)
    except Unplayable as exc:
        _error(f"{path}: {exc}")
        return 1
    diverged = verify(story, run).divergence  # transcript() has already refused an unplayable run
    if diverged is not None:
        print(f"boardroom: warning: {path}: no longer fits the story at {diverged.line()}; "
              f"the transcript stops where it does", file=sys.stderr)
    if output:
        from game.confine import write_output

        try:
            write_output(output, text)
        except OSError as exc:
            _error(f"{output}: cannot write: {exc.strerror or exc}")
            return 2
        print(f"wrote {output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


# ----------------------------------------------------------------------------- verify


def run_files(folder: Path) -> list[Path]:
    """The run files a folder holds: every non-hidden `*.json`, in name order."""
    return sorted(p for p in folder.glob("*.json") if not p.name.startswith("."))


def verify_line(story: Story, path: Path, run: RunFile) -> tuple[bool, str]:
    """(fits, one line) for one run: does it still play, and reach the ending it reached?"""
    try:
        result = verify(story, run)
    except Unplayable as exc:
        return False, f"diverges    {shown(str(path))}: {exc.divergence.line()}"
    if result.divergence is not None:
        return False, f"diverges    {shown(str(path))}: {result.divergence.line()}"
    scene = story.scenes[result.state.scene]
    n = len(run.steps)
    where = (f"reaches “{scene.ending.title}” ({scene.id})" if scene.ending is not None
             else f"in progress at “{scene.title}” ({scene.id})")
    return True, f"ok          {shown(str(path))}: {run.side}, {n} step{'s' if n != 1 else ''}, {where}"


def verify_main(story_dir: str, path: Path) -> int:
    if path.is_dir():
        files = run_files(path)
        if not files:
            _error(f"{path}: no run files (*.json) to verify")
            return 2
    elif path.exists():
        files = [path]
    else:
        _error(f"{path}: no such file or folder")
        return 2
    runs: list[tuple[Path, Optional[RunFile], Optional[RunError]]] = []
    for p in files:
        try:
            runs.append((p, read_run(p), None))
        except RunError as exc:
            if len(files) == 1:
                _run_error(exc)
                return 2
            runs.append((p, None, exc))
    story = _load(story_dir)
    if story is None:
        return 1
    ok = diverged = unreadable = 0
    for p, run, err in runs:
        if run is None:
            assert err is not None
            unreadable += 1
            print(f"unreadable  {err.located()}")
            continue
        fits, line = verify_line(story, p, run)
        print(line)
        if fits:
            ok += 1
        else:
            diverged += 1
    total = len(runs)
    parts = [f"{ok} ok"] + ([f"{diverged} diverge{'s' if diverged == 1 else ''}"] if diverged else []) + (
        [f"{unreadable} unreadable"] if unreadable else [])
    print(f"{total} run{'s' if total != 1 else ''} against {story_dir}: {', '.join(parts)}", file=sys.stderr)
    if unreadable:
        return 2
    return 1 if diverged else 0


# ----------------------------------------------------------------------------- golden runs


def write_golden(story_dir: str, folder: Path) -> int:
    """Make `folder` hold exactly one golden run per documented side, rewriting only what changed."""
    story = _load(story_dir)
    if story is None:
        return 1
    if folder.exists() and not folder.is_dir():
        _error(f"{folder}: not a folder")
        return 2
    from game.confine import OutsideFolder, confined

    status = 0
    for side in story.sides:
        try:
            target = confined(folder, f"{side}.json")
        except OutsideFolder as exc:
            _error(str(exc))
            status = 1
            continue
        if side not in story.history:
            print(f"skipped     {target}: side {side!r} has no documented path ([history.{side}])", file=sys.stderr)
            continue
        try:
            run = golden_run(story, side)
        except RunError as exc:
            _error(str(exc))
            status = 1
            continue
        try:
            old: Optional[RunFile] = read_run(target) if target.exists() else None
        except RunError:
            old = None
        if old is not None and same_content(old, run):
            print(f"unchanged   {target}", file=sys.stderr)
            continue
        try:
            write_run(run, target)
        except RunError as exc:
            _error(str(exc))
            return 2
        print(f"wrote       {target}: {side}, {len(run.steps)} steps, ends at {run.ending}", file=sys.stderr)
    if folder.is_dir():
        for p in run_files(folder):
            try:
                old = read_run(p)
            except RunError:
                continue
            if old.story_id == story.id and p.stem == old.side and old.side not in story.history:
                p.unlink()
                print(f"removed     {p}: side {old.side!r} has no documented path any more", file=sys.stderr)
    return status
