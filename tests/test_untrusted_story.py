"""A story written by a hostile author: every refusal is a located error, nothing reaches the
terminal or lands outside its folder, and no file is ever read without bounds.

Each case was a traceback, a hang, a terminal escape or a file written elsewhere before issue 18.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import threading
from pathlib import Path
from typing import Optional

import pytest

from game.commands.check import check
from game.cli import main
from game.confine import OutsideFolder, confined
from game.engine.diagnostics import Diagnostic
from game.engine.limits import MAX_FILE_BYTES, MAX_STRING_CHARS
from game.engine.safe_text import forbidden, shown

EXAMPLE = Path(__file__).parent / "fixtures" / "example"
LOCATED = re.compile(r"^.+:\d+:\d+: (error|warning)\[[EW]\d{3}\] .+$")
TERMINAL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def story(tmp_path: Path) -> Path:
    root = tmp_path / "story"
    shutil.copytree(EXAMPLE, root)
    return root


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def errors(root: Path) -> list[Diagnostic]:
    return [d for d in check(str(root)) if d.severity == "error"]


def line_starting(path: Path, prefix: str) -> int:
    """The number of the first line of `path` that starts with `prefix`: where a diagnostic must point."""
    return next(i for i, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text.startswith(prefix))


def only(root: Path, code: str) -> Diagnostic:
    found = errors(root)
    assert [d.code for d in found] == [code], [d.format() for d in found]
    return found[0]


def clean_output(text: str) -> None:
    assert not TERMINAL.search(text), repr(TERMINAL.search(text))


# ----------------------------------------------------------------------------- the text rule


@pytest.mark.parametrize("spelled, char", [
    ("\\u001b]0;pwned\\u0007", "U+001B (ESCAPE)"),
    ("\\u0007", "U+0007 (BELL)"),
    ("\\r", "U+000D (CARRIAGE RETURN)"),
    ("\\u009b2J", "U+009B"),
    ("\u202e", "U+202E (RIGHT-TO-LEFT OVERRIDE)"),
    ("\u2066", "U+2066 (LEFT-TO-RIGHT ISOLATE)"),
    ("\u200f", "U+200F (RIGHT-TO-LEFT MARK)"),
])
def test_a_control_or_bidi_character_in_story_text_is_a_located_error(tmp_path: Path, spelled: str, char: str) -> None:
    root = story(tmp_path)
    edit(root / "story.toml", 'title = "The Example"', f'title = "The {spelled}Example"')
    d = only(root, "E402")
    assert (d.path.endswith("story.toml"), d.line) == (True, line_starting(root / "story.toml", "title = "))
    assert char in d.message and "title" in d.message
    clean_output(d.format())


@pytest.mark.parametrize("file, old, new, key", [
    ("alpha.toml", 'title = "Noon"', 'title = "No\\u001b[2Jon"', "title"),
    ("alpha.toml", 'headline = "09:00', 'headline = "\\u0085 09:00', "headline"),
    ("alpha.toml", 'text = "Rally the staff."', 'text = "Rally\\u0007 the staff."', "text"),
    ("alpha.toml", 'note = "Accounts', 'note = "\u2067Accounts', "note"),
    ("story.toml", 'blurb = "You run the company."', 'blurb = "You\\r run the company."', "blurb"),
    ("story.toml", 'outlet = "The Example Times"', 'outlet = "The \\u001bExample"', "outlet"),
])
def test_every_story_string_follows_the_rule(tmp_path: Path, file: str, old: str, new: str, key: str) -> None:
    root = story(tmp_path)
    edit(root / file, old, new)
    d = only(root, "E402")
    assert key in d.message
    clean_output(d.format())


def test_tabs_and_line_breaks_are_text(tmp_path: Path) -> None:
    root = story(tmp_path)
    edit(root / "story.toml", 'subtitle = "A board meeting in four scenes"', 'subtitle = "A board\\tmeeting\\nin four"')
    assert errors(root) == []


def test_the_column_points_at_the_character_in_a_multi_line_string(tmp_path: Path) -> None:
    root = story(tmp_path)
    path = root / "alpha.toml"
    text = path.read_text(encoding="utf-8")
    m = re.search(r'text = """\n(.*)\n', text)
    assert m, "the example has a multi-line text"
    first = m.group(1)
    path.write_text(text.replace(first, first + " \u202egnp.exe", 1), encoding="utf-8")
    d = only(root, "E402")
    line = text[: m.start(1)].count("\n") + 1
    assert (d.line, d.col) == (line, len(first) + 2)


# ----------------------------------------------------------------------------- ids


