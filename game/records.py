"""The engine's frozen value classes: declared with `record`, built in bulk with `maker`.

`record` is `@dataclass(frozen=True)` made for a program that starts often. On Python 3.11 a
frozen dataclass compiles six methods of its own at import (`__init__`, `__repr__`, `__eq__`,
`__hash__`, `__setattr__`, `__delattr__`): the fifty-odd value classes a game imports before its
first frame spent 21 ms doing so, a third of what the game adds to a bare Textual app's start.
A record compiles only its `__init__`, and only once it has built a few instances (before that
one shared function binds the arguments; compiling one costs some 0.1 ms, and two dozen classes
building one or two instances each before the first frame spent 3 ms doing so); equality,
hashing, repr and order are closures over an `operator.attrgetter` of its fields, and
immutability is shared, so nothing else is compiled.
(Comparing or hashing one costs some 60–90 ns more than a dataclass's inlined reads: nothing
the game does hashes records in a loop, the explorer keys its states by tuples.) What callers see is a frozen dataclass's behaviour: the same
constructor (defaults, default factories, `__post_init__`), equality between instances of the
same class field by field, hashing, repr, `FrozenInstanceError` on assignment, `order=True`
comparisons, `slots=True`, and the `dataclasses` functions (`fields`, `replace`, `asdict`).
`record(frozen=False)` is the plain, mutable `@dataclass` the same way (the settings, the
gallery and run files, which the game changes in place; three compiled methods each, at import,
were a few milliseconds of every start). tests/test_records.py holds each against `dataclass` itself.

`maker` builds many instances quickly, for the loader. A frozen record's `__init__` sets each
field through `object.__setattr__`, about 0.1 µs a field: compiling a 5,000-scene story builds
some 40,000 scenes, choices and templates, and that alone was a tenth of the load. `maker`
gives a constructor that does only the stores:

- for a class with `__slots__` (the compiled story's per-scene records: smaller, and nothing to
  free but the object), the fields are stored into an instance of a plain twin class with the
  same slots, where a store is the interpreter's fastest attribute write, and the finished
  instance then becomes the class (`__class__` assignment, which CPython allows only between
  identical layouts; `maker` tries it once and otherwise falls back). The twin never escapes.
- for a class with a `__dict__`, the fields go into the instance's dictionary item by item, which
  keeps that dictionary sharing its keys with the class's other instances.

Either way it produces exactly what the class's own constructor would (same fields, same order,
equal and with the same hash, still frozen), and it falls back to the class itself for any class
where that would not hold: `__post_init__`, fields left out of `__init__` or keyword-only, a
hand-written `__init__`, slots beyond the fields, or anything that is not a record.
"""

from __future__ import annotations

import dataclasses
from operator import attrgetter
from typing import Any, Callable, Optional, TypeVar, dataclass_transform, overload

T = TypeVar("T")

_FACTORY = object()
"""An `__init__` default meaning "call the field's default factory"."""


@overload
def record(cls: type[T], /) -> type[T]: ...
@overload
def record(*, slots: bool = False, order: bool = False, eq: bool = True, frozen: bool = True
           ) -> Callable[[type[T]], type[T]]: ...


@dataclass_transform(frozen_default=True, field_specifiers=(dataclasses.field,))
def record(cls: Optional[type[T]] = None, /, *, slots: bool = False, order: bool = False, eq: bool = True,
           frozen: bool = True) -> Any:
    """`@dataclass(frozen=True)`, with `slots`, `order` and `eq` as there: see the module's docstring.

    `frozen=False` is `@dataclass`'s plain, mutable class (unhashable when it has `==`), for the
    settings and run files the game changes in place: it too compiles nothing at import."""
    def make(cls: type[T]) -> type[T]:
        return _record(cls, slots, order, eq, frozen)

    return make if cls is None else make(cls)


