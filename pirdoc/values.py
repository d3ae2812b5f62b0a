"""Values as people write them: instants, quantities and durations that keep their text.

A review is a record: ``~17:20 UTC``, ``12,345 (3.5%)`` and ``about 18 hours`` must reach every
format as written, while pirdoc still needs the typed part (bounds, precision, qualifier; the
number) to sort, compute metrics and check. Each value here holds both: the typed part, and
``text``, the words as written whenever they say more than the canonical form (``None`` when the
canonical form says it all, so plain ISO values stay plain).

This module is the bottom of the package: it imports nothing of pirdoc. Model, loaders,
importers, checks and layout all parse and format values through it, so each spelling is read
and written in one place.

The one documented syntax for annotated values in data files (see docs/input-format.md):

- instants: ISO 8601 with a zone (``2024-07-19T04:09Z``, ``…:27Z``, ``+02:00``), a date
  (``2024-07-19``) or a month (``2024-07``); EDTF's qualifiers after it (``~`` approximate, ``?``
  uncertain, ``%`` both); EDTF intervals ``A/B``. Anything else is written as a mapping
  ``{value: <canonical or null>, as_written: "~17:20 UTC (12:20 local)"}``.
- quantities: a number, or text whose leading number (``~8.5 million``, ``12,345 (3.5%)``) is
  the typed part; prose without a number (``all EU customers``) has none.
- durations: ``1h 5m``, ``65 min``, ``PT1H5M``; with qualifiers and notes (``about 18 hours``,
  ``24 h 11 min (degraded service)``).
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from decimal import Decimal, InvalidOperation
from typing import Any, Final

import attrs

from pirdoc._gate import strict
from pirdoc._methods import value_methods

__all__ = [
    "APPROXIMATE_MARGIN",
    "Day",
    "Duration",
    "Instant",
    "Precision",
    "Quantity",
    "Qualifier",
    "between",
    "format_clock",
    "format_duration",
    "format_instant",
    "format_quantity",
    "parse_duration",
    "parse_duration_text",
    "parse_instant",
    "parse_quantity",
    "timedelta_text",
]


class Precision(enum.Enum):
    """How finely an instant was written."""

    MONTH = "month"
    DAY = "day"
    MINUTE = "minute"
    SECOND = "second"


class Qualifier(enum.Enum):
    """How sure the writer was (EDTF's ``~`` approximate, ``?`` uncertain)."""

    EXACT = "exact"
    APPROXIMATE = "approximate"
    UNCERTAIN = "uncertain"


_FINE = (Precision.MINUTE, Precision.SECOND)

APPROXIMATE_MARGIN = {
    Precision.SECOND: dt.timedelta(minutes=30),
    Precision.MINUTE: dt.timedelta(minutes=30),
    Precision.DAY: dt.timedelta(days=1),
    Precision.MONTH: dt.timedelta(days=31),
}
"""How far either way an approximate or uncertain instant may lie from what was written, for
chronology checks (``~17:20`` and ``17:05`` are not out of order)."""


# ---------------------------------------------------------------------------- the value types


@value_methods
@attrs.frozen(kw_only=True, repr=False, eq=False, field_transformer=strict)
class Instant:
    """A moment as written: a point or a range, at some precision, exact or not, with its text.

    ``start`` is the moment (UTC; the first instant of the day or month for coarse precisions);
    ``end``, when set, makes it a range. An instant with neither is unknown ("time not
    recorded"): only its text is known."""

    start: dt.datetime | None = None
    """The moment, or the start of the range (timezone-aware, UTC)."""
    end: dt.datetime | None = None
    """The end of a range (inclusive at the instant's precision), or None for a point."""
    precision: Precision = Precision.SECOND
    qualifier: Qualifier = Qualifier.EXACT
    text: str | None = None
    """The words as written, when they say more than the canonical form; else None."""

    @classmethod
    def of(cls, value: dt.datetime | dt.date, *, precision: Precision | None = None) -> Instant:
        """An exact instant from a timezone-aware date-time (second precision) or a date."""
        if isinstance(value, dt.datetime):
            if value.tzinfo is None or value.utcoffset() is None:
                raise ValueError(f"date-time without a timezone: {value.isoformat()}")
            utc = value.astimezone(dt.UTC)
            return cls(start=utc, precision=precision or _clock_precision(utc))
        return cls(start=_midnight(value), precision=precision or Precision.DAY)

    @property
    def known(self) -> bool:
        """True when pirdoc understood when it was (not only its text)."""
        return self.start is not None

    @property
    def exact(self) -> bool:
        """A known point, written without a qualifier."""
        return self.start is not None and self.end is None and self.qualifier is Qualifier.EXACT

    @property
    def timed(self) -> bool:
        """Known to the minute or better: fit for minute-level metrics."""
        return self.start is not None and self.precision in _FINE

    @property
    def point(self) -> dt.datetime | None:
        """The moment metrics use: the start when known to the minute, else None."""
        return self.start if self.timed else None

    @property
    def earliest(self) -> dt.datetime | None:
        """The earliest moment the instant allows (an approximate one: `APPROXIMATE_MARGIN` earlier)."""
        if self.start is None:
            return None
        try:
            return self.start - self._margin
        except OverflowError:  # the first day of year 1: nothing earlier exists
            return dt.datetime.min.replace(tzinfo=dt.UTC)

    @property
    def latest(self) -> dt.datetime | None:
        """The latest moment the instant allows: the end of its last minute, day or month, and
        for an approximate one `APPROXIMATE_MARGIN` later."""
        last = self.end if self.end is not None else self.start
        if last is None:
            return None
        try:
            return last + _granule(last, self.precision) - dt.timedelta(microseconds=1) + self._margin
        except OverflowError:  # the last day of year 9999: nothing later exists
            return dt.datetime.max.replace(tzinfo=dt.UTC)

    @property
    def _margin(self) -> dt.timedelta:
        if self.qualifier is Qualifier.EXACT:
            return dt.timedelta(0)
        return APPROXIMATE_MARGIN[self.precision]

    @property
    def date(self) -> dt.date | None:
        """The (UTC) day it starts on, when known to the day or better."""
        if self.start is None or self.precision is Precision.MONTH:
            return None
        return self.start.date()

    def sort_key(self) -> tuple[int, dt.datetime]:
        """Known instants by start; unknown ones last."""
        if self.start is None:
            return (1, dt.datetime.max.replace(tzinfo=dt.UTC))
        return (0, self.start)


@value_methods
@attrs.frozen(kw_only=True, repr=False, eq=False, field_transformer=strict)
class Quantity:
    """A count or amount as written: the number when there is one, and the words."""

    value: int | float | None = None
    """The number (``8500000`` for ``~8.5 million``); None for prose without one."""
    approximate: bool = False
    text: str | None = None
    """The words as written, when they say more than the number; else None."""


@value_methods
@attrs.frozen(kw_only=True, repr=False, eq=False, field_transformer=strict)
class Duration:
    """A length of time as written: the span when there is one, and the words."""

    value: dt.timedelta | None = None
    approximate: bool = False
    text: str | None = None
    """The words as written, when they say more than the canonical form; else None."""

    @classmethod
    def of(cls, value: dt.timedelta, *, approximate: bool = False) -> Duration:
        """An exact (or approximate) duration with no written text."""
        return cls(value=value, approximate=approximate)


# ---------------------------------------------------------------------------- shared pieces


def _clock_precision(moment: dt.datetime) -> Precision:
    """Minute precision for a time on the minute, second precision otherwise: ``13:45`` and
    ``13:45:00`` are the same reading of the clock."""
    return Precision.SECOND if moment.second or moment.microsecond else Precision.MINUTE


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def _granule(moment: dt.datetime, precision: Precision) -> dt.timedelta:
    if precision is Precision.SECOND:
        return dt.timedelta(seconds=1)
    if precision is Precision.MINUTE:
        return dt.timedelta(minutes=1)
    if precision is Precision.DAY:
        return dt.timedelta(days=1)
    following = moment.replace(year=moment.year + 1, month=1) if moment.month == 12 else moment.replace(
        month=moment.month + 1
    )
    return following - moment


# Words and marks that make a value approximate, before or after it.
_APPROX_BEFORE = re.compile(
    r"^(?:~|≈|±|c\.|ca\.|circa\b|about\b|around\b|approx(?:\.|imately\b)|roughly\b|nearly\b|almost\b|"
    r"some\b|an estimated\b|estimated\b|est\.|over\b|more than\b|at least\b|under\b|less than\b|up to\b|"
    r">|<|≥|≤)\s*",
    re.IGNORECASE,
)
_APPROX_AFTER = re.compile(r"(?:\s*-?ish|\s*~|\s*\+|\s+or so|\s+approx(?:\.|imately)?|\s+\(approx(?:\.|imately)?\))\Z",
                           re.IGNORECASE)
_UNCERTAIN_AFTER = re.compile(r"\s*\?\Z")
_NOTE = re.compile(
    r"^(?P<core>.*?\S)\s*(?P<note>\((?:[^()]|\([^()]*\))*\)|\[[^\[\]]*\]|[;,]\s.*|\s[-–—]\s.*)$", re.DOTALL
)
_APPROX_NOTE = re.compile(r"^\(?\s*(?:approx(?:\.|imately)?|estimated|est\.|roughly|about)\s*\)?$", re.IGNORECASE)
_UNCERTAIN_NOTE = re.compile(r"^\(?\s*(?:uncertain|unconfirmed|unverified|\?)\s*\)?$", re.IGNORECASE)


# What ASCII text must start or end with for _APPROX_BEFORE or _APPROX_AFTER to match it, in
# lower case: the patterns are tried only then (most times start with a digit and end with a
# zone or a note in brackets), as searching for an ending tries every position. Other text is always tried, since
# a case-insensitive pattern matches some non-ASCII letters ("ſ" for "s").
_BEFORE_STARTS: Final = frozenset("~carnsemoul<>")
_AFTER_ENDS: Final = ("ish", "~", "+", "or so", "approx", "approx.", "approximately", "approx)", "approx.)",
                      "approximately)")


def _qualifiers(text: str) -> tuple[str, Qualifier]:
    """The text without the qualifying words around it, and the qualifier they make."""
    qualifier = Qualifier.EXACT
    core = text.strip()
    while True:
        ascii_text = core.isascii()
        before = _APPROX_BEFORE.match(core) if not ascii_text or core[:1].lower() in _BEFORE_STARTS else None
        if before and before.end() < len(core):
            core = core[before.end() :].strip()
            qualifier = Qualifier.APPROXIMATE if qualifier is Qualifier.EXACT else qualifier
            continue
        after = _APPROX_AFTER.search(core) if not ascii_text or core.lower().endswith(_AFTER_ENDS) else None
        if after and after.start() > 0:
            core = core[: after.start()].strip()
            qualifier = Qualifier.APPROXIMATE if qualifier is Qualifier.EXACT else qualifier
            continue
        uncertain = _UNCERTAIN_AFTER.search(core) if core.endswith("?") else None
        if uncertain and uncertain.start() > 0:
            core = core[: uncertain.start()].strip()
            qualifier = Qualifier.UNCERTAIN
            continue
        return core, qualifier


_INNER_APPROX = re.compile(
    r"(?:~|≈|±|-?\bish\b|\b(?:about|around|approx\.|approximately|circa|roughly)\s+)", re.IGNORECASE
)


_INNER_WORDS: Final = ("~", "ish", "about", "around", "approx", "circa", "roughly")
"""What ASCII text holds, in lower case, where _INNER_APPROX can match it."""


def _inner_qualifiers(text: str) -> tuple[str, bool]:
    """``2017-01-31 ~23:00 UTC``, ``11pm-ish UTC``: approximate marks inside the value."""
    lower = text.lower()
    if text.isascii() and not any(word in lower for word in _INNER_WORDS):
        cleaned = text  # the pattern cannot match
    else:
        cleaned = _INNER_APPROX.sub("", text)
    return " ".join(cleaned.split()), cleaned != text


def _split_note(text: str) -> tuple[str, str | None]:
    """``14:05 UTC (from LB logs)`` → (``14:05 UTC``, ``(from LB logs)``)."""
    match = _NOTE.match(text)
    if match is None:
        return text, None
    return match["core"], match["note"]


def _note_qualifier(note: str | None) -> Qualifier | None:
    if note is None:
        return None
    if _APPROX_NOTE.match(note.strip()):
        return Qualifier.APPROXIMATE
    if _UNCERTAIN_NOTE.match(note.strip()):
        return Qualifier.UNCERTAIN
    return None


# ---------------------------------------------------------------------------- instants

UNKNOWN_TIME_WORDS = frozenset(
    w.casefold()
    for w in (
        "unknown",
        "time unknown",
        "time not recorded",
        "not recorded",
        "not known",
        "unrecorded",
        "no time recorded",
        "time not known",
    )
)

_ZONES = {
    "UTC": 0, "GMT": 0, "Z": 0, "UT": 0,
    "PST": -8 * 60, "PDT": -7 * 60, "MST": -7 * 60, "MDT": -6 * 60, "CST": -6 * 60, "CDT": -5 * 60,
    "EST": -5 * 60, "EDT": -4 * 60, "CET": 60, "CEST": 120, "BST": 60, "EET": 120, "EEST": 180,
    "JST": 9 * 60, "AEST": 10 * 60, "AEDT": 11 * 60, "SGT": 8 * 60,
}  # fmt: skip
_MONTHS = {
    name.casefold(): number
    for number, names in enumerate(
        (
            ("January", "Jan"), ("February", "Feb"), ("March", "Mar"), ("April", "Apr"), ("May",),
            ("June", "Jun"), ("July", "Jul"), ("August", "Aug"), ("September", "Sep", "Sept"),
            ("October", "Oct"), ("November", "Nov"), ("December", "Dec"),
        ),
        start=1,
    )
    for name in names
}  # fmt: skip
_MONTH_NAME = "|".join(sorted((re.escape(k) for k in _MONTHS), key=len, reverse=True))

_ZONE = r"(?:\s*(?P<zone>Z|UTC|GMT|UT|[A-Z]{2,4}T|[+-]\d{2}:?\d{2})|\s*UTC\s*(?P<utcoff>[+-]\d{1,2}(?::?\d{2})?))?"
_CLOCK = r"(?P<h>\d{1,2})(?::(?P<m>\d{2})(?::(?P<s>\d{2})(?:\.(?P<frac>\d+))?)?)?\s*(?P<ampm>[ap]\.?m\.?)?"
_ISO_DAY = r"(?P<y>\d{4})-(?P<mo>\d{2})-(?P<d>\d{2})"
_NAMED_DAY = (
    rf"(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,?\s+)?(?:(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<mo1>{_MONTH_NAME})\.?,?\s+"
    rf"(?P<y1>\d{{4}})|(?P<mo2>{_MONTH_NAME})\.?\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y2>\d{{4}})"
    rf"|(?P<y3>\d{{4}})\s+(?P<mo3>{_MONTH_NAME})\.?\s+(?P<d3>\d{{1,2}})(?:st|nd|rd|th)?)"
)
_DATE_TIME = re.compile(
    rf"^(?:{_ISO_DAY}|{_NAMED_DAY})(?:(?:\s*[T ]\s*|,?\s+(?:at\s+)?)(?P<clock>{_CLOCK}){_ZONE})?$", re.IGNORECASE
)
_TIME = re.compile(rf"^(?P<clock>{_CLOCK}){_ZONE}$", re.IGNORECASE)
_MONTH_ONLY = re.compile(
    rf"^(?:(?P<y>\d{{4}})-(?P<mo>\d{{2}})|(?P<mo1>{_MONTH_NAME})\.?,?\s+(?P<y1>\d{{4}}))$", re.IGNORECASE
)
_NOT_IN_A_TIME = re.compile(r"[^0-9A-Za-z :+\-.,]")
"""An ASCII character that none of _ISO, _MONTH_ONLY, _DATE_TIME and _TIME can match (in a text
whose spaces are single spaces). Outside ASCII no such shortcut: a case-insensitive pattern
matches some other letters ("ſ" for "s")."""
_RANGE_SPLIT = re.compile(r"\s*(?:/|–|—|\s-\s|\bto\b|\buntil\b|\btill\b)\s*|(?<=\d)-(?=\d{1,2}:\d{2})", re.IGNORECASE)
_SPACED_DASH = re.compile(r"\s-\s")


def _may_split(text: str) -> bool:
    """False when _RANGE_SPLIT cannot split ASCII ``text``: it has no "/", "to", "until" or
    "till", and its hyphens (a date's) have no space on both sides and no time after them."""
    lower = text.lower()
    if "/" in lower or "to" in lower or "til" in lower:
        return True
    return "-" in text and (":" in text or _SPACED_DASH.search(text) is not None)
_BETWEEN = re.compile(r"^(?:between|from)\s+(?P<a>.+?)\s+(?:and|to|until|-|–)\s+(?P<b>.+)$", re.IGNORECASE)

# The spellings that say nothing more than the typed value (written back as the canonical form).
_PLAIN_INSTANT = re.compile(
    r"^(?:\d{4}-\d{2}(?:-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|UTC|GMT|[+-]\d{2}:\d{2}))?)?"
    r"|\d{2}:\d{2}(?::\d{2})?\s*(?:UTC|Z))$",
    re.IGNORECASE,
)


class Day:
    """The day `parse_instant` places a time of day on (``date``; None when the context gives
    none), noting whether a reading did (``used``). A reading that did not place one reads the
    text the same on every day and without one: the day decides nothing else."""

    __slots__ = ("date", "used")

    def __init__(self, date: dt.date | None) -> None:
        self.date = date
        self.used = False


class _Parsed:
    __slots__ = ("day_known", "precision", "start")

    def __init__(self, start: dt.datetime, precision: Precision, *, day_known: bool = True) -> None:
        self.start = start
        self.precision = precision
        self.day_known = day_known


def _zone_offset(match: re.Match[str]) -> dt.timezone | None:
    zone = match["zone"]
    utcoff = match["utcoff"]
    if utcoff:
        sign = -1 if utcoff.startswith("-") else 1
        digits = utcoff[1:].replace(":", "")
        hours, minutes = (int(digits[:-2]), int(digits[-2:])) if len(digits) > 2 else (int(digits), 0)
        return dt.timezone(sign * dt.timedelta(hours=hours, minutes=minutes))
    if zone is None:
        return None
    upper = zone.upper()
    if upper in _ZONES:
        return dt.timezone(dt.timedelta(minutes=_ZONES[upper]))
    if upper[0] in "+-":
        digits = upper[1:].replace(":", "")
        sign = -1 if upper[0] == "-" else 1
        return dt.timezone(sign * dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
    raise ValueError(f"unknown time zone {zone!r}")


def _clock(match: re.Match[str]) -> tuple[dt.time, Precision]:
    hour = int(match["h"])
    minute = int(match["m"] or 0)
    second = int(match["s"] or 0)
    micro = int((match["frac"] or "0")[:6].ljust(6, "0"))
    ampm = (match["ampm"] or "").replace(".", "").lower()
    if ampm:
        if not 1 <= hour <= 12:
            raise ValueError(f"not a time of day: hour {hour} with {ampm}")
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    elif match["m"] is None:
        raise ValueError("a time needs minutes (13:45) or am/pm (2pm)")
    precision = Precision.SECOND if match["s"] is not None else Precision.MINUTE
    return dt.time(hour, minute, second, micro), precision


def _parse_point(text: str, day: Day, *, assume_utc: bool) -> _Parsed:
    core = " ".join(text.split())
    if core.isascii() and _NOT_IN_A_TIME.search(core):
        # A character the patterns below cannot match ("(", ";", "?": a note left on): refused
        # without trying each pattern in turn.
        raise ValueError(f"not a time pirdoc can read: {text.strip()!r}")
    iso = _iso(core)
    if iso is not None:
        return iso
    month = _MONTH_ONLY.match(core)
    if month:
        year = int(month["y"] or month["y1"])
        number = int(month["mo"]) if month["mo"] else _MONTHS[month["mo1"].casefold()]
        return _Parsed(dt.datetime(year, number, 1, tzinfo=dt.UTC), Precision.MONTH)
    match = _DATE_TIME.match(core)
    if match:
        if match["y"]:
            on = dt.date(int(match["y"]), int(match["mo"]), int(match["d"]))
        elif match["y1"]:
            on = dt.date(int(match["y1"]), _MONTHS[match["mo1"].casefold()], int(match["d1"]))
        elif match["y2"]:
            on = dt.date(int(match["y2"]), _MONTHS[match["mo2"].casefold()], int(match["d2"]))
        else:  # "2018 October 21", as GitHub dates its timelines
            on = dt.date(int(match["y3"]), _MONTHS[match["mo3"].casefold()], int(match["d3"]))
        if match["clock"] is None:
            return _Parsed(_midnight(on), Precision.DAY)
        return _timed(on, match, assume_utc=assume_utc)
    match = _TIME.match(core)
    if match:
        day.used = True
        if day.date is None:
            raise ValueError(f"{text.strip()!r} has no date; write the date too (2024-07-19 17:20 UTC)")
        return _timed(day.date, match, assume_utc=assume_utc, day_known=False)
    raise ValueError(f"not a time pirdoc can read: {text.strip()!r}")


_ISO = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})", re.IGNORECASE)


