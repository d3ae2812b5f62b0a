"""Figures as PNG pictures, painted from the same shapes as the PDF's vector drawings.

The charts are `pirdoc.renderers._figures` shapes, so a picture in a DOCX, an image on a
Confluence page and the PDF show the same chart. reportlab's own bitmap backend needs pycairo,
which has no wheels for Linux; the shapes are only rectangles, lines, polygons and text, so this
module paints them with Pillow (a dependency of reportlab) without loading reportlab. Text uses
the fonts bundled with pirdoc, and Pillow writes no time stamp into a PNG, so a figure gives the
same bytes on every machine with the same Pillow release.
"""

from __future__ import annotations

import functools
import math
import struct
import zlib
from collections.abc import Sequence
from typing import Any, Final

from PIL import Image, ImageDraw, ImageFont

from pirdoc import document as d
from pirdoc.renderers._figures import (
    COLOURS,
    TEXT_PAIRS,
    WHITE,
    Chart,
    Line,
    Polygon,
    Rect,
    Text,
    chart,
)
from pirdoc.renderers._fonts import FONT_FILES, SANS, font_file

__all__ = ["SCALE", "figure_png"]

SCALE: Final = 2.0
"""Pixels per point: pictures are painted at twice their shown size, sharp on high-density
screens and in print at 144 dpi."""


def figure_png(data: d.FigureData, width: float) -> bytes:
    """The PNG bytes of one figure drawn ``width`` points wide, at `SCALE` pixels a point."""
    return _png(_paint(chart(data, width)))


def _paint(chart: Chart) -> Image.Image:
    """``chart`` painted in `_palette`'s colours (a palette picture: one byte a pixel, nothing to
    map when it is saved)."""
    width, height = round(chart.width * SCALE), round(chart.height * SCALE)
    image = Image.new("P", (max(width, 1), max(height, 1)), _ink(WHITE))
    image.putpalette(_palette().getpalette() or ())
    canvas = ImageDraw.Draw(image)

    def point(x: float, y: float) -> tuple[float, float]:
        return x * SCALE, (chart.height - y) * SCALE

    for shape in chart.shapes:
        match shape:
            case Rect(x, y, w, h, fill, stroke, stroke_width):
                x0, y1 = point(x, y)
                x1, y0 = point(x + w, y + h)
                canvas.rectangle((x0, y0, x1, y1), fill=_ink(fill), outline=_ink(stroke),
                                 width=_line_width(stroke_width) if stroke is not None else 0)
            case Polygon(points, fill, stroke, _):
                canvas.polygon([point(points[i], points[i + 1]) for i in range(0, len(points) - 1, 2)],
                               fill=_ink(fill), outline=_ink(stroke))
            case Line(x1, y1, x2, y2, stroke, stroke_width, dashes):
                _line(canvas, point(x1, y1), point(x2, y2), _ink(stroke), _line_width(stroke_width), dashes)
            case Text(x, y, text, face, size, fill):
                _label(image, point(x, y), text, face, round(size * SCALE), fill or "#000000")
    return image


def _label(image: Image.Image, start: tuple[float, float], text: str, face: str, size: int, colour: str) -> None:
    """``text`` with its baseline starting at ``start``, in ``colour``, on a palette picture.

    A label on one colour of a pair `TEXT_PAIRS` names (nearly every label) is set straight in
    palette entries: each pixel's coverage picks the nearest of the pair's blends. Any other label
    is painted in colour on a copy of the pixels under it (`_text`), mapped to the palette."""
    x, y = start
    whole = math.floor(x)
    line = _text_mask(face, size, text, x - whole)
    if line is None:
        return
    mask, solid, dx, dy, width, height = line
    left, top = whole + dx, math.ceil(y - 0.5) + dy  # as Pillow places a line: half a pixel rounds up the page
    box = (left, top, left + width, top + height)
    low, high = image.im.crop(box).getextrema()
    blends = _blends(low, colour) if low == high else None
    if blends is not None:
        image.im.paste(mask.point(blends, None), box, solid)
        return
    under = image.crop(box).convert("RGB")
    _text(under, (x - left, y - top), text, face, size, _rgb(colour))
    image.paste(under.quantize(palette=_palette(), dither=Image.Dither.NONE), box)


