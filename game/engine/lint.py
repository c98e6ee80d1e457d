"""Warnings about a story that loads: things that play, but are probably mistakes.

Errors (E-codes, in `load.py`) stop a story from loading; warnings (W-codes, here) do not,
because a story in progress is full of them. Every code is stable and listed, with an
example and a fix, in the authoring guide (`story/README.md`). The checks are static: they
follow every `goto` and ignore conditions, so they are fast enough to run on every save.
`boardroom explore` is the condition-aware counterpart.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator, Mapping, Optional, Sequence, Union
from urllib.parse import urlsplit

from game.engine.diagnostics import Diagnostic
from game.engine.sourcemap import SourceMap
from game.engine.rules import Condition
from game.engine.story import Choice, Scene, Source, Story, Value
from game.engine.text import Template

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
    "W110": "condition can never hold given the variables' ranges",
    "W111": "condition always holds given the variables' ranges",
    "W112": "locked or hidden on a choice with no if",
    "W113": "scene is earlier than a scene that leads to it",
    "W115": "choice leads to another side's scene or ending",
    "W116": "passage condition can never hold given the variables' ranges",
    "W117": "every branch of a passage shows the same text",
    "W118": "a choice's outcome where its target scene already varies on the flag the choice sets",
    "W120": "source link is neither at its outlet's own site nor at a listed partner that carries the outlet",
    "W121": "source link's kind is mislabelled: a partner's copy without read_at, or read_at on the publisher's page",
}

_TODO_TEXTS: dict[str, tuple[str, bool]] = {}
"""File -> (its text, whether it has a TODO marker). An editor checks the story on every pause in
typing and passes the very same text objects for the files that did not change, so the answer
is reused by identity, never by comparing megabytes of text."""

MAX_CASES = 50_000
"""Condition analysis tries every combination of the values it reads, up to this many."""


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


def condition_verdict(story: Story, condition: Condition) -> Optional[bool]:
    """True when `condition` holds for every value its variables can take (and every answer its
    `seen()` tests can give), False when it holds for none, None when it depends or there are
    too many combinations to try. Exact: it evaluates the condition itself on every combination."""
    names = sorted(condition.names)
    seen_ids = sorted(condition.seen_ids)
    domains: list[Sequence[Value]] = []
    size = 1
    for name in names:
        var = story.vars.get(name)
        if var is None:
            return None
        domain: Sequence[Value] = (False, True) if var.type == "bool" else range(var.min, var.max + 1)
        domains.append(domain)
        size *= len(domain)
    size *= 2 ** len(seen_ids)
    if size > MAX_CASES:
        return None
    held = failed = False
    for values in itertools.product(*domains):
        env = dict(zip(names, values))
        for flags in itertools.product((False, True), repeat=len(seen_ids)):
            seen = {sid for sid, flag in zip(seen_ids, flags) if flag}
            if condition.holds(env, seen.__contains__):
                held = True
            else:
                failed = True
            if held and failed:
                return None
    return held


def _ranges(story: Story, condition: Condition) -> str:
    parts = []
    for name in sorted(condition.names):
        var = story.vars[name]
        parts.append(f"{name} is true or false" if var.type == "bool" else f"{name} is {var.min}..{var.max}")
    return "; ".join(parts) if parts else "it reads no variable"


def _when(at: dt.datetime) -> str:
    return at.strftime("%a %d %b %H:%M")


class _Warnings:
    """Collects warnings, finding each one's line only when there is one to report."""

    def __init__(self, texts: Optional[Mapping[str, str]] = None) -> None:
        self.items: list[Diagnostic] = []
        self.maps: dict[str, SourceMap] = {}
        self.texts = texts or {}
        self.todo_files: dict[str, bool] = {}

    def at(self, file: str, path: Key) -> tuple[int, int]:
        if file not in self.maps and file in self.texts:
            self.maps[file] = SourceMap(self.texts[file])
        if file not in self.maps:
            try:
                with open(file, encoding="utf-8") as fh:
                    self.maps[file] = SourceMap(fh.read())
            except (OSError, UnicodeDecodeError):
                return 1, 1
        return self.maps[file].locate(path)

    def warn_in_text(self, file: str, path: Key, offset: int, code: str, message: str) -> None:
        """A warning at character `offset` of the string value at `path`, however far down a
        multi-line string that is."""
        from game.engine.sourcemap import value_position

        line, col = self.at(file, path)
        source = self.maps[file].text if file in self.maps else ""
        line, col = value_position(source, line, col, offset)
        self.items.append(Diagnostic(file, line, col, "warning", code, message))

    def may_hold_todo(self, file: str) -> bool:
        """Whether `file` has a TODO marker anywhere: most files have none, and four substring
        searches of a whole file cost far less than a regex search of each of its texts."""
        found = self.todo_files.get(file)
        if found is None:
            text = self.texts.get(file)
            if text is None:
                try:
                    with open(file, encoding="utf-8") as fh:
                        text = fh.read()
                except (OSError, UnicodeDecodeError):
                    text = "TODO"
            remembered = _TODO_TEXTS.get(file)
            if remembered is not None and remembered[0] is text:
                found = remembered[1]
            else:
                found = any(word in text for word in ("TODO", "FIXME", "XXX", "TBD"))
                _TODO_TEXTS[file] = (text, found)
            self.todo_files[file] = found
        return found

    def warn(self, file: str, path: Key, code: str, message: str) -> None:
        line, col = self.at(file, path)
        self.items.append(Diagnostic(file, line, col, "warning", code, message))


