"""The game as a player installs it: build the wheel, install it into a fresh virtual environment,
and play from a folder that has nothing of the repository in it.

Offline and quick: the wheel is built without build isolation (the test extra brings a
setuptools that reads the license metadata), and the fresh environment gets the game from the
wheel and its dependencies through a .pth line pointing at this environment's site-packages,
so nothing is downloaded.
"""

from __future__ import annotations

import json
import os
import shutil
import site
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SOURCES = ("game", "story", "pyproject.toml", "setup.py", "MANIFEST.in", "LICENSE", "README.md")


def _setuptools_reads_our_metadata() -> bool:
    try:
        from importlib.metadata import version

        return int(version("setuptools").split(".")[0]) >= 77
    except Exception:
        return False


pytestmark = pytest.mark.skipif(not _setuptools_reads_our_metadata(),
                                reason="needs setuptools>=77 in this environment: pip install -e '.[test]'")


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with the built wheel installed; returns its bin folder."""
    root = tmp_path_factory.mktemp("install")
    src = root / "src"
    src.mkdir()
    for name in SOURCES:
        path = REPO / name
        if path.is_dir():
            shutil.copytree(path, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(path, src / name)
    wheels = root / "wheels"
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
                            "--no-index", "-w", str(wheels), str(src)], capture_output=True, text=True, timeout=120)
    assert build.returncode == 0, build.stderr
    (wheel,) = wheels.glob("boardroom-*.whl")

    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=60)
    purelib = Path(sysconfig.get_path("purelib", vars={"base": str(venv), "platbase": str(venv)}))
    deps = [p for p in site.getsitepackages() if Path(p).is_dir()]
    (purelib / "_boardroom_test_deps.pth").write_text("\n".join(deps) + "\n", encoding="utf-8")
    python = venv / "bin" / "python"
    install = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps",
                              "--no-index", str(wheel)], capture_output=True, text=True, timeout=120)
    assert install.returncode == 0, install.stderr
    return venv / "bin"


@pytest.fixture
def player(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A folder far from the repository, and an environment with the user folders in tmp_path."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOARDROOM_", "PYTHON", "VIRTUAL_ENV"))}
    env.update(XDG_DATA_HOME=str(tmp_path / "data"), XDG_CONFIG_HOME=str(tmp_path / "config"),
               XDG_CACHE_HOME=str(tmp_path / "cache"), HOME=str(tmp_path / "home"))
    where = tmp_path / "elsewhere"
    where.mkdir()
    return where, env


def test_the_wheel_carries_the_story_and_plays_from_any_folder(installed: Path, player, tmp_path: Path) -> None:
    cwd, env = player
    version = subprocess.run([installed / "boardroom", "--version"], cwd=cwd, env=env, capture_output=True,
                             text=True, timeout=60)
    assert version.returncode == 0 and version.stdout.startswith("boardroom 0."), version.stderr

    play = subprocess.run([installed / "boardroom", "play", "--plain", "--side", "nadella"], cwd=cwd, env=env,
                          input="1\n1\n", capture_output=True, text=True, timeout=60)
    assert play.returncode == 0, play.stderr
    assert play.stderr == ""
    assert play.stdout.count("=" * 78) == 3  # the first scene and two more
    autosave = tmp_path / "data" / "boardroom" / "saves" / "autosave.json"
    run = json.loads(autosave.read_text(encoding="utf-8"))
    assert run["side"] == "nadella" and len(run["steps"]) == 2
    assert list(cwd.iterdir()) == []  # nothing written where the game was started


def test_the_installed_game_reports_its_folders_and_keeps_its_story_read_only(installed: Path, player) -> None:
    cwd, env = player
    where = subprocess.run([installed / "boardroom", "where"], cwd=cwd, env=env, capture_output=True, text=True,
                           timeout=60)
    story = where.stdout.splitlines()[0].split()[-1]
    assert story.endswith(os.path.join("site-packages", "game", "story_data"))
    check = subprocess.run([installed / "boardroom", "check"], cwd=cwd, env=env, capture_output=True, text=True,
                           timeout=60)
    assert check.returncode == 0 and check.stderr == f"{story}: story is clean\n"
    new = subprocess.run([installed / "boardroom", "new", "branch", "call-chesky", "--from", "altman.fri.meet"],
                         cwd=cwd, env=env, capture_output=True, text=True, timeout=60)
    assert new.returncode == 2 and "is not for editing" in new.stderr
    assert list(Path(story).rglob("branch-*.toml")) == []
