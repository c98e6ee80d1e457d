"""What the game remembers between sessions: settings and the endings found.

Both live as small JSON files in the config folder (`game.folders.config_dir`: $BOARDROOM_CONFIG_DIR,
else the platform's user config folder). This module is on the startup path
(the theme must be known before the first frame), so it uses only the standard library:
no pydantic, no engine. A missing file gives the defaults; a damaged one is set aside (renamed,
never deleted), the defaults are used and the front end says so. Neither ever
stops the game, and a file is only replaced when the player changes something.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import stat
from dataclasses import asdict, field, fields
from pathlib import Path
from typing import Any, Optional

from game.atomic import write_atomic
from game.records import record

SETTINGS_FILE = "settings.json"
GALLERY_FILE = "endings.json"

TYPEWRITER_SPEEDS = {"slow": 30, "normal": 50, "fast": 120, "instant": 0}
"""Characters revealed per second (0: the whole scene at once).

Measured on the shipped story: a scene runs 908 characters (median; 1,237 at most) at 5.6
characters a word, so a reader at 250 words a minute takes in 23 characters a second and
needs 39 s for a median scene. "normal" (50/s, about 530 words a minute) stays ahead of
that reader and of a fast one at 400 (37/s): nobody waits for the text, which is what makes
players skip, yet it takes 18 s, so the words arrive as they are read instead of all at
once. "slow" (30/s) keeps just ahead of an average reader; "fast" suits a skim."""

AUTOPLAY_SPEEDS = (0.5, 1.0, 2.0, 4.0)
"""Seconds per step in the replay viewer's autoplay."""




MAX_FILE_BYTES = 1024 * 1024
"""Settings and the gallery: a few KB in practice; a larger file is not one the game wrote."""
MAX_COUNT = 10 ** 9
"""Times an ending was reached, or choices it took: far above any real count, well inside 64 bits."""


