"""The sidebar: the story's variables as meters, and the scale as a balance.

Each meter shows how the last choice moved it (▲2, ▼1) and its course over the run (a
sparkline), so a player sees what a choice did without reading numbers. Hovering a meter
shows what it means for the side being played (the story's `description` and `meaning`);
`w` shows the same in help. Meters take their labels, ranges and display kinds from the story.
"""

from __future__ import annotations

from typing import Mapping, Optional, Sequence

from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Static

from game.engine import Meter
from game.format import scale_words
from game.tui.widgets.balance import Balance
from game.tui.widgets.quiet import Words, set_tooltip, show
from game.tui.widgets.trend import sample, spark

SPARK_CELLS = 12
"""Room for the course beside a 10-cell bar and its value, in the 30-column sidebar."""


def meter_trend(var_names: Sequence[str], states: Sequence[object], cells: int = SPARK_CELLS) -> dict[str, list[int]]:
    """Each int variable's values over `states` (engine States), sampled to `cells` points."""
    picked = sample(states, cells)
    out: dict[str, list[int]] = {}
    for i, name in enumerate(var_names):
        values = [s.values[i] for s in picked]  # type: ignore[attr-defined]
        if values and not isinstance(values[0], bool):
            out[name] = [int(v) for v in values]
    return out


def meter_bar(value: int, low: int, high: int, cells: int) -> str:
    span = (high - low) or 1
    filled = round((value - low) / span * cells)
    filled = max(0, min(cells, filled))
    return "█" * filled + "░" * (cells - filled)


def delta_mark(now: object, before: object) -> tuple[str, str]:
    """A short mark for how a value moved since the last step, and its style."""
    if before is None or now == before:
        return "", ""
    if isinstance(now, bool) or isinstance(before, bool):
        return " (new)" if now else " (undone)", "bold $accent"
    diff = int(now) - int(before)  # type: ignore[call-overload]
    return (f" ▲{diff}", "bold $success") if diff > 0 else (f" ▼{-diff}", "bold $error")


def explanation(m: Meter) -> Content:
    """What a meter measures and what it means for this side: a tooltip's text, never markup."""
    parts: list[Content | tuple[str, str] | str] = [(m.label, "bold")]
    if m.description:
        parts += ["\n", m.description]
    if m.meaning:
        parts += ["\n\n", m.meaning]
    if not m.description and not m.meaning:
        parts += ["\n", ("The story does not say more about this meter.", "italic")]
    return Content.assemble(*parts)


def meter_content(m: Meter, before: object, values: Sequence[int] = ()) -> Content:
    mark, mark_style = delta_mark(m.value, before)
    if m.display == "bool":
        return Content.assemble((m.label, "bold"), "  ", ("yes" if m.value else "no", "$accent"), (mark, mark_style))
    span = m.max - m.min
    bar = meter_bar(int(m.value), m.min, m.max, span if 4 <= span <= 16 else 10)
    line: list[Content | tuple[str, str] | str] = [(bar, "$primary"), f" {m.value:>2}"]
    if len(values) > 1:
        line += [" ", (spark(values, m.min, m.max), "$secondary")]
    return Content.assemble((m.label, "bold"), (mark, mark_style), "\n", *line)


class Sidebar(VerticalScroll, can_focus=False):
    """Meters above, the balance below; call `show(meters)` after every step.

    `built=False` composes nothing until `build()`: the play screen starts a narrow terminal with
    the sidebar folded, and its dozen widgets need not be made before the first scene is drawn.
    What `show` is told meanwhile is shown when it is built."""

    def __init__(self, *, id: str | None = None, built: bool = True) -> None:
        super().__init__(id=id)
        self.built = built
        self._pending: Optional[tuple[Sequence[Meter], Optional[Sequence[Meter]], Optional[Mapping[str, Sequence[int]]]]] = None

    async def build(self) -> None:
        # not attached: the screen went before the refresh this was waiting for
        if self.built or not self.is_attached:
            return
        self.built = True
        await self.recompose()
        if not self.children:
            # on its way out (the ending replaced the screen meanwhile): Textual composes nothing
            # into a widget being removed, and there is nothing left to show
            self.built = False
            return
        if self._pending is not None and self.is_attached:
            pending, self._pending = self._pending, None
            self.show(*pending)

    def compose(self) -> ComposeResult:
        if not self.built:
            return
        yield Words(Content.styled("WHERE YOU STAND", "bold $foreground-muted"), classes="sidebar-heading")
        yield Vertical(id="meters")
        yield Words(Content.styled("THE SCALE", "bold $foreground-muted"), id="scale-heading", classes="sidebar-heading")
        yield Balance(id="balance")
        yield Words(id="scale-words", markup=False)

    def show(self, meters: Sequence[Meter], before: Optional[Sequence[Meter]] = None,
             trend: Optional[Mapping[str, Sequence[int]]] = None) -> None:
        if not self.built:
            self._pending = (meters, before, trend)
            return
        previous = {m.name: m.value for m in before} if before else {}
        trend = trend or {}
        box = self.query_one("#meters")
        shown = [m for m in meters if m.display != "scale"]
        rows = list(box.query(".meter").results(Static))
        if [r.id for r in rows] != [f"meter-{m.name}" for m in shown]:
            box.remove_children()
            rows = [Words(id=f"meter-{m.name}", classes="meter", markup=False) for m in shown]
            box.mount_all(rows)
        for row, m in zip(rows, shown):
            show(row, meter_content(m, previous.get(m.name), trend.get(m.name, ())))
            set_tooltip(row, explanation(m))
        scale = next((m for m in meters if m.display == "scale"), None)
        for node in ("#scale-heading", "#balance", "#scale-words"):
            self.query_one(node).display = scale is not None
        if scale is None:
            return
        mark, mark_style = delta_mark(scale.value, previous.get(scale.name))
        heading = self.query_one("#scale-heading", Static)
        show(heading, Content.assemble((scale.label.upper(), "bold $foreground-muted"), (mark, mark_style)))
        set_tooltip(heading, explanation(scale))
        balance = self.query_one(Balance)
        balance.set(int(scale.value), scale.min, scale.max, scale.label)
        set_tooltip(balance, explanation(scale))
        words = scale_words(int(scale.value), scale.min, scale.max, scale.words)
        values = trend.get(scale.name, ())
        # the course's line is kept from the start (blank until there is a course to draw), so the
        # sidebar does not grow, and the screen is not laid out again, at the first choice
        course: list[Content | tuple[str, str] | str] = ["\n "]
        if len(values) > 1:
            course = ["\n", ("course ", "$foreground-muted"), (spark(values, scale.min, scale.max), "$secondary")]
        show(self.query_one("#scale-words", Static),
             Content.assemble(words[0].upper() + words[1:], (f" {scale.value}/{scale.max}", "$foreground-muted"), *course))
