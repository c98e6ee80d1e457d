"""The story format as pydantic models: what a story file may contain, key by key.

These models only validate shapes and types. Cross-references (gotos, sources, conditions,
ranges) are checked by `load.py` once every file is merged, because they span files.
The JSON Schema that editors use (`story/schema.json`) is generated from `StoryFile`.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field

DOMAIN_PATTERN = r"^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$"
Domain = Annotated[str, Field(pattern=DOMAIN_PATTERN)]
from game.engine.limits import ID_PATTERN, MAX_ID_CHARS, VAR_PATTERN

# Ids are checked by the loader (E117), which names the rule; the schema carries the same
# pattern so an editor flags a bad id as it is typed.
_ID: dict[str, Any] = {"pattern": ID_PATTERN, "maxLength": MAX_ID_CHARS}
_IDS: dict[str, Any] = {"propertyNames": _ID}


class _Strict(BaseModel):
    # strict: a quoted number or boolean (`start = "5"`, `hidden = "no"`) is an error, as the
    # schema and Taplo say, never silently coerced
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class StoryMeta(_Strict):
    """The `[story]` table: one per story."""

    id: str = Field(description="Stable id of the story; runs record it.", json_schema_extra=_ID)
    title: str = Field(min_length=1, description="Shown on the title screen.")
    subtitle: str = Field("", description="A line under the title.")
    begins: dt.datetime = Field(description="Start of the in-game clock's window.")
    ends: dt.datetime = Field(description="End of the in-game clock's window.")
    critic: str = Field("", description="One line introducing the critic who scores each ending.")
    real_score: Optional[float] = Field(None, ge=0, le=10, description="The critic's score for what really happened; "
                                        "every ending's score is shown next to it.")


class SideModel(_Strict):
    """A `[side.<id>]` table: a person the player can be."""

    name: str = Field(min_length=1)
    role: str = Field("", description="Who the person is, in a few words.")
    start: str = Field(description="Id of the scene this side begins in.")
    blurb: str = Field("", description="Shown when choosing a side.")
    stakes: str = Field("", description="What is at stake, shown when choosing a side.")
    set: dict[str, Union[bool, int]] = Field(default_factory=dict, description="Start values that differ from the variables' own.")


class VarModel(_Strict):
    """A `[var.<name>]` table: a typed, bounded variable."""

    label: str = Field(min_length=1, description="Shown in the sidebar.")
    short: str = Field("", description="A shorter label, one or two words, for terminals too narrow for the sidebar, "
                       "where every meter shares the line above the choices; the label when empty.")
    description: str = Field("", description="What the variable measures, shown when the player asks about the meter.")
    meaning: dict[str, str] = Field(default_factory=dict, description="Per side id: what the meter means for that side, what moves it and why it matters.")
    type: Literal["int", "bool"] = "int"
    min: int = 0
    max: int = 10
    start: Union[bool, int] = 0
    show: bool = Field(True, description="Whether the sidebar shows it.")
    display: Literal["meter", "scale"] = Field("meter", description="'scale' draws a balance that tips.")
    words: Optional[list[str]] = Field(None, min_length=5, max_length=5, description="For a scale: five words for where "
                                       "it rests, from tipped hard to the low end, through level, to tipped hard to the high end.")
    side: Optional[str] = Field(None, description="Shown only on this side's sidebar: a side's own variable.")


class SourceModel(_Strict):
    """A `[source.<id>]` table: where a documented or reported scene comes from.

    A reader checks a scene by finding its source, so the citation carries what finds it
    without a link (outlet, author, title, date), and a link says whose page it leads to.
    """

    outlet: str = Field(min_length=1, description="The original outlet, e.g. The New York Times, as listed in [outlet].")
    author: str = Field("", description="Who wrote it, where known, e.g. 'Cade Metz and others'.")
    title: str = Field(min_length=1, description="The real headline, as confirmed; with described = true, a description.")
    described: bool = Field(False, description="The title describes the item (a post, a memo, a report whose headline "
                                               "is not confirmed) and is shown without quotation marks.")
    date: dt.date
    url: Optional[str] = Field(None, description="The article at its publisher, or with read_at a partner's copy. "
                                                 "Leave out unless the address is confirmed.")
    read_at: Optional[str] = Field(None, description="The syndication partner whose copy url links to, as named in "
                                                     "[partner]; shown as 'a copy, read at <name>'.")
    note: str = ""


class OutletModel(_Strict):
    """An `[outlet."<name>"]` table: the web domains that are the outlet's own.

    A source's link at one of these is the publisher's page; anywhere else it must be a
    labelled copy at a listed partner (warnings W120 and W121).
    """

    domains: list[Domain] = Field(min_length=1, description="Host names, e.g. 'nytimes.com'; subdomains match too.")


class PartnerModel(_Strict):
    """A `[partner."<name>"]` table: a reputable site that carries other outlets' stories."""

    domains: list[Domain] = Field(min_length=1, description="Host names of the partner's copies, e.g. 'finance.yahoo.com'.")
    carries: list[str] = Field(min_length=1, description="Outlets whose stories it runs under agreement, as named in [outlet].")


