"""The game, as every front end plays it: the story, the run in progress, saves, gallery, settings.

The Textual app, plain mode and any later front end hold one `Game` and call its actions; each
returns an outcome (`game.controller.outcomes`) that the front end shows its own way. The rules
live here once: a new run never overwrites the autosave of another (it is kept as a named save
first), an ending is recorded in the gallery the first time it is shown, a reloaded story keeps
the player's place by replaying their choices, and a save or a gallery that cannot be written is
reported, never fatal.

Deterministic apart from its file I/O: the clock is whatever `now` the front end passes.
Loading pulls in pydantic, so the heavy imports wait until they are needed: the app creates its
`Game` before its first frame.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Optional

from game.controller.outcomes import (
    Diverged, Ended, Filed, Moved, Notice, Opened, Refused, Reloaded, Saved, Started,
)
from game.controller.settings import Gallery, Settings, load_gallery, save_gallery, save_settings
from game.records import record

if TYPE_CHECKING:
    from game.controller.replay import Replay
    from game.controller.session import Session
    from game.engine.diagnostics import Diagnostic
    from game.engine.state import State
    from game.engine.story import Story
    from game.runs import RunFile, SaveEntry, Saves

Clock = Callable[[], dt.datetime]


def local_now() -> dt.datetime:
    return dt.datetime.now().astimezone()


@record
class Loaded:
    """What `Game.read` found: the story (or why not), the run to continue, the gallery."""

    story: Optional["Story"]
    diagnostics: list["Diagnostic"]
    saves: Optional["Saves"]
    """None: not listed yet (`Game.read(listed=False)`); `Game.saves` lists them when first needed."""
    latest: Optional["SaveEntry"]
    gallery: Gallery
    problems: tuple[str, ...] = ()
    """A damaged gallery set aside, in words for the player."""


class Game:
    """One player's game: construct it with explicit folders (tests point them at tmp dirs)."""

    def __init__(self, story_dir: Path, saves_dir: Path, config_dir: Path, settings: Settings,
                 *, now: Optional[Clock] = None) -> None:
        self.story_dir = Path(story_dir)
        self.saves_dir = Path(saves_dir)
        self.config_dir = Path(config_dir)
        self.settings = settings
        self.now: Clock = now or local_now
        self.story: Optional["Story"] = None
        self._saves: Optional["Saves"] = None
        self._list_when_needed = False
        self._put_aside: Optional[Notice] = None
        self.gallery = Gallery()
        self.latest: Optional["SaveEntry"] = None
        self.session: Optional["Session"] = None
        self.unsaved: Optional["Session"] = None
        """A run started with --from: played, never autosaved."""
        self.created: Optional[dt.datetime] = None
        """When the run in progress began: kept across its saves, so it stays one run."""
        self._read_unsaved = False

    # ------------------------------------------------------------------ loading

    def read(self, story: Optional["Story"] = None, *, cached: bool = False, latest: bool = True,
             listed: bool = True) -> Loaded:
        """Load the story (unless given), list the saves, read the gallery. Changes nothing here,
        so a front end may call it off its UI thread and `take` the result on it.

        `latest=False` skips looking for the run "continue" offers, which reads every run in the
        folder: a game that starts a run at once (`play --side`, `--load`) offers that run.
        `listed=False` leaves the saves to be listed when first needed (`saves`): `play --side`
        shows its first scene before importing what reads them (2 ms)."""
        diagnostics: list["Diagnostic"] = []
        if story is None:
            story, diagnostics = self.load_story(cached=cached)
        saves: Optional["Saves"] = None
        if listed:
            from game.runs import Saves

            saves = Saves(self.saves_dir)
        found = _safe_latest(saves, story.id) if story is not None and saves is not None and latest else None
        problems: list[str] = []
        gallery = load_gallery(self.config_dir, problems)
        return Loaded(story, diagnostics, saves, found, gallery, tuple(problems))

    def saves_bytes(self) -> int:
        """How much `read` reads of the saves folder, in bytes (a front end may list a small
        folder at once and a large one out of the way)."""
        from game.runs import Saves

        return Saves(self.saves_dir).listed_bytes()

    def load_story(self, *, cached: bool = False) -> tuple[Optional["Story"], list["Diagnostic"]]:
        """The story in the story folder, or its diagnostics; an unreadable folder is one of them.

        `cached`: from the compiled story cache when no story file changed (`game.story_cache`),
        for playing; authors' reloads (--watch) compile from source for every diagnostic."""
        try:
            if cached:
                from game.story_cache import load_story_cached

                return load_story_cached(self.story_dir)
            from game.engine.load import compile_story

            return compile_story(self.story_dir)
        except OSError as exc:  # an unreadable folder or file, or one vanishing mid-save: say which
            return None, [read_error(self.story_dir, exc)]

    def take(self, loaded: Loaded) -> None:
        self._saves = loaded.saves
        self._list_when_needed = loaded.saves is None
        self.gallery = loaded.gallery
        self.latest = loaded.latest
        if loaded.story is not None:
            self.story = loaded.story

    @property
    def saves(self) -> Optional["Saves"]:
        """The saves folder, once `take` has it. Left unlisted by `read(listed=False)`, it is listed
        the first time anything needs it (saving, loading, the first autosave), and the autosave
        of another run put aside then, before the run in progress can replace it (`list_saves`)."""
        if self._list_when_needed:
            self._list_now()
        return self._saves

    def list_saves(self) -> Optional[Notice]:
        """List the saves now if `read(listed=False)` left them for later; what was put aside when
        they were listed (now or by whatever needed them first), said once."""
        if self._list_when_needed:
            self._list_now()
        notice, self._put_aside = self._put_aside, None
        return notice

    def _list_now(self) -> None:
        from game.runs import Saves

        self._list_when_needed = False
        self._saves = Saves(self.saves_dir)
        if self.session is not None and self.created is not None:
            self._put_aside = self.keep_aside(self.session, self.created)

    def refresh_latest(self) -> None:
        """Look again for the run "continue" offers (after a broken story starts loading)."""
        if self.saves is not None and self.story is not None:
            self.latest = _safe_latest(self.saves, self.story.id)

    # ------------------------------------------------------------------ starting and opening runs

    def start(self, side: str) -> Started | Refused:
        """A new run as `side`, from its start."""
        from game.controller.session import Session

        story = self.story
        assert story is not None
        if side not in story.sides:
            return Refused(Notice(f"This story has no side {side!r} (sides: {', '.join(story.sides)}).",
                                  severity="error"))
        return self._begin(Session.new(story, side), "", self.now())

    def start_from(self, state: "State") -> Started:
        """A new run from `state` (`play --from`, for authors). It is not autosaved: its steps
        do not start at the side's start, so no replay could rebuild it."""
        from game.controller.session import Session

        assert self.story is not None
        session = Session(self.story, [state])
        self.unsaved = session
        return self._begin(session, f"Started at “{self.story.scenes[state.scene].title}” (--from): "
                                    "this run is not saved.", self.now())

    def continue_run(self) -> Opened:
        """The run in progress, else the run played last (`Saves.latest`), at its ending if it
        has one. The folder is read again: another game may have played since the title showed."""
        if self.session is not None:
            return self._begin(self.session, "", self.created)
        self.refresh_latest()
        if self.latest is None or self.latest.run is None:
            return Refused(Notice("There is no saved run to continue yet: start a new game."))
        return self.open(self.latest.run)

    def open(self, run: "RunFile", what: str = "") -> Opened:
        """Resume a saved run: its snapshot if the story is unchanged, else a replay of its steps.

        A run that stops fitting the edited story is not started yet: `Diverged` asks the
        player first, and `accept` continues from the last step that fits.
        """
        from game.controller.session import Session
        from game.runs import RunError, resume

        assert self.story is not None
        try:
            resumed = resume(self.story, run)
        except RunError as exc:
            return Refused(Notice(str(exc), title="Cannot load this run", severity="error"))
        if resumed.divergence is None:
            return self._begin(Session.from_state(self.story, resumed.state), what, run.created)
        return Diverged(run, resumed.state, resumed.divergence, resumed.state.length, len(run.steps))

    def accept(self, diverged: Diverged) -> Started:
        """Continue a run that no longer fits from the last step that does."""
        from game.controller.session import Session

        assert self.story is not None
        note = (f"Continuing from choice {diverged.state.length + 1}: the story has changed "
                "since this run was saved.")
        return self._begin(Session.from_state(self.story, diverged.state), note, diverged.run.created)

    def quick_load(self) -> Opened:
        from game.runs import RunError, read_run

        assert self.saves is not None
        path = self.saves.quicksave_path()
        if not path.exists():
            return Refused(Notice("No quick save yet: F5 makes one."))
        try:
            run = read_run(path)
        except RunError as exc:
            return Refused(Notice(str(exc), title="Cannot quick load", severity="error"))
        return self.open(run, what="Quick loaded.")

    def replay(self, run: "RunFile") -> "Replay | Refused":
        """`run` to watch step by step, or why it cannot be: another story's, or of a side the
        story no longer has."""
        from game.controller.replay import Replay
        from game.runs import RunError

        assert self.story is not None
        try:
            return Replay(self.story, run)
        except RunError as exc:
            return Refused(Notice(f"This run cannot be replayed: {exc}", severity="error"))

    def take_over(self, state: "State") -> Started:
        """Branch a new run from a replay's step: the replayed run's file is left as it was."""
        from game.controller.session import Session

        assert self.story is not None
        return self._begin(Session.from_state(self.story, state),
                           f"You took over this run at choice {state.length + 1}. It is a new run now.", self.now())

    def _begin(self, session: "Session", note: str, created: Optional[dt.datetime]) -> Started:
        created = created or self.now()
        kept = self.keep_aside(session, created)
        self.session = session
        self.created = created
        return Started(session, note, kept)

    def keep_aside(self, session: "Session", created: dt.datetime) -> Optional[Notice]:
        """If another run is starting, its first choice would overwrite the autosave: keep the
        autosaved run as a named save first, so switching runs never loses one — an unfinished
        run to continue later, a finished one to replay.

        The same run going on (continue, undo, a reload, a load of its own save) is recognised by
        its side, its creation time and steps that extend or cut back the saved ones. With the
        saves not listed yet, nothing is done here: listing them does it (`saves`)."""
        if self._list_when_needed or self.saves is None or self.story is None:
            return None
        from game.runs import RunError, read_run, safe_slot_name

        try:
            path = self.saves.own_autosave()
        except RunError as exc:
            return Notice(str(exc), severity="error")
        if not path.exists():
            return None
        try:
            old = read_run(path)
        except RunError:
            return None  # Saves.save keeps an unreadable file aside by itself
        if not old.steps or old.story_id != self.story.id:
            return None
        saved_steps = [(s.scene, s.choice) for s in old.steps]
        steps = [(s.scene, s.choice) for s in session.state.steps()]
        shorter = min(len(saved_steps), len(steps))
        if old.side == session.side and old.created == created and saved_steps[:shorter] == steps[:shorter]:
            return None
        if self._kept_elsewhere(old, path):
            return None
        side = self.story.sides.get(old.side)
        kind = "finished" if old.ended else "unfinished"
        when = old.created.astimezone(self.now().tzinfo)
        base = safe_slot_name(f"{side.name if side else old.side} {when:%Y-%m-%d %H.%M}", f"{kind} run {when:%Y-%m-%d %H.%M}")
        try:
            kept = self.saves.save_new(old, base)
        except (RunError, OSError) as exc:
            # Never write the new run over the old one: this game's autosave moves on instead.
            self.saves.release()
            return Notice(f"Could not keep your {kind} run as a named save ({exc}); it stays where it was "
                          f"and this run is autosaved to {self.saves.own_autosave().name}.", severity="error")
        where = "Replays lists it" if old.ended else "Load lists it"
        return Notice(f"Your {kind} run was kept as “{kept.stem}”: {where}.")

    def _kept_elsewhere(self, run: "RunFile", autosave: Path) -> bool:
        """Whether another file in the folder holds `run` as it is: the slot it was loaded from,
        or a copy kept before. Keeping it again would fill Load with copies each time the player
        opens one run after another."""
        from game.runs import same_path

        assert self.saves is not None
        try:
            entries = self.saves.entries()
        except OSError:
            return False
        return any(entry.path != autosave and entry.run is not None and entry.run.created == run.created
                   and same_path(entry.run, run) for entry in entries)

    # ------------------------------------------------------------------ playing

    def choose(self, choice_id: str) -> Moved | Ended | Refused:
        """Take a choice in the run in progress; an ending is recorded in the gallery."""
        from game.engine.state import ChoiceError

        session = self.session
        assert session is not None
        try:
            session.choose(choice_id)
        except ChoiceError as exc:  # the story changed under the front end (--watch)
            return Refused(Notice(str(exc), title="That choice is gone", severity="warning"))
        if session.over:
            return self.ending(record=True)
        return Moved("")

    def undo(self) -> Moved | Refused:
        session = self.session
        assert session is not None
        if not session.can_undo():
            return Refused(Notice("This is the start of the run: there is nothing to undo."))
        session.undo()
        return Moved(f"You stepped back to choice {session.steps + 1}. Choose again.")

    def go_back(self, step: int) -> Moved | Refused:
        """Return to the moment before choice `step + 1`."""
        session = self.session
        assert session is not None
        if step == session.steps:
            return Refused(Notice(f"You are at choice {step + 1} already."))
        try:
            session.back_to(step)
        except IndexError as exc:
            return Refused(Notice(str(exc), severity="error"))
        return Moved(f"You went back to choice {step + 1}. Choose again.")

    def ending(self, record: bool) -> Ended:
        """The ending the run in progress stands at; `record` notes it in the gallery (and saves that)."""
        from game.controller.ending import summarize

        session, story = self.session, self.story
        assert session is not None and story is not None
        scene = story.scenes[session.state.scene]
        assert scene.ending is not None
        new, problem = False, None
        if record:
            new = self.gallery.record(story.id, scene.id, scene.ending.title, session.side, session.steps, self.now())
            try:
                save_gallery(self.config_dir, self.gallery)
                self._read_unsaved = False
            except OSError as exc:
                problem = Notice(f"Could not save the endings gallery: {exc}", severity="error")
        found = len([e for e in self.gallery.found(story.id) if e in story.scenes])
        return Ended(summarize(story, session.state), new, found, len(story.endings), problem)

    # ------------------------------------------------------------------ reading

    def reveal_speed(self, scene_id: str) -> int:
        """Letters a second to type a scene at; 0 shows it at once (typewriter off or instant, or
        a scene already read, in any run, while skipping read text is on)."""
        if self.settings.skip_read and self.story is not None and self.gallery.has_read(self.story.id, scene_id):
            return 0
        return self.settings.chars_per_second

    def mark_read(self, scene_id: str) -> None:
        """Remember a scene as read. Kept in the gallery file, written at an ending, on the way
        back to the title and on quitting (`save_read`), never on a choice."""
        if self.story is not None and self.gallery.mark_read(self.story.id, scene_id):
            self._read_unsaved = True

    def save_read(self) -> Optional[Notice]:
        """Write the scenes read if any are new; a notice when that failed."""
        if not self._read_unsaved:
            return None
        self._read_unsaved = False
        try:
            save_gallery(self.config_dir, self.gallery)
        except OSError as exc:
            return Notice(f"Could not save the scenes read: {exc}", severity="error")
        return None

    # ------------------------------------------------------------------ saving

    def run_file(self, label: str) -> Optional["RunFile"]:
        """The run in progress as a run file, or None when there is none."""
        from game.runs import run_from_state

        if self.session is None or self.story is None:
            return None
        return run_from_state(self.story, self.session.state, label=label, created=self.created)

    def autosave_job(self) -> Optional[Callable[[], None]]:
        """Writing the autosave of the run as it is now, to run at once or on another thread.

        The job raises `RunError` or `OSError` when the file cannot be written."""
        from game.runs import run_from_state

        session, story, saves = self.session, self.story, self.saves
        if session is None or story is None or saves is None or session is self.unsaved:
            return None
        state, created = session.state, self.created

        def job() -> None:
            saves.save(run_from_state(story, state, label="autosave", created=created), saves.own_autosave())

        return job

    def quick_save(self) -> Saved:
        from game.runs import RunError

        run = self.run_file("quick save")
        if run is None or self.saves is None:
            return Saved(False, Notice("There is no run in progress to save."))
        try:
            self.saves.save(run, self.saves.quicksave_path())
        except (RunError, OSError) as exc:
            return Saved(False, Notice(f"Quick save failed: {exc}", severity="error"))
        return Saved(True, Notice(f"Quick saved at choice {len(run.steps)}. F9 loads it."))

    def save_as(self, name: str) -> Saved:
        """Save the run in progress in the slot `name` (refused for names that could harm)."""
        from game.runs import RunError

        run = self.run_file(name)
        if run is None or self.saves is None:
            return Saved(False, Notice("There is no run in progress to save."))
        try:
            self.saves.save(run, self.saves.slot_path(name))
        except (RunError, OSError) as exc:
            return Saved(False, Notice(f"Could not save: {exc}", severity="error"))
        return Saved(True, Notice(f"Saved as “{name}”."))

    def rename_run(self, path: Path, name: str) -> Filed:
        """Rename the saved run in `path` to the slot name `name` (refused if taken or unsafe)."""
        from game.runs import RunError
        from game.runs.saves import shown_name

        if self.saves is None:
            return Filed(False, Notice("The saves are not read yet.", severity="error"))
        try:
            new = self.saves.rename(path, name)
        except (RunError, OSError) as exc:
            return Filed(False, Notice(f"Could not rename {shown_name(Path(path))}: {exc}", severity="error"))
        self.refresh_latest()
        return Filed(True, Notice(f"Renamed {shown_name(Path(path))} to “{name}”."), new)

    def delete_run(self, path: Path) -> Filed:
        """Move the saved run in `path` to the trash folder inside the saves folder (never destroyed)."""
        from game.engine.safe_text import shown
        from game.runs import RunError
        from game.runs.saves import shown_name

        if self.saves is None:
            return Filed(False, Notice("The saves are not read yet.", severity="error"))
        try:
            trashed = self.saves.trash(path)
        except (RunError, OSError) as exc:
            return Filed(False, Notice(f"Could not delete {shown_name(Path(path))}: {exc}", severity="error"))
        self.refresh_latest()
        return Filed(True, Notice(f"Moved {shown_name(Path(path))} to the trash: {shown(str(trashed), 200)}. Move it "
                                  f"back into {shown(str(self.saves.folder), 200)} to restore it."), trashed)

    def save_settings(self) -> Optional[Notice]:
        """Write the settings; a notice when that failed (the game goes on with them in memory)."""
        try:
            save_settings(self.config_dir, self.settings)
        except OSError as exc:
            return Notice(f"Could not save settings: {exc}", severity="error")
        return None

    def end(self) -> None:
        """Leave the run in progress (it stays in the autosave, to continue later)."""
        self.session = None
        self.created = None

    def close(self) -> None:
        """The game is over: its autosave file is free for the next game to hold."""
        if self.saves is not None:
            self.saves.release()

    # ------------------------------------------------------------------ the story changing

    def reload(self, story: "Story") -> Reloaded:
        """Play on `story`, edited on disk: keep the player's place by replaying their run on it."""
        from game.controller.session import Session
        from game.runs import replay

        self.story = story
        old = self.session
        if old is None:
            return Reloaded("no-run", Notice("Story reloaded."), "")
        if old.side not in story.sides:
            self.end()
            return Reloaded("side-gone", Notice(f"Story reloaded, but it has no side {old.side!r} any more: "
                                                "the run ends here.", severity="error"), "")
        resumed = replay(story, old.side, old.state.steps())
        session = Session.from_state(story, resumed.state)
        self.session = session
        if resumed.divergence is None:
            note = "Story reloaded: your place is kept."
            return Reloaded("kept", Notice(note), note)
        d = resumed.divergence
        note = (f"Story reloaded. Your run no longer fits at choice {d.step} "
                f"({d.scene} → {d.choice}): {d.reason}. You are back at choice {session.steps + 1}.")
        return Reloaded("diverged", Notice(note, title="The run changed", severity="warning"), note)

    # ------------------------------------------------------------------ describing runs

    def describe_entry(self, entry: "SaveEntry") -> Optional[str]:
        """'Alpha · 3 choices made' for a saved run, as the title screen's continue line says it."""
        run = entry.run
        if run is None or self.story is None:
            return None
        side = self.story.sides.get(run.side)
        who = side.name if side else run.side
        if run.ending:
            scene = self.story.scenes.get(run.ending)
            ending = scene.ending.title if scene and scene.ending else run.ending
            return f"{who} · ended: {ending}"
        return f"{who} · {len(run.steps)} choice{'s' if len(run.steps) != 1 else ''} made"

    def describe_current(self) -> Optional[str]:
        """The run "continue" would resume, in a few words, or None."""
        if self.session is not None and self.story is not None:
            who = self.story.sides[self.session.side].name
            if self.session.over:
                return f"{who} · at an ending"
            return f"{who} · {self.session.steps} choice{'s' if self.session.steps != 1 else ''} made"
        return self.describe_entry(self.latest) if self.latest else None


def _safe_latest(saves: "Saves", story_id: str) -> Optional["SaveEntry"]:
    """The run "continue" offers: the run of this story played last, ended or not."""
    try:
        entry = saves.latest(story_id)
    except OSError:
        return None
    return entry if entry is not None and entry.run is not None else None


def read_error(root: Path, exc: OSError) -> "Diagnostic":
    """An unreadable story folder or file as a diagnostic, never a traceback."""
    from game.engine.diagnostics import Diagnostic

    where = exc.filename or root
    return Diagnostic(str(where), 1, 1, "error", "E003", f"cannot read: {exc.strerror or exc}")
