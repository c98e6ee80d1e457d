"""The keys of a list the player picks from, for the widgets that draw one themselves.

The page's choices and the title's menu move and take the same way: the arrows move between
the entries that are open, Home and End go to the first and the last, Enter takes the one
highlighted. A widget with these keys has the actions `move(step)`, `move_to(index)` and
`select`.
"""

from __future__ import annotations

from typing import Optional, Sequence

from textual.binding import Binding, BindingType

PICKING: list[BindingType] = [
    Binding("up", "move(-1)", "Up", show=False),
    Binding("down", "move(1)", "Down", show=False),
    Binding("home", "move_to(0)", "First", show=False),
    Binding("end", "move_to(-1)", "Last", show=False),
    Binding("enter", "select", "Take", show=False),
]


def moved(open_: Sequence[int], at: Optional[int], step: int) -> Optional[int]:
    """The entry highlighted after moving `step` (1 down, -1 up) from `at` among the `open_`
    ones (sorted indexes): the next open one that way; at the end of the list it stays; with
    nothing (or a closed entry) highlighted and nothing open that way, the first open one."""
    if not open_:
        return at
    if at is None:
        return open_[0 if step > 0 else -1]
    ahead = [i for i in open_ if (i > at if step > 0 else i < at)]
    if ahead:
        return ahead[0] if step > 0 else ahead[-1]
    return at if at in open_ else open_[0]
