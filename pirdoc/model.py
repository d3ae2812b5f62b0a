"""The Review model: one post-incident review as data.

Every section, table and checklist of the post-incident review template has a home here. The model
knows nothing about output formats. Values are frozen and keyword-only; narrative fields are
Markdown strings; a value nobody recorded is ``None`` or an empty tuple, never a placeholder such
as ``"[Name]"``. Values that follow from others (duration, response metrics) are derived here and
never stored twice.

Times, counts and durations are `pirdoc.values` types: the typed part (UTC bounds, precision,
qualifier; the number) beside the text as written. Constructors convert what a review file holds
(a date-time, date or text for an instant; a number or text for a count; a timedelta or text for
a duration). Writing the template has no field for is kept in `Note` and `Detail` values, in place.
Dates are plain dates.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any, ClassVar

import attrs

from pirdoc._fielddocs import document_fields
from pirdoc._methods import value_methods
from pirdoc._model_fields import (
    MARKDOWN as MARKDOWN,
)
from pirdoc._model_fields import (
    DurationInput as DurationInput,
)
from pirdoc._model_fields import (
    InstantInput as InstantInput,
)
from pirdoc._model_fields import (
    Person,
    _duration,
    _instant,
    _optional_text,
    _quantity,
    _required_text,
    _strip,
    _texts,
    _tuple,
    gate,
    is_markdown,
)
from pirdoc._model_fields import (
    QuantityInput as QuantityInput,
)
from pirdoc._model_fields import (
    clean_text as clean_text,
)
from pirdoc.errors import FieldError
from pirdoc.model_platform import CostItem, CostTotal, Participant, RelatedIncident, Tag, TagKind, cost_totals
from pirdoc.values import Duration, Instant, Quantity, between

__all__ = [
    "DEFAULT_RESOLVE_TARGETS",
    "ActionItem",
    "ActionStatus",
    "Approval",
    "Aspect",
    "CostItem",
    "CostTotal",
    "Attachments",
    "BusinessImpact",
    "CadenceStep",
    "CheckItem",
    "Communication",
    "ContributingFactor",
    "DataImpact",
    "Detail",
    "ExecutiveSummary",
    "ExternalCommunication",
    "FollowUp",
    "Horizon",
    "ImpactAssessment",
    "ImpactMetrics",
    "Issue",
    "Lesson",
    "LessonsLearned",
    "Level",
    "Links",
    "Metrics",
    "Milestone",
    "NOTE_SECTIONS",
    "NamedLink",
    "Note",
    "Participant",
    "Person",
    "Phase",
    "PreventionMeasures",
    "RelatedIncident",
    "ResponseMetric",
    "ResponseTargets",
    "Review",
    "RevisionEntry",
    "ReviewMeeting",
    "RootCauseAnalysis",
    "ServicesAffected",
    "Severity",
    "StakeholderCommunication",
    "StatedMetrics",
    "Status",
    "StatusUpdate",
    "Tag",
    "TagKind",
    "Visibility",
    "TechnicalImpact",
    "TimelineEvent",
    "UserImpact",
    "WhatWentWell",
    "WhatWentWrong",
    "Why",
    "is_markdown",
]


class Severity(enum.Enum):
    """Incident severity; SEV-1 is the worst."""

    SEV1 = "SEV-1"
    SEV2 = "SEV-2"
    SEV3 = "SEV-3"
    SEV4 = "SEV-4"


class Status(enum.Enum):
    """Document status of the review, following the review workflow."""

    DRAFT = "Draft"
    IN_REVIEW = "In review"
    REVIEWED = "Reviewed"
    FINAL = "Final"


class Visibility(enum.Enum):
    """Who may read a value: everyone (public), customers (customer) or only the organisation
    (internal). A value is shown to an audience when its visibility is at least as open as the
    audience; `pirdoc.audience` holds the defaults and does the filtering."""

    INTERNAL = "internal"
    CUSTOMER = "customer"
    PUBLIC = "public"


class Phase(enum.Enum):
    """Phase of the response a timeline event belongs to."""

    DETECTION = "detection"
    RESPONSE = "response"
    RESOLUTION = "resolution"


class Milestone(enum.Enum):
    """The template's timeline milestones, in the order they happen."""

    DETECTED = "detected"
    DECLARED = "declared"
    INVESTIGATION_BEGAN = "investigation_began"
    ROOT_CAUSE_IDENTIFIED = "root_cause_identified"
    MITIGATION_STARTED = "mitigation_started"
    SERVICE_RESTORED = "service_restored"
    CLOSED = "closed"

    @property
    def title(self) -> str:
        """The milestone's heading in the template, e.g. ``Initial Detection``."""
        return _MILESTONE_TITLES[self]

    @property
    def phase(self) -> Phase:
        """The phase the template files this milestone under."""
        return _MILESTONE_PHASES[self]


