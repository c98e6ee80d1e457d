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


class SceneTable:
    """A scene table `scene_tables` accepted: a `SceneModel`'s attributes, read from the parsed
    table (read-only: nothing writes to a table once it is checked)."""

    side: str
    at: dt.datetime
    title: str
    provenance: str
    sources: list[str]
    text: str
    note: str
    headline: str
    choice: list[ChoiceTable]
    ending: Optional[EndingTable]


_EMPTY: dict[str, Any] = {}
"""The default of a choice's `add` and `set`, shared (read-only, as every table)."""


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

# The optional keys' defaults, as the models' (read-only, so one empty list serves all).
_SCENE_DEFAULTS: dict[str, Any] = {"sources": [], "note": "", "headline": "", "choice": [], "ending": None}
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
        values = {**_SCENE_DEFAULTS, **table}
        side, title, text, note, headline = (values["side"], values["title"], values["text"], values["note"],
                                             values["headline"])
        if (type(side) is not str or type(title) is not str or type(text) is not str or type(note) is not str
                or type(headline) is not str or type(values["at"]) is not _DATETIME or not title or not text
                or len(side) > _LONG or len(title) > _LONG or len(text) > _LONG or len(note) > _LONG
                or len(headline) > _LONG):
            return None
        provenance = values["provenance"]
        if type(provenance) is not str or provenance not in _PROVENANCES:
            return None
        sources = values["sources"]
        if type(sources) is not list:
            return None
        for source in sources:
            if type(source) is not str or len(source) > _LONG:
                return None
        choices = values["choice"]
        if type(choices) is not list:
            return None
        if choices:
            checked: list[ChoiceTable] = []
            for choice in choices:
                if type(choice) is not dict:
                    return None
                keys = choice.keys()
                if not keys <= _CHOICE_KEYS or not _CHOICE_REQUIRED <= keys:
                    return None
                cid, text, goto = choice["id"], choice["text"], choice["goto"]
                if (type(cid) is not str or type(text) is not str or type(goto) is not str or not text
                        or len(cid) > _LONG or len(text) > _LONG or len(goto) > _LONG):
                    return None
                if len(keys) > 3 and not _choice_rest(choice):  # more than id, text and goto
                    return None
                view: ChoiceTable = _new(ChoiceTable)
                view.__dict__ = choice
                checked.append(view)
            values["choice"] = checked
        ending = values["ending"]
        if ending is not None:
            values["ending"] = _ending(ending)
            if values["ending"] is None:
                return None
        scene: SceneTable = _new(SceneTable)
        scene.__dict__ = values
        out[sid] = scene
    return out


def _choice_rest(choice: dict[str, Any]) -> bool:
    """Whether a choice's optional keys are all ones `ChoiceModel` accepts, within bounds."""
    get = choice.get
    condition, locked, outcome = get("if"), get("locked"), get("outcome")
    if ((condition is not None and (type(condition) is not str or len(condition) > _LONG))
            or (locked is not None and (type(locked) is not str or len(locked) > _LONG))
            or (outcome is not None and (type(outcome) is not str or not outcome or len(outcome) > _LONG))
            or type(get("hidden", False)) is not bool):
        return False
    add, assign = get("add", _EMPTY), get("set", _EMPTY)
    if type(add) is not dict or type(assign) is not dict:
        return False
    for name, amount in add.items():
        if type(name) is not str or type(amount) is not int or not -MAX_INT <= amount <= MAX_INT:
            return False
    for name, value in assign.items():
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
