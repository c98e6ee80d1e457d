"""`boardroom check`: every error code on a story broken on purpose, at the right line; every warning.

Each broken story starts from the small valid story below and breaks one thing. The expected
line is found by a marker in the broken file, so the tests say what an author would look at:
"the error points at the line with `gotoo`".
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Callable, Optional, Union

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from game.commands.check import check
from game.engine.diagnostics import Diagnostic
from game.engine.lint import WARNINGS, LintCache

STORY = """\
[story]
id = "mini"
title = "Mini"
begins = 2023-11-16T08:00:00-08:00
ends = 2023-11-18T00:00:00-08:00

[side.a]
name = "A"
role = "Chief"
start = "a.start"

[var.trust]
label = "Trust"
min = 0
max = 10
start = 5

[var.signed]
label = "Signed"
type = "bool"
start = false

[source.memo]
outlet = "Paper"
title = "Memo"
date = 2023-11-17
"""

SCENES = """\
[scene."a.start"]
side = "a"
at = 2023-11-16T09:00:00-08:00
title = "Start"
provenance = "reported"
sources = ["memo"]
text = "You begin."

[[scene."a.start".choice]]
id = "go"
text = "Go."
goto = "a.end"
if = "trust >= 3 and not signed"
add = { trust = 1 }

[[scene."a.start".choice]]
id = "sign"
text = "Sign."
goto = "a.end"
set = { signed = true }

[scene."a.end"]
side = "a"
at = 2023-11-17T09:00:00-08:00
title = "End"
provenance = "counterfactual"
text = "It ends."

