"""Textual's footer, rebuilt only when the keys it shows change.

Textual's `Footer` is composed empty, then queues a full rebuild (every key a new widget, each
restyled) for every "bindings changed" signal, and every focus change sends one even when the
keys stay the same: bringing up the play screen rebuilt its footer ten times before the first
scene was drawn, and each choice (the focus returns to the choices) rebuilt it again. This one
rebuilds at most once per refresh, only when what it shows has changed, and styles each key once.

Its keys come the frame after the screen's first, as in any Textual app: a dozen keys are a
dozen widgets (~1 ms each), and the first frame of the title or the play screen does not wait
for them.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer as TextualFooter
from textual.widgets._footer import FooterKey


class Footer(TextualFooter):
    _pending = False
    _shown: object = None

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                # A key starts compact (its default) and, when bound to the footer's `compact`,
                # takes the footer's setting once mounted: each change restyled the key by
                # itself. It gets the class it ends up with before it is styled instead. (The
                # command palette's key is not bound: it stays compact, as Textual draws it.)
                compact = self.compact if "compact" in (widget._reactive_connect or {}) else True
                widget.set_reactive(FooterKey.compact, compact)
                widget.set_class(compact, "-compact", update=False)
            yield widget

    def bindings_changed(self, screen: Screen[Any]) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen and screen.is_current and not self._pending:
            self._pending = True
            self.call_after_refresh(self._rebuild)

    async def _rebuild(self) -> None:
        self._pending = False
        if not self.is_attached:  # removed (its screen replaced) before the refresh this waited for
            return
        shown = self._keys()
        if shown == self._shown:
            return
        self._shown = shown
        await self.recompose()

    def _keys(self) -> object:
        """Everything `Footer.compose` reads, so equal keys compose the same footer."""
        return (self.compact, self.show_command_palette, tuple(
            (binding.key, binding.key_display, binding.description, binding.action, binding.show, binding.group,
             binding.tooltip, enabled, tooltip)
            for (_, binding, enabled, tooltip) in self.screen.active_bindings.values()))
