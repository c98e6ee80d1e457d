"""The scene's provenance and its sources: how much of what the player just read is real.

Documented and reported scenes list the sources they rest on (outlet, author, title, date,
and a link saying whether it is the publisher's page or a copy read at a partner);
every scene may carry a note on where accounts differ. URLs are shown in full, so they can
be copied from any terminal, and are clickable where the terminal supports links.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from game.format import PROVENANCE, PROVENANCE_HELP, citation, cite, link_kind
from game.paragraphs import unwrap

if TYPE_CHECKING:
    from game.engine import View


def sources_content(v: "View") -> Group:
    """Rich renderables (a grid per list), so wrapped lines hang under their own text."""
    parts: list[Table | Text] = [
        Text.assemble((f" {PROVENANCE.get(v.provenance, v.provenance).upper()} ", "bold reverse"), "  ",
                      (PROVENANCE_HELP.get(v.provenance, ""), "italic")),
        Text(""),
    ]
    if v.sources:
        parts.append(Text("SOURCES", style="bold dim"))
        grid = Table.grid(padding=(0, 1))
        grid.add_column(no_wrap=True, style="bold")
        grid.add_column(ratio=1, overflow="fold")  # a link too long for the line folds, never ellipsizes
        for n, source in enumerate(v.sources, 1):
            entry = Text(cite(source))
            if source.url:
                entry.append(f"\n{link_kind(source)}: ", style="italic")
                entry.append(source.url, style=Style(underline=True, link=source.url))
            if source.note:
                entry.append("\n" + unwrap(source.note), style="dim")
            grid.add_row(f"{n}.", entry)
        parts.append(grid)
    elif v.provenance == "counterfactual":
        parts.append(Text("This scene is invented, so it cites no sources.", style="dim"))
    else:
        parts.append(Text("No sources are listed for this scene.", style="bold"))
    if v.scene.note:
        parts += [Text(""), Text("NOTE", style="bold dim"), Text(unwrap(v.scene.note))]
    return Group(*parts)


def sources_text(v: "View") -> str:
    """The same, as plain text."""
    lines = [f"{PROVENANCE.get(v.provenance, v.provenance)}: {PROVENANCE_HELP.get(v.provenance, '')}"]
    for source in v.sources:
        lines.append(citation(source) + (f" {unwrap(source.note)}" if source.note else ""))
    if v.scene.note:
        lines.append(v.scene.note)
    return "\n".join(lines)


class SourcesScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape", "dismiss", "Close"),
        Binding("s", "dismiss", "Close", show=False),
        Binding("question_mark", "app.help", "Help"),
    ]

    def __init__(self, v: "View"):
        super().__init__()
        self.v = v

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide-dialog"):
            yield Static(Content.styled(f"Sources — {self.v.title}", "bold"), classes="dialog-title")
            with VerticalScroll(id="sources-scroll"):
                yield Static(sources_content(self.v), id="sources-body")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#sources-scroll").focus()
