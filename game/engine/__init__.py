"""The pure story engine: load a story folder, then `view` and `choose`.

No I/O beyond reading the story folder in `load`, no Textual, no Rich. Every front end
(the Textual app, plain mode, replays, the explorer, the tests) drives these functions.

The loader's names (`load_story`, `compile_story`) resolve on first use (PEP 562), so
`from game.engine import State` never imports the loader and, with it, tomli and pydantic: a
game started from the compiled story cache does not pay for a validator it does not run.
Never import `game.engine.load` (or anything that imports pydantic) at module scope here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from game.engine.diagnostics import Diagnostic, StoryError
from game.engine.play import Divergence, Played, play
from game.engine.state import (
    ChoiceError, ChoiceView, Meter, State, Step, View, choice_label, choose, headline, new_state, outcome, view,
)
from game.engine.story import Scene, Story

if TYPE_CHECKING:
    from game.engine.load import compile_story, load_story

__all__ = [
    "ChoiceError", "ChoiceView", "Diagnostic", "Divergence", "Played", "Meter", "Scene", "State", "Step", "Story",
    "StoryError", "View", "choice_label", "choose", "compile_story", "headline", "load_story", "new_state", "outcome",
    "play", "view",
]

_LOADER = ("compile_story", "load_story")


def __getattr__(name: str) -> Any:
    if name in _LOADER:
        from game.engine import load

        return getattr(load, name)
    raise AttributeError(f"module 'game.engine' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LOADER))
