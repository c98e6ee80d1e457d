"""Runs: files that round-trip, survive kills and garbage, replay on edited stories, and golden runs."""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import shutil
import signal
import tempfile
import time
from pathlib import Path
from typing import Optional

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.engine import State, Story, choose, load_story, new_state, view
from game.runs import (
    FORMAT_VERSION,
    Resumed,
    RunError,
    RunFile,
    Saves,
    Snapshot,
    StepRecord,
    Unplayable,
    branch,
    dumps,
    golden_run,
    parse_run,
    read_run,
    replay,
    resume,
    run_from_state,
    same_path,
    states,
    verify,
    write_run,
)
from game.transcript import md_escape, transcript

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "tests" / "fixtures" / "example"
GOLDEN = REPO / "tests" / "golden"


@pytest.fixture(scope="module")
def story() -> Story:
    return load_story(EXAMPLE)


def same_state(a: State, b: State) -> bool:
    """State equality that does not recurse down a 10,000-step trail (dataclass == would)."""
    return (a.side, a.key, a.steps()) == (b.side, b.key, b.steps())


def play(story: Story, side: str, *choices: str) -> State:
    state = new_state(story, side)
    for c in choices:
        state = choose(story, state, c)
    return state


def edited(tmp_path: Path, **files: list[tuple[str, str]]) -> Story:
    """The example story copied into tmp_path with text replacements per file (alpha=[(old, new)])."""
    root = tmp_path / "story"
    shutil.copytree(EXAMPLE, root)
    for name, edits in files.items():
        path = root / f"{name}.toml"
        text = path.read_text()
        for old, new in edits:
            assert old in text, f"{old!r} not in {path.name}"
            text = text.replace(old, new)
        path.write_text(text)
    return load_story(root)


def every_path(story: Story, side: str, depth: int = 4) -> list[State]:
    """Every state reachable in up to `depth` choices, taking only available choices."""
    out, todo = [], [new_state(story, side)]
    while todo:
        state = todo.pop()
        out.append(state)
        if state.length >= depth:
            continue
        for c in view(story, state).choices:
            if c.available:
                todo.append(choose(story, state, c.id))
    return out


# ----------------------------------------------------------------------------- round trips


def test_every_reachable_state_round_trips_through_a_file(story: Story, tmp_path: Path) -> None:
    count = 0
    for side in story.sides:
        for state in every_path(story, side):
            run = run_from_state(story, state, label="my run")
            path = tmp_path / f"{count}.json"
            write_run(run, path)
            back = read_run(path)
            assert back == run
            resumed = resume(story, back)
            assert resumed == Resumed(state, None, False)
            assert back.ending == (state.scene if story.scenes[state.scene].ending else None)
            count += 1
    assert count > 10


def test_run_file_records_choice_ids_clock_and_snapshot(story: Story) -> None:
    run = run_from_state(story, play(story, "alpha", "rally", "fight"), label="took the chair")
    assert (run.format, run.story_id, run.fingerprint, run.side) == (FORMAT_VERSION, "example", story.fingerprint, "alpha")
    assert [(s.scene, s.choice, s.at.hour) for s in run.steps] == [("alpha.start", "rally", 9), ("alpha.noon", "fight", 12)]
    assert run.snapshot == Snapshot(scene="alpha.end.win", values={"loyalty": 8, "cohesion": 5, "scale": 10, "signed": True},
                                    seen=["alpha.start"])
    assert run.ending == "alpha.end.win" and run.label == "took the chair"
    assert run.created.tzinfo is not None and run.updated >= run.created
    lines = dumps(run).splitlines()
    assert sum(1 for line in lines if line.lstrip().startswith('{"scene"')) == 2, "one step per line, for diffs"
    assert json.loads(dumps(run))["steps"][1]["choice"] == "fight"


def test_created_is_kept_across_saves(story: Story) -> None:
    first = run_from_state(story, play(story, "alpha", "rally"))
    later = run_from_state(story, play(story, "alpha", "rally", "accept"), created=first.created)
    assert later.created == first.created and later.updated >= first.updated


def test_same_story_resumes_from_the_snapshot_without_replaying(story: Story) -> None:
    run = run_from_state(story, play(story, "gamma", "ignore", "ignore"))
    resumed = resume(story, run)
    assert not resumed.replayed and resumed.divergence is None
    assert resumed.state == play(story, "gamma", "ignore", "ignore")