_MILESTONE_TITLES = {
    Milestone.DETECTED: "Initial Detection",
    Milestone.DECLARED: "Incident Declared",
    Milestone.INVESTIGATION_BEGAN: "Investigation Began",
    Milestone.ROOT_CAUSE_IDENTIFIED: "Root Cause Identified",
    Milestone.MITIGATION_STARTED: "Mitigation Started",
    Milestone.SERVICE_RESTORED: "Service Restored",
    Milestone.CLOSED: "Incident Closed",
}
_MILESTONE_PHASES = {
    Milestone.DETECTED: Phase.DETECTION,
    Milestone.DECLARED: Phase.RESPONSE,
    Milestone.INVESTIGATION_BEGAN: Phase.RESPONSE,
    Milestone.ROOT_CAUSE_IDENTIFIED: Phase.RESPONSE,
    Milestone.MITIGATION_STARTED: Phase.RESOLUTION,
    Milestone.SERVICE_RESTORED: Phase.RESOLUTION,
    Milestone.CLOSED: Phase.RESOLUTION,
}


class ActionStatus(enum.Enum):
    """Progress of an action item."""

    OPEN = "Open"
    IN_PROGRESS = "In Progress"
    DONE = "Done"


class Horizon(enum.Enum):
    """When an action item is due, as the template groups them."""

    IMMEDIATE = "immediate"
    SHORT_TERM = "short-term"
    LONG_TERM = "long-term"

    @property
    def limit(self) -> dt.timedelta:
        """The longest time from the review date the horizon allows."""
        return {
            Horizon.IMMEDIATE: dt.timedelta(weeks=1),
            Horizon.SHORT_TERM: dt.timedelta(days=31),
            Horizon.LONG_TERM: dt.timedelta(days=92),
        }[self]


class Level(enum.Enum):
    """A three-step rating (issue severity, reputation impact)."""

    LOW = "Low"
    MEDIUM = "Medium"
    HIGH = "High"


DEFAULT_RESOLVE_TARGETS: dict[Severity, dt.timedelta] = {
    Severity.SEV1: dt.timedelta(hours=4),
    Severity.SEV2: dt.timedelta(hours=8),
    Severity.SEV3: dt.timedelta(hours=24),
    Severity.SEV4: dt.timedelta(hours=72),
}
"""Time-to-resolve target (the RTO) per severity, used when a review sets none."""


# ---------------------------------------------------------------------------- people and small values




@value_methods
@attrs.frozen(kw_only=True, repr=False, eq=False, field_transformer=gate)
class DataImpact:
    """Whether something happened to data (loss, corruption), and the details."""

    occurred: bool | None = None
    """True if it happened, False if it did not, None if not recorded."""
    details: str | None = _optional_text(markdown=True)
    """What and how much (Markdown)."""


@value_methods
@attrs.frozen(kw_only=True, repr=False, eq=False, field_transformer=gate)
class CheckItem:
    """One checklist line."""

    text: str = _required_text(markdown=True)
    """What the line says (Markdown inline text)."""
    done: bool = False
    """Whether it is ticked."""


@value_methods
@attrs.frozen(kw_only=True, repr=False, eq=False, field_transformer=gate)
class NamedLink:
    """A link with a label."""

    label: str = _required_text(markdown=False)
    """The text shown for the link."""
    url: str = _required_text(markdown=False)
    """Where it points (http, https or mailto)."""


NOTE_SECTIONS = (
    "header",
    "executive_summary",
    "incident_details",
    "incident_details.basic_information",
    "incident_details.services",
    "incident_details.impact",
    "timeline",
    "root_cause",
    "went_well",
    "went_wrong",
    "action_items",
    "lessons",
    "prevention",
    "communication",
    "metrics",
    "attachments",
    "review_and_approval",
    "follow_up",
)
"""Where a `Note` can sit: the template's sections and the subsections that collect free writing
(``header`` is between the title block and the first section)."""


@value_methods
@attrs.frozen(kw_only=True, repr=False, eq=False, field_transformer=gate)
class Note:
    """Writing the template has no field for, kept where it was written.

    Shown at the end of section ``section`` (a titled note as a sub-heading of its own), or, with
    ``top_level``, as a section of its own right after section ``section``."""

    section: str = attrs.field(converter=_strip)
    """The key of the section it belongs to, one of `NOTE_SECTIONS`."""
    title: str | None = _optional_text(markdown=False)
    """Its heading, when it had one (``Where we got lucky``)."""
    visibility: Visibility | None = None
    """Who may read this note (overrides the default; see docs/audiences.md)."""
    body: str | None = _optional_text(markdown=True)
    """What was written (Markdown)."""
    top_level: bool = False
    """A section of its own (after ``section``) rather than part of it."""


@value_methods
@attrs.frozen(kw_only=True, repr=False, eq=False, field_transformer=gate)
class Detail:
    """A labelled value the template has no field for: an extra table row or column."""

    label: str = _required_text(markdown=False)
    """The row's or column's label as the team wrote it."""
    visibility: Visibility | None = None
    """Who may read this row or column (overrides the default; see docs/audiences.md)."""
    value: str | None = _optional_text(markdown=True)
    """What was written (Markdown inline text)."""


# ---------------------------------------------------------------------------- sections