def _todo(w: _Warnings, file: str, path: Key, what: str, fields: dict[str, str]) -> None:
    if not w.may_hold_todo(file):
        return
    for key, text in fields.items():
        m = TODO.search(text or "")
        if m:
            w.warn(file, path + (key,), "W106", f"{what} still has {m.group(0)} text in its {key}")


def _check_choice(w: _Warnings, story: Story, scene: Scene, c: Choice, verdicts: dict[str, Optional[bool]]) -> None:
    file = c.file or scene.file
    where = f"choice {c.id!r} in {scene.id!r}"
    if c.condition is not None:
        text = c.condition.text
        if text not in verdicts:
            verdicts[text] = condition_verdict(story, c.condition)
        verdict = verdicts[text]
        if verdict is False:
            w.warn(file, c.key + ("if",), "W110",
                   f"{where}: condition {text!r} can never hold ({_ranges(story, c.condition)}), "
                   "so the choice is always locked")
        elif verdict is True:
            w.warn(file, c.key + ("if",), "W111",
                   f"{where}: condition {text!r} always holds ({_ranges(story, c.condition)}), "
                   "so the choice is never locked; remove the if or fix it")
    else:
        for key, given in (("locked", c.locked is not None), ("hidden", c.hidden)):
            if given:
                w.warn(file, c.key + (key,), "W112",
                       f"{where} has {key} but no if, so it is never locked; add an if = \"condition\" "
                       f"or remove {key}")
    target = story.scenes.get(c.goto)
    if target is None:
        return
    if target.side != scene.side:
        what = "an ending" if target.ending is not None else "a scene"
        w.warn(file, c.key + ("goto",), "W115",
               f"{where} (side {scene.side!r}) leads to {c.goto!r}, {what} of side {target.side!r}")
    if target.at < scene.at:
        w.warn(file, c.key + ("goto",), "W113",
               f"{where} leads back in time: {c.goto!r} is at {_when(target.at)}, before {scene.id!r} "
               f"at {_when(scene.at)}")


def _texts_of(scene: Scene) -> Iterator[tuple[str, Key, str, Template]]:
    """Every compiled text a scene holds: (file, key path, what it is, template)."""
    yield scene.file, ("scene", scene.id, "text"), f"scene {scene.id!r}'s text", scene.body
    yield scene.file, ("scene", scene.id, "headline"), f"scene {scene.id!r}'s headline", scene.news
    for c in scene.choices:
        yield c.file or scene.file, c.key + ("text",), f"choice {c.id!r} in {scene.id!r}", c.label
        if c.outcome is not None:
            yield c.file or scene.file, c.key + ("outcome",), f"the outcome of choice {c.id!r} in {scene.id!r}", c.outcome


def _check_texts(w: _Warnings, story: Story, scene: Scene, verdicts: dict[str, Optional[bool]]) -> None:
    """Passages that can never show (W116) and passages whose branches all read alike (W117)."""
    for file, key, what, template in _texts_of(scene):
        if not template.passages:
            continue
        for passage in template.all_passages():
            for arm in passage.arms:
                if arm.condition is None:
                    continue
                text = arm.condition.text
                if text not in verdicts:
                    verdicts[text] = condition_verdict(story, arm.condition)
                if verdicts[text] is False:
                    w.warn_in_text(file, key, arm.offset, "W116",
                                   f"{what}: the passage {{{'if' if arm.offset == passage.offset else 'elif'} {text}}} "
                                   f"can never show: its condition never holds ({_ranges(story, arm.condition)})")
            bodies = {arm.parts for arm in passage.arms}
            has_else = passage.arms[-1].condition is None
            if len(passage.arms) > 1 and has_else and len(bodies) == 1:
                w.warn_in_text(file, key, passage.offset, "W117",
                               f"{what}: every branch of this passage shows the same text; drop the {{if}} or "
                               "make the branches differ")


