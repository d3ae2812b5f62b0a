"""Scalar values of a filled-in template: placeholders, yes/no, dates, enums, and the importer's
view of times and durations (`pirdoc.values` reads and keeps them as written).

Each parser takes the plain text of one value (Markdown already resolved) and returns the value,
or raises `ValueError` with a message fit for a `Problem`. "Not recorded" is decided before, by
`is_not_recorded`, so that every parser sees only real values.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import enum
import re
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any, TypeVar

from pirdoc import values as pv

__all__ = [
    "NOT_RECORDED_WORDS",
    "day_of",
    "is_not_recorded",
    "is_placeholder_source",
    "is_time",
    "only_placeholders",
    "placeholder_spans",
    "parse_bool",
    "parse_date",
    "parse_duration_text",
    "parse_enum",
    "read_instant",
    "remembering_instants",
    "signed_duration",
]

E = TypeVar("E", bound=enum.Enum)

NOT_RECORDED_WORDS = frozenset(
    word.casefold()
    for word in (
        "N/A",
        "NA",
        "n.a.",
        "TBD",
        "TBC",
        "Unknown",
        "-",
        "–",
        "—",
        # pirdoc's own wording for values nobody recorded
        "Not recorded",
        "None recorded.",
        "No events recorded.",
        "Not measured",
        "Pending",
    )
)
"""Values that mean "nobody recorded this" (compared case-insensitively)."""

# The template's placeholders that are not in brackets.
_LITERAL_PLACEHOLDERS = re.compile(
    r"^(?:INC-YYYY-NNNN|SEV-X|YYYY-MM-DD(?: HH:MM(?: UTC)?)?|HH:MM(?: UTC)?|X hours Y minutes|X hours|X min)$",
    re.IGNORECASE,
)


def _pairs(source: str) -> dict[int, int]:
    """For each unescaped opening ``[`` and ``(`` of ``source``, the index of its matching closing
    bracket (nested pairs counted), in one pass: an opening bracket without one is left out."""
    matches: dict[int, int] = {}
    stacks: dict[str, list[int]] = {"[": [], "(": []}
    opening = {"]": "[", ")": "("}
    index = 0
    while index < len(source):
        char = source[index]
        if char == "\\":
            index += 2  # an escaped character is never a bracket
            continue
        if char in stacks:
            stacks[char].append(index)
        elif char in opening and stacks[opening[char]]:
            matches[stacks[opening[char]].pop()] = index
        index += 1
    return matches


def placeholder_spans(source: str) -> list[tuple[int, int]]:
    """Where Markdown ``source`` holds template placeholders such as ``[Name]``: unescaped
    ``[…]`` groups that are not links (``[text](url)``, ``[text][ref]``, ``[ref]: url``).

    Linear in the length of ``source``: brackets are matched once, up front."""
    if "[" not in source:  # most values: no character-by-character scan
        return []
    matches = _pairs(source)
    spans: list[tuple[int, int]] = []
    index = 0
    while index < len(source):
        if source[index] == "\\":
            index += 2
            continue
        if source[index] != "[":
            index += 1
            continue
        close = matches.get(index, -1)
        if close < 0:
            break
        after = source[close + 1 : close + 2]
        if after in ("(", "["):
            end = matches.get(close + 1, -1)
            index = (end if end >= 0 else close) + 1
        elif after == ":":
            index = close + 1
        else:
            spans.append((index, close + 1))
            index = close + 1
    return spans


def is_placeholder_source(source: str) -> bool:
    """True when Markdown ``source`` holds a template placeholder (``Add alert for [condition]``)."""
    return bool(placeholder_spans(source))


def only_placeholders(source: str) -> bool:
    """True when nothing but placeholders and separators is left in ``source``."""
    spans = placeholder_spans(source)
    if not spans:
        return False
    rest: list[str] = []
    last = 0
    for start, end in spans:
        rest.append(source[last:start])
        last = end
    rest.append(source[last:])
    return not re.sub(r"[\s\-–—:/,.]", "", "".join(rest))


def is_not_recorded(source: str, text: str) -> bool:
    """True for an empty value, a placeholder the template left (``[Name]``, ``YYYY-MM-DD``)
    or a word that says nothing was recorded (``N/A``, ``TBD``, ``Unknown``, ``Not recorded``).

    ``source`` is the value's Markdown, ``text`` its plain text."""
    stripped = text.strip()
    if not stripped or stripped.casefold() in NOT_RECORDED_WORDS:
        return True
    if _LITERAL_PLACEHOLDERS.match(stripped):
        return True
    return only_placeholders(source.strip())


_YES = frozenset(("yes", "y", "true", "breached", "occurred"))
_NO = frozenset(("no", "n", "false", "none", "not breached"))


def parse_bool(text: str) -> bool:
    """``Yes``/``No`` (also true/false, y/n; "None" counts as no)."""
    word = text.strip().rstrip(".").casefold()
    if word in _YES:
        return True
    if word in _NO:
        return False
    raise ValueError(f"expected Yes or No, got {text.strip()!r}")


def parse_duration_text(text: str) -> dt.timedelta:
    """``1 hour 24 minutes``, ``84 min``, ``1h 24m``, ``PT1H24M``; a leading ``<`` or ``~`` is
    ignored (targets are written ``< 5 minutes``)."""
    return pv.parse_duration(text.strip().lstrip("<≤~≈ ").strip())


def parse_date(text: str) -> dt.date:
    """An ISO date, ``2026-03-14``."""
    cleaned = text.strip()
    try:
        return dt.date.fromisoformat(cleaned)
    except ValueError:
        raise ValueError(f"not a date: {cleaned!r} (write e.g. 2026-03-14)") from None


def parse_enum(cls: type[E], text: str, aliases: dict[str, E] | None = None) -> E:
    """The member of ``cls`` whose value matches ``text`` (case-insensitive), or an alias."""
    word = " ".join(text.strip().rstrip(".").split()).casefold()
    for member in cls:
        if str(member.value).casefold() == word:
            return member
    if aliases and word in aliases:
        return aliases[word]
    choices = "/".join(str(member.value) for member in cls)
    raise ValueError(f"expected one of {choices}, got {text.strip()!r}")


SOME_DAY = dt.date(2000, 1, 3)
"""A day to read a time of day on when only whether it reads as a time matters."""

_Refusal = tuple[type[ValueError], tuple[Any, ...]]  # the error's type and arguments
_Answer = pv.Instant | _Refusal
# The answers given within one import: by text and day, and by text alone for a text whose
# reading placed nothing on its day (the same on every day).
_read_instants: ContextVar[tuple[dict[tuple[str, dt.date | None], _Answer], dict[str, _Answer]] | None] = ContextVar(
    "_read_instants", default=None
)


@contextlib.contextmanager
def remembering_instants() -> Iterator[None]:
    """Within the block (one import), `read_instant` reads each text on each day once, and a
    text whose reading places no time of day on its day once in all."""
    token = _read_instants.set(({}, {}))
    try:
        yield
    finally:
        _read_instants.reset(token)


def read_instant(text: str, day: dt.date | None = None) -> pv.Instant:
    """`pirdoc.values.parse_instant` of ``text`` (a time of day placed on ``day``); raises its
    `ValueError`. Inside `remembering_instants` the answer for the same text and day is the one
    given before, and so is the answer for the same text on another day (or none) when that
    reading placed nothing on its day (`pirdoc.values.Day`): the importer asks whether a line
    is a time, then reads it without a day, then on the day it belongs to; a real-world review
    read half its times two or three times."""
    remembered = _read_instants.get()
    if remembered is None:
        return pv.parse_instant(text, day=day)
    by_day, every_day = remembered
    answer = every_day.get(text)
    if answer is None:
        key = (text, day)
        answer = by_day.get(key)
        if answer is None:
            placing = pv.Day(day)
            try:
                answer = pv.parse_instant(text, day=placing)
            except ValueError as exc:
                answer = (type(exc), exc.args)  # not the error itself: its traceback would grow with each raise
            if placing.used:
                by_day[key] = answer
            else:
                every_day[text] = answer
    if isinstance(answer, tuple):
        kind, args = answer
        raise kind(*args)
    return answer


def day_of(text: str) -> dt.date | None:
    """The day a heading or a bold line names (``2024-07-19``, ``July 19, 2024``), or None."""
    try:
        read = read_instant(text)
    except ValueError:
        return None
    if read.end is not None or read.precision is not pv.Precision.DAY or read.start is None:
        return None
    return read.start.date()


def is_time(text: str) -> bool:
    """True when ``text`` reads as a time (of day or with a date), a range or an unknown time."""
    try:
        read_instant(text, SOME_DAY)
    except ValueError:
        return False
    return True


def signed_duration(text: str) -> pv.Duration:
    """A duration as written, where pirdoc's own ``-1 hour 5 minutes`` (an end before the
    start) reads back as the negative span it was written from."""
    stripped = text.strip()
    if stripped.startswith("-") and not stripped.startswith("--"):
        positive = pv.parse_duration_text(stripped[1:])
        if positive.value is not None and positive.text is None:
            return pv.Duration(value=-positive.value, approximate=positive.approximate)
    return pv.parse_duration_text(text)
