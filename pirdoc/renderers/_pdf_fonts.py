"""The PDF renderer's fonts: the bundled TrueType faces (`pirdoc.renderers._fonts`) and brand
faces, registered with reportlab, which subsets and embeds them.

No standard-14 font (which would draw black squares for Cyrillic or CJK and is never embedded)
is referenced. Faces are registered with reportlab once per process, when text first needs
them (`register_fonts`).
"""

from __future__ import annotations

import fnmatch
import hashlib
import io
import struct
import threading
from operator import itemgetter
from pathlib import Path
from typing import IO, Any, Final
from weakref import WeakKeyDictionary

from reportlab import rl_config
from reportlab.lib.rl_accel import instanceStringWidthTTF
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont

from pirdoc.renderers import _fonts
from pirdoc.renderers._fonts import (
    _PRINTABLE_ASCII,
    CJK,
    DEJAVU,
    FONT_DIR,
    FONT_FILES,
    MONO,
    MONO_BOLD,
    SANS,
    SANS_BOLD,
    SANS_BOLD_ITALIC,
    SANS_ITALIC,
    SYMBOLS,
)
from pirdoc.renderers._ttf_metrics import FaceMetrics, char_to_glyph, unicode_subtable

__all__ = ["load_face", "register_fonts"]


_lock = threading.Lock()


class _FaceFile(ttfonts.TTFontFace):  # type: ignore[misc]
    """reportlab's reading of a TrueType file, with the tables that hold a value per character
    or glyph (the character map, the advance widths, the glyph locations) read in bulk rather
    than a value at a time: about 4 ms for DejaVu Sans instead of reportlab's 9 (best of 50), paid
    by every process that draws a PDF. For a well-formed character map every attribute is the
    one reportlab's `extractInfo` sets, its mappings in the same order (tests compare them face
    by face); a map of a format
    `char_to_glyph` does not read, or anything unexpected, goes through reportlab's own code,
    which gives its own error."""

    def extractInfo(self, charInfo: int = 1) -> None:  # noqa: N802, N803 - reportlab's names
        super().extractInfo(0)  # the names, head, OS/2, post, hhea and maxp tables
        if not charInfo:
            return
        try:
            self._read_glyph_tables()
        except (ValueError, KeyError, IndexError, struct.error):
            super().extractInfo(charInfo)

    def _read_glyph_tables(self) -> None:
        data = self._ttf_data
        offsets = {tag: record["offset"] for tag, record in self.table.items()}
        index_to_loc, glyph_data = struct.unpack_from(">HH", data, offsets["head"] + 50)
        if glyph_data != 0 or index_to_loc not in (0, 1):
            raise ValueError("left to reportlab")
        metrics = struct.unpack_from(">H", data, offsets["hhea"] + 34)[0]
        count = self.numGlyphs
        char_glyphs = char_to_glyph(data, unicode_subtable(data, offsets["cmap"]))
        glyph_chars: dict[int, list[int]] = {}
        for char, glyph in char_glyphs.items():
            glyph_chars.setdefault(glyph, []).append(char)
        pairs = struct.unpack_from(f">{2 * metrics}H", data, offsets["hmtx"])
        hmetrics: list[tuple[float, int]] = list(zip(pairs[0::2], pairs[1::2], strict=True))
        factor = 1000 / self.unitsPerEm  # reportlab's _pdfScale, which keeps integers at 1000
        advances: list[float] = list(pairs[0::2]) if self.unitsPerEm == 1000 else [a * factor for a in pairs[0::2]]
        # past the last full entry, glyphs reuse its advance, as reportlab keeps it: scaled
        last = advances[-1]
        tail = struct.unpack_from(f">{max(0, count - metrics)}H", data, offsets["hmtx"] + 4 * metrics)
        hmetrics += [(last, side) for side in tail]
        advances += [last] * len(tail)
        # in reportlab's order: by glyph, then as the character map lists them
        known = len(advances)
        char_widths = {
            char: advances[glyph] for char, glyph in sorted(char_glyphs.items(), key=itemgetter(1)) if glyph < known
        }
        if index_to_loc == 0:
            positions = [position << 1 for position in struct.unpack_from(f">{count + 1}H", data, offsets["loca"])]
        else:
            positions = list(struct.unpack_from(f">{count + 1}L", data, offsets["loca"]))
        if 0x20 in char_glyphs:  # reportlab's no-break space rule
            char_glyphs[0xA0] = char_glyphs[0x20]
            char_widths[0xA0] = char_widths[0x20]
        elif 0xA0 in char_glyphs:
            char_glyphs[0x20] = char_glyphs[0xA0]
            char_widths[0x20] = char_widths[0xA0]
        self.charToGlyph = char_glyphs
        self.glyphToChar = glyph_chars
        self.charWidths = char_widths
        self.hmetrics = hmetrics
        self.defaultWidth = advances[0]
        self.glyphPos = positions