def _check_outcomes(w: _Warnings, story: Story, scene: Scene) -> None:
    """An outcome on a choice that sets a flag its target scene's passages already read (W118).

    The player would read the same consequence twice in a row: once in the outcome, once in the
    passage the flag opens just below it. Keep one of them.
    """
    for c in scene.choices:
        target = story.scenes.get(c.goto)
        if c.outcome is None or target is None or not target.body.passages:
            continue
        flags = {e.var for e in c.effects if e.op == "set" and story.vars[e.var].type == "bool"}
        read = {name for passage in target.body.all_passages() for arm in passage.arms
                if arm.condition is not None for name in arm.condition.names}
        for flag in sorted(flags & read):
            w.warn(c.file or scene.file, c.key + ("outcome",), "W118",
                   f"choice {c.id!r} in {scene.id!r} has an outcome, and {c.goto!r} already varies on {flag!r}, "
                   "which the choice sets: the player reads the consequence twice in a row; keep the outcome or "
                   "the passage")


@dataclass(slots=True)
class _SceneLint:
    """One scene's warnings and what they were worked out from: reused while the scene, the
    scenes its choices lead to and the text of every file they are located in are the same."""

    scene: Scene
    gotos: tuple[str, ...]
    items: list[Diagnostic]
    """Warnings about the scene itself and its choices and texts."""
    changed: frozenset[str]
    tested: frozenset[str]
    cited: frozenset[str]
    status: Optional[str] = None
    """W101, W105 or W108 when the graph gives the scene one, and `graph` holds it."""
    graph: list[Diagnostic] = field(default_factory=list)


