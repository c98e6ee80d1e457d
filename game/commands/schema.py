"""`boardroom schema`: the story format's JSON Schema, for editors.

The schema is generated from the pydantic models (`game.engine.model.StoryFile`), so it can
never disagree with the loader. It is written to `story/schema.json`; each story file names
it in its first line (`#:schema ./schema.json`, or `#:schema ../schema.json` one folder
down), and Taplo — the TOML engine of the Even Better TOML editor extension — then
validates, completes and documents every key while the author types.

`--check` changes nothing: it exits 1 when the written schema differs from the models or a
story file lacks its `#:schema` line, which keeps both honest in CI.
"""

from __future__ import annotations

import argparse
import json
import os
import stat
import sys
from pathlib import Path
from typing import Any, Optional

from game.engine.files import story_files
from game.engine.model import StoryFile

SCHEMA_NAME = "schema.json"


def story_schema() -> dict[str, Any]:
    """The JSON Schema of one story file, as a dict."""
    generated = _without_null(StoryFile.model_json_schema(by_alias=True, mode="validation"))
    generated.pop("title", None)
    generated.pop("description", None)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Boardroom story file",
        "description": "One TOML file of a Boardroom story. Generated from game/engine/model.py by "
                       "'boardroom schema'; do not edit. The authoring guide is story/README.md.",
        **generated,
    }


def _without_null(node: Any) -> Any:
    """TOML has no null: an optional key is simply left out, so `anyOf [X, null]` becomes X."""
    if isinstance(node, list):
        return [_without_null(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {k: _without_null(v) for k, v in node.items()}
    options = out.get("anyOf")
    if isinstance(options, list) and {"type": "null"} in options:
        rest = [o for o in options if o != {"type": "null"}]
        del out["anyOf"]
        if out.get("default", 0) is None:
            del out["default"]
        if len(rest) == 1:
            out = {**rest[0], **out}
        else:
            out["anyOf"] = rest
    return out


def _current(target: Path) -> Optional[str]:
    """The schema file as it is, if it is a plain file of a sensible size: a FIFO or a device
    given as the output is never opened for reading (the write refuses it with a reason)."""
    try:
        st = os.stat(target)
        if not stat.S_ISREG(st.st_mode) or st.st_size > 1024 * 1024:
            return None
        return target.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def render() -> str:
    """The schema as the exact text written to disk: stable key order, a final newline."""
    return json.dumps(story_schema(), indent=2, ensure_ascii=False) + "\n"


def schema_line(file: Path, schema: Path) -> str:
    """The `#:schema` line `file` should start with to find `schema`."""
    rel = Path(os.path.relpath(schema.resolve(), file.resolve().parent)).as_posix()
    return "#:schema " + (rel if rel.startswith("../") else "./" + rel)


def files_without_schema_line(root: Path, schema: Path) -> list[tuple[Path, str]]:
    """Story files whose first line is not the right `#:schema` line, with the line they need."""
    out = []
    for path in story_files(root):
        want = schema_line(path, schema)
        try:
            if not stat.S_ISREG(os.stat(path).st_mode):  # never open a FIFO or a device
                continue  # `check` reports it (E004)
            with path.open("rb") as fh:
                first = fh.readline(4096).decode("utf-8").strip()
        except (OSError, UnicodeDecodeError):
            first = ""
        if first != want:
            out.append((path, want))
    return out


def main(args: argparse.Namespace) -> int:
    root = Path(args.story)
    target = Path(args.output) if args.output else root / SCHEMA_NAME
    if not args.output and not root.is_dir():
        print(f"boardroom schema: error: story folder {str(root)!r} not found", file=sys.stderr)
        return 2
    text = render()
    current = _current(target)
    missing = files_without_schema_line(root, target) if root.is_dir() else []

    if args.check:
        ok = current == text
        if not ok:
            why = "is missing" if current is None else "is out of date with game/engine/model.py"
            print(f"{target}: {why}; run 'boardroom schema' to write it", file=sys.stderr)
        for path, want in missing:
            print(f"{path}:1:1: the first line should be '{want}' so editors validate the file", file=sys.stderr)
        if ok and not missing:
            print(f"{target} is up to date and every story file refers to it", file=sys.stderr)
        return 0 if ok and not missing else 1

    if current != text:
        from game.confine import write_output

        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            write_output(target, text)
        except OSError as exc:
            print(f"boardroom schema: error: cannot write {str(target)!r}: {exc.strerror or exc}", file=sys.stderr)
            return 1
        print(f"wrote {target}", file=sys.stderr)
    else:
        print(f"{target} is up to date", file=sys.stderr)
    for path, want in missing:
        print(f"{path}:1:1: add '{want}' as the first line so editors validate the file", file=sys.stderr)
    return 0
