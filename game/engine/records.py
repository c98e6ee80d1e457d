"""Building many frozen dataclass instances quickly, for the loader.

A frozen dataclass's generated `__init__` sets each field through `object.__setattr__`, about
0.1 µs a field: compiling a 5,000-scene story builds some 40,000 scenes, choices and templates,
and that alone was a tenth of the load. `maker` gives a constructor that does only the stores:

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
hand-written `__init__`, slots beyond the fields, or anything that is not a plain dataclass.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Callable, Optional, TypeVar

T = TypeVar("T")


def _stored_fields(cls: type) -> Optional[list[str]]:
    """The names `cls`'s `__init__` takes, in order, when that `__init__` is the one `dataclass`
    wrote and does nothing but store them; None otherwise."""
    params = getattr(cls, "__dataclass_params__", None)
    if not dataclasses.is_dataclass(cls) or params is None or not params.init:
        return None
    if hasattr(cls, "__post_init__"):
        return None
    init = cls.__dict__.get("__init__")
    if getattr(getattr(init, "__code__", None), "co_filename", None) != "<string>":
        return None  # the class wrote its own __init__
    own = dataclasses.fields(cls)
    # an InitVar pseudo-field, or a field kept out of __init__, means more than storing
    if len(own) != len(getattr(cls, "__dataclass_fields__", ())) or not all(f.init and not f.kw_only for f in own):
        return None
    return [f.name for f in own]


def _slotted_twin(cls: type, names: list[str]) -> Optional[type]:
    """A plain class whose instances `cls` can take over by `__class__` assignment: `cls` holds
    exactly `names` as slots, on `object`, with no `__dict__` or `__weakref__`. None otherwise."""
    if cls.__mro__ != (cls, object) or tuple(cls.__dict__.get("__slots__", ())) != tuple(names):
        return None
    twin = type(f"_{cls.__name__}Fields", (), {"__slots__": tuple(names)})
    probe: object = object.__new__(twin)
    try:
        object.__setattr__(probe, "__class__", cls)
    except TypeError:
        return None
    return twin


def maker(cls: type[T]) -> Callable[..., T]:
    """A constructor for `cls` taking every field positionally, in declaration order."""
    names = _stored_fields(cls)
    if names is None:
        return cls
    args = ", ".join(f"_{i}" for i in range(len(names)))
    scope: dict[str, Any] = {"new": object.__new__, "cls": cls, "become": object.__setattr__}
    if "__slots__" in cls.__dict__:
        twin = _slotted_twin(cls, names)
        if twin is None:
            return cls
        scope["twin"] = twin
        stores = "".join(f"    instance.{name} = _{i}\n" for i, name in enumerate(names))
        source = (f"def make({args}):\n"
                  f"    instance = new(twin)\n"
                  f"{stores}"
                  f"    become(instance, '__class__', cls)\n"
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
