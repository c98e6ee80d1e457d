"""The loader's shortcuts answer exactly what the long way answers.

Loading a large story from source has a budget (issue 17), so the loader takes shortcuts: it
decides from a file's bytes whether any string can hold a forbidden character, and it builds
the compiled story's records without their generated `__init__`. Each shortcut must never let
through what the full check refuses, and never build something other than the class would.
"""

from __future__ import annotations

import copy
import dataclasses
import pickle
import shutil
from pathlib import Path

import pytest

from game.commands.check import check
from game.records import maker, record
from game.engine.safe_text import FORBIDDEN, first_forbidden, utf8_is_clean
from game.engine.story import Choice, Effect, Ending, Scene, Story
from game.engine.text import Template, plain_template

EXAMPLE = Path(__file__).parent / "fixtures" / "example"


def _chars() -> list[str]:
    """Every character of the Basic Multilingual Plane a file can encode, and a few beyond."""
    return [chr(c) for c in range(0x10000) if not 0xD800 <= c <= 0xDFFF] + ["\U0001f600", "\U000e0001", "\U0010fffd"]


@pytest.mark.parametrize("around", ["plain ascii", "caf\u00e9 \u2014 \u4e2d\u6587"], ids=["ascii", "non-ascii"])
def test_the_byte_level_check_agrees_with_the_text_rule_on_every_character(around: str) -> None:
    disagree = [hex(ord(ch)) for ch in _chars()
                if utf8_is_clean(f"{around}{ch}{around}\n".encode("utf-8"))
                != (first_forbidden(f"{around}{ch}{around}\n") is None)]
    assert disagree == []


