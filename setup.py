"""Build step: the story ships inside the package.

The repository keeps the story at the top level (`story/`), where authors work on it. A wheel
needs it inside the `game` package, so that an installed `boardroom` finds it from any folder
through `game/story_data`. Everything else about the build is in pyproject.toml.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

STORY = Path(__file__).resolve().parent / "story"
STORY_FILES = ("*.toml", "*.json", "*.md")


class BuildWithStory(build_py):
    """`build_py`, then a copy of `story/` as `game/story_data` in the build.

    An editable install is left alone: there `game.folders` finds `story/` next to the package.
    """

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib) / "game" / "story_data"
        if target.exists():
            shutil.rmtree(target)
        for pattern in STORY_FILES:
            for src in STORY.rglob(pattern):
                rel = src.relative_to(STORY)
                if any(part.startswith(".") or part == "__pycache__" for part in rel.parts):
                    continue
                dest = target / rel
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(src, dest)
                self.outfiles_story.append(str(dest))

    def initialize_options(self) -> None:
        super().initialize_options()
        self.outfiles_story: list[str] = []

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        return super().get_outputs(include_bytecode) + self.outfiles_story


setup(cmdclass={"build_py": BuildWithStory})