def _iso(core: str) -> _Parsed | None:
    """ISO 8601 date-times with a zone, as data files write them."""
    if core[10:11] not in ("T", "t") or not _ISO.fullmatch(core):
        return None
    value = dt.datetime.fromisoformat(core.upper().replace("Z", "+00:00")).astimezone(dt.UTC)
    return _Parsed(value, _clock_precision(value))


def _timed(on: dt.date, match: re.Match[str], *, assume_utc: bool, day_known: bool = True) -> _Parsed:
    clock, _ = _clock(match)
    zone = _zone_offset(match)
    if zone is None:
        if not assume_utc:
            raise ValueError("a date-time needs a time zone (UTC, Z or an offset such as +02:00)")
        zone = dt.UTC
    moment = dt.datetime.combine(on, clock, tzinfo=zone).astimezone(dt.UTC)
    return _Parsed(moment, _clock_precision(moment), day_known=day_known)


def parse_instant(text: str, *, day: dt.date | Day | None = None, assume_utc: bool = True) -> Instant:
    """Read an instant as people write it; the text is kept unless it is a plain spelling.

    ``day`` is the date a time of day (``~17:20 UTC``) falls on, when the context gives one; a
    `Day` also notes whether the reading used it.
    Times without a zone are UTC when ``assume_utc`` (the template writes every time in UTC).
    Raises `ValueError` for text that names no moment pirdoc can read; words such as
    ``time not recorded`` give an unknown instant that keeps them."""
    placing = day if isinstance(day, Day) else Day(day)
    written = " ".join(text.split())
    if not written:
        raise ValueError("no time given")
    if written.casefold().rstrip(".") in UNKNOWN_TIME_WORDS:
        return Instant(precision=Precision.DAY, text=written)
    parsed: tuple[_Parsed, _Parsed | None] | None = None
    error: ValueError | None = None
    # The whole text first ("2024-04-08 – 2024-04-24" is a range, not a date with a note), then
    # without its note, when it has one.
    for attempt in range(2):
        if attempt == 0:
            core, note = written, None
        else:
            core, note = _split_note(written)
            if note is None:
                break
        qualifier = _note_qualifier(note) or Qualifier.EXACT
        core, own = _qualifiers(core)
        if own is not Qualifier.EXACT:
            qualifier = own if qualifier is Qualifier.EXACT or own is Qualifier.UNCERTAIN else qualifier
        if core.endswith("%"):
            core, qualifier = core[:-1].rstrip(), Qualifier.UNCERTAIN
        core, inner = _inner_qualifiers(core)
        if inner and qualifier is Qualifier.EXACT:
            qualifier = Qualifier.APPROXIMATE
        try:
            parsed = _parse_range(core, placing, assume_utc=assume_utc)
            break
        except ValueError as exc:
            error = error or exc
    # A caught error's traceback holds this frame, and this frame the error: a reference cycle
    # that keeps every caller's frame (an importer's whole reader) alive until the collector's
    # next full collection. ``error`` is cleared on every way out.
    if parsed is None:
        assert error is not None
        try:
            raise error
        finally:
            error = None
    error = None
    start, end = parsed
    if end is not None and end.start < start.start:
        raise ValueError(f"the range {written!r} ends before it starts")
    precision = start.precision if end is None else _coarser(start.precision, end.precision)
    plain = note is None and qualifier is Qualifier.EXACT and end is None and bool(_PLAIN_INSTANT.match(written))
    if plain and not start.day_known and placing.date is None:
        plain = False
    return Instant(
        start=start.start,
        end=end.start if end is not None else None,
        precision=precision,
        qualifier=qualifier,
        text=None if plain else written,
    )


