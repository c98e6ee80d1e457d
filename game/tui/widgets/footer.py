"""Textual's footer, rebuilt once per change of the keys it shows instead of once per signal.

Textual's `Footer` queues a full rebuild (every key a new widget, each restyled) for every
"bindings changed" signal, and every focus change sends one even when the keys stay the same:
bringing up the play screen rebuilt its footer ten times before the first scene was drawn, and
each choice (the focus returns to the choices) rebuilt it again. This one rebuilds at most once
per refresh, and only when what it would show has changed.
"""

from __future__ import annotations

from typing import Any

from textual.screen import Screen
from textual.widgets import Footer as TextualFooter


class Footer(TextualFooter):
    _pending = False
    _shown: object = None

    def bindings_changed(self, screen: Screen[Any]) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen and screen.is_current and not self._pending:
            self._pending = True
            self.call_after_refresh(self._rebuild)

    async def _rebuild(self) -> None:
        self._pending = False
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
