"""What the game remembers between sessions: settings and the endings found.

Both live as small JSON files in the config folder (`game.folders.config_dir`: $BOARDROOM_CONFIG_DIR,
else the platform's user config folder). This module is on the startup path
(the theme must be known before the first frame), so it uses only the standard library:
no pydantic, no engine. A missing, corrupt or foreign file gives the defaults; it never
stops the game, and it is only replaced when the player changes something.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any, Optional

from game.atomic import write_atomic

SETTINGS_FILE = "settings.json"
GALLERY_FILE = "endings.json"

TYPEWRITER_SPEEDS = {"slow": 60, "normal": 140, "fast": 400}
"""Characters revealed per second."""

AUTOPLAY_SPEEDS = (0.5, 1.0, 2.0, 4.0)
"""Seconds per step in the replay viewer's autoplay."""




def _read_json(path: Path) -> Optional[dict[str, Any]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) else None


@dataclass
class Settings:
    """The player's preferences. Every field has a safe default; bad values in the file are ignored."""

    typewriter: bool = True
    """Reveal scene text letter by letter. Any key shows the rest at once."""
    typewriter_speed: str = "normal"
    theme: str = "textual-dark"
    autoplay: float = 1.0
    """Seconds per step when a replay plays itself."""

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
        return TYPEWRITER_SPEEDS[self.typewriter_speed]


def load_settings(folder: Path) -> Settings:
    data = _read_json(folder / SETTINGS_FILE)
    return Settings.from_dict(data) if data else Settings()


def save_settings(folder: Path, settings: Settings) -> None:
    write_atomic(folder / SETTINGS_FILE, (json.dumps(asdict(settings), indent=2) + "\n").encode("utf-8"))


@dataclass
class Found:
    """One ending the player has reached, in any run."""

    title: str
    side: str
    first: str
    """ISO date and time it was first reached."""
    times: int = 1
    steps: int = 0
    """The fewest choices it took."""


@dataclass
class Gallery:
    """Endings found across runs, per story id, so a reworked story keeps its own gallery."""

    stories: dict[str, dict[str, Found]] = field(default_factory=dict)

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
                                         for sid, book in self.stories.items()}}
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def load_gallery(folder: Path) -> Gallery:
    data = _read_json(folder / GALLERY_FILE)
    gallery = Gallery()
    stories = data.get("stories") if data else None
    if not isinstance(stories, dict):
        return gallery
    for sid, book in stories.items():
        if not isinstance(book, dict):
            continue
        for eid, raw in book.items():
            if not isinstance(raw, dict):
                continue
            try:
                found = Found(str(raw["title"]), str(raw["side"]), str(raw["first"]),
                              int(raw.get("times", 1)), int(raw.get("steps", 0)))
            except (KeyError, TypeError, ValueError):
                continue
            gallery.stories.setdefault(str(sid), {})[str(eid)] = found
    return gallery


def save_gallery(folder: Path, gallery: Gallery) -> None:
    write_atomic(folder / GALLERY_FILE, gallery.to_json().encode("utf-8"))
