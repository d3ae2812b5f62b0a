"""Layout decides what a reader sees: asserted on Document objects, with no renderer involved."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pirdoc import document as d
from pirdoc import model as m
from pirdoc.errors import PirdocWarning
from pirdoc.layout import BRIEFING_ACTION_ITEMS, NOT_RECORDED, content_hash, format_datetime, format_duration, layout
from pirdoc.narrative import link_text
from pirdoc.serde import dumps, load
from pirdoc.values import Instant
from tests.strategies import reviews

EXAMPLE = Path(__file__).parent.parent / "fixtures" / "example-review.yaml"
UTC = dt.UTC

CONTROL_SECTIONS = ["Document Control"]
"""What the record shows before the template's sections when the review keeps a revision history."""
CONTROL_SUBSECTIONS = ["Revision History"]
TEMPLATE_SECTIONS = [
    "Executive Summary",
    "Incident Details",
    "Timeline",
    "Root Cause Analysis",
    "What Went Well",
    "What Went Wrong",
    "Action Items",
    "Lessons Learned",
    "Prevention Measures",
    "Communication",
    "Metrics",
    "Attachments",
    "Review and Approval",
    "Follow-up",
]
TEMPLATE_SUBSECTIONS = [
    "Basic Information",
    "Services Affected",
    "Impact Assessment",
    "Detection Phase",
    "Response Phase",
    "Resolution Phase",
    "Primary Root Cause",
    "Contributing Factors",
    "Five Whys Analysis",
    "Positive Aspects",
    "Effective Procedures",
    "Issues Identified",
    "Gaps in Procedures",
    "Immediate Actions (Complete within 1 week)",
    "Short-term Actions (Complete within 1 month)",
    "Long-term Actions (Complete within 3 months)",
    "Technical Lessons",
    "Process Lessons",
    "Communication Lessons",
    "Monitoring Improvements",
    "Process Improvements",
    "Technical Improvements",
    "Internal Communication",
    "External Communication",
    "Response Metrics",
    "Impact Metrics",
    "Supporting Documents",
    "Links",
    "Review Meeting",
    "Approvals",
    "Action Item Review",
    "Knowledge Sharing",
]


@pytest.fixture(scope="module")
def example() -> m.Review:
    return load(EXAMPLE)


@pytest.fixture(scope="module")
def full(example: m.Review) -> d.Document:
    return layout(example, "full")


@pytest.fixture(scope="module")
def executive(example: m.Review) -> d.Document:
    return layout(example, "executive")


def minimal_review(**changes: Any) -> m.Review:
    review = m.Review(
        incident_id="INC-2026-0007",
        title="Search index lag",
        severity=m.Severity.SEV3,
        started_at=dt.datetime(2026, 5, 2, 22, 50, tzinfo=UTC),
    )
    return attrs.evolve(review, **changes)


def headings(document: d.Document, level: int) -> list[str]:
    return [d.plain_text(b.children) for b in document.blocks if isinstance(b, d.Heading) and b.level == level]


def blocks_of(document: d.Document, kind: type[d.Block]) -> list[d.Block]:
    return [b for b in d.iter_blocks(document.blocks) if isinstance(b, kind)]


def all_text(document: d.Document) -> str:
    parts: list[str] = []
    for block in d.iter_blocks(document.blocks):
        match block:
            case d.Heading(children=children) | d.Paragraph(children=children):
                parts.append(d.plain_text(children))
            case d.Checklist(items=items):
                parts.extend(d.plain_text(i.children) for i in items)
            case d.Table(header=header, rows=rows):
                parts.extend(d.plain_text(cell) for row in (header, *rows) for cell in row)
            case d.CodeBlock(text=text):
                parts.append(text)
            case d.Callout(title=title) if title:
                parts.append(title)
            case d.Figure(caption=caption):
                parts.append(caption)
            case _:
                pass
    return "\n".join(parts)


# ---------------------------------------------------------------------------- the full profile


def test_full_profile_has_every_template_section_in_order(full: d.Document) -> None:
    assert headings(full, 1) == CONTROL_SECTIONS + TEMPLATE_SECTIONS


def test_full_profile_has_every_template_subsection_in_order(full: d.Document) -> None:
    assert headings(full, 2) == CONTROL_SUBSECTIONS + TEMPLATE_SUBSECTIONS


