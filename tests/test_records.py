"""`record` behaves as `@dataclass(frozen=True)` does, for everything the game asks of one.

Each case declares the same class twice, once with `dataclass` and once with `record`, and
checks that construction, defaults, equality, hashing, ordering, repr, immutability, copying,
pickling, pattern matching and the `dataclasses` functions agree.
"""

from __future__ import annotations

import copy
import dataclasses
import pickle
from dataclasses import FrozenInstanceError, dataclass, field
from typing import Any, Callable, Optional

import pytest
from hypothesis import given
from hypothesis import strategies as st

from game.records import maker, record

Kind = Callable[..., Any]


def twins(**options: Any) -> list[Any]:
    """The same class body as a frozen dataclass and as a record (module-level names for pickle)."""
    return [dataclass(frozen=True, **options), record(**options)]


@pytest.fixture(params=[{}, {"slots": True}], ids=["dict", "slots"])
def kinds(request: pytest.FixtureRequest) -> tuple[Kind, Kind]:
    reference, ours = twins(**request.param)
    return reference, ours


def make_point(decorate: Kind) -> Any:
    @decorate
    class Point:
        x: int
        y: int = 0
        tags: tuple[str, ...] = ()
        notes: list[str] = field(default_factory=list, compare=False)
        cached: Optional[str] = field(default=None, compare=False, repr=False)

    return Point


values = st.tuples(st.integers(-5, 5), st.integers(-5, 5), st.lists(st.sampled_from("ab"), max_size=2).map(tuple))


@given(a=values, b=values)
def test_equality_hash_and_repr_agree_with_dataclass(a: tuple[int, int, tuple[str, ...]], b: tuple[int, int, tuple[str, ...]]) -> None:
    for options in ({}, {"slots": True}):
        reference, ours = (make_point(d) for d in twins(**options))
        ra, rb, oa, ob = reference(*a), reference(*b), ours(*a), ours(*b)
        assert (oa == ob) == (ra == rb) and (oa != ob) == (ra != rb)
        assert repr(oa) == repr(ra).replace(type(ra).__qualname__, type(oa).__qualname__)
        assert oa == ours(*a) and hash(oa) == hash(ours(*a))
        assert ours(*a, cached="x") == oa  # a field left out of == is left out of hash too
        assert hash(ours(*a, cached="x")) == hash(oa)


def test_defaults_factories_and_keywords(kinds: tuple[Kind, Kind]) -> None:
    reference, ours = (make_point(d) for d in kinds)
    for args, kwargs in [((1,), {}), ((1, 2), {}), ((1,), {"tags": ("a",)}), ((), {"x": 3, "y": 4})]:
        assert dataclasses.astuple(ours(*args, **kwargs)) == dataclasses.astuple(reference(*args, **kwargs))
    assert ours(1).notes is not ours(1).notes  # each instance its own list
    with pytest.raises(TypeError):
        ours()
    with pytest.raises(TypeError):
        ours(1, 2, (), [], None, "one too many")


def test_frozen(kinds: tuple[Kind, Kind]) -> None:
    _, ours = (make_point(d) for d in kinds)
    point = ours(1)
    with pytest.raises(FrozenInstanceError, match="cannot assign to field 'x'"):
        point.x = 2
    with pytest.raises(FrozenInstanceError):
        point.other = 2
    with pytest.raises(FrozenInstanceError, match="cannot delete field 'x'"):
        del point.x
    assert point.x == 1


def test_dataclasses_functions_copy_pickle_and_match(kinds: tuple[Kind, Kind]) -> None:
    reference, ours = (make_point(d) for d in kinds)
    point = ours(1, 2, ("a",), ["n"], "c")
    assert dataclasses.is_dataclass(point)
    assert [f.name for f in dataclasses.fields(point)] == [f.name for f in dataclasses.fields(reference)]
    assert dataclasses.asdict(point) == dataclasses.asdict(reference(1, 2, ("a",), ["n"], "c"))
    moved = dataclasses.replace(point, y=5)
    assert (moved.x, moved.y, moved.tags, type(moved)) == (1, 5, ("a",), ours)
    for copied in (copy.copy(point), copy.deepcopy(point)):
        assert copied == point and copied.cached == "c"
    globals()["Point"] = ours  # pickle finds classes by their module-level name
    ours.__qualname__ = "Point"
    try:
        assert pickle.loads(pickle.dumps(point)) == point
    finally:
        del globals()["Point"]
    assert ours.__match_args__ == reference.__match_args__
    match point:
        case ours(1, y):  # type: ignore[misc]
            assert y == 2
        case _:
            pytest.fail("a record matches by position as a dataclass does")


