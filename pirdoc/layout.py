"""Review → Document: the only place that knows the order and the wording of sections.

`layout(review, profile)` builds the neutral `pirdoc.document.Document` every renderer walks.
Profile ``full`` is the record: every section, table and checklist of the template, in its order,
with nothing the review holds left out. Profile ``executive`` is the briefing: summary, impact,
root cause, resolution, response metrics against targets, the timeline figure and the open action
items. A value nobody recorded reads `NOT_RECORDED` everywhere.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Literal, TypeAlias

import attrs

from pirdoc import document as d
from pirdoc import model as m
from pirdoc import values as v
from pirdoc._brief import MORE, Position, cut_blocks, cut_inlines, cut_words, estimate_lines, paginate, table_row_lines
from pirdoc._characters import neutralise_review
from pirdoc._keep import keep_lead_ins
from pirdoc._warn import muted
from pirdoc.document import is_safe_link
from pirdoc.limits import check_review
from pirdoc.narrative import link_text, parse_blocks, parse_inlines, sanitize

__all__ = [
    "NOT_RECORDED",
    "PROFILES",
    "Profile",
    "content_hash",
    "format_datetime",
    "format_duration",
    "layout",
]

Profile: TypeAlias = Literal["full", "executive"]
PROFILES: tuple[Profile, ...] = ("full", "executive")

DOCUMENT_KINDS = {"full": "Post-Incident Review", "executive": "Executive Briefing"}
"""What each profile's document is called in titles and file properties."""

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


def layout(review: m.Review, profile: Profile | str = "full", *, classification: str | None = None) -> d.Document:
    """The Document for ``review`` in ``profile`` (``full`` or ``executive``).

    Raises `ReviewLoadError` if the review passes a limit of `pirdoc.limits` (however it was made)."""
    if profile not in PROFILES:
        raise ValueError(f"unknown profile {profile!r}; choose one of {', '.join(PROFILES)}")
    check_review(review)
    digest = content_hash(review)  # of the review as given, before any character is neutralised
    review, scripts = neutralise_review(review)
    if profile == "full":
        builder = _Builder(review)
        builder.full()
    else:
        for scale in BRIEFING_SCALES:  # the page budget: shorter fields until all fits
            builder = _Builder(review, brief=True, scale=scale)
            # a layout again warns nothing the first did not: the same fields are parsed
            with muted() if scale != BRIEFING_SCALES[0] else contextlib.nullcontext():
                builder.executive()
            if not builder.crowded:
                break
    meta = _meta(review, str(profile), classification, digest=digest, scripts=scripts, title=builder.title_shown)
    meta = attrs.evolve(meta, contents_before=builder.contents_before)
    return d.Document(meta=meta, blocks=keep_lead_ins(builder.blocks))


def content_hash(review: m.Review) -> str:
    """SHA-256 of the review's canonical JSON: the same review always has the same hash."""
    from pirdoc.serde import to_dict  # serde pulls in cattrs; only needed here

    canonical = json.dumps(to_dict(review), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


# Where a review names no day at all, file properties use the ZIP epoch (as DOCX entries do).
_NO_DATE = dt.date(1980, 1, 1)


def _known_day(review: m.Review) -> dt.date | None:
    if review.review_date is not None:
        return review.review_date
    days = [e.at.date for e in review.timeline if e.at is not None and e.at.date is not None]
    return min(days) if days else None


def _last_modified(review: m.Review) -> dt.date | None:
    """The day the review was last changed: its Last Updated, else its latest revision's day."""
    days = [day for day in (review.last_updated, *(e.date for e in review.revision_history)) if day is not None]
    return max(days) if days else None


def _facts(review: m.Review, profile: str) -> tuple[d.Fact, ...]:
    """The title block: the incident's own times, then the review's dates and revision. Each value
    as precise as it was written (a date stays a date, no invented time). The briefing names the
    review date, the revision and the owner only (its summary states when the incident was)."""
    detected = next((e.at for e in review.timeline if e.kind is m.Milestone.DETECTED and e.at is not None), None)
    incident: list[tuple[str, tuple[d.Inline, ...] | None]] = []
    if profile == "full":  # the briefing states the incident's window once, in its summary
        incident = [
            ("Incident started", _instant(review.started_at)),
            ("Detected", _instant(detected) if detected is not None else None),
            ("Resolved", _instant(review.ended_at) if review.ended_at is not None else None),
        ]
    own: list[tuple[str, tuple[d.Inline, ...] | None]] = [("Review date", _date(review.review_date))]
    if profile == "full":
        modified = _last_modified(review)
        meeting = review.review_meeting.date
        own += [
            ("Last modified", _date(modified) if modified is not None else None),
            ("Review meeting", _date(meeting) if meeting is not None else None),
        ]
    own.append(("Revision", _text(str(review.current_revision))))
    facts = [d.Fact(label=label, value=value, about="incident") for label, value in incident if value is not None]
    facts += [d.Fact(label=label, value=value, about="review") for label, value in own if value is not None]
    if review.owner is not None:
        facts.append(d.Fact(label="Owner", value=(_person(review.owner),)))
    return tuple(facts)


def _meta(
    review: m.Review,
    profile: str,
    classification: str | None,
    *,
    digest: str,
    scripts: tuple[d.ScriptUse, ...],
    title: str,
) -> d.DocumentMeta:
    day = _known_day(review) or _last_modified(review) or _NO_DATE
    created = dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)
    updated = _last_modified(review) or day
    modified = max(created, dt.datetime.combine(updated, dt.time(), tzinfo=dt.UTC))
    summary = _plain(review.summary.one_line) if review.summary.one_line else ""
    services = review.services.names
    clean_services = tuple(sanitize(s) for s in services)  # once: sanitize warns about what it removes
    detected = review.milestone(m.Milestone.DETECTED)
    return d.DocumentMeta(
        title=title,
        incident_id=sanitize(review.incident_id),
        severity=review.severity.value if review.severity else NOT_RECORDED,
        severity_tone=SEVERITY_TONES[review.severity] if review.severity else "neutral",
        status=review.status.value,
        profile=profile,
        owner=_person(review.owner) if review.owner else None,
        date=_known_day(review),
        created=created,
        modified=modified,
        summary=summary,
        services=clean_services,
        keywords=(*((review.severity.value,) if review.severity else ()), *clean_services),
        content_hash=digest,
        classification=sanitize(classification or review.classification),
        kind=DOCUMENT_KINDS[profile],
        contents=profile == "full",
        scripts=scripts,
        revision=review.current_revision,
        incident_started=review.started_at,
        incident_detected=detected,
        incident_resolved=review.ended_at,
        review_date=review.review_date,
        last_modified=_last_modified(review),
        meeting_date=review.review_meeting.date,
        facts=_facts(review, profile),
    )


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


