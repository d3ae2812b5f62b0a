"""What layout writes for each kind of value, and the words and limits it writes with: the
vocabulary of `pirdoc.layout` (its sections are `pirdoc._layout_base` and the modules after it)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Final, TypeAlias

import attrs

from pirdoc import document as d
from pirdoc import model as m
from pirdoc import values as v
from pirdoc._attrs_fields import fields_that_may_hold
from pirdoc.document import is_safe_link
from pirdoc.narrative import link_text, parse_blocks, parse_inlines, sanitize

NOT_RECORDED = "Not recorded"
"""How every format shows a value nobody recorded."""

SEVERITY_TONES: dict[m.Severity, d.Tone] = {
    m.Severity.SEV1: "critical",
    m.Severity.SEV2: "high",
    m.Severity.SEV3: "medium",
    m.Severity.SEV4: "low",
}
ACTION_STATUS_TONES: dict[m.ActionStatus, d.Tone] = {
    m.ActionStatus.OPEN: "neutral",
    m.ActionStatus.IN_PROGRESS: "medium",
    m.ActionStatus.DONE: "good",
}
LEVEL_TONES: dict[m.Level, d.Tone] = {
    m.Level.HIGH: "high",
    m.Level.MEDIUM: "medium",
    m.Level.LOW: "low",
}
HORIZON_HEADINGS: dict[m.Horizon, str] = {
    m.Horizon.IMMEDIATE: "Immediate Actions (Complete within 1 week)",
    m.Horizon.SHORT_TERM: "Short-term Actions (Complete within 1 month)",
    m.Horizon.LONG_TERM: "Long-term Actions (Complete within 3 months)",
}
PHASE_HEADINGS: dict[m.Phase, str] = {
    m.Phase.DETECTION: "Detection Phase",
    m.Phase.RESPONSE: "Response Phase",
    m.Phase.RESOLUTION: "Resolution Phase",
}
ACTION_ITEM_HEADER = ("ID", "Action", "Owner", "Due Date", "Status")
REVISION_HISTORY_HEADER = ("Version", "Date", "Author", "Changes")
ASKS_LABEL = "Decisions and asks:"
"""The label of the summary's asks, which the template importer reads back."""
PLATFORM_ACTION_LABELS = ("Assignees", "Priority", "Tracker", "Links")
"""The labels of the line under an action that gives its platform fields (assignees, priority,
tracker id, further links), in this order, those with a value only; in the full record."""
BRIEFING_ACTION_ITEMS = 6
"""The most open action items the two-page briefing lists; the rest are counted, not listed."""

BRIEFING_MIN_ACTION_ITEMS = 3
"""The briefing shortens its other fields further (`BRIEFING_SCALES`) until its two pages leave
room for at least this many open action items, when there are as many."""

BRIEFING_SCALES = (1.0, 0.7, 0.5, 0.35)
"""The shares of `BRIEFING_LIMITS` the briefing tries in turn, until what it shows fits two pages
with room for its open action items (a title, a name or an id keeps enough to be recognised)."""

BRIEFING_ASKS = 3
"""The most of the summary's asks (decisions, approvals, help) the briefing lists; the rest are
counted."""

BRIEFING_NOTES = 1
"""How many of the writer's notes the briefing shows in all before it counts the rest."""

BRIEFING_LIMITS: dict[str, int] = {
    "summary": 280,  # one-line summary, root cause, resolution
    "impact": 120,  # affected users, services impacted, data loss, revenue
    "note": 240,  # each of the writer's notes shown in the briefing
    "warning": 200,  # the details of a data loss or corruption warning
    "action": 100,
    "id": 16,
    "owner": 40,
    "heading": 80,  # a note's title
    "title": 120,
}
"""How many characters of each kind of field the briefing shows before it says the rest is in
the full record, at most: where the two pages leave too little room for the open action items,
layout tries smaller shares of these (`BRIEFING_SCALES`), so any review's briefing fits two
pages (tests/test_board.py)."""

