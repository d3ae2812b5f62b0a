"""The figures as plain shapes: rectangles, lines, polygons and text, in points, y up.

Two charts: the incident timeline (window, phase bands, milestones) and the response metrics
against their targets. Met and missed metrics differ in colour *and* without colour: a missed
bar is hatched and every bar carries a ✓ met / ✗ missed / "not compared" label, so a grey-scale
print or a colour-blind reader loses nothing.

The shapes are drawn by the PDF renderer as vectors on its canvas
(`pirdoc.renderers._pdf_figures`) and painted as PNG pictures for DOCX and Confluence
(`pirdoc.renderers._figure_png`), so every format shows the same chart. Nothing here imports
reportlab or Pillow: a DOCX render loads neither reportlab's graphics nor its font parser.
"""

from __future__ import annotations

from typing import Final, NamedTuple, TypeAlias, assert_never

from pirdoc.document import FigureData, MetricsFigure, TimelineFigure
from pirdoc.renderers._chart_geometry import Box, timeline_geometry
from pirdoc.renderers._fonts import SANS, SANS_BOLD, face_width, string_width, visual_runs

__all__ = [
    "COLOURS", "TEXT_PAIRS", "WHITE", "Chart", "Line", "Polygon", "Rect", "Shape", "Text", "chart", "metrics_chart",
    "timeline_chart",
    "wrap_words",
]

Colour: TypeAlias = str
"""A colour as ``#rrggbb``."""

INK: Final = "#1f2933"
MUTED: Final = "#616e7c"
RULE: Final = "#9aa5b1"
MET: Final = "#2e7d32"
MISSED: Final = "#c62828"
UNKNOWN: Final = "#9aa5b1"
TRACK: Final = "#eef1f4"
WHITE: Final = "#ffffff"

_PHASE_COLOURS: Final = {
    "detection": "#f0b429",
    "response": "#e8590c",
    "resolution": "#2f9e44",
}
_OTHER_PHASE_COLOURS: Final = ("#4263eb", "#ae3ec9", "#1098ad")

COLOURS: Final = (WHITE, INK, MUTED, RULE, MET, MISSED, UNKNOWN, TRACK, *_PHASE_COLOURS.values(), *_OTHER_PHASE_COLOURS)
"""Every colour a chart fills, strokes or writes with."""
TEXT_PAIRS: Final = (
    (WHITE, INK), (WHITE, MUTED), (WHITE, MET), (WHITE, MISSED), (TRACK, INK),
    *((phase, WHITE) for phase in (*_PHASE_COLOURS.values(), *_OTHER_PHASE_COLOURS)),
)
"""The (background, text) colours text is drawn with: a painted picture's smoothed letter edges
are blends of these pairs."""


class Rect(NamedTuple):
    """A rectangle from its lower left corner; no fill or no outline where the colour is None."""

    x: float
    y: float
    width: float
    height: float
    fill: Colour | None
    stroke: Colour | None = None
    stroke_width: float | None = None  # None: the drawing's default (1 pt)


class Line(NamedTuple):
    """A straight line, dashed where ``dashes`` (on, off lengths) are given."""

    x1: float
    y1: float
    x2: float
    y2: float
    stroke: Colour
    stroke_width: float
    dashes: tuple[float, ...] | None = None


class Polygon(NamedTuple):
    """A closed polygon through ``points`` (x0, y0, x1, y1, …)."""

    points: tuple[float, ...]
    fill: Colour
    stroke: Colour | None = None
    stroke_width: float | None = None


class Text(NamedTuple):
    """Text in one face, its baseline starting at (x, y)."""

    x: float
    y: float
    text: str
    face: str
    size: float
    fill: Colour


Shape: TypeAlias = Rect | Line | Polygon | Text


class Chart(NamedTuple):
    """A figure: its size in points and its shapes, in drawing order."""

    width: float
    height: float
    shapes: list[Shape]


def chart(data: FigureData, width: float) -> Chart:
    """The chart of ``data`` drawn ``width`` points wide: what every format shows of a figure."""
    match data:
        case TimelineFigure():
            return timeline_chart(data, width)
        case MetricsFigure():
            return metrics_chart(data, width)
        case _:
            assert_never(data)


