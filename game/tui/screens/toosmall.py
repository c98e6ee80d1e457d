"""Shown over everything while the terminal is smaller than the layout needs.

It says the size needed and the size now, and gives way by itself as soon as the
terminal is large enough; nothing underneath is lost.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static


class TooSmallScreen(ModalScreen[None]):
    def __init__(self, width: int, height: int):
        # No id: a screen shown while the terminal is small (a run given with --side or --load)
        # lands above this one, and a second of these goes on top of it; ids would clash.
        super().__init__(classes="too-small")
        self.need = (width, height)

    def compose(self) -> ComposeResult:
        yield Static(id="too-small-text", markup=False)

    def on_mount(self) -> None:
        self.show_size(self.app.size.width, self.app.size.height)

    def on_screen_resume(self) -> None:
        """Back on top after a screen above it closed: give way if the terminal grew meanwhile."""
        width, height = self.app.size
        need_w, need_h = self.need
        if width >= need_w and height >= need_h:
            self.dismiss()
        else:
            self.show_size(width, height)

    def show_size(self, width: int, height: int) -> None:
        need_w, need_h = self.need
        self.query_one(Static).update(Content.assemble(
            ("Terminal too small", "bold"), "\n",
            f"Boardroom needs {need_w}×{need_h}; this one is {width}×{height}.", "\n",
            ("Enlarge the window to carry on (ctrl+q quits).", "$foreground-muted")))