# Fields too short to say where the rest is: they end with an ellipsis.
_NAMES = frozenset({"id", "owner"})
# The shortest a crowded briefing cuts a field to: a title still says what it is about.
_LEAST = {"title": 60, "heading": 40, "id": 12, "owner": 24}
ACTION_WIDTHS = (0.1, 0.45, 0.17, 0.14, 0.14)
_HORIZON_ORDER = {horizon: index for index, horizon in enumerate(m.Horizon)}


# ---------------------------------------------------------------------------- formatting


def format_duration(value: dt.timedelta) -> str:
    """``1 hour 24 minutes``, ``45 seconds``, ``2 days 3 hours``; negative values get a minus."""
    seconds = int(value.total_seconds())
    sign = "-" if seconds < 0 else ""
    seconds = abs(seconds)
    parts = []
    for size, unit in ((86400, "day"), (3600, "hour"), (60, "minute"), (1, "second")):
        count, seconds = divmod(seconds, size)
        if count:
            parts.append(f"{count} {unit}{'s' if count != 1 else ''}")
    return sign + (" ".join(parts) if parts else "0 minutes")


format_datetime = v.format_clock


def _shown_duration(value: v.Duration) -> str:
    """The words as written, else ``1 hour 24 minutes`` (``~`` before an approximate one)."""
    if value.text is not None or value.value is None:
        return v.format_duration(value)
    return ("~" if value.approximate else "") + format_duration(value.value)


def _utc(value: dt.datetime) -> dt.datetime:
    return value.astimezone(dt.UTC)


def _timeline_mark(event: m.TimelineEvent, window_day: dt.date) -> d.TimelineMark:
    """An event drawn on the timeline chart: a point when known exactly to the minute, else the
    range it may lie in; its time as the chart's label writes it (UTC is in the chart's header)."""
    at = event.at
    if at is None or at.start is None:
        raise ValueError("an event without a known time is not drawn")
    start = _utc(at.start)
    point = at.exact and at.timed
    span = None
    if not point and at.earliest is not None and at.latest is not None:
        span = (_utc(at.earliest), _utc(at.latest))
    if not at.timed:
        when = f"{start:%Y-%m-%d}"
    else:
        when = f"{start:%H:%M}" if start.date() == window_day else f"{start:%Y-%m-%d %H:%M}"
        if at.end is not None:
            end = _utc(at.end)
            when += f"\u2013{end:%H:%M}" if end.date() == start.date() else f"\u2013{end:%Y-%m-%d %H:%M}"
    if at.qualifier is v.Qualifier.APPROXIMATE:
        when = "~" + when
    elif at.qualifier is v.Qualifier.UNCERTAIN:
        when += "?"
    return d.TimelineMark(at=start, label=_plain(event.title), phase=event.phase.value,
                          kind=event.kind.value if event.kind else None, span=span, when=when)


def _plain(markdown: str) -> str:
    return d.plain_text(parse_inlines(markdown))


def _text(value: str) -> tuple[d.Inline, ...]:
    return (d.Text(text=sanitize(value)),)


_NR: tuple[d.Inline, ...] = (d.Text(text=NOT_RECORDED),)


def _md_inline(value: str | None) -> tuple[d.Inline, ...]:
    return parse_inlines(value) if value else _NR


def _person(person: m.Person) -> d.Person:
    return d.Person(
        name=sanitize(person.name),
        role=sanitize(person.role) if person.role else None,
        email=sanitize(person.email) if person.email else None,
        account_id=sanitize(person.confluence_account_id) if person.confluence_account_id else None,
        userkey=sanitize(person.confluence_userkey) if person.confluence_userkey else None,
    )


def _person_cell(person: m.Person | None) -> tuple[d.Inline, ...]:
    return (_person(person),) if person else _NR


def _name_key(name: str) -> str:
    return " ".join(name.split()).casefold()


_PERSON: Final = (m.Person,)


def _people(value: Any) -> Iterator[m.Person]:
    """Every Person anywhere in ``value`` (a review or a part of one), in the order of its fields."""
    stack = [value]
    while stack:
        current = stack.pop()
        if isinstance(current, m.Person):
            yield current
        elif isinstance(current, tuple):
            stack.extend(reversed(current))
        else:
            fields = fields_that_may_hold(type(current), _PERSON) or ()
            stack.extend(getattr(current, field.name) for field in reversed(fields))


