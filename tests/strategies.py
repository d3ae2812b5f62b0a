"""Hypothesis strategies for reviews, shared by the serde, checks, renderer and importer tests.

`reviews()` draws valid `Review` objects: every section can be filled, sizes vary, text is
unicode including characters that are hostile to some output format (``<``, ``&``, ``]]>``,
``**``, backticks, pipes, right-to-left text, emoji) but never C0 control characters other than
tab and newline, nor lone surrogates. Date-times are UTC-aware with whole seconds, durations are
whole seconds. The timeline is in order and the end after the start, so most reviews pass most
checks, but no draw is promised to be free of problems.

`text_values(review)` lists every non-empty text value with its field path, so a test can
look for each of them in a rendered output. `text_fields(review)` is the walk under it (and under
`tests.hostile.expected_strings` and `tests.readers.expectations`): every string with its path,
the attrs field that holds it and the instance that owns that field.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterator
from typing import Any, NamedTuple

import attrs
from hypothesis import strategies as st

from pirdoc.importers._outline import heading_key
from pirdoc.model import (
    NOTE_SECTIONS,
    ActionItem,
    ActionStatus,
    Approval,
    Aspect,
    Attachments,
    BusinessImpact,
    CadenceStep,
    CheckItem,
    Communication,
    ContributingFactor,
    CostItem,
    DataImpact,
    Detail,
    ExecutiveSummary,
    ExternalCommunication,
    FollowUp,
    Horizon,
    ImpactAssessment,
    ImpactMetrics,
    Issue,
    Lesson,
    LessonsLearned,
    Level,
    Links,
    Metrics,
    Milestone,
    NamedLink,
    Note,
    Participant,
    Person,
    Phase,
    PreventionMeasures,
    RelatedIncident,
    ResponseTargets,
    Review,
    ReviewMeeting,
    RevisionEntry,
    RootCauseAnalysis,
    ServicesAffected,
    Severity,
    StakeholderCommunication,
    StatedMetrics,
    Status,
    StatusUpdate,
    Tag,
    TagKind,
    TechnicalImpact,
    TimelineEvent,
    UserImpact,
    Visibility,
    WhatWentWell,
    WhatWentWrong,
    Why,
)
from pirdoc.values import Duration, Instant, Quantity, parse_duration_text, parse_instant, parse_quantity

__all__ = [
    "audience_reviews",
    "HOSTILE_SNIPPETS",
    "TextField",
    "aware_datetimes",
    "durations",
    "line_texts",
    "people",
    "reviews",
    "text_fields",
    "text_values",
    "texts",
]

HOSTILE_SNIPPETS = (
    "<b>bold</b>",
    "a < b && c > d",
    "AT&T",
    "&amp; &#x41; &nbsp;",
    "]]>",
    "<![CDATA[x]]>",
    "**not bold**",
    "_under_",
    "`code` ``two``",
    "```\nfence\n```",
    "| pipe | table |",
    "# heading",
    "- item",
    "1. item",
    "> quote",
    "[link](http://example.com)",
    "\\backslash\\",
    "{{template}} ${x} %s {0}",
    "<ac:structured-macro/>",
    "'single' \"double\"",
    "Ünïcödé café naïve",
    "日本語のテキスト",
    "Ελληνικά Кириллица",
    "עברית العربية",
    "emoji 🔥🚒✅",
    "zero\u200bwidth",
    "no\u00a0break",
    "line\u2028sep",
    "tab\tin",
    "two\nlines",
    "yes",
    "null",
    "~",
    "2026-03-14",
    "12:30",
    "1e3",
    "0x1F",
    "- [ ] unchecked",
    "@mention",
    "#incidents",
)

_CONTROL = "".join(chr(c) for c in range(0x20) if chr(c) not in "\t\n")

# The utf-8 codec leaves out lone surrogates.
_characters = st.characters(codec="utf-8", exclude_characters=_CONTROL)


def texts(*, min_size: int = 0, max_size: int = 40, multiline: bool = True) -> st.SearchStrategy[str]:
    """Unicode text with a fair share of hostile snippets; tab and (if ``multiline``) newline."""
    characters = _characters if multiline else st.characters(codec="utf-8", exclude_characters=_CONTROL + "\n")
    plain = st.text(characters, min_size=min_size, max_size=max_size)
    snippets = st.sampled_from(HOSTILE_SNIPPETS if multiline else tuple(s for s in HOSTILE_SNIPPETS if "\n" not in s))
    mixed = st.lists(st.one_of(snippets, plain), min_size=1, max_size=3).map(" ".join)
    words = st.sampled_from(("Checkout", "failures", "after", "pool", "change", "rollback", "Redis", "latency"))
    prose = st.lists(words, min_size=1, max_size=8).map(" ".join)
    return st.one_of(prose, plain, mixed).filter(lambda t: min_size <= len(t.strip()))


def line_texts(**kwargs: Any) -> st.SearchStrategy[str]:
    """Single-line text (titles, names, table cells)."""
    return texts(multiline=False, **kwargs)


def _optional(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), strategy)


def _tuples(strategy: st.SearchStrategy[Any], max_size: int = 4) -> st.SearchStrategy[Any]:
    return st.lists(strategy, max_size=max_size).map(tuple)


def aware_datetimes(
    min_value: dt.datetime = dt.datetime(2015, 1, 1),
    max_value: dt.datetime = dt.datetime(2035, 12, 31),
) -> st.SearchStrategy[dt.datetime]:
    """UTC-aware date-times with whole seconds (often whole minutes)."""
    return (
        st.datetimes(min_value=min_value, max_value=max_value)
        .map(lambda d: d.replace(microsecond=0, tzinfo=dt.UTC))
        .flatmap(lambda d: st.sampled_from((d, d.replace(second=0))))
    )


@st.composite
def written_instants(draw: st.DrawFn, moment: dt.datetime) -> Instant | dt.datetime:
    """``moment`` as people write it: exact, approximate, date-only, a month, a range, with a
    note, or no time at all; the typed part always parsed from the text, as a reader would."""
    utc = moment.astimezone(dt.UTC)
    day, clock = f"{utc:%Y-%m-%d}", f"{utc:%H:%M}"
    later = (utc + dt.timedelta(minutes=draw(st.integers(1, 90)))).strftime("%H:%M")
    form = draw(st.sampled_from(("exact", "exact", "exact", "approx", "date", "month", "range", "note", "unknown")))
    text = {
        "approx": f"{day} ~{clock} UTC",
        "date": day,
        "month": f"{utc:%B %Y}",
        "range": f"{day} {clock} – {later} UTC" if later > clock else f"{day} {clock} UTC (approx.)",
        "note": f"{day} {clock} UTC ({draw(st.sampled_from(['from LB logs', '12:00 local', 'per pager']))})",
        "unknown": "time not recorded",
    }.get(form)
    return moment if text is None else parse_instant(text)


def written_quantities(numbers: st.SearchStrategy[int]) -> st.SearchStrategy[Quantity | int]:
    """Counts as people write them: a number, or words with or without one."""
    words = st.sampled_from(
        ("~8.5 million", "roughly 5,000 projects", "12,345 (3.5%)", "not counted; estimated in the thousands",
         "all EU customers", "1.21B queries", "5,000+")
    )  # fmt: skip
    return st.one_of(numbers, words.map(lambda text: parse_quantity(text)))


def written_durations(spans: st.SearchStrategy[dt.timedelta]) -> st.SearchStrategy[Duration | dt.timedelta]:
    """Durations as people write them: a span, or words with one and a note, or without one."""
    words = st.sampled_from(
        ("about 18 hours", "24 h 11 min (degraded service)", "0 hours 20 min (approximately)",
         "1,052 min (topology restored at 16:24 UTC)", "most of the day")
    )  # fmt: skip
    return st.one_of(spans, words.map(parse_duration_text))


def durations(max_hours: int = 200) -> st.SearchStrategy[dt.timedelta]:
    """Non-negative timedeltas of whole seconds."""
    return st.integers(min_value=0, max_value=max_hours * 3600).map(lambda s: dt.timedelta(seconds=s))


def _enum(cls: type[enum.Enum]) -> st.SearchStrategy[Any]:
    return st.sampled_from(list(cls))


_dates = st.dates(min_value=dt.date(2015, 1, 1), max_value=dt.date(2036, 12, 31))
_urls = st.sampled_from(
    (
        "https://tracker.example.com/browse/OPS-4812",
        "https://grafana.example.com/d/checkout?from=now-6h&to=now",
        "https://wiki.example.com/x/ÜBER%20uns",
        "http://example.com/a_(b)",
    )
)
_emails = st.sampled_from(("dana.ruiz@example.com", "li.wei+oncall@example.org"))


def people() -> st.SearchStrategy[Person]:
    """A person: sometimes just a name, sometimes with role, e-mail and Confluence ids."""
    return st.builds(
        Person,
        name=line_texts(min_size=1),
        role=_optional(line_texts()),
        email=_optional(_emails),
        confluence_account_id=_optional(st.sampled_from(("557058:f58131cb-b67d", "5b10ac8d82e05b22cc7d4ef5"))),
        confluence_userkey=_optional(st.sampled_from(("ff8080815a4f6d2d015a4f6e1d1a0000",))),
    )


def _check_items() -> st.SearchStrategy[CheckItem]:
    return st.builds(CheckItem, text=line_texts(min_size=1), done=st.booleans())


def _data_impacts() -> st.SearchStrategy[DataImpact]:
    return st.builds(DataImpact, occurred=_optional(st.booleans()), details=_optional(texts()))


def _impact() -> st.SearchStrategy[ImpactAssessment]:
    user = st.builds(
        UserImpact,
        total_users_affected=_optional(written_quantities(st.integers(0, 10**9))),
        percentage_of_user_base=_optional(st.floats(0, 100, allow_nan=False, allow_infinity=False)),
        geographic_regions=_tuples(line_texts(min_size=1)),
        user_facing_errors=_optional(texts()),
    )
    business = st.builds(
        BusinessImpact,
        revenue_impact=_optional(st.one_of(st.sampled_from(("$12,400", "€3.000", "N/A")), line_texts())),
        sla_breach=_optional(st.booleans()),
        reputation_impact=_optional(_enum(Level)),
        regulatory_implications=_optional(st.booleans()),
    )
    technical = st.builds(
        TechnicalImpact,
        data_loss=_data_impacts(),
        data_corruption=_data_impacts(),
        service_degradation=_optional(texts()),
        recovery_time=_optional(written_durations(durations())),
    )
    return st.builds(ImpactAssessment, user=user, business=business, technical=technical)


# A plain event never has a milestone's own title: the template reads "Service Restored" (or
# "service restored (roughly)") as that milestone (docs/importing.md), so such an event is one.
_MILESTONE_KEYS = frozenset(heading_key(kind.title) for kind in Milestone)
_plain_event_titles = line_texts(min_size=1).filter(lambda title: heading_key(title) not in _MILESTONE_KEYS)


@st.composite
def _timeline(draw: st.DrawFn, start: dt.datetime, end: dt.datetime | None) -> tuple[TimelineEvent, ...]:
    """Events in chronological order, milestones among them in their natural order."""
    span = int(((end or start + dt.timedelta(hours=6)) - start).total_seconds())
    offsets = sorted(draw(st.lists(st.integers(0, max(span, 0)), max_size=12)))
    kinds = sorted(
        draw(st.lists(_enum(Milestone), max_size=len(offsets), unique=True)),
        key=list(Milestone).index,
    )
    # Spread the milestones over the events, keeping their natural order.
    positions = sorted(draw(st.permutations(range(len(offsets))))[: len(kinds)])
    kind_at = dict(zip(positions, kinds, strict=True))
    events = []
    for index, offset in enumerate(offsets):
        kind = kind_at.get(index)
        events.append(
            TimelineEvent(
                at=draw(written_instants(start + dt.timedelta(seconds=offset))),
                title=draw(_plain_event_titles) if kind is None else kind.title,
                phase=kind.phase if kind is not None else draw(_enum(Phase)),
                kind=kind,
                details=draw(_optional(texts(max_size=80))),
            )
        )
    return tuple(events)


def _root_cause() -> st.SearchStrategy[RootCauseAnalysis]:
    return st.builds(
        RootCauseAnalysis,
        what_happened=_optional(texts(max_size=120)),
        why_it_happened=_optional(texts()),
        why_not_caught_earlier=_optional(texts()),
        contributing_factors=_tuples(
            st.builds(
                ContributingFactor,
                title=line_texts(min_size=1),
                description=_optional(texts()),
                impact=_optional(texts()),
            )
        ),
        five_whys=_tuples(st.builds(Why, question=line_texts(min_size=1), answer=_optional(texts())), max_size=5),
    )


def _lessons() -> st.SearchStrategy[tuple[Lesson, ...]]:
    return _tuples(
        st.builds(
            Lesson,
            title=line_texts(min_size=1),
            learned=_optional(texts()),
            how_to_apply=_optional(texts()),
        ),
        max_size=3,
    )


@st.composite
def _action_items(draw: st.DrawFn, review_date: dt.date) -> tuple[ActionItem, ...]:
    count = draw(st.integers(0, 8))
    numbers = draw(st.lists(st.integers(1, 999), min_size=count, max_size=count, unique=True))
    items = []
    for number in numbers:
        horizon = draw(_enum(Horizon))
        due = draw(_optional(st.integers(0, horizon.limit.days).map(lambda d: review_date + dt.timedelta(days=d))))
        items.append(
            ActionItem(
                id=f"AI-{number}",
                action=draw(line_texts(min_size=1)),
                horizon=horizon,
                owner=draw(_optional(people())),
                due=due,
                status=draw(_enum(ActionStatus)),
                link=draw(_optional(_urls)),
            )
        )
    return tuple(items)


@st.composite
def _communication(draw: st.DrawFn, start: dt.datetime) -> Communication:
    later = aware_datetimes(
        min_value=start.replace(tzinfo=None),
        max_value=start.replace(tzinfo=None) + dt.timedelta(days=3),
    )
    updates = sorted(draw(st.lists(later, max_size=5)))
    return Communication(
        internal_timeline=tuple(StatusUpdate(at=at, message=draw(line_texts(min_size=1))) for at in updates),
        channels=draw(_tuples(line_texts(min_size=1))),
        what_worked=draw(_optional(texts())),
        what_did_not_work=draw(_optional(texts())),
        improvements_needed=draw(_optional(texts())),
        external=draw(
            st.builds(
                ExternalCommunication,
                status_page_updates=_optional(st.integers(0, 50)),
                email_notifications=_optional(st.booleans()),
                social_media=_optional(st.booleans()),
            )
        ),
        stakeholders=draw(
            st.builds(
                StakeholderCommunication,
                executive_briefing=_optional(later),
                customer_success_team=_optional(later),
                sales_team=_optional(later),
            )
        ),
    )


def _metrics() -> st.SearchStrategy[Metrics]:
    return st.builds(
        Metrics,
        targets=st.one_of(
            st.just(ResponseTargets()),
            st.builds(
                ResponseTargets,
                detect=durations(2),
                acknowledge=durations(2),
                mitigate=durations(8),
                resolve=_optional(durations(96)),
            ),
        ),
        stated=st.builds(
            StatedMetrics,
            time_to_detect=_optional(durations(2)),
            time_to_acknowledge=_optional(durations(2)),
            time_to_mitigate=_optional(durations(8)),
            time_to_resolve=_optional(durations(48)),
        ),
        impact=st.builds(
            ImpactMetrics,
            total_downtime=_optional(durations(48)),
            failed_requests=_optional(st.integers(0, 10**12)),
            data_loss_amount=_optional(line_texts()),
            recovery_point=_optional(aware_datetimes()),
        ),
    )


def _attachments() -> st.SearchStrategy[Attachments]:
    links = st.builds(
        Links,
        incident_ticket=_optional(_urls),
        monitoring_dashboard=_optional(_urls),
        related_incidents=_tuples(st.sampled_from(("INC-2025-0107", "INC-2026-0003"))),
        action_item_tracker=_optional(_urls),
        other=_tuples(st.builds(NamedLink, label=line_texts(min_size=1), url=_urls)),
    )
    return st.one_of(
        st.builds(Attachments, links=links),
        st.builds(Attachments, supporting_documents=_tuples(_check_items(), 7), links=links),
    )


def revision_histories(max_size: int = 4) -> st.SearchStrategy[tuple[RevisionEntry, ...]]:
    """A revision history as teams keep one: versions counting up, days going forward (sometimes
    without a day, an author or a word on what changed)."""

    @st.composite
    def history(draw: st.DrawFn) -> tuple[RevisionEntry, ...]:
        count = draw(st.integers(0, max_size))
        version, day = draw(st.integers(1, 3)), draw(_dates)
        entries = []
        for _ in range(count):
            entries.append(
                RevisionEntry(
                    version=version,
                    date=draw(_optional(st.just(day))),
                    author=draw(_optional(people())),
                    changes=draw(_optional(line_texts(min_size=1))),
                )
            )
            version += draw(st.integers(1, 2))
            day += dt.timedelta(days=draw(st.integers(0, 20)))
        return tuple(entries)

    return history()


def _approvals() -> st.SearchStrategy[tuple[Approval, ...]]:
    approval = st.builds(
        Approval,
        role=line_texts(min_size=1),
        approver=_optional(people()),
        approved=_optional(st.booleans()),
        date=_optional(_dates),
    )
    return st.one_of(
        st.just(
            Review(
                incident_id="INC-2026-0001",
                title="t",
                severity=Severity.SEV4,
                started_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
            ).approvals
        ),
        _tuples(approval),
    )


def _follow_up() -> st.SearchStrategy[FollowUp]:
    return st.one_of(
        st.builds(FollowUp, next_review_date=_optional(_dates)),
        st.builds(
            FollowUp,
            next_review_date=_optional(_dates),
            cadence=_tuples(st.builds(CadenceStep, when=line_texts(min_size=1), what=line_texts(min_size=1))),
            knowledge_sharing=_tuples(_check_items(), 6),
        ),
    )


@st.composite
def reviews(draw: st.DrawFn, *, minimal: bool = False) -> Review:
    """A valid Review. ``minimal=True`` draws only the required fields."""
    severity = draw(_enum(Severity))
    start = draw(aware_datetimes())
    incident_id = f"INC-{start.year}-{draw(st.integers(1, 9999)):04d}"
    title = draw(line_texts(min_size=1))
    if minimal:
        return Review(incident_id=incident_id, title=title, severity=severity, started_at=start)
    end = draw(_optional(durations(72).map(lambda d: start + d + dt.timedelta(seconds=1))))
    review_date = draw(_optional(st.integers(0, 30).map(lambda d: start.date() + dt.timedelta(days=d))))
    the_date = review_date if review_date is not None else start.date()
    return Review(
        incident_id=incident_id,
        title=title,
        severity=severity,
        started_at=start,
        ended_at=end,
        date=review_date,
        status=draw(_enum(Status)),
        classification=draw(st.sampled_from(("Confidential", "Internal", "Public", "Ünternal"))),
        summary=draw(
            st.builds(
                ExecutiveSummary,
                one_line=_optional(line_texts()),
                root_cause=_optional(texts()),
                resolution=_optional(texts()),
                asks=_tuples(line_texts(), 3),
            )
        ),
        incident_commander=draw(_optional(people())),
        technical_lead=draw(_optional(people())),
        other_roles=draw(_tuples(people(), 3)),
        services=draw(
            st.builds(
                ServicesAffected,
                backend_api=st.booleans(),
                frontend=st.booleans(),
                database=st.booleans(),
                redis_cache=st.booleans(),
                monitoring=st.booleans(),
                other=_tuples(line_texts(min_size=1), 3),
            )
        ),
        impact=draw(_impact()),
        timeline=draw(_timeline(start, end)),
        root_cause=draw(_root_cause()),
        went_well=draw(
            st.builds(
                WhatWentWell,
                aspects=_tuples(
                    st.builds(
                        Aspect,
                        title=line_texts(min_size=1),
                        what=_optional(texts()),
                        why_it_helped=_optional(texts()),
                    ),
                    3,
                ),
                effective_procedures=_tuples(line_texts(min_size=1), 3),
            )
        ),
        went_wrong=draw(
            st.builds(
                WhatWentWrong,
                issues=_tuples(
                    st.builds(
                        Issue,
                        title=line_texts(min_size=1),
                        what=_optional(texts()),
                        impact=_optional(texts()),
                        severity=_optional(_enum(Level)),
                    ),
                    3,
                ),
                procedure_gaps=_tuples(line_texts(min_size=1), 3),
            )
        ),
        action_items=draw(_action_items(the_date)),
        lessons=draw(st.builds(LessonsLearned, technical=_lessons(), process=_lessons(), communication=_lessons())),
        prevention=draw(
            st.builds(
                PreventionMeasures,
                monitoring=_tuples(_check_items(), 3),
                process=_tuples(_check_items(), 3),
                technical=_tuples(_check_items(), 3),
            )
        ),
        communication=draw(_communication(start)),
        metrics=draw(_metrics()),
        attachments=draw(_attachments()),
        review_meeting=draw(
            st.builds(
                ReviewMeeting,
                date=_optional(_dates),
                attendees=_tuples(people(), 5),
                discussion_points=_tuples(line_texts(min_size=1), 3),
            )
        ),
        approvals=draw(_approvals()),
        follow_up=draw(_follow_up()),
        last_updated=draw(_optional(_dates)),
        next_review=draw(_optional(_dates)),
        owner=draw(_optional(people())),
        revision=draw(_optional(st.integers(1, 60))),
        revision_history=draw(revision_histories()),
    )


def text_values(review: Any) -> list[tuple[str, str]]:
    """Every non-empty text value in ``review`` with its field path (``timeline[3].title``),
    walking attrs fields, tuples and people. Enum values are not text and are left out."""
    return [(found.path, found.text) for found in text_fields(review) if found.text]


class TextField(NamedTuple):
    """A string in a review: its path (``timeline[3].title``, ``services.other[0]``), the string,
    the attrs field holding it (for a tuple of strings, the tuple's field) and the instance that
    owns that field."""

    path: str
    text: str
    field: attrs.Attribute[Any]
    owner: Any


def text_fields(value: Any, path: str = "") -> Iterator[TextField]:
    """Every string in ``value`` reached through attrs fields and tuples, in field order, empty
    strings included. Enum values, dates and ``None`` are not text and are left out."""
    if isinstance(value, tuple):
        for index, item in enumerate(value):
            yield from text_fields(item, f"{path}[{index}]")
    elif attrs.has(type(value)):
        for field in attrs.fields(type(value)):
            where = f"{path}.{field.name}" if path else field.name
            yield from _held(getattr(value, field.name), where, field, value)


def _held(value: Any, path: str, field: attrs.Attribute[Any], owner: Any) -> Iterator[TextField]:
    if isinstance(value, str):
        yield TextField(path, value, field, owner)
    elif isinstance(value, tuple):
        for index, item in enumerate(value):
            yield from _held(item, f"{path}[{index}]", field, owner)
    else:
        yield from text_fields(value, path)


# ---------------------------------------------------------------------------- platform fields (issue 18)

_sources = st.sampled_from(("chat", "pager", "deploy", "monitor", "Dispatch", "manual"))


@st.composite
def with_platform_fields(draw: st.DrawFn, review: Review) -> Review:
    """``review`` with what incident platforms record: participants with hand-offs, priority and
    type, typed tags, lifecycle times, costs, related incidents, event ends, sources, evidence and
    key marks, action items with assignees, links, priority and tracker ids (some without a
    horizon, derived from the due date)."""
    start = review.started_at.start if review.started_at is not None and review.started_at.start else None
    moments = aware_datetimes() if start is None else durations(72).map(lambda d: start + d)
    participants = []
    for _ in range(draw(st.integers(0, 4))):
        participants.append(
            Participant(
                person=draw(people()),
                role=draw(st.one_of(st.sampled_from(("Incident Commander", "Scribe")), line_texts(min_size=1))),
                since=draw(_optional(moments)),
                until=draw(_optional(moments)),
            )
        )
    timeline = tuple(
        attrs.evolve(
            event,
            ended_at=draw(_optional(moments)),
            source=draw(_optional(_sources)),
            evidence=draw(_optional(_urls)),
            key=draw(st.booleans()),
        )
        for event in review.timeline
    )
    actions = tuple(
        attrs.evolve(
            item,
            horizon=item.horizon if draw(st.booleans()) else None,
            assignees=draw(_tuples(people(), 2)),
            links=draw(_tuples(_urls, 2)),
            priority=draw(_optional(st.sampled_from(("P1", "P2", "High", "Low")))),
            tracker_id=draw(_optional(st.sampled_from(("PLAT-1202", "OPS-77", "#42")))),
        )
        for item in review.action_items
    )
    return attrs.evolve(
        review,
        priority=draw(_optional(st.one_of(st.sampled_from(("P1", "P2", "High")), line_texts(min_size=1)))),
        incident_type=draw(_optional(line_texts(min_size=1))),
        reported_at=draw(_optional(moments)),
        stable_at=draw(_optional(moments)),
        closed_at=draw(_optional(st.one_of(moments, moments.map(lambda moment: moment.date())))),
        participants=tuple(participants),
        tags=draw(
            _tuples(st.builds(Tag, kind=_enum(TagKind), value=line_texts(min_size=1), source=_optional(_sources)))
        ),
        costs=draw(
            _tuples(
                st.builds(
                    CostItem,
                    amount=written_quantities(st.integers(0, 10**7)),
                    currency=_optional(st.sampled_from(("USD", "EUR", "usd", "INR"))),
                    kind=_optional(line_texts(min_size=1)),
                    description=_optional(line_texts()),
                )
            )
        ),
        related_incidents=draw(
            _tuples(
                st.builds(
                    RelatedIncident,
                    id=st.sampled_from(("INC-7", "PD-12345", "dispatch-payments-4712")),
                    title=_optional(line_texts()),
                    link=_optional(_urls),
                    duplicate=st.booleans(),
                ),
                3,
            )
        ),
        timeline=timeline,
        action_items=actions,
    )


def platform_reviews() -> st.SearchStrategy[Review]:
    """Valid reviews with the platform fields filled in (`with_platform_fields`)."""
    return reviews().flatmap(with_platform_fields)
# ---------------------------------------------------------------------------- audiences

_levels = _optional(_enum(Visibility))
_MAPPED_PATHS = (
    "summary",
    "summary.root_cause",
    "impact.business.revenue_impact",
    "impact.user",
    "timeline.details",
    "timeline.title",
    "action_items.owner",
    "action_items.link",
    "went_well",
    "lessons.technical",
    "root_cause.five_whys",
    "communication.internal_timeline",
    "incident_commander",
    "other_roles",
    "notes",
    "details",
    "attachments.links",
)


def _with_level(draw: st.DrawFn, item: Any) -> Any:
    return attrs.evolve(item, visibility=draw(_levels))


@st.composite
def audience_reviews(draw: st.DrawFn) -> Review:
    """A `reviews()` draw with what the audiences need on top: notes and extra rows (which
    `reviews()` leaves out), a visibility on some events, action items, notes, rows, factors and
    status updates, and a review-level visibility mapping of a few field paths (some of them with
    an index) to levels."""
    review = draw(reviews())
    if draw(st.booleans()):  # what incident platforms record too (issue 18)
        review = draw(with_platform_fields(review))
    notes = draw(
        _tuples(
            st.sampled_from(NOTE_SECTIONS).flatmap(
                lambda section: st.builds(
                    Note,
                    section=st.just(section),
                    title=_optional(line_texts(min_size=1)),
                    body=texts(min_size=1),
                    # layout shows a section of its own only after a top-level section
                    top_level=st.booleans() if "." not in section else st.just(False),
                    visibility=_levels,
                )
            ),
            3,
        )
    )
    row = st.builds(Detail, label=line_texts(min_size=1), value=_optional(line_texts()), visibility=_levels)
    rows = draw(_tuples(row, 2))
    timeline = tuple(_with_level(draw, event) for event in review.timeline)
    actions = tuple(_with_level(draw, item) for item in review.action_items)
    factors = tuple(_with_level(draw, factor) for factor in review.root_cause.contributing_factors)
    updates = tuple(_with_level(draw, update) for update in review.communication.internal_timeline)
    paths = list(_MAPPED_PATHS)
    paths += [f"timeline[{index}]" for index in range(len(timeline))]
    paths += [f"action_items[{index}].owner" for index in range(len(actions))]
    mapping = draw(st.dictionaries(st.sampled_from(paths), _enum(Visibility), max_size=4))
    return attrs.evolve(
        review,
        notes=notes,
        details=rows,
        timeline=timeline,
        action_items=actions,
        root_cause=attrs.evolve(review.root_cause, contributing_factors=factors),
        communication=attrs.evolve(review.communication, internal_timeline=updates),
        visibility=mapping,
    )
