"""A story folder as the editor sees it: the files on disk with the open buffers laid over them.

Everything the language server answers comes from here, in plain Python values (paths,
0-based lines, character columns), so the protocol layer (`server.py`) only translates. A
check reparses only the files whose text changed since the last one (`ParseCache`) and
keeps the last model of each file that parsed, so completion and hover keep working while
the file being typed in is, for a moment, not valid TOML.
"""

from __future__ import annotations

import gc
import re
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from game.commands.check import check_compiled
from game.engine.diagnostics import Diagnostic
from game.engine.files import story_files
from game.engine.lint import LintCache
from game.engine.load import ParseCache
from game.engine.limits import VAR_PATTERN, id_problem
from game.engine.model import StoryFile
from game.engine.rules import KEYWORDS
from game.lsp.index import DEF, OWN, REF, Context, Occurrence, completion_context, scan
from game.lsp.quick import Baseline, baseline, quick_check
from game.records import record

PROVENANCES = ("documented", "reported", "counterfactual")
FIRST_LINES = 3
"""Lines of a scene's text shown when hovering over its id."""


def find_root(path: Path) -> Optional[Path]:
    """The story folder a file belongs to: the nearest folder above it holding `story.toml`."""
    for folder in [path.parent, *path.parent.parents]:
        if (folder / "story.toml").is_file():
            return folder
    return None


@dataclass
class Catalog:
    """Every defined name, from the last model of each file that parsed: what completion offers."""

    scenes: dict[str, tuple[Path, Any]] = field(default_factory=dict)
    vars: dict[str, tuple[Path, Any]] = field(default_factory=dict)
    sources: dict[str, tuple[Path, Any]] = field(default_factory=dict)
    sides: dict[str, tuple[Path, Any]] = field(default_factory=dict)


@record
class Location:
    path: Path
    line: int
    start: int
    end: int


@record
class Item:
    """A completion: the text inserted over `start`..`end` on the cursor's line."""

    label: str
    kind: str  # scene | ending | var | source | side | value | keyword
    detail: str
    documentation: str
    start: int
    end: int


@record
class Symbol:
    name: str
    detail: str
    ending: bool
    line: int
    end_line: int
    start: int
    end: int


