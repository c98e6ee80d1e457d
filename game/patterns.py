"""Regular expressions compiled when first used, not when their module is imported.

Compiling a pattern costs from a tenth of a millisecond to nearly one (a character class
that spans the surrogates, as the checks of untrusted text do), and the modules on the way
to the game's first frame hold a dozen that nothing uses before it: reading a run file,
escaping a name for an error message, finding a story folder. `pattern(...)` gives a function
that compiles on its first call and hands back the same compiled pattern after that; a loop
that uses one many times takes it once, before the loop.
"""

from __future__ import annotations

import re
from typing import Callable

Pattern = Callable[[], "re.Pattern[str]"]


def pattern(source: str, flags: int = 0) -> Pattern:
    """A function giving `re.compile(source, flags)`, compiled the first time it is called."""
    compiled: list[re.Pattern[str]] = []

    def get() -> re.Pattern[str]:
        if not compiled:
            compiled.append(re.compile(source, flags))
        return compiled[0]

    return get
