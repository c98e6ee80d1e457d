"""The loader's shortcuts answer exactly what the long way answers.

Loading a large story from source has a budget (issue 17), so the loader takes shortcuts: it
decides from a file's bytes whether any string can hold a forbidden character, and it builds
the compiled story's records without their generated `__init__`. Each shortcut must never let
through what the full check refuses, and never build something other than the class would.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import pickle
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from game.commands.check import check
from game.records import maker, record
from game.engine.safe_text import first_forbidden, forbidden, utf8_is_clean
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
            assert forbidden().search(bad) is not None
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


# ----------------------------------------------------------------------------- scene tables without models
#
# A story compiled once (`load_story`, `check`) is first compiled with its scene tables as parsed,
# read through hand checks (`tables.scene_values`, `choice_values`) instead of a pydantic model of
# each, and kept only when it has no error. The checks must accept nothing the models refuse and
# give the values the models would; every diagnostic of a broken story stays the models'.

def _model_keys(model: Any) -> tuple[set[str], set[str]]:
    fields = model.model_fields.items()
    return ({f.alias or name for name, f in fields}, {f.alias or name for name, f in fields if f.is_required()})


def test_the_hand_check_knows_exactly_the_keys_the_models_have() -> None:
    from typing import get_args

    from game.engine import tables
    from game.engine.model import ChoiceModel, EndingModel, SceneModel

    assert _model_keys(SceneModel) == (set(tables._SCENE_KEYS), set(tables._SCENE_REQUIRED))
    assert _model_keys(ChoiceModel) == (set(tables._CHOICE_KEYS), set(tables._CHOICE_REQUIRED))
    assert _model_keys(EndingModel) == (set(tables._ENDING_KEYS), set(tables._ENDING_REQUIRED))
    assert set(get_args(SceneModel.model_fields["provenance"].annotation)) == set(tables._PROVENANCES)


_AT = dt.datetime(2023, 11, 16, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=-8)))
_STRINGS = ["", "x", "Walk away.", "loyalty >= 7", "a" * 12]
_ANY_VALUE = st.one_of(st.sampled_from(_STRINGS), st.integers(-3, 3), st.sampled_from([True, False, 1.5, 0.0, 10.0, 11.0,
                                                                                       -0.5, float("nan")]),
                       st.just(_AT), st.just(_AT.replace(tzinfo=None)), st.just(dt.date(2023, 11, 16)),
                       st.just(dt.time(8, 0)), st.lists(st.sampled_from(["memo", 1]), max_size=2),
                       st.dictionaries(st.sampled_from(["loyalty", "signed"]), st.sampled_from([1, -2, True, "1"]),
                                       max_size=2))


_VALID_CHOICE = {"if": st.sampled_from(["loyalty >= 7", "x"]), "locked": st.sampled_from(["Not yet.", ""]),
                 "hidden": st.booleans(), "add": st.dictionaries(st.sampled_from(["loyalty", "scale"]),
                                                                 st.integers(-5, 5), max_size=2),
                 "set": st.dictionaries(st.sampled_from(["loyalty", "signed"]),
                                        st.one_of(st.booleans(), st.integers(0, 9)), max_size=2),
                 "outcome": st.sampled_from(["It works.", "{= loyalty}"])}
_CHOICE = st.fixed_dictionaries({"id": st.sampled_from(["c0", "go", "C 1"]), "text": st.sampled_from(["Go on.", "x"]),
                                 "goto": st.sampled_from(["b", "alpha.noon"])}, optional=_VALID_CHOICE)
_ENDING = st.fixed_dictionaries({"title": st.just("The end"), "history": st.just("What happened."),
                                 "score": st.sampled_from([0.0, 7.5, 10.0])},
                                optional={"critic": st.sampled_from(["", "A verdict."]), "historical": st.booleans()})
_SCENE = st.fixed_dictionaries(
    {"side": st.sampled_from(["alpha", ""]), "at": st.just(_AT), "title": st.just("Noon"),
     "provenance": st.sampled_from(["documented", "reported", "counterfactual"]), "text": st.just("The call.")},
    optional={"sources": st.lists(st.sampled_from(["memo", "wire"]), max_size=2),
              "note": st.sampled_from(["", "A note."]), "headline": st.sampled_from(["", "News."]),
              "choice": st.lists(_CHOICE, max_size=3), "ending": _ENDING})


def _spoil(data: st.DataObject, table: dict[str, Any]) -> None:
    """Change one thing in a scene table, or in one of its choices or its ending: a value swapped
    for any other, a key removed, or a key added that no model has."""
    targets: list[dict[str, Any]] = [table]
    for key in ("choice", "ending"):
        value = table.get(key)
        targets += [c for c in value if isinstance(c, dict)] if isinstance(value, list) else (
            [value] if isinstance(value, dict) else [])
    target = data.draw(st.sampled_from(targets))
    action = data.draw(st.sampled_from(["swap", "swap", "remove", "add"]))
    if action == "add" or not target:
        target[data.draw(st.sampled_from(["if_", "choices", "Side", "scores", "extra"]))] = data.draw(_ANY_VALUE)
    elif action == "remove":
        del target[data.draw(st.sampled_from(sorted(target)))]
    else:
        target[data.draw(st.sampled_from(sorted(target)))] = data.draw(_ANY_VALUE)


def _model_values(model: Any, fields: list[str]) -> dict[str, Any]:
    return {name: getattr(model, name) for name in fields}


def _typed(value: Any) -> Any:
    """A value with its type, containers as plain lists and dicts: `True` and `1` compare unequal."""
    if isinstance(value, (list, tuple)):
        return [_typed(v) for v in value]
    if isinstance(value, dict):
        return {k: _typed(v) for k, v in value.items()}
    return (type(value), value)


def _check_agrees(scenes: dict[str, Any]) -> bool:
    """Whether the hand check accepted `scenes`; when it did, the models accept every table and
    read the same values from it, and every string and integer is within the loader's bounds."""
    from pydantic import ValidationError

    from game.engine.load import _within_bounds
    from game.engine.model import SceneModel
    from game.engine.tables import Unsure, choice_values, scene_values

    before = copy.deepcopy(scenes)
    read: dict[str, tuple[Any, list[Any]]] = {}
    try:
        for sid, table in scenes.items():
            values = scene_values(table)
            read[sid] = (values, [choice_values(c) for c in values[8]])
    except Unsure:
        return False
    finally:
        assert scenes == before  # never changes what it was given: the long way reads it next
    assert _within_bounds({"scene": scenes})
    for sid, table in scenes.items():
        try:
            model = SceneModel.model_validate(table)
        except ValidationError as exc:
            raise AssertionError(f"accepted what the model refuses: {table!r}\n{exc}") from None
        values, choices = read[sid]
        scene_fields = ["side", "at", "title", "provenance", "sources", "text", "note", "headline"]
        assert _typed(list(values[:8])) == _typed(list(_model_values(model, scene_fields).values()))
        assert len(choices) == len(model.choice)
        choice_fields = ["id", "text", "goto", "if_", "locked", "hidden", "add", "set", "outcome"]
        for mine, theirs in zip(choices, model.choice):
            assert _typed(list(mine)) == _typed(list(_model_values(theirs, choice_fields).values()))
        assert (values[9] is None) == (model.ending is None)
        if model.ending is not None:
            ending_fields = ["title", "history", "critic", "score", "historical"]
            assert _typed(list(values[9])) == _typed(list(_model_values(model.ending, ending_fields).values()))
    return True


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(["a", "b.c"]), _SCENE, min_size=1, max_size=2), st.integers(0, 2), st.data())
def test_the_hand_check_accepts_only_what_the_models_accept_and_reads_the_same_values(
        scenes: dict[str, Any], spoilt: int, data: st.DataObject) -> None:
    for _ in range(spoilt):
        _spoil(data, data.draw(st.sampled_from(list(scenes.values()))))
    accepted = _check_agrees(scenes)
    assert accepted or spoilt  # a valid table takes the short way, else it buys nothing


