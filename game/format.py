"""Words and numbers every front end shows the same way: clock, provenance, scale.

Plain strings only — no Rich, no Textual — so plain mode, transcripts and the app agree.
"""

from __future__ import annotations

import datetime as dt

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


def clock(at: dt.datetime) -> str:
    """'Fri 17 Nov, 12:00 PT' — the in-game clock, always Pacific as the story writes it."""
    return f"{at:%a} {at.day} {at:%b}, {at:%H:%M} PT"


def long_clock(at: dt.datetime) -> str:
    return f"{at:%A} {at.day} {at:%B} {at.year}, {at:%H:%M} PT"


def cite(source: Source) -> str:
    return f"{source.outlet}, “{source.title}” ({source.date:%d %b %Y})"


def scale_words(value: int, low: int, high: int) -> str:
    """Where the safety-profit scale rests, in words."""
    mid = (low + high) / 2
    span = (high - low) / 2 or 1
    tilt = (value - mid) / span
    if tilt <= -0.6:
        return "tipped hard toward safety"
    if tilt < -0.1:
        return "leaning toward safety"
    if tilt <= 0.1:
        return "level"
    if tilt < 0.6:
        return "leaning toward profit"
    return "tipped hard toward profit"
