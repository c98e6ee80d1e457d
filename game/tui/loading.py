"""The story at startup and again under --watch.

At startup the story comes either loaded (from the compiled cache when no file changed, or
for `play --side`), and the saves are listed before the first frame, or it is compiled after a
first frame that says "loading the story…", off the UI thread.

A story that fails to load shows its errors; under --watch a later edit that loads takes over,
and a reload keeps the player's place by the controller replaying their run on the new story.
"""

from __future__ import annotations

import gc
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

from textual import work

from game.controller.game import Loaded
from game.controller.outcomes import Notice, Reloaded, Started
from game.tui.playing import Playing

if TYPE_CHECKING:
    from game.controller.watch import StoryWatch
    from game.engine import Diagnostic, State, Story
    from game.runs import RunFile

HERE = Path(__file__).parent
GAME_CSS = HERE / "app.tcss"
"""Every screen but the title's and the play screen's: parsed after the first frame (see `load_css`)."""
PLAY_CSS = HERE / "play.tcss"
"""The play screen's and the replay viewer's."""
LISTED_BEFORE_FIRST_FRAME = 512 * 1024
"""Run files up to this size in all are listed before the first frame (a few dozen ms at most);
a larger saves folder is listed after it, off the UI thread."""
STALE_TITLE = "Stale story"
"""--watch: the title of the toast that stays while the story files do not load."""
STALE_SECONDS = 10.0 ** 9
"""Never times out by itself: it goes when the story loads (or when clicked)."""


