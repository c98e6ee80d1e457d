"""The scene's provenance and its sources: how much of what the player just read is real.

Documented and reported scenes list the sources they rest on (outlet, author, title, date,
and a link saying whether it is the publisher's page or a copy read at a partner);
every scene may carry a note on where accounts differ. URLs are shown in full on a line of their
own that never wraps (the dialog scrolls sideways for a long one), so they can be selected in one
piece, clicked where the terminal supports links, or copied with the source's number key.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from rich.console import RenderableType
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import ScrollableContainer, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from game.format import PROVENANCE, PROVENANCE_HELP, citation, cite, link_kind
from game.paragraphs import unwrap
from game.tui.widgets.footer import Footer

if TYPE_CHECKING:
    from game.engine import View
    from game.engine.story import Source

NUMBER_CELLS = 4
"""The width of '12. ' before a citation: its link and note hang under the citation's first letter."""


def _cited(n: int, source: "Source") -> Table:
    """'1.  Outlet, author, “title” (date)', wrapped lines hanging under the citation."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True, style="bold", width=NUMBER_CELLS - 1)
    grid.add_column(ratio=1)
    grid.add_row(f"{n}.", Text(cite(source)))
    return grid


def sources_parts(v: "View") -> list[tuple[str, RenderableType]]:
    """(kind, renderable) in reading order; kind "url" is a link, a line of its own never wrapped,
    "indent" hangs under its source's citation, "text" is everything else."""
    parts: list[tuple[str, RenderableType]] = [
        ("text", Text.assemble((f" {PROVENANCE.get(v.provenance, v.provenance).upper()} ", "bold reverse"), "  ",
                               (PROVENANCE_HELP.get(v.provenance, ""), "italic"))),
        ("text", Text("")),
    ]
    if v.sources:
        parts.append(("text", Text("SOURCES", style="bold dim")))
        for n, source in enumerate(v.sources, 1):
            parts.append(("text", _cited(n, source)))
            if source.url:
                parts.append(("indent", Text(f"{link_kind(source)}:", style="italic")))
                parts.append(("url", Text(source.url, style=Style(underline=True, link=source.url))))
            if source.note:
                parts.append(("indent", Text(unwrap(source.note), style="dim")))
    elif v.provenance == "counterfactual":
        parts.append(("text", Text("This scene is invented, so it cites no sources.", style="dim")))
    else:
        parts.append(("text", Text("No sources are listed for this scene.", style="bold")))
    if v.scene.note:
        parts += [("text", Text("")), ("text", Text("NOTE", style="bold dim")), ("text", Text(unwrap(v.scene.note)))]
    return parts


def sources_text(v: "View") -> str:
    """The same, as plain text."""
    lines = [f"{PROVENANCE.get(v.provenance, v.provenance)}: {PROVENANCE_HELP.get(v.provenance, '')}"]
    for source in v.sources:
        lines.append(citation(source) + (f" {unwrap(source.note)}" if source.note else ""))
    if v.scene.note:
        lines.append(v.scene.note)
    return "\n".join(lines)


class SourcesScreen(ModalScreen[None]):
    """A link is a line of its own that never wraps: where it is wider than the dialog, the
    dialog scrolls sideways, and 1-9 copy a source's link whole to the clipboard."""

    BINDINGS = [
        Binding("escape", "dismiss", "Close"),
        Binding("s", "dismiss", "Close", show=False),
        Binding("1", "copy_link(1)", "Copy a link", key_display="1-9"),
        *(Binding(str(n), f"copy_link({n})", show=False) for n in range(2, 10)),
        Binding("question_mark", "app.help", "Help"),
    ]

    def __init__(self, v: "View"):
        super().__init__()
        self.v = v

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide-dialog", id="sources-dialog"):
            yield Static(Content.styled(f"Sources — {self.v.title}", "bold"), classes="dialog-title")
            with ScrollableContainer(id="sources-scroll"):
                for kind, part in sources_parts(self.v):
                    yield Static(part, classes=f"source-{kind}")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#sources-scroll").focus()

    def action_copy_link(self, number: int) -> None:
        linked = [s for s in self.v.sources if s.url]
        source = self.v.sources[number - 1] if 0 < number <= len(self.v.sources) else None
        if source is None or not source.url:
            which = f"Source {number} has no link" if source is not None else f"There is no source {number}"
            self.notify(f"{which}; {len(linked)} of the {len(self.v.sources)} sources here have one.",
                        severity="warning", markup=False)
            return
        self.app.copy_to_clipboard(source.url)
        host = urlsplit(source.url).hostname or "the link"
        self.notify(f"Copied the link of source {number} ({host}) to the clipboard.", markup=False)