def _coarser(a: Precision, b: Precision) -> Precision:
    order = list(Precision)
    return order[min(order.index(a), order.index(b))]


def _parse_range(core: str, day: Day, *, assume_utc: bool) -> tuple[_Parsed, _Parsed | None]:
    try:
        return _parse_point(core, day, assume_utc=assume_utc), None
    except ValueError as first_error:
        between = _BETWEEN.match(core)
        pairs: list[tuple[str, str]] = []
        if between:
            pairs.append((between["a"], between["b"]))
        if not core.isascii() or _may_split(core):
            for split in _RANGE_SPLIT.finditer(core):
                if split.start() > 0 and split.end() < len(core):
                    pairs.append((core[: split.start()], core[split.end() :]))
        for left, right in pairs:
            try:
                return _range_ends(left, right, day, assume_utc=assume_utc)
            except ValueError:
                continue
        raise first_error


def _range_ends(left: str, right: str, day: Day, *, assume_utc: bool) -> tuple[_Parsed, _Parsed]:
    right_zone = _TIME.match(right.strip())
    left_text = left.strip()
    # "14:05–14:20 UTC": the zone written once, after the range, is the zone of both ends.
    if right_zone and right_zone["zone"] and _TIME.match(left_text) and not _TIME.match(left_text)["zone"]:  # type: ignore[index]
        left_text = f"{left_text} {right_zone['zone']}"
    start = _parse_point(left_text, day, assume_utc=assume_utc)
    # The end of "2024-07-19 14:05 – 14:20" is on the start's day.
    end = _parse_point(right, Day(start.start.date()) if start.precision in _FINE else day, assume_utc=assume_utc)
    if not start.day_known and end.day_known:
        start = _parse_point(left_text, Day(end.start.date()), assume_utc=assume_utc)
    return start, end