@pytest.mark.parametrize("tamper", [
    {"scene": "no.such.scene"},
    {"values": {"loyalty": 99, "cohesion": 5, "scale": 5, "signed": False}},
    {"values": {"loyalty": 5}},
    {"values": {"loyalty": True, "cohesion": 5, "scale": 5, "signed": False}},
    {"seen": ["gamma.end.deal"]},
    {"scene": "gamma.end.deal"},
])
def test_a_snapshot_that_does_not_fit_is_ignored_and_the_steps_replayed(story: Story, tamper: dict) -> None:
    run = run_from_state(story, play(story, "gamma", "ignore"))
    bad = run.model_copy(update={"snapshot": run.snapshot.model_copy(update=tamper)})
    resumed = resume(story, bad)
    assert resumed.replayed
    assert resumed.state == play(story, "gamma", "ignore")


def test_an_edit_that_keeps_the_play_replays_without_divergence(story: Story, tmp_path: Path) -> None:
    new = edited(tmp_path, alpha=[("The coffee is cold.", "The coffee is colder than it was.")])
    assert new.fingerprint != story.fingerprint
    run = run_from_state(story, play(story, "alpha", "rally", "fight"))
    resumed = resume(new, run)
    assert resumed.replayed and resumed.divergence is None
    assert resumed.state.scene == "alpha.end.win" and resumed.state.values == (8, 5, 10, True)


# ----------------------------------------------------------------------------- divergence, one per kind of story change

RALLY_FIGHT = ("alpha", ("rally", "fight"))
LEAVE_IS_HISTORY = ('score = 4.0', 'score = 4.0\nhistorical = true')
FIGHT_NEEDS_9 = {"alpha": [('if = "loyalty >= 7"', 'if = "loyalty >= 9"'), LEAVE_IS_HISTORY],
                 "history": [('choices = ["rally", "fight"]', 'choices = ["wait", "accept"]')]}

DIVERGENCES = {
    # name: (edits, (side, choices), expected (step, scene, choice, kind), reason contains, steps that fit, scene then)
    "scene removed": (
        {"alpha": [('[scene."alpha.noon"]', '[scene."alpha.midday"]'), ('scene."alpha.noon".choice', 'scene."alpha.midday".choice'),
                   ('goto = "alpha.noon"', 'goto = "alpha.midday"')]},
        RALLY_FIGHT, (2, "alpha.noon", "fight", "scene-gone"), "scene 'alpha.noon' is no longer in the story", 1, "alpha.midday"),
    "choice removed": (
        {"alpha": [('id = "fight"', 'id = "battle"')], "history": [('"rally", "fight"', '"rally", "battle"')]},
        RALLY_FIGHT, (2, "alpha.noon", "fight", "choice-gone"), "no longer has the choice 'fight' (it has: battle, secret, go, accept)",
        1, "alpha.noon"),
    "condition now false": (
        FIGHT_NEEDS_9,
        RALLY_FIGHT, (2, "alpha.noon", "fight", "locked"), "is now locked: needs Staff loyalty at least 9 (now 8)", 1, "alpha.noon"),
    "goto now leads elsewhere": (
        {"alpha": [('id = "rally"\ntext = "Rally the staff."\ngoto = "alpha.noon"',
                    'id = "rally"\ntext = "Rally the staff."\ngoto = "alpha.detour"'),
                   ('[scene."alpha.end.win"]',
                    '[scene."alpha.detour"]\nside = "alpha"\nat = 2023-11-16T10:00:00-08:00\ntitle = "A detour"\n'
                    'provenance = "counterfactual"\ntext = "You take the long way."\n\n'
                    '[[scene."alpha.detour".choice]]\nid = "on"\ntext = "Go on."\ngoto = "alpha.noon"\n\n'
                    '[scene."alpha.end.win"]')],
         "history": [('"rally", "fight"', '"rally", "on", "fight"')]},
        RALLY_FIGHT, (2, "alpha.noon", "fight", "wrong-scene"),
        "step 1's choice 'rally' now leads to “A detour” (alpha.detour), not to “Noon” (alpha.noon)", 1, "alpha.detour"),
    "side starts elsewhere": (
        {"story": [('start = "alpha.start"', 'start = "alpha.noon"')], "alpha": [('if = "loyalty >= 7"', 'if = "loyalty >= 5"')],
         "history": [('"rally", "fight"', '"fight"')]},
        RALLY_FIGHT, (1, "alpha.start", "rally", "wrong-scene"),
        "side 'alpha' now starts at “Noon” (alpha.noon), not at “Morning” (alpha.start)", 0, "alpha.noon"),
    "scene now an ending": (
        {"gamma": [('[[scene."gamma.start".choice]]\nid = "answer"\ntext = "Answer it."\ngoto = "gamma.end.deal"\nadd = { scale = 2 }\n\n'
                    '[[scene."gamma.start".choice]]\nid = "ignore"\ntext = "Let it ring{if loyalty < 5} again{end}."\ngoto = "gamma.start"\nadd = { loyalty = -1 }\n',
                    '[scene."gamma.start".ending]\ntitle = "Silence"\nhistory = "It rang."\nscore = 2.0\nhistorical = true\n')],
         "history": [('choices = ["ignore", "answer"]', 'choices = []')]},
        ("gamma", ("ignore", "answer")), (1, "gamma.start", "ignore", "now-ending"), "“Silence” (gamma.start) is now an ending, so the run stops there", 0,
        "gamma.start"),
    "ending changed": (
        {"alpha": [('goto = "alpha.end.win"', 'goto = "alpha.end.leave"'), LEAVE_IS_HISTORY],
         "history": [('choices = ["rally", "fight"]', 'choices = ["rally", "accept"]')]},
        RALLY_FIGHT, (2, "alpha.noon", "fight", "ending-changed"),
        "now end in “The exit” (alpha.end.leave), not in “The return” (alpha.end.win)", 2, "alpha.end.leave"),
}


