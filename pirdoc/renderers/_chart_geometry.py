"""The timeline chart's layout as plain boxes: no drawing library, only arithmetic.

`timeline_geometry` places everything the timeline chart shows (the header, the phase legend,
tick labels, the axis, phase bands, event markers, leader lines and event labels) as rectangles
and segments in points, with y growing downwards from the top of the drawing. The chart's
shapes (`pirdoc.renderers._figures`, drawn by reportlab for the PDF and painted by Pillow for the
other formats) only draw what is here, so the layout's promises can be tested on the geometry itself:

- every box lies inside the drawing;
- no two text boxes overlap (event labels, tick labels, phase names, header, zone titles);
- no leader line crosses a text box other than its own label's;
- markers sit on the event track, never on a phase name.

Events before the incident's start and after its end are not placed on the incident's time
scale (which would stretch it to days): they go into an "earlier" or "later" zone at either
end, past a break in the axis, in time order. An event known only as a range (a written range,
an approximate time's margin, a date without a time) is drawn as a bar over that range.

Text is measured by a function the caller passes (the bundled fonts' metrics), so this module
imports nothing but the Document's figure types.
"""

from __future__ import annotations

import bisect
import datetime as dt
import heapq
import math
from collections.abc import Callable, Sequence
from typing import Final, Literal, TypeAlias

import attrs

from pirdoc._methods import value_methods
from pirdoc.document import TimelineFigure, TimelineMark

__all__ = [
    "Box",
    "Measure",
    "PhaseBand",
    "Segment",
    "TextBox",
    "TimelineGeometry",
    "EventMarker",
    "fit_text",
    "timeline_geometry",
]

Measure: TypeAlias = Callable[[str, bool, float], float]
"""The width in points of a text drawn bold or not at a size: ``measure(text, bold, size)``."""

TextRole: TypeAlias = Literal["header", "legend", "tick", "zone", "phase", "label"]
SegmentRole: TypeAlias = Literal["axis", "zone-axis", "tick", "break", "leader", "pole"]

ELLIPSIS: Final = "\u2026"

# Sizes, in points.
_PAD: Final = 6.0  # left and right margin of the drawing
_HEADER_SIZE: Final = 8.0
_LEGEND_SIZE: Final = 6.5
_TICK_SIZE: Final = 6.5
_PHASE_SIZE: Final = 7.0
_LABEL_SIZE: Final = 7.5
_LINE: Final = 1.25  # a text box's height per point of font size
_BAND_HEIGHT: Final = 14.0
_TRACK_HEIGHT: Final = 10.0
_LANE_HEIGHT: Final = 10.5
_COMPACT_LANES: Final = 7
_RANGE_ROW: Final = 4.0  # a range bar's row on the track
_RANGE_ROWS: Final = 4
_LABEL_GAP: Final = 4.0  # between two labels in one lane
_LEADER_CLEARANCE: Final = 2.0  # between a leader line and a text box it passes
_TEXT_INSET: Final = 2.0  # from a label's edge (where its leader lands) to its text
_MARKER: Final = 3.2  # half the width of a point marker
_ZONE_MIN: Final = 56.0
_ZONE_SHARE: Final = 0.14
_BREAK_GAP: Final = 10.0
_LABEL_SHARE: Final = 0.45  # the widest label, as a share of the plot's width

MAX_LANES: Final = 24
"""Label lanes below the track, at most: when the events need more, milestones are labelled
first and the rest keep a marker without a label (the header says how many are labelled)."""

_TICK_MINUTES: Final = (1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 10080, 43200, 525600)


@value_methods
@attrs.frozen(repr=False, eq=False)
class Box:
    """A rectangle: left, top, right, bottom (y grows downwards)."""

    x0: float
    y0: float
    x1: float
    y1: float

    def overlaps(self, other: Box, gap: float = 0.0) -> bool:
        """True when the two rectangles share area (or come closer than ``gap``)."""
        return (
            self.x0 < other.x1 + gap and other.x0 < self.x1 + gap
            and self.y0 < other.y1 + gap and other.y0 < self.y1 + gap
        )

    def inside(self, width: float, height: float) -> bool:
        """True when the rectangle lies within (0, 0)–(width, height)."""
        eps = 1e-6
        return -eps <= self.x0 <= self.x1 <= width + eps and -eps <= self.y0 <= self.y1 <= height + eps