class _Str(str):
    """A string of another type: tomli never gives one, and the check must not take it for a str."""


_VALUES: list[Any] = [
    "", "x", "documented", "rumour", "y" * 50_001, _Str("x"), None, 0, 1, -1, 2 ** 63, -(2 ** 63), True, False, 0.0,
    7.5, 10.0, 10.5, -0.5, float("nan"), float("inf"), _AT, _AT.replace(tzinfo=None), dt.date(2023, 11, 16),
    dt.time(8, 0), [], ["memo"], ["memo", 1], ["y" * 50_001], [{}], (), ("memo",), {}, {"loyalty": 1}, {"loyalty": True},
    {"loyalty": "1"}, {"loyalty": 2 ** 63}, {"loyalty": 1.0}, {"title": "x", "history": "y", "score": 1.0},
    [{"id": "c", "text": "t", "goto": "g"}], [{"id": "c", "text": "", "goto": "g"}],
]


def test_the_hand_check_agrees_with_the_models_on_every_single_change() -> None:
    """Each key of a full scene, choice and ending table set to each of many values, or removed,
    or a key no model has added: the hand check accepts the change only if the models do."""
    full_choice = {"id": "c0", "text": "Go.", "goto": "b", "if": "loyalty >= 7", "locked": "Not yet.", "hidden": True,
                   "add": {"loyalty": 1}, "set": {"signed": True, "loyalty": 3}, "outcome": "Done."}
    full = {"side": "alpha", "at": _AT, "title": "Noon", "provenance": "documented", "sources": ["memo"],
            "text": "The call.", "note": "A note.", "headline": "News.", "choice": [full_choice],
            "ending": {"title": "The end", "history": "What happened.", "critic": "A verdict.", "score": 7.5,
                       "historical": True}}
    minimal = {"side": "alpha", "at": _AT, "title": "Noon", "provenance": "reported", "text": "The call.",
               "choice": [{"id": "c0", "text": "Go.", "goto": "b"}]}
    extra = ["if_", "choices", "Side", "scores"]
    accepted = refused = 0
    for base in (full, minimal):
        assert _check_agrees({"a": copy.deepcopy(base)})
        for where in ("scene", "choice", "ending"):
            for key in sorted({*full, *full_choice, *full["ending"], *extra}):  # type: ignore[misc]
                for value in [*_VALUES, "remove"]:
                    scene = copy.deepcopy(base)
                    target = (scene if where == "scene" else scene["choice"][0] if where == "choice"
                              else scene.setdefault("ending", copy.deepcopy(full["ending"])))
                    if value == "remove":
                        target.pop(key, None)
                    else:
                        target[key] = value
                    if _check_agrees({"a": scene}):
                        accepted += 1
                    else:
                        refused += 1
    assert accepted > 100 and refused > 1000


