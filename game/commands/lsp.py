"""`boardroom lsp`: the language server editors start for story files (see game/lsp).

pygls is an optional dependency (`pip install 'boardroom[lsp]'`): without it the command says
how to get it instead of failing with an import error.
"""

from __future__ import annotations

import argparse
import sys


def main(args: argparse.Namespace) -> int:
    try:
        import pygls  # noqa: F401
    except ImportError:
        print("boardroom lsp: error: the language server needs pygls; install it with "
              "pip install 'boardroom[lsp]'", file=sys.stderr)
        return 2
    from game.lsp.server import main as serve

    return serve(args)