_WIDTHS_KEPT: Final = 16384  # widths a face remembers (words: a few thousand a review)
_WORD_LENGTH: Final = 40  # longer texts are seldom measured twice, and are not remembered


class _Face(TTFont):  # type: ignore[misc]
    """A TrueType face read by `_FaceFile`, whose text, once every character has its code in the
    document's subsets, is encoded in one pass instead of character by character (reportlab's
    `splitString` was the largest part of drawing a paragraph). Anything else, a character met
    for the first time or a second subset, goes through reportlab's own code, so the codes and
    subsets are reportlab's.

    It also remembers the width of each short text it measures at each size: a review's PDF
    measures about four thousand words, most of them many times over (line breaking measures
    each word of a paragraph, a table cell's words are measured again in its row's height), and
    reportlab's measurement looks up the face's tables afresh for every word."""

    def __init__(self, name: str, filename: str | IO[bytes]) -> None:
        # reportlab's TTFont.__init__ with the face read by _FaceFile (a test holds the
        # attributes to reportlab's)
        self.fontName = name
        self.face = _FaceFile(filename)
        self.encoding = ttfonts.TTEncoding()
        self.state: WeakKeyDictionary[object, Any] = WeakKeyDictionary()
        self._asciiReadable = rl_config.ttfAsciiReadable
        self.shapable = not any(fnmatch.fnmatch(name, pattern) for pattern in ttfonts.unShapedFontGlob)
        self._widths: dict[tuple[str, float], float] = {}

    # reportlab's getAscentDescent asks the font for these and, for a TrueType font that has
    # none, raises, catches and asks its face: a few microseconds, once for every word of a line
    # of several fragments. The face's own values, without the detour.
    @property
    def ascent(self) -> Any:
        return self.face.ascent

    @property
    def descent(self) -> Any:
        return self.face.descent

    def stringWidth(self, text: str | bytes, size: float, encoding: str = "utf8") -> float:  # noqa: N802
        kind = type(size)
        if type(text) is not str or len(text) > _WORD_LENGTH or not size or (kind is not float and kind is not int):
            # bytes, a long text, or a size whose equals (0 and -0.0, a complex, a Decimal)
            # reportlab may measure otherwise: measured afresh
            measured: float = instanceStringWidthTTF(self, text, size, encoding)
            return measured
        key = (text, size)
        width = self._widths.get(key)
        if width is None:
            if len(self._widths) >= _WIDTHS_KEPT:
                self._widths.clear()
            width = self._widths[key] = instanceStringWidthTTF(self, text, size, encoding)
        return width

    def splitString(self, text: str | bytes, doc: object, encoding: str = "utf-8") -> list[tuple[int, bytes]]:  # noqa: N802
        state = self.state.get(doc)
        if state is not None and isinstance(text, str):
            assignments = state.assignments
            try:  # a no-break space is drawn as a space, as reportlab does
                codes = [assignments[code] for code in map(ord, text.replace("\u00a0", " "))]
            except KeyError:
                codes = None
            if codes is not None and (not codes or max(codes) < 256):
                return [(0, bytes(codes))] if codes else []
        parts: list[tuple[int, bytes]] = super().splitString(text, doc, encoding)
        return parts


def _utf16_hex(code_point: int) -> str:
    return chr(code_point).encode("utf-16-be", "surrogatepass").hex().upper()


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """reportlab's ToUnicode CMap, with code points beyond U+FFFF as UTF-16 surrogate pairs.

    reportlab writes ``<%04X>``, which for an emoji gives five hex digits that readers misparse
    (pdftotext turns U+1F525 into U+1F52); the PDF reference asks for UTF-16BE."""
    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo",
        f"<< /Registry ({fontname})",
        f"/Ordering ({fontname})",
        "/Supplement 0",
        ">> def",
        f"/CMapName /{fontname} def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        f"<00> <{len(subset) - 1:02X}>",
        "endcodespacerange",
        f"{len(subset)} beginbfchar",
        *(f"<{index:02X}> <{_utf16_hex(code)}>" for index, code in enumerate(subset)),
        "endbfchar",
        "endcmap",
        "CMapName currentdict /CMap defineresource pop",
        "end",
        "end",
    ]
    return "\n".join(lines)


_EAGER: Final = (SANS, SANS_BOLD)  # the body, the bullets, the headings and the tables' headers


