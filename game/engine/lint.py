"""Warnings about a story that loads: things that play, but are probably mistakes.

Errors (E-codes, in `load.py`) stop a story from loading; warnings (W-codes, here) do not,
because a story in progress is full of them. Every code is stable and listed, with an
example and a fix, in the authoring guide (`story/README.md`). The checks are static: they
follow every `goto` and ignore conditions, so they are fast enough to run on every save.
`boardroom explore` is the condition-aware counterpart.
"""

from __future__ import annotations

import re
from collections import deque
from typing import Iterable, Union

from game.engine.diagnostics import Diagnostic, SourceMap
from game.engine.story import Story

TODO = re.compile(r"\b(TODO|FIXME|XXX|TBD)\b")

Key = tuple[Union[str, int], ...]

# code -> one-line summary; the authoring guide explains each with an example and a fix
WARNINGS: dict[str, str] = {
    "W101": "scene cannot be reached from any side's start",
    "W102": "variable is never changed or tested",
    "W103": "source is never cited",
    "W104": "documented or reported scene cites no source",
    "W105": "ending cannot be reached by any side",
    "W106": "leftover TODO, FIXME, XXX or TBD text",
    "W107": "every choice in a scene has a condition",
    "W108": "no ending can be reached from a scene",
    "W109": "variable is tested but never changed",
}


def reachable_scenes(story: Story, starts: Iterable[str] | None = None) -> set[str]:
    """Scenes some path of gotos reaches from `starts` (every side's start), ignoring conditions."""
    if starts is None:
        starts = (s.start for s in story.sides.values())
    seen: set[str] = set()
    queue = deque(s for s in starts if s in story.scenes)
    while queue:
        sid = queue.popleft()
        if sid in seen:
            continue
        seen.add(sid)
        for c in story.scenes[sid].choices:
            if c.goto not in seen and c.goto in story.scenes:
                queue.append(c.goto)
    return seen


def scenes_reaching_an_ending(story: Story) -> set[str]:
    """Scenes from which some path of gotos leads to an ending, ignoring conditions."""
    incoming: dict[str, list[str]] = {}
    for sid, scene in story.scenes.items():
        for c in scene.choices:
            incoming.setdefault(c.goto, []).append(sid)
    found = set(story.endings)
    queue = deque(found)
    while queue:
        for source in incoming.get(queue.popleft(), ()):
            if source not in found:
                found.add(source)
                queue.append(source)
    return found


class _Warnings:
    """Collects warnings, finding each one's line only when there is one to report."""

    def __init__(self) -> None:
        self.items: list[Diagnostic] = []
        self.maps: dict[str, SourceMap] = {}

    def at(self, file: str, path: Key) -> tuple[int, int]:
        if file not in self.maps:
            try:
                with open(file, encoding="utf-8") as fh:
                    self.maps[file] = SourceMap(fh.read())
            except (OSError, UnicodeDecodeError):
                return 1, 1
        return self.maps[file].locate(path)

    def warn(self, file: str, path: Key, code: str, message: str) -> None:
        line, col = self.at(file, path)
        self.items.append(Diagnostic(file, line, col, "warning", code, message))


def _todo(w: _Warnings, file: str, path: Key, what: str, fields: dict[str, str]) -> None:
    for key, text in fields.items():
        m = TODO.search(text or "")
        if m:
            w.warn(file, path + (key,), "W106", f"{what} still has {m.group(0)} text in its {key}")


def lint(story: Story) -> list[Diagnostic]:
    """Every warning for a story that loaded, in no particular order."""
    w = _Warnings()
    reachable = reachable_scenes(story)
    to_ending = scenes_reaching_an_ending(story)

    for sid, side in story.sides.items():
        _todo(w, side.file, ("side", sid), f"side {sid!r}",
              {"name": side.name, "role": side.role, "blurb": side.blurb, "stakes": side.stakes})

    for sid, scene in story.scenes.items():
        path: Key = ("scene", sid)
        if sid not in reachable:
            if scene.ending is not None:
                w.warn(scene.file, path, "W105", f"ending {sid!r} cannot be reached by any side: no choice leads to it")
            else:
                w.warn(scene.file, path, "W101",
                       f"scene {sid!r} cannot be reached from any side's start: no choice leads to it")
        elif sid not in to_ending:
            w.warn(scene.file, path, "W108",
                   f"no ending can be reached from scene {sid!r}: every path from it loops back without ending")
        if scene.provenance in ("documented", "reported") and not scene.sources:
            w.warn(scene.file, path + ("provenance",), "W104",
                   f"scene {sid!r} is {scene.provenance} but cites no sources; add sources = [...] "
                   "or make it counterfactual")
        _todo(w, scene.file, path, f"scene {sid!r}",
              {"title": scene.title, "text": scene.text, "note": scene.note, "headline": scene.headline})
        if scene.ending is not None:
            e = scene.ending
            _todo(w, scene.file, path + ("ending",), f"ending {sid!r}",
                  {"title": e.title, "history": e.history, "critic": e.critic})
        for c in scene.choices:
            _todo(w, c.file or scene.file, c.key, f"choice {c.id!r} in {sid!r}", {"text": c.text, "locked": c.locked or ""})
        if scene.choices and all(c.condition is not None for c in scene.choices):
            first = scene.choices[0]
            w.warn(first.file or scene.file, first.key + ("if",), "W107",
                   f"every choice in {sid!r} has a condition: a player may be left with none available "
                   "(run 'boardroom explore' to see whether one is)")

    tested: set[str] = set()
    changed: set[str] = set()
    used_sources: set[str] = set()
    for scene in story.scenes.values():
        used_sources.update(scene.sources)
        for c in scene.choices:
            changed.update(e.var for e in c.effects)
            if c.condition is not None:
                tested.update(c.condition.names)
    for name, var in story.vars.items():
        if name not in changed and name not in tested:
            w.warn(var.file, ("var", name), "W102", f"variable {name!r} is never changed or tested by any choice")
        elif name not in changed:
            w.warn(var.file, ("var", name), "W109",
                   f"variable {name!r} is tested but no choice changes it: every condition on it sees "
                   "the side's start value")
    for sid, source in story.sources.items():
        if sid not in used_sources:
            w.warn(source.file, ("source", sid), "W103", f"source {sid!r} is never cited by any scene")
    return w.items

