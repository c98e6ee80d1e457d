"""Reading a story folder: parse every TOML file, validate, cross-check, compile.

This is the only module that reads story files and the only one that validates. Every
problem found is collected, so an author sees all of them in one run; `load_story` raises a
`StoryError` carrying them when any is an error.
"""

from __future__ import annotations

import ast
import gc
import hashlib
import os
import re
import stat
from dataclasses import dataclass, field
from itertools import repeat
from pathlib import Path
from typing import Any, Mapping, Optional, Sequence, Union

import tomli
from pydantic import BaseModel, ValidationError

from game.engine.diagnostics import Diagnostic, StoryError
from game.engine.files import add_file_to_digest, digest_name, story_files
from game.engine.limits import (
    MAX_DEPTH,
    MAX_FILE_BYTES,
    MAX_ID_CHARS,
    MAX_INT,
    MAX_INT_DIGITS,
    MAX_STORY_BYTES,
    MAX_STRING_CHARS,
    MAX_YEAR,
    MIN_YEAR,
    VAR_PATTERN,
    all_ids,
    date_problem,
    id_problem,
)
from game.engine.model import (
    ChoiceModel,
    EndingModel,
    ExtendModel,
    HistoryModel,
    OutletModel,
    PartnerModel,
    SceneModel,
    SideModel,
    SourceModel,
    StoryFile,
    StoryMeta,
    VarModel,
)
from game.engine.rules import Condition, ConditionError, did_you_mean, parse_condition, suggestion
from game.engine.safe_text import char_name, first_forbidden, shown, utf8_is_clean
from game.engine.sourcemap import Reporter, value_position
from game.engine.story import Choice, Effect, Ending, Partner, Scene, Side, Source, Story, Var
from game.engine.tables import Unsure, choice_values, scene_values
from game.engine.unclosed import unclosed_multiline
from game.engine.text import Template, TextError, compile_text
from game.records import maker, record

SECTIONS: dict[str, type[BaseModel]] = {
    "side": SideModel,
    "var": VarModel,
    "source": SourceModel,
    "scene": SceneModel,
    "history": HistoryModel,
    "outlet": OutletModel,
    "partner": PartnerModel,
}
SECTION_NAMES = {"side": "side", "var": "variable", "source": "source", "scene": "scene", "history": "history",
                 "outlet": "outlet", "partner": "partner"}

_ALL_KEYS = sorted(
    {name if f.alias is None else f.alias for m in (StoryFile, StoryMeta, SideModel, VarModel, SourceModel,
                                                     SceneModel, ChoiceModel, EndingModel, HistoryModel, ExtendModel,
                                                     OutletModel, PartnerModel)
     for name, f in m.model_fields.items()}
)


# A table header whose first key is unquoted and dotted: [scene.altman.sun.greg], [[scene.a.b.choice]]
_DOTTED_ANYWHERE = re.compile(r"^[^\S\n]*\[\[?[^\S\n]*(?:scene|extend)\.[a-z0-9_\-]", re.MULTILINE)
"""Whether any line might be such a header: most files have none, and then no line is looked at."""
_DOTTED_MAYBE = re.compile(r"\[[^\S\n]*(?:scene|extend)\.[a-z0-9_\-]")
"""Everything `_DOTTED_ANYWHERE` finds and more (any `[`, not only one at a line's start): it starts
with a plain character, which the regex engine finds by a fast scan, where a pattern anchored at
line starts is tried at every position. Searched first; the exact pattern runs only on a hit."""
_DOTTED_HEADER = re.compile(r"^(?P<indent>\s*)(?P<open>\[\[?)\s*(?P<section>scene|extend)\.(?P<path>[a-z0-9_\-.]+)\s*(?P<close>\]\]?)")
# A TOML escape that can spell a character story text may not hold: \b \f \r \e \x.. \u.... \U........
_CONTROL_ESCAPE = re.compile(r"\\[bfrexuU]")
_TOML_POS = re.compile(r"\(at line (\d+), column (\d+)\)")
_DECLARED_TWICE = re.compile(r"^Cannot declare (\(.*\)) twice$")


def _field_names(model: type[BaseModel]) -> list[str]:
    return [f.alias or name for name, f in model.model_fields.items()]


def keys_allowed(table: tuple[Any, ...]) -> list[str]:
    """The keys the table at `table` may hold, for did-you-mean: a scene's, a choice's..."""
    n = len(table)
    if n == 0:
        return _field_names(StoryFile)
    if table == ("story",):
        return _field_names(StoryMeta)
    if n == 2 and table[0] in SECTIONS:
        return _field_names(SECTIONS[table[0]])
    if n == 2 and table[0] == "extend":
        return _field_names(ExtendModel)
    if n == 4 and table[0] in ("scene", "extend") and table[2] == "choice":
        return _field_names(ChoiceModel)
    if n == 3 and table[0] == "scene" and table[2] == "ending":
        return _field_names(EndingModel)
    return _ALL_KEYS


def quoted(value: str, limit: int = 60) -> str:
    """An id or key from a file, quoted for a message and cut short: never a 100,000-character echo."""
    return repr(value[:limit]) + (f"… ({len(value) - limit:,} more characters)" if len(value) > limit else "")


def describe(loc: tuple[Any, ...]) -> str:
    """A key path as an author reads it: ('scene', 'a.b', 'choice', 0) -> "scene 'a.b', choice 1"."""
    if not loc:
        return "the file"
    words: list[str] = []
    i = 0
    while i < len(loc):
        part = loc[i]
        if part in SECTION_NAMES and i + 1 < len(loc) and i == 0:
            words.append(f"{SECTION_NAMES[part]} {loc[i + 1]!r}")
            i += 2
            continue
        if part == "choice" and i + 1 < len(loc) and isinstance(loc[i + 1], int):
            words.append(f"choice {loc[i + 1] + 1}")
            i += 2
            continue
        words.append(f"[{part}]" if part == "story" else str(part))
        i += 1
    return ", ".join(words)


