"""`boardroom serve` without a browser: who may connect, and the game under textual-serve's driver.

tests/test_browser.py plays through a real browser; these check the rules around it quickly.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from game.commands import serve

EXAMPLE = Path(__file__).parent / "fixtures" / "example"
WEB_DRIVER = "textual.drivers.web_driver:WebDriver"


def test_loopback_addresses() -> None:
    for host in ("127.0.0.1", "127.8.0.1", "::1", "[::1]", "localhost", "LOCALHOST"):
        assert serve.is_loopback(host), host
    for host in ("0.0.0.0", "::", "192.168.1.2", "example.org", ""):
        assert not serve.is_loopback(host), host


def test_another_host_needs_public(tmp_path: Path) -> None:
    out = subprocess.run([sys.executable, "-m", "game", "--story", str(EXAMPLE), "serve", "--host", "0.0.0.0"],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 2 and "Add --public" in out.stderr and "Traceback" not in out.stderr
    assert len(out.stderr.splitlines()) == 1


def test_without_textual_serve_it_says_which_extra_to_install(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.setitem(sys.modules, "textual_serve.server", None)  # an import of it now fails
    args = argparse.Namespace(host="127.0.0.1", port=8000, public=False, public_url=None, story=str(EXAMPLE),
                              saves_given=None)
    assert serve.main(args) == 2
    assert "boardroom[web]" in capsys.readouterr().err


def test_each_tab_gets_a_folder_of_its_own(tmp_path: Path) -> None:
    when = dt.datetime(2026, 12, 1, 15, 0, 0)
    a, b = serve.session_folder(tmp_path, when), serve.session_folder(tmp_path, when)
    assert a != b and a.parent == b.parent == tmp_path and a.name.startswith("2026-12-01-150000-")


def test_a_browser_finds_its_folder_again_and_a_name_it_sends_is_never_a_path(tmp_path: Path) -> None:
    """The name a browser keeps in its cookie picks its saves folder: the same folder each time,
    and anything that is not a name the server gives is refused, never followed as a path."""
    name = serve.new_player()
    assert serve.player_name(name) == name and serve.new_player() != name
    first = serve.player_folder(tmp_path, name)
    (first / "autosave.json").write_text("{}", encoding="utf-8")
    assert serve.player_folder(tmp_path, name) == first and first.parent == tmp_path
    assert (first / "autosave.json").exists()
    for sent in ["", "../" + name[3:], name + "/..", "..", name[:-1], name + "a", "é" * 22, "a b" + name[3:],
                 None]:
        assert serve.player_name(sent) is None, sent


def _web_game() -> subprocess.Popen[bytes]:
    """The game as textual-serve starts it: pipes, not a terminal, and its web driver named in the environment."""
    env = dict(os.environ, TEXTUAL_DRIVER=WEB_DRIVER, COLUMNS="80", ROWS="24")
    game = subprocess.Popen([sys.executable, "-m", "game", "--story", str(EXAMPLE)], env=env, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert game.stdout is not None
    assert game.stdout.readline() == b"__GANGLION__\n"  # textual-serve's sign that a Textual app started
    return game


def _quit(game: subprocess.Popen[bytes]) -> bytes:
    """Send textual-serve's quit (a closed tab) and wait; stderr."""
    assert game.stdin is not None
    message = json.dumps({"type": "quit"}).encode()
    game.stdin.write(b"M" + len(message).to_bytes(4, "big") + message)
    game.stdin.flush()
    try:
        return game.communicate(timeout=30)[1]
    finally:
        if game.poll() is None:
            game.kill()
            game.wait()


def test_the_game_starts_under_textual_serve_s_driver() -> None:
    """It used to say 'the game needs a terminal' and stop."""
    game = _web_game()
    assert game.stdout is not None
    screen = b""
    while b"New game" not in screen:  # packets: kind (D data, M meta), 4-byte length, payload
        kind, size = game.stdout.read(1), int.from_bytes(game.stdout.read(4), "big")
        assert kind in (b"D", b"M"), screen[-200:]
        payload = game.stdout.read(size)
        screen += payload if kind == b"D" else b""
    err = _quit(game)
    assert game.returncode == 0, err.decode(errors="replace")[-2000:]
    assert b"needs a terminal" not in err


def test_a_tab_closed_as_soon_as_it_opens_quits_cleanly() -> None:
    """The quit arrives while the title screen is being built; that used to end in a traceback."""
    game = _web_game()
    err = _quit(game)
    assert game.returncode == 0, err.decode(errors="replace")[-2000:]
    assert b"Traceback" not in err
