"""`boardroom explore`: every branch played by machine — endings, coverage, soft locks, traps, random runs."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from game.engine import load_story
from game.engine.explore import explore, explore_side, random_runs, replay_path, unreached_endings
from game.generate import generate_story, story_texts
from game.commands.check import check

EXAMPLE = Path(__file__).parent / "fixtures" / "example"

LOST = """
[[extend."gamma.start".choice]]
id = "wander"
text = "Wander off."
goto = "gamma.lost"

[scene."gamma.lost"]
side = "gamma"
at = 2023-11-16T10:30:00-08:00
title = "Lost"
provenance = "counterfactual"
text = "You are lost."

[[scene."gamma.lost".choice]]
id = "ask"
text = "Ask for directions."
if = "loyalty >= 4"
goto = "gamma.end.deal"
"""

RESIGN = """
[[extend."gamma.start".choice]]
id = "resign"
text = "Resign."
if = "loyalty <= 2"
goto = "gamma.end.deal"
"""

CIRCLE = """
[[scene."gamma.lost".choice]]
id = "circle"
text = "Walk in circles."
goto = "gamma.circle"

[scene."gamma.circle"]
side = "gamma"
at = 2023-11-16T10:40:00-08:00
title = "Circles"
provenance = "counterfactual"
text = "Round and round."