def test_heading_anchors_are_unique_and_safe(full: d.Document) -> None:
    anchors = [b.anchor for b in full.blocks if isinstance(b, d.Heading)]
    assert len(anchors) == len(set(anchors))
    assert all(a and a[0].isalpha() and a.replace("-", "").isalnum() and len(a) <= 40 for a in anchors)


def test_every_template_table_is_present_with_its_header(full: d.Document) -> None:
    tables = {t.role: t for t in blocks_of(full, d.Table) if isinstance(t, d.Table)}
    header = {role: [d.plain_text(c) for c in t.header] for role, t in tables.items()}
    assert header["basic-information"] == ["Field", "Value"]
    assert header["action-items"] == ["ID", "Action", "Owner", "Due Date", "Status"]
    assert header["response-metrics"] == ["Metric", "Target", "Actual", "Met?"]
    assert header["impact-metrics"] == ["Metric", "Value"]
    assert header["approvals"] == ["Role", "Name", "Approved", "Date"]


def test_every_table_row_has_as_many_cells_as_its_header(full: d.Document) -> None:
    for table in blocks_of(full, d.Table):
        assert isinstance(table, d.Table)
        assert all(len(row) == len(table.header) for row in table.rows), table.role


def test_every_template_checklist_is_present(full: d.Document, example: m.Review) -> None:
    roles = [c.role for c in blocks_of(full, d.Checklist) if isinstance(c, d.Checklist)]
    for role in (
        "services-affected",
        "monitoring-improvements",
        "process-improvements",
        "technical-improvements",
        "supporting-documents",
        "knowledge-sharing",
    ):
        assert role in roles


def test_checklists_carry_the_reviews_ticks(full: d.Document) -> None:
    services = next(
        c for c in blocks_of(full, d.Checklist) if isinstance(c, d.Checklist) and c.role == "services-affected"
    )
    ticks = {d.plain_text(i.children): i.checked for i in services.items}
    assert ticks == {
        "Backend API": True,
        "Frontend": True,
        "Database": True,
        "Redis Cache": False,
        "Monitoring": False,
        "Other: Payments gateway": True,
        "Other: Order confirmation e-mails": True,
    }


def test_all_action_items_appear_in_their_horizon_tables(full: d.Document, example: m.Review) -> None:
    tables = [t for t in blocks_of(full, d.Table) if isinstance(t, d.Table) and t.role == "action-items"]
    ids = [d.plain_text(row[0]) for t in tables for row in t.rows]
    order = list(m.Horizon)
    assert ids == [i.id for i in sorted(example.action_items, key=lambda i: order.index(example.horizon_of(i)))]


def test_action_item_status_is_a_badge_with_a_tone(full: d.Document) -> None:
    table = next(t for t in blocks_of(full, d.Table) if isinstance(t, d.Table) and t.role == "action-items")
    assert table.rows[0][4] == (d.StatusBadge(label="Done", tone="good"),)


def test_people_carry_their_confluence_ids(full: d.Document) -> None:
    table = next(t for t in blocks_of(full, d.Table) if isinstance(t, d.Table) and t.role == "basic-information")
    commander = {d.plain_text(row[0]): row[1] for row in table.rows}["Incident Commander"]
    (person,) = commander
    assert isinstance(person, d.Person)
    assert person.name == "Amara Okafor"
    assert person.account_id == "712020:4b1c9e2a-7d3f-4c55-9a1e-2f6b8d0c3e71"


def test_dates_are_date_time_nodes(full: d.Document) -> None:
    table = next(t for t in blocks_of(full, d.Table) if isinstance(t, d.Table) and t.role == "basic-information")
    start = {d.plain_text(row[0]): row[1] for row in table.rows}["Start Time"]
    assert start == (d.DateTime(value=dt.datetime(2026, 3, 14, 13, 38, tzinfo=UTC), text="2026-03-14 13:38 UTC"),)


def test_the_executive_summary_is_an_info_callout_and_incidents_are_warnings(full: d.Document) -> None:
    callouts = [b for b in full.blocks if isinstance(b, d.Callout)]
    assert callouts[0].kind == "info"
    assert {c.title for c in callouts if c.kind == "warning"} == {"Data corruption", "SLA breach"}


