"""The scaling curve of a benchmark run as a reportlab drawing (log-log: time against events).

    python benchmarks/plot.py RESULTS.json OUT.png     # redraw from a run's results.json

reportlab is already a dependency of pirdoc, so the plot needs nothing new; the PNG is made from
the drawing's PDF with pdftoppm (poppler-utils).
"""

from __future__ import annotations

import json
import math
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Circle, Drawing, Line, PolyLine, Rect, String
from reportlab.lib import colors

__all__ = ["scaling_drawing", "write_png"]

_COLOURS = {
    "(layout only)": colors.HexColor("#9aa5b1"),
    "markdown": colors.HexColor("#2f9e44"),
    "docx": colors.HexColor("#1c7ed6"),
    "pdf": colors.HexColor("#e8590c"),
    "confluence": colors.HexColor("#ae3ec9"),
}
_INK = colors.HexColor("#1f2933")
_GRID = colors.HexColor("#e4e7eb")


def _decades(low: float, high: float) -> list[int]:
    return list(range(math.floor(math.log10(low)), math.ceil(math.log10(high)) + 1))


def _label(seconds: float) -> str:
    if seconds >= 1:
        return f"{seconds:g} s"
    return f"{seconds * 1000:g} ms"


def scaling_drawing(scaling: dict[str, Any], width: float = 560, height: float = 340) -> Drawing:
    """Seconds per render against timeline events, one line per format, with a linear guide."""
    sizes: list[int] = scaling["sizes"]
    series: dict[str, dict[str, float | None]] = scaling["seconds"]
    values = [v for points in series.values() for v in points.values() if v]
    # A dashed guide of slope 1 through the slowest format's largest review: linear scaling runs
    # parallel to it (fixed costs make the small sizes lie above it).
    slowest = max(series, key=lambda name: series[name].get(str(sizes[-1])) or 0.0)
    end = series[slowest].get(str(sizes[-1]))
    guide = (end * sizes[0] / sizes[-1], end) if end else None
    if guide:
        values.append(guide[0])
    left, right, bottom, top = 58.0, width - 120.0, 40.0, height - 30.0
    x_decades = _decades(min(sizes), max(sizes))
    y_decades = _decades(min(values), max(values))

    def x_of(events: float) -> float:
        lo, hi = x_decades[0], x_decades[-1]
        return left + (right - left) * (math.log10(events) - lo) / max(hi - lo, 1)

    def y_of(seconds: float) -> float:
        lo, hi = y_decades[0], y_decades[-1]
        return bottom + (top - bottom) * (math.log10(seconds) - lo) / max(hi - lo, 1)

    drawing = Drawing(width, height)
    drawing.add(Rect(0, 0, width, height, fillColor=colors.white, strokeColor=None))
    drawing.add(String(left, height - 18, "Render time against review size (log-log)", fontName="Helvetica-Bold",
                       fontSize=11, fillColor=_INK))
    for decade in x_decades:
        x = x_of(10.0**decade)
        drawing.add(Line(x, bottom, x, top, strokeColor=_GRID, strokeWidth=0.6))
        drawing.add(String(x, bottom - 14, f"{10**decade:,}", fontName="Helvetica", fontSize=8,
                           textAnchor="middle", fillColor=_INK))
    for decade in y_decades:
        y = y_of(10.0**decade)
        drawing.add(Line(left, y, right, y, strokeColor=_GRID, strokeWidth=0.6))
        drawing.add(String(left - 6, y - 3, _label(10.0**decade), fontName="Helvetica", fontSize=8,
                           textAnchor="end", fillColor=_INK))
    drawing.add(String((left + right) / 2, 10, "timeline events (action items = events / 5, factors = events / 10)",
                       fontName="Helvetica", fontSize=8, textAnchor="middle", fillColor=_INK))
    drawing.add(Rect(left, bottom, right - left, top - bottom, fillColor=None, strokeColor=_INK, strokeWidth=0.6))

    if guide:
        drawing.add(Line(x_of(sizes[0]), y_of(guide[0]), x_of(sizes[-1]), y_of(guide[1]),
                         strokeColor=_INK, strokeWidth=0.5, strokeDashArray=[2, 2]))

    legend_y = top - 4
    for name, points in series.items():
        colour = _COLOURS.get(name, _INK)
        coordinates: list[float] = []
        for size in sizes:
            seconds = points.get(str(size))
            if seconds:
                coordinates += [x_of(size), y_of(seconds)]
                drawing.add(Circle(x_of(size), y_of(seconds), 2.2, fillColor=colour, strokeColor=None))
        if len(coordinates) >= 4:
            drawing.add(PolyLine(coordinates, strokeColor=colour, strokeWidth=1.4))
        drawing.add(Line(right + 12, legend_y + 3, right + 30, legend_y + 3, strokeColor=colour, strokeWidth=1.6))
        drawing.add(String(right + 34, legend_y, name, fontName="Helvetica", fontSize=8, fillColor=_INK))
        legend_y -= 14
    drawing.add(Line(right + 12, legend_y + 3, right + 30, legend_y + 3, strokeColor=_INK, strokeWidth=0.5,
                     strokeDashArray=[2, 2]))
    drawing.add(String(right + 34, legend_y, "linear", fontName="Helvetica", fontSize=8, fillColor=_INK))
    return drawing


def write_png(scaling: dict[str, Any], target: Path) -> None:
    """Draw the scaling curve to ``target`` (PNG, 150 dpi) through a PDF and pdftoppm."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        raise SystemExit("the plot needs pdftoppm (poppler-utils) to turn the drawing into a PNG")
    with tempfile.TemporaryDirectory() as temporary:
        pdf = Path(temporary) / "plot.pdf"
        renderPDF.drawToFile(scaling_drawing(scaling), str(pdf))
        subprocess.run([pdftoppm, "-png", "-r", "150", "-singlefile", str(pdf), str(target.with_suffix(""))],
                       check=True)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    write_png(json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))["scaling"], Path(sys.argv[2]))
