"""Vector figures for the PDF renderer, drawn with reportlab.graphics.

Two charts: the incident timeline (window, phase bands, milestones) and the response metrics
against their targets. Met and missed metrics differ in colour *and* without colour: a missed
bar is hatched and every bar carries a ✓ met / ✗ missed / "not compared" label, so a grey-scale print or a
colour-blind reader loses nothing.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from typing import Final

from reportlab.graphics.shapes import Drawing, Group, Line, Polygon, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from pirdoc.document import MetricsFigure, TimelineFigure, TimelineMark
from pirdoc.renderers._pdf_fonts import SANS, SANS_BOLD, string_width, visual_runs

__all__ = ["metrics_drawing", "timeline_drawing", "wrap_words"]

INK: Final = colors.HexColor("#1f2933")
MUTED: Final = colors.HexColor("#616e7c")
RULE: Final = colors.HexColor("#9aa5b1")
MET: Final = colors.HexColor("#2e7d32")
MISSED: Final = colors.HexColor("#c62828")
UNKNOWN: Final = colors.HexColor("#9aa5b1")
TRACK: Final = colors.HexColor("#eef1f4")

_PHASE_COLOURS: Final = {
    "detection": colors.HexColor("#f0b429"),
    "response": colors.HexColor("#e8590c"),
    "resolution": colors.HexColor("#2f9e44"),
}
_OTHER_PHASE_COLOURS: Final = (
    colors.HexColor("#4263eb"),
    colors.HexColor("#ae3ec9"),
    colors.HexColor("#1098ad"),
)
_TICK_MINUTES: Final = (1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 10080)


def _text(group: Group, x: float, y: float, text: str, *, size: float, face: str = SANS,
          anchor: str = "start", colour: colors.Color = INK) -> float:
    """Draw ``text`` with font fallback runs; return its width."""
    width = string_width(text, face, size)
    if anchor == "middle":
        x -= width / 2
    elif anchor == "end":
        x -= width
    for run_face, part in visual_runs(text, face):
        group.add(String(x, y, part, fontName=run_face, fontSize=size, fillColor=colour))
        x += stringWidth(part, run_face, size)
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


def _window_end(figure: TimelineFigure) -> dt.datetime:
    candidates = [figure.start]
    if figure.end is not None:
        candidates.append(figure.end)
    candidates += [p.end for p in figure.phases] + [m.at for m in figure.marks]
    end = max(candidates)
    return end if end > figure.start else figure.start + dt.timedelta(hours=1)


def _tick_step(span_minutes: float) -> int:
    for step in _TICK_MINUTES:
        if span_minutes / step <= 8:
            return step
    # Longer than the steps cover (a timeline running into another year, or to the year 9999):
    # still about eight ticks, not one per step.
    return max(_TICK_MINUTES[-1], math.ceil(span_minutes / 8))


def _phase_colour(name: str, index: int) -> colors.Color:
    return _PHASE_COLOURS.get(name.lower(), _OTHER_PHASE_COLOURS[index % len(_OTHER_PHASE_COLOURS)])


MAX_LANES: Final = 24
"""Label lanes below the timeline axis, at most (11 pt each)."""


def _place_labels(
    marks: list[TimelineMark], x_of: Callable[[dt.datetime], float], right: float, size: float
) -> tuple[list[float], list[tuple[float, int, str, float, str]], list[float]]:
    """Marks' labels put into the first lane with room, in the order given: the lanes' right ends,
    the placed labels (x, lane, label, left edge, anchor) and the x of marks left without one."""
    lanes: list[float] = []
    placed: list[tuple[float, int, str, float, str]] = []
    unlabelled: list[float] = []
    for mark in marks:
        label = f"{mark.at:%H:%M} {mark.label}"
        label_width = string_width(label, SANS, size)
        x = x_of(mark.at)
        anchor = "start" if x + label_width <= right else "end"
        x0 = x if anchor == "start" else x - label_width
        x1 = x0 + label_width
        lane = next((i for i, lane_end in enumerate(lanes) if lane_end + 6 < x0), None)
        if lane is None and len(lanes) < MAX_LANES:
            lanes.append(x1)
            lane = len(lanes) - 1
        elif lane is None:
            unlabelled.append(x)
            continue
        else:
            lanes[lane] = x1
        placed.append((x, lane, label, x0, anchor))
    return lanes, placed, unlabelled


def _later(moment: dt.datetime, minutes: int) -> dt.datetime | None:
    """``moment`` plus ``minutes``, or None past the end of the calendar (the year 9999)."""
    try:
        return moment + dt.timedelta(minutes=minutes)
    except OverflowError:
        return None


def timeline_drawing(figure: TimelineFigure, width: float) -> Drawing:
    """The incident window with its phases as bands and its events as labelled markers."""
    start, end = figure.start, _window_end(figure)
    span = (end - start).total_seconds()
    left, right = 6.0, width - 6.0

    def x_of(moment: dt.datetime) -> float:
        offset = (moment - start).total_seconds() / span
        return left + (right - left) * min(max(offset, 0.0), 1.0)

    # Mark labels go into lanes below the axis so that they never overlap. At most MAX_LANES
    # lanes, so that the figure fits on a page: when the events need more, milestones are
    # labelled first and the events that find no lane get a marker without a label.
    size = 7.5
    marks = sorted(figure.marks, key=lambda m: m.at)
    lanes, placed, unlabelled = _place_labels(marks, x_of, right, size)
    if unlabelled:
        priority = sorted(marks, key=lambda m: m.kind is None)  # stable: milestones, then by time
        lanes, placed, unlabelled = _place_labels(priority, x_of, right, size)

    lane_height = 11.0
    band_height = 16.0
    bottom_pad = 4.0
    labels_height = len(lanes) * lane_height
    axis_y = bottom_pad + labels_height + 16.0
    band_y = axis_y + 6.0
    height = band_y + band_height + 22.0
    drawing = Drawing(width, height, initialFontName=SANS, initialFontSize=8)
    group = Group()

    # The day(s) the axis' clock times belong to; the window itself is the summary's to state.
    first_day, last_day = start.date(), (figure.end or end).date()
    window_label = f"{first_day:%Y-%m-%d}" + (f" \u2013 {last_day:%Y-%m-%d}" if last_day != first_day else "") + (
        ", times in UTC" if figure.end is not None else ", times in UTC; no end recorded"
    )
    if unlabelled:
        window_label += f"; labels for {len(placed):,} of {len(marks):,} events"
    _text(group, left, height - 8, window_label, size=8, face=SANS_BOLD, colour=MUTED)
    group.add(Rect(left, band_y, right - left, band_height, fillColor=TRACK, strokeColor=None))
    for index, phase in enumerate(figure.phases):
        x0, x1 = x_of(phase.start), x_of(phase.end)
        colour = _phase_colour(phase.name, index)
        group.add(Rect(x0, band_y, max(x1 - x0, 1.0), band_height, fillColor=colour,
                       strokeColor=colors.white, strokeWidth=0.8))
        name_width = string_width(phase.name, SANS_BOLD, 7)
        if name_width + 4 <= x1 - x0:
            _text(group, (x0 + x1) / 2, band_y + 5, phase.name, size=7, face=SANS_BOLD,
                  anchor="middle", colour=colors.white)
        else:  # too narrow: the name goes above the band
            _text(group, x0, band_y + band_height + 2, phase.name, size=6.5, colour=MUTED)

    group.add(Line(left, axis_y, right, axis_y, strokeColor=RULE, strokeWidth=0.8))
    step = _tick_step(span / 60)
    first = start.replace(second=0, microsecond=0)
    minute_of_day = first.hour * 60 + first.minute
    tick: dt.datetime | None = _later(first, (-minute_of_day) % step)
    same_day = start.date() == end.date()
    while tick is not None and tick <= end:
        x = x_of(tick)
        group.add(Line(x, axis_y - 3, x, axis_y, strokeColor=RULE, strokeWidth=0.6))
        text = f"{tick:%H:%M}" if same_day else f"{tick:%m-%d %H:%M}"
        _text(group, x, axis_y - 11, text, size=6.5, anchor="middle", colour=MUTED)
        tick = _later(tick, step)

    def label_y(lane: int) -> float:
        return axis_y - 16 - (lane + 1) * lane_height + 3

    d = 3.2
    for x in unlabelled:
        group.add(Polygon([x, band_y + band_height / 2 - d, x + d, band_y + band_height / 2,
                           x, band_y + band_height / 2 + d, x - d, band_y + band_height / 2],
                          fillColor=INK, strokeColor=colors.white, strokeWidth=0.5))
    for x, lane, _label, _x0, _anchor in placed:
        group.add(Line(x, label_y(lane) + 8, x, band_y + band_height, strokeColor=INK,
                       strokeWidth=0.5, strokeDashArray=[1.5, 1.5]))
        group.add(Polygon([x, band_y + band_height / 2 - d, x + d, band_y + band_height / 2,
                           x, band_y + band_height / 2 + d, x - d, band_y + band_height / 2],
                          fillColor=INK, strokeColor=colors.white, strokeWidth=0.5))
    # Labels last, each on a white ground, so that connector lines never strike through text.
    for x, lane, label, x0, _anchor in placed:
        y = label_y(lane)
        label_width = string_width(label, SANS, size)
        group.add(Rect(x0 - 1, y - 2, label_width + 2, size + 2.5, fillColor=colors.white,
                       strokeColor=None))
        group.add(Line(x, y - 2, x, y + size + 0.5, strokeColor=INK, strokeWidth=0.8))
        _text(group, x0 + (2 if x0 == x else -2), y, label, size=size)
    drawing.add(group)
    return drawing


# ---------------------------------------------------------------------------- metrics


def _hatch(group: Group, x: float, y: float, w: float, h: float) -> None:
    """Diagonal white hatching inside the rectangle (x, y, w, h)."""
    offset = -h
    while offset < w:
        lo, hi = max(0.0, -offset), min(h, w - offset)
        if lo < hi:
            group.add(Line(x + offset + lo, y + lo, x + offset + hi, y + hi,
                           strokeColor=colors.white, strokeWidth=1.1))
        offset += 4.0


def metrics_drawing(figure: MetricsFigure, width: float) -> Drawing:
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
    drawing = Drawing(width, height, initialFontName=SANS, initialFontSize=8)
    group = Group()
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
        group.add(Rect(track_x, bar_y, track_w, bar_h, fillColor=TRACK, strokeColor=None))
        if metric.actual_seconds is not None:
            bar_w = track_w * min(metric.actual_seconds / scale_max, 1.0)
            colour = MET if metric.met else MISSED if metric.met is False else UNKNOWN
            group.add(Rect(track_x, bar_y, max(bar_w, 1.0), bar_h, fillColor=colour, strokeColor=None))
            if metric.met is False:
                _hatch(group, track_x, bar_y, bar_w, bar_h)
        if metric.target_seconds is not None:
            tx = track_x + track_w * min(metric.target_seconds / scale_max, 1.0)
            group.add(Line(tx, bar_y - 3, tx, bar_y + bar_h + 3, strokeColor=INK, strokeWidth=1.4))
            group.add(Polygon([tx - 3, bar_y + bar_h + 6, tx + 3, bar_y + bar_h + 6, tx, bar_y + bar_h + 2],
                              fillColor=INK, strokeColor=None))
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
    drawing.add(group)
    return drawing


def _legend(group: Group, legend_height: float, x: float) -> None:
    y = legend_height / 2 - 3
    group.add(Rect(x, y, 14, 7, fillColor=MET, strokeColor=None))
    x += 18 + _text(group, x + 18, y, "met", size=7, colour=MUTED) + 14
    group.add(Rect(x, y, 14, 7, fillColor=MISSED, strokeColor=None))
    _hatch(group, x, y, 14, 7)
    x += 18 + _text(group, x + 18, y, "missed", size=7, colour=MUTED) + 14
    group.add(Line(x + 7, y - 2, x + 7, y + 9, strokeColor=INK, strokeWidth=1.4))
    x += 14 + _text(group, x + 14, y, "target", size=7, colour=MUTED) + 14
    group.add(Rect(x, y, 14, 7, fillColor=UNKNOWN, strokeColor=None))
    _text(group, x + 18, y, "not compared", size=7, colour=MUTED)