def test_narrative_markdown_becomes_nodes(full: d.Document) -> None:
    code = blocks_of(full, d.CodeBlock)
    assert d.CodeBlock(text="db:\n  pool:\n    max: 50   # ignored after deploy 4812", language="yaml") in code
    links = [
        node
        for p in blocks_of(full, d.Paragraph)
        if isinstance(p, d.Paragraph)
        for node in p.children
        if isinstance(node, d.Link)
    ]
    assert any(link.target == "https://larkspur.pagerduty.example/incidents/PD-88213" for link in links)


def test_figures_describe_the_timeline_and_the_metrics(full: d.Document, example: m.Review) -> None:
    figures = [b for b in full.blocks if isinstance(b, d.Figure)]
    timeline = next(f.data for f in figures if isinstance(f.data, d.TimelineFigure))
    metrics = next(f.data for f in figures if isinstance(f.data, d.MetricsFigure))
    assert len(timeline.marks) == len(example.timeline)
    assert [p.name for p in timeline.phases] == ["detection", "response", "resolution"]
    assert [(b.label, b.met) for b in metrics.metrics] == [
        ("Time to Detect", True),
        ("Time to Acknowledge", True),
        ("Time to Mitigate", False),
        ("Time to Resolve", True),
    ]


def test_thematic_breaks_separate_the_sections(full: d.Document) -> None:
    assert sum(isinstance(b, d.ThematicBreak) for b in full.blocks) == len(CONTROL_SECTIONS + TEMPLATE_SECTIONS)


def test_lists_in_the_full_profile(full: d.Document) -> None:
    assert blocks_of(full, d.BulletList)
    ordered = [b for b in blocks_of(full, d.OrderedList) if isinstance(b, d.OrderedList)]
    assert len(ordered[0].items) == 3  # the three contributing factors


def test_inline_formatting_survives(full: d.Document) -> None:
    texts = all_text(full)
    assert "PAYMENT_PENDING" in texts
    strongs = [
        n
        for p in blocks_of(full, d.Paragraph)
        if isinstance(p, d.Paragraph)
        for n in p.children
        if isinstance(n, d.Strong)
    ]
    assert any(d.plain_text(s.children) == "What happened:" for s in strongs)


def test_metadata_comes_from_the_review(full: d.Document, example: m.Review) -> None:
    meta = full.meta
    assert meta.title == example.title
    assert meta.incident_id == "INC-2026-0142"
    assert (meta.severity, meta.severity_tone, meta.status) == ("SEV-2", "high", "Draft")
    assert meta.is_draft
    assert meta.created == dt.datetime(2026, 3, 16, tzinfo=UTC)
    assert meta.modified == dt.datetime(2026, 3, 17, tzinfo=UTC)
    assert meta.owner is not None
    assert meta.owner.name == "Priya Raman"
    assert meta.keywords[0] == "SEV-2"
    assert "Payments gateway" in meta.services
    assert meta.classification == "Confidential"
    assert len(meta.content_hash) == 64


def test_classification_can_be_overridden(example: m.Review) -> None:
    assert layout(example, classification="Internal").meta.classification == "Internal"


def test_content_hash_is_stable_and_changes_with_the_review(example: m.Review) -> None:
    assert content_hash(example) == content_hash(load(EXAMPLE))
    assert content_hash(attrs.evolve(example, title="Other")) != content_hash(example)