[[scene."gamma.circle".choice]]
id = "again"
text = "Again."
goto = "gamma.circle"
"""


def copy_example(tmp_path: Path, extra: str = "", plain_gamma: bool = False) -> Path:
    root = tmp_path / "story"
    shutil.copytree(EXAMPLE, root)
    if extra:
        (root / "branch.toml").write_text(extra, encoding="utf-8")
    if plain_gamma:  # gamma's texts without their passages, so only conditions read loyalty there
        gamma = root / "gamma.toml"
        gamma.write_text(re.sub(r"\{if [^}]*\}.*?\{end\}", "", gamma.read_text()), encoding="utf-8")
    return root


def boardroom(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "game", *args], capture_output=True, text=True, timeout=120, cwd=cwd)


@pytest.fixture(scope="module")
def story():
    return load_story(EXAMPLE)


# ----------------------------------------------------------------------------- exhaustive


def test_every_ending_with_a_shortest_path(story) -> None:
    reports = {r.side: r for r in explore(story)}
    assert reports["alpha"].endings == {"alpha.end.win": ("rally", "fight"), "alpha.end.leave": ("rally", "accept")}
    assert reports["beta"].endings == {"beta.end.hold": ("hold",), "beta.end.fold": ("sign",)}
    assert reports["gamma"].endings == {"gamma.end.deal": ("answer",)}
    assert all(r.complete and r.ok for r in reports.values())
    assert unreached_endings(story, list(reports.values())) == []
    # each shortest path really plays to its ending
    for r in reports.values():
        for ending, path in r.endings.items():
            assert replay_path(story, r.side, path).scene == ending


def test_coverage_names_choices_whose_conditions_never_hold(story) -> None:
    alpha = explore_side(story, "alpha")
    assert alpha.scenes == alpha.static_scenes == {"alpha.start", "alpha.noon", "alpha.end.win", "alpha.end.leave"}
    assert alpha.missed_scenes == []
    assert alpha.missed_choices == [("alpha.noon", "secret")]  # needs loyalty < 2: alpha never gets that low
    beta = explore_side(story, "beta")
    assert beta.missed_choices == [("beta.start", "fold")]  # cohesion starts at 8 for beta, nothing lowers it


def test_a_variable_no_condition_reads_never_splits_states(tmp_path: Path) -> None:
    gamma = explore_side(load_story(copy_example(tmp_path, plain_gamma=True)), "gamma")
    # 'ignore' loops on gamma.start lowering loyalty, but nothing on gamma's side reads loyalty:
    # one state there and one at the ending, however often the phone rings
    assert gamma.states == 2 and gamma.max_depth == 1
    assert gamma.traps == [] and gamma.soft_locks == []


def test_a_variable_a_passage_reads_splits_states(story) -> None:
    gamma = explore_side(story, "gamma")
    # gamma's text prints the rings from loyalty ({= 6 - loyalty}): loyalty 5 down to 0 at the
    # phone; the deal's text only asks whether loyalty < 5, so there it splits states in two
    assert gamma.states == 8 and gamma.max_depth == 5


def test_states_are_told_apart_by_what_a_later_condition_reads(tmp_path: Path) -> None:
    gamma = explore_side(load_story(copy_example(tmp_path, RESIGN, plain_gamma=True)), "gamma")
    # 'resign' reads loyalty <= 2: on gamma.start, loyalty 5, 4 and 3 (each a different number of
    # rings from resigning) and one state for 2 down to 0, which 'resign' cannot tell apart; and
    # one ending, where nothing is read any more
    assert gamma.states == 5 and gamma.max_depth == 3
    assert gamma.choices == {("gamma.start", "answer"), ("gamma.start", "ignore"), ("gamma.start", "resign")}


def naive_exploration(story, side: str) -> tuple[dict[str, int], set[str], set[str]]:
    """Breadth-first over the engine's own full states (every variable, every observed visit):
    each ending with the length of its shortest path, the scenes where some state is stuck with
    no choice, and the scenes where some state can never reach an ending."""
    from game.engine.state import available, choose, new_state

    start = new_state(story, side)
    index = {start.key: 0}
    states = [start]
    depth = [0]
    edges: list[list[int]] = []
    endings: dict[str, int] = {}
    soft: set[str] = set()
    i = 0
    while i < len(states):
        state = states[i]
        scene = story.scenes[state.scene]
        out: list[int] = []
        if scene.ending is not None:
            endings.setdefault(scene.id, depth[i])
        else:
            options = [c for c in scene.choices if available(story, state, c)]
            if not options:
                soft.add(scene.id)
            for c in options:
                nxt = choose(story, state, c.id)
                j = index.setdefault(nxt.key, len(states))
                if j == len(states):
                    states.append(nxt)
                    depth.append(depth[i] + 1)
                out.append(j)
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
    traps = {states[k].scene for k, out in enumerate(edges) if k not in alive and out}
    return endings, soft, traps


@pytest.mark.parametrize("extra", ["", RESIGN, LOST, LOST + CIRCLE], ids=["example", "resign", "lost", "lost-circle"])
def test_keying_by_what_is_read_finds_what_every_full_state_finds(tmp_path: Path, extra: str) -> None:
    story = load_story(copy_example(tmp_path, extra))
    for side in story.sides:
        endings, soft, traps = naive_exploration(story, side)
        found = explore_side(story, side)
        assert {e: len(p) for e, p in found.endings.items()} == endings
        assert {s.scene for s in found.soft_locks} == soft
        assert {s.scene for s in found.traps} == traps


def test_a_generated_story_explores_to_the_same_endings_and_locks_as_its_full_states(tmp_path: Path) -> None:
    story = load_story(generate_story(tmp_path / "gen", scenes=60, seed=3))
    for side in story.sides:
        endings, soft, traps = naive_exploration(story, side)
        found = explore_side(story, side)
        assert found.complete
        assert {e: len(p) for e, p in found.endings.items()} == endings
        assert {s.scene for s in found.soft_locks} == soft
        assert {s.scene for s in found.traps} == traps


def test_exploration_is_deterministic(story) -> None:
    a, b = explore(story), explore(load_story(EXAMPLE))
    assert [(r.states, r.transitions, r.endings, sorted(r.choices)) for r in a] == \
           [(r.states, r.transitions, r.endings, sorted(r.choices)) for r in b]


def test_a_soft_lock_is_found_with_the_shortest_way_there(tmp_path: Path) -> None:
    story = load_story(copy_example(tmp_path, LOST))
    gamma = explore_side(story, "gamma")
    assert not gamma.ok
    (lock,) = gamma.soft_locks
    assert lock.scene == "gamma.lost"
    assert lock.path == ("ignore", "ignore", "wander")  # loyalty 3: 'ask' needs 4
    # loyalty 3, 2, 1 and 0 are stuck alike ('ask' needs 4): one state as the explorer keys them,
    # and the values shown are the real ones at the end of the path
    assert lock.values["loyalty"] == 3 and lock.states == 1
    assert replay_path(story, "gamma", lock.path).scene == "gamma.lost"


def test_a_trap_is_a_loop_with_no_way_out(tmp_path: Path) -> None:
    story = load_story(copy_example(tmp_path, LOST + CIRCLE))
    gamma = explore_side(story, "gamma")
    assert gamma.soft_locks == []
    assert [(t.scene, t.path) for t in gamma.traps] == [
        ("gamma.circle", ("wander", "circle")),
        ("gamma.lost", ("ignore", "ignore", "wander")),
    ]


def test_the_state_cap_stops_the_exploration_and_says_so(tmp_path: Path) -> None:
    gamma = explore_side(load_story(copy_example(tmp_path, RESIGN)), "gamma", max_states=5)
    assert not gamma.complete and gamma.states == 5 and not gamma.ok
    assert gamma.traps == []  # no trap analysis on a partial graph


def test_progress_is_reported(tmp_path: Path) -> None:
    calls: list[tuple[int, int]] = []
    explore_side(load_story(copy_example(tmp_path, RESIGN, plain_gamma=True)), "gamma", progress=lambda done, total: calls.append((done, total)))
    assert calls[0] == (0, 0) and calls[-1] == (5, 5)


# ----------------------------------------------------------------------------- random play


def test_random_runs_are_reproducible_and_add_up(story) -> None:
    a = random_runs(story, "alpha", 300, seed=7)
    b = random_runs(story, "alpha", 300, seed=7)
    assert a.endings == b.endings and a.scene_hits == b.scene_hits and a.choice_hits == b.choice_hits
    assert sum(a.endings.values()) + sum(a.soft_lock_runs.values()) + a.unfinished == 300
    assert a.scene_hits["alpha.start"] == 300 and set(a.endings) == {"alpha.end.win", "alpha.end.leave"}
    c = random_runs(story, "alpha", 300, seed=8)
    assert c.choice_hits != a.choice_hits  # another seed, another sample


def test_random_runs_count_stuck_and_endless_games(tmp_path: Path, story) -> None:
    looping = random_runs(story, "gamma", 200, seed=0, max_steps=2)
    assert looping.unfinished > 0 and looping.unfinished_example is not None
    locked = random_runs(load_story(copy_example(tmp_path, LOST)), "gamma", 200, seed=0)
    assert "gamma.lost" in locked.soft_locks
    run, state = locked.soft_locks["gamma.lost"]
    assert state.scene == "gamma.lost" and state.length >= 1 and locked.soft_lock_runs["gamma.lost"] >= 1


# ----------------------------------------------------------------------------- the command


def test_explore_command_reports_each_side(tmp_path: Path) -> None:
    out = boardroom("explore", "--story", str(EXAMPLE), "--allow-unreached")
    assert out.returncode == 0, out.stderr
    assert out.stderr == ""  # no progress bar when stderr is not a terminal
    text = out.stdout
    assert "alpha — Alpha" in text and "beta — Beta" in text and "gamma — Gamma" in text
    assert "alpha.end.win  “The return”  in 2 choices: rally > fight" in text
    assert "never available: alpha.noon > secret (if 'not signed and loyalty < 2')" in text
    assert "soft locks: none" in text and "traps: none" in text


def test_explore_command_writes_a_run_file_that_reproduces_the_soft_lock(tmp_path: Path) -> None:
    from game.runs import read_run, resume

    root = copy_example(tmp_path, LOST)
    out = boardroom("explore", "--story", str(root), "--side", "gamma", "--out", str(tmp_path / "runs"))
    assert out.returncode == 1
    assert "SOFT LOCKS: 1 scene(s)" in out.stdout
    assert "gamma.lost: no choice available in 1 state(s); shortest way there, 3 choices: ignore > ignore > wander" \
        in out.stdout
    path = tmp_path / "runs" / "softlock-gamma-gamma.lost.json"
    assert f"reproduce: boardroom play --load {path}" in out.stdout
    run = read_run(path)
    assert [s.choice for s in run.steps] == ["ignore", "ignore", "wander"]
    resumed = resume(load_story(root), run)
    assert resumed.divergence is None and resumed.state.scene == "gamma.lost"


def test_explore_command_writes_a_run_file_for_each_trap(tmp_path: Path) -> None:
    from game.runs import read_run

    root = copy_example(tmp_path, LOST + CIRCLE)
    out = boardroom("explore", "--story", str(root), "--side", "gamma", "--out", str(tmp_path / "runs"))
    assert out.returncode == 1
    assert sorted(p.name for p in (tmp_path / "runs").iterdir()) == ["trap-gamma-gamma.circle.json",
                                                                      "trap-gamma-gamma.lost.json"]
    assert [s.choice for s in read_run(tmp_path / "runs" / "trap-gamma-gamma.circle.json").steps] == ["wander", "circle"]
    assert f"reproduce: boardroom play --load {tmp_path / 'runs' / 'trap-gamma-gamma.circle.json'}" in out.stdout


def test_explore_command_random_mode(tmp_path: Path) -> None:
    root = copy_example(tmp_path, LOST)
    args = ("explore", "--story", str(root), "--side", "gamma", "--random", "50", "--seed", "3")
    first, second = boardroom(*args), boardroom(*args)
    assert first.stdout == second.stdout
    assert "gamma — Gamma: 50 random play-throughs, seed 3" in first.stdout
    assert "scene hits (3 of 3 scenes visited, 100%):" in first.stdout
    assert first.returncode == (1 if "SOFT LOCKS" in first.stdout else 0)


def test_explore_command_json(tmp_path: Path) -> None:
    root = copy_example(tmp_path, LOST + CIRCLE)
    out = boardroom("explore", "--story", str(root), "--format", "json")
    assert out.returncode == 1
    data = json.loads(out.stdout)
    gamma = next(s for s in data["sides"] if s["side"] == "gamma")
    assert gamma["complete"] and gamma["endings"] == {"gamma.end.deal": ["answer"]}
    assert [t["scene"] for t in gamma["traps"]] == ["gamma.circle", "gamma.lost"]
    # two traps, and alpha's {elif signed} that no path shows
    assert data["problems"] == 3 and data["endings_no_side_reaches"] == []
    alpha = next(s for s in data["sides"] if s["side"] == "alpha")
    assert [(a["line"], a["col"], a["tag"]) for a in alpha["passages"]["never_shown"]] == [(88, 1, "{elif signed}")]


def test_explore_command_at_the_cap(tmp_path: Path) -> None:
    out = boardroom("explore", "--story", str(copy_example(tmp_path, RESIGN)), "--side", "gamma", "--max-states", "5")
    assert out.returncode == 1
    assert "STOPPED at the cap of 5 states" in out.stdout
    assert "Raise --max-states" in out.stdout


@pytest.mark.parametrize("args, words", [
    (("--side", "delta"), "unknown side 'delta' (this story's sides: alpha, beta, gamma)"),
    (("--max-states", "0"), "--max-states must be at least 1"),
    (("--random", "0"), "--random needs a number of play-throughs of at least 1"),
])
def test_explore_command_usage_errors(args: tuple[str, ...], words: str) -> None:
    out = boardroom("explore", "--story", str(EXAMPLE), *args)
    assert out.returncode == 2 and words in out.stderr and "Traceback" not in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1


def test_explore_command_on_a_broken_story(tmp_path: Path) -> None:
    root = copy_example(tmp_path)
    (root / "gamma.toml").write_text((root / "gamma.toml").read_text().replace('goto = "gamma.end.deal"', 'goto = "x"'))
    out = boardroom("explore", "--story", str(root))
    assert out.returncode == 1 and "error[E104]" in out.stderr and "fix them first" in out.stderr
    assert "Traceback" not in out.stderr


def test_progress_bar_draws_only_on_a_terminal() -> None:
    from game.commands.explore import ProgressBar

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    tty, pipe = Terminal(), io.StringIO()
    for stream in (tty, pipe):
        bar = ProgressBar(stream, "states")
        bar.started -= 10  # as if it had been running a while
        bar("altman", 500, 1000)
        bar.clear()
    assert pipe.getvalue() == ""
    drawn = tty.getvalue()
    assert drawn.startswith("\r  altman") and "[###############...............] 500/1,000 states" in drawn
    assert drawn.endswith("\r") and "\n" not in drawn


# ----------------------------------------------------------------------------- generated stories


def test_generated_story_is_valid_explorable_and_reproducible(tmp_path: Path) -> None:
    root = generate_story(tmp_path / "gen", scenes=300, seed=1)
    assert check(str(root)) == []
    story = load_story(root)
    assert len(story.scenes) == 300 and len(story.sides) == 3 and story.observed_seen
    for r in explore(story):
        assert r.ok and r.endings, r.side
    assert story_texts(300, 1) == story_texts(300, 1)
    assert story_texts(300, 1) != story_texts(300, 2)
    first_line = (root / "altman" / "part000.toml").read_text(encoding="utf-8").splitlines()[0]
    assert first_line == "#:schema ../schema.json"


def test_generator_refuses_a_story_too_small_to_have_sides() -> None:
    with pytest.raises(ValueError):
        story_texts(5)


NEVER = """
[[extend."gamma.start".choice]]
id = "never"
text = "Never."
if = "false"
goto = "gamma.never"

