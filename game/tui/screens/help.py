"""Every key, screen by screen, read from the screens' own bindings so it cannot fall out of date.

Also what the badges, meters and scale mean, and where saves and settings live.
"""

from __future__ import annotations

from typing import Iterable

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from game.format import PROVENANCE, PROVENANCE_HELP

KEY_NAMES = {
    "question_mark": "?", "escape": "Esc", "enter": "Enter", "space": "Space", "pageup": "PgUp",
    "pagedown": "PgDn", "left": "←", "right": "→", "up": "↑", "down": "↓", "home": "Home", "end": "End",
    "plus": "+", "minus": "-", "full_stop": ".", "comma": ",",
}


def key_name(key: str) -> str:
    if key in KEY_NAMES:
        return KEY_NAMES[key]
    if key.startswith("ctrl+"):
        return "ctrl+" + key_name(key[5:])
    if key.startswith("f") and key[1:].isdigit():
        return key.upper()
    return key


def _rows(bindings: Iterable[BindingType]) -> list[tuple[str, str]]:
    """(keys, what) per action. A binding with a key_display (1-9) stands for all its siblings."""
    items = [b for b in bindings if isinstance(b, Binding)]
    grouped = {b.action.split("(")[0] for b in items if b.key_display}
    out: dict[str, list] = {}  # group -> [keys, description, fixed]
    for b in items:
        base = b.action.split("(")[0]
        group = base if base in grouped else b.action
        entry = out.setdefault(group, [[], b.description, False])
        entry[1] = entry[1] or b.description
        if entry[2]:
            continue
        if b.key_display:
            entry[0], entry[2] = [b.key_display], True
            continue
        for k in b.key.split(","):
            name = key_name(k.strip())
            if name not in entry[0]:
                entry[0].append(name)
    return [(" / ".join(keys), desc or group.replace("app.", "").replace("_", " ").capitalize())
            for group, (keys, desc, _) in out.items()]


def sections() -> list[tuple[str, list[tuple[str, str]]]]:
    from game.tui.app import BoardroomApp
    from game.tui.screens.ending import EndingScreen
    from game.tui.screens.gallery import GalleryScreen
    from game.tui.screens.play import PlayScreen
    from game.tui.screens.replays import ReplayBrowser, ReplayViewer
    from game.tui.screens.sides import SideScreen
    from game.tui.screens.title import TitleScreen

    everywhere = _rows(BoardroomApp.BINDINGS) + [("ctrl+p", "Command palette: every command, and the themes")]
    return [
        ("Everywhere", [("ctrl+q / ctrl+c / q", "Quit (asks first; your run is saved)")]
         + [r for r in everywhere if "Quit" not in r[1]]),
        ("Title screen", _rows(TitleScreen.BINDINGS)),
        ("Choosing a side", _rows(SideScreen.BINDINGS) + [("↑ ↓ Enter", "Pick with the arrows")]),
        ("Playing", _rows(PlayScreen.BINDINGS) + [("↑ ↓ Enter", "Pick a choice with the arrows"),
                                                  ("any key", "Show the rest of the text at once (a number never chooses unseen)")]),
        ("An ending", _rows(EndingScreen.BINDINGS)),
        ("Endings found", _rows(GalleryScreen.BINDINGS)),
        ("Replays", _rows(ReplayBrowser.BINDINGS)),
        ("Watching a replay", _rows(ReplayViewer.BINDINGS)),
    ]


def help_content() -> Group:
    """Rich renderables, so long descriptions wrap under themselves rather than under the keys."""
    parts: list[Table | Text] = []
    for title, rows in sections():
        parts.append(Text(title.upper(), style="bold dim"))
        grid = Table.grid(padding=(0, 2), pad_edge=True)
        grid.add_column(no_wrap=True, style="bold")
        grid.add_column(ratio=1)
        for keys, what in rows:
            grid.add_row(keys, what)
        parts += [grid, Text("")]
    parts.append(Text("WHAT THE BADGES MEAN", style="bold dim"))
    grid = Table.grid(padding=(0, 2), pad_edge=True)
    grid.add_column(no_wrap=True, style="bold")
    grid.add_column(ratio=1)
    for key, label in PROVENANCE.items():
        grid.add_row(label, PROVENANCE_HELP[key])
    parts += [grid, Text(""), Text("SAVES AND SETTINGS", style="bold dim")]
    parts.append(Text("Every choice is saved automatically; Continue on the title screen picks up the latest "
                      "unfinished run. F5 quick saves, F9 quick loads, ctrl+s saves under a name. Settings and the "
                      "endings you have found are kept in the config folder ($BOARDROOM_CONFIG_DIR, or "
                      "~/.config/boardroom)."))
    return Group(*parts)


def help_text() -> str:
    """The help as plain text (what a test or a screen reader reads)."""
    lines: list[str] = []
    for title, rows in sections():
        lines.append(title.upper())
        lines += [f"  {keys}  {what}" for keys, what in rows]
    lines += [f"{label}: {PROVENANCE_HELP[key]}" for key, label in PROVENANCE.items()]
    return "\n".join(lines)


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape", "dismiss", "Close"),
        Binding("question_mark", "dismiss", "Close", show=False),
        Binding("f1", "dismiss", "Close", show=False),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide-dialog", id="help-dialog"):
            yield Static(Content.styled("Keys and help", "bold"), classes="dialog-title")
            with VerticalScroll(id="help-scroll"):
                yield Static(help_content(), id="help-body")
            yield Static(Content.styled("Escape closes · ↑ ↓ PgUp PgDn scroll", "$foreground-muted"), classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#help-scroll").focus()