@functools.lru_cache(maxsize=256)
def _text_mask(face: str, size: int, text: str, offset: float) -> tuple[Any, Any, int, int, int, int] | None:
    """``text``'s coverage as one mask, its pen starting ``offset`` (under a pixel) right of a
    pixel edge: the mask, the mask of the pixels it covers at all (Pillow's core images), their
    offset from that edge on the baseline, their width and height; None when nothing is inked.

    Set glyph by glyph from `_glyph`'s masks: Pillow renders a whole string through FreeType on
    every call, which was most of painting a chart, and a chart's labels share a few dozen
    glyphs. Glyphs are placed at their advance widths to a quarter of a pixel, without kerning
    (as the PDF sets them); where two overlap, coverage adds up as painting one over the other
    does."""
    x = offset
    placed = []
    for char in text:
        pen = round(x * 64) / 64  # Pillow places text to 1/64 of a pixel
        left = math.floor(pen)
        glyph, dx, dy, width, height, advance = _glyph(face, size, char, int((pen - left) * 4))
        if glyph is not None:
            placed.append((left + dx, dy, width, height, glyph))
        x += advance
    if not placed:
        return None
    x0, y0 = min(p[0] for p in placed), min(p[1] for p in placed)
    width, height = max(p[0] + p[2] for p in placed) - x0, max(p[1] + p[3] for p in placed) - y0
    mask = Image.new("L", (width, height))
    for left, top, glyph_width, glyph_height, glyph in placed:
        mask.im.paste(255, (left - x0, top - y0, left - x0 + glyph_width, top - y0 + glyph_height), glyph)
    return mask.im, mask.point(_INKED).im, x0, y0, width, height


_INKED: Final = [0] + [255] * 255


@functools.cache
def _blends(background: int, colour: str) -> list[int] | None:
    """For a label in ``colour`` on the palette entry ``background``: the palette entry of each
    coverage (0-255), the nearest of the pair's evenly spaced blends; None when `TEXT_PAIRS` has
    no such pair."""
    entries = _entries()
    pair = (entries[background], _rgb(colour))
    pairs = [(_rgb(back), _rgb(text)) for back, text in TEXT_PAIRS]
    if pair not in pairs:
        return None
    steps = _steps()
    first = len(_colours()) + pairs.index(pair) * steps
    ink = _colours().index(pair[1])
    table = []
    for coverage in range(256):
        step = round(coverage * (steps + 1) / 255)
        table.append(background if step == 0 else ink if step == steps + 1 else first + step - 1)
    return table


def _text(image: Image.Image, start: tuple[float, float], text: str, face: str, size: int,
          colour: tuple[int, int, int]) -> None:
    """``text`` with its baseline starting at ``start`` on a colour picture, pasted in ``colour``
    through `_text_mask`'s mask of it."""
    x, y = start
    whole = math.floor(x)
    line = _text_mask(face, size, text, x - whole)
    if line is not None:
        mask, _, dx, dy, width, height = line
        left, top = whole + dx, math.ceil(y - 0.5) + dy  # as Pillow places a line: half a pixel rounds up the page
        # Image.paste's checks cost more than the paste itself; the picture is one this module
        # made (not shared), which is all they would establish.
        image.im.paste(colour, (left, top, left + width, top + height), mask)


@functools.lru_cache(maxsize=4096)
def _glyph(face: str, size: int, char: str, quarter: int) -> tuple[Any, int, int, int, int, float]:
    """``char``'s coverage mask (Pillow's core image, as `_text_mask` pastes it) drawn ``quarter``
    quarters of a pixel right of a pixel edge, its offset from the pen on the baseline, its width
    and height in pixels, and its advance."""
    font = _font(face, size)
    advance = font.getlength(char)
    left, top, right, bottom = (int(edge) for edge in font.getbbox(char, anchor="ls"))
    if right <= left or bottom <= top:
        return None, 0, 0, 0, 0, advance
    mask = Image.new("L", (right - left + 2, bottom - top))
    ImageDraw.Draw(mask).text((quarter / 4 - left, -top), char, font=font, fill=255, anchor="ls")
    return mask.im, left, top, mask.width, mask.height, advance


