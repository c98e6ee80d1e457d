"""The type checker runs with the suite, so CI fails on a type error.

`pyproject.toml` `[tool.mypy]` says what is checked: the whole package, and the pure core
(engine, controller, runs) as strictly as `mypy --strict`. Its cache lives in a temporary
folder so a run never writes into the checkout; mypy reuses it between tests of one session.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent


def test_mypy_finds_no_type_errors(tmp_path_factory: pytest.TempPathFactory) -> None:
    cache = tmp_path_factory.mktemp("mypy-cache")
    out = subprocess.run([sys.executable, "-m", "mypy", "--cache-dir", str(cache), "--no-error-summary"],
                         cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stdout + out.stderr