def test_the_byte_level_check_finds_a_forbidden_character_anywhere_in_a_large_file() -> None:
    text = "x = \"" + "word \u2014 " * 50_000 + "\"\n"
    assert utf8_is_clean(text.encode("utf-8"))
    for at in (0, len(text) // 2, len(text) - 1):
        for ch in ("\x1b", "\x85", "\u2028", "\u061c", "\u202e", "\x7f", "\r"):
            bad = text[:at] + ch + text[at:]
            assert FORBIDDEN.search(bad) is not None
            assert not utf8_is_clean(bad.encode("utf-8")), (at, hex(ord(ch)))


@pytest.mark.parametrize("char, name", [
    ("\x85", "U+0085"),
    ("\u2028", "U+2028 (LINE SEPARATOR)"),
    ("\u061c", "U+061C (ARABIC LETTER MARK)"),
    ("\u202e", "U+202E (RIGHT-TO-LEFT OVERRIDE)"),
])
def test_a_raw_forbidden_character_among_non_ascii_text_is_reported_where_it_is(tmp_path: Path, char: str,
                                                                                 name: str) -> None:
    root = tmp_path / "story"
    shutil.copytree(EXAMPLE, root)
    path = root / "story.toml"
    text = path.read_text(encoding="utf-8")
    old = 'subtitle = "A board meeting in four scenes"'
    assert old in text
    path.write_text(text.replace(old, f'subtitle = "Caf\u00e9 \u2014 a board{char} meeting"', 1), encoding="utf-8")
    found = [d for d in check(str(root)) if d.severity == "error"]
    assert [d.code for d in found] == ["E402"], [d.format() for d in found]
    line = next(i for i, s in enumerate(path.read_text(encoding="utf-8").split("\n"), 1) if s.startswith("subtitle"))
    assert (found[0].line, found[0].col) == (line, len('subtitle = "Caf\u00e9 \u2014 a board') + 1)
    assert name in found[0].message


def _sample(cls: type) -> tuple[object, ...]:
    t = plain_template("x")
    samples: dict[type, tuple[object, ...]] = {
        Scene: ("a", "side", None, "Title", "reported", ("src",), "x", "", "", (), None, "a.toml", t, t),
        Choice: ("c0", "Go", "b", None, None, False, (Effect("v", "add", 1),), "a.toml", ("scene", "a", "choice", 0),
                 t, None),
        Effect: ("v", "set", True),
        Ending: ("The end", "What happened", "", 7.5, True),
        Template: ("x", ("x",), "x", frozenset(), frozenset({"v"}), 0),
    }
    return samples[cls]


@pytest.mark.parametrize("cls", [Scene, Choice, Effect, Ending, Template], ids=lambda c: c.__name__)
def test_a_record_built_by_maker_is_the_record_the_class_builds(cls: type) -> None:
    values = _sample(cls)
    fast, slow = maker(cls)(*values), cls(*values)
    assert type(fast) is cls
    assert fast == slow and hash(fast) == hash(slow) and repr(fast) == repr(slow)
    names = [f.name for f in dataclasses.fields(cls)]
    assert [getattr(fast, n) for n in names] == [getattr(slow, n) for n in names] == list(values)
    assert dataclasses.replace(fast) == slow and copy.copy(fast) == slow and pickle.loads(pickle.dumps(fast)) == slow
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(fast, names[0], "other")
    assert not hasattr(fast, "__dict__"), "the per-scene records keep no dictionary"


def test_maker_builds_a_record_with_a_dict_as_its_own_constructor_does() -> None:
    @record
    class Plain:
        a: int
        b: str = "x"

    fast, slow = maker(Plain)(1, "y"), Plain(1, "y")
    assert maker(Plain) is not Plain and type(fast) is Plain
    assert fast == slow and hash(fast) == hash(slow) and vars(fast) == vars(slow)
    assert list(vars(fast)) == list(vars(slow))
    with pytest.raises(dataclasses.FrozenInstanceError):
        fast.a = 2  # type: ignore[misc]


def test_maker_falls_back_to_the_class_where_init_does_more_than_store() -> None:
    @dataclasses.dataclass(frozen=True, slots=True, weakref_slot=True)
    class Weak:
        a: int

    @record(slots=True)
    class Base:
        a: int

    @record(slots=True)
    class Derived(Base):
        b: int

    @record
    class Checked:
        a: int

        def __post_init__(self) -> None:
            if self.a < 0:
                raise ValueError("negative")

    @dataclasses.dataclass(frozen=True)
    class Partly:
        a: int
        b: list[int] = dataclasses.field(default_factory=list, init=False)

    for cls in (Weak, Derived, Checked, Partly, Story):
        assert maker(cls) is cls
    with pytest.raises(ValueError):
        maker(Checked)(-1)


def test_the_generated_story_loads_with_its_texts_and_choices(tmp_path: Path) -> None:
    """A generated story with passages, conditions and effects compiles from source as it did."""
    from game.engine.load import load_story
    from game.generate import generate_story

    generate_story(tmp_path / "gen", scenes=200, seed=0)
    story = load_story(tmp_path / "gen")
    scene = next(s for s in story.scenes.values() if s.choices)
    assert scene.body.source == scene.text and scene.news.source == scene.headline
    for choice in scene.choices:
        assert choice.key[:2] == ("scene", scene.id) and choice.label.source == choice.text
    assert any(c.condition is not None for s in story.scenes.values() for c in s.choices)
    assert any(c.effects for s in story.scenes.values() for c in s.choices)


def test_compiling_leaves_the_collector_as_it_found_it() -> None:
    """The loader pauses the cyclic collector and moves what it built to the oldest generation;
    it must leave the collector on (or off) as it was, and never unfreeze what the app froze."""
    import gc

    from game.engine.load import compile_files

    was = gc.isenabled()
    try:
        gc.enable()
        assert compile_files(EXAMPLE).story is not None
        assert gc.isenabled()
        gc.disable()
        assert compile_files(EXAMPLE).story is not None
        assert not gc.isenabled()
        gc.enable()
        gc.freeze()
        frozen = gc.get_freeze_count()
        assert frozen > 0
        assert compile_files(EXAMPLE).story is not None
        assert gc.get_freeze_count() == frozen and gc.isenabled()
    finally:
        gc.unfreeze()
        if was:
            gc.enable()
        else:
            gc.disable()


def test_an_effect_that_repeats_is_judged_by_its_value_and_kind_each_time(tmp_path: Path) -> None:
    """Choices share an effect the loader has already found good; one that differs only in kind
    (`true` where `1` was fine, `1` where `true` was) or that names a bad variable is still
    reported, at each place."""
    root = tmp_path / "story"
    shutil.copytree(EXAMPLE, root)
    edits = {"alpha.toml": [("add = { loyalty = 3 }", "add = { loyalty = 3 }\nset = { cohesion = 1, nope = 1 }"),
                            ("add = { loyalty = -2, scale = 1 }",
                             "add = { loyalty = -2, scale = 1 }\nset = { cohesion = true, nope = 1 }")],
             "gamma.toml": [("add = { scale = 2 }", "add = { scale = 2 }\nset = { signed = 1 }")]}
    where: dict[str, list[int]] = {}
    for name, changes in edits.items():
        path = root / name
        text = path.read_text(encoding="utf-8")
        for old, new in changes:
            assert old in text
            text = text.replace(old, new, 1)
        path.write_text(text, encoding="utf-8")
        added = tuple(new.split("\n")[1] for _old, new in changes)
        where[name] = [i for i, s in enumerate(text.split("\n"), 1) if s in added]
    found = sorted((Path(d.path).name, d.line, d.code) for d in check(str(root)) if d.severity == "error")
    (a1, a2), (g1,) = where["alpha.toml"], where["gamma.toml"]
    assert found == [("alpha.toml", a1, "E202"), ("alpha.toml", a2, "E202"), ("alpha.toml", a2, "E203"),
                     ("gamma.toml", g1, "E203")], found


def test_choices_with_the_same_effect_share_one_record(tmp_path: Path) -> None:
    from game.engine.load import load_story

    root = tmp_path / "story"
    shutil.copytree(EXAMPLE, root)
    path = root / "beta.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("add = { cohesion = 1, scale = -3 }",
                                                             "add = { loyalty = 3, scale = -3 }", 1), encoding="utf-8")
    story = load_story(root)
    effects = [e for s in story.scenes.values() for c in s.choices for e in c.effects]
    rally = [e for e in effects if (e.var, e.op, e.value) == ("loyalty", "add", 3)]
    assert len(rally) == 2 and rally[0] is rally[1]
    signed = [e for e in effects if e.var == "signed"]
    assert len(signed) == 2 and all(e.value is True for e in signed)
