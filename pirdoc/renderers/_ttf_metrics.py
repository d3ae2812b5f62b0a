"""What a TrueType file covers and how wide its characters are, read without reportlab.

Measuring text (chart labels, fitted headers) needs only two tables of a font: ``cmap`` (which
characters it has) and ``hmtx`` (how far each glyph advances). reportlab's ``TTFont`` reads every
table in pure Python, about 25 ms a DejaVu face and 70 ms for the CJK one, so the DOCX and
Confluence figures, which never embed a font, paid for reportlab and six parsed faces on every
process start. This reader gives the same answers as reportlab 4 for the same file (the same
``cmap`` subtable, the same character set, including characters mapped to glyph 0, the same
widths in thousandths of an em, the same no-break space rule), which the tests check face by
face, so a chart is laid out identically whichever path measured it.
"""

from __future__ import annotations

import array
import struct
import sys
from typing import NamedTuple

__all__ = ["FaceMetrics", "char_to_glyph", "read_metrics", "unicode_subtable"]


class FaceMetrics(NamedTuple):
    """One face's character coverage and advance widths (thousandths of an em)."""

    glyphs: frozenset[int]
    """Every code point the face's character map maps (as reportlab's ``charToGlyph``)."""
    widths: dict[int, float]
    """The advance of each code point whose glyph the face has metrics for."""
    default_width: float
    """The advance of glyph 0, for code points without one."""


def _tables(data: bytes) -> dict[bytes, int]:
    count = struct.unpack_from(">H", data, 4)[0]
    return {
        data[12 + 16 * i: 16 + 16 * i]: struct.unpack_from(">L", data, 20 + 16 * i)[0]
        for i in range(count)
    }


def unicode_subtable(data: bytes, cmap: int) -> int:
    """The offset of the character map subtable reportlab chooses: the last suitable record."""
    version, count = struct.unpack_from(">HH", data, cmap)
    if count == 0 and version != 0:
        count = version
    chosen, kind = None, 0
    for index in range(count):
        platform, encoding, offset = struct.unpack_from(">HHL", data, cmap + 4 + 8 * index)
        if platform == 3 or (platform == 1 and encoding == 1) or (platform == 0 and encoding != 5):
            chosen, kind = offset, 1
        elif platform == 1 and encoding == 0 and kind != 1:
            chosen, kind = offset, 2
    if chosen is None:
        raise ValueError("no Unicode character map")
    return cmap + int(chosen)


def char_to_glyph(data: bytes, at: int) -> dict[int, int]:
    """The character map subtable at ``at`` (formats 4, 12 and 13) as reportlab reads it:
    code point to glyph, in the table's order. Raises ValueError for another format."""
    fmt = struct.unpack_from(">H", data, at)[0]
    mapping: dict[int, int] = {}
    if fmt in (12, 13):
        groups = struct.unpack_from(">L", data, at + 12)[0]
        for start, last, glyph in struct.iter_unpack(">LLL", data[at + 16: at + 16 + 12 * groups]):
            end = min(last, _LAST_CODE_POINT)  # a damaged group cannot make the map endless
            if fmt == 12:
                mapping.update(zip(range(start, end + 1), range(glyph, glyph + end - start + 1), strict=True))
            else:
                mapping.update(dict.fromkeys(range(start, end + 1), glyph))
        return mapping
    if fmt == 4:
        length, _, doubled = struct.unpack_from(">HHH", data, at + 2)
        segments = doubled // 2
        limit = at + length

        def words(offset: int, signed: bool = False) -> tuple[int, ...]:
            return struct.unpack_from(f">{segments}{'h' if signed else 'H'}", data, offset)

        ends = words(at + 14)
        starts = words(at + 16 + 2 * segments)
        deltas = words(at + 16 + 4 * segments, signed=True)
        ranges_at = at + 16 + 6 * segments
        ranges = words(ranges_at)
        for n in range(segments):
            for char in range(starts[n], ends[n] + 1):
                if ranges[n] == 0:
                    glyph = (char + deltas[n]) & 0xFFFF
                else:
                    offset = ranges_at + 2 * n + (char - starts[n]) * 2 + ranges[n]
                    glyph = 0 if offset >= limit else struct.unpack_from(">H", data, offset)[0]
                    if glyph:
                        glyph = (glyph + deltas[n]) & 0xFFFF
                mapping[char] = glyph
        return mapping
    raise ValueError(f"character map format {fmt} is not read here")


def read_metrics(data: bytes) -> FaceMetrics:
    """The coverage and widths of the TrueType font ``data``. Raises ValueError for data that is
    not such a font, or whose character map this reader does not handle (formats other than 4,
    12 and 13)."""
    try:
        return _read(data)
    except (KeyError, IndexError, struct.error) as exc:
        raise ValueError(f"not a TrueType font ({type(exc).__name__}: {exc})") from None


_LAST_CODE_POINT = 0x10FFFF


def _read(data: bytes) -> FaceMetrics:
    tables = _tables(data)
    head, hhea, maxp, cmap, hmtx = (tables[tag] for tag in (b"head", b"hhea", b"maxp", b"cmap", b"hmtx"))
    units = struct.unpack_from(">H", data, head + 18)[0]
    scale = 1000 / units
    metrics = struct.unpack_from(">H", data, hhea + 34)[0]
    glyph_count = struct.unpack_from(">H", data, maxp + 4)[0]
    mapping = char_to_glyph(data, unicode_subtable(data, cmap))
    pairs = array.array("H", data[hmtx: hmtx + 4 * metrics])
    if sys.byteorder == "little":
        pairs.byteswap()
    advances: list[float] = [pairs[2 * i] * scale if units != 1000 else pairs[2 * i] for i in range(metrics)]
    if advances:
        advances += [advances[-1]] * (glyph_count - metrics)
    widths = {char: advances[glyph] for char, glyph in mapping.items() if glyph < glyph_count}
    # reportlab gives the no-break space the space's glyph and width, or the other way round
    if 0x20 in mapping:
        mapping[0xA0] = mapping[0x20]
        widths[0xA0] = widths[0x20]
    elif 0xA0 in mapping:
        mapping[0x20] = mapping[0xA0]
        widths[0x20] = widths[0xA0]
    return FaceMetrics(frozenset(mapping), widths, advances[0] if advances else 0.0)
