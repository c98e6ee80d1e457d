"""Boardroom: a terminal interactive-fiction game about the OpenAI crisis of November 2023.

Nothing is imported here on purpose: `import game.engine` must stay free of Textual and Rich,
and the command line must start fast.
"""
