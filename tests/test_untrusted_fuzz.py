"""A hostile corpus, generated: stories, runs, settings and galleries full of controls, escapes,
odd ids, extreme numbers and dates, deep nesting and huge sizes.

Whatever a file holds, reading it ends in a located error or a clean refusal, never a traceback;
nothing printed holds a control character; nothing is written outside its folder; no input file
is modified. Example counts stay small so the suite stays fast.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.commands.check import check
from game.confine import OutsideFolder, confined
from game.controller.settings import load_gallery, load_settings
from game.engine import choose, compile_story, load_story, new_state
from game.engine.safe_text import shown
from game.runs import RunError, Saves, dumps, read_run, run_from_state
from game.transcript import transcript

EXAMPLE = Path(__file__).parent / "fixtures" / "example"
LOCATED = re.compile(r"^[^\n]+:\d+:\d+: (error|warning)\[[EW]\d{3}\] [^\n]+$")
TERMINAL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

hostile_chars = st.sampled_from(["\x1b", "\x1b[2J", "\x1b]0;x\x07", "\x07", "\r", "\x9b", "\x85", "\u202e", "\u2066",
                                 "\u200f", "\u2028", "\x00", "\t", "\n", "../", "/", "\\", "..", "[bold]", '"', "'",
                                 "\ufeff", "é", "𝕏", " "])
hostile_text = st.lists(st.one_of(hostile_chars, st.text(max_size=5)), max_size=8).map("".join)


def toml_string(text: str) -> str:
    """`text` as a TOML basic string, control characters spelled as escapes (as an author would)."""
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or ch == "\x7f" or "\ud800" <= ch <= "\udfff":
            out.append(f"\\u{ord(ch):04x}" if not "\ud800" <= ch <= "\udfff" else "?")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


numbers = st.one_of(st.integers(), st.integers(min_value=10 ** 18, max_value=10 ** 40).map(str),
                    st.just("1" + "0" * 5000), st.just("inf"), st.just("nan"), st.floats().map(repr))
dates = st.sampled_from(["0001-01-01T00:00:00+23:59", "9999-12-31T23:59:59-23:59", "2023-11-16T08:00:00-08:00",
                         "2023-11-16T08:00:00", "1999-01-01", "2023-13-45T99:00:00Z"])
nestings = st.integers(min_value=1, max_value=3000).map(lambda n: "[" * n + "]" * n)

EDITS = [
    ("story.toml", 'title = "The Example"', lambda v: f"title = {toml_string(v)}", hostile_text),
    ("story.toml", "[side.gamma]", lambda v: f"[side.{toml_string(v)}]", hostile_text),
    ("story.toml", "begins = 2023-11-16T08:00:00-08:00", lambda v: f"begins = {v}", dates),
    ("alpha.toml", 'id = "rally"', lambda v: f"id = {toml_string(v)}", hostile_text),
    ("alpha.toml", 'title = "Noon"', lambda v: f"title = {toml_string(v)}", hostile_text),
    ("alpha.toml", "add = { loyalty = 3 }", lambda v: f"add = {{ loyalty = {v} }}", numbers),
    ("alpha.toml", "add = { loyalty = 3 }", lambda v: f"add = {{ loyalty = 3 }}\nx = {v}", nestings),
    ("alpha.toml", "at = 2023-11-16T12:00:00-08:00", lambda v: f"at = {v}", dates),
    ("beta.toml", "", lambda v: v, hostile_text),
]


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@FUZZ
@given(st.lists(st.sampled_from(range(len(EDITS))).flatmap(
    lambda i: st.tuples(st.just(i), EDITS[i][3])), min_size=1, max_size=3))
def test_any_hostile_story_gives_located_diagnostics(edits: list[tuple[int, Any]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "story"
        shutil.copytree(EXAMPLE, root)
        for index, value in edits:
            file, old, make, _ = EDITS[index]
            path = root / file
            text = path.read_text(encoding="utf-8")
            path.write_text(text.replace(old, make(value), 1) if old else text + "\n" + make(value),
                            encoding="utf-8", errors="surrogatepass")
        before = snapshot(Path(tmp))
        for d in check(str(root)):
            line = d.format()
            assert LOCATED.match(line), line
            assert not TERMINAL.search(line), repr(line)
        story, _ = compile_story(root)
        if story is not None:  # what loads is clean: every string a player can see
            seen = [story.title, story.subtitle, *(s.name for s in story.sides.values()), *story.sides,
                    *(t for sc in story.scenes.values() for t in (sc.id, sc.title, sc.text, sc.note, sc.headline)),
                    *(t for sc in story.scenes.values() for c in sc.choices for t in (c.id, c.text))]
            assert not any(TERMINAL.search(t.replace("\n", "").replace("\t", "")) for t in seen)
        assert snapshot(Path(tmp)) == before


@st.composite
def hostile_values(draw: Any) -> Any:
    return draw(st.one_of(hostile_text, numbers, dates, st.none(), st.booleans(), st.floats(),
                          st.lists(hostile_text, max_size=3), st.dictionaries(hostile_text, hostile_text, max_size=2),
                          st.integers(min_value=1, max_value=3000).map(lambda n: "[" * n)))


RUN_FIELDS = ["label", "side", "story_id", "ending", "created", "updated", "fingerprint", "format",
              "steps.0.scene", "steps.0.choice", "steps.0.at", "snapshot.scene", "snapshot.values", "snapshot.seen"]


def valid_run() -> dict[str, Any]:
    story = load_story(EXAMPLE)
    return json.loads(dumps(run_from_state(story, choose(story, new_state(story, "alpha"), "rally"), label="x")))


VALID_RUN = valid_run()
STORY = load_story(EXAMPLE)


def put(data: dict[str, Any], where: str, value: Any) -> None:
    keys = where.split(".")
    node: Any = data
    for key in keys[:-1]:
        node = node[int(key)] if isinstance(node, list) else node[key]
    last = keys[-1]
    if isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value


def dump_hostile(data: Any) -> str:
    text = json.dumps(data, ensure_ascii=False, allow_nan=True)
    return re.sub(r'"\[\[\[+', lambda m: m.group()[1:], text)  # an unterminated deep nesting, unquoted


@FUZZ
@given(st.lists(st.tuples(st.sampled_from(RUN_FIELDS), hostile_values()), min_size=1, max_size=3))
def test_any_hostile_run_is_read_or_refused_and_shown_clean(changes: list[tuple[str, Any]]) -> None:
    data = json.loads(json.dumps(VALID_RUN))
    for where, value in changes:
        put(data, where, value)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "saves"
        folder.mkdir()
        path = folder / "autosave.json"
        path.write_text(dump_hostile(data), encoding="utf-8", errors="surrogatepass")
        before = snapshot(Path(tmp))
        try:
            run = read_run(path)
        except RunError as exc:
            assert "\n" not in str(exc) and not TERMINAL.search(str(exc)), repr(str(exc))
            run = None
        if run is not None:
            try:
                text = transcript(STORY, run)
            except RunError as exc:
                text = str(exc)
            assert not TERMINAL.search(text.replace("\n", "")), repr(text[:300])
        saves = Saves(folder)
        for entry in saves.entries():
            assert not TERMINAL.search(str(entry.error or "")) and not TERMINAL.search(shown(entry.name))
        saves.latest()
        assert snapshot(Path(tmp)) == before


GALLERY_ENTRY = st.fixed_dictionaries({"title": hostile_values(), "side": hostile_values(), "first": dates,
                                       "times": numbers, "steps": numbers})
HOSTILE_GALLERY = st.fixed_dictionaries({"stories": st.dictionaries(
    hostile_text, st.dictionaries(hostile_text, GALLERY_ENTRY, max_size=2), max_size=2)})
HOSTILE_SETTINGS = st.dictionaries(st.sampled_from(["typewriter", "theme", "autoplay", "typewriter_speed", "format"]),
                                   hostile_values(), max_size=4)


@FUZZ
@given(st.sampled_from(["settings.json", "endings.json"]), st.one_of(hostile_values(), HOSTILE_SETTINGS, HOSTILE_GALLERY))
def test_any_hostile_settings_or_gallery_starts_from_defaults_and_keeps_the_file(name: str, value: Any) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp)
        content = dump_hostile(value).encode("utf-8", "surrogatepass")
        (config / name).write_bytes(content)
        problems: list[str] = []
        load_settings(config, problems)
        load_gallery(config, problems)
        files = [p for p in config.iterdir()]
        assert len(files) == 1 and files[0].read_bytes() == content  # kept, or kept aside: never lost
        for problem in problems:
            assert not TERMINAL.search(problem)


@FUZZ
@given(hostile_text)
def test_a_written_file_never_lands_outside_its_folder(name: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "out"
        folder.mkdir()
        try:
            target = confined(folder, name)
        except OutsideFolder as exc:
            assert not TERMINAL.search(str(exc))
            return
        assert folder.resolve() in target.parents