class LintCache:
    """What the last lint of a story worked out, kept by an editor between checks.

    An edit of one file gives new compiled scenes for that file only (the loader reuses the
    others, see `ParseCache`), so the per-scene warnings of every other scene still hold; the
    graph's (reachability both ways) hold while no scene's gotos, ending or the sides' starts
    change, which typing in a text does not do. Everything is keyed by identity or by value,
    never by time, so a lint through this cache reports exactly what a fresh one does.
    """

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        """Forget everything: the next lint works it all out again."""
        self.var_key: Optional[tuple[tuple[str, str, int, int], ...]] = None
        self.verdicts: dict[str, Optional[bool]] = {}
        self.entries: dict[str, _SceneLint] = {}
        self.incoming: Optional[dict[str, set[str]]] = None
        """Scene id -> the scenes with a choice leading to it; made when an edit first needs it."""
        self.maps: dict[str, SourceMap] = {}
        self.texts: dict[str, Optional[str]] = {}
        self.starts: Optional[tuple[str, ...]] = None
        self.reachable: set[str] = set()
        self.to_ending: set[str] = set()
        self.depth: dict[str, int] = {}
        """Reachable scene -> a number smaller at some scene leading to it, 0 at a start: each
        reachable scene has a path from a start along which it falls (a witness that an edit
        away from that path leaves the scene reachable)."""
        self.height: dict[str, int] = {}
        """Scene reaching an ending -> a number smaller at some scene it leads to, 0 at an
        ending: the same witness towards an ending."""
        self.keys: list[str] = []
        self.ids: list[int] = []
        """The story's scene ids and the identity of each scene at the last lint, in order."""
        self.order: dict[str, int] = {}
        self.noisy: set[str] = set()
        """Scenes with a warning: only these are located, so only these move with their text."""
        self.links: dict[str, tuple[Source, Any, Any, Optional[str], list[Diagnostic]]] = {}
        self.uses: Optional[tuple[set[str], set[str], set[str]]] = None
        """Every variable some choice changes, every variable tested, every source cited."""

    def leading_to(self, sid: str) -> set[str]:
        """The scenes with a choice leading to `sid`."""
        return self.incoming_map().get(sid, set())

    def incoming_map(self) -> dict[str, set[str]]:
        """Scene id -> the scenes with a choice leading to it."""
        if self.incoming is None:
            self.incoming = {}
            for source, entry in self.entries.items():
                for goto in entry.gotos:
                    self.incoming.setdefault(goto, set()).add(source)
        return self.incoming

    def graph(self, story: Story) -> tuple[set[str], set[str]]:
        """`reachable_scenes` and `scenes_reaching_an_ending` of a story every scene of which has
        its entry: the same walks (breadth first, to number each scene's distance for `depth`
        and `height`), over the gotos and incoming links kept here rather than through the
        story's scenes and choices."""
        entries = self.entries
        level = [s.start for s in story.sides.values() if s.start in entries]
        depth = dict.fromkeys(level, 0)
        distance = 0
        while level:
            distance += 1
            after: list[str] = []
            for sid in level:
                for goto in entries[sid].gotos:
                    if goto not in depth and goto in entries:
                        depth[goto] = distance
                        after.append(goto)
            level = after
        incoming = self.incoming_map()
        level = [sid for sid, entry in entries.items() if entry.scene.ending is not None]
        height = dict.fromkeys(level, 0)
        distance = 0
        while level:
            distance += 1
            after = []
            for sid in level:
                for source in incoming.get(sid, ()):
                    if source not in height:
                        height[source] = distance
                        after.append(source)
            level = after
        self.depth, self.height = depth, height
        return set(depth), set(height)

    def regraph(self, moved: list[tuple[str, tuple[str, ...], tuple[str, ...]]]) -> Optional[tuple[set[str], set[str]]]:
        """The scenes that became reachable and that came to reach an ending when only the
        gotos of the scenes in `moved` (scene, gotos before, gotos now) changed; None when a
        goto taken away may have cut some scene off (then `graph` works it out again).

        A goto taken away (S to T) cuts nothing off when T has another way in from a scene
        whose `depth` is below every such T's: that scene's falling path cannot pass through
        any of them. The same for endings, with `height` and the scenes S. What gotos added
        reach is then walked from them, as the full walks would."""
        entries, depth, height = self.entries, self.depth, self.height
        incoming = self.incoming_map()
        cut = [(sid, target) for sid, before, now in moved if sid in depth
               for target in set(before) - set(now) if target in depth and depth[target]]
        if cut:
            below = min(depth[target] for _sid, target in cut)
            for _sid, target in cut:
                if not any(depth.get(source, below) < below for source in incoming.get(target, ())):
                    return None
        cut_off = [sid for sid, before, now in moved if height.get(sid) and set(before) - set(now)]
        if cut_off:
            below = min(height[sid] for sid in cut_off)
            for sid in cut_off:
                if not any(height.get(goto, below) < below for goto in entries[sid].gotos):
                    return None
        reached: list[str] = []
        step: list[tuple[str, str]]
        level = [(sid, goto) for sid, before, now in moved if sid in depth for goto in set(now) - set(before)]
        while level:
            step = []
            for sid, goto in level:
                if goto not in depth and goto in entries:
                    depth[goto] = depth[sid] + 1
                    reached.append(goto)
                    step.extend((goto, nxt) for nxt in entries[goto].gotos)
            level = step
        leading: list[str] = []
        level = [(goto, sid) for sid, before, now in moved if sid not in height
                 for goto in set(now) - set(before) if goto in height]
        while level:
            step = []
            for goto, sid in level:
                if sid not in height:
                    height[sid] = height[goto] + 1
                    leading.append(sid)
                    step.extend((sid, source) for source in incoming.get(sid, ()))
            level = step
        self.reachable.update(reached)
        self.to_ending.update(leading)
        return set(reached), set(leading)

    def forget(self, sid: str) -> None:
        entry = self.entries.pop(sid, None)
        if entry is None:
            return
        self.noisy.discard(sid)
        if self.incoming is not None:
            for goto in entry.gotos:
                self.incoming.get(goto, set()).discard(sid)

    def keep(self, sid: str, entry: _SceneLint) -> None:
        if sid in self.entries:
            self.forget(sid)
        self.entries[sid] = entry
        if entry.items:
            self.noisy.add(sid)
        if self.incoming is not None:
            for goto in entry.gotos:
                self.incoming.setdefault(goto, set()).add(sid)


