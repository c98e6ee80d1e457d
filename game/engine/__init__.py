"""The pure story engine: load a story folder, then `view` and `choose`.

No I/O beyond reading the story folder in `load`, no Textual, no Rich. Every front end
(the Textual app, plain mode, replays, the explorer, the tests) drives these functions.

Names resolve on first use (PEP 562), so `from game.engine import State` never imports the
loader and, with it, tomli and pydantic: a game started from the compiled story cache does
not pay for a validator it does not run. Never add a module-scope import here.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_WHERE = {
    "Diagnostic": "diagnostics", "StoryError": "diagnostics",
    "compile_story": "load", "load_story": "load",
    "Divergence": "play", "Played": "play", "play": "play",
    "ChoiceError": "state", "ChoiceView": "state", "Meter": "state", "State": "state", "Step": "state",
    "View": "state", "choose": "state", "new_state": "state", "view": "state",
    "Scene": "story", "Story": "story",
}

__all__ = sorted(_WHERE)

if TYPE_CHECKING:
    from game.engine.diagnostics import Diagnostic, StoryError
    from game.engine.load import compile_story, load_story
    from game.engine.play import Divergence, Played, play
    from game.engine.state import ChoiceError, ChoiceView, Meter, State, Step, View, choose, new_state, view
    from game.engine.story import Scene, Story


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'game.engine' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"game.engine.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_WHERE))