def _record(cls: type[T], slots: bool, order: bool, eq: bool, frozen: bool = True) -> type[T]:
    if cls.__doc__ is None:
        cls.__doc__ = cls.__name__  # dataclass would spell the signature out, with `inspect`: slow
    cls = dataclasses.dataclass(cls, init=False, repr=False, eq=False, slots=slots)  # fields only: no code
    fields = dataclasses.fields(cls)  # type: ignore[arg-type]
    if any(not f.init or f.kw_only for f in fields):
        raise TypeError(f"{cls.__name__}: a record's fields are all set by __init__, in order")
    compared = _getter([f.name for f in fields if f.compare])
    hashed = _getter([f.name for f in fields if (f.compare if f.hash is None else f.hash)])
    own = set(cls.__dict__)
    for name in ("__setattr__", "__delattr__"):
        if frozen and name in own:
            raise TypeError(f"{cls.__name__}: a record is frozen; it cannot define {name}")
    if order and not eq:
        raise ValueError("eq must be true if order is true")
    made: dict[str, Any] = {"__init__": _init(cls, fields), "__repr__": _repr(tuple(f.name for f in fields if f.repr))}
    if eq:
        # as dataclass: a mutable class with == is unhashable (unless it writes __hash__ itself)
        made.update(__eq__=_eq(compared), __hash__=_hash(hashed) if frozen else None)
    if order:
        made.update({op: _compare(op, compared) for op in ("__lt__", "__le__", "__gt__", "__ge__")})
    for name, method in made.items():
        if method is not None:
            method.__qualname__ = f"{cls.__qualname__}.{name}"
    shared: dict[str, Any] = {"__setattr__": _setattr, "__delattr__": _delattr} if frozen else {}
    if slots:
        shared.update(__getstate__=_getstate, __setstate__=_setstate)
    for name, method in {**made, **shared}.items():
        if name not in own:  # what the class writes itself stays, as with dataclass
            setattr(cls, name, method)
    setattr(cls, "__record_fields__", tuple(f.name for f in fields))
    return cls


COMPILE_AFTER = 16
"""Instances a record builds by binding its arguments in `_bind` before it compiles its own
`__init__`: binding costs a microsecond or two more a call, compiling some 100."""


def _init(cls: type, fields: tuple[dataclasses.Field[Any], ...]) -> Callable[..., None]:
    """The record's `__init__`: its first calls bind their arguments as the compiled one would
    (`_bind`), and the call that makes `COMPILE_AFTER` compiles the real one (`_compiled_init`),
    puts it in its own place on the class and hands the call on; every later call goes straight
    to the compiled one. A class that builds only a few instances compiles nothing."""
    names = tuple(f.name for f in fields)
    defaults = tuple(f.default if f.default is not dataclasses.MISSING else
                     _FACTORY if f.default_factory is not dataclasses.MISSING else dataclasses.MISSING
                     for f in fields)
    factories = tuple(f.default_factory for f in fields)
    built = 0

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        nonlocal built
        built += 1
        if built < COMPILE_AFTER:
            _bind(cls, self, names, defaults, factories, args, kwargs)
            return
        compiled = _compiled_init(cls, fields)
        type.__setattr__(cls, "__init__", compiled)
        compiled(self, *args, **kwargs)

    setattr(__init__, _RECORD_INIT, True)
    return __init__