class Project:
    """One story folder open in the editor."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.buffers: dict[Path, str] = {}
        self.cache = ParseCache()
        self.lints = LintCache()
        self.baseline: Optional[Baseline] = None
        self.took = 0.0
        """Seconds the last full check took."""
        self.good: dict[str, StoryFile] = {}
        self.catalog = Catalog()
        self.lock = threading.Lock()
        self._scans: dict[Path, tuple[str, list[Occurrence]]] = {}
        self._entries: dict[str, tuple[StoryFile, dict[str, dict[str, tuple[Path, Any]]]]] = {}
        self._shown: dict[Path, str] = {}

    # ------------------------------------------------------------------ files and text

    def files(self) -> list[Path]:
        found = {p.resolve() for p in story_files(self.root)} if self.root.is_dir() else set()
        found |= {p for p in self.buffers if p.suffix == ".toml" and p.is_relative_to(self.root)}
        return sorted(found)

    def plans(self) -> list[Path]:
        """The story's test plans (`tests/*.toml` beside it): not story files, but they name its
        scenes, sides and variables, so references and renames must reach them too."""
        folder = self.root / "tests"
        found = {p.resolve() for p in folder.rglob("*.toml")} if folder.is_dir() else set()
        found |= {p for p in self.buffers if p.suffix == ".toml" and p.is_relative_to(folder)}
        return sorted(found - set(self.files()))

    def text(self, path: Path) -> str:
        if path in self.buffers:
            return self.buffers[path]
        try:
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return ""

    def occurrences(self, path: Path) -> list[Occurrence]:
        text = self.text(path)
        hit = self._scans.get(path)
        if hit is None or hit[0] is not text and hit[0] != text:
            hit = self._scans[path] = (text, scan(text))
        return hit[1]

    @staticmethod
    def absolute(shown: str) -> Path:
        """A diagnostic's path (relative to the working folder when inside it) as an absolute path."""
        return (Path.cwd() / shown).resolve()

    # ------------------------------------------------------------------ checking

    def check(self) -> dict[Path, list[tuple[Diagnostic, int, int]]]:
        """Every file's diagnostics (an empty list for a clean file), each with the span of its
        line to underline. Only files whose text changed are parsed again."""
        with self.lock:
            began = time.perf_counter()
            # The parsed story stays in memory between checks: a cyclic collection in the middle
            # of one would walk all of it, for nothing (it holds no cycles). See compile_files.
            enabled = gc.isenabled()
            gc.disable()
            try:
                buffers = dict(self.buffers)
                diagnostics, compiled = check_compiled(self.root, buffers, self.cache, self.lints)
                files = self.files()
                self._remember_models(files)
                self.baseline = baseline(buffers, compiled.story, compiled.diagnostics, compiled.texts, files,
                                         {self.absolute(s): s for s in compiled.texts}, self.cache) \
                    or self._still(self.baseline, buffers, compiled.texts, files)
            finally:
                if enabled:
                    gc.enable()
            self.took = time.perf_counter() - began
            return self._spans(diagnostics, compiled.texts, files)

    @staticmethod
    def _still(base: Optional[Baseline], buffers: dict[Path, str], texts: dict[str, str],
               files: list[Path]) -> Optional[Baseline]:
        """The last clean baseline, kept through checks that found errors while no file other
        than the editor's buffers changed since (a string left open for a while, say): quick
        checks go on from it. None when the files on disk changed."""
        if base is None or files != base.files:
            return None
        open_files = {base.shown.get(p) for p in buffers}
        if all(texts.get(s) is t or s in open_files for s, t in base.texts.items()):
            return base
        return None

    def may_be_quick(self) -> bool:
        """Whether the next check may be a quick one: one buffer changed since the last full
        check, which compiled cleanly. Cheap enough to ask on every keystroke."""
        base = self.baseline
        if base is None:
            return False
        changed = [p for p in self.buffers.keys() | base.buffers.keys() if self.buffers.get(p) is not base.buffers.get(p)]
        return len(changed) == 1 and changed[0] in self.buffers

    def quick(self) -> Optional[dict[Path, list[tuple[Diagnostic, int, int]]]]:
        """The diagnostics after an edit of the words of one file, exactly as `check` would give
        them, in a fraction of its time; None when the edit is not of that kind (see
        `game.lsp.quick`) and `check` must run."""
        with self.lock:
            if not self.may_be_quick():
                return None
            base = self.baseline
            assert base is not None
            path = next(p for p in self.buffers if self.buffers[p] is not base.buffers.get(p))
            enabled = gc.isenabled()
            gc.disable()
            try:
                done = quick_check(self.root, base, path, self.buffers[path], self.cache, self.lints)
                if done is None:
                    return None
                diagnostics, after = done
                if after is not None:
                    self.baseline = after
                    self._remember_models(base.files)
            finally:
                if enabled:
                    gc.enable()
            texts = after.texts if after is not None else {**base.texts, base.shown[path]: self.buffers[path]}
            return self._spans(diagnostics, texts, base.files)

    def _spans(self, diagnostics: list[Diagnostic], texts: dict[str, str],
               files: list[Path]) -> dict[Path, list[tuple[Diagnostic, int, int]]]:
        out: dict[Path, list[tuple[Diagnostic, int, int]]] = {p: [] for p in files}
        paths: dict[str, Path] = {}
        lines: dict[str, list[str]] = {}
        for d in diagnostics:
            path = paths.get(d.path)
            if path is None:
                path = paths[d.path] = self.absolute(d.path)
                if path.is_dir():
                    path = paths[d.path] = self.root / "story.toml"
                lines[d.path] = texts[d.path].split("\n") if texts.get(d.path) else []
            shown = lines[d.path]
            line_text = shown[d.line - 1] if 0 < d.line <= len(shown) else ""
            start, end = underline(line_text, d.col - 1)
            out.setdefault(path, []).append((d, start, end))
        return out

    def _remember_models(self, files: list[Path]) -> None:
        """Rebuild the catalog from each file's last model that parsed. A file's entries are kept
        with its model and reused while the model is the same object (the file did not change)."""
        cwd = Path.cwd()
        parts: list[dict[str, dict[str, tuple[Path, Any]]]] = []
        for path in files:
            shown = self._shown.get(path)
            if shown is None:
                try:
                    shown = str(path.relative_to(cwd))
                except ValueError:
                    shown = str(path)
                self._shown[path] = shown
            parsed = self.cache.files.get(shown)
            if parsed is not None and parsed.model is not None:
                self.good[shown] = parsed.model
            model = self.good.get(shown)
            if model is None:
                continue
            kept = self._entries.get(shown)
            if kept is None or kept[0] is not model:
                entries = {name: {key: (path, value) for key, value in (table or {}).items()}
                           for name, table in (("scenes", model.scene), ("vars", model.var),
                                               ("sources", model.source), ("sides", model.side))}
                kept = self._entries[shown] = (model, entries)
            parts.append(kept[1])
        catalog = Catalog()
        for name in ("scenes", "vars", "sources", "sides"):
            merged = getattr(catalog, name)
            for entries in reversed(parts):  # the first file to define a name wins, as in the loader
                merged.update(entries[name])
        self.catalog = catalog

    # ------------------------------------------------------------------ names

    def at(self, path: Path, line: int, col: int) -> Optional[Occurrence]:
        for occ in self.occurrences(path):
            if occ.contains(line, col):
                return occ
        return None

    def everywhere(self, kind: str, name: str) -> list[tuple[Path, Occurrence]]:
        return [(path, occ) for path in self.files() + self.plans() for occ in self.occurrences(path)
                if occ.kind == kind and occ.name == name]

    def definition(self, path: Path, line: int, col: int) -> list[Location]:
        occ = self.at(path, line, col)
        if occ is None:
            return []
        found = [Location(p, o.line, o.start, o.end) for p, o in self.everywhere(occ.kind, occ.name) if o.role == DEF]
        return found

    def references(self, path: Path, line: int, col: int, declaration: bool = True) -> list[Location]:
        occ = self.at(path, line, col)
        if occ is None:
            return []
        return [Location(p, o.line, o.start, o.end) for p, o in self.everywhere(occ.kind, occ.name)
                if o.role == REF or declaration]

    def prepare_rename(self, path: Path, line: int, col: int) -> Optional[Occurrence]:
        occ = self.at(path, line, col)
        return occ if occ is not None and occ.kind in ("scene", "var", "source") else None

    def rename(self, path: Path, line: int, col: int, new: str) -> dict[Path, list[tuple[Location, str]]]:
        """Every edit that renames the name at the cursor. Raises ValueError with a reason the
        editor shows when the new name is not a valid id or is already taken."""
        occ = self.prepare_rename(path, line, col)
        if occ is None:
            raise ValueError("only a scene id, a variable or a source can be renamed")
        if occ.kind == "var":
            if not re.fullmatch(VAR_PATTERN, new) or new in KEYWORDS:
                raise ValueError(f"{new!r} is not a variable name (lower-case letters, digits and _, "
                                 "not a keyword)")
        else:
            problem = id_problem(new)
            if problem:
                raise ValueError(f"{new!r} {problem}")
        if new != occ.name and self.everywhere(occ.kind, new):
            raise ValueError(f"{new!r} is already a {occ.kind} of this story")
        edits: dict[Path, list[tuple[Location, str]]] = {}
        for p, o in self.everywhere(occ.kind, occ.name):
            edits.setdefault(p, []).append((Location(p, o.line, o.start, o.end), new))
        return edits

    def symbols(self, path: Path) -> list[Symbol]:
        lines = self.text(path).split("\n")
        heads = [o for o in self.occurrences(path) if o.kind == "scene" and o.role == DEF]
        endings = {o.name for o in self.occurrences(path) if o.kind == "scene" and o.role == OWN
                   and lines[o.line].rstrip().rstrip("]").rstrip().endswith("ending")}
        out: list[Symbol] = []
        for i, o in enumerate(heads):
            last = (heads[i + 1].line - 1) if i + 1 < len(heads) else len(lines) - 1
            while last > o.line and not lines[last].strip():
                last -= 1
            entry = self.catalog.scenes.get(o.name)
            title = entry[1].title if entry is not None else ""
            out.append(Symbol(o.name, title, o.name in endings, o.line, last, o.start, o.end))
        return out

    # ------------------------------------------------------------------ hover

    def hover(self, path: Path, line: int, col: int) -> Optional[tuple[str, Occurrence]]:
        occ = self.at(path, line, col)
        if occ is None:
            return None
        text = self.describe(occ.kind, occ.name)
        return (text, occ) if text else None

    def describe(self, kind: str, name: str) -> str:
        """Markdown about a name: what an author wants to know without opening its file."""
        c = self.catalog
        if kind == "scene" and name in c.scenes:
            s = c.scenes[name][1]
            lines = [f"**{s.title}** `{name}`", "",
                     f"{s.side} · {s.at:%a %d %b %H:%M} · {s.provenance}"]
            if s.ending is not None:
                lines.append(f"ending: “{s.ending.title}”, {s.ending.score:g}/10"
                             + (" ★ historical" if s.ending.historical else ""))
            first = [ln.strip() for ln in s.text.strip().split("\n") if ln.strip()][:FIRST_LINES]
            lines += [""] + [f"> {ln}" for ln in first]
            return "\n".join(lines)
        if kind == "var" and name in c.vars:
            v = c.vars[name][1]
            kind_text = "true or false" if v.type == "bool" else f"{v.min}..{v.max}"
            start = str(v.start).lower() if isinstance(v.start, bool) else v.start
            lines = [f"**{v.label}** `{name}`", "", f"{v.type}, {kind_text}, starts at {start}"
                     + (f", side {v.side}" if v.side else "")]
            if v.description:
                lines += ["", v.description]
            return "\n".join(lines)
        if kind == "source" and name in c.sources:
            s = c.sources[name][1]
            lines = [f"**{s.title}** `{name}`", "", f"{s.outlet}, {s.date:%d %B %Y}"]
            if s.url:
                lines.append(s.url)
            if s.note:
                lines += ["", s.note]
            return "\n".join(lines)
        if kind == "side" and name in c.sides:
            s = c.sides[name][1]
            return f"**{s.name}** `{name}`" + (f", {s.role}" if s.role else "") + f"\n\nstarts at `{s.start}`"
        return ""

    # ------------------------------------------------------------------ completion

    def complete(self, path: Path, line: int, col: int) -> list[Item]:
        lines = self.text(path).split("\n")
        ctx = completion_context(lines, line, col)
        if ctx is None:
            return []
        return list(self._items(ctx))

    def _items(self, ctx: Context) -> Any:
        c = self.catalog
        if ctx.kind == "scene":
            for sid, (_p, s) in sorted(c.scenes.items()):
                yield Item(sid, "ending" if s.ending is not None else "scene", s.title,
                           f"{s.side} · {s.at:%a %d %b %H:%M} · {s.provenance}", ctx.start, ctx.end)
        elif ctx.kind in ("var", "int-var", "condition"):
            for name, (_p, v) in sorted(c.vars.items()):
                if ctx.kind == "int-var" and v.type != "int":
                    continue
                detail = f"{v.type} {v.min}..{v.max}" if v.type == "int" else "bool"
                yield Item(name, "var", f"{v.label} ({detail})", v.description, ctx.start, ctx.end)
            if ctx.kind == "condition":
                for word in ("and", "or", "not", "true", "false", "seen"):
                    yield Item(word, "keyword", "", "", ctx.start, ctx.end)
        elif ctx.kind == "source":
            for sid, (_p, s) in sorted(c.sources.items()):
                yield Item(sid, "source", f"{s.outlet}: {s.title}", f"{s.date:%d %B %Y}", ctx.start, ctx.end)
        elif ctx.kind == "side":
            for sid, (_p, s) in sorted(c.sides.items()):
                yield Item(sid, "side", s.name, s.role, ctx.start, ctx.end)
        elif ctx.kind == "provenance":
            for word in PROVENANCES:
                yield Item(word, "value", "", "", ctx.start, ctx.end)


