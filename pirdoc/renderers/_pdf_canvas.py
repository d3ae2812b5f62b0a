"""reportlab's canvas with its commonest bookkeeping made cheaper, writing the same bytes.

platypus wraps every flowable it draws in a saved and restored state and a translation (a table
cell, and a paragraph's own text, in one more save): some seven hundred of each in a review's
PDF. reportlab saves the canvas's twenty-three state attributes into a new dictionary each time
and translates through its general `transform`. `Canvas` keeps them as a tuple and translates
directly: the same operators in the content stream and the same state afterwards (tests render
documents with both canvases byte for byte, and compare the state they keep).
"""

from __future__ import annotations

from operator import itemgetter
from typing import Any, Final

from reportlab.pdfgen import canvas

from pirdoc.renderers._pdf_objects import fp_str

__all__ = ["Canvas"]

_NAMES: Final = tuple(canvas.Canvas.STATE_ATTRIBUTES)
_SAVED: Final = itemgetter(*_NAMES)


class Canvas(canvas.Canvas):  # type: ignore[misc]
    """`reportlab.pdfgen.canvas.Canvas`, saving its state and translating for less."""

    _extgstate: Any
    _currentMatrix: tuple[float, float, float, float, float, float]  # noqa: N815 - reportlab's name

    def push_state_stack(self) -> None:
        self.state_stack.append(_SAVED(self.__dict__))
        self._extgstate = self._extgstate.pushCopy()

    def pop_state_stack(self) -> None:
        self.__dict__.update(zip(_NAMES, self.state_stack.pop(), strict=True))

    def translate(self, dx: float, dy: float) -> None:
        code = self._code
        if not canvas.ENABLE_TRACKING or (code and code[-1][-3:] == " cm"):
            super().translate(dx, dy)  # reportlab folds it into the transformation before
            return
        # reportlab's transform by (1, 0, 0, 1, dx, dy), term for term, so the floats are its
        a0, b0, c0, d0, e0, f0 = self._currentMatrix
        self._currentMatrix = (a0 * 1 + c0 * 0, b0 * 1 + d0 * 0, a0 * 0 + c0 * 1, b0 * 0 + d0 * 1,
                               a0 * dx + c0 * dy + e0, b0 * dx + d0 * dy + f0)
        code.append(f"1 0 0 1 {fp_str(dx, dy)} cm")
