"""Diagnostics in the compiler's format: what the loader, the cache and every command report.

Finding the line a key sits on, and collecting a load's diagnostics, are `sourcemap.py`'s: only
a story compiled from source needs them, and the game starting from the compiled cache imports
this module without them.
"""

from __future__ import annotations

from typing import Literal, Sequence

from game.engine.safe_text import shown
from game.records import record

Severity = Literal["error", "warning"]


@record(order=True)
class Diagnostic:
    path: str
    line: int
    col: int
    severity: Severity
    code: str
    message: str

    def format(self) -> str:
        """One line for a terminal: a file name or message holding an escape or a line break is
        shown escaped, never obeyed (file names come from whoever made the folder)."""
        return (f"{shown(self.path, 300)}:{self.line}:{self.col}: {self.severity}[{self.code}] "
                f"{shown(self.message, 2000)}")

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "severity": self.severity,
            "code": self.code,
            "message": self.message if len(self.message) <= 2000 else self.message[:2000] + "…",
        }


class StoryError(Exception):
    """A story that cannot be loaded. Carries every diagnostic found, errors and warnings."""

    def __init__(self, diagnostics: Sequence[Diagnostic]):
        self.diagnostics = list(diagnostics)
        errors = [d for d in self.diagnostics if d.severity == "error"]
        first = errors[0].format() if errors else "story has errors"
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        super().__init__(first + more)
