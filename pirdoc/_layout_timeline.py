"""The timeline: events in order (dated where the incident spans days), the figure and its table."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from pirdoc import document as d
from pirdoc import model as m
from pirdoc import values as v
from pirdoc._layout_base import Base
from pirdoc._layout_values import (
    PHASE_HEADINGS,
    _count,
    _dated_once_per_day,
    _event_extras,
    _instant,
    _label_only,
    _table,
    _text,
    _timeline_mark,
    _utc,
)
from pirdoc.narrative import parse_blocks, parse_inlines, sanitize


class TimelineSections(Base):
    """The timeline: events in order (dated where the incident spans days), the figure and its table."""

    def _event_needs_date(self, at: v.Instant) -> bool:
        """Whether an event's time is written with its date. Events are shown by phase, so not
        always in time order: the date is written on the first event, whenever the day differs
        from the event shown before, and on an event earlier than that one (which would read as
        the next day); for an incident that starts and ends on one day, on any event of another
        day. Every other event reads unambiguously as the same day as the one before it, for a
        person and for the Markdown importer alike. Words with no known moment change nothing."""
        if at.start is None:
            return False
        moment = at.start.astimezone(dt.UTC)
        previous = self._previous_event
        if at.precision is not v.Precision.MONTH:  # "July 2015" names no day: the one before stays in force
            self._previous_event = moment
        r = self.review
        start_day = r.started_at.date if r.started_at is not None else None
        one_day = r.ended_at is not None and start_day is not None and r.ended_at.date == start_day
        return (
            previous is None
            or moment.date() != previous.date()
            or moment < previous
            or (one_day and moment.date() != start_day)
        )

    def _event_blocks(self, event: m.TimelineEvent) -> list[d.Block]:
        dated = event.at is not None and self._event_needs_date(event.at)
        when = _instant(event.at, with_date=dated) if event.at is not None else _text("Time not recorded")
        head = d.Paragraph(
            children=(d.Strong(children=when), d.Text(text=" - "), *parse_inlines(event.title)), event_head=True
        )
        blocks: list[d.Block] = [head, *_event_extras(event), *(parse_blocks(event.details) if event.details else ())]
        day = event.at.date if event.at is not None else None
        if dated and day is not None and event.at is not None and event.at.text is not None:
            # Words such as "~17:20 UTC" name no day: the day goes before them, as teams write it.
            try:
                v.parse_instant(event.at.text)
            except ValueError:
                blocks.insert(0, _label_only(day.isoformat()))
        return blocks

    def timeline(self) -> None:
        if self.review.timeline:
            self.timeline_figure()
        for phase, title in PHASE_HEADINGS.items():
            self.heading(2, title)
            events = [e for e in self.review.timeline if e.phase is phase]
            if not events:
                self._none("No events recorded.")
            for event in events:
                self.add(*self._event_blocks(event))

    def timeline_figure(self, *, with_table: bool = False) -> None:
        """The timeline chart. With ``with_table`` (the briefing, where no event list follows)
        it carries its compact table, the milestones (or, with none, every drawn event); in the
        record the events by phase right after it are its text."""
        r = self.review
        if not r.timeline:
            self._none("No timeline recorded.")
            return
        # The figure's times are UTC, as every time the layout writes: renderers draw them as given.
        # Events known to the day or better are drawn (a day, a range or an approximate time as a
        # range); a month or words alone are in the timeline's text. The window and the phases
        # come from the times known to the minute.
        drawn = [e for e in r.timeline if e.at is not None and e.at.start is not None and e.at.date is not None]
        points = [(e, e.at.point) for e in drawn if e.at is not None and e.at.point is not None]
        if not points:
            self._none("No timed events to draw.")
            return
        first = min(at for _, at in points)
        start = r.started_at.point if r.started_at is not None and r.started_at.point is not None else first
        marks = tuple(_timeline_mark(e, _utc(start).date()) for e in drawn)
        phases = []
        for phase in m.Phase:
            times = [_utc(at) for e, at in points if e.phase is phase]
            if times:
                phases.append(d.PhaseSpan(name=phase.value, start=min(times), end=max(times)))
        end = r.ended_at.point if r.ended_at is not None else None
        # The window itself is the summary's (Started, Ended): the caption does not repeat it.
        milestones = sum(1 for mark in marks if mark.kind is not None)
        caption = f"Timeline of {sanitize(r.incident_id)}: {_count(len(marks), 'event')}" + (
            f", {_count(milestones, 'milestone')}" if milestones else ""
        )
        self.add(
            d.Figure(
                data=d.TimelineFigure(start=_utc(start), end=_utc(end) if end else None,
                                      phases=tuple(phases), marks=marks),
                caption=caption,
                table=self._timeline_table(drawn) if with_table else None,
            )
        )

    def _timeline_table(self, events: Sequence[m.TimelineEvent]) -> d.Table:
        # Events marked key are the milestones the briefing shows, when a review marks any.
        milestones = [e for e in events if e.key] or [e for e in events if e.kind is not None]
        shown = milestones or list(events)
        times = _dated_once_per_day([e.at for e in shown if e.at is not None])
        if milestones:
            return _table(
                ("Time", "Milestone"),
                ((when, parse_inlines(e.title)) for when, e in zip(times, shown, strict=True)),
                "milestones",
                (0.3, 0.7),
            )
        return _table(
            ("Time", "Phase", "Event"),
            (
                (when, _text(PHASE_HEADINGS[e.phase].split()[0]), parse_inlines(e.title))
                for when, e in zip(times, shown, strict=True)
            ),
            "timeline",
            (0.25, 0.15, 0.6),
        )
