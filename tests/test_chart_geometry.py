"""Issue 16, charts that hold any data: the timeline chart's layout keeps every text clear of
every other text, marker and leader line, and inside the drawing, for 1 to 200 events with titles
up to 200 characters, times written as people write them and events outside the incident window.

The properties are checked on the geometry (`pirdoc.renderers._chart_geometry`), measured with
the PDF's own font metrics; one test reads the drawn PDF back with pdftotext and checks that no
two words it finds overlap.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import subprocess

import attrs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import pirdoc
from pirdoc import document as d
from pirdoc import model as m
from pirdoc import values as v
from pirdoc.layout import layout
from pirdoc.renderers._chart_geometry import (
    ELLIPSIS,
    Box,
    TimelineGeometry,
    _label_text,
    fit_text,
    timeline_geometry,
)
from pirdoc.renderers._figures import _measure
from pirdoc.renderers._pdf import PdfRenderer
from tests.documents import meta
from tests.strategies import aware_datetimes, line_texts, written_instants
from tests.tools import require_tool

WIDTHS = (482.0, 468.0, 680.0)
"""The A4 and Letter text widths of the PDF and DOCX, and the Confluence image width."""


def _overlapping_texts(geometry: TimelineGeometry) -> list[tuple[str, str]]:
    texts = geometry.all_texts
    return [
        (a.text, b.text)
        for a, b in itertools.combinations(texts, 2)
        if a.box.overlaps(b.box)
    ]


def _leaders_through_text(geometry: TimelineGeometry) -> list[tuple[int, str]]:
    """Leader lines that pass through a text that is not their own label."""
    found = []
    for segment in geometry.segments:
        if segment.role != "leader":
            continue
        for number, text in enumerate(geometry.all_texts):
            own = text.role == "label" and number - len(geometry.texts) == segment.owner
            if not own and segment.crosses(text.box):
                found.append((segment.owner, text.text))
    return found


def assert_clear(geometry: TimelineGeometry) -> None:
    """Every promise of the chart's layout, on one geometry."""
    w, h = geometry.width, geometry.height
    outside = [t.text for t in geometry.all_texts if not t.box.inside(w, h)]
    outside += [f"marker {mk.box}" for mk in geometry.markers if not mk.box.inside(w, h)]
    outside += [f"band {b.name}" for b in geometry.bands if not b.box.inside(w, h)]
    outside += [
        f"{s.role} segment" for s in geometry.segments
        if not Box(min(s.x0, s.x1), min(s.y0, s.y1), max(s.x0, s.x1), max(s.y0, s.y1)).inside(w, h)
    ]
    assert outside == []
    assert _overlapping_texts(geometry) == []
    assert _leaders_through_text(geometry) == []
    phase_names = [t for t in geometry.all_texts if t.role in ("phase", "legend")]
    assert [(mk.box, t.text) for mk in geometry.markers for t in phase_names if mk.box.overlaps(t.box)] == []
    ticks = [t for t in geometry.all_texts if t.role == "tick"]
    assert [(s.owner, t.text) for s in geometry.segments if s.role in ("leader", "pole")
            for t in ticks if s.crosses(t.box)] == []
    # each label's leader lands on its label's edge
    for number, label in enumerate(geometry.labels):
        (leader,) = [s for s in geometry.segments if s.role == "leader" and s.owner == number]
        assert leader.x0 in (label.box.x0, label.box.x1)
        assert leader.y1 == label.box.y0
    assert geometry.labelled == len(geometry.labels) <= geometry.events


# ---------------------------------------------------------------------------- generated timelines


_TITLES = st.one_of(line_texts(min_size=1, max_size=200), st.text(alphabet="MWmw iI.", min_size=1, max_size=200))


