"""`boardroom graph`: the story as DOT or Mermaid — provenance colours, endings, conditions on edges,
and Mermaid that GitHub can render whatever the scene titles contain."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from game.engine import load_story
from game.commands.graph import COLOURS, View, mermaid_text, to_dot, to_mermaid

EXAMPLE = Path(__file__).parent / "fixtures" / "example"


@pytest.fixture(scope="module")
def story():
    return load_story(EXAMPLE)


def boardroom(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "game", *args], capture_output=True, text=True, timeout=60, cwd=cwd)


# ----------------------------------------------------------------------------- DOT


def test_dot_has_every_scene_coloured_by_provenance_and_every_choice(story) -> None:
    dot = to_dot(story)
    assert dot.startswith('digraph "example" {') and dot.rstrip().endswith("}")
    for sid, scene in story.scenes.items():
        fill, border = COLOURS[scene.provenance]
        (line,) = [l for l in dot.splitlines() if l.strip().startswith(f'"{sid}" [')]
        assert f'fillcolor="{fill}"' in line and f'color="{border}"' in line
        assert ("peripheries=2" in line) == (scene.ending is not None)
    edges = [l for l in dot.splitlines() if " -> " in l and not l.strip().startswith('"start')]
    assert len(edges) == sum(len(s.choices) for s in story.scenes.values())


def test_dot_labels_conditional_edges_and_marks_the_historical_ending(story) -> None:
    dot = to_dot(story)
    assert '"alpha.noon" -> "alpha.end.win" [tooltip="fight: Fight for the chair.", label="loyalty >= 7", style=dashed];' in dot
    assert '"alpha.start" -> "alpha.noon" [tooltip="rally: Rally the staff."];' in dot
    assert "★ ENDING: The return" in dot and "★ ENDING: The exit" not in dot
    assert '[shape=plaintext, style="", label="start: Alpha"]' in dot


def test_dot_quotes_what_it_must(tmp_path: Path) -> None:
    root = tmp_path / "s"
    shutil.copytree(EXAMPLE, root)
    p = root / "alpha.toml"
    p.write_text(p.read_text().replace('title = "Noon"', 'title = "Say \\"no\\" \\\\ leave"'))
    dot = to_dot(load_story(root))
    assert 'label="Say \\"no\\" \\\\ leave\\nalpha.noon' in dot


def test_dot_for_one_side_keeps_what_it_reaches(story) -> None:
    dot = to_dot(story, "beta")
    assert '"beta.start"' in dot and '"alpha.start"' not in dot and '"gamma.start"' not in dot
    assert 'label="The Example — Beta"' in dot


# ----------------------------------------------------------------------------- Mermaid

UNSAFE = set('"<>&|`[]{}#')


def label_texts(mermaid: str) -> list[str]:
    """Every quoted label in a Mermaid flowchart."""
    return re.findall(r'"([^"\n]*)"', mermaid)


def test_mermaid_structure(story) -> None:
    text, edges = to_mermaid(story)
    lines = text.splitlines()
    assert lines[0] == "flowchart LR"
    assert sum(1 for l in lines if l.strip().startswith("subgraph ")) == 3
    assert sum(1 for l in lines if l.strip() == "end") == 3
    # one edge per choice, parallel ones too: beta.start -> beta.end.fold has 'fold' and 'sign'
    assert edges == 3 + 11
    node = {m.group(2): m.group(1) for m in re.finditer(r"^    (n\d+)\(?\[\"(?:[^<]*<br/>)*?([a-z.]+) · ", text, re.M)}
    start, fold = node["beta.start"], node["beta.end.fold"]
    assert len([l for l in lines if l.startswith(f"  {start} ") and l.endswith(f" {fold}")]) == 2
    assert '-.->|"loyalty #gt;= 7"|' in text
    assert '(["★ ENDING: The return<br/>Back in the chair<br/>alpha.end.win · Fri 17 Nov, 20:00 PT"])' in text
    classes = {m.group(2): m.group(1).split(",") for m in re.finditer(r"^  class (\S+) (\w+)$", text, re.M)}
    assert set(classes) >= {"documented", "reported", "counterfactual", "ending"}
    assert len(classes["ending"]) == len(story.endings)


def test_mermaid_node_ids_are_plain(story) -> None:
    text, _ = to_mermaid(story)
    ids = re.findall(r"^\s+(\w+)[\[(]", text, re.M)
    assert ids and all(re.fullmatch(r"(n|start|side)\d+", i) for i in ids)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_mermaid_text_leaves_nothing_mermaid_would_parse(text: str) -> None:
    out = mermaid_text(text)
    parts = out.split("<br/>")
    for part in parts:
        raw = re.sub(r"#\d+;|#(quot|lt|gt|amp);", "", part)
        assert not (set(raw) & UNSAFE), (text, out)
        assert "\n" not in part and "\r" not in part


def test_mermaid_escapes_titles_and_conditions(tmp_path: Path) -> None:
    root = tmp_path / "s"
    shutil.copytree(EXAMPLE, root)
    p = root / "alpha.toml"
    p.write_text(p.read_text()
                 .replace('title = "Noon"', 'title = "end | \\"quoted\\" <b>#1 & (x)"')
                 .replace('if = "loyalty >= 7"', 'if = "loyalty >= 7 and loyalty != 9"'))
    text, _ = to_mermaid(load_story(root))
    assert "[\"end #124; #quot;quoted#quot; #lt;b#gt;#35;1 #amp; (x)<br/>alpha.noon" in text
    assert '-.->|"loyalty #gt;= 7 and loyalty != 9"|' in text
    for label in label_texts(text):
        raw = re.sub(r"#\d+;|#(quot|lt|gt|amp);|<br/>", "", label)
        assert not (set(raw) & UNSAFE), label


def test_mermaid_for_one_side(story) -> None:
    text, edges = to_mermaid(story, "gamma")
    assert "gamma.start" in text and "alpha.start" not in text
    assert edges == 1 + 2  # the start arrow, answer, ignore (a loop)


# ----------------------------------------------------------------------------- the command


def test_graph_command_writes_markdown_that_github_renders(tmp_path: Path) -> None:
    out = boardroom("graph", "--story", str(EXAMPLE), "-o", str(tmp_path / "map.md"))
    assert out.returncode == 0 and "wrote" in out.stderr
    text = (tmp_path / "map.md").read_text(encoding="utf-8")
    assert text.startswith("```mermaid\nflowchart LR\n") and text.endswith("```\n")


def test_graph_command_dot_to_stdout() -> None:
    out = boardroom("graph", "--story", str(EXAMPLE), "--format", "dot", "--side", "alpha")
    assert out.returncode == 0 and out.stdout.startswith('digraph "example"') and out.stderr == ""


def test_graph_command_unknown_side() -> None:
    out = boardroom("graph", "--story", str(EXAMPLE), "--side", "omega")
    assert out.returncode == 2
    assert out.stderr.strip() == "boardroom graph: error: unknown side 'omega' (this story's sides: alpha, beta, gamma)"


def test_graph_command_warns_when_github_would_refuse_the_diagram(tmp_path: Path) -> None:
    from game.generate import generate_story

    root = generate_story(tmp_path / "big", scenes=600, seed=0)
    out = boardroom("graph", "--story", str(root))
    assert out.returncode == 0
    assert "GitHub renders Mermaid diagrams only below 500 edges" in out.stderr
    assert "--side" in out.stderr


def test_mermaid_keeps_parallel_edges_and_shows_their_conditions(tmp_path: Path) -> None:
    root = tmp_path / "s"
    shutil.copytree(EXAMPLE, root)
    (root / "more.toml").write_text(
        '[[extend."alpha.noon".choice]]\nid = "plead"\ntext = "Plead."\nif = "scale < 3"\ngoto = "alpha.end.win"\n')
    text, _ = to_mermaid(load_story(root))
    # two choices lead from alpha.noon to alpha.end.win: two arrows, each with its own condition
    assert '-.->|"loyalty #gt;= 7"|' in text and '-.->|"scale #lt; 3"|' in text


def test_an_ending_does_not_repeat_its_title(tmp_path: Path) -> None:
    root = tmp_path / "s"
    shutil.copytree(EXAMPLE, root)
    p = root / "alpha.toml"
    p.write_text(p.read_text().replace('title = "Back in the chair"', 'title = "The return"'))
    story = load_story(root)
    mermaid, _ = to_mermaid(story)
    assert '(["★ ENDING: The return<br/>alpha.end.win · ' in mermaid
    dot = to_dot(story)
    assert 'label="★ ENDING: The return\\nalpha.end.win\\n' in dot


def test_the_neighbourhood_of_one_scene_top_to_bottom(story) -> None:
    view = View(around="alpha.noon", depth=1, layout="tb")
    text, edges = to_mermaid(story, None, view)
    assert text.splitlines()[0] == "flowchart TB"
    assert all(s in text for s in ("alpha.start", "alpha.noon", "alpha.end.win", "alpha.end.leave"))
    assert "beta." not in text and "gamma." not in text
    assert re.search(r"^  class n\d+ centre$", text, re.M)
    dot = to_dot(story, None, View(around="alpha.start", depth=1, layout="tb"))
    assert "rankdir=TB" in dot and '"alpha.noon"' in dot and '"alpha.end.win"' not in dot
    assert "around alpha.start, 1 choice away" in dot


def test_graph_command_around_a_scene(tmp_path: Path) -> None:
    out = boardroom("graph", "--story", str(EXAMPLE), "--around", "alpha.noon", "--depth", "1", "--layout", "tb")
    assert out.returncode == 0 and out.stdout.startswith("flowchart TB") and "beta.start" not in out.stdout
    bad = boardroom("graph", "--story", str(EXAMPLE), "--around", "alpha.nono")
    assert bad.returncode == 2 and "unknown scene 'alpha.nono' (did you mean 'alpha.noon'?)" in bad.stderr
