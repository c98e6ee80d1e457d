"""The `boardroom` subcommands, one module each, named after the command.

Each module has `main(args) -> int` and is imported only when its command runs (see
`game.cli`, which parses the command line and dispatches here). What several commands need —
finding the story or saying why it cannot be used, the default folders, one-line errors —
is in `shared.py`. No command imports `game.cli`.
"""
