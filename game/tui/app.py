"""The Boardroom app: it shows the game the controller plays, and nothing else.

Startup is the title screen and nothing else: the story (pydantic, the engine), the saves
and every other screen are imported after the first frame, in a worker thread or when first
shown. Every decision about the game (runs, saves, the gallery, reloads) is the controller's
(`game.controller.game.Game`); the app maps its outcomes to screens and notifications, and
screens tell the app what the player did through messages (`game.tui.messages`).
"""

from __future__ import annotations

import datetime as dt
import gc
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Optional

from textual import on, work
from textual.app import App, InvalidThemeError
from textual.binding import Binding
from textual.screen import ModalScreen, Screen

from game.controller.game import Game, Loaded
from game.controller.outcomes import Diverged, Ended, Moved, Notice, Opened, Refused, Reloaded, Started
from game.controller.settings import Gallery, Settings, load_settings
from game.folders import config_dir
from game.tui import messages
from game.tui.commands import GameCommands
from game.tui.screens.title import TitleScreen

if TYPE_CHECKING:
    from game.controller.session import Session
    from game.controller.watch import StoryWatch
    from game.engine import Diagnostic, Story
    from game.runs import RunFile, SaveEntry, Saves
    from game.tui.autosave import Autosaver

MIN_WIDTH, MIN_HEIGHT = 60, 20
GAME_CSS = Path(__file__).parent / "app.tcss"
STALE_TITLE = "Stale story"
"""--watch: the title of the toast that stays while the story files do not load."""
STALE_SECONDS = 10.0 ** 9
"""Never times out by itself: it goes when the story loads (or when clicked)."""
"""Every screen but the title's: parsed after the first frame (see `on_ready`)."""


