"""The run so far, one line per scene, and a way back to any of them.

Picking a line returns to that scene with the choices after it undone, so the player can
choose again: Ren'Py's rollback, with the whole path in view. Opened on demand, so its cost
(one line per step) is paid here and never on a choice.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from game.format import clock

if TYPE_CHECKING:
    from game.controller.session import Session


class HistoryScreen(ModalScreen[Optional[int]]):
    """Dismisses with the step to go back to (the number of choices to keep), or None."""

    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("h", "close", "Close", show=False),
    ]

    def __init__(self, session: "Session"):
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        session = self.session
        story = session.story
        choices = session.path()
        options: list[Option] = []
        first = session.first_step
        for k, state in enumerate(session.states):
            step = first + k
            scene = story.scenes[state.scene]
            head = Content.assemble((f"{step + 1:>3}. ", "bold $accent"), (f"{clock(scene.at)}  ", "$foreground-muted"),
                                    (scene.title, "bold"))
            if k < len(choices):
                line = Content.assemble(head, "\n       ", ("you chose: ", "$foreground-muted"), choices[k][1])
            else:
                line = Content.assemble(head, "\n       ", ("you are here", "bold $success"))
            options.append(Option(line, id=f"step-{step}"))
        with Vertical(classes="dialog wide-dialog"):
            yield Static(Content.styled("The run so far", "bold"), classes="dialog-title")
            yield Static(Content.styled("Enter goes back to that scene to choose again; the choices after it are "
                                        "undone. Escape closes.", "$foreground-muted"), classes="dialog-body")
            yield OptionList(*options, id="history-list", markup=False)

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = options.option_count - 1
        options.focus()

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        assert event.option_id is not None
        self.dismiss(int(event.option_id.removeprefix("step-")))

    def action_close(self) -> None:
        self.dismiss(None)
