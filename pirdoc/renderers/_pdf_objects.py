"""Writing the PDF's objects: reportlab's formatting of a value, with its commonest cases first.

reportlab writes every object of a PDF through one function, `reportlab.pdfbase.pdfdoc.format`,
which asks of each value whether it is a PDF object (an isinstance against reportlab's base
class and a look-up of a class attribute) before it gets to strings and numbers, then encodes
through two more calls. A review's PDF has a few thousand values, most of them dictionary keys,
numbers and strings, and formatting them was a tenth of writing the file. `format_value` gives
strings, numbers and bytes the bytes reportlab's own branches give them and hands everything
else to reportlab's function (tests compare the two on generated objects and whole documents).

Two of those branches cost more than the rest of the work. reportlab encodes text and the
digits of a number through its PDFDocEncoding codec, a Python function, where for text of
ASCII characters (the codec's gaps, U+0018 to U+001F, aside) and for any number ASCII gives
the same bytes: `encode` does that, and also takes the place of reportlab's `pdfdocEnc`,
through which it writes each object's number and every reference to an object. An integer is
written as `fp_str` writes it, which for integers a float holds exactly is its digits. And
every dictionary key is turned into a name by `pdfdoc.PDFName`, a loop over its characters,
though a document's keys are a few dozen names used thousands of times: `name` remembers them.

Every number in a page's drawing operators (positions, sizes, colours, widths) is written by
reportlab's `fp_str`, which takes about 0.6 µs a call in C, five thousand calls a review, though
nine in ten of them write numbers written before (a face's size, an indent, a colour). `fp_str`
here remembers what it wrote for integers and floats. And a dictionary (`format_dictionary`)
writes each text key as the name reportlab's own would, once per process rather than once per
dictionary: a review's PDF has a hundred-odd dictionaries of a few keys, and each key went
through the name, the encoder and the formatter every time.

All of these are installed into reportlab's modules when this module is first imported (by the
PDF renderer), as `pirdoc.renderers._pdf_words` installs its word splitters: they apply to every
PDF written in the process, pirdoc's or not, so each gives every value exactly the bytes
reportlab's own gives it. (For that reason the streams keep reportlab's deflate level: a lower
one would be faster, but would change every PDF other code in the process writes.)
"""

from __future__ import annotations

import re
from collections import OrderedDict
from typing import Any, Final

from reportlab import rl_config
from reportlab.lib import rl_accel
from reportlab.pdfbase import pdfdoc, ttfonts
from reportlab.pdfgen import canvas, pathobject, textobject
from reportlab.platypus import flowables, tables

from pirdoc._replace import replace

__all__ = ["encode", "format_dictionary", "format_value", "fp_str", "name"]

# The ASCII characters PDFDocEncoding does not write as ASCII does (it has no U+0018 to U+001F).
_GAPS: Final = re.compile(r"[\x18-\x1f]")
_EXACT_INT: Final = 2**53  # below this an integer is a float exactly, and fp_str writes its digits


_REPORTLAB_FP_STR: Final = rl_accel.fp_str
_NUMBERS: dict[tuple[Any, ...], str] = {}
_MAX_NUMBERS: Final = 16384  # numbers (and tuples of them) remembered; a review writes a few thousand


def _plain_numbers(values: tuple[Any, ...]) -> bool:
    """True when ``values`` are integers and floats (or tuples of them): no other value that
    compares equal to one of them (a complex, a Decimal, a boolean) may take its place as a key,
    since reportlab may write it otherwise or refuse it."""
    for value in values:
        kind = type(value)
        if kind is float or kind is int:
            continue
        if kind is not tuple:
            return False
        for inner in value:
            inner_kind = type(inner)
            if inner_kind is not float and inner_kind is not int:
                return False
    return True


