"""The table of runs that Load and Replays share: one row a run, names and titles in full, sortable.

Columns are as wide as what they hold, so a long slot name or scene title is never cut: the
table scrolls sideways (← →) when the screen is narrower, and the line under it spells out the
highlighted run in full, wrapped, at any width. Sorting (`s`, or a click on a header) goes through
`DataTable.sort` on each cell's `order`, what the cell means (a time, a count) rather than how it
reads ("today 14:05").
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Optional, Sequence

from rich.text import Text
from textual import on
from textual.content import Content
from textual.widgets import DataTable
from textual.widgets.data_table import CellDoesNotExist

from game.engine.safe_text import shown
from game.records import record

if TYPE_CHECKING:
    from game.controller.outcomes import Notice
    from game.engine import Story
    from game.runs import RunFile, SaveEntry

KIND_NAMES = {"autosave": "Autosave", "quicksave": "Quick save"}
COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("name", "Save", "name"),
    ("side", "Side", "side"),
    ("choices", "Choices", "choices made"),
    ("saved", "Saved", "date saved"),
    ("scene", "Scene", "scene"),
    ("ending", "Ending", "ending"),
)
"""(key, header, what the sort line calls it). The short columns come first, so a narrow screen
shows whose run, how far and when without scrolling; the long titles follow."""
NEWEST_FIRST = ("saved", True)
UNFINISHED = "—"


def when(moment: dt.datetime, now: dt.datetime) -> str:
    """'today 14:05', 'yesterday 09:12', '3 May 2024 18:40' in the player's time zone."""
    local = moment.astimezone(now.tzinfo) if moment.tzinfo else moment
    days = (now.date() - local.date()).days
    if days == 0:
        return f"today {local:%H:%M}"
    if days == 1:
        return f"yesterday {local:%H:%M}"
    return f"{local.day} {local:%b %Y} {local:%H:%M}"


class Cell(Text):
    """One cell: its text (on one line unless `wrap`), and `order`, the value it sorts by."""

    def __init__(self, text: str, style: str = "", *, order: object = None, right: bool = False,
                 wrap: bool = False) -> None:
        super().__init__(text, style=style, no_wrap=not wrap, overflow="fold" if wrap else None,
                         justify="right" if right else None)
        self.order = order if order is not None else (0, text.casefold())


def _blank(style: str = "dim") -> Cell:
    return Cell(UNFINISHED, style, order=(1, ""))


@record
class RunRow:
    """A run as the table shows it: a saved file (`entry`), or a documented path (`entry` None)."""

    cells: tuple[Cell, ...]
    entry: Optional["SaveEntry"]
    run: Optional["RunFile"]
    error: Optional[str]
    """Why the run cannot be loaded or watched, or None."""
    detail: str
    """The run in one sentence, every name in full, for the line under the table."""

    @property
    def path(self) -> Optional[Path]:
        return self.entry.path if self.entry is not None else None


def entry_name(entry: "SaveEntry") -> str:
    """The name Load shows: 'Autosave', 'Autosave 2' (another game's), 'Quick save', or the slot's."""
    label = KIND_NAMES.get(entry.kind)
    if label is not None and entry.name.startswith("autosave-"):
        label = f"{label} {entry.name.removeprefix('autosave-')}"
    return label or shown(entry.name, None)


