"""What each scene can still observe: the variables and visits a later condition may read.

Two states in the same scene that differ only in a variable no condition reads again (before
an effect sets it anew) play alike: every choice available in one is available in the other,
and so on to every ending. The explorer keys states by the visits live here; for variables it
uses `classes.py`, which refines this analysis (a live variable read only through thresholds
splits states only at them) and gives one class to every variable that is not live.

A backward data-flow analysis over the scene graph, as compilers compute live variables:
a scene reads what its own conditions name, and what the passages of its text, headline and
choice labels and of the outcomes of choices leading to it read (text the player sees differs
with them, so the explorer must not merge such states); a choice passes on what its target reads, minus
the variables its `set` effects overwrite (an `add` reads the old value, so it passes it on).
Gotos are followed whatever their conditions, so the answer is safe for every state.
"""

from __future__ import annotations

from typing import Iterable, Mapping

from game.engine.rules import Condition
from game.engine.story import Scene, Story
from game.engine.text import Template
from game.records import record


@record
class Liveness:
    """Per scene: which variables (by index in `story.var_names`) and which `seen()` visits
    a condition met from there on can read."""

    vars: Mapping[str, tuple[int, ...]]
    seen: Mapping[str, frozenset[str]]


def scene_conditions(scene: Scene) -> Iterable[Condition]:
    """Every condition evaluated while the player is in `scene`."""
    for choice in scene.choices:
        if choice.condition is not None:
            yield choice.condition


def scene_texts(scene: Scene) -> Iterable[Template]:
    """Every text rendered while the player is in `scene`, except outcomes (read in the target)."""
    yield scene.body
    yield scene.news
    for choice in scene.choices:
        yield choice.label


def liveness(story: Story) -> Liveness:
    """The live variables and visits of every scene, as a fixed point of the flow equations."""
    index = {name: i for i, name in enumerate(story.var_names)}
    reads: dict[str, int] = {}
    seen_reads: dict[str, frozenset[str]] = {}
    # per choice: (target, bits its `set` effects overwrite)
    edges: dict[str, list[tuple[str, int]]] = {}
    outcome_reads: dict[str, list[Template]] = {}
    for scene in story.scenes.values():
        for choice in scene.choices:
            if choice.outcome is not None and choice.outcome.plain is None:
                outcome_reads.setdefault(choice.goto, []).append(choice.outcome)
    for sid, scene in story.scenes.items():
        bits = 0
        seen: set[str] = set()
        for condition in scene_conditions(scene):
            for name in condition.names:
                bits |= 1 << index[name]
            seen |= condition.seen_ids
        for text in (*scene_texts(scene), *outcome_reads.get(sid, ())):
            for name in text.names:
                bits |= 1 << index[name]
            seen |= text.seen_ids
        reads[sid] = bits
        seen_reads[sid] = frozenset(seen)
        out = []
        for choice in scene.choices:
            if choice.goto in story.scenes:
                kill = 0
                for effect in choice.effects:
                    if effect.op == "set":
                        kill |= 1 << index[effect.var]
                out.append((choice.goto, kill))
        edges[sid] = out

    live = dict(reads)
    live_seen = {sid: set(s) for sid, s in seen_reads.items()}
    changed = True
    while changed:
        changed = False
        for sid in story.scenes:
            bits = live[sid]
            flags = live_seen[sid]
            grew = False
            for target, kill in edges[sid]:
                bits |= live[target] & ~kill
                before = len(flags)
                flags |= live_seen[target]
                grew = grew or len(flags) != before
            if bits != live[sid] or grew:
                live[sid] = bits
                changed = True
    return Liveness(
        vars={sid: tuple(i for i in range(len(story.var_names)) if bits >> i & 1) for sid, bits in live.items()},
        seen={sid: frozenset(flags) for sid, flags in live_seen.items()},
    )
