"""The explorer keys states by value classes (`game/engine/classes.py`): on any story it must find
exactly what exploring every full state finds — endings and their shortest paths, scenes and
choices reached, soft locks, traps and the passage branches shown."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings, strategies as st

from game.engine import load_story
from game.engine.classes import MAX_SPAN, StateKeys, value_classes
from game.engine.explore import explore_side, replay_path
from game.engine.live import liveness
from game.engine.rules import parse_condition
from game.engine.state import available, choose, new_state
from game.engine.story import Choice, Effect, Ending, Scene, Side, Story, Var
from game.engine.text import compile_text

AT = dt.datetime(2023, 11, 17, 12, 0, tzinfo=dt.timezone.utc)
OPS = ("<", "<=", ">", ">=", "==", "!=")


def naive(story: Story, side: str) -> dict[str, Any]:
    """Breadth-first over the engine's own full states: what a player can meet, state by state."""
    start = new_state(story, side)
    index = {start.key: 0}
    states = [start]
    depth = [0]
    edges: list[list[int]] = []
    endings: dict[str, int] = {}
    scenes: set[str] = set()
    choices: set[tuple[str, str]] = set()
    shown: set[tuple[tuple[str, str, str], int, int]] = set()
    soft: set[int] = set()

    def note(ref: tuple[str, str, str], template: Any, state: Any) -> None:
        if template is not None and template.passages:
            env = dict(zip(story.var_names, state.values))
            shown.update((ref, n, a) for n, a in template.shown(env, state.seen.__contains__))

    i = 0
    while i < len(states):
        state = states[i]
        scene = story.scenes[state.scene]
        scenes.add(scene.id)
        note((scene.id, "text", ""), scene.body, state)
        note((scene.id, "headline", ""), scene.news, state)
        out: list[int] = []
        if scene.ending is not None:
            endings.setdefault(scene.id, depth[i])
        else:
            for c in scene.choices:
                ok = available(story, state, c)
                if ok or not c.hidden:
                    note((scene.id, "label", c.id), c.label, state)
                if not ok:
                    continue
                choices.add((scene.id, c.id))
                nxt = choose(story, state, c.id)
                note((scene.id, "outcome", c.id), c.outcome, nxt)
                j = index.setdefault(nxt.key, len(states))
                if j == len(states):
                    states.append(nxt)
                    depth.append(depth[i] + 1)
                out.append(j)
            if not out:
                soft.add(i)
        edges.append(out)
        i += 1
    alive = {k for k, s in enumerate(states) if story.scenes[s.scene].ending is not None}
    grew = True
    while grew:
        grew = False
        for k, out in enumerate(edges):
            if k not in alive and any(j in alive for j in out):
                alive.add(k)
                grew = True
    trapped = {k for k, out in enumerate(edges) if k not in alive and out}
    return {
        "endings": endings, "scenes": scenes, "choices": choices, "shown": shown,
        "soft": {states[k].scene for k in soft}, "traps": {states[k].scene for k in trapped},
        "soft_keys": {states[k].key for k in soft}, "trap_keys": {states[k].key for k in trapped},
        "states": len(states),
    }


def assert_same_as_every_full_state(story: Story, side: str) -> None:
    want = naive(story, side)
    found = explore_side(story, side)
    assert found.complete
    assert {e: len(p) for e, p in found.endings.items()} == want["endings"]
    assert found.scenes == want["scenes"]
    assert found.choices == want["choices"]
    assert found.shown == want["shown"]
    assert {s.scene for s in found.soft_locks} == want["soft"]
    assert {s.scene for s in found.traps} == want["traps"]
    assert found.states <= want["states"]
    for ending, path in found.endings.items():
        assert replay_path(story, side, path).scene == ending
    # a stuck state's path plays to a state really stuck there, and its values are that state's
    for stuck, keys in ((found.soft_locks, want["soft_keys"]), (found.traps, want["trap_keys"])):
        for s in stuck:
            state = replay_path(story, side, s.path)
            assert state.key in keys and state.scene == s.scene
            assert s.values == state.vars(story) and s.seen == state.seen


