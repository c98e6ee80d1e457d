"""Building many frozen dataclass instances quickly, for the loader.

A frozen dataclass's generated `__init__` sets each field through `object.__setattr__`, about
0.1 µs a field: compiling a 5,000-scene story builds some 40,000 scenes, choices and templates,
and that alone was a tenth of the load. `maker` gives a constructor that stores the fields into
the new instance's `__dict__` item by item instead, which also keeps that dictionary sharing its
keys with the class's other instances (a dictionary built whole and assigned would be twice the
size, and a large story would spend its time on fresh memory). It produces exactly what the
class's own constructor would (same fields, same order, equal and with the same hash, still
frozen), and falls back to the class itself for any class where that would not hold: slots,
`__post_init__`, fields left out of `__init__`, or anything that is not a plain dataclass.
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
    if any("__slots__" in base.__dict__ for base in cls.__mro__[:-1]) or hasattr(cls, "__post_init__"):
        return None
    init = cls.__dict__.get("__init__")
    if getattr(getattr(init, "__code__", None), "co_filename", None) != "<string>":
        return None  # the class wrote its own __init__
    own = dataclasses.fields(cls)
    # an InitVar pseudo-field, or a field kept out of __init__, means more than storing
    if len(own) != len(getattr(cls, "__dataclass_fields__", ())) or not all(f.init and not f.kw_only for f in own):
        return None
    return [f.name for f in own]


def maker(cls: type[T]) -> Callable[..., T]:
    """A constructor for `cls` taking every field positionally, in declaration order."""
    names = _stored_fields(cls)
    if names is None:
        return cls
    args = ", ".join(f"_{i}" for i in range(len(names)))
    stores = "".join(f"    fields[{name!r}] = _{i}\n" for i, name in enumerate(names))
    source = (f"def make({args}):\n"
              f"    instance = new(cls)\n"
              f"    fields = instance.__dict__\n"
              f"{stores}"
              f"    return instance\n")
    scope: dict[str, Any] = {"new": object.__new__, "cls": cls}
    exec(source, scope)  # noqa: S102 - the source is built from the class's own field names only
    make: Callable[..., T] = scope["make"]
    make.__qualname__ = f"maker({cls.__qualname__})"
    return make
