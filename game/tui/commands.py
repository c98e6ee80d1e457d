"""The game's own commands in Textual's command palette (ctrl+p), next to the built-in ones.

Only commands that make sense where the player is are offered: "Undo" while playing,
"Quick load" once a story is loaded, and so on. Each runs the same action as its key.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Awaitable, Callable

from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from game.tui.app import BoardroomApp

Command = tuple[str, str, str]
"""(name, help, action) — the action is run on the screen (screen actions) or the app ("app.")."""

EVERYWHERE: tuple[Command, ...] = (
    ("New game", "Pick a side and start a new run", "app.new_game"),
    ("Continue", "Go back to the run in progress, or the latest saved one", "app.continue_run"),
    ("Load a saved run", "Every run in the saves folder, unreadable ones with the reason", "app.load_run"),
    ("Replays", "Watch a saved run, or what really happened", "app.replays"),
    ("Endings found", "The gallery of endings across all your runs", "app.endings"),
    ("Quick load", "Load the quick save (F9)", "app.quick_load"),
    ("Settings", "Typewriter, its speed, theme, replay speed", "app.settings"),
    ("Toggle typewriter", "Turn letter-by-letter text on or off", "app.toggle_typewriter"),
    ("Help", "Every key, and what the badges mean", "app.help"),
    ("Title screen", "Back to the title menu (the run is kept)", "app.to_title"),
    ("Quit", "Quit the game (asks first; the run is saved)", "app.request_quit"),
)

PLAYING: tuple[Command, ...] = (
    ("Undo", "Step back one choice and choose again (u)", "undo"),
    ("History", "The run so far; go back to any scene (h)", "history"),
    ("Sources", "Where this scene comes from (s)", "sources"),
    ("Story map", "The scenes around this one (m)", "story_map"),
    ("Timeline", "Every headline so far (t)", "timeline"),
    ("Toggle sidebar", "Show or hide the meters and the scale (i)", "toggle_sidebar"),
    ("Quick save", "Save to the quick slot (F5)", "app.quick_save"),
    ("Save as…", "Save this run under a name (ctrl+s)", "app.save_slot"),
)


class GameCommands(Provider):
    def _commands(self) -> list[tuple[str, str, Callable[[], Awaitable[object]]]]:
        from game.tui.screens.play import PlayScreen

        app: "BoardroomApp" = self.app  # type: ignore[assignment]
        screen = self.screen
        commands = list(EVERYWHERE)
        if isinstance(screen, PlayScreen):
            commands = list(PLAYING) + commands
        out: list[tuple[str, str, Callable[[], Awaitable[object]]]] = []
        for name, help_text, action in commands:
            target = app if action.startswith("app.") else screen
            out.append((name, help_text, _runner(target, action.removeprefix("app."))))
        return out

    async def discover(self) -> Hits:
        for name, help_text, run in self._commands():
            yield DiscoveryHit(name, run, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, run in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), run, help=help_text)


def _runner(target: object, action: str) -> Callable[[], Awaitable[object]]:
    async def run() -> object:
        return await target.run_action(action)  # type: ignore[attr-defined]

    return run