class BoardroomApp(App[None]):
    """The game. Construct it with explicit folders (tests point them at tmp dirs)."""

    CSS_PATH = Path(__file__).parent / "title.tcss"
    TITLE = "Boardroom"
    COMMANDS = App.COMMANDS | {GameCommands}
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (80, "-wide")]
    BINDINGS = [
        Binding("ctrl+q", "request_quit", "Quit", priority=True, show=False),
        Binding("ctrl+c", "request_quit", "Quit", priority=True, show=False),
        Binding("f1", "help", "Help", show=False),
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
        story: Optional["Story"] = None,
        watch: bool = False,
        now: Optional[Callable[[], dt.datetime]] = None,
    ) -> None:
        super().__init__()
        folder = Path(config) if config is not None else config_dir()
        self._problems: list[str] = []
        """Damaged settings or gallery files set aside at startup: told once the first screen is up."""
        self.game = Game(Path(story_dir), Path(saves_dir), folder,
                         settings if settings is not None else load_settings(folder, self._problems), now=now)
        self._given_story = story
        self._loaded_story: Optional["Story"] = None
        """The story as soon as it is loaded, before the saves are listed (`game.story` waits for them)."""
        self.watching = watch
        """--watch: reload the story when a file changes (named so as not to shadow `DOMNode.watch`)."""
        self._start_side = side
        self._start_run = run
        self._waiting: list[Callable[[], None]] = []
        self._autosaver: Optional["Autosaver"] = None
        self._watcher: Optional["StoryWatch"] = None
        self._generation = 0
        self._failed = False
        try:
            self.theme = self.settings.theme
        except InvalidThemeError:
            self.theme = "textual-dark"

    # The game's state, read by screens and tests; the controller owns it.

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

    def get_default_screen(self) -> Screen:
        return TitleScreen()

    def tell(self, notice: Notice, timeout: Optional[float] = None) -> None:
        """Show a controller's notice as a toast (never as markup: it may quote story text)."""
        self.notify(notice.message, title=notice.title, severity=notice.severity, markup=False, timeout=timeout)

    # ------------------------------------------------------------------ startup

    def on_mount(self) -> None:
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        self._check_size(self.size.width, self.size.height)
        self._prepare()

    def load_game_css(self) -> None:
        """Parse the stylesheet of every screen but the title's, once.

        Parsing it and restyling the title costs as much as loading the story from the cache,
        so it waits until the story is on the title screen; any screen shown before then (a
        key pressed at once, the terminal-too-small notice) asks for it first."""
        if str(GAME_CSS) not in {str(p) for p in self.css_path}:
            self.css_path.append(GAME_CSS)
            self.stylesheet.read(GAME_CSS)
            self.refresh_css(animate=False)

    def push_screen(self, screen: Any, *args: Any, **kwargs: Any) -> Any:
        self.load_game_css()
        return super().push_screen(screen, *args, **kwargs)

    def switch_screen(self, screen: Any) -> Any:
        self.load_game_css()
        return super().switch_screen(screen)

    @work(thread=True, exclusive=True, group="story", exit_on_error=False)
    def _prepare(self) -> None:
        """Off the UI thread: load the story and show its name at once, then list the saves and
        read the gallery (which imports the run format's validator, pydantic)."""
        from game.controller.watch import StoryWatch

        story = self._given_story
        diagnostics: list["Diagnostic"] = []
        if story is None:
            # from the compiled cache when the story is unchanged; --watch is for authors: from source
            story, diagnostics = self.game.load_story(cached=not self.watching)
        if story is not None:
            # Let the title repaint with the story's name before importing the run format's
            # validator: this thread would otherwise hold the interpreter lock through that repaint.
            painted = threading.Event()
            self.call_from_thread(self._story_loaded, story, painted)
            painted.wait(timeout=1.0)
        loaded = self.game.read(story)
        if story is None:
            loaded = Loaded(None, diagnostics, loaded.saves, loaded.latest, loaded.gallery)
        watcher = StoryWatch(self.story_dir) if self.watching else None
        self.call_from_thread(self._prepared, loaded, watcher)

    def _story_loaded(self, story: "Story", painted: threading.Event) -> None:
        """The title names the story as soon as it is loaded; the rest of the stylesheet follows
        the repaint. Actions wait for the saves (`with_story`), which come right after."""
        self._loaded_story = story
        title = self.title_screen
        if title is not None and self._start_side is None and self._start_run is None:
            title.show_story(story.title, story.subtitle)

        def after_repaint() -> None:
            painted.set()
            self.load_game_css()

        self.call_after_refresh(after_repaint)

    def _prepared(self, loaded: Loaded, watcher: Optional["StoryWatch"]) -> None:
        from game.controller.watch import POLL_SECONDS
        from game.tui.autosave import Autosaver

        self.game.take(loaded)
        for problem in [*self._problems, *loaded.problems]:
            self.tell(Notice(problem, title="Set aside", severity="warning"), timeout=10)
        self._problems = []
        self._watcher = watcher
        if self._autosaver is None:
            self._autosaver = Autosaver(self._autosave_failed)
        if self.watching:
            self.set_interval(POLL_SECONDS, self._poll_story, name="watch-story")
        if loaded.story is None:
            self._story_failed(loaded.diagnostics)
            return
        self._story_ready()

    def _story_ready(self) -> None:
        # What exists now (Textual, the engine, the story) lives as long as the app: take it out of
        # the garbage collector's full passes, which would otherwise walk it every time and stall
        # a keypress for tens of milliseconds (gc.freeze, as long-running servers do). After the
        # next repaint: a key pressed while the story loaded is answered first.
        self.call_after_refresh(_freeze_heap)
        story = self.story
        assert story is not None
        self._failed = False
        title = self.title_screen
        if title is not None:
            title.show_story(story.title, story.subtitle)
            title.show_continue(self.game.describe_entry(self.latest) if self.latest else None)
        waiting, self._waiting = self._waiting, []
        for callback in waiting:
            callback()
        if self._start_side is not None:
            side, self._start_side = self._start_side, None
            self.start_new(side)
        elif self._start_run is not None:
            run, self._start_run = self._start_run, None
            self.open_run(run)

    def _story_failed(self, diagnostics: list["Diagnostic"]) -> None:
        from game.tui.screens.errors import StoryErrorsScreen

        self._failed = True
        if self.title_screen is not None:
            self.title_screen.show_problem("The story has errors and cannot be played.")
        self.push_screen(StoryErrorsScreen(diagnostics, str(self.story_dir), self.watching))

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

    # ------------------------------------------------------------------ size

    def on_resize(self, event: Any) -> None:
        self._check_size(event.size.width, event.size.height)

    def _check_size(self, width: int, height: int) -> None:
        from game.tui.screens.toosmall import TooSmallScreen

        small = width < MIN_WIDTH or height < MIN_HEIGHT
        top = self.screen if self.screen_stack else None
        if small and not isinstance(top, TooSmallScreen):
            self.push_screen(TooSmallScreen(MIN_WIDTH, MIN_HEIGHT))
        elif isinstance(top, TooSmallScreen):
            if small:
                top.show_size(width, height)
            else:
                top.dismiss()

    # ------------------------------------------------------------------ showing outcomes

    def show_main(self, screen: Screen[Any]) -> None:
        """Show a main screen just above the title: the stack is title, one main screen, dialogs."""
        from game.tui.screens.toosmall import TooSmallScreen

        if isinstance(self.screen, TooSmallScreen):
            self.pop_screen()  # the new screen goes under a fresh one (see `_check_size` below)
        self._close_dialogs()
        if self.main_screen is not None and self.screen is self.main_screen:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)
        self.call_after_refresh(lambda: self._check_size(self.size.width, self.size.height))

    def show_started(self, started: Started) -> None:
        """The run in progress is a new one (or came back): its play screen, or its ending."""
        from game.tui.screens.play import PlayScreen

        if started.kept is not None:
            self.tell(started.kept, timeout=6)
        if started.over:
            self.show_ending(self.game.ending(record=False))
        else:
            self.show_main(PlayScreen(started.session, started.note))

    def show_opened(self, outcome: Opened) -> None:
        """A saved run opened: shown, refused, or — when it no longer fits — asked about first."""
        if isinstance(outcome, Refused):
            self.tell(outcome.notice)
        elif isinstance(outcome, Diverged):
            from game.tui.screens.dialogs import DivergenceScreen

            def answer(ok: Optional[bool]) -> None:
                if ok:
                    self.flush_saves()
                    self.show_started(self.game.accept(outcome))

            self.push_screen(DivergenceScreen(outcome.divergence, outcome.fits, outcome.total), answer)
        else:
            self.show_started(outcome)

    def show_ending(self, ended: Ended) -> None:
        from game.tui.screens.ending import EndingScreen

        if ended.problem is not None:
            self.tell(ended.problem)
        assert self.session is not None
        self.show_main(EndingScreen(self.session, new_ending=ended.new, found=ended.found, total=ended.total))

    # ------------------------------------------------------------------ the player's actions

    def action_to_title(self) -> None:
        while len(self.screen_stack) > 1:
            self.pop_screen()
        title = self.title_screen
        if title is not None:
            title.show_continue(self.game.describe_current())

    def action_new_game(self) -> None:
        def go() -> None:
            from game.tui.screens.sides import SideScreen

            self.show_main(SideScreen(self.story or self._loaded_story))  # type: ignore[arg-type]

        if self._loaded_story is not None and not self._failed:
            go()  # choosing a side needs the story only; starting the run waits for the saves
        else:
            self.with_story(go)

    def start_new(self, side: str) -> None:
        if self.story is None:  # the saves are still being listed: the run starts right after
            self.with_story(lambda: self.start_new(side))
            return
        self.flush_saves()
        outcome = self.game.start(side)
        if isinstance(outcome, Refused):
            self.tell(outcome.notice)
        else:
            self.show_started(outcome)

    def action_continue_run(self) -> None:
        def go() -> None:
            self.flush_saves()
            self.show_opened(self.game.continue_run())

        self.with_story(go)

    def open_run(self, run: "RunFile", what: str = "") -> None:
        """Resume a saved run: the snapshot if the story is unchanged, else a replay of its steps."""
        self.flush_saves()
        self.show_opened(self.game.open(run, what))

    @on(messages.ChoiceTaken)
    def _choice_taken(self, message: messages.ChoiceTaken) -> None:
        from game.tui.screens.play import PlayScreen

        screen = self.main_screen
        outcome = self.game.choose(message.choice_id)
        if isinstance(outcome, Refused):
            self.tell(outcome.notice)
            if isinstance(screen, PlayScreen):
                screen.show_state(reveal=False)
            return
        self.run_changed()
        if isinstance(outcome, Ended):
            self.show_ending(outcome)
        elif isinstance(screen, PlayScreen):
            screen.chosen()

    @on(messages.UndoAsked)
    def _undo_asked(self) -> None:
        self._moved(self.game.undo(), reveal=False)

    @on(messages.BackTo)
    def _back_to(self, message: messages.BackTo) -> None:
        self._moved(self.game.go_back(message.step), reveal=False)

    def _moved(self, outcome: Moved | Refused, reveal: bool) -> None:
        """After undo or going back: the play screen again, redrawn with the note."""
        from game.tui.screens.play import PlayScreen

        if isinstance(outcome, Refused):
            self.tell(outcome.notice)
            return
        self.run_changed()
        screen = self.main_screen
        if isinstance(screen, PlayScreen):
            screen.show_state(outcome.note, reveal=reveal)
        else:
            assert self.session is not None
            self.show_main(PlayScreen(self.session, outcome.note))

    @on(messages.ReplayAsked)
    def _replay_asked(self, message: messages.ReplayAsked) -> None:
        from game.tui.screens.replays import ReplayViewer

        assert self.story is not None
        self.show_main(ReplayViewer(self.story, message.run))

    @on(messages.TakeOver)
    def _take_over(self, message: messages.TakeOver) -> None:
        self.flush_saves()
        self.show_started(self.game.take_over(message.state))
        self.run_changed()

    @on(messages.SettingsChanged)
    def _settings_changed(self) -> None:
        self.save_settings()

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

    # ------------------------------------------------------------------ saves

    def action_quick_save(self) -> None:
        self.tell(self.game.quick_save().notice)

    def action_quick_load(self) -> None:
        def go() -> None:
            self.flush_saves()
            self.show_opened(self.game.quick_load())

        self.with_story(go)

    def action_save_slot(self) -> None:
        from game.tui.screens.dialogs import SlotScreen

        if self.session is None:
            self.notify("There is no run in progress to save.", markup=False)
            return

        def named(name: Optional[str]) -> None:
            if name:
                self.tell(self.game.save_as(name).notice)

        self.push_screen(SlotScreen(self.saves), named)

    def action_load_run(self) -> None:
        def go() -> None:
            from game.tui.screens.saves import LoadScreen

            self.flush_saves()  # list the autosave as it is now, not as it was a moment ago
            assert self.saves is not None and self.story is not None

            def chosen(run: Optional["RunFile"]) -> None:
                if run is not None:
                    self.open_run(run, what="Loaded.")

            self.push_screen(LoadScreen(self.saves, self.story, self.now()), chosen)

        self.with_story(go)

    def action_replays(self) -> None:
        def go() -> None:
            from game.tui.screens.replays import ReplayBrowser

            self.flush_saves()
            assert self.saves is not None and self.story is not None
            self.show_main(ReplayBrowser(self.saves, self.story, self.now()))

        self.with_story(go)

    def action_endings(self) -> None:
        def go() -> None:
            from game.tui.screens.gallery import GalleryScreen

            assert self.story is not None
            self.show_main(GalleryScreen(self.story, self.gallery))

        self.with_story(go)

    def action_settings(self) -> None:
        from game.tui.screens.preferences import SettingsScreen

        self.push_screen(SettingsScreen(self.settings))

    def action_help(self) -> None:
        from game.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_toggle_typewriter(self) -> None:
        self.settings.typewriter = not self.settings.typewriter
        self.save_settings()
        self.notify(f"Typewriter text {'on' if self.settings.typewriter else 'off'}.", markup=False)

    def save_settings(self) -> None:
        problem = self.game.save_settings()
        if problem is not None:
            self.tell(problem)

    def _theme_changed(self, theme: Any) -> None:
        if self.settings.theme != self.theme:
            self.settings.theme = self.theme
            self.save_settings()

    # ------------------------------------------------------------------ --watch

    def _poll_story(self) -> None:
        if self._watcher is not None and self._watcher.changed():
            self._reload()

    def _reload(self) -> None:
        self._generation += 1
        self._load_generation(self._generation)

    @work(thread=True, group="reload", exit_on_error=False)
    def _load_generation(self, generation: int) -> None:
        story, diagnostics = self.game.load_story()
        self.call_from_thread(self._reloaded, story, diagnostics, generation)

    def _reloaded(self, story: Optional["Story"], diagnostics: list["Diagnostic"], generation: int) -> None:
        from game.tui.screens.errors import StoryErrorsScreen

        if generation != self._generation:
            return  # a later edit is loading already; a slow older load must not win

        if story is None:
            errors = [d for d in diagnostics if d.severity == "error"]
            first = errors[0].format() if errors else "the story has errors"
            more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
            if self._failed:
                screen = self.screen
                if isinstance(screen, StoryErrorsScreen):
                    screen.show(diagnostics)
                return
            self._mark_stale(first + more)
            return
        self._clear_stale()
        if self._failed:
            if isinstance(self.screen, StoryErrorsScreen):
                self.pop_screen()
            self.notify("The story loads now.", title="Story reloaded", markup=False)
            self.game.story = story
            self.game.refresh_latest()
            self._story_ready()
            return
        title = self.title_screen
        if title is not None:
            title.show_story(story.title, story.subtitle)
        self._show_reloaded(self.game.reload(story))

    def _mark_stale(self, problem: str) -> None:
        """Say, until the files load again, that the story on screen is no longer the one on disk.

        A toast that does not time out and follows every screen: an author who looks away while
        a save is half done still sees, on coming back, that what they play is a stale story."""
        self._clear_stale()
        self.notify(problem + "\nStill playing the last version that loaded, until the story loads again.",
                    title=STALE_TITLE, severity="error", markup=False, timeout=STALE_SECONDS)

    def _clear_stale(self) -> None:
        for notification in list(self._notifications):
            if notification.title == STALE_TITLE:
                self._unnotify(notification)

    def _show_reloaded(self, outcome: Reloaded) -> None:
        """Keep the player's place in a reloaded story: the controller replayed their run on it."""
        from game.tui.screens.ending import EndingScreen
        from game.tui.screens.play import PlayScreen

        self.tell(outcome.notice, timeout=10 if outcome.kind == "diverged" else 8 if outcome.kind == "side-gone" else None)
        if outcome.kind == "side-gone":
            self.action_to_title()
            return
        if outcome.kind == "no-run":
            return
        self.run_changed()
        session = self.session
        assert session is not None
        main = self.main_screen
        if isinstance(main, PlayScreen):
            if session.over:
                self._close_dialogs()
                self.show_ending(self.game.ending(record=False))
            else:
                main.refresh_session(session, outcome.note)
        elif isinstance(main, EndingScreen):
            self._close_dialogs()
            self.show_started(Started(session, outcome.note, None))

    # ------------------------------------------------------------------ quitting

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
        if self._autosaver is not None:
            self._autosaver.close()
        self.exit(return_code=1 if self._failed else 0)

    def on_unmount(self) -> None:
        if self._autosaver is not None:
            self._autosaver.close()
        self.game.close()
        gc.unfreeze()  # let what was frozen at load be collected once the app is gone (tests run many apps)


def _freeze_heap() -> None:
    gc.collect()
    gc.freeze()
