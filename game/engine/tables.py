"""Scene tables checked by hand: the common case of a valid story loaded once, without models.

Validating a 5,000-scene story with pydantic builds a model for every scene, choice and
ending (some 17,000), copying each table, only for the loader to read them once and let them
go. `scene_tables` accepts a file's `[scene]` tables only when every key and value is one the
models accept — the same keys, the same strict types, the same constraints — and then gives
each table's values as it was parsed, behind the attribute names the models have (a
`SceneTable`), so the loader compiles it exactly as it compiles a model.

It answers only "certainly valid"; anything else (a key missing or unknown, a value of
another type, an empty title, a score out of range, a string subclass...) returns None and
the loader validates the file with pydantic, the validator of record, which says what is
wrong. It never accepts what the models refuse; tests/test_loader_shortcuts.py holds it to
the models' answers, field by field.

It also holds every string and integer to the loader's own bounds (`MAX_STRING_CHARS`,
64-bit integers; see `load.check_values`), so an accepted table needs no other look.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Optional

from game.engine.limits import MAX_INT, MAX_STRING_CHARS


_EMPTY: dict[str, Any] = {}
"""The default of a choice's `add` and `set`, shared (read-only, as every table)."""
_NONE: list[Any] = []
"""The default of a scene's `sources` and `choice`, shared likewise."""


class SceneTable:
    """A scene table `scene_tables` accepted: a `SceneModel`'s attributes, read from the parsed
    table itself (read-only: nothing writes to a table once it is checked); a key the table
    leaves out reads as the model's default. Its choices and ending, checked, are its own."""

    __slots__ = ("__dict__", "choice", "ending")
    side: str
    at: dt.datetime
    title: str
    provenance: str
    sources: list[str] = _NONE
    text: str
    note: str = ""
    headline: str = ""
    choice: list[ChoiceTable]
    ending: Optional[EndingTable]


class ChoiceTable:
    """A choice table `scene_tables` accepted: a `ChoiceModel`'s attributes, read from the parsed
    table itself (`if` as `if_`); a key the table leaves out reads as the model's default."""

    id: str
    text: str
    goto: str
    locked: Optional[str] = None
    hidden: bool = False
    add: dict[str, int] = _EMPTY
    set: dict[str, bool | int] = _EMPTY
    outcome: Optional[str] = None

    @property
    def if_(self) -> Optional[str]:
        condition: Optional[str] = self.__dict__.get("if")
        return condition


class EndingTable:
    """An ending table `scene_tables` accepted: an `EndingModel`'s attributes."""

    title: str
    history: str
    critic: str
    score: float
    historical: bool


# What the models allow and require, spelt out: the checks below are written for exactly these
# keys, so a key added to a model is refused here (and goes the long way) until it is checked
# here too; tests/test_loader_shortcuts.py holds these to the models.
_SCENE_KEYS = frozenset(("side", "at", "title", "provenance", "sources", "text", "note", "headline", "choice",
                         "ending"))
_SCENE_REQUIRED = frozenset(("side", "at", "title", "provenance", "text"))
_CHOICE_KEYS = frozenset(("id", "text", "goto", "if", "locked", "hidden", "add", "set", "outcome"))
_CHOICE_REQUIRED = frozenset(("id", "text", "goto"))
_ENDING_KEYS = frozenset(("title", "history", "critic", "score", "historical"))
_ENDING_REQUIRED = frozenset(("title", "history", "score"))
_PROVENANCES = frozenset(("documented", "reported", "counterfactual"))

_ENDING_DEFAULTS: dict[str, Any] = {"critic": "", "historical": False}

_new = object.__new__
_DATETIME = dt.datetime
_LONG = MAX_STRING_CHARS


