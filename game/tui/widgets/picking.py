"""The keys of a list the player picks from, for the widgets that draw one themselves.

The page's choices and the title's menu move and take the same way: the arrows move between
the entries that are open, Home and End go to the first and the last, Enter takes the one
highlighted. A widget with these keys has the actions `move(step)`, `move_to(index)` and
`select`.
"""

from __future__ import annotations

from textual.binding import Binding, BindingType

PICKING: list[BindingType] = [
    Binding("up", "move(-1)", "Up", show=False),
    Binding("down", "move(1)", "Down", show=False),
    Binding("home", "move_to(0)", "First", show=False),
    Binding("end", "move_to(-1)", "Last", show=False),
    Binding("enter", "select", "Take", show=False),
]
