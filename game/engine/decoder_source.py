"""Writes `story_decoders.py`: the story cache's decoders as plain Python, one function per class.

`codec.py` decodes any payload by walking each dataclass's declared types: a call per value,
and `typing.get_type_hints` for every class at every start. The same checks written out as
straight-line code, compiled once into the module's `.pyc` like the rest of the game, do the
work of the shipped story in a third of the time. What they check is what `codec.py` checks,
value for value (tests/test_story_decoders.py holds them to it on damaged payloads), and
`codec.py` uses them only while the classes still have the fields the module was written for.

Run `python -m game.engine.decoder_source` after changing a class the compiled story holds;
tests/test_story_decoders.py fails until the module is current.
"""

from __future__ import annotations

import collections.abc
import dataclasses
import datetime as dt
import types
import typing
from pathlib import Path
from typing import Any, Union

from game.engine.codec import _CODEC
from game.engine.diagnostics import Diagnostic
from game.engine.rules import Condition
from game.engine.story import Scene, Story, Var
from game.engine.text import Template
from game.records import built_by_stores

TARGET = Path(__file__).with_name("story_decoders.py")

HEADER = '''"""The story cache's decoders, one function per class: written by `python -m
game.engine.decoder_source` from the compiled story's dataclasses. Do not edit; see there."""

# fmt: off
from __future__ import annotations

from typing import Any, Callable

from game.engine.diagnostics import Diagnostic
from game.engine.rules import Condition
from game.engine.story import Choice, Effect, Ending, Partner, Scene, Side, Source, Story, Var
from game.engine.text import Template

'''