class Refused(Exception):
    """A story file that is not read at all: why, with its E-code."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a device"),
          (stat.S_ISBLK, "a device"), (stat.S_ISSOCK, "a socket"))


def _kind(mode: int) -> str:
    return next((word for test, word in _KINDS if test(mode)), "not a regular file")


def read_story_file(path: Path, root: Path, budget: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of one story file, read only if it is a regular file inside `root` (resolved)
    and not larger than the limits; `Refused` says why not. Never blocks on a FIFO or a device."""
    try:
        st = os.lstat(path)
    except OSError as exc:
        raise Refused("E002", f"cannot read the file ({exc.strerror or exc})") from None
    if stat.S_ISLNK(st.st_mode):
        try:
            target = path.resolve(strict=True)
        except RuntimeError:
            raise Refused("E004", "the file is a symbolic link that loops back on itself") from None
        except OSError as exc:
            if exc.errno == 40:  # ELOOP
                raise Refused("E004", "the file is a symbolic link that loops back on itself") from None
            raise Refused("E004", f"the file is a symbolic link to nothing ({exc.strerror or exc})") from None
        try:
            target.relative_to(root)
        except ValueError:
            raise Refused("E004", f"the file is a symbolic link leading outside the story folder "
                                  f"(to {shown(str(target), 120)})") from None
        try:
            st = os.stat(target)
        except OSError as exc:
            raise Refused("E002", f"cannot read the file ({exc.strerror or exc})") from None
    if not stat.S_ISREG(st.st_mode):
        raise Refused("E004", f"not a regular file ({_kind(st.st_mode)}); a story file must be a plain text file")
    limit = min(MAX_FILE_BYTES, budget)
    if st.st_size > limit:
        raise Refused("E005", _too_big(limit, budget))
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise Refused("E002", f"cannot read the file ({exc.strerror or exc})") from None
    try:
        opened = os.fstat(fd)
        if not stat.S_ISREG(opened.st_mode):  # swapped for something else since the check
            raise Refused("E004", "not a regular file; a story file must be a plain text file")
        chunks: list[bytes] = []
        size = 0
        # the size it has now, and one byte more to see it end: a read buffer no larger than the
        # file (then in megabytes, should it be growing)
        want = opened.st_size + 1
        while size <= limit:
            chunk = os.read(fd, min(want, limit + 1 - size))
            want = 1 << 20
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise Refused("E002", f"cannot read the file ({exc.strerror or exc})") from None
    finally:
        os.close(fd)
    if size > limit:
        raise Refused("E005", _too_big(limit, budget))
    return b"".join(chunks)


def _resolved(path: Path) -> Path:
    """`path.resolve()`, or the path made absolute when a link loop stops resolving."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path.absolute()


def _too_big(limit: int, budget: int) -> str:
    if budget < MAX_FILE_BYTES and limit == budget:
        return f"the story's files together are larger than {MAX_STORY_BYTES // (1024 * 1024)} MiB, the limit"
    return f"the file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB, the limit for one story file"


def _scan_bounds(text: str) -> Optional[tuple[int, int, str]]:
    """Where a file nests too deep or holds too long an integer: (line, col, message), or None.

    Run only when parsing or the checks after it found such a thing, to point at the spot: it
    walks the text once, skipping strings and comments."""
    depth, i, n, line, start = 0, 0, len(text), 1, 0
    while i < n:
        ch = text[i]
        if ch == "\n":
            line, start = line + 1, i + 1
        elif ch == "#":
            end = text.find("\n", i)
            i = n if end < 0 else end
            continue
        elif ch in "\"'":
            triple = text.startswith(ch * 3, i)
            j = i + (3 if triple else 1)
            while j < n:
                c = text[j]
                if c == "\\" and ch == '"':
                    if text.startswith("\n", j + 1):
                        line, start = line + 1, j + 2
                    j += 2
                    continue
                if c == "\n":
                    if not triple:
                        break
                    line, start = line + 1, j + 1
                if text.startswith(ch * 3 if triple else ch, j):
                    j += 3 if triple else 1
                    break
                j += 1
            i = j
            continue
        elif ch in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return line, i - start + 1, f"nesting deeper than {MAX_DEPTH} levels of arrays and inline tables"
        elif ch in "]}":
            depth = max(0, depth - 1)
        elif ch.isdigit() and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] in "._-")):
            j = i
            while j < n and (text[j].isdigit() or text[j] == "_"):
                j += 1
            digits = sum(1 for c in text[i:j] if c != "_")
            if digits > MAX_INT_DIGITS and (j >= n or text[j] not in ".eE-:"):
                return line, i - start + 1, f"an integer of {digits:,} digits; at most {MAX_INT_DIGITS} are allowed"
            i = j
            continue
        i += 1
    return None


_make_scene = maker(Scene)
_make_choice = maker(Choice)
_make_effect = maker(Effect)
_make_ending = maker(Ending)
_make_template = maker(Template)
_NO_NAMES: frozenset[str] = frozenset()
_EMPTY_TEMPLATE = _make_template("", ("",), "", _NO_NAMES, _NO_NAMES, 0)


def _plain_template(text: str) -> Template:
    """`text.plain_template(text)`, built as `maker` builds: a text without braces has no
    passages, values or labels, and most of a story's texts are such."""
    if not text:
        return _EMPTY_TEMPLATE
    return _make_template(text, (text,), text, _NO_NAMES, _NO_NAMES, 0)


def _within_bounds(container: Union[dict[str, Any], list[Any]], depth: int = 0) -> bool:
    """Whether every string of a parsed file is within the length limit, every integer within 64
    bits and the nesting within `MAX_DEPTH`: the common case, answered without building the key
    paths that a message needs. When it is False, `check_values` walks again to say where.
    (Recursion is bounded: it stops at `MAX_DEPTH`.)"""
    if depth >= MAX_DEPTH:
        return False
    value: Any
    for value in container.values() if type(container) is dict else container:
        kind = type(value)
        if kind is str:
            if len(value) > MAX_STRING_CHARS:
                return False
        elif kind is dict or kind is list:
            if not _within_bounds(value, depth + 1):
                return False
        elif kind is int and not -MAX_INT <= value <= MAX_INT:
            return False
    return True


def load_story(root: Path | str = "story") -> Story:
    """Load, validate and compile the story in `root`, or raise `StoryError` with every problem."""
    story, diagnostics = compile_story(root)
    if story is None:
        raise StoryError(diagnostics)
    return story


def compile_story(root: Path | str = "story") -> tuple[Optional[Story], list[Diagnostic]]:
    """The story (None when there are errors) and every diagnostic, errors and warnings."""
    compiled = compile_files(root)
    return compiled.story, compiled.diagnostics


@record
class ParsedFile:
    """What reading one file gave, independent of every other file: kept by a `ParseCache`
    so that an editor's change to one file reparses that file only."""

    raw: bytes
    text: Optional[str]
    model: Optional[StoryFile]
    diagnostics: tuple[Diagnostic, ...]
    broken: dict[str, frozenset[str]]
    broken_var_types: dict[str, str]


@record
class BuiltScene:
    """One compiled scene and what compiling it reported, with what it was compiled from."""

    model: SceneModel
    file: str
    extra: tuple[tuple[str, tuple[Any, ...], ChoiceModel], ...]
    scene: Scene
    diagnostics: tuple[Diagnostic, ...]
    observed: frozenset[str]


class ParseCache:
    """Parsed files by path, reused while their bytes are unchanged; and compiled scenes, reused
    while their table, the choices other files add to them and every name they may refer to
    (scenes, sides, sources, variables and their types, ranges and labels) are unchanged."""

    def __init__(self) -> None:
        self.files: dict[str, ParsedFile] = {}
        self.scenes: dict[str, BuiltScene] = {}
        self.scene_context: Optional[tuple[Any, ...]] = None

    def get(self, file: str, raw: bytes) -> Optional[ParsedFile]:
        hit = self.files.get(file)
        return hit if hit is not None and hit.raw == raw else None


