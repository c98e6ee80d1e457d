"""The Textual front end: title, side choice, play, endings, saves, replays.

Nothing is imported here: `game.tui.app` must reach its first frame without loading the
story engine (pydantic) or any screen but the title.
"""
