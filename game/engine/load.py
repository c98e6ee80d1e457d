"""Reading a story folder: parse every TOML file, validate, cross-check, compile.

This is the only module that reads story files and the only one that validates. Every
problem found is collected, so an author sees all of them in one run; `load_story` raises a
`StoryError` carrying them when any is an error.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any, Optional

import tomli
from pydantic import BaseModel, ValidationError

from game.engine.diagnostics import Diagnostic, Reporter, StoryError
from game.engine.model import (
    ChoiceModel,
    EndingModel,
    HistoryModel,
    SceneModel,
    SideModel,
    SourceModel,
    StoryFile,
    StoryMeta,
    VarModel,
)
from game.engine.rules import ConditionError, did_you_mean, parse_condition
from game.engine.story import Choice, Effect, Ending, Scene, Side, Source, Story, Var

SECTIONS: dict[str, type[BaseModel]] = {
    "side": SideModel,
    "var": VarModel,
    "source": SourceModel,
    "scene": SceneModel,
    "history": HistoryModel,
}
SECTION_NAMES = {"side": "side", "var": "variable", "source": "source", "scene": "scene", "history": "history"}

_ALL_KEYS = sorted(
    {name if f.alias is None else f.alias for m in (StoryFile, StoryMeta, SideModel, VarModel, SourceModel,
                                                     SceneModel, ChoiceModel, EndingModel, HistoryModel)
     for name, f in m.model_fields.items()}
)

# Square brackets that Textual's content markup would take for a tag: [bold], [/], [$x], [@click], [#fff], [.c]
MARKUP = re.compile(r"\[(?:/|[A-Za-z#@$.])")

_TOML_POS = re.compile(r"\(at line (\d+), column (\d+)\)")


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


def story_files(root: Path) -> list[Path]:
    """Every `*.toml` under `root`, in a stable order, skipping hidden folders."""
    files = [p for p in root.rglob("*.toml") if not any(part.startswith(".") for part in p.relative_to(root).parts)]
    return sorted(files, key=lambda p: p.relative_to(root).as_posix())


def load_story(root: Path | str = "story") -> Story:
    """Load, validate and compile the story in `root`, or raise `StoryError` with every problem."""
    story, diagnostics = compile_story(root)
    if story is None:
        raise StoryError(diagnostics)
    return story


def compile_story(root: Path | str = "story") -> tuple[Optional[Story], list[Diagnostic]]:
    """The story (None when there are errors) and every diagnostic, errors and warnings."""
    return _Compiler(Path(root)).run()


class _Compiler:
    def __init__(self, root: Path):
        self.root = root
        self.report = Reporter(root)
        # id -> (file, model) for every section, after merging files
        self.items: dict[str, dict[str, tuple[str, Any]]] = {s: {} for s in SECTIONS}
        self.meta: Optional[tuple[str, StoryMeta]] = None
        self.broken_scenes: set[str] = set()  # scenes that failed validation still count as existing

    # ------------------------------------------------------------------ reading

    def run(self) -> tuple[Optional[Story], list[Diagnostic]]:
        root = self.root
        shown = self.report.display(root)
        if not root.is_dir():
            self.report.add_at(shown, 1, 1, "E003", f"story folder {shown!r} not found")
            return None, self.report.sorted()
        files = story_files(root)
        if not files:
            self.report.add_at(shown, 1, 1, "E003", f"no .toml story files in {shown!r}")
            return None, self.report.sorted()
        digest = hashlib.sha256()
        for path in files:
            raw = path.read_bytes()
            digest.update(path.relative_to(root).as_posix().encode() + b"\0" + raw + b"\0")
            self.read_file(path, raw)
        if self.meta is None and not any(d.code == "E001" for d in self.report.items):
            self.report.add_at(self.report.display(files[0]), 1, 1, "E003", "the story has no [story] table (add one to story.toml)")
        story = self.build(digest.hexdigest()[:16])
        if self.report.errors:
            return None, self.report.sorted()
        return story, self.report.sorted()

    def read_file(self, path: Path, raw: bytes) -> None:
        file = self.report.display(path)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            self.report.add_at(file, 1, 1, "E002", f"file is not UTF-8 text ({exc.reason} at byte {exc.start})")
            return
        self.report.texts[file] = text
        try:
            data = tomli.loads(text)
        except tomli.TOMLDecodeError as exc:
            line = getattr(exc, "lineno", None)
            col = getattr(exc, "colno", None)
            msg = getattr(exc, "msg", str(exc))
            if line is None:
                m = _TOML_POS.search(str(exc))
                line, col = (int(m.group(1)), int(m.group(2))) if m else (1, 1)
                msg = _TOML_POS.sub("", str(exc)).strip()
            self.report.add_at(file, line, col or 1, "E001", f"TOML syntax: {msg}")
            return
        try:
            model = StoryFile.model_validate(data)
        except ValidationError as exc:
            self.validation_errors(file, exc)
            model = self.salvage(file, data)
        self.merge(file, model)

    def validation_errors(self, file: str, exc: ValidationError, prefix: tuple[Any, ...] = ()) -> None:
        for err in exc.errors():
            loc = prefix + tuple(err["loc"])
            kind = err["type"]
            if kind == "extra_forbidden":
                key = str(loc[-1])
                what = "unknown table" if len(loc) == 1 else f"{describe(loc[:-1])} has unknown key"
                self.report.add(file, loc, "E101", f"{what} {key!r}{did_you_mean(key, set(_ALL_KEYS))}")
            elif kind == "missing":
                self.report.add(file, loc[:-1], "E103", f"{describe(loc[:-1])} is missing required key {str(loc[-1])!r}")
            else:
                got = err.get("input")
                shown = repr(got) if not isinstance(got, (dict, list)) else type(got).__name__
                if len(shown) > 40:
                    shown = shown[:37] + "..."
                self.report.add(file, loc, "E102", f"{describe(loc[:-1])}: {loc[-1]} {err['msg'].lower()} (got {shown})")

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
                    if section == "scene":
                        self.broken_scenes.add(key)
            parts[section] = good
        return StoryFile.model_construct(**parts)

    def merge(self, file: str, model: StoryFile) -> None:
        if model.story is not None:
            if self.meta is not None:
                other = self.meta[0]
                line, _ = self.report.at(other, ("story",))
                self.report.add(file, ("story",), "E105", f"duplicate [story] table (first at {other}:{line})")
            else:
                self.meta = (file, model.story)
        for section in SECTIONS:
            table = getattr(model, section, None) or {}
            seen = self.items[section]
            for key, value in table.items():
                if key in seen:
                    other = seen[key][0]
                    line, _ = self.report.at(other, (section, key))
                    self.report.add(
                        file, (section, key), "E105",
                        f"duplicate {SECTION_NAMES[section]} {key!r} (first defined at {other}:{line})",
                    )
                    continue
                seen[key] = (file, value)

    # ------------------------------------------------------------------ checking and compiling

    def build(self, fingerprint: str) -> Optional[Story]:
        r = self.report
        variables = self.build_vars()
        scene_ids = set(self.items["scene"]) | self.broken_scenes
        var_types = {name: v.type for name, v in variables.items()}

        sources = {
            sid: Source(sid, m.outlet, m.title, m.date, m.url, m.note, file) for sid, (file, m) in self.items["source"].items()
        }
        sides: dict[str, Side] = {}
        for sid, (file, m) in self.items["side"].items():
            if m.start not in scene_ids:
                r.add(file, ("side", sid, "start"), "E108",
                      f"side {sid!r} starts at unknown scene {m.start!r}{did_you_mean(m.start, scene_ids)}")
            values = {name: v.start for name, v in variables.items()}
            for name, value in m.set.items():
                if self.check_value(file, ("side", sid, "set", name), variables, name, value, "set"):
                    values[name] = variables[name].clamp(value)
            self.check_markup(file, ("side", sid), {"name": m.name, "role": m.role, "blurb": m.blurb, "stakes": m.stakes})
            sides[sid] = Side(sid, m.name, m.role, m.start, m.blurb, m.stakes, values)

        scenes: dict[str, Scene] = {}
        observed: set[str] = set()
        for sid, (file, m) in self.items["scene"].items():
            scenes[sid] = self.build_scene(sid, file, m, sides, sources, scene_ids, variables, var_types, observed)

        history: dict[str, tuple[str, ...]] = {}
        for side_id, (file, m) in self.items["history"].items():
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
        story = Story(
            id=meta.id, title=meta.title, subtitle=meta.subtitle, begins=meta.begins, ends=meta.ends,
            critic=meta.critic, sides=sides, vars=variables, sources=sources, scenes=scenes, history=history,
            fingerprint=fingerprint, root=str(self.root), var_names=tuple(variables), observed_seen=frozenset(observed),
        )
        self.check_history(story)
        return None if r.errors else story

    def build_vars(self) -> dict[str, Var]:
        """Compile the variables. A variable with a bad start is reported and still compiled
        (with a start in range), so conditions that use it do not cascade into more errors."""
        out: dict[str, Var] = {}
        for name, (file, m) in self.items["var"].items():
            path = ("var", name)
            if not re.fullmatch(r"[a-z][a-z0-9_]*", name) or name in ("and", "or", "not", "true", "false", "seen"):
                self.report.add(file, path, "E102", f"variable name {name!r} must be a lower-case identifier and not a keyword")
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
            out[name] = Var(name, m.label, m.description, m.type, low, high, start, m.show, m.display, file)
        return out

    def check_value(self, file: str, path: tuple[Any, ...], variables: dict[str, Var], name: str, value: Any, op: str) -> bool:
        var = variables.get(name)
        if var is None:
            if name in self.items["var"]:
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

    def check_markup(self, file: str, path: tuple[Any, ...], fields: dict[str, str]) -> None:
        for key, text in fields.items():
            m = MARKUP.search(text or "")
            if m:
                snippet = text[m.start(): m.start() + 12].split("\n")[0]
                self.report.add(file, path + (key,), "E401",
                                f"{key} contains {snippet!r}, which Textual would read as markup; use parentheses instead of square brackets")

    def build_scene(self, sid: str, file: str, m: SceneModel, sides: dict[str, Side], sources: dict[str, Source],
                    scene_ids: set[str], variables: dict[str, Var], var_types: dict[str, str], observed: set[str]) -> Scene:
        r = self.report
        path = ("scene", sid)
        if m.side not in self.items["side"]:
            r.add(file, path + ("side",), "E109", f"scene {sid!r} belongs to unknown side {m.side!r}{did_you_mean(m.side, set(self.items['side']))}")
        if m.at.tzinfo is None:
            r.add(file, path + ("at",), "E102", f"scene {sid!r}: 'at' needs a UTC offset, e.g. 2023-11-17T12:00:00-08:00")
        for i, src in enumerate(m.sources):
            if src not in sources:
                r.add(file, path + ("sources",), "E107", f"scene {sid!r} cites unknown source {src!r}{did_you_mean(src, sources)}")
        self.check_markup(file, path, {"title": m.title, "text": m.text, "note": m.note, "headline": m.headline})
        if m.ending is not None:
            if m.choice:
                r.add(file, path + ("ending",), "E112", f"scene {sid!r} is an ending but has {len(m.choice)} choice(s); an ending has none")
            self.check_markup(file, path + ("ending",), {"title": m.ending.title, "history": m.ending.history, "critic": m.ending.critic})
        elif not m.choice:
            r.add(file, path, "E113", f"scene {sid!r} has no choices and no [ending] table: the player would be stuck")
        ids: dict[str, int] = {}
        choices: list[Choice] = []
        for i, c in enumerate(m.choice):
            cpath = path + ("choice", i)
            if c.id in ids:
                r.add(file, cpath + ("id",), "E106", f"scene {sid!r} has two choices with id {c.id!r} (also choice {ids[c.id] + 1})")
            ids.setdefault(c.id, i)
            if c.goto not in scene_ids:
                r.add(file, cpath + ("goto",), "E104",
                      f"choice {c.id!r} goes to unknown scene {c.goto!r}{did_you_mean(c.goto, scene_ids)}")
            condition = None
            if c.if_ is not None:
                try:
                    condition = parse_condition(c.if_, var_types, lambda s: s in scene_ids)
                    observed.update(condition.seen_ids)
                except ConditionError as exc:
                    line, col = r.at(file, cpath + ("if",))
                    col = self.value_column(file, line, col, exc.offset)
                    r.add_at(file, line, col, exc.code, f"choice {c.id!r}: {exc.message} in condition {c.if_!r}")
            effects: list[Effect] = []
            for name, value in c.set.items():
                if self.check_value(file, cpath + ("set", name), variables, name, value, "set"):
                    effects.append(Effect(name, "set", value))
            for name, value in c.add.items():
                if self.check_value(file, cpath + ("add", name), variables, name, value, "add"):
                    effects.append(Effect(name, "add", value))
            self.check_markup(file, cpath, {"text": c.text, "locked": c.locked or ""})
            choices.append(Choice(c.id, c.text, c.goto, condition, c.locked, c.hidden, tuple(effects)))
        ending = None
        if m.ending is not None:
            e = m.ending
            ending = Ending(e.title, e.history, e.critic, e.score, e.historical)
        return Scene(sid, m.side, m.at, m.title, m.provenance, tuple(m.sources), m.text, m.note, m.headline,
                     tuple(choices), ending, file)

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
        from game.engine.state import ChoiceError, choose, new_state

        for side_id, choices in story.history.items():
            file = self.items["history"][side_id][0]
            state = new_state(story, side_id)
            for i, cid in enumerate(choices):
                try:
                    state = choose(story, state, cid)
                except ChoiceError as exc:
                    self.report.add(file, ("history", side_id, "choices"), "E111",
                                    f"documented path of {side_id!r} stops fitting at step {i + 1}: {exc}")
                    break
            else:
                scene = story.scenes[state.scene]
                if scene.ending is None:
                    self.report.add(file, ("history", side_id, "choices"), "E111",
                                    f"documented path of {side_id!r} ends at {scene.id!r}, which is not an ending")
                elif not scene.ending.historical:
                    self.report.add(file, ("history", side_id, "choices"), "E111",
                                    f"documented path of {side_id!r} ends at {scene.id!r}, which is not marked historical = true")