@given(review=reviews())
def test_content_hash_is_the_digest_of_the_review_file_as_sorted_json(review: m.Review) -> None:
    canonical = json.dumps(json.loads(dumps(review, "json")), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert content_hash(review) == hashlib.sha256(canonical.encode("utf-8")).hexdigest()


# ---------------------------------------------------------------------------- the executive profile


def test_executive_profile_is_the_briefing(executive: d.Document) -> None:
    assert headings(executive, 1) == ["Executive Summary", "Response Metrics", "Timeline", "Open Action Items"]
    assert executive.meta.profile == "executive"
    assert isinstance(executive.blocks[1], d.Callout)


def test_executive_profile_lists_only_open_action_items(executive: d.Document, example: m.Review) -> None:
    (table,) = [t for t in blocks_of(executive, d.Table) if isinstance(t, d.Table) and t.role == "action-items"]
    shown = [d.plain_text(row[0]) for row in table.rows]
    open_items = [i for i in example.action_items if i.status is not m.ActionStatus.DONE]
    assert len(open_items) == 7
    # More than the briefing holds: the most urgent (soonest horizon, then earliest due date)
    # that fit its two pages, in that order, and a line counting the rest.
    urgent = sorted(open_items, key=lambda i: (list(m.Horizon).index(example.horizon_of(i)), i.due or dt.date.max))
    assert 1 <= len(shown) <= BRIEFING_ACTION_ITEMS
    assert shown == [i.id for i in urgent][: len(shown)]
    lines = [d.plain_text(b.children) for b in blocks_of(executive, d.Paragraph) if isinstance(b, d.Paragraph)]
    rest = 7 - len(shown)
    assert f"and {rest} more open action item{'s' if rest > 1 else ''} \u2014 see the full record" in lines


def test_executive_profile_has_both_figures(executive: d.Document) -> None:
    kinds = {type(b.data) for b in executive.blocks if isinstance(b, d.Figure)}
    assert kinds == {d.TimelineFigure, d.MetricsFigure}


def test_unknown_profile_is_rejected(example: m.Review) -> None:
    with pytest.raises(ValueError, match="executive"):
        layout(example, "board")


# ---------------------------------------------------------------------------- unknown values


def test_unknown_values_read_not_recorded_never_placeholders() -> None:
    document = layout(minimal_review())
    text = all_text(document)
    assert NOT_RECORDED in text
    for placeholder in ("[Name]", "YYYY-MM-DD", "[X%]", "[Yes/No]", "HH:MM", "[List]", "SEV-X"):
        assert placeholder not in text


def test_missing_milestones_are_not_measured() -> None:
    document = layout(minimal_review())
    table = next(t for t in blocks_of(document, d.Table) if isinstance(t, d.Table) and t.role == "response-metrics")
    assert [d.plain_text(row[3]) for row in table.rows] == ["Not measured"] * 4


def test_timeline_spanning_midnight_shows_dates() -> None:
    review = minimal_review(
        timeline=(
            m.TimelineEvent(at=dt.datetime(2026, 5, 2, 23, 55, tzinfo=UTC), title="Lag alert", phase=m.Phase.DETECTION),
            m.TimelineEvent(at=dt.datetime(2026, 5, 3, 0, 20, tzinfo=UTC), title="Reindexed", phase=m.Phase.RESOLUTION),
        )
    )
    text = all_text(layout(review))
    assert "2026-05-02 23:55 UTC - Lag alert" in text
    assert "2026-05-03 00:20 UTC - Reindexed" in text


def test_unsafe_urls_in_link_fields_are_shown_as_text() -> None:
    review = minimal_review(attachments=m.Attachments(links=m.Links(incident_ticket="javascript:alert(1)")))
    document = layout(review)
    links = [
        n
        for b in blocks_of(document, d.Paragraph)
        if isinstance(b, d.Paragraph)
        for n in b.children
        if isinstance(n, d.Link)
    ]
    # The unsafe URL is the review's only link: a safe one there would be the one link here.
    assert links == []
    assert "javascript:alert(1)" in all_text(document)


def test_formatting_helpers() -> None:
    assert format_duration(dt.timedelta(hours=1, minutes=24)) == "1 hour 24 minutes"
    assert format_duration(dt.timedelta(seconds=45)) == "45 seconds"
    assert format_duration(dt.timedelta(0)) == "0 minutes"
    assert format_datetime(dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)) == "2026-01-02 03:04:05 UTC"
    assert format_datetime(dt.datetime(2026, 1, 2, 3, 4, tzinfo=UTC), with_date=False) == "03:04 UTC"


def test_inline_emphasis_code_and_line_breaks_reach_the_document() -> None:
    review = minimal_review(summary=m.ExecutiveSummary(one_line="A *partial* outage of `search-indexer`"))
    callout = next(b for b in layout(review).blocks if isinstance(b, d.Callout))
    first = callout.children[0]
    assert isinstance(first, d.Paragraph)
    assert d.Emphasis(children=(d.Text(text="partial"),)) in first.children
    assert d.Code(text="search-indexer") in first.children
    status = layout(review).blocks[-1]
    assert isinstance(status, d.Paragraph)
    assert sum(isinstance(node, d.LineBreak) for node in status.children) == 3
    assert "Document Status: Draft" in d.plain_text(status.children)


def test_the_document_kind_names_the_profile(full: d.Document, executive: d.Document) -> None:
    assert (full.meta.kind, executive.meta.kind) == ("Post-Incident Review", "Executive Briefing")


