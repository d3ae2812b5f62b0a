"""The PDF renderer's fonts: the bundled TrueType faces (`pirdoc.renderers._fonts`) and brand
faces, registered with reportlab, which subsets and embeds them.

No standard-14 font (which would draw black squares for Cyrillic or CJK and is never embedded)
is referenced. Faces are registered with reportlab once per process, when text first needs
them (`register_fonts`).
"""

from __future__ import annotations

import hashlib
import io
import threading
from pathlib import Path
from typing import Final

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
from pirdoc.renderers._ttf_metrics import FaceMetrics

__all__ = ["load_face", "register_fonts"]


_lock = threading.Lock()


class _Face(TTFont):  # type: ignore[misc]
    """A TrueType face whose text, once every character has its code in the document's subsets,
    is encoded in one pass instead of character by character (reportlab's `splitString` was
    the largest part of drawing a paragraph). Anything else, a character met for the first time
    or a second subset, goes through reportlab's own code, so the codes and subsets are
    reportlab's."""

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

    reportlab parses a whole face in pure Python (10–20 ms a DejaVu face, 70 ms for the CJK
    one), and most documents draw two or three of the eight faces.
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
