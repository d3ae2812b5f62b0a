"""The figures (`pirdoc.renderers._figures`) drawn straight onto the PDF canvas as vectors.

The shapes are only rectangles, lines, polygons and text, so they are drawn with the canvas's own
operators rather than built into a reportlab ``Drawing`` first: building and validating the
graphics objects and walking them again to draw them cost about as much as the rest of a chart,
and the output is the same picture (each shape's colours, line width and dashes are set as it is
drawn, inside one saved graphics state).
"""

from __future__ import annotations

import functools

from reportlab.lib import colors
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from pirdoc.renderers._figures import Chart, Line, Polygon, Rect, Text

__all__ = ["ChartFlowable"]

_DEFAULT_STROKE_WIDTH = 1.0


@functools.cache
def _colour(hex_colour: str) -> colors.Color:
    return colors.HexColor(hex_colour)


class ChartFlowable(Flowable):  # type: ignore[misc]
    """A chart that stays with its caption: it is kept with the next flowable (the caption), and a
    heading above it keeps the chain together (reportlab keeps a run of keepWithNext flowables on
    one page)."""

    def __init__(self, chart: Chart) -> None:
        super().__init__()
        self.chart = chart
        self.width, self.height = chart.width, chart.height
        self.keepWithNext = 1

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.setLineCap(0)  # the PDF's defaults, whatever state the page is in
        canvas.setLineJoin(0)
        canvas.setDash([])
        for shape in self.chart.shapes:
            match shape:
                case Rect(x, y, width, height, fill, stroke, stroke_width):
                    _set_paint(canvas, fill, stroke, stroke_width)
                    canvas.rect(x, y, width, height, stroke=stroke is not None, fill=fill is not None)
                case Line(x1, y1, x2, y2, stroke, stroke_width, dashes):
                    _set_paint(canvas, None, stroke, stroke_width)
                    canvas.setDash(list(dashes) if dashes else [])
                    canvas.line(x1, y1, x2, y2)
                    if dashes:
                        canvas.setDash([])
                case Polygon(points, fill, stroke, stroke_width):
                    _set_paint(canvas, fill, stroke, stroke_width)
                    path = canvas.beginPath()
                    path.moveTo(points[0], points[1])
                    for index in range(2, len(points) - 1, 2):
                        path.lineTo(points[index], points[index + 1])
                    path.close()
                    canvas.drawPath(path, stroke=stroke is not None, fill=fill is not None)
                case Text(x, y, text, face, size, fill):
                    canvas.setFont(face, size)
                    canvas.setFillColor(_colour(fill))
                    canvas.drawString(x, y, text)
        canvas.restoreState()


def _set_paint(canvas: Canvas, fill: str | None, stroke: str | None, stroke_width: float | None) -> None:
    if fill is not None:
        canvas.setFillColor(_colour(fill))
    if stroke is not None:
        canvas.setStrokeColor(_colour(stroke))
        canvas.setLineWidth(_DEFAULT_STROKE_WIDTH if stroke_width is None else stroke_width)
