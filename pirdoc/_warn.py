"""`warn`: a `PirdocWarning` attributed to the line that called into pirdoc.

Python's ``stacklevel`` counts frames, and a warning raised deep in layout would otherwise name a
line of pirdoc's own (``narrative.py:44``), which a user can neither see nor silence by module.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import sys
import warnings
from collections.abc import Iterator

from pirdoc.errors import PirdocWarning

__all__ = ["muted", "warn"]

_MUTED: contextvars.ContextVar[bool] = contextvars.ContextVar("pirdoc_warnings_muted", default=False)

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
    if _MUTED.get():
        return
    warnings.warn(message, category, stacklevel=_outside_stacklevel())


@contextlib.contextmanager
def muted() -> Iterator[None]:
    """No `warn` in this thread or task while inside: for work that repeats work already done
    (the briefing laid out again with shorter fields warns nothing its first layout did not)."""
    token = _MUTED.set(True)
    try:
        yield
    finally:
        _MUTED.reset(token)