[scene."a.end".ending]
title = "The end"
history = "It ended."
score = 5.0
historical = true
"""

HISTORY = """\
[history.a]
choices = ["sign"]
"""

Files = dict[str, Union[str, bytes]]


def base() -> Files:
    return {"story.toml": STORY, "a.toml": SCENES, "history.toml": HISTORY}


def write(root: Path, files: Files) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def replace(files: Files, name: str, old: str, new: str) -> Files:
    text = files[name]
    assert isinstance(text, str) and old in text, f"{old!r} not in {name}"
    return {**files, name: text.replace(old, new, 1)}


def line_of(text: str, marker: Marker, occurrence: int = 1) -> int:
    """1-based line of the `occurrence`-th line containing `marker` (1 for no marker)."""
    if marker is None:
        return 1
    if isinstance(marker, tuple):
        marker, occurrence = marker
    hits = [i for i, line in enumerate(text.splitlines(), 1) if marker in line]
    assert len(hits) >= occurrence, f"{marker!r} occurs {len(hits)} times"
    return hits[occurrence - 1]


# one case per way to break a story: (name, files, code, file the error is in, marker on its line, message part)
Marker = Union[None, str, tuple[str, int]]
Case = tuple[str, Callable[[], Files], str, str, Marker, str]

CASES: list[Case] = [
    ("toml-syntax", lambda: replace(base(), "a.toml", 'title = "Start"', 'title = "Start'),
     "E001", "a.toml", 'title = "Start', "TOML syntax"),
    ("key-given-twice", lambda: replace(base(), "a.toml", 'title = "End"', 'title = "End"\ntitle = "Again"'),
     "E001", "a.toml", 'title = "Again"', "key 'title' is given twice"),
    ("not-utf8", lambda: {**base(), "b.toml": b'# notes\n# more\ntitle = "caf\xe9"\n'},
     "E002", "b.toml", "title", "not UTF-8"),
    ("no-story-table", lambda: replace(base(), "story.toml", '[story]\nid = "mini"\ntitle = "Mini"\n'
                                       'begins = 2023-11-16T08:00:00-08:00\nends = 2023-11-18T00:00:00-08:00\n', ""),
     "E003", "a.toml", None, "no [story] table"),
    ("unknown-key", lambda: replace(base(), "a.toml", 'goto = "a.end"\nset', 'gotoo = "a.end"\nset'),
     "E101", "a.toml", "gotoo", "unknown key 'gotoo' (did you mean 'goto'?)"),
    ("unknown-table", lambda: {**base(), "b.toml": '# extra\n[scenes."a.x"]\ntitle = "x"\n'},
     "E101", "b.toml", "[scenes.", "unknown table 'scenes'"),
    ("wrong-type", lambda: replace(base(), "a.toml", "score = 5.0", 'score = "high"'),
     "E102", "a.toml", "score =", "score"),
    ("missing-key", lambda: replace(base(), "a.toml", 'text = "It ends."\n', ""),
     "E103", "a.toml", '[scene."a.end"]', "missing required key 'text'"),
    ("goto-unknown-scene", lambda: replace(base(), "a.toml", 'goto = "a.end"\nset', 'goto = "a.ned"\nset'),
     "E104", "a.toml", '"a.ned"', "unknown scene 'a.ned' (did you mean 'a.end'?)"),
    ("duplicate-scene-across-files", lambda: {**base(), "b.toml": "# copy\n" + SCENES[SCENES.index('[scene."a.end"]'):]},
     "E105", "b.toml", '[scene."a.end"]', "duplicate scene 'a.end' (first defined at "),
    ("duplicate-table-same-file", lambda: replace(base(), "a.toml", "[scene.\"a.end\".ending]",
                                                  "[scene.\"a.start\"]\nnote = \"x\"\n\n[scene.\"a.end\".ending]"),
     "E105", "a.toml", ('[scene."a.start"]', 2), "duplicate table scene 'a.start' in the same file (first at line 1)"),
    ("duplicate-choice", lambda: replace(base(), "a.toml", 'id = "sign"', 'id = "go"'),
     "E106", "a.toml", ('id = "go"', 2), "two choices with id 'go' (the other at line 10)"),
    ("unknown-source", lambda: replace(base(), "a.toml", 'sources = ["memo"]', 'sources = ["mem"]'),
     "E107", "a.toml", "sources =", "unknown source 'mem' (did you mean 'memo'?)"),
    ("side-start-unknown", lambda: replace(base(), "story.toml", 'start = "a.start"', 'start = "a.begin"'),
     "E108", "story.toml", 'start = "a.begin"', "side 'a' starts at unknown scene 'a.begin'"),
    ("scene-of-unknown-side", lambda: replace(base(), "a.toml", 'side = "a"', 'side = "b"'),
     "E109", "a.toml", 'side = "b"', "unknown side 'b'"),
    ("history-of-unknown-side", lambda: replace(base(), "history.toml", "[history.a]", "[history.z]"),
     "E109", "history.toml", "[history.z]", "history for unknown side 'z'"),
    ("history-does-not-fit", lambda: replace(base(), "history.toml", '["sign"]', '["fly"]'),
     "E111", "history.toml", "choices =", "stops fitting at step 1"),
    ("ending-with-choices", lambda: replace(base(), "a.toml", "historical = true",
                                            'historical = true\n\n[[scene."a.end".choice]]\nid = "x"\ntext = "x"\ngoto = "a.start"'),
     "E112", "a.toml", '[scene."a.end".ending]', "is an ending but has 1 choice"),
    ("dead-end", lambda: {**base(), "b.toml": '[scene."a.stuck"]\nside = "a"\nat = 2023-11-16T10:00:00-08:00\n'
                                              'title = "Stuck"\nprovenance = "counterfactual"\ntext = "Nothing."\n'},
     "E113", "b.toml", '[scene."a.stuck"]', "no choices and no [ending] table"),
    ("extend-unknown-scene", lambda: {**base(), "b.toml": '# branch\n[[extend."a.strat".choice]]\nid = "x"\n'
                                                          'text = "X."\ngoto = "a.end"\n'},
     "E114", "b.toml", "[[extend.", "unknown scene 'a.strat' (did you mean 'a.start'?)"),
    ("start-out-of-range", lambda: replace(base(), "story.toml", "start = 5", "start = 50"),
     "E201", "story.toml", "start = 50", "start 50, outside its range 0..10"),
    ("effect-unknown-variable", lambda: replace(base(), "a.toml", "add = { trust = 1 }", "add = { trusts = 1 }"),
     "E202", "a.toml", "trusts", "unknown variable 'trusts' (did you mean 'trust'?)"),
    ("effect-wrong-for-variable", lambda: replace(base(), "a.toml", "set = { signed = true }", "add = { signed = 1 }"),
     "E203", "a.toml", "add = { signed", "cannot add to bool variable 'signed'"),
    ("min-above-max", lambda: replace(base(), "story.toml", "min = 0\nmax = 10", "min = 10\nmax = 0"),
     "E205", "story.toml", "min = 10", "min 10 above max 0"),
    ("condition-syntax", lambda: replace(base(), "a.toml", 'if = "trust >= 3 and not signed"', 'if = "trust >= "'),
     "E301", "a.toml", "if =", "condition ends too early"),
    ("condition-unknown-variable", lambda: replace(base(), "a.toml", "trust >= 3 and", "trus >= 3 and"),
     "E302", "a.toml", "if =", "unknown variable 'trus' (did you mean 'trust'?)"),
    ("condition-type-mismatch", lambda: replace(base(), "a.toml", 'if = "trust >= 3 and not signed"', 'if = "trust and 3"'),
     "E303", "a.toml", "if =", "'and' needs bool but 'trust' is int"),
    ("seen-unknown-scene", lambda: replace(base(), "a.toml", "not signed", "not seen('a.middle')"),
     "E304", "a.toml", "if =", "seen() names unknown scene 'a.middle'"),
    ("unquoted-dotted-header", lambda: replace(base(), "a.toml", '[scene."a.end"]\n', "[scene.a.end]\n"),
     "E115", "a.toml", "[scene.a.end]", 'quote the id: [scene."a.end"]'),
    ("unquoted-dotted-choice-header", lambda: replace(base(), "a.toml", '[[scene."a.start".choice]]\nid = "sign"',
                                                      '[[scene.a.start.choice]]\nid = "sign"'),
     "E115", "a.toml", "[[scene.a.start.choice]]", 'quote the id: [[scene."a.start".choice]]'),
    ("condition-single-equals", lambda: replace(base(), "a.toml", "trust >= 3 and", "trust = 3 and"),
     "E301", "a.toml", "if =", "write '==' to compare"),
    ("condition-double-ampersand", lambda: replace(base(), "a.toml", "trust >= 3 and", "trust >= 3 &&"),
     "E301", "a.toml", "if =", "write 'and' instead of '&&'"),
    ("condition-double-bar", lambda: replace(base(), "a.toml", "trust >= 3 and", "trust >= 3 ||"),
     "E301", "a.toml", "if =", "write 'or' instead of '||'"),
    ("seen-unquoted-id", lambda: replace(base(), "a.toml", "not signed", "not seen(a.start)"),
     "E301", "a.toml", "if =", "seen() takes a scene id in quotes: seen('a.start')"),
    ("seen-misspelt-scene", lambda: replace(base(), "a.toml", "not signed", "not seen('a.strat')"),
     "E304", "a.toml", "if =", "unknown scene 'a.strat' (did you mean 'a.start'?)"),
    ("text-stray-brace", lambda: replace(base(), "a.toml", 'text = "It ends."', 'text = """\nIt ends.\n\nA {brace} here."""'),
     "E310", "a.toml", "A {brace}", "unknown tag {brace}"),
    ("text-unclosed-passage", lambda: replace(base(), "a.toml", 'text = "It ends."',
                                              'text = """\nIt ends.\n{if trust > 3}\nWell."""'),
     "E311", "a.toml", "{if trust", "{if} is never closed"),
    ("text-else-without-if", lambda: replace(base(), "a.toml", 'text = "You begin."', 'text = "You begin.{else}"'),
     "E311", "a.toml", "{else}", "{else} without an {if}"),
    ("text-unknown-variable", lambda: replace(base(), "a.toml", 'text = "It ends."',
                                              'text = """\nIt ends.\n\n{if trusts > 3}Well.{end}"""'),
     "E302", "a.toml", "{if trusts", "unknown variable 'trusts' (did you mean 'trust'?)"),
    ("text-type-mismatch", lambda: replace(base(), "a.toml", 'text = "Go."', 'text = "Go{if signed > 1} now{end}."'),
     "E303", "a.toml", 'text = "Go{if', "'>' needs int but 'signed' is bool"),
    ("outcome-unknown-scene", lambda: replace(base(), "a.toml", 'text = "Sign."',
                                              'text = "Sign."\noutcome = """\nDone.\n{if seen(\'a.mid\')}x{end}"""'),
     "E304", "a.toml", "{if seen(", "seen() names unknown scene 'a.mid'"),
    ("headline-unknown-label", lambda: replace(base(), "a.toml", 'text = "You begin."',
                                               'text = "You begin."\nheadline = "News: {label trus}"'),
     "E302", "a.toml", "headline =", "unknown variable 'trus'"),
    ("quoted-number", lambda: replace(base(), "story.toml", "start = 5", 'start = "5"'),
     "E102", "story.toml", 'start = "5"', "start should be a number or true/false, without quotes (got '5')"),
    ("quoted-boolean", lambda: replace(base(), "a.toml", 'goto = "a.end"\nset', 'goto = "a.end"\nhidden = "no"\nset'),
     "E102", "a.toml", 'hidden = "no"', "hidden input should be a valid boolean, without quotes (got 'no')"),
    ("quoted-number-in-effect", lambda: replace(base(), "a.toml", "add = { trust = 1 }", 'add = { trust = "1" }'),
     "E102", "a.toml", 'add = { trust = "1" }', "should be a valid integer, without quotes (got '1')"),
    ("unclosed-multiline-string", lambda: replace(base(), "a.toml", 'text = "You begin."', 'text = """\nYou begin.'),
     "E001", "a.toml", 'text = """', 'the """ string opened here is never closed'),
]