@value_methods
@attrs.frozen(repr=False, eq=False)
class TextBox:
    """One line of text: its box (the text's advance width by its line height), the text, its
    size and weight and what it is. The baseline is ``box.y1 - 0.25 * size``."""

    box: Box
    text: str
    size: float
    bold: bool
    role: TextRole
    text_x: float
    """Where the text starts (a label's text is inset from the edge its leader meets)."""
    phase: int = -1
    """The phase a legend entry or band name belongs to (index into `TimelineGeometry.bands`)."""


@value_methods
@attrs.frozen(repr=False, eq=False)
class Segment:
    """A straight line from (x0, y0) to (x1, y1); a leader's ``owner`` is its label's index in
    `TimelineGeometry.labels`."""

    x0: float
    y0: float
    x1: float
    y1: float
    role: SegmentRole
    owner: int = -1

    def crosses(self, box: Box, clearance: float = 0.0) -> bool:
        """True when the segment (vertical or horizontal) passes through ``box``."""
        lo_x, hi_x = min(self.x0, self.x1), max(self.x0, self.x1)
        lo_y, hi_y = min(self.y0, self.y1), max(self.y0, self.y1)
        return (
            lo_x < box.x1 + clearance and box.x0 - clearance < hi_x
            and lo_y < box.y1 and box.y0 < hi_y
        )


@value_methods
@attrs.frozen(repr=False, eq=False)
class PhaseBand:
    """A phase's band on the incident's time scale; ``index`` picks its colour."""

    box: Box
    name: str
    index: int


@value_methods
@attrs.frozen(repr=False, eq=False)
class EventMarker:
    """An event on the track: a diamond for a point in time, a bar for a range."""

    box: Box
    shape: Literal["point", "range"]
    milestone: bool


@value_methods
@attrs.frozen(repr=False, eq=False)
class TimelineGeometry:
    """Everything the timeline chart draws, in points, y downwards."""

    width: float
    height: float
    texts: tuple[TextBox, ...]
    labels: tuple[TextBox, ...]
    bands: tuple[PhaseBand, ...]
    markers: tuple[EventMarker, ...]
    segments: tuple[Segment, ...]
    track: Box
    band: Box
    labelled: int
    events: int

    @property
    def all_texts(self) -> tuple[TextBox, ...]:
        """The fixed texts and the event labels together."""
        return self.texts + self.labels


# ---------------------------------------------------------------------------- text


def fit_text(text: str, width: float, *, measure: Measure, bold: bool, size: float) -> str:
    """``text`` on one line, cut with an ellipsis where it would be wider than ``width``."""
    line = " ".join(text.split())
    if measure(line, bold, size) <= width:
        return line
    lo, hi = 0, len(line)  # the longest prefix that fits with the ellipsis
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if measure(line[:mid].rstrip() + ELLIPSIS, bold, size) <= width:
            lo = mid
        else:
            hi = mid - 1
    return line[:lo].rstrip() + ELLIPSIS if lo else (ELLIPSIS if measure(ELLIPSIS, bold, size) <= width else "")


def _text_box(x: float, y: float, text: str, *, measure: Measure, size: float, bold: bool,
              role: TextRole, inset: float = 0.0, phase: int = -1) -> TextBox:
    width = measure(text, bold, size) + 2 * inset
    return TextBox(Box(x, y, x + width, y + size * _LINE), text, size, bold, role, x + inset, phase)


# ---------------------------------------------------------------------------- time scale