def entry_row(entry: "SaveEntry", story: "Story", now: dt.datetime) -> RunRow:
    name = entry_name(entry)
    saved = Cell(when(entry.when, now), "dim", order=(0, entry.when.timestamp()))
    first = Cell(name, "bold", wrap=True)
    run = entry.run
    if run is None:
        return RunRow((first, Cell("unreadable", "red"), Cell("", order=(1, 0)), saved,
                       Cell(str(entry.error), "red"), _blank()), entry, None, str(entry.error),
                      f"{name}: unreadable ({entry.error}). Saved {saved.plain}.")
    side = story.sides.get(run.side)
    who = side.name if side else shown(run.side, 80)
    choices = Cell(str(len(run.steps)), order=(0, len(run.steps)), right=True)
    made = f"{len(run.steps)} choice{'s' if len(run.steps) != 1 else ''}"
    if run.story_id != story.id:
        other = f"another story ({run.story_id})"
        return RunRow((first, Cell(who), choices, saved, Cell(other, "yellow"), _blank()), entry, run,
                      f"it belongs to {other}", f"{name}: {who}, {other}, {made}. Saved {saved.plain}.")
    scene = story.scenes.get(run.snapshot.scene)
    title = scene.title if scene is not None else run.snapshot.scene
    if run.ending:
        ending_scene = story.scenes.get(run.ending)
        ending = ending_scene.ending.title if ending_scene is not None and ending_scene.ending is not None \
            else run.ending
        last = Cell(ending)
        stands = f"ended: {ending}"
    else:
        last = _blank()
        stands = "unfinished"
    return RunRow((first, Cell(who), choices, saved, Cell(title), last), entry, run, None,
                  f"{name}: {who}, {made}, at “{title}”, {stands}. Saved {saved.plain}.")


def history_row(side_name: str, run: Optional["RunFile"], story: "Story", error: Optional[str] = None) -> RunRow:
    """A side's documented path (what really happened), listed after the saved runs."""
    first = Cell("History", "bold", wrap=True)
    saved = Cell("history", "dim", order=(0, float("-inf")))
    if run is None:
        problem = f"does not fit the story: {error}"
        return RunRow((first, Cell(side_name), Cell("", order=(1, 0)), saved, Cell(problem, "red"), _blank()),
                      None, None, error, f"What really happened, {side_name}: {problem}.")
    scene = story.scenes.get(run.ending or run.snapshot.scene)
    title = scene.title if scene is not None else run.snapshot.scene
    ending = scene.ending.title if scene is not None and scene.ending is not None else UNFINISHED
    return RunRow((first, Cell(side_name), Cell(str(len(run.steps)), order=(0, len(run.steps)), right=True),
                   saved, Cell(title), Cell(ending)), None, run, None,
                  f"What really happened, {side_name}: {len(run.steps)} choices, to “{ending}”. "
                  "It is the story's, not a file: it cannot be renamed or deleted.")