def format_clock(moment: dt.datetime, *, with_date: bool = True) -> str:
    """``2026-03-14 13:45 UTC`` (seconds only when set); ``13:45 UTC`` without the date."""
    value = moment.astimezone(dt.UTC)
    clock = value.strftime("%H:%M:%S" if value.second or value.microsecond else "%H:%M")
    return f"{value:%Y-%m-%d} {clock} UTC" if with_date else f"{clock} UTC"


def _canonical_point(moment: dt.datetime, precision: Precision, *, with_date: bool) -> str:
    if precision is Precision.MONTH:
        return f"{moment:%Y-%m}"
    if precision is Precision.DAY:
        return f"{moment:%Y-%m-%d}"
    return format_clock(moment, with_date=with_date)


_MARKS = {Qualifier.EXACT: "", Qualifier.APPROXIMATE: "~", Qualifier.UNCERTAIN: "?"}


def between(first: Instant | None, last: Instant | None) -> Duration | None:
    """The duration from ``first`` to ``last``, when both are known to the minute; approximate
    unless both are exact points."""
    if first is None or last is None or first.point is None or last.point is None:
        return None
    return Duration(value=last.point - first.point, approximate=not (first.exact and last.exact))


def format_instant(instant: Instant, *, with_date: bool = True) -> str:
    """What a reader sees: the text as written, else the canonical form (``~`` before an
    approximate one, ``?`` after an uncertain one, ``–`` between a range's ends)."""
    if instant.text is not None:
        return instant.text
    if instant.start is None:
        return "time not recorded"
    shown = _canonical_point(instant.start, instant.precision, with_date=with_date)
    if instant.end is not None:
        end_with_date = with_date or instant.end.date() != instant.start.date()
        shown += " – " + _canonical_point(instant.end, instant.precision, with_date=end_with_date)
    if instant.qualifier is Qualifier.APPROXIMATE:
        return "~" + shown
    if instant.qualifier is Qualifier.UNCERTAIN:
        return shown + " (uncertain)"
    return shown


