"""Plain-text play: the story on stdout, numbers read from stdin.

For screen readers, pipes and scripts: no colour, no cursor movement, one prompt per line.
End of input ends the game cleanly (exit 0), so `printf '1\\n2\\n' | boardroom play --plain`
plays two choices and stops. It drives the same controller as the app (`game.controller`), so
the same flags start the same run, the autosave is kept the same way and endings reach the
same gallery.
"""

from __future__ import annotations

import shutil
import sys
from typing import Iterator, Optional, Sequence, TextIO

from game.controller.ending import EndingSummary
from game.controller.game import Game
from game.controller.launch import Launch
from game.controller.outcomes import Diverged, Ended, Notice, Refused, Started
from game.engine import State, view
from game.format import PROVENANCE, PROVENANCE_HELP, long_clock, meters_line, outcome_text, source_list
from game.paragraphs import fill, paragraphs

WIDTH = 78
"""The widest line plain mode writes, for readability; narrower terminals get narrower lines."""
NARROWEST = 20


def terminal_width() -> int:
    """Lines as wide as the terminal allows (two cells spare), at most WIDTH; WIDTH when piped."""
    columns = shutil.get_terminal_size((WIDTH + 2, 24)).columns
    return max(NARROWEST, min(WIDTH, columns - 2))


