"""``python -m pirdoc``: the same as the ``pirdoc`` command."""

from __future__ import annotations

import sys

from pirdoc.cli import main

if __name__ == "__main__":
    sys.exit(main())
