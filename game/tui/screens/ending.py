"""The ending: the epilogue, what actually happened, the critic's score, the path, the scale.

Built once when the run ends (the path is the only part that grows with the run). From here
the player can step back a choice, look at the history, watch the run as a replay, see the
endings found, or start again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from game.controller.ending import summarize
from game.format import clock
from game.paragraphs import prose, unwrap
from game.tui import messages
from game.tui.widgets.balance import Balance
from game.tui.widgets.topbar import badge
from game.tui.widgets.typewriter import scene_content

if TYPE_CHECKING:
    from game.controller.session import Session


def stars(score: float, out_of: int = 10) -> str:
    full = max(0, min(out_of, round(score)))
    return "★" * full + "☆" * (out_of - full)


class EndingScreen(Screen[None]):
    BINDINGS = [
        Binding("n", "app.new_game", "New game"),
        Binding("u", "undo", "Undo"),
        Binding("h", "history", "History"),
        Binding("r", "replay", "Replay"),
        Binding("e", "app.endings", "Endings"),
        Binding("escape", "app.to_title", "Menu"),
        Binding("question_mark", "app.help", "Help", show=False),
        Binding("q", "app.request_quit", "Quit"),
    ]

    def __init__(self, session: "Session", *, new_ending: bool, found: int, total: int):
        super().__init__()
        self.session = session
        self.new_ending = new_ending
        self.found = found
        self.total = total

    def compose(self) -> ComposeResult:
        session = self.session
        e = summarize(session.story, session.state)
        with VerticalScroll(id="ending-scroll"):
            yield Static(Content.styled("THE END", "bold $foreground-muted"), classes="ending-kicker")
            yield Static(Content.assemble((e.title, "bold $accent"),
                                          ("   ★ what really happened" if e.historical else "", "bold $success")),
                         id="ending-title")
            yield Static(Content.assemble(badge(e.provenance), "  ",
                                          (f"{clock(e.at)} · {e.side} · {e.steps} choices", "$foreground-muted")),
                         id="ending-meta")
            if self.new_ending:
                yield Static(Content.styled(f"New ending found — {self.found} of {self.total}.", "bold $success"),
                             id="ending-new")
            else:
                yield Static(Content.styled(f"Endings found: {self.found} of {self.total}.", "$foreground-muted"),
                             id="ending-new")
            if e.scene_title != e.title:
                yield Static(Content.styled(e.scene_title, "bold"), classes="ending-heading")
            yield Static(scene_content(e.outcome, e.text), classes="ending-text")
            yield Static(Content.styled("WHAT ACTUALLY HAPPENED", "bold $foreground-muted"), classes="ending-heading")
            yield Static(Content(prose(e.history)), classes="ending-text")
            yield Static(Content.styled("THE CRITIC", "bold $foreground-muted"), classes="ending-heading")
            real = f"   The real drama got {e.real_score:g}." if e.real_score is not None else ""
            yield Static(Content.assemble((f"{e.score:.1f}/10  ", "bold $accent"), (stars(e.score), "$warning"),
                                          (real, "$foreground-muted")), id="ending-score")
            if e.verdict:
                yield Static(Content.styled(f"“{unwrap(e.verdict)}”", "italic"), classes="ending-text")
            if e.critic:
                yield Static(Content.styled(unwrap(e.critic), "$foreground-muted"), classes="ending-text")
            if e.scale is not None:
                yield Static(Content.styled("WHERE THE SCALE CAME TO REST", "bold $foreground-muted"), classes="ending-heading")
                balance = Balance(e.scale.label, id="ending-balance")
                balance.value, balance.low, balance.high = e.scale.value, e.scale.min, e.scale.max
                yield balance
                yield Static(Content(f"{e.scale.words.capitalize()} ({e.scale.value}/{e.scale.max})."),
                             classes="ending-text")
            yield Static(Content.styled("YOUR PATH", "bold $foreground-muted"), classes="ending-heading")
            yield Static(self._path(), id="ending-path")
        yield Footer()

    def _path(self) -> Table | Text:
        story = self.session.story
        grid = Table.grid(padding=(0, 1))
        grid.add_column(justify="right", no_wrap=True)
        grid.add_column(no_wrap=True, style="dim")
        grid.add_column(ratio=1)
        first = self.session.first_step
        if first:
            grid.add_row("", "", Text(f"(choices 1–{first} were made before the story changed)", style="dim"))
        for n, (state, text) in enumerate(self.session.path(), first + 1):
            scene = story.scenes[state.scene]
            grid.add_row(Text(f"{n}.", style="bold"), f"{scene.at:%a %H:%M}",
                         Text.assemble((scene.title, "bold"), "\n→ ", text))
        if not grid.row_count:
            return Text("No choices: the run began at its ending.", style="dim")
        return grid

    def on_mount(self) -> None:
        self.query_one("#ending-scroll").focus()

    def action_undo(self) -> None:
        self.post_message(messages.UndoAsked())

    def action_history(self) -> None:
        from game.tui.screens.history import HistoryScreen

        def went_back(step: int | None) -> None:
            if step is not None and step != self.session.steps:
                self.post_message(messages.BackTo(step))

        self.app.push_screen(HistoryScreen(self.session), went_back)

    def action_replay(self) -> None:
        from game.runs import run_from_state

        self.post_message(messages.ReplayAsked(run_from_state(self.session.story, self.session.state, label="this run")))
