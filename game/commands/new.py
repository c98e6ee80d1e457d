"""`boardroom new branch NAME --from SCENE`: start a new branch in a file of its own.

The new file hooks a choice onto SCENE with an `[[extend."SCENE".choice]]` table — so the
file that defines SCENE is never edited — and holds a stub scene the choice leads to. The
stub's one choice rejoins the story where SCENE's first unconditional choice goes. It passes
`check` at once, with W106 warnings for its TODO text: the author's to-do list.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from pathlib import Path

from game.commands.check import check
from game.commands.shared import load_or_report
from game.engine.rules import did_you_mean
from game.engine.story import Scene, Story
from game.commands.schema import SCHEMA_NAME, schema_line

NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def fail(message: str, code: int = 2) -> int:
    print(f"boardroom new branch: error: {message}", file=sys.stderr)
    return code


def branch_ids(scene_id: str, name: str) -> str:
    """The new scene's id: the hooked scene's prefix with NAME as the last part."""
    prefix, _, _ = scene_id.rpartition(".")
    return f"{prefix}.{name}" if prefix else f"{scene_id}.{name}"


def soon_after(start: dt.datetime, end: dt.datetime) -> dt.datetime:
    """A time for the new scene: soon after `start` (an hour at most), before `end` when it can be."""
    step = dt.timedelta(hours=1)
    if end > start:
        step = min(step, (end - start) / 2)
    if step < dt.timedelta(minutes=1):
        step = dt.timedelta(minutes=1)
    return (start + step).replace(second=0, microsecond=0)


def toml_time(at: dt.datetime) -> str:
    return at.isoformat(timespec="seconds")


def branch_text(story: Story, source: Scene, name: str, new_id: str, rejoin: Scene, file: Path, schema: Path) -> str:
    at = soon_after(source.at, rejoin.at)
    return f'''{schema_line(file, schema)}
# Branch '{name}': a new choice in '{source.id}' and the scene it leads to.
# Made by 'boardroom new branch'. Replace every TODO, then run 'boardroom check'.
# Every key is explained in story/README.md.

# The new choice. It is added after the scene's own choices; 'extend' hooks onto a scene
# that another file defines ({source.file}), so that file stays as it is.
[[extend."{source.id}".choice]]
id = "{name}"
text = "TODO: what the player picks, in a few words"
goto = "{new_id}"
# if = "loyalty >= 5"      # optional: the choice is locked unless this holds
# locked = "..."           # optional: the reason a player sees while it is locked
# add = {{ loyalty = 1 }}    # optional: effects, checked against the [var.*] tables

[scene."{new_id}"]
side = "{source.side}"
at = {toml_time(at)}
title = "TODO: the scene's title"
provenance = "counterfactual"   # documented and reported scenes also need sources = ["..."]
text = """
TODO: the scene, in the second person and the present tense.

A blank line starts a new paragraph."""

# Where the branch goes next: for now it rejoins the story where '{source.id}' leads.
[[scene."{new_id}".choice]]
id = "continue"
text = "TODO: what the player does next"
goto = "{rejoin.id}"
'''


def main(args: argparse.Namespace) -> int:
    name: str = args.name
    if not NAME.match(name):
        return fail(f"branch name {name!r} must be lower-case letters, digits and hyphens, like 'call-chesky'")
    root = Path(args.story)
    story = load_or_report(root, "boardroom new branch")
    if story is None:
        return 1
    source = story.scenes.get(args.from_scene)
    if source is None:
        return fail(f"no scene {args.from_scene!r} in {str(root)!r}{did_you_mean(args.from_scene, story.scenes)}")
    if source.ending is not None:
        return fail(f"{source.id!r} is an ending and an ending has no choices; hook the branch onto a scene before it")
    if source.choice(name) is not None:
        return fail(f"scene {source.id!r} already has a choice {name!r}; pick another NAME")
    new_id = branch_ids(source.id, name)
    if new_id in story.scenes:
        return fail(f"scene {new_id!r} already exists; pick another NAME")
    # rejoin where a player is always free to go: the first choice without a condition
    open_choices = [c for c in source.choices if c.condition is None] or list(source.choices)
    rejoin = story.scenes[open_choices[0].goto]
    from game.confine import OutsideFolder, confined

    try:
        confined(root, f"{source.side}/branch-{name}.toml")
    except OutsideFolder as exc:
        return fail(str(exc), 1)
    folder = root / source.side
    path = folder / f"branch-{name}.toml"
    if path.exists() or path.is_symlink():
        return fail(f"{path} already exists; pick another NAME or edit that file")

    text = branch_text(story, source, name, new_id, rejoin, path, root / SCHEMA_NAME)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8") as fh:
            fh.write(text)
    except OSError as exc:
        return fail(f"cannot write {path}: {exc.strerror or exc}", 1)

    found = check(str(root))
    errors = [d for d in found if d.severity == "error"]
    if errors:  # the template is meant to be clean; say so loudly if the story makes it not
        for d in errors:
            print(d.format(), file=sys.stderr)
        return fail(f"{path} was written but the story now has errors (above)", 1)
    mine = [d for d in found if Path(d.path).resolve() == path.resolve()]
    side = source.side
    print(f"created {path}")
    print(f"  a choice {name!r} at the end of {source.id!r}, leading to")
    print(f"  a new scene {new_id!r}, which rejoins the story at {rejoin.id!r}")
    print()
    print(f"'boardroom check' now lists {len(mine)} TODO{'s' if len(mine) != 1 else ''} in it:")
    for d in mine:
        print(f"  {d.format()}")
    print()
    story_arg = "" if str(args.story) == "story" else f" --story {root}"
    steps = [
        (f"edit {path}", "write the scene and the choice"),
        (f"boardroom check{story_arg}", "every problem, each with its line"),
        (f"boardroom explore{story_arg} --side {side}", "endings, coverage and soft locks"),
        (f"boardroom graph{story_arg} --side {side}", "the map, with your branch in it"),
        (f"boardroom play{story_arg} --watch --side {side}", "play it; the game reloads when you save"),
    ]
    width = max(len(c) for c, _ in steps)
    print("next:")
    for n, (command, why) in enumerate(steps, 1):
        print(f"  {n}. {command.ljust(width)}   {why}")
    return 0