def _account_directory(review: m.Review) -> dict[str, m.Person]:
    """People with a Confluence identifier, by name, so that an owner written as a plain name
    is matched to the account the review gives that person elsewhere. A name that two people
    with different identifiers share is left out: a mention must never go to the wrong person."""
    found: dict[str, m.Person] = {}
    ambiguous: set[str] = set()
    for person in _people(review):
        if not (person.confluence_account_id or person.confluence_userkey):
            continue
        key = _name_key(person.name)
        known = found.get(key)
        if known is None:
            found[key] = person
            continue
        pairs = ((known.confluence_account_id, person.confluence_account_id),
                 (known.confluence_userkey, person.confluence_userkey))
        if any(a and b and a != b for a, b in pairs):
            ambiguous.add(key)
        else:  # the same person, given once with one identifier and once with the other
            found[key] = attrs.evolve(
                known,
                confluence_account_id=known.confluence_account_id or person.confluence_account_id,
                confluence_userkey=known.confluence_userkey or person.confluence_userkey,
            )
    return {key: person for key, person in found.items() if key not in ambiguous}


def _date(value: dt.date | None) -> tuple[d.Inline, ...]:
    return (d.DateTime(value=value, text=value.isoformat()),) if value else _NR


def _instant(value: v.Instant | None, *, with_date: bool = True) -> tuple[d.Inline, ...]:
    """An instant as a reader sees it: the words as written, or the canonical form; a native
    date element only for an exact, known one (a lozenge must not claim more than was written)."""
    if value is None:
        return _NR
    shown = v.format_instant(value, with_date=with_date)
    if value.exact and value.text is None and value.start is not None:
        moment: dt.date | dt.datetime = value.start if value.timed else value.start.date()
        return (d.DateTime(value=moment, text=shown, shows_date=with_date or not value.timed),)
    return _text(shown)


def _duration(value: v.Duration | None) -> tuple[d.Inline, ...]:
    return _text(_shown_duration(value)) if value is not None else _NR


def _yes_no(value: bool | None) -> tuple[d.Inline, ...]:
    return _NR if value is None else _text("Yes" if value else "No")


def _number(value: v.Quantity | None, suffix: str = "") -> tuple[d.Inline, ...]:
    if value is None:
        return _NR
    return _text(v.format_quantity(value, suffix=suffix))


def _data_impact(value: m.DataImpact) -> tuple[d.Inline, ...]:
    if value.occurred is None and value.details is None:
        return _NR
    answer = _yes_no(value.occurred)
    if value.details is None:
        return answer
    return (*answer, d.Text(text=" - "), *parse_inlines(value.details))


def _url(value: str) -> tuple[d.Inline, ...]:
    clean = sanitize(value)
    if is_safe_link(clean) and not clean.startswith("#"):
        return (d.Link(target=clean, children=(d.Text(text=link_text(clean)),)),)
    return (d.Text(text=clean),)


def _seconds(value: v.Duration | None) -> float | None:
    return value.value.total_seconds() if value is not None and value.value is not None else None


def _detail_row(detail: m.Detail) -> tuple[tuple[d.Inline, ...], tuple[d.Inline, ...]]:
    return (_text(detail.label), _md_inline(detail.value))


def _labelled(label: str, value: Sequence[d.Inline]) -> d.Paragraph:
    """``**Label:** value`` as the template writes its fields."""
    return d.Paragraph(children=(d.Strong(children=(d.Text(text=label),)), d.Text(text=" "), *value))


def _label_only(label: str) -> d.Paragraph:
    return d.Paragraph(children=(d.Strong(children=(d.Text(text=label),)),))


def _platform_rows(r: m.Review) -> list[tuple[tuple[d.Inline, ...], tuple[d.Inline, ...]]]:
    """Basic Information rows for what incident platforms record, each only when recorded."""
    rows: list[tuple[tuple[d.Inline, ...], tuple[d.Inline, ...]]] = []
    for label, text in (("Priority", r.priority), ("Incident Type", r.incident_type)):
        if text:
            rows.append((_text(label), _text(text)))
    for label, instant in (("Reported At", r.reported_at), ("Stable At", r.stable_at), ("Closed At", r.closed_at)):
        if instant is not None:
            rows.append((_text(label), _instant(instant)))
    for tag in r.tags:
        shown = tag.value + (f" (source: {tag.source})" if tag.source else "")
        rows.append((_text(f"Tag ({tag.kind.value})"), _text(shown)))
    return rows