def _timeline_figure(document: d.Document) -> d.TimelineFigure:
    figures = [b.data for b in d.iter_blocks(document.blocks)
               if isinstance(b, d.Figure) and isinstance(b.data, d.TimelineFigure)]
    assert len(figures) == 1
    return figures[0]


def test_the_timeline_figure_is_in_utc_whatever_the_offsets_of_the_review(example: m.Review) -> None:
    plus_two = dt.timezone(dt.timedelta(hours=2))

    def shift(value: Instant | None) -> Instant | None:
        if value is None or value.start is None:
            return value
        return attrs.evolve(value, start=value.start.astimezone(plus_two))

    shifted = attrs.evolve(
        example,
        started_at=shift(example.started_at),
        ended_at=shift(example.ended_at),
        timeline=tuple(attrs.evolve(e, at=shift(e.at)) for e in example.timeline),
    )
    figure = _timeline_figure(layout(shifted, "full"))
    moments = [figure.start, *(mark.at for mark in figure.marks), *(p.start for p in figure.phases)]
    assert all(moment.utcoffset() == dt.timedelta(0) for moment in moments)
    assert figure == _timeline_figure(layout(example, "full"))


def test_the_timeline_caption_carries_no_control_character(example: m.Review) -> None:
    review = attrs.evolve(example, incident_id="INC-2026-\x010142")
    with pytest.warns(PirdocWarning, match="control or invalid character"):
        document = layout(review, "full")
    captions = [b.caption for b in d.iter_blocks(document.blocks) if isinstance(b, d.Figure)]
    assert captions
    assert not any("\x01" in caption for caption in captions)


# ---------------------------------------------------------------------------- issue 16


def _links(document: d.Document) -> list[d.Link]:
    found: list[d.Link] = []

    def walk(nodes: Any) -> None:
        for node in nodes:
            if isinstance(node, d.Link):
                found.append(node)
            children = getattr(node, "children", ())
            if isinstance(children, tuple) and children and not isinstance(children[0], d.Block):
                walk(children)

    for block in d.iter_blocks(document.blocks):
        match block:
            case d.Paragraph(children=children) | d.Heading(children=children):
                walk(children)
            case d.Table(header=header, rows=rows):
                for row in (header, *rows):
                    for cell in row:
                        walk(cell)
            case _:
                pass
    return found


def test_a_ticket_url_shows_its_ticket_id(full: d.Document) -> None:
    shown = {link.target: d.plain_text(link.children) for link in _links(full)}
    assert shown["https://larkspur.atlassian.example/browse/PLAT-1202"] == "PLAT-1202"
    assert shown["https://larkspur.atlassian.example/browse/PLAT-1230"] == "PLAT-1230"


@given(key=st.from_regex(r"[A-Z][A-Z0-9]{1,6}-[1-9][0-9]{0,5}", fullmatch=True), number=st.integers(1, 99999))
def test_ticket_link_text_is_the_last_segment_when_it_is_a_ticket_id(key: str, number: int) -> None:
    assert link_text(f"https://jira.example.com/browse/{key}") == key
    assert link_text(f"https://jira.example.com/browse/{key}?focusedCommentId=7#c7") == key
    assert link_text(f"https://github.com/acme/api/issues/{number}") == f"#{number}"
    assert link_text(f"https://gitlab.example/acme/api/-/merge_requests/{number}") == f"#{number}"
    for url in (
        f"https://grafana.example/d/{number}",  # a number, but not under issues/pull …
        f"https://wiki.example/pages/{key.lower()}",  # not a ticket key: lower case
        f"https://jira.example.com/browse/{key}/comments",
        f"mailto:{key}@example.com",
    ):
        assert link_text(url) == url


def test_an_owner_written_as_a_plain_name_gets_the_account_of_that_person(full: d.Document) -> None:
    tables = [b for b in d.iter_blocks(full.blocks) if isinstance(b, d.Table) and b.role == "action-items"]
    owners = {
        d.plain_text(row[0]): next(n for n in row[2] if isinstance(n, d.Person)) for t in tables for row in t.rows
    }
    # AI-3's owner is written as "Amara Okafor" only; she is the incident commander, with an account
    assert owners["AI-3"].account_id == "712020:4b1c9e2a-7d3f-4c55-9a1e-2f6b8d0c3e71"
    assert owners["AI-2"].account_id is None  # Sofia Marquez has no account anywhere in the review


