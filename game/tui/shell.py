"""What every part of the app leans on: the game, the screen stack, toasts and the autosave.

The app is built in layers, each a class over the one before: `Shell` (this), `Playing`
(the player's actions and the outcomes they come to, `playing.py`), `Loading` (the story
at startup and under --watch, `loading.py`) and `BoardroomApp` (`app.py`).
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Optional

from textual.app import App
from textual.screen import ModalScreen, Screen

from game.controller.game import Game
from game.controller.outcomes import Notice
from game.controller.settings import Gallery, Settings
from game.tui.screens.title import TitleScreen

if TYPE_CHECKING:
    from game.controller.session import Session
    from game.engine import Story
    from game.runs import SaveEntry, Saves
    from game.tui.autosave import Autosaver

MIN_WIDTH, MIN_HEIGHT = 60, 20


class Shell(App[None]):
    """The game's state as screens and tests read it (the controller owns it), and the stack."""

    game: Game
    _failed: bool
    """The story did not load: only quitting, or a fix under --watch, is left."""
    _waiting: list[Callable[[], None]]
    """What to do once the story has loaded (a key pressed before it had)."""
    _autosaver: Optional["Autosaver"]
    _given_story: Optional["Story"]
    """The story the command line loaded already (for --side and --load), or None."""
    _loaded_story: Optional["Story"]
    """The story as soon as it is loaded, before the saves are listed (`game.story` waits for them)."""

    @property
    def story(self) -> Optional["Story"]:
        return self.game.story

    @property
    def story_dir(self) -> Path:
        return self.game.story_dir

    @property
    def settings(self) -> Settings:
        return self.game.settings

    @property
    def session(self) -> Optional["Session"]:
        return self.game.session

    @property
    def saves(self) -> Optional["Saves"]:
        return self.game.saves

    @property
    def gallery(self) -> Gallery:
        return self.game.gallery

    @property
    def latest(self) -> Optional["SaveEntry"]:
        return self.game.latest

    def now(self) -> dt.datetime:
        return self.game.now()

    def tell(self, notice: Notice, timeout: Optional[float] = None) -> None:
        """Show a controller's notice as a toast (never as markup: it may quote story text)."""
        self.notify(notice.message, title=notice.title, severity=notice.severity, markup=False, timeout=timeout)

    @property
    def main_screen(self) -> Optional[Screen[Any]]:
        """The screen just above the title (play, ending, replays...), under any dialogs."""
        stack = self.screen_stack
        return stack[1] if len(stack) > 1 and not isinstance(stack[1], ModalScreen) else None

    def _close_dialogs(self) -> None:
        while len(self.screen_stack) > 2 and isinstance(self.screen, ModalScreen):
            self.pop_screen()

    @property
    def title_screen(self) -> Optional[TitleScreen]:
        for screen in self.screen_stack:
            if isinstance(screen, TitleScreen):
                return screen
        return None

    def with_story(self, callback: Callable[[], None]) -> None:
        """Run `callback` once the story is loaded (at once if it is)."""
        if self.story is not None:
            callback()
        elif self._failed:
            self.notify("The story has errors; fix them and restart (or use --watch).", severity="error",
                        markup=False)
        else:
            if self._given_story is None and self.title_screen is not None and not self.title_screen.story_shown:
                self.notify("Loading the story…", markup=False, timeout=2)
            self._waiting.append(callback)

    def show_main(self, screen: Screen[Any]) -> None:
        """Show a main screen just above the title: the stack is title, one main screen, dialogs."""
        if "game.tui.screens.toosmall" in sys.modules:  # shown once: imported then, not before
            from game.tui.screens.toosmall import TooSmallScreen

            if isinstance(self.screen, TooSmallScreen):
                self.pop_screen()  # the new screen goes under a fresh one (see `_check_size` below)
        self._close_dialogs()
        if self.main_screen is not None and self.screen is self.main_screen:
            old = self.main_screen
            self.switch_screen(screen)
            # Textual removes the screen switched away from once the new one has mounted, so its
            # widgets and all they last drew would still be alive while the new screen is built
            # and drawn: the play screen under the ending is the peak of a play-through's memory.
            # Every main screen is made anew when shown, so nothing shows these widgets again.
            old.remove_children()
        else:
            self.push_screen(screen)
        self.call_after_refresh(lambda: self._check_size(self.size.width, self.size.height))

    def on_resize(self, event: Any) -> None:
        self._check_size(event.size.width, event.size.height)

    def _check_size(self, width: int, height: int) -> None:
        small = width < MIN_WIDTH or height < MIN_HEIGHT
        top = self.screen if self.screen_stack else None
        if not small and "game.tui.screens.toosmall" not in sys.modules:
            return  # big enough, and that screen was never shown: nothing to import for it
        from game.tui.screens.toosmall import TooSmallScreen

        if small and not isinstance(top, TooSmallScreen):
            self.push_screen(TooSmallScreen(MIN_WIDTH, MIN_HEIGHT))
        elif isinstance(top, TooSmallScreen):
            if small:
                top.show_size(width, height)
            else:
                top.dismiss()

    def run_changed(self) -> None:
        """After every choice or undo: autosave, off the UI thread."""
        job = self.game.autosave_job()
        if job is not None and self._autosaver is not None:
            self._autosaver.submit(job)

    def _autosave_failed(self, message: str) -> None:
        try:
            self.call_from_thread(self.notify, f"Autosave failed: {message}", severity="error", markup=False)
        except RuntimeError:
            pass  # the app is already closing; there is no screen left to say it on

    def flush_saves(self) -> None:
        if self._autosaver is not None:
            self._autosaver.flush()

    def save_settings(self) -> None:
        problem = self.game.save_settings()
        if problem is not None:
            self.tell(problem)
