"""Loading a saved run: every file in the saves folder, unreadable ones listed with the reason.

A corrupt, truncated, foreign or newer-format file is shown, never loaded and never
overwritten; the rest load with Enter.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Optional, Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Static

from game.engine.safe_text import shown

if TYPE_CHECKING:
    from game.engine import Story
    from game.runs import RunFile, SaveEntry, Saves

KIND_NAMES = {"autosave": "Autosave", "quicksave": "Quick save"}
COLUMNS = ("Save", "Run", "Choices", "Saved")
ROW_HEIGHT = 2


def when(moment: dt.datetime, now: dt.datetime) -> str:
    """'today 14:05', 'yesterday 09:12', '3 May 2024 18:40' in the player's time zone."""
    local = moment.astimezone(now.tzinfo) if moment.tzinfo else moment
    days = (now.date() - local.date()).days
    if days == 0:
        return f"today {local:%H:%M}"
    if days == 1:
        return f"yesterday {local:%H:%M}"
    return f"{local.day} {local:%b %Y} {local:%H:%M}"


def run_cell(who: str, where: Text) -> Text:
    """Two lines: whose run, then where it stands."""
    return Text.assemble((who, "bold"), "\n", where)


def fitted(*cells: Text) -> tuple[Text, ...]:
    """Cells cut with an ellipsis at the column's edge instead of wrapping out of their row."""
    for cell in cells:
        cell.no_wrap = True
        cell.overflow = "ellipsis"
    return cells


def entry_cells(entry: "SaveEntry", story: "Story", now: dt.datetime) -> tuple[Text, ...]:
    label = KIND_NAMES.get(entry.kind)
    if label is not None and entry.name.startswith("autosave-"):  # another game's autosave: autosave-2
        label = f"{label} {entry.name.removeprefix('autosave-')}"
    name = Text(label or shown(entry.name, 80), style="bold")
    saved = Text(when(entry.when, now), style="dim")
    run = entry.run
    if run is None:
        return fitted(name, run_cell("unreadable", Text(str(entry.error), style="red")), Text(""), saved)
    side = story.sides.get(run.side)
    who = side.name if side else run.side
    if run.story_id != story.id:
        where = Text(f"another story ({run.story_id})", style="yellow")
    elif run.ending:
        scene = story.scenes.get(run.ending)
        title = scene.ending.title if scene is not None and scene.ending is not None else run.ending
        where = Text.assemble(("ended: ", "dim"), title)
    else:
        scene = story.scenes.get(run.snapshot.scene)
        where = Text(scene.title if scene else run.snapshot.scene)
    return fitted(name, run_cell(who, where), Text(str(len(run.steps)), justify="right"), saved)


def add_columns(table: DataTable, width: int) -> None:
    """Columns that fit `width` cells: long slot names and titles are cut, never pushed off screen."""
    rest = max(30, width - 6 - 2 * len(COLUMNS) - 7 - 17)
    save = max(10, min(20, rest * 3 // 10))
    for label, size in zip(COLUMNS, (save, rest - save, 7, 17)):
        table.add_column(label, width=size)


def fill_table(table: DataTable, entries: Sequence["SaveEntry"], story: "Story", now: dt.datetime,
               width: int) -> None:
    table.clear(columns=True)
    add_columns(table, width)
    for i, entry in enumerate(entries):
        table.add_row(*entry_cells(entry, story, now), key=str(i), height=ROW_HEIGHT)


class LoadScreen(ModalScreen[Optional["RunFile"]]):
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, saves: "Saves", story: "Story", now: dt.datetime):
        super().__init__()
        self.saves = saves
        self.story = story
        self.now = now
        self.entries = saves.entries()

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide-dialog"):
            yield Static(Content.styled("Load a saved run", "bold"), classes="dialog-title")
            if self.entries:
                yield DataTable(id="saves-table", cursor_type="row", zebra_stripes=True)
            else:
                yield Static(Content.styled(f"No saved runs in {str(self.saves.folder)!r} yet. Every choice is "
                                            "saved automatically, so play a little first.", "$foreground-muted"),
                             classes="dialog-body")
        yield Footer()

    def on_mount(self) -> None:
        if self.entries:
            table = self.query_one(DataTable)
            fill_table(table, self.entries, self.story, self.now, min(100, self.app.size.width - 8))
            table.focus()

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        entry = self.entries[int(str(event.row_key.value))]
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
