"""The importer never refuses, never drops a line, and stays linear (issue 14, issue 20).

Each test feeds a small piece of a filled-in template, written the way real postmortems are
written, and checks where every piece of text went and what the importer said about it.
"""

from __future__ import annotations

import ast
import datetime as dt
import re
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pirdoc import model as m
from pirdoc.api import render
from pirdoc.errors import ReviewLoadError
from pirdoc.importers import ImportResult, import_markdown
from pirdoc.importers._values import placeholder_spans
from pirdoc.serde import Format, dumps, loads
from pirdoc.values import (
    Duration,
    Instant,
    Precision,
    Qualifier,
    Quantity,
    parse_duration_text,
    parse_instant,
    parse_quantity,
)
from tests.test_import_roundtrip import differences
from tests.test_layout import TEMPLATE_SECTIONS

HEAD = (
    "# Post-Incident Review: Payments outage\n\n"
    "**Incident ID:** INC-2024-0042  \n**Severity:** SEV-2  \n**Date:** 2024-07-19\n"
)


def _problems(result: ImportResult) -> list[tuple[str, str]]:
    return [(p.path, p.message) for p in result.problems]


# ---------------------------------------------------------------------------- linear work


def _best_time(run: Callable[[], object], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best


def test_placeholder_scanning_of_half_typed_links_grows_linearly() -> None:
    # Each unclosed "[a](" used to scan to the end of the text: 16,000 of them took minutes.
    small, large = "[a](" * 4_000, "[a](" * 16_000
    ratio = _best_time(lambda: placeholder_spans(large)) / _best_time(lambda: placeholder_spans(small))
    assert ratio < 10, f"4x the input took {ratio:.1f}x the time (quadratic would be ~16x)"


def test_importing_a_template_full_of_half_typed_links_grows_linearly() -> None:
    def document(count: int) -> str:
        return (
            HEAD + "\n## Root Cause Analysis\n\n### Primary Root Cause\n\n**What happened:**\n" + "[a](" * count + "\n"
        )

    small, large = document(2_000), document(8_000)
    ratio = _best_time(lambda: import_markdown(large)) / _best_time(lambda: import_markdown(small))
    assert ratio < 10, f"4x the input took {ratio:.1f}x the time (quadratic would be ~16x)"
    what = import_markdown(small).review.root_cause.what_happened
    assert what is not None
    assert what.count("[a](") == 2_000


def test_placeholders_are_still_told_from_links() -> None:
    source = "[Name] met [a](https://x.example) and [b][ref] at [x [nested] y] \\[not] [open"
    spans = [source[a:b] for a, b in placeholder_spans(source)]
    assert spans == ["[Name]", "[x [nested] y]"]


# ---------------------------------------------------------------------------- code fences


def test_an_unclosed_code_fence_is_reported_with_its_line_and_kept() -> None:
    text = (
        HEAD
        + "\n## Root Cause Analysis\n\n### Primary Root Cause\n\n**What happened:**\n"
        + "```\nERROR pool exhausted\n\n## Lessons Learned\n\nCheck the pool.\n"
    )
    result = import_markdown(text)
    fence_line = text.split("\n").index("```") + 1
    assert (
        f"line {fence_line}",
        f"this code fence (```) is never closed: lines {fence_line} to {fence_line + 5} are kept as code "
        "where it begins; close it with a line ```",
    ) in _problems(result)
    what = result.review.root_cause.what_happened
    assert what is not None
    assert "ERROR pool exhausted" in what
    assert "Check the pool." in what


def test_closed_fences_and_tilde_fences_are_not_reported() -> None:
    text = (
        HEAD
        + "\n## Root Cause Analysis\n\n### Primary Root Cause\n\n**What happened:**\n"
        + "```sql\nSELECT 1;\n`````\n\n- a list item\n\n  ~~~\n  indented\n  ~~~\n"
    )
    assert not [p for p in _problems(import_markdown(text)) if "fence" in p[1]]


# ---------------------------------------------------------------------------- never refuse


def _at(text: str) -> str:
    return f"{HEAD}\n## Incident Details\n\n### Basic Information\n\n| Field | Value |\n|---|---|\n{text}"


def test_a_review_without_a_start_time_is_imported_with_an_unknown_start() -> None:
    result = import_markdown(HEAD + "\n## Timeline\n\n**~04:09 UTC** - Sensor update shipped\n")
    review = result.review
    assert review.started_at is None
    assert [e.at for e in review.timeline] == [
        Instant(
            start=dt.datetime(2024, 7, 19, 4, 9, tzinfo=dt.UTC),
            precision=Precision.MINUTE,
            qualifier=Qualifier.APPROXIMATE,
            text="~04:09 UTC",
        )
    ]
    assert [p.level for p in result.problems] == ["warning"]
    assert "no Start Time: the start is unknown" in result.problems[0].message


def test_only_input_that_is_not_a_review_is_refused() -> None:
    with pytest.raises(ReviewLoadError, match="not UTF-8"):
        import_markdown(b"# Post-Incident Review: x\n\xff\xfe")
    with pytest.raises(ReviewLoadError, match="nothing is filled in"):
        import_markdown("# Post-Incident Review Template\n\n**Incident ID:** [INC-YYYY-NNNN]\n")


# ---------------------------------------------------------------------------- values as written


def test_start_and_end_keep_what_was_written() -> None:
    review = import_markdown(
        _at("| Start Time | 2024-07-19 ~04:09 UTC (from sensor logs) |\n| End Time | about 05:27 UTC |\n")
    ).review
    assert review.started_at is not None
    assert review.started_at.text == "2024-07-19 ~04:09 UTC (from sensor logs)"
    assert review.started_at.qualifier is Qualifier.APPROXIMATE
    assert review.ended_at == Instant(
        start=dt.datetime(2024, 7, 19, 5, 27, tzinfo=dt.UTC),
        precision=Precision.MINUTE,
        qualifier=Qualifier.APPROXIMATE,
        text="about 05:27 UTC",
    )


def test_counts_and_durations_keep_their_words() -> None:
    text = (
        _at("| Start Time | 2024-07-19 04:09 UTC |\n")
        + "\n### Impact Assessment\n\n**User Impact:**\n- Total users affected: ~8.5 million\n"
        "- Percentage of user base: 12,345 (3.5%)\n\n**Technical Impact:**\n"
        "- Recovery time: 24 h 11 min (degraded service)\n\n"
        "## Metrics\n\n### Impact Metrics\n\n| Metric | Value |\n|---|---|\n"
        "| Total Downtime | about 18 hours |\n| Failed Requests | not counted; estimated in the thousands |\n"
    )
    review = import_markdown(text).review
    user = review.impact.user
    assert user.total_users_affected == Quantity(value=8_500_000, approximate=True, text="~8.5 million")
    assert user.percentage_of_user_base == Quantity(value=12345, text="12,345 (3.5%)")
    assert review.impact.technical.recovery_time == Duration(
        value=dt.timedelta(hours=24, minutes=11), text="24 h 11 min (degraded service)"
    )
    impact = review.metrics.impact
    assert impact.total_downtime == Duration(value=dt.timedelta(hours=18), approximate=True, text="about 18 hours")
    assert impact.failed_requests == Quantity(text="not counted; estimated in the thousands")


TIMELINE = (
    _at("| Start Time | 2024-07-19 04:09 UTC |\n| End Time | 2024-07-19 05:27 UTC |\n")
    + """
## Timeline

### Detection Phase

**2024-02-28** - Content validator bug introduced

**March 2024** - Template type first shipped

**2024-04-08 – 2024-04-24** - Canary rings skipped

**04:09 UTC** - Channel file 291 shipped

**~04:15 UTC** - First crash reports

**time not recorded** - Customer escalation opened

**Around noon** - Partner call

### Resolution Phase

**2024-07-24** - Preliminary review published
"""
)


def test_timeline_lines_of_every_shape_are_events_with_their_text() -> None:
    result = import_markdown(TIMELINE)
    events = result.review.timeline
    assert [e.title for e in events] == [
        "Content validator bug introduced",
        "Template type first shipped",
        "Canary rings skipped",
        "Channel file 291 shipped",
        "First crash reports",
        "Customer escalation opened",
        "Partner call",
        "Preliminary review published",
    ]
    day = Instant(start=dt.datetime(2024, 2, 28, tzinfo=dt.UTC), precision=Precision.DAY)
    assert events[0].at == day
    month = events[1].at
    assert month is not None
    assert (month.precision, month.text) == (Precision.MONTH, "March 2024")
    ranged = events[2].at
    assert ranged is not None
    assert (ranged.start, ranged.end) == (
        dt.datetime(2024, 4, 8, tzinfo=dt.UTC),
        dt.datetime(2024, 4, 24, tzinfo=dt.UTC),
    )
    assert events[3].at == Instant(start=dt.datetime(2024, 7, 19, 4, 9, tzinfo=dt.UTC), precision=Precision.MINUTE)
    approximate = events[4].at
    assert approximate is not None
    assert (approximate.qualifier, approximate.text) == (Qualifier.APPROXIMATE, "~04:15 UTC")
    unknown = events[5].at
    assert unknown is not None
    assert (unknown.start, unknown.text) == (None, "time not recorded")
    assert events[6].at == Instant(text="Around noon")
    # After the end: a follow-up publication is part of the timeline.
    assert events[7].at == Instant(start=dt.datetime(2024, 7, 24, tzinfo=dt.UTC), precision=Precision.DAY)
    line = TIMELINE.split("\n").index("**Around noon** - Partner call") + 1
    assert _problems(result) == [
        (f"line {line}", "Timeline: 'Around noon' is not a time pirdoc can read; kept as written")
    ]


def test_day_headings_give_time_only_lines_their_day() -> None:
    text = HEAD.replace("**Date:** 2024-07-19\n", "") + (
        "\n## Timeline\n\n### 2024-07-18\n\n**22:50 UTC** - Config pushed\n\n"
        "### Response Phase\n\n**2024-07-19**\n\n**00:10 UTC** - Paged\n\n**00:05 UTC** - Alert fired\n"
    )
    events = import_markdown(text).review.timeline
    starts = [e.at.start for e in events if e.at is not None]
    assert starts == [
        dt.datetime(2024, 7, 18, 22, 50, tzinfo=dt.UTC),
        dt.datetime(2024, 7, 19, 0, 10, tzinfo=dt.UTC),
        dt.datetime(2024, 7, 19, 0, 5, tzinfo=dt.UTC),  # the day heading: no roll-over
    ]
    assert [e.phase for e in events] == [m.Phase.DETECTION, m.Phase.RESPONSE, m.Phase.RESPONSE]


def test_an_event_on_a_named_day_gives_the_times_after_it_that_day() -> None:
    # pirdoc writes "**20:36 UTC**" without a date after a day-only event on the same day.
    text = _at("| Start Time | 2024-07-19 23:10 UTC |\n") + (
        "\n## Timeline\n\n**2024-07-20 01:40 UTC** - Paged\n\n"
        "### Resolution Phase\n\n**2024-07-19** - Config pushed\n\n**23:30 UTC** - Rolled back\n"
    )
    events = import_markdown(text).review.timeline
    assert [e.at.start for e in events if e.at is not None] == [
        dt.datetime(2024, 7, 20, 1, 40, tzinfo=dt.UTC),
        dt.datetime(2024, 7, 19, tzinfo=dt.UTC),
        dt.datetime(2024, 7, 19, 23, 30, tzinfo=dt.UTC),
    ]


def test_a_start_with_seconds_and_no_end_does_not_move_events_a_day() -> None:
    # Issue 20's day shift: "13:45 UTC" under a start of 13:45:30 was read as the next day.
    text = _at("| Start Time | 2026-03-14 13:45:30 UTC |\n") + (
        "\n## Timeline\n\n### Detection Phase\n\n**13:45 UTC** - Initial Detection\n\n**13:52 UTC** - Paged\n"
    )
    events = import_markdown(text).review.timeline
    assert [e.at.start.date() for e in events if e.at is not None and e.at.start is not None] == [
        dt.date(2026, 3, 14),
        dt.date(2026, 3, 14),
    ]


def test_an_event_before_a_start_near_midnight_is_not_moved_a_day() -> None:
    text = _at("| Start Time | 2024-07-19 04:09 UTC |\n") + (
        "\n## Timeline\n\n**03:50 UTC** - Risky deploy\n\n**04:20 UTC** - Alert\n"
    )
    events = import_markdown(text).review.timeline
    assert [e.at.start for e in events if e.at is not None] == [
        dt.datetime(2024, 7, 19, 3, 50, tzinfo=dt.UTC),
        dt.datetime(2024, 7, 19, 4, 20, tzinfo=dt.UTC),
    ]


def test_a_placeholder_time_with_a_written_event_keeps_the_event_without_a_time() -> None:
    text = HEAD + "\n## Timeline\n\n**[HH:MM UTC]** - Customer emailed support\n- They saw 502s\n"
    result = import_markdown(text)
    assert [(e.at, e.title, e.details) for e in result.review.timeline] == [
        (None, "Customer emailed support", "- They saw 502s")
    ]
    assert ("line 9", "Timeline: event 'Customer emailed support' has no time; kept without one") in _problems(result)


# ---------------------------------------------------------------------------- never drop a line


def _line_of(text: str, needle: str) -> int:
    return next(number for number, line in enumerate(text.split("\n"), 1) if needle in line)


def test_an_extra_paragraph_under_a_heading_is_a_note_in_place() -> None:
    text = (
        HEAD
        + "\n## Root Cause Analysis\n\n### Primary Root Cause\n\n**What happened:** The pool ran dry.\n\n"
        "### Five Whys Analysis\n\n1. **Why?**\n   - Because.\n\nWe did not get to a sixth why.\n"
    )
    result = import_markdown(text)
    assert result.review.notes == (m.Note(section="root_cause", body="We did not get to a sixth why."),)
    line = _line_of(text, "sixth why")
    assert (
        f"line {line}",
        "Five Whys Analysis: not part of the template; kept as a note at the end of Root Cause Analysis",
    ) in _problems(result)


def test_an_extra_subsection_and_an_extra_section_are_kept_in_document_order() -> None:
    text = (
        HEAD
        + "\n## What Went Well\n\n### Where we got lucky\n\nThe on-call was awake.\n\n- a\n- b\n\n"
        "## Trigger\n\nA cron job.\n\n### Details\n\nIt ran twice.\n\n---\n\n"
        "## Aftermath\n\nNothing.\n\n## Action Items\n"
    )
    result = import_markdown(text)
    assert result.review.notes == (
        m.Note(section="went_well", title="Where we got lucky", body="The on-call was awake.\n\n- a\n- b"),
        m.Note(
            section="went_well", title="Trigger", body="A cron job.\n\n### Details\n\nIt ran twice.", top_level=True
        ),
        m.Note(section="went_well", title="Aftermath", body="Nothing.", top_level=True),
    )
    assert (
        f"line {_line_of(text, '## Trigger')}",
        "section 'Trigger' is not part of the template; kept as a section of its own after What Went Well",
    ) in _problems(result)
    assert (
        f"line {_line_of(text, 'Where we got lucky')}",
        "What Went Well: not part of the template; kept as a note under its heading 'Where we got lucky' "
        "at the end of What Went Well",
    ) in _problems(result)


def test_an_extra_action_column_is_kept_in_each_items_details() -> None:
    text = (
        HEAD
        + "\n## Action Items\n\n### Immediate Actions (Complete within 1 week)\n\n"
        "| ID | Action | Priority | Owner | Due Date | Status |\n|---|---|---|---|---|---|\n"
        "| PLAT-1202 | Add canary ring | P0 | Ana | 2024-08-01 | In Progress |\n"
        "| #42 | Fix parser | | Bo | Q3 2024 | Done |\n"
    )
    result = import_markdown(text)
    first, second = result.review.action_items
    assert (first.id, first.owner, first.due, first.status, first.details) == (
        "PLAT-1202",
        m.Person(name="Ana"),
        dt.date(2024, 8, 1),
        m.ActionStatus.IN_PROGRESS,
        (m.Detail(label="Priority", value="P0"),),
    )
    assert (second.id, second.due, second.status, second.details) == (
        "#42",
        None,
        m.ActionStatus.DONE,
        (m.Detail(label="Due Date", value="Q3 2024"),),
    )
    assert any("'Q3 2024'" in message and "extra 'Due Date' column" in message for _, message in _problems(result))


def test_extra_basic_information_and_impact_metrics_rows_are_details() -> None:
    text = _at(
        "| Start Time | 2024-07-19 04:09 UTC |\n| Region | eu-west-1, **us-east-1** |\n"
        "| Communications Lead | Chloé Bernard |\n"
    ) + "\n## Metrics\n\n### Impact Metrics\n\n| Metric | Value |\n|---|---|\n| Refunds issued | ~1,200 |\n"
    result = import_markdown(text)
    review = result.review
    assert review.details == (m.Detail(label="Region", value="eu-west-1, **us-east-1**"),)
    assert review.other_roles == (m.Person(name="Chloé Bernard", role="Communications Lead"),)
    assert review.metrics.impact.details == (m.Detail(label="Refunds issued", value="~1,200"),)
    assert (
        f"line {_line_of(text, 'Region')}",
        "Basic Information: 'Region' is not a row of the template; kept as written",
    ) in _problems(result)


def test_an_extra_table_and_an_extra_template_row_are_notes_with_their_markdown() -> None:
    text = (
        HEAD
        + "\n## Metrics\n\n### Response Metrics\n\n| Metric | Target | Actual | Met? |\n|---|---|---|---|\n"
        "| Time to Detect | < 5 min | 3 min | Yes |\n| Time to Page | < 1 min | 4 min | No |\n\n"
        "## Communication\n\n### External Communication\n\n| Channel | Count |\n|---|---|\n| Tweets | 4 |\n"
    )
    notes = import_markdown(text).review.notes
    assert notes == (
        m.Note(
            section="communication",
            body="| Channel | Count |\n|---|---|\n| Tweets | 4 |",
        ),
        m.Note(
            section="metrics",
            body="| Metric | Target | Actual | Met? |\n|---|---|---|---|\n| Time to Page | < 1 min | 4 min | No |",
        ),
    )


def test_free_text_beside_service_checkboxes_is_kept_as_written() -> None:
    text = (
        HEAD
        + "\n## Incident Details\n\n### Services Affected\n\n- [x] Backend API\n- [ ] Database\n"
        "- [x] Other: payments-gw | ledger\n- [ ] Other: card vault (suspected)\n\n"
        "Also degraded: the partner webhooks.\n"
    )
    result = import_markdown(text)
    services = result.review.services
    assert services.backend_api
    assert services.other == ("payments-gw | ledger",)
    assert result.review.notes == (
        m.Note(section="incident_details.services", body="- [ ] Other: card vault (suspected)"),
        m.Note(section="incident_details.services", body="Also degraded: the partner webhooks."),
    )


def test_services_named_only_in_the_summary_are_kept() -> None:
    text = HEAD + "\n## Executive Summary\n\n**Impact:**\n- Services impacted: Falcon sensor, Windows hosts\n"
    review = import_markdown(text).review
    assert review.summary.services_impacted == "Falcon sensor, Windows hosts"
    assert review.services.other == ()


def test_values_that_cannot_be_read_are_kept_as_notes() -> None:
    text = (
        HEAD
        + "\n## Incident Details\n\n### Impact Assessment\n\n**Business Impact:**\n"
        "- SLA breach: partially (EU only)\n- Reputation impact: Severe\n"
    )
    result = import_markdown(text)
    assert result.review.impact.business.sla_breach is None
    assert result.review.notes == (
        m.Note(section="incident_details.impact", body="SLA breach: partially (EU only)"),
        m.Note(section="incident_details.impact", body="Reputation impact: Severe"),
    )


# ---------------------------------------------------------------------------- header and table disagree


def test_a_header_and_basic_information_that_disagree_are_both_kept() -> None:
    text = _at("| Incident ID | PD-12345 |\n| Severity | SEV-1 |\n| Start Time | 2024-07-19 04:09 UTC |\n")
    result = import_markdown(text)
    review = result.review
    assert (review.incident_id, review.severity) == ("INC-2024-0042", m.Severity.SEV2)
    assert review.details == (
        m.Detail(label="Incident ID", value="PD-12345"),
        m.Detail(label="Severity", value="SEV-1"),
    )
    messages = [message for _, message in _problems(result)]
    assert (
        "Basic Information: Incident ID 'PD-12345' differs from the header's 'INC-2024-0042'; "
        "both are kept (the table's as an extra 'Incident ID' row)"
    ) in messages


def test_unknown_header_fields_are_kept_as_basic_information_rows() -> None:
    text = HEAD + "**Authors:** Jane Doe, Bo Li\n\nA note before the first section.\n"
    result = import_markdown(text)
    assert result.review.details == (m.Detail(label="Authors", value="Jane Doe, Bo Li"),)
    assert result.review.notes == (m.Note(section="header", body="A note before the first section."),)


# ---------------------------------------------------------------------------- round trip


REAL_WORLD = (
    HEAD
    + """**Authors:** Jane Doe

A preliminary review; times are from sensor logs.

---

## Executive Summary

**One-line summary:** A content update crashed Windows hosts.

**Impact:**
- Duration: about 78 minutes
- Affected users: ~8.5 million
- Services impacted: Falcon sensor
- Data loss: No

**Root Cause:** A template type mismatch.

**Resolution:** The channel file was reverted.

---

## Incident Details

### Basic Information

| Field | Value |
|-------|-------|
| Incident ID | PD-12345 |
| Severity | SEV-1 |
| Start Time | 2024-07-19 04:09 UTC |
| Duration | X hours Y minutes |
| Incident Commander | Ana Silva |
| Region | worldwide |

### Services Affected

- [x] Backend API
- [x] Other: payments-gw, ledger
- [ ] Other: card vault (suspected)

### Impact Assessment

**User Impact:**
- Total users affected: ~8.5 million
- Percentage of user base: under 1%

**Business Impact:**
- SLA breach: partially (EU only)

**Technical Impact:**
- Recovery time: 24 h 11 min (degraded service)

---

## Timeline

### Detection Phase

**2024-02-28** - Content validator bug introduced

**March 2024** - Template type first shipped

**04:09 UTC** - Channel file 291 shipped

**~04:15 UTC** - First crash reports
- Seen in telemetry

**time not recorded** - Customer escalation opened

### Resolution Phase

**05:27 UTC** - Service Restored

**2024-07-24** - Preliminary review published

---

## Root Cause Analysis

### Primary Root Cause

**What happened:** The interpreter read a 21st field that was not there.

### Where we got lucky

It was a Friday.

---

## Trigger

A routine content update.

---

## Action Items

### Immediate Actions (Complete within 1 week)

| ID | Action | Owner | Due Date | Status | Priority |
|----|--------|-------|----------|--------|----------|
| PLAT-1202 | Stage content updates | Bo Li | Q3 2024 | Blocked | P0 |

---

## Metrics

### Impact Metrics

| Metric | Value |
|--------|-------|
| Total Downtime | about 18 hours |
| Failed Requests | not counted; estimated in the thousands |
| Refunds issued | ~1,200 |
"""
)


def _markdown(review: m.Review) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return render(review, "markdown", allow_problems=True).decode()


def _settles(text: str | bytes, name: str) -> m.Review:
    """Import, write Markdown, import again: the second Markdown is the first, and the review
    read from it is the review read from the first (pirdoc writes its own escapes, so the
    first import of hand-written Markdown may differ from the second only in those)."""
    first = import_markdown(text).review
    markdown = _markdown(first)
    second = import_markdown(markdown).review
    again = _markdown(second)
    assert again == markdown, f"{name}: the Markdown changed on the second round"
    third = import_markdown(again).review
    assert third == second, f"{name}:\n" + "\n".join(differences(second, third))
    return first


def test_real_world_writing_survives_markdown_and_back_exactly() -> None:
    first = _settles(REAL_WORLD, "real world")
    assert len(first.notes) == 5
    assert first.summary.duration == Duration(value=dt.timedelta(minutes=78), approximate=True, text="about 78 minutes")
    # Says less than the user impact (no share): the summary's own words.
    assert first.summary.affected_users == "~8.5 million"
    assert len(first.details) == 4
    markdown = _markdown(first)
    written = set(re.findall(r"\w+", markdown))
    for note in first.notes:
        assert note.body is not None
        assert set(re.findall(r"\w+", f"{note.title or ''} {note.body}")) <= written, note
    for detail in first.details:
        assert set(re.findall(r"\w+", f"{detail.label} {detail.value}")) <= written, detail


def test_the_fixtures_and_real_world_cases_survive_markdown_and_back_exactly() -> None:
    root = Path(__file__).parent.parent / "fixtures"
    for path in sorted([*root.glob("markdown/*.md"), *root.glob("real-world/*-*.md")]):
        _settles(path.read_bytes(), path.name)


# ---------------------------------------------------------------------------- property: nothing is lost

_SECTIONS = tuple(TEMPLATE_SECTIONS)  # the template's H2 sections, in order
_WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyzéß", min_size=3, max_size=9)


@settings(deadline=None, max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(
    where=st.lists(st.integers(0, len(_SECTIONS)), min_size=1, max_size=4),
    words=st.lists(st.lists(_WORDS, min_size=1, max_size=6), min_size=4, max_size=4),
    own_section=st.booleans(),
)
def test_writing_anywhere_is_kept_and_settles(where: list[int], words: list[list[str]], own_section: bool) -> None:
    """Paragraphs written at the end of any section (or as sections of their own) are kept,
    word for word, and the Markdown pirdoc writes from them reads back the same."""
    blocks: dict[int, list[str]] = {}
    for index, position in enumerate(where):
        paragraph = " ".join(words[index])
        if own_section:
            paragraph = f"## Extra {index}\n\n{paragraph}"
        blocks.setdefault(position, []).append(paragraph)
    parts = [HEAD, "\n", *blocks.get(0, [])]
    for number, title in enumerate(_SECTIONS, start=1):
        parts.append(f"\n## {title}\n")
        if title == "Timeline":
            parts.append("\n**2024-07-19 04:09 UTC** - Alert fired\n")
        parts.extend(f"\n{block}\n" for block in blocks.get(number, []))
    text = "\n".join(parts)
    review = _settles(text, "generated")
    kept = " ".join(_strings(review))
    for paragraph in (block for group in blocks.values() for block in group):
        assert paragraph.split("\n")[-1] in kept


def _strings(value: object) -> list[str]:
    """Every string a review holds."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, tuple):
        return [s for item in value for s in _strings(item)]
    if attrs.has(type(value)):
        kind: Any = type(value)
        return [s for field in attrs.fields(kind) for s in _strings(getattr(value, field.name))]
    return []


def test_an_extra_basic_information_column_is_kept_row_by_row() -> None:
    text = (
        f"{HEAD}\n## Incident Details\n\n### Basic Information\n\n| Field | Value | Source |\n|---|---|---|\n"
        "| Start Time | 2021-01-04 around 6:00 a.m. PST | RCA sent to customers |\n| Severity | SEV-2 | - |\n"
    )
    result = import_markdown(text)
    assert result.review.details == (m.Detail(label="Start Time (Source)", value="RCA sent to customers"),)
    assert _settles(text, "extra column").details == result.review.details


def test_a_review_with_seconds_in_its_start_and_no_end_reads_back_on_the_same_days() -> None:
    # Issue 20: Markdown export then re-import moved timeline events a day forward.
    start = dt.datetime(2026, 3, 14, 13, 45, 30, tzinfo=dt.UTC)
    review = m.Review(
        incident_id="INC-2026-0001",
        title="Seconds",
        severity=m.Severity.SEV3,
        started_at=Instant.of(start),
        timeline=(
            m.TimelineEvent(at=Instant.of(start), title="Initial Detection", phase=m.Phase.DETECTION),
            m.TimelineEvent(
                at=Instant(start=start.replace(second=0), precision=Precision.MINUTE),
                title="Paged",
                phase=m.Phase.RESPONSE,
            ),
        ),
    )
    again = import_markdown(_markdown(review)).review
    assert [e.at for e in again.timeline] == [e.at for e in review.timeline]
    assert again.started_at == review.started_at


def test_extra_columns_of_the_metrics_tables_are_kept() -> None:
    text = (
        HEAD + "\n## Metrics\n\n### Response Metrics\n\n| Metric | Target | Actual | Met? | Notes |\n"
        "|---|---|---|---|---|\n| Time to Detect | < 5 min | 3 min | Yes | from LB logs |\n\n"
        "### Impact Metrics\n\n| Metric | Value | Source |\n|---|---|---|\n"
        "| Failed Requests | ~1.2 million | LB logs |\n"
    )
    result = import_markdown(text)
    review = result.review
    assert review.metrics.impact.failed_requests == Quantity(value=1_200_000, approximate=True, text="~1.2 million")
    assert review.metrics.impact.details == (m.Detail(label="Failed Requests (Source)", value="LB logs"),)
    assert review.notes == (
        m.Note(
            section="metrics",
            body="| Metric | Target | Actual | Met? | Notes |\n|---|---|---|---|---|\n"
            "| Time to Detect | < 5 min | 3 min | Yes | from LB logs |",
        ),
    )
    _settles(text, "metrics columns")


def test_unknown_follow_up_fields_and_a_second_title_are_kept() -> None:
    text = (
        HEAD.replace("Payments outage\n\n", "Payments outage\n\n# Draft\n\n")
        + "\n## Follow-up\n\n### Action Item Review\n\n**Next Review Date:** 2024-08-01  \n**Owner:** Ana\n"
    )
    result = import_markdown(text)
    assert result.review.title == "Payments outage"
    assert m.Note(section="header", body="# Draft") in result.review.notes
    assert m.Note(section="follow_up", body="**Owner:** Ana") in result.review.notes
    assert result.review.follow_up.next_review_date == dt.date(2024, 8, 1)


@pytest.mark.parametrize("fmt", ["yaml", "json", "toml"])
def test_what_the_importer_reads_is_written_and_read_back_by_every_data_format(fmt: Format) -> None:
    root = Path(__file__).parent.parent / "fixtures"
    for path in sorted([*root.glob("markdown/*.md"), *root.glob("real-world/*-*.md")]):
        review = import_markdown(path.read_bytes()).review
        assert loads(dumps(review, fmt), fmt) == review, f"{path.name} ({fmt})"


def test_writing_in_the_timeline_outside_events_is_kept_and_settles() -> None:
    text = (
        HEAD
        + "\n## Timeline\n\nTimes are from the load balancer.\n\n### Resolution Phase\n\n"
        "**2024-07-19 04:09 UTC** - Service Restored\n- Verified by synthetic checks\n\n"
        "### Open questions\n\nWhy did the canary pass?\n"
    )
    review = _settles(text, "timeline notes")
    assert review.notes == (
        m.Note(section="timeline", body="Times are from the load balancer."),
        m.Note(section="timeline", title="Open questions", body="Why did the canary pass?"),
    )
    assert review.timeline[0].details == "- Verified by synthetic checks"


# ---------------------------------------------------------------------------- property: values as written

_MINUTES = st.integers(0, 60 * 24 * 400)
_BASE = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)


@st.composite
def _instant_texts(draw: st.DrawFn, day: dt.date) -> str:
    moment = _BASE + dt.timedelta(minutes=draw(_MINUTES))
    later = moment + dt.timedelta(minutes=draw(st.integers(1, 60 * 24 * 30)))
    # a range of clock times on one day ends on that day ("23:55–00:00" ends before it starts)
    clock = min(moment, moment.replace(hour=23, minute=54))
    return draw(
        st.sampled_from(
            [
                f"~{moment:%Y-%m-%d %H:%M} UTC",
                f"{moment:%Y-%m-%d}",
                f"{moment:%Y-%m}",
                f"{moment:%Y-%m-%d} – {later:%Y-%m-%d}",
                f"{moment:%Y-%m-%d %H:%M} UTC (from LB logs)",
                f"around {moment:%Y-%m-%d %H:%M} UTC",
                "time not recorded",
                f"{day:%Y-%m-%d} {clock:%H:%M}–{clock + dt.timedelta(minutes=5):%H:%M} UTC",
            ]
        )
    )


_QUANTITIES = st.sampled_from(
    ["~8.5 million", "12,345 (3.5%)", "not counted; estimated in the thousands", "about 1,200", "1.21B queries"]
)
_DURATIONS = st.sampled_from(
    ["about 18 hours", "24 h 11 min (degraded service)", "0 hours 20 min (approximately)", "most of the day"]
)


@st.composite
def _annotated_reviews(draw: st.DrawFn) -> m.Review:
    start = _BASE + dt.timedelta(minutes=draw(_MINUTES))
    day = start.date()
    events = tuple(
        m.TimelineEvent(
            at=parse_instant(draw(_instant_texts(day))),
            title=draw(st.sampled_from(["Deploy", "Alert", "Rollback", "Report published"])),
            phase=draw(st.sampled_from(list(m.Phase))),
        )
        for _ in range(draw(st.integers(0, 6)))
    )
    return m.Review(
        incident_id="INC-1",
        title="Annotated",
        severity=m.Severity.SEV2,
        started_at=parse_instant(draw(st.sampled_from([f"~{start:%Y-%m-%d %H:%M} UTC", f"{start:%Y-%m-%d}"]))),
        timeline=events,
        impact=m.ImpactAssessment(
            user=m.UserImpact(total_users_affected=parse_quantity(draw(_QUANTITIES))),
            technical=m.TechnicalImpact(recovery_time=parse_duration_text(draw(_DURATIONS))),
        ),
        metrics=m.Metrics(
            impact=m.ImpactMetrics(
                failed_requests=parse_quantity(draw(_QUANTITIES)),
                total_downtime=parse_duration_text(draw(_DURATIONS)),
            )
        ),
    )


@settings(deadline=None, max_examples=80, suppress_health_check=[HealthCheck.too_slow])
@given(_annotated_reviews())
def test_times_counts_and_durations_as_written_read_back(review: m.Review) -> None:
    phases = list(m.Phase)
    expected = attrs.evolve(review, timeline=tuple(sorted(review.timeline, key=lambda e: phases.index(e.phase))))
    result = import_markdown(_markdown(expected))
    assert result.review == expected, "\n".join(differences(expected, result.review))


# ---------------------------------------------------------------------------- structure


def _imports(path: Path) -> set[str]:
    """The pirdoc modules a file imports, lazily or not."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("pirdoc"):
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("pirdoc"))
    return found


def test_the_loader_sits_above_serde_and_the_importers() -> None:
    package = Path(__file__).parent.parent / "pirdoc"
    importers = sorted((package / "importers").glob("*.py"))
    assert len(importers) >= 12
    for path in importers:
        imported = _imports(path)
        assert not {"pirdoc.serde", "pirdoc.loader", "pirdoc.layout"} & imported, path.name
        assert not any(name.startswith("pirdoc._layout") for name in imported), path.name
        assert len(path.read_text(encoding="utf-8").splitlines()) < 500, path.name
    assert not any(name.startswith("pirdoc.importers") for name in _imports(package / "serde.py"))
    assert {"pirdoc.serde", "pirdoc.importers.markdown"} <= _imports(package / "loader.py")
