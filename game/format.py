"""Words and numbers every front end shows the same way: clock, provenance, meters.

Plain strings only — no Rich, no Textual — so plain mode, transcripts and the app agree.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Sequence

from game.paragraphs import cells, wrap

if TYPE_CHECKING:  # the widgets import this module; keep pydantic off their import path
    from game.engine.state import Meter, View
    from game.engine.story import Source

PROVENANCE = {
    "documented": "Documented",
    "reported": "Reported",
    "counterfactual": "What if",
}
PROVENANCE_HELP = {
    "documented": "official statements, posts, letters or testimony",
    "reported": "journalism resting on anonymous sources, attributed to its outlet",
    "counterfactual": "our invention: this did not happen",
}


def outcome_text(v: "View") -> str:
    """The outcome a front end shows, labelled a what-if when the choice left the documented path.

    The outcome is read under the next scene's badge; without the label a documented scene would
    seem to vouch for something we invented.
    """
    if not v.outcome or v.outcome_recorded:
        return v.outcome
    return f"{PROVENANCE['counterfactual']}: {v.outcome}"


def clock(at: dt.datetime) -> str:
    """'Fri 17 Nov, 12:00 PT' — the in-game clock, always Pacific as the story writes it."""
    return f"{at:%a} {at.day} {at:%b}, {at:%H:%M} PT"


def long_clock(at: dt.datetime) -> str:
    return f"{at:%A} {at.day} {at:%B} {at.year}, {at:%H:%M} PT"


def cite(source: Source) -> str:
    """'The New York Times, Cade Metz, “Title” (09 Dec 2023)': enough to find it without a link.

    A described title (no confirmed headline) goes without quotation marks, so a reader never
    searches for words that were never a headline.
    """
    author = f"{source.author}, " if source.author else ""
    title = source.title if source.described else f"“{source.title}”"
    return f"{source.outlet}, {author}{title} ({source.date:%d %b %Y})"


def link_kind(source: Source) -> str:
    """Whose page the link leads to, so a reader never takes a copy for the publisher's own.

    Empty when there is no link: outlet, author, title and date are then the way to find it.
    """
    if not source.url:
        return ""
    if source.read_at:
        return f"a copy, read at {source.read_at}"
    return "the publisher's page"


def citation_lines(source: Source) -> list[str]:
    """The citation as every front end lays it out: what it is, then whose page the link is.

    The link gets a line of its own so it is never wrapped, and stays clickable and copyable.
    """
    kind = link_kind(source)
    return [cite(source)] + ([f"{kind}: {source.url}"] if kind else [])


def citation(source: Source) -> str:
    """The citation on one line, for places that list sources inline."""
    return " — ".join(citation_lines(source))


def source_list(sources: Sequence[Source], width: int) -> list[str]:
    """'Sources:' and a numbered entry per source, wrapped to `width` except the links."""
    lines = ["Sources:"]
    for n, source in enumerate(sources, 1):
        head, *link = citation_lines(source)
        lines += wrap(f"{n}. {head}", width, initial_indent="  ", subsequent_indent="     ")
        lines += [f"     {line}" for line in link]
    return lines


GENERIC_SCALE_WORDS = ("tipped hard toward the low end", "leaning toward the low end", "level",
                       "leaning toward the high end", "tipped hard toward the high end")
"""For a scale whose story gives no `words`: where it rests, low end to high end."""


def scale_words(value: int, low: int, high: int, words: Sequence[str] = ()) -> str:
    """Where a scale rests, in the story's five words for it (see `Var.words`)."""
    names = tuple(words) if len(words) == 5 else GENERIC_SCALE_WORDS
    mid = (low + high) / 2
    span = (high - low) / 2 or 1
    tilt = (value - mid) / span
    if tilt <= -0.6:
        return names[0]
    if tilt < -0.1:
        return names[1]
    if tilt <= 0.1:
        return names[2]
    if tilt < 0.6:
        return names[3]
    return names[4]


def meter_words(meter: Meter) -> str:
    """One meter as plain words: 'Staff loyalty 5/10', 'Letter signed: no', 'Safety ⟷ Profit 6/10 (leaning toward profit)'."""
    if meter.display == "bool":
        return f"{meter.label}: {'yes' if meter.value else 'no'}"
    if meter.display == "scale":
        return f"{meter.label} {meter.value}/{meter.max} ({scale_words(int(meter.value), meter.min, meter.max, meter.words)})"
    return f"{meter.label} {meter.value}/{meter.max}"


def meters_line(meters: Sequence[Meter]) -> str:
    """Every meter on one line: plain mode's status line and the app's narrow-terminal summary."""
    return " · ".join(meter_words(m) for m in meters)


def meter_short_words(meter: Meter) -> str:
    """One meter in a few cells, for the narrow terminal's summary: 'Loyalty 5/10', 'Written case: no'."""
    short = meter.short or meter.label
    if meter.display == "bool":
        return f"{short}: {'yes' if meter.value else 'no'}"
    return f"{short} {meter.value}/{meter.max}"


def packed(items: Sequence[str], width: int, sep: str = " · ") -> list[str]:
    """`items` joined by `sep` into lines of at most `width` cells, never breaking inside an item.

    An item wider than `width` gets a line of its own (the widget showing it cuts it there).
    """
    lines: list[str] = []
    for item in items:
        if lines and cells(lines[-1] + sep + item) <= width:
            lines[-1] += sep + item
        else:
            lines.append(item)
    return lines
