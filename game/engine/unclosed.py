"""Finding a multi-line string whose closing quotes are missing.

Without them TOML reads on into the next string in the file and reports whatever breaks
there, often many lines and scenes later; the author needs the line where the string began.
"""

from __future__ import annotations

import re
from typing import Optional

_OPENS = re.compile(r"""^\s*(?:"[^"\n]*"|'[^'\n]*'|[A-Za-z0-9_.\-]+)(?:\s*\.\s*(?:"[^"\n]*"|'[^'\n]*'|[A-Za-z0-9_\-]+))*\s*=\s*("{3}|'{3})""")
_HEADER = re.compile(r"""^\s*\[\[?\s*(?:"[^"\n]*"|'[^'\n]*'|[A-Za-z0-9_\-]+)[^\n]*\]\s*(?:#.*)?$""")
_KEY = re.compile(r"""^[A-Za-z0-9_\-]+\s*=\s*(?:"|'|\d|true\b|false\b|\[|\{)""")


def unclosed_multiline(text: str) -> Optional[tuple[int, int, str, int]]:
    """(line, column, quotes, line it runs into) of the first multi-line string that takes in
    a table header or a `key = value` line before its closing quotes, or that runs to the end
    of the file; None when every multi-line string closes before such a line."""
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        m = _OPENS.match(lines[i])
        if m is None:
            i += 1
            continue
        quotes = m.group(1)
        if quotes in lines[i][m.end():]:
            i += 1
            continue
        start, col = i, m.start(1) + 1
        i += 1
        while i < len(lines) and quotes not in lines[i]:
            if _HEADER.match(lines[i]) or _KEY.match(lines[i]):
                return start + 1, col, quotes, i + 1
            i += 1
        if i >= len(lines):
            return start + 1, col, quotes, len(lines)
        i += 1
    return None
