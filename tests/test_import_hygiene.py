"""The engine, the game controller and the command-line tools must not load Textual or Rich (harlequin's test)."""

from __future__ import annotations

import subprocess
import sys

import pytest

UI = ("textual", "rich")


@pytest.mark.parametrize("module", [
    "game.engine", "game.plain", "game.cli", "game.format", "game.atomic", "game.runs", "game.commands.shared",
    "game.commands.check", "game.commands.explore", "game.commands.graph", "game.commands.new",
    "game.commands.schema", "game.commands.replay", "game.commands.where", "game.commands.play",
    "game.controller", "game.controller.game", "game.controller.session", "game.controller.settings",
    "game.controller.ending", "game.controller.outcomes", "game.controller.launch", "game.controller.watch",
    "game.story_cache", "game.engine.codec", "game.engine.explore",
])
def test_module_loads_no_ui_library(module: str) -> None:
    code = (
        f"import sys, {module}\n"
        f"bad = sorted(m for m in sys.modules if m.split('.')[0] in {UI!r})\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"{module} imported {out.stdout.strip()}"


def test_no_command_imports_the_cli() -> None:
    """Commands share `game.commands.shared`; the parser imports them, never the other way round."""
    import ast
    from pathlib import Path

    import game.commands

    for path in Path(game.commands.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([node.module or ""] if isinstance(node, ast.ImportFrom)
                     else [a.name for a in node.names] if isinstance(node, ast.Import) else [])
            assert "game.cli" not in names, f"{path.name} imports game.cli"
