"""`boardroom schema`: the committed JSON Schema matches the models, and every story file points at it."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import tomli

from game.engine.load import story_files
from game.commands.schema import files_without_schema_line, render, schema_line, story_schema

ROOT = Path(__file__).parent.parent
STORY = ROOT / "story"
EXAMPLE = Path(__file__).parent / "fixtures" / "example"


def boardroom(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "game", *args], capture_output=True, text=True, timeout=60, cwd=cwd)


def test_committed_schema_is_the_generated_one() -> None:
    committed = (STORY / "schema.json").read_text(encoding="utf-8")
    assert committed == render(), "story/schema.json is stale: run 'boardroom schema' and commit it"


def test_every_story_file_starts_with_its_schema_line() -> None:
    missing = files_without_schema_line(STORY, STORY / "schema.json")
    assert not missing, "\n".join(f"{p}: first line should be '{want}'" for p, want in missing)


def test_schema_line_is_relative_to_the_file() -> None:
    assert schema_line(STORY / "story.toml", STORY / "schema.json") == "#:schema ./schema.json"
    assert schema_line(STORY / "altman" / "friday.toml", STORY / "schema.json") == "#:schema ../schema.json"


def test_schema_follows_the_models() -> None:
    schema = story_schema()
    defs = schema["$defs"]
    assert set(schema["properties"]) == {"story", "side", "var", "source", "outlet", "partner", "scene", "extend",
                                         "history"}
    assert schema["additionalProperties"] is False  # a misspelt table is flagged in the editor too
    choice = defs["ChoiceModel"]
    assert "if" in choice["properties"] and "if_" not in choice["properties"]
    assert choice["properties"]["if"] == {"type": "string", "title": "If",
                                          "description": "Condition; the choice is locked unless it holds."}
    assert set(choice["required"]) == {"id", "text", "goto"} and choice["additionalProperties"] is False
    assert defs["SceneModel"]["properties"]["provenance"]["enum"] == ["documented", "reported", "counterfactual"]
    assert "null" not in json.dumps(schema)  # TOML has no null: optional keys are simply absent


# ----------------------------------------------------------------------------- files agree with the schema


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = schema["$defs"][node["$ref"].rsplit("/", 1)[1]]
    return node


def _unknown_keys(schema: dict[str, Any], node: dict[str, Any], value: Any, where: str) -> list[str]:
    """Keys in `value` that the schema would flag: what Taplo underlines as the author types."""
    node = _resolve(schema, node)
    out: list[str] = []
    if isinstance(value, dict):
        props = node.get("properties", {})
        extra = node.get("additionalProperties", True)
        for key, sub in value.items():
            if key in props:
                out += _unknown_keys(schema, props[key], sub, f"{where}.{key}")
            elif isinstance(extra, dict):
                out += _unknown_keys(schema, extra, sub, f"{where}.{key}")
            elif extra is False:
                out.append(f"{where}.{key}")
        out += [f"{where}.{k} (required)" for k in node.get("required", []) if k not in value]
    elif isinstance(value, list) and "items" in node:
        for i, item in enumerate(value):
            out += _unknown_keys(schema, node["items"], item, f"{where}[{i}]")
    return out


def test_shipped_and_example_story_files_validate_against_the_schema() -> None:
    schema = story_schema()
    for root in (STORY, EXAMPLE):
        for path in story_files(root):
            data = tomli.loads(path.read_text(encoding="utf-8"))
            assert _unknown_keys(schema, schema, data, path.name) == [], path


def test_a_misspelt_key_is_what_the_schema_flags() -> None:
    schema = story_schema()
    data = tomli.loads('[scene."a"]\nside = "a"\nat = 2023-11-16T09:00:00-08:00\ntitle = "t"\n'
                       'provenance = "counterfactual"\ntext = "x"\n[[scene."a".choice]]\nid = "c"\ntext = "t"\ngotoo = "b"\n')
    assert _unknown_keys(schema, schema, data, "f") == ["f.scene.a.choice[0].gotoo", "f.scene.a.choice[0].goto (required)"]


# ----------------------------------------------------------------------------- the command


def test_schema_check_passes_on_the_repository() -> None:
    out = boardroom("schema", "--check", cwd=ROOT)
    assert out.returncode == 0, out.stderr


def test_schema_writes_and_check_catches_staleness_and_missing_lines(tmp_path: Path) -> None:
    root = tmp_path / "story"
    shutil.copytree(EXAMPLE, root)
    out = boardroom("schema", "--check", "--story", str(root))
    assert out.returncode == 1
    assert f"{root / 'schema.json'}: is missing; run 'boardroom schema' to write it" in out.stderr
    assert f"{root / 'story.toml'}:1:1: the first line should be '#:schema ./schema.json'" in out.stderr

    out = boardroom("schema", "--story", str(root))
    assert out.returncode == 0 and f"wrote {root / 'schema.json'}" in out.stderr
    assert (root / "schema.json").read_text(encoding="utf-8") == render()
    assert "add '#:schema ./schema.json' as the first line" in out.stderr

    for path in story_files(root):
        path.write_text(schema_line(path, root / "schema.json") + "\n" + path.read_text(encoding="utf-8"))
    assert boardroom("schema", "--check", "--story", str(root)).returncode == 0
    assert boardroom("check", str(root)).returncode == 0  # the line is a comment to the loader

    (root / "schema.json").write_text('{"stale": true}\n')
    out = boardroom("schema", "--check", "--story", str(root))
    assert out.returncode == 1 and "is out of date" in out.stderr
    out = boardroom("schema", "--story", str(root))
    assert out.returncode == 0 and (root / "schema.json").read_text(encoding="utf-8") == render()


def test_schema_to_another_file(tmp_path: Path) -> None:
    out = boardroom("schema", "--story", str(EXAMPLE), "-o", str(tmp_path / "s.json"))
    assert out.returncode == 0
    assert json.loads((tmp_path / "s.json").read_text())["title"] == "Boardroom story file"


def test_schema_with_a_missing_story_folder(tmp_path: Path) -> None:
    out = boardroom("schema", "--story", str(tmp_path / "nope"))
    assert out.returncode == 2 and "story folder" in out.stderr and "not found" in out.stderr


@pytest.mark.skipif(shutil.which("taplo") is None, reason="taplo is not installed")
def test_taplo_checks_every_story_file_against_the_schema_and_leaves_their_format_alone(tmp_path: Path) -> None:
    repo = Path(__file__).parent.parent
    shutil.copytree(repo / "story", tmp_path / "story")
    shutil.copy(repo / ".taplo.toml", tmp_path / ".taplo.toml")
    fmt = subprocess.run(["taplo", "fmt", "--check"], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert fmt.returncode == 0, fmt.stderr
    assert subprocess.run(["taplo", "check"], cwd=tmp_path, capture_output=True, timeout=60).returncode == 0
    # no #:schema line needed: the config maps the schema to every story file
    broken = tmp_path / "story" / "altman" / "friday.toml"
    text = broken.read_text(encoding="utf-8").replace("#:schema ../schema.json\n", "")
    broken.write_text(text.replace('title = "Noon, Las Vegas"', 'titel = "Noon, Las Vegas"'), encoding="utf-8")
    check = subprocess.run(["taplo", "check"], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert check.returncode != 0 and "friday.toml" in check.stderr
