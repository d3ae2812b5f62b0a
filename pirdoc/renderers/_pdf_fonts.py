"""The PDF renderer's fonts: embedded TrueType faces shipped in ``pirdoc/fonts`` and a
per-character fallback between them.

Every face is a TTF that reportlab subsets and embeds, so no standard-14 font (which would
draw black squares for Cyrillic or CJK and is never embedded) is referenced. DejaVu Sans covers
Latin, Greek, Cyrillic, Arabic, Hebrew and most symbols (☐ ☑ ✓ ✗); Droid Sans Fallback covers
CJK and Hangul. Text is split into runs by the first face of a fallback chain that has a glyph
for each character; characters no face has (emoji) stay in the primary face and draw its notdef.

Fonts are registered with reportlab once per process, on first use.
"""

from __future__ import annotations

import functools
import threading
from pathlib import Path
from typing import Final, NamedTuple
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

__all__ = [
    "CJK",
    "MONO",
    "MONO_BOLD",
    "SANS",
    "SANS_BOLD",
    "SANS_BOLD_ITALIC",
    "SANS_ITALIC",
    "FONT_DIR",
    "FONT_FILES",
    "Run",
    "face_for_style",
    "font_file",
    "has_glyph",
    "markup",
    "register_fonts",
    "runs",
    "string_width",
]

FONT_DIR: Final = Path(__file__).resolve().parent.parent / "fonts"

SANS: Final = "PirdocSans"
SANS_BOLD: Final = "PirdocSans-Bold"
SANS_ITALIC: Final = "PirdocSans-Italic"
SANS_BOLD_ITALIC: Final = "PirdocSans-BoldItalic"
MONO: Final = "PirdocMono"
MONO_BOLD: Final = "PirdocMono-Bold"
CJK: Final = "PirdocCJK"

FONT_FILES: Final[dict[str, str]] = {
    SANS: "DejaVuSans.ttf",
    SANS_BOLD: "DejaVuSans-Bold.ttf",
    SANS_ITALIC: "DejaVuSans-Oblique.ttf",
    SANS_BOLD_ITALIC: "DejaVuSans-BoldOblique.ttf",
    MONO: "DejaVuSansMono.ttf",
    MONO_BOLD: "DejaVuSansMono-Bold.ttf",
    CJK: "DroidSansFallback.ttf",
}

# Which faces to try, in order, after a style's own face.
_FALLBACKS: Final[dict[str, tuple[str, ...]]] = {
    SANS: (CJK,),
    SANS_BOLD: (SANS, CJK),
    SANS_ITALIC: (SANS, CJK),
    SANS_BOLD_ITALIC: (SANS_BOLD, SANS, CJK),
    MONO: (SANS, CJK),
    MONO_BOLD: (SANS_BOLD, SANS, CJK),
    CJK: (SANS,),
}

_lock = threading.Lock()


class Run(NamedTuple):
    """A piece of text drawn in one face."""

    face: str
    text: str


def font_file(face: str) -> Path:
    """The TTF file behind ``face``."""
    return FONT_DIR / FONT_FILES[face]


@functools.cache
def _glyphs(face: str) -> frozenset[int]:
    register_fonts()
    font = pdfmetrics.getFont(face)
    return frozenset(font.face.charToGlyph)


def register_fonts() -> None:
    """Register every face (and the sans, mono and CJK families) with reportlab, once."""
    with _lock:
        if _registered():
            return
        for face, filename in FONT_FILES.items():
            pdfmetrics.registerFont(TTFont(face, str(FONT_DIR / filename)))
        pdfmetrics.registerFontFamily(
            SANS, normal=SANS, bold=SANS_BOLD, italic=SANS_ITALIC, boldItalic=SANS_BOLD_ITALIC
        )
        pdfmetrics.registerFontFamily(
            MONO, normal=MONO, bold=MONO_BOLD, italic=MONO, boldItalic=MONO_BOLD
        )
        pdfmetrics.registerFontFamily(CJK, normal=CJK, bold=CJK, italic=CJK, boldItalic=CJK)


def _registered() -> bool:
    try:
        pdfmetrics.getFont(CJK)
    except KeyError:
        return False
    return True


def face_for_style(*, bold: bool = False, italic: bool = False, mono: bool = False) -> str:
    """The primary face for a combination of inline styles."""
    if mono:
        return MONO_BOLD if bold else MONO
    if bold:
        return SANS_BOLD_ITALIC if italic else SANS_BOLD
    return SANS_ITALIC if italic else SANS


def has_glyph(face: str, char: str) -> bool:
    """True when ``face`` maps ``char`` to a real glyph."""
    return ord(char) in _glyphs(face)


def _face_for_char(char: str, primary: str) -> str | None:
    code = ord(char)
    if code in _glyphs(primary):
        return primary
    for face in _FALLBACKS[primary]:
        if code in _glyphs(face):
            return face
    return None


def runs(text: str, primary: str) -> list[Run]:
    """``text`` split into runs, each in the first face of ``primary``'s chain that has glyphs.

    Characters go back to ``primary`` as soon as it has them, except spaces, which stay in the
    current run so that a CJK phrase is not fragmented; a character no face has goes to
    ``primary`` (and draws its notdef glyph).
    """
    result: list[Run] = []
    current: str | None = None
    start = 0
    for index, char in enumerate(text):
        if current is not None and char.isspace() and ord(char) in _glyphs(current):
            continue
        face = _face_for_char(char, primary) or primary
        if face != current:
            if current is not None:
                result.append(Run(current, text[start:index]))
            current, start = face, index
    if current is not None:
        result.append(Run(current, text[start:]))
    return result


def markup(text: str, primary: str) -> str:
    """``text`` as reportlab Paragraph markup: escaped, in ``primary`` with fallback runs.

    Each run is wrapped in ``<font face=...>`` so the result is correct inside any
    surrounding markup, whatever the paragraph style's own font is.
    """
    return "".join(f'<font face="{face}">{escape(part)}</font>' for face, part in runs(text, primary))


def string_width(text: str, primary: str, size: float) -> float:
    """The width of ``text`` in points when drawn with fallback runs."""
    return sum(pdfmetrics.stringWidth(part, face, size) for face, part in runs(text, primary))
