"""Writing the PDF's objects: reportlab's formatting of a value, with its commonest cases first.

reportlab writes every object of a PDF through one function, `reportlab.pdfbase.pdfdoc.format`,
which asks of each value whether it is a PDF object (an isinstance against reportlab's base
class and a look-up of a class attribute) before it gets to strings and numbers, then encodes
through two more calls. A review's PDF has a few thousand values, most of them dictionary keys,
numbers and strings, and formatting them was a tenth of writing the file. `format_value` gives
strings, numbers and bytes the bytes reportlab's own branches give them and hands everything
else to reportlab's function (tests compare the two on generated objects and whole documents).

It is installed into reportlab's module when this module is first imported (by the PDF
renderer), as `pirdoc.renderers._pdf_words` installs its word splitters: it applies to every PDF
written in the process, and gives every value the bytes it had.
"""

from __future__ import annotations

from typing import Any, Final

from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase import pdfdoc

from pirdoc.renderers._replace import replace

__all__ = ["format_value"]

def format_value(element: Any, document: Any, toplevel: int = 0) -> bytes:
    """The bytes reportlab's ``format`` writes for ``element`` in ``document``."""
    kind = type(element)
    formatted: bytes
    if kind is str:
        formatted = element.encode("extpdfdoc")
    elif kind is float or kind is int:
        formatted = fp_str(element).encode("extpdfdoc")
    elif kind is bytes:
        formatted = element
    else:
        formatted = _REPORTLAB_FORMAT(element, document, toplevel)
    return formatted


_REPORTLAB_FORMAT: Final = replace(pdfdoc, "format", format_value)
