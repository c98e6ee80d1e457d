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

from game.format import clock, scale_words
from game.tui.widgets.balance import Balance
from game.tui.widgets.topbar import badge
from game.tui.widgets.typewriter import prose

if TYPE_CHECKING:
    from game.tui.app import BoardroomApp
    from game.tui.session import Session

REAL_SCORE = 7.3


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

    @property
    def game(self) -> "BoardroomApp":
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        session = self.session
        story = session.story
        v = session.view()
        ending = v.ending
        assert ending is not None
        side = story.sides[session.side]
        with VerticalScroll(id="ending-scroll"):
            yield Static(Content.styled("THE END", "bold $foreground-muted"), classes="ending-kicker")
            yield Static(Content.assemble((ending.title, "bold $accent"),
                                          ("   ★ what really happened" if ending.historical else "", "bold $success")),
                         id="ending-title")
            yield Static(Content.assemble(badge(v.provenance), "  ",
                                          (f"{clock(v.at)} · {side.name} · {session.steps} choices", "$foreground-muted")),
                         id="ending-meta")
            if self.new_ending:
                yield Static(Content.styled(f"New ending found — {self.found} of {self.total}.", "bold $success"),
                             id="ending-new")
            else:
                yield Static(Content.styled(f"Endings found: {self.found} of {self.total}.", "$foreground-muted"),
                             id="ending-new")
            if v.title != ending.title:
                yield Static(Content.styled(v.title, "bold"), classes="ending-heading")
            yield Static(Content(prose(v.text)), classes="ending-text")
            yield Static(Content.styled("WHAT ACTUALLY HAPPENED", "bold $foreground-muted"), classes="ending-heading")
            yield Static(Content(prose(ending.history)), classes="ending-text")
            yield Static(Content.styled("THE CRITIC", "bold $foreground-muted"), classes="ending-heading")
            yield Static(Content.assemble((f"{ending.score:.1f}/10  ", "bold $accent"), (stars(ending.score), "$warning"),
                                          (f"   The real drama got {REAL_SCORE}.", "$foreground-muted")), id="ending-score")
            if ending.critic:
                yield Static(Content.styled(f"“{' '.join(ending.critic.split())}”", "italic"), classes="ending-text")
            if story.critic:
                yield Static(Content.styled(" ".join(story.critic.split()), "$foreground-muted"), classes="ending-text")
            scale = next((m for m in v.meters if m.display == "scale"), None)
            if scale is not None:
                yield Static(Content.styled("WHERE THE SCALE CAME TO REST", "bold $foreground-muted"), classes="ending-heading")
                balance = Balance(scale.label, id="ending-balance")
                balance.value, balance.low, balance.high = int(scale.value), scale.min, scale.max
                yield balance
                yield Static(Content(f"{scale_words(int(scale.value), scale.min, scale.max).capitalize()} "
                                     f"({scale.value}/{scale.max})."), classes="ending-text")
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
        if not self.session.can_undo():
            self.notify("There is no earlier choice in this run to go back to.", markup=False)
            return
        self.session.undo()
        self.game.run_changed()
        self.game.start_session(self.session, note="You stepped back from the ending. Choose again.",
                                created=self.game.run_created)

    def action_history(self) -> None:
        from game.tui.screens.history import HistoryScreen

        def went_back(step: int | None) -> None:
            if step is None or step == self.session.steps:
                return
            self.session.back_to(step)
            self.game.run_changed()
            self.game.start_session(self.session, note=f"You went back to choice {step + 1}. Choose again.",
                                    created=self.game.run_created)

        self.app.push_screen(HistoryScreen(self.session), went_back)

    def action_replay(self) -> None:
        from game.runs import run_from_state

        self.game.watch_replay(run_from_state(self.session.story, self.session.state, label="this run"))
