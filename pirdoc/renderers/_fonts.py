"""The bundled faces, the per-character fallback between them, and text measured in them,
without reportlab.

DejaVu Sans covers Latin, Greek, Cyrillic, Arabic, Hebrew and most symbols (☐ ☑ ✓ ✗); Droid
Sans Fallback covers CJK and Hangul; Symbola the rest of the symbols. Text is split into runs by
the first face of a fallback chain that has a glyph for each character; characters no face has
stay in the primary face and draw its notdef.

Text is drawn unshaped (reportlab has no shaper without HarfBuzz, and the figure painter uses
Pillow's basic layout), so `visual` does a minimal bidi and Arabic pass on each piece of text
before it is drawn: Arabic letters take their contextual presentation forms (derived from the
Unicode database, lam-alef ligatures included) and runs of right-to-left text are reversed into
visual order (digits inside keep their order). This is right for names and short phrases on one
line; a right-to-left paragraph that wraps onto several lines has its lines in left-to-right
order.

Coverage and widths come from `pirdoc.renderers._ttf_metrics`, the same numbers reportlab
reads, so the charts of a DOCX or a Confluence page are measured exactly as the PDF's without
loading reportlab. A face's file is read when a character first needs it; the PDF renderer
(`pirdoc.renderers._pdf_fonts`) registers each face it draws with reportlab and adds brand faces
here (`add_face`).
"""

from __future__ import annotations

import functools
import threading
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Final, NamedTuple

from pirdoc.renderers._ttf_metrics import FaceMetrics, read_metrics

__all__ = [
    "CJK",
    "DEJAVU",
    "FONT_DIR",
    "FONT_FILES",
    "MONO",
    "MONO_BOLD",
    "SANS",
    "SANS_BOLD",
    "SANS_BOLD_ITALIC",
    "SANS_ITALIC",
    "SYMBOLS",
    "Family",
    "Run",
    "add_face",
    "can_draw",
    "face_for_style",
    "face_width",
    "font_file",
    "has_glyph",
    "runs",
    "string_width",
    "visual",
    "visual_runs",
    "when_loaded",
]

FONT_DIR: Final = Path(__file__).resolve().parent.parent / "fonts"

SANS: Final = "PirdocSans"
SANS_BOLD: Final = "PirdocSans-Bold"
SANS_ITALIC: Final = "PirdocSans-Italic"
SANS_BOLD_ITALIC: Final = "PirdocSans-BoldItalic"
MONO: Final = "PirdocMono"
MONO_BOLD: Final = "PirdocMono-Bold"
CJK: Final = "PirdocCJK"
SYMBOLS: Final = "PirdocSymbols"

FONT_FILES: Final[dict[str, str]] = {
    SANS: "DejaVuSans.ttf",
    SANS_BOLD: "DejaVuSans-Bold.ttf",
    SANS_ITALIC: "DejaVuSans-Oblique.ttf",
    SANS_BOLD_ITALIC: "DejaVuSans-BoldOblique.ttf",
    MONO: "DejaVuSansMono.ttf",
    MONO_BOLD: "DejaVuSansMono-Bold.ttf",
    CJK: "DroidSansFallback.ttf",
    SYMBOLS: "Symbola.ttf",
}

# Which faces to try, in order, after a style's own face.
_FALLBACKS: dict[str, tuple[str, ...]] = {
    SANS: (CJK, SYMBOLS),
    SANS_BOLD: (SANS, CJK, SYMBOLS),
    SANS_ITALIC: (SANS, CJK, SYMBOLS),
    SANS_BOLD_ITALIC: (SANS_BOLD, SANS, CJK, SYMBOLS),
    MONO: (SANS, CJK, SYMBOLS),
    MONO_BOLD: (SANS_BOLD, SANS, CJK, SYMBOLS),
    CJK: (SANS, SYMBOLS),
    SYMBOLS: (SANS, CJK),
}


class Family(NamedTuple):
    """The four faces of a text font, by reportlab name."""

    regular: str
    bold: str
    italic: str
    bold_italic: str


DEJAVU: Final = Family(SANS, SANS_BOLD, SANS_ITALIC, SANS_BOLD_ITALIC)
"""The bundled text font, and every brand font's fallback for characters it lacks."""

_PRINTABLE_ASCII: Final = frozenset(range(0x20, 0x7F))

_lock = threading.Lock()


