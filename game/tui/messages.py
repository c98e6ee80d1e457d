"""What screens ask of the app. Screens post these and the app, which holds the game, acts.

A screen never calls the app's methods: it says what the player did, and the app asks the
controller and shows the outcome (the way Posting and Harlequin pass messages up).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from pathlib import Path

    from game.engine.state import State
    from game.runs import RunFile


class SideChosen(Message):
    """Start a new run as this side."""

    def __init__(self, side: str) -> None:
        super().__init__()
        self.side = side


class ChoiceTaken(Message):
    """The player took a choice in the run in progress."""

    def __init__(self, choice_id: str) -> None:
        super().__init__()
        self.choice_id = choice_id


class UndoAsked(Message):
    """Step back one choice."""


class BackTo(Message):
    """Go back to the moment before choice `step + 1` (from the history)."""

    def __init__(self, step: int) -> None:
        super().__init__()
        self.step = step


class ReplayAsked(Message):
    """Watch `run` in the replay viewer."""

    def __init__(self, run: "RunFile") -> None:
        super().__init__()
        self.run = run


class RenameAsked(Message):
    """Rename the saved run in `path` (the app asks for the new name)."""

    def __init__(self, path: "Path") -> None:
        super().__init__()
        self.path = path


class DeleteAsked(Message):
    """Move the saved run in `path` to the trash folder (the app asks first)."""

    def __init__(self, path: "Path") -> None:
        super().__init__()
        self.path = path


class TakeOver(Message):
    """Start a new run from this state of a replay."""

    def __init__(self, state: "State") -> None:
        super().__init__()
        self.state = state


class SceneRead(Message):
    """The whole text of `scene` has been shown: remember it as read (to skip it next time)."""

    def __init__(self, scene: str) -> None:
        super().__init__()
        self.scene = scene


class SettingsChanged(Message):
    """The player changed a setting: write them."""
