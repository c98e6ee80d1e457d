"""Story text is prose, never markup: square brackets in any story string show as written.

The loader accepts `[` anywhere; each front end renders story strings literally (Content and
Text objects, `markup=False`), so `[bold]` or `[@click=app.quit]` in a story is just text.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from game.commands.check import check
from game.tui.screens.ending import EndingScreen
from game.tui.screens.play import PlayScreen
from tui_support import EXAMPLE, flat, ready, start

MARKS = {
    "story.toml": [('title = "The Example"', 'title = "The [bold]Example[/bold]"'),
                   ('name = "Alpha"', 'name = "Alpha [@click=app.quit]x[/]"'),
                   ('blurb = "You run the company."', 'blurb = "You run [$accent]the[/] company."'),
                   ('label = "Staff loyalty"', 'label = "Staff [i]loyalty[/i]"')],
    "alpha.toml": [('title = "Morning"', 'title = "Morning [red]"'),
                   ('text = """\nYou sit at the long table.', 'text = """\nYou sit at the [b]long[/b] table.'),
                   ('text = "Rally the staff."', 'text = "Rally [#fff]the staff."'),
                   ('text = "The call comes at noon."', 'text = "The call comes at [.c]noon."'),
                   ('text = "Fight for the chair."', 'text = "Fight [/] for the chair."'),
                   ('title = "The return"', 'title = "The [u]return"'),
                   ('history = "This is what happened."', 'history = "This is [what] happened."')],
}


def bracketed(tmp_path: Path) -> Path:
    root = tmp_path / "story"
    shutil.copytree(EXAMPLE, root)
    for name, pairs in MARKS.items():
        text = (root / name).read_text(encoding="utf-8")
        for old, new in pairs:
            assert old in text, old
            text = text.replace(old, new, 1)
        (root / name).write_text(text, encoding="utf-8")
    return root


def test_brackets_in_story_text_load_cleanly(tmp_path: Path) -> None:
    assert [d for d in check(bracketed(tmp_path)) if d.severity == "error"] == []


async def test_the_app_shows_brackets_as_written(make_app, tmp_path: Path) -> None:
    app = make_app(bracketed(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        assert "The [bold]Example[/bold]" in flat(app)
        await pilot.press("n")
        await pilot.pause()
        assert "Alpha [@click=app.quit]x[/]" in flat(app) and "You run [$accent]the[/] company." in flat(app)
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        text = flat(app)
        assert "Morning [red]" in text and "[b]long[/b]" in text and "Rally [#fff]the staff." in text
        assert "Staff [i]loyalty[/i]" in text
        for key, words in (("s", "Morning [red]"), ("m", "Morning [red]"), ("t", "Morning [red]")):
            await pilot.press(key)
            await pilot.pause()
            assert words in flat(app), key
            await pilot.press("escape")
            await pilot.pause()
        await pilot.press("1")
        await pilot.pause()
        text = flat(app)
        assert "You chose: Rally [#fff]the staff." in text and "[.c]noon." in text and "Fight [/] for the chair." in text
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(app.screen, EndingScreen)
        text = flat(app)
        assert "The [u]return" in text and "This is [what] happened." in text and app.is_running
        await pilot.press("h")
        await pilot.pause()
        assert "Rally [#fff]the staff." in flat(app)
        await pilot.press("escape")
        await pilot.pause()
        for key in ("e", "r"):
            await pilot.press(key)
            await pilot.pause()
            assert "The [u]return" in flat(app) or "Morning [red]" in flat(app), key
            await pilot.press("escape")
            await pilot.pause()


def test_plain_mode_prints_brackets_as_written(tmp_path: Path) -> None:
    out = subprocess.run([sys.executable, "-m", "game", "play", "--plain", "--story", str(bracketed(tmp_path)),
                          "--saves", str(tmp_path / "saves"), "--side", "alpha"], input="1\n1\n",
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "THE END — The [u]return" in out.stdout and "[b]long[/b]" in out.stdout