def instant_wire(instant: Instant) -> str | None:
    """The canonical data-file form (ISO 8601 with EDTF qualifiers and ``/``); None when unknown."""
    if instant.start is None:
        return None
    text = _wire_point(instant.start, instant.precision)
    if instant.end is not None:
        text += "/" + _wire_point(instant.end, instant.precision)
    return text + {"exact": "", "approximate": "~", "uncertain": "?"}[instant.qualifier.value]


def _wire_point(moment: dt.datetime, precision: Precision) -> str:
    if precision is Precision.MONTH:
        return f"{moment:%Y-%m}"
    if precision is Precision.DAY:
        return f"{moment:%Y-%m-%d}"
    utc = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return utc.isoformat(timespec="seconds" if utc.microsecond == 0 else "microseconds") + "Z"


def parse_instant_wire(text: str) -> Instant:
    """The data-file form: ISO 8601 with a zone, a date or a month, an optional EDTF qualifier
    (``~``, ``?``, ``%``) and ``A/B`` ranges. Raises `ValueError` for anything else."""
    core = text.strip()
    qualifier = Qualifier.EXACT
    if core[-1:] in ("~", "?", "%"):
        qualifier = Qualifier.APPROXIMATE if core[-1] == "~" else Qualifier.UNCERTAIN
        core = core[:-1]
    parts = core.split("/")
    if len(parts) > 2:
        raise ValueError(f"not a date-time: {text!r}")
    points = [_wire_point_parse(part, text) for part in parts]
    start = points[0]
    end = points[1] if len(points) == 2 else None
    if end is not None and end[0] < start[0]:
        raise ValueError(f"the range {text!r} ends before it starts")
    precision = start[1] if end is None else _coarser(start[1], end[1])
    return Instant(start=start[0], end=end[0] if end else None, precision=precision, qualifier=qualifier)