class ChoiceModel(_Strict):
    """One `[[scene."<id>".choice]]`."""

    id: str = Field(description="Stable within the scene; runs record it.", json_schema_extra=_ID)
    text: str = Field(min_length=1)
    goto: str = Field(description="Id of the scene this choice leads to.")
    if_: Optional[str] = Field(None, alias="if", description="Condition; the choice is locked unless it holds.")
    locked: Optional[str] = Field(None, description="Reason shown while the choice is locked.")
    hidden: bool = Field(False, description="Hide the choice, rather than dim it, while locked.")
    add: dict[str, int] = Field(default_factory=dict, description="Amounts added to int variables; results clamp.")
    set: dict[str, Union[bool, int]] = Field(default_factory=dict, description="Values assigned to variables.")
    outcome: Optional[str] = Field(
        None, min_length=1,
        description="What the player reads first in the scene this choice leads to, after its effects; may hold passages.")

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, strict=True)


class EndingModel(_Strict):
    """`[scene."<id>".ending]`: makes the scene an ending. The scene's text is the epilogue."""

    title: str = Field(min_length=1)
    history: str = Field(min_length=1, description="What actually happened.")
    critic: str = Field("", description="The critic's verdict on this version.")
    score: float = Field(ge=0, le=10, description="The critic's score out of 10.")
    historical: bool = Field(False, description="This is the ending that happened.")


class SceneModel(_Strict):
    """A `[scene."<id>"]` table."""

    side: str
    at: dt.datetime = Field(description="In-game time, with its UTC offset (Pacific).")
    title: str = Field(min_length=1)
    provenance: Literal["documented", "reported", "counterfactual"]
    sources: list[str] = Field(default_factory=list)
    text: str = Field(min_length=1)
    note: str = Field("", description="Historical note: disputes, attributions.")
    headline: str = Field("", description="A line for the crisis ticker.")
    choice: list[ChoiceModel] = Field(default_factory=list)
    ending: Optional[EndingModel] = None


class ExtendModel(_Strict):
    """`[[extend."<scene id>".choice]]`: choices added to a scene that another file defines.

    A scene's table lives whole in one file; a branch in its own file hooks onto it by
    extending it, so adding a branch never means editing someone else's file.
    """

    choice: list[ChoiceModel] = Field(min_length=1, description="Choices appended, after the scene's own.")


class HistoryModel(_Strict):
    """`[history.<side>]`: the documented path, as choice ids from the side's start."""

    choices: list[str]


class StoryFile(_Strict):
    """One story file. Every table is optional in a single file; the merged story needs them all."""

    story: Optional[StoryMeta] = Field(None, description="The story's metadata, once, in story.toml.")
    side: dict[str, SideModel] = Field(default_factory=dict, description="The people a player can be, by side id.",
                                           json_schema_extra=_IDS)
    var: dict[str, VarModel] = Field(default_factory=dict, description="Typed, bounded variables, by name.",
                                           json_schema_extra={"propertyNames": {"pattern": VAR_PATTERN}})
    source: dict[str, SourceModel] = Field(default_factory=dict, description="Sources that scenes cite, by id.",
                                           json_schema_extra=_IDS)
    outlet: dict[str, OutletModel] = Field(default_factory=dict, description="Outlets' own web domains, by outlet name.")
    partner: dict[str, PartnerModel] = Field(default_factory=dict, description="Syndication partners, by name.")
    scene: dict[str, SceneModel] = Field(default_factory=dict, description="Scenes, by id, e.g. \"altman.fri.meet\".",
                                           json_schema_extra=_IDS)
    extend: dict[str, ExtendModel] = Field(default_factory=dict, description="Choices added to scenes defined in other files.",
                                           json_schema_extra=_IDS)
    history: dict[str, HistoryModel] = Field(default_factory=dict, description="Each side's documented path, by side id.",
                                           json_schema_extra=_IDS)
