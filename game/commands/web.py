"""The web server `boardroom serve` runs: textual-serve's, knowing a browser again by a cookie.

textual-serve starts a game process for each page it serves and tells it nothing about who
opened the page, so a page reloaded (or opened again tomorrow) would start with an empty saves
folder and the player's runs out of sight. This server gives each browser a random name in a
cookie when it first loads the page, and each game its browser's saves folder
(`serve.player_folder`). Two tabs of one browser share that folder as two terminal games share
one: each autosaves to a file of its own. A page whose browser sends no cookie, or one that is
not a name this server could have given, plays on a folder of its own, as before.

Imported only once textual-serve is known to be installed (it is an optional extra).
"""

from __future__ import annotations

import shlex
from contextvars import ContextVar
from typing import Any, Optional

from aiohttp import web
from textual_serve.server import Server

from game.commands.serve import new_player, player_name

COOKIE = "boardroom-player"
COOKIE_DAYS = 400
"""How long a browser keeps its name: browsers cap a cookie's life at about this."""

_player: ContextVar[Optional[str]] = ContextVar("player", default=None)
"""The player whose page's websocket is being served: each runs in a task of its own."""


class BoardroomServer(Server):
    @property
    def command(self) -> str:
        """The shell command for the game behind the websocket being served: textual-serve reads
        `command` once, as it starts that game."""
        player = _player.get()
        return self._command if player is None else f"{self._command} --player {shlex.quote(player)}"

    @command.setter
    def command(self, value: str) -> None:
        self._command = value

    async def handle_index(self, request: web.Request) -> Any:
        response = await super().handle_index(request)
        if player_name(request.cookies.get(COOKIE)) is None:
            response.set_cookie(COOKIE, new_player(), max_age=COOKIE_DAYS * 24 * 3600, httponly=True,
                                samesite="Strict")
        return response

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        _player.set(player_name(request.cookies.get(COOKIE)))
        response: web.WebSocketResponse = await super().handle_websocket(request)
        return response
