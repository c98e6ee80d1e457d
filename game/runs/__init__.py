"""Runs: a save and a replay are one thing — the choices made from a side's start, plus a snapshot.

- `model`   the run file's shape, `RunError`, and making a run from a state
- `replay`  loading a run (its snapshot, or its steps played again) and verifying it
- `files`   reading and writing run files: atomic writes, one-line errors for any bytes
- `saves`   the saves folder: autosave, quick save, named slots, unreadable files kept aside

Everything a front end uses is importable from `game.runs` itself. No Textual and no Rich.
"""

from game.engine.play import Divergence, StepLike
from game.runs.files import MAX_RUN_BYTES, dumps, parse_run, read_run, write_run
from game.runs.model import (
    FORMAT_VERSION, RunError, RunFile, Snapshot, StepRecord, Unplayable, golden_run, run_from_state, same_content,
    same_path,
)
from game.runs.replay import Resumed, branch, replay, resume, states, verify
from game.runs.saves import MAX_SLOT_BYTES, RESERVED_NAMES, TRASH, SaveEntry, Saves, safe_slot_name, slot_name_problem

__all__ = [
    "Divergence", "FORMAT_VERSION", "MAX_RUN_BYTES", "MAX_SLOT_BYTES", "RESERVED_NAMES", "Resumed", "RunError",
    "RunFile", "SaveEntry", "Saves", "Snapshot", "TRASH", "StepLike", "StepRecord", "Unplayable", "branch", "dumps",
    "golden_run", "parse_run", "read_run", "replay", "resume", "run_from_state", "same_content", "same_path",
    "safe_slot_name", "slot_name_problem", "states", "verify", "write_run",
]