def _event_extras(event: m.TimelineEvent) -> list[d.Block]:
    """A line under a timeline event for its end, source, evidence and key mark, when it has any."""
    parts: list[tuple[d.Inline, ...]] = []
    if event.ended_at is not None:
        parts.append((d.Text(text="Ended: "), *_instant(event.ended_at)))
    if event.source:
        parts.append(_text(f"Source: {event.source}"))
    if event.evidence:
        parts.append((d.Text(text="Evidence: "), *_url(event.evidence)))
    if event.key:
        parts.append(_text("Key event"))
    if not parts:
        return []
    inlines: list[d.Inline] = []
    for index, part in enumerate(parts):
        inlines.extend((d.Text(text=" \u00b7 "),) if index else ())
        inlines.extend(part)
    return [d.Paragraph(children=(d.Emphasis(children=tuple(inlines)),))]


def _amount(value: float, approximate: bool) -> str:
    text = f"{value:,.2f}".removesuffix(".00")
    return f"~{text}" if approximate else text


class _Blocks(tuple[d.Block, ...]):
    """A field value of several blocks (a narrative with lists), shown below its label."""

    __slots__ = ()


FieldValue: TypeAlias = Sequence[d.Inline] | _Blocks


def _md_value(value: str | None) -> FieldValue:
    """A narrative field value: inline when it is one paragraph, else its blocks."""
    if value is None:
        return _NR
    blocks = parse_blocks(value)
    if len(blocks) == 1 and isinstance(blocks[0], d.Paragraph):
        return blocks[0].children
    return _Blocks(blocks)


def _item(label: str, value: FieldValue) -> tuple[d.Block, ...]:
    """A ``- Label: value`` bullet item; a value of several blocks follows its label."""
    if isinstance(value, _Blocks):
        return (d.Paragraph(children=(d.Text(text=f"{label}:"),)), *value)
    return (d.Paragraph(children=(d.Text(text=f"{label}: "), *value)),)


def _bullets(items: Iterable[tuple[d.Block, ...]]) -> d.BulletList:
    return d.BulletList(items=tuple(items), tight=True)


def _field_bullets(fields: Iterable[tuple[str, FieldValue]]) -> d.BulletList:
    return _bullets(_item(label, value) for label, value in fields)


def _narrative(label: str, value: str | None) -> list[d.Block]:
    """``**Label:**`` then the narrative's own blocks on the following lines."""
    if value is None:
        return [_labelled(label, _NR)]
    return [_label_only(label), *parse_blocks(value)]


def _table(
    header: Sequence[str], rows: Iterable[Sequence[Sequence[d.Inline]]], role: str, widths: Sequence[float] = ()
) -> d.Table:
    return d.Table(
        header=tuple(_text(h) for h in header),
        rows=tuple(tuple(tuple(cell) for cell in row) for row in rows),
        role=role,
        widths=tuple(widths),
    )


def _dated_once_per_day(instants: Sequence[v.Instant]) -> list[tuple[d.Inline, ...]]:
    """The time cells of a timeline table: with the date where the day changes (or the time goes
    back), the time alone on the other rows, so a reader sees each day once."""
    cells = []
    previous: dt.datetime | None = None
    for at in instants:
        moment = at.start.astimezone(dt.UTC) if at.start is not None else None
        dated = moment is None or previous is None or moment.date() != previous.date() or moment < previous
        cells.append(_instant(at, with_date=dated))
        previous = moment or previous
    return cells


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}" + ("" if number == 1 else "s")


def _checklist(items: Iterable[m.CheckItem], role: str) -> d.Checklist:
    return d.Checklist(
        items=tuple(d.ChecklistItem(checked=i.done, children=parse_inlines(i.text)) for i in items),
        role=role,
    )


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug or "section"
