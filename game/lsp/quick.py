"""The check after a keystroke that left the story's names as they were, in one file.

Typing in a scene's text, title, note or headline, in a choice's text, lock reason or
outcome, or in an ending's words changes none of the story's names, gotos, conditions,
effects or times; changing a choice's goto, condition, effects or hidden flag changes where
and when it leads and what it does, but still none of the names (scene, choice, side,
variable and source ids, variables' types and ranges, sides' starts). The full check (every
file read again, the story's digest, every scene looked up) would then find what the last
one found everywhere but in the scenes that changed, in what the whole story's shape
decides (reachability, the documented paths) and in the warnings located in that file.
This works out exactly that: the file is parsed again, the scenes that changed are compiled
again against the names of the last check (an unknown goto or a bad condition reported as
the loader reports it), the documented paths are played again when a choice's structure
changed, and the lint (incremental, see `LintCache`: it recomputes reachability when gotos
change) runs on the story with them.

It answers only from a full check whose story compiled with no diagnostic at all, and only
for such an edit of one file, or one that leaves the file not TOML at all or its scenes not
compiling (a passage still open, a goto to no scene): the loader then reports only that, and
so does this. For anything else — a second file, a new or renamed id, a scene's time, side
or sources, a table that does not validate — it declines (None) and the full check runs.
Files changed on disk meanwhile are not seen here: the server runs a full check once typing
pauses.
"""

from __future__ import annotations

import dataclasses
from dataclasses import field
from pathlib import Path
from typing import Any, Optional

from pydantic import BaseModel

from game.engine.diagnostics import Diagnostic
from game.engine.sourcemap import SourceMap
from game.engine.limits import MAX_STORY_BYTES
from game.engine.lint import LintCache, lint
from game.engine.load import BuiltScene, ParseCache, ParsedFile, _Compiler
from game.engine.model import ChoiceModel, EndingModel, SceneModel, StoryFile
from game.engine.story import Scene, Story
from game.records import record


@record
class Baseline:
    """A full check whose story compiled with no diagnostic: what a quick check starts from."""

    buffers: dict[Path, str]
    """The editor's buffers it was made with."""
    story: Story
    texts: dict[str, str]
    """Every story file's text, by the path diagnostics show."""
    files: list[Path]
    shown: dict[Path, str]
    """Each story file (resolved) -> the path its diagnostics show."""
    size: int
    """Bytes of all the story files: the loader's budget for a whole story applies to them."""
    parsed: dict[str, ParsedFile]
    built: dict[str, BuiltScene]
    context: Any
    """What the loader's cache held then (`ParseCache`): a check that found errors since may
    have left other things in it."""
    maps: dict[str, SourceMap] = field(default_factory=dict)
    """The last map of each file a quick check located an error in: the next one reads the
    file again only around the edit (see `SourceMap`). Shared by the baselines that follow."""


WORDS: dict[type[BaseModel], frozenset[str]] = {
    SceneModel: frozenset({"title", "text", "note", "headline"}),
    ChoiceModel: frozenset({"text", "locked", "outcome"}),
    EndingModel: frozenset({"title", "history", "critic"}),
}
"""What players read, by table: keys whose change leaves every scene leading where it did."""

STRUCTURE: dict[type[BaseModel], frozenset[str]] = {
    ChoiceModel: frozenset({"goto", "if_", "hidden", "set", "add"}),
}
"""A choice's structure: where it leads, when it is offered and what it does. A change here
leaves every name as it was (a choice's id and the number of choices must stay), so the changed
scenes compile against the last check's names; but the story's shape may change (reachability,
the documented paths). Every key in neither table (a key added to the format later too) must be
unchanged for a quick check."""

EDITABLE: dict[type[BaseModel], frozenset[str]] = {
    kind: WORDS.get(kind, frozenset()) | STRUCTURE.get(kind, frozenset()) for kind in (*WORDS, *STRUCTURE)
}