def test_an_unquoted_dotted_header_gives_one_error_not_a_cascade(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / "story", replace(base(), "a.toml", '[scene."a.end"]\n', "[scene.a.end]\n"))
    monkeypatch.chdir(tmp_path)
    (d,) = check("story")
    assert (d.code, d.col) == ("E115", len("[scene.") + 1)


def test_the_base_story_is_clean(tmp_path: Path) -> None:
    assert check(str(write(tmp_path / "s", base()))) == []


def test_at_least_fifteen_distinct_broken_stories_and_every_error_code() -> None:
    codes = {case[2] for case in CASES}
    assert len(CASES) >= 15
    assert codes >= {"E115", "E001", "E002", "E003", "E101", "E102", "E103", "E104", "E105", "E106", "E107", "E108",
                     "E109", "E111", "E112", "E113", "E114", "E201", "E202", "E203", "E205",
                     "E301", "E302", "E303", "E304", "E310", "E311"}


@pytest.mark.parametrize("name, make, code, file, marker, words", CASES, ids=[c[0] for c in CASES])
def test_broken_story_reports_the_code_at_the_line(tmp_path: Path, name: str, make: Callable[[], Files],
                                                   code: str, file: str, marker: Marker, words: str,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    files = make()
    root = write(tmp_path / "story", files)
    monkeypatch.chdir(tmp_path)
    found = check("story")
    errors = [d for d in found if d.severity == "error"]
    assert errors, f"{name}: no error reported"
    hit = [d for d in errors if d.code == code]
    assert hit, f"{name}: expected {code}, got {[d.format() for d in errors]}"
    d = hit[0]
    assert d.path == f"story/{file}"
    content = files[file]
    text = content.decode("utf-8", "replace") if isinstance(content, bytes) else content
    expected_line = line_of(text, marker)
    assert d.line == expected_line, d.format()
    assert words in d.message, d.format()
    # one line each, in the compiler's format
    assert "\n" not in d.format() and d.format().startswith(f"story/{file}:{expected_line}:")
    assert root.is_dir()


@pytest.mark.parametrize("value, marker", [
    ('"""\nIt ends.\n\n  Then {if trust >> 3}x{end}."""', ">> 3"),
    ('"It ends.\\n\\tThen {if trust >> 3}x{end}."', ">> 3"),
    ("'''\nIt ends.\n    {if trust >> 3}x{end}'''", ">> 3"),
    ('"""It ends. \\\n      Then {if trust >> 3}x{end}."""', ">> 3"),
])
def test_text_errors_point_at_the_character_inside_the_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                            value: str, marker: str) -> None:
    """Multi-line strings, escapes and line-ending backslashes: the column is the offending character's."""
    files = replace(base(), "a.toml", 'text = "It ends."', f"text = {value}")
    write(tmp_path / "story", files)
    monkeypatch.chdir(tmp_path)
    (d,) = [d for d in check("story") if d.severity == "error"]
    src = str(files["a.toml"]).splitlines()[d.line - 1]
    assert d.code == "E301" and src[d.col - 1:].startswith(">"), (d.format(), src)
    assert src[d.col - 1:].startswith(marker[1:]) or src[d.col - 2:].startswith(marker), (d.format(), src)


