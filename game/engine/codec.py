"""The compiled story as plain JSON data, and back: the form the story cache keeps.

The cache folder is writable by anything running as the player, so decoding trusts nothing.
Every value is checked against the type its dataclass field declares (an int is never a
bool, a tuple never a string, a dataclass has exactly its fields), conditions are parsed and
type-checked again from their text by the same parser the loader uses, and every reference
the engine follows (gotos, starts, effects, variables) is checked to exist. A payload that
fails any check raises `CodecError`; nothing in it is ever executed, and no class is named by
the data except the few dataclasses a field's declared type allows.

Every string is written once, in a table beside the story, and each use of it is its number
there: the compiled story repeats its texts (a scene's text is also its template's source), and
the payload is a third smaller to read at every start.

The shape is derived from the dataclasses themselves, so a field added to the compiled story
is encoded without touching this module, and `schema_signature()` changes with it: caches
written before the change are then ignored.

At every start the decoding is done by the same checks written out as code, one function per
class (`story_decoders.py`, written by `decoder_source.py`): walking the declared types costs
a call per value and `typing.get_type_hints` per class. This module's own decoders are the
reference: whatever the written ones refuse, they judge again, and they alone decode while the
written module is behind the classes (tests/test_story_decoders.py holds the two together).
"""

from __future__ import annotations

import collections.abc
import dataclasses
import datetime as dt
import math
import sys
import threading
import types
import typing
from typing import Any, Callable, Mapping, Optional, Union

from game.engine.diagnostics import Diagnostic
from game.engine.rules import Condition, ConditionError, parse_condition
from game.engine.story import Scene, Story, Var
from game.engine.text import Template, TextError, compile_text, plain_template
from game.records import built_by_stores, maker

Decoder = Callable[[Any], Any]
Encoder = Callable[[Any], Any]


class CodecError(Exception):
    """A payload that is not a story this version of Boardroom wrote."""

    def __rich__(self) -> "_Plain":
        """What the player reads if one ever reaches the app (a scene that fails its checks after
        the story's files were edited mid-game, `ScenesOnRead`): a line, where Textual would print
        the traceback of an exception without a `__rich__`."""
        return _Plain(f"boardroom: {self}")