@value_methods
@attrs.frozen(kw_only=True, repr=False, eq=False, field_transformer=gate)
class ExecutiveSummary:
    """The executive summary. Duration, affected users, services and data loss are derived
    from the sections that hold them, unless the summary states them in its own words."""

    one_line: str | None = _optional_text(markdown=True)
    """Brief description of what happened."""
    root_cause: str | None = _optional_text(markdown=True)
    """The root cause in one sentence."""
    resolution: str | None = _optional_text(markdown=True)
    """How it was resolved, in one sentence."""
    duration: Duration | None = attrs.field(default=None, converter=_duration)
    """The duration as the summary states it, when it says more than the incident details."""
    affected_users: str | None = _optional_text(markdown=True)
    """Affected users as the summary states them (``~8.5 million Windows devices``)."""
    services_impacted: str | None = _optional_text(markdown=True)
    """Services as the summary names them."""
    data_loss: str | None = _optional_text(markdown=True)
    """Data loss as the summary states it."""
    asks: tuple[str, ...] = _texts(markdown=True)
    """What the review asks of leadership, one each: decisions to take, approvals, budget or help
    (``Approve two more on-call engineers for the payments team``). Shown on the briefing's first
    page; internal, so the customer and public versions leave them out."""


@value_methods
@attrs.frozen(kw_only=True, repr=False, eq=False, field_transformer=gate)
class ServicesAffected:
    """The template's five services, plus any others."""

    backend_api: bool = False
    """True if the backend API was affected."""
    frontend: bool = False
    """True if the frontend was affected."""
    database: bool = False
    """True if the database was affected."""
    redis_cache: bool = False
    """True if the Redis cache was affected."""
    monitoring: bool = False
    """True if monitoring was affected."""
    other: tuple[str, ...] = _texts(markdown=True)
    """Further affected services, by name."""

    STANDARD: ClassVar[tuple[tuple[str, str], ...]] = (
        ("backend_api", "Backend API"),
        ("frontend", "Frontend"),
        ("database", "Database"),
        ("redis_cache", "Redis Cache"),
        ("monitoring", "Monitoring"),
    )

    @property
    def names(self) -> tuple[str, ...]:
        """Names of every affected service, standard ones first."""
        standard = tuple(label for field, label in self.STANDARD if getattr(self, field))
        return standard + self.other


@value_methods
@attrs.frozen(kw_only=True, repr=False, eq=False, field_transformer=gate)
class UserImpact:
    """How users were affected."""

    total_users_affected: Quantity | None = attrs.field(default=None, converter=_quantity)
    """How many users, as written (``~8.5 million``, ``12,345 (3.5%)``)."""
    percentage_of_user_base: Quantity | None = attrs.field(default=None, converter=_quantity)
    """Share of all users affected, 0–100."""
    geographic_regions: tuple[str, ...] = _texts(markdown=False)
    """The regions affected, by name."""
    user_facing_errors: str | None = _optional_text(markdown=True)
    """What users saw (Markdown)."""


@value_methods
@attrs.frozen(kw_only=True, repr=False, eq=False, field_transformer=gate)
class BusinessImpact:
    """What the incident cost the business."""

    revenue_impact: str | None = _optional_text(markdown=True)
    """An amount with its currency (``$12,400``) or a description."""
    sla_breach: bool | None = None
    """True if an SLA was breached, False if not, None if not recorded."""
    reputation_impact: Level | None = None
    """Low, Medium or High."""
    regulatory_implications: bool | None = None
    """True if there are regulatory implications, False if not, None if not recorded."""


@value_methods
@attrs.frozen(kw_only=True, repr=False, eq=False, field_transformer=gate)
class TechnicalImpact:
    """What the incident did to systems and data."""

    data_loss: DataImpact = DataImpact()
    """Whether data was lost, and the details."""
    data_corruption: DataImpact = DataImpact()
    """Whether data was corrupted, and the details."""
    service_degradation: str | None = _optional_text(markdown=True)
    """How the service degraded (Markdown)."""
    recovery_time: Duration | None = attrs.field(default=None, converter=_duration)
    """How long recovery took."""


@value_methods
@attrs.frozen(kw_only=True, repr=False, eq=False, field_transformer=gate)
class ImpactAssessment:
    """User, business and technical impact."""

    user: UserImpact = UserImpact()
    """How users were affected."""
    business: BusinessImpact = BusinessImpact()
    """What it cost the business."""
    technical: TechnicalImpact = TechnicalImpact()
    """What it did to systems and data."""


@value_methods
@attrs.frozen(kw_only=True, repr=False, eq=False, field_transformer=gate)
class TimelineEvent:
    """One moment of the incident."""

    at: Instant | None = attrs.field(default=None, converter=_instant)
    """When it happened, as written (None: no time was written)."""
    title: str = _required_text(markdown=True)
    """Short title, e.g. ``Initial Detection`` or ``Rolled back deploy 4812``."""
    visibility: Visibility | None = None
    """Who may read this event (overrides the default; see docs/audiences.md)."""
    phase: Phase
    """The phase of the response it belongs to."""
    kind: Milestone | None = None
    """Which template milestone this event is, if any."""
    details: str | None = _optional_text(markdown=True)
    """What happened, who did it, links (Markdown; usually a bullet list)."""
    ended_at: Instant | None = attrs.field(default=None, converter=_instant)
    """When it ended, for an event that lasted (a deploy, an outage of a dependency)."""
    source: str | None = _optional_text(markdown=False)
    """Where it was recorded (``chat``, ``pager``, ``deploy``, ``monitor`` …; an open set)."""
    evidence: str | None = _optional_text(markdown=False)
    """A link to what shows it (a graph, a chat message, a log search)."""
    key: bool = False
    """A key event: when any event is marked, the briefing's milestones are the key events."""


