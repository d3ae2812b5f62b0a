"""The figures (`pirdoc.renderers._figures`) as reportlab vector drawings, for the PDF."""

from __future__ import annotations

import functools

from reportlab.graphics import shapes
from reportlab.lib import colors

from pirdoc.renderers._figures import Chart, Line, Polygon, Rect, Text
from pirdoc.renderers._fonts import SANS

__all__ = ["drawing"]


@functools.cache
def _colour(hex_colour: str | None) -> colors.Color | None:
    return None if hex_colour is None else colors.HexColor(hex_colour)


def drawing(chart: Chart) -> shapes.Drawing:
    """``chart`` as one reportlab drawing of one group."""
    group = shapes.Group()
    for shape in chart.shapes:
        match shape:
            case Rect(x, y, width, height, fill, stroke, stroke_width):
                extra = {} if stroke_width is None else {"strokeWidth": stroke_width}
                group.add(shapes.Rect(x, y, width, height, fillColor=_colour(fill), strokeColor=_colour(stroke),
                                      **extra))
            case Line(x1, y1, x2, y2, stroke, stroke_width, dashes):
                extra_line = {} if dashes is None else {"strokeDashArray": list(dashes)}
                group.add(shapes.Line(x1, y1, x2, y2, strokeColor=_colour(stroke), strokeWidth=stroke_width,
                                      **extra_line))
            case Polygon(points, fill, stroke, stroke_width):
                extra = {} if stroke_width is None else {"strokeWidth": stroke_width}
                group.add(shapes.Polygon(list(points), fillColor=_colour(fill), strokeColor=_colour(stroke), **extra))
            case Text(x, y, text, face, size, fill):
                group.add(shapes.String(x, y, text, fontName=face, fontSize=size, fillColor=_colour(fill)))
    result = shapes.Drawing(chart.width, chart.height, initialFontName=SANS, initialFontSize=8)
    result.add(group)
    return result
