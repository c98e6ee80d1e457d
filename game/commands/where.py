"""`boardroom where`: every folder the game reads or writes, so a player can find a save or a
setting and an author can see which story a command will use."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from game import folders

SOURCES = {
    "option": "given with --story",
    "env": f"from ${folders.STORY_ENV}",
    "current": "found in the current folder",
    "shipped": "the one that came with the game",
}


def describe(path: Path, what: str) -> str:
    try:
        if not path.exists():
            return f"{what}; not created yet"
    except OSError:
        return what
    return what


def rows(args: argparse.Namespace) -> list[tuple[str, Path, str]]:
    story = Path(args.story)
    saves = Path(args.saves)
    out = [
        ("story", story, SOURCES.get(getattr(args, "story_source", ""), "")),
        ("saves", saves, describe(saves, "your runs" + _env_note(folders.SAVES_ENV, "--saves"))),
    ]
    legacy = folders.legacy_saves(saves)
    if legacy is not None:
        out.append(("old saves", legacy, "runs from the clone's saves/; playing copies them into saves"))
    config = folders.config_dir()
    out.append(("settings", config, describe(config, "settings and the endings found"
                                             + _env_note(folders.CONFIG_ENV))))
    cache = folders.cache_dir()
    out.append(("cache", cache, describe(cache, "safe to delete" + _env_note(folders.CACHE_ENV))))
    return out


def _env_note(env: str, option: str = "") -> str:
    where = f"{option} or ${env}" if option else f"${env}"
    return f" (change with {where})"


def main(args: argparse.Namespace) -> int:
    table = rows(args)
    width = max(len(name) for name, _, _ in table)
    for name, path, what in table:
        print(f"{name.ljust(width)}  {os.path.abspath(path)}")
        if what:
            print(f"{' ' * width}  {what}")
    return 0