class Run(NamedTuple):
    """A piece of text drawn in one face."""

    face: str
    text: str


def font_file(face: str) -> Path:
    """The TTF file behind ``face``."""
    return FONT_DIR / FONT_FILES[face]


_METRICS: dict[str, FaceMetrics] = {}
_HOOKS: list[Callable[[str], None]] = []
# Held while a bundled face is read and its hooks run: a face is published only once every
# hook has seen it, so no thread measures text in a face the PDF renderer has not registered.
_loading = threading.Lock()


def _metrics(face: str) -> FaceMetrics:
    found = _METRICS.get(face)
    if found is not None:
        return found
    with _loading:
        found = _METRICS.get(face)
        if found is None:
            found = read_metrics(font_file(face).read_bytes())
            for hook in _HOOKS:
                hook(face)
            _METRICS[face] = found
    return found


def when_loaded(hook: Callable[[str], None]) -> None:
    """Call ``hook`` with the name of each bundled face read so far, and of each face read from
    now on, before text is measured in it (the PDF renderer registers them with reportlab)."""
    with _loading:
        _HOOKS.append(hook)
        for face in [face for face in _METRICS if face in FONT_FILES]:
            hook(face)


def add_face(name: str, metrics: FaceMetrics, fallbacks: tuple[str, ...]) -> None:
    """Measure and cover text in face ``name`` (a brand face) with ``metrics``, falling back to
    ``fallbacks`` in order for the characters it lacks."""
    with _lock:
        _METRICS[name] = metrics
        _FALLBACKS[name] = fallbacks


@functools.cache
def _glyphs(face: str) -> frozenset[int]:
    return _metrics(face).glyphs


def face_for_style(*, bold: bool = False, italic: bool = False, mono: bool = False, family: Family = DEJAVU) -> str:
    """The primary face for a combination of inline styles, in ``family`` (code in DejaVu Mono)."""
    if mono:
        return MONO_BOLD if bold else MONO
    if bold:
        return family.bold_italic if italic else family.bold
    return family.italic if italic else family.regular


def has_glyph(face: str, char: str) -> bool:
    """True when ``face`` maps ``char`` to a real glyph."""
    return ord(char) in _glyphs(face)


def can_draw(char: str) -> bool:
    """True when some bundled face has a glyph for ``char`` (every style falls back to the
    regular sans, the CJK and the symbol faces, so their union is what the PDF can show)."""
    return _face_for_char(char, SANS) is not None


def _face_for_char(char: str, primary: str) -> str | None:
    code = ord(char)
    if code in _glyphs(primary):
        return primary
    for face in _FALLBACKS[primary]:
        if code in _glyphs(face):
            return face
    return None


@functools.cache
def _covers_printable_ascii(face: str) -> bool:
    return _glyphs(face) >= _PRINTABLE_ASCII


def runs(text: str, primary: str) -> list[Run]:
    """``text`` split into runs, each in the first face of ``primary``'s chain that has glyphs.

    Characters go back to ``primary`` as soon as it has them, except spaces, which stay in the
    current run so that a CJK phrase is not fragmented; a character no face has goes to
    ``primary`` (and draws its notdef glyph).
    """
    if text.isascii() and text.isprintable() and _covers_printable_ascii(primary):
        return [Run(primary, text)] if text else []  # most text: no per-character lookups
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


_RTL: Final = frozenset({"R", "AL"})
_WEAK_OR_NEUTRAL: Final = frozenset({"WS", "ON", "CS", "ES", "ET", "BN", "NSM", "S", "B"})
_NUMBER: Final = frozenset({"EN", "AN"})
_LAM: Final = "\u0644"


@functools.cache
def _arabic_forms() -> tuple[dict[str, dict[str, str]], dict[tuple[str, str], dict[str, str]]]:
    """Contextual forms (Arabic Presentation Forms-B) by base letter, and lam-alef ligatures."""
    forms: dict[str, dict[str, str]] = {}
    ligatures: dict[tuple[str, str], dict[str, str]] = {}
    for code in range(0xFE70, 0xFEFD):
        char = chr(code)
        tag, _, rest = unicodedata.decomposition(char).partition(" ")
        if not tag.startswith("<"):
            continue
        bases = tuple(chr(int(part, 16)) for part in rest.split())
        if len(bases) == 1:
            forms.setdefault(bases[0], {})[tag.strip("<>")] = char
        elif len(bases) == 2:
            ligatures.setdefault((bases[0], bases[1]), {})[tag.strip("<>")] = char
    return forms, ligatures


