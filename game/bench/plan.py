"""How much work each measurement does: the full run, or `--quick` for the smoke test."""

from __future__ import annotations

from game.records import record



class BenchError(Exception):
    """Something could not be measured at all (as opposed to measured and found slow)."""


@record
class Plan:
    quick: bool
    startup_runs: int
    """Runs of each program, the game and the bare Textual app, after one warm-up run each."""
    load_runs: int
    generated_scenes: int
    """Size of the generated story that loading and exploration are measured on."""
    explore_runs: int
    explore_cap: int
    """States per side before exploring the generated story stops: its rate is what we want."""
    replay_steps: int
    replay_runs: int
    respond_depths: tuple[int, int]
    """Steps of history behind the choices timed: few, then many."""
    respond_presses: int
    """Choice keys timed at each depth, on the terminal and headless."""
    memory_runs: int

    @classmethod
    def make(cls, quick: bool) -> "Plan":
        if quick:
            return cls(quick=True, startup_runs=1, load_runs=3, generated_scenes=200, explore_runs=1,
                       explore_cap=20_000, replay_steps=1_000, replay_runs=2, respond_depths=(10, 50),
                       respond_presses=2, memory_runs=1)
        return cls(quick=False, startup_runs=15, load_runs=7, generated_scenes=5_000, explore_runs=3,
                   explore_cap=40_000, replay_steps=10_000, replay_runs=7, respond_depths=(10, 5_000),
                   respond_presses=24, memory_runs=3)
