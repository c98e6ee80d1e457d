"""What the player waits for, in a real terminal, against a bare Textual app started the same way.

Every program runs on a fresh pseudo-terminal of the same size (`terminal.Terminal`) and is
timed by what it writes there, from the spawn: nothing in it cooperates or knows it is timed.
Each round runs the bare app, `boardroom` and `boardroom play --side`, in alternating order,
and each figure is compared with the bare app's from the same rounds:

- first frame: the bottom row painted and the title menu on it;
- title usable: the story's subtitle on the title screen, shown once the story is loaded and
  the saves listed, when the menu acts on keys (a key pressed then is timed too). With the
  story unchanged since the last start, as here, that is the first frame; after a change the
  title says "loading the story…" until then;
- `play --side`: the side's first scene on screen;
- quit: from the key that confirms quitting until the program has exited and the shell has
  its terminal back, against the bare app's ctrl+q.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Sequence

from game.bench.plan import BenchError, Plan
from game.bench.report import Row, median, ms, ratio_row, spread
from game.bench.terminal import Terminal, screen_text
from game.records import record

BARE_APP_CLASS = '''
from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Static


class BareApp(App):
    """The baseline: what any Textual app pays for a header, a static and a footer."""

    TITLE = "Bare"

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("A bare Textual app.")
        yield Footer()
'''
BARE_APP = BARE_APP_CLASS + "\n\nBareApp().run()\n"
BARE_MARKER = "A bare Textual app."

SIZE = (80, 24)
TITLE_BUDGET = 1.10
PLAY_BUDGET = 1.15

__all__ = ["BARE_APP", "BARE_APP_CLASS", "BARE_MARKER", "bench_startup", "child_env", "first_frame", "screen_text"]


def game_marker() -> str:
    """Text on the game's first screen once it is really there: the title menu's "load" entry."""
    from game.tui.screens.title import MENU

    return next(label for option, _, label in MENU if option == "load")


def child_env(home: Path) -> dict[str, str]:
    """The environment of every program the bench runs: the same for the game and the baseline,
    throwaway config, saves and cache folders (the typewriter off), and no size overrides (the
    pty sets the size)."""
    from game.controller.settings import Settings, save_settings

    drop = ("COLUMNS", "LINES", "NO_COLOR", "TEXTUAL", "TEXTUAL_DRIVER", "BOARDROOM_FORCE_TUI", "PYTHONDONTWRITEBYTECODE",
            "BOARDROOM_STORY")
    env = {k: v for k, v in os.environ.items() if k not in drop}
    config = home / "config"
    if not (config / "settings.json").exists():
        save_settings(config, Settings(typewriter=False))
    # Bytecode is cached, as it is for anyone who has run the game once, but in our own folder:
    # never in the project's tree or site-packages. The first, unmeasured run of each fills it.
    env.update(TERM="xterm-256color", BOARDROOM_CONFIG_DIR=str(config), BOARDROOM_SAVES=str(home / "saves"),
               BOARDROOM_CACHE_DIR=str(home / "cache"), PYTHONPYCACHEPREFIX=str(home / "pycache"))
    return env


def game_command() -> list[str]:
    """`boardroom` as a user runs it: the console script next to this interpreter."""
    script = Path(sys.executable).with_name("boardroom")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "game"]


def _name(cmd: Sequence[str]) -> str:
    return "the bare Textual app" if "-c" in cmd else "boardroom"


def first_frame(cmd: Sequence[str], marker: str, env: dict[str, str], cwd: Path, timeout: float = 30.0) -> float:
    """Seconds from spawning `cmd` on a fresh pseudo-terminal until its first full frame is on
    it: the last row has been painted and `marker` is on screen. The program is then killed."""
    with Terminal(cmd, env, cwd, SIZE, name=_name(cmd)) as term:
        try:
            return term.wait_for(marker, last_row=True, timeout=timeout) - term.started
        except BenchError as exc:
            if term.closed:
                raise BenchError(f"{_name(cmd)} exited before its first frame; the terminal shows {term.tail()}") from exc
            raise


@dataclass
class Samples:
    bare_frame: list[float] = field(default_factory=list)
    bare_quit: list[float] = field(default_factory=list)
    frame: list[float] = field(default_factory=list)
    usable: list[float] = field(default_factory=list)
    key: list[float] = field(default_factory=list)
    quit: list[float] = field(default_factory=list)
    scene: list[float] = field(default_factory=list)


@record
class Markers:
    title: str
    """On the title screen once the story is loaded: its subtitle (or its title)."""
    side: str
    side_name: str
    """On the side screen, which the title's `n` opens."""
    scene: str
    """The first scene's title: on screen when `play --side` has started."""