@st.composite
def timeline_figures(draw: st.DrawFn) -> d.TimelineFigure:
    """Reviews' timelines through layout: 1 to 200 events, titles up to 200 characters, written
    times (approximate, ranged, date-only, with notes), some before the start or after the end."""
    start = draw(aware_datetimes(dt.datetime(2016, 1, 1), dt.datetime(2034, 1, 1))).replace(second=0)
    length = dt.timedelta(minutes=draw(st.integers(1, 60 * 72)))
    end = start + length if draw(st.integers(0, 4)) else None  # now and then no end recorded
    count = draw(st.integers(1, 200))
    offsets = draw(st.lists(st.integers(-3 * 24 * 60, int(length.total_seconds() // 60) + 5 * 24 * 60),
                            min_size=count, max_size=count))
    if draw(st.booleans()):  # mostly inside the window, as most timelines are
        offsets = [max(0, min(o, int(length.total_seconds() // 60))) if i % 5 else o for i, o in enumerate(offsets)]
    milestones = list(m.Milestone)
    events = []
    for index, offset in enumerate(sorted(offsets)):
        kind = milestones[index] if index < len(milestones) and draw(st.booleans()) else None
        events.append(
            m.TimelineEvent(
                at=draw(written_instants(start + dt.timedelta(minutes=offset))),
                title=draw(_TITLES) if kind is None else kind.title,
                phase=kind.phase if kind is not None else draw(st.sampled_from(list(m.Phase))),
                kind=kind,
            )
        )
    review = pirdoc.load("fixtures/example-review.yaml")
    review = attrs.evolve(review, started_at=v.Instant.of(start), ended_at=v.Instant.of(end) if end else None,
                          timeline=tuple(events))
    figures = [b.data for b in d.iter_blocks(layout(review, "executive").blocks)
               if isinstance(b, d.Figure) and isinstance(b.data, d.TimelineFigure)]
    if figures:
        return figures[0]
    # nothing known to the minute: the chart is not drawn; draw a figure of exact events instead
    marks = tuple(d.TimelineMark(at=start + dt.timedelta(minutes=o), label=draw(_TITLES), phase="response")
                  for o in offsets)
    return d.TimelineFigure(start=start, end=end, phases=(), marks=marks)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(figure=timeline_figures(), width=st.sampled_from(WIDTHS))
def test_no_box_overlaps_and_every_box_is_inside_for_generated_timelines(
    figure: d.TimelineFigure, width: float
) -> None:
    geometry = timeline_geometry(figure, width, measure=_measure)
    assert geometry.events == len(figure.marks)
    assert_clear(geometry)
    # a label is the event's own text, whole, cut with an ellipsis, or its time alone
    day = geometry_day(figure)
    whole = [" ".join(_label_text(mark, day).split()) for mark in figure.marks]
    times = {_label_text(attrs.evolve(mark, label=""), day) for mark in figure.marks}
    for label in geometry.labels:
        shown = label.text.removesuffix(ELLIPSIS)
        assert label.text in times or any(text.startswith(shown) for text in whole), label.text


def geometry_day(figure: d.TimelineFigure) -> dt.date:
    return figure.start.date()


@settings(max_examples=30, deadline=None)
@given(
    phases=st.lists(st.tuples(st.integers(0, 600), st.integers(0, 600), line_texts(min_size=1, max_size=40)),
                    max_size=6),
    width=st.sampled_from(WIDTHS),
)
def test_phase_names_never_meet_and_no_marker_sits_on_one(phases: list[tuple[int, int, str]], width: float) -> None:
    start = dt.datetime(2026, 3, 14, 13, 0, tzinfo=dt.UTC)
    spans = tuple(
        d.PhaseSpan(name=name, start=start + dt.timedelta(minutes=min(a, b)),
                    end=start + dt.timedelta(minutes=max(a, b)))
        for a, b, name in phases
    )
    marks = tuple(d.TimelineMark(at=start + dt.timedelta(minutes=7 * i), label=f"step {i}", phase="response")
                  for i in range(80))
    figure = d.TimelineFigure(start=start, end=start + dt.timedelta(hours=10), phases=spans, marks=marks)
    assert_clear(timeline_geometry(figure, width, measure=_measure))


# ---------------------------------------------------------------------------- fixed cases


def _figure(offsets_minutes: list[int], *, title: str = "Event", end_minutes: int = 84,
            span: int = 0, when: str = "") -> d.TimelineFigure:
    start = dt.datetime(2026, 3, 14, 13, 38, tzinfo=dt.UTC)
    marks = []
    for i, offset in enumerate(offsets_minutes):
        at = start + dt.timedelta(minutes=offset)
        marks.append(d.TimelineMark(
            at=at, label=f"{title} {i}", phase="response",
            span=(at - dt.timedelta(minutes=span), at + dt.timedelta(minutes=span)) if span else None, when=when,
        ))
    phases = (
        d.PhaseSpan(name="detection", start=start, end=start + dt.timedelta(minutes=3)),
        d.PhaseSpan(name="response", start=start + dt.timedelta(minutes=6), end=start + dt.timedelta(minutes=38)),
        d.PhaseSpan(name="resolution", start=start + dt.timedelta(minutes=43), end=start + dt.timedelta(minutes=84)),
    )
    return d.TimelineFigure(start=start, end=start + dt.timedelta(minutes=end_minutes), phases=phases,
                            marks=tuple(marks))


def test_events_before_and_after_the_window_go_to_their_zones_not_onto_a_stretched_axis() -> None:
    # the change the day before and the review days after, as the issue saw it
    figure = _figure([-24 * 60, -30, 3, 6, 40, 84, 3 * 24 * 60, 6 * 24 * 60])
    geometry = timeline_geometry(figure, 482.0, measure=_measure)
    assert_clear(geometry)
    zones = {t.text for t in geometry.texts if t.role == "zone"}
    assert zones == {"earlier", "later"}
    ticks = [t.text for t in geometry.texts if t.role == "tick"]
    assert ticks
    assert all(re.fullmatch(r"1[3-5]:\d\d", t) for t in ticks)  # the incident's hours only
    axis = next(s for s in geometry.segments if s.role == "axis")
    earlier = [mk.box.x1 for mk in geometry.markers[:2]]
    later = [mk.box.x0 for mk in geometry.markers[-2:]]
    assert max(earlier) < axis.x0
    assert min(later) > axis.x1
    assert any(s.role == "break" for s in geometry.segments)


def test_approximate_and_ranged_times_are_bars_not_points() -> None:
    figure = _figure([10, 30, 60], span=15, when="~14:08")
    geometry = timeline_geometry(figure, 482.0, measure=_measure)
    assert_clear(geometry)
    assert [mk.shape for mk in geometry.markers] == ["range"] * 3
    axis = next(s for s in geometry.segments if s.role == "axis")
    minute = (axis.x1 - axis.x0) / 84
    assert all(mk.box.x1 - mk.box.x0 > 20 * minute for mk in geometry.markers)
    assert all(label.text.startswith("~14:08 ") for label in geometry.labels)


def test_long_titles_are_cut_with_an_ellipsis_and_stay_on_the_page() -> None:
    figure = _figure([0, 42, 84], title="W" * 200)
    geometry = timeline_geometry(figure, 482.0, measure=_measure)
    assert_clear(geometry)
    assert len(geometry.labels) == 3
    assert all(label.text.endswith(ELLIPSIS) for label in geometry.labels)


def test_two_hundred_events_keep_every_label_clear_and_say_how_many_are_labelled() -> None:
    figure = _figure([i * 84 // 199 for i in range(200)], title="Rolling restart of shard")
    geometry = timeline_geometry(figure, 482.0, measure=_measure)
    assert_clear(geometry)
    assert 0 < geometry.labelled < 200
    (header,) = [t.text for t in geometry.texts if t.role == "header"]
    assert f"labels for {geometry.labelled} of 200 events" in header


def test_fit_text_cuts_to_the_width_with_an_ellipsis() -> None:
    assert fit_text("short", 100, measure=_measure, bold=False, size=7.5) == "short"
    cut = fit_text("a much longer title than fits", 40, measure=_measure, bold=False, size=7.5)
    assert cut.endswith(ELLIPSIS)
    assert _measure(cut, False, 7.5) <= 40
    assert fit_text("x" * 50, 1, measure=_measure, bold=False, size=7.5) == ""


# ---------------------------------------------------------------------------- the drawn PDF


def _words(pdf: bytes) -> list[tuple[str, float, float, float, float]]:
    """Every word pdftotext finds with its box (xMin, yMin, xMax, yMax)."""
    tool = require_tool("pdftotext", "poppler-utils")
    html = subprocess.run([tool, "-bbox", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True,
                          timeout=120).stdout.decode("utf-8")
    pattern = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')
    return [(w, float(a), float(b), float(c), float(e)) for a, b, c, e, w in pattern.findall(html)]


def _chart_pdf(figure: d.TimelineFigure) -> bytes:
    # a final review: no DRAFT mark across the page
    document = d.Document(meta=meta(status="Final"), blocks=(d.Figure(caption="Timeline", data=figure),))
    return PdfRenderer().render(document)


def test_the_drawn_pdf_shows_no_two_words_on_each_other() -> None:
    cases = [
        _figure([0, 3, 6, 9, 12, 40, 41, 42, 80, 84], title="Checkout pool exhausted on order-service"),
        _figure([-24 * 60, -5, 1, 2, 3, 84, 90, 2 * 24 * 60], title="W" * 200),
        _figure([i * 84 // 59 for i in range(60)], title="Rolling restart of shard", span=4, when="~14:00"),
    ]
    for figure in cases:
        words = _words(_chart_pdf(figure))
        assert len(words) > 10
        clashes = [
            (a[0], b[0]) for a, b in itertools.combinations(words, 2)
            if a[1] < b[3] - 0.5 and b[1] < a[3] - 0.5 and a[2] < b[4] - 0.5 and b[2] < a[4] - 0.5
        ]
        assert clashes == []
