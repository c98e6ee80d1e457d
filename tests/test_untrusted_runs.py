"""Run files someone else wrote: shown without escapes, refused with a reason, never a traceback.

Each case was a terminal escape or a traceback before issue 18.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import pytest

from game.cli import main
from game.engine import choose, load_story, new_state
from game.runs import RunError, Saves, dumps, read_run, run_from_state

EXAMPLE = Path(__file__).parent / "fixtures" / "example"
TERMINAL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


@pytest.fixture(scope="module")
def run_data() -> dict[str, Any]:
    story = load_story(EXAMPLE)
    state = choose(story, new_state(story, "alpha"), "rally")
    return json.loads(dumps(run_from_state(story, state, label="mine")))


def write(path: Path, data: dict[str, Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def changed(data: dict[str, Any], **changes: Any) -> dict[str, Any]:
    out = json.loads(json.dumps(data))
    out.update(changes)
    return out


def clean(text: str) -> None:
    found = TERMINAL.search(text)
    assert not found, repr(text[max(0, found.start() - 40): found.end() + 40])


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_a_label_full_of_escapes_is_shown_escaped(tmp_path: Path, run_data: dict[str, Any], fmt: str,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path / "run.json", changed(run_data, label="\x1b]0;owned\x07\x1b[2J\u202eevil\r\x9b"))
    assert main(["replay", str(path), "--format", fmt, "--story", str(EXAMPLE)]) == 0
    out, err = capsys.readouterr()
    clean(out + err)
    assert "x1b" in out and "owned" in out


@pytest.mark.parametrize("field, value", [
    ("side", "\x1b[2J"),
    ("side", "../../etc"),
    ("side", "a" * 100_000),
    ("story_id", "\u202eexample"),
    ("story_id", "a" * 100_000),
])
def test_ids_in_a_run_follow_the_id_rule(tmp_path: Path, run_data: dict[str, Any], field: str, value: str,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path / "run.json", changed(run_data, **{field: value}))
    with pytest.raises(RunError) as info:
        read_run(path)
    assert f"invalid run: {field}" in str(info.value) and len(str(info.value)) < 400
    for args in (["replay", str(path)], ["replay", "--verify", str(path)],
                 ["play", "--plain", "--load", str(path), "--saves", str(tmp_path / "saves")]):
        assert main(args + ["--story", str(EXAMPLE)]) == 2
        out, err = capsys.readouterr()
        clean(out + err)
        assert err.count("\n") == 1, err


def test_a_step_id_with_an_escape_is_refused(tmp_path: Path, run_data: dict[str, Any]) -> None:
    data = changed(run_data)
    data["steps"][0]["scene"] = "alpha.start\x1b[2J"
    with pytest.raises(RunError, match=r"steps\.0\.scene"):
        read_run(write(tmp_path / "run.json", data))


@pytest.mark.parametrize("when", ["0001-01-01T00:00:00+23:59", "9999-12-31T23:59:59-23:59", "0001-01-01T00:00:00Z"])
@pytest.mark.parametrize("field", ["created", "updated", "step"])
def test_extreme_dates_are_refused_not_a_traceback(tmp_path: Path, run_data: dict[str, Any], when: str, field: str,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    data = changed(run_data)
    if field == "step":
        data["steps"][0]["at"] = when
    else:
        data[field] = when
    saves = tmp_path / "saves"
    path = write(saves / "autosave.json", data)
    with pytest.raises(RunError, match="outside 1000..9000"):
        read_run(path)
    assert main(["replay", str(path), "--story", str(EXAMPLE)]) == 2
    entries = Saves(saves).entries()
    assert [e.error is not None for e in entries] == [True]
    assert Saves(saves).latest() is None
    capsys.readouterr()


def test_a_lone_surrogate_in_a_label_plays_and_saves(tmp_path: Path, run_data: dict[str, Any],
                                                     monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "run.json"
    path.write_text(json.dumps(run_data).replace('"mine"', '"mi\\ud800ne"'), encoding="utf-8")
    assert read_run(path).label == "mi\ufffdne"
    assert main(["replay", str(path), "--story", str(EXAMPLE)]) == 0
    clean(capsys.readouterr().out)
    saves = tmp_path / "saves"
    monkeypatch.setattr("sys.stdin", io.StringIO("1\n"))
    assert main(["play", "--plain", "--load", str(path), "--story", str(EXAMPLE), "--saves", str(saves)]) == 0
    out, err = capsys.readouterr()
    assert "warning" not in err
    assert [e.run is not None for e in Saves(saves).entries()] == [True]


def test_file_names_in_a_folder_of_runs_are_shown_escaped(tmp_path: Path, run_data: dict[str, Any],
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path / "runs" / "\x1b[2Jmine.json", run_data)
    write(tmp_path / "runs" / "\u202ebroken.json", {"format": 1})
    assert main(["replay", "--verify", str(tmp_path / "runs"), "--story", str(EXAMPLE)]) == 2
    out, err = capsys.readouterr()
    clean(out + err)
    assert "\\x1b[2Jmine.json" in out and "\\u202ebroken.json" in out


def test_a_huge_label_is_cut_in_the_transcript(tmp_path: Path, run_data: dict[str, Any],
                                               capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path / "run.json", changed(run_data, label="x" * 1000))
    assert main(["replay", str(path), "--story", str(EXAMPLE)]) == 0
    out = capsys.readouterr().out
    assert "(700 more characters)" in " ".join(out.split())
    with pytest.raises(RunError, match="label"):
        read_run(write(tmp_path / "long.json", changed(run_data, label="x" * 4_000_000)))


def test_an_unreadable_file_dated_past_year_9999_is_listed(tmp_path: Path) -> None:
    import os

    saves = tmp_path / "saves"
    bad = write(saves / "junk.json", {"format": 1})
    try:
        os.utime(bad, (253402300800 + 86400 * 400, 253402300800 + 86400 * 400))  # year 10001
    except (OverflowError, OSError):
        pytest.skip("this file system cannot date a file that late")
    assert [e.error is not None for e in Saves(saves).entries()] == [True]
