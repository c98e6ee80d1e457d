"""A story that does not load: its first errors, in the compiler's format, and what to do.

Never a traceback: the loader reports every problem as `path:line:col: error[CODE] message`.
Under --watch the screen updates as the author saves, and gives way to the title screen as
soon as the story loads.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from game.tui.widgets.footer import Footer

if TYPE_CHECKING:
    from game.engine import Diagnostic

SHOWN = 12


def errors_content(diagnostics: Sequence["Diagnostic"], story_dir: str, watching: bool) -> Content:
    errors = [d for d in diagnostics if d.severity == "error"]
    lines: list[Content] = [Content.styled(f"The story in {story_dir!r} has {len(errors)} error"
                                           f"{'s' if len(errors) != 1 else ''} and cannot be played.", "bold $error"),
                            Content("")]
    for d in errors[:SHOWN]:
        lines.append(Content.assemble((f"{d.path}:{d.line}:{d.col}: ", "bold"), (f"error[{d.code}] ", "$error"),
                                      d.message))
    if len(errors) > SHOWN:
        lines.append(Content.styled(f"… and {len(errors) - SHOWN} more.", "$foreground-muted"))
    lines.append(Content(""))
    lines.append(Content(f"Run 'boardroom check {story_dir}' to see every problem; the authoring guide "
                         "(story/README.md) explains each code."))
    if watching:
        lines.append(Content.styled("Watching the story folder: this screen updates when you save a file.",
                                    "italic $accent"))
    return Content("\n").join(lines)


class StoryErrorsScreen(Screen[None]):
    BINDINGS = [Binding("q", "app.request_quit", "Quit"), Binding("escape", "app.request_quit", "Quit", show=False)]

    def __init__(self, diagnostics: Sequence["Diagnostic"], story_dir: str, watching: bool):
        super().__init__()
        self.diagnostics = list(diagnostics)
        self.story_dir = story_dir
        self.watching = watching

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="errors-scroll"):
            yield Static(errors_content(self.diagnostics, self.story_dir, self.watching), id="errors-body",
                         markup=False)
        yield Footer()

    def show(self, diagnostics: Sequence["Diagnostic"]) -> None:
        self.diagnostics = list(diagnostics)
        self.query_one("#errors-body", Static).update(errors_content(self.diagnostics, self.story_dir, self.watching))
