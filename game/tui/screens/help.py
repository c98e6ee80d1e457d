"""Every key, screen by screen, read from the screens' own bindings so it cannot fall out of date.

Also what the meters mean for the side being played (the story's own words), what the badges
mean, and where saves and settings live. Help opens at the section of the screen it was
called from, so the keys the player is looking for are the first thing they see.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable, Optional, Sequence

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.keys import format_key, key_to_character
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from game.format import PROVENANCE, PROVENANCE_HELP
from game.tui.widgets.footer import Footer

if TYPE_CHECKING:
    from game.engine import Meter

KEY_NAMES = {
    "question_mark": "?", "escape": "Esc", "enter": "Enter", "space": "Space", "pageup": "PgUp",
    "pagedown": "PgDn", "left": "←", "right": "→", "up": "↑", "down": "↓", "home": "Home", "end": "End",
    "plus": "+", "minus": "-", "full_stop": ".", "comma": ",", "tab": "Tab", "delete": "Del",
}


def key_name(key: str) -> str:
    """How a player would write the key: '?', '=', 'PgDn', 'ctrl+s', never 'equals_sign'."""
    if key in KEY_NAMES:
        return KEY_NAMES[key]
    if key.startswith("ctrl+"):
        return "ctrl+" + key_name(key[5:])
    if key.startswith("f") and key[1:].isdigit():
        return key.upper()
    character = key_to_character(key)
    if character is not None and character.isprintable() and not character.isspace():
        return character
    return format_key(key)


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


RUN_ROWS = [
    ("↑ ↓ Enter", "Pick a run; the line under the list spells it out in full"),
    ("← →", "Scroll the list sideways when it is wider than the screen"),
    ("a click on a header", "Sort by that column; a second click flips the order"),
    ("", "Delete moves the run to the trash folder inside the saves folder (it asks first); "
         "move the file back into the saves folder to restore it"),
]
"""What Load and Replays do besides their keys: the table, sorting, where deleted runs go."""


def sections() -> list[tuple[str, str, list[tuple[str, str]]]]:
    """(id, title, rows) for every screen and dialog, in the order a player meets them."""
    from game.tui.app import BoardroomApp
    from game.tui.screens.ending import EndingScreen
    from game.tui.screens.gallery import GalleryScreen
    from game.tui.screens.history import HistoryScreen, StepList
    from game.tui.screens.play import PlayScreen
    from game.tui.screens.replays import ReplayBrowser, ReplayViewer
    from game.tui.screens.saves import LoadScreen
    from game.tui.screens.sides import SideScreen
    from game.tui.screens.sources import SourcesScreen
    from game.tui.screens.title import TitleScreen

    everywhere = _rows(BoardroomApp.BINDINGS) + [("ctrl+p", "Command palette: every command, and the themes")]
    return [
        ("everywhere", "Everywhere", [("ctrl+q / ctrl+c / q", "Quit (asks first; your run is saved)")]
         + [r for r in everywhere if "Quit" not in r[1]]),
        ("title", "Title screen", _rows(TitleScreen.BINDINGS)),
        ("sides", "Choosing a side", _rows(SideScreen.BINDINGS) + [("↑ ↓ Enter", "Pick with the arrows")]),
        ("play", "Playing", _rows(PlayScreen.BINDINGS) + [
            ("↑ ↓ Enter", "Pick a choice with the arrows"),
            ("a click", "Take the choice clicked; the wheel scrolls the text"),
            ("any key", "Show the rest of the text at once (a number never chooses unseen)")]),
        ("history", "The run so far (history)", _rows(StepList.BINDINGS) + _rows(HistoryScreen.BINDINGS)
         + [("↑ ↓", "Move between steps; the text read at each shows beside the list")]),
        ("sources", "A scene's sources (s)", _rows(SourcesScreen.BINDINGS)
         + [("← →", "Scroll sideways to the end of a long link")]),
        ("ending", "An ending", _rows(EndingScreen.BINDINGS)),
        ("gallery", "Endings found", _rows(GalleryScreen.BINDINGS)),
        ("load", "Loading a saved run", _rows(LoadScreen.BINDINGS) + RUN_ROWS),
        ("replays", "Replays", _rows(ReplayBrowser.BINDINGS) + RUN_ROWS),
        ("viewer", "Watching a replay", _rows(ReplayViewer.BINDINGS)),
    ]


SECTION_OF: dict[str, str] = {
    "TitleScreen": "title", "SideScreen": "sides", "PlayScreen": "play", "HistoryScreen": "history",
    "EndingScreen": "ending", "GalleryScreen": "gallery", "LoadScreen": "load", "ReplayBrowser": "replays",
    "ReplayViewer": "viewer", "SourcesScreen": "sources", "TimelineScreen": "play", "StoryMapScreen": "play",
    "MetersScreen": "meters",
}
"""Which section help opens at, by the class name of the screen it was called from."""


def section_for(screen: Screen) -> Optional[str]:
    for cls in type(screen).__mro__:
        if cls.__name__ in SECTION_OF:
            return SECTION_OF[cls.__name__]
    return None


def _grid(rows: Sequence[tuple[str, str]]) -> Table:
    grid = Table.grid(padding=(0, 2), pad_edge=True)
    grid.add_column(no_wrap=True, style="bold")
    grid.add_column(ratio=1)
    for keys, what in rows:
        grid.add_row(keys, what)
    return grid


def keys_section(title: str, rows: Sequence[tuple[str, str]]) -> Group:
    """Rich renderables, so long descriptions wrap under themselves rather than under the keys."""
    return Group(Text(title.upper(), style="bold dim"), _grid(rows), Text(""))


def meter_rows(meters: Sequence["Meter"]) -> list[tuple[str, str]]:
    """(label, explanation) per meter: what it measures, then what it means for this side."""
    out = []
    for m in meters:
        words = " ".join(part for part in (m.description, m.meaning) if part)
        out.append((m.label, words or "The story does not say more about this meter."))
    return out


def meters_section(side_name: Optional[str], meters: Sequence["Meter"]) -> Group:
    if not meters:
        return Group(Text("WHAT THE METERS MEAN", style="bold dim"),
                     Text("Start a run: the meters and what they mean for your side show here."), Text(""))
    title = f"WHAT THE METERS MEAN FOR {side_name.upper()}" if side_name else "WHAT THE METERS MEAN"
    grid = Table.grid(padding=(0, 2), pad_edge=True)
    grid.add_column(no_wrap=True, style="bold", max_width=22)
    grid.add_column(ratio=1)
    for label, words in meter_rows(meters):
        grid.add_row(label, words)
        grid.add_row("", "")
    note = Text("From 96 columns the sidebar beside the text shows each meter's bar, how the last choice moved "
                "it (▲ ▼) and its course over the run; hover a meter there for this text. In a narrower terminal "
                "the meters share a line or two above the choices, by short name (i shows the sidebar instead). "
                "Press w while playing for this text. A locked choice names the meter that would open it.",
                style="dim")
    return Group(Text(title, style="bold dim"), note, Text(""), grid)


def other_parts() -> Group:
    grid = Table.grid(padding=(0, 2), pad_edge=True)
    grid.add_column(no_wrap=True, style="bold")
    grid.add_column(ratio=1)
    for key, label in PROVENANCE.items():
        grid.add_row(label, PROVENANCE_HELP[key])
    return Group(
        Text("WHAT THE BADGES MEAN", style="bold dim"), grid, Text(""), Text("SAVES AND SETTINGS", style="bold dim"),
        Text("Every choice is saved automatically; Continue on the title screen opens the run you played last. "
             "F5 quick saves, F9 quick loads, ctrl+s saves under a name; Load and Replays rename (r), delete "
             "(d or Del) and sort (s) runs, and a deleted run goes to the trash folder inside the saves folder. Settings (o on the "
             "title screen) set the typewriter's speed, or instant text, and whether scenes already read "
             "appear at once. Settings, the endings found and the scenes read are kept in the config folder "
             "($BOARDROOM_CONFIG_DIR, or ~/.config/boardroom)."))


def help_text(meters: Sequence["Meter"] = ()) -> str:
    """The help as plain text (what a test or a screen reader reads)."""
    lines: list[str] = []
    for _, title, rows in sections():
        lines.append(title.upper())
        lines += [f"  {keys}  {what}" for keys, what in rows]
    lines += [f"{label}: {words}" for label, words in meter_rows(meters)]
    lines += [f"{label}: {PROVENANCE_HELP[key]}" for key, label in PROVENANCE.items()]
    return "\n".join(lines)


class HelpScreen(ModalScreen[None]):
    """Opens scrolled to `section` (an id from `sections()`, or "meters")."""

    BINDINGS = [
        Binding("escape", "dismiss", "Close"),
        Binding("question_mark", "dismiss", "Close", show=False),
        Binding("f1", "dismiss", "Close", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
    ]

    def __init__(self, section: Optional[str] = None, *, side_name: Optional[str] = None,
                 meters: Sequence["Meter"] = ()):
        super().__init__()
        self.section = section
        self.side_name = side_name
        self.meters = tuple(meters)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide-dialog list-dialog", id="help-dialog"):
            yield Static(Content.styled("Keys and help", "bold"), classes="dialog-title")
            with VerticalScroll(id="help-scroll"):
                for sid, title, rows in sections():
                    yield Static(keys_section(title, rows), id=f"help-{sid}", classes="help-section")
                    if sid == "play":
                        yield Static(meters_section(self.side_name, self.meters), id="help-meters",
                                     classes="help-section")
                yield Static(other_parts(), id="help-other", classes="help-section")
        yield Footer()

    def on_mount(self) -> None:
        scroll = self.query_one("#help-scroll", VerticalScroll)
        scroll.focus()
        if self.section:
            self.call_after_refresh(self._open_at, self.section)

    def _open_at(self, section: str) -> None:
        target = self.query(f"#help-{section}")
        if target:
            self.query_one("#help-scroll", VerticalScroll).scroll_to_widget(target.first(), top=True, animate=False)

    def action_page(self, direction: int) -> None:
        scroll = self.query_one("#help-scroll", VerticalScroll)
        scroll.scroll_page_down(animate=False) if direction > 0 else scroll.scroll_page_up(animate=False)