@value_methods
@attrs.frozen(kw_only=True, repr=False, eq=False, field_transformer=gate)
class ContributingFactor:
    """Something that made the incident possible or worse."""

    title: str = _required_text(markdown=True)
    """Short title of the factor."""
    visibility: Visibility | None = None
    """Who may read this factor (overrides the default; see docs/audiences.md)."""
    description: str | None = _optional_text(markdown=True)
    """What the factor is (Markdown)."""
    impact: str | None = _optional_text(markdown=True)
    """How it contributed."""


@value_methods
@attrs.frozen(kw_only=True, repr=False, eq=False, field_transformer=gate)
class Why:
    """One step of a five-whys analysis."""

    question: str = _required_text(markdown=True)
    """The question (``Why did the pool run dry?``)."""
    answer: str | None = _optional_text(markdown=True)
    """Its answer (Markdown)."""


@value_methods
@attrs.frozen(kw_only=True, repr=False, eq=False, field_transformer=gate)
class RootCauseAnalysis:
    """Why it happened."""

    what_happened: str | None = _optional_text(markdown=True)
    """What happened, technically (Markdown)."""
    why_it_happened: str | None = _optional_text(markdown=True)
    """Why it happened (Markdown)."""
    why_not_caught_earlier: str | None = _optional_text(markdown=True)
    """Why it was not caught earlier (Markdown)."""
    contributing_factors: tuple[ContributingFactor, ...] = attrs.field(default=(), converter=_tuple)
    """What made it possible or worse."""
    five_whys: tuple[Why, ...] = attrs.field(default=(), converter=_tuple)
    """Up to five questions and answers, in order."""


@value_methods
@attrs.frozen(kw_only=True, repr=False, eq=False, field_transformer=gate)
class Aspect:
    """Something that went well."""

    title: str = _required_text(markdown=True)
    """Short title of what went well."""
    what: str | None = _optional_text(markdown=True)
    """What happened (Markdown)."""
    why_it_helped: str | None = _optional_text(markdown=True)
    """Why it helped the response (Markdown)."""


@value_methods
@attrs.frozen(kw_only=True, repr=False, eq=False, field_transformer=gate)
class WhatWentWell:
    """Positive aspects and effective procedures."""

    aspects: tuple[Aspect, ...] = attrs.field(default=(), converter=_tuple)
    """Positive aspects of the response."""
    effective_procedures: tuple[str, ...] = _texts(markdown=True)
    """Procedures that worked, one each."""


@value_methods
@attrs.frozen(kw_only=True, repr=False, eq=False, field_transformer=gate)
class Issue:
    """Something that went wrong in the response."""

    title: str = _required_text(markdown=True)
    """Short title of what went wrong."""
    what: str | None = _optional_text(markdown=True)
    """What happened (Markdown)."""
    impact: str | None = _optional_text(markdown=True)
    """How it affected the response."""
    severity: Level | None = None
    """How much it hurt the response: Low, Medium or High."""


@value_methods
@attrs.frozen(kw_only=True, repr=False, eq=False, field_transformer=gate)
class WhatWentWrong:
    """Issues identified and gaps in procedures."""

    issues: tuple[Issue, ...] = attrs.field(default=(), converter=_tuple)
    """Issues identified in the response."""
    procedure_gaps: tuple[str, ...] = _texts(markdown=True)
    """Gaps found in procedures, one each."""


@value_methods
@attrs.frozen(kw_only=True, repr=False, eq=False, field_transformer=gate)
class ActionItem:
    """A follow-up action."""

    id: str = _required_text(markdown=False)
    """The item's id as the team writes it (``AI-3``, ``PLAT-1202``, ``#42``), unique within the review."""
    action: str = _required_text(markdown=True)
    """What is to be done (Markdown inline text)."""
    visibility: Visibility | None = None
    """Who may read this action item (overrides the default; see docs/audiences.md)."""
    horizon: Horizon | None = None
    """When it is due, as the template groups items; None: derived from the due date
    (`Review.horizon_of`)."""
    owner: Person | None = None
    """Who is responsible for it."""
    due: dt.date | None = None
    """The date it is due."""
    status: ActionStatus = ActionStatus.OPEN
    """Its progress: Open, In Progress or Done."""
    link: str | None = _optional_text(markdown=False)
    """The tracker ticket (URL)."""
    details: tuple[Detail, ...] = attrs.field(default=(), converter=_tuple)
    """Further columns the team's table has (``Priority``), in order."""
    assignees: tuple[Person, ...] = attrs.field(default=(), converter=_tuple)
    """Further people it is assigned to, beside the owner."""
    links: tuple[str, ...] = _texts(markdown=False)
    """Further links (pull requests, documents), beside the tracker ticket."""
    priority: str | None = _optional_text(markdown=False)
    """Its priority as the tracker writes it (``P1``, ``High``)."""
    tracker_id: str | None = _optional_text(markdown=False)
    """Its id in the tracker (``PLAT-1202``), when that is not its id here."""


@value_methods
@attrs.frozen(kw_only=True, repr=False, eq=False, field_transformer=gate)
class Lesson:
    """A lesson learned."""

    title: str = _required_text(markdown=True)
    """Short title of the lesson."""
    learned: str | None = _optional_text(markdown=True)
    """What we learned."""
    how_to_apply: str | None = _optional_text(markdown=True)
    """How to apply it from now on (Markdown)."""


