"""Replays: a browser of every run (and each side's documented path), and a viewer.

The viewer shows a run's steps as the controller's `Replay` decides them: forward and back,
autoplay at a chosen speed, jump to any step, and "take over from here", which branches a new
run from the step on screen and leaves the replayed file untouched.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Optional

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Static

from game.tui.screens.saves import RUN_KEYS, ManagesRuns
from game.controller.settings import AUTOPLAY_SPEEDS
from game.tui import messages
from game.tui.widgets.footer import Footer
from game.tui.widgets.runs_table import RunRow, RunsTable, detail_line, entry_row, history_row
from game.tui.widgets.sidebar import Sidebar
from game.tui.widgets.topbar import TopBar
from game.tui.widgets.page import Page, scene_for

if TYPE_CHECKING:
    from game.controller.outcomes import Notice
    from game.controller.replay import Replay
    from game.engine import Story
    from game.runs import RunFile, Saves
    from game.tui.app import BoardroomApp


class ReplayBrowser(ManagesRuns, Screen[None]):
    """Every run in the saves folder, newest first, then the documented paths of the story."""

    BINDINGS = [
        # priority: the table's own (hidden) Enter would otherwise take the key and the footer's place
        Binding("enter", "watch", "Watch", priority=True),
        Binding("escape", "app.to_title", "Back"),
        Binding("q", "app.request_quit", "Quit"),
        *RUN_KEYS,
    ]

    def __init__(self, saves: "Saves", story: "Story", now: dt.datetime):
        super().__init__()
        self.saves = saves
        self.story = story
        self.now = now
        self.notice: Optional["Notice"] = None

    @property
    def rows(self) -> list[tuple[Optional["RunFile"], Optional[str]]]:
        """(run, why it cannot be watched) for each row, in the order shown."""
        table = self.query_one(RunsTable)
        ordered = sorted(table.runs.items(), key=lambda item: table.get_row_index(item[0]))
        return [(row.run if row.error is None else None, row.error) for _, row in ordered]

    def compose(self) -> ComposeResult:
        yield Static(Content.styled("Replays", "bold"), classes="screen-heading")
        yield Static(Content.styled("Every saved run, and what really happened on each side. Enter watches one.",
                                    "$foreground-muted"), classes="screen-subheading")
        yield RunsTable(id="replay-table")
        yield Static(id="runs-detail", classes="runs-detail")
        yield Footer()

    def _room(self) -> int:
        """The columns the table has (the name column takes at most a third of them)."""
        return self.app.size.width - 6

    def show_runs(self, select: Optional[Path] = None, notice: Optional["Notice"] = None) -> None:
        """List the folder again (after a rename or a delete), the cursor on `select` if given,
        and `notice`, what was done, under the table."""
        from game.controller.replay import documented_runs

        self.notice = notice
        rows: list[RunRow] = [entry_row(entry, self.story, self.now) for entry in self.saves.entries()]
        rows += [history_row(name, run, self.story, error) for name, run, error in documented_runs(self.story)]
        self.query_one(RunsTable).show_runs(rows, select, self._room())
        self._detail()

    def _detail(self) -> None:
        table = self.query_one(RunsTable)
        line = detail_line(table.current(), table.sort_words(), table.too_wide, self.notice)
        self.query_one("#runs-detail", Static).update(line)

    @on(DataTable.RowHighlighted)
    @on(DataTable.HeaderSelected)
    def _highlighted(self) -> None:
        self._detail()

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self._watch(self.query_one(RunsTable).runs.get(str(event.row_key.value)))

    def action_watch(self) -> None:
        self._watch(self.query_one(RunsTable).current())

    def _watch(self, row: Optional[RunRow]) -> None:
        if row is None:
            return
        if row.run is None:
            self.notify(f"This run cannot be replayed: {row.error}", severity="error", markup=False)
            return
        if row.run.story_id != self.story.id:
            self.notify(f"This run belongs to another story ({row.run.story_id}).", severity="error", markup=False)
            return
        self.post_message(messages.ReplayAsked(row.run))


def progress_bar(step: int, last: int, cells: int = 20) -> str:
    filled = round(step / last * cells) if last else cells
    return "━" * filled + "╸" + "─" * max(0, cells - filled - 1) if filled < cells else "━" * cells


class ReplayViewer(Screen[None]):
    # the game screen's breakpoint: below it the sidebar gives way to the text, as in play
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (96, "-wide")]
    BINDINGS = [
        Binding("right,l", "step(1)", "Next"),
        Binding("left,h", "step(-1)", "Back"),
        Binding("home", "go(0)", "First", show=False),
        Binding("end", "go(-1)", "Last", show=False),
        Binding("space", "autoplay", "Play/pause"),
        Binding("plus,equals_sign", "speed(-1)", "Faster", show=False),
        Binding("minus", "speed(1)", "Slower", show=False),
        Binding("pageup", "page(-1)", "Scroll the text up", show=False),
        Binding("pagedown", "page(1)", "Scroll the text down", show=False),
        Binding("g", "jump", "Jump"),
        Binding("t", "take_over", "Take over"),
        Binding("escape", "back", "Back"),
        Binding("q", "app.request_quit", "Quit", show=False),
    ]

    def __init__(self, replay: "Replay"):
        super().__init__()
        self.replay = replay
        self._timer: Optional[Timer] = None
        # the width's class from the start, as the play screen has it: the first scene shown
        # knows whether the sidebar is folded (and its meters go in the page)
        self.set_class(True, *self._get_breakpoint_classes(self.app.size.width, self.HORIZONTAL_BREAKPOINTS),
                       update=False)

    @property
    def game(self) -> "BoardroomApp":
        return self.app  # type: ignore[return-value]

    @property
    def step(self) -> int:
        return self.replay.step

    @property
    def last(self) -> int:
        return self.replay.last

    def compose(self) -> ComposeResult:
        yield TopBar(id="topbar")
        with Horizontal(id="body"):
            yield Page(id="page", interactive=False)
            yield Sidebar(id="sidebar")
        yield Static(id="replay-status", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.show()

    def on_resize(self) -> None:
        self.query_one(Page).show_meters(self.has_class("-narrow"))  # the width's class is set by now

    def action_page(self, direction: int) -> None:
        self.query_one(Page).scroll_page(direction)

    def show(self) -> None:
        replay = self.replay
        v = replay.view()
        self.query_one(TopBar).show(v, replay.side_name(), replay.story.begins)
        page = self.query_one(Page)
        page.show_meters(self.has_class("-narrow"))  # as in play: where the sidebar is folded
        page.show(scene_for(v, taken=replay.taken()))
        self.query_one(Sidebar).show(v.meters, replay.meters_before())
        self._status()

    def _status(self) -> None:
        playing = self._timer is not None
        speed = self.game.settings.autoplay
        parts: list[Content | tuple[str, str] | str] = [
            (" REPLAY ", "bold reverse"), " ",
            (f"scene {self.step + 1} of {self.last + 1}", "bold"), "  ",
            (progress_bar(self.step, self.last), "$accent"), "  ",
            ((f"▶ playing, {speed:g} s per step" if playing else "❚❚ paused"), "$foreground-muted"),
        ]
        stopped = self.replay.stopped()
        if stopped is not None:
            parts += ["  ", (f"The run stops fitting the story here: {stopped}", "bold $warning")]
        elif self.replay.ended():
            parts += ["  ", ("the end", "bold $success")]
        self.query_one("#replay-status", Static).update(Content.assemble(*parts))

    def action_step(self, delta: int) -> None:
        self.go_to(self.step + delta)

    def action_go(self, step: int) -> None:
        self.go_to(self.last if step < 0 else step)

    def go_to(self, step: int) -> None:
        if self.replay.go_to(step):
            self.show()
        if self.step == self.last:
            self._stop()
            self._status()

    def action_autoplay(self) -> None:
        if self._timer is not None:
            self._stop()
        else:
            if self.step == self.last and self.replay.go_to(0):
                self.show()
            self._timer = self.set_interval(self.game.settings.autoplay, self._advance)
        self._status()

    def _advance(self) -> None:
        self.go_to(self.step + 1)

    def _stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def action_speed(self, direction: int) -> None:
        speeds = list(AUTOPLAY_SPEEDS)
        now = self.game.settings.autoplay
        i = min(range(len(speeds)), key=lambda k: abs(speeds[k] - now))
        i = max(0, min(len(speeds) - 1, i + direction))
        self.game.settings.autoplay = speeds[i]
        self.post_message(messages.SettingsChanged())
        if self._timer is not None:
            self._stop()
            self._timer = self.set_interval(speeds[i], self._advance)
        self._status()

    def action_jump(self) -> None:
        from game.tui.screens.dialogs import JumpScreen

        def jumped(value: Optional[str]) -> None:
            if value is not None and value.strip().isdigit():
                self.go_to(int(value) - 1)  # scenes are numbered from 1, as the status line counts them

        self._stop()
        self._status()
        self.app.push_screen(JumpScreen(self.last, self.step), jumped)

    def action_take_over(self) -> None:
        self._stop()
        self.post_message(messages.TakeOver(self.replay.state))

    async def action_back(self) -> None:
        self._stop()
        await self.run_action("app.replays")

    def on_unmount(self) -> None:
        self._stop()
