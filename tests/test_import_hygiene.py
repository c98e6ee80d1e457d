"""The engine, the game controller and the command-line tools must not load Textual or Rich (harlequin's test)."""

from __future__ import annotations

import subprocess
import sys

import pytest

UI = ("textual", "rich")


@pytest.mark.parametrize("module", [
    "game.engine", "game.plain", "game.check", "game.cli", "game.format", "game.atomic", "game.runs",
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
