"""The compiled story: small immutable objects the engine plays.

Built once by `load.py` from validated models; nothing here reads files or validates.
Every front end shares one `Story` and never mutates it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import field
from types import MappingProxyType
from typing import Literal, Mapping, Optional, Union

from game.engine.rules import Condition
from game.engine.text import Template, plain_template
from game.records import record

Value = Union[int, bool]
VarType = Literal["int", "bool"]
Display = Literal["meter", "scale"]
Provenance = Literal["documented", "reported", "counterfactual"]


@record
class Var:
    name: str
    label: str
    description: str
    type: VarType
    min: int
    max: int
    start: Value
    show: bool
    display: Display
    file: str = ""
    side: str = ""
    """A side's own variable: shown only to that side. Empty: shown to every side."""
    words: tuple[str, ...] = ()
    """A scale's five words for where it rests (low end to high end); empty for the generic ones."""
    meaning: tuple[tuple[str, str], ...] = ()
    """(side id, what the meter means on that side), as the story wrote them."""
    short: str = ""
    """The label in a narrow terminal's one-line summary of the meters; empty: the label."""

    def meaning_for(self, side: str) -> str:
        return dict(self.meaning).get(side, "")

    def clamp(self, value: Value) -> Value:
        if self.type == "bool":
            return bool(value)
        return max(self.min, min(self.max, int(value)))


@record
class Source:
    id: str
    outlet: str
    title: str
    date: dt.date
    url: Optional[str]
    note: str
    file: str = ""
    author: str = ""
    read_at: Optional[str] = None
    """The partner whose copy `url` is; None when `url` is the publisher's own page."""
    described: bool = False
    """`title` describes the item rather than quoting its headline."""


@record
class Partner:
    """A syndication partner: a site whose copies of `carries`' stories a source may link."""

    name: str
    domains: tuple[str, ...]
    carries: tuple[str, ...]
    file: str = ""


@record(slots=True)
class Effect:
    """One change to one variable: `add` a delta or `set` a value; the result clamps."""

    var: str
    op: str  # "add" | "set"
    value: Value


@record(slots=True)
class Choice:
    id: str
    text: str
    goto: str
    condition: Optional[Condition]
    locked: Optional[str]
    hidden: bool
    effects: tuple[Effect, ...]
    file: str = ""
    """The file that defines the choice: the scene's own, or one that extends it."""
    key: tuple[Union[str, int], ...] = ()
    """Where in `file`: ('scene', id, 'choice', i) or ('extend', id, 'choice', i)."""
    label: Template = field(default=plain_template(""))
    """`text` compiled: the label as the player reads it in a given state."""
    outcome: Optional[Template] = None
    """What the player reads first in the scene this choice leads to, after its effects."""


@record(slots=True)
class Ending:
    title: str
    history: str
    critic: str
    score: float
    historical: bool


@record(slots=True)
class Scene:
    id: str
    side: str
    at: dt.datetime
    title: str
    provenance: Provenance
    sources: tuple[str, ...]
    text: str
    note: str
    headline: str
    choices: tuple[Choice, ...]
    ending: Optional[Ending]
    file: str
    body: Template = field(default=plain_template(""))
    """`text` compiled: what the player reads in a given state."""
    news: Template = field(default=plain_template(""))
    """`headline` compiled."""

    @property
    def is_ending(self) -> bool:
        return self.ending is not None

    def choice(self, choice_id: str) -> Optional[Choice]:
        for c in self.choices:
            if c.id == choice_id:
                return c
        return None

    @property
    def varies(self) -> bool:
        """Whether the scene's own text can differ between two arrivals: it holds passages."""
        return self.body.passages > 0

    @property
    def paragraphs(self) -> tuple[str, ...]:
        return tuple(p.strip() for p in self.text.strip().split("\n\n") if p.strip())


@record
class Side:
    id: str
    name: str
    role: str
    start: str
    blurb: str
    stakes: str
    start_values: Mapping[str, Value]
    file: str = ""


@record
class Story:
    id: str
    title: str
    subtitle: str
    begins: dt.datetime
    ends: dt.datetime
    critic: str
    sides: Mapping[str, Side]
    vars: Mapping[str, Var]
    sources: Mapping[str, Source]
    scenes: Mapping[str, Scene]
    history: Mapping[str, tuple[str, ...]]
    fingerprint: str
    root: str
    var_names: tuple[str, ...] = field(default=())
    observed_seen: frozenset[str] = field(default=frozenset())
    """Scene ids some `seen()` condition reads: the only visits a state must remember."""
    real_score: Optional[float] = None
    """The critic's score for what really happened, shown beside every ending's; None: not shown."""
    outlets: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Each listed outlet's own web domains: a link there is the publisher's page."""
    outlet_files: Mapping[str, str] = field(default_factory=dict)
    partners: Mapping[str, Partner] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in ("sides", "vars", "sources", "scenes", "history", "outlets", "outlet_files", "partners"):
            value = getattr(self, name)
            if not isinstance(value, MappingProxyType):
                object.__setattr__(self, name, MappingProxyType(dict(value)))

    @property
    def endings(self) -> dict[str, Scene]:
        return {sid: s for sid, s in self.scenes.items() if s.ending is not None}
