"""Locating a path in JSON text, for run-file errors that point at their line and column."""

from __future__ import annotations

import json

from game.runs.jsonpos import end_of, line_col, locate

TEXT = """{
  "format": 1,
  "steps": [
    {"scene": "a", "choice": "x"},
    {"scene": "b", "choice": "y, \\"z\\"", "at": "yesterday"}
  ],
  "snapshot": {"values": {"loyalty": [1, {"deep": [2]}], "cohesion": 3}}
}
"""


def at(line: int, needle: str) -> tuple[int, int]:
    """Where `needle` starts on `line` (from 1), as (line, column)."""
    return line, TEXT.splitlines()[line - 1].index(needle) + 1


def test_a_member_is_found_at_its_key_and_an_item_at_its_start() -> None:
    assert locate(TEXT, ("format",)) == at(2, '"format"')
    assert locate(TEXT, ("steps", 1)) == at(5, '{"scene": "b"')
    assert locate(TEXT, ("steps", 1, "at")) == at(5, '"at"'), "past a string holding a comma and quotes"
    assert locate(TEXT, ("snapshot", "values", "cohesion")) == at(7, '"cohesion"'), "past a nested list and object"


def test_what_the_text_does_not_hold_stops_at_the_last_part_found() -> None:
    assert locate(TEXT, ()) == (1, 1)
    assert locate(TEXT, ("nope",)) == (1, 1)
    assert locate(TEXT, ("steps", 7, "at")) == at(3, '"steps"')
    assert locate(TEXT, ("format", "deeper")) == at(2, '"format"')
    assert locate("[" * 50_000 + "]" * 50_000, (0, 0, 0)) == (1, 4), "deep nesting is walked, not recursed"


def test_line_and_column_count_from_one_and_the_end_is_after_the_last_character() -> None:
    assert line_col("ab\ncd", 4) == (2, 2)
    assert end_of('{"a": [1,\n  2  \n\n') == (2, 4)
    assert json.loads(TEXT)["steps"][1]["at"] == "yesterday"