@pytest.mark.parametrize("old, new, what", [
    ("[side.gamma]", '[side."../../evil"]', "side id"),
    ("[side.gamma]", '[side."/tmp/evil"]', "side id"),
    ("[side.gamma]", '[side."Gamma"]', "side id"),
    ("[source.memo]", '[source."a..b"]', "source id"),
    ("[var.signed]", '[var."Signed"]', "variable name"),
])
def test_ids_follow_one_pattern(tmp_path: Path, old: str, new: str, what: str) -> None:
    root = story(tmp_path)
    edit(root / "story.toml", old, new)
    found = [d for d in errors(root) if d.code == "E117"]
    assert found and what in found[0].message, [d.format() for d in errors(root)]


def test_a_scene_id_and_a_choice_id_follow_the_pattern(tmp_path: Path) -> None:
    root = story(tmp_path)
    text = (root / "alpha.toml").read_text(encoding="utf-8")
    choice = re.search(r'^id = "([^"]+)"', text, re.M)
    assert choice
    edit(root / "alpha.toml", f'id = "{choice.group(1)}"', 'id = ".hidden"')
    (root / "extra.toml").write_text('[scene."x/../y"]\nside = "alpha"\nat = 2023-11-16T09:00:00-08:00\n'
                                     'title = "T"\nprovenance = "counterfactual"\ntext = "t"\n'
                                     '[scene."x/../y".ending]\ntitle = "E"\nhistory = "h"\nscore = 1\n',
                                     encoding="utf-8")
    messages = [d.message for d in errors(root) if d.code == "E117"]
    assert any("choice id '.hidden'" in m for m in messages), messages
    assert any("scene id 'x/../y'" in m for m in messages), messages


def test_a_huge_id_is_not_echoed_whole(tmp_path: Path) -> None:
    root = story(tmp_path)
    edit(root / "story.toml", "[side.gamma]", f'[side.{"g" * 100_000}]')
    found = errors(root)
    assert any(d.code == "E117" for d in found)
    assert all(len(d.format()) < 3000 for d in found)


def test_confined_refuses_names_that_leave_the_folder(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "link").symlink_to(tmp_path)
    assert confined(folder, "a.json") == (folder / "a.json").resolve()
    for name in ("../a.json", "/etc/a.json", "link/a.json", ".", "x/../../a.json"):
        with pytest.raises(OutsideFolder):
            confined(folder, name)


