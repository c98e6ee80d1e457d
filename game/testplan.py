"""Test plans: small TOML files beside the story that pin down what a player must meet.

A plan holds `[[test]]` tables. Each starts a side (optionally at a scene, with some variable
values), then runs its `[[test.step]]`s in order: a step may take choices by id and then
checks what the player would see there — the scene, variable values, text shown or not shown,
locked and open choices, the ending. Every failure is one line,
`path:line:col: error[T...] expected ..., got ...`, pointing at the key in the plan.

The plans run on the engine alone (`view`, `choose`), exactly as every front end plays.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Optional, Sequence, Union

import tomli

from game.engine.diagnostics import Diagnostic
from game.engine.sourcemap import split_key
from game.engine.state import ChoiceError, State, choose, new_state, reason, start_at, view
from game.engine.story import Story, Value
from game.format import outcome_text
from game.records import record

TEST_KEYS = {"name", "side", "from", "set", "step"}
STEP_KEYS = {"choose", "scene", "vars", "shows", "hides", "locked", "open", "ending"}

CODES = {
    "T001": "the plan file is not TOML or not a plan",
    "T002": "the plan names a side, scene, variable or choice the story does not have",
    "T101": "a choice the plan takes cannot be taken",
    "T102": "the wrong scene",
    "T103": "a variable with the wrong value",
    "T104": "text that should show does not",
    "T105": "text that should not show does",
    "T106": "a choice that should be locked is not, or for another reason",
    "T107": "a choice that should be open is locked or missing",
    "T108": "the wrong ending, or no ending",
}


@record
class PlanResult:
    file: str
    tests: int
    failures: list[Diagnostic]


class _Plan:
    def __init__(self, story: Story, file: str, text: str):
        self.story = story
        self.file = file
        self.text = text
        self.keys = _key_lines(text)
        self.failures: list[Diagnostic] = []

    def locate(self, key: tuple[Any, ...]) -> tuple[int, int]:
        """The line of `key`, or of the deepest table around it that is written out."""
        while key:
            if key in self.keys:
                return self.keys[key]
            key = key[:-1]
        return 1, 1

    def fail(self, key: tuple[Any, ...], code: str, message: str, needle: str = "") -> None:
        line, col = self.locate(key)
        if needle:
            lines = self.text.splitlines()
            if 0 < line <= len(lines):
                at = lines[line - 1].find(needle)
                if at >= 0:
                    col = at + 1
        self.failures.append(Diagnostic(self.file, line, col, "error", code, message))


_HEADER = re.compile(r"^\s*\[\[\s*(test(?:\s*\.\s*step)?)\s*\]\]")
_KEY = re.compile(r"^\s*([A-Za-z0-9_\-]+|\"[^\"]*\")\s*=")


def _key_lines(text: str) -> dict[tuple[Any, ...], tuple[int, int]]:
    """Where each test, step and key of a plan is: ('test', i, 'step', j, key) -> (line, col).
    Plans are written as `[[test]]` and `[[test.step]]` tables, which a general key map would
    number apart; here a step counts within its test. Inline tables give their keys too."""
    out: dict[tuple[Any, ...], tuple[int, int]] = {}
    table: tuple[Any, ...] = ()
    tests = steps = -1
    for number, line in enumerate(text.splitlines(), 1):
        m = _HEADER.match(line)
        if m:
            if "step" in m.group(1):
                steps += 1
                table = ("test", max(tests, 0), "step", steps)
            else:
                tests += 1
                steps = -1
                table = ("test", tests)
            out.setdefault(table, (number, 1))
            continue
        k = _KEY.match(line)
        if k and table:
            name = split_key(k.group(1))[0]
            out.setdefault(table + (name,), (number, k.start(1) + 1))
            rest = line[k.end():]
            if rest.lstrip().startswith("{"):
                for sub in re.finditer(r"([A-Za-z0-9_\-]+)\s*=", rest):
                    out.setdefault(table + (name, sub.group(1)), (number, k.end() + sub.start(1) + 1))
    return out


def run_plan(story: Story, path: Path, shown_as: Optional[str] = None) -> PlanResult:
    """Run every test in the plan at `path`; the failures, located in the plan."""
    file = shown_as or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return PlanResult(file, 0, [Diagnostic(file, 1, 1, "error", "T001", f"cannot read the plan ({exc})")])
    plan = _Plan(story, file, text)
    try:
        data = tomli.loads(text)
    except tomli.TOMLDecodeError as exc:
        line, col = getattr(exc, "lineno", 1) or 1, getattr(exc, "colno", 1) or 1
        msg = getattr(exc, "msg", str(exc))
        return PlanResult(file, 0, [Diagnostic(file, line, col, "error", "T001", f"TOML syntax: {msg}")])
    extra = sorted(set(data) - {"test"})
    if extra:
        plan.fail((extra[0],), "T001", f"unknown table {extra[0]!r}: a plan holds [[test]] tables")
    tests = data.get("test", [])
    if not isinstance(tests, list) or not tests:
        plan.fail(("test",), "T001", "a plan needs at least one [[test]] table")
        return PlanResult(file, 0, plan.failures)
    for i, test in enumerate(tests):
        _run_test(plan, i, test)
    return PlanResult(file, len(tests), plan.failures)


def _run_test(plan: _Plan, i: int, test: dict[str, Any]) -> None:
    story = plan.story
    key = ("test", i)
    name = test.get("name", f"test {i + 1}")
    label = f"test {name!r}"
    for k in sorted(set(test) - TEST_KEYS):
        plan.fail(key + (k,), "T001", f"{label}: unknown key {k!r} (keys: {', '.join(sorted(TEST_KEYS))})")
        return
    side = test.get("side")
    if not isinstance(side, str) or side not in story.sides:
        plan.fail(key + ("side",), "T002", f"{label}: side must be one of {', '.join(story.sides)}, got {side!r}")
        return
    start = test.get("from")
    values = test.get("set", {})
    if not isinstance(values, dict):
        plan.fail(key + ("set",), "T001", f"{label}: set must be a table, like set = {{ loyalty = 7 }}")
        return
    try:
        if start is not None or values:
            state = start_at(story, side, start if start is not None else story.sides[side].start, values)
        else:
            state = new_state(story, side)
    except ChoiceError as exc:
        plan.fail(key + ("from",), "T002", f"{label}: {exc}")
        return
    except ValueError as exc:
        plan.fail(key + ("set",), "T002", f"{label}: {exc}")
        return
    steps = test.get("step", [])
    if not isinstance(steps, list) or not steps:
        plan.fail(key, "T001", f"{label}: needs at least one [[test.step]]")
        return
    for j, step in enumerate(steps):
        state_or_none = _run_step(plan, key + ("step", j), label, step, state)
        if state_or_none is None:
            return  # a step that cannot be taken ends the test: later checks would only cascade
        state = state_or_none


def _run_step(plan: _Plan, key: tuple[Any, ...], label: str, step: dict[str, Any], state: State) -> Optional[State]:
    story = plan.story
    where = f"{label}, step {key[-1] + 1}"
    if not isinstance(step, dict):
        plan.fail(key, "T001", f"{where}: a step is a table")
        return None
    for k in sorted(set(step) - STEP_KEYS):
        plan.fail(key + (k,), "T001", f"{where}: unknown key {k!r} (keys: {', '.join(sorted(STEP_KEYS))})")
        return None
    chosen = step.get("choose", [])
    for choice_id in [chosen] if isinstance(chosen, str) else chosen:
        try:
            state = choose(story, state, choice_id)
        except ChoiceError as exc:
            code = "T002" if exc.kind == "unknown-choice" else "T101"
            plan.fail(key + ("choose",), code, f"{where}: cannot choose {choice_id!r} in {state.scene!r}: {exc}",
                      f'"{choice_id}"')
            return None
    v = view(story, state)
    seen_text = "\n".join([outcome_text(v), v.text, v.headline, *(c.text for c in v.choices)])
    if "scene" in step and step["scene"] != state.scene:
        plan.fail(key + ("scene",), "T102", f"{where}: expected scene {step['scene']!r}, got {state.scene!r}")
    values = state.vars(story)
    for name, want in _table(step.get("vars")).items():
        if name not in values:
            plan.fail(key + ("vars", name), "T002", f"{where}: unknown variable {name!r}", name)
        elif values[name] != want or type(values[name]) is not type(want):
            plan.fail(key + ("vars", name), "T103",
                      f"{where}: expected {name} = {_show(want)}, got {_show(values[name])}", name)
    for text in _strings(step.get("shows")):
        if text not in seen_text:
            plan.fail(key + ("shows",), "T104", f"{where}: expected the player to read {text!r} in {state.scene!r}, "
                                                f"but it is not shown{_near(seen_text, text)}", text[:20])
    for text in _strings(step.get("hides")):
        if text in seen_text:
            plan.fail(key + ("hides",), "T105", f"{where}: expected {text!r} not to be shown in {state.scene!r}, "
                                                "but it is", text[:20])
    scene = story.scenes[state.scene]
    for choice_id, why in _table(step.get("locked")).items():
        choice = scene.choice(choice_id)
        if choice is None:
            plan.fail(key + ("locked", choice_id), "T002", f"{where}: {state.scene!r} has no choice {choice_id!r}", choice_id)
        elif choice.condition is None or choice.condition.holds(values, state.seen.__contains__):
            plan.fail(key + ("locked", choice_id), "T106", f"{where}: expected {choice_id!r} to be locked, got open",
                      choice_id)
        elif str(why) not in reason(story, state, choice):
            plan.fail(key + ("locked", choice_id), "T106",
                      f"{where}: expected {choice_id!r} locked because {why!r}, got {reason(story, state, choice)!r}",
                      choice_id)
    for choice_id in _strings(step.get("open")):
        match = next((c for c in v.choices if c.id == choice_id), None)
        if match is None or not match.available:
            got = "missing" if scene.choice(choice_id) is None else "hidden" if match is None else f"locked: {match.reason}"
            plan.fail(key + ("open",), "T107", f"{where}: expected {choice_id!r} open, got {got}", choice_id)
    if "ending" in step:
        want = step["ending"]
        reached = scene.ending
        if reached is None:
            plan.fail(key + ("ending",), "T108", f"{where}: expected ending {want!r}, got no ending (at {state.scene!r})")
        elif want not in (state.scene, reached.title):
            plan.fail(key + ("ending",), "T108",
                      f"{where}: expected ending {want!r}, got {state.scene!r} ({reached.title!r})")
    return state


def _table(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _show(value: Union[Value, Any]) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if isinstance(value, str) else str(value)


def _near(shown: str, wanted: str) -> str:
    """The start of what is shown, so a failure says what the player read instead."""
    first = " ".join(shown.split())[:70]
    return f" (the scene reads: {first!r}...)" if first else ""


def plan_files(story_root: Path, given: Sequence[str]) -> list[Path]:
    """The plans to run: the files given (folders expand to their `*.toml`), else `tests/*.toml`
    in the story folder."""
    if not given:
        return sorted((story_root / "tests").glob("*.toml"))
    out: list[Path] = []
    for item in given:
        p = Path(item)
        out.extend(sorted(p.glob("*.toml")) if p.is_dir() else [p])
    return out