def scene_tables(scenes: Any) -> Optional[dict[str, SceneTable]]:
    """Every table of a file's `[scene]` section, when the models would certainly accept them all
    with the values they hold; otherwise None (then pydantic must judge the file).

    One loop, with each choice checked in line: it runs for every scene and choice of a story."""
    if type(scenes) is not dict:
        return None
    out: dict[str, SceneTable] = {}
    for sid, table in scenes.items():
        if type(table) is not dict:
            return None
        keys = table.keys()
        if not keys <= _SCENE_KEYS or not _SCENE_REQUIRED <= keys:
            return None
        get = table.get
        side, title, text, note, headline = table["side"], table["title"], table["text"], get("note", ""), get(
            "headline", "")
        if (type(side) is not str or type(title) is not str or type(text) is not str or type(note) is not str
                or type(headline) is not str or type(table["at"]) is not _DATETIME or not title or not text
                or len(side) > _LONG or len(title) > _LONG or len(text) > _LONG or len(note) > _LONG
                or len(headline) > _LONG):
            return None
        provenance = table["provenance"]
        if type(provenance) is not str or provenance not in _PROVENANCES:
            return None
        sources = get("sources", _NONE)
        if type(sources) is not list:
            return None
        for source in sources:
            if type(source) is not str or len(source) > _LONG:
                return None
        choices = get("choice", _NONE)
        if type(choices) is not list:
            return None
        checked: list[ChoiceTable] = []
        if choices:
            for choice in choices:
                if type(choice) is not dict:
                    return None
                keys = choice.keys()
                if not keys <= _CHOICE_KEYS or not _CHOICE_REQUIRED <= keys:
                    return None
                for key, value in choice.items():
                    kind = type(value)
                    if kind is not _CHOICE_KINDS[key]:
                        if value is None and key in _MAY_BE_NONE:
                            continue
                        return None
                    if kind is str:
                        if len(value) > _LONG or (not value and key in _NOT_EMPTY):
                            return None
                    elif kind is dict and not _effects(key, value):
                        return None
                view: ChoiceTable = _new(ChoiceTable)
                view.__dict__ = choice
                checked.append(view)
        ending = get("ending")
        if ending is not None:
            ending = _ending(ending)
            if ending is None:
                return None
        scene: SceneTable = _new(SceneTable)
        scene.__dict__ = table
        scene.choice = checked
        scene.ending = ending
        out[sid] = scene
    return out


_CHOICE_KINDS: dict[str, type] = {"id": str, "text": str, "goto": str, "if": str, "locked": str, "outcome": str,
                                  "hidden": bool, "add": dict, "set": dict}
"""The type of each key of a choice (`_CHOICE_KEYS`), as the strict models take it."""
_MAY_BE_NONE = frozenset(("if", "locked", "outcome"))
"""Optional keys whose model field also takes None (which TOML cannot write)."""
_NOT_EMPTY = frozenset(("text", "outcome"))
"""Strings with a minimum length of 1."""


def _effects(key: str, values: dict[str, Any]) -> bool:
    """Whether an `add` (integers) or `set` (integers or booleans) table is one the model takes,
    each integer within 64 bits."""
    if key == "add":
        for name, amount in values.items():
            if type(name) is not str or type(amount) is not int or not -MAX_INT <= amount <= MAX_INT:
                return False
    else:
        for name, value in values.items():
            if type(name) is not str or (type(value) is not bool and (
                    type(value) is not int or not -MAX_INT <= value <= MAX_INT)):
                return False
    return True


def _ending(table: Any) -> Optional[EndingTable]:
    if type(table) is not dict:
        return None
    keys = table.keys()
    if not keys <= _ENDING_KEYS or not _ENDING_REQUIRED <= keys:
        return None
    values = {**_ENDING_DEFAULTS, **table}
    title, history, critic, score = values["title"], values["history"], values["critic"], values["score"]
    if (type(title) is not str or type(history) is not str or type(critic) is not str or not title or not history
            or len(title) > _LONG or len(history) > _LONG or len(critic) > _LONG or type(score) is not float
            or not 0 <= score <= 10 or type(values["historical"]) is not bool):
        return None
    ending: EndingTable = _new(EndingTable)
    ending.__dict__ = values
    return ending