def test_a_story_with_escapes_and_dotdot_ids_writes_nothing_anywhere(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The hostile author's story: every command refuses it with located errors and writes nothing."""
    root = story(tmp_path)
    edit(root / "story.toml", "[side.gamma]", '[side."../../escaped"]\nname = "E"\nstart = "alpha.start"\n\n[side.gamma]')
    with (root / "history.toml").open("a", encoding="utf-8") as f:
        f.write('\n[history."../../escaped"]\nchoices = ["rally", "fight"]\n')
    edit(root / "story.toml", 'title = "The Example"', 'title = "\\u001b]0;owned\\u0007"')
    before = sorted(p for p in tmp_path.rglob("*"))
    work = tmp_path / "work"
    work.mkdir()
    commands = [
        ["check", str(root)],
        ["check", str(root), "--format", "json"],
        ["replay", "--write-golden", str(work / "golden"), "--story", str(root)],
        ["explore", "--out", str(work / "stuck"), "--story", str(root)],
        ["new", "branch", "x", "--from", "alpha.start", "--story", str(root)],
        ["graph", "--story", str(root)],
        ["play", "--plain", "--side", "alpha", "--story", str(root), "--saves", str(work / "saves")],
    ]
    for args in commands:
        assert main(args) == 1, args
        out, err = capsys.readouterr()
        clean_output(out + err)
        for line in err.splitlines():
            assert LOCATED.match(line) or line.startswith(("boardroom", "...")) or "error" in line, line
    assert sorted(p for p in tmp_path.rglob("*") if p != work) == before
    assert not list(tmp_path.parent.glob("escaped*"))


# ----------------------------------------------------------------------------- reading, bounded


def test_a_fifo_is_refused_without_opening_it(tmp_path: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    root = story(tmp_path)
    os.mkfifo(root / "pipe.toml")
    result: list[list[Diagnostic]] = []
    worker = threading.Thread(target=lambda: result.append(errors(root)), daemon=True)
    worker.start()
    worker.join(30)
    if worker.is_alive():  # a hang: unblock the reader so the suite can go on, then fail
        fd = os.open(root / "pipe.toml", os.O_WRONLY | os.O_NONBLOCK)
        os.close(fd)
        pytest.fail("check hung on a FIFO")
    d = result[0][0]
    assert (d.code, d.path.endswith("pipe.toml"), d.line) == ("E004", True, 1)
    assert "FIFO" in d.message


def test_links_may_not_leave_the_story_folder_or_loop(tmp_path: Path) -> None:
    root = story(tmp_path)
    outside = tmp_path / "elsewhere.toml"
    outside.write_text((root / "history.toml").read_text(encoding="utf-8"), encoding="utf-8")
    (root / "history.toml").unlink()
    (root / "history.toml").symlink_to(outside)
    (root / "self.toml").symlink_to(root / "self.toml")
    (root / "zero.toml").symlink_to("/dev/zero")
    found = {Path(d.path).name: d for d in errors(root)}
    assert found["history.toml"].code == "E004" and "outside the story folder" in found["history.toml"].message
    assert found["self.toml"].code == "E004" and "loops" in found["self.toml"].message
    assert found["zero.toml"].code == "E004"
    for d in found.values():
        assert LOCATED.match(d.format())


def test_a_link_inside_the_folder_is_read(tmp_path: Path) -> None:
    root = story(tmp_path)
    (root / "parts").mkdir()
    (root / "history.toml").rename(root / "parts" / "history.data")
    (root / "history.toml").symlink_to(root / "parts" / "history.data")
    assert errors(root) == []


def test_a_file_over_the_size_limit_is_refused_before_reading(tmp_path: Path) -> None:
    root = story(tmp_path)
    with open(root / "huge.toml", "wb") as f:
        f.truncate(MAX_FILE_BYTES + 1)  # sparse: nothing is written, and nothing must be read
    d = only(root, "E005")
    assert "4 MiB" in d.message


def test_a_string_over_the_length_limit_is_refused(tmp_path: Path) -> None:
    root = story(tmp_path)
    edit(root / "story.toml", 'subtitle = "A board meeting in four scenes"', f'subtitle = "{"a" * (MAX_STRING_CHARS + 1)}"')
    d = only(root, "E005")
    assert d.line == line_starting(root / "story.toml", "subtitle = ") and "subtitle" in d.message


@pytest.mark.parametrize("value, line_of", [
    ("[" * 100_000 + "]" * 100_000, 1),
    ("[" * 40 + "]" * 40, 1),
    ("1" + "0" * 5000, 1),
    ("12345678901234567890123", 1),
    ("0x" + "f" * 40, 1),
], ids=["nested-100000", "nested-40", "int-5000-digits", "int-23-digits", "hex-160-bits"])
def test_deep_nesting_and_huge_integers_are_located_errors(tmp_path: Path, value: str, line_of: int) -> None:
    root = story(tmp_path)
    (root / "bad.toml").write_text(f"# a comment with [[[[ and 99999999999999999999999\nx = {value}\n", encoding="utf-8")
    found = [d for d in errors(root) if d.path.endswith("bad.toml")]
    assert [d.code for d in found] == ["E006"], [d.format() for d in found]
    assert found[0].line == 2


def test_a_byte_order_mark_gets_a_hint(tmp_path: Path) -> None:
    root = story(tmp_path)
    path = root / "history.toml"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    d = only(root, "E002")
    assert "byte order mark" in d.message and "UTF-8 without" in d.message


def test_a_file_name_with_an_escape_is_shown_escaped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = story(tmp_path)
    (root / "\x1b[2Jbad.toml").write_text("x = \n", encoding="utf-8")
    assert main(["check", str(root)]) == 1
    out, err = capsys.readouterr()
    clean_output(out + err)
    assert "\\x1b[2Jbad.toml" in out


# ----------------------------------------------------------------------------- the week and dates


def test_an_empty_week_is_an_error(tmp_path: Path) -> None:
    root = story(tmp_path)
    edit(root / "story.toml", "ends = 2023-11-18T00:00:00-08:00", "ends = 2023-11-16T08:00:00-08:00")
    d = only(root, "E116")
    assert "week is empty" in d.message and d.line == line_starting(root / "story.toml", "ends = ")


def test_a_scene_outside_the_week_is_an_error(tmp_path: Path) -> None:
    root = story(tmp_path)
    text = (root / "alpha.toml").read_text(encoding="utf-8")
    at = re.search(r"^at = (\S+)", text, re.M)
    assert at
    edit(root / "alpha.toml", f"at = {at.group(1)}", "at = 2023-11-20T09:00:00-08:00")
    d = only(root, "E116")
    assert "outside the story's week" in d.message


@pytest.mark.parametrize("when", ["0001-01-01T00:00:00+23:59", "9999-12-31T23:59:59-23:59"])
def test_extreme_dates_in_a_story_are_errors_not_tracebacks(tmp_path: Path, when: str) -> None:
    root = story(tmp_path)
    edit(root / "story.toml", "begins = 2023-11-16T08:00:00-08:00", f"begins = {when}")
    d = only(root, "E116")
    assert "year" in d.message


# ----------------------------------------------------------------------------- output files


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
@pytest.mark.parametrize("command", [["graph", "-o"], ["schema", "-o"]])
def test_an_output_fifo_is_refused_not_waited_on(tmp_path: Path, command: list[str],
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    fifo = tmp_path / "out.txt"
    os.mkfifo(fifo)
    result: list[int] = []
    worker = threading.Thread(target=lambda: result.append(main(command + [str(fifo), "--story", str(EXAMPLE)])),
                              daemon=True)
    worker.start()
    worker.join(30)
    if worker.is_alive():
        fd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
        os.close(fd)
        pytest.fail(f"{command[0]} -o hung on a FIFO")
    assert result == [1]
    assert "not a regular file" in capsys.readouterr().err


def test_shown_neutralises_and_caps() -> None:
    assert shown("a\x1b[2Jb\u202ec\n", 100) == "a\\x1b[2Jb\\u202ec\\n"
    assert shown("x" * 1000, 10).startswith("x" * 10 + "… (990 more")
    assert not forbidden().search(shown("".join(map(chr, range(0x2100))), None))
    assert shown("\ud800") == "\\ud800"



# ----------------------------------------------------------------------------- linear corners


MANY_WAYS = """\
[story]
id = "ways"
title = "Ways"
begins = 2023-11-16T08:00:00-08:00
ends = 2023-11-18T00:00:00-08:00

[side.a]
name = "A"
start = "a.start"

[var.n]
label = "N"
min = 0
max = 50
start = 0

[scene."a.start"]
side = "a"
at = 2023-11-16T09:00:00-08:00
title = "Start"
provenance = "counterfactual"
text = "Count."

[[scene."a.start".choice]]
id = "more"
text = "One more."
goto = "a.start"
add = { n = 1 }
if = "n < 50"

[[scene."a.start".choice]]
id = "stop"
text = "Stop."
goto = "a.end"

[scene."a.end"]
side = "a"
at = 2023-11-16T10:00:00-08:00
title = "End"
provenance = "counterfactual"
text = "Done."

[scene."a.end".ending]
title = "Done"
history = "It ended."
score = 5.0
"""


def test_exploration_builds_one_path_per_ending_not_one_per_ending_state(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Many ways reach the one ending; a path for each ending state made exploration quadratic."""
    import game.engine.explore as explore
    from game.engine import load_story

    (tmp_path / "ways").mkdir()
    (tmp_path / "ways" / "story.toml").write_text(MANY_WAYS, encoding="utf-8")
    story = load_story(tmp_path / "ways")
    built: list[int] = []
    real = explore._path

    def counting(parent, via, index):  # type: ignore[no-untyped-def]
        built.append(index)
        return real(parent, via, index)

    monkeypatch.setattr(explore, "_path", counting)
    report = explore.explore_side(story, "a")
    assert report.states >= 52 and list(report.endings) == ["a.end"]
    assert len(built) == 1 and report.endings["a.end"] == ("stop",)


def test_a_huge_word_is_wrapped_without_textwraps_slicing(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    """textwrap slices a long word once per line (quadratic); every wrap goes through `paragraphs.wrap`."""
    import textwrap

    from game.paragraphs import fill

    def refuse(*_args: object) -> None:
        raise AssertionError("textwrap's long-word slicing was used")

    monkeypatch.setattr(textwrap.TextWrapper, "_handle_long_word", refuse)
    lines = fill("y" * 200_000, 78, subsequent_indent="  ").split("\n")
    assert all(len(line) <= 78 for line in lines) and sum(len(line.strip()) for line in lines) == 200_000
    root = story(tmp_path)
    edit(root / "alpha.toml", "You sit at the long table.", "z" * (MAX_STRING_CHARS - 100))
    from game.engine import choose, load_story, new_state
    from game.runs import run_from_state, write_run

    loaded = load_story(root)
    write_run(run_from_state(loaded, choose(loaded, new_state(loaded, "alpha"), "rally")), tmp_path / "run.json")
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO("1\n"))
    for args in (["replay", str(tmp_path / "run.json")], ["play", "--plain", "--side", "alpha",
                                                          "--saves", str(tmp_path / "saves")]):
        assert main(args + ["--story", str(root)]) == 0
        assert "z" * 70 in capsys.readouterr().out
