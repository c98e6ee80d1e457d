"""`python -m game` does what the `boardroom` command does."""

from game.cli import main

raise SystemExit(main())