def register_fonts(*, every_face: bool = False) -> None:
    """Make the bundled faces known to reportlab: the sans regular and bold faces at once, and
    the others (italic, mono, CJK, symbols) when text first needs them, as
    `pirdoc.renderers._fonts` reads each face to measure or cover text in it
    (`_register_on_demand`); with ``every_face``, all of them now.

    Reading a face costs 2–5 ms a DejaVu face and about 40 ms for the CJK one (`_FaceFile`), and
    most documents draw two or three of the eight faces.
    """
    # Only changes the map for characters beyond U+FFFF, which reportlab gets wrong.
    ttfonts.makeToUnicodeCMap = _to_unicode_cmap
    for face in FONT_FILES if every_face else _EAGER:
        _register_on_demand(face)


def _register_on_demand(face: str) -> None:
    """Register bundled ``face`` with reportlab unless it is registered already."""
    with _lock:
        if _registered(face):
            return
        pdfmetrics.registerFont(_Face(face, str(FONT_DIR / FONT_FILES[face])))
        # registerFont maps the face's family to the face alone: map the families again, so
        # that bold and italic of the sans and mono families name their faces whatever order
        # the faces came in
        pdfmetrics.registerFontFamily(
            SANS, normal=SANS, bold=SANS_BOLD, italic=SANS_ITALIC, boldItalic=SANS_BOLD_ITALIC
        )
        pdfmetrics.registerFontFamily(MONO, normal=MONO, bold=MONO_BOLD, italic=MONO, boldItalic=MONO_BOLD)
        pdfmetrics.registerFontFamily(CJK, normal=CJK, bold=CJK, italic=CJK, boldItalic=CJK)


def _registered(face: str) -> bool:
    # Not getFont, which for a name it does not know first looks for a Type 1 face of that name
    # on disk, parsing every AFM file of reportlab's search path: a third of a first PDF.
    return face in pdfmetrics.getRegisteredFontNames()


_STYLE_NAMES: Final = dict(zip(DEJAVU, ("Regular", "Bold", "Italic", "BoldItalic"), strict=True))
# A brand face falls back, for a character it lacks, to the DejaVu face of its style, then on.
_BRAND_FALLBACKS: Final = {
    SANS: (SANS, CJK, SYMBOLS),
    SANS_BOLD: (SANS_BOLD, SANS, CJK, SYMBOLS),
    SANS_ITALIC: (SANS_ITALIC, SANS, CJK, SYMBOLS),
    SANS_BOLD_ITALIC: (SANS_BOLD_ITALIC, SANS_BOLD, SANS, CJK, SYMBOLS),
}


_LOADED: dict[tuple[str, int, int, str], str] = {}  # (file, mtime, size, style) -> face name


def load_face(path: str | Path, style: str = SANS) -> str:
    """Register the TrueType file at ``path`` as the ``style`` face (one of `DEJAVU`'s names),
    once per process, and return its reportlab name.

    A face is named after a digest of its file and its style, so the same font always gets the
    same name, the same fallbacks and the PDF the same bytes, whatever was rendered before.
    Raises ValueError (with the reason) for a file that cannot be read, one reportlab cannot
    read as a TrueType font, and a face without the printable ASCII characters.
    """
    register_fonts()
    try:
        stat = Path(path).stat()
        # a file unchanged since it was loaded is not read and hashed again at every render
        key = (str(Path(path).resolve()), stat.st_mtime_ns, stat.st_size, style)
        if key in _LOADED:
            return _LOADED[key]
        data = Path(path).read_bytes()
    except OSError as exc:
        raise ValueError(f"cannot be read ({exc.strerror or exc})") from None
    name = f"PirdocBrand-{hashlib.sha256(data).hexdigest()[:16]}-{_STYLE_NAMES[style]}"
    with _lock:
        if _registered(name):
            _LOADED[key] = name
            return name
        try:
            font = _Face(name, io.BytesIO(data))
        except Exception as exc:  # reportlab raises TTFError, struct.error, KeyError, ...
            raise ValueError(f"not a TrueType font reportlab can embed ({exc})") from None
        if not frozenset(font.face.charToGlyph) >= _PRINTABLE_ASCII:
            raise ValueError("it has no glyphs for some of the printable ASCII characters")
        pdfmetrics.registerFont(font)
        metrics = FaceMetrics(frozenset(font.face.charToGlyph), font.face.charWidths, font.face.defaultWidth)
        _fonts.add_face(name, metrics, _BRAND_FALLBACKS[style])
        _LOADED[key] = name
    return name


# A face read when a character first needs it (by the PDF, a figure or a measurement) is
# registered with reportlab before any text is measured in it, whichever renderer read it.
_fonts.when_loaded(_register_on_demand)
