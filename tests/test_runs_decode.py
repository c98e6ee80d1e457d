"""Reading the run files the game writes without pydantic, and giving exactly what the schema gives.

`decode_run` reads by hand the files spelled as the game writes them, so loading a save does
not import pydantic; anything else goes to `game.runs.schema`, which reads it or says why not.
The hand-written reader may decline a file the schema reads, but whatever it reads, the schema
must read too, to the same run.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from game.engine import choose, load_story, new_state
from game.runs import dumps, run_from_state
from game.runs.model import decode_run, format_time
from game.runs.schema import ValidationError, validate_run

EXAMPLE = Path(__file__).parent / "fixtures" / "example"
_STORY = load_story(EXAMPLE)
_RUN = json.loads(dumps(run_from_state(_STORY, choose(_STORY, new_state(_STORY, "alpha"), "rally"), label="mine")))


def _agrees(data: dict[str, Any]) -> None:
    fast = decode_run(data)
    try:
        slow = validate_run(data)
    except ValidationError:
        assert fast is None, f"read by hand but refused by the schema: {data!r}"
        return
    if fast is not None:
        assert fast == slow
        assert dumps(fast) == dumps(slow)


_ZONES = st.sampled_from([dt.timezone.utc, dt.timezone(dt.timedelta(hours=-8)), dt.timezone(dt.timedelta(hours=5, minutes=30)),
                          dt.timezone(dt.timedelta(hours=-23, minutes=-59)), dt.timezone(dt.timedelta(0))])
_MOMENTS = st.datetimes(min_value=dt.datetime(1, 1, 1), max_value=dt.datetime(9999, 12, 31), timezones=_ZONES)
_TEXT_TIMES = st.one_of(
    _MOMENTS.map(format_time),
    _MOMENTS.map(lambda d: d.isoformat()),
    _MOMENTS.map(lambda d: format_time(d).replace("T", " ")),
    _MOMENTS.map(lambda d: format_time(d).lower()),
    _MOMENTS.map(lambda d: d.replace(tzinfo=None).isoformat()),
    _MOMENTS.map(lambda d: format_time(d) + "\n"),
    st.text(alphabet="0123456789-:T.Z+ z", min_size=0, max_size=32),
    st.sampled_from(["2023-11-17T12:00:00+24:00", "2023-11-17T12:00:00+05:60", "2023-11-17T24:00:00Z",
                     "2023-11-17T23:59:60Z", "2023-02-30T12:00:00Z", "2023-11-17T12:00:00.1234567Z",
                     "2023-11-17T12:00Z", "2023-11-17T12:00:00+0800", "1700000000", "٢٠٢٣-11-17T12:00:00Z"]),
)
_IDS = st.one_of(st.sampled_from(["alpha", "alpha.start", "a", "", "a\n", "A", "a..b", ".a", "a" * 64, "a" * 65,
                                  "alpha.start\x1b[2J", "\u202eexample"]),
                 st.text(alphabet="ab.-_0Z\n ", max_size=70))
_JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
                     lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
                     max_leaves=8)
_VALUES = st.one_of(st.integers(-2**70, 2**70), st.booleans(), st.floats(allow_nan=False), st.text(max_size=4), st.none())


@settings(max_examples=400, deadline=None)
@given(field=st.sampled_from(["story_id", "side", "ending", "fingerprint", "label", "steps.scene", "steps.choice",
                              "snapshot.scene", "seen"]),
       value=st.one_of(_IDS, _JSON, st.text(max_size=1100), st.just("x" * 1001), st.just("mi\ud800ne")))
def test_ids_and_text_are_read_as_the_schema_reads_them(field: str, value: object) -> None:
    data = json.loads(json.dumps(_RUN))
    if field.startswith("steps."):
        data["steps"][0][field.split(".")[1]] = value
    elif field == "snapshot.scene":
        data["snapshot"]["scene"] = value
    elif field == "seen":
        data["snapshot"]["seen"] = [value]
    else:
        data[field] = value
    _agrees(data)


@settings(max_examples=400, deadline=None)
@given(field=st.sampled_from(["created", "updated", "at"]), value=st.one_of(_TEXT_TIMES, _JSON))
def test_dates_are_read_as_the_schema_reads_them(field: str, value: object) -> None:
    data = json.loads(json.dumps(_RUN))
    if field == "at":
        data["steps"][0]["at"] = value
    else:
        data[field] = value
    _agrees(data)


@settings(max_examples=300, deadline=None)
@given(name=st.one_of(st.sampled_from(["loyalty", "x" * 64, "x" * 65]), st.text(max_size=70)), value=_VALUES)
def test_variable_values_are_read_as_the_schema_reads_them(name: str, value: object) -> None:
    data = json.loads(json.dumps(_RUN))
    data["snapshot"]["values"][name] = value
    _agrees(data)


@settings(max_examples=300, deadline=None)
@given(where=st.sampled_from(["run", "step", "snapshot"]), key=st.sampled_from(["label", "scene", "cheat", "steps", "at",
                                                                             "values", "seen", "ending", "created"]),
       drop=st.booleans(), value=_JSON)
def test_missing_and_unknown_keys_are_read_as_the_schema_reads_them(where: str, key: str, drop: bool,
                                                                    value: object) -> None:
    data = json.loads(json.dumps(_RUN))
    target = data if where == "run" else data["steps"][0] if where == "step" else data["snapshot"]
    if drop:
        target.pop(key, None)
    else:
        target[key] = value
    _agrees(data)


@settings(max_examples=100, deadline=None)
@given(field=st.sampled_from(["steps", "snapshot", "steps.0", "snapshot.values", "snapshot.seen"]), value=_JSON)
def test_wrong_shapes_are_read_as_the_schema_reads_them(field: str, value: object) -> None:
    data = json.loads(json.dumps(_RUN))
    if field == "steps.0":
        data["steps"][0] = value
    elif field.startswith("snapshot."):
        data["snapshot"][field.split(".")[1]] = value
    else:
        data[field] = value
    _agrees(data)


@settings(max_examples=100, deadline=None)
@given(moment=_MOMENTS)
def test_dates_written_are_read_back_to_the_same_moment(moment: dt.datetime) -> None:
    data = json.loads(json.dumps(_RUN))
    data["created"] = format_time(moment)
    _agrees(data)
    if 1000 <= moment.year <= 9000:
        run = decode_run(data)
        assert run is not None and run.created == moment


@pytest.mark.parametrize("side", sorted(_STORY.sides))
def test_every_run_the_game_writes_is_read_by_hand(side: str) -> None:
    state = new_state(_STORY, side)
    run = run_from_state(_STORY, state, label="autosave")
    data = json.loads(dumps(run))
    assert decode_run(data) == run
    _agrees(data)


def test_reading_saves_the_game_wrote_imports_no_pydantic(tmp_path: Path) -> None:
    """The title lists the saves and `play --side` sets the autosave aside before the first scene."""
    from game.runs import Saves

    saves = Saves(tmp_path / "saves")
    saves.save(run_from_state(_STORY, choose(_STORY, new_state(_STORY, "alpha"), "rally"), label="mine"),
               saves.slot_path("mine"))
    saves.release()
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from game.runs import Saves\n"
        f"entries = Saves(Path({str(tmp_path / 'saves')!r})).entries()\n"
        "print([e.run.label for e in entries if e.run], 'pydantic' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["['mine']", "False"], out.stdout + out.stderr