@pytest.mark.parametrize("name", list(DIVERGENCES))
def test_each_kind_of_story_change_is_reported_with_step_scene_choice_and_why(story: Story, tmp_path: Path, name: str) -> None:
    edits, (side, choices), expected, reason, fit, scene = DIVERGENCES[name]
    new = edited(tmp_path, **edits)
    run = run_from_state(story, play(story, side, *choices))
    resumed = resume(new, run)
    d = resumed.divergence
    assert d is not None, name
    assert (d.step, d.scene, d.choice, d.kind) == expected
    assert reason in d.reason
    assert "\n" not in d.reason and "\n" not in d.line()
    assert resumed.replayed
    assert resumed.steps_fit == fit and resumed.state.scene == scene, "the state of the last step that fits"
    view(new, resumed.state)  # and it can be played on from there
    assert verify(new, run).divergence == d


def test_a_removed_side_makes_the_run_unplayable(story: Story, tmp_path: Path) -> None:
    root = tmp_path / "story"
    shutil.copytree(EXAMPLE, root)
    (root / "gamma.toml").unlink()
    text = (root / "story.toml").read_text()
    start = text.index("[side.gamma]")
    (root / "story.toml").write_text(text[:start] + text[text.index("[var.loyalty]"):])
    hist = (root / "history.toml").read_text()
    (root / "history.toml").write_text(hist[: hist.index("[history.gamma]")])
    new = load_story(root)
    run = run_from_state(story, play(story, "gamma", "ignore", "answer"))
    for attempt in (lambda: resume(new, run), lambda: verify(new, run), lambda: replay(new, "gamma", run.steps),
                    lambda: states(new, run), lambda: transcript(new, run)):
        with pytest.raises(Unplayable) as info:
            attempt()
        d = info.value.divergence
        assert (d.step, d.scene, d.choice, d.kind) == (1, "gamma.start", "ignore", "unknown-side")
        assert "no side 'gamma' any more (sides: alpha, beta)" in str(info.value)
        assert isinstance(info.value, RunError)


def test_a_run_of_another_story_is_unplayable(story: Story, tmp_path: Path) -> None:
    other = edited(tmp_path, story=[('id = "example"', 'id = "other"')])
    run = run_from_state(story, play(story, "alpha", "rally"))
    with pytest.raises(Unplayable) as info:
        resume(other, run)
    assert info.value.divergence.kind == "foreign-story"
    assert "belongs to story 'example', not to 'other'" in str(info.value)


def test_a_finished_run_that_now_stops_short_of_its_ending(story: Story, tmp_path: Path) -> None:
    new = edited(tmp_path, beta=[('goto = "beta.end.fold"\nset = { signed = true }', 'goto = "beta.start"\nset = { signed = true }')],
                 history=[('choices = ["sign"]', 'choices = ["sign", "fold"]')])
    run = run_from_state(story, play(story, "beta", "sign"))
    d = resume(new, run).divergence
    assert d is not None and d.kind == "ending-changed" and d.step == 1
    assert "no longer reach the ending “The board folds” (beta.end.fold); they stop at “The vote” (beta.start)" in d.reason


def test_an_unfinished_run_whose_last_choice_now_ends_the_story(story: Story, tmp_path: Path) -> None:
    new = edited(tmp_path, alpha=[('id = "rally"\ntext = "Rally the staff."\ngoto = "alpha.noon"',
                                   'id = "rally"\ntext = "Rally the staff."\ngoto = "alpha.end.leave"'), LEAVE_IS_HISTORY],
                 history=[('choices = ["rally", "fight"]', 'choices = ["rally"]')])
    run = run_from_state(story, play(story, "alpha", "rally"))
    resumed = resume(new, run)
    assert resumed.divergence is not None and resumed.divergence.kind == "ending-changed"
    assert "now end the story, in “The exit” (alpha.end.leave)" in resumed.divergence.reason
    assert resumed.state.scene == "alpha.end.leave"


