"""The check after a keystroke that changed only words, in one file.

Typing in a scene's text, title, note or headline, in a choice's text, lock reason or
outcome, or in an ending's words changes none of the story's names, gotos, conditions,
effects or times. The full check (every file read again, the story's digest, every scene
looked up) would then find what the last one found everywhere but in the scenes whose
words changed and in the warnings located in that file. This works out exactly that: the
file is parsed again, the scenes whose words changed are compiled again against the names
of the last check, and the lint (incremental, see `LintCache`) runs on the story with them.

It answers only from a full check whose story compiled with no diagnostic at all, and only
for such an edit of one file, or one that leaves the file not TOML at all or its words not
compiling (a passage still open): the loader then reports only that, and so does this. For
anything else — a second file, a new name, a goto, a table that does not validate — it
declines (None) and the full check runs. Files changed on disk meanwhile are not seen here:
the server runs a full check once typing pauses.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

from pydantic import BaseModel

from game.engine.diagnostics import Diagnostic
from game.engine.limits import MAX_STORY_BYTES
from game.engine.lint import LintCache, lint
from game.engine.load import BuiltScene, ParseCache, ParsedFile, _Compiler
from game.engine.model import ChoiceModel, EndingModel, SceneModel, StoryFile
from game.engine.story import Scene, Story


@dataclass(frozen=True)
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


WORDS: dict[type[BaseModel], frozenset[str]] = {
    SceneModel: frozenset({"title", "text", "note", "headline"}),
    ChoiceModel: frozenset({"text", "locked", "outcome"}),
    EndingModel: frozenset({"title", "history", "critic"}),
}
"""What players read, by table: the only keys whose change a quick check takes. Every other
key (a key added to the format later too) must be unchanged."""


def _same_but_words(a: Optional[BaseModel], b: Optional[BaseModel]) -> bool:
    """Whether two versions of a table differ at most in words (see `WORDS`), down through its
    choices and ending: never in what decides where a choice leads, or when, or what it does."""
    if a is None or b is None or type(a) is not type(b):
        return a is None and b is None
    words = WORDS.get(type(a), frozenset())
    return all(_same_value(getattr(a, name), getattr(b, name)) for name in type(a).model_fields if name not in words)


def _same_value(x: Any, y: Any) -> bool:
    if isinstance(x, BaseModel) or isinstance(y, BaseModel):
        return _same_but_words(x, y)
    if isinstance(x, list) and isinstance(y, list):
        return len(x) == len(y) and all(_same_value(v, w) for v, w in zip(x, y))
    return bool(x == y)


def changed_words(old: StoryFile, new: StoryFile) -> Optional[tuple[list[str], list[str]]]:
    """The scenes of a file whose words changed and the scenes whose choices added by the
    file's `extend` tables changed words, when nothing else in the file did; None otherwise."""
    for name in type(new).model_fields:
        if name not in ("scene", "extend") and getattr(old, name) != getattr(new, name):
            return None
    if list(old.scene) != list(new.scene) or list(old.extend) != list(new.extend):
        return None
    scenes = []
    for sid, m in new.scene.items():
        before = old.scene[sid]
        if m != before:
            if not _same_but_words(before, m):
                return None
            scenes.append(sid)
    extended = []
    for sid, ext in new.extend.items():
        before_ext = old.extend[sid]
        if ext != before_ext:
            if not _same_but_words(before_ext, ext):
                return None
            extended.append(sid)
    return scenes, extended


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
        return sorted(parsed.diagnostics, key=lambda d: (d.path, d.line, d.col, d.code)), None
    if parsed.text is None or parsed.diagnostics or parsed.broken_var_types or any(parsed.broken.values()):
        return None
    changed = changed_words(old.model, new)
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
    compiler.items["side"] = {sid: (side.file, None) for sid, side in story.sides.items()}
    compiler.items["var"] = {name: (var.file, None) for name, var in story.vars.items()}
    compiler.var_labels = {name: var.label for name, var in story.vars.items()}
    scene_ids = set(story.scenes)
    var_types: dict[str, str] = {name: var.type for name, var in story.vars.items()}
    scenes: dict[str, Scene] = {}
    same_reads = True
    for sid in dict.fromkeys([*changed[0], *changed[1]]):
        before = updated[sid]
        observed: set[str] = set()
        scene = compiler.build_scene(sid, before.file, before.model, dict(story.sides), dict(story.sources),
                                     scene_ids, dict(story.vars), var_types, observed, list(before.extra))
        same_reads = same_reads and observed == before.observed
        scenes[sid] = scene
        updated[sid] = dataclasses.replace(before, scene=scene)
    if compiler.report.errors:
        # A passage still being typed, say. The loader reports what compiling each scene found
        # and stops short of the checks of a whole story; every other scene compiled cleanly.
        return sorted(compiler.report.items, key=lambda d: (d.path, d.line, d.col, d.code)), None
    if compiler.report.items or not same_reads:
        return None  # seen() reads another scene now: the full check says what follows

    story = dataclasses.replace(story, scenes={**story.scenes, **scenes})
    diagnostics = sorted(lint(story, texts, lints), key=lambda d: (d.path, d.line, d.col, d.code))
    built = {**base.built, **updated}
    files = {**base.parsed, shown: parsed}
    cache.files.update(files)
    cache.scenes, cache.scene_context = dict(built), base.context
    return diagnostics, dataclasses.replace(base, story=story, texts=texts, size=size, parsed=files, built=built,
                                            buffers={**base.buffers, path: text})


def baseline(buffers: dict[Path, str], story: Optional[Story], compile_diagnostics: list[Diagnostic],
             texts: dict[str, str], files: list[Path], shown: dict[Path, str],
             cache: ParseCache) -> Optional[Baseline]:
    """The baseline a full check makes, or None when its story did not compile cleanly."""
    if story is None or compile_diagnostics or any(s not in cache.files for s in texts):
        return None
    parsed = {s: cache.files[s] for s in texts}
    return Baseline(dict(buffers), story, dict(texts), files, shown, sum(len(f.raw) for f in parsed.values()),
                    parsed, dict(cache.scenes), cache.scene_context)