def assert_keys_keep_what_is_read(story: Story, side: str) -> None:
    """In every reachable full state, its key (each value moved to its class's smallest) reads as
    the state does — the same choices available, the same text on screen — and each choice takes
    the key where it takes the state: the property that makes exploring keys exact."""
    keying = StateKeys(story)
    watch = liveness(story).seen
    want = naive(story, side)
    start = new_state(story, side)
    states, index = [start], {start.key}
    for state in states:
        scene = story.scenes[state.scene]
        key = keying.start(scene.id, state.values)
        seen = state.seen & watch[scene.id]
        real, kept = dict(zip(story.var_names, state.values)), dict(zip(story.var_names, key))
        for template in (scene.body, scene.news, *(c.label for c in scene.choices)):
            assert template.render(kept, seen.__contains__) == template.render(real, state.seen.__contains__)
        for c, (tabled, computed) in zip(scene.choices, keying.plans(scene.id)):
            ok = available(story, state, c)
            assert ok == (c.condition is None or c.condition.holds(kept, seen.__contains__))
            if not ok or scene.ending is not None:
                continue
            nxt = choose(story, state, c.id)
            moved = list(key)
            for p, low, table in tabled:
                moved[p] = table[moved[p] - low]
            for p, fn in computed:
                moved[p] = fn(moved[p])
            assert tuple(moved) == keying.start(c.goto, nxt.values)
            if c.outcome is not None:
                after = dict(zip(story.var_names, moved))
                assert (c.outcome.render(after, nxt.seen.__contains__)
                        == c.outcome.render(nxt.vars(story), nxt.seen.__contains__))
            if nxt.key not in index:
                index.add(nxt.key)
                states.append(nxt)
    assert len(states) == want["states"]


# ----------------------------------------------------------------------------- random stories


@st.composite
def conditions(draw: st.DrawFn, scene_ids: list[str]) -> str:
    def atom() -> str:
        v, w = draw(st.sampled_from(("a", "b"))), draw(st.sampled_from(("a", "b")))
        op = draw(st.sampled_from(OPS))
        c = draw(st.integers(-2, 7))
        simple = f"{v} {op} {c}"  # most reads are thresholds: they are what classes merge
        return draw(st.sampled_from((
            simple, simple, simple, simple, f"{c} {op} {v}", f"{v} + {w} {op} {c}", f"{v} - {c} {op} 1",
            f"-{v} {op} {-c}", f"{v} {op} {w}", f"2 - {v} + {v} {op} {c}", "f", "not f", "f == true",
            f"seen('{draw(st.sampled_from(scene_ids))}')", f"({v} {op} {c}) == f",
        )))

    first = atom()
    if draw(st.booleans()):
        return first
    return f"{first} {draw(st.sampled_from(('and', 'or')))} {'not ' if draw(st.booleans()) else ''}{atom()}"


@st.composite
def texts(draw: st.DrawFn, scene_ids: list[str]) -> str:
    kind = draw(st.integers(0, 9))
    if kind > 2:  # mostly plain: every read splits classes, and merging is what is under test
        return "Plain."
    if kind == 0:
        return f"Now {{= {draw(st.sampled_from(('a', 'b', 'a + b', '3 - a', 'f', 'a >= 2')))}}}."
    arms = f"{{if {draw(conditions(scene_ids))}}}one"
    if draw(st.booleans()):
        arms += f"{{elif {draw(conditions(scene_ids))}}}two"
    if draw(st.booleans()):
        arms += "{else}three"
    return f"Text {arms}{{end}}."


@st.composite
def stories(draw: st.DrawFn) -> Story:
    low_a = draw(st.integers(-2, 1))
    low_b = draw(st.integers(0, 1))
    variables = {
        "a": Var("a", "A", "", "int", low_a, low_a + draw(st.integers(1, 5)), low_a, True, "meter"),
        "b": Var("b", "B", "", "int", low_b, low_b + draw(st.integers(1, 4)), low_b, True, "meter"),
        "f": Var("f", "F", "", "bool", 0, 1, False, True, "meter"),
    }
    start_values = {"a": draw(st.integers(variables["a"].min, variables["a"].max)),
                    "b": draw(st.integers(variables["b"].min, variables["b"].max)),
                    "f": draw(st.booleans())}
    types = {name: v.type for name, v in variables.items()}
    labels = {name: v.label for name, v in variables.items()}
    n = draw(st.integers(2, 7))
    ids = [f"s{k}" for k in range(n)]
    observed: set[str] = set()

    def template(text: str) -> Any:
        t = compile_text(text, types, labels)
        observed.update(t.seen_ids)
        return t

    scenes = {}
    for k, sid in enumerate(ids):
        ending = draw(st.booleans()) if k else False
        choices = []
        for c in range(0 if ending else draw(st.integers(0, 3))):
            condition = None
            if draw(st.booleans()):
                condition = parse_condition(draw(conditions(ids)), types)
                observed.update(condition.seen_ids)
            effects = []
            for _ in range(draw(st.integers(0, 2))):
                var, kind = draw(st.sampled_from(("a", "b"))), draw(st.integers(0, 4))
                if kind == 0:
                    effects.append(Effect("f", "set", draw(st.booleans())))
                elif kind == 1:
                    effects.append(Effect(var, "set", draw(st.integers(variables[var].min, variables[var].max))))
                elif kind == 2:
                    span = variables[var].max - variables[var].min
                    effects.append(Effect(var, "add", draw(st.integers(-span, span))))
                else:  # small steps, in loops, are what spread a variable over its range
                    effects.append(Effect(var, "add", draw(st.sampled_from((-2, -1, 1, 2)))))
            label = draw(texts(ids))
            outcome = template(draw(texts(ids))) if draw(st.booleans()) else None
            choices.append(Choice(f"c{c}", label, draw(st.sampled_from(ids)), condition, None, draw(st.booleans()),
                                  tuple(effects), label=template(label), outcome=outcome))
        body, news = draw(texts(ids)), draw(texts(ids))
        scenes[sid] = Scene(sid, "x", AT, sid, "counterfactual", (), body, "", news, tuple(choices),
                            Ending("E", "", "", 5.0, False) if ending else None, "", template(body), template(news))
    side = Side("x", "X", "", "s0", "", "", start_values)
    return Story("t", "T", "", AT, AT, "", {"x": side}, variables, {}, scenes, {}, "", "",
                 var_names=("a", "b", "f"), observed_seen=frozenset(observed))


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(stories())
def test_random_stories_explore_exactly_like_every_full_state(story: Story) -> None:
    assert_same_as_every_full_state(story, "x")


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(stories())
def test_in_random_stories_a_key_reads_and_moves_as_its_state_does(story: Story) -> None:
    assert_keys_keep_what_is_read(story, "x")


