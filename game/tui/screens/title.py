"""The title screen: the first frame the player sees, shown before the story has loaded.

It is on the startup path, so it imports only what a bare Textual app would (Static,
OptionList, Footer) and knows nothing of the engine: the app tells it when the story is
ready and what "continue" would resume.
"""

from __future__ import annotations

from typing import Optional

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from game.tui.widgets.footer import Footer

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


def _item(key: str, label: str, detail: str = "", enabled: bool = True) -> Content:
    parts: list[tuple[str, str] | str | Content] = [(f" {key} ", "bold $accent" if enabled else ""), "  ", label]
    if detail:
        parts += ["  ", (detail, "italic" if enabled else "")]
    return Content.assemble(*parts)


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
        with Vertical(id="title-box"):
            yield Static(BANNER, id="banner", markup=False)  # its lines centred one by one (title.tcss)
            yield Static(Content("Boardroom · loading the story…"), id="subtitle")
            with Center():
                yield OptionList(*(Option(_item(key, label), id=oid) for oid, key, label in MENU),
                                 id="menu", markup=False)
            with Center():
                yield Static(Content(FAIRNESS), id="fairness")
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

    def _set_up(self) -> None:
        # A quit that comes while the screen is still being built (a browser tab closed as soon as
        # it opened) mounts it without its children: nothing to set up then.
        menu = next(iter(self.query("#menu").results(OptionList)), None)
        if menu is None:
            return
        menu.disable_option("continue")
        menu.highlighted = 0
        menu.focus()
        # `play --side` starts playing before this screen is built: what it was told then shows now
        if self._story is not None:
            self.show_story(*self._story)
        if self._continue is not None:
            self.show_continue(self._continue or None)

    async def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        actions = {"new": "new_game", "continue": "continue_run", "load": "load_run", "replays": "replays",
                   "endings": "endings", "settings": "settings", "help": "help", "quit": "request_quit"}
        if event.option_id in actions:
            await self.run_action(f"app.{actions[event.option_id]}")

    story_shown = False
    """Whether the story's name has replaced "loading the story…"."""
    _story: Optional[tuple[str, str]] = None
    _continue: Optional[str] = None
    """What "continue" resumes ("" for nothing), when told before the screen was built."""

    def show_story(self, title: str, subtitle: str) -> None:
        self.story_shown = True
        found = self.query("#subtitle").results(Static)
        subtitle_widget = next(iter(found), None)
        if subtitle_widget is None:
            self._story = (title, subtitle)
            return
        self._story = None
        text = f"{title} — {subtitle}" if subtitle else title
        subtitle_widget.update(Content(text))

    def show_problem(self, message: str) -> None:
        self.query_one("#subtitle", Static).update(Content.styled(message, "bold $error"))

    def show_continue(self, detail: Optional[str]) -> None:
        """Offer the latest run (detail says whose and how far), or grey the entry out."""
        menu = next(iter(self.query("#menu").results(OptionList)), None)
        if menu is None:
            self._continue = detail or ""
            return
        self._continue = None
        index = menu.get_option_index("continue")
        if detail:
            menu.replace_option_prompt("continue", _item("c", "Continue", detail))
            menu.enable_option("continue")
            if menu.highlighted == 0:
                menu.highlighted = index
        else:
            menu.replace_option_prompt("continue", _item("c", "Continue", "no saved run yet", enabled=False))
            menu.disable_option("continue")