def test_an_unfinished_run_whose_last_choice_now_leads_elsewhere(story: Story, tmp_path: Path) -> None:
    new = edited(tmp_path, gamma=[('goto = "gamma.start"\nadd = { loyalty = -1 }', 'goto = "gamma.hold"\nadd = { loyalty = -1 }'),
                                  ('[scene."gamma.end.deal"]',
                                   '[scene."gamma.hold"]\nside = "gamma"\nat = 2023-11-16T10:30:00-08:00\ntitle = "On hold"\n'
                                   'provenance = "counterfactual"\ntext = "Music plays."\n\n[[scene."gamma.hold".choice]]\n'
                                   'id = "hang-up"\ntext = "Hang up."\ngoto = "gamma.start"\n\n[scene."gamma.end.deal"]')],
                 history=[('["ignore", "answer"]', '["ignore", "hang-up", "answer"]')])
    run = run_from_state(story, play(story, "gamma", "ignore"))
    resumed = resume(new, run)
    d = resumed.divergence
    assert d is not None and (d.step, d.scene, d.choice, d.kind) == (1, "gamma.start", "ignore", "wrong-scene")
    assert "step 1's choice 'ignore' now leads to “On hold” (gamma.hold), not to “The call” (gamma.start)" in d.reason
    assert resumed.steps_fit == 1 and resumed.state.scene == "gamma.hold", "every step fits; play on from where they lead"


# ----------------------------------------------------------------------------- viewer and branching


def test_states_step_through_a_run_and_branch_takes_over_from_any_step(story: Story) -> None:
    run = run_from_state(story, play(story, "gamma", "ignore", "ignore", "answer"))
    path, divergence = states(story, run)
    assert divergence is None
    assert [s.length for s in path] == [0, 1, 2, 3]
    assert [s.scene for s in path] == ["gamma.start", "gamma.start", "gamma.start", "gamma.end.deal"]
    assert [s.vars(story)["loyalty"] for s in path] == [5, 4, 3, 3]
    new = branch(story, run, 1, label="what if I answered")
    assert len(new.steps) == 1 and new.ending is None and new.label == "what if I answered"
    assert resume(story, new).state == path[1]
    taken = choose(story, resume(story, new).state, "answer")
    assert taken.vars(story)["loyalty"] == 4, "the branch plays on with its own choices"
    with pytest.raises(RunError, match="cannot branch at step 4: the run has 3 steps"):
        branch(story, run, 4)


# ----------------------------------------------------------------------------- a long run


LOOP_STORY = """
[story]
id = "loop"
title = "The Loop"
begins = 2023-11-16T00:00:00-08:00
ends = 2023-11-22T00:00:00-08:00

[side.ouro]
name = "Ouroboros"
start = "loop.a"

[var.count]
label = "Count"
min = 0
max = 9
start = 0

[var.flip]
label = "Flip"
type = "bool"
start = false

[scene."loop.a"]
side = "ouro"
at = 2023-11-16T09:00:00-08:00
title = "A"
provenance = "counterfactual"
text = "Round and round."

[[scene."loop.a".choice]]
id = "tick"
text = "Tick."
goto = "loop.b"
add = { count = 1 }

[[scene."loop.a".choice]]
id = "reset"
text = "Start over."
if = "count >= 5 and seen('loop.b')"
goto = "loop.a"
set = { count = 0 }

[[scene."loop.a".choice]]
id = "finish"
text = "Stop."
if = "count == 9 and flip"
goto = "loop.end"

[scene."loop.b"]
side = "ouro"
at = 2023-11-16T10:00:00-08:00
title = "B"
provenance = "counterfactual"
text = "And round."

[[scene."loop.b".choice]]
id = "back"
text = "Back."
goto = "loop.a"

[[scene."loop.b".choice]]
id = "flip"
text = "Flip."
goto = "loop.a"
set = { flip = true }

[[scene."loop.b".choice]]
id = "unflip"
text = "Unflip."
if = "flip"
goto = "loop.a"
set = { flip = false }

[scene."loop.end"]
side = "ouro"
at = 2023-11-17T09:00:00-08:00
title = "Out"
provenance = "counterfactual"
text = "Out of the loop."

[scene."loop.end".ending]
title = "Out"
history = "There was no loop."
score = 5.0
"""