# ----------------------------------------------------------------------------- the classes


def test_a_threshold_read_after_an_add_cuts_where_the_threshold_moved(tmp_path: Path) -> None:
    story = load_story(Path(__file__).parent / "fixtures" / "example")
    classes = value_classes(story)
    loyalty = story.var_names.index("loyalty")
    # gamma's deal reads `loyalty < 5`: one cut, at 5, between 4 and 5
    assert classes.cuts["gamma.end.deal"][loyalty] == 1 << 5
    # the phone prints 6 - loyalty: every value apart
    assert classes.cuts["gamma.start"][loyalty] == (1 << 11) - 2


def test_a_threshold_after_adds_keeps_apart_only_the_values_that_reach_it_differently() -> None:
    types = {"a": "int"}
    a = Var("a", "A", "", "int", 0, 5, 0, True, "meter")
    end = Scene("end", "x", AT, "End", "counterfactual", (), "", "", "", (), Ending("E", "", "", 5.0, False), "")
    gate = Scene("gate", "x", AT, "Gate", "counterfactual", (), "", "", "", (
        Choice("win", "Win", "end", parse_condition("a >= 4", types), None, False, ()),), None, "")
    start = Scene("start", "x", AT, "Start", "counterfactual", (), "", "", "", (
        Choice("up", "Up", "start", None, None, False, (Effect("a", "add", 1),)),
        Choice("go", "Go", "gate", None, None, False, (Effect("a", "add", 2),)),
    ), None, "")
    story = Story("t", "T", "", AT, AT, "", {"x": Side("x", "X", "", "start", "", "", {"a": 0})}, {"a": a}, {},
                  {"start": start, "gate": gate, "end": end}, {}, "", "", var_names=("a",))
    cuts = value_classes(story).cuts
    # the gate tells 3 from 4; 'go' adds 2 (a cut at 2), and 'up' adds 1 on the way (a cut at 1):
    # at the start 0, 1, and 2 or more; at the end nothing is read
    assert (cuts["gate"], cuts["start"], cuts["end"]) == ((1 << 4,), (1 << 1 | 1 << 2,), (0,))
    assert_same_as_every_full_state(story, "x")
    assert_keys_keep_what_is_read(story, "x")
    found = explore_side(story, "x")
    assert found.endings == {"end": ("up", "up", "go", "win")} and found.soft_locks[0].path == ("go",)
    assert found.states == 6  # start: 0, 1, 2+; gate: below 4, 4+; the end


def test_a_wide_range_is_only_told_apart_when_read() -> None:
    assert 3_000_000 > MAX_SPAN
    wide = Var("w", "W", "", "int", 0, 3_000_000, 0, True, "meter")
    types = {"w": "int"}
    lost = Scene("lost", "x", AT, "Lost", "counterfactual", (), "", "", "", (), None, "")
    end = Scene("end", "x", AT, "End", "counterfactual", (), "", "", "", (), Ending("E", "", "", 5.0, False), "")
    start = Scene("start", "x", AT, "Start", "counterfactual", (), "", "", "", (
        Choice("up", "Up", "start", None, None, False, (Effect("w", "add", 400_000),)),
        Choice("done", "Done", "end", parse_condition("w >= 1000000", types), None, False, ()),
        Choice("lost", "Lost", "lost", parse_condition("w > 2000000", types), None, False, ()),
    ), None, "")
    story = Story("t", "T", "", AT, AT, "", {"x": Side("x", "X", "", "start", "", "", {"w": 0})}, {"w": wide}, {},
                  {"start": start, "end": end, "lost": lost}, {}, "", "", var_names=("w",))
    assert_same_as_every_full_state(story, "x")
    found = explore_side(story, "x")
    assert [s.scene for s in found.soft_locks] == ["lost"] and found.soft_locks[0].values == {"w": 2_400_000}