def _people(value: Any) -> Iterable[m.Person]:
    """Every Person anywhere in ``value`` (a review or a part of one)."""
    if isinstance(value, m.Person):
        yield value
    elif isinstance(value, tuple):
        for item in value:
            yield from _people(item)
    elif attrs.has(type(value)):
        for field in attrs.fields(type(value)):
            yield from _people(getattr(value, field.name))


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


# ---------------------------------------------------------------------------- the builder


class _Builder:
    """Accumulates blocks and gives every heading a unique anchor."""

    def __init__(self, review: m.Review, *, brief: bool = False, scale: float = 1.0) -> None:
        self.review = review
        # The briefing shows each field up to its budget in BRIEFING_LIMITS, or a share of it
        # (see _brief); it is crowded when its two pages leave too little room for the open
        # action items.
        self.brief = brief
        self.limits = {field: max(int(limit * scale), _LEAST.get(field, 0)) for field, limit in BRIEFING_LIMITS.items()}
        self.crowded = False
        # a crowded briefing counts the writer's notes instead of showing one
        self._notes_left = BRIEFING_NOTES if scale >= BRIEFING_SCALES[1] else 0
        self._notes_held = 0  # notes the briefing counts instead of showing (one line for all)
        self.contents_before: str | None = None
        # the briefing's title block stays a block: a long title is cut there
        title = sanitize(review.title)
        self.title_shown = cut_words(title, self.limits["title"]) if brief else title
        self.blocks: list[d.Block] = []
        self._anchors: set[str] = set()
        # Status updates are shown with the same clock; one on another day needs its date too.
        instants = [
            review.started_at,
            review.ended_at,
            *(event.at for event in review.timeline),
            *(update.at for update in review.communication.internal_timeline),
        ]
        days = {i.date for i in instants if i is not None and i.date is not None}
        self._multi_day = len(days) > 1
        self._accounts = _account_directory(review)
        self._previous_event: dt.datetime | None = None  # the timeline event shown last (UTC)

    # -- plumbing

    def heading(self, level: int, text: str) -> None:
        base = _slug(text)[:32]
        anchor, counter = base, 2
        while anchor in self._anchors:
            anchor, counter = f"{base}-{counter}", counter + 1
        self._anchors.add(anchor)
        self.blocks.append(d.Heading(level=level, children=(d.Text(text=text),), anchor=anchor))

    def add(self, *blocks: d.Block) -> None:
        self.blocks.extend(blocks)

    def short(self, nodes: tuple[d.Inline, ...], field: str) -> tuple[d.Inline, ...]:
        """``nodes`` as the briefing shows them (cut to the field's budget); whole in the record."""
        if not self.brief:
            return nodes
        return cut_inlines(nodes, self.limits[field], "\u2026" if field in _NAMES else MORE)[0]

    def short_blocks(self, blocks: tuple[d.Block, ...], field: str) -> tuple[d.Block, ...]:
        return cut_blocks(blocks, self.limits[field])[0] if self.brief else blocks

    def section(self, title: str, *parts: Callable[[], None], key: str | None = None) -> None:
        self.heading(1, title)
        # Writing after the last event would read back as that event's details: the Timeline's
        # notes go first, where the template has no event yet.
        first = key == "timeline"
        if first:
            self.notes("timeline")
        for part in parts:
            part()
        if key is not None:
            if not first:
                self.notes(key)
            self.extra_sections(key)

    def notes(self, key: str, level: int = 2) -> None:
        """The writing kept at the end of section ``key`` (a titled note under its own heading);
        the briefing shows `BRIEFING_NOTES` notes in all and counts the rest."""
        notes = [note for note in self.review.notes if note.section == key and not note.top_level]
        rest = 0
        if self.brief:
            shown = notes[: self._notes_left]
            rest, notes = len(notes) - len(shown), shown
            self._notes_left -= len(shown)
        for note in notes:
            if note.title:
                title = sanitize(note.title)
                self.heading(level, cut_words(title, self.limits["heading"]) if self.brief else title)
            if note.body:
                self.add(*self.short_blocks(parse_blocks(note.body), "note"))
        self._notes_held += rest

    def held_notes(self) -> None:
        """The briefing's one line counting the notes it held back so far."""
        if self._notes_held:
            self._none(f"and {_count(self._notes_held, 'more note')} \u2014 see the full record")
            self._notes_held = 0

    def extra_sections(self, key: str) -> None:
        """Sections the template never had, right after section ``key``, as they were written."""
        for note in self.review.notes:
            if note.section != key or not note.top_level:
                continue
            self._rule()
            self.heading(1, sanitize(note.title) if note.title else "Notes")
            if note.body:
                self.add(*parse_blocks(note.body))
            else:
                self._none("Nothing written.")

    def subsection_notes(self, key: str) -> Callable[[], None]:
        return lambda: self.notes(key, level=3)

    def _rule(self) -> None:
        self.add(d.ThematicBreak())

    def _none(self, what: str = "None recorded.") -> None:
        self.add(d.Paragraph(children=(d.Text(text=what),)))

    # -- profiles

    def full(self) -> None:
        self.notes("header")
        self.document_control()
        self.extra_sections("header")
        details = "incident_details."
        sections: tuple[tuple[str, str, tuple[Callable[[], None], ...]], ...] = (
            ("Executive Summary", "executive_summary", (self.executive_summary, self.warnings)),
            (
                "Incident Details",
                "incident_details",
                (
                    self.basic_information,
                    self.subsection_notes(details + "basic_information"),
                    self.participants,
                    self.services,
                    self.subsection_notes(details + "services"),
                    self.impact,
                    self.costs,
                    self.subsection_notes(details + "impact"),
                ),
            ),
            ("Timeline", "timeline", (self.timeline,)),
            (
                "Root Cause Analysis",
                "root_cause",
                (self.primary_root_cause, self.contributing_factors, self.five_whys),
            ),
            ("What Went Well", "went_well", (self.positive_aspects, self.effective_procedures)),
            ("What Went Wrong", "went_wrong", (self.issues, self.procedure_gaps)),
            ("Action Items", "action_items", (self.action_items,)),
            ("Lessons Learned", "lessons", (self.lessons,)),
            ("Prevention Measures", "prevention", (self.prevention,)),
            ("Communication", "communication", (self.internal_communication, self.external_communication)),
            ("Metrics", "metrics", (self.response_metrics, self.impact_metrics)),
            ("Attachments", "attachments", (self.supporting_documents, self.links, self.related_incidents)),
            ("Review and Approval", "review_and_approval", (self.review_meeting, self.approvals)),
            ("Follow-up", "follow_up", (self.action_item_review, self.knowledge_sharing)),
        )
        for title, key, parts in sections:
            start = len(self.blocks)
            self.section(title, *parts, key=key)
            self._rule()
            if key == "incident_details":
                # The contents list comes after the summary: the record opens with the summary.
                self.contents_before = next(
                    (b.anchor for b in self.blocks[start:] if isinstance(b, d.Heading)), None
                )
        self.document_status()

    def document_control(self) -> None:
        """The revision history, near the start of the record as legal expects it (only when the
        review keeps one; the revision itself is in the title block)."""
        history = self.review.revision_history
        if not history:
            return
        self.heading(1, "Document Control")
        self.heading(2, "Revision History")
        rows = [
            (_text(str(entry.version)), _date(entry.date), _person_cell(entry.author), _md_inline(entry.changes))
            for entry in history
        ]
        self.add(_table(REVISION_HISTORY_HEADER, rows, "revision-history", (0.12, 0.18, 0.25, 0.45)))
        self._rule()

    def executive(self) -> None:
        self.section(
            "Executive Summary",
            lambda: self.executive_summary(window=True),
            # what the writer said about the summary and about when it happened ("neither post
            # gives a start time") belongs beside the window the briefing shows
            lambda: self.notes("executive_summary", level=3),
            self.subsection_notes("incident_details.basic_information"),
            self.held_notes,
            self.warnings,
        )
        # Each figure once: the chart where a format can draw it, else its one compact table.
        self.section("Response Metrics", self.metrics_figure)
        self.section("Timeline", lambda: self.timeline_figure(with_table=True))
        self.section("Open Action Items", self.open_action_items)
        if paginate(self.blocks, self._after_title()).page > 1:  # past two pages, items or not
            self.crowded = True

    # -- executive summary

    def executive_summary(self, *, window: bool = False) -> None:
        """The template's summary; with ``window`` (the briefing) also when it started and ended,
        as written."""
        r = self.review
        user = r.impact.user
        affected: tuple[d.Inline, ...]
        if user.total_users_affected is None and user.percentage_of_user_base is None:
            affected = _NR
        else:
            parts = []
            if user.total_users_affected is not None:
                parts.append(v.format_quantity(user.total_users_affected))
            if user.percentage_of_user_base is not None:
                share = f"{v.format_quantity(user.percentage_of_user_base, suffix='%')} of users"
                parts.append(f"({share})" if parts else share)
            affected = _text(" ".join(parts))
        if r.summary.affected_users:
            affected = parse_inlines(r.summary.affected_users)
        affected = self.short(affected, "impact")
        services = r.services.names
        named = None
        if r.summary.services_impacted:
            named = self.short(parse_inlines(r.summary.services_impacted), "impact")
        elif services:
            named = self.short(_text(", ".join(services)), "impact")
        loss = self.short(parse_inlines(r.summary.data_loss), "impact") if r.summary.data_loss else None
        when: list[tuple[str, FieldValue]] = []
        also: list[tuple[str, FieldValue]] = []
        money: list[tuple[str, FieldValue]] = []
        if window:
            when = [("Started", _instant(r.started_at)), ("Ended", _instant(r.ended_at))]
            stated, summarised = r.shown_duration, r.summary.duration
            if summarised is not None and stated is not None and _shown_duration(stated) != _shown_duration(summarised):
                # the incident details state it in other words: the briefing is all a board reads
                also.append(("Duration (incident details)", _duration(stated)))
            business = r.impact.business
            # the board's exposure in its own words, when it was recorded
            if business.revenue_impact:
                money.append(("Revenue impact", self.short(_md_inline(business.revenue_impact), "impact")))
            if business.regulatory_implications:
                money.append(("Regulatory implications", _text("Yes")))
        impact = _field_bullets(
            [
                *when,
                ("Duration", _duration(r.summary.duration or r.shown_duration)),
                *also,
                ("Affected users", affected),
                ("Services impacted", named or _NR),
                ("Data loss", loss or _data_impact(r.impact.technical.data_loss)),
                *money,
            ]
        )
        self.add(
            d.Callout(  # no title: the section heading right above already says it
                kind="info",
                children=(
                    _labelled("One-line summary:", self.short(_md_inline(r.summary.one_line), "summary")),
                    _label_only("Impact:"),
                    impact,
                    _labelled("Root Cause:", self.short(_md_inline(r.summary.root_cause), "summary")),
                    _labelled("Resolution:", self.short(_md_inline(r.summary.resolution), "summary")),
                    *self._asks(),
                ),
            )
        )

    def _asks(self) -> list[d.Block]:
        """The decisions and help the review asks of leadership, if any: the board's to-do, so
        the briefing has them on its first page (`BRIEFING_ASKS` of them, the rest counted)."""
        asks = self.review.summary.asks
        if not asks:
            return []
        shown = asks[:BRIEFING_ASKS] if self.brief else asks
        blocks: list[d.Block] = [
            _label_only(ASKS_LABEL),
            _bullets((d.Paragraph(children=self.short(parse_inlines(ask), "summary")),) for ask in shown),
        ]
        if len(shown) < len(asks):
            rest = _count(len(asks) - len(shown), "more ask")
            blocks.append(d.Paragraph(children=(d.Text(text=f"and {rest} \u2014 see the full record"),)))
        return blocks

    def warnings(self) -> None:
        technical = self.review.impact.technical
        for title, impact in (("Data loss", technical.data_loss), ("Data corruption", technical.data_corruption)):
            if impact.occurred:
                body = (
                    self.short_blocks(parse_blocks(impact.details), "warning")
                    if impact.details
                    else (d.Paragraph(children=_text(f"{title} occurred.")),)
                )
                self.add(d.Callout(kind="warning", title=title, children=body))
        if self.review.impact.business.sla_breach:
            self.add(
                d.Callout(
                    kind="warning",
                    title="SLA breach",
                    children=(d.Paragraph(children=_text("This incident breached a service-level agreement.")),),
                )
            )

    # -- incident details

    def basic_information(self) -> None:
        r = self.review
        rows: list[tuple[tuple[d.Inline, ...], tuple[d.Inline, ...]]] = [
            (_text("Incident ID"), _text(r.incident_id)),
            (
                _text("Severity"),
                (d.StatusBadge(label=r.severity.value, tone=SEVERITY_TONES[r.severity]),) if r.severity else _NR,
            ),
            (_text("Start Time"), _instant(r.started_at)),
            (_text("End Time"), _instant(r.ended_at)),
            (_text("Duration"), _duration(r.shown_duration)),
            (_text("Incident Commander"), _person_cell(r.incident_commander)),
            (_text("Technical Lead"), _person_cell(r.technical_lead)),
        ]
        rows.extend((_text(p.role or "Responder"), (_person(p),)) for p in r.other_roles)
        rows.extend(_platform_rows(r))
        rows.extend(_detail_row(detail) for detail in r.details)
        self.heading(2, "Basic Information")
        self.add(_table(("Field", "Value"), rows, "basic-information", (0.35, 0.65)))

    def participants(self) -> None:
        """Who took part in which role and when (shown only when the review records it)."""
        people = self.review.participants
        if not people:
            return
        self.heading(2, "Participants")
        self.add(
            _table(
                ("Role", "Person", "From", "Until"),
                (
                    (_text(p.role), (_person(self._with_account(p.person) or p.person),),
                     _instant(p.since) if p.since else _text("Start"), _instant(p.until) if p.until else _text("End"))
                    for p in people
                ),
                "participants",
                (0.2, 0.3, 0.25, 0.25),
            )
        )

    def costs(self) -> None:
        """The cost items and their sum per currency (shown only when the review records costs)."""
        r = self.review
        if not r.costs:
            return
        self.heading(2, "Costs")
        rows = [
            (_text(c.kind) if c.kind else _NR, _number(c.amount), _text(c.currency) if c.currency else _NR,
             _md_inline(c.description))
            for c in r.costs
        ]
        rows.extend(
            (_text("Total"), _text(_amount(total.amount, total.approximate)),
             _text(total.currency) if total.currency else _NR, _text(_count(total.items, "item")))
            for total in r.cost_totals
        )
        self.add(_table(("Kind", "Amount", "Currency", "Description"), rows, "costs", (0.25, 0.2, 0.15, 0.4)))

    def related_incidents(self) -> None:
        """Related and duplicate incidents (shown only when the review records them)."""
        related = self.review.related_incidents
        if not related:
            return
        self.heading(2, "Related Incidents")
        self.add(
            _table(
                ("ID", "Title", "Relation", "Link"),
                (
                    (_text(i.id), _text(i.title) if i.title else _NR, _text("Duplicate" if i.duplicate else "Related"),
                     _url(i.link) if i.link else _NR)
                    for i in related
                ),
                "related-incidents",
                (0.2, 0.4, 0.15, 0.25),
            )
        )

    def services(self) -> None:
        s = self.review.services
        items = [
            d.ChecklistItem(checked=bool(getattr(s, field)), children=(d.Text(text=label),))
            for field, label in m.ServicesAffected.STANDARD
        ]
        items.extend(
            d.ChecklistItem(checked=True, children=(d.Text(text="Other: "), *parse_inlines(other))) for other in s.other
        )
        if not s.other:
            items.append(d.ChecklistItem(checked=False, children=(d.Text(text="Other"),)))
        self.heading(2, "Services Affected")
        self.add(d.Checklist(items=tuple(items), role="services-affected"))

    def impact(self) -> None:
        i = self.review.impact
        self.heading(2, "Impact Assessment")
        reputation = i.business.reputation_impact
        self.add(
            _label_only("User Impact:"),
            _field_bullets(
                [
                    ("Total users affected", _number(i.user.total_users_affected)),
                    ("Percentage of user base", _number(i.user.percentage_of_user_base, "%")),
                    (
                        "Geographic regions",
                        _text(", ".join(i.user.geographic_regions)) if i.user.geographic_regions else _NR,
                    ),
                    ("User-facing errors", _md_value(i.user.user_facing_errors)),
                ]
            ),
            _label_only("Business Impact:"),
            _field_bullets(
                [
                    ("Revenue impact", _md_value(i.business.revenue_impact)),
                    ("SLA breach", _yes_no(i.business.sla_breach)),
                    (
                        "Reputation impact",
                        (d.StatusBadge(label=reputation.value, tone=LEVEL_TONES[reputation]),) if reputation else _NR,
                    ),
                    ("Regulatory implications", _yes_no(i.business.regulatory_implications)),
                ]
            ),
            _label_only("Technical Impact:"),
            _field_bullets(
                [
                    ("Data loss", _data_impact(i.technical.data_loss)),
                    ("Data corruption", _data_impact(i.technical.data_corruption)),
                    ("Service degradation", _md_value(i.technical.service_degradation)),
                    ("Recovery time", _duration(i.technical.recovery_time)),
                ]
            ),
        )

    # -- timeline

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

    # -- root cause analysis

    def primary_root_cause(self) -> None:
        rc = self.review.root_cause
        self.heading(2, "Primary Root Cause")
        self.add(
            *_narrative("What happened:", rc.what_happened),
            *_narrative("Why it happened:", rc.why_it_happened),
            *_narrative("Why it wasn't caught earlier:", rc.why_not_caught_earlier),
        )

    def _titled_list(self, entries: Sequence[tuple[str, Sequence[tuple[str, FieldValue]]]]) -> None:
        """The template's numbered ``1. **Title**`` entries with ``- Label: value`` sub-bullets."""
        if not entries:
            self._none()
            return
        self.add(
            d.OrderedList(
                items=tuple(
                    (d.Paragraph(children=(d.Strong(children=parse_inlines(title)),)), _field_bullets(fields))
                    for title, fields in entries
                ),
                tight=False,
            )
        )

    def contributing_factors(self) -> None:
        self.heading(2, "Contributing Factors")
        self._titled_list(
            [
                (f.title, [("Description", _md_value(f.description)), ("Impact", _md_value(f.impact))])
                for f in self.review.root_cause.contributing_factors
            ]
        )

    def five_whys(self) -> None:
        self.heading(2, "Five Whys Analysis")
        whys = self.review.root_cause.five_whys
        if not whys:
            self._none()
            return
        self.add(
            d.OrderedList(
                items=tuple(
                    (
                        d.Paragraph(children=(d.Strong(children=parse_inlines(w.question)),)),
                        _bullets([(d.Paragraph(children=_md_inline(w.answer)),)]),
                    )
                    for w in whys
                ),
                tight=False,
            )
        )

    # -- went well / wrong

    def positive_aspects(self) -> None:
        self.heading(2, "Positive Aspects")
        self._titled_list(
            [
                (a.title, [("What", _md_value(a.what)), ("Why it helped", _md_value(a.why_it_helped))])
                for a in self.review.went_well.aspects
            ]
        )

    def _plain_bullets(self, values: Sequence[str]) -> None:
        if values:
            self.add(_bullets((d.Paragraph(children=parse_inlines(v)),) for v in values))
        else:
            self._none()

    def effective_procedures(self) -> None:
        self.heading(2, "Effective Procedures")
        self._plain_bullets(self.review.went_well.effective_procedures)

    def issues(self) -> None:
        self.heading(2, "Issues Identified")
        self._titled_list(
            [
                (
                    i.title,
                    [
                        ("What", _md_value(i.what)),
                        ("Impact", _md_value(i.impact)),
                        (
                            "Severity",
                            (d.StatusBadge(label=i.severity.value, tone=LEVEL_TONES[i.severity]),)
                            if i.severity
                            else _NR,
                        ),
                    ],
                )
                for i in self.review.went_wrong.issues
            ]
        )

    def procedure_gaps(self) -> None:
        self.heading(2, "Gaps in Procedures")
        self._plain_bullets(self.review.went_wrong.procedure_gaps)

    # -- action items

    def _with_account(self, person: m.Person | None) -> m.Person | None:
        """``person`` with the Confluence identifiers the review gives someone of the same name
        elsewhere, where ``person`` itself has none."""
        if person is None or (person.confluence_account_id and person.confluence_userkey):
            return person
        known = self._accounts.get(_name_key(person.name))
        if known is None:
            return person
        return attrs.evolve(
            person,
            confluence_account_id=person.confluence_account_id or known.confluence_account_id,
            confluence_userkey=person.confluence_userkey or known.confluence_userkey,
        )

    def _action_row(self, item: m.ActionItem, extra: Sequence[str]) -> tuple[tuple[d.Inline, ...], ...]:
        action: tuple[d.Inline, ...] = self.short(parse_inlines(item.action), "action")
        if item.link:
            action = (*action, d.LineBreak(), *_url(item.link))
        platform = () if self.brief else self._platform_line(item)
        if platform:
            action = (*action, d.LineBreak(), *platform)
        values = {detail.label: detail.value for detail in item.details}
        return (
            self.short(_text(item.id), "id"),
            action,
            self.short(_person_cell(self._with_account(item.owner)), "owner"),
            _date(item.due),
            (d.StatusBadge(label=item.status.value, tone=ACTION_STATUS_TONES[item.status]),),
            *(_md_inline(values.get(label)) for label in extra),
        )

    def _platform_line(self, item: m.ActionItem) -> tuple[d.Inline, ...]:
        """``Assignees: A; B · Priority: P1 · Tracker: PAY-1 · Links: url, url``, the labels bold,
        those with a value only. A line under the action rather than four columns of their own:
        at a fifth of the width each, names and URLs broke into unreadable pieces. Names are
        apart by semicolons, since a name is often written "Doe, Jane"."""
        people = [_person(self._with_account(person) or person) for person in item.assignees]
        values: dict[str, list[tuple[d.Inline, ...]]] = {
            "Assignees": [(person,) for person in people],
            "Priority": [_text(item.priority)] if item.priority else [],
            "Tracker": [_text(item.tracker_id)] if item.tracker_id else [],
            "Links": [_url(url) for url in item.links],
        }
        line: list[d.Inline] = []
        for label in PLATFORM_ACTION_LABELS:
            if not values[label]:
                continue
            line.extend((d.Text(text=" \u00b7 "),) if line else ())
            line.extend((d.Strong(children=(d.Text(text=f"{label}:"),)), d.Text(text=" ")))
            separator = "; " if label == "Assignees" else ", "
            for index, value in enumerate(values[label]):
                line.extend((d.Text(text=separator),) if index else ())
                line.extend(value)
        return tuple(line)

    def _action_table(self, items: Sequence[m.ActionItem]) -> None:
        # Columns the team's table had beyond the template's, in the order they first appear.
        extra = [] if self.brief else list(dict.fromkeys(detail.label for item in items for detail in item.details))
        widths: tuple[float, ...] = ACTION_WIDTHS
        if extra:
            share = 0.3 / len(extra)
            widths = (0.08, 0.32, 0.12, 0.09, 0.09, *([share] * len(extra)))
        self.add(
            _table(
                (*ACTION_ITEM_HEADER, *(sanitize(label) for label in extra)),
                (self._action_row(i, extra) for i in items),
                "action-items",
                widths,
            )
        )

    def action_items(self) -> None:
        for horizon, title in HORIZON_HEADINGS.items():
            self.heading(2, title)
            items = [i for i in self.review.action_items if self.review.horizon_of(i) is horizon]
            if items:
                self._action_table(items)
            else:
                self._none("No actions recorded.")

    def open_action_items(self) -> None:
        """The briefing's open action items: all of them if they fit its page budget, else the
        most urgent (soonest horizon, then earliest due date) that do, and a line counting the
        rest."""
        items = [i for i in self.review.action_items if i.status is not m.ActionStatus.DONE]
        if not items:
            self._none("No open action items.")
            return
        shown = self._fitting(items[:BRIEFING_ACTION_ITEMS])
        if len(shown) < len(items):
            # Not all fit: the most urgent are the ones shown, not the first written.
            urgent = sorted(items, key=lambda i: (_HORIZON_ORDER[self.review.horizon_of(i)], i.due or dt.date.max))
            shown = self._fitting(urgent[:BRIEFING_ACTION_ITEMS])
        # too few listed: layout shortens the other fields and tries again
        self.crowded = len(shown) < min(len(items), BRIEFING_MIN_ACTION_ITEMS)
        if shown:
            self._action_table(shown)
        rest = len(items) - len(shown)
        if rest and shown:
            self._none(f"and {_count(rest, 'more open action item')} \u2014 see the full record")
        elif rest:
            self._none(f"{_count(rest, 'open action item')} \u2014 see the full record")

    def _after_title(self) -> Position:
        """Where the briefing's title block (its title in 19 pt, badges and facts) ends."""
        return Position(0, -(-len(self.title_shown) // 34) * 1.7 + 6)

    def _fitting(self, items: Sequence[m.ActionItem]) -> list[m.ActionItem]:
        """The first of ``items`` whose rows fit what the briefing's two pages have left, with
        the line that counts the rest."""
        *before, heading = self.blocks  # the section's heading, kept with the table's first row
        at = paginate(before, self._after_title())
        header = table_row_lines(tuple(_text(label) for label in ACTION_ITEM_HEADER), ACTION_WIDTHS)
        lead = estimate_lines((heading,)) + header
        shown: list[m.ActionItem] = []
        for item in items:
            row = table_row_lines(self._action_row(item, ()), ACTION_WIDTHS)
            after = at.place(lead + row, whole=True)
            if after.page != at.page and shown:  # a table that runs on repeats its header row
                after = at.place(header + row, whole=True)
            if after.place(1.4, whole=True).page > 1:
                break
            at, lead = after, 0.0
            shown.append(item)
        return shown

    # -- lessons and prevention

    def lessons(self) -> None:
        lessons = self.review.lessons
        for title, group in (
            ("Technical Lessons", lessons.technical),
            ("Process Lessons", lessons.process),
            ("Communication Lessons", lessons.communication),
        ):
            self.heading(2, title)
            self._titled_list(
                [
                    (
                        lesson.title,
                        [
                            ("What we learned", _md_value(lesson.learned)),
                            ("How to apply", _md_value(lesson.how_to_apply)),
                        ],
                    )
                    for lesson in group
                ]
            )

    def prevention(self) -> None:
        p = self.review.prevention
        for title, items, role in (
            ("Monitoring Improvements", p.monitoring, "monitoring-improvements"),
            ("Process Improvements", p.process, "process-improvements"),
            ("Technical Improvements", p.technical, "technical-improvements"),
        ):
            self.heading(2, title)
            if items:
                self.add(_checklist(items, role))
            else:
                self._none()

    # -- communication

    def internal_communication(self) -> None:
        c = self.review.communication
        self.heading(2, "Internal Communication")
        self.add(_label_only("Timeline:"))
        if c.internal_timeline:
            self.add(
                _bullets(
                    (
                        d.Paragraph(
                            children=(
                                *_instant(u.at, with_date=self._multi_day),
                                d.Text(text=" - "),
                                *parse_inlines(u.message),
                            )
                        ),
                    )
                    for u in c.internal_timeline
                )
            )
        else:
            self._none()
        self.add(_label_only("Channels Used:"))
        self._plain_bullets(c.channels)
        self.add(
            _label_only("Effectiveness:"),
            _field_bullets(
                [
                    ("What worked", _md_value(c.what_worked)),
                    ("What didn't", _md_value(c.what_did_not_work)),
                    ("Improvements needed", _md_value(c.improvements_needed)),
                ]
            ),
        )

    def external_communication(self) -> None:
        c = self.review.communication
        self.heading(2, "External Communication")
        self.add(
            _label_only("Customer Notifications:"),
            _field_bullets(
                [
                    ("Status page updates", _number(c.external.status_page_updates)),
                    ("Email notifications", _yes_no(c.external.email_notifications)),
                    ("Social media", _yes_no(c.external.social_media)),
                ]
            ),
            _label_only("Stakeholder Communication:"),
            _field_bullets(
                [
                    ("Executive briefing", _instant(c.stakeholders.executive_briefing)),
                    ("Customer success team", _instant(c.stakeholders.customer_success_team)),
                    ("Sales team", _instant(c.stakeholders.sales_team)),
                ]
            ),
        )

    # -- metrics

    def metrics_figure(self) -> None:
        bars = tuple(
            d.MetricBar(
                label=metric.name,
                actual_seconds=_seconds(metric.actual),
                target_seconds=metric.target.total_seconds() if metric.target is not None else None,
                actual_text=_shown_duration(metric.actual) if metric.actual is not None else "Not measured",
                target_text=f"< {format_duration(metric.target)}" if metric.target is not None else NOT_RECORDED,
                met=metric.met,
            )
            for metric in self.review.response_metrics
        )
        met = sum(1 for bar in bars if bar.met)
        measured = sum(1 for bar in bars if bar.met is not None)
        self.add(
            d.Figure(
                data=d.MetricsFigure(metrics=bars),
                caption=f"Response metrics: {met} of {measured} measured targets met",
                table=self._response_metrics_table(),
            )
        )

    def _response_metrics_table(self) -> d.Table:
        rows = []
        for metric in self.review.response_metrics:
            if metric.met is None:
                badge = d.StatusBadge(label="Not measured", tone="neutral")
            elif metric.met:
                badge = d.StatusBadge(label="Yes", tone="good")
            else:
                badge = d.StatusBadge(label="No", tone="critical")
            rows.append(
                (
                    _text(metric.name),
                    _text(f"< {format_duration(metric.target)}") if metric.target is not None else _NR,
                    _duration(metric.actual) if metric.actual is not None else _text("Not measured"),
                    (badge,),
                )
            )
        return _table(("Metric", "Target", "Actual", "Met?"), rows, "response-metrics", (0.3, 0.25, 0.25, 0.2))

    def response_metrics(self) -> None:
        self.heading(2, "Response Metrics")
        self.metrics_figure()
        stated = self.review.metrics.stated
        stated_fields = [
            ("Time to Detect", stated.time_to_detect),
            ("Time to Acknowledge", stated.time_to_acknowledge),
            ("Time to Mitigate", stated.time_to_mitigate),
            ("Time to Resolve", stated.time_to_resolve),
        ]
        if any(value is not None for _, value in stated_fields):
            self.add(
                _label_only("Stated in the review:"),
                _field_bullets((name, _duration(value)) for name, value in stated_fields if value is not None),
            )

    def impact_metrics(self) -> None:
        r = self.review
        impact = r.metrics.impact
        self.heading(2, "Impact Metrics")
        self.add(
            _table(
                ("Metric", "Value"),
                [
                    (_text("Total Downtime"), _duration(r.total_downtime)),
                    (_text("Users Affected"), _number(r.impact.user.total_users_affected)),
                    (_text("Failed Requests"), _number(impact.failed_requests)),
                    (_text("Data Loss"), _md_inline(impact.data_loss_amount)),
                    (_text("Recovery Point"), _instant(impact.recovery_point)),
                    *(_detail_row(detail) for detail in impact.details),
                ],
                "impact-metrics",
                (0.4, 0.6),
            )
        )

    # -- attachments

    def supporting_documents(self) -> None:
        self.heading(2, "Supporting Documents")
        docs = self.review.attachments.supporting_documents
        if docs:
            self.add(_checklist(docs, "supporting-documents"))
        else:
            self._none()

    def links(self) -> None:
        links = self.review.attachments.links
        self.heading(2, "Links")

        def one(value: str | None) -> tuple[d.Inline, ...]:
            return _url(value) if value else _NR

        related: list[d.Inline] = []
        for index, url in enumerate(links.related_incidents):
            if index:
                related.append(d.Text(text=", "))
            related.extend(_url(url))
        fields: list[tuple[str, FieldValue]] = [
            ("Incident ticket", one(links.incident_ticket)),
            ("Monitoring dashboard", one(links.monitoring_dashboard)),
            ("Related incidents", tuple(related) or _NR),
            ("Action item tracker", one(links.action_item_tracker)),
        ]
        fields.extend((sanitize(link.label), _url(link.url)) for link in links.other)
        self.add(_field_bullets(fields))

    # -- review and approval

    def review_meeting(self) -> None:
        meeting = self.review.review_meeting
        self.heading(2, "Review Meeting")
        self.add(_labelled("Date:", _date(meeting.date)), _label_only("Attendees:"))
        if meeting.attendees:
            self.add(
                _bullets(
                    (d.Paragraph(children=(_person(p), *((d.Text(text=" - "), *_text(p.role)) if p.role else ()))),)
                    for p in meeting.attendees
                )
            )
        else:
            self._none()
        self.add(_label_only("Discussion Points:"))
        self._plain_bullets(meeting.discussion_points)

    def approvals(self) -> None:
        self.heading(2, "Approvals")
        rows = [
            (
                _text(a.role),
                _person_cell(a.approver),
                (d.StatusBadge(label="Yes", tone="good"),)
                if a.approved
                else (d.StatusBadge(label="No", tone="critical"),)
                if a.approved is False
                else _text("Pending"),
                _date(a.date),
            )
            for a in self.review.approvals
        ]
        if rows:
            table = _table(("Role", "Name", "Approved", "Date"), rows, "approvals", (0.3, 0.3, 0.2, 0.2))
            self.add(attrs.evolve(table, signed=True))
        else:
            self._none("No approvals required.")

    # -- follow-up

    def action_item_review(self) -> None:
        f = self.review.follow_up
        self.heading(2, "Action Item Review")
        self.add(_labelled("Next Review Date:", _date(f.next_review_date)), _label_only("Review Cadence:"))
        if f.cadence:
            self.add(_field_bullets((sanitize(step.when), parse_inlines(step.what)) for step in f.cadence))
        else:
            self._none()

    def knowledge_sharing(self) -> None:
        self.heading(2, "Knowledge Sharing")
        items = self.review.follow_up.knowledge_sharing
        if items:
            self.add(_checklist(items, "knowledge-sharing"))
        else:
            self._none()

    def document_status(self) -> None:
        r = self.review
        children: list[d.Inline] = []
        for index, (label, value) in enumerate(
            (
                ("Document Status:", _text(r.status.value)),
                ("Last Updated:", _date(r.last_updated)),
                ("Next Review:", _date(r.next_review)),
                ("Owner:", _person_cell(r.owner)),
            )
        ):
            if index:
                children.append(d.LineBreak())
            children.extend((d.Strong(children=(d.Text(text=label),)), d.Text(text=" "), *value))
        self.add(d.Paragraph(children=tuple(children)))
