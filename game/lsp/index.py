"""Where each scene id, variable, source and side is named in a story file's text.

The editor needs positions, not values: every place an id is written, so that it can jump to
the definition, list the references and rename them all. This scans the text line by line,
as an author wrote it, and works on a file that does not parse, which is most of the time
while typing. Positions are 0-based lines and character columns; `end` is exclusive.
"""

from __future__ import annotations

import re
from typing import Iterator, Optional

from game.engine.limits import id_problem
from game.engine.rules import KEYWORDS
from game.records import record

Table = tuple[str, ...]

DEF = "def"
"""The table that defines the name: `[scene."a.b"]`, `[var.trust]`."""
OWN = "own"
"""A table that belongs to the definition: `[[scene."a.b".choice]]`, `[scene."a.b".ending]`."""
REF = "ref"
"""A use of the name: a goto, a condition, an effect, a cited source."""


@record
class Occurrence:
    kind: str  # scene | var | source | side
    name: str
    line: int
    start: int
    end: int
    role: str  # def | own | ref

    def contains(self, line: int, col: int) -> bool:
        return self.line == line and self.start <= col <= self.end


_PART = re.compile(r"""\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[A-Za-z0-9_\-]+))\s*""")
_HEADER_START = re.compile(r"^\s*(\[\[?)")
_KEY = re.compile(r"""^\s*(?P<key>[A-Za-z0-9_\-]+|"[^"]*")\s*=\s*""")
_BASIC = re.compile(r'"((?:[^"\\\n]|\\.)*)"')
_LITERAL = re.compile(r"'([^'\n]*)'")
_QUOTED = re.compile(r"""["']([^"'\n]*)["']""")
_INLINE_KEY = re.compile(r"(?:^|[{,])\s*([A-Za-z_][A-Za-z0-9_]*)\s*=")
_CONDITION_TOKEN = re.compile(
    r"""(?P<seen>\bseen\s*\(\s*(?P<q>['"])(?P<sid>[^'"]*)(?P=q))|(?P<str>'[^']*'|"[^"]*")|(?P<name>[A-Za-z_][A-Za-z0-9_]*)""")
# passages in text: {if COND}, {elif COND}, {= NAME}, {label NAME}
_TEXT_CONDITION = re.compile(r"(?<!\{)\{(?:if|elif)\s+(?P<cond>[^{}\n]*)\}")
_TEXT_VALUE = re.compile(r"(?<!\{)\{=(?P<expr>[^{}\n]*)\}")
_TEXT_NAME = re.compile(r"(?<!\{)\{label\s+(?P<name>[a-z_][a-z0-9_]*)\s*\}")

SECTION_KIND = {"scene": "scene", "var": "var", "source": "source", "side": "side"}


def header_parts(line: str) -> Optional[tuple[str, list[tuple[str, int, int]]]]:
    """A table header's brackets and its key parts with their spans, or None if `line` is not one."""
    m = _HEADER_START.match(line)
    if not m:
        return None
    pos = m.end()
    parts: list[tuple[str, int, int]] = []
    while pos < len(line):
        p = _PART.match(line, pos)
        if not p or p.end() == pos:
            break
        group = "dq" if p.group("dq") is not None else "sq" if p.group("sq") is not None else "bare"
        parts.append((p.group(group), p.start(group), p.end(group)))
        pos = p.end()
        if pos < len(line) and line[pos] == ".":
            pos += 1
            continue
        break
    if not parts or pos >= len(line) or line[pos] != "]":
        return None
    return m.group(1), parts


def string_value(line: str, at: int) -> Optional[tuple[str, int]]:
    """The one-line string that starts at or after column `at`: its content and where it begins."""
    rest = line[at:]
    stripped = rest.lstrip()
    offset = at + len(rest) - len(stripped)
    if stripped.startswith('"') and not stripped.startswith('"""'):
        m = _BASIC.match(line, offset)
    elif stripped.startswith("'") and not stripped.startswith("'''"):
        m = _LITERAL.match(line, offset)
    else:
        return None
    return (m.group(1), m.start(1)) if m else None


def condition_names(text: str, line: int, base: int) -> Iterator[Occurrence]:
    """Variables and `seen()` scenes a condition names; columns offset by `base`."""
    for m in _CONDITION_TOKEN.finditer(text):
        if m.group("seen") is not None:
            yield Occurrence("scene", m.group("sid"), line, base + m.start("sid"), base + m.end("sid"), REF)
        elif m.group("name") is not None and m.group("name") not in KEYWORDS:
            yield Occurrence("var", m.group("name"), line, base + m.start("name"), base + m.end("name"), REF)