@value_methods
@attrs.frozen(repr=False, eq=False)
class _Scale:
    """Where the incident's window and the two zones lie on the page."""

    start: dt.datetime
    end: dt.datetime
    left: float
    right: float
    before: tuple[float, float] | None
    after: tuple[float, float] | None

    def x(self, moment: dt.datetime) -> float:
        span = (self.end - self.start).total_seconds()
        offset = (moment - self.start).total_seconds() / span
        return self.left + (self.right - self.left) * min(max(offset, 0.0), 1.0)


def _mark_range(mark: TimelineMark) -> tuple[dt.datetime, dt.datetime]:
    if mark.span is None:
        return mark.at, mark.at
    return mark.span


def _window(figure: TimelineFigure) -> tuple[dt.datetime, dt.datetime]:
    start = figure.start
    if figure.end is not None and figure.end > start:
        return start, figure.end
    # No recorded end (or none after the start): the window runs to the last event drawn.
    ends = [p.end for p in figure.phases] + [m.at for m in figure.marks if m.span is None]
    end = max([start, *ends])
    if end <= start:
        end = _later(start, 60) or start + dt.timedelta(seconds=1)
    return start, end


def _later(moment: dt.datetime, minutes: int) -> dt.datetime | None:
    """``moment`` plus ``minutes``, or None past the end of the calendar."""
    try:
        return moment + dt.timedelta(minutes=minutes)
    except OverflowError:
        return None


def _zone_of(mark: TimelineMark, start: dt.datetime, end: dt.datetime) -> Literal["before", "in", "after"]:
    earliest, latest = _mark_range(mark)
    if latest < start:
        return "before"
    if earliest > end:
        return "after"
    return "in"


# ---------------------------------------------------------------------------- ticks


def _tick_text(moment: dt.datetime, same_day: bool) -> str:
    return f"{moment:%H:%M}" if same_day else f"{moment:%m-%d %H:%M}"


def _ticks(scale: _Scale, measure: Measure) -> list[tuple[float, str]]:
    """Tick positions and texts on the incident's scale, spaced so that their labels never meet."""
    same_day = scale.start.date() == scale.end.date()
    label_width = measure(_tick_text(scale.start, same_day), False, _TICK_SIZE) + 8
    span_minutes = max((scale.end - scale.start).total_seconds() / 60, 1e-9)
    room = scale.right - scale.left
    step = next((s for s in _TICK_MINUTES if room / (span_minutes / s) >= label_width), None)
    if step is None:
        step = max(_TICK_MINUTES[-1], math.ceil(span_minutes * label_width / max(room, 1.0)))
    first = scale.start.replace(second=0, microsecond=0)
    minute_of_day = first.hour * 60 + first.minute
    tick = _later(first, (-minute_of_day) % step) if step <= 1440 else _later(first, 0)
    ticks: list[tuple[float, str]] = []
    while tick is not None and tick <= scale.end and len(ticks) < 64:
        if tick >= scale.start:
            ticks.append((scale.x(tick), _tick_text(tick, same_day)))
        tick = _later(tick, step)
    return ticks


# ---------------------------------------------------------------------------- label lanes
#
# Each label hangs below the track in a lane, its leader running straight down from the event's
# marker to the label's edge. A leader passes every lane above its own, so when a label covers
# another event's leader position that other label must sit higher: "covers" orders the labels,
# and two labels that cover each other's leaders cannot both be shown. Labels are placed in an
# order that respects this (a topological order), each in the highest lane below the labels it
# must be under where it meets no label of the lane.


@value_methods
@attrs.frozen(repr=False, eq=False)
class _Event:
    mark: TimelineMark
    anchor: float
    bar: tuple[float, float] | None  # a range's extent on the page
    order: int


@value_methods
@attrs.frozen(repr=False, eq=False)
class _Slot:
    lane: int
    x0: float
    x1: float


def _label_text(mark: TimelineMark, window_day: dt.date) -> str:
    when = mark.when or (f"{mark.at:%H:%M}" if mark.at.date() == window_day else f"{mark.at:%Y-%m-%d %H:%M}")
    return f"{when} {mark.label}".strip()


def _covers(span: tuple[float, float], anchor: float) -> bool:
    return span[0] - _LEADER_CLEARANCE < anchor < span[1] + _LEADER_CLEARANCE