def _bind(cls: type, self: Any, names: tuple[str, ...], defaults: tuple[Any, ...], factories: tuple[Any, ...],
          args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """What the compiled `__init__` does, argument errors and their messages included."""
    where = f"{cls.__qualname__}.__init__()"
    if len(args) > len(names):
        most, least = len(names) + 1, 1 + sum(default is dataclasses.MISSING for default in defaults)
        takes = f"{most} positional argument{'s' if most > 1 else ''}" if least == most else \
            f"from {least} to {most} positional arguments"
        raise TypeError(f"{where} takes {takes} but {len(args) + 1} were given")
    values = list(args)
    for name in kwargs:
        if name not in names:
            raise TypeError(f"{where} got an unexpected keyword argument '{name}'")
        if names.index(name) < len(args):
            raise TypeError(f"{where} got multiple values for argument '{name}'")
    missing = []
    for i in range(len(args), len(names)):
        name, default = names[i], defaults[i]
        if name in kwargs:
            values.append(kwargs[name])
        elif default is dataclasses.MISSING:
            missing.append(name)
        else:
            values.append(factories[i]() if default is _FACTORY else default)
    if missing:
        quoted = [f"'{name}'" for name in missing]
        listed = quoted[0] if len(quoted) == 1 else (
            f"{quoted[0]} and {quoted[1]}" if len(quoted) == 2 else f"{', '.join(quoted[:-1])}, and {quoted[-1]}")
        raise TypeError(f"{where} missing {len(missing)} required positional argument{'s' if len(missing) > 1 else ''}: "
                        f"{listed}")
    for name, value in zip(names, values):
        object.__setattr__(self, name, value)
    if hasattr(cls, "__post_init__"):
        self.__post_init__()


_RECORD_INIT = "__record_init__"
"""Marks an `__init__` that `record` made (and that does nothing but store its fields, unless
the class has a `__post_init__`), so `maker` can tell it from one the class wrote itself."""


def _compiled_init(cls: type, fields: tuple[dataclasses.Field[Any], ...]) -> Callable[..., None]:
    """Storing each argument, as a frozen dataclass's `__init__` does."""
    scope: dict[str, Any] = {"_set": object.__setattr__, "_FACTORY": _FACTORY}
    params: list[str] = []
    body: list[str] = []
    for i, f in enumerate(fields):
        if f.default is not dataclasses.MISSING:
            scope[f"_default_{i}"] = f.default
            params.append(f"{f.name}=_default_{i}")
        elif f.default_factory is not dataclasses.MISSING:
            scope[f"_factory_{i}"] = f.default_factory
            params.append(f"{f.name}=_FACTORY")
            body.append(f"if {f.name} is _FACTORY: {f.name} = _factory_{i}()")
        else:
            params.append(f.name)
        body.append(f"_set(self, {f.name!r}, {f.name})")
    if hasattr(cls, "__post_init__"):
        body.append("self.__post_init__()")
    source = f"def __init__(self, {', '.join(params)}):\n" + "".join(f"    {line}\n" for line in body or ["pass"])
    exec(source, scope)  # noqa: S102 - built from the class's own field names only
    init: Callable[..., None] = scope["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    setattr(init, _RECORD_INIT, True)
    return init


def _getter(names: list[str]) -> Callable[[Any], tuple[Any, ...]]:
    """The fields named, as a tuple, read in C."""
    if len(names) >= 2:
        return attrgetter(*names)
    if names:
        one = attrgetter(names[0])
        return lambda instance: (one(instance),)
    return lambda instance: ()


# Equality, hashing, repr and order: closures over the class's getter, made without compiling.

def _eq(key: Callable[[Any], tuple[Any, ...]]) -> Callable[[Any, Any], Any]:
    def __eq__(self: Any, other: Any) -> Any:
        if other.__class__ is self.__class__:
            return key(self) == key(other)
        return NotImplemented
    return __eq__


def _hash(key: Callable[[Any], tuple[Any, ...]]) -> Callable[[Any], int]:
    def __hash__(self: Any) -> int:
        return hash(key(self))
    return __hash__


def _repr(names: tuple[str, ...]) -> Callable[[Any], str]:
    def __repr__(self: Any) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in names)
        return f"{self.__class__.__qualname__}({shown})"
    return __repr__


def _compare(op: str, key: Callable[[Any], tuple[Any, ...]]) -> Callable[[Any, Any], Any]:
    def compare(self: Any, other: Any) -> Any:
        if other.__class__ is self.__class__:
            return getattr(key(self), op)(key(other))
        return NotImplemented
    compare.__name__ = op
    return compare


def _setattr(self: Any, name: str, value: Any) -> None:
    raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")


def _delattr(self: Any, name: str) -> None:
    raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")


def _getstate(self: Any) -> list[Any]:
    return [getattr(self, name) for name in self.__record_fields__]


def _setstate(self: Any, state: list[Any]) -> None:
    for name, value in zip(self.__record_fields__, state):
        object.__setattr__(self, name, value)


def _stored_fields(cls: type) -> Optional[list[str]]:
    """The names `cls`'s `__init__` takes, in order, when `cls` is a record whose `__init__` is
    the one `record` compiled and does nothing but store them; None otherwise."""
    if "__record_fields__" not in cls.__dict__ or hasattr(cls, "__post_init__"):
        return None
    if not getattr(cls.__dict__.get("__init__"), _RECORD_INIT, False):
        return None  # the class wrote its own __init__
    own = dataclasses.fields(cls)
    # an InitVar pseudo-field, or a field kept out of __init__, means more than storing
    if len(own) != len(getattr(cls, "__dataclass_fields__", ())) or not all(f.init and not f.kw_only for f in own):
        return None
    return [f.name for f in own]


def _slotted_twin(cls: type, names: list[str]) -> Optional[type]:
    """A plain class whose instances `cls` can take over by `__class__` assignment: `cls` holds
    exactly `names` as slots, on `object`, with no `__dict__` or `__weakref__`. None otherwise."""
    twin = type(f"_{cls.__name__}Fields", (), {"__slots__": tuple(names)})
    return twin if _takes_over(cls, twin, names) else None


def _takes_over(cls: type, twin: type, names: list[str]) -> bool:
    if cls.__mro__ != (cls, object) or tuple(cls.__dict__.get("__slots__", ())) != tuple(names):
        return False
    if twin.__mro__ != (twin, object) or tuple(twin.__dict__.get("__slots__", ())) != tuple(names):
        return False
    probe: object = object.__new__(twin)
    try:
        object.__setattr__(probe, "__class__", cls)
    except TypeError:
        return False
    return True


def built_by_stores(cls: type, names: tuple[str, ...], twin: Optional[type] = None) -> bool:
    """Whether storing the fields `names`, one by one, builds what `cls(*values)` builds: into a
    new instance's `__dict__`, or, for a slotted class, into an instance of `twin` that then
    becomes a `cls` (what `maker` checks before compiling a constructor that does so). For code
    that writes those stores out itself: the story cache's decoders (`engine/story_decoders.py`)."""
    stored = _stored_fields(cls)
    if stored is None or tuple(stored) != tuple(names):
        return False
    if "__slots__" in cls.__dict__:
        return twin is not None and _takes_over(cls, twin, stored)
    return twin is None and not any("__slots__" in base.__dict__ for base in cls.__mro__[1:-1])


def maker(cls: type[T]) -> Callable[..., T]:
    """A constructor for `cls` taking every field positionally, in declaration order."""
    names = _stored_fields(cls)
    if names is None:
        return cls
    args = ", ".join(f"_{i}" for i in range(len(names)))
    scope: dict[str, Any] = {"new": object.__new__, "cls": cls}
    if "__slots__" in cls.__dict__:
        twin = _slotted_twin(cls, names)
        if twin is None:
            return cls
        scope["twin"] = twin
        stores = "".join(f"    instance.{name} = _{i}\n" for i, name in enumerate(names))
        source = (f"def make({args}):\n"
                  f"    instance = new(twin)\n"
                  f"{stores}"
                  f"    instance.__class__ = cls\n"  # the twin's own store: no call
                  f"    return instance\n")
    elif any("__slots__" in base.__dict__ for base in cls.__mro__[1:-1]):
        return cls
    else:
        stores = "".join(f"    fields[{name!r}] = _{i}\n" for i, name in enumerate(names))
        source = (f"def make({args}):\n"
                  f"    instance = new(cls)\n"
                  f"    fields = instance.__dict__\n"
                  f"{stores}"
                  f"    return instance\n")
    exec(source, scope)  # noqa: S102 - the source is built from the class's own field names only
    make: Callable[..., T] = scope["make"]
    make.__qualname__ = f"maker({cls.__qualname__})"
    return make