[scene."gamma.never"]
side = "gamma"
at = 2023-11-16T10:30:00-08:00
title = "Never"
provenance = "counterfactual"
text = "Nobody comes here."

[[scene."gamma.never".choice]]
id = "back"
text = "Back."
goto = "gamma.end.deal"
"""


def test_explore_command_fails_when_a_scene_is_never_reached_unless_allowed(tmp_path: Path) -> None:
    root = copy_example(tmp_path, NEVER)
    out = boardroom("explore", "--story", str(root), "--side", "gamma")
    assert out.returncode == 1, out.stdout
    assert "never reached: 1 scene (this fails the exploration; pass --allow-unreached to accept it): gamma.never" \
        in out.stdout
    allowed = boardroom("explore", "--story", str(root), "--side", "gamma", "--allow-unreached")
    assert allowed.returncode == 0 and "allowed by --allow-unreached" in allowed.stdout


def test_explore_random_writes_the_loop_it_flags_and_prints_any_run_in_full(tmp_path: Path) -> None:
    from game.runs import read_run

    root = copy_example(tmp_path, LOST + CIRCLE)
    out = boardroom("explore", "--story", str(root), "--side", "gamma", "--random", "20", "--out", str(tmp_path / "runs"))
    assert out.returncode == 1
    loop = tmp_path / "runs" / "loop-gamma-gamma.circle.json"
    assert f"reproduce: boardroom play --load {loop}" in out.stdout
    assert len(read_run(loop).steps) == 1000
    first = int(out.stdout.split("LOOPS: ")[1].split("(first: run ")[1].split(";")[0])
    full = boardroom("explore", "--story", str(root), "--side", "gamma", "--random", "20", "--run", str(first))
    assert full.returncode == 0
    lines = full.stdout.splitlines()
    assert lines[0] == f"gamma, run {first} (seed '0:gamma:{first}'), 1,000 choices:"
    assert lines[-1].strip() == "gamma.circle: still going after 1,000 choices (a loop)"
    assert "  1000. gamma.circle > again" in lines
    assert boardroom("explore", "--story", str(root), "--run", "3").returncode == 2


# ----------------------------------------------------------------------------- passages never shown

THINK = """
[[extend."gamma.start".choice]]
id = "think"
text = "Think it over{if loyalty > 5} with the staff behind you{end}."
goto = "gamma.end.deal"
add = { loyalty = -1 }
outcome = "{if loyalty >= 5}You are sure.{else}You are unsure.{end}"
"""
"""Loyalty starts at 5 and only falls on gamma's side, so the label's passage never shows and,
after thinking costs a point, neither does the outcome's first branch; both can hold over
loyalty's range (0..10), so no static check (W116) can tell."""