def _choose_sides(anchors: Sequence[float], options: Sequence[Sequence[tuple[float, float]]]) -> list[int]:
    """For each label, which of its places (after or before its leader) to use: the one that
    covers fewest leaders that cover it back (a pair that cannot both be shown), then fewest
    leaders at all; a few rounds, each choice seeing the others' current ones."""
    order = sorted(range(len(anchors)), key=lambda i: anchors[i])
    xs = [anchors[i] for i in order]
    chosen = [0] * len(anchors)
    for _ in range(3):
        changed = False
        for i in order:
            def cost(k: int, i: int = i) -> tuple[int, int, int]:
                span = options[i][k]
                lo = bisect.bisect_left(xs, span[0] - _LEADER_CLEARANCE)
                hi = bisect.bisect_right(xs, span[1] + _LEADER_CLEARANCE)
                covered = [j for j in order[lo:hi] if j != i and _covers(span, anchors[j])]
                mutual = sum(1 for j in covered if _covers(options[j][chosen[j]], anchors[i]))
                return mutual, len(covered), k

            best = min(range(len(options[i])), key=cost)
            changed |= best != chosen[i]
            chosen[i] = best
        if not changed:
            break
    return chosen


def _assign(events: Sequence[_Event], texts: Sequence[str], widths: Sequence[float], *,
            left: float, right: float) -> list[tuple[_Event, _Slot, str]]:
    """The labels given placed in lanes (see above); those that cannot be shown are left out."""
    anchors = [e.anchor for e in events]
    options: list[list[tuple[float, float]]] = []
    for x, width in zip(anchors, widths, strict=True):
        spans = [s for s in ((x, x + width), (x - width, x)) if s[0] >= left - 1e-9 and s[1] <= right + 1e-9]
        options.append(spans or [(left, left + width)])
    sides = _choose_sides(anchors, options)
    spans = [options[i][sides[i]] for i in range(len(events))]
    n = len(events)
    # above[j]: the labels that must be higher than j (j's box covers their leaders)
    above: list[set[int]] = [set() for _ in range(n)]
    by_x = sorted(range(n), key=lambda i: anchors[i])
    xs = [anchors[i] for i in by_x]
    for j in range(n):
        lo, hi = bisect.bisect_left(xs, spans[j][0] - _LEADER_CLEARANCE), bisect.bisect_right(
            xs, spans[j][1] + _LEADER_CLEARANCE)
        above[j] = {by_x[k] for k in range(lo, hi) if by_x[k] != j and _covers(spans[j], anchors[by_x[k]])}
    below: list[set[int]] = [set() for _ in range(n)]
    for j in range(n):
        for i in above[j]:
            below[i].add(j)
    waiting = [len(above[j]) for j in range(n)]
    # Milestones first, then along the axis: of a pair that cannot both be shown, the one
    # that waits on the other is dropped, and a milestone rarely waits.
    rank = {i: (events[i].mark.kind is None, anchors[i], events[i].order) for i in range(n)}
    ready = [rank[i] + (i,) for i in range(n) if waiting[i] == 0]
    heapq.heapify(ready)
    lanes: list[list[tuple[float, float]]] = []
    lane_of: dict[int, int] = {}
    left_out: set[int] = set()
    placed: list[tuple[_Event, _Slot, str]] = []

    def release(i: int) -> None:
        for j in below[i]:
            waiting[j] -= 1
            if waiting[j] == 0 and j not in left_out:
                heapq.heappush(ready, rank[j] + (j,))

    while len(lane_of) + len(left_out) < n:
        if not ready:  # a cycle: leave out the label that waits on most others, a milestone last
            stuck = [i for i in range(n) if i not in lane_of and i not in left_out]
            drop = max(stuck, key=lambda i: (events[i].mark.kind is None, waiting[i], -anchors[i]))
            left_out.add(drop)
            release(drop)
            continue
        i = heapq.heappop(ready)[-1]
        if i in lane_of or i in left_out:
            continue
        x0, x1 = spans[i]
        lane = 1 + max((lane_of[k] for k in above[i] if k in lane_of), default=-1)
        while lane < len(lanes) and any(x0 < b + _LABEL_GAP and a < x1 + _LABEL_GAP for a, b in lanes[lane]):
            lane += 1
        if lane >= MAX_LANES:
            left_out.add(i)
            release(i)
            continue
        if lane == len(lanes):
            lanes.append([])
        lanes[lane].append((x0, x1))
        lane_of[i] = lane
        placed.append((events[i], _Slot(lane, x0, x1), texts[i]))
        release(i)
    return placed