@value_methods
@attrs.frozen(kw_only=True, repr=False, eq=False, field_transformer=gate)
class LessonsLearned:
    """Technical, process and communication lessons."""

    technical: tuple[Lesson, ...] = attrs.field(default=(), converter=_tuple)
    """Technical lessons."""
    process: tuple[Lesson, ...] = attrs.field(default=(), converter=_tuple)
    """Process lessons."""
    communication: tuple[Lesson, ...] = attrs.field(default=(), converter=_tuple)
    """Communication lessons."""


@value_methods
@attrs.frozen(kw_only=True, repr=False, eq=False, field_transformer=gate)
class PreventionMeasures:
    """Improvements planned, as three checklists."""

    monitoring: tuple[CheckItem, ...] = attrs.field(default=(), converter=_tuple)
    """Monitoring improvements, as a checklist."""
    process: tuple[CheckItem, ...] = attrs.field(default=(), converter=_tuple)
    """Process improvements, as a checklist."""
    technical: tuple[CheckItem, ...] = attrs.field(default=(), converter=_tuple)
    """Technical improvements, as a checklist."""


@value_methods
@attrs.frozen(kw_only=True, repr=False, eq=False, field_transformer=gate)
class StatusUpdate:
    """One internal communication sent during the incident."""

    at: Instant | None = attrs.field(default=None, converter=_instant)
    """When it was sent, as written."""
    visibility: Visibility | None = None
    """Who may read this update (overrides the default; see docs/audiences.md)."""
    message: str = _required_text(markdown=True)
    """What it said (Markdown)."""


@value_methods
@attrs.frozen(kw_only=True, repr=False, eq=False, field_transformer=gate)
class ExternalCommunication:
    """What customers were told."""

    status_page_updates: Quantity | None = attrs.field(default=None, converter=_quantity)
    """How many status-page updates were posted."""
    email_notifications: bool | None = None
    """True if customers were e-mailed, False if not, None if not recorded."""
    social_media: bool | None = None
    """True if it was posted on social media, False if not, None if not recorded."""


@value_methods
@attrs.frozen(kw_only=True, repr=False, eq=False, field_transformer=gate)
class StakeholderCommunication:
    """When stakeholders were briefed."""

    executive_briefing: Instant | None = attrs.field(default=None, converter=_instant)
    """When executives were briefed."""
    customer_success_team: Instant | None = attrs.field(default=None, converter=_instant)
    """When the customer success team was told."""
    sales_team: Instant | None = attrs.field(default=None, converter=_instant)
    """When the sales team was told."""


@value_methods
@attrs.frozen(kw_only=True, repr=False, eq=False, field_transformer=gate)
class Communication:
    """Internal and external communication."""

    internal_timeline: tuple[StatusUpdate, ...] = attrs.field(default=(), converter=_tuple)
    """The internal status updates sent during the incident, in order."""
    channels: tuple[str, ...] = _texts(markdown=True)
    """The channels used (``#inc-checkout``, a bridge call)."""
    what_worked: str | None = _optional_text(markdown=True)
    """What worked in the communication (Markdown)."""
    what_did_not_work: str | None = _optional_text(markdown=True)
    """What did not work (Markdown)."""
    improvements_needed: str | None = _optional_text(markdown=True)
    """What to change next time (Markdown)."""
    external: ExternalCommunication = ExternalCommunication()
    """What customers were told."""
    stakeholders: StakeholderCommunication = StakeholderCommunication()
    """When stakeholders were briefed."""


@value_methods
@attrs.frozen(kw_only=True, repr=False, eq=False, field_transformer=gate)
class ResponseTargets:
    """Targets of the response metrics. ``resolve`` None means the severity's default."""

    detect: dt.timedelta = dt.timedelta(minutes=5)
    """Target time from start to detection (default 5 minutes)."""
    acknowledge: dt.timedelta = dt.timedelta(minutes=5)
    """Target time from detection to declaring the incident (default 5 minutes)."""
    mitigate: dt.timedelta = dt.timedelta(minutes=30)
    """Target time from start to service restored (default 30 minutes)."""
    resolve: dt.timedelta | None = None
    """Target time from start to end; None means the severity's default."""


@value_methods
@attrs.frozen(kw_only=True, repr=False, eq=False, field_transformer=gate)
class StatedMetrics:
    """Response metrics as a review states them by hand, when it does.

    They are derived from the timeline anyway; stated values are kept so that the checks can
    report where the two disagree."""

    time_to_detect: Duration | None = attrs.field(default=None, converter=_duration)
    """Time to detect as the review states it."""
    time_to_acknowledge: Duration | None = attrs.field(default=None, converter=_duration)
    """Time to acknowledge as the review states it."""
    time_to_mitigate: Duration | None = attrs.field(default=None, converter=_duration)
    """Time to mitigate as the review states it."""
    time_to_resolve: Duration | None = attrs.field(default=None, converter=_duration)
    """Time to resolve as the review states it."""