@dataclass
class Compiled:
    """A compile's outcome: the story (None when there are errors), every diagnostic, and the
    text of each file by its shown path, for tools that locate things in it (lint, the editor)."""

    story: Optional[Story]
    diagnostics: list[Diagnostic]
    texts: dict[str, str] = field(default_factory=dict)


def compile_files(root: Path | str = "story", overlay: Optional[Mapping[Path, str]] = None,
                  cache: Optional[ParseCache] = None) -> Compiled:
    """Compile the story in `root`, reading a file's text from `overlay` (resolved path -> text:
    an editor's unsaved buffers) when it is there, and reusing `cache`'s parse of unchanged files
    and its compiled scenes while nothing they depend on has changed (see `ParseCache`)."""
    # Compiling builds one large, long-lived structure without reference cycles. Left on, the
    # cyclic garbage collector would scan the whole growing heap several times meanwhile (a
    # quarter of the time on a 5,000-scene story) and find nothing; pause it, then restore it.
    # Restored as it was, it would then scan everything built meanwhile at once, on the next
    # allocation (about 130,000 objects for a 5,000-scene story: 15 ms, inside the load), and
    # again when they pass to the middle generation. They are long-lived and hold no cycles, so
    # they go straight to the oldest generation (freeze, then unfreeze: O(1)), which a full
    # collection still scans. Skipped when something else has frozen objects (the app does,
    # after its first screen): unfreezing would undo that.
    enabled = gc.isenabled()
    gc.disable()
    try:
        if cache is None:
            # The short way first: scene tables read as parsed (`checked_file`), kept only when
            # the story compiles without an error. Otherwise, or when a table is one the checks
            # cannot vouch for, the long way: every table a model, which reports exactly what the
            # models find (a valid story never takes it; a broken one is read twice).
            compiler = _Compiler(Path(root), overlay or {}, None, tables=True)
            try:
                story, diagnostics = compiler.run()
            except Unsure:
                story = None
            if story is not None:
                return Compiled(story, diagnostics, compiler.report.texts)
        compiler = _Compiler(Path(root), overlay or {}, cache)
        story, diagnostics = compiler.run()
        return Compiled(story, diagnostics, compiler.report.texts)
    finally:
        if enabled:
            if gc.get_freeze_count() == 0:
                gc.freeze()
                gc.unfreeze()
            gc.enable()


