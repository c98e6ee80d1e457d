"""`boardroom serve`: the same Textual game in a web browser, through textual-serve.

textual-serve starts one game process per browser tab and talks to it over pipes. Each
browser plays on a saves folder of its own, which it finds again when the page is reloaded or
opened another day (`game.commands.web` knows the browser by a cookie), so two people never
write over each other's runs and a reload never hides one. Serving is for this machine by
default: a host other than loopback has to be asked for with `--public`, and gets a warning,
because anyone who can reach the port can play and fill the saves folder.

`python -m game.commands.serve` is the per-tab entry point textual-serve runs; it is not a command
for people.
"""

from __future__ import annotations

import argparse
import datetime as dt
import ipaddress
import os
import re
import secrets
import shlex
import sys
import tempfile
from pathlib import Path
from typing import Optional, Sequence

from game import folders

DEFAULT_PORT = 8000
LOOPBACK_NAMES = ("localhost", "localhost.localdomain", "ip6-localhost")


def is_loopback(host: str) -> bool:
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def web_saves(given: Optional[str]) -> Path:
    """Where the tabs' saves folders go: `--saves DIR`, `$BOARDROOM_SAVES`, else `web/` in the user
    data folder (apart from the runs you play in a terminal)."""
    if given:
        return Path(given)
    env = os.environ.get(folders.SAVES_ENV)
    if env:
        return Path(env)
    return folders.data_dir() / "web"


def session_command(story: Path, saves: Path) -> str:
    """The shell command textual-serve runs for each tab: this Python, this story, this folder."""
    parts = [sys.executable, "-m", "game.commands.serve", "--story", os.path.abspath(story), "--saves", os.path.abspath(saves)]
    return " ".join(shlex.quote(p) for p in parts)


def main(args: argparse.Namespace) -> int:
    try:
        import textual_serve.server  # noqa: F401 - the optional extra this command needs
    except ImportError:
        print("boardroom serve: error: playing in a browser needs textual-serve; install the game with the "
              "'web' extra, e.g. pipx install 'boardroom[web]' or pip install 'boardroom[web]'", file=sys.stderr)
        return 2
    host: str = args.host
    if not is_loopback(host) and not args.public:
        print(f"boardroom serve: error: {host!r} is not this machine's loopback address; anyone who can reach it "
              f"could play and write saves here. Add --public if that is what you want", file=sys.stderr)
        return 2
    if not 1 <= args.port <= 65535:
        print(f"boardroom serve: error: --port must be from 1 to 65535, not {args.port}", file=sys.stderr)
        return 2
    from game.commands.shared import load_or_report

    if load_or_report(args.story, "boardroom serve") is None:
        return 1
    saves = web_saves(getattr(args, "saves_given", None))
    try:
        saves.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        print(f"boardroom serve: error: cannot make the saves folder {str(saves)!r}: {exc.strerror or exc}",
              file=sys.stderr)
        return 2
    if not is_loopback(host):
        print(f"boardroom serve: warning: serving on {host}, beyond this machine: anyone who can reach port "
              f"{args.port} can play, and each of their browsers writes a saves folder in {saves}", file=sys.stderr)
    url = args.public_url or f"http://{_url_host(host)}:{args.port}"
    print(f"Boardroom on {url} — open it in a browser; each browser plays with its own saves folder in {saves}",
          file=sys.stderr)
    from game.commands.web import BoardroomServer

    server = BoardroomServer(session_command(Path(args.story), saves), host=host, port=args.port, title="Boardroom",
                             public_url=url)
    server.serve()
    return 0


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def session_folder(base: Path, now: Optional[dt.datetime] = None) -> Path:
    """A new folder in `base` for one tab's runs, named for when the tab opened (a browser that
    sent no name of its own)."""
    base.mkdir(parents=True, exist_ok=True)
    stamp = (now or dt.datetime.now()).strftime("%Y-%m-%d-%H%M%S")
    return Path(tempfile.mkdtemp(prefix=f"{stamp}-", dir=base))


_PLAYER = re.compile(r"[A-Za-z0-9_-]{22}")


def new_player() -> str:
    """A browser's name: 128 random bits, in the letters a folder name and a cookie can hold."""
    return secrets.token_urlsafe(16)


def player_name(given: Optional[str]) -> Optional[str]:
    """`given` if it is a name `new_player` could have made, else None: it comes from a browser's
    cookie, and names a folder."""
    return given if given is not None and _PLAYER.fullmatch(given) else None


def player_folder(base: Path, player: str) -> Path:
    """The saves folder of the browser named `player` (`player_name`), made the first time."""
    folder = base / f"player-{player}"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def session_main(argv: Optional[Sequence[str]] = None) -> int:
    """One browser tab: the game on its own saves folder; the folder goes again if nothing was saved."""
    parser = argparse.ArgumentParser(prog="python -m game.commands.serve")
    parser.add_argument("--story", required=True)
    parser.add_argument("--saves", required=True)
    parser.add_argument("--player", help="the browser's name (`new_player`): its own saves folder")
    args = parser.parse_args(argv)
    player = player_name(args.player)
    folder = player_folder(Path(args.saves), player) if player else session_folder(Path(args.saves))
    from game.commands.play import app

    try:
        return app(argparse.Namespace(story=args.story, saves=str(folder)))
    finally:
        try:
            folder.rmdir()  # only when empty: a tab that saved nothing leaves nothing behind
        except OSError:
            pass


if __name__ == "__main__":
    raise SystemExit(session_main())