def naive_shown(story, side: str) -> set[tuple[tuple[str, str, str], int, int]]:
    """Every passage arm the engine's own full states show: a scene's texts (and the labels of
    the choices it lists) in the state at the scene, an outcome in the state it leads to."""
    from game.engine.state import available, choose, new_state

    start = new_state(story, side)
    index = {start.key}
    states = [start]
    shown: set[tuple[tuple[str, str, str], int, int]] = set()

    def note(ref: tuple[str, str, str], template, state) -> None:
        if template is not None and template.passages:
            env = dict(zip(story.var_names, state.values))
            shown.update((ref, n, a) for n, a in template.shown(env, state.seen.__contains__))

    for state in states:
        scene = story.scenes[state.scene]
        note((scene.id, "text", ""), scene.body, state)
        note((scene.id, "headline", ""), scene.news, state)
        if scene.ending is not None:
            continue
        for c in scene.choices:
            ok = available(story, state, c)
            if ok or not c.hidden:
                note((scene.id, "label", c.id), c.label, state)
            if ok:
                nxt = choose(story, state, c.id)
                note((scene.id, "outcome", c.id), c.outcome, nxt)
                if nxt.key not in index:
                    index.add(nxt.key)
                    states.append(nxt)
    return shown


@pytest.mark.parametrize("extra", ["", THINK, LOST + CIRCLE], ids=["example", "think", "lost-circle"])
def test_the_arms_shown_are_those_every_full_state_shows(tmp_path: Path, extra: str) -> None:
    story = load_story(copy_example(tmp_path, extra))
    for side in story.sides:
        assert explore_side(story, side).shown == naive_shown(story, side)


