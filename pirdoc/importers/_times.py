"""Placing the times a template holds: Start and End Time, timeline events, status updates.

Every time is read by `pirdoc.values.parse_instant` (in `import_markdown`, once per text and
day: `_values.read_instant`), keeping the words as written. A time of day without a date
(``13:45 UTC``, ``~17:20``) takes its day from the day heading it is under, else from the event
before it, else from the start (or the header's Date); without a day heading it rolls over
midnight when that is the nearer reading (see `_rolled`). A time nobody can read keeps its text,
with no moment.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

import attrs

from pirdoc import values as pv
from pirdoc.importers._reader import EventSpec, ReaderBase
from pirdoc.importers._source import Field
from pirdoc.importers._values import SOME_DAY, read_instant

__all__ = ["place_all", "start_and_end"]

_DAY = dt.timedelta(days=1)


# A date written in a note after a time of day: "8:00 p.m. EDT (2024-07-29)".
_NOTE_DAY = re.compile(r"\((?:on )?(\d{4}-\d{2}-\d{2})\)")


def _own(text: str) -> pv.Instant | None:
    """The instant when ``text`` needs no day from its context (it has a date, in the value or in
    a note after it, or says it is unknown); None when it is a time of day only or cannot be
    read."""
    try:
        return read_instant(text)
    except ValueError:
        pass
    noted = _NOTE_DAY.search(text)
    if noted is None:
        return None
    try:
        return read_instant(text, dt.date.fromisoformat(noted[1]))
    except ValueError:
        return None


def _on(text: str, day: dt.date) -> pv.Instant:
    return read_instant(text, day)


def _shift(instant: pv.Instant, by: dt.timedelta) -> pv.Instant:
    return attrs.evolve(
        instant,
        start=instant.start + by if instant.start is not None else None,
        end=instant.end + by if instant.end is not None else None,
    )


def _field_instant(r: ReaderBase, field: Field, what: str, day: dt.date | None) -> tuple[pv.Instant | None, bool]:
    """A Basic Information time; (instant, whether it was a time of day placed on ``day``)."""
    text = r.text(field)
    if text is None:
        return None, False
    own = _own(text)
    if own is not None:
        return own, False
    if day is not None:
        try:
            return _on(text, day), True
        except ValueError:
            pass
    try:
        read_instant(text, SOME_DAY)
        reason = "has no date, and the review names none"
    except ValueError as exc:
        reason = str(exc)
    r.problem(field.line, f"{what}: {reason}; kept as written")
    return pv.Instant(text=text), False


def start_and_end(
    r: ReaderBase, header_date: dt.date | None
) -> tuple[pv.Instant | None, pv.Instant | None]:
    """Start and End Time from Basic Information. A start without a date takes the header's
    Date, else the first dated timeline event's; an end without one takes the start's day (the
    next day when it is earlier). A missing start is an unknown start (reported)."""
    start_field = r.basic.get("start time")
    day = header_date
    if day is None:
        dated = (_own(e.when) for e in r.events if e.when is not None)
        day = next((i.date for i in dated if i is not None and i.date is not None), None)
    started = None
    if start_field is not None:
        started, _ = _field_instant(r, start_field, "Start Time", day)
    if started is None:
        r.problem(
            start_field.line if start_field else 0,
            "no Start Time: the start is unknown (write it in Basic Information as 'YYYY-MM-DD HH:MM UTC')",
        )
    end_field = r.basic.get("end time")
    ended = None
    if end_field is not None:
        start_day = started.date if started is not None and started.date is not None else day
        ended, of_day = _field_instant(r, end_field, "End Time", start_day)
        if (
            of_day
            and ended is not None
            and ended.start is not None
            and started is not None
            and started.start is not None
            and ended.start < started.start
        ):
            ended = _shift(ended, _DAY)
    return started, ended


class _Placer:
    """Places a sequence of times of day, each after the one before it."""

    def __init__(
        self, start: pv.Instant | None, end: pv.Instant | None, header_date: dt.date | None
    ) -> None:
        self.start = start if start is not None and start.timed else None
        self.end = end if end is not None and end.timed else None
        self.start_day = start.date if start is not None and start.date is not None else header_date
        self.same_day = (
            self.start is not None
            and self.end is not None
            and self.start.date is not None
            and self.start.date == self.end.date
        )
        self.previous: pv.Instant | None = None

    def place(self, r: ReaderBase, spec: EventSpec, where: str) -> pv.Instant | None:
        if spec.when is None:
            return None
        instant = _own(spec.when)
        if instant is None:
            instant = self._of_day(r, spec, where)
        if instant.timed or (instant.precision is pv.Precision.DAY and instant.date is not None):
            # An event on a named day sets the day of the times of day after it, as a reader
            # takes it (and as layout writes them).
            self.previous = instant
        return instant

    def _of_day(self, r: ReaderBase, spec: EventSpec, where: str) -> pv.Instant:
        assert spec.when is not None
        day = spec.day
        if day is None:
            if self.same_day or self.previous is None or self.previous.date is None:
                day = self.start_day
            else:
                day = self.previous.date
        if day is None:
            r.problem(spec.line, f"{where}: {spec.when!r} has no date, and the review names none; kept as written")
            return pv.Instant(text=spec.when)
        try:
            instant = _on(spec.when, day)
        except ValueError as exc:
            unreadable = str(exc).startswith("not a time")
            reason = "is not a time pirdoc can read" if unreadable else f"cannot be placed: {exc}"
            r.problem(spec.line, f"{where}: {spec.when!r} {reason}; kept as written")
            return pv.Instant(text=spec.when)
        if spec.day is None and self._rolled(instant):
            return _shift(instant, _DAY)
        return instant

    def _rolled(self, at: pv.Instant) -> bool:
        """A time of day smaller than the one before it is on the next day, unless it already
        lies inside the incident (events are grouped by phase, so their order is not always
        chronological), the next day would put it after the incident's end, or the next day is
        further from the time before it than this day (a change shipped just before the start).
        Times are compared at the precision written: ``13:45`` is not before ``13:45:30``."""
        reference = self.previous.start if self.previous is not None else None
        if reference is None and self.start is not None:
            reference = self.start.start
        if self.same_day or reference is None or at.start is None:
            return False
        latest = at.latest
        assert latest is not None
        if latest >= reference:
            return False
        start = self.start.start if self.start is not None else None
        end = self.end.latest if self.end is not None else None
        inside = start is not None and latest >= start and (end is None or at.start <= end)
        rolled = at.start + _DAY
        if inside or (end is not None and rolled > end):
            return False
        return rolled - reference < reference - at.start


def place_all(
    r: ReaderBase,
    specs: Sequence[EventSpec],
    start: pv.Instant | None,
    end: pv.Instant | None,
    header_date: dt.date | None,
    where: str,
) -> list[pv.Instant | None]:
    """The instants of ``specs`` (events or status updates), in order."""
    placer = _Placer(start, end, header_date)
    return [placer.place(r, spec, where) for spec in specs]