def test_a_10000_step_run_replays_exactly(tmp_path: Path) -> None:
    root = tmp_path / "loop"
    root.mkdir()
    (root / "story.toml").write_text(LOOP_STORY)
    story = load_story(root)
    rng = random.Random(5)
    state = new_state(story, "ouro")
    while state.length < 9_999:
        options = [c.id for c in view(story, state).choices if c.available and c.id != "finish"]
        state = choose(story, state, rng.choice(options))
    while "finish" not in [c.id for c in view(story, state).choices if c.available]:  # steer to the ending
        state = choose(story, state, "flip" if state.scene == "loop.b" else "tick")
    state = choose(story, state, "finish")
    assert state.length >= 10_000 and state.scene == "loop.end"
    run = run_from_state(story, state)
    write_run(run, tmp_path / "long.json")
    back = read_run(tmp_path / "long.json")
    assert back == run

    fast = resume(story, back)
    assert not fast.replayed and same_state(fast.state, state)
    slow = verify(story, back)
    assert slow.replayed and slow.divergence is None and same_state(slow.state, state)
    path, divergence = states(story, back)
    assert divergence is None and len(path) == state.length + 1 and same_state(path[-1], state)

    # the same run on a story where 'reset' is gone stops exactly at its first reset
    (root / "story.toml").write_text(LOOP_STORY.replace('id = "reset"', 'id = "restart"'))
    edited_story = load_story(root)
    first_reset = next(i for i, s in enumerate(run.steps, 1) if s.choice == "reset")
    resumed = resume(edited_story, back)
    assert resumed.divergence is not None
    assert (resumed.divergence.step, resumed.divergence.kind) == (first_reset, "choice-gone")
    assert same_state(resumed.state, path[first_reset - 1])


# ----------------------------------------------------------------------------- reading bad files


def _good_bytes(story: Story) -> bytes:
    return dumps(run_from_state(story, play(story, "alpha", "rally", "fight"))).encode()


def _expect_error(tmp_path: Path, content: Optional[bytes], *fragments: str, name: str = "run.json") -> RunError:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(RunError) as info:
        read_run(path)
    message = str(info.value)
    assert message.startswith(str(path) + ": ") and "\n" not in message
    for fragment in fragments:
        assert fragment in message
    return info.value


def test_unreadable_files_get_one_line_that_says_why(story: Story, tmp_path: Path) -> None:
    good = json.loads(_good_bytes(story))
    _expect_error(tmp_path, None, "no such file", name="missing.json")
    (tmp_path / "folder.json").mkdir()
    _expect_error(tmp_path, None, "is a folder", name="folder.json")
    _expect_error(tmp_path, b"", "empty file")
    _expect_error(tmp_path, b"\xff\xfe{", "not UTF-8")
    _expect_error(tmp_path, _good_bytes(story)[:-40], "truncated")
    _expect_error(tmp_path, b'{"format": 1,, }', "corrupt: invalid JSON at line 1")
    _expect_error(tmp_path, b"[1, 2]", "not a Boardroom run (the JSON is a list")
    _expect_error(tmp_path, b'{"name": "left-pad", "version": "1.0.0"}', "not a Boardroom run")
    _expect_error(tmp_path, json.dumps({**good, "format": 2}).encode(), "newer Boardroom (run format 2")
    _expect_error(tmp_path, json.dumps({**good, "format": 0}).encode(), "unknown run format 0")
    _expect_error(tmp_path, json.dumps({**good, "format": "one"}).encode(), "format is 'one'")
    bad_step = {**good, "steps": [{**good["steps"][0], "at": "yesterday"}]}
    _expect_error(tmp_path, json.dumps(bad_step).encode(), "invalid run: steps.0.at:")
    naive = {**good, "created": "2023-11-17T12:00:00"}
    _expect_error(tmp_path, json.dumps(naive).encode(), "invalid run: created:", "timezone")
    _expect_error(tmp_path, json.dumps({**good, "cheat": True}).encode(), "invalid run: cheat: extra inputs")
    _expect_error(tmp_path, json.dumps({**good, "ending": "alpha.end.leave"}).encode(), "is not the snapshot's scene")
    _expect_error(tmp_path, b"[" * 100_000 + b"]" * 100_000, "corrupt")


def test_every_truncation_of_a_run_file_is_refused(story: Story, tmp_path: Path) -> None:
    data = _good_bytes(story)
    path = tmp_path / "cut.json"
    for n in range(len(data.rstrip())):
        path.write_bytes(data[:n])
        with pytest.raises(RunError):
            read_run(path)


_SCRATCH = Path(tempfile.mkdtemp(prefix="boardroom-runs-"))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_raise_only_run_error(data: bytes) -> None:
    path = _SCRATCH / "fuzz.json"
    path.write_bytes(data)
    try:
        read_run(path)
    except RunError as exc:
        assert "\n" not in str(exc)


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=20,
)
_EXAMPLE_RUN = json.loads(dumps(run_from_state(load_story(EXAMPLE), play(load_story(EXAMPLE), "beta", "sign"))))