def _thinned(events: Sequence[_Event]) -> list[_Event]:
    """The events whose labels are tried: every milestone, and of the others those at least
    `_LABEL_GAP` from the last one kept. Closer leaders than that could not both reach a label,
    and leaving them out keeps the placement's work in proportion to the width, not the events."""
    kept: list[_Event] = []
    last = -math.inf
    for event in sorted(events, key=lambda e: (e.anchor, e.order)):
        if event.mark.kind is not None or event.anchor - last >= _LABEL_GAP:
            kept.append(event)
            if event.mark.kind is None:
                last = event.anchor
    return kept


def _score(labels: list[tuple[_Event, _Slot, str]]) -> tuple[int, int]:
    return sum(1 for event, _, _ in labels if event.mark.kind is not None), len(labels)


def _place_labels(
    events: Sequence[_Event], *, window_day: dt.date, left: float, right: float, measure: Measure
) -> tuple[list[tuple[_Event, _Slot, str]], int]:
    """Every event's label, whole (cut to `_LABEL_SHARE` of the width) where it finds room; an
    event that is no milestone and finds none tries again with its label half as wide, then with
    its time alone. Returns the placed labels and the number of lanes used."""
    widest = max((right - left) * _LABEL_SHARE, 40.0)
    events = _thinned(events)
    full = [_label_text(e.mark, window_day) for e in events]
    forms = []
    for event, text in zip(events, full, strict=True):
        whole = fit_text(text, widest - 2 * _TEXT_INSET, measure=measure, bold=False, size=_LABEL_SIZE)
        if event.mark.kind is not None:  # a milestone's name is what the chart is read for
            forms.append([whole])
            continue
        half = fit_text(text, widest / 2 - 2 * _TEXT_INSET, measure=measure, bold=False, size=_LABEL_SIZE)
        forms.append(list(dict.fromkeys([whole, half, _label_text(attrs.evolve(event.mark, label=""), window_day)])))
    level = [0] * len(events)
    best: list[tuple[_Event, _Slot, str]] = []
    for _ in range(3):
        texts = [forms[i][level[i]] for i in range(len(events))]
        widths = [measure(text, False, _LABEL_SIZE) + 2 * _TEXT_INSET for text in texts]
        placed = _assign(events, texts, widths, left=left, right=right)
        if _score(placed) > _score(best):
            best = placed
        shown = {id(event) for event, _, _ in placed}
        shorter = [i for i, e in enumerate(events) if id(e) not in shown and level[i] + 1 < len(forms[i])]
        if not shorter:
            break
        for i in shorter:
            level[i] += 1
    # A chart deeper than `_COMPACT_LANES` lanes takes room a page cannot spare: the other
    # events' labels shorter, when that labels as many in fewer lanes.
    for shorter_level in (1, 2):
        if _lanes(best) <= _COMPACT_LANES:
            break
        texts = [forms[i][min(shorter_level, len(forms[i]) - 1)] for i in range(len(events))]
        widths = [measure(text, False, _LABEL_SIZE) + 2 * _TEXT_INSET for text in texts]
        placed = _assign(events, texts, widths, left=left, right=right)
        if _score(placed) >= _score(best) and _lanes(placed) < _lanes(best):
            best = placed
    used = sorted({slot.lane for _, slot, _ in best})
    renumber = {lane: number for number, lane in enumerate(used)}
    return [(event, attrs.evolve(slot, lane=renumber[slot.lane]), text) for event, slot, text in best], len(used)