_WIRE_UTC = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*(?:UTC|GMT)$", re.IGNORECASE)


def _wire_point_parse(part: str, whole: str) -> tuple[dt.datetime, Precision]:
    part = part.strip()
    utc = _WIRE_UTC.match(part)
    if utc:
        part = f"{utc[1]}T{utc[2]}Z"
    if re.fullmatch(r"\d{4}-\d{2}", part):
        year, month = int(part[:4]), int(part[5:])
        if not 1 <= month <= 12:
            raise ValueError(f"not a month: {part!r}")
        return dt.datetime(year, month, 1, tzinfo=dt.UTC), Precision.MONTH
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", part):
        return _midnight(dt.date.fromisoformat(part)), Precision.DAY
    parsed = _iso(part)
    if parsed is not None:
        return parsed.start, parsed.precision
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?", part):
        raise ValueError(
            f"date-time without a timezone: {whole!r}; add 'Z' or an offset like '+02:00', "
            "or write it as 'YYYY-MM-DD HH:MM UTC'"
        )
    raise ValueError(f"not a date-time: {whole!r}")


# ---------------------------------------------------------------------------- quantities

_SCALES = {
    "k": 1000, "thousand": 1000, "m": 10**6, "mn": 10**6, "mm": 10**6, "million": 10**6, "millions": 10**6,
    "b": 10**9, "bn": 10**9, "billion": 10**9, "billions": 10**9, "t": 10**12, "trillion": 10**12,
}  # fmt: skip
_NUMBER = re.compile(
    r"^(?P<number>-?(?:\d{1,3}(?:[,\u00a0\u202f' ]\d{3})+|\d+)(?:\.\d+)?)"
    r"(?:\s*(?P<scale>thousand|millions?|billions?|trillion|mn|bn|mm|[kmbt])\b)?",
    re.IGNORECASE,
)
_PLAIN_NUMBER = re.compile(r"^-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?$")


