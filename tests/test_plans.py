"""`boardroom test`: test plans beside the story, their failures located, and the shipped plans."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from game.engine import load_story
from game.testplan import CODES, plan_files, run_plan

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = Path(__file__).parent / "fixtures" / "example"
PLAN = EXAMPLE / "tests" / "consequences.toml"


def boardroom(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "game", *args], cwd=cwd, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def story():
    return load_story(EXAMPLE)


def test_the_shipped_story_passes_its_plans() -> None:
    story = load_story(ROOT / "story")
    files = plan_files(ROOT / "story", [])
    assert len(files) >= 2
    failures = [d.format() for f in files for d in run_plan(story, f).failures]
    assert failures == []


def test_the_shipped_story_read_from_its_cache_passes_its_plans(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What a player's game plays: the story from the compiled cache, each scene decoded and
    checked only when first read (each plan starts from a fresh read, no scene decoded yet)."""
    from game.engine.codec import ScenesOnRead
    from game.story_cache import load_story_cached

    monkeypatch.setenv("BOARDROOM_CACHE_DIR", str(tmp_path))
    load_story_cached(ROOT / "story")  # compiled, and cached
    for path in plan_files(ROOT / "story", []):
        story, _ = load_story_cached(ROOT / "story")
        assert story is not None and isinstance(story.scenes, ScenesOnRead) and story.scenes.read == 0
        assert [d.format() for d in run_plan(story, path).failures] == []
        assert 0 < story.scenes.read


def test_the_example_plans_pass_and_the_story_folder_ignores_them(story) -> None:
    result = run_plan(story, PLAN)
    assert result.tests == 3 and result.failures == []


def broken(tmp_path: Path, old: str, new: str) -> Path:
    text = PLAN.read_text(encoding="utf-8")
    assert old in text, old
    path = tmp_path / "plan.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize("old, new, code, marker, words", [
    ('shows = ["Nobody on the staff says goodbye"]', 'shows = ["Nobody waves"]', "T104", "Nobody waves",
     "expected the player to read 'Nobody waves' in 'alpha.end.leave', but it is not shown"),
    ('hides = ["walk you to the lift"]', 'hides = ["You leave."]', "T105", "You leave.", "expected 'You leave.' not to be shown"),
    ('vars = { loyalty = 8, signed = false }', 'vars = { loyalty = 7, signed = false }', "T103", "loyalty = 7",
     "expected loyalty = 7, got 8"),
    ('scene = "alpha.noon"', 'scene = "alpha.start"', "T102", 'scene = "alpha.start"',
     "expected scene 'alpha.start', got 'alpha.noon'"),
    ('locked = { fight = "Staff loyalty at least 7" }', 'locked = { accept = "" }', "T106", "accept",
     "expected 'accept' to be locked, got open"),
    ('locked = { fight = "Staff loyalty at least 7" }', 'locked = { fight = "at least 9" }', "T106", "fight",
     "got 'needs Staff loyalty at least 7 (now 3)'"),
    ('open = ["fight"]', 'open = ["go"]', "T107", '"go"', "expected 'go' open, got locked: You cannot leave yet."),
    ('ending = "The return"', 'ending = "alpha.end.leave"', "T108", "ending =",
     "expected ending 'alpha.end.leave', got 'alpha.end.win' ('The return')"),
    ('choose = "fight"', 'choose = "secret"', "T101", '"secret"', "cannot choose 'secret' in 'alpha.noon'"),
    ('choose = "fight"', 'choose = "fly"', "T002", '"fly"', "has no choice 'fly'"),
    ('side = "alpha"', 'side = "delta"', "T002", 'side = "delta"', "side must be one of alpha, beta, gamma"),
    ('from = "alpha.noon"', 'from = "alpha.nope"', "T002", 'from = "alpha.nope"', "unknown scene 'alpha.nope'"),
    ('shows = ["Staff', 'show = ["Staff', "T001", "show =", "unknown key 'show'"),
    ('name = "Waiting', 'name = "Waiting\n[x', "T001", 'name = "Waiting', "TOML syntax"),
])
def test_a_failing_plan_names_the_code_the_line_and_what_happened(story, tmp_path: Path, old: str, new: str,
                                                                  code: str, marker: str, words: str) -> None:
    path = broken(tmp_path, old, new)
    failures = run_plan(story, path).failures
    hit = [d for d in failures if d.code == code]
    assert hit, [d.format() for d in failures]
    d = hit[0]
    lines = path.read_text(encoding="utf-8").splitlines()
    assert marker in lines[d.line - 1], (d.format(), lines[d.line - 1])
    assert words in d.message, d.format()
    assert code in CODES


def test_boardroom_test_exits_1_on_failure_and_prints_located_lines(tmp_path: Path) -> None:
    story = tmp_path / "story"
    shutil.copytree(EXAMPLE, story)
    ok = boardroom("test", "--story", str(story), cwd=tmp_path)
    assert ok.returncode == 0 and "3 tests passed (1 plan)" in ok.stdout, ok.stderr
    assert boardroom("check", str(story), cwd=tmp_path).returncode == 0  # plans are not story files
    plan = story / "tests" / "consequences.toml"
    plan.write_text(plan.read_text().replace('vars = { loyalty = 8', 'vars = { loyalty = 2'))
    bad = boardroom("test", "--story", str(story), cwd=tmp_path)
    assert bad.returncode == 1
    line = next(i for i, text in enumerate(plan.read_text().splitlines(), 1) if "loyalty = 2" in text)
    assert bad.stdout.startswith(f"story/tests/consequences.toml:{line}:10: error[T103] ")
    assert "expected loyalty = 2, got 8" in bad.stdout and "1 failure in 3 tests (1 plan)" in bad.stderr
    one = boardroom("test", "--story", str(story), str(EXAMPLE / "tests" / "consequences.toml"), cwd=tmp_path)
    assert one.returncode == 0


def test_the_guide_lists_every_plan_code() -> None:
    guide = (ROOT / "story" / "README.md").read_text(encoding="utf-8")
    assert [c for c in CODES if f"`{c}`" not in guide] == []
