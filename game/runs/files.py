"""Run files on disk: JSON that diffs well, written atomically, read back with one-line errors.

Every file a player gives is untrusted: whatever is in it, reading it ends in a `RunFile` or a
`RunError` that says in one line what is wrong (never a traceback, never a hang on a huge file).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from game.atomic import write_atomic
from game.runs.jsonpos import end_of, locate
from game.runs.model import FORMAT_VERSION, RunError, RunFile, decode_run

MAX_RUN_BYTES = 64 * 1024 * 1024
"""A 10,000-step run is about 1 MB; anything past this is not a run the game wrote."""


def dumps(run: RunFile) -> str:
    """The run as JSON, one step per line so files diff well (golden runs live in git)."""
    data = run.model_dump(mode="json")
    lines = ["{"]
    keys = list(data)
    for n, key in enumerate(keys):
        comma = "," if n < len(keys) - 1 else ""
        value = data[key]
        if key == "steps" and value:
            # One C-level dump for all steps, then a line break between them. `}, {"` cannot occur
            # inside a JSON string (a quote in a string is always escaped), so the split is exact.
            body = json.dumps(value, ensure_ascii=False)[1:-1].replace('}, {"', '},\n    {"')
            lines.append(f"  {json.dumps(key)}: [\n    {body}\n  ]{comma}")
        else:
            lines.append(f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}{comma}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def write_run(run: RunFile, path: Path) -> None:
    """Write `run` to `path` atomically (see `game.atomic`): whole old file or whole new file."""
    write_run_data(dumps(run).encode("utf-8"), path)


def write_run_data(data: bytes, path: Path) -> None:
    """`write_run` for a run already turned into bytes by `dumps` (and checked by reading them back)."""
    path = Path(path)
    try:
        write_atomic(path, data)
    except OSError as exc:
        raise _fail(path, f"cannot write: {exc.strerror or exc}") from None


CODES = {
    "R001": "the file cannot be read: missing, a folder, not a regular file, or no permission",
    "R002": "not a run file: empty, too large, not UTF-8, or JSON that is not a Boardroom run",
    "R003": "invalid JSON: cut off (truncated) or corrupt",
    "R004": "a run format this version does not read: from a newer Boardroom, or unknown",
    "R005": "an invalid run: a field missing, unknown, or with a value a run cannot hold",
}
"""Run-file error codes, as `boardroom replay` prints them: `path:line:col: error[R003] ...`."""


def _fail(path: Path, reason: str, code: str = "R001", at: tuple[int, int] = (1, 1),
          located: str | None = None) -> RunError:
    return RunError(f"{path}: {reason}", path=path, reason=reason, code=code, line=at[0], col=at[1], located=located)


def read_run(path: Path) -> RunFile:
    """The run in `path`, or a `RunError` that says what is wrong with the file, in one line."""
    path = Path(path)
    try:
        if path.is_dir():
            raise _fail(path, "is a folder, not a run file")
        if path.exists() and not path.is_file():
            raise _fail(path, "not a regular file")
        with open(path, "rb") as f:
            raw = f.read(MAX_RUN_BYTES + 1)
    except FileNotFoundError:
        raise _fail(path, "no such file") from None
    except OSError as exc:
        raise _fail(path, f"cannot read: {exc.strerror or exc}") from None
    return parse_run(raw, path)


def parse_run(raw: bytes, path: Path) -> RunFile:
    """`read_run` on bytes already read; `path` names the file in errors."""
    if len(raw) > MAX_RUN_BYTES:
        raise _fail(path, f"not a run file (larger than {MAX_RUN_BYTES // (1024 * 1024)} MB)", "R002")
    if not raw.strip():
        raise _fail(path, "empty file (not a run)", "R002")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        at = (raw.count(b"\n", 0, exc.start) + 1, exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1)
        raise _fail(path, f"not a run file (not UTF-8 text: {exc.reason} at byte {exc.start})", "R002", at) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        if _truncated(text, exc):
            raise _fail(path, "truncated: the JSON ends early (was the save interrupted?)", "R003",
                        end_of(text)) from None
        raise _fail(path, f"corrupt: invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg.lower()}", "R003",
                    (exc.lineno, exc.colno), f"corrupt: invalid JSON: {exc.msg.lower()}") from None
    except (ValueError, RecursionError) as exc:
        raise _fail(path, f"corrupt: invalid JSON ({short(str(exc) or type(exc).__name__)})", "R003") from None
    if not isinstance(data, dict):
        raise _fail(path, f"not a Boardroom run (the JSON is {_json_kind(data)}, not an object)", "R002",
                    locate(text, ()))
    fmt = data.get("format")
    if "format" not in data or "story_id" not in data:
        raise _fail(path, "not a Boardroom run (no 'format' and 'story_id' keys)", "R002", locate(text, ()))
    if isinstance(fmt, bool) or not isinstance(fmt, int):
        raise _fail(path, f"not a Boardroom run (format is {short(repr(fmt))}, not a number)", "R002",
                    locate(text, ("format",)))
    if fmt > FORMAT_VERSION:
        raise _fail(path, f"written by a newer Boardroom (run format {fmt}; this version reads up to {FORMAT_VERSION})",
                    "R004", locate(text, ("format",)))
    if fmt < 1:
        raise _fail(path, f"unknown run format {fmt}", "R004", locate(text, ("format",)))
    run = decode_run(data)
    if run is None:
        run = _validate(data, path, text)
    if run.ending is not None and run.ending != run.snapshot.scene:
        raise _fail(path, f"invalid run: ending {run.ending!r} is not the snapshot's scene {run.snapshot.scene!r}",
                    "R005", locate(text, ("ending",)))
    return run


def _validate(data: dict[str, object], path: Path, text: str) -> RunFile:
    """A run file not spelled as the game writes them: the schema reads it, or says what is wrong
    and where in `text` (the file's JSON)."""
    from game.runs.schema import ValidationError, validate_run

    try:
        return validate_run(data)
    except ValidationError as exc:
        errors = exc.errors()
        first = errors[0]
        where = ".".join(str(p) for p in first["loc"]) or "file"
        more = f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})" if len(errors) > 1 else ""
        raise _fail(path, f"invalid run: {where}: {short(first['msg'].lower())}{more}", "R005",
                    _locate_safely(text, first["loc"])) from None
    except (ValueError, TypeError, RecursionError) as exc:
        raise _fail(path, f"invalid run ({short(str(exc))})", "R005") from None


def _locate_safely(text: str, loc: tuple[object, ...]) -> tuple[int, int]:
    """`locate` for a validation error's path; a path it cannot follow points at the start."""
    path = [p for p in loc if isinstance(p, (str, int))]
    try:
        return locate(text, path)
    except (ValueError, IndexError):  # scanstring on text the walk misread: never worse than 1:1
        return 1, 1


def _truncated(text: str, exc: json.JSONDecodeError) -> bool:
    """Whether the JSON stops mid-way (an interrupted write) rather than being wrong mid-way."""
    rest = text[exc.pos:].rstrip()
    if not rest:
        return True
    if "\n" in rest:
        return False
    return (exc.msg.startswith("Unterminated string") or any(lit.startswith(rest) for lit in ("true", "false", "null"))
            or re.fullmatch(r"[-+.eE0-9]+", rest) is not None)


def short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _json_kind(value: object) -> str:
    return {list: "a list", str: "a string", int: "a number", float: "a number", bool: "true or false"}.get(
        type(value), "null")
