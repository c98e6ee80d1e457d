"""Shared fixtures. Keep this small: helpers for one area live in that area's support module."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import pytest

EXAMPLE = Path(__file__).parent / "fixtures" / "example"


@pytest.fixture(autouse=True)
def _private_saves_and_config(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test writes into the repo's saves/ or reads the developer's own settings."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("BOARDROOM_SAVES", str(home / "saves"))
    monkeypatch.setenv("BOARDROOM_CONFIG_DIR", str(home / "config"))
    monkeypatch.setenv("BOARDROOM_CACHE_DIR", str(home / "cache"))
    monkeypatch.delenv("BOARDROOM_STORY", raising=False)


@pytest.fixture
def make_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Any]:
    """Build the Textual app on the example story with saves and config in tmp_path.

    The developer's own config is never read (BOARDROOM_CONFIG_DIR points into tmp_path),
    the typewriter is off and the wall clock is fixed, unless a test asks otherwise.
    """
    from tui_support import make_app as build

    monkeypatch.setenv("BOARDROOM_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.delenv("NO_COLOR", raising=False)

    def make(story_dir: Path | str = EXAMPLE, **kwargs: Any) -> Any:
        return build(tmp_path, story_dir, **kwargs)

    return make
