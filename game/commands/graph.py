"""`boardroom graph`: the story as a graph, in Graphviz DOT or in Mermaid.

Scenes are coloured by provenance (documented, reported, what-if), endings drawn with a
double border and the historical one starred, each side's start marked, and every edge
labelled with the condition that guards it. `--side S` keeps only what S's start can reach.

Mermaid output is meant to render on GitHub: labels are quoted and every character Mermaid
would read as syntax is written as an entity code, and node ids are short and never keywords.
Both formats draw one edge per choice, so two choices between the same scenes, one of them
locked behind a condition, stay two arrows. GitHub refuses Mermaid diagrams with 500 edges or
more, or longer than 50,000 characters (we warn when a graph is that big): draw one side
(`--side`) or the neighbourhood of one scene (`--around SCENE --depth N`) instead.
"""

from __future__ import annotations

import argparse
import sys
import unicodedata
from pathlib import Path
from typing import Optional

from game.commands.shared import load_or_report
from game.engine import Story
from game.engine.lint import reachable_scenes
from game.engine.story import Scene
from game.format import PROVENANCE, clock
from game.records import record

# provenance -> (fill, border); dark text on light fills reads in GitHub's light and dark themes
COLOURS = {
    "documented": ("#dbeafe", "#1e40af"),
    "reported": ("#fef3c7", "#b45309"),
    "counterfactual": ("#ede9fe", "#6d28d9"),
}
MERMAID_MAX_EDGES = 500
MERMAID_MAX_TEXT = 50_000


@record
class Edge:
    source: str
    target: str
    choice: str
    text: str
    condition: Optional[str]


@record
class View:
    """What to draw: one side or all, optionally only the scenes near one, and which way."""

    side: Optional[str] = None
    around: Optional[str] = None
    depth: int = 2
    layout: str = "lr"  # lr | tb


def neighbourhood(story: Story, centre: str, depth: int) -> set[str]:
    """Scenes at most `depth` choices away from `centre`, following choices either way."""
    near: dict[str, set[str]] = {}
    for s in story.scenes.values():
        for c in s.choices:
            near.setdefault(s.id, set()).add(c.goto)
            near.setdefault(c.goto, set()).add(s.id)
    found = {centre}
    frontier = {centre}
    for _ in range(depth):
        frontier = {n for sid in frontier for n in near.get(sid, ())} - found
        found |= frontier
    return found


def select(story: Story, side: Optional[str], view: Optional[View] = None) -> list[Scene]:
    """The scenes to draw in the order of the in-game clock: all, those `side`'s start can
    reach, and of those only the neighbourhood of `view.around` when given."""
    scenes = sorted(story.scenes.values(), key=lambda s: (s.at, s.id))
    if side is not None:
        keep = reachable_scenes(story, [story.sides[side].start])
        scenes = [s for s in scenes if s.id in keep]
    if view is not None and view.around is not None:
        near = neighbourhood(story, view.around, view.depth)
        scenes = [s for s in scenes if s.id in near]
    return scenes


def ending_label(s: Scene) -> tuple[str, str]:
    """An ending's heading and its scene's title, the title left out when it only repeats the ending's."""
    assert s.ending is not None
    star = "★ " if s.ending.historical else ""
    same = s.title.strip().casefold() == s.ending.title.strip().casefold()
    return f"{star}ENDING: {s.ending.title}", "" if same else s.title


def edges(scenes: list[Scene]) -> list[Edge]:
    ids = {s.id for s in scenes}
    return [Edge(s.id, c.goto, c.id, c.text, c.condition.text if c.condition else None)
            for s in scenes for c in s.choices if c.goto in ids]


def starts(story: Story, scenes: list[Scene], side: Optional[str]) -> dict[str, list[str]]:
    """Scene id -> names of the sides that start there."""
    ids = {s.id for s in scenes}
    out: dict[str, list[str]] = {}
    for sid, s in story.sides.items():
        if (side is None or sid == side) and s.start in ids:
            out.setdefault(s.start, []).append(s.name)
    return out


def groups(story: Story, scenes: list[Scene]) -> dict[str, list[Scene]]:
    """Scenes by the side they belong to, sides in story order."""
    out: dict[str, list[Scene]] = {sid: [] for sid in story.sides}
    for s in scenes:
        out.setdefault(s.side, []).append(s)
    return {k: v for k, v in out.items() if v}