def _add_uses(scene: Scene, changed: set[str], tested: set[str], cited: set[str]) -> None:
    """Add the variables a scene's choices change, the variables it tests (conditions and
    passages) and the sources it cites: what W102, W109 and W103 add up over the story."""
    cited.update(scene.sources)
    tested.update(scene.body.names, scene.news.names)
    for c in scene.choices:
        changed.update(e.var for e in c.effects)
        if c.condition is not None:
            tested.update(c.condition.names)
        tested.update(c.label.names)
        if c.outcome is not None:
            tested.update(c.outcome.names)


def _scene_warnings(w: _Warnings, story: Story, scene: Scene, verdicts: dict[str, Optional[bool]]) -> None:
    """Every warning about one scene that does not depend on the graph as a whole."""
    sid = scene.id
    path: Key = ("scene", sid)
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
        _todo(w, c.file or scene.file, c.key, f"choice {c.id!r} in {sid!r}",
              {"text": c.text, "locked": c.locked or "", "outcome": c.outcome.source if c.outcome else ""})
    for c in scene.choices:
        _check_choice(w, story, scene, c, verdicts)
    _check_texts(w, story, scene, verdicts)
    _check_outcomes(w, story, scene)
    if scene.choices and all(c.condition is not None for c in scene.choices):
        first = scene.choices[0]
        w.warn(first.file or scene.file, first.key + ("if",), "W107",
               f"every choice in {sid!r} has a condition: a player may be left with none available "
               "(run 'boardroom explore' to see whether one is)")


def _graph_status(sid: str, scene: Scene, reachable: set[str], to_ending: set[str]) -> Optional[str]:
    if sid not in reachable:
        return "W105" if scene.ending is not None else "W101"
    return "W108" if sid not in to_ending else None


_GRAPH_MESSAGES = {
    "W105": "ending {sid!r} cannot be reached by any side: no choice leads to it",
    "W101": "scene {sid!r} cannot be reached from any side's start: no choice leads to it",
    "W108": "no ending can be reached from scene {sid!r}: every path from it loops back without ending",
}