def _not_json(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def _read_json(path: Path, problems: list[str]) -> Optional[dict[str, Any]]:
    """The JSON object in `path`; None when there is none. A file that is there but damaged (not a
    plain file, too large, not UTF-8 JSON, NaN or Infinity, nested past the parser) is set aside
    and the reason added to `problems`; the caller then starts from the defaults."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        problems.append(f"Cannot read {path.name} ({exc.strerror or exc}); using the defaults.")
        return None
    reason = None
    data: Any = None
    if not stat.S_ISREG(st.st_mode):
        reason = "it is not a plain file"
    elif st.st_size > MAX_FILE_BYTES:
        reason = f"it is larger than {MAX_FILE_BYTES // 1024} KB"
    else:
        try:
            with open(path, "rb") as f:
                raw = f.read(MAX_FILE_BYTES + 1)
            data = json.loads(raw.decode("utf-8"), parse_constant=_not_json)
        except OSError as exc:
            problems.append(f"Cannot read {path.name} ({exc.strerror or exc}); using the defaults.")
            return None
        except (ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
            reason = "it is not valid JSON" if not isinstance(exc, RecursionError) else "it nests too deep"
        else:
            if not isinstance(data, dict):
                reason = "it does not hold a JSON object"
    if reason is None and isinstance(data, dict):
        return data
    set_aside(path, reason or "it does not hold a JSON object", problems)
    return None


def set_aside(path: Path, reason: str, problems: list[str]) -> None:
    """Rename a damaged file to `<name>.damaged-<time>.json` (never delete it) and say so."""
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S")
    for n in range(100):
        aside = path.with_name(f"{path.stem}.damaged-{stamp}{f'-{n}' if n else ''}{path.suffix}")
        if aside.exists():
            continue
        try:
            os.replace(path, aside)
        except OSError as exc:
            problems.append(f"{path.name} is damaged ({reason}) and could not be set aside "
                            f"({exc.strerror or exc}); using the defaults.")
            return
        problems.append(f"{path.name} was damaged ({reason}): it was kept as {aside.name} and the game "
                        f"starts from the defaults.")
        return
    problems.append(f"{path.name} is damaged ({reason}); using the defaults.")


@record(frozen=False)
class Settings:
    """The player's preferences. Every field has a safe default; bad values in the file are ignored."""

    typewriter: bool = True
    """Reveal scene text letter by letter. Any key shows the rest at once."""
    typewriter_speed: str = "normal"
    theme: str = "textual-dark"
    autoplay: float = 1.0
    """Seconds per step when a replay plays itself."""
    skip_read: bool = True
    """Show scenes already read (in any run) at once, as visual novels skip read text."""

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Settings":
        out = cls()
        for f in fields(cls):
            value = data.get(f.name)
            default = getattr(out, f.name)
            if value is None or type(value) is not type(default):
                if isinstance(default, float) and isinstance(value, int) and not isinstance(value, bool):
                    value = float(value)
                else:
                    continue
            setattr(out, f.name, value)
        if out.typewriter_speed not in TYPEWRITER_SPEEDS:
            out.typewriter_speed = "normal"
        if not 0.1 <= out.autoplay <= 10:
            out.autoplay = 1.0
        return out

    @property
    def chars_per_second(self) -> int:
        """0 when the text should appear at once (the typewriter off, or set to instant)."""
        return TYPEWRITER_SPEEDS[self.typewriter_speed] if self.typewriter else 0


def load_settings(folder: Path, problems: Optional[list[str]] = None) -> Settings:
    """The player's settings, or the defaults; a damaged file is set aside, its reason added to
    `problems` for the front end to show."""
    problems = [] if problems is None else problems
    path = folder / SETTINGS_FILE
    data = _read_json(path, problems)
    if not data:
        return Settings()
    settings = Settings.from_dict(data)
    kept = asdict(settings)
    if any(key not in kept or kept[key] != value or type(kept[key]) is not type(value)
           and not (isinstance(kept[key], float) and type(value) is int) for key, value in data.items()):
        set_aside(path, "some values are unknown or out of range", problems)
    return settings


def save_settings(folder: Path, settings: Settings) -> None:
    write_atomic(folder / SETTINGS_FILE, (json.dumps(asdict(settings), indent=2) + "\n").encode("utf-8"))


@record(frozen=False)
class Found:
    """One ending the player has reached, in any run."""

    title: str
    side: str
    first: str
    """ISO date and time it was first reached."""
    times: int = 1
    steps: int = 0
    """The fewest choices it took."""


@record(frozen=False)
class Gallery:
    """Endings found across runs, per story id, so a reworked story keeps its own gallery."""

    stories: dict[str, dict[str, Found]] = field(default_factory=dict)
    read: dict[str, set[str]] = field(default_factory=dict)
    """Scene ids whose text the player has been shown, per story id (for skipping read text)."""

    def has_read(self, story_id: str, scene_id: str) -> bool:
        return scene_id in self.read.get(story_id, ())

    def mark_read(self, story_id: str, scene_id: str) -> bool:
        """Note a scene as read; True when it was not read before."""
        book = self.read.setdefault(story_id, set())
        if scene_id in book:
            return False
        book.add(scene_id)
        return True

    def found(self, story_id: str) -> dict[str, Found]:
        return self.stories.get(story_id, {})

    def record(self, story_id: str, ending: str, title: str, side: str, steps: int, when: dt.datetime) -> bool:
        """Note an ending reached; True when it is new to the gallery."""
        book = self.stories.setdefault(story_id, {})
        old = book.get(ending)
        if old is None:
            book[ending] = Found(title, side, when.isoformat(timespec="minutes"), 1, steps)
            return True
        old.times += 1
        old.title = title
        old.steps = min(old.steps, steps) if old.steps else steps
        return False

    def to_json(self) -> str:
        data = {"format": 1, "stories": {sid: {eid: asdict(f) for eid, f in book.items()}
                                         for sid, book in self.stories.items()},
                "read": {sid: sorted(ids) for sid, ids in self.read.items()}}
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _count(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_COUNT:
        raise ValueError(f"{value!r} is not a count")
    return value


def _text(value: Any) -> str:
    if not isinstance(value, str) or len(value) > 1000:
        raise ValueError("not a short text")
    return value


def _first(value: Any) -> str:
    text = _text(value)
    when = dt.datetime.fromisoformat(text)
    if not 1000 <= when.year <= 9000:
        raise ValueError(f"year {when.year} is out of range")
    return text


def load_gallery(folder: Path, problems: Optional[list[str]] = None) -> Gallery:
    """The endings found so far. Entries that cannot be right (a count that is not a whole number
    in range, a date that is not one) are dropped and the file is set aside, so the next save
    writes what is left without losing the original."""
    problems = [] if problems is None else problems
    path = folder / GALLERY_FILE
    data = _read_json(path, problems)
    gallery = Gallery()
    if data is None:
        return gallery
    read = data.get("read")
    if isinstance(read, dict):
        for sid, ids in read.items():
            if isinstance(ids, list):
                gallery.read[str(sid)] = {i for i in ids if isinstance(i, str) and len(i) <= 200}
    stories = data.get("stories")
    dropped = not isinstance(stories, dict)
    for sid, book in (stories.items() if isinstance(stories, dict) else ()):
        if not isinstance(book, dict):
            dropped = True
            continue
        for eid, raw in book.items():
            try:
                if not isinstance(raw, dict):
                    raise ValueError("not an object")
                found = Found(_text(raw["title"]), _text(raw["side"]), _first(raw["first"]),
                              _count(raw.get("times", 1)), _count(raw.get("steps", 0)))
            except (KeyError, TypeError, ValueError):
                dropped = True
                continue
            gallery.stories.setdefault(str(sid), {})[str(eid)] = found
    if dropped:
        set_aside(path, "some entries could not be read", problems)
    return gallery


def save_gallery(folder: Path, gallery: Gallery) -> None:
    write_atomic(folder / GALLERY_FILE, gallery.to_json().encode("utf-8"))