class _Plain:
    """A line Rich prints as it is: the message names the story's folder, which is never markup.
    Rich's rendering protocol, met without importing Rich (the engine does not)."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __rich_console__(self, console: Any, options: Any) -> typing.Iterator[Any]:
        yield console.render_str(self.text, markup=False, highlight=False, emoji=False)


class _Codec:
    """Each dataclass's fields and the encoder of each type the compiled story uses, built once
    per type (decoders are `_Decoding`'s, one set per payload)."""

    def __init__(self) -> None:
        self.table: Optional[dict[str, int]] = None
        """Encoding: each string written so far, by its number in the payload's table."""
        self.encoders: dict[Any, Encoder] = {}
        self.classes: dict[type, list[tuple[str, Any]]] = {}

    # -- the shape of a dataclass, from its annotations

    def fields(self, cls: type) -> list[tuple[str, Any]]:
        found = self.classes.get(cls)
        if found is None:
            module = sys.modules[cls.__module__]
            hints = typing.get_type_hints(cls, vars(module))
            found = [(f.name, hints[f.name]) for f in dataclasses.fields(cls) if f.init]
            self.classes[cls] = found
        return found

    # -- encoding

    def encoder(self, tp: Any) -> Encoder:
        enc = self.encoders.get(tp)
        if enc is None:
            enc = self._make_encoder(tp)
            self.encoders[tp] = enc
        return enc

    def _make_encoder(self, tp: Any) -> Encoder:
        origin = typing.get_origin(tp)
        args = typing.get_args(tp)
        if tp is str:
            return self.number
        if tp in (int, bool, type(None)) or origin is typing.Literal:
            return lambda x: x
        if tp is float:
            return float
        if tp is dt.datetime or tp is dt.date:
            return lambda x: x.isoformat()
        if tp is Condition:
            return lambda x: self.number(x.text)
        if tp is Template:
            return lambda x: self.number(x.source)
        if origin in (Union, types.UnionType):
            classes = [a for a in args if dataclasses.is_dataclass(a)]
            if len(classes) > 1:
                tagged = {c: self.encoder(c) for c in classes}

                def one_of(x: Any) -> Any:
                    return None if x is None else [type(x).__name__, tagged[type(x)](x)]
                return one_of
            inner = [self.encoder(a) for a in args if a is not type(None)]
            if len(inner) == 1:
                only = inner[0]
                return lambda x: None if x is None else only(x)
            return lambda x: x  # a union of plain values (int | bool): JSON keeps the kind
        if origin is tuple:
            if len(args) == 2 and args[1] is Ellipsis:
                item = self.encoder(args[0])
                return lambda x: [item(v) for v in x]
            items = [self.encoder(a) for a in args]
            return lambda x: [e(v) for e, v in zip(items, x)]
        if origin is frozenset:
            item = self.encoder(args[0])
            return lambda x: sorted(item(v) for v in x)
        if origin in (dict, collections.abc.Mapping):
            if args[0] is not str:
                raise TypeError(f"only str keys can be cached, not {args[0]!r}")
            value = self.encoder(args[1])
            return lambda x: {k: value(v) for k, v in x.items()}
        if isinstance(tp, type) and dataclasses.is_dataclass(tp):
            shape = [(name, self.encoder(ftp)) for name, ftp in self.fields(tp)]
            return lambda x: [enc(getattr(x, name)) for name, enc in shape]
        raise TypeError(f"the story cache cannot hold a {tp!r}")

    def number(self, text: str) -> int:
        """`text`'s number in the string table, given it the first time it is written."""
        assert self.table is not None, "strings are numbered only while a story is encoded"
        found = self.table.get(text)
        if found is None:
            found = self.table[text] = len(self.table)
        return found

    # -- the schema, for the cache key

    def signature(self, root: type) -> str:
        """A digest of every dataclass reachable from `root`, field by field and type by type."""
        import hashlib  # only while the written decoders are out of date: not at every start

        seen: list[str] = []
        todo: list[Any] = [root]
        done: set[Any] = set()
        while todo:
            tp = todo.pop()
            if tp in done:
                continue
            done.add(tp)
            if tp is Template:
                seen.append("Template: its source text, compiled again on decoding")
            elif isinstance(tp, type) and dataclasses.is_dataclass(tp):
                fields = self.fields(tp)
                seen.append(f"{tp.__module__}.{tp.__qualname__}({', '.join(f'{n}: {t!r}' for n, t in fields)})")
                todo.extend(t for _, t in fields)
            else:
                todo.extend(typing.get_args(tp))
        return hashlib.sha256("\n".join(sorted(seen)).encode()).hexdigest()


class _Decoding:
    """One payload's decoding: its string table, and for conditions and texts the story's
    variable types and scene ids (`know`), once its variables are decoded.

    Its decoders are made for this payload alone, bound to its string table: a string is one
    check and one index, a record is built by `maker` (the compiled story's thousand-odd
    records and templates, at every start). A record's fields are decoded in one go; only
    when one is refused are they gone through again to say which (the message is for whoever
    debugs the cache: any refusal rebuilds it)."""

    def __init__(self, codec: "_Codec", strings: list[str]) -> None:
        self.codec = codec
        self.strings = strings
        self.shared = dict(zip(strings, strings))
        self.var_types: Mapping[str, str] = {}
        self.scene_ids: frozenset[str] = frozenset()
        self.var_labels: Mapping[str, str] = {}
        self.parsed: dict[str, Condition] = {}
        self.decoders: dict[Any, Decoder] = {}

    def know(self, var_types: Mapping[str, str], scene_ids: frozenset[str], var_labels: Mapping[str, str]) -> None:
        self.var_types = var_types
        self.scene_ids = scene_ids
        self.var_labels = var_labels

    def string(self, x: Any) -> str:
        """The string numbered `x` in the table. The compiled story repeats itself (a scene's
        text is also its template's source, a file's path is on each of its scenes and choices,
        a scene's id on every choice that leads there): each string is written and read once,
        and every use of it is one object (about 0.4 MiB less of the shipped story's memory)."""
        if type(x) is not int or not 0 <= x < len(self.strings):
            raise CodecError(f"expected a string's number, found {x!r}"[:80])
        return self.strings[x]

    def template(self, text: str) -> Template:
        """A text's passages compiled again from its source, by the loader's own compiler."""
        if "{" not in text and "}" not in text:
            return plain_template(text)
        try:
            return compile_text(text, self.var_types, self.var_labels, self.scene_ids.__contains__, self.condition)
        except (TextError, ConditionError) as exc:
            raise CodecError(f"text {text[:60]!r}: {exc}") from None

    def condition(self, text: str) -> Condition:
        found = self.parsed.get(text)
        if found is None:
            try:
                found = parse_condition(text, self.var_types, self.scene_ids.__contains__)
            except ConditionError as exc:
                raise CodecError(f"condition {text[:60]!r}: {exc.message}") from None
            self.parsed[text] = found
        return found

    def decoder(self, tp: Any) -> Decoder:
        dec = self.decoders.get(tp)
        if dec is None:
            # a placeholder first, so a dataclass that (indirectly) holds itself terminates
            slot: list[Decoder] = []
            self.decoders[tp] = lambda x: slot[0](x)
            dec = self._make_decoder(tp)
            slot.append(dec)
            self.decoders[tp] = dec
        return dec

    def _make_decoder(self, tp: Any) -> Decoder:
        origin = typing.get_origin(tp)
        args = typing.get_args(tp)
        if tp is str:
            strings = self.strings
            count = len(strings)

            def text(x: Any) -> str:
                if type(x) is not int or not 0 <= x < count:
                    raise CodecError(f"expected a string's number, found {x!r}"[:80])
                return strings[x]
            return text
        if tp in (int, bool):
            name = tp.__name__

            def exact(x: Any) -> Any:
                if type(x) is not tp:
                    raise CodecError(f"expected {name}, found {type(x).__name__}")
                return x
            return exact
        if origin is typing.Literal:
            words = {a: a for a in args}

            def one_word(x: Any) -> Any:
                if type(x) is not str or x not in words:
                    raise CodecError(f"expected one of {sorted(words)}, found {x!r}"[:80])
                return words[x]  # the type's own copy, not one more per value
            return one_word
        if tp is type(None):
            def none(x: Any) -> None:
                if x is not None:
                    raise CodecError(f"expected null, found {type(x).__name__}")
            return none
        if tp is float:
            def number(x: Any) -> float:
                if type(x) not in (int, float) or not math.isfinite(x):
                    raise CodecError(f"expected a finite number, found {x!r}"[:80])
                return float(x)
            return number
        if tp is dt.datetime:
            def moment(x: Any) -> dt.datetime:
                if type(x) is not str:
                    raise CodecError("expected a date and time")
                try:
                    value = dt.datetime.fromisoformat(x)
                except ValueError:
                    raise CodecError(f"not a date and time: {x[:40]!r}") from None
                if value.tzinfo is None:
                    raise CodecError(f"a date and time without its UTC offset: {x[:40]!r}")
                return value
            return moment
        if tp is dt.date:
            def day(x: Any) -> dt.date:
                if type(x) is not str:
                    raise CodecError("expected a date")
                try:
                    return dt.date.fromisoformat(x)
                except ValueError:
                    raise CodecError(f"not a date: {x[:40]!r}") from None
            return day
        if tp is Template:
            string, compiled = self.decoder(str), self.template
            return lambda x: compiled(string(x))
        if tp is Condition:
            string, parsed = self.decoder(str), self.condition
            return lambda x: parsed(string(x))
        if origin in (Union, types.UnionType):
            return self._union(args)
        if origin is tuple:
            if len(args) == 2 and args[1] is Ellipsis:
                item = self.decoder(args[0])

                def many(x: Any) -> tuple[Any, ...]:
                    if type(x) is not list:
                        raise CodecError(f"expected a list, found {type(x).__name__}")
                    return tuple([item(v) for v in x])
                return many
            items = [self.decoder(a) for a in args]

            def fixed(x: Any) -> tuple[Any, ...]:
                if type(x) is not list or len(x) != len(items):
                    raise CodecError(f"expected a list of {len(items)}")
                return tuple([d(v) for d, v in zip(items, x)])
            return fixed
        if origin is frozenset:
            item = self.decoder(args[0])

            def group(x: Any) -> frozenset[Any]:
                if type(x) is not list:
                    raise CodecError(f"expected a list, found {type(x).__name__}")
                return frozenset([item(v) for v in x])
            return group
        if origin in (dict, collections.abc.Mapping):
            value = self.decoder(args[1])
            shared = self.shared

            def table(x: Any) -> dict[str, Any]:
                if type(x) is not dict:
                    raise CodecError(f"expected an object, found {type(x).__name__}")
                found: dict[str, Any] = x
                return {shared.get(k, k): value(v) for k, v in found.items()}
            return table
        if isinstance(tp, type) and dataclasses.is_dataclass(tp):
            return self._dataclass(tp)
        raise TypeError(f"the story cache cannot hold a {tp!r}")

    def _union(self, args: tuple[Any, ...]) -> Decoder:
        classes = {a.__name__: a for a in args if isinstance(a, type) and dataclasses.is_dataclass(a)}
        optional = type(None) in args
        plain = tuple(a for a in args if a in (str, int, bool))
        if len(classes) > 1:
            tagged = {name: self.decoder(cls) for name, cls in classes.items()}

            def one_of(x: Any) -> Any:
                if x is None and optional:
                    return None
                if type(x) is list and len(x) == 2 and type(x[0]) is str and x[0] in tagged:
                    return tagged[x[0]](x[1])
                raise CodecError(f"expected one of {', '.join(tagged)}")
            return one_of
        others = [a for a in args if a is not type(None)]
        if len(others) == 1:
            inner = self.decoder(others[0])
            if not optional:
                return inner
            return lambda x: None if x is None else inner(x)
        if len(plain) != len(others):
            raise TypeError(f"the story cache cannot hold a union of {args!r}")
        names = " or ".join(a.__name__ for a in plain)

        def either(x: Any) -> Any:
            if x is None and optional:
                return None
            if type(x) not in plain:
                raise CodecError(f"expected {names}, found {type(x).__name__}")
            return x
        return either

    def _dataclass(self, cls: type) -> Decoder:
        shape = [(name, self.decoder(ftp)) for name, ftp in self.codec.fields(cls)]
        decoders = [dec for _, dec in shape]
        count = len(shape)
        label = cls.__name__
        # `maker` compiles a constructor: worth it for the per-scene records (slotted), not for
        # the handful of sides, variables and sources, built by their own `__init__`
        make = maker(cls) if "__slots__" in cls.__dict__ else cls

        def build(x: Any) -> Any:
            if type(x) is not list or len(x) != count:
                raise CodecError(f"expected a {label} of {count} fields")
            try:
                return make(*[dec(raw) for dec, raw in zip(decoders, x)])
            except CodecError:
                for (name, dec), raw in zip(shape, x):
                    try:
                        dec(raw)
                    except CodecError as exc:
                        raise CodecError(f"{label}.{name}: {exc}") from None
                raise
        return build


_CODEC = _Codec()
_IN_USE = threading.Lock()
"""Encoding sets the codec's string table: one story at a time."""


def schema_signature() -> str:
    """Changes whenever the compiled story's dataclasses change shape.

    While the written decoders are current (`story_decoders.py`), the signature they were
    written with: the same value, without evaluating every class's annotations at each start."""
    written = _written()
    if written is not None:
        signature: str = written.SCHEMA
        return signature
    return _CODEC.signature(Story)


_WRITTEN: list[Optional[types.ModuleType]] = []


def _written() -> Optional[types.ModuleType]:
    """`story_decoders`, while each class it decodes has the fields, annotated as written, that
    the module was written for, and is built by storing them; None once a class changed (until the module is written again,
    `codec.py`'s own decoders do its work: tests/test_story_decoders.py says when)."""
    if not _WRITTEN:
        from game.engine import story_decoders

        fields = getattr(story_decoders, "FIELDS", {})
        twins = getattr(story_decoders, "TWINS", {})
        current = bool(fields) and all(
            tuple(f"{f.name}: {f.type}" for f in dataclasses.fields(cls)) == shown
            for cls, shown in fields.items()) and all(
            built_by_stores(cls, tuple(f.name for f in dataclasses.fields(cls)), twins.get(cls))
            for cls in getattr(story_decoders, "STORED", ()))
        _WRITTEN.append(story_decoders if current else None)
    return _WRITTEN[0]


def encode_story(story: Story, diagnostics: list[Diagnostic]) -> dict[str, Any]:
    """The story and its load diagnostics (warnings) as JSON-ready data, every string in one
    table and each use of it its number there."""
    with _IN_USE:
        _CODEC.table = {}
        try:
            encoded = {
                "story": _CODEC.encoder(Story)(story),
                "diagnostics": _CODEC.encoder(tuple[Diagnostic, ...])(tuple(diagnostics)),
            }
            encoded["strings"] = list(_CODEC.table)
        finally:
            _CODEC.table = None
    return encoded


def decode_story(data: Any, root: str, fingerprint: str, *,
                 from_source: Optional[Callable[[], Mapping[str, Scene]]] = None) -> tuple[Story, list[Diagnostic]]:
    """The story `encode_story` gave, checked value by value; `CodecError` at the first doubt.

    `root` is where the story is now and `fingerprint` what the cache file's header says of
    the files it was compiled from: a payload carrying others was written for another story
    and is refused. The written decoders (`story_decoders.py`)
    do the work while they are current; whatever they refuse, this module's own decoders
    judge again, and their answer stands (and says what is wrong).

    With `from_source`, each scene is decoded and checked when it is first read instead
    (`ScenesOnRead`): a game's first frame needs one scene of the story's hundreds. A scene that
    fails its checks then is never used: the scenes come from `from_source` from then on."""
    written = _written()
    if written is not None:
        try:
            return decode_payload(data, root, fingerprint, written, from_source)
        except Exception:  # noqa: BLE001 - judged again below
            pass
    return decode_payload(data, root, fingerprint, None, from_source)


def decode_payload(data: Any, root: str, fingerprint: str, written: Optional[types.ModuleType],
                   from_source: Optional[Callable[[], Mapping[str, Scene]]] = None) -> tuple[Story, list[Diagnostic]]:
    """`decode_story` by the written decoders, or with None by this module's own."""
    if type(data) is not dict or set(data) != {"story", "diagnostics", "strings"}:
        raise CodecError("not a cached story")
    raw, strings = data["story"], data["strings"]
    fields = [f.name for f in dataclasses.fields(Story) if f.init]
    if type(raw) is not list or len(raw) != len(fields) or type(strings) is not list:
        raise CodecError("not a cached story")
    if not set(map(type, strings)) <= {str}:
        raise CodecError("the string table holds something else")
    at = dict(zip(fields, raw))
    decoding = _Decoding(_CODEC, strings)
    if decoding.string(at["root"]) != root or decoding.string(at["fingerprint"]) != fingerprint:
        raise CodecError("the cache holds another story")
    if written is not None:
        decoders = written.decoders(
            strings, decoding.shared.get, CodecError, decoding.template, decoding.condition,
            decoding.decoder(float), decoding.decoder(dt.datetime), decoding.decoder(dt.date))
    else:
        decoders = (decoding.decoder(dict[str, Var]), decoding.decoder(Story),
                    decoding.decoder(tuple[Diagnostic, ...]), decoding.decoder(Scene))
    of_variables, of_story, of_diagnostics, of_scene = decoders
    variables = of_variables(at["vars"])
    scenes = at["scenes"]
    if type(scenes) is not dict:
        raise CodecError("expected the scenes")
    # The variables first: conditions are checked against the variables and scenes the payload
    # declares, which are themselves checked against every use (`_check_references`).
    decoding.know({name: v.type for name, v in variables.items()}, frozenset(scenes),
                  {name: v.label for name, v in variables.items()})
    if from_source is None:
        story = of_story(raw)
        _check_references(story)
        for sid, scene in story.scenes.items():
            _check_scene(story, sid, scene)
    else:
        story = of_story([*raw[:fields.index("scenes")], {}, *raw[fields.index("scenes") + 1:]])

        def scene_at(sid: str, value: Any) -> Scene:
            scene: Scene = of_scene(value)
            _check_scene(story, sid, scene)
            return scene

        share: Callable[[str, str], str] = decoding.shared.get
        object.__setattr__(story, "scenes", ScenesOnRead({share(k, k): v for k, v in scenes.items()}, scene_at,
                                                         from_source))
        _check_references(story)
    return story, list(of_diagnostics(data["diagnostics"]))


class ScenesOnRead(collections.abc.Mapping[str, Scene]):
    """A story's scenes, each decoded and checked the first time it is read, as `decode_story`
    decodes them all otherwise: the same scenes, in the same order.

    The first scene that fails its checks is not used: it, and every scene read after it, comes
    from `from_source` (the story compiled from its files). What fails here is a cache file whose digests all agree, so written by a program
    that meant to: the story on disk is what is played all the same."""

    def __init__(self, raw: dict[str, Any], decode: Callable[[str, Any], Scene],
                 from_source: Callable[[], Mapping[str, Scene]]) -> None:
        self._ids = tuple(raw)
        self._known = frozenset(raw)
        self._raw = raw
        self._read: dict[str, Scene] = {}
        self._decode = decode
        self._from_source = from_source
        self._source: Optional[Mapping[str, Scene]] = None
        self._lock = threading.Lock()  # the autosave's thread reads scenes too

    def __getitem__(self, sid: str) -> Scene:
        found = self._read.get(sid)
        if found is not None:
            return found
        with self._lock:
            found = self._read.get(sid)
            if found is None:
                value = self._raw[sid]  # KeyError for a scene the story does not have, as a dict's
                if self._source is None:
                    try:
                        found = self._decode(sid, value)
                    except Exception:  # noqa: BLE001 - whatever fails its checks is replaced
                        self._source = self._from_source()
                if self._source is not None:
                    found = self._source[sid]
                assert found is not None
                self._read[sid] = found
                del self._raw[sid]  # the decoded scene holds all of it the game needs
        return found

    def __contains__(self, sid: object) -> bool:
        return sid in self._known

    def __iter__(self) -> typing.Iterator[str]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)

    @property
    def read(self) -> int:
        """How many scenes have been read (decoded, or taken from source) so far."""
        return len(self._read)

    def __repr__(self) -> str:
        return f"ScenesOnRead({self.read} of {len(self._ids)} scenes read)"


