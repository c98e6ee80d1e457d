"""Small modal dialogs: confirm quitting, a run that no longer fits, a slot name, renaming and
deleting a run, a step number.

Every dialog answers to the keyboard alone (y/n, Enter/Escape) and shows its text as literal
Content: slot names and story ids are never parsed as markup.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Optional

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from game.tui.widgets.footer import Footer

from game.engine.safe_text import shown

if TYPE_CHECKING:
    from game.runs import Divergence, Saves


class ConfirmScreen(ModalScreen[bool]):
    """A question with a yes and a no; y/Enter says yes, n/Escape says no."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n", "answer(False)", "No"),
        Binding("escape", "answer(False)", "Cancel"),
    ]

    def __init__(self, title: str, body: str, yes: str = "Yes", no: str = "No", *, id: str | None = None):
        super().__init__(id=id)
        self._title, self._body, self._yes, self._no = title, body, yes, no

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Content.styled(self._title, "bold"), classes="dialog-title")
            yield Static(Content(self._body), classes="dialog-body")
            with Horizontal(classes="dialog-buttons"):
                yield Button(Content(self._yes), variant="primary", id="yes")
                yield Button(Content(self._no), id="no")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#yes", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class QuitScreen(ConfirmScreen):
    """Quit? The autosave has the run; "continue" on the title screen brings it back."""

    BINDINGS = [Binding("q", "answer(True)", "Quit", show=False)]

    def __init__(self, run_in_progress: bool):
        body = ("Your run is saved: choose Continue on the title screen next time to pick it up where you left it."
                if run_in_progress else "Nothing is lost: finished runs and endings found are kept.")
        super().__init__("Quit Boardroom?", body, yes="Quit (y)", no="Keep playing (n)", id="quit-dialog")


class DivergenceScreen(ConfirmScreen):
    """A saved run that stops fitting the edited story: say where and why, offer the part that fits."""

    def __init__(self, divergence: "Divergence", fits: int, total: int):
        d = divergence
        if d.kind == "ending-changed":
            where = "All its choices still fit, but"
            what = d.reason[0].lower() + d.reason[1:] + "."
        else:
            where = f"Choice {d.step} of {total} (in scene {d.scene!r}, choice {d.choice!r}) no longer fits:"
            what = d.reason + "."
        body = (f"This run was saved with an earlier version of the story. {where} {what}\n\n"
                f"The first {fits} choice{'s' if fits != 1 else ''} still fit. Continue from there?")
        super().__init__("The story has changed", body, yes=f"Continue from choice {fits + 1}", no="Cancel",
                         id="divergence-dialog")


class PromptScreen(ModalScreen[Optional[str]]):
    """One line of input, checked as it is typed; Enter accepts when `check` finds no problem."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, body: str, placeholder: str, check: Callable[[str], Optional[str]],
                 value: str = "", *, hint: Optional[Callable[[str], Optional[str]]] = None, id: str | None = None):
        super().__init__(id=id)
        self._title, self._body, self._placeholder, self._check, self._value = title, body, placeholder, check, value
        self._hint = hint

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Content.styled(self._title, "bold"), classes="dialog-title")
            yield Static(Content(self._body), classes="dialog-body")
            yield Input(value=self._value, placeholder=self._placeholder, id="prompt-input")
            yield Static(id="prompt-problem", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        problem = self._check(event.value) if event.value else None
        line = self.query_one("#prompt-problem", Static)
        if problem:
            line.update(Content.styled(problem, "$error"))
        else:
            hint = self._hint(event.value) if self._hint and event.value else None
            line.update(Content.styled(hint or "", "$foreground-muted"))

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        value = event.value
        problem = self._check(value)
        if problem:
            self.query_one("#prompt-problem", Static).update(Content.styled(problem, "$error"))
            return
        self.dismiss(value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class SlotScreen(PromptScreen):
    """Name a save slot; names that could leave the saves folder are refused as they are typed."""

    def __init__(self, saves: Optional["Saves"]):
        def check(name: str) -> Optional[str]:
            from game.runs import slot_name_problem

            problem = slot_name_problem(name)
            return f"Not a slot name: {problem}." if problem else None

        def hint(name: str) -> Optional[str]:
            if saves is not None and saves.folder.joinpath(f"{name}.json").exists():
                return f"A save called “{name}” exists: Enter replaces it."
            return None

        super().__init__("Save this run", "Name the slot (it appears under Load and Replays).", "e.g. before the vote",
                         check, hint=hint, id="slot-dialog")


class RenameScreen(PromptScreen):
    """A new name for a saved run, with its name now typed in: the checks a new slot's name gets,
    and a name another run has is refused as it is typed (renaming never replaces a run)."""

    def __init__(self, saves: "Saves", path: Path):
        current = path.name[:-len(".json")] if path.name.endswith(".json") else path.name

        def check(name: str) -> Optional[str]:
            from game.runs import slot_name_problem

            problem = slot_name_problem(name)
            if problem:
                return f"Not a slot name: {problem}."
            if name != current and os.path.lexists(saves.folder / f"{name}.json"):
                return f"A run called “{name}” exists already: choose another name."
            return None

        super().__init__("Rename this run", f"A new name for “{shown(current, 80)}” (Enter renames, Esc keeps it).",
                         "e.g. before the vote", check, value=current, id="rename-dialog")


class DeleteScreen(ConfirmScreen):
    """Delete asks first, says where the run goes and how to bring it back; "keep" is the default."""

    BINDINGS = [
        Binding("y", "answer(True)", "Move to trash"),
        Binding("n", "answer(False)", "Keep it"),
        Binding("escape", "answer(False)", "Keep it", show=False),
    ]

    def __init__(self, saves: "Saves", path: Path):
        name = path.name[:-len(".json")] if path.name.endswith(".json") else path.name
        trash = saves.trash_folder()
        body = (f"“{shown(name, 80)}” will be moved to the trash folder:\n{shown(str(trash), 200)}\n\n"
                f"Nothing is destroyed: to restore it, move “{shown(path.name, 80)}” from there back into "
                f"{shown(str(saves.folder), 200)}.")
        super().__init__("Delete this run?", body, yes="Move to trash (y)", no="Keep it (n)", id="delete-dialog")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()


class JumpScreen(PromptScreen):
    """Ask for a scene in a replay, numbered from 1 as the viewer's status line counts them."""

    def __init__(self, last: int, current: int):
        """`last` and `current` are step indexes (0 is the start); the player types index + 1."""
        scenes = last + 1

        def check(text: str) -> Optional[str]:
            if not text.strip().isdigit():
                return f"Type a number from 1 to {scenes}."
            if not 1 <= int(text) <= scenes:
                return f"There is no scene {text.strip()}: type 1 to {scenes}."
            return None

        super().__init__("Jump to a scene", f"Scene 1 is the start; scene {scenes} is the last.", "scene number", check,
                         value=str(current + 1), id="jump-dialog")