@pytest.mark.parametrize("options", [{}, {"slots": True}], ids=["dict", "slots"])
def test_a_mutable_record_behaves_as_a_plain_dataclass(options: dict[str, Any]) -> None:
    """`record(frozen=False)` against `@dataclass`: assignment, defaults and factories, equality,
    unhashability, repr, the `dataclasses` functions, copying and pickling."""
    reference, ours = (make_point(d) for d in (dataclass(**options), record(frozen=False, **options)))
    for args in [(1,), (1, 2, ("a",)), (3, 4, (), ["n"], "c")]:
        a, b = ours(*args), reference(*args)
        assert dataclasses.astuple(a) == dataclasses.astuple(b)
        assert repr(a) == repr(b).replace(type(b).__qualname__, type(a).__qualname__)
        assert a == ours(*args) and not a != ours(*args) and a != ours(9)
    point = ours(1)
    point.y = 7
    point.notes.append("x")
    assert (point.y, point.notes, ours(1).notes) == (7, ["x"], [])
    with pytest.raises(TypeError):
        hash(point)
    assert ours.__hash__ is reference.__hash__ is None
    if not options:
        point.other = 1  # a plain class takes new attributes, as the dataclass does
        del point.other
    moved = dataclasses.replace(point, x=5)
    assert (moved.x, moved.y, type(moved)) == (5, 7, ours) and dataclasses.asdict(moved)["notes"] == ["x"]
    for copied in (copy.copy(point), copy.deepcopy(point)):
        assert copied == point
    globals()["Point"] = ours
    ours.__qualname__ = "Point"
    try:
        assert pickle.loads(pickle.dumps(point)) == point
    finally:
        del globals()["Point"]


def test_instances_of_other_classes_are_never_equal() -> None:
    first, second = (make_point(record) for _ in range(2))
    assert first(1) != second(1) and first(1).__eq__(second(1)) is NotImplemented
    assert first(1) != (1, 0, (), [], None)


def test_order_compares_fields_in_order() -> None:
    for decorate in twins(order=True):
        @decorate
        class Place:
            line: int
            col: int

        assert sorted([Place(2, 1), Place(1, 9), Place(1, 2)]) == [Place(1, 2), Place(1, 9), Place(2, 1)]
        assert Place(1, 2) <= Place(1, 2) < Place(1, 3) and Place(2, 0) > Place(1, 9) >= Place(1, 9)
    with pytest.raises(TypeError):
        Place(1, 2) < (1, 2)  # noqa: B015 - only instances of the same class compare


def test_eq_false_keeps_identity() -> None:
    @record(eq=False)
    class Link:
        value: int
        prev: Optional["Link"] = None

    first = Link(1)
    assert Link(1) != first and first == first
    assert len({first, Link(1)}) == 2  # hashed by identity too


def test_post_init_and_what_the_class_writes_itself_stay() -> None:
    seen: list[int] = []

    @record
    class Checked:
        value: int

        def __post_init__(self) -> None:
            seen.append(self.value)

        def __repr__(self) -> str:
            return f"<{self.value}>"

    assert repr(Checked(3)) == "<3>" and seen == [3]
    assert maker(Checked) is Checked  # the loader's fast constructor would skip __post_init__

    with pytest.raises(TypeError, match="frozen"):
        @record
        class Thawed:
            value: int

            def __setattr__(self, name: str, value: Any) -> None:
                object.__setattr__(self, name, value)


def test_maker_builds_what_the_constructor_builds(kinds: tuple[Kind, Kind]) -> None:
    _, ours = kinds

    @ours
    class Scene:
        id: str
        title: str
        choices: tuple[str, ...]

    fast = maker(Scene)
    assert fast is not Scene
    built = fast("a", "A", ("x",))
    assert built == Scene("a", "A", ("x",)) and hash(built) == hash(Scene("a", "A", ("x",)))
    assert type(built) is Scene
    with pytest.raises(FrozenInstanceError):
        built.id = "b"