def markers(story_dir: Path) -> Markers:
    from game.engine.load import load_story

    story = load_story(story_dir)
    side = next(iter(story.sides.values()))
    return Markers(story.subtitle or story.title, side.id, side.name, story.scenes[side.start].title)


def bare_round(env: dict[str, str], cwd: Path, out: Samples) -> None:
    cmd = [sys.executable, "-c", BARE_APP]
    with Terminal(cmd, env, cwd, SIZE, name="the bare Textual app") as term:
        out.bare_frame.append(term.wait_for(BARE_MARKER, last_row=True) - term.started)
        term.settle()
        sent, _ = term.press("ctrl+q")
        out.bare_quit.append(term.wait_exit() - sent)


def title_round(story: Path, m: Markers, env: dict[str, str], cwd: Path, out: Samples) -> None:
    with Terminal(game_command() + ["--story", str(story)], env, cwd, SIZE, name="boardroom") as term:
        frame = term.wait_for(game_marker(), last_row=True)
        out.frame.append(frame - term.started)
        # the story's name on screen, no earlier than the whole first frame (a frame's first rows
        # can reach the terminal a read before its last)
        out.usable.append(max(frame, term.wait_for(m.title)) - term.started)
        sent, mark = term.press("n")
        out.key.append(term.wait_for(m.side_name, since=mark) - sent)
        term.settle()
        _, mark = term.press("ctrl+q")
        term.wait_for("Quit", since=mark)
        term.settle()
        sent, _ = term.press("y")
        out.quit.append(term.wait_exit() - sent)


def side_round(story: Path, m: Markers, env: dict[str, str], cwd: Path, out: Samples) -> None:
    cmd = game_command() + ["play", "--side", m.side, "--story", str(story)]
    with Terminal(cmd, env, cwd, SIZE, name="boardroom play --side") as term:
        out.scene.append(term.wait_for(m.scene) - term.started)


def bench_startup(plan: Plan, story: Path, work: Path) -> Iterator[Row]:
    env = child_env(work)
    cwd = Path.cwd()
    m = markers(story)
    warm = Samples()
    # an unmeasured round fills the bytecode cache, the page cache and the story cache
    bare_round(env, cwd, warm)
    title_round(story, m, env, cwd, warm)
    side_round(story, m, env, cwd, warm)
    got = Samples()
    for i in range(plan.startup_runs):
        rounds = [lambda: bare_round(env, cwd, got), lambda: title_round(story, m, env, cwd, got),
                  lambda: side_round(story, m, env, cwd, got)]
        for run in rounds if i % 2 == 0 else reversed(rounds):
            run()
    base = median(got.bare_frame)
    n = plan.startup_runs
    row = ratio_row(f"startup: first frame, {SIZE[0]}x{SIZE[1]} pty", median(got.frame), base, TITLE_BUDGET)
    row.budget, row.ok = "—", None
    row.notes.append(f"{n} rounds, alternating with the bare Textual app (header, static, footer), bytecode and "
                     f"story cached; `boardroom` {spread(got.frame)}, bare app {spread(got.bare_frame)}")
    yield row
    row = ratio_row("startup: title usable (story loaded)", median(got.usable), base, TITLE_BUDGET)
    row.notes.append(f"until {m.title!r} is on the title screen; {spread(got.usable)}; `n` pressed then "
                     f"shows the sides in {ms(median(got.key))} ({spread(got.key)}); the baseline is the bare app's "
                     f"first frame")
    yield row
    row = ratio_row("startup: play --side → first scene", median(got.scene), base, PLAY_BUDGET)
    row.notes.append(f"`boardroom play --side {m.side}` until {m.scene!r} is on screen; {spread(got.scene)}; the baseline is the bare app's first frame")
    yield row
    row = ratio_row("startup: quit → shell prompt", median(got.quit), median(got.bare_quit), TITLE_BUDGET)
    row.budget, row.ok = "—", None
    row.notes.append(f"from the `y` that confirms quitting to the process gone and the terminal handed back, "
                     f"{spread(got.quit)}; bare app from ctrl+q, {spread(got.bare_quit)}")
    yield row