def _number_value(match: re.Match[str]) -> int | float:
    digits = re.sub(r"[,\u00a0\u202f' ]", "", match["number"])
    try:
        amount = Decimal(digits)
    except InvalidOperation as exc:  # pragma: no cover - the pattern admits only digits
        raise ValueError(f"not a number: {match['number']!r}") from exc
    scale = match["scale"]
    if scale:
        amount *= _SCALES[scale.lower()]
    if amount == amount.to_integral_value():
        return int(amount)
    return float(amount)


def parse_quantity(text: str, *, percent: bool = False) -> Quantity:
    """A count as written: its leading number, if any, is the typed part; the rest is kept.

    ``~8.5 million`` → 8500000 (approximate); ``12,345 (3.5%)`` → 12345; ``all EU customers`` →
    no number. With ``percent``, a trailing ``%`` belongs to the number. Never raises for
    non-empty text."""
    written = " ".join(text.split())
    if not written:
        raise ValueError("no value given")
    core, note = _split_note(written)
    core, qualifier = _qualifiers(core)
    if _note_qualifier(note) is not None:
        qualifier = Qualifier.APPROXIMATE
    match = _NUMBER.match(core)
    value: int | float | None = None
    if match:
        value = _number_value(match)
        rest = core[match.end() :].strip()
        if percent and rest.startswith("%"):
            rest = rest[1:].strip()
    approximate = qualifier is not Qualifier.EXACT
    # "~18,450" is how pirdoc itself writes an approximate count: a plain spelling too.
    bare = written[1:] if approximate and written.startswith("~") else written
    plain = (
        value is not None and note is None and (not approximate or bare != written)
        and bool(_PLAIN_NUMBER.match(bare)) and (percent or not written.endswith("%"))
    )  # fmt: skip
    return Quantity(value=value, approximate=approximate and value is not None, text=None if plain else written)


def format_quantity(quantity: Quantity, *, suffix: str = "") -> str:
    """The text as written, else the number (``18,450``; ``~18,450`` when approximate)."""
    if quantity.text is not None:
        return quantity.text
    if quantity.value is None:
        return "not recorded"
    value = quantity.value
    shown = f"{value:,}" if isinstance(value, int) else f"{value:g}"
    return ("~" if quantity.approximate else "") + shown + suffix


# ---------------------------------------------------------------------------- durations

