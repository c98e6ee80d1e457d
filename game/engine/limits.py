"""How much of anything a file may hold, and the one pattern for ids.

Every file the game reads was possibly written by someone else, so each read is bounded: a
FIFO, `/dev/zero`, a 100,000-deep nesting or a 5,000-digit number is refused with a reason
rather than hanging, eating memory or raising a traceback. The numbers are documented in
story/README.md ("Limits") and README.md; change them there too.
"""

from __future__ import annotations

import datetime as dt
from typing import Collection, Optional

from game.patterns import pattern

MAX_FILE_BYTES = 4 * 1024 * 1024
"""One story file. The whole three-sided story is about 400 KB."""

MAX_STORY_BYTES = 64 * 1024 * 1024
"""All of a story's files together."""

MAX_STRING_CHARS = 50_000
"""One story string (a scene's text, a title...): about twenty printed pages, far above any scene."""

MAX_DEPTH = 32
"""Nested arrays and inline tables in a story file; a story needs four."""

MAX_INT_DIGITS = 18
"""Digits in one integer: every int the engine keeps fits in 64 bits."""

MAX_INT = 2 ** 63 - 1

MAX_SIDE_FILE_BYTES = 1024 * 1024
"""Settings and the endings gallery: a few KB in practice."""

MAX_JSON_DEPTH = 64
"""Nesting in a settings, gallery or run file; the game writes four levels at most."""

MIN_YEAR, MAX_YEAR = 1000, 9000
"""Dates in stories and runs. Far from both ends of Python's calendar (years 1 and 9999), so
converting a time to UTC or to local time, with any offset, can never overflow."""

MAX_ID_CHARS = 64
ID_PATTERN = r"^[a-z0-9][a-z0-9_-]*(?:\.[a-z0-9][a-z0-9_-]*)*$"
"""Side, scene, choice and source ids (and the story's): lower-case letters, digits, '-' and '_',
in parts joined by single dots, e.g. `altman.fri.meet`. Never a slash, never '..', never a
leading dot: an id becomes part of a file name (golden runs, explored soft locks, new branches)."""
_ID = pattern(ID_PATTERN)
_ONE_ID = ID_PATTERN[1:-1]
_IDS = pattern(f"{_ONE_ID}(?:\n{_ONE_ID})*")

VAR_PATTERN = r"^[a-z][a-z0-9_]*$"
"""Variable names: conditions read them, so they are identifiers."""


def id_problem(value: str) -> Optional[str]:
    """Why `value` cannot be an id, or None."""
    if len(value) > MAX_ID_CHARS:
        return f"is longer than {MAX_ID_CHARS} characters"
    if not _ID().match(value):
        return ("must be lower-case letters, digits, '-' and '_', in parts joined by single dots "
                "(like 'altman.fri.meet')")
    return None


def all_ids(values: Collection[str]) -> bool:
    """Whether `id_problem` finds nothing wrong with any of `values`: one match over them all,
    for the thousands of scene ids a large story's files hold. False may be wrong (an id that
    ends in a line break passes `id_problem`): then each is looked at."""
    if not values:
        return True
    joined = "\n".join(values)
    return (joined.count("\n") == len(values) - 1 and max(map(len, values)) <= MAX_ID_CHARS
            and _IDS().fullmatch(joined) is not None)


def date_problem(value: dt.date) -> Optional[str]:
    """Why a date or time from a file is out of range, or None."""
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        return f"year {value.year} is outside {MIN_YEAR}..{MAX_YEAR}"
    return None
