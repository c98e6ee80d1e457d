"""What `play --side S` and `play --load F` mean, decided once for the app and plain mode.

Both front ends check the command line the same way before they take over the terminal, so the
same flags give the same game or the same one-line error and exit code everywhere:

- `--side S` starts a new run as S; a side the story lacks is a usage error (exit 2).
- `--load F` continues the saved run F; an unreadable file is exit 2, a run of another story
  or of a side the story no longer has is exit 1 (the run does not fit), like `replay --verify`.
- `--side` and `--load` together are refused (exit 2): a loaded run already has its side, and
  guessing which flag the player meant would start the wrong game.
- `--from SCENE [--set VAR=VALUE ...]` (for authors) starts on the scene's side at that scene,
  with the side's start values and the ones given; an unknown scene or variable, or a value
  that does not fit, is a usage error (exit 2). Such a run is not autosaved: it has no steps
  from the side's start to replay.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Literal, Optional

from game.records import record

if TYPE_CHECKING:
    from game.engine.state import State
    from game.engine.story import Story
    from game.runs import RunFile


@record
class Launch:
    """Where play begins: a new run as `side`, the saved `run`, or (both None) the player's pick."""

    side: Optional[str]
    run: Optional["RunFile"]
    state: Optional["State"] = None
    """`--from`: a new run starting in this state."""


@record
class LaunchError:
    message: str
    """One line, without the `boardroom: error:` prefix the front end adds."""
    code: Literal[1, 2]
    located: Optional[str] = None
    """For a run file that cannot be read, the whole line as `path:line:col: error[R00x] reason`,
    which the front end prints instead (the form `replay` and `check` use)."""


def parse_sets(story: "Story", items: list[str]) -> dict[str, int | bool] | LaunchError:
    """`--set VAR=VALUE` pairs: ints as numbers, bools as true/false (or yes/no)."""
    out: dict[str, int | bool] = {}
    for item in items:
        name, eq, raw = item.partition("=")
        name, raw = name.strip(), raw.strip().lower()
        var = story.vars.get(name)
        if not eq or var is None:
            known = ", ".join(story.var_names)
            return LaunchError(f"--set {item!r}: give VAR=VALUE with one of the story's variables ({known})", 2)
        if var.type == "bool":
            if raw not in ("true", "false", "yes", "no"):
                return LaunchError(f"--set {item!r}: {name} is true or false", 2)
            out[name] = raw in ("true", "yes")
        else:
            try:
                value = int(raw)
            except ValueError:
                return LaunchError(f"--set {item!r}: {name} is a whole number from {var.min} to {var.max}", 2)
            if not var.min <= value <= var.max:
                return LaunchError(f"--set {item!r}: {name} is from {var.min} to {var.max}", 2)
            out[name] = value
    return out


def launch(story: "Story", side: Optional[str], load: Optional[str | Path], start_scene: Optional[str] = None,
           sets: Optional[list[str]] = None) -> Launch | LaunchError:
    """Check `--side`, `--load`, `--from` and `--set` against `story` (reading the run file)."""
    if side and load:
        return LaunchError("give --load FILE or --side SIDE, not both", 2)
    if sets and not start_scene:
        return LaunchError("--set needs --from SCENE: a new run from a side's start has its own values", 2)
    if start_scene:
        from game.engine.rules import did_you_mean
        from game.engine.state import ChoiceError, start_at

        if load:
            return LaunchError("give --load FILE or --from SCENE, not both", 2)
        scene = story.scenes.get(start_scene)
        if scene is None:
            return LaunchError(f"this story has no scene {start_scene!r}{did_you_mean(start_scene, story.scenes)}", 2)
        if side and side != scene.side:
            return LaunchError(f"scene {start_scene!r} is on side {scene.side!r}, not {side!r}", 2)
        values = parse_sets(story, sets or [])
        if isinstance(values, LaunchError):
            return values
        try:
            state = start_at(story, scene.side, start_scene, values)
        except (ChoiceError, ValueError) as exc:
            return LaunchError(str(exc), 2)
        return Launch(scene.side, None, state)
    if side:
        if side not in story.sides:
            return LaunchError(f"this story has no side {side!r} (sides: {', '.join(story.sides)})", 2)
        return Launch(side, None)
    if load:
        from game.runs import RunError, Unplayable, read_run, resume

        try:
            run = read_run(Path(load))
            resume(story, run)
        except Unplayable as exc:
            return LaunchError(f"{load}: {exc}", 1)
        except RunError as exc:
            return LaunchError(str(exc), 2, exc.located())
        return Launch(None, run)
    return Launch(None, None)