def _same_but(a: Optional[BaseModel], b: Optional[BaseModel], allowed: dict[type[BaseModel], frozenset[str]]) -> bool:
    """Whether two versions of a table differ at most in the `allowed` keys of each kind of
    table, down through its choices and ending."""
    if a is None or b is None or type(a) is not type(b):
        return a is None and b is None
    keys = allowed.get(type(a), frozenset())
    return all(_same_value(getattr(a, name), getattr(b, name), allowed)
               for name in type(a).model_fields if name not in keys)


def _same_value(x: Any, y: Any, allowed: dict[type[BaseModel], frozenset[str]]) -> bool:
    if isinstance(x, BaseModel) or isinstance(y, BaseModel):
        return _same_but(x, y, allowed)
    if isinstance(x, list) and isinstance(y, list):
        return len(x) == len(y) and all(_same_value(v, w, allowed) for v, w in zip(x, y))
    return bool(x == y)


@record
class Changes:
    """What an edit changed in one file, when it left every name as it was."""

    scenes: list[str]
    """Its scenes that changed."""
    extended: list[str]
    """Scenes whose choices added by the file's `extend` tables changed."""
    structural: bool
    """Whether some choice's goto, condition, effects or hidden flag changed (see `STRUCTURE`)."""


def changed_scenes(old: StoryFile, new: StoryFile) -> Optional[Changes]:
    """What changed between two parses of a file, when only words and choices' structure did
    (see `WORDS` and `STRUCTURE`); None otherwise."""
    for name in type(new).model_fields:
        if name not in ("scene", "extend") and getattr(old, name) != getattr(new, name):
            return None
    if list(old.scene) != list(new.scene) or list(old.extend) != list(new.extend):
        return None
    kinds: dict[str, bool] = {}  # table changed -> whether its structure did

    def compare(sid: str, before: BaseModel, after: BaseModel) -> bool:
        if after != before:
            if _same_but(before, after, WORDS):
                kinds[sid] = False
            elif _same_but(before, after, EDITABLE):
                kinds[sid] = True
            else:
                return False
        return True

    if not all(compare(sid, old.scene[sid], m) for sid, m in new.scene.items()):
        return None
    scenes, kinds_of_scenes = list(kinds), dict(kinds)
    kinds.clear()
    if not all(compare(sid, old.extend[sid], ext) for sid, ext in new.extend.items()):
        return None
    return Changes(scenes, list(kinds), any(kinds_of_scenes.values()) or any(kinds.values()))