class Loading(Playing):
    watching: bool
    """--watch: reload the story when a file changes (named so as not to shadow `DOMNode.watch`)."""
    _start_side: Optional[str]
    _start_run: Optional["RunFile"]
    _start_state: Optional["State"]
    _watcher: Optional["StoryWatch"]
    _generation: int
    """Counts reloads, so a slow older load never replaces a newer one."""
    _problems: list[str]
    """Damaged settings or gallery files set aside at startup: told once the first screen is up."""

    @property
    def starts_in_play(self) -> bool:
        """`play --side`, `--load` or `--from`: the story came loaded and play starts at once."""
        return self.starts_loaded and (
            self._start_side is not None or self._start_run is not None or self._start_state is not None)

    @property
    def starts_loaded(self) -> bool:
        """The story came loaded (from the cache, or for `play --side` and the like): the first
        frame is the whole title, or the play screen."""
        return self._given_story is not None and not self.watching

    def _begin(self) -> None:
        """Load the story and the saves, then show the title or start playing.

        With the story already loaded, the saves are listed here, before the first frame, so
        that frame is the title with the story's name and "Continue" in place (or the play
        screen, with the title under it never drawn): one frame, no repaint, and no thread
        started only to be waited for. A saves folder too large to read at once is listed by
        the thread instead, after a first frame that already names the story."""
        story = self._given_story
        if self.starts_loaded and story is not None:
            self._loaded_story = story
            if self.starts_in_play:
                # The play screen is pushed once Textual's startup batch is over: a screen laid
                # out inside it is rendered and the frame thrown away, then painted piece by piece.
                # The saves are listed after its first frame (`_list_saves`).
                self.call_later(self._prepared, self.game.read(story, latest=False, listed=False), None)
                return
            self.call_after_refresh(self.load_game_css)
            if self.game.saves_bytes() <= LISTED_BEFORE_FIRST_FRAME:
                self._prepared(self.game.read(story), None)
                return
            # Many long runs: the first frame names the story, and "Continue" follows once the
            # thread has read them.
            if self.title_screen is not None:
                self.title_screen.show_story(story.title, story.subtitle)
        self._prepare()

    def load_css(self, *paths: Path) -> None:
        """Parse these stylesheets, each once, right away.

        Each holds rules for its own screens' widgets only (tests/test_startup_path.py), so
        adding one restyles nothing on screen: only the screens mounted after it use it, and no
        first frame waits for a stylesheet it does not need."""
        known = {str(p) for p in self.css_path}
        added = [path for path in paths if str(path) not in known]
        for path in added:
            self.css_path.append(path)
            self.stylesheet.read(path)
        if added:
            self.stylesheet.parse()  # now, and its rules map with it, not at the next screen's mount

    def load_game_css(self) -> None:
        """Every screen's stylesheet: after the first frame, or before a screen that needs them."""
        self.load_css(PLAY_CSS, GAME_CSS)

    def _styles_for(self, screen: Any) -> None:
        """A screen that names the stylesheets it needs (`STYLESHEETS`, file names here) gets
        those before its first frame and the rest after it; any other screen gets them all."""
        needs = getattr(screen, "STYLESHEETS", None)
        if needs is None:
            self.load_game_css()
            return
        self.load_css(*(HERE / name for name in needs))
        self.call_after_refresh(self.load_game_css)

    def push_screen(self, screen: Any, *args: Any, **kwargs: Any) -> Any:
        self._styles_for(screen)
        return super().push_screen(screen, *args, **kwargs)

    def switch_screen(self, screen: Any) -> Any:
        self._styles_for(screen)
        return super().switch_screen(screen)

    @work(thread=True, exclusive=True, group="story", exit_on_error=False)
    def _prepare(self) -> None:
        """Off the UI thread: load the story and show its name at once, then list the saves and
        read the gallery."""
        from game.controller.watch import StoryWatch

        story = self._given_story
        diagnostics: list["Diagnostic"] = []
        if story is None:
            # from the compiled cache when the story is unchanged; --watch is for authors: from source
            story, diagnostics = self.game.load_story(cached=not self.watching)
        if story is not None:
            # Let the title repaint with the story's name before reading the saves: this thread
            # would otherwise hold the interpreter lock through that repaint.
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
        if title is not None and self._start_side is None and self._start_run is None and self._start_state is None:
            title.show_story(story.title, story.subtitle)

        def after_repaint() -> None:
            painted.set()
            self.load_game_css()

        self.call_after_refresh(after_repaint)

    def _prepared(self, loaded: Loaded, watcher: Optional["StoryWatch"]) -> None:
        from game.tui.autosave import Autosaver

        self.game.take(loaded)
        for problem in [*self._problems, *loaded.problems]:
            self.tell(Notice(problem, title="Set aside", severity="warning"), timeout=10)
        self._problems = []
        self._watcher = watcher
        if self._autosaver is None:
            self._autosaver = Autosaver(self._autosave_failed)
        if self.watching:
            from game.controller.watch import POLL_SECONDS

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
        if self._start_state is not None:  # play --from: a new, unsaved run at that scene
            state, self._start_state, self._start_side = self._start_state, None, None
            self.flush_saves()
            self.show_started(self.game.start_from(state))
        elif self._start_side is not None:
            side, self._start_side = self._start_side, None
            self.start_new(side)
        elif self._start_run is not None:
            run, self._start_run = self._start_run, None
            self.open_run(run)
        self.call_after_refresh(self._list_saves)

    def _list_saves(self) -> None:
        """The saves, when the game started in play: listed once the first scene is on screen
        (unless something needed them sooner), and the autosave of another run put aside."""
        notice = self.game.list_saves()
        if notice is not None:
            self.tell(notice, timeout=6)

    def _story_failed(self, diagnostics: list["Diagnostic"]) -> None:
        from game.tui.screens.errors import StoryErrorsScreen

        self._failed = True
        gc.enable()  # off while the game started (`game.cli.main`); nothing to freeze for a story that failed
        if self.title_screen is not None:
            self.title_screen.show_problem("The story has errors and cannot be played.")
        self.push_screen(StoryErrorsScreen(diagnostics, str(self.story_dir), self.watching))

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


def _freeze_heap() -> None:
    gc.collect()
    gc.freeze()
    gc.enable()  # off while the game started (`game.cli.main`)
