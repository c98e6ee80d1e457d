"""What a player action comes to, as plain values a front end maps to what it shows.

Every `Game` method that changes the run returns one of these. The Textual app turns them into
screens and notifications, plain mode into lines of text; neither decides anything the values
do not already say.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Literal, Optional

from game.records import record

if TYPE_CHECKING:
    from game.controller.ending import EndingSummary
    from game.controller.session import Session
    from game.engine.play import Divergence
    from game.engine.state import State
    from game.runs import RunFile

Severity = Literal["information", "warning", "error"]


@record
class Notice:
    """Something to tell the player in passing (a toast in the app, a line in plain mode)."""

    message: str
    title: str = ""
    severity: Severity = "information"


@record
class Refused:
    """The action could not be done; nothing changed."""

    notice: Notice


@record
class Started:
    """A run is now the one in progress: show it (its play screen, or its ending when `over`)."""

    session: "Session"
    note: str
    """What to say above the scene ("" for nothing)."""
    kept: Optional[Notice]
    """Set when the autosave of another run was kept aside as a named save (or could not be)."""

    @property
    def over(self) -> bool:
        return self.session.over


@record
class Diverged:
    """A saved run that no longer fits the story: ask before continuing from what fits."""

    run: "RunFile"
    state: "State"
    divergence: "Divergence"
    fits: int
    """How many of the run's steps still fit."""
    total: int


Opened = Started | Diverged | Refused


@record
class Moved:
    """A choice was made, or the run went back; the run goes on."""

    note: str


@record
class Ended:
    """The run reached an ending (recorded in the gallery unless it was reached before)."""

    summary: "EndingSummary"
    new: bool
    """A first time for this ending in the gallery."""
    found: int
    total: int
    problem: Optional[Notice]
    """Set when the gallery could not be saved."""


Chosen = Moved | Ended | Refused


@record
class Saved:
    """A save that worked (`ok`) or why it did not."""

    ok: bool
    notice: Notice


@record
class Filed:
    """A saved run renamed or moved to the trash (`path` is where it is now), or why not."""

    ok: bool
    notice: Notice
    path: Optional[Path] = None


ReloadKind = Literal["no-run", "kept", "diverged", "side-gone"]


@record
class Reloaded:
    """The story changed on disk and loaded: what became of the run in progress."""

    kind: ReloadKind
    notice: Notice
    note: str
    """What to say above the scene, when the run goes on."""
