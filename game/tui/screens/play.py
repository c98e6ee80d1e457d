"""The play screen: the scene, its choices, the clock, the meters, the scale and the news.

It shows the current state only, so a choice costs the same at step 5 and at step 500:
one `choose`, one `view`, a handful of widget updates. The run so far lives in the history
screen, built when it is opened.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Optional, Sequence

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen

from game.engine import ChoiceError, ChoiceView, Meter
from game.tui import messages
from game.tui.widgets.footer import Footer
from game.tui.widgets.page import Page, scene_for
from game.tui.widgets.sidebar import Sidebar, meter_trend
from game.tui.widgets.ticker import Ticker
from game.tui.widgets.topbar import TopBar

if TYPE_CHECKING:
    from game.tui.app import BoardroomApp
    from game.controller.session import Session


AHEAD_AFTER = 0.05
"""Seconds after the frame that shows a whole scene before the scenes its choices lead to are
laid out: the player is reading by then."""


def chose(text: str) -> str:
    """The line above the scene a choice led to: laid out ahead and shown, it must read the same."""
    return f"You chose: {text}"


class PlayScreen(Screen[None]):
    """One scene at a time. Keys: 1-9 choose, u undo, h history, s sources, m map, t timeline."""

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (96, "-wide")]
    """The sidebar folds below 96 columns, where it would squeeze the text under 64 characters."""

    STYLESHEETS = ("play.tcss",)
    """All the stylesheet its first frame waits for (`Loading.load_css`): `play --side` shows the
    scene without parsing every other screen's first."""

    BINDINGS = [
        # Priority: the key acts as it reaches the app. Otherwise Textual first hands it to the
        # focused page and walks it up through its container and the screen, a message each,
        # before it looks for a binding. (`action_choose` does what `on_key` does while the
        # text is typing: the key only finishes it.)
        Binding("1", "choose(1)", "Choose", key_display="1-9", priority=True),
        *(Binding(str(n), f"choose({n})", show=False, priority=True) for n in range(2, 10)),
        Binding("h", "history", "History"),
        Binding("u", "undo", "Undo"),
        Binding("question_mark", "app.help", "Help"),
        Binding("w", "app.help('meters')", "Meters"),
        Binding("q", "app.request_quit", "Quit"),
        Binding("s", "sources", "Sources"),
        Binding("t", "timeline", "News"),
        Binding("m", "story_map", "Map"),
        Binding("i", "toggle_sidebar", "Sidebar", show=False),
        Binding("f5", "app.quick_save", "Quick save", show=False),
        Binding("f9", "app.quick_load", "Quick load", show=False),
        Binding("ctrl+s", "app.save_slot", "Save as", show=False),
        Binding("pageup", "scroll_story(-1)", "Scroll the text up", show=False, priority=True),
        Binding("pagedown", "scroll_story(1)", "Scroll the text down", show=False, priority=True),
        Binding("escape", "app.to_title", "Menu"),
    ]

    def __init__(self, session: "Session", note: str = "") -> None:
        super().__init__()
        self.session = session
        self._note = note
        self._sidebar_choice: Optional[bool] = None
        self._taking: Optional[tuple[str, Sequence[Meter]]] = None
        """The choice on its way to the app, and the meters before it (to animate the change)."""
        # The width's class from the start: Textual sets it on the first resize, after styling and
        # laying out the whole screen once without it (the sidebar shown at 80 columns, then
        # hidden), which was a second styling of every widget and a second layout before the
        # first frame.
        self.set_class(True, *self._get_breakpoint_classes(self.app.size.width, self.HORIZONTAL_BREAKPOINTS),
                       update=False)
        self._resumed = False
        """Shown before: a resume restyles the widgets (see `on_screen_resume`)."""
        self._whole = 0
        """Counts the scenes shown whole: reading ahead is for the latest one only."""

    @property
    def game(self) -> "BoardroomApp":
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield TopBar(id="topbar")
        with Horizontal(id="body"):
            yield Page(id="page")
            # folded at a narrow width: built once the first scene is on screen (see `on_mount`)
            yield Sidebar(id="sidebar", built=not self.has_class("-narrow"))
        yield Ticker(id="ticker")
        yield Footer()

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        """The first time the screen is shown its widgets were styled a moment ago, when they were
        mounted with every stylesheet loaded; Textual styles them all again here (~30 widgets),
        which the first frame need not wait for. Later resumes (back from a dialog, a theme
        changed meanwhile) restyle as usual."""
        if not self._resumed:
            event.refresh_styles = False
            self._resumed = True

    def on_mount(self) -> None:
        self.show_state(self._note, before=None)
        sidebar = self.query_one(Sidebar)
        if not sidebar.built:
            self.call_after_refresh(sidebar.build)

    # ------------------------------------------------------------------ showing a state

    def show_state(self, note: str = "", before: Optional[Sequence[Meter]] = None, reveal: bool = True) -> None:
        """Draw the session's current state; `note` is the line above the text (what was chosen)."""
        with self.app.batch_update():  # one repaint for the widgets that change
            self._show_state(note, before, reveal)

    def _show_state(self, note: str, before: Optional[Sequence[Meter]], reveal: bool) -> None:
        session = self.session
        v = session.view()
        story = session.story
        self.query_one(TopBar).show(v, story.sides[session.side].name, story.begins)
        self.query_one(Sidebar).show(v.meters, before, meter_trend(story.var_names, session.states))
        self.query_one(Ticker).show(session.headlines)
        speed = self.game.game.reveal_speed(v.scene.id) if reveal else 0
        page = self.query_one(Page)
        page.show_meters(self._meters_in_page())
        page.show(scene_for(v, note), speed)
        if not page.running:
            self._text_shown()

    @on(Page.Finished)
    def _text_shown(self, event: Optional[Page.Finished] = None) -> None:
        """The whole text is showing: the choices are there to take, and the scene counts as read."""
        if event is not None:
            event.stop()
        page = self.query_one(Page)
        if not page.has_focus:  # focus() repaints even when it changes nothing: a second frame per scene
            page.focus()
        self.app.post_message(messages.SceneRead(self.session.state.scene))  # the app marks it
        self._whole += 1
        # timed from the frame that shows the scene, so reading ahead never competes with drawing it
        self.call_after_refresh(self._read_ahead_later, self._whole)

    def _read_ahead_later(self, whole: int) -> None:
        if whole == self._whole:
            self.set_timer(AHEAD_AFTER, partial(self._lay_out_ahead, whole))

    def _lay_out_ahead(self, whole: int, ahead: Optional[list[ChoiceView]] = None) -> None:
        """Lay out the scene each open choice leads to (`Page.prepare`) while the player reads,
        one per call: a key pressed meanwhile waits for one scene's layout at most."""
        if whole != self._whole or not self.is_current:
            return  # another scene is shown, or another screen is up (an ending, a dialog)
        page = self.query_one(Page)
        if ahead is None:
            ahead = [c for c in page.scene.choices if c.available]
        if not ahead or page.running:
            return
        choice, rest = ahead[0], ahead[1:]
        try:
            page.prepare(scene_for(self.session.peek(choice.id), chose(choice.text)))
        except ChoiceError:
            return
        if rest:
            self.call_later(self._lay_out_ahead, whole, rest)

    # Keys that pick or move between choices: while the text is still typing they only finish
    # it, so no choice is ever taken unseen. Every other key finishes it and does its own job.
    CHOOSING_KEYS = frozenset({*"123456789", "enter", "space", "up", "down", "home", "end"})

    def on_key(self, event: events.Key) -> None:
        """Any key finishes the typewriter; a choosing key does nothing else."""
        page = self.query_one(Page)
        if page.running:
            page.finish()
            if event.key in self.CHOOSING_KEYS:
                event.stop()
                event.prevent_default()

    def on_click(self) -> None:
        self.query_one(Page).finish()

    def refresh_session(self, session: "Session", note: str = "") -> None:
        """Show another session (after undo, a reload under --watch, or a quick load)."""
        self.session = session
        self.show_state(note, before=None, reveal=False)

    # ------------------------------------------------------------------ choosing

    @on(Page.Picked)
    def _picked(self, event: Page.Picked) -> None:
        event.stop()
        self.take(event.index)

    def action_choose(self, number: int) -> None:
        page = self.query_one(Page)
        if page.running:
            page.finish()  # the key that shows the rest of the text takes no choice
            return
        self.take(number - 1)

    def take(self, index: int) -> None:
        page = self.query_one(Page)
        picked = page.choice_at(index)
        if picked is None or page.running:
            return
        if not picked.available:
            self.notify(f"“{picked.text}” is locked: {picked.reason}", title="Locked", severity="warning",
                        markup=False)
            return
        self._taking = (picked.text, self.session.view().meters)
        self.app.post_message(messages.ChoiceTaken(picked.id))  # straight to the app, which takes it

    def chosen(self) -> None:
        """The app took the choice and the run goes on: show where it led, meters moving from before."""
        text, before = self._taking if self._taking is not None else ("", None)
        self._taking = None
        self.show_state(chose(text) if text else "", before)

    def action_undo(self) -> None:
        self.post_message(messages.UndoAsked())

    # ------------------------------------------------------------------ the keys a scene away

    def action_history(self) -> None:
        from game.tui.screens.history import HistoryScreen

        def went_back(step: Optional[int]) -> None:
            if step is not None and step != self.session.steps:
                self.post_message(messages.BackTo(step))

        self.app.push_screen(HistoryScreen(self.session), went_back)

    def action_sources(self) -> None:
        from game.tui.screens.sources import SourcesScreen

        self.app.push_screen(SourcesScreen(self.session.view()))

    def action_story_map(self) -> None:
        from game.tui.screens.storymap import StoryMapScreen

        self.app.push_screen(StoryMapScreen(self.session.story, self.session.state, self.session.view()))

    def action_timeline(self) -> None:
        from game.tui.screens.timeline import TimelineScreen

        self.app.push_screen(TimelineScreen(self.session))

    async def action_toggle_sidebar(self) -> None:
        await self.query_one(Sidebar).build()
        narrow = self.has_class("-narrow")
        shown = not narrow if self._sidebar_choice is None else self._sidebar_choice
        self._sidebar_choice = not shown
        self.set_class(self._sidebar_choice, "-sidebar-on")
        self.set_class(not self._sidebar_choice, "-sidebar-off")
        self.query_one(Page).show_meters(self._meters_in_page())

    def on_resize(self) -> None:
        self.query_one(Page).show_meters(self._meters_in_page())  # the width's class is set by now

    def _meters_in_page(self) -> bool:
        """The meters go in the page wherever the sidebar is folded: below 96 columns, unless
        the player showed it (`i`), and at any width the player hid it."""
        if self._sidebar_choice is not None:
            return not self._sidebar_choice
        return self.has_class("-narrow")

    def action_scroll_story(self, direction: int) -> None:
        self.query_one(Page).scroll_page(direction)
