"""The one rule for text that comes from a file, and the one way to print text we did not write.

Story files, run files, settings and the gallery are written by other people. A terminal obeys
control characters (ESC starts a command that can clear the screen or rename the window, CR
overwrites a line) and bidirectional overrides make text display in another order than it is
stored. So:

* story strings may hold printable characters, line breaks and tabs only; `first_forbidden`
  finds anything else, and the loader reports it as an error (E402);
* everything else read from a file is neutralised when printed: `shown` turns each forbidden
  character (and, on one line, each line break) into a visible escape such as `\\x1b` or
  `\\u202e`, and caps the length, so a 100,000-character id is never echoed whole.

Standard library only: the engine, every front end and the tests share it.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Optional

from game.patterns import pattern

BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
"""Arabic letter mark, LRM, RLM, the embeddings and overrides (U+202A–202E) and the isolates
(U+2066–2069). LRM and RLM reorder nothing by themselves, but they are invisible and a story in
any script can do without them, so one rule covers the whole family."""

_FORBIDDEN_CLASS = "\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff" + BIDI_CONTROLS
forbidden = pattern(f"[{_FORBIDDEN_CLASS}]")
"""What story text may not hold: C0 controls but tab and newline, DEL, C1 controls, the line and
paragraph separators, the bidi controls, and lone surrogates (which no file can encode).
Compiled when first used (`game.patterns`): nothing before the game's first frame needs it."""

_one_line = pattern(f"[{_FORBIDDEN_CLASS}\t\n]")

DEFAULT_LIMIT = 200
"""Characters echoed of one value from a file before it is cut: enough for any real id or label."""


def char_name(ch: str) -> str:
    """'U+001B (ESCAPE)': how an error names a character, readable whatever the terminal does."""
    name = unicodedata.name(ch, "")
    if not name:
        name = {"\x1b": "ESCAPE", "\x07": "BELL", "\r": "CARRIAGE RETURN", "\x7f": "DELETE"}.get(ch, "")
    if not name:
        name = "LONE SURROGATE" if "\ud800" <= ch <= "\udfff" else "CONTROL CHARACTER"
    return f"U+{ord(ch):04X} ({name})"


def first_forbidden(text: str) -> Optional[int]:
    """The index of the first character story text may not hold, or None when it is clean."""
    m = forbidden().search(text)
    return m.start() if m else None


_ASCII_ALLOWED = bytes(range(0x20, 0x7F)) + b"\t\n"
_HIGH = bytes(range(0x80, 0x100))


def utf8_is_clean(raw: bytes) -> bool:
    """Whether `raw`, valid UTF-8, decodes to text without a forbidden character: as
    `first_forbidden(raw.decode()) is None`, at a fraction of the cost for mostly-ASCII text.

    Deleting every allowed ASCII byte leaves the ASCII controls and the multi-byte characters,
    whole (UTF-8 never uses an ASCII byte inside one): any ASCII left is a control, and the
    multi-byte characters, few in most stories, are searched as text."""
    rest = raw.translate(None, _ASCII_ALLOWED)
    if not rest:
        return True
    if rest.translate(None, _HIGH):
        return False
    return forbidden().search(rest.decode("utf-8")) is None


def _escape(m: re.Match[str]) -> str:
    code = ord(m.group())
    if code == 0x09:
        return "\\t"
    if code == 0x0A:
        return "\\n"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def shown(value: object, limit: Optional[int] = DEFAULT_LIMIT) -> str:
    """`value` as one safe line: controls, breaks and bidi characters escaped, cut after `limit`
    characters with a note of how much was left out. Use it for anything read from a file."""
    text = value if isinstance(value, str) else str(value)
    cut = ""
    if limit is not None and len(text) > limit:
        cut = f"… ({len(text) - limit:,} more characters)"
        text = text[:limit]
    return _one_line().sub(_escape, text) + cut


def shown_block(text: str) -> str:
    """`text` with line breaks and tabs kept and every other forbidden character escaped: for
    multi-line text from a file (a story that has not been checked, a label shown in full)."""
    return forbidden().sub(_escape, text)
