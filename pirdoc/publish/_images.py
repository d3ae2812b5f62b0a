"""Figures as PNG images for Confluence pages, drawn from the Document's figure data.

The charts are the PDF renderer's own reportlab drawings (`pirdoc.renderers._pdf_figures`), so
the page and the PDF show the same picture. reportlab's own bitmap backend needs pycairo, which
has no wheels for Linux; the drawings use only rectangles, lines, polygons and strings, so this
module paints them with Pillow (a dependency of reportlab) instead. Text uses the fonts bundled
with pirdoc, so a figure gives the same bytes on every machine with the same Pillow release.
"""

from __future__ import annotations

import functools
import hashlib
import io
from collections.abc import Iterator, Sequence
from typing import Any, Final

import attrs
from PIL import Image, ImageDraw, ImageFont

from pirdoc import document as d
from pirdoc.renderers._confluence_names import figure_attachment_name

__all__ = ["FIGURE_WIDTH", "FigureImage", "figure_images", "png_of"]

FIGURE_WIDTH: Final = 680.0
"""The drawings' width in points; the page shows them this many pixels wide (``ac:width``)."""

_SCALE: Final = 2.0
"""Pixels per point: images are drawn at twice their shown size, sharp on high-density screens."""


@attrs.frozen(kw_only=True)
class FigureImage:
    """One figure as a PNG to attach under ``filename``; ``sha256`` is the hex digest of ``data``."""

    filename: str
    data: bytes
    sha256: str
    media_type: str = "image/png"


def figure_images(document: d.Document) -> list[FigureImage]:
    """Every figure of ``document`` as an image, named as the Confluence renderer refers to it
    with ``figures="attachments"`` (numbered in document order)."""
    images: list[FigureImage] = []
    figures = (block for block in d.iter_blocks(document.blocks) if isinstance(block, d.Figure))
    for number, figure in enumerate(figures, start=1):
        kind = "timeline" if isinstance(figure.data, d.TimelineFigure) else "metrics"
        data = png_of(figure.data)
        images.append(
            FigureImage(
                filename=figure_attachment_name(number, kind), data=data, sha256=hashlib.sha256(data).hexdigest()
            )
        )
    return images


@functools.lru_cache(maxsize=16)  # a run republishing a review draws each unchanged figure once
def png_of(data: d.FigureData) -> bytes:
    """The PNG bytes of one figure, ``FIGURE_WIDTH`` points wide at ``_SCALE`` pixels a point."""
    from pirdoc.renderers._pdf_figures import metrics_drawing, timeline_drawing

    if isinstance(data, d.TimelineFigure):
        drawing = timeline_drawing(data, FIGURE_WIDTH)
    else:
        drawing = metrics_drawing(data, FIGURE_WIDTH)
    return _paint(drawing)


def _paint(drawing: Any) -> bytes:
    from reportlab.graphics.shapes import Group, Line, Polygon, Rect, String

    width, height = round(drawing.width * _SCALE), round(drawing.height * _SCALE)
    image = Image.new("RGB", (max(width, 1), max(height, 1)), "white")
    canvas = ImageDraw.Draw(image)

    def point(x: float, y: float) -> tuple[float, float]:
        return x * _SCALE, (drawing.height - y) * _SCALE

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
            font = _font(shape.fontName, round(shape.fontSize * _SCALE))
            canvas.text((x, y), shape.text, font=font, fill=_colour(shape.fillColor) or "black", anchor="ls")
    out = io.BytesIO()
    # Pillow writes no time stamp into a PNG: the same drawing gives the same bytes.
    image.save(out, format="PNG")
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
    steps = [max(float(step) * _SCALE, 0.5) for step in dashes]
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
    return max(1, round((points if points is not None else 1.0) * _SCALE))


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