def text_names(text: str, line: int, base: int) -> Iterator[Occurrence]:
    """Names used by the passages of a piece of text: `{if COND}`, `{= NAME}`, `{label NAME}`."""
    if "{" not in text:
        return
    for m in _TEXT_CONDITION.finditer(text):
        yield from condition_names(m.group("cond"), line, base + m.start("cond"))
    for m in _TEXT_VALUE.finditer(text):
        yield from condition_names(m.group("expr"), line, base + m.start("expr"))
    for m in _TEXT_NAME.finditer(text):
        yield Occurrence("var", m.group("name"), line, base + m.start("name"), base + m.end("name"), REF)


def scan(text: str) -> list[Occurrence]:
    """Every occurrence of a name in one story file, in order."""
    out: list[Occurrence] = []
    table: Table = ()
    closing: Optional[str] = None  # the quotes that end the multi-line string we are in
    in_sources = False  # inside a `sources = [` array that spans lines
    for n, line in enumerate(text.split("\n")):
        if closing is not None:
            end = line.find(closing)
            body = line if end < 0 else line[:end]
            out.extend(text_names(body, n, 0))
            if end >= 0:
                closing = None
            continue
        if in_sources:
            stop = line.find("]")
            for m in _QUOTED.finditer(line if stop < 0 else line[:stop]):
                out.append(Occurrence("source", m.group(1), n, m.start(1), m.end(1), REF))
            in_sources = stop < 0
            continue
        stripped = line.lstrip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.startswith("["):
            header = header_parts(line)
            if header is not None:
                brackets, parts = header
                table = tuple(p[0] for p in parts)
                out.extend(_header_occurrences(brackets, parts, n))
                continue
        found = _KEY.match(line)
        if not found:
            continue
        key = found.group("key").strip('"')
        value_at = found.end()
        out.extend(_key_occurrences(table, key, line, n, value_at))
        rest = line[value_at:]
        if key == "sources" and rest.startswith("[") and "]" not in rest:
            in_sources = True
        for quote in ('"""', "'''"):
            if rest.startswith(quote) and rest.count(quote) == 1:
                closing = quote
                out.extend(text_names(rest[3:], n, value_at + 3))
                break
    return out


def _header_occurrences(brackets: str, parts: list[tuple[str, int, int]], n: int) -> Iterator[Occurrence]:
    if len(parts) < 2:
        return
    section, (name, start, end) = parts[0][0], parts[1]
    if section == "extend":
        yield Occurrence("scene", name, n, start, end, REF)
    elif section == "history":
        yield Occurrence("side", name, n, start, end, REF)
    elif section in SECTION_KIND:
        role = DEF if len(parts) == 2 and brackets == "[" else OWN
        yield Occurrence(SECTION_KIND[section], name, n, start, end, role)


def _key_occurrences(table: Table, key: str, line: str, n: int, value_at: int) -> Iterator[Occurrence]:
    section = table[0] if table else ""
    if section == "test":
        yield from _plan_occurrences(key, line, n, value_at)
        return
    if key in ("goto", "start") or (key == "side" and section in ("scene", "var")):
        value = string_value(line, value_at)
        if value is not None:
            kind = "side" if key == "side" else "scene"
            if key == "start" and section != "side":
                return
            yield Occurrence(kind, value[0], n, value[1], value[1] + len(value[0]), REF)
        return
    if key == "if":
        value = string_value(line, value_at)
        if value is not None:
            yield from condition_names(value[0], n, value[1])
        return
    if key in ("set", "add"):
        rest = line[value_at:]
        if rest.startswith("{"):
            close = rest.find("}")
            body = rest if close < 0 else rest[:close]
            for m in _INLINE_KEY.finditer(body):
                yield Occurrence("var", m.group(1), n, value_at + m.start(1), value_at + m.end(1), REF)
        return
    if key == "sources":
        rest = line[value_at:]
        if rest.startswith("["):
            close = rest.find("]")
            for m in _QUOTED.finditer(rest if close < 0 else rest[:close]):
                yield Occurrence("source", m.group(1), n, value_at + m.start(1), value_at + m.end(1), REF)
        return
    value = string_value(line, value_at)
    if value is not None:
        yield from text_names(value[0], n, value[1])


def _plan_occurrences(key: str, line: str, n: int, value_at: int) -> Iterator[Occurrence]:
    """Names in a test plan (`[[test]]`, `[[test.step]]`): the scenes of `from`, `scene` and
    `ending` (an ending may also be given by its title, which is no id), the side, and the
    variables of `set` and `vars`."""
    if key in ("from", "scene", "ending", "side"):
        value = string_value(line, value_at)
        if value is not None and (key != "ending" or id_problem(value[0]) is None):
            kind = "side" if key == "side" else "scene"
            yield Occurrence(kind, value[0], n, value[1], value[1] + len(value[0]), REF)
    elif key in ("set", "vars"):
        rest = line[value_at:]
        if rest.startswith("{"):
            close = rest.find("}")
            for m in _INLINE_KEY.finditer(rest if close < 0 else rest[:close]):
                yield Occurrence("var", m.group(1), n, value_at + m.start(1), value_at + m.end(1), REF)


