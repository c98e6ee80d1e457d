"""The pure story engine: load a story folder, then `view` and `choose`.

No I/O beyond reading the story folder in `load`, no Textual, no Rich. Every front end
(the Textual app, plain mode, replays, the explorer, the tests) drives these functions.
"""

from game.engine.diagnostics import Diagnostic, StoryError
from game.engine.load import compile_story, load_story
from game.engine.play import Divergence, Played, play
from game.engine.state import ChoiceError, ChoiceView, Meter, State, Step, View, choose, new_state, view
from game.engine.story import Scene, Story

__all__ = [
    "ChoiceError", "ChoiceView", "Diagnostic", "Divergence", "Played", "Meter", "Scene", "State", "Step", "Story", "StoryError",
    "View", "choose", "compile_story", "load_story", "new_state", "play", "view",
]