@value_methods
@attrs.frozen(kw_only=True, repr=False, eq=False, field_transformer=gate)
class ImpactMetrics:
    """Impact in numbers (users affected come from the user impact)."""

    total_downtime: Duration | None = attrs.field(default=None, converter=_duration)
    """Time the service was down; None means the whole incident duration."""
    failed_requests: Quantity | None = attrs.field(default=None, converter=_quantity)
    """How many requests failed, as written."""
    data_loss_amount: str | None = _optional_text(markdown=True)
    """How much data was lost, in words (Markdown)."""
    recovery_point: Instant | None = attrs.field(default=None, converter=_instant)
    """The point in time data was recovered to."""
    details: tuple[Detail, ...] = attrs.field(default=(), converter=_tuple)
    """Further rows of the impact-metrics table, in order."""


@value_methods
@attrs.frozen(kw_only=True, repr=False, eq=False, field_transformer=gate)
class Metrics:
    """Targets, stated response metrics and impact metrics."""

    targets: ResponseTargets = ResponseTargets()
    """Targets of the response metrics."""
    stated: StatedMetrics = StatedMetrics()
    """Response metrics as the review states them by hand (they are derived from the timeline anyway)."""
    impact: ImpactMetrics = ImpactMetrics()
    """Impact in numbers."""


@value_methods
@attrs.frozen(kw_only=True, repr=False, eq=False, field_transformer=gate)
class ResponseMetric:
    """A response metric derived from the timeline, compared with its target."""

    name: str
    """The metric's name (``Time to Detect``)."""
    actual: Duration | None
    """None when a time it needs is missing or not known to the minute ("not measured");
    approximate when a time it comes from is approximate or a range."""
    target: dt.timedelta | None
    """The target it is compared with; None when there is none."""

    @property
    def met(self) -> bool | None:
        """True if within target, False if over it, None if not measured."""
        if self.actual is None or self.actual.value is None or self.target is None:
            return None
        return self.actual.value <= self.target


def _default_supporting_documents() -> tuple[CheckItem, ...]:
    return tuple(
        CheckItem(text=text)
        for text in (
            "Incident timeline (detailed)",
            "Chat logs",
            "Monitoring graphs",
            "Log excerpts",
            "Configuration changes",
            "Code changes (if applicable)",
        )
    )


@value_methods
@attrs.frozen(kw_only=True, repr=False, eq=False, field_transformer=gate)
class Links:
    """Where to find more."""

    incident_ticket: str | None = _optional_text(markdown=False)
    """The incident ticket (URL)."""
    monitoring_dashboard: str | None = _optional_text(markdown=False)
    """The monitoring dashboard (URL)."""
    related_incidents: tuple[str, ...] = _texts(markdown=False)
    """Related incidents, by id or URL."""
    action_item_tracker: str | None = _optional_text(markdown=False)
    """Where the action items are tracked (URL)."""
    other: tuple[NamedLink, ...] = attrs.field(default=(), converter=_tuple)
    """Further links, each with a label."""


@value_methods
@attrs.frozen(kw_only=True, repr=False, eq=False, field_transformer=gate)
class Attachments:
    """Supporting documents (a checklist) and links."""

    supporting_documents: tuple[CheckItem, ...] = attrs.field(
        factory=_default_supporting_documents, converter=_tuple
    )
    """The supporting-documents checklist (timeline, chat logs, graphs …), ticked when attached."""
    links: Links = Links()
    """Where to find the ticket, dashboards and related incidents."""


@value_methods
@attrs.frozen(kw_only=True, repr=False, eq=False, field_transformer=gate)
class ReviewMeeting:
    """The post-incident review meeting."""

    date: dt.date | None = None
    """The date of the meeting."""
    attendees: tuple[Person, ...] = attrs.field(default=(), converter=_tuple)
    """People who attended, each with their role."""
    discussion_points: tuple[str, ...] = _texts(markdown=True)
    """What was discussed, one point each."""


@value_methods
@attrs.frozen(kw_only=True, repr=False, eq=False, field_transformer=gate)
class Approval:
    """One sign-off."""

    role: str = _required_text(markdown=False)
    """The role that signs off (``Engineering Manager``)."""
    approver: Person | None = None
    """Who signs off in that role."""
    approved: bool | None = None
    """True approved, False refused, None not yet decided."""
    date: dt.date | None = None
    """The date of the decision."""


def _default_approvals() -> tuple[Approval, ...]:
    return tuple(
        Approval(role=role)
        for role in ("Incident Commander", "Technical Lead", "Engineering Manager")
    )


@value_methods
@attrs.frozen(kw_only=True, repr=False, eq=False, field_transformer=gate)
class CadenceStep:
    """A step of the action-item review cadence."""

    when: str = _required_text(markdown=False)
    """When the step happens (``Week 1``, ``Month 3``)."""
    what: str = _required_text(markdown=True)
    """What is checked then (Markdown inline text)."""


def _default_cadence() -> tuple[CadenceStep, ...]:
    return (
        CadenceStep(when="Week 1", what="Check immediate actions"),
        CadenceStep(when="Week 2", what="Check short-term actions"),
        CadenceStep(when="Month 1", what="Check all actions"),
        CadenceStep(when="Month 3", what="Final review"),
    )


def _default_knowledge_sharing() -> tuple[CheckItem, ...]:
    return tuple(
        CheckItem(text=text)
        for text in (
            "Post-mortem published internally",
            "Team meeting presentation scheduled",
            "Documentation updated",
            "Training materials created (if needed)",
            "External blog post (if applicable)",
        )
    )


