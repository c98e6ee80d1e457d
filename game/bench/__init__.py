"""The measurements behind `boardroom bench` (the command itself is `game.commands.bench`).

One module per kind: startup (the first frame), engine (loading, exploring, replaying), app
(a keypress's response, memory); `plan` sizes them and `report` prints the table.
"""