def side_name(story: Story, side: str) -> str:
    s = story.sides.get(side)
    return s.name if s else side


# ----------------------------------------------------------------------------- DOT


def dot_quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def to_dot(story: Story, side: Optional[str] = None, view: Optional[View] = None) -> str:
    view = view or View(side)
    scenes = select(story, side, view)
    first = starts(story, scenes, side)
    title = story.title + (f" — {side_name(story, side)}" if side else "") + \
        (f" — around {view.around}, {view.depth} choice{'s' if view.depth != 1 else ''} away" if view.around else "")
    out = [
        f"digraph {dot_quote(story.id)} {{",
        f"  graph [rankdir={view.layout.upper()}, fontname=\"Helvetica\", labelloc=t, label={dot_quote(title)}];",
        '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=10];',
        '  edge [fontname="Helvetica", fontsize=9, color="#555555"];',
    ]
    for group, members in groups(story, scenes).items():
        out.append(f"  subgraph {dot_quote('cluster_' + group)} {{")
        out.append(f"    label={dot_quote(side_name(story, group))}; style=dashed; color=\"#999999\";")
        for s in members:
            fill, border = COLOURS[s.provenance]
            label = f"{s.title}\n{s.id}\n{clock(s.at)} · {PROVENANCE[s.provenance]}"
            attrs = [f"label={dot_quote(label)}", f'fillcolor="{fill}"', f'color="{border}"',
                     f"tooltip={dot_quote(s.title)}"]
            if s.ending is not None:
                heading, title = ending_label(s)
                rest = f"{s.id}\n{clock(s.at)} · {PROVENANCE[s.provenance]}"
                attrs[0] = f"label={dot_quote(chr(10).join(x for x in (heading, title, rest) if x))}"
                attrs += ["peripheries=2", "penwidth=2"]
            if s.id == view.around:
                attrs.append("penwidth=4")
            out.append(f"    {dot_quote(s.id)} [{', '.join(attrs)}];")
        out.append("  }")
    for n, (sid, names) in enumerate(first.items()):
        out.append(f"  {dot_quote(f'start {n}')} [shape=plaintext, style=\"\", label={dot_quote('start: ' + ', '.join(names))}];")
        out.append(f"  {dot_quote(f'start {n}')} -> {dot_quote(sid)} [penwidth=2];")
    for e in edges(scenes):
        attrs = [f"tooltip={dot_quote(e.choice + ': ' + e.text)}"]
        if e.condition:
            attrs += [f"label={dot_quote(e.condition)}", "style=dashed"]
        out.append(f"  {dot_quote(e.source)} -> {dot_quote(e.target)} [{', '.join(attrs)}];")
    out.append("  subgraph cluster_key {")
    out.append('    label="Key"; style=dashed; color="#999999";')
    for prov, (fill, border) in COLOURS.items():
        out.append(f"    {dot_quote('key ' + prov)} [label={dot_quote(PROVENANCE[prov])}, fillcolor=\"{fill}\", color=\"{border}\"];")
    out.append('    "key ending" [label="Ending (★ what happened)", fillcolor="#ffffff", peripheries=2, penwidth=2];')
    out.append('    "key locked" [label="dashed arrow: a condition guards the choice", shape=plaintext, style=""];')
    out.append("  }")
    out.append("}")
    return "\n".join(out) + "\n"


# ----------------------------------------------------------------------------- Mermaid

_MERMAID_ENTITIES = {
    "#": "#35;",  # first: every escape below starts with '#'
    '"': "#quot;",
    "<": "#lt;",
    ">": "#gt;",
    "&": "#amp;",
    "|": "#124;",
    "`": "#96;",
    "[": "#91;",
    "]": "#93;",
    "{": "#123;",
    "}": "#125;",
}


def mermaid_text(text: str) -> str:
    """Text safe inside a quoted Mermaid label: entity codes for anything Mermaid could parse,
    line breaks as <br/>."""
    lines = text.splitlines() or [""]
    if len(lines) > 1:
        lines = [line.strip() for line in lines]
    return "<br/>".join("".join(_entity(ch) for ch in line) for line in lines)


def _entity(ch: str) -> str:
    if ch in _MERMAID_ENTITIES:
        return _MERMAID_ENTITIES[ch]
    return " " if unicodedata.category(ch) == "Cc" else ch