@value_methods
@attrs.frozen(kw_only=True, repr=False, eq=False, field_transformer=gate)
class FollowUp:
    """How the action items will be followed up and the knowledge shared."""

    next_review_date: dt.date | None = None
    """When the action items are next reviewed."""
    cadence: tuple[CadenceStep, ...] = attrs.field(factory=_default_cadence, converter=_tuple)
    """The steps of the action-item review cadence (defaults: the template's four)."""
    knowledge_sharing: tuple[CheckItem, ...] = attrs.field(
        factory=_default_knowledge_sharing, converter=_tuple
    )
    """The knowledge-sharing checklist (defaults: the template's five lines)."""


# ---------------------------------------------------------------------------- document control


@value_methods
@attrs.frozen(kw_only=True, repr=False, eq=False, field_transformer=gate)
class RevisionEntry:
    """One line of the document's revision history: which version, when, by whom, what changed."""

    version: int
    """The revision this entry made (1 for the first issue, then 2, 3 …)."""
    date: dt.date | None = None
    """The day the revision was made (a date, not a time)."""
    author: Person | None = None
    """Who made it."""
    changes: str | None = _optional_text(markdown=True)
    """What changed, in a sentence or two (Markdown inline text)."""


def _visibility_map(value: Any) -> Any:
    """A mapping of field path to `Visibility` (levels may be written as their names)."""
    if not isinstance(value, dict):
        return value
    levels: dict[str, Visibility] = {}
    wrong: list[tuple[str, str]] = []
    for path, level in value.items():
        try:
            levels[str(path).strip()] = level if isinstance(level, Visibility) else Visibility(level)
        except ValueError:
            choices = ", ".join(v.value for v in Visibility)
            wrong.append((f"visibility.{path}", f"expected one of {choices}, got {level!r}"))
    if wrong:
        raise FieldError(wrong)
    return levels



# ---------------------------------------------------------------------------- the review


