"""The scene as the player reads it: its title, what was chosen, the text, and the choices.

One widget draws all of it, line by line, in the space the screen gives it. A new scene
changes what the lines say, never the widget's size, so a choice costs one repaint of this
widget and no layout. Spread over a dozen widgets, as it was, every scene of another length
was a layout of the whole screen, and Textual lays a screen out twice when sizes change (the
second time for the scrollbars the first one brought): two frames, 50-70 ms after the key,
where one repaint of the page is drawn in one frame.

It keeps the arrangement those widgets had: about 70 characters of text, centred; the choices
right under a short text; a long text scrolls above the choices, which are never pushed off
the screen; the line between them says when more text is above or below; where the terminal
is too narrow for the sidebar, the meters by their short names sit above that line, each
whole, on as many lines as the width needs. The text can be
revealed a few letters at a time (the typewriter): words are revealed whole, and wrapping a
prefix that ends on a word boundary gives the same lines as the whole text, so nothing
rewraps and nothing moves when the reveal ends.
"""

from __future__ import annotations

from typing import ClassVar, Optional

from rich.segment import Segment
from rich.style import Style as RichStyle
from textual import events
from textual.binding import BindingType
from textual.content import Content
from textual.message import Message
from textual.selection import Selection
from textual.strip import Strip
from textual.style import Style
from textual.timer import Timer
from textual.widget import Widget

from game.engine import ChoiceView, View
from game.records import record
from game.format import meter_short_words, outcome_text, packed
from game.paragraphs import prose
from game.tui.widgets.choices import Prompt, choice_prompt
from game.tui.widgets.lines import segments, strip
from game.tui.widgets.picking import PICKING, moved

TEXT_WIDTH = 72
"""The text's widest, in cells: about 70 characters, however wide the terminal."""
MARGIN = 2
"""Blank cells either side of the text."""
MIN_TEXT_ROWS = 3
"""The text keeps this many rows however many choices there are: the choices scroll instead."""
CHOICES_SHARE = 2
"""The choices (and the rule above them) take at most 1/2 of the terminal's height."""
WHEEL_LINES = 3
FPS = 30
"""The typewriter's frame rate."""

OUTCOME_STYLE = "italic $text-accent"
"""A choice's outcome, read before the scene's text: set apart from the prose that follows."""
TYPING_HINT = "Any key shows the rest of the scene at once."
MORE_BELOW = "▼ more text below: PgDn"
MORE_ABOVE = "▲ the scene starts above: PgUp"


def column(width: int) -> tuple[int, int]:
    """(first cell, width) of the text in a reading column `width` cells wide: centred, as wide
    as `TEXT_WIDTH` at most, with its margins and, in the last cell, room for a scrollbar."""
    cells = min(TEXT_WIDTH + 2 * MARGIN, max(0, width - 1))
    return MARGIN + (width - 1 - cells) // 2, max(1, cells - 2 * MARGIN)


def scene_content(outcome: str, text: str) -> Content:
    """A scene's text whole, after the outcome of the choice that led to it, set apart."""
    outcome, text = prose(outcome), prose(text)
    if not outcome:
        return Content(text)
    return Content.assemble((outcome, OUTCOME_STYLE), "\n\n", text)


@record
class Scene:
    """What the page shows. `outcome` and `text` are prose (`game.paragraphs.prose`)."""

    title: str
    note: str = ""
    """The line above the text: what was chosen, or where an undo went."""
    outcome: str = ""
    """What the last choice made happen, read first, in its own style."""
    text: str = ""
    choices: tuple[ChoiceView, ...] = ()
    taken: Optional[str] = None
    """The choice a replayed run took here: marked, and highlighted."""
    meters: tuple[str, ...] = ()
    """Every meter by its short name ('Loyalty 5/10'), shown above the choices while
    `Page.meters_shown` (where the terminal is too narrow for the sidebar)."""


def scene_for(v: View, note: str = "", taken: Optional[str] = None) -> Scene:
    """The page's scene for the engine's view of a state: its words as prose, the meters by
    their short names."""
    return Scene(v.title, note, prose(outcome_text(v)), prose(v.text), tuple(v.choices), taken,
                 tuple(meter_short_words(m) for m in v.meters))


@record(frozen=False)
class _Lines:
    """The page laid out at one size: every line drawn, and which choice each row belongs to."""

    rows: list[Strip]
    owners: dict[int, int]
    """Row → index of the choice drawn on it."""
    text_rows: int
    """Rows the text has (the rest is the line under it and the choices)."""
    overflow: int
    """Lines of text that do not fit: the most it scrolls."""


