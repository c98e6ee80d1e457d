"""`explore --shape`: the numbers that say whether choices branch the story."""

from __future__ import annotations

import json
import pytest

from game.cli import main
from game.engine import load_story
from game.engine.shape import documented_scenes, side_shape

from conftest import EXAMPLE


def test_example_shape_names_the_scene_whose_choices_all_lead_one_way() -> None:
    story = load_story(EXAMPLE)
    alpha = side_shape(story, "alpha")
    assert alpha.scenes == 4 and alpha.endings == 2
    assert alpha.same_target == ["alpha.start"]
    assert alpha.unacknowledged == []
    assert alpha.single_option == []
    on_path = documented_scenes(story, "alpha")
    assert on_path[0] == story.sides["alpha"].start
    assert set(alpha.off_path) == {s for s, sc in story.scenes.items() if sc.side == "alpha"} - set(on_path)


def test_shape_command_prints_the_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--story", str(EXAMPLE), "explore", "--shape"]) == 0
    out = capsys.readouterr().out
    assert "| scenes with a single option | 0 of 2 (0%)" in out
    # both of alpha.start's choices lead to noon, and each says what it did (an outcome)
    assert "choices not acknowledged" not in out
    assert main(["--story", str(EXAMPLE), "explore", "--shape", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["alpha"]["same_target"] == ["alpha.start"]


def test_a_scene_is_acknowledged_by_outcomes_on_every_choice_or_by_passages_in_its_target(tmp_path) -> None:
    import shutil

    root = tmp_path / "story"
    shutil.copytree(EXAMPLE, root)
    alpha = root / "alpha.toml"
    alpha.write_text(alpha.read_text().replace('outcome = "Nobody notices you waiting."\n', ""))
    assert side_shape(load_story(root), "alpha").unacknowledged == ["alpha.start"]
    alpha.write_text(alpha.read_text().replace('text = "The call comes at noon."',
                                               'text = "The call comes at noon.{if loyalty < 5} Late.{end}"'))
    assert side_shape(load_story(root), "alpha").unacknowledged == []
