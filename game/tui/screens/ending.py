"""The ending: the epilogue, what actually happened, the critic's score, the path, the scale.

Built once when the run ends (the path is the only part that grows with the run). From here
the player can step back a choice, look at the history, watch the run as a replay, see the
endings found, or start again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.css.query import NoMatches
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from game.controller.ending import summarize
from game.format import clock
from game.paragraphs import prose, unwrap
from game.tui import messages
from game.tui.widgets.balance import Balance
from game.tui.widgets.footer import Footer
from game.tui.widgets.sidebar import meter_trend
from game.tui.widgets.trend import course, spark
from game.tui.widgets.topbar import badge
from game.tui.widgets.page import scene_content

if TYPE_CHECKING:
    from game.controller.session import Session

TREND_CELLS = 40
"""Points in each meter's course on the ending screen (a run is sampled to this many)."""


def score_line(score: float, real: Optional[float]) -> Content:
    """'Critic 7.8/10   the real drama got 7.3 (+0.5)': one decimal, so 6.6 and 7.3 look apart."""
    parts: list[Content | tuple[str, str] | str] = [("Critic ", "bold"), (f"{score:.1f}", "bold $accent"), ("/10", "bold")]
    if real is not None:
        diff = score - real
        against = f"{diff:+.1f}" if abs(diff) >= 0.05 else "the same"
        parts.append((f"   the real drama got {real:.1f} ({against})", "$foreground-muted"))
    return Content.assemble(*parts)


def scale_line(words: str, value: int, high: int) -> Content:
    return Content.assemble(("The scale: ", "bold"), (words, "bold $accent"), (f" ({value}/{high})", "$foreground-muted"))