def _lanes(labels: list[tuple[_Event, _Slot, str]]) -> int:
    return len({slot.lane for _, slot, _ in labels})


# ---------------------------------------------------------------------------- the chart


def _zones(figure: TimelineFigure, start: dt.datetime, end: dt.datetime,
           width: float) -> tuple[list[TimelineMark], list[TimelineMark], list[TimelineMark], _Scale]:
    before: list[TimelineMark] = []
    inside: list[TimelineMark] = []
    after: list[TimelineMark] = []
    for mark in figure.marks:
        {"before": before, "in": inside, "after": after}[_zone_of(mark, start, end)].append(mark)
    left, right = _PAD, width - _PAD
    zone = max(_ZONE_MIN, (right - left) * _ZONE_SHARE)
    before_zone = after_zone = None
    if before:
        before_zone = (left, left + zone)
        left += zone + _BREAK_GAP
    if after:
        after_zone = (right - zone, right)
        right -= zone + _BREAK_GAP
    return before, inside, after, _Scale(start, end, left, right, before_zone, after_zone)


def _events(before: list[TimelineMark], inside: list[TimelineMark], after: list[TimelineMark],
            scale: _Scale) -> list[_Event]:
    events: list[_Event] = []

    def in_zone(marks: list[TimelineMark], zone: tuple[float, float]) -> None:
        ordered = sorted(marks, key=lambda m: (_mark_range(m)[0], m.at))
        step = (zone[1] - zone[0]) / len(ordered)
        for rank, mark in enumerate(ordered):
            x = zone[0] + step * (rank + 0.5)
            half = min(step * 0.4, 5.0)
            bar = (x - half, x + half) if mark.span is not None else None
            events.append(_Event(mark, x, bar, len(events)))

    if scale.before is not None:
        in_zone(before, scale.before)
    for mark in sorted(inside, key=lambda m: (m.at, _mark_range(m)[1])):
        if mark.span is None:
            events.append(_Event(mark, scale.x(mark.at), None, len(events)))
            continue
        a, b = scale.x(mark.span[0]), scale.x(mark.span[1])
        if b - a < 2 * _MARKER:  # a narrow range still reads as a bar, not a point
            mid = (a + b) / 2
            a, b = max(scale.left, mid - _MARKER), min(scale.right, mid + _MARKER)
        anchor = scale.x(mark.at) if scale.start <= mark.at <= scale.end else (a + b) / 2
        events.append(_Event(mark, min(max(anchor, a), b), (a, b), len(events)))
    if scale.after is not None:
        in_zone(after, scale.after)
    return events


