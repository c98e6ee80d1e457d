"""Scene tables read as parsed: the common case of a valid story compiled once, without models.

Validating a 5,000-scene story with pydantic builds a model for every scene, choice and ending
(some 17,000), copying each table, only for the loader to read them once and let them go. A
story compiled once (`load_story`, `check`) is first compiled with its scene tables as tomli
parsed them: the loader reads each table's values through `scene_values`, `choice_values` and
`ending_values`, which give them only when every key and value is one the models accept — the
same keys, the same strict types, the same constraints — and raise `Unsure` otherwise (a key
missing or unknown, a value of another type, an empty title, a score out of range, a string
subclass...). They hold every string and integer to the loader's own bounds too
(`MAX_STRING_CHARS`, 64-bit integers; see `load.check_values`).

That first compile is kept only when it succeeds. When one of these raises, or the story has
any error at all, the loader compiles the story again the long way, every table validated by
pydantic, the validator of record, which says what is wrong: so every diagnostic is the models'
own. tests/test_loader_shortcuts.py holds these functions to the models' answers, field by field.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Optional

from game.engine.limits import MAX_INT, MAX_STRING_CHARS


class Unsure(Exception):
    """A scene table these checks cannot vouch for: the models must judge it."""


# What the models allow and require, spelt out: the checks below are written for exactly these
# keys (a required key is one they read by subscript, so its absence is refused), so a key added
# to a model is refused here, and goes the long way, until it is checked here too;
# tests/test_loader_shortcuts.py holds these to the models.
_SCENE_KEYS = frozenset(("side", "at", "title", "provenance", "sources", "text", "note", "headline", "choice",
                         "ending"))
_SCENE_REQUIRED = frozenset(("side", "at", "title", "provenance", "text"))
_CHOICE_KEYS = frozenset(("id", "text", "goto", "if", "locked", "hidden", "add", "set", "outcome"))
_CHOICE_REQUIRED = frozenset(("id", "text", "goto"))
_ENDING_KEYS = frozenset(("title", "history", "critic", "score", "historical"))
_ENDING_REQUIRED = frozenset(("title", "history", "score"))
_PROVENANCES = frozenset(("documented", "reported", "counterfactual"))

_CHOICE_KINDS: dict[str, type] = {"id": str, "text": str, "goto": str, "if": str, "locked": str, "outcome": str,
                                  "hidden": bool, "add": dict, "set": dict}
"""The type of each key of a choice (`_CHOICE_KEYS`), as the strict models take it."""
_KIND = _CHOICE_KINDS.get
_MAY_BE_NONE = frozenset(("if", "locked", "outcome"))
"""Optional keys whose model field also takes None (which TOML cannot write)."""
_NOT_EMPTY = frozenset(("text", "outcome"))
"""Strings with a minimum length of 1."""

_NONE: list[Any] = []
"""A missing list's value (read-only, as every table)."""
_EMPTY: dict[str, Any] = {}
"""A missing `add` or `set` table's value (read-only)."""
_DATETIME = dt.datetime
_LONG = MAX_STRING_CHARS

EndingValues = tuple[str, str, str, float, bool]
"""title, history, critic, score, historical."""
SceneValues = tuple[str, dt.datetime, str, str, list[str], str, str, str, list[Any], Optional[EndingValues]]
"""side, at, title, provenance, sources, text, note, headline, choice (the tables, unread), ending."""
ChoiceValues = tuple[str, str, str, Optional[str], Optional[str], bool, dict[str, int], dict[str, bool | int],
                     Optional[str]]
"""id, text, goto, if, locked, hidden, add, set, outcome."""


def scene_values(table: Any) -> SceneValues:
    """A scene table's values, the models' defaults for what it leaves out; its choice tables
    are given as they are, for `choice_values`, and its ending's values as `ending_values`."""
    if type(table) is not dict or not table.keys() <= _SCENE_KEYS:
        raise Unsure
    get = table.get
    try:
        side, at, title, provenance, text = (table["side"], table["at"], table["title"], table["provenance"],
                                             table["text"])
    except KeyError:
        raise Unsure from None
    note, headline, sources, choices, ending = (get("note", ""), get("headline", ""), get("sources", _NONE),
                                                get("choice", _NONE), get("ending"))
    if (type(side) is not str or type(title) is not str or type(text) is not str or type(note) is not str
            or type(headline) is not str or type(at) is not _DATETIME or not title or not text
            or len(side) > _LONG or len(title) > _LONG or len(text) > _LONG or len(note) > _LONG
            or len(headline) > _LONG or type(provenance) is not str or provenance not in _PROVENANCES
            or type(sources) is not list or type(choices) is not list):
        raise Unsure
    for source in sources:
        if type(source) is not str or len(source) > _LONG:
            raise Unsure
    return (side, at, title, provenance, sources, text, note, headline, choices,
            None if ending is None else ending_values(ending))


def choice_values(table: Any) -> ChoiceValues:
    """A choice table's values, the models' defaults for what it leaves out.

    Each key is looked up in `_CHOICE_KINDS`, so a key no model has is refused there, and a
    required key that is missing is refused where it is read."""
    if type(table) is not dict:
        raise Unsure
    for key, value in table.items():
        kind = type(value)
        if kind is not _KIND(key):
            if value is None and key in _MAY_BE_NONE:
                continue
            raise Unsure
        if kind is str:
            if len(value) > _LONG or (not value and key in _NOT_EMPTY):
                raise Unsure
        elif kind is dict:
            _effects(key, value)
    get = table.get
    try:
        return (table["id"], table["text"], table["goto"], get("if"), get("locked"), get("hidden", False),
                get("add", _EMPTY), get("set", _EMPTY), get("outcome"))
    except KeyError:
        raise Unsure from None


def _effects(key: str, values: dict[str, Any]) -> None:
    """An `add` table (integers) or a `set` table (integers or booleans), each integer within 64 bits."""
    if key == "add":
        for name, amount in values.items():
            if type(name) is not str or type(amount) is not int or not -MAX_INT <= amount <= MAX_INT:
                raise Unsure
    else:
        for name, value in values.items():
            if type(name) is not str or (type(value) is not bool and (
                    type(value) is not int or not -MAX_INT <= value <= MAX_INT)):
                raise Unsure


def ending_values(table: Any) -> EndingValues:
    """An ending table's values, the models' defaults for what it leaves out."""
    if type(table) is not dict:
        raise Unsure
    keys = table.keys()
    if not keys <= _ENDING_KEYS or not _ENDING_REQUIRED <= keys:
        raise Unsure
    title, history, score = table["title"], table["history"], table["score"]
    critic, historical = table.get("critic", ""), table.get("historical", False)
    if (type(title) is not str or type(history) is not str or type(critic) is not str or not title or not history
            or len(title) > _LONG or len(history) > _LONG or len(critic) > _LONG or type(score) is not float
            or not 0 <= score <= 10 or type(historical) is not bool):
        raise Unsure
    return title, history, critic, score, historical