def test_a_record_compiles_one_method_and_only_once_it_has_built_a_few_instances() -> None:
    """What the records are for: a frozen dataclass compiles six methods at import; a record
    compiles nothing at import, nothing for its first few instances (most classes build one or
    two before the first frame), then its `__init__`, once."""
    import builtins

    from game.records import COMPILE_AFTER

    compiled: list[str] = []
    real_exec = builtins.exec

    def counting(source: Any, *args: Any, **kwargs: Any) -> Any:
        compiled.append(str(source).split("(", 1)[0])
        return real_exec(source, *args, **kwargs)

    builtins.exec = counting
    try:
        point = make_point(record)
        declared = len(compiled)
        first, second = point(1, 2), point(3)
        few = len(compiled)
        built = [point(i) for i in range(COMPILE_AFTER)]
        many = len(compiled)
        compiled.clear()
        make_point(dataclass(frozen=True))
        theirs = len(compiled)
    finally:
        builtins.exec = real_exec
    assert declared == 0 and few == 0 and many == 1 and theirs >= 5
    assert (first.x, first.y, second.x, second.y) == (1, 2, 3, 0)
    assert [p.x for p in built] == list(range(COMPILE_AFTER)) and built[-1].notes is not built[-2].notes
    with pytest.raises(TypeError, match="missing 1 required positional argument: 'x'"):
        point()


CALLS: list[tuple[tuple[Any, ...], dict[str, Any]]] = [
    ((1,), {}), ((1, 2), {}), ((1,), {"tags": ("a",)}), ((), {"x": 3, "y": 4}), ((1, 2, ("b",), ["n"], "c"), {}),
    ((), {"x": 1, "notes": ["n"], "cached": "c"}),
    ((), {}), ((), {"y": 1}), ((1, 2, (), [], None, "one too many"), {}), ((1,), {"x": 2}), ((1,), {"z": 2}),
    ((1,), {"y": 2, "z": 3}), ((), {"y": 2, "tags": ()}),
]


@pytest.mark.parametrize("args,kwargs", CALLS)
def test_every_instance_is_built_as_the_dataclass_builds_it_before_and_after_compiling(
        kinds: tuple[Kind, Kind], args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """The same fields, or the same `TypeError` with the same message, from the first call to
    the one that compiles and after it."""
    from game.records import COMPILE_AFTER

    reference, ours = (make_point(d) for d in kinds)

    def outcome(kind: Kind) -> Any:
        try:
            made = kind(*args, **kwargs)
        except TypeError as exc:
            return str(exc).replace(type(exc).__name__, "")
        return dataclasses.astuple(made)

    expected = outcome(reference)
    assert [outcome(ours) for _ in range(COMPILE_AFTER + 2)] == [expected] * (COMPILE_AFTER + 2)


def test_post_init_runs_before_and_after_compiling() -> None:
    from game.records import COMPILE_AFTER

    @record
    class Span:
        start: int
        end: int = 0

        def __post_init__(self) -> None:
            if self.end and self.end < self.start:
                raise ValueError("a span ends after it starts")
            object.__setattr__(self, "end", self.end or self.start)

    for _ in range(COMPILE_AFTER + 2):
        assert Span(3).end == 3 and Span(1, 2).end == 2
        with pytest.raises(ValueError):
            Span(2, 1)


def test_built_by_stores_says_when_storing_the_fields_builds_what_the_constructor_builds() -> None:
    from game.records import built_by_stores

    @record
    class Plain:
        a: int
        b: str = ""

    @record(slots=True)
    class Slotted:
        a: int
        b: str = ""

    @record
    class Checked:
        a: int

        def __post_init__(self) -> None:
            pass

    twin = type("_SlottedFields", (), {"__slots__": ("a", "b")})
    assert built_by_stores(Plain, ("a", "b")) and built_by_stores(Slotted, ("a", "b"), twin)
    assert not built_by_stores(Plain, ("b", "a")) and not built_by_stores(Plain, ("a", "b"), twin)
    assert not built_by_stores(Slotted, ("a", "b")) and not built_by_stores(Checked, ("a",))
    assert not built_by_stores(Slotted, ("a", "b"), type("_Other", (), {"__slots__": ("b", "a")}))
    instance = object.__new__(twin)
    instance.a, instance.b = 1, "x"
    instance.__class__ = Slotted
    assert instance == Slotted(1, "x") and hash(instance) == hash(Slotted(1, "x"))