def test_the_hand_check_accepts_the_tables_of_a_valid_story_and_refuses_an_overlong_string(tmp_path: Path) -> None:
    """The common case takes the short way (else it buys nothing), and a string over the length
    limit, which the models allow, is left to the loader's own check."""
    import tomli

    from game.engine.limits import MAX_STRING_CHARS

    for path in sorted(EXAMPLE.glob("*.toml")):
        scenes = tomli.loads(path.read_text(encoding="utf-8")).get("scene")
        if scenes is not None:
            assert _check_agrees(scenes), path
            scenes[next(iter(scenes))]["text"] = "x" * (MAX_STRING_CHARS + 1)
            assert not _check_agrees(scenes)


def _compile_both_ways(root: Path) -> tuple[Any, Any]:
    """The loader's compile, and the long way's alone (every table a model)."""
    from game.engine.load import _Compiler, compile_files

    compiled = compile_files(root)
    return (compiled.story, compiled.diagnostics), _Compiler(root, {}, None).run()


def test_a_story_compiles_to_the_same_story_with_or_without_models(tmp_path: Path) -> None:
    from game.engine.load import _Compiler
    from game.generate import generate_story

    generate_story(tmp_path / "gen", scenes=120, seed=3)
    shipped = Path(__file__).parent.parent / "story"
    for root in (EXAMPLE, tmp_path / "gen", shipped):
        (story, found), (expected, wanted) = _compile_both_ways(root)
        assert story is not None and story == expected, root
        assert [d.format() for d in found] == [d.format() for d in wanted]
        short, _ = _Compiler(root, {}, None, tables=True).run()  # the short way alone: it needs no help
        assert short == expected


_EDITS = [
    ('title = "Noon"', ['title = ""', "title = 12", 'title = "Noon"\ntitle2 = "x"', 'title = "x\\u001b"', "",
                        'title = "Noon"\nchoice = 3', 'title = """' + "y" * 50_001 + '"""']),
    ('goto = "alpha.noon"', ['goto = 3', '', 'goto = "alpha.nowhere"', 'goto = "alpha.noon"\nif_ = "x"',
                             'goto = "alpha.noon"\nhidden = "yes"']),
    ('add = { loyalty = 3 }', ['add = { loyalty = true }', 'add = { loyalty = 9223372036854775808 }',
                               'add = { loyalty = "3" }', 'add = [3]', 'add = { loyalty = 3, nope = 1 }']),
    ('provenance = "counterfactual"', ['provenance = "rumour"', 'provenance = ["documented"]']),
    ('at = 2023-11-16T12:00:00-08:00', ['at = 2023-11-16T12:00:00', 'at = 2023-11-16', 'at = 12:00:00']),
    ('sources = ["memo"]', ['sources = "memo"', 'sources = ["memo", 2]', 'sources = ["nomemo"]']),
    ('if = "loyalty >= 7"', ['if = "loyalty >="', 'if = 7', 'if = "nope > 1"']),
]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(range(len(_EDITS))).flatmap(
    lambda i: st.tuples(st.just(i), st.sampled_from(_EDITS[i][1]))), min_size=1, max_size=3))
