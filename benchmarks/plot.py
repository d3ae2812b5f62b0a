"""The scaling curve and the dimension sweep of a benchmark run as reportlab drawings (log-log).

    python benchmarks/plot.py RESULTS.json OUT.png [SWEEP.png]    # redraw from a run's results.json

reportlab is already a dependency of pirdoc, so the plot needs nothing new; the PNG is made from
the drawing's PDF with pdftoppm (poppler-utils).
"""

from __future__ import annotations

import itertools
import json
import math
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Circle, Drawing, Line, PolyLine, Rect, String
from reportlab.lib import colors

__all__ = ["scaling_drawing", "sweep_drawing", "write_png", "write_sweep_png"]

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


@dataclass(frozen=True)
class _Style:
    """Sizes of an axes' text and lines: the scaling plot's, or a sweep panel's smaller ones."""

    font: float
    line: float
    x_gap: float  # from the frame down to a size's label
    y_gap: float  # from the frame left to a time's label
    y_drop: float  # a time's label below its grid line


_WHOLE = _Style(font=8, line=0.6, x_gap=14, y_gap=6, y_drop=3)
_PANEL = _Style(font=6.5, line=0.5, x_gap=10, y_gap=4, y_drop=2.5)


class _LogAxes:
    """A log-log plot area over whole decades of ``sizes`` and ``seconds`` (with the dashed guide
    of slope 1 through the slowest line's largest size, which linear growth runs parallel to):
    its grid, labels and frame are drawn on ``drawing`` when it is made."""

    def __init__(self, drawing: Drawing, box: tuple[float, float, float, float], sizes: list[int],
                 seconds: list[float], largest: float | None, style: _Style) -> None:
        self.left, self.right, self.bottom, self.top = box
        self.sizes = sizes
        self.guide = (largest * sizes[0] / sizes[-1], largest) if largest else None
        values = seconds + ([self.guide[0]] if self.guide else [])
        self.x_decades = _decades(min(sizes), max(sizes))
        self.y_decades = _decades(min(values), max(values))
        left, right, bottom, top = box
        for decade in self.x_decades:
            x = self.x(10.0**decade)
            drawing.add(Line(x, bottom, x, top, strokeColor=_GRID, strokeWidth=style.line))
            drawing.add(String(x, bottom - style.x_gap, f"{10**decade:,}", fontName="Helvetica",
                               fontSize=style.font, textAnchor="middle", fillColor=_INK))
        for decade in self.y_decades:
            y = self.y(10.0**decade)
            drawing.add(Line(left, y, right, y, strokeColor=_GRID, strokeWidth=style.line))
            drawing.add(String(left - style.y_gap, y - style.y_drop, _label(10.0**decade), fontName="Helvetica",
                               fontSize=style.font, textAnchor="end", fillColor=_INK))
        drawing.add(Rect(left, bottom, right - left, top - bottom, fillColor=None, strokeColor=_INK,
                         strokeWidth=style.line))
        if self.guide:
            drawing.add(Line(self.x(sizes[0]), self.y(self.guide[0]), self.x(sizes[-1]), self.y(self.guide[1]),
                             strokeColor=_INK, strokeWidth=0.5, strokeDashArray=[2, 2]))

    def x(self, size: float) -> float:
        lo, hi = self.x_decades[0], self.x_decades[-1]
        return self.left + (self.right - self.left) * (math.log10(size) - lo) / max(hi - lo, 1)

    def y(self, seconds: float) -> float:
        lo, hi = self.y_decades[0], self.y_decades[-1]
        return self.bottom + (self.top - self.bottom) * (math.log10(seconds) - lo) / max(hi - lo, 1)


def scaling_drawing(scaling: dict[str, Any], width: float = 560, height: float = 340) -> Drawing:
    """Seconds per render against timeline events, one line per format, with a linear guide."""
    sizes: list[int] = scaling["sizes"]
    series: dict[str, dict[str, float | None]] = scaling["seconds"]
    values = [v for points in series.values() for v in points.values() if v]
    largest = max((points.get(str(sizes[-1])) or 0.0 for points in series.values()), default=0.0)
    left, right, bottom, top = 58.0, width - 120.0, 40.0, height - 30.0
    drawing = Drawing(width, height)
    drawing.add(Rect(0, 0, width, height, fillColor=colors.white, strokeColor=None))
    drawing.add(String(left, height - 18, "Render time against review size (log-log)", fontName="Helvetica-Bold",
                       fontSize=11, fillColor=_INK))
    axes = _LogAxes(drawing, (left, right, bottom, top), sizes, values, largest, _WHOLE)
    x_of, y_of = axes.x, axes.y
    drawing.add(String((left + right) / 2, 10, "timeline events (action items = events / 5, factors = events / 10)",
                       fontName="Helvetica", fontSize=8, textAnchor="middle", fillColor=_INK))

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


# The sweep's dimensions as a panel's title (benchmarks/sweep.py's DIMENSIONS, shortened).
_DIMENSION_TITLES = {
    "field_chars": "characters in one field",
    "unbroken_chars": "characters without a space",
    "timeline_events": "timeline events",
    "action_items": "action items",
    "table_rows": "rows of a narrative table",
    "table_columns": "columns of a narrative table",
    "links": "links in one field",
    "list_depth": "levels of a nested list",
    "quote_depth": "levels of nested quotes",
}
_FORMATS = ("markdown", "docx", "pdf", "confluence")
_STEEP = colors.HexColor("#c92a2a")


def _sweep_series(rows: list[dict[str, Any]]) -> dict[str, dict[str, dict[int, float]]]:
    """dimension → format → size → seconds, from the sweep's rows (each a step n → 10 n)."""
    series: dict[str, dict[str, dict[int, float]]] = {}
    for row in rows:
        if "failed" in row:
            continue
        points = series.setdefault(row["dimension"], {}).setdefault(row["format"], {})
        points[row["n"]] = row["seconds_n"]
        points[row["to"]] = row["seconds_10n"]
    return series


