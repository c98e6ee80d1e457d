"""Which values of each variable a scene can still tell apart: the explorer's state key.

Liveness (`live.py`) drops a variable that nothing reads again. Most variables that stay live
are read only through thresholds, though: if every read of loyalty from some scene on is
`loyalty >= 7` (after whatever the choices add), two states there that differ only between 3
and 4 make the same choices available, show the same passages and reach the same endings, so
the explorer may take them as one. Per scene and per variable this module finds the coarsest
partition of the variable's range into classes that no read from there on can tell apart,
and the explorer keys a state by each value's class (its smallest member) instead of the value.

A class is an interval, so a partition is a set of cuts (a cut at c parts c - 1 from c), kept
as a bitmask over the range. Reads cut:
- an int comparison naming one variable (`loyalty >= 7`, `6 - loyalty < 2`) where its truth
  changes, computed exactly: every int expression of the language is linear;
- anything else that names a variable (two variables compared or added, a bool, a value
  printed with `{= }`) keeps every value apart.
A scene reads its choices' conditions, its text, headline and choice labels, and the outcomes
of the choices that lead to it (they are read in the state after the effects). Across a choice
its effects pull the target's cuts back: after `add d` a cut at c becomes a cut at c - d (the
clamp merges what it pushes past an end), before `set` nothing is left to tell apart. A
scene's cuts are its own reads' plus everything its choices pull back, iterated to the least
fixed point, as liveness is.

Why this is exact: at a scene, two states whose values share every class agree on every read
there, and each choice takes both to states that share every class of its target (that is
what pulling back means). By induction along any path, the same choices are available, the
same passages show and the same endings follow from both; a path found from one is a path
from the other, so the explorer's shortest paths, soft locks and traps are those of the full
state space. The explorer reports a stuck state's values by replaying its path, never from a
class. Ranges wider than `MAX_SPAN` are not split into classes: such a variable is either read
(every value apart) or not (one class), which is liveness alone.
"""

from __future__ import annotations

from collections import deque
from typing import Callable, Iterable, Mapping, Optional, Sequence

from game.engine.live import liveness, scene_conditions, scene_texts
from game.engine.rules import _COMPARE, Arith, BoolOp, Compare, Literal, Name, Neg, Node, Not
from game.engine.story import Choice, Story, Value, Var
from game.engine.text import Passage, Part, Show, Template
from game.records import record

MAX_SPAN = 1024
"""Widest range (max - min) split into classes; a mask of a wider one would be too big to keep."""

EVERY = -1
"""The mask of a wide variable that some read tells apart: every value its own class."""

Table = tuple[Value, ...]
"""Per value of a variable's range, from its min: the value a state keyed there holds."""

Tabled = tuple[tuple[int, int, Table], ...]
Computed = tuple[tuple[int, Callable[[Value], Value]], ...]
Plan = tuple[Tabled, Computed]
"""What a choice does to a key: (position, min, table) lookups, and (position, function) for wide
variables. Only positions that change appear; an empty plan leaves the values as they are."""


@record
class Classes:
    """Per scene, per variable (in `story.var_names` order): the mask of cuts (bit i set: a cut
    at min + i), or `EVERY` for a wide variable that is read."""

    cuts: Mapping[str, tuple[int, ...]]


def _span(var: Var) -> int:
    return 1 if var.type == "bool" else var.max - var.min


def _low(var: Var) -> int:
    return 0 if var.type == "bool" else var.min


def _full(var: Var) -> int:
    span = _span(var)
    return EVERY if span > MAX_SPAN else ((1 << (span + 1)) - 1) ^ 1


def _linear(node: Node, name: str) -> Optional[tuple[int, int]]:
    """`node` as a * name + b, or None when it is not an int expression of `name` alone."""
    if isinstance(node, Literal):
        return (0, node.value) if type(node.value) is int else None
    if isinstance(node, Name):
        return (1, 0) if node.name == name else None
    if isinstance(node, Neg):
        inner = _linear(node.operand, name)
        return None if inner is None else (-inner[0], -inner[1])
    if isinstance(node, Arith):
        left, right = _linear(node.left, name), _linear(node.right, name)
        if left is None or right is None:
            return None
        sign = 1 if node.op == "+" else -1
        return (left[0] + sign * right[0], left[1] + sign * right[1])
    return None


def _children(node: Node) -> Sequence[Node]:
    if isinstance(node, (Not, Neg)):
        return (node.operand,)
    if isinstance(node, BoolOp):
        return node.operands
    if isinstance(node, (Arith, Compare)):
        return (node.left, node.right)
    return ()


def _names(node: Node, out: set[str]) -> set[str]:
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, Name):
            out.add(n.name)
        stack.extend(_children(n))
    return out


