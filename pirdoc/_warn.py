"""`warn`: a `PirdocWarning` attributed to the line that called into pirdoc.

Python's ``stacklevel`` counts frames, and a warning raised deep in layout would otherwise name a
line of pirdoc's own (``narrative.py:44``), which a user can neither see nor silence by module.
"""

from __future__ import annotations

import os
import sys
import warnings

from pirdoc.errors import PirdocWarning

__all__ = ["warn"]

_PACKAGE = os.path.dirname(os.path.abspath(__file__)) + os.sep


def _outside_stacklevel() -> int:
    """The ``stacklevel`` of the innermost frame outside pirdoc, as seen from `warn`'s caller."""
    frame = sys._getframe(2)  # warn's caller
    level = 2
    while frame is not None and os.path.abspath(frame.f_code.co_filename).startswith(_PACKAGE):
        frame = frame.f_back  # type: ignore[assignment]  # None past the outermost frame
        level += 1
    return level if frame is not None else 1


def warn(message: str, category: type[Warning] = PirdocWarning) -> None:
    """Warn ``message``, attributed to the first line outside pirdoc that led here."""
    warnings.warn(message, category, stacklevel=_outside_stacklevel())