def _text(group: list[Shape], x: float, y: float, text: str, *, size: float, face: str = SANS,
          anchor: str = "start", colour: Colour = INK) -> float:
    """Draw ``text`` with font fallback runs; return its width."""
    width = string_width(text, face, size)
    if anchor == "middle":
        x -= width / 2
    elif anchor == "end":
        x -= width
    for run_face, part in visual_runs(text, face):
        group.append(Text(x, y, part, run_face, size, colour))
        x += face_width(part, run_face, size)
    return width


def wrap_words(text: str, *, face: str, size: float, width: float) -> list[str]:
    """``text`` broken into lines no wider than ``width`` (long words broken by character)."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if string_width(candidate, face, size) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        line = ""
        for char in word:
            if line and string_width(line + char, face, size) > width:
                lines.append(line)
                line = ""
            line += char
    if line:
        lines.append(line)
    return lines or [""]


# ---------------------------------------------------------------------------- timeline


def _phase_colour(name: str, index: int) -> Colour:
    return _PHASE_COLOURS.get(name.lower(), _OTHER_PHASE_COLOURS[index % len(_OTHER_PHASE_COLOURS)])


def _measure(text: str, bold: bool, size: float) -> float:
    return string_width(text, SANS_BOLD if bold else SANS, size)


_TEXT_COLOURS: Final = {"header": MUTED, "legend": MUTED, "tick": MUTED, "zone": MUTED, "label": INK}


def timeline_chart(figure: TimelineFigure, width: float) -> Chart:
    """The incident window with its phases as bands and its events as labelled markers, drawn
    from `pirdoc.renderers._chart_geometry.timeline_geometry` (which keeps every text clear of
    every other text, marker and leader line)."""
    g = timeline_geometry(figure, width, measure=_measure)
    height = g.height
    group: list[Shape] = []
    phases = {band.index: band.name for band in g.bands}

    def rect(box: Box, fill: Colour | None, stroke: Colour | None = None, stroke_width: float = 0.6) -> Rect:
        return Rect(box.x0, height - box.y1, box.x1 - box.x0, box.y1 - box.y0, fill, stroke, stroke_width)

    group.append(rect(g.band, TRACK))
    for band in g.bands:
        group.append(rect(band.box, _phase_colour(band.name, band.index), WHITE, 0.8))
    group.append(rect(g.track, None, TRACK, 0.6))
    for segment in g.segments:
        style = _SEGMENT_STYLES[segment.role]
        group.append(Line(segment.x0, height - segment.y0, segment.x1, height - segment.y1, *style))
    for marker in g.markers:
        box = marker.box
        if marker.shape == "range":
            group.append(rect(box, TRACK if not marker.milestone else RULE, INK, 0.7))
            continue
        cx, cy, r = (box.x0 + box.x1) / 2, height - (box.y0 + box.y1) / 2, (box.x1 - box.x0) / 2
        group.append(Polygon((cx, cy - r, cx + r, cy, cx, cy + r, cx - r, cy), INK, WHITE, 0.5))
    for text in g.all_texts:
        baseline = height - text.box.y1 + 0.25 * text.size
        if text.role == "legend":
            swatch = Box(text.box.x0, text.box.y0 + 1.5, text.box.x0 + 7, text.box.y1 - 1.5)
            group.append(rect(swatch, _phase_colour(phases.get(text.phase, text.text), text.phase)))
        colour = WHITE if text.role == "phase" else _TEXT_COLOURS[text.role]
        _text(group, text.text_x, baseline, text.text, size=text.size, face=SANS_BOLD if text.bold else SANS,
              colour=colour)
    return Chart(width, height, group)


# colour, width and dashes of each kind of line
_SEGMENT_STYLES: Final[dict[str, tuple[Colour, float, tuple[float, ...] | None]]] = {
    "axis": (RULE, 0.8, None),
    "zone-axis": (RULE, 0.8, (2, 2)),
    "tick": (RULE, 0.6, None),
    "break": (MUTED, 0.8, None),
    "leader": (INK, 0.5, (1.5, 1.5)),
    "pole": (INK, 0.8, None),
}


# ---------------------------------------------------------------------------- metrics


def _hatch(group: list[Shape], x: float, y: float, w: float, h: float) -> None:
    """Diagonal white hatching inside the rectangle (x, y, w, h)."""
    offset = -h
    while offset < w:
        lo, hi = max(0.0, -offset), min(h, w - offset)
        if lo < hi:
            group.append(Line(x + offset + lo, y + lo, x + offset + hi, y + hi, WHITE, 1.1))
        offset += 4.0


def metrics_chart(figure: MetricsFigure, width: float) -> Chart:
    """One bar per metric against a target line; met solid green, missed hatched red."""
    label_width = width * 0.27
    value_width = width * 0.30
    track_x = label_width + 6
    track_w = width - label_width - value_width - 12
    label_size = 8.0
    rows: list[tuple[list[str], list[str], float]] = []
    for metric in figure.metrics:
        lines = wrap_words(metric.label, face=SANS_BOLD, size=label_size, width=label_width)
        value = f"{metric.actual_text} (target {metric.target_text})"
        values = wrap_words(value, face=SANS, size=7.5, width=value_width - 4)
        rows.append((lines, values, max(22.0, 10.0 * len(lines) + 8, 9.0 * (len(values) + 1) + 6)))
    legend_height = 18.0
    height = sum(h for _, _, h in rows) + legend_height + 4
    scale_max = max(
        [v for m in figure.metrics for v in (m.actual_seconds, m.target_seconds) if v] or [1.0]
    ) * 1.1
    group: list[Shape] = []
    y = height
    for metric, (lines, value_lines, row_height) in zip(figure.metrics, rows, strict=True):
        y -= row_height
        mid = y + row_height / 2
        text_y = mid + (len(lines) - 1) * 5 - 3
        for line in lines:
            _text(group, 0, text_y, line, size=label_size, face=SANS_BOLD)
            text_y -= 10
        bar_h = 10.0
        bar_y = mid - bar_h / 2
        group.append(Rect(track_x, bar_y, track_w, bar_h, TRACK))
        if metric.actual_seconds is not None:
            bar_w = track_w * min(metric.actual_seconds / scale_max, 1.0)
            colour = MET if metric.met else MISSED if metric.met is False else UNKNOWN
            group.append(Rect(track_x, bar_y, max(bar_w, 1.0), bar_h, colour))
            if metric.met is False:
                _hatch(group, track_x, bar_y, bar_w, bar_h)
        if metric.target_seconds is not None:
            tx = track_x + track_w * min(metric.target_seconds / scale_max, 1.0)
            group.append(Line(tx, bar_y - 3, tx, bar_y + bar_h + 3, INK, 1.4))
            group.append(Polygon((tx - 3, bar_y + bar_h + 6, tx + 3, bar_y + bar_h + 6, tx, bar_y + bar_h + 2), INK))
        verdict, verdict_colour = (
            ("✓ met", MET) if metric.met else ("✗ missed", MISSED) if metric.met is False
            else ("\u2013 not compared", MUTED)
        )
        value_x = track_x + track_w + 8
        vy = mid - 3 + len(value_lines) * 4.5
        for line in value_lines:
            _text(group, value_x, vy, line, size=7.5)
            vy -= 9
        _text(group, value_x, vy, verdict, size=7.5, face=SANS_BOLD, colour=verdict_colour)
    _legend(group, legend_height, track_x)
    return Chart(width, height, group)


def _legend(group: list[Shape], legend_height: float, x: float) -> None:
    y = legend_height / 2 - 3
    group.append(Rect(x, y, 14, 7, MET))
    x += 18 + _text(group, x + 18, y, "met", size=7, colour=MUTED) + 14
    group.append(Rect(x, y, 14, 7, MISSED))
    _hatch(group, x, y, 14, 7)
    x += 18 + _text(group, x + 18, y, "missed", size=7, colour=MUTED) + 14
    group.append(Line(x + 7, y - 2, x + 7, y + 9, INK, 1.4))
    x += 14 + _text(group, x + 14, y, "target", size=7, colour=MUTED) + 14
    group.append(Rect(x, y, 14, 7, UNKNOWN))
    _text(group, x + 18, y, "not compared", size=7, colour=MUTED)