@settings(max_examples=300, deadline=None)
@given(key=st.sampled_from(sorted(_EXAMPLE_RUN) + ["steps.0", "snapshot.values", "snapshot.scene", "extra"]), value=_JSON)
def test_a_run_with_any_field_replaced_by_any_json_raises_only_run_error(key: str, value: object) -> None:
    data = json.loads(json.dumps(_EXAMPLE_RUN))
    if key == "steps.0":
        data["steps"][0] = value
    elif key.startswith("snapshot."):
        data["snapshot"][key.split(".")[1]] = value
    else:
        data[key] = value
    path = _SCRATCH / "field.json"
    path.write_text(json.dumps(data))
    try:
        run = read_run(path)
    except RunError as exc:
        assert "\n" not in str(exc)
        return
    assert isinstance(run, RunFile)


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_a_run_file_with_damaged_bytes_raises_only_run_error(data: st.DataObject) -> None:
    raw = bytearray(dumps(parse_run(json.dumps(_EXAMPLE_RUN).encode(), _SCRATCH / "example.json")).encode())
    for _ in range(data.draw(st.integers(1, 5))):
        i = data.draw(st.integers(0, len(raw) - 1))
        raw[i] = data.draw(st.integers(0, 255))
    path = _SCRATCH / "damaged.json"
    path.write_bytes(bytes(raw))
    try:
        read_run(path)
    except RunError:
        pass


# ----------------------------------------------------------------------------- atomic saves under SIGKILL


def _big_run(label: str, n: int) -> RunFile:
    at = dt.datetime(2023, 11, 17, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=-8)))
    stamp = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)
    return RunFile(
        format=FORMAT_VERSION, story_id="example", fingerprint="f" * 16, side="gamma",
        steps=[StepRecord(scene="gamma.start", choice="ignore", at=at)] * n,
        snapshot=Snapshot(scene="gamma.start", values={"loyalty": 0, "cohesion": 5, "scale": 5, "signed": False}, seen=[]),
        ending=None, created=stamp, updated=stamp, label=label,
    )


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork to kill a saving process cheaply")
def test_a_save_killed_at_any_moment_leaves_the_old_or_the_new_file_whole(tmp_path: Path) -> None:
    versions = {name: _big_run(name, n) for name, n in (("old", 200), ("new-b", 900), ("new-c", 500))}
    whole = {dumps(run).encode(): name for name, run in versions.items()}
    old_bytes = dumps(versions["old"]).encode()
    path = tmp_path / "saves" / "autosave.json"
    saves = Saves(path.parent)
    rng = random.Random(20231117)
    outcomes: dict[str, int] = {}
    mid_write = 0  # kills that left a temporary file behind: the process died inside write_run
    i = 0
    while i < 40 or (mid_write == 0 and i < 200):
        write_run(versions["old"], path)
        temps_before = len(list(path.parent.glob(".*.tmp")))
        pid = os.fork()
        if pid == 0:  # the saving process: save new versions over and over until killed
            try:
                while True:
                    saves.save(versions["new-b"], path)
                    saves.save(versions["new-c"], path)
            finally:
                os._exit(0)
        if i % 4 == 3:  # let it replace the file at least once, then kill it somewhere in the next saves
            deadline = time.monotonic() + 5
            while path.read_bytes() == old_bytes and time.monotonic() < deadline:
                time.sleep(0.001)
            time.sleep(rng.uniform(0, 0.02))
        else:
            time.sleep(0 if i == 0 else rng.uniform(0, 0.08))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        found = whole.get(path.read_bytes())
        assert found is not None, f"kill {i}: the save file is not any whole version"
        assert read_run(path) == versions[found]
        outcomes[found] = outcomes.get(found, 0) + 1
        mid_write += len(list(path.parent.glob(".*.tmp"))) > temps_before
        i += 1
    assert outcomes.get("old", 0) >= 1, "a kill before the first rename keeps the old file"
    assert outcomes.get("new-b", 0) + outcomes.get("new-c", 0) >= 10, "kills after a rename find the new file"
    assert mid_write >= 1, "some kill landed in the middle of writing a file"
    assert [e.name for e in saves.entries()] == ["autosave"], "temporary files a kill leaves are never listed"


# ----------------------------------------------------------------------------- the saves folder


@pytest.mark.parametrize("name", [
    "../escape", "..", "a/b", "a\\b", "/etc/passwd", "", "   ", "x" * 121, "\U0001d54f" * 31, "nul\0byte", "tab\there", ".hidden",
    "autosave", "QuickSave", "trailing.", " padded", "CON", "lpt1.txt", "a..b", "star*", "ques?", "colon:",
])
def test_unsafe_slot_names_are_refused(tmp_path: Path, name: str) -> None:
    saves = Saves(tmp_path / "saves")
    with pytest.raises(RunError) as info:
        saves.slot_path(name)
    assert "is not allowed" in str(info.value) and "\n" not in str(info.value)


@pytest.mark.parametrize("name", ["before the vote", "Plan-B_2", "día uno", "v1.2", "Ilya's (last) chance!"])
def test_ordinary_slot_names_stay_in_the_folder(tmp_path: Path, name: str) -> None:
    saves = Saves(tmp_path / "saves")
    path = saves.slot_path(name)
    assert path.parent == saves.folder and path.name == f"{name}.json"


