"""Warnings about a story that loads: things that play, but are probably mistakes.

Each lint has a stable code (W1xx) listed in the authoring guide.
"""

from __future__ import annotations

import re
from collections import deque

from game.engine.diagnostics import Diagnostic, SourceMap
from game.engine.story import Story

TODO = re.compile(r"\b(TODO|FIXME|XXX|TBD)\b")


def reachable_scenes(story: Story) -> set[str]:
    """Scenes some path of gotos reaches from some side's start, ignoring conditions."""
    seen: set[str] = set()
    queue = deque(s.start for s in story.sides.values() if s.start in story.scenes)
    while queue:
        sid = queue.popleft()
        if sid in seen:
            continue
        seen.add(sid)
        for c in story.scenes[sid].choices:
            if c.goto not in seen:
                queue.append(c.goto)
    return seen


def lint(story: Story) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    maps: dict[str, SourceMap] = {}

    def at(file: str, path: tuple) -> tuple[int, int]:
        if file not in maps:
            try:
                with open(file, encoding="utf-8") as fh:
                    maps[file] = SourceMap(fh.read())
            except OSError:
                return 1, 1
        return maps[file].locate(path)

    def warn(file: str, path: tuple, code: str, message: str) -> None:
        line, col = at(file, path)
        out.append(Diagnostic(file, line, col, "warning", code, message))

    reachable = reachable_scenes(story)
    for sid, scene in story.scenes.items():
        if sid not in reachable:
            warn(scene.file, ("scene", sid), "W101", f"scene {sid!r} cannot be reached from any side's start")
        if scene.provenance in ("documented", "reported") and not scene.sources:
            warn(scene.file, ("scene", sid, "provenance"), "W104",
                 f"scene {sid!r} is {scene.provenance} but cites no sources")
        for key, text in (("text", scene.text), ("title", scene.title), ("note", scene.note)):
            if TODO.search(text):
                warn(scene.file, ("scene", sid, key), "W106", f"scene {sid!r} still has {TODO.search(text).group(0)} text in its {key}")
        for i, c in enumerate(scene.choices):
            if TODO.search(c.text):
                warn(scene.file, ("scene", sid, "choice", i, "text"), "W106", f"choice {c.id!r} still has TODO text")
        if scene.ending is not None and sid not in reachable:
            warn(scene.file, ("scene", sid, "ending"), "W105", f"ending {sid!r} cannot be reached by any side")
        if scene.side in story.sides and all(c.condition is not None for c in scene.choices) and scene.choices:
            warn(scene.file, ("scene", sid, "choice", 0), "W107",
                 f"every choice in {sid!r} has a condition: a player may be left with none available "
                 "(run 'boardroom explore' to see whether one is)")

    used_vars: set[str] = set()
    used_sources: set[str] = set()
    for scene in story.scenes.values():
        used_sources.update(scene.sources)
        for c in scene.choices:
            used_vars.update(e.var for e in c.effects)
            if c.condition is not None:
                used_vars.update(c.condition.names)
    for name, var in story.vars.items():
        if name not in used_vars:
            warn(var.file, ("var", name), "W102", f"variable {name!r} is never changed or tested")
    for sid, source in story.sources.items():
        if sid not in used_sources:
            warn(source.file, ("source", sid), "W103", f"source {sid!r} is never cited")
    return out