class EndingScreen(Screen[None]):
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    """From 100 columns the ending and what actually happened sit side by side, so both, the
    critic's score and the scale fit the first screen."""

    BINDINGS = [
        Binding("n", "app.new_game", "New game"),
        Binding("u", "undo", "Undo"),
        Binding("h", "history", "History"),
        Binding("question_mark", "app.help", "Help"),
        Binding("q", "app.request_quit", "Quit"),
        Binding("r", "replay", "Replay"),
        Binding("e", "app.endings", "Endings"),
        Binding("escape", "app.to_title", "Menu"),
        Binding("pagedown", "page(1)", "More", show=False),
        Binding("pageup", "page(-1)", "Back up", show=False),
    ]

    PARTS = (("#heading-real", "what actually happened"), ("#heading-critic", "the critic"),
             ("#heading-moved", "how the week moved"), ("#heading-scale", "the scale"), ("#heading-path", "your path"))
    """The ending's parts below its first screen, by heading, as the "more below" hint names them."""

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
            with Vertical(id="ending-page"):
                found = (Content.styled(f"New ending found — {self.found} of {self.total}", "bold $success")
                         if self.new_ending else
                         Content.styled(f"Endings found: {self.found} of {self.total}", "$foreground-muted"))
                yield Static(Content.assemble(("THE END", "bold $foreground-muted"), "   ", found), id="ending-new")
                yield Static(Content.assemble((e.title, "bold $accent"),
                                              ("   ★ what really happened" if e.historical else "", "bold $success")),
                             id="ending-title")
                yield Static(Content.assemble(badge(e.provenance), "  ",
                                              (f"{clock(e.at)} · {e.side} · {e.steps} choice{'s' if e.steps != 1 else ''}", "$foreground-muted")),
                             id="ending-meta")
                yield Static(score_line(e.score, e.real_score), id="ending-score")
                if e.scale is not None:
                    yield Static(scale_line(e.scale.words, e.scale.value, e.scale.max), id="ending-rest")
                with Horizontal(id="ending-columns"):
                    with Vertical(classes="ending-column", id="ending-mine"):
                        yield Static(Content.assemble(("YOUR ENDING", "bold $foreground-muted"),
                                                      ("" if e.scene_title == e.title else f" · {e.scene_title}", "bold")),
                                     classes="ending-heading")
                        yield Static(scene_content(e.outcome, e.text), classes="ending-text")
                    with Vertical(classes="ending-column", id="ending-real"):
                        yield Static(Content.styled("WHAT ACTUALLY HAPPENED", "bold $foreground-muted"),
                                     classes="ending-heading", id="heading-real")
                        yield Static(Content(prose(e.history)), classes="ending-text", id="ending-history")
                yield Static(Content.styled("THE CRITIC", "bold $foreground-muted"), classes="ending-heading",
                             id="heading-critic")
                if e.verdict:
                    yield Static(Content.styled(f"“{unwrap(e.verdict)}”", "italic"), classes="ending-text")
                if e.critic:
                    yield Static(Content.styled(unwrap(e.critic), "$foreground-muted"), classes="ending-text")
                yield Static(Content.styled("HOW THE WEEK MOVED", "bold $foreground-muted"), classes="ending-heading",
                             id="heading-moved")
                yield Static(self._trends(), id="ending-trends")
                if e.scale is not None:
                    yield Static(Content.styled("WHERE THE SCALE CAME TO REST", "bold $foreground-muted"),
                                 classes="ending-heading", id="heading-scale")
                    balance = Balance(e.scale.label, id="ending-balance")
                    balance.value, balance.low, balance.high = e.scale.value, e.scale.min, e.scale.max
                    yield balance
                yield Static(Content.styled("YOUR PATH", "bold $foreground-muted"), classes="ending-heading",
                             id="heading-path")
                yield Static(self._path(), id="ending-path")
        yield Static(id="ending-more", markup=False)
        yield Footer()

    def _trends(self) -> Table | Text:
        """Each meter's course over the whole run: start → end, and a sparkline."""
        story = self.session.story
        v = self.session.view()
        values = meter_trend(story.var_names, self.session.states, TREND_CELLS)
        grid = Table.grid(padding=(0, 2))
        grid.add_column(no_wrap=True, style="bold")
        grid.add_column(no_wrap=True, justify="right")
        grid.add_column(no_wrap=True)
        for m in v.meters:
            points = values.get(m.name)
            if not points:
                continue
            grid.add_row(m.label, course(points), Text(spark(points, m.min, m.max), style="cyan"))
        if not grid.row_count:
            return Text("The story shows no meters.", style="dim")
        return grid

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
        scroll = self.query_one("#ending-scroll", VerticalScroll)
        scroll.focus()
        self.watch(scroll, "scroll_y", self._more, init=False)
        self.call_after_refresh(self._more)

    def on_resize(self) -> None:
        self.call_after_refresh(self._more)

    def _more(self, _: object = None) -> None:
        """Say so at the foot of the screen while the ending goes on below it."""
        try:
            scroll = self.query_one("#ending-scroll", VerticalScroll)
            more = self.query_one("#ending-more", Static)
        except NoMatches:
            return
        below = scroll.max_scroll_y > 0 and round(scroll.scroll_y) < scroll.max_scroll_y
        more.display = below
        if below:
            more.update(Content.styled(self._below(scroll, more.content_region.width or self.size.width - 4),
                                       "italic $foreground-muted"))

    def _below(self, scroll: VerticalScroll, width: int) -> str:
        """The hint, naming only the parts whose heading is still under the bottom of the view,
        as many as fit in `width` (then "and more"), so the line is never cut off."""
        bottom = scroll.scrollable_content_region.bottom
        headings = [(name, heading.region.y) for selector, name in self.PARTS for heading in self.query(selector)]
        parts = [name for name, y in headings if y >= bottom]
        head = "▼ more below: PgDn or ↓"
        if not parts:  # every heading is in view or passed: what goes on is the part last begun
            begun = [name for name, y in headings if y < bottom]
            return f"{head} — the rest of {begun[-1]}" if begun else head
        for keep in range(len(parts), 0, -1):
            text = f"{head} — {', '.join(parts[:keep])}" + (", and more" if keep < len(parts) else "")
            if len(text) <= width:
                return text
        return head

    def action_page(self, direction: int) -> None:
        scroll = self.query_one("#ending-scroll", VerticalScroll)
        scroll.scroll_page_down(animate=False) if direction > 0 else scroll.scroll_page_up(animate=False)

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
