"""Scene text revealed a few letters at a time, like a typewriter.

The text is always literal `Content` (never markup), laid out by `game.paragraphs.prose`.
While it types, the widget is as tall as the whole text will be: the revealed words, then
empty lines for the rest. Words are revealed whole, and wrapping a prefix that ends on a word
boundary gives the same lines as the whole text, so nothing rewraps, and nothing below moves
when the reveal finishes. The reveal runs on a 30 fps timer and stops the moment `finish()` is
called, which the play screen does on any key or click. A speed of 0 shows the whole text at once.
"""

from __future__ import annotations

from textual.content import Content
from textual.message import Message
from textual.timer import Timer

from game.paragraphs import prose
from game.tui.widgets.quiet import Words, same_height

FPS = 30
OUTCOME_STYLE = "italic $text-accent"
"""A choice's outcome, read before the scene's text: set apart from the prose that follows."""


def scene_content(outcome: str, text: str) -> Content:
    """A scene's text whole, after the outcome of the choice that led to it, set apart."""
    outcome, text = prose(outcome), prose(text)
    if not outcome:
        return Content(text)
    return Content.assemble((outcome, OUTCOME_STYLE), "\n\n", text)


def padded(text: str, shown: int, width: int) -> str:
    """The first `shown` characters of `text`, then as many empty lines as the rest would take
    at `width` cells, so the revealed part sits where it will stay."""
    return pad(Content(text[:shown]), Content(text), width).plain


def pad(head: Content, whole: Content, width: int) -> Content:
    """`head` followed by the empty lines that make it as tall as `whole` at `width` cells."""
    if width <= 0:
        return head
    total = len(whole.wrap(width))
    lines = len(head.wrap(width)) if head.plain else 0
    return head + "\n" * max(0, total - max(lines, 1))


class Typewriter(Words):
    class Finished(Message):
        """A reveal has ended: the whole text is showing (typed to the end, or finished early).

        Text shown at once (`type` at speed 0) posts none: the caller knows it is whole, and a
        message bubbling up through every container to the app costs the frame a little."""

    class Typed(Message):
        """More of the text is showing: a container may scroll to follow it."""

    def __init__(self, *, id: str | None = None, classes: str | None = None):
        super().__init__(id=id, classes=classes, markup=False)
        self._text = ""
        self._lead = 0
        """How many leading characters of `_text` are the outcome, styled apart."""
        self._shown = 0
        self._step = 1.0
        self._progress = 0.0
        self._timer: Timer | None = None

    @property
    def running(self) -> bool:
        return self._timer is not None

    @property
    def text(self) -> str:
        """Everything the widget will show: the outcome, if any, then the scene's text."""
        return self._text

    @property
    def shown(self) -> int:
        """How many characters of the text are revealed."""
        return self._shown

    def type(self, text: str, chars_per_second: int, outcome: str = "") -> None:
        """Show `text`, revealed at `chars_per_second` (0 shows it all at once), after
        `outcome` (what the last choice made happen), which is typed first, in its own style.
        Afterwards `running` says whether a reveal has started (and `Finished` will follow)."""
        self._stop()
        self._lead = len(outcome)
        self._text = f"{outcome}\n\n{text}" if outcome else text
        if chars_per_second <= 0 or not self._text:
            self._shown = len(self._text)
            self._show_whole()
            return
        self._shown = 0
        self._progress = 0.0
        self._step = chars_per_second / FPS
        self._draw()
        self._timer = self.set_interval(1 / FPS, self._tick)

    def _content(self, shown: int) -> Content:
        """The first `shown` characters, the outcome's part in its own style. Always literal."""
        if not self._lead:
            return Content(self._text[:shown])
        lead = min(shown, self._lead)
        return Content.assemble((self._text[:lead], OUTCOME_STYLE), self._text[lead:shown])

    def _draw(self, layout: bool = True) -> None:
        """The revealed part, padded to the height of the whole.

        `layout=False` for the reveal's ticks: padded, the text is as tall at every tick as it
        will be whole, so only its own lines need repainting, not the screen laid out again."""
        width = self.content_region.width
        self.update(pad(self._content(self._shown), Content(self._text), width), layout=layout or width <= 0)

    def _show_whole(self) -> None:
        """The whole text, laid out again only if it is not as tall as what it replaces (a scene
        as long as the last, or the end of a reveal, which kept the whole height throughout)."""
        content = self._content(self._shown)
        current = self.content
        same = isinstance(current, Content) and same_height(self, current, content)
        self.update(content, layout=not same)

    def finish(self) -> None:
        if self._timer is None:
            return
        self._stop()
        self._shown = len(self._text)
        self._show_whole()
        self.post_message(self.Finished())

    def _stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def _tick(self) -> None:
        self._progress += self._step
        shown = min(len(self._text), int(self._progress))
        # finish a word rather than show half of one
        while shown < len(self._text) and not self._text[shown].isspace() and shown - int(self._progress) < 12:
            shown += 1
        if shown >= len(self._text):
            self.finish()
            return
        if shown != self._shown:
            self._shown = shown
            self._draw(layout=False)
            self.post_message(self.Typed())

    def on_resize(self) -> None:
        if self.running:
            self._draw()

    def on_unmount(self) -> None:
        self._stop()
