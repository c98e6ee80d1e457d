"""The story map: the scenes around the current one, the ones visited marked.

Where the player could have come from, where each choice here leads, and one step beyond
that: Twine's story map, cut down to what fits in a terminal and never spoiling a hidden
choice (the current scene's choices come from the engine's view, which leaves hidden
locked ones out; scenes further on show only choices that are never hidden).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from game.format import clock
from game.tui.widgets.footer import Footer

if TYPE_CHECKING:
    from game.engine import Scene, State, Story, View

VISITED, HERE, NEW, END = "✓", "●", "○", "◆"


def _mark(scene: "Scene", visited: set[str], here: str) -> tuple[str, str]:
    if scene.id == here:
        return HERE, "bold $accent"
    if scene.ending is not None:
        return (END, "bold $success") if scene.id in visited else (END, "$warning")
    return (VISITED, "bold $success") if scene.id in visited else (NEW, "$foreground-muted")


def _name(scene: "Scene", visited: set[str], here: str) -> Content:
    mark, style = _mark(scene, visited, here)
    title = scene.ending.title if scene.ending is not None else scene.title
    return Content.assemble((mark, style), " ", (title, "bold" if scene.id in visited else ""),
                            (f"  {clock(scene.at)}", "$foreground-muted"),
                            ("  ending" if scene.ending is not None else "", "italic $foreground-muted"))


def map_content(story: "Story", state: "State", v: "View") -> Content:
    here = state.scene
    path = state.visited()
    visited = set(path)
    came_from = path[-2] if len(path) > 1 else None
    current = story.scenes[here]
    lines: list[Content] = [
        Content.assemble((f"{VISITED} visited   {HERE} you are here   {NEW} not yet   {END} an ending", "$foreground-muted")),
        Content(""),
        Content.styled("CAME FROM", "bold $foreground-muted"),
    ]
    before = [s for s in story.scenes.values() if s.id != here and any(c.goto == here for c in s.choices)]
    before.sort(key=lambda s: (s.at, s.id))
    if not before:
        lines.append(Content.styled("  nowhere: this is where the side begins", "$foreground-muted"))
    for scene in before:
        tail = ("  ← you came this way", "italic $accent") if scene.id == came_from else ("", "")
        lines.append(Content.assemble("  ", _name(scene, visited, here), tail))
    lines += [Content(""), Content.styled("YOU ARE HERE", "bold $foreground-muted"),
              Content.assemble("  ", _name(current, visited, here)), Content(""),
              Content.styled("LEADS TO", "bold $foreground-muted")]
    if not v.choices:
        lines.append(Content.styled("  nothing: the run ends here", "$foreground-muted"))
    for n, choice in enumerate(v.choices, 1):
        target = story.scenes[current.choice(choice.id).goto]  # type: ignore[union-attr]
        lock = ("" if choice.available else f"  (locked: {choice.reason})")
        lines.append(Content.assemble((f"  {n}. ", "bold $accent"), (choice.text, "" if choice.available else "dim"),
                                      (lock, "italic dim")))
        lines.append(Content.assemble("     → ", _name(target, visited, here)))
        seen_ids: set[str] = set()
        for c in target.choices:
            if c.hidden or c.goto in seen_ids or c.goto not in story.scenes:
                continue
            lead = "then " if not seen_ids else "     "
            seen_ids.add(c.goto)
            nxt = story.scenes[c.goto]
            mark, style = _mark(nxt, visited, here)
            lines.append(Content.assemble((f"         {lead}", "$foreground-muted"), (mark, style), " ",
                                          nxt.ending.title if nxt.ending else nxt.title))
    return Content("\n").join(lines)


class StoryMapScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape", "dismiss", "Close"),
        Binding("m", "dismiss", "Close", show=False),
        Binding("question_mark", "app.help", "Help"),
    ]

    def __init__(self, story: "Story", state: "State", v: "View"):
        super().__init__()
        self.story, self.state, self.v = story, state, v

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide-dialog"):
            yield Static(Content.styled(f"Story map — around “{self.v.title}”", "bold"), classes="dialog-title")
            with VerticalScroll(id="map-scroll"):
                yield Static(map_content(self.story, self.state, self.v), id="map-body", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#map-scroll").focus()
