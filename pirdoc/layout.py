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
from collections.abc import Callable
from typing import Literal, TypeAlias

import attrs

from pirdoc import document as d
from pirdoc import model as m
from pirdoc._brief import paginate
from pirdoc._characters import neutralise_review
from pirdoc._collect import with_fewer_collections
from pirdoc._keep import keep_lead_ins
from pirdoc._layout_actions import ActionSections
from pirdoc._layout_closing import ClosingSections
from pirdoc._layout_summary import SummarySections
from pirdoc._layout_timeline import TimelineSections
from pirdoc._layout_values import (
    ACTION_ITEM_HEADER,
    ACTION_STATUS_TONES,
    ACTION_WIDTHS,
    ASKS_LABEL,
    BRIEFING_ACTION_ITEMS,
    BRIEFING_ASKS,
    BRIEFING_LIMITS,
    BRIEFING_MIN_ACTION_ITEMS,
    BRIEFING_NOTES,
    BRIEFING_SCALES,
    HORIZON_HEADINGS,
    LEVEL_TONES,
    NOT_RECORDED,
    PHASE_HEADINGS,
    PLATFORM_ACTION_LABELS,
    REVISION_HISTORY_HEADER,
    SEVERITY_TONES,
    _date,
    _instant,
    _md_inline,
    _person,
    _person_cell,
    _plain,
    _table,
    _text,
    format_datetime,
    format_duration,
)
from pirdoc._plain import plain_data
from pirdoc._warn import muted
from pirdoc.limits import check_review
from pirdoc.narrative import sanitize

__all__ = [
    "ACTION_ITEM_HEADER",
    "ACTION_STATUS_TONES",
    "ACTION_WIDTHS",
    "ASKS_LABEL",
    "BRIEFING_ACTION_ITEMS",
    "BRIEFING_ASKS",
    "BRIEFING_LIMITS",
    "BRIEFING_MIN_ACTION_ITEMS",
    "BRIEFING_NOTES",
    "BRIEFING_SCALES",
    "HORIZON_HEADINGS",
    "LEVEL_TONES",
    "NOT_RECORDED",
    "PHASE_HEADINGS",
    "PLATFORM_ACTION_LABELS",
    "PROFILES",
    "Profile",
    "REVISION_HISTORY_HEADER",
    "SEVERITY_TONES",
    "content_hash",
    "format_datetime",
    "format_duration",
    "layout",
]

Profile: TypeAlias = Literal["full", "executive"]
PROFILES: tuple[Profile, ...] = ("full", "executive")

DOCUMENT_KINDS = {"full": "Post-Incident Review", "executive": "Executive Briefing"}
"""What each profile's document is called in titles and file properties."""


@with_fewer_collections
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
    canonical = json.dumps(plain_data(review), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
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


class _Builder(SummarySections, TimelineSections, ActionSections, ClosingSections):
    """Every section, and the order of the two profiles."""

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