def _threshold_cuts(node: Compare, var: Var) -> int:
    """The cuts of one comparison of `var` with constants: where its truth changes over the range."""
    left, right = _linear(node.left, var.name), _linear(node.right, var.name)
    if left is None or right is None:
        return _full(var)
    a, b = left[0] - right[0], left[1] - right[1]  # left OP right  <=>  a * x + b OP 0
    if a == 0:
        return 0
    holds = _COMPARE[node.op]
    q = (-b) // a  # truth can change only next to -b / a
    lo, hi = var.min, var.max
    mask = 0
    for c in range(q - 1, q + 3):
        if lo < c <= hi and holds(a * (c - 1) + b, 0) != holds(a * c + b, 0):
            mask |= 1 << (c - lo)
    return mask


def _read(node: Node, story: Story, index: Mapping[str, int], masks: list[int]) -> None:
    """Add to `masks` the cuts that evaluating `node` makes."""
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, Compare) and n.left.type == "int":
            names = _names(n, set())
            if len(names) == 1:
                (name,) = names
                var = story.vars[name]
                cuts = _full(var) if _span(var) > MAX_SPAN else _threshold_cuts(n, var)
                masks[index[name]] |= cuts
            else:
                for name in names:
                    masks[index[name]] |= _full(story.vars[name])
        elif isinstance(n, Name):
            masks[index[n.name]] |= _full(story.vars[n.name])
        else:
            stack.extend(_children(n))


def _read_text(parts: Sequence[Part], story: Story, index: Mapping[str, int], masks: list[int]) -> None:
    for part in parts:
        if isinstance(part, Show):
            _read(part.expr, story, index, masks)
        elif isinstance(part, Passage):
            for arm in part.arms:
                if arm.condition is not None:
                    _read(arm.condition.tree, story, index, masks)
                _read_text(arm.parts, story, index, masks)


def _pull(mask: int, var: Var, ops: Sequence[tuple[str, Value]]) -> int:
    """The cuts before `ops` (one variable's effects, in order) that keep `mask`'s apart after them."""
    span = _span(var)
    for op, value in reversed(ops):
        if not mask:
            return 0
        if op == "set":
            return 0
        if mask == EVERY:
            continue  # a wide variable: adding keeps it read
        if var.type != "int" or type(value) is not int:
            mask = _full(var)  # the loader refuses these; never merge what it cannot explain
        elif abs(value) > span:
            return 0
        else:
            mask = (mask >> value if value >= 0 else mask << -value) & _full(var)
    return mask


def _effects(choice: Choice, index: Mapping[str, int]) -> dict[int, list[tuple[str, Value]]]:
    out: dict[int, list[tuple[str, Value]]] = {}
    for effect in choice.effects:
        out.setdefault(index[effect.var], []).append((effect.op, effect.value))
    return out


def _postorder(story: Story) -> list[str]:
    """Scenes with what their choices lead to before them (as far as loops allow)."""
    done: set[str] = set()
    out: list[str] = []
    for root in story.scenes:
        if root in done:
            continue
        done.add(root)
        stack = [(root, iter(story.scenes[root].choices))]
        while stack:
            sid, it = stack[-1]
            for c in it:
                if c.goto in story.scenes and c.goto not in done:
                    done.add(c.goto)
                    stack.append((c.goto, iter(story.scenes[c.goto].choices)))
                    break
            else:
                stack.pop()
                out.append(sid)
    return out


def value_classes(story: Story) -> Classes:
    """The cuts of every scene, as the least fixed point of the flow equations."""
    names = story.var_names
    index = {name: i for i, name in enumerate(names)}
    variables = [story.vars[name] for name in names]
    outcomes: dict[str, list[Template]] = {}
    for scene in story.scenes.values():
        for choice in scene.choices:
            if choice.outcome is not None and choice.outcome.plain is None:
                outcomes.setdefault(choice.goto, []).append(choice.outcome)
    reads: dict[str, list[int]] = {}
    edges: dict[str, list[tuple[str, dict[int, list[tuple[str, Value]]]]]] = {}
    preds: dict[str, set[str]] = {sid: set() for sid in story.scenes}
    for sid, scene in story.scenes.items():
        masks = [0] * len(names)
        for condition in scene_conditions(scene):
            _read(condition.tree, story, index, masks)
        for text in (*scene_texts(scene), *outcomes.get(sid, ())):
            if text.plain is None:
                _read_text(text.parts, story, index, masks)
        reads[sid] = masks
        edges[sid] = [(c.goto, _effects(c, index)) for c in scene.choices if c.goto in story.scenes]
        for target, _ in edges[sid]:
            preds[target].add(sid)

    cuts = {sid: list(masks) for sid, masks in reads.items()}
    queue = deque(_postorder(story))
    queued = set(queue)
    while queue:
        sid = queue.popleft()
        queued.discard(sid)
        new = list(reads[sid])
        for target, effects in edges[sid]:
            after = cuts[target]
            for i, mask in enumerate(after):
                if mask:
                    ops = effects.get(i)
                    new[i] |= _pull(mask, variables[i], ops) if ops else mask
        if new != cuts[sid]:
            cuts[sid] = new
            for p in preds[sid]:
                if p not in queued:
                    queued.add(p)
                    queue.append(p)
    return Classes({sid: tuple(masks) for sid, masks in cuts.items()})