_UNIT_SECONDS = {
    **dict.fromkeys(("w", "wk", "wks", "week", "weeks"), 7 * 86400),
    **dict.fromkeys(("d", "day", "days"), 86400),
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours"), 3600),
    **dict.fromkeys(("m", "min", "mins", "minute", "minutes"), 60),
    **dict.fromkeys(("s", "sec", "secs", "second", "seconds"), 1),
}
_DURATION_PART = re.compile(r"(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?\s*([a-z]+)\b\.?", re.IGNORECASE)
_DURATION_SEPARATOR = re.compile(r"(?:\s|,(?=\s)|\band\b)*", re.IGNORECASE)
_ISO_DURATION = re.compile(
    r"^P(?:(?P<weeks>\d+(?:\.\d+)?)W)?(?:(?P<days>\d+(?:\.\d+)?)D)?"
    r"(?:T(?:(?P<hours>\d+(?:\.\d+)?)H)?(?:(?P<minutes>\d+(?:\.\d+)?)M)?"
    r"(?:(?P<seconds>\d+(?:\.\d+)?)S)?)?$",
    re.IGNORECASE,
)
_ISO_UNITS = {"weeks": 7 * 86400, "days": 86400, "hours": 3600, "minutes": 60, "seconds": 1}


def _seconds_to_timedelta(seconds: Decimal) -> dt.timedelta:
    try:
        return dt.timedelta(microseconds=int((seconds * 1_000_000).to_integral_value()))
    except OverflowError:
        limit = f"the limit is {dt.timedelta.max.days:,} days"
        raise ValueError(f"duration out of range: {seconds:,f} seconds; {limit}") from None


def _leading_span(text: str) -> tuple[dt.timedelta, int] | None:
    """The duration at the start of ``text`` and where it ends, or None."""
    iso = _ISO_DURATION.match(text.strip())
    if iso and text.strip().upper() not in ("P", "PT") and not text.strip().upper().endswith("T"):
        total = sum(
            (Decimal(amount) * _ISO_UNITS[unit] for unit, amount in iso.groupdict().items() if amount is not None),
            Decimal(0),
        )
        return _seconds_to_timedelta(total), len(text)
    total = Decimal(0)
    position = 0
    end = 0
    found = False
    while position < len(text):
        position = _DURATION_SEPARATOR.match(text, position).end()  # type: ignore[union-attr]
        part = _DURATION_PART.match(text, position)
        if part is None or part[3].lower() not in _UNIT_SECONDS:
            break
        total += Decimal(part[1].replace(",", "") + (part[2] or "")) * _UNIT_SECONDS[part[3].lower()]
        position = end = part.end()
        found = True
    return (_seconds_to_timedelta(total), end) if found else None


def parse_duration(text: str) -> dt.timedelta:
    """A duration that is nothing but a duration: ``1h 5m``, ``65 min``, ``2 hours``,
    ``PT1H5M``. Raises `ValueError` otherwise."""
    core = text.strip()
    span = _leading_span(core)
    if span is None or core[span[1] :].strip():
        raise ValueError(f"not a duration: {core!r} (write e.g. '1h 5m', '65 min' or 'PT1H5M')")
    return span[0]


def parse_duration_text(text: str) -> Duration:
    """A duration as written: ``about 18 hours``, ``24 h 11 min (degraded service)``,
    ``0.3 hours (about twenty minutes)``; the text is kept unless it is a plain spelling.
    Prose without a duration (``most of the day``) keeps its text with no span."""
    written = " ".join(text.split())
    if not written:
        raise ValueError("no duration given")
    core, note = _split_note(written)
    core, qualifier = _qualifiers(core)
    if _note_qualifier(note) is not None:
        qualifier = Qualifier.APPROXIMATE
    try:
        span = _leading_span(core)
    except ValueError:  # past the calendar: kept as written, with no span
        span = None
    if span is None:
        return Duration(text=written)
    rest = core[span[1] :].strip()
    approximate = qualifier is not Qualifier.EXACT
    plain = not approximate and note is None and not rest
    return Duration(value=span[0], approximate=approximate, text=None if plain else written)


def timedelta_text(value: dt.timedelta) -> str:
    """The compact form: ``1h 5m``, ``26h``, ``45s``, ``0s``; negative values get a ``-``."""
    if value < dt.timedelta(0):
        return "-" + timedelta_text(-value)
    total_micro = (value.days * 86400 + value.seconds) * 1_000_000 + value.microseconds
    hours, rest = divmod(total_micro, 3600 * 1_000_000)
    minutes, rest = divmod(rest, 60 * 1_000_000)
    seconds = Decimal(rest) / 1_000_000
    parts = []
    if hours:
        parts.append(f"{hours}h")
    if minutes:
        parts.append(f"{minutes}m")
    if seconds or not parts:
        parts.append(f"{seconds.normalize():f}s")
    return " ".join(parts)


def format_duration(duration: Duration) -> str:
    """The text as written, else the compact form (``~1h 5m`` when approximate)."""
    if duration.text is not None:
        return duration.text
    if duration.value is None:
        return "not recorded"
    return ("~" if duration.approximate else "") + timedelta_text(duration.value)


def coerce_number(value: Any) -> Any:
    """A plain Python number as a Quantity; anything else unchanged (for attrs converters)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return Quantity(value=value)
    if isinstance(value, str):
        return parse_quantity(value, percent=True) if value.strip() else None
    return value
