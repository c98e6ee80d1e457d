"""Settings: the typewriter, its speed, the theme, the replay speed. Saved as soon as changed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Select, Static, Switch

from game.tui import messages
from game.controller.settings import AUTOPLAY_SPEEDS, TYPEWRITER_SPEEDS, Settings
from game.tui.widgets.footer import Footer

if TYPE_CHECKING:
    from game.tui.app import BoardroomApp


class SettingsScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape", "dismiss", "Close"),
        Binding("tab", "app.focus_next", "Next setting"),
        Binding("question_mark", "app.help", "Help"),
    ]

    def __init__(self, settings: Settings):
        super().__init__()
        self.settings = settings

    @property
    def game(self) -> "BoardroomApp":
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        s = self.settings
        themes = sorted(self.app.available_themes)
        with Vertical(classes="dialog", id="settings-dialog"):
            yield Static(Content.styled("Settings", "bold"), classes="dialog-title")
            with Horizontal(classes="setting"):
                yield Static(Content("Typewriter text"), classes="setting-label")
                yield Switch(value=s.typewriter, id="typewriter")
            with Horizontal(classes="setting"):
                yield Static(Content("Skip text read"), classes="setting-label")
                yield Switch(value=s.skip_read, id="skip-read")
            with Horizontal(classes="setting"):
                yield Static(Content("Typewriter speed"), classes="setting-label")
                yield Select([(f"{name} ({cps} letters/s)" if cps else "instant (the whole scene at once)", name)
                              for name, cps in TYPEWRITER_SPEEDS.items()],
                             value=s.typewriter_speed, allow_blank=False, id="speed")
            with Horizontal(classes="setting"):
                yield Static(Content("Theme"), classes="setting-label")
                yield Select([(name, name) for name in themes],
                             value=self.app.theme if self.app.theme in themes else themes[0],
                             allow_blank=False, id="theme")
            with Horizontal(classes="setting"):
                yield Static(Content("Replay autoplay"), classes="setting-label")
                yield Select([(f"{sec:g} s per step", sec) for sec in AUTOPLAY_SPEEDS],
                             value=s.autoplay if s.autoplay in AUTOPLAY_SPEEDS else 1.0, allow_blank=False,
                             id="autoplay")
            yield Static(Content.styled("Saved as you change them.", "$foreground-muted"), classes="dialog-hint")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#typewriter", Switch).focus()

    @on(Switch.Changed, "#typewriter")
    def _typewriter(self, event: Switch.Changed) -> None:
        self.settings.typewriter = event.value
        self.post_message(messages.SettingsChanged())

    @on(Switch.Changed, "#skip-read")
    def _skip_read(self, event: Switch.Changed) -> None:
        self.settings.skip_read = event.value
        self.post_message(messages.SettingsChanged())

    @on(Select.Changed)
    def _selected(self, event: Select.Changed) -> None:
        value = event.value
        if value is Select.NULL:
            return
        if event.select.id == "speed":
            self.settings.typewriter_speed = str(value)
        elif event.select.id == "theme":
            self.settings.theme = str(value)
            self.app.theme = str(value)
        elif event.select.id == "autoplay":
            self.settings.autoplay = float(value)  # type: ignore[arg-type]
        self.post_message(messages.SettingsChanged())
