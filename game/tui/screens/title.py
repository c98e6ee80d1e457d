"""The title screen: the first frame the player sees, shown before the story has loaded.

It is on the startup path: two widgets (the card that draws the whole title, and the footer),
and nothing of the engine: the app tells it when the story is ready and what "continue"
would resume.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen

from game.tui.widgets.footer import Footer

if TYPE_CHECKING:
    from game.tui.widgets.titlecard import TitleCard

BANNER = """\
█▀▀▀▄ ▄▀▀▀▄ ▄▀▀▀▄ █▀▀▀▄ █▀▀▀▄ █▀▀▀▄ ▄▀▀▀▄ ▄▀▀▀▄ █▄ ▄█
█▀▀▀▄ █   █ █▄▄▄█ █▀█▀  █   █ █▀█▀  █   █ █   █ █ ▀ █
█▄▄▄▀ ▀▄▄▄▀ █   █ █  ▀▄ █▄▄▄▀ █  ▀▄ ▀▄▄▄▀ ▀▄▄▄▀ █   █"""

FAIRNESS = ("Interactive fiction about real people and a real week. Every scene says whether it is "
            "documented, reported, or invented.")

MENU: tuple[tuple[str, str, str], ...] = (
    ("new", "n", "New game"),
    ("continue", "c", "Continue"),
    ("load", "l", "Load a saved run"),
    ("replays", "r", "Replays"),
    ("endings", "e", "Endings found"),
    ("settings", "o", "Settings"),
    ("help", "?", "Help"),
    ("quit", "q", "Quit"),
)


class TitleScreen(Screen[None]):
    """New game, continue, load, replays, endings found, settings, help, quit."""

    BINDINGS = [
        Binding("n", "app.new_game", "New game"),
        Binding("c", "app.continue_run", "Continue"),
        Binding("l", "app.load_run", "Load"),
        Binding("r", "app.replays", "Replays"),
        Binding("e", "app.endings", "Endings"),
        Binding("o", "app.settings", "Settings"),
        Binding("question_mark", "app.help", "Help"),
        Binding("q", "app.request_quit", "Quit"),
    ]

    def __init__(self, deferred: bool = False) -> None:
        super().__init__()
        self._deferred = deferred
        """`play --side`: the game starts on a scene, so this screen is built the first time it
        is shown, not before that first scene (it costs as much as a sixth of a bare app's start)."""

    def compose(self) -> ComposeResult:
        if self._deferred:
            return
        from game.tui.widgets.titlecard import Entry, TitleCard  # not before `play --side`'s first scene

        yield TitleCard(BANNER, Content("Boardroom · loading the story…"),
                        [Entry(oid, key, label) for oid, key, label in MENU], FAIRNESS, id="menu")
        yield Footer()

    def on_mount(self) -> None:
        self._set_up()

    async def on_screen_resume(self) -> None:
        if self._deferred and self.app.screen is self:  # not `is_current`: that includes the screens
            # under one still being pushed, whose background is not yet opaque
            self._deferred = False
            with self.app.batch_update():  # no frame of the half-built screen
                await self.recompose()
                self._set_up()

    def _card(self) -> Optional["TitleCard"]:
        """The card, once built (`play --side` builds it only when the title is first shown)."""
        found = self.query("#menu")
        if not found:
            return None
        from game.tui.widgets.titlecard import TitleCard

        return next(iter(found.results(TitleCard)), None)

    def _set_up(self) -> None:
        # A quit that comes while the screen is still being built (a browser tab closed as soon as
        # it opened) mounts it without its children: nothing to set up then.
        card = self._card()
        if card is None:
            return
        card.set_entry("continue", "", enabled=False)
        card.highlighted = 0
        card.focus()
        # `play --side` starts playing before this screen is built: what it was told then shows now
        if self._story is not None:
            self.show_story(*self._story)
        if self._continue is not None:
            self.show_continue(self._continue or None)

    async def on_title_card_picked(self, event: "TitleCard.Picked") -> None:
        event.stop()
        actions = {"new": "new_game", "continue": "continue_run", "load": "load_run", "replays": "replays",
                   "endings": "endings", "settings": "settings", "help": "help", "quit": "request_quit"}
        if event.id in actions:
            await self.run_action(f"app.{actions[event.id]}")

    story_shown = False
    """Whether the story's name has replaced "loading the story…"."""
    _story: Optional[tuple[str, str]] = None
    _continue: Optional[str] = None
    """What "continue" resumes ("" for nothing), when told before the screen was built."""

    def show_story(self, title: str, subtitle: str) -> None:
        self.story_shown = True
        card = self._card()
        if card is None:
            self._story = (title, subtitle)
            return
        self._story = None
        card.set_subtitle(Content(f"{title} — {subtitle}" if subtitle else title))

    def show_problem(self, message: str) -> None:
        card = self._card()
        if card is not None:
            card.set_subtitle(Content.styled(message, "bold $error"))

    def show_continue(self, detail: Optional[str]) -> None:
        """Offer the latest run (detail says whose and how far), or grey the entry out."""
        card = self._card()
        if card is None:
            self._continue = detail or ""
            return
        self._continue = None
        if detail:
            card.set_entry("continue", detail, enabled=True)
            if card.highlighted == 0:
                card.highlight("continue")
        else:
            card.set_entry("continue", "no saved run yet", enabled=False)