_KEY_AT = re.compile(r"""(?:[A-Za-z0-9_\-]+|"[^"]*")\s*=""")
_TOKEN_AT = re.compile(r"""'[^']*'|"[^"]*"|[A-Za-z0-9_.\-]+|[^\sA-Za-z0-9_]+""")


def underline(line: str, col: int) -> tuple[int, int]:
    """The span of `line` a diagnostic at `col` is about: the whole `key = value` or header when
    it points at a line's start, else the one word or operator it points into."""
    col = max(0, min(col, len(line)))
    body = line.split(" #")[0].rstrip() if "#" in line else line.rstrip()
    if not body.strip():
        return col, col + 1
    if line[:col].strip() == "" and (_KEY_AT.match(line, col) or line[col:col + 1] == "["):
        return col, max(col + 1, len(body))
    m = _TOKEN_AT.match(line, col)
    if m:
        return col, m.end()
    return col, max(col + 1, len(body))


# ----------------------------------------------------------------------------- quick fixes

_MEANT = re.compile(r"'(?P<wrong>[A-Za-z0-9_.\-]+)' \(did you mean '(?P<right>[^']+)'\?\)")
_QUOTE_ID = re.compile(r"quote the id: (?P<header>\[\[?.*\]\]?)$")
_WRITE = re.compile(r"\bwrite '(?P<right>[^']+)' (?:instead of '(?P<wrong>[^']+)'|to compare)")
_SEEN = re.compile(r"seen\(\) takes a scene id in quotes: seen\('(?P<id>[^']+)'\)")
_ID_CHAR = re.compile(r"[A-Za-z0-9_.\-]")