def test_a_broken_story_gives_the_same_diagnostics_with_or_without_models(tmp_path: Path,
                                                                         edits: list[tuple[int, str]]) -> None:
    with tempfile.TemporaryDirectory(dir=tmp_path) as tmp:
        root = Path(tmp) / "story"
        shutil.copytree(EXAMPLE, root)
        path = root / "alpha.toml"
        text = path.read_text(encoding="utf-8")
        for i, new in edits:
            text = text.replace(_EDITS[i][0], new, 1)
        path.write_text(text, encoding="utf-8")
        (story, found), (expected, wanted) = _compile_both_ways(root)
        assert [d.format() for d in found] == [d.format() for d in wanted]
        assert story == expected


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.text(alphabet="ab0.-_\nA/ ", max_size=6), st.sampled_from(["a" * 64, "a" * 65, "a.b\n"])),
                max_size=4))
def test_all_ids_passes_a_list_only_when_every_id_in_it_passes(values: list[str]) -> None:
    from game.engine.limits import all_ids, id_problem

    each = all(id_problem(v) is None for v in values)
    assert not all_ids(values) or each
    if each and not any(v.endswith("\n") for v in values):
        assert all_ids(values)


_ASCII_PIECES = ["a", " ", '"', "'", "\n", "\r\n", "\r", "\t", "#", "\\", "\\t", "\\n", "\\u001b", "\\r",
                 "\\\\", *(chr(c) for c in (*range(0x00, 0x09), *range(0x0b, 0x20), 0x7f))]
_ASCII_TEXT = st.lists(st.sampled_from(_ASCII_PIECES), max_size=6).map("".join)


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(['"', "'", '"""', "'''"]), _ASCII_TEXT, st.one_of(st.just(""), _ASCII_TEXT.map(" # ".__add__)),
       st.sampled_from(["\n", "\r\n"]))
@example('"""', "a\r\nb\tc\r\n", " # x\t", "\r\n")
@example("'''", "a\r\n\r\nb", "", "\r\n")
def test_an_ascii_file_tomli_parses_holds_no_forbidden_character_but_through_an_escape(
        quote: str, content: str, comment: str, end: str) -> None:
    """Why the loader does not look at the bytes of an ASCII file: tomli refuses every control
    character in a string but tab and line breaks, and reads CRLF as LF."""
    import tomli

    from game.engine.load import _CONTROL_ESCAPE

    text = f"x = {quote}{content}{quote}{comment}{end}y = 1{end}"
    try:
        data = tomli.loads(text)
    except tomli.TOMLDecodeError:
        return
    strings: list[str] = []
    stack: list[Any] = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            strings += [k for k in item if isinstance(k, str)]
            stack += item.values()
        elif isinstance(item, list):
            stack += item
        elif isinstance(item, str):
            strings.append(item)
    if _CONTROL_ESCAPE.search(text) is None:
        assert all(first_forbidden(s) is None for s in strings), (text, strings)


def test_a_story_that_stops_early_still_reports_every_table_the_models_refuse(tmp_path: Path) -> None:
    """A file that does not parse stops the compile before any scene is built; a scene table the
    models refuse, in another file, is still reported (the short way never reads it, so its
    outcome is not kept)."""
    root = tmp_path / "story"
    shutil.copytree(EXAMPLE, root)
    alpha = root / "alpha.toml"
    alpha.write_text(alpha.read_text(encoding="utf-8").replace('title = "Noon"', "title = 12", 1), encoding="utf-8")
    beta = root / "beta.toml"
    beta.write_text(beta.read_text(encoding="utf-8") + "\nbroken = [\n", encoding="utf-8")
    found = sorted((Path(d.path).name, d.code) for d in check(str(root)) if d.severity == "error")
    assert found == [("alpha.toml", "E102"), ("beta.toml", "E001")], found


def test_the_hand_check_types_exactly_the_choice_keys() -> None:
    from game.engine import tables

    assert set(tables._CHOICE_KINDS) == set(tables._CHOICE_KEYS)