def test_condition_errors_point_at_the_column_in_the_condition(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = replace(base(), "a.toml", "trust >= 3 and", "trust >= 3 and trus >= 1 and")
    write(tmp_path / "story", files)
    monkeypatch.chdir(tmp_path)
    (d,) = [d for d in check("story") if d.code == "E302"]
    src = str(files["a.toml"]).splitlines()[d.line - 1]
    assert src[d.col - 1:].startswith("trus >= 1"), (src, d.col)


def test_every_problem_is_reported_in_one_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = replace(base(), "a.toml", 'goto = "a.end"\nset', 'goto = "a.ned"\nset')
    files = replace(files, "a.toml", 'sources = ["memo"]', 'sources = ["mem"]')
    files = replace(files, "story.toml", "start = 5", "start = 50")
    write(tmp_path / "story", files)
    monkeypatch.chdir(tmp_path)
    codes = sorted(d.code for d in check("story") if d.severity == "error")
    assert codes == ["E104", "E107", "E201"]


def test_a_file_that_does_not_parse_hides_no_cascade_of_unknown_scenes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # a.toml is broken, so its scenes are unknown: only the syntax error is worth reading
    write(tmp_path / "story", replace(base(), "a.toml", 'title = "Start"', 'title = "Start'))
    monkeypatch.chdir(tmp_path)
    assert [d.code for d in check("story")] == ["E001"]


def test_a_broken_variable_is_reported_once_not_at_every_use(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / "story", replace(base(), "story.toml", 'label = "Trust"', "label = 3"))
    monkeypatch.chdir(tmp_path)
    errors = [d for d in check("story") if d.severity == "error"]
    assert [d.code for d in errors] == ["E102"], [d.format() for d in errors]
    assert "variable 'trust'" in errors[0].message


def test_extend_adds_choices_to_a_scene_in_another_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from game.engine import choose, load_story, new_state

    branch = '[[extend."a.start".choice]]\nid = "wait"\ntext = "Wait."\ngoto = "a.end"\nadd = { trust = -1 }\n'
    write(tmp_path / "story", {**base(), "branch.toml": branch})
    monkeypatch.chdir(tmp_path)
    assert check("story") == []
    story = load_story("story")
    assert [c.id for c in story.scenes["a.start"].choices] == ["go", "sign", "wait"]
    assert choose(story, new_state(story, "a"), "wait").vars(story)["trust"] == 4


def test_extend_reuses_a_choice_id_names_both_places(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    branch = '# branch\n[[extend."a.start".choice]]\nid = "sign"\ntext = "Sign."\ngoto = "a.end"\n'
    write(tmp_path / "story", {**base(), "branch.toml": branch})
    monkeypatch.chdir(tmp_path)
    (d,) = [d for d in check("story") if d.severity == "error"]
    assert d.code == "E106" and d.path == "story/branch.toml" and d.line == 3
    sign = line_of(SCENES, 'id = "sign"')
    assert f"story/a.toml:{sign}" in d.message


def test_extend_cannot_add_choices_to_an_ending(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    branch = '# branch\n[[extend."a.end".choice]]\nid = "again"\ntext = "Again."\ngoto = "a.start"\n'
    write(tmp_path / "story", {**base(), "branch.toml": branch})
    monkeypatch.chdir(tmp_path)
    (d,) = [d for d in check("story") if d.severity == "error"]
    assert (d.code, d.path, d.line) == ("E112", "story/branch.toml", 2)


# ----------------------------------------------------------------------------- warnings

SIDE_SCENE = """
[scene."a.{name}"]
side = "a"
at = 2023-11-16T10:00:00-08:00
title = "{title}"
provenance = "{provenance}"
text = "{text}"
"""


def scene(name: str, *, title: str = "T", provenance: str = "counterfactual", text: str = "x",
          choices: tuple[tuple[str, str, str], ...] = (), ending: bool = False) -> str:
    out = SIDE_SCENE.format(name=name, title=title, provenance=provenance, text=text)
    for cid, goto, cond in choices:
        out += f'\n[[scene."a.{name}".choice]]\nid = "{cid}"\ntext = "{cid}"\ngoto = "{goto}"\n'
        if cond:
            out += f'if = "{cond}"\n'
    if ending:
        out += f'\n[scene."a.{name}".ending]\ntitle = "E {name}"\nhistory = "h"\nscore = 1.0\n'
    return out


WARNING_CASES: list[tuple[str, Callable[[], Files], str, str, str]] = [
    ("unreachable-scene", lambda: {**base(), "b.toml": scene("lost", choices=(("back", "a.end", ""),))},
     "W101", '[scene."a.lost"]', "cannot be reached from any side's start"),
    ("unused-variable", lambda: replace(base(), "story.toml", "[source.memo]",
                                        '[var.idle]\nlabel = "Idle"\nstart = 1\n\n[source.memo]'),
     "W102", "[var.idle]", "never changed or tested"),
    ("unused-source", lambda: replace(base(), "story.toml", "[source.memo]",
                                      '[source.other]\noutlet = "O"\ntitle = "T"\ndate = 2023-11-17\n\n[source.memo]'),
     "W103", "[source.other]", "never cited"),
    ("reported-without-source", lambda: replace(base(), "a.toml", 'sources = ["memo"]\n', ""),
     "W104", 'provenance = "reported"', "cites no sources"),
    ("unreachable-ending", lambda: {**base(), "b.toml": scene("alt", ending=True)},
     "W105", '[scene."a.alt"]', "ending 'a.alt' cannot be reached"),
    ("todo-text", lambda: replace(base(), "a.toml", 'text = "It ends."', 'text = "TODO: write the end."'),
     "W106", "TODO: write", "still has TODO text"),
    ("every-choice-conditional", lambda: replace(base(), "a.toml", 'goto = "a.end"\nset = { signed = true }',
                                                 'goto = "a.end"\nif = "not signed"\nset = { signed = true }'),
     "W107", "trust >= 3", "every choice in 'a.start' has a condition"),
    ("no-way-to-an-ending", lambda: replace({**base(), "b.toml": scene("loop", choices=(("again", "a.loop", ""),))},
                                            "a.toml", 'goto = "a.end"\nif', 'goto = "a.loop"\nif'),
     "W108", '[scene."a.loop"]', "no ending can be reached from scene 'a.loop'"),
    ("condition-never-holds", lambda: replace(base(), "a.toml", "trust >= 3 and", "trust > 10 and"),
     "W110", 'if = "trust > 10', "can never hold (signed is true or false; trust is 0..10)"),
    ("condition-always-holds", lambda: replace(base(), "a.toml", 'if = "trust >= 3 and not signed"', 'if = "trust >= 0"'),
     "W111", 'if = "trust >= 0"', "always holds (trust is 0..10), so the choice is never locked"),
    ("locked-without-if", lambda: replace(base(), "a.toml", "set = { signed = true }",
                                          'set = { signed = true }\nlocked = "Not yet."'),
     "W112", "locked =", "has locked but no if"),
    ("hidden-without-if", lambda: replace(base(), "a.toml", "set = { signed = true }",
                                          "set = { signed = true }\nhidden = true"),
     "W112", "hidden =", "has hidden but no if"),
    ("back-in-time", lambda: replace(base(), "a.toml", "at = 2023-11-17T09:00:00-08:00", "at = 2023-11-16T08:30:00-08:00"),
     "W113", 'goto = "a.end"', "leads back in time: 'a.end' is at Thu 16 Nov 08:30, before 'a.start'"),
    ("another-sides-ending", lambda: replace(
        replace({**base(), "b.toml": '[scene."b.end"]\nside = "b"\nat = 2023-11-17T09:00:00-08:00\ntitle = "B"\n'
                                     'provenance = "counterfactual"\ntext = "B ends."\n\n[scene."b.end".ending]\n'
                                     'title = "B end"\nhistory = "h"\nscore = 1.0\n'},
                "story.toml", "[var.trust]", '[side.b]\nname = "B"\nstart = "b.end"\n\n[var.trust]'),
        "a.toml", 'goto = "a.end"\nif', 'goto = "b.end"\nif'),
     "W115", 'goto = "b.end"', "leads to 'b.end', an ending of side 'b'"),
    ("tested-never-changed", lambda: replace(base(), "a.toml", "add = { trust = 1 }\n", ""),
     "W109", "[var.trust]", "tested but no choice changes it"),
    ("link-to-a-content-farm", lambda: linked('url = "https://morning-news.example/copy-of-memo"'),
     "W120", "url = ", "neither Paper's own site (paper.example) nor a listed partner's"),
    ("partner-copy-unlabelled", lambda: linked('url = "https://www.wire-daily.example/memo"'),
     "W121", "url = ", "add read_at = \"Wire Daily\""),
    ("passage-never-shows", lambda: replace(base(), "a.toml", 'text = "It ends."',
                                            'text = """\nIt ends.\n{if trust > 10}\nNever.\n{end}"""'),
     "W116", "{if trust > 10}", "can never show: its condition never holds (trust is 0..10)"),
    ("passage-branches-alike", lambda: replace(base(), "a.toml", 'text = "It ends."',
                                               'text = "It ends.{if signed} Same.{else} Same.{end}"'),
     "W117", 'text = "It ends.{if', "every branch of this passage shows the same text"),
    ("outcome-and-passage-on-one-flag", lambda: replace(
        replace(base(), "a.toml", 'set = { signed = true }\n', 'set = { signed = true }\noutcome = "You sign it."\n'),
        "a.toml", 'text = "It ends."', 'text = "It ends.{if signed} You signed.{end}"'),
     "W118", 'outcome = "You sign it."', "already varies on 'signed', which the choice sets"),
]

OUTLETS = """
[outlet."Paper"]
domains = ["paper.example"]

[partner."Wire Daily"]
domains = ["wire-daily.example"]
carries = ["Paper"]
"""


def linked(*lines: str) -> Files:
    """The base story with the outlet table above and `lines` added to its one source."""
    files = replace(base(), "story.toml", 'title = "Memo"\n', 'title = "Memo"\n' + "".join(l + "\n" for l in lines))
    files["outlets.toml"] = OUTLETS
    return files


@pytest.mark.parametrize("lines", [
    ('url = "https://paper.example/2023/memo"',),
    ('url = "https://www.paper.example/2023/memo"',),
    ('url = "https://wire-daily.example/memo"', 'read_at = "Wire Daily"'),
    (),
], ids=["publisher", "publisher-subdomain", "labelled-partner-copy", "no-link"])
def test_honest_links_pass(tmp_path: Path, lines: tuple[str, ...]) -> None:
    write(tmp_path / "story", linked(*lines))
    assert [d.format() for d in check(str(tmp_path / "story")) if d.code in ("W120", "W121")] == []


@pytest.mark.parametrize("lines, code, words", [
    (('url = "https://paper.example/memo"', 'read_at = "Wire Daily"'), "W121", "Paper's own site"),
    (('url = "https://wire-daily.example/memo"', 'read_at = "Wire Weekly"'), "W120", "not a listed [partner]"),
    (('url = "https://morning-news.example/memo"', 'read_at = "Wire Daily"'), "W120", "not at wire-daily.example"),
    (('read_at = "Wire Daily"',), "W121", "has no url"),
    (('url = "javascript:alert(1)"',), "W120", "not an http(s) address"),
], ids=["publisher-called-a-copy", "unknown-partner", "copy-elsewhere", "read-at-without-url", "not-http"])
def test_dishonest_links_warn(tmp_path: Path, lines: tuple[str, ...], code: str, words: str) -> None:
    write(tmp_path / "story", linked(*lines))
    found = [d for d in check(str(tmp_path / "story")) if d.code in ("W120", "W121")]
    assert [d.code for d in found] == [code] and words in found[0].message, [d.format() for d in found]


def test_a_partner_copy_of_an_outlet_it_does_not_carry_warns(tmp_path: Path) -> None:
    files = linked('url = "https://wire-daily.example/memo"', 'read_at = "Wire Daily"')
    files["story.toml"] = str(files["story.toml"]).replace('outlet = "Paper"', 'outlet = "Gazette"')
    files["outlets.toml"] = OUTLETS + '\n[outlet."Gazette"]\ndomains = ["gazette.example"]\n'
    write(tmp_path / "story", files)
    found = [d for d in check(str(tmp_path / "story")) if d.code == "W120"]
    assert len(found) == 1 and "not listed as carrying 'Gazette'" in found[0].message


@pytest.mark.parametrize("name, make, code, marker, words", WARNING_CASES, ids=[c[0] for c in WARNING_CASES])
def test_warning_at_the_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, make: Callable[[], Files],
                             code: str, marker: str, words: str) -> None:
    files = make()
    write(tmp_path / "story", files)
    monkeypatch.chdir(tmp_path)
    found = check("story")
    assert not [d for d in found if d.severity == "error"], [d.format() for d in found]
    hit = [d for d in found if d.code == code]
    assert hit, f"{name}: expected {code}, got {[d.format() for d in found]}"
    d = hit[0]
    text = str(files[Path(d.path).name])
    assert d.line == line_of(text, marker), d.format()
    assert words in d.message and d.severity == "warning"


def test_every_warning_code_has_a_case_and_a_place_in_the_guide() -> None:
    assert {c[2] for c in WARNING_CASES} == set(WARNINGS)
    guide = (Path(__file__).parent.parent / "story" / "README.md").read_text(encoding="utf-8")
    codes = {c[2] for c in CASES} | set(WARNINGS)
    missing = sorted(c for c in codes if f"`{c}`" not in guide)
    assert not missing, f"story/README.md does not document {missing}"


def test_warnings_do_not_fail_the_check(tmp_path: Path) -> None:
    root = write(tmp_path / "story", replace(base(), "a.toml", 'text = "It ends."', 'text = "TODO"'))
    out = boardroom("check", str(root))
    assert out.returncode == 0
    assert "warning[W106]" in out.stdout and "0 errors, 1 warning" in out.stderr
    strict = boardroom("check", "--strict", str(root))
    assert strict.returncode == 1
    assert "0 errors, 1 warning (--strict: warnings fail the check)" in strict.stderr
    assert boardroom("check", "--strict", str(write(tmp_path / "clean", base()))).returncode == 0


def test_strict_check_fails_on_warnings_and_passes_a_clean_story(tmp_path: Path) -> None:
    root = write(tmp_path / "story", linked('url = "https://morning-news.example/copy-of-memo"'))
    out = boardroom("check", "--strict", str(root))
    assert out.returncode == 1 and "warning[W120]" in out.stdout and "0 errors, 1 warning" in out.stderr
    clean = write(tmp_path / "clean", linked('url = "https://paper.example/memo"'))
    assert boardroom("check", "--strict", str(clean)).returncode == 0


# ----------------------------------------------------------------------------- through the command


def boardroom(*args: str, cwd: Optional[Path] = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "game", *args], capture_output=True, text=True, timeout=60, cwd=cwd)


@pytest.mark.parametrize("index", [0, 4, 8, 13, 24])
def test_check_command_prints_one_line_per_error_and_exits_1(tmp_path: Path, index: int) -> None:
    name, make, code, file, marker, words = CASES[index]
    files = make()
    write(tmp_path / "story", files)
    out = boardroom("check", "story", cwd=tmp_path)
    assert out.returncode == 1, out
    assert "Traceback" not in out.stderr + out.stdout
    content = files[file]
    text = content.decode("utf-8", "replace") if isinstance(content, bytes) else content
    line = line_of(text, marker)
    lines = out.stdout.splitlines()
    assert any(l.startswith(f"story/{file}:{line}:") and f"error[{code}]" in l and words in l for l in lines), out.stdout
    assert "error" in out.stderr.splitlines()[-1]


def test_check_command_on_a_missing_folder(tmp_path: Path) -> None:
    out = boardroom("check", str(tmp_path / "nowhere"))
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert "error[E003] story folder" in out.stdout and "not found" in out.stdout


def test_check_json_lists_every_diagnostic(tmp_path: Path) -> None:
    files = replace(base(), "a.toml", 'goto = "a.end"\nset', 'goto = "a.ned"\nset')
    files = replace(files, "story.toml", "start = 5", "start = 50")
    write(tmp_path / "story", files)
    out = boardroom("check", "story", "--format", "json", cwd=tmp_path)
    assert out.returncode == 1
    data = json.loads(out.stdout)
    assert data["errors"] == 2 and data["warnings"] == 0
    first = data["diagnostics"][0]
    assert set(first) == {"path", "line", "col", "severity", "code", "message"}
    assert [(d["path"], d["code"]) for d in data["diagnostics"]] == [("story/a.toml", "E104"), ("story/story.toml", "E201")]
    assert data["diagnostics"][0]["line"] == line_of(str(files["a.toml"]), '"a.ned"')


def test_check_json_for_a_clean_story_with_warnings(tmp_path: Path) -> None:
    write(tmp_path / "story", replace(base(), "a.toml", 'text = "It ends."', 'text = "TODO"'))
    out = boardroom("check", "story", "--format", "json", cwd=tmp_path)
    assert out.returncode == 0 and out.stderr == ""
    data = json.loads(out.stdout)
    assert data == {"errors": 0, "warnings": 1, "diagnostics": [
        {"path": "story/a.toml", "line": line_of(SCENES, 'text = "It ends."'), "col": 1, "severity": "warning",
         "code": "W106", "message": "scene 'a.end' still has TODO text in its text"}]}


def test_diagnostics_sort_by_file_and_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = replace(base(), "a.toml", 'goto = "a.end"\nset', 'goto = "a.ned"\nset')
    files = replace(files, "a.toml", 'sources = ["memo"]', 'sources = ["mem"]')
    write(tmp_path / "story", files)
    monkeypatch.chdir(tmp_path)
    found = check("story")
    assert found == sorted(found, key=lambda d: (d.path, d.line, d.col, d.code))
    assert all(isinstance(d, Diagnostic) for d in found)


def test_an_editor_check_reusing_its_cache_reports_what_a_fresh_check_does(tmp_path: Path) -> None:
    """The language server keeps parsed files and compiled scenes between checks; edit after edit,
    unsaved (an overlay), it must find exactly what `boardroom check` finds on the same text."""
    from game.engine.load import ParseCache

    root = write(tmp_path / "story", base())
    a, s = (root / "a.toml").resolve(), (root / "story.toml").resolve()
    edits = [
        {a: SCENES.replace('goto = "a.end"\nset', 'goto = "a.ned"\nset')},  # E104 in one scene
        {a: SCENES},
        {s: STORY.replace("[var.trust]", "[var.trusted]")},  # every use of the variable breaks
        {s: STORY},
        {s: STORY.replace("max = 10", "max = 2")},  # a range changes: scenes compiled again
        {a: SCENES.replace('[scene."a.end"]', '[scene."a.fin"]')},  # a scene id changes
        {a: SCENES, s: STORY},
    ]
    cache, lints = ParseCache(), LintCache()
    overlay: dict[Path, str] = {}
    seen_codes: set[str] = set()
    for edit in edits:
        overlay.update(edit)
        cached, fresh = check(root, overlay, cache, lints), check(root, overlay)
        assert cached == fresh, ([d.format() for d in cached], [d.format() for d in fresh])
        seen_codes |= {d.code for d in cached}
    assert {"E104", "E302", "E201"} <= seen_codes


LOOP = '''
[scene."a.loop"]
side = "a"
at = 2023-11-16T10:00:00-08:00
title = "Loop"
provenance = "counterfactual"
text = "Round again."

[[scene."a.loop".choice]]
id = "again"
text = "Again."
goto = "a.loop"
'''

CHAIN = [f'''
[scene."a.c{i}"]
side = "a"
at = 2023-11-16T1{i}:00:00-08:00
title = "Step {i}"
provenance = "counterfactual"
text = "On."

[[scene."a.c{i}".choice]]
id = "on"
text = "On."
goto = "{'a.end' if i == 3 else f'a.c{i + 1}'}"
''' for i in (1, 2, 3)]

EXTEND = '''[[extend."a.start".choice]]
id = "wait"
text = "Wait."
goto = "a.end"
if = "trust > 8"
'''


def test_an_editor_lint_reusing_its_cache_reports_what_a_fresh_lint_does(tmp_path: Path) -> None:
    """The server's lint looks again only at the scenes an edit touched, and at the graph when
    gotos change: edits that change the graph, add and remove a TODO, change a variable's range,
    move lines, and touch a file that extends another's scene must each give what a fresh check
    gives, warnings at the same lines."""
    from game.engine.load import ParseCache

    root = write(tmp_path / "story", {"story.toml": STORY, "a.toml": SCENES, "b.toml": EXTEND})
    a, s, b = (root / "a.toml").resolve(), (root / "story.toml").resolve(), (root / "b.toml").resolve()
    c, d = (root / "c.toml").resolve(), (root / "d.toml").resolve()  # new files, not saved yet
    looped = SCENES + LOOP
    edits = [
        {a: SCENES.replace('text = "It ends."', 'text = "TODO: write the end."')},  # a TODO appears
        {a: SCENES},  # and goes
        {a: looped},  # a scene no choice leads to (W101), from which no ending is reached
        {a: looped.replace('id = "go"\ntext = "Go."\ngoto = "a.end"', 'id = "go"\ntext = "Go."\ngoto = "a.loop"')},
        {a: "# notes\n\n" + looped},  # the graph is back, and every line moves down
        {s: STORY.replace("max = 10", "max = 8", 1)},  # trust > 8 can now never hold (W110)
        {b: EXTEND.replace('text = "Wait."', 'text = "Wait. FIXME"')},  # the extending file alone
        {s: STORY.replace('start = "a.start"', 'start = "a.loop"')},  # a side starts elsewhere
        {s: STORY},
        {a: looped.replace('[scene."a.loop"]', '[scene."a.spin"]').replace('"a.loop"', '"a.spin"')},  # renamed
        {a: SCENES.replace('goto = "a.end"\nset', 'goto = "a.ned"\nset')},  # an error: no lint at all
        {a: SCENES, s: STORY, b: EXTEND},
        {c: LOOP, b: EXTEND.replace('goto = "a.end"', 'goto = "a.loop"')},
        {c: LOOP.replace("T10:00", "T08:30")},  # only the target's file changes: W113 on a.start's choice
        # a.start, a.c1, a.c2 in c.toml, a.c3 in d.toml (a file of its own: only its scene is compiled again)
        {a: SCENES.replace('goto = "a.end"\nif', 'goto = "a.c1"\nif'), b: EXTEND, c: CHAIN[0] + CHAIN[1], d: CHAIN[2]},
        {d: CHAIN[2].replace('goto = "a.end"', 'goto = "a.c3"')},  # no way out: a.c1 (not compiled again, nor
        {d: CHAIN[2]},                                            # leading to a.c3) cannot reach an ending (W108)
    ]
    cache, lints = ParseCache(), LintCache()
    overlay: dict[Path, str] = {}
    seen_codes: set[str] = set()
    for edit in edits:
        overlay.update(edit)
        cached, fresh = check(root, overlay, cache, lints), check(root, overlay)
        assert cached == fresh, ([d.format() for d in cached], [d.format() for d in fresh])
        seen_codes |= {d.code for d in cached}
    assert {"W101", "W105", "W106", "W108", "W110", "W113", "E104"} <= seen_codes


def test_a_keystroke_in_words_is_checked_quickly_and_exactly(tmp_path: Path) -> None:
    """The language server checks an edit of words only (a scene's text, a choice's outcome,
    one file) without reading the story again; what it finds must be what `boardroom check`
    finds on the same text; a choice's goto or condition is checked quickly too (see the next
    test), and an edit of names, times or two files at once must go to the full check."""
    from game.lsp.project import Project

    mood = '\n[var.mood]\nlabel = "Mood"\nmin = 0\nmax = 3\nstart = 1\n'  # used nowhere yet: W102
    root = write(tmp_path / "story", {"story.toml": STORY + mood, "a.toml": SCENES, "b.toml": EXTEND})
    a, b = (root / "a.toml").resolve(), (root / "b.toml").resolve()
    project = Project(root)
    project.check()

    def found(result: dict) -> list[Diagnostic]:
        return sorted((d for ds in result.values() for d, _s, _e in ds), key=lambda d: (d.path, d.line, d.col, d.code))

    words = [
        {a: SCENES.replace("It ends.", "It ends here.")},
        {a: SCENES.replace("It ends.", "It ends. TODO: the epilogue")},  # a warning appears
        {a: "# above the warning\n" + SCENES.replace("It ends.", "It ends. TODO: the epilogue")},  # it moves down
        {a: "# lines move down\n\n" + SCENES.replace('title = "Start"', 'title = "Start TBD"')},
        {a: SCENES.replace("It ends.", "It ends.{if mood > 1} Calmly.{end}")},  # mood is tested now: W109
        {a: SCENES},  # and no more
        {a: SCENES.replace('text = "Go."', 'text = "Go."\noutcome = "{if signed}Signed.{else}Not yet.{end}"')},
        {b: EXTEND.replace('text = "Wait."', 'text = "Wait. XXX"')},  # the file extending a scene
        {b: EXTEND},
    ]
    codes: set[str] = set()
    for edit in words:
        project.buffers.update(edit)
        quick = project.quick()
        assert quick is not None, edit
        assert found(quick) == check(root, dict(project.buffers))
        codes |= {d.code for d in found(quick)}
    assert codes == {"W102", "W106", "W109"}

    # other edits go to the full check; quick checks go on from the last clean one, while
    # nothing but the open buffers changed since
    others = [
        ({a: SCENES.replace("It ends.", "It {if trusty > 1}ends{end}.")}, True),  # words that do not compile
        ({a: SCENES.replace("It ends.", "It {if trust > 1}ends.")}, True),  # a passage not closed yet
        ({a: SCENES}, True),  # fixed: words changed since the last clean check
        ({a: SCENES.replace('title = "Start"', 'title = "Start')}, True),  # not TOML: only that is reported
        ({a: SCENES.replace('title = "Start"', 'title = "Starting"')}, True),
        ({a: SCENES.replace('goto = "a.end"\nset', 'goto = "a.ned"\nset')}, True),  # a goto to no scene: E104
        ({a: SCENES}, True),  # back to the last clean check
        ({a: SCENES.replace('goto = "a.end"\nset', 'goto = "a.start"\nset')}, True),  # a goto
        ({a: SCENES}, True),
        ({a: SCENES.replace("trust >= 3 and", "trust >= 4 and")}, True),  # a condition
        ({a: SCENES.replace('id = "go"', 'id = "went"')}, False),  # a choice's id
        ({a: SCENES}, False),  # and back: a rename again
        ({a: SCENES.replace("trust >= 3 and", "trust >= 4 and").replace("T09:00:00-08:00", "T10:00:00-08:00", 1)},
         False),  # a scene's time
        ({a: SCENES, b: EXTEND.replace("Wait.", "Hold.")}, False),  # two files at once
        ({a: SCENES.replace('title = "Start"', 'title = "Start')}, True),
    ]
    for edit, fast in others:
        project.buffers.update(edit)
        quick = project.quick()
        assert (quick is not None) == fast, edit
        assert found(quick or project.check()) == check(root, dict(project.buffers))
    (root / "story.toml").write_text(STORY.replace('role = "Chief"', 'role = "Chief TODO"'), encoding="utf-8")
    assert found(project.check()) == check(root, dict(project.buffers))  # a's error hides the new warning
    project.buffers[a] = SCENES.replace("It ends.", "It ends now.")  # the disk changed since the last clean check
    assert project.quick() is None
    assert {d.code for d in found(project.check())} == {"W106"}



SHAPE = SCENES.replace('goto = "a.end"\nif', 'goto = "a.mid"\nif') + """
[scene."a.mid"]
side = "a"
at = 2023-11-16T12:00:00-08:00
title = "Middle"
provenance = "counterfactual"
text = "Halfway."

[[scene."a.mid".choice]]
id = "on"
text = "On."
goto = "a.end"

[scene."a.alt"]
side = "a"
at = 2023-11-17T10:00:00-08:00
title = "Elsewhere"
provenance = "counterfactual"
text = "Another end."

[scene."a.alt".ending]
title = "Another end"
history = "It did not end so."
score = 3.0
"""


def test_a_keystroke_in_a_choice_s_goto_condition_or_effects_is_checked_quickly_and_exactly(tmp_path: Path) -> None:
    """A choice's goto, condition, effects or hidden flag changed in one file leaves the story's
    names as they were: the language server checks it without reading the story again, and
    what it finds (errors with their did-you-mean, scenes and endings no one reaches any more or
    now, a documented path that stops fitting) must be what `boardroom check` finds on the same
    text. A changed id, a choice more, a scene's time still go to the full check."""
    from game.lsp.project import Project

    root = write(tmp_path / "story", {"story.toml": STORY + HISTORY, "a.toml": SHAPE, "b.toml": EXTEND})
    a, b = (root / "a.toml").resolve(), (root / "b.toml").resolve()
    project = Project(root)

    def found(result: dict) -> list[Diagnostic]:
        return sorted((d for ds in result.values() for d, _s, _e in ds), key=lambda d: (d.path, d.line, d.col, d.code))

    assert {d.code for d in found(project.check())} == {"W105"}  # nothing leads to a.alt yet
    on, go, sign = 'goto = "a.end"\n\n[scene."a.alt"]', 'goto = "a.mid"\nif', 'goto = "a.end"\nset'
    edits = [
        (SHAPE.replace(on, on.replace("a.end", "a.alt")), set()),  # a.alt reached now
        (SHAPE.replace(go, go.replace("a.mid", "a.end")), {"W101", "W105"}),  # a.mid no longer reached
        (SHAPE.replace(go, go.replace("a.mid", "a.mdi")), {"E104"}),  # a typo, with a did-you-mean
        (SHAPE.replace(go, go.replace("a.mid", "a.start")), {"W101", "W105"}),  # fixed elsewhere: a loop
        (SHAPE, {"W105"}),
        (SHAPE.replace("trust >= 3 and", "trust >= 30 and"), None),  # never holds
        (SHAPE.replace("trust >= 3 and", "trust >== 3 and"), None),  # does not parse
        (SHAPE.replace("trust >= 3 and", "trust >= 3 and seen('a.mid') and"), None),  # reads a visit now
        (SHAPE.replace("trust >= 3 and", "trust >= 3 and seen('a.mdi') and"), None),
        (SHAPE.replace("add = { trust = 1 }", "add = { trust = 11 }"), {"E203"}),
        (SHAPE.replace("add = { trust = 1 }", "add = { signed = 1 }"), {"E203"}),
        (SHAPE.replace("add = { trust = 1 }", "add = { trusty = 1 }"), {"E202"}),
        (SHAPE.replace("set = { signed = true }", "set = { signed = true, trust = 2 }"), {"W105"}),
        (SHAPE.replace("add = { trust = 1 }", "hidden = true"), None),  # hidden and not an effect
        (SHAPE.replace(sign, sign.replace("a.end", "a.mid")), {"E111"}),  # the documented path stops short
        (SHAPE.replace(sign, sign.replace("a.end", "a.alt")), {"E111"}),  # at an ending not historical
        (SHAPE.replace(sign, sign.replace("\nset", '\nhidden = true\nset')), {"W105", "W112"}),  # hidden, no if
        (SHAPE.replace(sign, sign.replace("\nset", '\nif = "trust > 1"\nset')), {"W105", "W107"}),  # all locked
        (SHAPE.replace('if = "trust >= 3 and not signed"', 'if = "trust >= 0"'), {"W105", "W111"}),
        (SHAPE.replace(on, on.replace("a.end", "a.start")), {"W105", "W113"}),  # back to an earlier scene
        # the documented path's choice reads a visit now: the story's visits read must follow
        (SHAPE.replace(sign, sign.replace("\nset", '\nif = "seen(\'a.start\')"\nset')), {"W105", "W107"}),
        (SHAPE, {"W105"}),
    ]
    codes: set[str] = set()
    for text, want in edits:
        project.buffers[a] = text
        quick = project.quick()
        assert quick is not None, text
        assert found(quick) == check(root, dict(project.buffers)), text
        if want is not None:
            assert {d.code for d in found(quick)} == want, text
        codes |= {d.code for d in found(quick)}
    assert {"E104", "E202", "E203", "E111", "W101", "W105"} <= codes
    assert codes == {"E104", "E111", "E202", "E203", "E301", "E304",
                     "W101", "W105", "W107", "W109", "W110", "W111", "W112", "W113"}

    # the file extending a scene: its choice's goto and condition
    for text in [EXTEND.replace('goto = "a.end"', 'goto = "a.alt"'), EXTEND.replace("trust > 8", "trust > 80"),
                 EXTEND.replace('goto = "a.end"', 'goto = "a.ned"'), EXTEND]:
        project.buffers[b] = text
        quick = project.quick()
        assert quick is not None, text
        assert found(quick) == check(root, dict(project.buffers)), text

    # names change, or more than a choice's structure: the full check
    for text in [SHAPE.replace('id = "on"', 'id = "onward"'),
                 SHAPE.replace('id = "on"', 'id = "on"\ntext = "On."\ngoto = "a.end"\n\n[[scene."a.mid".choice]]\nid = "off"'),
                 SHAPE.replace("T12:00:00-08:00", "T13:00:00-08:00")]:
        project.buffers[a] = text
        assert project.quick() is None, text
        assert found(project.check()) == check(root, dict(project.buffers))


MAP_LINES = ['[scene."a"]', '[scene."b"]', '[[scene."a".choice]]', '[[scene."b".choice]]', '[scene."a".ending]', '  [side.x]',
             'id = "go"', 'text = "Hi"', 'text = """', 'Prose', '[prose, not a table]', '"""', "note = '''", "'''",
             '# comment', '', 'set = { trust = 1, signed = true }', 'x."y" = 1', '[[extend."a".choice]]', 'a = """one"""']


@settings(max_examples=150, deadline=None)
@example(lines=['[scene."a"]', '[scene."b"]', 'id = "go"'], edits=[(1, 1, ['text = "Hi"'], True)])  # a header becomes a key
@given(lines=st.lists(st.sampled_from(MAP_LINES), max_size=30),
       edits=st.lists(st.tuples(st.integers(0, 40), st.integers(0, 3), st.lists(st.sampled_from(MAP_LINES), max_size=3),
                                st.booleans()), min_size=1, max_size=4))
def test_a_source_map_read_again_after_an_edit_is_the_one_read_afresh(
        lines: list[str], edits: list[tuple[int, int, list[str], bool]]) -> None:
    """Warnings in the file being typed in are located on every keystroke, by reading the file
    again only around the edit: every table and key must be where a full reading puts it."""
    from game.engine.sourcemap import SourceMap

    before = SourceMap("\n".join(lines))
    before.locate(("scene",))
    for at, removed, added, read in edits:
        lines[at:at + removed] = added
        text = "\n".join(lines)
        again, fresh = SourceMap(text, before), SourceMap(text)
        if not read:  # a map never read: the next one starts from the last one read
            before = again
            continue
        for path in [("scene", "a"), ("scene", "a", "choice", 1, "id"), ("scene", "b", "text"), ("side", "x"), ("x", "y")]:
            assert again.locate(path) == fresh.locate(path)
        assert again._entries == fresh._entries
        before = again
