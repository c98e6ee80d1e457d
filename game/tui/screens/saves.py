"""Loading a saved run: every file in the saves folder, unreadable ones listed with the reason.

A corrupt, truncated, foreign or newer-format file is shown, never loaded and never
overwritten; the rest load with Enter. `r` renames the highlighted run and `d` moves it to the
trash folder: the screen only asks, the app (`game.tui.playing`) does it through the controller
and then lists the folder again here (`show_runs`).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Static

from game.engine.safe_text import shown
from game.tui import messages
from game.tui.widgets.footer import Footer
from game.tui.widgets.runs_table import RunsTable, detail_line, entry_row, notice_line

if TYPE_CHECKING:
    from game.controller.outcomes import Notice
    from game.engine import Story
    from game.runs import RunFile, SaveEntry, Saves

RUN_KEYS = [
    Binding("r", "rename", "Rename"),
    Binding("d,delete", "delete", "Delete"),
    Binding("s", "sort", "Sort"),
    Binding("question_mark", "app.help", "Help"),
]
"""The keys Load and Replays share for managing runs (help lists them per screen)."""


if TYPE_CHECKING:
    _Screen = Screen[Any]
else:
    _Screen = object


class ManagesRuns(_Screen):
    """What Load and Replays share: the runs table fitted to the screen, the line under it kept
    current, and the keys (`RUN_KEYS`) that rename, delete and sort. Each screen says how wide
    its table may be (`_room`), what it lists (`show_runs`) and what the line says (`_detail`).

    The screen only asks for a rename or a delete; the app (`game.tui.playing`) does it through
    the controller and then calls `show_runs` on every such screen open."""

    def _room(self) -> int:
        raise NotImplementedError

    def show_runs(self, select: Optional[Path] = None, notice: Optional["Notice"] = None) -> None:
        raise NotImplementedError

    def _detail(self) -> None:
        raise NotImplementedError

    def on_mount(self) -> None:
        self.show_runs()
        self.query_one(RunsTable).focus()
        self.call_after_refresh(self._detail)  # whether the table is wider than the screen shows once laid out

    def on_resize(self) -> None:
        table = self.query_one(RunsTable)
        table.show_runs(table.shown, width=self._room())
        self.call_after_refresh(self._detail)

    def action_rename(self) -> None:
        self._ask("rename")

    def action_delete(self) -> None:
        self._ask("delete")

    def action_sort(self) -> None:
        self.query_one(RunsTable).next_sort()
        self._detail()

    def _ask(self, what: str) -> None:
        """Post a rename or a delete of the highlighted run, or say why there is none to make."""
        row = self.query_one(RunsTable).current()
        if row is None:
            return
        if row.path is None:
            self.notify("This is the story's record of what really happened, not a saved file: it cannot be "
                        f"{'renamed' if what == 'rename' else 'deleted'}.", markup=False)
            return
        self.post_message(messages.RenameAsked(row.path) if what == "rename" else messages.DeleteAsked(row.path))


class LoadScreen(ManagesRuns, ModalScreen[Optional["RunFile"]]):
    BINDINGS = [Binding("escape", "cancel", "Cancel"), *RUN_KEYS]

    def __init__(self, saves: "Saves", story: "Story", now: dt.datetime):
        super().__init__()
        self.saves = saves
        self.story = story
        self.now = now
        self.notice: Optional["Notice"] = None
        self.entries: list["SaveEntry"] = []
        """The runs listed, read when the dialog is shown (and again after a rename or a delete)."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog runs-dialog"):
            yield Static(Content.styled("Load a saved run", "bold"), classes="dialog-title")
            yield RunsTable(id="saves-table")
            yield Static(id="runs-detail", classes="runs-detail")
        yield Footer()

    def _room(self) -> int:
        """The columns the table has (the name column takes at most a third of them)."""
        return min(160, self.app.size.width * 96 // 100) - 8

    def show_runs(self, select: Optional[Path] = None, notice: Optional["Notice"] = None) -> None:
        """List the folder again (after a rename or a delete), the cursor on `select` if given,
        and `notice`, what was done, under the table."""
        self.notice = notice
        self.entries = self.saves.entries()
        table = self.query_one(RunsTable)
        table.show_runs([entry_row(e, self.story, self.now) for e in self.entries], select, self._room())
        table.display = bool(self.entries)
        self._detail()

    def _detail(self) -> None:
        table = self.query_one(RunsTable)
        line = self.query_one("#runs-detail", Static)
        if not self.entries:
            empty = Content.styled(f"No saved runs in {shown(str(self.saves.folder), 200)!r} yet. Every choice "
                                   "is saved automatically, so play a little first.", "$foreground-muted")
            line.update(empty if self.notice is None else Content("\n").join([notice_line(self.notice), empty]))
        else:
            line.update(detail_line(table.current(), table.sort_words(), table.too_wide, self.notice))

    @on(DataTable.RowHighlighted)
    @on(DataTable.HeaderSelected)
    def _highlighted(self) -> None:
        self._detail()

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        row = self.query_one(RunsTable).runs.get(str(event.row_key.value))
        if row is None or row.entry is None:
            return
        entry = row.entry
        if entry.run is None:
            self.notify(f"{shown(entry.path.name, 80)} cannot be loaded: {entry.error}", severity="error",
                        markup=False)
            return
        if entry.run.story_id != self.story.id:
            self.notify(f"{shown(entry.path.name, 80)} belongs to another story ({entry.run.story_id}).",
                        severity="error",
                        markup=False)
            return
        self.dismiss(entry.run)

    def action_cancel(self) -> None:
        self.dismiss(None)
