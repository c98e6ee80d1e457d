"""The Boardroom app: screens, saving, quitting, and the story loaded off the first frame's path.

Startup is the title screen and nothing else: the story (pydantic, the engine), the saves
and every other screen are imported after the first frame, in a worker thread or when first
shown. The app holds no story logic: play goes through `game.engine` (via `Session`), saves
and loads through `game.runs`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Optional

from textual import work
from textual.app import App
from textual.binding import Binding
from textual.screen import ModalScreen, Screen
from textual.app import InvalidThemeError

from game.tui.commands import GameCommands
from game.tui.screens.title import TitleScreen
from game.folders import config_dir
from game.tui.settings import Gallery, Settings, load_settings, save_settings

if TYPE_CHECKING:
    from game.engine import Diagnostic, State, Story
    from game.runs import RunFile, SaveEntry, Saves
    from game.tui.autosave import Autosaver
    from game.tui.session import Session

MIN_WIDTH, MIN_HEIGHT = 60, 20
GAME_CSS = Path(__file__).parent / "app.tcss"
"""Every screen but the title's: parsed after the first frame (see `on_ready`)."""
POLL_SECONDS = 0.5


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
        self.story_dir = Path(story_dir)
        self.saves_dir = Path(saves_dir)
        self.config_dir = Path(config) if config is not None else config_dir()
        self.settings = settings if settings is not None else load_settings(self.config_dir)
        self.story: Optional["Story"] = story
        self.gallery = Gallery()
        self.saves: Optional["Saves"] = None
        self.session: Optional["Session"] = None
        self.latest: Optional["SaveEntry"] = None
        self.watch = watch
        self.now = now or (lambda: dt.datetime.now().astimezone())
        self._start_side = side
        self._start_run = run
        self._waiting: list[Callable[[], None]] = []
        self._autosaver: Optional["Autosaver"] = None
        self._stamp: Optional[tuple[tuple[str, int, int], ...]] = None
        self._generation = 0
        self._failed = False
        self.run_created: Optional[dt.datetime] = None
        try:
            self.theme = self.settings.theme
        except InvalidThemeError:
            self.theme = "textual-dark"

    def get_default_screen(self) -> Screen:
        return TitleScreen()

    # ------------------------------------------------------------------ startup

    def on_mount(self) -> None:
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        self._check_size(self.size.width, self.size.height)

    def on_ready(self) -> None:
        # Only now, after the first frame: the rest of the stylesheet, and a thread importing the
        # engine (pydantic), would each have delayed it.
        if str(GAME_CSS) not in {str(p) for p in self.css_path}:
            self.css_path.append(GAME_CSS)
            self.stylesheet.read(GAME_CSS)
            self.refresh_css(animate=False)
        self._prepare()

    @work(thread=True, exclusive=True, group="story", exit_on_error=False)
    def _prepare(self) -> None:
        """Off the UI thread: import the engine, load the story, list the saves, read the gallery."""
        from game.engine import load_story  # noqa: F401  (pydantic and the engine load here)
        from game.engine.load import compile_story
        from game.runs import Saves
        from game.tui.settings import load_gallery

        try:
            story, diagnostics = (self.story, []) if self.story is not None else compile_story(self.story_dir)
        except OSError as exc:  # an unreadable folder or file: say which, never a traceback
            story, diagnostics = None, [_read_error(self.story_dir, exc)]
        saves = Saves(self.saves_dir)
        latest = _safe_latest(saves, story.id) if story is not None else None
        gallery = load_gallery(self.config_dir)
        stamp = _stamp(self.story_dir) if self.watch else None
        self.call_from_thread(self._prepared, story, diagnostics, saves, latest, gallery, stamp)

    def _prepared(self, story: Optional["Story"], diagnostics: list["Diagnostic"], saves: "Saves",
                  latest: Optional["SaveEntry"], gallery: Gallery, stamp: Any) -> None:
        from game.tui.autosave import Autosaver

        self.saves = saves
        self.gallery = gallery
        self._stamp = stamp
        if self._autosaver is None:
            self._autosaver = Autosaver(self._autosave_failed)
        if self.watch:
            self.set_interval(POLL_SECONDS, self._poll_story, name="watch-story")
        if story is None:
            self._story_failed(diagnostics)
            return
        self._story_ready(story, latest)

    def _story_ready(self, story: "Story", latest: Optional["SaveEntry"]) -> None:
        # What exists now (Textual, the engine, the story) lives as long as the app: take it out of
        # the garbage collector's full passes, which would otherwise walk it every time and stall
        # a keypress for tens of milliseconds (gc.freeze, as long-running servers do).
        gc.collect()
        gc.freeze()
        self.story = story
        self.latest = latest
        self._failed = False
        title = self.title_screen
        if title is not None:
            title.show_story(story.title, story.subtitle)
            title.show_continue(self.describe_entry(latest) if latest else None)
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
        self.push_screen(StoryErrorsScreen(diagnostics, str(self.story_dir), self.watch))

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

    # ------------------------------------------------------------------ the main screens

    def show_main(self, screen: Screen[Any]) -> None:
        """Show a main screen just above the title: the stack is title, one main screen, dialogs."""
        self._close_dialogs()
        if self.main_screen is not None and self.screen is self.main_screen:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)
        self.call_after_refresh(lambda: self._check_size(self.size.width, self.size.height))

    def action_to_title(self) -> None:
        while len(self.screen_stack) > 1:
            self.pop_screen()
        title = self.title_screen
        if title is not None:
            title.show_continue(self.describe_current())

    def action_new_game(self) -> None:
        def go() -> None:
            from game.tui.screens.sides import SideScreen

            self.show_main(SideScreen(self.story))  # type: ignore[arg-type]

        self.with_story(go)

    def start_new(self, side: str) -> None:
        from game.tui.session import Session

        assert self.story is not None
        self.start_session(Session.new(self.story, side), created=self.now())

    def start_session(self, session: "Session", note: str = "", created: Optional[dt.datetime] = None) -> None:
        """Make `session` the run in progress and show it (the play screen, or its ending)."""
        from game.tui.screens.play import PlayScreen

        created = created or self.now()
        self._keep_unfinished_autosave(session, created)
        self.session = session
        self.run_created = created
        if session.over:
            self.show_ending(session, record=False)
        else:
            self.show_main(PlayScreen(session, note))

    def _keep_unfinished_autosave(self, session: "Session", created: dt.datetime) -> None:
        """If another run is starting, its first choice would overwrite the autosave: keep the
        autosaved run as a named save first, so switching runs never loses one — an unfinished
        run to continue later, a finished one to replay.

        The same run going on (continue, undo, a reload, a load of its own save) is recognised by
        its side, its creation time and steps that extend or cut back the saved ones."""
        from game.runs import RunError, read_run, slot_name_problem

        if self.saves is None or self.story is None:
            return
        self.flush_saves()
        path = self.saves.autosave_path()
        if not path.exists():
            return
        try:
            old = read_run(path)
        except RunError:
            return  # Saves.save keeps an unreadable file aside by itself
        if not old.steps or old.story_id != self.story.id:
            return
        saved_steps = [(s.scene, s.choice) for s in old.steps]
        steps = [(s.scene, s.choice) for s in session.state.steps()]
        shorter = min(len(saved_steps), len(steps))
        if old.side == session.side and old.created == created and saved_steps[:shorter] == steps[:shorter]:
            return
        side = self.story.sides.get(old.side)
        base = f"{side.name if side else old.side} {old.created.astimezone(self.now().tzinfo):%Y-%m-%d %H.%M}"
        kind = "finished" if old.ended else "unfinished"
        name = base if not slot_name_problem(base) else f"{kind} run"
        for n in range(2, 100):
            if not self.saves.folder.joinpath(f"{name}.json").exists():
                break
            name = f"{base} ({n})"
        try:
            self.saves.save(old, self.saves.slot_path(name))
        except (RunError, OSError) as exc:
            self.notify(f"Could not keep your {kind} run: {exc}", severity="error", markup=False)
            return
        where = "Replays lists it" if old.ended else "Load lists it"
        self.notify(f"Your {kind} run was kept as “{name}”: {where}.", markup=False, timeout=6)

    def run_changed(self) -> None:
        """After every choice or undo: autosave, off the UI thread."""
        session, story, saves = self.session, self.story, self.saves
        if session is None or story is None or saves is None or self._autosaver is None:
            return
        state, created = session.state, self.run_created

        def job() -> None:
            from game.runs import run_from_state

            saves.save(run_from_state(story, state, label="autosave", created=created), saves.autosave_path())

        self._autosaver.submit(job)

    def _autosave_failed(self, message: str) -> None:
        try:
            self.call_from_thread(self.notify, f"Autosave failed: {message}", severity="error", markup=False)
        except RuntimeError:
            pass  # the app is already closing; there is no screen left to say it on

    def flush_saves(self) -> None:
        if self._autosaver is not None:
            self._autosaver.flush()

    def show_ending(self, session: "Session", record: bool = True) -> None:
        from game.tui.screens.ending import EndingScreen
        from game.tui.settings import save_gallery

        story = session.story
        scene = story.scenes[session.state.scene]
        assert scene.ending is not None
        new = False
        if record:
            new = self.gallery.record(story.id, scene.id, scene.ending.title, session.side, session.steps, self.now())
            try:
                save_gallery(self.config_dir, self.gallery)
            except OSError as exc:
                self.notify(f"Could not save the endings gallery: {exc}", severity="error", markup=False)
        found = len([e for e in self.gallery.found(story.id) if e in story.scenes])
        self.show_main(EndingScreen(session, new_ending=new, found=found, total=len(story.endings)))

    def action_continue_run(self) -> None:
        def go() -> None:
            if self.session is not None:
                self.start_session(self.session, created=self.run_created)
                return
            if self.latest is None or self.latest.run is None:
                self.notify("There is no saved run to continue yet: start a new game.", markup=False)
                return
            self.open_run(self.latest.run)

        self.with_story(go)

    def open_run(self, run: "RunFile", what: str = "") -> None:
        """Resume a saved run: the snapshot if the story is unchanged, else a replay of its steps."""
        from game.runs import RunError, resume
        from game.tui.session import Session

        assert self.story is not None
        try:
            resumed = resume(self.story, run)
        except RunError as exc:
            self.notify(str(exc), title="Cannot load this run", severity="error", markup=False)
            return
        created = run.created
        if resumed.divergence is None:
            self.start_session(Session.from_state(self.story, resumed.state), note=what, created=created)
            return
        from game.tui.screens.dialogs import DivergenceScreen

        def answer(ok: Optional[bool]) -> None:
            if ok:
                assert self.story is not None
                self.start_session(Session.from_state(self.story, resumed.state),
                                   note=f"Continuing from choice {resumed.state.length + 1}: the story has changed "
                                        "since this run was saved.", created=created)

        self.push_screen(DivergenceScreen(resumed.divergence, resumed.state.length, len(run.steps)), answer)

    # ------------------------------------------------------------------ saves

    def _run_for_save(self, label: str) -> Optional["RunFile"]:
        from game.runs import run_from_state

        if self.session is None or self.story is None:
            self.notify("There is no run in progress to save.", markup=False)
            return None
        return run_from_state(self.story, self.session.state, label=label, created=self.run_created)

    def action_quick_save(self) -> None:
        from game.runs import RunError

        run = self._run_for_save("quick save")
        if run is None or self.saves is None:
            return
        try:
            self.saves.save(run, self.saves.quicksave_path())
        except (RunError, OSError) as exc:
            self.notify(f"Quick save failed: {exc}", severity="error", markup=False)
            return
        self.notify(f"Quick saved at choice {len(run.steps)}. F9 loads it.", markup=False)

    def action_quick_load(self) -> None:
        def go() -> None:
            from game.runs import RunError, read_run

            assert self.saves is not None
            path = self.saves.quicksave_path()
            if not path.exists():
                self.notify("No quick save yet: F5 makes one.", markup=False)
                return
            try:
                run = read_run(path)
            except RunError as exc:
                self.notify(str(exc), title="Cannot quick load", severity="error", markup=False)
                return
            self.open_run(run, what="Quick loaded.")

        self.with_story(go)

    def action_save_slot(self) -> None:
        from game.tui.screens.dialogs import SlotScreen

        if self.session is None:
            self.notify("There is no run in progress to save.", markup=False)
            return

        def named(name: Optional[str]) -> None:
            if not name:
                return
            from game.runs import RunError

            run = self._run_for_save(name)
            if run is None or self.saves is None:
                return
            try:
                self.saves.save(run, self.saves.slot_path(name))
            except (RunError, OSError) as exc:
                self.notify(f"Could not save: {exc}", severity="error", markup=False)
                return
            self.notify(f"Saved as “{name}”.", markup=False)

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

    def watch_replay(self, run: "RunFile") -> None:
        from game.tui.screens.replays import ReplayViewer

        assert self.story is not None
        self.show_main(ReplayViewer(self.story, run))

    def take_over(self, state: "State", run: "RunFile") -> None:
        """Branch a new run from a replay's step: the old run file is left as it was."""
        from game.tui.session import Session

        assert self.story is not None
        self.start_session(Session.from_state(self.story, state),
                           note=f"You took over this run at choice {state.length + 1}. It is a new run now.",
                           created=self.now())
        self.run_changed()

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
        try:
            save_settings(self.config_dir, self.settings)
        except OSError as exc:
            self.notify(f"Could not save settings: {exc}", severity="error", markup=False)

    def _theme_changed(self, theme: Any) -> None:
        if self.settings.theme != self.theme:
            self.settings.theme = self.theme
            self.save_settings()

    # ------------------------------------------------------------------ describing runs

    def describe_entry(self, entry: "SaveEntry") -> Optional[str]:
        run = entry.run
        if run is None or self.story is None:
            return None
        side = self.story.sides.get(run.side)
        who = side.name if side else run.side
        if run.ending:
            scene = self.story.scenes.get(run.ending)
            ending = scene.ending.title if scene and scene.ending else run.ending
            return f"{who} · ended: {ending}"
        return f"{who} · {len(run.steps)} choice{'s' if len(run.steps) != 1 else ''} made"

    def describe_current(self) -> Optional[str]:
        if self.session is not None and self.story is not None:
            who = self.story.sides[self.session.side].name
            if self.session.over:
                return f"{who} · at an ending"
            return f"{who} · {self.session.steps} choice{'s' if self.session.steps != 1 else ''} made"
        return self.describe_entry(self.latest) if self.latest else None

    # ------------------------------------------------------------------ --watch

    def _poll_story(self) -> None:
        stamp = _stamp(self.story_dir)
        if stamp == self._stamp:
            return
        self._stamp = stamp
        self._reload()

    def _reload(self) -> None:
        self._generation += 1
        self._load_generation(self._generation)

    @work(thread=True, group="reload", exit_on_error=False)
    def _load_generation(self, generation: int) -> None:
        from game.engine.load import compile_story

        try:
            story, diagnostics = compile_story(self.story_dir)
        except OSError as exc:  # a file vanishing mid-save, say
            story, diagnostics = None, [_read_error(self.story_dir, exc)]
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
            self.notify(first + more + "\nStill playing the last version that loaded.", title="Story not reloaded",
                        severity="error", markup=False, timeout=8)
            return
        if self._failed:
            if isinstance(self.screen, StoryErrorsScreen):
                self.pop_screen()
            self.notify("The story loads now.", title="Story reloaded", markup=False)
            self._story_ready(story, _safe_latest(self.saves, story.id) if self.saves else None)
            return
        self.story = story
        title = self.title_screen
        if title is not None:
            title.show_story(story.title, story.subtitle)
        if self.session is None:
            self.notify("Story reloaded.", markup=False)
            return
        self._replace_session(story)

    def _replace_session(self, story: "Story") -> None:
        """Keep the player's place in a reloaded story by replaying their run on it."""
        from game.runs import replay
        from game.tui.screens.ending import EndingScreen
        from game.tui.screens.play import PlayScreen
        from game.tui.session import Session

        assert self.session is not None
        old = self.session
        if old.side not in story.sides:
            self.session = None
            self.notify(f"Story reloaded, but it has no side {old.side!r} any more: the run ends here.",
                        severity="error", markup=False, timeout=8)
            self.action_to_title()
            return
        resumed = replay(story, old.side, old.state.steps())
        session = Session.from_state(story, resumed.state)
        self.session = session
        if resumed.divergence is None:
            note = "Story reloaded: your place is kept."
            self.notify(note, markup=False)
        else:
            d = resumed.divergence
            note = (f"Story reloaded. Your run no longer fits at choice {d.step} "
                    f"({d.scene} → {d.choice}): {d.reason}. You are back at choice {session.steps + 1}.")
            self.notify(note, title="The run changed", severity="warning", markup=False, timeout=10)
        self.run_changed()
        main = self.main_screen
        if isinstance(main, PlayScreen):
            if session.over:
                self._close_dialogs()
                self.show_ending(session, record=False)
            else:
                main.refresh_session(session, note)
        elif isinstance(main, EndingScreen):
            self._close_dialogs()
            self.start_session(session, note=note, created=self.run_created)

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
        gc.unfreeze()  # let what was frozen at load be collected once the app is gone (tests run many apps)