class Plain:
    def __init__(self, game: Game, out: TextIO, lines: Iterator[str], err: TextIO = sys.stderr,
                 width: Optional[int] = None):
        assert game.story is not None
        self.game = game
        self.story = game.story
        self.width = width or terminal_width()
        """Wrapping width in terminal cells: a Chinese character counts two."""
        self.out = out
        self.err = err
        self.lines = lines
        self._autosave_failed = False

    def say(self, text: str = "") -> None:
        self.out.write(text + "\n")

    def wrapped(self, text: str, first: str = "", rest: str = "") -> None:
        """One line of text wrapped to the width, `first` before it and `rest` before each continuation."""
        self.say(fill(text, self.width, initial_indent=first, subsequent_indent=rest))

    def para(self, text: str, indent: str = "") -> None:
        for block in paragraphs(text):
            self.say(fill(block, self.width, initial_indent=indent, subsequent_indent=indent))
            self.say()

    def ask(self, prompt: str) -> Optional[str]:
        self.out.write(prompt)
        self.out.flush()
        try:
            line = next(self.lines)
        except StopIteration:
            self.say()
            return None
        return line.strip()

    def pick_number(self, count: int, what: str, ids: Sequence[str] = ()) -> Optional[int]:
        """A number from 1 to count (or one of `ids`, a choice's id, for scripts and authors),
        asking again on anything else; None at end of input or 'q'."""
        while True:
            answer = self.ask("> ")
            if answer is None or answer.lower() in ("q", "quit"):
                return None
            if answer.isdigit() and 1 <= int(answer) <= count:
                return int(answer)
            if answer in ids:
                return list(ids).index(answer) + 1
            if not answer:
                self.say(f"Type the number of {what} (1-{count}) and press Enter; q quits.")
            elif answer.isdigit() or answer.lstrip("-").isdigit():
                self.say(f"There is no {what.removeprefix('a ')} {answer}: type a number from 1 to {count}.")
            else:
                also = " or a choice's id" if ids else ""
                self.say(f"Type a number from 1 to {count}{also}, not {answer[:20]!r}; q quits.")

    def pick_side(self) -> Optional[str]:
        sides = list(self.story.sides.values())
        self.wrapped(f"{self.story.title.upper()} — {self.story.subtitle}")
        self.say()
        self.say("Whose side are you on?")
        for i, side in enumerate(sides, 1):
            self.wrapped(f"{i}. {side.name}, {side.role}", "  ", "     ")
            self.wrapped(side.blurb, "     ", "     ")
        n = self.pick_number(len(sides), "a side")
        return None if n is None else sides[n - 1].id

    def show(self, state: State) -> None:
        v = view(self.story, state)
        self.say("=" * self.width)
        self.wrapped(f"{long_clock(v.at)} · day {v.day} of {v.days}")
        self.say(v.title.upper())
        self.wrapped(f"{PROVENANCE[v.provenance]} — {PROVENANCE_HELP[v.provenance]}")
        self.say()
        if v.outcome:
            self.para(outcome_text(v), indent="    ")
        self.para(v.text)
        if v.sources:
            for line in source_list(v.sources, self.width):
                self.say(line)
        if v.scene.note:
            self.wrapped("Note: " + v.scene.note)
        self.wrapped(meters_line(v.meters))
        self.say()

    def show_ending(self, e: EndingSummary) -> None:
        self.wrapped(f"THE END — {e.title}" + (" (what really happened)" if e.historical else ""))
        self.say()
        self.say("What actually happened:")
        self.para(e.history, indent="  ")
        if e.scale is not None:
            self.wrapped(f"The scale came to rest {e.scale.words} ({e.scale.value}/{e.scale.max}).")
        self.wrapped(e.score_line())
        if e.verdict:
            self.para(f"“{e.verdict}”", indent="  ")
        self.say(f"{e.steps} choices made.")

    def warn(self, notice: Notice) -> None:
        self.err.write(f"boardroom: warning: {notice.message}\n")

    def autosave(self) -> None:
        """Save the run after every choice, like the app; warn once if that fails."""
        from game.runs import RunError

        job = self.game.autosave_job()
        if job is None:
            return
        try:
            job()
        except (RunError, OSError) as exc:
            if not self._autosave_failed:
                self.warn(Notice(f"cannot autosave: {exc}"))
            self._autosave_failed = True

    def begin(self, start: Launch) -> Optional[Started]:
        """The run the flags ask for (or the side the player picks); None if the player quits."""
        outcome: Started | Diverged | Refused
        if start.state is not None:
            outcome = self.game.start_from(start.state)
        elif start.run is not None:
            outcome = self.game.open(start.run)
            if isinstance(outcome, Diverged):
                self.say(f"This run no longer fits the story at {outcome.divergence.line()}. "
                         f"Continuing from step {outcome.fits}.")
                outcome = self.game.accept(outcome)
        else:
            side = start.side or self.pick_side()
            if side is None:
                return None
            outcome = self.game.start(side)
        if isinstance(outcome, Refused):
            self.warn(outcome.notice)
            return None
        if outcome.kept is not None:
            self.say(outcome.kept.message)
            self.say()
        if start.state is not None and outcome.note:
            self.say(outcome.note)
            self.say()
        return outcome

    def run(self, start: Launch) -> int:
        """Play from the run or side `start` names (asking for a side when it names neither)."""
        started = self.begin(start)
        if started is None:
            return 0
        session = started.session
        while True:
            state = session.state
            self.show(state)
            if session.over:
                self.show_ending(self.game.ending(record=False).summary)
                return 0
            v = view(self.story, state)
            for i, c in enumerate(v.choices, 1):
                if c.available:
                    self.wrapped(f"{i}. {c.text}", "  ", "     ")
                else:
                    self.wrapped(f"{i}. (locked) {c.text} — {c.reason}", "  ", "     ")
            while True:
                n = self.pick_number(len(v.choices), "a choice", [c.id for c in v.choices])
                if n is None:
                    self.say("Game ended.")
                    return 0
                picked = v.choices[n - 1]
                if picked.available:
                    break
                self.wrapped(f"That choice is locked: {picked.reason}. Pick another.")
            outcome = self.game.choose(picked.id)
            if isinstance(outcome, Refused):
                self.say(outcome.notice.message)
                continue
            self.autosave()
            if isinstance(outcome, Ended):
                if outcome.problem is not None:
                    self.warn(outcome.problem)
                self.show(session.state)
                self.show_ending(outcome.summary)
                return 0
