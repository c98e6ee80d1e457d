"""The run so far: every scene, the text the player read there and what they chose, and a way
back to any of them.

A back-log in Ren'Py's sense: the list of steps on one side, the prose of the highlighted
step on the other (below, on a narrow terminal). Enter returns to that scene with the
choices after it undone, so the player can choose again. Opened on demand, so its cost
(one line per step) is paid here and never on a choice; the prose is drawn for one step at
a time, as it is highlighted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from game.format import clock, outcome_text
from game.tui.widgets.footer import Footer
from game.tui.widgets.page import scene_content

if TYPE_CHECKING:
    from game.controller.session import Session


class StepList(OptionList):
    """The steps, with the list's own keys named in the footer."""

    BINDINGS = [
        Binding("enter", "select", "Go back here"),
        Binding("home", "first", "First step"),
        Binding("end", "last", "Latest step"),
    ]


def step_prompt(step: int, scene_at: object, title: str, chose: Optional[str]) -> Table:
    """Number, time and title on one row, what was chosen under the title: wrapped lines stay
    in their column."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=4, justify="right", no_wrap=True)
    grid.add_column(width=9, no_wrap=True)
    grid.add_column(ratio=1)
    grid.add_row(Text(f"{step}.", style="bold"), Text(f"{scene_at:%a %H:%M}", style="dim"), Text(title, style="bold"))
    if chose is None:
        grid.add_row(Text(""), Text(""), Text("you are here", style="bold green"))
    else:
        grid.add_row(Text(""), Text(""), Text.assemble(("→ ", "dim"), chose))
    return grid


class HistoryScreen(ModalScreen[Optional[int]]):
    """Dismisses with the step to go back to (the number of choices to keep), or None."""

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    BINDINGS = [
        Binding("pagedown,space", "read(1)", "Read on", key_display="PgDn"),
        Binding("pageup", "read(-1)", "Read back", show=False),
        Binding("escape", "close", "Close"),
        Binding("question_mark", "app.help", "Help"),
        Binding("h", "close", "Close", show=False),
    ]

    def __init__(self, session: "Session"):
        super().__init__()
        self.session = session
        self._choices = session.path()

    def compose(self) -> ComposeResult:
        session = self.session
        story = session.story
        options: list[Option] = []
        first = session.first_step
        for k, state in enumerate(session.states):
            step = first + k
            scene = story.scenes[state.scene]
            chose = self._choices[k][1] if k < len(self._choices) else None
            options.append(Option(step_prompt(step + 1, scene.at, scene.title, chose), id=f"step-{step}"))
        with Vertical(classes="dialog list-dialog", id="history-dialog"):
            yield Static(Content.styled("The run so far", "bold"), classes="dialog-title")
            with Horizontal(id="history-panes"):
                yield StepList(*options, id="history-list", markup=False)
                with VerticalScroll(id="history-read", can_focus=False):
                    yield Static(id="history-scene", markup=False)
                    yield Static(id="history-text", markup=False)
                    yield Static(id="history-chose", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = options.option_count - 1
        options.focus()
        self.call_after_refresh(options.scroll_to_highlight)

    @on(OptionList.OptionHighlighted)
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_index is not None:
            self.show_step(event.option_index)

    def show_step(self, index: int) -> None:
        """Draw what was read at the `index`-th kept state, as it read then (the outcome of the
        choice that led there, then the scene with its passages), and what was chosen there."""
        from game.engine import view

        state = self.session.states[index]
        scene = self.session.story.scenes[state.scene]
        step = self.session.first_step + index
        self.query_one("#history-scene", Static).update(
            Content.assemble((f"Choice {step + 1} · {clock(scene.at)}\n", "$foreground-muted"), (scene.title, "bold $accent")))
        v = view(self.session.story, state)
        self.query_one("#history-text", Static).update(scene_content(outcome_text(v), v.text))
        chose = self.query_one("#history-chose", Static)
        if index < len(self._choices):
            chose.update(Content.assemble(("You chose: ", "italic $foreground-muted"), self._choices[index][1],
                                          ("\nEnter goes back here to choose again.", "$foreground-muted")))
        else:
            chose.update(Content.styled("You are here.", "bold $success"))
        self.query_one("#history-read", VerticalScroll).scroll_home(animate=False)

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        assert event.option_id is not None
        self.dismiss(int(event.option_id.removeprefix("step-")))

    def action_read(self, direction: int) -> None:
        scroll = self.query_one("#history-read", VerticalScroll)
        if direction > 0:
            scroll.scroll_page_down(animate=False)
        else:
            scroll.scroll_page_up(animate=False)

    def action_close(self) -> None:
        self.dismiss(None)
