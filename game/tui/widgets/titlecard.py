"""The title screen's card: the banner, the story's name, the menu and the note on fairness.

The title is the first frame the player waits for. As seven widgets (a banner, a subtitle, an
option list in two centring containers, a note), Textual composed, styled, laid out and drew
each of them, and parsed the option list's stylesheet, before that frame: about 15 ms of CPU
on the build machine, of a start that has some 25 ms to spare over a bare Textual app. One
widget that draws its own lines costs a fraction of that.

The menu works as the option list did: up and down move between the open entries (one that
is not open, like "Continue" with no run saved, is dimmed and skipped), Home and End, Enter
or a click takes the highlighted one, and the one under the mouse is highlighted.
"""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar, Optional, Sequence

from textual import events
from textual.binding import BindingType
from textual.content import Content
from textual.message import Message
from textual.strip import Strip
from textual.style import Style
from textual.widget import Widget

from game.records import record
from game.tui.widgets.lines import strip
from game.tui.widgets.picking import PICKING, moved

MENU_WIDTH = 56
NOTE_WIDTH = 76
NOTE_MARGIN = 2


@record
class Entry:
    """One line of the menu: the key that takes it anywhere on the title, and what it does."""

    id: str
    key: str
    label: str
    detail: str = ""
    """Said after the label, in italics: what "Continue" would resume, or why it cannot."""
    enabled: bool = True