class _Writer:
    """The module's text: helper functions for containers, one function per dataclass."""

    def __init__(self) -> None:
        self.functions: dict[Any, str] = {}
        self.bodies: list[str] = []
        self.words: dict[tuple[str, ...], str] = {}
        self.temp = 0
        self.classes: list[type] = []
        self.stored: list[type] = []
        """The classes built by storing their fields (the others by their constructor)."""

    def fresh(self, stem: str) -> str:
        self.temp += 1
        return f"{stem}{self.temp}"

    def function(self, tp: Any) -> str:
        """The name of the function decoding a `tp` (written the first time it is asked for)."""
        name = self.functions.get(tp)
        if name is not None:
            return name
        if isinstance(tp, type) and dataclasses.is_dataclass(tp):
            name = f"d_{tp.__name__}"
        else:
            name = f"d_{len(self.functions)}"
        self.functions[tp] = name
        self.bodies.append(self._function(tp, name))
        return name

    def _function(self, tp: Any, name: str) -> str:
        origin, args = typing.get_origin(tp), typing.get_args(tp)
        if isinstance(tp, type) and dataclasses.is_dataclass(tp):
            return self._dataclass(tp, name)
        lines = [f"    def {name}(x: Any) -> Any:"]
        if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
            lines += ["        if type(x) is not list:", "            raise bad('expected a list')",
                      "        out = []", "        for v in x:"]
            lines += self.inline(args[0], "v", "w", 3)
            lines += ["            out.append(w)", "        return tuple(out)"]
        elif origin is tuple:
            lines += [f"        if type(x) is not list or len(x) != {len(args)}:",
                      f"            raise bad('expected a list of {len(args)}')"]
            for i, item in enumerate(args):
                lines += self.inline(item, f"x[{i}]", f"w{i}", 2)
            lines.append(f"        return ({', '.join(f'w{i}' for i in range(len(args)))},)")
        elif origin is frozenset:
            lines += ["        if type(x) is not list:", "            raise bad('expected a list')",
                      "        out = []", "        for v in x:"]
            lines += self.inline(args[0], "v", "w", 3)
            lines += ["            out.append(w)", "        return frozenset(out)"]
        elif origin in (dict, collections.abc.Mapping):
            lines += ["        if type(x) is not dict:", "            raise bad('expected an object')",
                      "        out = {}", "        for k, v in x.items():"]
            lines += self.inline(args[1], "v", "w", 3)
            lines += ["            out[share(k, k)] = w", "        return out"]
        elif origin in (Union, types.UnionType):
            classes = [a for a in args if isinstance(a, type) and dataclasses.is_dataclass(a)]
            if len(classes) < 2:
                raise TypeError(f"no decoder is written for a {tp!r}")
            if type(None) in args:
                lines += ["        if x is None:", "            return None"]
            lines += ["        if type(x) is not list or len(x) != 2 or type(x[0]) is not str:",
                      "            raise bad('expected a tagged value')"]
            for cls in classes:
                lines += [f"        if x[0] == {cls.__name__!r}:", f"            return {self.function(cls)}(x[1])"]
            lines.append("        raise bad('expected one of the tagged classes')")
        else:
            raise TypeError(f"no decoder is written for a {tp!r}")
        return "\n".join(lines) + "\n"

    def _dataclass(self, cls: type, name: str) -> str:
        self.classes.append(cls)
        fields = _CODEC.fields(cls)
        lines = [f"    def {name}(x: Any) -> Any:",
                 f"        if type(x) is not list or len(x) != {len(fields)}:",
                 f"            raise bad('expected a {cls.__name__} of {len(fields)} fields')"]
        for i, (_, ftp) in enumerate(fields):
            lines += self.inline(ftp, f"x[{i}]", f"f{i}", 2)
        # built as its constructor builds it, with the stores written out (`records.built_by_stores`),
        # or by the constructor itself when it does more (Story's `__post_init__`)
        names = tuple(f.name for f in dataclasses.fields(cls))
        twin = type(f"_{cls.__name__}Fields", (), {"__slots__": names}) if "__slots__" in cls.__dict__ else None
        if not built_by_stores(cls, names, twin):
            values = ", ".join(f"f{i}" for i in range(len(fields)))
            lines.append(f"        return {cls.__name__}({values})")
        elif twin is not None:
            self.stored.append(cls)
            lines.append(f"        o = new(_{cls.__name__}Fields)")
            lines += [f"        o.{name} = f{i}" for i, (name, _) in enumerate(fields)]
            lines += [f"        o.__class__ = {cls.__name__}  # type: ignore[assignment]", "        return o"]
        else:
            self.stored.append(cls)
            lines += [f"        o = new({cls.__name__})", "        d = o.__dict__"]
            lines += [f"        d[{name!r}] = f{i}" for i, (name, _) in enumerate(fields)]
            lines.append("        return o")
        return "\n".join(lines) + "\n"

    def inline(self, tp: Any, source: str, target: str, depth: int) -> list[str]:
        """Statements that check `source` as a `tp` and leave the value in `target`."""
        pad = "    " * depth
        origin, args = typing.get_origin(tp), typing.get_args(tp)
        if tp is str or tp is Template or tp is Condition:
            v = source if source.isidentifier() else self.fresh("n")
            lines = [] if v == source else [f"{pad}{v} = {source}"]
            lines += [f"{pad}if type({v}) is not int or not 0 <= {v} < count:",
                      f"{pad}    raise bad('expected a string number')"]
            text = f"strings[{v}]"
            wrap = {str: text, Template: f"template({text})", Condition: f"condition({text})"}[tp]
            return lines + [f"{pad}{target} = {wrap}"]
        if tp is int or tp is bool:
            return [f"{pad}{target} = {source}",
                    f"{pad}if type({target}) is not {tp.__name__}:",
                    f"{pad}    raise bad('expected {tp.__name__}')"]
        if tp is float:
            return [f"{pad}{target} = finite({source})"]
        if tp is dt.datetime:
            return [f"{pad}{target} = moment({source})"]
        if tp is dt.date:
            return [f"{pad}{target} = day({source})"]
        if origin is typing.Literal:
            words = self.words.setdefault(tuple(args), f"WORDS_{len(self.words)}")
            v = self.fresh("w")
            return [f"{pad}{v} = {source}",
                    f"{pad}if type({v}) is not str or {v} not in {words}:",
                    f"{pad}    raise bad('expected a word')",
                    f"{pad}{target} = {words}[{v}]"]
        if origin in (Union, types.UnionType):
            others = [a for a in args if a is not type(None)]
            optional = len(others) < len(args)
            plain = [a for a in others if a in (str, int, bool)]
            if len(others) == 1:
                if not optional:
                    return self.inline(others[0], source, target, depth)
                v = self.fresh("o")
                return [f"{pad}{v} = {source}", f"{pad}if {v} is None:", f"{pad}    {target} = None",
                        f"{pad}else:"] + self.inline(others[0], v, target, depth + 1)
            if len(plain) != len(others):
                return [f"{pad}{target} = {self.function(tp)}({source})"]
            # a union of plain values is written as the value itself (JSON keeps the kind)
            kinds = ", ".join(a.__name__ for a in plain)
            v = self.fresh("u")
            test = f"type({v}) not in ({kinds},)"
            if optional:
                test = f"{v} is not None and {test}"
            return [f"{pad}{v} = {source}", f"{pad}if {test}:", f"{pad}    raise bad('expected {kinds}')",
                    f"{pad}{target} = {v}"]
        return [f"{pad}{target} = {self.function(tp)}({source})"]

    def module(self) -> str:
        """The whole module: the words of each `Literal`, each class's fields as the module
        knows them, and `decoders`, which makes the functions for one payload's string table."""
        variables = self.function(typing.Mapping[str, Var])
        story = self.function(Story)
        diagnostics = self.function(tuple[Diagnostic, ...])
        scene = self.function(Scene)
        out = [HEADER]
        out.append(f"SCHEMA = {_CODEC.signature(Story)!r}\n")
        out.append('"""The schema signature of the classes below when the module was written (`codec.schema_signature`)."""\n\n')
        out.append("FIELDS: dict[type, tuple[str, ...]] = {\n")
        for cls in self.classes:
            shown = ", ".join(repr(f"{f.name}: {f.type}") for f in dataclasses.fields(cls))
            out.append(f"    {cls.__name__}: ({shown},),\n")
        out.append("}\n")
        out.append('"""Each class\'s fields, each with its annotation as written: the module is used only while they are these."""\n\n')
        for words, name in self.words.items():
            out.append(f"{name} = {{{', '.join(f'{w!r}: {w!r}' for w in words)}}}\n")
        out.append("\nnew = object.__new__\n")
        slotted = [cls for cls in self.stored if "__slots__" in cls.__dict__]
        for cls in slotted:
            names = [f.name for f in dataclasses.fields(cls)]
            out.append(f"\n\nclass _{cls.__name__}Fields:\n")
            out.append(f'    """{cls.__name__}\'s slots on a plain class: its fields are stored into one, which then becomes a {cls.__name__}."""\n\n')
            out.append(f"    __slots__ = ({', '.join(repr(n) for n in names)},)\n")
            out += [f"    {n}: Any\n" for n in names]
        out.append("\n\nTWINS: dict[type, type] = {" + ", ".join(f"{c.__name__}: _{c.__name__}Fields" for c in slotted) + "}\n")
        out.append('"""The slotted classes\' twins (`records.built_by_stores`)."""\n\n')
        out.append("STORED: tuple[type, ...] = (" + "".join(f"{c.__name__}, " for c in self.stored).rstrip() + ")\n")
        out.append('"""The classes built by storing their fields: the module is used only while that builds what their constructors build."""\n\n\n')
        out.append("def decoders(strings: list[str], share: Callable[[str, str], str], bad: type[Exception],\n"
                   "             template: Callable[[str], Template], condition: Callable[[str], Condition],\n"
                   "             finite: Callable[[Any], float], moment: Callable[[Any], Any], day: Callable[[Any], Any],\n"
                   "             ) -> tuple[Callable[[Any], Any], ...]:\n")
        out.append('    """The decoders of the variables, the story, its diagnostics and one scene, for a payload\n'
                   '    whose string table is `strings`: every other argument is `codec.py`\'s own."""\n')
        out.append("    count = len(strings)\n\n")
        out.append("\n".join(self.bodies))
        out.append(f"\n    return {variables}, {story}, {diagnostics}, {scene}\n")
        return "".join(out)


def source() -> str:
    """The text `story_decoders.py` should hold for the classes as they are now."""
    return _Writer().module()


if __name__ == "__main__":
    TARGET.write_text(source(), encoding="utf-8")
    print(f"wrote {TARGET}")