def quick_check(root: Path, base: Baseline, path: Path, text: str, cache: ParseCache,
                lints: LintCache) -> Optional[tuple[list[Diagnostic], Optional[Baseline]]]:
    """What `boardroom check` would report once `path` holds `text` and nothing else changed
    since `base`, with the baseline that result makes (None: keep `base`, the file does not
    parse); None when this cannot tell (see above). A new baseline comes with `cache` and
    `lints` holding the new file as a full check would have left them."""
    shown = base.shown.get(path)
    old = base.parsed.get(shown) if shown is not None else None
    if shown is None or old is None or old.model is None:
        return None
    raw = text.encode("utf-8", "surrogatepass")
    size = base.size - len(old.raw) + len(raw)
    if size > MAX_STORY_BYTES:
        return None  # a file read after this one might be refused now: the full check says
    compiler = _Compiler(root, {}, None)
    parsed = compiler.parse_file(shown, raw)
    new = parsed.model
    if new is None:
        # Not TOML (a string still open as it is typed): the loader stops at such a file and
        # reports only what reading each file found, and every other file read cleanly.
        return _sorted(list(parsed.diagnostics)), None
    if parsed.text is None or parsed.diagnostics or parsed.broken_var_types or any(parsed.broken.values()):
        return None
    changed = changed_scenes(old.model, new)
    if changed is None:
        return None

    # every compiled scene this file has a hand in, as the last check left it
    story = base.story
    kept: dict[str, BuiltScene] = {}
    for sid in [*new.scene, *new.extend]:
        hit = base.built.get(sid)
        if hit is None or hit.diagnostics or (sid in new.scene and (hit.model is not old.model.scene[sid]
                                                                    or hit.file != shown)):
            return None
        kept[sid] = hit
    updated: dict[str, BuiltScene] = {}
    for sid, hit in kept.items():
        # the same compiled scene, from this parse's (equal) tables: what a full check keeps
        extra = tuple((f, key, new.extend[sid].choice[key[3]] if f == shown else c) for f, key, c in hit.extra)
        updated[sid] = BuiltScene(new.scene[sid] if sid in new.scene else hit.model, hit.file, extra,
                                  hit.scene, (), hit.observed)

    texts = {**base.texts, shown: parsed.text}
    compiler.report.texts = dict(texts)
    # an error is located in the file being typed in from its last map, read again around the edit
    before_map = base.maps.get(shown) or lints.maps.get(shown)
    compiler.report.maps[shown] = located = SourceMap(parsed.text, before_map)
    compiler.items["side"] = {sid: (side.file, None) for sid, side in story.sides.items()}
    compiler.items["var"] = {name: (var.file, None) for name, var in story.vars.items()}
    compiler.var_labels = {name: var.label for name, var in story.vars.items()}
    scene_ids = set(story.scenes)
    var_types: dict[str, str] = {name: var.type for name, var in story.vars.items()}
    scenes: dict[str, Scene] = {}
    same_reads = True
    for sid in dict.fromkeys([*changed.scenes, *changed.extended]):
        before = updated[sid]
        observed: set[str] = set()
        scene = compiler.build_scene(sid, before.file, before.model, dict(story.sides), dict(story.sources),
                                     scene_ids, dict(story.vars), var_types, observed, list(before.extra))
        same_reads = same_reads and observed == before.observed
        scenes[sid] = scene
        updated[sid] = dataclasses.replace(before, scene=scene, observed=frozenset(observed))
    if located.read:
        base.maps[shown] = located
    if compiler.report.errors:
        # A passage still being typed, or a goto to no scene, say. The loader reports what
        # compiling each scene found and stops short of the checks of a whole story; every
        # other scene compiled cleanly.
        return _sorted(compiler.report.items), None
    if compiler.report.items:
        return None

    built = {**base.built, **updated}
    if same_reads:
        story = dataclasses.replace(story, scenes={**story.scenes, **scenes})
    else:
        # A condition's seen() reads other scenes now: what every scene reads, as the loader
        # gathers it (every scene of the story is in `built`: the last check compiled them all).
        story = dataclasses.replace(story, scenes={**story.scenes, **scenes},
                                    observed_seen=frozenset().union(*(built[sid].observed for sid in story.scenes)))
    if changed.structural and story.history:
        # The documented paths may no longer fit: the loader plays them once every scene compiled.
        compiler.items["history"] = _history_files(base)
        compiler.check_history(story)
        if compiler.report.items:
            return _sorted(compiler.report.items), None

    diagnostics = _sorted(lint(story, texts, lints))
    files = {**base.parsed, shown: parsed}
    cache.files.update(files)
    cache.scenes, cache.scene_context = dict(built), base.context
    return diagnostics, dataclasses.replace(base, story=story, texts=texts, size=size, parsed=files, built=built,
                                            buffers={**base.buffers, path: text})


def _sorted(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """In the order `boardroom check` prints them."""
    return sorted(diagnostics, key=lambda d: (d.path, d.line, d.col, d.code))


def _history_files(base: Baseline) -> dict[str, tuple[str, Any]]:
    """Each documented side's `[history]` table with the file holding it, as the loader keeps it."""
    return {side: (file, table) for file, parsed in base.parsed.items() if parsed.model is not None
            for side, table in parsed.model.history.items()}


def baseline(buffers: dict[Path, str], story: Optional[Story], compile_diagnostics: list[Diagnostic],
             texts: dict[str, str], files: list[Path], shown: dict[Path, str],
             cache: ParseCache) -> Optional[Baseline]:
    """The baseline a full check makes, or None when its story did not compile cleanly."""
    if story is None or compile_diagnostics or any(s not in cache.files for s in texts):
        return None
    parsed = {s: cache.files[s] for s in texts}
    return Baseline(dict(buffers), story, dict(texts), files, shown, sum(len(f.raw) for f in parsed.values()),
                    parsed, dict(cache.scenes), cache.scene_context)