def fp_str(*values: Any) -> str:
    """``reportlab.lib.rl_accel.fp_str(*values)``: numbers as a PDF writes them, remembered for
    integers and floats (equal ones, 0.0 and -0.0 or 2 and 2.0, are written alike)."""
    if not _plain_numbers(values):
        written: str = _REPORTLAB_FP_STR(*values)
        return written
    known = _NUMBERS.get(values)
    if known is None:
        if len(_NUMBERS) >= _MAX_NUMBERS:
            _NUMBERS.clear()
        known = _NUMBERS[values] = _REPORTLAB_FP_STR(*values)
    return known


def format_value(element: Any, document: Any, toplevel: int = 0) -> bytes:
    """The bytes reportlab's ``format`` writes for ``element`` in ``document``."""
    kind = type(element)
    formatted: bytes
    if kind is str:
        formatted = encode(element)
    elif kind is int and -_EXACT_INT < element < _EXACT_INT:
        formatted = b"%d" % element
    elif kind is float or kind is int:
        formatted = fp_str(element).encode("ascii")
    elif kind is bytes:
        formatted = element
    else:
        formatted = _REPORTLAB_FORMAT(element, document, toplevel)
    return formatted


def encode(text: Any) -> Any:
    """``pdfdoc.pdfdocEnc(text)``: text in PDFDocEncoding, anything else as it is."""
    if type(text) is str and text.isascii() and _GAPS.search(text) is None:
        return text.encode("ascii")
    return text.encode("extpdfdoc") if isinstance(text, str) else text


_NAMES: dict[str, str] = {}
_MAX_NAMES: Final = 4096  # a document's keys are a few dozen; this bounds what a process keeps


def name(data: Any, *more: Any, **options: Any) -> str:
    """``pdfdoc.PDFName(data)``, remembered for a text ``data``; with other arguments, reportlab's
    own answer."""
    made: str
    if more or options or type(data) is not str:
        made = _REPORTLAB_NAME(data, *more, **options)
        return made
    known = _NAMES.get(data)
    if known is not None:
        return known
    if len(_NAMES) >= _MAX_NAMES:
        _NAMES.clear()
    made = _NAMES[data] = _REPORTLAB_NAME(data)
    return made


_KEYS: dict[str, bytes] = {}


def format_dictionary(self: Any, document: Any, IND: bytes = b"\n ") -> bytes:  # noqa: N803 - reportlab's name
    """`pdfdoc.PDFDictionary.format`: its keys in order (sorted, unless the dictionary is an
    OrderedDict), each with its value, on lines of their own (or six to a line when the
    dictionary is not multiline); the bytes of each key that is a `str` remembered."""
    dictionary = self.dict
    keys = list(dictionary.keys())
    if not isinstance(dictionary, OrderedDict):
        keys.sort()
    write = pdfdoc.format  # as installed: `format_value`, or reportlab's own
    lines = []
    for key in keys:
        written = _KEYS.get(key) if type(key) is str else None
        if written is None:
            written = write(pdfdoc.PDFName(key), document) + b" "
            if type(key) is str:
                if len(_KEYS) >= _MAX_NAMES:
                    _KEYS.clear()
                _KEYS[key] = written
        lines.append(written + write(dictionary[key], document))
    if (self.multiline and rl_config.pdfMultiLine) or self.multiline == "forced":
        body = IND.join(lines)
    else:  # six to a line
        for index in reversed(range(6, len(lines), 6)):
            lines.insert(index, b"\n ")
        body = b" ".join(lines)
    return b"<<\n" + body + b"\n>>"


_REPORTLAB_DICTIONARY: Final = replace(pdfdoc.PDFDictionary, "format", format_dictionary)
for _module in (canvas, textobject, pathobject, tables, flowables, pdfdoc, ttfonts):
    replace(_module, "fp_str", fp_str)
_REPORTLAB_FORMAT: Final = replace(pdfdoc, "format", format_value)
_REPORTLAB_NAME: Final = replace(pdfdoc, "PDFName", name)
_REPORTLAB_ENCODE: Final = replace(pdfdoc, "pdfdocEnc", encode)