@value_methods
@attrs.frozen(kw_only=True, repr=False, eq=False, field_transformer=gate)
class Review:
    """A post-incident review: everything the template asks for."""

    incident_id: str = _required_text(markdown=False)
    """The incident's id as the team's tools write it (``INC-2024-0042``, ``PD-12345``)."""
    title: str = _required_text(markdown=False)
    """What the incident is called, e.g. ``Checkout outage``."""
    severity: Severity | None = None
    """How bad it was; None when the review does not say (the documents show "Not recorded")."""
    priority: str | None = _optional_text(markdown=False)
    """How urgently it was worked, beside severity (``P1``, ``High``; platforms keep the two apart)."""
    incident_type: str | None = _optional_text(markdown=False)
    """The platform's incident type (``Security``, ``Customer-facing outage``)."""
    started_at: Instant | None = attrs.field(default=None, converter=_instant)
    """Start of the incident, as written; None when nobody recorded it."""
    ended_at: Instant | None = attrs.field(default=None, converter=_instant)
    """End of the incident; None while it is not over or not recorded."""
    reported_at: Instant | None = attrs.field(default=None, converter=_instant)
    """When the incident was reported (declared on the platform)."""
    stable_at: Instant | None = attrs.field(default=None, converter=_instant)
    """When it was marked stable (mitigated)."""
    closed_at: Instant | None = attrs.field(default=None, converter=_instant)
    """When it was closed on the platform."""
    stated_duration: Duration | None = attrs.field(default=None, converter=_duration)
    """The duration as the review states it (``about 18 hours``, ``24 h 11 min (degraded
    service)``); shown instead of end minus start when given."""
    date: dt.date | None = None
    """The review's date; None means the start date."""
    status: Status = Status.DRAFT
    """Draft or Final; a Final review must pass the final checks to be rendered."""
    classification: str = attrs.field(default="Confidential", converter=_strip)
    """Handling label printed in document headers."""
    summary: ExecutiveSummary = ExecutiveSummary()
    """The executive summary."""
    incident_commander: Person | None = None
    """Who led the response."""
    technical_lead: Person | None = None
    """Who led the technical work."""
    other_roles: tuple[Person, ...] = attrs.field(default=(), converter=_tuple)
    """Further responders with their roles (communications lead, scribe …)."""
    participants: tuple[Participant, ...] = attrs.field(default=(), converter=_tuple)
    """Everyone who took part, each in a role for a while (hand-offs are two entries)."""
    tags: tuple[Tag, ...] = attrs.field(default=(), converter=_tuple)
    """Typed tags (service, team, region, customer, custom) with their source."""
    costs: tuple[CostItem, ...] = attrs.field(default=(), converter=_tuple)
    """What the incident cost, item by item (summed per currency in the documents)."""
    related_incidents: tuple[RelatedIncident, ...] = attrs.field(default=(), converter=_tuple)
    """Related and duplicate incidents."""
    services: ServicesAffected = ServicesAffected()
    """Which services were affected."""
    impact: ImpactAssessment = ImpactAssessment()
    """User, business and technical impact."""
    timeline: tuple[TimelineEvent, ...] = attrs.field(default=(), converter=_tuple)
    """What happened when, in order."""
    root_cause: RootCauseAnalysis = RootCauseAnalysis()
    """Why it happened: what, why, why not caught earlier, contributing factors, five whys."""
    went_well: WhatWentWell = WhatWentWell()
    """What went well."""
    went_wrong: WhatWentWrong = WhatWentWrong()
    """What went wrong."""
    action_items: tuple[ActionItem, ...] = attrs.field(default=(), converter=_tuple)
    """The follow-up actions."""
    lessons: LessonsLearned = LessonsLearned()
    """Lessons learned."""
    prevention: PreventionMeasures = PreventionMeasures()
    """Prevention measures, as checklists."""
    communication: Communication = Communication()
    """Internal and external communication."""
    metrics: Metrics = Metrics()
    """Response targets, stated response metrics and impact metrics."""
    attachments: Attachments = Attachments()
    """Supporting documents and links."""
    review_meeting: ReviewMeeting = ReviewMeeting()
    """The post-incident review meeting."""
    approvals: tuple[Approval, ...] = attrs.field(factory=_default_approvals, converter=_tuple)
    """Sign-offs (defaults: Incident Commander, Technical Lead, Engineering Manager, undecided)."""
    follow_up: FollowUp = FollowUp()
    """How the action items are followed up and the knowledge shared."""
    last_updated: dt.date | None = None
    """The date the review was last updated."""
    next_review: dt.date | None = None
    """The date the review itself is next reviewed."""
    owner: Person | None = None
    """Who owns this document."""
    details: tuple[Detail, ...] = attrs.field(default=(), converter=_tuple)
    """Further rows of the Basic Information table, in order."""
    notes: tuple[Note, ...] = attrs.field(default=(), converter=_tuple)
    """Writing the template has no field for, each kept where it was written."""
    # Document control (kept together so that other model additions merge cleanly).
    revision: int | None = None
    """The document's revision number; None means the last history entry's version, else 1."""
    revision_history: tuple[RevisionEntry, ...] = attrs.field(default=(), converter=_tuple)
    """The document's revisions, oldest first."""

    @property
    def current_revision(self) -> int:
        """The revision as stated, else the last history entry's version, else 1."""
        if self.revision is not None:
            return self.revision
        return self.revision_history[-1].version if self.revision_history else 1
    visibility: dict[str, Visibility] = attrs.field(factory=dict, converter=_visibility_map, hash=False)
    """Who may read what, by field path (``impact.business.revenue_impact: public``,
    ``timeline.details: customer``, ``timeline[3]: internal``); overrides the defaults of
    `pirdoc.audience` (see docs/audiences.md)."""

    @property
    def review_date(self) -> dt.date | None:
        """The review's date, else the day the incident started, else None."""
        if self.date is not None:
            return self.date
        return self.started_at.date if self.started_at is not None else None

    def horizon_of(self, item: ActionItem) -> Horizon:
        """The item's horizon: its own, else the shortest whose limit from the review date its due
        date is within, else (no due date, no review date, or beyond every limit) long-term."""
        if item.horizon is not None:
            return item.horizon
        review_date = self.review_date
        if item.due is not None and review_date is not None:
            for horizon in Horizon:
                if item.due - review_date <= horizon.limit:
                    return horizon
        return Horizon.LONG_TERM

    @property
    def key_events(self) -> tuple[TimelineEvent, ...]:
        """The timeline events marked key, in order."""
        return tuple(event for event in self.timeline if event.key)

    @property
    def cost_totals(self) -> tuple[CostTotal, ...]:
        """The cost items summed per currency."""
        return cost_totals(self.costs)

    @property
    def duration(self) -> Duration | None:
        """End minus start, approximate when either is; None when either is not known to the
        minute."""
        return between(self.started_at, self.ended_at)

    def milestone(self, kind: Milestone) -> Instant | None:
        """The time of the first event of ``kind`` known to the minute, or None."""
        times = [event.at for event in self.timeline if event.kind is kind and event.at is not None and event.at.timed]
        return min(times, key=Instant.sort_key) if times else None

    @property
    def resolve_target(self) -> dt.timedelta | None:
        """The time-to-resolve target: the review's own, else its severity's default (None
        when the review has neither)."""
        target = self.metrics.targets.resolve
        if target is not None or self.severity is None:
            return target
        return DEFAULT_RESOLVE_TARGETS[self.severity]

    @property
    def response_metrics(self) -> tuple[ResponseMetric, ...]:
        """Time to detect, acknowledge, mitigate and resolve, from the timeline."""
        detected = self.milestone(Milestone.DETECTED)
        declared = self.milestone(Milestone.DECLARED)
        restored = self.milestone(Milestone.SERVICE_RESTORED)
        targets = self.metrics.targets

        return (
            ResponseMetric(
                name="Time to Detect", actual=between(self.started_at, detected), target=targets.detect
            ),
            ResponseMetric(
                name="Time to Acknowledge", actual=between(detected, declared), target=targets.acknowledge
            ),
            ResponseMetric(
                name="Time to Mitigate", actual=between(self.started_at, restored), target=targets.mitigate
            ),
            ResponseMetric(
                name="Time to Resolve", actual=self.duration, target=self.resolve_target
            ),
        )

    @property
    def shown_duration(self) -> Duration | None:
        """The duration as stated, else end minus start."""
        return self.stated_duration if self.stated_duration is not None else self.duration

    @property
    def total_downtime(self) -> Duration | None:
        """Stated downtime, else the incident's duration."""
        stated = self.metrics.impact.total_downtime
        return stated if stated is not None else self.shown_duration


document_fields(globals())  # help(pirdoc.Review) lists each field with its description