class StateKeys:
    """What the explorer keeps of a state: per variable, the smallest value of its class.

    `start` keys a state at a scene; `plan` says what each choice of a scene does to a key,
    effects and the target's classes in one lookup per changed variable, so the explorer never
    builds a full state for an edge.
    """

    def __init__(self, story: Story, classes: Optional[Classes] = None) -> None:
        self.story = story
        self.classes = classes if classes is not None else value_classes(story)
        self.seen = liveness(story).seen
        """Per scene: the visits a later `seen()` can read; the key forgets the others."""
        self.variables = [story.vars[name] for name in story.var_names]
        self.index = {name: i for i, name in enumerate(story.var_names)}
        self._tables: dict[tuple[int, int], Table] = {}
        self._plans: dict[str, tuple[Plan, ...]] = {}
        self._steps: dict[Table, Table] = {}

    def table(self, position: int, mask: int) -> Table:
        """Per value of the variable's range, its class's smallest value (typed as the variable)."""
        found = self._tables.get((position, mask))
        if found is None:
            var = self.variables[position]
            low = _low(var)
            out: list[Value] = []
            rep = low
            for i in range(_span(var) + 1):
                if i and mask >> i & 1:
                    rep = low + i
                out.append(var.clamp(rep))
            found = self._tables[(position, mask)] = tuple(out)
        return found

    def wide(self, position: int) -> bool:
        return _span(self.variables[position]) > MAX_SPAN

    def start(self, scene: str, values: Sequence[Value]) -> tuple[Value, ...]:
        """`values` keyed at `scene`."""
        out = list(values)
        for i, mask in enumerate(self.classes.cuts[scene]):
            var = self.variables[i]
            if self.wide(i):
                if mask == 0:
                    out[i] = var.clamp(var.min)
            else:
                out[i] = self.table(i, mask)[out[i] - _low(var)]
        return tuple(out)

    def plans(self, scene: str) -> tuple[Plan, ...]:
        """One plan per choice of `scene`, in order."""
        found = self._plans.get(scene)
        if found is None:
            found = self._plans[scene] = tuple(self._plan(scene, c) for c in self.story.scenes[scene].choices)
        return found

    def _plan(self, scene: str, choice: Choice) -> Plan:
        before = self.classes.cuts[scene]
        after = self.classes.cuts[choice.goto]
        effects = _effects(choice, self.index)
        tabled: list[tuple[int, int, Table]] = []
        computed: list[tuple[int, Callable[[Value], Value]]] = []
        for i, var in enumerate(self.variables):
            ops = effects.get(i, [])
            if self.wide(i):
                fn = _wide_step(var, ops, after[i] != 0)
                if fn is not None and (ops or before[i] != 0):
                    computed.append((i, fn))
                continue
            if not ops and after[i] == before[i]:
                continue  # the same classes on both sides, and nothing moves the value
            low = _low(var)
            target = self.table(i, after[i])
            step = tuple(target[_apply(var, ops, x) - low] for x in self.table(i, _full(var))) if ops else target
            # keys at `scene` hold only its classes' smallest values: the choice changes the key
            # if it moves one of them
            reps = self.table(i, before[i])
            if any(step[k] != r or type(step[k]) is not type(r) for k, r in enumerate(reps) if reps[k] == low + k):
                tabled.append((i, low, self._steps.setdefault(step, step)))
        return tuple(tabled), tuple(computed)


def _apply(var: Var, ops: Iterable[tuple[str, Value]], value: Value) -> Value:
    """`value` after one variable's effects, exactly as `choose` computes it."""
    for op, amount in ops:
        value = var.clamp(value + amount if op == "add" else amount)
    return value


def _wide_step(var: Var, ops: Sequence[tuple[str, Value]], read: bool) -> Optional[Callable[[Value], Value]]:
    """A wide variable across a choice: its effects if the target reads it, else its one class."""
    if not read:
        rep = var.clamp(var.min)
        return lambda _v: rep
    if not ops:
        return None
    return lambda v: _apply(var, ops, v)