class TitleCard(Widget, can_focus=True):
    """The whole title, centred in the space it is given."""

    BINDINGS: ClassVar[list[BindingType]] = PICKING

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "title-card--banner", "title-card--subtitle", "title-card--note", "title-card--highlight",
        "title-card--hover", "title-card--disabled",
    }

    DEFAULT_CSS = """
    TitleCard {
        width: 1fr;
        height: 1fr;
    }
    TitleCard > .title-card--banner { color: $accent; text-style: bold; }
    TitleCard > .title-card--subtitle { color: $text-muted; }
    TitleCard > .title-card--note { color: $text-muted; }
    TitleCard > .title-card--highlight {
        color: $block-cursor-blurred-foreground;
        background: $block-cursor-blurred-background;
        text-style: $block-cursor-blurred-text-style;
    }
    TitleCard:focus > .title-card--highlight {
        color: $block-cursor-foreground;
        background: $block-cursor-background;
        text-style: $block-cursor-text-style;
    }
    TitleCard > .title-card--hover { background: $block-hover-background; }
    TitleCard > .title-card--disabled { color: $text-disabled; }
    """

    class Picked(Message):
        """The player took the entry `id` (with Enter or a click)."""

        def __init__(self, id: str) -> None:
            super().__init__()
            self.id = id

    def __init__(self, banner: str, subtitle: Content, entries: Sequence[Entry], note: str, *,
                 id: Optional[str] = None) -> None:
        super().__init__(id=id)
        self._banner = banner.split("\n")
        self._subtitle = subtitle
        self._entries = list(entries)
        self._note = note
        self.highlighted = 0
        self._hover: Optional[int] = None
        self._laid: Optional[tuple[tuple[object, ...], tuple[list[Strip], dict[int, int]]]] = None
        self._version = 0
        """Counts the changes to what the card says: lines laid out before one are not used after it."""

    # ------------------------------------------------------------------ what it says

    @property
    def entries(self) -> tuple[Entry, ...]:
        return tuple(self._entries)

    def set_subtitle(self, subtitle: Content) -> None:
        self._subtitle = subtitle
        self._changed()

    def set_entry(self, id: str, detail: str, enabled: bool) -> None:
        """Say `detail` after the entry's label, and open or close it."""
        index = self.index_of(id)
        self._entries[index] = replace(self._entries[index], detail=detail, enabled=enabled)
        if not enabled and self.highlighted == index:
            self._move(index, 1)
        self._changed()

    def index_of(self, id: str) -> int:
        return next(i for i, entry in enumerate(self._entries) if entry.id == id)

    def highlight(self, id: str) -> None:
        self.highlighted = self.index_of(id)
        self._changed()

    def _changed(self) -> None:
        self._version += 1
        self.refresh()

    # ------------------------------------------------------------------ keys and the mouse

    def _open(self) -> list[int]:
        return [i for i, entry in enumerate(self._entries) if entry.enabled]

    def action_move(self, step: int) -> None:
        self._move(self.highlighted, step)
        self._changed()

    def _move(self, at: int, step: int) -> None:
        to = moved(self._open(), at, step)
        if to is not None:
            self.highlighted = to

    def action_move_to(self, where: int) -> None:
        open_ = self._open()
        if open_:
            self.highlighted = open_[where]
            self._changed()

    def action_select(self) -> None:
        entry = self._entries[self.highlighted]
        if entry.enabled:
            self.post_message(self.Picked(entry.id))

    def _entry_at(self, y: int) -> Optional[int]:
        index = self._lines()[1].get(y)
        return index if index is not None and self._entries[index].enabled else None

    def on_mouse_move(self, event: events.MouseMove) -> None:
        hover = self._entry_at(event.y)
        if hover != self._hover:
            self._hover = hover
            self.refresh()

    def on_leave(self, event: events.Leave) -> None:
        if self._hover is not None:
            self._hover = None
            self.refresh()

    def on_click(self, event: events.Click) -> None:
        index = self._entry_at(event.y)
        if index is None:
            return
        event.stop()
        self.highlighted = index
        self._changed()
        self.post_message(self.Picked(self._entries[index].id))

    # ------------------------------------------------------------------ drawing

    def _style_of(self, component: str) -> Style:
        return self.get_visual_style(component)

    def _lines(self) -> tuple[list[Strip], dict[int, int]]:
        """Every row, and which entry each menu row belongs to: cached until something changes."""
        key = (self.size, self._version, self._hover, self.has_focus)
        if self._laid is None or self._laid[0] != key:
            self._laid = (key, self._lay_out())
        return self._laid[1]

    def _centred(self, content: Content, width: int, base: Style) -> Strip:
        """`content` in the middle of a row `width` cells wide."""
        left = max(0, (width - content.cell_length) // 2)
        return strip(self, Content(" " * left) + content, base, width)

    def _lay_out(self) -> tuple[list[Strip], dict[int, int]]:
        width, height = self.size
        base = self.visual_style
        blank = Strip.blank(width, base.rich_style)

        banner_style = self._style_of("title-card--banner")
        cells = max((len(line) for line in self._banner), default=0)
        banner = [self._centred(Content.styled(line.ljust(cells), banner_style), width, base) for line in self._banner]
        subtitle = [self._centred(line, width, base)
                    for line in self._subtitle.stylize_before(self._style_of("title-card--subtitle")).wrap(width)]

        menu_width = min(MENU_WIDTH, width)
        menu_left = (width - menu_width) // 2
        menu: list[Strip] = []
        owners: dict[int, int] = {}
        for index, entry in enumerate(self._entries):
            style = base
            if not entry.enabled:
                style = self._style_of("title-card--disabled")
            if index == self.highlighted:
                style = self._style_of("title-card--highlight")
            elif index == self._hover:
                style = self._style_of("title-card--hover")
            parts: list[tuple[str, str] | str] = [(f" {entry.key} ", "bold $accent" if entry.enabled else ""), "  ",
                                                  entry.label]
            if entry.detail:
                parts += ["  ", (entry.detail, "italic" if entry.enabled else "")]
            for line in Content.assemble(*parts).wrap(max(1, menu_width - 2)):
                owners[len(menu)] = index
                row = strip(self, Content(" ") + line, style, menu_width)
                menu.append(Strip.join([Strip.blank(menu_left, base.rich_style), row,
                                        Strip.blank(width - menu_left - menu_width, base.rich_style)]))

        note_width = min(NOTE_WIDTH, width) - 2 * NOTE_MARGIN
        note_style = self._style_of("title-card--note")
        note = [self._centred(line, width, base)
                for line in Content.styled(self._note, note_style).wrap(max(1, note_width))]

        # the banner goes first, then the note, when the terminal is too short for all of it
        blocks = [banner + [blank], subtitle + [blank], menu, [blank] + note]
        rows_of = lambda parts: sum(len(part) for part in parts)  # noqa: E731
        if rows_of(blocks) > height:
            blocks[0] = []
        if rows_of(blocks) > height:
            blocks[3] = []
        top = max(0, (height - rows_of(blocks)) // 2)
        rows = [blank] * top
        menu_top = top + len(blocks[0]) + len(blocks[1])
        for part in blocks:
            rows += part
        rows = rows[:height] + [blank] * (height - len(rows))
        return rows, {menu_top + row: index for row, index in owners.items() if menu_top + row < height}

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._laid = None

    def render_line(self, y: int) -> Strip:
        rows = self._lines()[0]
        return rows[y] if y < len(rows) else Strip.blank(self.size.width, self.visual_style.rich_style)
