"""Where Boardroom finds its story and keeps runs, settings, the gallery and caches.

One module decides every folder, so that the app, plain mode, the browser and the tools agree,
and an installed game (pipx, uv tool, pip) plays the same from any folder. The story ships
inside the package; an author's `story/` in the current folder, `--story` or `$BOARDROOM_STORY`
wins over it. Runs go to the platform's user data folder, settings and the gallery to the user
config folder, caches to the user cache folder; each has an environment variable so tests and
players can put it elsewhere.

Standard library and platformdirs only: this is on the path to the first frame.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
from pathlib import Path
from typing import Optional

import platformdirs

from game.patterns import pattern
from game.records import record

APP = "boardroom"
STORY_ENV = "BOARDROOM_STORY"
SAVES_ENV = "BOARDROOM_SAVES"
CONFIG_ENV = "BOARDROOM_CONFIG_DIR"
CACHE_ENV = "BOARDROOM_CACHE_DIR"

PACKAGED_STORY = "story_data"
"""The story's folder inside the installed package (the build copies the repo's `story/` there)."""

LEGACY_SAVES = "saves"
"""Before runs moved to the user data folder, they were written to `./saves` next to `./story`."""

IMPORTED_LIST = ".imported-from-clone"
"""In the saves folder: which legacy runs were already copied in, so each is copied once."""

MAX_STORY_TOML = 1024 * 1024
MAX_LEGACY_RUN = 64 * 1024 * 1024
MAX_LEGACY_FILES = 1000

_STORY_TABLE = pattern(r"^[ \t]*\[[ \t]*story[ \t]*\][ \t]*(#.*)?$", re.MULTILINE)


@record
class StoryChoice:
    """The story folder a command uses, and how it was chosen."""

    path: Path
    source: str
    """'option' (--story or `check DIR`), 'env' ($BOARDROOM_STORY), 'current' (./story), or 'shipped'."""

    @property
    def note(self) -> Optional[str]:
        """One line for stderr when the story is not the one that came with the game and the user
        did not name it on the command line; None otherwise (nothing to be surprised by)."""
        if self.source == "env":
            return f"using the story in {shown(self.path)} (from ${STORY_ENV})"
        if self.source == "current":
            return f"using the story in {shown(self.path)} (found in the current folder)"
        return None


def shown(path: Path) -> str:
    """`path` as a person would type it: relative (./story) when under the current folder."""
    try:
        rel = Path(os.path.abspath(path)).relative_to(Path.cwd())
    except (ValueError, OSError):
        return str(path)
    return "." if str(rel) == "." else f".{os.sep}{rel}"


def is_story(folder: Path) -> bool:
    """True when `folder` holds a Boardroom story: a `story.toml` with a `[story]` table.

    A line match rather than a TOML parse, so an author's story with a syntax error elsewhere
    is still found (and then reported) instead of being silently passed over.
    """
    toml = folder / "story.toml"
    try:
        if not toml.is_file():
            return False
        with toml.open("rb") as fh:
            head = fh.read(MAX_STORY_TOML)
    except OSError:
        return False
    return bool(_STORY_TABLE().search(head.decode("utf-8", errors="replace")))


def shipped_story() -> Optional[Path]:
    """The story that came with the game: inside the installed package, or the checkout's `story/`
    when the game runs from a clone (an editable install, `python -m game`)."""
    package = Path(__file__).resolve().parent
    for candidate in (package / PACKAGED_STORY, package.parent / "story"):
        if is_story(candidate):
            return candidate
    return None


def is_packaged(path: Path) -> bool:
    """True for the copy inside an installed package, which is not meant to be edited."""
    try:
        return Path(path).resolve() == (Path(__file__).resolve().parent / PACKAGED_STORY)
    except OSError:
        return False


def find_story(given: Optional[str] = None) -> StoryChoice:
    """The story to use: `given` (--story), `$BOARDROOM_STORY`, `./story` if it is a Boardroom
    story, then the shipped one. Without any, `./story` (whose absence the loader then reports)."""
    if given:
        return StoryChoice(Path(given), "option")
    env = os.environ.get(STORY_ENV)
    if env:
        return StoryChoice(Path(env), "env")
    shipped = shipped_story()
    here = Path("story")
    if is_story(here):
        if shipped is not None and _same(here, shipped):
            return StoryChoice(here, "shipped")
        return StoryChoice(here, "current")
    if shipped is not None:
        return StoryChoice(shipped, "shipped")
    return StoryChoice(here, "current")


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def data_dir() -> Path:
    return platformdirs.user_data_path(APP, appauthor=False)


def saves_dir(given: Optional[str] = None) -> Path:
    """Runs: `--saves`, else `$BOARDROOM_SAVES`, else `saves/` in the user data folder."""
    if given:
        return Path(given)
    env = os.environ.get(SAVES_ENV)
    if env:
        return Path(env)
    return data_dir() / "saves"


def config_dir() -> Path:
    """Settings and the endings gallery: `$BOARDROOM_CONFIG_DIR`, else the user config folder."""
    env = os.environ.get(CONFIG_ENV)
    if env:
        return Path(env)
    return platformdirs.user_config_path(APP, appauthor=False)


def cache_dir() -> Path:
    """Things the game can always rebuild (the compiled story): `$BOARDROOM_CACHE_DIR`, else the
    user cache folder."""
    env = os.environ.get(CACHE_ENV)
    if env:
        return Path(env)
    return platformdirs.user_cache_path(APP, appauthor=False)


def legacy_saves(saves: Path) -> Optional[Path]:
    """`./saves` of a clone (next to a Boardroom `./story`) holding runs, when it is not `saves`."""
    here = Path(LEGACY_SAVES)
    try:
        if not here.is_dir() or not is_story(Path("story")) or _same(here, saves):
            return None
        if not any(p.suffix == ".json" and p.is_file() for p in here.iterdir()):
            return None
    except OSError:
        return None
    return here


def import_legacy_saves(saves: Path) -> tuple[Optional[Path], list[Path]]:
    """Copy the runs in a clone's `./saves` into `saves`, once each; never move, never overwrite.

    Returns the legacy folder (None when there is none) and the files copied this time. A run
    whose name is taken in `saves` is copied under a new name (`autosave-clone.json`), and a
    list in `saves` remembers what was copied, by content, so nothing is copied twice and a
    run changed in the clone since is copied again.
    """
    legacy = legacy_saves(saves)
    if legacy is None:
        return None, []
    import hashlib  # only with a clone's saves to import: it loads OpenSSL, milliseconds of a start

    record = saves / IMPORTED_LIST
    try:
        done = set(json.loads(record.read_text(encoding="utf-8")).get("sha256", []))
    except (OSError, ValueError, AttributeError, TypeError):
        done = set()
    copied: list[Path] = []
    try:
        files = sorted(p for p in legacy.iterdir() if p.suffix == ".json")[:MAX_LEGACY_FILES]
    except OSError:
        return legacy, []
    for src in files:
        try:
            if not src.is_file() or src.is_symlink() or src.stat().st_size > MAX_LEGACY_RUN:
                continue
            data = src.read_bytes()
        except OSError:
            continue
        digest = hashlib.sha256(data).hexdigest()
        if digest in done:
            continue
        target = _free_name(saves, src.name, data)
        if target is None:  # the same run is already there
            done.add(digest)
            continue
        try:
            saves.mkdir(parents=True, exist_ok=True)
            with target.open("xb") as fh:
                fh.write(data)
            shutil.copystat(src, target)
        except OSError as exc:
            print(f"boardroom: warning: cannot copy {src} to {saves}: {exc.strerror or exc}", file=sys.stderr)
            continue
        done.add(digest)
        copied.append(target)
    if copied or done:
        try:
            tmp = record.with_name(record.name + ".tmp")
            tmp.write_text(json.dumps({"sha256": sorted(done)}, indent=1) + "\n", encoding="utf-8")
            os.replace(tmp, record)
        except OSError:
            pass
    return legacy, copied


def _free_name(folder: Path, name: str, data: bytes) -> Optional[Path]:
    """Where to copy a legacy run called `name`: its own name if free, else `<stem>-clone[-N].json`;
    None when a file with these very bytes is already there under one of those names."""
    stem = Path(name).stem
    for n in range(1, 1000):
        candidate = folder / (name if n == 1 else f"{stem}-clone{'' if n == 2 else f'-{n - 1}'}.json")
        try:
            if not candidate.exists():
                return candidate
            if candidate.is_file() and candidate.stat().st_size == len(data) and candidate.read_bytes() == data:
                return None
        except OSError:
            continue
    return None