class _Compiler:
    def __init__(self, root: Path, overlay: Mapping[Path, str], cache: Optional[ParseCache], tables: bool = False):
        self.root = root
        self.overlay = overlay
        self.cache = cache
        # Whether a file's scene tables may stay as parsed, for `build_scene` to read and check
        # (see `checked_file`): only when nothing keeps a file's model after the story is built (no
        # cache, no editor), and the outcome is kept only when there is no error (`compile_files`).
        self.tables = tables
        self.report = Reporter(root)
        # id -> (file, model) for every section, after merging files; without a cache, `build`
        # releases each scene's model once its scene is built: (file, None)
        self.items: dict[str, dict[str, tuple[str, Any]]] = {s: {} for s in SECTIONS}
        self.meta: Optional[tuple[str, StoryMeta]] = None
        self.broken_scenes: set[str] = set()  # scenes that failed validation still count as existing
        # ids whose table failed validation: reported once, and never again as "unknown" elsewhere
        self.broken: dict[str, set[str]] = {s: set() for s in SECTIONS}
        # `[[extend."<scene>".choice]]` tables, in file order: (file, scene id, model)
        self.extensions: list[tuple[str, str, ExtendModel]] = []
        self.broken_var_types: dict[str, str] = {}  # declared type of variables that failed validation
        self.unparsed: list[str] = []  # files that are not UTF-8 or not TOML
        # condition text -> what parsing it gave; see `condition`
        self.conditions: dict[str, Union[Condition, ConditionError]] = {}
        self.var_labels: dict[str, str] = {}
        self.good_ids: set[str] = set()  # ids `check_id` passed; see there
        # (variables, {(op, name, value, type): the effect}): an effect `check_value` passed
        # against these variables, shared by every choice that has it (a story repeats few)
        self.effects: tuple[Optional[dict[str, Var]], dict[tuple[str, str, Any, type], Effect]] = (None, {})

    # ------------------------------------------------------------------ reading

    def run(self) -> tuple[Optional[Story], list[Diagnostic]]:
        root = self.root
        shown = self.report.display(root)
        if not root.is_dir():
            if root.is_file():
                self.report.add_at(shown, 1, 1, "E003", f"{shown!r} is a file; give the story folder that holds it")
            else:
                self.report.add_at(shown, 1, 1, "E003", f"story folder {shown!r} not found")
            return None, self.report.sorted()
        files = story_files(root)
        resolved_root = _resolved(root)
        resolved: dict[Path, Path] = {}
        if self.overlay:
            resolved = {p: _resolved(p) for p in files}
            known = set(resolved.values())
            for extra in self.overlay:
                if extra not in known and extra.suffix == ".toml" and extra.is_relative_to(resolved_root):
                    files.append(extra)
                    resolved[extra] = _resolved(extra)
            files.sort(key=lambda p: resolved[p].relative_to(resolved_root).as_posix())
        if not files:
            self.report.add_at(shown, 1, 1, "E003", f"no .toml story files in {shown!r}")
            return None, self.report.sorted()
        digest = hashlib.sha256()
        budget = MAX_STORY_BYTES
        for path in files:
            text = self.overlay.get(resolved[path]) if self.overlay else None
            if text is not None:
                raw = text.encode("utf-8", "surrogatepass")
            else:
                try:
                    raw = read_story_file(path, resolved_root, budget)
                except Refused as exc:
                    self.report.add_at(self.report.display(path), 1, 1, exc.code, exc.message)
                    self.unparsed.append(str(path))
                    continue
            budget -= len(raw)
            add_file_to_digest(digest, digest_name(path, root, resolved_root), raw)
            self.read_file(path, raw)
        if self.unparsed:
            # A file that does not parse hides its scenes, variables and sources; checking
            # references now would only report them as unknown. Fix the syntax first.
            return None, self.report.sorted()
        if self.meta is None:
            # Without [story] this is most likely not the story's folder but a part of it;
            # every cross-reference would be reported as unknown, so stop here.
            parent = root.resolve().parent
            hint = (f"; is the story folder {self.report.display(parent)!r}?" if (parent / "story.toml").is_file()
                    else " (add one to story.toml)")
            self.report.add_at(self.report.display(files[0]), 1, 1, "E003", f"the story has no [story] table{hint}")
            return None, self.report.sorted()
        story = self.build(digest.hexdigest()[:16])
        if self.report.errors:
            return None, self.report.sorted()
        return story, self.report.sorted()

    def read_file(self, path: Path, raw: bytes) -> None:
        file = self.report.display(path)
        parsed = self.cache.get(file, raw) if self.cache is not None else None
        if parsed is None:
            parsed = self.parse_file(file, raw)
            if self.cache is not None:
                self.cache.files[file] = parsed
        self.report.items.extend(parsed.diagnostics)
        if parsed.text is not None:
            self.report.texts[file] = parsed.text
        for section, keys in parsed.broken.items():
            self.broken[section] |= keys
        self.broken_scenes |= parsed.broken.get("scene", frozenset())
        self.broken_var_types.update(parsed.broken_var_types)
        if parsed.model is None:
            self.unparsed.append(file)
            return
        self.merge(file, parsed.model)

    def parse_file(self, file: str, raw: bytes) -> ParsedFile:
        """Decode, parse and validate one file on its own, with a reporter of its own, so the
        result depends on nothing but the file's bytes and can be reused while they stay the same."""
        outer, self.report = self.report, Reporter(self.root)
        broken_before, self.broken = self.broken, {s: set() for s in SECTIONS}
        types_before, self.broken_var_types = self.broken_var_types, {}
        model: Optional[StoryFile] = None
        text: Optional[str] = None
        try:
            model, text = self._parse(file, raw)
        finally:
            parsed = ParsedFile(raw, text, model, tuple(self.report.items),
                                {k: frozenset(v) for k, v in self.broken.items() if v}, dict(self.broken_var_types))
            self.report, self.broken, self.broken_var_types = outer, broken_before, types_before
        return parsed

    def _parse(self, file: str, raw: bytes) -> tuple[Optional[StoryFile], Optional[str]]:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            bad_line = raw.count(b"\n", 0, exc.start) + 1
            bad_col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
            self.report.add_at(file, bad_line, bad_col, "E002", f"file is not UTF-8 text ({exc.reason} at byte {exc.start})")
            return None, None
        if text.startswith("\ufeff"):
            self.report.add_at(file, 1, 1, "E002", "the file starts with a byte order mark (BOM); save it as "
                                                  "UTF-8 without a BOM (most editors call it plain 'UTF-8')")
            return None, None
        text = self.quote_dotted_ids(file, text)
        self.report.texts[file] = text
        try:
            data = tomli.loads(text)
        except (RecursionError, ValueError) as exc:
            if not isinstance(exc, tomli.TOMLDecodeError):
                # nesting deeper than the parser's stack, or an integer past Python's digit limit
                found = _scan_bounds(text)
                line, col, msg = found if found else (1, 1, "the file nests too deep or holds too large a number")
                self.report.add_at(file, line, col, "E006", msg)
                return None, text
            at_line: Optional[int] = getattr(exc, "lineno", None)
            at_col: Optional[int] = getattr(exc, "colno", None)
            msg = getattr(exc, "msg", str(exc))
            if at_line is None:
                m = _TOML_POS.search(str(exc))
                at_line, at_col = (int(m.group(1)), int(m.group(2))) if m else (1, 1)
                msg = _TOML_POS.sub("", str(exc)).strip()
            self.syntax_error(file, text, at_line, at_col or 1, msg)
            return None, text
        # An ASCII text that tomli parses holds no control character in a string but tabs and line
        # breaks (it refuses the others, and reads CRLF as LF), so no string parsed from it holds
        # a forbidden character unless an escape spells it: the bytes need no look.
        chars_clean = text.isascii() or utf8_is_clean(raw)
        if self.tables and chars_clean and ("\\" not in text or _CONTROL_ESCAPE.search(text) is None):
            checked = self.checked_file(data)
            if checked is not None:
                return checked, text
        if not self.check_values(file, text, data, chars_clean):
            return None, text
        try:
            model = StoryFile.model_validate(data)
        except ValidationError as exc:
            self.validation_errors(file, exc)
            model = self.salvage(file, data)
        return model, text

    def checked_file(self, data: dict[str, Any]) -> Optional[StoryFile]:
        """The model of a file whose every string is known to be clean of forbidden characters,
        with its scene tables as parsed, when every other table in it is valid and within bounds
        (as `check_values` and pydantic find them); None otherwise, and then the file goes the
        long way, which says what is wrong. The scene tables are read, and checked, as their
        scenes are built (`tables.scene_values`): see `compile_files`."""
        scenes = data.get("scene")
        if type(scenes) is not dict:
            return None
        rest = {key: value for key, value in data.items() if key != "scene"}
        if not _within_bounds(rest):
            return None
        try:
            model = StoryFile.model_validate(rest)
        except ValidationError:
            return None
        return model.model_copy(update={"scene": scenes})

    def quote_dotted_ids(self, file: str, text: str) -> str:
        """Report `[scene.altman.sun.greg]` (a scene id with dots, unquoted, which TOML reads as
        nested tables) and go on as if the id were quoted, so one missing pair of quotes gives
        one clear error instead of a cascade of unknown keys and missing scenes."""
        if _DOTTED_MAYBE.search(text) is None or _DOTTED_ANYWHERE.search(text) is None:
            return text
        lines = text.split("\n")
        changed = False
        for i, line in enumerate(lines):
            m = _DOTTED_HEADER.match(line)
            if not m:
                continue
            parts = m.group("path").split(".")
            tail = parts.pop() if len(parts) > 1 and parts[-1] in ("choice", "ending") else None
            if len(parts) < 2 or not all(parts):
                continue
            ident = ".".join(parts)
            quoted = (f'{m.group("open")}{m.group("section")}."{ident}"'
                      f'{"." + tail if tail else ""}{m.group("close")}')
            self.report.add_at(file, i + 1, m.start("path") + 1, "E115",
                               f"the id {ident!r} has dots, so TOML reads it as nested tables; "
                               f"quote the id: {quoted}")
            lines[i] = line[:m.start("open")] + quoted + line[m.end():]
            changed = True
        return "\n".join(lines) if changed else text

    def check_values(self, file: str, text: str, data: dict[str, Any], chars_clean: Optional[bool] = None) -> bool:
        """Every value of a parsed file within bounds and every string within the text rule.

        False when the file nests too deep or holds too large an integer: such a file is not
        validated further. Forbidden characters and over-long strings are reported (E402, E005)
        and the rest of the file is still checked. `chars_clean`: whether the file's strings,
        as written, are known to hold no forbidden character (see `utf8_is_clean`, and `_parse`
        for an ASCII text); None to look."""
        # A parsed string holds a forbidden character only if the file does or an escape spells
        # one: when neither can be, a string needs no more than a look at its length.
        if chars_clean is None:
            chars_clean = first_forbidden(text) is None
        clean = chars_clean and ("\\" not in text or _CONTROL_ESCAPE.search(text) is None)
        if clean and _within_bounds(data):
            return True
        stack: list[tuple[tuple[Any, ...], Any, int]] = [((), data, 0)]
        while stack:
            path, container, depth = stack.pop()
            if depth >= MAX_DEPTH:
                found = _scan_bounds(text)
                line, col = found[:2] if found else self.report.at(file, path)
                self.report.add_at(file, line, col, "E006", f"nesting deeper than {MAX_DEPTH} levels")
                return False
            items = container.items() if isinstance(container, dict) else enumerate(container)
            for key, value in items:
                kind = type(value)
                if kind is str:
                    if not clean or len(value) > MAX_STRING_CHARS:
                        self.check_text(file, path + (key,), value)
                elif kind is int:
                    if abs(value) > MAX_INT:
                        line, col = self.report.at(file, path + (key,))
                        found = _scan_bounds(text)
                        if found:
                            line, col = found[0], found[1]
                        self.report.add_at(file, line, col, "E006",
                                           f"{describe(path + (key,))}: an integer this large does not fit "
                                           f"in 64 bits (at most {MAX_INT_DIGITS} digits)")
                        return False
                elif kind is dict or kind is list:
                    stack.append((path + (key,), value, depth + 1))
        return True

    def check_text(self, file: str, path: tuple[Any, ...], value: str) -> None:
        """The one rule for story text: printable characters, line breaks and tabs, and not too much."""
        if len(value) > MAX_STRING_CHARS:
            self.report.add(file, path, "E005", f"{describe(path)} is {len(value):,} characters long; "
                                                f"one string may hold at most {MAX_STRING_CHARS:,}")
        at = first_forbidden(value)
        if at is None:
            return
        ch = value[at]
        line, col = self.report.at(file, path)
        code = ord(ch)
        for needle in (ch, f"\\u{code:04x}", f"\\u{code:04X}", f"\\U{code:08x}", f"\\U{code:08X}"):
            found = self.find_text(file, line, needle)
            if found is not None:
                line, col = found
                break
        self.report.add_at(file, line, col, "E402",
                           f"{describe(path)} holds {char_name(ch)}; story text may hold printable characters, "
                           f"line breaks and tabs only")


    def syntax_error(self, file: str, text: str, line: int, col: int, msg: str) -> None:
        """Report a TOML syntax error; a table or key given twice names both places, and a
        multi-line string left open is reported where it opens."""
        unclosed = unclosed_multiline(text)
        if unclosed is not None and unclosed[0] <= line:
            open_line, open_col, quotes, runs_to = unclosed
            self.report.add_at(file, open_line, open_col, "E001",
                               f"TOML syntax: the {quotes} string opened here is never closed "
                               f"(it runs on to line {runs_to}); add the closing {quotes}")
            return
        m = _DECLARED_TWICE.match(msg)
        if m:
            try:
                parts = tuple(str(p) for p in ast.literal_eval(m.group(1)))
            except (ValueError, SyntaxError):
                parts = ()
            if parts:
                first, _ = self.report.at(file, parts)
                what = describe(parts) if len(parts) == 2 and parts[0] in SECTION_NAMES else f"[{'.'.join(parts)}]"
                where = f" (first at line {first})" if first != line else ""
                self.report.add_at(file, line, 1, "E105", f"duplicate table {what} in the same file{where}")
                return
        if msg == "Illegal character '\\n'":
            self.report.add_at(file, line, col, "E001", "TOML syntax: the line ends inside a string; is a closing quote missing?")
            return
        if msg == "Cannot overwrite a value":
            src = text.splitlines()[line - 1] if 0 < line <= len(text.splitlines()) else ""
            key = re.match(r"\s*([^=\s]+)\s*=", src)
            if key:
                self.report.add_at(file, line, 1, "E001", f"TOML syntax: key {key.group(1)!r} is given twice in the same table")
                return
        self.report.add_at(file, line, col, "E001", f"TOML syntax: {msg}")

    def validation_errors(self, file: str, exc: ValidationError, prefix: tuple[Any, ...] = ()) -> None:
        errors = exc.errors()
        # a misspelt key also makes the right one "missing": report the misspelling only
        meant = {(prefix + tuple(e["loc"]))[:-1] + (suggestion(str(e["loc"][-1]), keys_allowed((prefix + tuple(e["loc"]))[:-1])),)
                 for e in errors if e["type"] == "extra_forbidden"}
        missing: dict[tuple[Any, ...], list[str]] = {}
        unions: set[tuple[Any, ...]] = set()
        for err in errors:
            loc = prefix + tuple(err["loc"])
            kind = err["type"]
            if kind == "missing" and loc in meant:
                continue
            if kind == "extra_forbidden":
                key = str(loc[-1])
                what = "unknown table" if len(loc) == 1 else f"{describe(loc[:-1])} has unknown key"
                self.report.add(file, loc, "E101", f"{what} {key!r}{did_you_mean(key, keys_allowed(loc[:-1]))}")
            elif kind == "missing":
                missing.setdefault(loc[:-1], []).append(str(loc[-1]))
            else:
                got = err.get("input")
                shown = repr(got) if not isinstance(got, (dict, list)) else type(got).__name__
                if len(shown) > 40:
                    shown = shown[:37] + "..."
                msg = err["msg"].lower()
                if loc and loc[-1] in ("bool", "int") and kind in ("bool_type", "int_type"):
                    # one error for a value that may be either (a start, a set): not one per type
                    loc = loc[:-1]
                    if loc in unions:
                        continue
                    unions.add(loc)
                    msg = "should be a number or true/false"
                if isinstance(got, str) and (kind in ("bool_type", "int_type", "float_type") or loc in unions):
                    msg += ", without quotes"
                self.report.add(file, loc, "E102", f"{describe(loc[:-1])}: {loc[-1]} {msg} (got {shown})")
        for table, keys in missing.items():
            names = ", ".join(repr(k) for k in keys)
            self.report.add(file, table, "E103", f"{describe(table)} is missing required key{'s' if len(keys) > 1 else ''} {names}")

    def salvage(self, file: str, data: dict[str, Any]) -> StoryFile:
        """Keep the valid parts of a file that failed validation, so cross-checks still run."""
        parts: dict[str, Any] = {}
        if isinstance(data.get("story"), dict):
            try:
                parts["story"] = StoryMeta.model_validate(data["story"])
            except ValidationError:
                pass
        for section, model in SECTIONS.items():
            table = data.get(section)
            if not isinstance(table, dict):
                continue
            good: dict[str, Any] = {}
            for key, value in table.items():
                try:
                    good[key] = model.model_validate(value)
                except ValidationError:
                    self.broken[section].add(key)
                    if section == "var" and isinstance(value, dict):
                        declared = value.get("type", "int")
                        if declared in ("int", "bool"):
                            self.broken_var_types[key] = declared
            parts[section] = good
        extend = data.get("extend")
        if isinstance(extend, dict):
            good_ext: dict[str, ExtendModel] = {}
            for key, value in extend.items():
                try:
                    good_ext[key] = ExtendModel.model_validate(value)
                except ValidationError:
                    pass
            parts["extend"] = good_ext
        return StoryFile.model_construct(**parts)

    def merge(self, file: str, model: StoryFile) -> None:
        if model.story is not None:
            if self.meta is not None:
                other = self.meta[0]
                line, _ = self.report.at(other, ("story",))
                self.report.add(file, ("story",), "E105", f"duplicate [story] table (first at {other}:{line})")
            else:
                self.meta = (file, model.story)
        if model.story is not None:
            self.check_id(file, ("story", "id"), "story id", model.story.id)
        for section in SECTIONS:
            table = getattr(model, section, None) or {}
            seen = self.items[section]
            ids = section in ("side", "scene", "source") and not all_ids(table.keys())
            if not ids and seen.keys().isdisjoint(table):
                # the common case, with nothing to report: every id good and every table new
                seen.update(zip(table, zip(repeat(file), table.values())))
                continue
            for key, value in table.items():
                if ids and id_problem(key) is not None:
                    self.check_id(file, (section, key), f"{SECTION_NAMES[section]} id", key)
                if key in seen:
                    other = seen[key][0]
                    line, _ = self.report.at(other, (section, key))
                    self.report.add(
                        file, (section, key), "E105",
                        f"duplicate {SECTION_NAMES[section]} {key!r} (first defined at {other}:{line})",
                    )
                    continue
                seen[key] = (file, value)
        for key, ext in (getattr(model, "extend", None) or {}).items():
            self.extensions.append((file, key, ext))

    def check_id(self, file: str, path: tuple[Any, ...], what: str, value: str) -> None:
        """The one pattern for ids (see `limits.ID_PATTERN`): an id is a name, never a path.
        An id found good is remembered: choice ids such as 'c0' repeat in every scene."""
        if value in self.good_ids:
            return
        problem = id_problem(value)
        if problem:
            self.report.add(file, path, "E117", f"{what} {quoted(value)} {problem}")
        else:
            self.good_ids.add(value)

    # ------------------------------------------------------------------ checking and compiling

    def build(self, fingerprint: str) -> Optional[Story]:
        r = self.report
        variables = self.build_vars()
        scene_ids = set(self.items["scene"]) | self.broken_scenes
        var_types = {**self.broken_var_types, **{name: v.type for name, v in variables.items()}}
        self.var_labels = {**{name: name for name in self.broken_var_types}, **{name: v.label for name, v in variables.items()}}

        sources = {
            sid: Source(sid, m.outlet, m.title, m.date, m.url, m.note, file, m.author, m.read_at, m.described)
            for sid, (file, m) in self.items["source"].items()
        }
        outlets = {name: tuple(m.domains) for name, (_file, m) in self.items["outlet"].items()}
        outlet_files = {name: file for name, (file, _m) in self.items["outlet"].items()}
        partners = {name: Partner(name, tuple(m.domains), tuple(m.carries), file)
                    for name, (file, m) in self.items["partner"].items()}
        sides: dict[str, Side] = {}
        for sid, (file, m) in self.items["side"].items():
            if m.start not in scene_ids:
                r.add(file, ("side", sid, "start"), "E108",
                      f"side {sid!r} starts at unknown scene {m.start!r}{did_you_mean(m.start, scene_ids)}")
            values = {name: v.start for name, v in variables.items()}
            for name, value in m.set.items():
                if self.check_value(file, ("side", sid, "set", name), variables, name, value, "set"):
                    values[name] = variables[name].clamp(value)
            sides[sid] = Side(sid, m.name, m.role, m.start, m.blurb, m.stakes, values, file)

        extra: dict[str, list[tuple[str, tuple[Any, ...], ChoiceModel]]] = {}
        for file, target, ext in self.extensions:
            if target not in scene_ids:
                r.add(file, ("extend", target, "choice", 0), "E114",
                      f"extend adds choices to unknown scene {target!r}{did_you_mean(target, scene_ids)}")
                continue
            extra.setdefault(target, []).extend(
                (file, ("extend", target, "choice", i), c) for i, c in enumerate(ext.choice))

        scenes: dict[str, Scene] = {}
        observed: set[str] = set()
        store = self.scene_store(scene_ids, sources, variables, var_types)
        tables = self.items["scene"]
        for sid, (file, m) in tables.items():
            more = extra.get(sid, ())
            if store is None:
                scenes[sid] = self.build_scene(sid, file, m, sides, sources, scene_ids, variables, var_types, observed,
                                               more)
                # Without a cache nothing reads a scene's table once its scene is built: let it go
                # now, and the story being built reuses its memory (freed at the end instead, a
                # large story's tables cost an extra pass over the heap and fresh pages for the story).
                tables[sid] = (file, None)
                continue
            hit = store.get(sid)
            if (hit is not None and hit.model is m and hit.file == file and len(hit.extra) == len(more)
                    and all(a[2] is b[2] and a[:2] == b[:2] for a, b in zip(hit.extra, more))):
                scenes[sid] = hit.scene
                self.report.items.extend(hit.diagnostics)
                observed |= hit.observed
                continue
            mark = len(self.report.items)
            mine: set[str] = set()
            scenes[sid] = self.build_scene(sid, file, m, sides, sources, scene_ids, variables, var_types, mine, more)
            observed |= mine
            store[sid] = BuiltScene(m, file, tuple(more), scenes[sid], tuple(self.report.items[mark:]), frozenset(mine))

        history: dict[str, tuple[str, ...]] = {}
        for side_id, (file, m) in self.items["history"].items():
            if side_id in self.broken["side"]:
                continue
            if side_id not in self.items["side"]:
                r.add(file, ("history", side_id), "E109", f"history for unknown side {side_id!r}{did_you_mean(side_id, set(self.items['side']))}")
                continue
            history[side_id] = tuple(m.choices)

        if r.errors or self.meta is None:
            return None
        meta_file, meta = self.meta
        if meta.begins.tzinfo is None or meta.ends.tzinfo is None:
            r.add(meta_file, ("story", "begins"), "E102", "story.begins and story.ends need a UTC offset, e.g. 2023-11-16T00:00:00-08:00")
            return None
        if not self.check_week(meta_file, meta, scenes):
            return None
        story = Story(
            id=meta.id, title=meta.title, subtitle=meta.subtitle, begins=meta.begins, ends=meta.ends,
            critic=meta.critic, real_score=meta.real_score, sides=sides, vars=variables, sources=sources, scenes=scenes, history=history,
            fingerprint=fingerprint, root=str(self.root), var_names=tuple(variables), observed_seen=frozenset(observed),
            outlets=outlets, outlet_files=outlet_files, partners=partners,
        )
        self.check_history(story)
        return None if r.errors else story

    def check_week(self, meta_file: str, meta: StoryMeta, scenes: Mapping[str, Scene]) -> bool:
        """The story's week holds time, and every scene happens within it; every date is in range."""
        r = self.report
        for key in ("begins", "ends"):
            problem = date_problem(getattr(meta, key))
            if problem:
                r.add(meta_file, ("story", key), "E116", f"story.{key}: {problem}")
        if r.errors:
            return False
        if meta.begins >= meta.ends:
            r.add(meta_file, ("story", "ends"), "E116", f"the story's week is empty: it ends ({meta.ends.isoformat()}) "
                                                       f"no later than it begins ({meta.begins.isoformat()})")
            return False
        begins, ends = meta.begins, meta.ends
        for sid, scene in scenes.items():
            at, file = scene.at, scene.file
            problem = None if MIN_YEAR <= at.year <= MAX_YEAR else date_problem(at)
            if problem:
                r.add(file, ("scene", sid, "at"), "E116", f"scene {sid!r}: 'at' {problem}")
            elif at.tzinfo is not None and not begins <= at <= ends:
                r.add(file, ("scene", sid, "at"), "E116",
                      f"scene {sid!r} happens at {at.isoformat()}, outside the story's week "
                      f"({meta.begins.isoformat()} to {meta.ends.isoformat()}, in [story])")
        for src, (file, m) in self.items["source"].items():
            problem = date_problem(m.date)
            if problem:
                r.add(file, ("source", src, "date"), "E116", f"source {src!r}: date {problem}")
        return not r.errors

    def build_vars(self) -> dict[str, Var]:
        """Compile the variables. A variable with a bad start is reported and still compiled
        (with a start in range), so conditions that use it do not cascade into more errors."""
        out: dict[str, Var] = {}
        for name, (file, m) in self.items["var"].items():
            path = ("var", name)
            if not re.fullmatch(VAR_PATTERN, name) or len(name) > MAX_ID_CHARS or name in (
                    "and", "or", "not", "true", "false", "seen"):
                self.report.add(file, path, "E117", f"variable name {quoted(name)} must be a lower-case identifier "
                                                    f"(letters, digits, '_'; at most {MAX_ID_CHARS}) and not a keyword")
                continue
            low, high, start = m.min, m.max, m.start
            if m.type == "bool":
                if not isinstance(start, bool):
                    self.report.add(file, path + ("start",), "E201", f"variable {name!r} is bool but its start is {start!r}")
                    start = False
            else:
                if low > high:
                    self.report.add(file, path + ("min",), "E205", f"variable {name!r} has min {low} above max {high}")
                    low, high = high, low
                if isinstance(start, bool):
                    self.report.add(file, path + ("start",), "E201", f"variable {name!r} is int but its start is {str(start).lower()}")
                    start = low
                elif not low <= start <= high:
                    self.report.add(file, path + ("start",), "E201",
                                    f"variable {name!r} has start {start}, outside its range {low}..{high}")
                    start = max(low, min(high, start))
            if m.side is not None and m.side not in self.items["side"]:
                self.report.add(file, path + ("side",), "E109",
                                f"variable {name!r} belongs to unknown side {m.side!r}{did_you_mean(m.side, set(self.items['side']))}")
            for side_id in m.meaning:
                if side_id not in self.items["side"]:
                    self.report.add(file, path + ("meaning", side_id), "E109",
                                    f"variable {name!r} gives a meaning for unknown side {side_id!r}"
                                    f"{did_you_mean(side_id, set(self.items['side']))}")
            out[name] = Var(name, m.label, m.description, m.type, low, high, start, m.show, m.display, file,
                            m.side or "", tuple(m.words or ()), tuple(m.meaning.items()), m.short)
        return out

    def check_value(self, file: str, path: tuple[Any, ...], variables: dict[str, Var], name: str, value: Any, op: str) -> bool:
        var = variables.get(name)
        if var is None:
            if name in self.items["var"] or name in self.broken["var"]:
                return False  # already reported as a broken variable
            self.report.add(file, path, "E202", f"{op} names unknown variable {name!r}{did_you_mean(name, variables)}")
            return False
        if var.type == "bool":
            if op == "add":
                self.report.add(file, path, "E203", f"cannot add to bool variable {name!r}; use set")
                return False
            if not isinstance(value, bool):
                self.report.add(file, path, "E203", f"variable {name!r} is bool; cannot set it to {value!r}")
                return False
            return True
        if isinstance(value, bool):
            self.report.add(file, path, "E203", f"variable {name!r} is int; cannot {op} {str(value).lower()}")
            return False
        if op == "add" and abs(value) > var.max - var.min:
            self.report.add(file, path, "E203", f"add {value:+d} to {name!r} is larger than its whole range {var.min}..{var.max}")
            return False
        if op == "set" and not var.min <= value <= var.max:
            self.report.add(file, path, "E203", f"set {name!r} to {value}, outside its range {var.min}..{var.max}")
            return False
        return True

    def find_text(self, file: str, line: int, needle: str) -> Optional[tuple[int, int]]:
        """Line and column of `needle`'s first appearance at or after `line` (400 lines at most)."""
        lines = self.report.texts.get(file, "").split("\n")
        for i in range(line - 1, min(len(lines), line + 400)):
            at = lines[i].find(needle)
            if at >= 0:
                return i + 1, at + 1
        return None

    def scene_store(self, scene_ids: set[str], sources: dict[str, Source], variables: dict[str, Var],
                    var_types: dict[str, str]) -> Optional[dict[str, BuiltScene]]:
        """The cache's compiled scenes, emptied when any name a scene may refer to has changed;
        None without a cache (a one-off compile keeps nothing)."""
        if self.cache is None:
            return None
        context = (frozenset(scene_ids), frozenset(self.items["side"]), frozenset(self.broken["side"]),
                   frozenset(sources), frozenset(self.broken["source"]), frozenset(self.items["var"]),
                   frozenset(self.broken["var"]), tuple(sorted(var_types.items())),
                   tuple(sorted(self.var_labels.items())),
                   tuple(sorted((n, v.type, v.min, v.max) for n, v in variables.items())))
        if context != self.cache.scene_context:
            self.cache.scenes = {}
            self.cache.scene_context = context
        return self.cache.scenes

    def build_scene(self, sid: str, file: str, m: Union[SceneModel, dict[str, Any]], sides: dict[str, Side],
                    sources: dict[str, Source], scene_ids: set[str], variables: dict[str, Var], var_types: dict[str, str],
                    observed: set[str], extra: Sequence[tuple[str, tuple[Any, ...], ChoiceModel]] = ()) -> Scene:
        """Compile one scene: its own choices first, then those `extend` tables add, in file order.

        The scene is a model, or its table as parsed (see `checked_file`), whose values are read
        through `tables.scene_values` and `choice_values`: those raise `Unsure` at anything the
        models might refuse. It runs for every scene and choice of the story, so what only a
        message needs (a key path, a line, a suggestion) is worked out when there is something
        to report."""
        r = self.report
        path = ("scene", sid)
        end: Optional[tuple[str, str, str, float, bool]]
        if type(m) is dict:
            side, at, title, provenance, cited, text, note, headline, own, end = scene_values(m)
        else:
            assert isinstance(m, SceneModel)
            side, at, title, provenance, cited, text, note, headline, own = (
                m.side, m.at, m.title, m.provenance, m.sources, m.text, m.note, m.headline, m.choice)
            e = m.ending
            end = None if e is None else (e.title, e.history, e.critic, e.score, e.historical)
        if side not in self.items["side"] and side not in self.broken["side"]:
            r.add(file, path + ("side",), "E109", f"scene {sid!r} belongs to unknown side {side!r}{did_you_mean(side, set(self.items['side']))}")
        if at.tzinfo is None:
            r.add(file, path + ("at",), "E102", f"scene {sid!r}: 'at' needs a UTC offset, e.g. 2023-11-17T12:00:00-08:00")
        for src in cited:
            if src not in sources and src not in self.broken["source"]:
                r.add(file, path + ("sources",), "E107", f"scene {sid!r} cites unknown source {src!r}{did_you_mean(src, sources)}")
        # a text without braces is plain: no key path to build for a message that cannot come
        body = (_plain_template(text) if "{" not in text and "}" not in text
                else self.template(file, path + ("text",), text, var_types, scene_ids, observed))
        news = (_plain_template(headline) if "{" not in headline and "}" not in headline
                else self.template(file, path + ("headline",), headline, var_types, scene_ids, observed))
        if end is not None:
            if own:
                r.add(file, path + ("ending",), "E112", f"scene {sid!r} is an ending but has {len(own)} choice(s); an ending has none")
            for efile, epath, _c in extra[:1]:
                r.add(efile, epath, "E112", f"scene {sid!r} is an ending; extend cannot add choices to it")
        elif not own and not extra:
            r.add(file, path, "E113", f"scene {sid!r} has no choices and no [ending] table: the player would be stuck")
        first: dict[str, Choice] = {}  # choice id -> the choice that has it first
        choices: list[Choice] = []
        good_ids = self.good_ids
        conditions = self.conditions
        if self.effects[0] is not variables:
            self.effects = (variables, {})
        known = self.effects[1]
        n = len(own)
        listed: Sequence[Any] = [*own, *(x[2] for x in extra)] if extra else own
        for index, c in enumerate(listed):
            # a scene's own choices, then those extend tables add, each with its own file and key
            cfile, cpath = (file, ("scene", sid, "choice", index)) if index < n else extra[index - n][:2]
            if type(c) is dict:
                cid, label_text, goto, cond_text, locked, hidden, add, assign, outcome_text = choice_values(c)
            else:
                cid, label_text, goto, cond_text, locked, hidden, add, assign, outcome_text = (
                    c.id, c.text, c.goto, c.if_, c.locked, c.hidden, c.add, c.set, c.outcome)
            if cid not in good_ids:
                self.check_id(cfile, cpath + ("id",), "choice id", cid)
            other = first.get(cid)
            if other is not None:
                oline = r.at(other.file, other.key + ("id",))[0]
                where = f"line {oline}" if other.file == cfile else f"{other.file}:{oline}"
                r.add(cfile, cpath + ("id",), "E106", f"scene {sid!r} has two choices with id {cid!r} (the other at {where})")
            if goto not in scene_ids:
                r.add(cfile, cpath + ("goto",), "E104",
                      f"choice {cid!r} goes to unknown scene {goto!r}{did_you_mean(goto, scene_ids)}")
            condition = None
            if cond_text is not None:
                parsed = conditions.get(cond_text)
                if parsed is None:
                    parsed = self.condition(cond_text, var_types, scene_ids)
                if isinstance(parsed, Condition):
                    condition = parsed
                    if parsed.seen_ids:
                        observed.update(parsed.seen_ids)
                else:
                    line, col = r.at(cfile, cpath + ("if",))
                    col = self.value_column(cfile, line, col, parsed.offset)
                    r.add_at(cfile, line, col, parsed.code, f"choice {cid!r}: {parsed.message} in condition {cond_text!r}")
            effects: tuple[Effect, ...] = ()
            if assign or add:
                found: list[Effect] = []
                for op, values in (("set", assign), ("add", add)):
                    for name, value in values.items():
                        key = (op, name, value, type(value))
                        effect = known.get(key)
                        if effect is None:
                            if not self.check_value(cfile, cpath + (op, name), variables, name, value, op):
                                continue
                            effect = known[key] = _make_effect(name, op, value)
                        found.append(effect)
                effects = tuple(found)
            label = (_plain_template(label_text) if "{" not in label_text and "}" not in label_text
                     else self.template(cfile, cpath + ("text",), label_text, var_types, scene_ids, observed))
            outcome = (None if outcome_text is None
                       else self.template(cfile, cpath + ("outcome",), outcome_text, var_types, scene_ids, observed))
            choice = _make_choice(cid, label_text, goto, condition, locked, hidden, effects, cfile, cpath, label, outcome)
            choices.append(choice)
            if other is None:
                first[cid] = choice
        ending = None if end is None else _make_ending(*end)
        return _make_scene(sid, side, at, title, provenance, tuple(cited), text, note, headline, tuple(choices), ending,
                           file, body, news)

    def template(self, file: str, key: tuple[Any, ...], text: str, var_types: dict[str, str], scene_ids: set[str],
                 observed: set[str]) -> Template:
        """Compile one text's passages; an error points at the offending character inside the text,
        even many lines down a multi-line string. The text's `seen()` reads are observed too."""
        if "{" not in text and "}" not in text:
            return _plain_template(text)

        def parse(cond: str) -> Condition:
            parsed = self.condition(cond, var_types, scene_ids)
            if isinstance(parsed, ConditionError):
                raise parsed
            return parsed

        try:
            compiled = compile_text(text, var_types, self.var_labels, scene_ids.__contains__, parse)
        except TextError as exc:
            line, col = self.report.at(file, key)
            line, col = value_position(self.report.texts.get(file, ""), line, col, exc.offset)
            self.report.add_at(file, line, col, exc.code, f"{describe(key[:-1])}: {key[-1]}: {exc.message}")
            return _plain_template(text)
        observed.update(compiled.seen_ids)
        return compiled

    def condition(self, text: str, var_types: dict[str, str], scene_ids: set[str]) -> Union[Condition, ConditionError]:
        """`parse_condition`, once per distinct text. Within one compile the variables and scene
        ids are fixed, so the same text always gives the same (immutable) tree or the same error;
        stories repeat conditions such as `loyalty >= 6` many times, and parsing is most of compiling."""
        parsed = self.conditions.get(text)
        if parsed is None:
            try:
                parsed = parse_condition(text, var_types, scene_ids.__contains__, scene_ids)
            except ConditionError as exc:
                parsed = exc
            self.conditions[text] = parsed
        return parsed

    def value_column(self, file: str, line: int, col: int, offset: int) -> int:
        text = self.report.texts.get(file, "").splitlines()
        if 0 < line <= len(text):
            src = text[line - 1]
            eq = src.find("=", col - 1)
            if eq >= 0:
                q = min((i for i in (src.find('"', eq), src.find("'", eq)) if i >= 0), default=-1)
                if q >= 0:
                    return q + 2 + offset
        return col

    def check_history(self, story: Story) -> None:
        from game.engine.play import play

        for side_id, choices in story.history.items():
            file = self.items["history"][side_id][0]
            played = play(story, side_id, choices)
            state = played.state
            if played.divergence is not None:
                d = played.divergence
                self.report.add(file, ("history", side_id, "choices"), "E111",
                                f"documented path of {side_id!r} stops fitting at step {d.step}: {d.reason}")
            else:
                scene = story.scenes[state.scene]
                if scene.ending is None:
                    self.report.add(file, ("history", side_id, "choices"), "E111",
                                    f"documented path of {side_id!r} ends at {scene.id!r}, which is not an ending")
                elif not scene.ending.historical:
                    self.report.add(file, ("history", side_id, "choices"), "E111",
                                    f"documented path of {side_id!r} ends at {scene.id!r}, which is not marked historical = true")

