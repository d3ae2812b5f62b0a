"""Figures as PNG pictures, painted from the PDF's own reportlab drawings.

The charts are the PDF renderer's reportlab drawings (`pirdoc.renderers._pdf_figures`), so a
picture in a DOCX, an image on a Confluence page and the PDF show the same chart. reportlab's own
bitmap backend needs pycairo, which has no wheels for Linux; the drawings use only rectangles,
lines, polygons and strings, so this module paints them with Pillow (a dependency of reportlab)
instead. Text uses the fonts bundled with pirdoc, and Pillow writes no time stamp into a PNG, so
a figure gives the same bytes on every machine with the same Pillow release.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Iterator, Sequence
from typing import Any, Final, assert_never

from PIL import Image, ImageDraw, ImageFont

from pirdoc import document as d

__all__ = ["SCALE", "figure_png"]

SCALE: Final = 2.0
"""Pixels per point: pictures are painted at twice their shown size, sharp on high-density
screens and in print at 144 dpi."""



def figure_png(data: d.FigureData, width: float) -> bytes:
    """The PNG bytes of one figure drawn ``width`` points wide, at `SCALE` pixels a point."""
    from pirdoc.renderers._pdf_figures import metrics_drawing, timeline_drawing

    match data:
        case d.TimelineFigure():
            drawing = timeline_drawing(data, width)
        case d.MetricsFigure():
            drawing = metrics_drawing(data, width)
        case _:
            assert_never(data)
    return _paint(drawing)


def _paint(drawing: Any) -> bytes:
    from reportlab.graphics.shapes import Group, Line, Polygon, Rect, String

    width, height = round(drawing.width * SCALE), round(drawing.height * SCALE)
    image = Image.new("RGB", (max(width, 1), max(height, 1)), "white")
    canvas = ImageDraw.Draw(image)

    def point(x: float, y: float) -> tuple[float, float]:
        return x * SCALE, (drawing.height - y) * SCALE

    def shapes(node: Any) -> Iterator[Any]:
        for shape in node.getContents():
            if isinstance(shape, Group):
                yield from shapes(shape)
            else:
                yield shape

    for shape in shapes(drawing):
        if isinstance(shape, Rect):
            x0, y1 = point(shape.x, shape.y)
            x1, y0 = point(shape.x + shape.width, shape.y + shape.height)
            canvas.rectangle(
                (x0, y0, x1, y1),
                fill=_colour(shape.fillColor),
                outline=_colour(shape.strokeColor),
                width=_line_width(shape.strokeWidth) if shape.strokeColor is not None else 0,
            )
        elif isinstance(shape, Polygon):
            pts = shape.points
            canvas.polygon(
                [point(pts[i], pts[i + 1]) for i in range(0, len(pts) - 1, 2)],
                fill=_colour(shape.fillColor),
                outline=_colour(shape.strokeColor),
            )
        elif isinstance(shape, Line):
            _line(canvas, point(shape.x1, shape.y1), point(shape.x2, shape.y2), shape)
        elif isinstance(shape, String):
            x, y = point(shape.x, shape.y)
            font = _font(shape.fontName, round(shape.fontSize * SCALE))
            canvas.text((x, y), shape.text, font=font, fill=_colour(shape.fillColor) or "black", anchor="ls")
    out = io.BytesIO()
    # Pillow writes no time stamp into a PNG: the same drawing gives the same bytes. The fastest
    # deflate level: 40 % less time than the default for files about 12 % larger.
    image.save(out, format="PNG", compress_level=1)
    return out.getvalue()


def _line(canvas: ImageDraw.ImageDraw, start: tuple[float, float], end: tuple[float, float], shape: Any) -> None:
    colour = _colour(shape.strokeColor)
    if colour is None:
        return
    width = _line_width(shape.strokeWidth)
    dashes: Sequence[float] | None = shape.strokeDashArray
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


def _colour(colour: Any) -> tuple[int, int, int] | None:
    if colour is None:
        return None
    red, green, blue = colour.red, colour.green, colour.blue
    return round(red * 255), round(green * 255), round(blue * 255)


@functools.cache
def _font(face: str, size: int) -> ImageFont.FreeTypeFont:
    from pirdoc.renderers._pdf_fonts import FONT_FILES, SANS, font_file

    # BASIC layout, not raqm: the drawing's strings are already in visual order with fallback
    # faces chosen per run (as in the PDF), raqm is not on every machine (same bytes everywhere),
    # and it fails outright on some unassigned code points.
    path = str(font_file(face if face in FONT_FILES else SANS))
    return ImageFont.truetype(path, size, layout_engine=ImageFont.Layout.BASIC)