def lint(story: Story, texts: Optional[Mapping[str, str]] = None, cache: Optional[LintCache] = None) -> list[Diagnostic]:
    """Every warning for a story that loaded, in no particular order. `texts` (shown path ->
    text) locates them in what an editor holds rather than in the files on disk. An editor
    keeps a `cache` between checks and only the scenes an edit touched are looked at again."""
    if cache is None or texts is None:
        return _lint_once(story, texts)
    var_key = tuple((name, v.type, v.min, v.max) for name, v in story.vars.items())
    if var_key != cache.var_key:
        # ranges decide condition verdicts and the words of every warning about them: start over
        cache.reset()
        cache.var_key = var_key
    texts = texts or {}
    w = _Warnings(texts)
    w.maps = cache.maps

    # which scenes must be looked at again: new or recompiled ones, ones in a file whose text
    # changed, and every scene leading to one of those (W113, W115 and W118 read the target)
    # (a scene with no warning has nothing to locate: its file's text may change under it)
    dirty: set[str] = set()
    moved: set[str] = set()
    for file in set(cache.texts) | set(texts):
        text = texts.get(file)
        if cache.texts.get(file) is not text:
            moved.add(file)
            old_map = cache.maps.pop(file, None)
            if text is None:
                cache.texts.pop(file, None)
            else:
                cache.texts[file] = text
                if old_map is not None:  # read again from where the text changed, when needed
                    cache.maps[file] = SourceMap(text, old_map)
    entries = cache.entries
    if moved:
        dirty.update(sid for sid in cache.noisy if entries[sid].scene.file in moved
                     or any(d.path in moved for d in entries[sid].items))
    keys = list(story.scenes)
    ids = list(map(id, story.scenes.values()))  # the cache holds every scene it saw: no id is reused
    if keys != cache.keys:
        dirty.update(sid for sid, scene in story.scenes.items()
                     if (entry := entries.get(sid)) is None or entry.scene is not scene)
        cache.order = {sid: i for i, sid in enumerate(keys)}
    elif ids != cache.ids:
        dirty.update([sid for sid, new, old in zip(keys, ids, cache.ids) if new != old])
    cache.keys, cache.ids = keys, ids
    added = any(sid not in entries for sid in dirty)
    gone = [sid for sid in entries if sid not in story.scenes] if added or len(entries) != len(story.scenes) else []
    if len(dirty) < len(story.scenes):
        for sid in list(dirty) + gone:
            dirty |= cache.leading_to(sid)
    dirty.intersection_update(story.scenes)

    graph_changed = bool(gone)
    reshaped = bool(gone)  # more than gotos of scenes that were there changed
    retargeted: list[tuple[str, tuple[str, ...], tuple[str, ...]]] = []
    starts = tuple(s.start for s in story.sides.values())
    if starts != cache.starts:
        cache.starts = starts
        graph_changed = reshaped = True
    for sid in gone:
        cache.forget(sid)
        cache.uses = None
    for sid in dirty:
        scene = story.scenes[sid]
        before = entries.get(sid)
        gotos = tuple([c.goto for c in scene.choices])
        if before is None or (before.scene.ending is None) != (scene.ending is None):
            graph_changed = reshaped = True
        elif before.gotos != gotos:
            graph_changed = True
            retargeted.append((sid, before.gotos, gotos))
        mark = len(w.items)
        _scene_warnings(w, story, scene, cache.verdicts)
        uses: tuple[set[str], set[str], set[str]] = (set(), set(), set())
        _add_uses(scene, *uses)
        changed, tested, cited = frozenset(uses[0]), frozenset(uses[1]), frozenset(uses[2])
        if before is None or before.changed != changed or before.tested != tested or before.cited != cited:
            cache.uses = None
        cache.keep(sid, _SceneLint(scene, gotos, w.items[mark:], changed, tested, cited))
        del w.items[mark:]

    look: Iterable[str] = dirty
    if graph_changed:
        # every scene is in `entries` now, and only in it: `gone` were forgotten, the rest kept;
        # a scene's status changes only where it joined or left either set, or was looked at again
        joined = None if reshaped else cache.regraph(retargeted)
        if joined is not None:
            look = dirty | joined[0] | joined[1]
        else:
            reachable, to_ending = cache.graph(story)
            look = ((reachable ^ cache.reachable) | (to_ending ^ cache.to_ending) | dirty) & entries.keys()
            cache.reachable, cache.to_ending = reachable, to_ending
    for sid in look:
        entry = entries[sid]
        status = _graph_status(sid, entry.scene, cache.reachable, cache.to_ending)
        if status != entry.status:  # a scene looked at again starts with none
            entry.status = status
            entry.graph = []
            if status is not None:
                line, col = w.at(entry.scene.file, ("scene", sid))
                entry.graph.append(Diagnostic(entry.scene.file, line, col, "warning", status,
                                              _GRAPH_MESSAGES[status].format(sid=sid)))
                cache.noisy.add(sid)
            elif not entry.items:
                cache.noisy.discard(sid)

    _side_warnings(w, story)
    out = w.items
    for sid in sorted(cache.noisy, key=cache.order.__getitem__):
        entry = entries[sid]
        out += entry.graph
        out += entry.items
    if cache.uses is None:
        cache.uses = (set().union(*[e.changed for e in entries.values()]),
                      set().union(*[e.tested for e in entries.values()]),
                      set().union(*[e.cited for e in entries.values()]))
    _story_warnings(w, story, *cache.uses, texts, cache.links)
    return w.items


def _lint_once(story: Story, texts: Optional[Mapping[str, str]]) -> list[Diagnostic]:
    """`lint` with nothing to keep (`boardroom check`): the same warnings in the same order, by
    the same functions, without what an editor's cache keeps of each scene."""
    w = _Warnings(texts)
    reachable = reachable_scenes(story)
    to_ending = scenes_reaching_an_ending(story)
    verdicts: dict[str, Optional[bool]] = {}
    _side_warnings(w, story)
    changed: set[str] = set()
    tested: set[str] = set()
    cited: set[str] = set()
    for sid, scene in story.scenes.items():
        status = _graph_status(sid, scene, reachable, to_ending)
        if status is not None:
            w.warn(scene.file, ("scene", sid), status, _GRAPH_MESSAGES[status].format(sid=sid))
        _scene_warnings(w, story, scene, verdicts)
        _add_uses(scene, changed, tested, cited)
    _story_warnings(w, story, changed, tested, cited, texts or {}, None)
    return w.items


def _side_warnings(w: _Warnings, story: Story) -> None:
    for sid, side in story.sides.items():
        _todo(w, side.file, ("side", sid), f"side {sid!r}",
              {"name": side.name, "role": side.role, "blurb": side.blurb, "stakes": side.stakes})