@record
class Fix:
    """A quick fix the editor offers on a diagnostic: put `text` in place of `start`..`end` of `line`."""

    title: str
    line: int
    start: int
    end: int
    text: str


def quick_fix(line_text: str, line: int, col: int, code: str, message: str) -> Optional[Fix]:
    """The fix a diagnostic's message names — a did-you-mean, quoting an id, the operator to
    write — as an edit of its line, or None when there is no obvious one. `col` is where the
    diagnostic points."""
    m = _QUOTE_ID.search(message)
    if m and code == "E115":
        start = len(line_text) - len(line_text.lstrip())
        end = line_text.find("]", start)
        if end < 0:
            return None
        end += 2 if line_text[end:end + 2] == "]]" else 1
        return Fix("Quote the id", line, start, end, m.group("header"))
    m = _MEANT.search(message)
    if m:
        wrong, right = m.group("wrong"), m.group("right")
        at = _find_word(line_text, wrong, col)
        if at >= 0:
            return Fix(f"Change '{wrong}' to '{right}'", line, at, at + len(wrong), right)
        return None
    m = _SEEN.search(message)
    if m:
        found = re.compile(r"seen\s*\(\s*" + re.escape(m.group("id")) + r"\s*\)").search(line_text)
        if found:
            return Fix(f"Write seen('{m.group('id')}')", line, found.start(), found.end(), f"seen('{m.group('id')}')")
        return None
    m = _WRITE.search(message)
    if m:
        wrong = m.group("wrong") or "="
        if line_text[col:col + len(wrong)] == wrong:
            return Fix(f"Write '{m.group('right')}'", line, col, col + len(wrong), m.group("right"))
    return None


def _find_word(line: str, word: str, col: int) -> int:
    """Where `word` stands on its own in `line` (not inside a longer id), at or after `col` if it
    is there, else anywhere; -1 if nowhere."""
    spots = [m.start() for m in re.finditer(re.escape(word), line)
             if not (m.start() and _ID_CHAR.match(line[m.start() - 1]))
             and not (m.end() < len(line) and _ID_CHAR.match(line[m.end()]))]
    after = [s for s in spots if s >= col]
    return (after or spots or [-1])[0]