class RunsTable(DataTable[Text]):
    """Runs, one a row, sorted newest first until the player picks another column."""

    def __init__(self, *, id: Optional[str] = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.runs: dict[str, RunRow] = {}
        self.shown: list[RunRow] = []
        """The rows as last given, to lay them out again for another width."""
        self.sorting: tuple[str, bool] = NEWEST_FIRST
        """(column key, reverse)."""

    def show_runs(self, rows: Sequence[RunRow], select: Optional[Path] = None, width: int = 0) -> None:
        """List `rows` in the current order; the cursor on the run in `select`, else where it was.

        `width` is the room the table has: the name column takes at most a third of it and a
        longer name wraps within its row, so a long name never pushes the rest out of sight."""
        highlighted = self.current()
        keep = select if select is not None or highlighted is None else highlighted.path
        at = self.cursor_row
        self.clear(columns=True)
        longest = max((len(row.cells[0].plain) for row in rows), default=4)
        for key, label, _ in COLUMNS:
            size = min(max(longest, 6), max(14, width // 3)) if key == "name" and width else None
            self.add_column(self._label(key, label), key=key, width=size)
        self.runs = {}
        self.shown = list(rows)
        for i, row in enumerate(rows):
            self.runs[str(i)] = row
            self.add_row(*row.cells, key=str(i), height=None)
        self._sort()
        target = next((self.get_row_index(k) for k, r in self.runs.items() if keep is not None and r.path == keep),
                      min(at, self.row_count - 1))
        if self.row_count:
            self.move_cursor(row=max(0, target), animate=False)

    def current(self) -> Optional[RunRow]:
        if not self.row_count:
            return None
        try:
            key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key
        except CellDoesNotExist:  # a cursor past the rows, for a moment after they change
            return None
        return self.runs.get(str(key.value))

    def sort_by(self, column: str, reverse: Optional[bool] = None) -> None:
        """Sort by `column`; the same column again flips the order. The cursor stays on its run."""
        current = self.current()
        if reverse is None:
            reverse = (not self.sorting[1]) if self.sorting[0] == column else column in ("saved", "choices")
        self.sorting = (column, reverse)
        for key, label, _ in COLUMNS:
            self.columns[key].label = self._label(key, label)  # type: ignore[index]
        self._sort()
        if current is not None:
            key = next(k for k, r in self.runs.items() if r is current)
            self.move_cursor(row=self.get_row_index(key), animate=False)

    def next_sort(self) -> None:
        """The next column along, in its natural order (dates and counts: most first)."""
        keys = [key for key, _, _ in COLUMNS]
        following = keys[(keys.index(self.sorting[0]) + 1) % len(keys)]
        self.sort_by(following, following in ("saved", "choices"))

    def sort_words(self) -> str:
        """'sorted by date saved, newest first' for the line under the table."""
        key, reverse = self.sorting
        words = {k: w for k, _, w in COLUMNS}[key]
        if key == "saved":
            order = "newest first" if reverse else "oldest first"
        elif key == "choices":
            order = "most first" if reverse else "fewest first"
        else:
            order = "Z to A" if reverse else "A to Z"
        return f"sorted by {words}, {order}"

    @property
    def too_wide(self) -> bool:
        """Whether some columns are out of sight, to the right or left."""
        return self.max_scroll_x > 0

    def action_cursor_right(self) -> None:
        """→ scrolls a table wider than the screen to the next column, so the ending column of
        a long name's row is a few keys away rather than dozens (a row cursor has no column)."""
        ahead = [x for x in self._column_starts() if x > self.scroll_x]
        self.scroll_to(x=min(ahead[0] if ahead else self.max_scroll_x, self.max_scroll_x), animate=False)

    def action_cursor_left(self) -> None:
        behind = [x for x in self._column_starts() if x < self.scroll_x]
        self.scroll_to(x=behind[-1] if behind else 0, animate=False)

    def _column_starts(self) -> list[int]:
        x, starts = 0, []
        for column in self.ordered_columns:
            starts.append(x)
            x += column.get_render_width(self)
        return starts

    def _label(self, key: str, label: str) -> Text:
        # every header keeps room for the arrow, so sorting never changes a column's width
        arrow = ("▼" if self.sorting[1] else "▲") if self.sorting[0] == key else " "
        return Text(f"{label} {arrow}")

    def _sort(self) -> None:
        key, reverse = self.sorting
        self.sort(key, key=lambda cell: cell.order, reverse=reverse)

    @on(DataTable.HeaderSelected)
    def _header(self, event: DataTable.HeaderSelected) -> None:
        self.sort_by(str(event.column_key.value))


def detail_line(row: Optional[RunRow], sorting: str, too_wide: bool,
                notice: Optional["Notice"] = None) -> Content:
    """The highlighted run in full, then how the list is sorted (and, when the table is wider
    than the screen, how to see the rest of it). What a rename or a delete did comes first: in
    the dialog itself, since a toast would cover the table it is about."""
    sentence = sorting[:1].upper() + sorting[1:] + (". ← → scroll the table sideways." if too_wide else ".")
    parts: list[Content] = []
    if notice is not None:
        parts.append(notice_line(notice))
    if row is not None:
        parts.append(Content(row.detail))
    parts.append(Content.styled(sentence, "$foreground-muted"))
    return Content("\n").join(parts)


def notice_line(notice: "Notice") -> Content:
    """A controller's notice as a line of the dialog (never markup: it quotes run names)."""
    style = "bold $text-error" if notice.severity == "error" else "bold $text-success"
    return Content.styled(notice.message, style)