def test_a_name_two_accounts_share_is_not_matched(example: m.Review) -> None:
    twin = m.Person(name=" amara  OKAFOR ", role="Scribe", confluence_account_id="someone-else")
    review = attrs.evolve(example, other_roles=(*example.other_roles, twin))
    tables = [b for b in d.iter_blocks(layout(review).blocks) if isinstance(b, d.Table) and b.role == "action-items"]
    ai3 = next(row for t in tables for row in t.rows if d.plain_text(row[0]) == "AI-3")
    (owner,) = [n for n in ai3[2] if isinstance(n, d.Person)]
    assert owner.account_id is None


def _event_times(document: d.Document) -> list[d.DateTime]:
    start = next(i for i, b in enumerate(document.blocks) if isinstance(b, d.Heading) and b.anchor == "detection-phase")
    end = next(
        i for i, b in enumerate(document.blocks) if isinstance(b, d.Heading) and b.anchor == "root-cause-analysis"
    )
    return [
        node.children[0]
        for block in document.blocks[start:end]
        if isinstance(block, d.Paragraph)
        for node in block.children[:1]
        if isinstance(node, d.Strong) and isinstance(node.children[0], d.DateTime)
    ]


def test_the_timeline_writes_each_date_once_per_day(example: m.Review) -> None:
    late = attrs.evolve(example.timeline[-1], at=dt.datetime(2026, 3, 15, 9, 0, tzinfo=UTC))
    late2 = attrs.evolve(example.timeline[-1], at=dt.datetime(2026, 3, 15, 9, 30, tzinfo=UTC), title="Later")
    review = attrs.evolve(
        example, timeline=(*example.timeline[:-1], late, late2), ended_at=dt.datetime(2026, 3, 15, 10, 0, tzinfo=UTC)
    )
    times = _event_times(layout(review))
    assert len(times) == len(review.timeline)
    assert [t.text for t in times if t.shows_date] == ["2026-03-14 13:38 UTC", "2026-03-15 09:00 UTC"]
    assert all(not t.text.startswith("2026") for t in times if not t.shows_date)


def test_an_event_shown_out_of_time_order_carries_its_date(example: m.Review) -> None:
    # a response-phase event before the last detection-phase event: "13:40" after "13:41" would
    # read as the next day
    early = attrs.evolve(example.timeline[2], at=dt.datetime(2026, 3, 14, 13, 40, tzinfo=UTC))
    review = attrs.evolve(example, timeline=(*example.timeline[:2], early, *example.timeline[3:]))
    times = _event_times(layout(review))
    dated = [t.text for t in times if t.shows_date]
    assert dated == ["2026-03-14 13:38 UTC", "2026-03-14 13:40 UTC"]
    shown_before: dt.datetime | None = None
    for moment in times:  # every undated time is on the day of the one before it, and not earlier
        assert isinstance(moment.value, dt.datetime)
        if not moment.shows_date:
            assert shown_before is not None
            assert moment.value.date() == shown_before.date()
            assert moment.value >= shown_before
        shown_before = moment.value


@pytest.mark.parametrize("profile", ["full", "executive"])
def test_the_executive_summary_panel_does_not_repeat_its_heading(example: m.Review, profile: str) -> None:
    blocks = layout(example, profile).blocks
    heading = next(
        i for i, b in enumerate(blocks) if isinstance(b, d.Heading) and d.plain_text(b.children) == "Executive Summary"
    )
    panel = blocks[heading + 1]
    assert isinstance(panel, d.Callout)
    assert panel.title is None


def test_identifiers_given_in_two_places_for_one_name_are_combined(example: m.Review) -> None:
    commander = example.incident_commander
    assert commander is not None
    attendee = m.Person(name=commander.name.upper(), confluence_userkey="8a7f808a-amara")
    meeting = attrs.evolve(example.review_meeting, attendees=(*example.review_meeting.attendees, attendee))
    tables = [
        b
        for b in d.iter_blocks(layout(attrs.evolve(example, review_meeting=meeting)).blocks)
        if isinstance(b, d.Table) and b.role == "action-items"
    ]
    ai3 = next(row for t in tables for row in t.rows if d.plain_text(row[0]) == "AI-3")
    (owner,) = [n for n in ai3[2] if isinstance(n, d.Person)]
    assert (owner.account_id, owner.userkey) == (commander.confluence_account_id, "8a7f808a-amara")