def _png(image: Image.Image) -> bytes:
    """The palette picture ``image`` written as an 8-bit palette PNG.

    Written here rather than by Pillow's PNG plugin: saving through Pillow first imports every
    image format it registers (JPEG, GIF, BMP... a fifth of a command's first DOCX), and a
    palette PNG is four chunks. No row filters (for a palette image they cost time and barely
    shrink it: the file is 60 % smaller than a filtered colour PNG) and the fastest deflate
    level, as Pillow writes it with ``compress_level=1``; no time stamp, so the same drawing
    gives the same bytes.
    """
    assert image.mode == "P", image.mode  # the bytes are written as palette entries
    width, height = image.size
    pixels = image.tobytes()
    rows = b"".join(b"\x00" + pixels[start:start + width] for start in range(0, width * height, width))
    return b"".join((
        _PNG_SIGNATURE,
        _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 3, 0, 0, 0)),
        _chunk(b"PLTE", bytes(_palette().getpalette() or ())),
        _chunk(b"IDAT", zlib.compress(rows, 1)),
        _chunk(b"IEND", b""),
    ))


_PNG_SIGNATURE: Final = b"\x89PNG\r\n\x1a\n"


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


@functools.cache
def _colours() -> list[tuple[int, int, int]]:
    """The chart colours, each once: the palette's first entries."""
    return [_rgb(colour) for colour in dict.fromkeys(COLOURS)]


def _steps() -> int:
    """How many blends each text pair has in the palette."""
    return (256 - len(_colours())) // len(TEXT_PAIRS)


@functools.cache
def _entries() -> list[tuple[int, int, int]]:
    """The palette's 256 colours: the chart colours, then for each pair text is drawn with,
    evenly spaced blends between them (Pillow smooths only text, so a letter's edge pixels are
    such blends), then the last blend again."""
    entries = list(_colours())
    steps = _steps()
    for background, text in TEXT_PAIRS:
        start, end = _rgb(background), _rgb(text)
        for step in range(1, steps + 1):
            share = step / (steps + 1)
            red, green, blue = (round(a + (b - a) * share) for a, b in zip(start, end, strict=True))
            entries.append((red, green, blue))
    return entries + entries[-1:] * (256 - len(entries))


@functools.cache
def _palette() -> Image.Image:
    """`_entries` as a palette picture (for mapping what `_text` paints in colour). One fixed
    palette lets every picture be painted straight in its entries; mapping a colour painting to
    it moved no channel of a real-world pixel more than 9 of 255 levels (14 with a palette chosen
    per picture)."""
    palette = Image.new("P", (1, 1))
    palette.putpalette([channel for entry in _entries() for channel in entry])
    return palette


def _line(canvas: ImageDraw.ImageDraw, start: tuple[float, float], end: tuple[float, float],
          colour: int | None, width: int, dashes: Sequence[float] | None) -> None:
    if colour is None:
        return
    if not dashes:
        canvas.line((start, end), fill=colour, width=width)
        return
    (x0, y0), (x1, y1) = start, end
    length = ((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5
    if length == 0:
        return
    steps = [max(float(step) * SCALE, 0.5) for step in dashes]
    position, index, drawn = 0.0, 0, True
    while position < length:
        step = min(steps[index % len(steps)], length - position)
        if drawn:
            a, b = position / length, (position + step) / length
            canvas.line(((x0 + (x1 - x0) * a, y0 + (y1 - y0) * a), (x0 + (x1 - x0) * b, y0 + (y1 - y0) * b)),
                        fill=colour, width=width)
        position += step
        index += 1
        drawn = not drawn


def _line_width(points: float | None) -> int:
    return max(1, round((points if points is not None else 1.0) * SCALE))


def _rgb(colour: str) -> tuple[int, int, int]:
    value = int(colour.removeprefix("#"), 16)
    return value >> 16, (value >> 8) & 0xFF, value & 0xFF


@functools.cache
def _ink(colour: str | None) -> int | None:
    """The palette entry of a chart colour (every colour a chart uses is one of `COLOURS`)."""
    if colour is None:
        return None
    rgb = _rgb(colour)
    assert rgb in _colours(), f"{colour} is not one of the chart colours (COLOURS)"
    return _colours().index(rgb)


@functools.cache
def _font(face: str, size: int) -> ImageFont.FreeTypeFont:
    # BASIC layout, not raqm: the drawing's strings are already in visual order with fallback
    # faces chosen per run (as in the PDF), raqm is not on every machine (same bytes everywhere),
    # and it fails outright on some unassigned code points.
    path = str(font_file(face if face in FONT_FILES else SANS))
    return ImageFont.truetype(path, size, layout_engine=ImageFont.Layout.BASIC)
