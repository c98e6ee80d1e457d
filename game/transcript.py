"""A run told as a story: every step's clock, scene and choice, then the ending — as text or Markdown.

`boardroom replay FILE` prints it; `--format markdown` makes a page that reads well on GitHub,
so a player can post their version of the weekend. Story text is prose, never markup: in
Markdown every character that would turn into formatting is escaped.
"""

from __future__ import annotations

import datetime as dt
import re
from abc import ABC, abstractmethod
from typing import Optional, Union

from game.engine import ChoiceError, State, Story, choice_label, choose, new_state, view
from game.engine.safe_text import shown
from game.engine.story import Scene, Source
from game.controller.ending import ScaleRest, scale_rest, summarize
from game.format import PROVENANCE, PROVENANCE_HELP, cite, clock, link_kind, outcome_text, source_list
from game.paragraphs import fill, paragraphs, unwrap
from game.runs import Divergence, RunFile, states

WIDTH = 78
LABEL_SHOWN = 300
"""Characters of a run's label a transcript shows: the label comes from the file, not the story."""


def transcript(story: Story, run_or_state: Union[RunFile, State], fmt: str = "text") -> str:
    """The run as a transcript. A run that stops fitting the story is told up to where it fits.

    Raises `game.runs.Unplayable` for a run of another story or of a side the story lost.
    """
    if fmt not in ("text", "markdown"):
        raise ValueError(f"unknown transcript format {fmt!r} (text or markdown)")
    run: Optional[RunFile] = None
    divergence: Optional[Divergence] = None
    if isinstance(run_or_state, RunFile):
        run = run_or_state
        path, divergence = states(story, run)
    else:
        path = _replayed(story, run_or_state)
    writer = _Markdown(story) if fmt == "markdown" else _Text(story)
    return writer.render(path, run, divergence)


def _replayed(story: Story, state: State) -> list[State]:
    """Every state on the way to `state` (index i = after i steps), so each scene is told as
    the player read it then. A state whose steps no longer replay is told on its own values."""
    path = [new_state(story, state.side)]
    try:
        for step in state.steps():
            path.append(choose(story, path[-1], step.choice))
    except ChoiceError:
        return [state]
    return path if path[-1].key == state.key else [state]


class _Writer(ABC):
    def __init__(self, story: Story):
        self.story = story
        self.out: list[str] = []

    def render(self, path: list[State], run: Optional[RunFile], divergence: Optional[Divergence]) -> str:
        story = self.story
        state = path[-1]
        scene = story.scenes[state.scene]
        self.header(state, run, scene)
        for n, step in enumerate(state.steps(), 1):
            at = story.scenes[step.scene]
            choice = at.choice(step.choice)
            before = path[n - 1] if len(path) > 1 else state
            self.scene(n, at, *_told(story, at, before))
            self.choice(choice_label(story, before, choice) if choice is not None else step.choice)
        if divergence is not None:
            self.diverged(divergence, len(run.steps) if run else state.length, state.length)
        if scene.ending is not None:
            self.ending(state, scene)
        else:
            self.in_progress(state, scene)
        return "\n".join(self.out).rstrip() + "\n"

    def line(self, text: str = "") -> None:
        self.out.append(text)

    def sources(self, scene: Scene) -> list[Source]:
        return [self.story.sources[s] for s in scene.sources if s in self.story.sources]

    def scale(self, state: State) -> Optional[ScaleRest]:
        """Where the story's scale stands, if it has one."""
        return scale_rest(self.story, state)

    def summary(self, state: State, run: Optional[RunFile], scene: Scene) -> str:
        side = self.story.sides[state.side]
        n = state.length
        parts = [f"{side.name}, {side.role}" if side.role else side.name, f"{n} choice{'s' if n != 1 else ''}"]
        if scene.ending is not None:
            parts.append(f"ending: {scene.ending.title}")
        else:
            parts.append("in progress")
        if run is not None:
            parts.append(f"saved {_utc(run.updated)}")
        return " · ".join(parts)

    # each format writes these parts its own way
    @abstractmethod
    def header(self, state: State, run: Optional[RunFile], scene: Scene) -> None:
        """Title, who, how many choices, how it ended, when saved."""

    @abstractmethod
    def scene(self, n: Optional[int], scene: Scene, outcome: str, text: str) -> None:
        """One scene: number (None for the last), clock, title, provenance, text, sources, note."""

    @abstractmethod
    def choice(self, text: str) -> None:
        """The choice taken in the scene just written."""

    @abstractmethod
    def diverged(self, d: Divergence, recorded: int, fitted: int) -> None:
        """Why the recorded run stops fitting the story here."""

    @abstractmethod
    def ending(self, state: State, scene: Scene) -> None:
        """The ending: epilogue, what actually happened, the critic, where the scale rests."""

    @abstractmethod
    def in_progress(self, state: State, scene: Scene) -> None:
        """Where an unfinished run stands."""