def _panel(drawing: Drawing, x0: float, y0: float, width: float, height: float, title: str,
           formats: dict[str, dict[int, float]], limit: float) -> None:
    """One dimension: seconds against size, log-log, a line per format; a step that grew more
    than ``limit`` times for a tenfold input is drawn thick and red."""
    sizes = sorted({size for points in formats.values() for size in points})
    values = [seconds for points in formats.values() for seconds in points.values() if seconds > 0]
    if len(sizes) < 2 or not values:
        return
    largest = max(points.get(sizes[-1], 0.0) for points in formats.values())
    left, right, bottom, top = x0 + 42, x0 + width - 8, y0 + 22, y0 + height - 20
    drawing.add(String(left, y0 + height - 12, title, fontName="Helvetica-Bold", fontSize=8, fillColor=_INK))
    axes = _LogAxes(drawing, (left, right, bottom, top), sizes, values, largest, _PANEL)
    x_of, y_of = axes.x, axes.y
    for name in _FORMATS:
        points = sorted((size, seconds) for size, seconds in formats.get(name, {}).items() if seconds > 0)
        colour = _COLOURS.get(name, _INK)
        for (small, first), (large, second) in itertools.pairwise(points):
            steep = second / first > limit * large / small / 10
            drawing.add(Line(x_of(small), y_of(first), x_of(large), y_of(second),
                             strokeColor=_STEEP if steep else colour, strokeWidth=2.6 if steep else 1.2))
        for size, seconds in points:
            drawing.add(Circle(x_of(size), y_of(seconds), 1.8, fillColor=colour, strokeColor=None))


def sweep_drawing(sweep: dict[str, Any], limit: float = 12.0, columns: int = 3) -> Drawing:
    """The dimension sweep as small multiples: a panel per dimension, CPU seconds per render against
    the dimension's size up to its limit (log-log), a line per format, the dashed guide of slope 1."""
    series = _sweep_series(sweep["rows"])
    names = [name for name in _DIMENSION_TITLES if name in series] + sorted(set(series) - set(_DIMENSION_TITLES))
    panel_width, panel_height = 190.0, 150.0
    rows = max(1, math.ceil(len(names) / columns))
    width, height = columns * panel_width + 10, rows * panel_height + 58
    drawing = Drawing(width, height)
    drawing.add(Rect(0, 0, width, height, fillColor=colors.white, strokeColor=None))
    drawing.add(String(10, height - 18, "Render time as one input dimension grows to its limit (log-log, a fresh "
                       "process per render)", fontName="Helvetica-Bold", fontSize=10, fillColor=_INK))
    for index, name in enumerate(names):
        column, row = index % columns, index // columns
        _panel(drawing, 5 + column * panel_width, height - 30 - (row + 1) * panel_height, panel_width, panel_height,
               _DIMENSION_TITLES.get(name, name), series[name], limit)
    legend_x, legend_y = 10.0, 10.0
    for name in _FORMATS:
        colour = _COLOURS[name]
        drawing.add(Line(legend_x, legend_y + 3, legend_x + 16, legend_y + 3, strokeColor=colour, strokeWidth=1.6))
        drawing.add(String(legend_x + 20, legend_y, name, fontName="Helvetica", fontSize=8, fillColor=_INK))
        legend_x += 80
    drawing.add(Line(legend_x, legend_y + 3, legend_x + 16, legend_y + 3, strokeColor=_INK, strokeWidth=0.5,
                     strokeDashArray=[2, 2]))
    drawing.add(String(legend_x + 20, legend_y, "linear", fontName="Helvetica", fontSize=8, fillColor=_INK))
    legend_x += 60
    drawing.add(Line(legend_x, legend_y + 3, legend_x + 16, legend_y + 3, strokeColor=_STEEP, strokeWidth=2.6))
    drawing.add(String(legend_x + 20, legend_y, f"a step over {limit:g}× for 10× the input", fontName="Helvetica",
                       fontSize=8, fillColor=_INK))
    return drawing


def _write(drawing: Drawing, target: Path) -> None:
    """``drawing`` to ``target`` (PNG, 150 dpi) through a PDF and pdftoppm."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        raise SystemExit("the plot needs pdftoppm (poppler-utils) to turn the drawing into a PNG")
    with tempfile.TemporaryDirectory() as temporary:
        pdf = Path(temporary) / "plot.pdf"
        renderPDF.drawToFile(drawing, str(pdf))
        subprocess.run([pdftoppm, "-png", "-r", "150", "-singlefile", str(pdf), str(target.with_suffix(""))],
                       check=True)


def write_png(scaling: dict[str, Any], target: Path) -> None:
    """Draw the scaling curve to ``target`` (PNG, 150 dpi)."""
    _write(scaling_drawing(scaling), target)


def write_sweep_png(sweep: dict[str, Any], target: Path, limit: float = 12.0) -> None:
    """Draw the dimension sweep to ``target`` (PNG, 150 dpi); a step over ``limit`` for a tenfold
    input is marked."""
    _write(sweep_drawing(sweep, limit), target)


if __name__ == "__main__":
    if len(sys.argv) not in (3, 4):
        raise SystemExit(__doc__)
    results = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    write_png(results["scaling"], Path(sys.argv[2]))
    if len(sys.argv) == 4:
        if "sweep" not in results:
            raise SystemExit(f"{sys.argv[1]} has no sweep (a run from before the sweep, or one that failed)")
        write_sweep_png(results["sweep"], Path(sys.argv[3]))