# ---------------------------------------------------------------------- helpers


def _safe_latest(saves: "Saves", story_id: str) -> Optional["SaveEntry"]:
    """The run "continue" offers: the newest unfinished run of this story."""
    try:
        entry = saves.latest(story_id)
    except OSError:
        return None
    return entry if entry is not None and entry.run is not None else None


def _read_error(root: Path, exc: OSError) -> "Diagnostic":
    from game.engine import Diagnostic

    where = exc.filename or root
    return Diagnostic(str(where), 1, 1, "error", "E003", f"cannot read: {exc.strerror or exc}")


def _stamp(root: Path) -> tuple[tuple[str, int, int], ...]:
    """What --watch compares: every story file's name, modification time and size."""
    from game.engine.load import story_files

    out = []
    try:
        for path in story_files(root):
            try:
                st = path.stat()
            except OSError:
                continue
            out.append((str(path), st.st_mtime_ns, st.st_size))
    except OSError:
        pass
    return tuple(out)


def run_app(args: argparse.Namespace) -> int:
    """`boardroom` / `boardroom play`: check what the command line asks for, then run the app.

    `--side` and `--load` need the story before the first frame, so they load it here and
    fail with a one-line error (exit 1 for a broken story, 2 for a bad side or run file)
    before the terminal is taken over. Plain `boardroom` loads it after the first frame.
    """
    from game.folders import find_story, saves_dir as default_saves

    story_dir = Path(getattr(args, "story", None) or find_story().path)
    saves_dir = Path(getattr(args, "saves", None) or default_saves())
    side = getattr(args, "side", None)
    load = getattr(args, "load", None)
    watch = bool(getattr(args, "watch", False))
    story = None
    run = None
    if side or load:
        from game.check import load_or_report

        story = load_or_report(story_dir)
        if story is None:
            return 1
        if side and side not in story.sides:
            print(f"boardroom: error: this story has no side {side!r} (sides: {', '.join(story.sides)})",
                  file=sys.stderr)
            return 2
        if load:
            from game.runs import RunError, read_run

            try:
                run = read_run(Path(load))
            except RunError as exc:
                print(f"boardroom: error: {exc}", file=sys.stderr)
                return 2
    app = BoardroomApp(story_dir, saves_dir, side=side, run=run, story=story, watch=watch)
    app.run()
    return app.return_code or 0
