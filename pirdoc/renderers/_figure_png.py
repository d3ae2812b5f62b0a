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
    width, height = round(chart.width * SCALE), round(chart.height * SCALE)
    image = Image.new("RGB", (max(width, 1), max(height, 1)), "white")
    canvas = ImageDraw.Draw(image)

    def point(x: float, y: float) -> tuple[float, float]:
        return x * SCALE, (chart.height - y) * SCALE

    for shape in chart.shapes:
        match shape:
            case Rect(x, y, w, h, fill, stroke, stroke_width):
                x0, y1 = point(x, y)
                x1, y0 = point(x + w, y + h)
                canvas.rectangle((x0, y0, x1, y1), fill=_colour(fill), outline=_colour(stroke),
                                 width=_line_width(stroke_width) if stroke is not None else 0)
            case Polygon(points, fill, stroke, _):
                canvas.polygon([point(points[i], points[i + 1]) for i in range(0, len(points) - 1, 2)],
                               fill=_colour(fill), outline=_colour(stroke))
            case Line(x1, y1, x2, y2, stroke, stroke_width, dashes):
                _line(canvas, point(x1, y1), point(x2, y2), _colour(stroke), _line_width(stroke_width), dashes)
            case Text(x, y, text, face, size, fill):
                _text(image, point(x, y), text, face, round(size * SCALE), _colour(fill) or (0, 0, 0))
    return image


def _text(image: Image.Image, start: tuple[float, float], text: str, face: str, size: int,
          colour: tuple[int, int, int]) -> None:
    """``text`` with its baseline starting at ``start``, glyph by glyph from `_glyph`'s masks.

    Pillow renders a whole string through FreeType on every call, which was most of painting a
    chart; a chart's labels share a few dozen glyphs. Glyphs are placed at their advance widths
    to a quarter of a pixel, without kerning (as the PDF sets them)."""
    x, y = start
    baseline = math.ceil(y - 0.5)  # as Pillow places a line: half a pixel rounds up the page
    # Image.paste's checks cost more than the paste of a glyph's few pixels; the picture is one
    # this module made (RGB, not shared), which is all they would establish.
    paste = image.im.paste
    for char in text:
        pen = round(x * 64) / 64  # Pillow places text to 1/64 of a pixel
        left = math.floor(pen)
        mask, dx, dy, width, height, advance = _glyph(face, size, char, int((pen - left) * 4))
        if mask is not None:
            x0, y0 = left + dx, baseline + dy
            paste(colour, (x0, y0, x0 + width, y0 + height), mask)
        x += advance


@functools.lru_cache(maxsize=4096)
def _glyph(face: str, size: int, char: str, quarter: int) -> tuple[Any, int, int, int, int, float]:
    """``char``'s coverage mask (Pillow's core image, as `_text` pastes it) drawn ``quarter``
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
    """``image`` mapped to `_palette` and written as an 8-bit palette PNG.

    Written here rather than by Pillow's PNG plugin: saving through Pillow first imports every
    image format it registers (JPEG, GIF, BMP... a fifth of a command's first DOCX), and a
    palette PNG is four chunks. No row filters (for a palette image they cost time and barely
    shrink it: the file is 60 % smaller than a filtered colour PNG) and the fastest deflate
    level, as Pillow writes it with ``compress_level=1``; no time stamp, so the same drawing
    gives the same bytes.
    """
    mapped = image.quantize(palette=_palette(), dither=Image.Dither.NONE)
    width, height = mapped.size
    pixels = mapped.tobytes()
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
def _palette() -> Image.Image:
    """The chart colours and, for each pair text is drawn with, evenly spaced blends between
    them: Pillow smooths only text, so a letter's edge pixels are such blends. Mapping to a fixed
    palette is five times faster than choosing one per picture, and closer: on the real-world
    corpus no channel of a pixel moves more than 9 of 255 levels (14 with an adaptive palette)."""
    entries = [_rgb(colour) for colour in dict.fromkeys(COLOURS)]
    steps = (256 - len(entries)) // len(TEXT_PAIRS)
    for background, text in TEXT_PAIRS:
        start, end = _rgb(background), _rgb(text)
        for step in range(1, steps + 1):
            share = step / (steps + 1)
            red, green, blue = (round(a + (b - a) * share) for a, b in zip(start, end, strict=True))
            entries.append((red, green, blue))
    values = [channel for entry in entries for channel in entry]
    palette = Image.new("P", (1, 1))
    palette.putpalette(values + values[-3:] * (256 - len(values) // 3))
    return palette


def _line(canvas: ImageDraw.ImageDraw, start: tuple[float, float], end: tuple[float, float],
          colour: tuple[int, int, int] | None, width: int, dashes: Sequence[float] | None) -> None:
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
def _colour(colour: str | None) -> tuple[int, int, int] | None:
    return None if colour is None else _rgb(colour)


@functools.cache
def _font(face: str, size: int) -> ImageFont.FreeTypeFont:
    # BASIC layout, not raqm: the drawing's strings are already in visual order with fallback
    # faces chosen per run (as in the PDF), raqm is not on every machine (same bytes everywhere),
    # and it fails outright on some unassigned code points.
    path = str(font_file(face if face in FONT_FILES else SANS))
    return ImageFont.truetype(path, size, layout_engine=ImageFont.Layout.BASIC)
