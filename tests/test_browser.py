"""The game in a real browser: `boardroom serve`, headless Chromium, keys pressed, text read back.

Chromium is Debian's (`apt-get install chromium`), driven by the playwright package pointed at
that executable, so no browser is downloaded. textual-serve draws with xterm.js on a canvas;
the test switches on xterm.js's screen-reader mode in the page it loads, and reads the
rendered rows from the accessibility tree that mode keeps in the DOM. Every request that is
not to the local server (the page asks for a web font) is refused, so nothing leaves the
machine. The server, its game processes and the browser are all stopped at the end.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable, Iterator

import pytest

EXAMPLE = Path(__file__).parent / "fixtures" / "example"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
TERMINAL_JS = "new v.Terminal({"
"""Where textual-serve's bundle creates the xterm.js terminal; the test adds screenReaderMode there."""
WAIT = 30.0
"""Seconds to wait for something to appear before failing (a bound, not a measurement)."""


def _missing() -> str:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install -e '.[test]')"
    try:
        import textual_serve  # noqa: F401
    except ImportError:
        return "textual-serve is not installed (pip install -e '.[web]')"
    if CHROMIUM is None:
        return "Chromium is not installed (apt-get install chromium)"
    return ""


pytestmark = pytest.mark.skipif(bool(_missing()), reason=_missing() or "ready")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """`boardroom serve` on the example story and a free port; yields its URL and saves folder."""
    port = _free_port()
    saves = tmp_path / "web"
    config = tmp_path / "config"
    config.mkdir()
    (config / "settings.json").write_text(json.dumps({"typewriter": False}), encoding="utf-8")
    env = dict(os.environ, BOARDROOM_SAVES=str(saves), BOARDROOM_CONFIG_DIR=str(config))
    log = (tmp_path / "serve.log").open("w")
    proc = subprocess.Popen([sys.executable, "-m", "game", "--story", str(EXAMPLE), "serve", "--port", str(port)],
                            env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        deadline = time.monotonic() + WAIT
        while True:
            if proc.poll() is not None:
                pytest.fail(f"boardroom serve exited: {(tmp_path / 'serve.log').read_text()}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("boardroom serve did not start listening")
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}", saves
    finally:
        # the server and every game process it started share its process group
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(proc.pid, sig)
            except ProcessLookupError:
                break
            try:
                proc.wait(timeout=10)
                break
            except subprocess.TimeoutExpired:
                continue
        log.close()


def _screen(page) -> str:  # type: ignore[no-untyped-def]
    return "\n".join(page.locator(".xterm-accessibility-tree > div").all_inner_texts())


def _wait_for(page, found: Callable[[str], bool], what: str) -> str:  # type: ignore[no-untyped-def]
    """The screen's text once `found` holds; the test fails, showing the screen, if it never does."""
    deadline = time.monotonic() + WAIT
    while True:
        text = _screen(page)
        if found(text):
            return text
        if time.monotonic() > deadline:
            pytest.fail(f"the page never showed {what}; it shows:\n{text}")
        page.wait_for_timeout(200)


def test_two_browsers_play_each_with_their_own_saves_and_a_reload_comes_back_to_the_run(
        server: tuple[str, Path], tmp_path: Path) -> None:
    from playwright.sync_api import Route, sync_playwright

    url, saves = server

    def local_only(route: Route) -> None:
        if route.request.url.startswith(url + "/"):
            route.continue_()
        else:
            route.abort()

    def with_screen_reader_mode(route: Route) -> None:
        response = route.fetch()
        body = response.text()
        assert TERMINAL_JS in body, "textual-serve's page no longer creates the terminal where this test expects"
        route.fulfill(response=response, body=body.replace(TERMINAL_JS, TERMINAL_JS + "screenReaderMode:!0,", 1))

    def ready(page) -> None:  # type: ignore[no-untyped-def]
        page.goto(url + "/")
        _wait_for(page, lambda t: "New game" in t and "The Example" in t, "the title screen and the story's title")
        page.locator(".xterm-helper-textarea").focus()

    with sync_playwright() as pw:
        browsers = [pw.chromium.launch_persistent_context(
            str(tmp_path / f"profile-{i}"), executable_path=CHROMIUM, headless=True, args=FLAGS,
            viewport={"width": 1280, "height": 800}) for i in range(2)]
        try:
            for browser in browsers:
                browser.route("**/*", local_only)
                browser.route("**/static/js/textual.js", with_screen_reader_mode)
            for browser, (side, key, scene, chosen) in zip(browsers, (("Alpha", "1", "Morning", "Noon"),
                                                                      ("Beta", "2", "The vote", "Held"))):
                page = browser.new_page()
                ready(page)
                page.keyboard.press("n")
                _wait_for(page, lambda t: "Alpha" in t and "Beta" in t and "Pick" in t, "the sides")
                page.keyboard.press(key)
                _wait_for(page, lambda t: scene in t, f"the first scene of {side}")
                page.keyboard.press("1")
                _wait_for(page, lambda t: chosen in t, f"the scene after {side}'s first choice")
            # the first browser's page reloaded: its run is there to continue
            page = browsers[0].pages[-1]
            page.wait_for_timeout(1000)  # the autosave follows a choice by a moment
            ready(page)
            _wait_for(page, lambda t: "Continue" in t and "Alpha" in t, "the run to continue")
            page.keyboard.press("c")
            _wait_for(page, lambda t: "Noon" in t, "the run, where it was left")
        finally:
            for browser in browsers:
                browser.close()

    players = sorted(p for p in saves.iterdir() if p.is_dir())
    assert len(players) == 2 and all(p.name.startswith("player-") for p in players), players
    sides = sorted(json.loads((folder / "autosave.json").read_text(encoding="utf-8"))["side"] for folder in players)
    assert sides == ["alpha", "beta"]
