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

All three are installed into reportlab's module when this module is first imported (by the PDF
renderer), as `pirdoc.renderers._pdf_words` installs its word splitters: they apply to every PDF
written in the process, and give every value the bytes it had.

Every number in a page's drawing operators (positions, sizes, colours, widths) is written by
reportlab's `fp_str`, which takes about 0.6 µs a call in C, five thousand calls a review, though
nine in ten of them write numbers written before (a face's size, an indent, a colour). `fp_str`
here remembers what it wrote; it takes reportlab's place in the modules that draw and write.

A dictionary (`format_dictionary`) writes each key as the name reportlab's own would, once per
process rather than once per dictionary: a review's PDF has a hundred-odd dictionaries of a few
keys, and each key went through the name, the encoder and the formatter every time.

Streams (page contents, font subsets) are deflated at level 3, as the DOCX's parts are
(`pirdoc.renderers._zip`), not zlib's default 6: on the real-world corpus 1.7 ms a document
instead of 2.1, for a file 3 % larger (77.9 KB against 75.5 KB on average).
"""

from __future__ import annotations

import re
import zlib
from collections import OrderedDict
from typing import Any, Final

from reportlab import rl_config
from reportlab.lib import rl_accel
from reportlab.pdfbase import pdfdoc, ttfonts
from reportlab.pdfgen import canvas, pathobject, textobject
from reportlab.platypus import flowables, tables

from pirdoc.renderers._replace import replace

__all__ = ["deflate", "encode", "format_dictionary", "format_value", "fp_str", "name"]

# The ASCII characters PDFDocEncoding does not write as ASCII does (it has no U+0018 to U+001F).
_GAPS: Final = re.compile(r"[\x18-\x1f]")
_EXACT_INT: Final = 2**53  # below this an integer is a float exactly, and fp_str writes its digits


_REPORTLAB_FP_STR: Final = rl_accel.fp_str
_NUMBERS: dict[tuple[Any, ...], str] = {}
_MAX_NUMBERS: Final = 65536  # numbers (and tuples of them) remembered; a review writes a few thousand


def fp_str(*values: Any) -> str:
    """``reportlab.lib.rl_accel.fp_str(*values)``: numbers as a PDF writes them, remembered."""
    try:
        known = _NUMBERS.get(values)
    except TypeError:  # a list among them is no key
        written: str = _REPORTLAB_FP_STR(*values)
        return written
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
    dictionary is not multiline); each key's bytes remembered."""
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


_LEVEL: Final = 3  # see the module's docstring


def deflate(self: Any, text: str | bytes) -> bytes:
    """`pdfdoc.PDFStreamFilterZCompress.encode` at `_LEVEL`."""
    return zlib.compress(text.encode("utf8") if isinstance(text, str) else text, _LEVEL)


replace(pdfdoc.PDFStreamFilterZCompress, "encode", deflate)
_REPORTLAB_DICTIONARY: Final = replace(pdfdoc.PDFDictionary, "format", format_dictionary)
for _module in (canvas, textobject, pathobject, tables, flowables, pdfdoc, ttfonts):
    replace(_module, "fp_str", fp_str)
_REPORTLAB_FORMAT: Final = replace(pdfdoc, "format", format_value)
_REPORTLAB_NAME: Final = replace(pdfdoc, "PDFName", name)
_REPORTLAB_ENCODE: Final = replace(pdfdoc, "pdfdocEnc", encode)