def _check_references(story: Story) -> None:
    """What the engine relies on without looking: every name it follows leads somewhere (in
    each scene, `_check_scene`, as the scene is decoded)."""
    scenes, variables = story.scenes, story.vars
    if story.var_names != tuple(variables) or not story.observed_seen <= scenes.keys():
        raise CodecError("variables or observed scenes do not match")
    for name, var in variables.items():
        if var.name != name or var.type not in ("int", "bool") or var.display not in ("meter", "scale"):
            raise CodecError(f"variable {name!r} is malformed")
        if var.type == "bool" and type(var.start) is not bool:
            raise CodecError(f"variable {name!r} has a start of the wrong type")
        if var.type == "int" and (type(var.start) is not int or not var.min <= var.start <= var.max):
            raise CodecError(f"variable {name!r} has a start out of range")
    for sid, side in story.sides.items():
        if side.id != sid or side.start not in scenes or set(side.start_values) != set(variables):
            raise CodecError(f"side {sid!r} is malformed")
        for name, value in side.start_values.items():
            if (type(value) is bool) != (variables[name].type == "bool"):
                raise CodecError(f"side {sid!r} starts {name!r} with the wrong type")
    for sid, source in story.sources.items():
        if source.id != sid:
            raise CodecError(f"source {sid!r} is malformed")
    for side_id in story.history:
        if side_id not in story.sides:
            raise CodecError(f"history of unknown side {side_id!r}")


def _check_scene(story: Story, sid: str, scene: Scene) -> None:
    """`_check_references` for one scene (the story's own, without reading its other scenes)."""
    scenes, variables = story.scenes, story.vars
    if scene.id != sid or scene.side not in story.sides or scene.provenance not in (
            "documented", "reported", "counterfactual"):
        raise CodecError(f"scene {sid!r} is malformed")
    for choice in scene.choices:
        if choice.goto not in scenes:
            raise CodecError(f"scene {sid!r}: choice {choice.id!r} goes nowhere")
        for effect in choice.effects:
            target = variables.get(effect.var)
            if target is None or effect.op not in ("add", "set") or (type(effect.value) is bool) != (
                    target.type == "bool") or (effect.op == "add" and target.type == "bool"):
                raise CodecError(f"scene {sid!r}: choice {choice.id!r} has a malformed effect")