def _story_warnings(w: _Warnings, story: Story, changing: set[str], testing: set[str], citing: set[str],
                    texts: Mapping[str, str],
                    links: Optional[dict[str, tuple[Source, Any, Any, Optional[str], list[Diagnostic]]]]) -> None:
    """Variables never changed or tested, sources never cited, and every source's link."""
    for name, var in story.vars.items():
        if name not in changing and name not in testing:
            w.warn(var.file, ("var", name), "W102", f"variable {name!r} is never changed or tested by any choice or text")
        elif name not in changing:
            w.warn(var.file, ("var", name), "W109",
                   f"variable {name!r} is tested but no choice changes it: every condition on it sees "
                   "the side's start value")
    for sid, source in story.sources.items():
        if sid not in citing:
            w.warn(source.file, ("source", sid), "W103", f"source {sid!r} is never cited by any scene")
        if source.url is None and source.read_at is None:
            continue
        if links is None:
            _link(w, story, source)
            continue
        # the same source, outlets, partners and text give the same warnings, where they were
        text = texts.get(source.file)
        kept = links.get(sid)
        if (kept is None or kept[0] is not source or kept[1] is not story.outlets
                or kept[2] is not story.partners or kept[3] is not text):
            mark = len(w.items)
            _link(w, story, source)
            links[sid] = (source, story.outlets, story.partners, text, w.items[mark:])
        else:
            w.items += kept[4]


def host_of(url: str) -> Optional[str]:
    """The lower-case host of an http(s) address, or None when it has none."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme not in ("http", "https"):
        return None
    return parts.hostname or None


def on_domain(host: str, domains: Iterable[str]) -> bool:
    """Whether `host` is one of `domains` or a subdomain of one (www.nytimes.com is nytimes.com's)."""
    return any(host == d or host.endswith("." + d) for d in domains)


def _link(w: _Warnings, story: Story, source: Source) -> None:
    """A reader who follows a link must land where the citation says: the outlet's own page,
    or a copy at a partner that carries the outlet and is named as the place it was read."""
    sid = source.id
    where = ("source", sid, "url")
    if source.url is None:
        w.warn(source.file, ("source", sid, "read_at"), "W121",
               f"source {sid!r} says it was read at {source.read_at!r} but has no url; drop read_at or add the copy's url")
        return
    host = host_of(source.url)
    own = story.outlets.get(source.outlet)
    if host is None:
        w.warn(source.file, where, "W120", f"source {sid!r} links {source.url[:60]!r}, which is not an http(s) address")
        return
    if source.read_at is not None:
        partner = story.partners.get(source.read_at)
        if own is not None and on_domain(host, own):
            w.warn(source.file, ("source", sid, "read_at"), "W121",
                   f"source {sid!r} links {host}, {source.outlet}'s own site, but read_at calls it a copy at "
                   f"{source.read_at!r}; drop read_at")
        elif partner is None:
            known = ", ".join(sorted(story.partners)) or "none"
            w.warn(source.file, ("source", sid, "read_at"), "W120",
                   f"source {sid!r} is read at {source.read_at!r}, which is not a listed [partner] (listed: {known})")
        elif not on_domain(host, partner.domains):
            w.warn(source.file, where, "W120",
                   f"source {sid!r} is read at {source.read_at!r}, but its link is at {host}, not at "
                   f"{' or '.join(partner.domains)}")
        elif source.outlet not in partner.carries:
            w.warn(source.file, ("source", sid, "read_at"), "W120",
                   f"source {sid!r}: {source.read_at!r} is not listed as carrying {source.outlet!r}; "
                   "add it to the partner's carries only if it runs that outlet's stories under agreement")
        return
    if own is not None and on_domain(host, own):
        return
    partner_here = next((p for p in story.partners.values() if on_domain(host, p.domains)), None)
    if partner_here is not None:
        w.warn(source.file, where, "W121",
               f"source {sid!r} links a copy at {partner_here.name} ({host}) as if it were {source.outlet}'s own page; "
               f'add read_at = "{partner_here.name}"')
    elif own is None:
        w.warn(source.file, ("source", sid, "outlet"), "W120",
               f"source {sid!r} links {host}, but its outlet {source.outlet!r} is not listed in [outlet]; "
               "list its domains, or link a labelled partner copy, or remove the url")
    else:
        w.warn(source.file, where, "W120",
               f"source {sid!r} links {host}, which is neither {source.outlet}'s own site ({', '.join(own)}) "
               "nor a listed partner's; link the publisher, a labelled partner copy, or nothing")