def test_the_example_reports_only_the_arm_no_path_shows(story) -> None:
    alpha, beta, gamma = (explore_side(story, side) for side in ("alpha", "beta", "gamma"))
    # alpha.end.leave: {if loyalty < 5} and {else} show; {elif signed} never does (signing leads to the win)
    assert alpha.unshown_arms == [(("alpha.end.leave", "text", ""), 0, 1)]
    assert (("alpha.end.leave", "text", ""), 0, 0) in alpha.shown and (("alpha.end.leave", "text", ""), 0, 2) in alpha.shown
    assert (("alpha.noon", "headline", ""), 0, 0) in alpha.shown and (("alpha.noon", "headline", ""), 0, 1) in alpha.shown
    assert beta.unshown_arms == [] and gamma.unshown_arms == []
    assert sum(sum(n) for n in gamma.arm_counts.values()) == 3


def test_a_label_and_an_outcome_arm_no_path_shows_are_reported_where_they_are_written(tmp_path: Path) -> None:
    root = copy_example(tmp_path, THINK)
    out = boardroom("explore", "--story", str(root), "--side", "gamma")
    assert out.returncode == 1, out.stdout
    branch = root / "branch.toml"
    assert f"never shown: {branch}:4:22: choice 'think' in 'gamma.start': {{if loyalty > 5}}" in out.stdout
    assert (f"never shown: {branch}:7:12: the outcome of choice 'think' in 'gamma.start': {{if loyalty >= 5}}"
            in out.stdout)
    assert "passage branches: 4 of 6 shown" in out.stdout  # gamma's own three, and the outcome's {else}
    assert "never shown: 2 passage branches (this fails the exploration; pass --allow-unreached to accept it)" \
        in out.stdout
    allowed = boardroom("explore", "--story", str(root), "--side", "gamma", "--allow-unreached")
    assert allowed.returncode == 0, allowed.stdout
    assert "never shown: 2 passage branches (allowed by --allow-unreached)" in allowed.stdout


def test_the_example_fails_on_its_never_shown_arm_with_its_location() -> None:
    out = boardroom("explore", "--story", str(EXAMPLE), "--side", "alpha")
    assert out.returncode == 1
    assert "alpha.toml:88:1: scene 'alpha.end.leave''s text: {elif signed}" in out.stdout
    assert out.stdout.count("never shown:") == 2  # the arm, and the closing verdict