def test_a_slot_that_is_a_symlink_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "saves"
    folder.mkdir()
    (folder / "sneaky.json").symlink_to(tmp_path / "elsewhere.json")
    with pytest.raises(RunError, match="would leave the saves folder"):
        Saves(folder).slot_path("sneaky")


def test_saves_list_newest_first_with_unreadable_files_and_their_reason(story: Story, tmp_path: Path) -> None:
    saves = Saves(tmp_path / "saves")
    t0 = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)
    ended = run_from_state(story, play(story, "beta", "sign")).model_copy(update={"updated": t0 + dt.timedelta(hours=3)})
    playing = run_from_state(story, play(story, "alpha", "rally")).model_copy(update={"updated": t0 + dt.timedelta(hours=2)})
    older = run_from_state(story, play(story, "gamma")).model_copy(update={"updated": t0 + dt.timedelta(hours=1)})
    saves.save(ended, saves.autosave_path())
    saves.save(playing, saves.slot_path("before the vote"))
    saves.save(older, saves.quicksave_path())
    (saves.folder / "broken.json").write_text('{"format": 1, "story_id": "example", "steps": [')
    os.utime(saves.folder / "broken.json", (0, 0))
    entries = saves.entries()
    assert [(e.name, e.kind) for e in entries] == [
        ("autosave", "autosave"), ("before the vote", "slot"), ("quicksave", "quicksave"), ("broken", "slot")]
    assert entries[0].run == ended and entries[1].run == playing
    assert entries[3].run is None and entries[3].error is not None and entries[3].error.startswith("truncated")
    latest = saves.latest()
    assert latest is not None and latest.name == "autosave", "the run played last, though it has ended (Continue)"
    assert saves.latest(story_id="other") is None


def test_save_never_overwrites_an_unreadable_file_it_keeps_it_aside(story: Story, tmp_path: Path) -> None:
    saves = Saves(tmp_path / "saves")
    future = {"format": 99, "story_id": "example", "whatever": "comes next"}
    saves.autosave_path().parent.mkdir(parents=True)
    saves.autosave_path().write_text(json.dumps(future))
    run = run_from_state(story, play(story, "alpha", "rally"))
    saves.save(run, saves.autosave_path())
    assert read_run(saves.autosave_path()) == run
    kept = [p for p in saves.folder.glob("autosave.unreadable-*.json")]
    assert len(kept) == 1 and json.loads(kept[0].read_text()) == future
    listed = {e.path.name: e for e in saves.entries()}
    assert "newer Boardroom" in (listed[kept[0].name].error or "")


def test_save_refuses_a_run_it_could_not_read_back_and_leaves_the_old_file(story: Story, tmp_path: Path) -> None:
    saves = Saves(tmp_path / "saves")
    good = run_from_state(story, play(story, "alpha", "rally"))
    saves.save(good, saves.autosave_path())
    broken = good.model_copy(update={"ending": "alpha.end.win"})  # says it ended where the snapshot is not
    with pytest.raises(RunError, match="is not the snapshot's scene"):
        saves.save(broken, saves.autosave_path())
    assert read_run(saves.autosave_path()) == good


def test_writing_where_no_folder_can_be_made_is_a_run_error(story: Story, tmp_path: Path) -> None:
    (tmp_path / "file").write_text("not a folder")
    with pytest.raises(RunError, match="cannot write"):
        write_run(run_from_state(story, play(story, "alpha")), tmp_path / "file" / "saves" / "autosave.json")


def test_a_save_keeps_the_mode_of_the_file_it_replaces(story: Story, tmp_path: Path) -> None:
    path = tmp_path / "run.json"
    write_run(run_from_state(story, play(story, "alpha")), path)
    assert path.stat().st_mode & 0o777 == 0o644
    path.chmod(0o600)
    write_run(run_from_state(story, play(story, "alpha", "rally")), path)
    assert path.stat().st_mode & 0o777 == 0o600


# ----------------------------------------------------------------------------- transcripts


def test_text_transcript_tells_every_step_and_the_ending(story: Story) -> None:
    run = run_from_state(story, play(story, "alpha", "rally", "fight"), label="took the chair")
    text = transcript(story, run)
    for expected in ("THE EXAMPLE — A board meeting in four scenes", "“took the chair”",
                     "1 · Thu 16 Nov, 09:00 PT · MORNING", "Documented — official statements",
                     "You sit at the long table.", "Sources:\n  1. The Example Times, “A memo” (17 Nov 2023)",
                     "» You chose: Rally the staff.", "2 · Thu 16 Nov, 12:00 PT · NOON", "What if — our invention",
                     "Note: Accounts of the hour differ.", "» You chose: Fight for the chair.",
                     "THE END — The return (what really happened)", "You are back.", "What actually happened:",
                     "This is what happened.", "The critic gives this version 7.3/10", "“Predictable.”",
                     "The safety-profit scale came to rest tipped hard toward profit (10/10)."):
        assert expected in text, expected
    assert text.index("MORNING") < text.index("Rally the staff") < text.index("NOON") < text.index("THE END")
    assert max(len(line) for line in text.splitlines()) <= 78


