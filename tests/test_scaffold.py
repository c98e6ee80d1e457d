"""`boardroom new branch`: a new file that hooks onto a scene, passes check with TODO warnings, and plays."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from game.commands.check import check
from game.engine import choose, load_story, new_state
from game.engine.explore import explore_side

EXAMPLE = Path(__file__).parent / "fixtures" / "example"


def boardroom(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "game", *args], capture_output=True, text=True, timeout=60, cwd=cwd)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    shutil.copytree(EXAMPLE, tmp_path / "story")
    return tmp_path / "story"


def test_new_branch_passes_check_with_todo_warnings_only(root: Path) -> None:
    out = boardroom("new", "branch", "call-friend", "--from", "alpha.noon", "--story", str(root))
    assert out.returncode == 0, out.stderr
    path = root / "alpha" / "branch-call-friend.toml"
    assert path.exists()
    assert f"created {path}" in out.stdout
    assert "a new scene 'alpha.call-friend', which rejoins the story at 'alpha.end.leave'" in out.stdout
    found = check(str(root))
    assert found and {d.code for d in found} == {"W106"}
    assert all(Path(d.path).resolve() == path.resolve() for d in found)
    assert "'boardroom check' now lists 4 TODOs in it:" in out.stdout
    assert f"boardroom play --story {root} --watch --side alpha" in out.stdout


def test_the_new_branch_is_in_the_game(root: Path) -> None:
    assert boardroom("new", "branch", "call-friend", "--from", "alpha.noon", "--story", str(root)).returncode == 0
    story = load_story(root)
    noon = story.scenes["alpha.noon"]
    assert noon.choices[-1].id == "call-friend"  # after the scene's own choices
    state = choose(story, choose(story, new_state(story, "alpha"), "rally"), "call-friend")
    assert state.scene == "alpha.call-friend"
    scene = story.scenes["alpha.call-friend"]
    assert scene.side == "alpha" and scene.provenance == "counterfactual"
    assert noon.at < scene.at <= story.scenes["alpha.end.leave"].at
    assert choose(story, state, "continue").scene == "alpha.end.leave"
    alpha = explore_side(story, "alpha")
    assert alpha.ok and ("alpha.noon", "call-friend") in alpha.choices


def test_the_new_file_refers_to_the_schema_and_leaves_other_files_alone(root: Path) -> None:
    before = {p.name: p.read_bytes() for p in root.glob("*.toml")}
    boardroom("new", "branch", "call-friend", "--from", "alpha.noon", "--story", str(root))
    assert {p.name: p.read_bytes() for p in root.glob("*.toml")} == before
    text = (root / "alpha" / "branch-call-friend.toml").read_text(encoding="utf-8")
    assert text.splitlines()[0] == "#:schema ../schema.json"
    assert '[[extend."alpha.noon".choice]]' in text


def test_breaking_the_branch_gives_clear_errors(root: Path) -> None:
    """What a new author does next: breaks the file, reads the error, fixes it."""
    boardroom("new", "branch", "call-friend", "--from", "alpha.noon", "--story", str(root))
    path = root / "alpha" / "branch-call-friend.toml"
    good = path.read_text(encoding="utf-8")
    breaks = [
        ('goto = "alpha.end.leave"', 'goto = "alpha.end.leav"', "E104", "did you mean 'alpha.end.leave'?"),
        ('id = "continue"', 'idd = "continue"', "E101", "unknown key 'idd' (did you mean 'id'?)"),
        ('# if = "loyalty >= 5"', 'if = "loyalty >= five"', "E302", "unknown variable 'five'"),
        ('provenance = "counterfactual"', 'provenance = "reported"\nsources = ["nyt"]', "E107", "unknown source 'nyt'"),
        ('title = "TODO: the scene\'s title"', 'title = "TODO: the scene\'s title', "E001", "closing quote missing"),
    ]
    for old, new, code, words in breaks:
        assert old in good, old
        path.write_text(good.replace(old, new, 1), encoding="utf-8")
        out = boardroom("check", str(root))
        assert out.returncode == 1 and "Traceback" not in out.stderr
        errors = [l for l in out.stdout.splitlines() if "error[" in l]
        assert len(errors) == 1 and f"error[{code}]" in errors[0] and words in errors[0], out.stdout
        line = int(errors[0].split(":")[1])
        shown = good.replace(old, new, 1).splitlines()[line - 1]
        assert any(part in shown for part in new.splitlines()), (code, shown)
    path.write_text(good, encoding="utf-8")
    assert boardroom("check", str(root)).returncode == 0


@pytest.mark.parametrize("args, words", [
    (("Call_Friend", "--from", "alpha.noon"), "branch name 'Call_Friend' must be lower-case letters"),
    (("x", "--from", "alpha.nooon"), "no scene 'alpha.nooon'"),
    (("x", "--from", "alpha.end.win"), "'alpha.end.win' is an ending"),
    (("fight", "--from", "alpha.noon"), "scene 'alpha.noon' already has a choice 'fight'"),
    (("noon", "--from", "alpha.start"), "scene 'alpha.noon' already exists"),
])
def test_new_branch_refuses_with_one_line(root: Path, args: tuple[str, ...], words: str) -> None:
    out = boardroom("new", "branch", *args, "--story", str(root))
    assert out.returncode == 2 and words in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1 and "Traceback" not in out.stderr
    assert not list(root.rglob("branch-*.toml"))


def test_new_branch_never_overwrites(root: Path) -> None:
    assert boardroom("new", "branch", "call", "--from", "alpha.noon", "--story", str(root)).returncode == 0
    path = root / "alpha" / "branch-call.toml"
    path.write_text(path.read_text() + "# mine\n")
    out = boardroom("new", "branch", "call", "--from", "alpha.start", "--story", str(root))
    assert out.returncode == 2 and "already exists" in out.stderr
    assert path.read_text().endswith("# mine\n")


def test_new_branch_on_a_broken_story(root: Path) -> None:
    (root / "gamma.toml").write_text((root / "gamma.toml").read_text().replace('goto = "gamma.start"', 'goto = "x"'))
    out = boardroom("new", "branch", "call", "--from", "alpha.noon", "--story", str(root))
    assert out.returncode == 1 and "error[E104]" in out.stderr and "fix them first" in out.stderr