def table_at(lines: list[str], line: int) -> Table:
    """The table the given line belongs to: the last header above it."""
    for i in range(min(line, len(lines) - 1), -1, -1):
        if lines[i].lstrip().startswith("["):
            header = header_parts(lines[i])
            if header is not None:
                return tuple(p[0] for p in header[1])
    return ()


@record
class Context:
    """What may be typed at the cursor: `kind` of name, and the span the completion replaces."""

    kind: str  # scene | var | int-var | source | side | provenance | condition
    start: int
    end: int


_ID_CHARS = re.compile(r"[A-Za-z0-9_.\-]*")
_NAME_CHARS = re.compile(r"[A-Za-z0-9_]*")
_OPEN_SEEN = re.compile(r"""\bseen\s*\(\s*['"](?P<partial>[A-Za-z0-9_.\-]*)$""")
_TEXT_OPEN = re.compile(r"(?<!\{)\{(?:(?:if|elif)\s+(?P<cond>[^{}]*)|=(?P<expr>[^{}]*)|label\s+(?P<name>[a-z0-9_]*))$")


def _span(line: str, col: int, chars: re.Pattern[str], back: re.Pattern[str]) -> tuple[int, int]:
    m = back.search(line[:col])
    start = m.start() if m else col
    end = col + len(chars.match(line, col).group(0))  # type: ignore[union-attr]
    return start, end


_ID_BACK = re.compile(r"[A-Za-z0-9_.\-]*$")
_NAME_BACK = re.compile(r"[A-Za-z0-9_]*$")


def _in_sources_array(lines: list[str], line: int) -> bool:
    """Whether `line` is inside a `sources = [` array that spans lines."""
    for i in range(line - 1, max(-1, line - 50), -1):
        text = lines[i]
        if "]" in text:
            return False
        if re.match(r"^\s*sources\s*=\s*\[", text):
            return True
        if _KEY.match(text) or text.lstrip().startswith("["):
            return False
    return False


def completion_context(lines: list[str], line: int, col: int) -> Optional[Context]:
    """What the author is typing at (line, col), from the line and the table it is in."""
    if line >= len(lines):
        return None
    text = lines[line]
    before = text[:col]
    idspan = _span(text, col, _ID_CHARS, _ID_BACK)
    namespan = _span(text, col, _NAME_CHARS, _NAME_BACK)
    opened = _TEXT_OPEN.search(before)
    if opened:
        if opened.group("name") is not None or opened.group("expr") is not None:
            return Context("var", *namespan)
        if _OPEN_SEEN.search(opened.group("cond")):
            return Context("scene", *idspan)
        return Context("condition", *namespan)
    m = _KEY.match(text)
    header = re.match(r"""^\s*\[\[?\s*(?P<section>scene|extend)\s*\.\s*["']?[A-Za-z0-9_.\-]*$""", before)
    if header:
        return Context("scene", *idspan)
    if not m:
        if before.count('"') % 2 == 1 and _in_sources_array(lines, line):
            return Context("source", *idspan)
        return None
    if col < m.end():
        return None
    key = m.group("key").strip('"')
    value = before[m.end():]
    table = table_at(lines, line)
    section = table[0] if table else ""
    quoted = value.count('"') % 2 == 1 or value.count("'") % 2 == 1
    if section == "test":
        if key in ("from", "scene", "ending"):
            return Context("scene", *idspan) if quoted else None
        if key == "side":
            return Context("side", *namespan) if quoted else None
        if key in ("set", "vars") and value.startswith("{") and not re.search(r"=\s*[^,}]*$", value[1:]):
            return Context("var", *namespan)
        return None
    if key in ("goto",) or (key == "start" and section == "side"):
        return Context("scene", *idspan) if quoted else None
    if key == "side":
        return Context("side", *namespan) if quoted else None
    if key == "provenance":
        return Context("provenance", *namespan) if quoted else None
    if key == "sources":
        inside = value.count('"') % 2 == 1
        return Context("source", *idspan) if inside else None
    if key in ("set", "add"):
        if value.startswith("{") and not re.search(r"=\s*[^,}]*$", value[1:]):
            return Context("int-var" if key == "add" else "var", *namespan)
        return None
    if key == "if":
        if not value.lstrip().startswith(("'", '"')):
            return None
        if _OPEN_SEEN.search(value):
            return Context("scene", *idspan)
        return Context("condition", *namespan)
    return None
