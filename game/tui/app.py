"""The Boardroom app: it shows the game the controller plays, and nothing else.

Startup is the title screen and nothing else: every other screen is imported when first shown,
and the validator (pydantic) only when the story changed and must be compiled again, after a
first frame that says so (`loading.py`). Every decision about the game (runs, saves, the
gallery, reloads) is the controller's (`game.controller.game.Game`); the app maps its outcomes
to screens and notifications, and screens tell the app what the player did through messages
(`game.tui.messages`). The layers it is built from: `shell.py`, `playing.py`, `loading.py`.
"""

from __future__ import annotations

import datetime as dt
import gc
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Optional

from textual.app import App, InvalidThemeError
from textual.binding import Binding
from textual.screen import Screen

from game.controller.game import Game
from game.controller.settings import Settings, load_settings
from game.folders import config_dir
from game.tui.loading import Loading
from game.tui.screens.title import TitleScreen

if TYPE_CHECKING:
    from textual.command import Provider

    from game.engine import Meter, State, Story
    from game.runs import RunFile


def _game_commands() -> type["Provider"]:
    """The game's commands in the palette: imported when the palette first opens, not before
    the first frame (as Textual's own system commands are)."""
    from game.tui.commands import GameCommands

    return GameCommands


class BoardroomApp(Loading):
    """The game. Construct it with explicit folders (tests point them at tmp dirs)."""

    CSS_PATH = Path(__file__).parent / "title.tcss"
    TITLE = "Boardroom"
    COMMANDS = App.COMMANDS | {_game_commands}
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (80, "-wide")]
    BINDINGS = [
        Binding("ctrl+q", "request_quit", "Quit", priority=True, show=False),
        Binding("ctrl+c", "request_quit", "Quit", priority=True, show=False),
        # priority: a modal dialog (Load, History...) would otherwise keep F1 from the app
        Binding("f1", "help", "Help", show=False, priority=True),
    ]

    def __init__(
        self,
        story_dir: Path | str = "story",
        saves_dir: Path | str = "saves",
        *,
        config: Path | str | None = None,
        settings: Optional[Settings] = None,
        side: Optional[str] = None,
        run: Optional["RunFile"] = None,
        state: Optional["State"] = None,
        story: Optional["Story"] = None,
        watch: bool = False,
        now: Optional[Callable[[], dt.datetime]] = None,
    ) -> None:
        super().__init__()
        folder = Path(config) if config is not None else config_dir()
        self._problems = []
        self.game = Game(Path(story_dir), Path(saves_dir), folder,
                         settings if settings is not None else load_settings(folder, self._problems), now=now)
        self._given_story = story
        self._loaded_story = None
        self.watching = watch
        """--watch: reload the story when a file changes (named so as not to shadow `DOMNode.watch`)."""
        self._start_side = side
        self._start_run = run
        self._start_state = state
        self._waiting = []
        self._autosaver = None
        self._watcher = None
        self._generation = 0
        self._failed = False
        try:
            self.theme = self.settings.theme
        except InvalidThemeError:
            self.theme = "textual-dark"

    def get_default_screen(self) -> Screen:
        return TitleScreen(deferred=self.starts_in_play)

    def on_mount(self) -> None:
        if not self.is_headless and self.console.color_system in ("standard", "windows"):
            self.add_class("-ansi16")  # 16 colours: highlights switch to pairs that stay readable (title.tcss)
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        self._check_size(self.size.width, self.size.height)
        self._begin()

    def action_settings(self) -> None:
        from game.tui.screens.preferences import SettingsScreen

        self.push_screen(SettingsScreen(self.settings))

    def action_help(self, section: str = "") -> None:
        from game.tui.screens.help import HelpScreen, section_for

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss()  # F1 again closes it, as its own binding says
            return
        side_name: Optional[str] = None
        meters: tuple["Meter", ...] = ()
        if self.session is not None and self.story is not None:
            side_name = self.story.sides[self.session.side].name
            meters = self.session.view().meters
        self.push_screen(HelpScreen(section or section_for(self.screen), side_name=side_name, meters=meters))

    def action_toggle_typewriter(self) -> None:
        self.settings.typewriter = not self.settings.typewriter
        self.save_settings()
        self.notify(f"Typewriter text {'on' if self.settings.typewriter else 'off'}.", markup=False)

    def _theme_changed(self, theme: Any) -> None:
        if self.settings.theme != self.theme:
            self.settings.theme = self.theme
            self.save_settings()

    def action_request_quit(self) -> None:
        from game.tui.screens.dialogs import QuitScreen
        from game.tui.screens.toosmall import TooSmallScreen

        if isinstance(self.screen, QuitScreen):  # ctrl+q twice quits
            self.screen.dismiss(True)
            return
        if self._failed or isinstance(self.screen, TooSmallScreen):
            self.quit_now()
            return
        running = self.session is not None and not self.session.over

        def answer(ok: Optional[bool]) -> None:
            if ok:
                self.quit_now()

        self.push_screen(QuitScreen(running), answer)

    def quit_now(self) -> None:
        self.save_read()
        if self._autosaver is not None:
            self._autosaver.close()
        self.exit(return_code=1 if self._failed else 0)

    def on_unmount(self) -> None:
        if self._autosaver is not None:
            self._autosaver.close()
        self.game.save_read()  # nowhere left to report a failure: the next session reads them again
        self.game.close()
        gc.unfreeze()  # let what was frozen at load be collected once the app is gone (tests run many apps)
