"""Plain-text play: the story on stdout, numbers read from stdin.

For screen readers, pipes and scripts: no colour, no cursor movement, one prompt per line.
End of input ends the game cleanly (exit 0), so `printf '1\\n2\\n' | boardroom play --plain`
plays two choices and stops.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import textwrap
from pathlib import Path
from typing import Callable, Iterator, Optional, TextIO

from game.check import load_or_report
from game.engine import State, Story, choose, new_state, view
from game.format import PROVENANCE, PROVENANCE_HELP, cite, long_clock, meters_line, scale_words

WIDTH = 78


class Plain:
    def __init__(self, story: Story, out: TextIO, lines: Iterator[str],
                 on_choice: Optional[Callable[[State], None]] = None):
        self.story = story
        self.out = out
        self.lines = lines
        self.on_choice = on_choice
        """Called with the new state after every choice: the autosave."""

    def say(self, text: str = "") -> None:
        self.out.write(text + "\n")

    def para(self, text: str, indent: str = "") -> None:
        for block in text.strip().split("\n\n"):
            self.say(textwrap.fill(" ".join(block.split()), WIDTH, initial_indent=indent, subsequent_indent=indent))
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

    def pick_number(self, count: int, what: str) -> Optional[int]:
        """A number from 1 to count, asking again on anything else; None at end of input or 'q'."""
        while True:
            answer = self.ask("> ")
            if answer is None or answer.lower() in ("q", "quit"):
                return None
            if answer.isdigit() and 1 <= int(answer) <= count:
                return int(answer)
            if not answer:
                self.say(f"Type the number of {what} (1-{count}) and press Enter; q quits.")
            elif answer.isdigit() or answer.lstrip("-").isdigit():
                self.say(f"There is no {what.removeprefix('a ')} {answer}: type a number from 1 to {count}.")
            else:
                self.say(f"Type a number from 1 to {count}, not {answer[:20]!r}; q quits.")

    def pick_side(self) -> Optional[str]:
        sides = list(self.story.sides.values())
        self.say(f"{self.story.title.upper()} — {self.story.subtitle}")
        self.say()
        self.say("Whose side are you on?")
        for i, side in enumerate(sides, 1):
            self.say(f"  {i}. {side.name}, {side.role}")
            self.say(textwrap.fill(side.blurb, WIDTH, initial_indent="     ", subsequent_indent="     "))
        n = self.pick_number(len(sides), "a side")
        return None if n is None else sides[n - 1].id

    def show(self, state: State) -> None:
        v = view(self.story, state)
        self.say("=" * WIDTH)
        self.say(f"{long_clock(v.at)} · day {v.day} of {v.days}")
        self.say(v.title.upper())
        self.say(f"{PROVENANCE[v.provenance]} — {PROVENANCE_HELP[v.provenance]}")
        self.say()
        self.para(v.text)
        if v.sources:
            self.say("Sources: " + "; ".join(cite(s) for s in v.sources))
        if v.scene.note:
            self.say(textwrap.fill("Note: " + v.scene.note, WIDTH))
        self.say(textwrap.fill(meters_line(v.meters), WIDTH))
        self.say()

    def show_ending(self, state: State) -> None:
        v = view(self.story, state)
        e = v.ending
        assert e is not None
        self.say(f"THE END — {e.title}" + (" (what really happened)" if e.historical else ""))
        self.say()
        self.say("What actually happened:")
        self.para(e.history, indent="  ")
        scale = next((m for m in v.meters if m.display == "scale"), None)
        if scale is not None:
            self.say(f"The scale came to rest {scale_words(int(scale.value), scale.min, scale.max)} ({scale.value}/{scale.max}).")
        self.say(f"The critic gives your version {e.score:.1f}/10. The real drama got 7.3.")
        if e.critic:
            self.para(f"“{e.critic}”", indent="  ")
        self.say(f"{state.length} choices made.")

    def run(self, side: Optional[str], state: Optional[State] = None) -> int:
        """Play from `state` (a loaded run) or from the start of `side` (asked for when None)."""
        if state is None:
            if side is None:
                side = self.pick_side()
                if side is None:
                    return 0
            state = new_state(self.story, side)
        while True:
            self.show(state)
            v = view(self.story, state)
            if v.ending is not None:
                self.show_ending(state)
                return 0
            for i, c in enumerate(v.choices, 1):
                if c.available:
                    self.say(f"  {i}. {c.text}")
                else:
                    self.say(f"  {i}. (locked) {c.text} — {c.reason}")
            while True:
                n = self.pick_number(len(v.choices), "a choice")
                if n is None:
                    self.say("Game ended.")
                    return 0
                picked = v.choices[n - 1]
                if picked.available:
                    break
                self.say(f"That choice is locked: {picked.reason}. Pick another.")
            state = choose(self.story, state, picked.id)
            if self.on_choice is not None:
                self.on_choice(state)


def main(args: argparse.Namespace) -> int:
    story = load_or_report(args.story)
    if story is None:
        return 1
    if args.side and args.side not in story.sides:
        print(f"boardroom: error: this story has no side {args.side!r}", file=sys.stderr)
        return 2
    start: Optional[State] = None
    label, created = "", None
    if getattr(args, "load", None):
        if args.side:
            print("boardroom: error: give --load FILE or --side SIDE, not both", file=sys.stderr)
            return 2
        from game.runs import RunError, Unplayable, read_run, resume

        try:
            run = read_run(Path(args.load))
            resumed = resume(story, run)
        except Unplayable as exc:
            print(f"boardroom: error: {args.load}: {exc}", file=sys.stderr)
            return 1
        except RunError as exc:
            print(f"boardroom: error: {exc}", file=sys.stderr)
            return 2
        start, label, created = resumed.state, run.label, run.created
        if resumed.divergence is not None:
            print(f"This run no longer fits the story at {resumed.divergence.line()}. "
                  f"Continuing from step {resumed.steps_fit}.")
    lines = (line.rstrip("\n") for line in sys.stdin)
    return Plain(story, sys.stdout, lines, autosaver(story, Path(getattr(args, "saves", None) or "saves"), label, created)).run(args.side, start)


def autosaver(story: Story, folder: Path, label: str = "", created: Optional[dt.datetime] = None) -> Callable[[State], None]:
    """Save the run to the saves folder's autosave after every choice; warn once if that fails."""
    from game.runs import RunError, Saves, run_from_state

    saves = Saves(folder)
    failed = False

    def save(state: State) -> None:
        nonlocal failed, created
        run = run_from_state(story, state, label=label, created=created)
        created = run.created
        try:
            saves.save(run, saves.autosave_path())
        except RunError as exc:
            if not failed:
                print(f"boardroom: warning: cannot autosave: {exc}", file=sys.stderr)
            failed = True

    return save
