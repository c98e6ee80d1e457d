"""Finding the line a key sits on in a story file, and collecting a load's diagnostics.

tomli reports positions for syntax errors only. For everything else we scan the file's text
for its table headers and keys — but only when there is something to report, so a clean
load never pays for it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Callable, Iterable, NamedTuple, Optional, Union

from game.engine.diagnostics import Diagnostic, Severity

Key = Union[str, int]

_HEADER = re.compile(r"^\s*(\[\[?)\s*(.*?)\s*(\]\]?)\s*(?:#.*)?$")
_KEY = re.compile(r"""^\s*((?:"[^"]*"|'[^']*'|[A-Za-z0-9_\-]+)(?:\s*\.\s*(?:"[^"]*"|'[^']*'|[A-Za-z0-9_\-]+))*)\s*=""")
_PART = re.compile(r"""\s*("([^"]*)"|'([^']*)'|([A-Za-z0-9_\-]+))\s*(\.|$)""")


_BARE = re.compile(r"[A-Za-z0-9_\-]+")


def split_key(text: str) -> tuple[str, ...]:
    if _BARE.fullmatch(text):
        return (text,)  # most keys: one bare word
    parts: list[str] = []
    pos = 0
    while pos < len(text):
        m = _PART.match(text, pos)
        if not m or m.end() == pos:
            break
        parts.append(m.group(2) if m.group(2) is not None else m.group(3) if m.group(3) is not None else m.group(4))
        pos = m.end()
    return tuple(parts)


class _Entry(NamedTuple):
    """A table or key and where it is (a tuple: a large file has thousands)."""

    path: tuple[Key, ...]
    line: int
    col: int


class _Header(NamedTuple):
    entry: int
    """Index of the header's entry."""
    parts: tuple[Key, ...]
    array: bool
    """A `[[...]]` header: the array's next element."""


class SourceMap:
    """Where each table and key of one TOML file is, built lazily on the first lookup.

    Given the map of the file's text `before` an edit, it reads again only from the last table
    header above the edit to the first header below it where the reading is back in step, and
    takes the rest from `before`, moved by the lines the edit added or removed: an editor
    locates warnings in the file being typed in on every keystroke."""

    def __init__(self, text: str, before: Optional[SourceMap] = None):
        self.text = text
        self._entries: list[_Entry] | None = None
        self._headers: dict[int, _Header] = {}
        """0-based line -> the header there."""
        self._by_path: dict[tuple[Key, ...], _Entry] = {}
        if before is not None and before._entries is None:
            before = before._before  # never read: the last one read stands in for it
        self._before: Optional[SourceMap] = before

    @property
    def read(self) -> bool:
        """Whether something was looked up in it: only then does it save the next map a reading."""
        return self._entries is not None

    def _build(self) -> None:
        lines = self.text.split("\n")
        before, self._before = self._before, None
        if before is not None:
            entries = self._after_edit(before, lines)
        else:
            entries = self._scan(lines, 0, {}, [])[0]
        self._entries = entries
        for e in entries:
            self._by_path.setdefault(e.path, e)

    def _after_edit(self, before: SourceMap, lines: list[str]) -> list[_Entry]:
        assert before._entries is not None
        old = before.text.split("\n")
        first = 0  # lines before `first` are the same in both texts
        limit = min(len(old), len(lines))
        while first < limit and old[first] == lines[first]:
            first += 1
        same_end = 0  # so are the last `same_end` lines
        while same_end < limit - first and old[-1 - same_end] == lines[-1 - same_end]:
            same_end += 1
        delta = len(lines) - len(old)
        start = max((h for h in before._headers if h < first), default=None)  # the same in both
        head: list[_Entry] = []
        counts: dict[tuple[Key, ...], int] = {}
        if start is not None:
            head = before._entries[:before._headers[start].entry]
            self._headers = {h: v for h, v in before._headers.items() if h < start}
            counts = _counts(before._headers, start)
        else:
            start = 0

        def in_step(j: int, now: dict[tuple[Key, ...], int]) -> bool:
            """Whether the header at new line `j`, below the edit, starts what `before` read."""
            i = j - delta
            return j >= len(lines) - same_end and i in before._headers and now == _counts(before._headers, i)

        middle, stop = self._scan(lines, start, counts, head, in_step)
        if stop < len(lines):
            i = stop - delta
            at = before._headers[i].entry
            shift = len(head) + len(middle) - at
            for h, v in before._headers.items():
                if h >= i:
                    self._headers[h + delta] = v._replace(entry=v.entry + shift)
            middle += [e._replace(line=e.line + delta) for e in before._entries[at:]]
        return head + middle

    def _scan(self, lines: list[str], first: int, counts: dict[tuple[Key, ...], int], head: list[_Entry],
              stop: Optional[Callable[[int, dict[tuple[Key, ...], int]], bool]] = None) -> tuple[list[_Entry], int]:
        """The entries of `lines` from 0-based line `first` (outside any string, after `head`),
        and the line where `stop` said the rest is known (the number of lines if it never did)."""
        entries: list[_Entry] = []
        table: tuple[Key, ...] = ()
        closing: str | None = None
        for index in range(first, len(lines)):
            line = lines[index]
            if closing is not None:
                if closing in line:
                    closing = None
                continue
            stripped = line.lstrip()
            if not stripped or stripped.startswith("#"):
                continue
            col = len(line) - len(stripped) + 1
            if stripped.startswith("["):
                m = _HEADER.match(line)
                if m:
                    if stop is not None and index > first and stop(index, counts):
                        return entries, index
                    parts = split_key(m.group(2))
                    array = m.group(1) == "[["
                    self._headers[index] = _Header(len(head) + len(entries), parts, array)
                    if array:
                        n = counts.get(parts, 0)
                        counts[parts] = n + 1
                        table = parts + (n,)
                    else:
                        table = parts
                    entries.append(_Entry(table, index + 1, col))
                    continue
            m = _KEY.match(line)
            if m:
                key = split_key(m.group(1))
                entries.append(_Entry(table + key, index + 1, col))
                rest = line[m.end():].lstrip()
                for quote in ('"""', "'''"):
                    if rest.startswith(quote) and rest.count(quote) == 1:
                        closing = quote
                        break
                # inline tables: remember their keys too, on the same line
                if rest.startswith("{"):
                    for sub in re.finditer(r"([A-Za-z0-9_\-]+)\s*=", rest):
                        entries.append(_Entry(table + key + (sub.group(1),), index + 1, m.end() + sub.start(1) + 2))
        return entries, len(lines)

    def locate(self, path: Iterable[Key]) -> tuple[int, int]:
        """Line and column of the deepest existing prefix of `path` (1, 1 if none)."""
        if self._entries is None:
            self._build()
        key = tuple(path)
        while key:
            entry = self._by_path.get(key)
            if entry is not None:
                return entry.line, entry.col
            # a table only implied by a deeper header, e.g. [scene."a".ending] with no [scene."a"]
            n = len(key)
            for e in self._entries or ():
                if e.path[:n] == key:
                    return e.line, e.col
            key = key[:-1]
        return 1, 1


def _counts(headers: dict[int, _Header], line: int) -> dict[tuple[Key, ...], int]:
    """How many elements each `[[...]]` array has above 0-based `line`."""
    counts: dict[tuple[Key, ...], int] = {}
    for h, v in headers.items():
        if h < line and v.array:
            counts[v.parts] = counts.get(v.parts, 0) + 1
    return counts


_ESCAPE_LENGTH = {"u": 4, "U": 8}


def value_position(text: str, line: int, col: int, offset: int) -> tuple[int, int]:
    """Line and column of character `offset` of the string value of the key at (`line`, `col`).

    TOML decodes a string before we see it: escapes shrink, a multi-line string drops the
    newline right after its opening quotes, and a backslash at a line's end swallows the
    line break and the next line's indent. Walk the source the same way, counting decoded
    characters, so a message can point at the offending character itself. When the value is
    not a plain `key = "string"` (an inline table, say) the key's own position is returned.
    """
    lines = text.splitlines(keepends=True)
    if not 0 < line <= len(lines):
        return line, col
    start = sum(len(s) for s in lines[: line - 1])
    eq = text.find("=", start + col - 1)
    if eq < 0 or eq >= start + len(lines[line - 1]):
        return line, col
    i = eq + 1
    while i < len(text) and text[i] in " \t":
        i += 1
    quote = text[i: i + 3] if text[i: i + 3] in ('"""', "'''") else text[i: i + 1]
    if quote not in ('"', "'", '"""', "'''"):
        return line, col
    i += len(quote)
    if len(quote) == 3:
        if text.startswith("\r\n", i):
            i += 2
        elif text.startswith("\n", i):
            i += 1
    basic = quote[0] == '"'
    count = 0
    n = len(text)
    while i < n and count < offset:
        ch = text[i]
        if basic and ch == "\\" and i + 1 < n:
            nxt = text[i + 1]
            if nxt in " \t\r\n" and len(quote) == 3:
                j = i + 1
                while j < n and text[j] in " \t\r\n":
                    j += 1
                i = j
                continue
            i += 2 + _ESCAPE_LENGTH.get(nxt, 0)
            count += 1
            continue
        if ch == "\r" and text.startswith("\r\n", i):
            i += 2
            count += 1
            continue
        i += 1
        count += 1
    out_line = text.count("\n", 0, i) + 1
    out_col = i - (text.rfind("\n", 0, i) + 1) + 1
    return out_line, out_col


class Reporter:
    """Collects diagnostics for a set of files, resolving key paths to lines on demand."""

    def __init__(self, root: Path):
        self.root = root
        self.texts: dict[str, str] = {}
        self.maps: dict[str, SourceMap] = {}
        self.items: list[Diagnostic] = []
        # Resolved once each: a story of many files asks for every file, in a few folders.
        self._cwd: Path | None = None
        self._folders: dict[Path, Path] = {}

    def display(self, file: Path | str) -> str:
        p = Path(file)
        if self._cwd is None:
            self._cwd = Path.cwd().resolve()
        try:
            rel = self._resolve(p).relative_to(self._cwd)
            return str(rel)
        except ValueError:
            return str(p)

    def _resolve(self, p: Path) -> Path:
        """`p.resolve()`, with each folder resolved only once."""
        if p.name in ("", ".", ".."):
            try:
                return p.resolve()
            except (OSError, RuntimeError):
                return p.absolute()
        try:
            folder = self._folders.get(p.parent)
            if folder is None:
                folder = self._folders[p.parent] = p.parent.resolve()
            full = folder / p.name
            return full.resolve() if full.is_symlink() else full
        except (OSError, RuntimeError):  # a link loop: name the file as given
            return p.absolute()

    def at(self, file: str, path: Iterable[Key]) -> tuple[int, int]:
        text = self.texts.get(file)
        if text is None:
            return 1, 1
        smap = self.maps.get(file)
        if smap is None:
            smap = self.maps[file] = SourceMap(text)
        return smap.locate(path)

    def add(self, file: str, path: Iterable[Key], code: str, message: str, severity: Severity = "error") -> None:
        line, col = self.at(file, path)
        self.items.append(Diagnostic(file, line, col, severity, code, message))

    def add_at(self, file: str, line: int, col: int, code: str, message: str, severity: Severity = "error") -> None:
        self.items.append(Diagnostic(file, line, col, severity, code, message))

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "error"]

    def sorted(self) -> list[Diagnostic]:
        return sorted(self.items, key=lambda d: (d.path, d.line, d.col, d.code))
