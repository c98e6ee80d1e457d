"""The game controller: everything a front end does with the game, without drawing anything.

`Game` (in `game.controller.game`) holds the story, the run in progress, the saves folder, the
endings gallery and the settings, and answers every player action with a plain outcome value
(`game.controller.outcomes`). The Textual app, plain mode and the replay tools drive it and only
decide how to show what it returns. No Textual, no Rich (a test enforces it), and nothing here
reads the clock or the terminal except through what the front end passes in.

This file imports nothing: the app reads `game.controller.settings` before its first frame, and
the rest (pydantic, the engine, the runs) must not load with it.
"""