def _told(story: Story, scene: Scene, state: State) -> tuple[str, str]:
    """The outcome and text of `scene` as `state` shows them. A state in another scene (a run
    whose earlier states are lost) tells the text on its values, without an outcome."""
    if state.scene == scene.id:
        v = view(story, state)
        return outcome_text(v), v.text
    return "", scene.body.render(state.vars(story), state.seen.__contains__)


def _utc(when: dt.datetime) -> str:
    return when.astimezone(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def _scale_name(scale: ScaleRest) -> str:
    """'safety-profit scale' from the label 'Safety ⟷ Profit'; 'scale' for a label without two ends."""
    ends = [part.strip() for part in scale.label.split("⟷")]
    if len(ends) == 2 and all(ends):
        return f"{ends[0].lower()}-{ends[1].lower()} scale"
    return "scale"


def _diverged_words(d: Divergence, recorded: int, fitted: int) -> str:
    if fitted >= recorded:
        return f"Every recorded step still fits, but the story has changed since this run ({d.kind}): {d.reason}."
    return (f"The recorded run goes on for {recorded} steps, but step {d.step} no longer fits the current story "
            f"({d.kind}): {d.reason}.")


class _Text(_Writer):
    def fill(self, text: str) -> None:
        self.line(fill(text, WIDTH, subsequent_indent="  "))

    def wrap(self, text: str, indent: str = "") -> None:
        for para in paragraphs(text):
            self.line(fill(para, WIDTH, initial_indent=indent, subsequent_indent=indent))
            self.line()

    def header(self, state: State, run: Optional[RunFile], scene: Scene) -> None:
        story = self.story
        self.fill(f"{story.title.upper()}" + (f" — {story.subtitle}" if story.subtitle else ""))
        self.fill(self.summary(state, run, scene))
        if run is not None and run.label:
            self.fill(f"“{shown(run.label, LABEL_SHOWN)}”")
        self.line()

    def scene(self, n: Optional[int], scene: Scene, outcome: str, text: str) -> None:
        self.line("─" * WIDTH)
        self.fill((f"{n} · " if n is not None else "") + f"{clock(scene.at)} · {scene.title.upper()}")
        self.fill(f"{PROVENANCE[scene.provenance]} — {PROVENANCE_HELP[scene.provenance]}")
        self.line()
        if outcome:
            self.wrap(outcome, indent="    ")
        self.wrap(text)
        sources = self.sources(scene)
        if sources:
            for line in source_list(sources, WIDTH):
                self.line(line)
        if scene.note:
            self.line(fill("Note: " + scene.note, WIDTH))
        if sources or scene.note:
            self.line()

    def choice(self, text: str) -> None:
        self.line(fill(f"» You chose: {text}", WIDTH, subsequent_indent="  "))
        self.line()

    def diverged(self, d: Divergence, recorded: int, fitted: int) -> None:
        self.line("─" * WIDTH)
        self.line(fill(_diverged_words(d, recorded, fitted), WIDTH))
        self.line()

    def ending(self, state: State, scene: Scene) -> None:
        e = summarize(self.story, state)
        self.line("═" * WIDTH)
        self.fill(f"THE END — {e.title}" + (" (what really happened)" if e.historical else ""))
        self.scene(None, scene, *_told(self.story, scene, state))
        self.line("What actually happened:")
        self.wrap(e.history, indent="  ")
        self.fill(e.score_line("this"))
        if e.verdict:
            self.wrap(f"“{e.verdict}”", indent="  ")
        if e.scale is not None:
            self.fill(f"The {_scale_name(e.scale)} came to rest {e.scale.words} ({e.scale.value}/{e.scale.max}).")

    def in_progress(self, state: State, scene: Scene) -> None:
        self.line("═" * WIDTH)
        self.line(f"THE RUN STOPS HERE, after {state.length} choice{'s' if state.length != 1 else ''}:")
        self.scene(None, scene, *_told(self.story, scene, state))
        scale = self.scale(state)
        if scale is not None:
            self.fill(f"The {_scale_name(scale)} stands {scale.words} ({scale.value}/{scale.max}).")


# Backslash-escape what CommonMark/GFM could read as formatting, so story text stays text.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#+|~&])")
_MD_BLOCK_START = re.compile(r"^(\s*)(?:([-=])|(\d+)([.)]))")


def md_escape(text: str) -> str:
    """Text for Markdown that renders exactly as written, even at the start of a line."""
    escaped = _MD_SPECIAL.sub(r"\\\1", text)

    def start(m: re.Match[str]) -> str:
        if m.group(2):
            return f"{m.group(1)}\\{m.group(2)}"
        return f"{m.group(1)}{m.group(3)}\\{m.group(4)}"

    return _MD_BLOCK_START.sub(start, escaped, count=1)


def _md_url(url: str) -> str:
    """The address as a Markdown link whose text is the address itself, so it reads the same."""
    target = f"<{url}>" if re.search(r"[\s()<>]", url) else url
    return f"[{md_escape(url)}]({target})"


class _Markdown(_Writer):
    def paras(self, text: str, prefix: str = "") -> None:
        """Paragraphs, each followed by a blank line; with a prefix ('> '), one quote block."""
        paras = paragraphs(text)
        for i, para in enumerate(paras):
            self.line(prefix + md_escape(para))
            self.line(prefix.rstrip() if prefix and i < len(paras) - 1 else "")

    def header(self, state: State, run: Optional[RunFile], scene: Scene) -> None:
        story = self.story
        side = story.sides[state.side]
        self.line(f"# {md_escape(story.title)}: {md_escape(side.name)}’s run")
        self.line()
        if story.subtitle:
            self.line(f"*{md_escape(story.subtitle)}*")
            self.line()
        if run is not None and run.label:
            self.line(f"**{md_escape(shown(run.label, LABEL_SHOWN))}**")
            self.line()
        self.line(md_escape(self.summary(state, run, scene)))
        self.line()

    def scene(self, n: Optional[int], scene: Scene, outcome: str, text: str) -> None:
        if n is not None:
            self.line(f"## {n}. {md_escape(scene.title)}")
        else:
            self.line(f"### {md_escape(scene.title)}")
        self.line()
        self.line(f"**{md_escape(clock(scene.at))}** · *{PROVENANCE[scene.provenance]}* — "
                  f"{md_escape(PROVENANCE_HELP[scene.provenance])}")
        self.line()
        if outcome:
            self.paras(outcome, prefix="> ")
        self.paras(text)
        sources = self.sources(scene)
        if sources:
            self.line("*Sources:*")
            self.line()
            for n, s in enumerate(sources, 1):
                kind = link_kind(s)
                self.line(f"{n}. {md_escape(cite(s))}" + (f" — {md_escape(kind)}: {_md_url(s.url)}" if kind and s.url else ""))
            self.line()
        if scene.note:
            self.line(f"*Note:* {md_escape(unwrap(scene.note))}")
            self.line()

    def choice(self, text: str) -> None:
        self.line(f"> **You chose:** {md_escape(unwrap(text))}")
        self.line()

    def diverged(self, d: Divergence, recorded: int, fitted: int) -> None:
        self.line("---")
        self.line()
        self.line(f"> **Note:** {md_escape(_diverged_words(d, recorded, fitted))}")
        self.line()

    def ending(self, state: State, scene: Scene) -> None:
        e = summarize(self.story, state)
        self.line("---")
        self.line()
        self.line(f"## The end: {md_escape(e.title)}")
        self.line()
        if e.historical:
            self.line("*This is what really happened.*")
            self.line()
        self.scene(None, scene, *_told(self.story, scene, state))
        self.line("### What actually happened")
        self.line()
        self.paras(e.history)
        self.line("### The verdict")
        self.line()
        self.line(md_escape(e.score_line("this")))
        self.line()
        if e.verdict:
            self.paras(f"“{e.verdict}”", prefix="> ")
        if e.scale is not None:
            self.line(f"The {md_escape(_scale_name(e.scale))} came to rest **{md_escape(e.scale.words)}** "
                      f"({e.scale.value}/{e.scale.max}).")
            self.line()

    def in_progress(self, state: State, scene: Scene) -> None:
        self.line("---")
        self.line()
        n = state.length
        self.line(f"## The run stops here, after {n} choice{'s' if n != 1 else ''}")
        self.line()
        self.scene(None, scene, *_told(self.story, scene, state))
        scale = self.scale(state)
        if scale is not None:
            self.line(f"The {md_escape(_scale_name(scale))} stands **{md_escape(scale.words)}** "
                      f"({scale.value}/{scale.max}).")
            self.line()
