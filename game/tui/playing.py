"""The player's actions, asked by keys or by screens' messages, and the outcomes shown for them.

Each action asks the controller (`self.game`) and maps the outcome it returns to a screen or a
toast; nothing here decides the game.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from textual import on

from game.controller.outcomes import Diverged, Ended, Moved, Opened, Refused, Started
from game.tui import messages
from game.tui.measures import forget_measured_text
from game.tui.shell import Shell

if TYPE_CHECKING:
    from pathlib import Path

    from game.controller.outcomes import Notice
    from game.runs import RunFile


class Playing(Shell):
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
                    self.run_changed()

            self.push_screen(DivergenceScreen(outcome.divergence, outcome.fits, outcome.total), answer)
        else:
            self.show_started(outcome)
            self.run_changed()  # the autosave holds the run opened: Continue comes back to it

    def show_ending(self, ended: Ended) -> None:
        from game.tui.screens.ending import EndingScreen

        if ended.problem is not None:
            self.tell(ended.problem)
        assert self.session is not None
        self.show_main(EndingScreen(self.session, new_ending=ended.new, found=ended.found, total=ended.total))

    def action_to_title(self) -> None:
        self.save_read()
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

    @on(messages.SideChosen)
    def _side_chosen(self, message: messages.SideChosen) -> None:
        self.start_new(message.side)

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
        forget_measured_text()  # the scene just left: its words are not measured again
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
        forget_measured_text()
        screen = self.main_screen
        if isinstance(screen, PlayScreen):
            screen.show_state(outcome.note, reveal=reveal)
        else:
            assert self.session is not None
            self.show_main(PlayScreen(self.session, outcome.note))

    @on(messages.ReplayAsked)
    def _replay_asked(self, message: messages.ReplayAsked) -> None:
        from game.tui.screens.replays import ReplayViewer

        replay = self.game.replay(message.run)
        if isinstance(replay, Refused):
            self.tell(replay.notice)
        else:
            self.show_main(ReplayViewer(replay))

    @on(messages.TakeOver)
    def _take_over(self, message: messages.TakeOver) -> None:
        self.flush_saves()
        self.show_started(self.game.take_over(message.state))
        self.run_changed()

    @on(messages.RenameAsked)
    def _rename_asked(self, message: messages.RenameAsked) -> None:
        from game.tui.screens.dialogs import RenameScreen

        if self.saves is None:
            return
        path = message.path

        def named(name: Optional[str]) -> None:
            if name is None or f"{name}.json" == path.name:
                return  # cancelled, or the name it has
            self.flush_saves()  # an autosave being written is not moved half-way
            outcome = self.game.rename_run(path, name)
            if not self.runs_changed(outcome.path if outcome.ok else path, outcome.notice):
                self.tell(outcome.notice)

        self.push_screen(RenameScreen(self.saves, path), named)

    @on(messages.DeleteAsked)
    def _delete_asked(self, message: messages.DeleteAsked) -> None:
        from game.tui.screens.dialogs import DeleteScreen

        if self.saves is None:
            return
        path = message.path

        def answer(yes: Optional[bool]) -> None:
            if yes:
                self.flush_saves()  # an autosave being written is not moved half-way
                outcome = self.game.delete_run(path)
                if not self.runs_changed(None, outcome.notice):
                    self.tell(outcome.notice, timeout=8)

        self.push_screen(DeleteScreen(self.saves, path), answer)

    def runs_changed(self, select: Optional["Path"], notice: "Notice") -> bool:
        """A run was renamed or deleted: every list of runs open, and Continue, say so. The
        lists show `notice` under their table; False when no list is open to show it."""
        from game.tui.screens.saves import ManagesRuns

        told = False
        for screen in self.screen_stack:
            if isinstance(screen, ManagesRuns):
                screen.show_runs(select, notice)
                told = True
        title = self.title_screen
        if title is not None:
            title.show_continue(self.game.describe_current())
        return told

    @on(messages.SettingsChanged)
    def _settings_changed(self) -> None:
        self.save_settings()

    @on(messages.SceneRead)
    def _scene_read(self, message: messages.SceneRead) -> None:
        self.game.mark_read(message.scene)

    def save_read(self) -> None:
        """Write the scenes read (kept to skip them next time), at the title and on quitting."""
        problem = self.game.save_read()
        if problem is not None:
            self.tell(problem)

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