def test_markdown_transcript_reads_well_on_github(story: Story) -> None:
    md = transcript(story, run_from_state(story, play(story, "alpha", "rally", "fight")), "markdown")
    assert md.startswith("# The Example: Alpha’s run\n")
    assert "\n## 1. Morning\n" in md and "\n## 2. Noon\n" in md
    assert "\n> **You chose:** Rally the staff.\n" in md
    assert ("\n1. The Example Times, “A memo” (17 Nov 2023) — the publisher's page: "
            "[https://example.org/memo](https://example.org/memo)\n") in md
    assert "*Documented* — official statements" in md
    assert "\n## The end: The return\n" in md and "\n### What actually happened\n" in md
    assert "7.3/10" in md and "> “Predictable.”" in md and "**tipped hard toward profit** (10/10)" in md


def test_markdown_keeps_story_text_as_text(tmp_path: Path) -> None:
    story = edited(tmp_path, gamma=[('text = "The phone rings.{if loyalty < 5} It has rung {= 6 - loyalty} times now.{end}"',
                                     'text = "1. The *phone* rings_twice <b>loud</b> # now & `then`\\n\\n- a dash"')])
    md = transcript(story, play(story, "gamma", "answer"), "markdown")
    assert "1\\. The \\*phone\\* rings\\_twice \\<b\\>loud\\</b\\> \\# now \\& \\`then\\`" in md
    assert "\n\\- a dash\n" in md
    assert md_escape("[x](y)") == "\\[x\\](y)"


def test_transcript_of_a_run_in_progress_and_of_a_diverged_run(story: Story, tmp_path: Path) -> None:
    text = transcript(story, play(story, "alpha", "rally"))
    assert "in progress" in text and "THE RUN STOPS HERE, after 1 choice:" in text and "NOON" in text
    new = edited(tmp_path, **FIGHT_NEEDS_9)
    md = transcript(new, run_from_state(story, play(story, "alpha", "rally", "fight")), "markdown")
    assert "The recorded run goes on for 2 steps, but step 2 no longer fits the current story (locked)" in md
    assert "## The run stops here, after 1 choice" in md


# ----------------------------------------------------------------------------- golden runs


def test_golden_run_is_the_documented_path(story: Story) -> None:
    for side, choices in story.history.items():
        run = golden_run(story, side)
        assert [s.choice for s in run.steps] == list(choices)
        ending = story.scenes[run.ending].ending if run.ending else None
        assert ending is not None and ending.historical
        assert verify(story, run).divergence is None
        assert dumps(golden_run(story, side)) == dumps(run), "regenerating gives the same bytes"
    with pytest.raises(RunError, match="no documented path for side 'nobody'"):
        golden_run(story, "nobody")


def test_same_path_ignores_dates_and_values_but_not_choices(story: Story) -> None:
    a = golden_run(story, "gamma")
    assert same_path(a, a.model_copy(update={"label": "x", "fingerprint": "0" * 16}))
    assert not same_path(a, run_from_state(story, play(story, "gamma", "answer")))


def test_golden_runs_verify_and_match_the_documented_paths() -> None:
    """Every run in tests/golden/ still reaches its ending on story/, and equals the side's history."""
    files = sorted(p for p in GOLDEN.glob("*.json") if not p.name.startswith("."))
    if not files:
        pytest.skip("tests/golden/ holds no golden runs yet: generate them with "
                    "`boardroom replay --write-golden tests/golden` once story/ is complete")
    story = load_story(REPO / "story")
    problems = []
    for path in files:
        run = read_run(path)
        try:
            resumed = verify(story, run)
        except Unplayable as exc:
            problems.append(f"{path.name}: {exc.divergence.line()}")
            continue
        if resumed.divergence is not None:
            problems.append(f"{path.name}: {resumed.divergence.line()}")
        elif run.side not in story.history:
            problems.append(f"{path.name}: side {run.side!r} has no [history.{run.side}] any more")
        elif not same_path(run, golden_run(story, run.side)):
            problems.append(f"{path.name}: differs from [history.{run.side}]; regenerate with "
                            "`boardroom replay --write-golden tests/golden`")
    missing = sorted(set(story.history) - {p.stem for p in files})
    problems += [f"{side}.json: missing golden run for [history.{side}]" for side in missing]
    assert not problems, "\n".join(problems)
