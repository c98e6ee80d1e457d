"""The story cache's written decoders (`game/engine/story_decoders.py`) are `codec.py`'s checks,
written out: current with the classes, and judging every payload as `codec.py` does.

A damaged payload is refused by both or read by both to the same story; a module left behind
by a class that changed is not used (the cache still plays, by `codec.py`'s own decoders).
"""

from __future__ import annotations

import dataclasses
import json
import random
from pathlib import Path
from typing import Any, Iterator

import pytest

from game.engine import codec, decoder_source, story_decoders
from game.engine.codec import CodecError, decode_payload, decode_story, encode_story
from game.engine.load import compile_story
from game.engine.story import Story

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "tests" / "fixtures" / "example"


def test_the_written_decoders_are_current() -> None:
    written = (REPO / "game" / "engine" / "story_decoders.py").read_text(encoding="utf-8")
    assert written == decoder_source.source(), "run: python -m game.engine.decoder_source"
    assert story_decoders.SCHEMA == codec._CODEC.signature(Story)
    assert codec._written() is story_decoders


def payload(root: Path) -> tuple[Any, str, str]:
    story, diagnostics = compile_story(root)
    assert story is not None
    return json.loads(json.dumps(encode_story(story, diagnostics))), story.root, story.fingerprint


def outcome(data: Any, root: str, fingerprint: str, written: bool) -> Any:
    try:
        return decode_payload(data, root, fingerprint, story_decoders if written else None)
    except CodecError:
        return "refused"


@pytest.mark.parametrize("root", [EXAMPLE, REPO / "story"], ids=["example", "shipped"])
def test_both_decoders_read_a_story_to_the_compiled_story(root: Path) -> None:
    data, at, fingerprint = payload(root)
    compiled = compile_story(root)
    assert outcome(data, at, fingerprint, True) == outcome(data, at, fingerprint, False) == compiled


def places(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every place in the story's payload a value sits, containers included."""
    yield path
    if isinstance(value, list):
        for i, item in enumerate(value):
            yield from places(item, path + (i,))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from places(item, path + (key,))


def put(data: Any, path: tuple[Any, ...], value: Any) -> None:
    for step in path[:-1]:
        data = data[step]
    data[path[-1]] = value


def test_both_decoders_judge_every_damaged_value_alike() -> None:
    """Each place in the example's story replaced by something of another kind or out of range
    (numbers past the string table or negative, bools for numbers, text for numbers, lists of
    the wrong length, objects for lists, nulls), and lists shortened or lengthened."""
    data, at, fingerprint = payload(EXAMPLE)
    count = len(data["strings"])
    wrong: list[Any] = [None, True, False, -1, count, 0, 1, 2.5, float("nan"), "x", "error", [], [0], {}, {"a": 0},
                        "2023-11-17T12:00:00", "2023-11-17T12:00:00+00:00", "2023-11-17"]
    rng = random.Random(17)
    spots = [("story",) + p for p in places(data["story"]) if p] + [("diagnostics",) + p for p in places(data["diagnostics"]) if p]
    assert len(spots) > 500
    tried = 0
    text = json.dumps(data)
    for path in spots:
        for value in rng.sample(wrong, 4):
            changed = json.loads(text)
            put(changed, path, value)
            assert outcome(changed, at, fingerprint, True) == outcome(changed, at, fingerprint, False), (path, value)
            tried += 1
    for path in [p for p in spots if isinstance(_at(data, p), list)]:
        for change in ("drop", "add"):
            changed = json.loads(text)
            target = _at(changed, path)
            if change == "drop" and target:
                target.pop()
            else:
                target.append(0)
            assert outcome(changed, at, fingerprint, True) == outcome(changed, at, fingerprint, False), (path, change)
    assert tried > 2000


def test_a_damaged_scene_read_lazily_is_what_reading_it_eagerly_gives_or_the_story_files_scene() -> None:
    """Decoding each scene when it is first read (`from_source`, as the game does) lets through
    nothing that decoding them all at once refuses: every damaged value in a scene either reads
    to what the eager decoders read, or makes the scenes come from the story files."""
    data, at, fingerprint = payload(EXAMPLE)
    compiled = compile_story(EXAMPLE)[0]
    assert compiled is not None
    scenes_at = ("story", [f.name for f in dataclasses.fields(Story)].index("scenes"))
    count = len(data["strings"])
    wrong: list[Any] = [None, True, -1, count, 0, 2.5, "x", [], [0], {}]
    rng = random.Random(23)
    spots = [scenes_at + p for p in places(_at(data, scenes_at)) if len(p) > 1]
    text = json.dumps(data)
    sources = 0
    for path in rng.sample(spots, 150):
        changed = json.loads(text)
        put(changed, path, rng.choice(wrong))
        try:
            eager = decode_story(json.loads(json.dumps(changed)), at, fingerprint)[0]
        except CodecError:
            eager = None
        fell_back: list[bool] = []

        def from_source() -> Any:
            fell_back.append(True)
            return compiled.scenes

        lazy = decode_story(changed, at, fingerprint, from_source=from_source)[0]
        read = {sid: lazy.scenes[sid] for sid in lazy.scenes}
        if eager is not None and not fell_back:
            assert read == dict(eager.scenes), path
        else:
            assert fell_back and read == dict(compiled.scenes), path
            sources += 1
    assert sources > 50


def _at(data: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        data = data[step]
    return data


def test_a_written_module_behind_its_classes_is_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    data, at, fingerprint = payload(EXAMPLE)
    fields = dict(story_decoders.FIELDS)
    fields[Story] = fields[Story][:-1]  # as if a field had been added to Story since it was written
    monkeypatch.setattr(story_decoders, "FIELDS", fields)
    monkeypatch.setattr(codec, "_WRITTEN", [])
    assert codec._written() is None
    assert codec.schema_signature() == codec._CODEC.signature(Story)

    def refuse(*args: Any) -> Any:
        raise AssertionError("the written decoders were used")

    monkeypatch.setattr(story_decoders, "decoders", refuse)
    assert decode_story(data, at, fingerprint) == compile_story(EXAMPLE)


def test_a_written_module_is_not_used_when_a_class_is_no_longer_built_by_storing_its_fields(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(story_decoders, "STORED", story_decoders.STORED + (Story,))  # Story has a __post_init__
    monkeypatch.setattr(codec, "_WRITTEN", [])
    assert codec._written() is None
    data, at, fingerprint = payload(EXAMPLE)
    assert decode_story(data, at, fingerprint) == compile_story(EXAMPLE)