def _joins_forward(char: str | None) -> bool:
    forms = _arabic_forms()[0].get(char or "", {})
    return "initial" in forms or "medial" in forms


def _joins_backward(char: str | None) -> bool:
    return "final" in _arabic_forms()[0].get(char or "", {})


def _shape_arabic(text: str) -> str:
    """Replace Arabic letters by their contextual presentation forms."""
    forms, ligatures = _arabic_forms()
    if not any(char in forms for char in text):
        return text
    letters = [i for i, char in enumerate(text) if unicodedata.category(char) != "Mn"]
    neighbours = {index: (letters[n - 1] if n else None,
                          letters[n + 1] if n + 1 < len(letters) else None)
                  for n, index in enumerate(letters)}
    out: list[str] = []
    skip = -1
    for index, char in enumerate(text):
        if index == skip:
            continue
        if char not in forms:
            out.append(char)
            continue
        before, after = neighbours.get(index, (None, None))
        prev_char = text[before] if before is not None else None
        joined_before = _joins_forward(prev_char) and _joins_backward(char)
        if char == _LAM and after is not None and (char, text[after]) in ligatures and after == index + 1:
            ligature = ligatures[(char, text[after])]
            out.append(ligature.get("final" if joined_before else "isolated", char + text[after]))
            skip = after
            continue
        next_char = text[after] if after is not None else None
        joined_after = _joins_forward(char) and _joins_backward(next_char)
        form = ("medial" if joined_before and joined_after else "final" if joined_before
                else "initial" if joined_after else "isolated")
        out.append(forms[char].get(form) or forms[char].get("isolated") or char)
    return "".join(out)


def visual(text: str) -> str:
    """``text`` in the order and forms to draw it: Arabic shaped, right-to-left runs reversed."""
    if text.isascii():
        return text
    classes = [unicodedata.bidirectional(char) for char in text]
    if not _RTL.intersection(classes):
        return text
    text = _shape_arabic(text)
    classes = [unicodedata.bidirectional(char) for char in text]
    out: list[str] = []
    index = 0
    while index < len(text):
        if classes[index] not in _RTL:
            out.append(text[index])
            index += 1
            continue
        # An RTL run: RTL letters, plus neutrals and numbers that are followed by more RTL.
        end = index + 1
        last_rtl = index
        while end < len(text) and (classes[end] in _RTL or classes[end] in _WEAK_OR_NEUTRAL
                                   or classes[end] in _NUMBER):
            if classes[end] in _RTL:
                last_rtl = end
            end += 1
        run = text[index:last_rtl + 1]
        out.append(_reverse_keeping_numbers(run))
        index = last_rtl + 1
    return "".join(out)


def _reverse_keeping_numbers(run: str) -> str:
    pieces: list[str] = []
    for char in run:
        if pieces and unicodedata.bidirectional(char) in _NUMBER and pieces[-1][-1:].isdigit():
            pieces[-1] += char
        else:
            pieces.append(char)
    return "".join(reversed(pieces))


def visual_runs(text: str, primary: str) -> list[Run]:
    """`runs` of `visual` text: what to draw, left to right."""
    return runs(visual(text), primary)


def face_width(text: str, face: str, size: float) -> float:
    """The width of ``text`` in points drawn in ``face`` alone (as reportlab measures it)."""
    metrics = _metrics(face)
    width, default = metrics.widths.get, metrics.default_width
    total = 0.0
    for char in text:  # added in order and scaled last, as reportlab's C helper does: the same bits
        total += width(ord(char), default)
    return total * size / 1000


def string_width(text: str, primary: str, size: float) -> float:
    """The width of ``text`` in points when drawn with fallback runs."""
    if len(text) <= _REMEMBERED_LENGTH:
        return _remembered_width(text, primary, size)
    return _width(text, primary, size)


_REMEMBERED_LENGTH: Final = 200


@functools.lru_cache(maxsize=8192)
def _remembered_width(text: str, primary: str, size: float) -> float:
    # A chart measures the same labels, and their growing prefixes, over and over while it
    # places and wraps them: two of every three measures repeat one already made.
    return _width(text, primary, size)


def _width(text: str, primary: str, size: float) -> float:
    return float(sum(face_width(part, face, size) for face, part in visual_runs(text, primary)))
