"""``python -m pirdoc``: the same as the ``pirdoc`` command."""

from __future__ import annotations

from pirdoc.cli import run

if __name__ == "__main__":
    run()