_SHOWN = ("scene", "_version", "_lead", "_text", "_body_cache", "_prompts", "top_line", "_hover", "highlighted",
          "_shown")
"""What the page shows and how far it has come: what `_set` (and a reveal) sets."""


@record(frozen=False)
class _Ahead:
    """A scene laid out before it is shown (`Page.prepare`)."""

    when: tuple[object, ...]
    """The page's state it was laid out in: `Page._key` but for the scene."""
    lines: _Lines
    body: dict[tuple[int, int], list[Content]]
    """Its text wrapped, as `Page._body_cache`."""


class Page(Widget, can_focus=True):
    """The reading column of the play screen and of the replay viewer.

    Keys, when it has focus: up and down move between the open choices, enter takes one.
    A click on a choice takes it; the wheel, and PgUp and PgDn (`scroll_page`), scroll the text.
    """

    BINDINGS: ClassVar[list[BindingType]] = PICKING

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "page--highlight", "page--hover", "page--locked", "page--note-bar", "page--rule", "page--track",
        "page--thumb",
    }

    DEFAULT_CSS = """
    Page {
        width: 1fr;
        height: 1fr;
    }
    Page > .page--highlight {
        color: $block-cursor-blurred-foreground;
        background: $block-cursor-blurred-background;
        text-style: $block-cursor-blurred-text-style;
    }
    Page:focus > .page--highlight {
        color: $block-cursor-foreground;
        background: $block-cursor-background;
        text-style: $block-cursor-text-style;
    }
    Page > .page--hover { background: $block-hover-background; }
    Page > .page--locked { color: $text-disabled; }
    Page > .page--note-bar { color: $accent 60%; }
    Page > .page--rule { color: $primary 50%; }
    Page > .page--track { background: $scrollbar-background; }
    Page > .page--thumb { background: $scrollbar; }
    """

    class Picked(Message):
        """The player took the choice at `index` (with enter or a click)."""

        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    class Finished(Message):
        """A reveal has ended: the whole text is showing (typed to the end, or finished early).

        Text shown at once (`show` at speed 0) posts none: the caller knows it is whole."""

    def __init__(self, *, interactive: bool = True, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.can_focus = interactive  # a replay shows the choices but takes no keys
        self.scene = Scene("")
        self._text = ""
        """The outcome, a blank line, then the scene's text: what the typewriter reveals."""
        self._lead = 0
        """How many leading characters of `_text` are the outcome, styled apart."""
        self._shown = 0
        self._progress = 0.0
        self._step = 1.0
        self._timer: Optional[Timer] = None
        self.highlighted: Optional[int] = None
        self._hover: Optional[int] = None
        self.meters_shown = False
        """The meters go in the page, under the text: the screen says so wherever the sidebar is
        folded (`show_meters`)."""
        self._pointer_row = -1
        """The row the mouse is over (-1: none), which says whether a drag may select text."""
        self.top_line = 0
        self._laid: Optional[tuple[tuple[object, ...], _Lines]] = None
        self._version = 0
        """Counts the scenes shown: the lines laid out for one are never taken for another's."""
        self._body_cache: dict[tuple[int, int], list[Content]] = {}
        """The text's lines by (width, characters revealed): wrapped once per scene and width, and
        once per tick while it types."""
        self._prompts: list[Prompt] = []
        self._ahead: dict[Scene, _Ahead] = {}
        """The scenes the next choice may show, laid out while the player reads (`prepare`)."""

    # ------------------------------------------------------------------ what is shown

    def show(self, scene: Scene, chars_per_second: int = 0) -> None:
        """Show `scene` from its top, revealed at `chars_per_second` (0: all at once). Afterwards
        `running` says whether a reveal has started (and `Finished` will follow)."""
        self._stop()
        ahead = self._ahead.get(scene)
        self._ahead = {}
        self._set(scene)
        if ahead is not None:
            self._body_cache = ahead.body
        if chars_per_second <= 0 or not self._text:
            self._shown = len(self._text)
            key = self._key()
            if ahead is not None and ahead.when == key[1:]:
                self._laid = (key, ahead.lines)
        else:
            self._shown = 0
            self._progress = 0.0
            self._step = chars_per_second / FPS
            self._timer = self.set_interval(1 / FPS, self._tick)
        self.refresh()

    def prepare(self, scene: Scene) -> None:
        """Lay out `scene`, whole, before it is shown: what a choice leads to, while the player
        reads. Its `show` then draws lines already made (or, while typing, wraps nothing); any
        `show` forgets the scenes prepared for it, whichever it shows."""
        if self.running or not self.size:
            return
        kept = {name: getattr(self, name) for name in _SHOWN}
        try:
            self._set(scene)
            self._shown = len(self._text)
            self._ahead[scene] = _Ahead(self._key()[1:], self._lay_out(), self._body_cache)
        finally:
            for name, value in kept.items():
                setattr(self, name, value)

    def _set(self, scene: Scene) -> None:
        """What the page shows, from the top, its text not yet wrapped: the attributes `_SHOWN`
        names, which `prepare` keeps and gives back around laying out another scene."""
        self.scene = scene
        self._version += 1
        self._lead = len(scene.outcome)
        self._text = f"{scene.outcome}\n\n{scene.text}" if scene.outcome else scene.text
        self._body_cache = {}
        self._prompts = [choice_prompt(i, c, c.id == scene.taken) for i, c in enumerate(scene.choices, 1)]
        self.top_line = 0
        self._hover = None
        self.highlighted = self._first_highlight()

    def show_meters(self, shown: bool) -> None:
        """Show the meters above the choices (the sidebar folded), or not (it shows them)."""
        if shown != self.meters_shown:
            self.meters_shown = shown
            self.refresh()

    def _first_highlight(self) -> Optional[int]:
        choices = self.scene.choices
        taken = next((i for i, c in enumerate(choices) if c.id == self.scene.taken), None)
        if taken is not None:
            return taken
        return next((i for i, c in enumerate(choices) if c.available), None)

    @property
    def running(self) -> bool:
        """The typewriter is revealing the text: the choices wait, hidden, until it ends."""
        return self._timer is not None

    @property
    def text(self) -> str:
        """Everything the text will show: the outcome, if any, then the scene's text."""
        return self._text

    def choice_at(self, index: int) -> Optional[ChoiceView]:
        choices = self.scene.choices
        return choices[index] if 0 <= index < len(choices) else None

    def hint(self) -> str:
        """The line between the text and the choices, as it reads now."""
        return self._hint_words(self._lines().overflow)

    # ------------------------------------------------------------------ the typewriter

    def finish(self) -> None:
        """Show the rest at once, from the top, since the player has not read the part still hidden."""
        if self._timer is None:
            return
        self._stop()
        self._shown = len(self._text)
        self.top_line = 0
        self.refresh()
        self.post_message(self.Finished())

    def _stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def _tick(self) -> None:
        self._progress += self._step
        text = self._text
        shown = min(len(text), int(self._progress))
        # finish a word rather than show half of one
        while shown < len(text) and not text[shown].isspace() and shown - int(self._progress) < 12:
            shown += 1
        if shown >= len(text):
            self._stop()
            self._shown = len(text)
            self.refresh()
            self.post_message(self.Finished())
            return
        if shown != self._shown:
            self._shown = shown
            self._follow()
            self.refresh()

    def _follow(self) -> None:
        """Keep the newest words in view while they are typed: scroll only when the reveal
        passes the bottom of the view, and only as far as the line being revealed."""
        width = self._column()[1]
        lines = self._lines()
        if not lines.overflow:
            return
        # the line being revealed: those above the text, then the text's lines revealed so far
        above = len(self._head(width)) - len(self._body(width, len(self._text)))
        revealed = above + len(self._body_lines(width, self._shown))
        if revealed > self.top_line + lines.text_rows:
            self.top_line = min(lines.overflow, revealed - lines.text_rows)

    def on_unmount(self) -> None:
        self._stop()

    # ------------------------------------------------------------------ keys and the mouse

    def _open(self) -> list[int]:
        return [i for i, c in enumerate(self.scene.choices) if c.available]

    def action_move(self, step: int) -> None:
        if self.running or not self.can_focus:
            return
        self.highlighted = moved(self._open(), self.highlighted, step)
        self.refresh()

    def action_move_to(self, where: int) -> None:
        if self.running or not self.can_focus:
            return
        open_ = self._open()
        if open_:
            self.highlighted = open_[where]
            self.refresh()

    def action_select(self) -> None:
        if self.running or not self.can_focus or self.highlighted is None:
            return
        self.post_message(self.Picked(self.highlighted))

    def scroll_page(self, direction: int) -> None:
        """PgUp (-1) or PgDn (1): the text by a view's height, less a line to read on from."""
        lines = self._lines()
        self.scroll_text(self.top_line + direction * max(1, lines.text_rows - 1))

    def scroll_text(self, y: int) -> None:
        y = max(0, min(self._lines().overflow, y))
        if y != self.top_line:
            self.top_line = y
            self.refresh()

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        event.stop()
        self.scroll_text(self.top_line + WHEEL_LINES)

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        event.stop()
        self.scroll_text(self.top_line - WHEEL_LINES)

    def _owner(self, y: int) -> Optional[int]:
        if self.running:
            return None
        return self._lines().owners.get(y)

    @property
    def allow_select(self) -> bool:
        """A drag from the text selects it; one from a choice selects nothing: a choice is for
        taking, and Textual would take a drag from a line without text for "select it all"."""
        return self._pointer_row not in self._lines().owners

    def on_mouse_move(self, event: events.MouseMove) -> None:
        self._pointer_row = event.y
        hover = self._owner(event.y) if self.can_focus else None
        if hover is not None and not self.scene.choices[hover].available:
            hover = None
        if hover != self._hover:
            self._hover = hover
            self.refresh()

    def on_leave(self, event: events.Leave) -> None:
        self._pointer_row = -1
        if self._hover is not None:
            self._hover = None
            self.refresh()

    def on_click(self, event: events.Click) -> None:
        if self.running:
            return  # the screen finishes the reveal
        lines = self._lines()
        if lines.overflow and event.x == self.size.width - 1 and event.y < lines.text_rows:
            event.stop()
            self.scroll_page(-1 if event.y < self._thumb(lines)[0] else 1)
            return
        index = self._owner(event.y)
        if index is None or not self.can_focus:
            return
        event.stop()
        if self.scene.choices[index].available:
            self.highlighted = index
            self.refresh()
        self.post_message(self.Picked(index))  # a locked one: the screen says why it is locked

    # ------------------------------------------------------------------ laying out the lines

    def _column(self) -> tuple[int, int]:
        return column(self.size.width)

    def _body_lines(self, width: int, shown: int) -> list[Content]:
        """The first `shown` characters of the text wrapped, the outcome's part in its own style."""
        if not shown:
            return []
        text, lead = self._text, self._lead
        if not lead:
            content = Content(text[:shown])
        else:
            cut = min(shown, lead)
            content = Content.assemble((text[:cut], OUTCOME_STYLE), text[cut:shown])
        return content.wrap(width)

    def _body(self, width: int, shown: int) -> list[Content]:
        """The text's lines at `width`: those revealed, then blank lines as many as the rest takes."""
        key = (width, shown)
        cached = self._body_cache.get(key)
        if cached is None:
            whole = self._body_cache.get((width, len(self._text)))
            if whole is None:
                whole = self._body_cache[width, len(self._text)] = self._body_lines(width, len(self._text))
            if shown >= len(self._text):
                return whole
            cached = self._body_lines(width, shown)
            cached = cached + [Content("")] * (len(whole) - len(cached))
            self._body_cache[key] = cached
        return cached

    def _head(self, width: int) -> list[Content]:
        """Everything above the line under the text: the title, the note, the text."""
        scene = self.scene
        lines = [Content("")]
        lines += Content.styled(scene.title, "bold $accent").wrap(width)
        if scene.note:
            bar = Content.styled("▌", self._style_of("page--note-bar"))
            lines.append(Content(""))
            lines += [bar + " " + line for line in Content.styled(scene.note, "italic $foreground-muted").wrap(max(1, width - 2))]
        lines.append(Content(""))
        return lines + self._body(width, self._shown)

    def _style_of(self, component: str) -> Style:
        """A component's style over the page's own (a partial one drops its background)."""
        return self.get_visual_style(component)

    def _lines(self) -> _Lines:
        """The page at its size: cached until what it shows, its size, its focus or the mouse changes."""
        key = self._key()
        if self._laid is not None and self._laid[0] == key:
            return self._laid[1]
        laid = self._lay_out()
        self._laid = (key, laid)
        return laid

    def _key(self) -> tuple[object, ...]:
        """What the lines laid out depend on: the scene (by `_version`), then the page's state."""
        return (self._version, self._shown, self.size, self.highlighted, self._hover, self.has_focus, self.top_line,
                self.app.size.height, self.text_selection, self.meters_shown)

    def _lay_out(self) -> _Lines:
        width, height = self.size
        x0, column = self._column()
        base = self.visual_style
        rich = base.rich_style
        head = self._head(column)

        rule = strip(self, Content.styled("▔" * column, self._style_of("page--rule")), base, column)
        choice_rows, owners_below = self._choice_rows(column, base)
        room_for_choices = max(1, self.app.size.height // CHOICES_SHARE - 1)
        if len(choice_rows) > room_for_choices:  # rare: show those around the highlighted one
            first = min(r for r, i in owners_below.items() if i == (self.highlighted or 0))
            start = max(0, min(first, len(choice_rows) - room_for_choices))
            choice_rows = choice_rows[start:start + room_for_choices]
            owners_below = {r - start: i for r, i in owners_below.items() if start <= r < start + room_for_choices}
        meter_rows = [strip(self, Content.styled(line, "$foreground-muted"), base, column)
                      for line in packed(self.scene.meters, column)] if self.meters_shown else []
        below_text = len(meter_rows) + 2 + len(choice_rows)  # the meters, the hint, the rule, the choices
        room = max(MIN_TEXT_ROWS, height - below_text)
        overflow = max(0, len(head) - room)
        self.top_line = min(self.top_line, overflow)
        text_rows = min(len(head), room)
        # only the lines in view are drawn: a long scene's others cost nothing until scrolled to
        shown = [self._selectable(head[y], y, base, column) for y in range(self.top_line, self.top_line + text_rows)]

        lines = _Lines([], {}, text_rows, overflow)
        hint = self._hint_words(overflow)
        hidden = self.running  # the choices keep their place while the text types
        below = meter_rows + [strip(self, Content.styled(hint, "italic $foreground-muted"), base, column)]
        below += [Strip.blank(column, rich)] * (1 + len(choice_rows)) if hidden else [rule, *choice_rows]
        top, bottom = self._thumb(lines) if overflow else (0, 0)
        track = Strip([Segment(" ", self._style_of("page--track").rich_style)])
        thumb = Strip([Segment(" ", self._style_of("page--thumb").rich_style)])
        left, right, edge = Strip.blank(x0, rich), Strip.blank(width - 1 - x0 - column, rich), Strip.blank(1, rich)
        for y, middle in enumerate(shown + below):
            if y >= height:
                break
            cell = (thumb if top <= y < bottom else track) if overflow and y < text_rows else edge
            lines.rows.append(Strip.join([left, middle, right, cell]))
        if not hidden:
            lines.owners = {text_rows + len(meter_rows) + 2 + r: i for r, i in owners_below.items()}
        lines.rows += [Strip.blank(width, rich)] * (height - len(lines.rows))
        return lines

    def _hint_words(self, overflow: int) -> str:
        if self.running:
            return TYPING_HINT
        if self.top_line < overflow:
            return MORE_BELOW
        if self.top_line > 0:
            return MORE_ABOVE
        return ""

    def _thumb(self, lines: _Lines) -> tuple[int, int]:
        """The rows (from, to) of the scrollbar's thumb beside the text."""
        view, total = lines.text_rows, lines.text_rows + lines.overflow
        size = max(1, round(view * view / total))
        top = round(self.top_line * (view - size) / lines.overflow) if lines.overflow else 0
        return top, top + size

    def _choice_rows(self, column: int, base: Style) -> tuple[list[Strip], dict[int, int]]:
        """Each choice's lines, numbered, the highlighted one (and the one under the mouse) marked."""
        rows: list[Strip] = []
        owners: dict[int, int] = {}
        for index, (choice, prompt) in enumerate(zip(self.scene.choices, self._prompts)):
            style = base
            if not choice.available and choice.id != self.scene.taken:
                style = self._style_of("page--locked")
            if index == self.highlighted:
                style = self._style_of("page--highlight")
            elif index == self._hover:
                style = self._style_of("page--hover")
            for pieces in prompt.lines(column):
                owners[len(rows)] = index
                rows.append(strip(self, Content("").join(pieces), style, column))
        return rows, owners

    def _selectable(self, line: Content, y: int, base: Style, width: int) -> Strip:
        """Line `y` of the text, marked with where each character is, so the mouse can select
        it (as in any text of Textual's), and the part selected shown so."""
        selection = self.text_selection
        if selection is not None and (span := selection.get_span(y)) is not None:
            start, end = span
            line = line.stylize(self.screen.get_visual_style("screen--selection"), start,
                                len(line.plain) if end == -1 else end)
        marked: list[Segment] = []
        x = 0
        for segment in segments(self, line, base):
            where = RichStyle.from_meta({"offset": (x, y)})
            marked.append(Segment(segment.text, segment.style + where if segment.style else where))
            x += len(segment.text)
        return Strip(marked).adjust_cell_length(width, base.rich_style)

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        """The text selected with the mouse: the title, the note and the scene's text are
        selectable, line by line as they are shown; the choices are not."""
        text = "\n".join(line.plain for line in self._head(self._column()[1]))
        return selection.extract(text), "\n"

    def selection_updated(self, selection: Selection | None) -> None:
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._laid = None
        self._ahead = {}

    def render_line(self, y: int) -> Strip:
        rows = self._lines().rows
        return rows[y] if y < len(rows) else Strip.blank(self.size.width, self.visual_style.rich_style)