def timeline_geometry(figure: TimelineFigure, width: float, *, measure: Measure) -> TimelineGeometry:
    """The timeline chart of ``figure``, ``width`` points wide, laid out (see the module)."""
    start, end = _window(figure)
    before, inside, after, scale = _zones(figure, start, end, width)
    events = _events(before, inside, after, scale)
    texts: list[TextBox] = []
    segments: list[Segment] = []
    full_left, full_right = _PAD, width - _PAD

    placed, lanes_used = _place_labels(events, window_day=start.date(), left=full_left, right=full_right,
                                       measure=measure)

    # The header: the day(s) the clock times belong to; the window itself is the summary's.
    y = 2.0
    last_day = (figure.end or end).date()
    header = f"{start:%Y-%m-%d}" + (f" \u2013 {last_day:%Y-%m-%d}" if last_day != start.date() else "")
    header += ", times in UTC" if figure.end is not None else ", times in UTC; no end recorded"
    if len(placed) < len(events):
        header += f"; labels for {len(placed):,} of {len(events):,} events"
    header = fit_text(header, full_right - full_left, measure=measure, bold=True, size=_HEADER_SIZE)
    texts.append(_text_box(full_left, y, header, measure=measure, size=_HEADER_SIZE, bold=True, role="header"))
    y += _HEADER_SIZE * _LINE + 3

    # Phase bands on the incident's scale; a name that does not fit inside its band goes to
    # the legend line above the ticks, after a swatch of the band's colour.
    bands: list[PhaseBand] = []
    band_names: list[tuple[int, str, float, float]] = []
    legend: list[tuple[int, str]] = []
    for index, phase in enumerate(figure.phases):
        if phase.end < scale.start or phase.start > scale.end:
            continue
        x0, x1 = scale.x(phase.start), scale.x(phase.end)
        x1 = max(x1, min(x0 + 1.0, scale.right))
        name = " ".join(phase.name.split())
        name_width = measure(name, True, _PHASE_SIZE)
        name_x0 = (x0 + x1 - name_width) / 2
        if name_width + 6 <= x1 - x0 and not any(  # overlapping phases: one name each, never on each other
            name_x0 < (a + b + w) / 2 + 4 and (a + b - w) / 2 < name_x0 + name_width + 4
            for _, other, a, b in band_names for w in [measure(other, True, _PHASE_SIZE)]
        ):
            band_names.append((index, name, x0, x1))
        else:
            legend.append((index, name))
        bands.append(PhaseBand(Box(x0, 0.0, x1, 0.0), name, index))
    entries = [measure(name, False, _LEGEND_SIZE) + 12 for _, name in legend]
    header_end = texts[-1].box.x1
    if legend and header_end + 16 + sum(entries) + 10 * (len(entries) - 1) <= full_right:
        # room on the header's line: the legend at its right end, no line of its own
        x = full_right - sum(entries) - 10 * (len(entries) - 1)
        top = texts[-1].box.y1 - 0.25 * _HEADER_SIZE - _LEGEND_SIZE * (_LINE - 0.25)  # baselines aligned
        for (index, name), entry in zip(legend, entries, strict=True):
            texts.append(TextBox(Box(x, top, x + entry, top + _LEGEND_SIZE * _LINE), name, _LEGEND_SIZE, False,
                                 "legend", x + 10, index))
            x += entry + 10
    elif legend:
        x = full_left
        row_height = _LEGEND_SIZE * _LINE + 2
        for index, name in legend:
            shown = fit_text(name, full_right - full_left - 12, measure=measure, bold=False, size=_LEGEND_SIZE)
            entry = measure(shown, False, _LEGEND_SIZE) + 12
            if x > full_left and x + entry > full_right:
                x, y = full_left, y + row_height
            # the entry's box holds the colour swatch and, after it, the name
            texts.append(TextBox(Box(x, y, x + entry, y + _LEGEND_SIZE * _LINE), shown, _LEGEND_SIZE, False,
                                 "legend", x + 10, index))
            x += entry + 10
        y += row_height + 1

    # Tick labels above the axis; the zones' titles above their part of the axis.
    tick_y = y
    for x, text in _ticks(scale, measure):
        w = measure(text, False, _TICK_SIZE)
        x0 = x - w / 2
        if x0 < scale.left - 2 or x0 + w > scale.right + 2:
            x0 = min(max(x0, scale.left - 2), scale.right + 2 - w)
        box = _text_box(x0, tick_y, text, measure=measure, size=_TICK_SIZE, bold=False, role="tick")
        if box.box.x0 < full_left or box.box.x1 > full_right or any(
            t.role == "tick" and t.box.overlaps(box.box, 3) for t in texts
        ):
            continue
        texts.append(box)
        segments.append(Segment(x, tick_y + _TICK_SIZE * _LINE + 1, x, tick_y + _TICK_SIZE * _LINE + 4, "tick"))
    for zone, title in ((scale.before, "earlier"), (scale.after, "later")):
        if zone is None:
            continue
        shown = fit_text(title, zone[1] - zone[0], measure=measure, bold=False, size=_TICK_SIZE)
        w = measure(shown, False, _TICK_SIZE)
        texts.append(_text_box((zone[0] + zone[1] - w) / 2, tick_y, shown, measure=measure, size=_TICK_SIZE,
                               bold=False, role="zone"))
    axis_y = tick_y + _TICK_SIZE * _LINE + 4
    segments.append(Segment(scale.left, axis_y, scale.right, axis_y, "axis"))
    for zone in (scale.before, scale.after):
        if zone is not None:
            segments.append(Segment(zone[0], axis_y, zone[1], axis_y, "zone-axis"))
    for edge in ([scale.left] if scale.before else []) + ([scale.right] if scale.after else []):
        # the break in the axis: two short slants either side of the gap
        for dx in (-_BREAK_GAP / 2 - 1.5, -_BREAK_GAP / 2 + 1.5) if edge == scale.left else (
            _BREAK_GAP / 2 - 1.5, _BREAK_GAP / 2 + 1.5
        ):
            segments.append(Segment(edge + dx - 1.5, axis_y + 3, edge + dx + 1.5, axis_y - 3, "break"))

    band_top = axis_y + 1
    band = Box(scale.left, band_top, scale.right, band_top + _BAND_HEIGHT)
    bands = [PhaseBand(Box(b.box.x0, band.y0, b.box.x1, band.y1), b.name, b.index) for b in bands]
    for index, name, x0, x1 in band_names:
        w = measure(name, True, _PHASE_SIZE)
        top = band.y0 + (_BAND_HEIGHT - _PHASE_SIZE * _LINE) / 2
        texts.append(_text_box((x0 + x1 - w) / 2, top, name, measure=measure, size=_PHASE_SIZE, bold=True,
                               role="phase", phase=index))

    # Ranges in rows of their own, so that overlapping ranges stay apart (at most
    # `_RANGE_ROWS`, then they share the last); points over them, at the track's middle.
    rows: list[float] = []  # each row's right end so far
    bar_row: dict[int, int] = {}
    for number, e in enumerate(events):
        if e.bar is None:
            continue
        row = next((r for r, end in enumerate(rows) if end + 1 < e.bar[0]), None)
        if row is None and len(rows) < _RANGE_ROWS:
            rows.append(e.bar[1])
            row = len(rows) - 1
        elif row is None:
            row = len(rows) - 1
        rows[row] = max(rows[row], e.bar[1])
        bar_row[number] = row
    track_height = max(_TRACK_HEIGHT, 4.0 + len(rows) * _RANGE_ROW)
    track = Box(full_left, band.y1 + 2, full_right, band.y1 + 2 + track_height)
    mid = (track.y0 + track.y1) / 2
    ranges_top = mid - len(rows) * _RANGE_ROW / 2
    markers = [
        EventMarker(
            Box(e.bar[0], ranges_top + bar_row[n] * _RANGE_ROW + 0.5, e.bar[1],
                ranges_top + (bar_row[n] + 1) * _RANGE_ROW - 0.5)
            if e.bar is not None
            else Box(e.anchor - _MARKER, mid - _MARKER, e.anchor + _MARKER, mid + _MARKER),
            "range" if e.bar is not None else "point",
            e.mark.kind is not None,
        )
        for n, e in enumerate(events)
    ]
    markers.sort(key=lambda marker: marker.shape == "point")  # points drawn over ranges

    lanes_top = track.y1 + 4
    labels: list[TextBox] = []
    for number, (event, slot, text) in enumerate(sorted(placed, key=lambda p: (p[1].lane, p[1].x0))):
        x0, top = slot.x0, lanes_top + slot.lane * _LANE_HEIGHT
        label = _text_box(x0, top, text, measure=measure, size=_LABEL_SIZE, bold=False, role="label",
                          inset=_TEXT_INSET)
        labels.append(label)
        segments.append(Segment(event.anchor, track.y1, event.anchor, top, "leader", number))
        segments.append(Segment(event.anchor, top, event.anchor, label.box.y1, "pole", number))
    height = lanes_top + max(lanes_used, 0) * _LANE_HEIGHT + 4
    return TimelineGeometry(
        width=width,
        height=height,
        texts=tuple(texts),
        labels=tuple(labels),
        bands=tuple(bands),
        markers=tuple(markers),
        segments=tuple(segments),
        track=track,
        band=band,
        labelled=len(placed),
        events=len(events),
    )