def to_mermaid(story: Story, side: Optional[str] = None, view: Optional[View] = None) -> tuple[str, int]:
    """The Mermaid flowchart and the number of edges in it."""
    view = view or View(side)
    scenes = select(story, side, view)
    ids = {s.id: f"n{i}" for i, s in enumerate(scenes)}
    first = starts(story, scenes, side)
    out = [f"flowchart {view.layout.upper()}"]
    for prov, (fill, border) in COLOURS.items():
        out.append(f"  classDef {prov} fill:{fill},stroke:{border},color:#111111")
    out.append("  classDef ending stroke-width:4px")
    out.append("  classDef centre stroke-width:6px")
    out.append("  classDef start fill:#ffffff,stroke:#111111,color:#111111")
    by_class: dict[str, list[str]] = {p: [] for p in COLOURS}
    by_class["ending"] = []
    for g, (group, members) in enumerate(groups(story, scenes).items()):
        out.append(f'  subgraph side{g}["{mermaid_text(side_name(story, group))}"]')
        for s in members:
            label = f"{mermaid_text(s.title)}<br/>{mermaid_text(s.id)} · {mermaid_text(clock(s.at))}"
            if s.ending is not None:
                heading, title = ending_label(s)
                label = "<br/>".join(mermaid_text(x) for x in (heading, title) if x) + \
                    f"<br/>{mermaid_text(s.id)} · {mermaid_text(clock(s.at))}"
                out.append(f'    {ids[s.id]}(["{label}"])')
                by_class["ending"].append(ids[s.id])
            else:
                out.append(f'    {ids[s.id]}["{label}"]')
            by_class[s.provenance].append(ids[s.id])
        out.append("  end")
    count = 0
    for n, (sid, names) in enumerate(first.items()):
        out.append(f'  start{n}(("start: {mermaid_text(", ".join(names))}")) ==> {ids[sid]}')
        out.append(f"  class start{n} start")
        count += 1
    for e in edges(scenes):
        count += 1
        if e.condition is None:
            out.append(f"  {ids[e.source]} --> {ids[e.target]}")
        else:
            out.append(f'  {ids[e.source]} -.->|"{mermaid_text(e.condition)}"| {ids[e.target]}')
    if view.around in ids:
        by_class["centre"] = [ids[view.around]]
    for cls, nodes in by_class.items():
        if nodes:
            out.append(f"  class {','.join(nodes)} {cls}")
    return "\n".join(out) + "\n", count


# ----------------------------------------------------------------------------- command


def fail(message: str, code: int = 2) -> int:
    print(f"boardroom graph: error: {message}", file=sys.stderr)
    return code


def main(args: argparse.Namespace) -> int:
    story = load_or_report(args.story, "boardroom graph")
    if story is None:
        return 1
    if args.side is not None and args.side not in story.sides:
        return fail(f"unknown side {args.side!r} (this story's sides: {', '.join(story.sides)})")
    around = getattr(args, "around", None)
    if around is not None and around not in story.scenes:
        from game.engine.rules import did_you_mean

        return fail(f"unknown scene {around!r}{did_you_mean(around, story.scenes)}")
    depth = getattr(args, "depth", 2)
    if depth < 0:
        return fail(f"--depth must be 0 or more, not {depth}")
    view = View(args.side, around, depth, getattr(args, "layout", "lr"))
    if args.format == "dot":
        text = to_dot(story, args.side, view)
    else:
        text, count = to_mermaid(story, args.side, view)
        if count >= MERMAID_MAX_EDGES or len(text) >= MERMAID_MAX_TEXT:
            hint = "" if args.side or around else "; draw one side at a time with --side, or --around SCENE"
            print(f"boardroom graph: warning: {count} edges and {len(text):,} characters: GitHub renders Mermaid "
                  f"diagrams only below {MERMAID_MAX_EDGES} edges and {MERMAID_MAX_TEXT:,} characters{hint}",
                  file=sys.stderr)
        if args.output and Path(args.output).suffix.lower() in (".md", ".markdown"):
            text = f"```mermaid\n{text}```\n"
    if not args.output:
        sys.stdout.write(text)
        return 0
    from game.confine import write_output

    try:
        write_output(args.output, text)
    except OSError as exc:
        return fail(f"cannot write {args.output!r}: {exc.strerror or exc}", 1)
    print(f"wrote {args.output}", file=sys.stderr)
    return 0
