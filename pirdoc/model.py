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
from typing import Any, ClassVar, TypeAlias

import attrs

from pirdoc import values as v
from pirdoc._gate import FieldError, gate
from pirdoc.values import Duration, Instant, Quantity

__all__ = [
    "DEFAULT_RESOLVE_TARGETS",
    "ActionItem",
    "ActionStatus",
    "Approval",
    "Aspect",
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
    "Person",
    "Phase",
    "PreventionMeasures",
    "ResponseMetric",
    "ResponseTargets",
    "Review",
    "ReviewMeeting",
    "RootCauseAnalysis",
    "ServicesAffected",
    "Severity",
    "StakeholderCommunication",
    "StatedMetrics",
    "Status",
    "StatusUpdate",
    "Visibility",
    "TechnicalImpact",
    "TimelineEvent",
    "UserImpact",
    "WhatWentWell",
    "WhatWentWrong",
    "Why",
    "is_markdown",
]


def clean_text(value: Any) -> Any:
    """Strip surrounding whitespace from a string and turn an empty one into None.

    Used as the converter of every optional text field, so that "" and None mean the same
    thing ("not recorded") everywhere.
    """
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


InstantInput: TypeAlias = "Instant | dt.datetime | dt.date | str | None"
"""What a time field accepts: an `Instant`, a date-time, a date, or text (as a review file writes it)."""
QuantityInput: TypeAlias = "Quantity | float | str | None"
"""What a count field accepts: a `Quantity`, a number, or text (``~8.5 million``)."""
DurationInput: TypeAlias = "Duration | dt.timedelta | str | None"
"""What a duration field accepts: a `Duration`, a timedelta, or text (``about 18 hours``)."""


def _instant(value: InstantInput) -> Instant | None:
    """A date-time, date or text as an `Instant` (text as a data file writes it, or as people do)."""
    if isinstance(value, dt.datetime | dt.date):
        return Instant.of(value)
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        try:
            return v.parse_instant_wire(text)
        except ValueError:
            return v.parse_instant(text)
    return value


def _quantity(value: QuantityInput) -> Quantity | None:
    """A number or text as a `Quantity`."""
    converted: Quantity | None = v.coerce_number(value)
    return converted


def _duration(value: DurationInput) -> Duration | None:
    """A timedelta or text as a `Duration`."""
    if isinstance(value, dt.timedelta):
        return Duration.of(value)
    if isinstance(value, str):
        return v.parse_duration_text(value) if value.strip() else None
    return value


def _strip(value: str) -> str:
    return value.strip() if isinstance(value, str) else value


def _tuple(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def _text_tuple(value: Any) -> Any:
    """A tuple of non-empty, stripped strings."""
    if isinstance(value, list | tuple):
        return tuple(t for t in (clean_text(v) for v in value) if t is not None)
    return value


MARKDOWN = "markdown"
"""Metadata key marking a text field whose value is Markdown (narrative) rather than plain text."""


def _optional_text(*, markdown: bool = True) -> Any:
    return attrs.field(default=None, converter=clean_text, metadata={MARKDOWN: markdown})


def _required_text(*, markdown: bool = True) -> Any:
    return attrs.field(converter=_strip, metadata={MARKDOWN: markdown})


def _texts(*, markdown: bool = True) -> Any:
    return attrs.field(default=(), converter=_text_tuple, metadata={MARKDOWN: markdown})


def is_markdown(attribute: attrs.Attribute[Any]) -> bool:
    """True if the field holds Markdown (narrative), False if it holds plain text."""
    return bool(attribute.metadata.get(MARKDOWN, False))


class Severity(enum.Enum):
    """Incident severity; SEV-1 is the worst."""

    SEV1 = "SEV-1"
    SEV2 = "SEV-2"
    SEV3 = "SEV-3"
    SEV4 = "SEV-4"


class Status(enum.Enum):
    """Document status of the review."""

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


@attrs.frozen(kw_only=True, field_transformer=gate)
class Person:
    """Someone named in the review (in a review file, a plain name or a mapping)."""

    FROM_TEXT: ClassVar[str] = "name"
    """The field a plain text fills."""

    name: str = _required_text(markdown=False)
    """Full name as it should be shown."""
    role: str | None = _optional_text(markdown=False)
    """Role in this incident or review (``Incident Commander``, ``SRE``)."""
    email: str | None = _optional_text(markdown=False)
    """E-mail address, if known."""
    confluence_account_id: str | None = _optional_text(markdown=False)
    """Atlassian account id, for user mentions on Confluence Cloud."""
    confluence_userkey: str | None = _optional_text(markdown=False)
    """User key, for user mentions on Confluence Data Center."""


@attrs.frozen(kw_only=True, field_transformer=gate)
class DataImpact:
    """Whether something happened to data (loss, corruption), and the details."""

    occurred: bool | None = None
    """True if it happened, False if it did not, None if not recorded."""
    details: str | None = _optional_text(markdown=True)
    """What and how much (Markdown)."""


@attrs.frozen(kw_only=True, field_transformer=gate)
class CheckItem:
    """One checklist line."""

    text: str = _required_text(markdown=True)
    """What the line says (Markdown inline text)."""
    done: bool = False
    """Whether it is ticked."""


@attrs.frozen(kw_only=True, field_transformer=gate)
class NamedLink:
    """A link with a label."""

    label: str = _required_text(markdown=False)
    url: str = _required_text(markdown=False)


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


@attrs.frozen(kw_only=True, field_transformer=gate)
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


@attrs.frozen(kw_only=True, field_transformer=gate)
class Detail:
    """A labelled value the template has no field for: an extra table row or column."""

    label: str = _required_text(markdown=False)
    visibility: Visibility | None = None
    """Who may read this row or column (overrides the default; see docs/audiences.md)."""
    value: str | None = _optional_text(markdown=True)
    """What was written (Markdown inline text)."""


# ---------------------------------------------------------------------------- sections


@attrs.frozen(kw_only=True, field_transformer=gate)
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


@attrs.frozen(kw_only=True, field_transformer=gate)
class ServicesAffected:
    """The template's five services, plus any others."""

    backend_api: bool = False
    frontend: bool = False
    database: bool = False
    redis_cache: bool = False
    monitoring: bool = False
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


@attrs.frozen(kw_only=True, field_transformer=gate)
class UserImpact:
    """How users were affected."""

    total_users_affected: Quantity | None = attrs.field(default=None, converter=_quantity)
    """How many users, as written (``~8.5 million``, ``12,345 (3.5%)``)."""
    percentage_of_user_base: Quantity | None = attrs.field(default=None, converter=_quantity)
    """Share of all users affected, 0–100."""
    geographic_regions: tuple[str, ...] = _texts(markdown=False)
    user_facing_errors: str | None = _optional_text(markdown=True)


@attrs.frozen(kw_only=True, field_transformer=gate)
class BusinessImpact:
    """What the incident cost the business."""

    revenue_impact: str | None = _optional_text(markdown=True)
    """An amount with its currency (``$12,400``) or a description."""
    sla_breach: bool | None = None
    reputation_impact: Level | None = None
    regulatory_implications: bool | None = None


@attrs.frozen(kw_only=True, field_transformer=gate)
class TechnicalImpact:
    """What the incident did to systems and data."""

    data_loss: DataImpact = DataImpact()
    data_corruption: DataImpact = DataImpact()
    service_degradation: str | None = _optional_text(markdown=True)
    recovery_time: Duration | None = attrs.field(default=None, converter=_duration)


@attrs.frozen(kw_only=True, field_transformer=gate)
class ImpactAssessment:
    """User, business and technical impact."""

    user: UserImpact = UserImpact()
    business: BusinessImpact = BusinessImpact()
    technical: TechnicalImpact = TechnicalImpact()


@attrs.frozen(kw_only=True, field_transformer=gate)
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


@attrs.frozen(kw_only=True, field_transformer=gate)
class ContributingFactor:
    """Something that made the incident possible or worse."""

    title: str = _required_text(markdown=True)
    visibility: Visibility | None = None
    """Who may read this factor (overrides the default; see docs/audiences.md)."""
    description: str | None = _optional_text(markdown=True)
    impact: str | None = _optional_text(markdown=True)
    """How it contributed."""


@attrs.frozen(kw_only=True, field_transformer=gate)
class Why:
    """One step of a five-whys analysis."""

    question: str = _required_text(markdown=True)
    answer: str | None = _optional_text(markdown=True)


@attrs.frozen(kw_only=True, field_transformer=gate)
class RootCauseAnalysis:
    """Why it happened."""

    what_happened: str | None = _optional_text(markdown=True)
    why_it_happened: str | None = _optional_text(markdown=True)
    why_not_caught_earlier: str | None = _optional_text(markdown=True)
    contributing_factors: tuple[ContributingFactor, ...] = attrs.field(default=(), converter=_tuple)
    five_whys: tuple[Why, ...] = attrs.field(default=(), converter=_tuple)
    """Up to five questions and answers, in order."""


@attrs.frozen(kw_only=True, field_transformer=gate)
class Aspect:
    """Something that went well."""

    title: str = _required_text(markdown=True)
    what: str | None = _optional_text(markdown=True)
    why_it_helped: str | None = _optional_text(markdown=True)


@attrs.frozen(kw_only=True, field_transformer=gate)
class WhatWentWell:
    """Positive aspects and effective procedures."""

    aspects: tuple[Aspect, ...] = attrs.field(default=(), converter=_tuple)
    effective_procedures: tuple[str, ...] = _texts(markdown=True)


@attrs.frozen(kw_only=True, field_transformer=gate)
class Issue:
    """Something that went wrong in the response."""

    title: str = _required_text(markdown=True)
    what: str | None = _optional_text(markdown=True)
    impact: str | None = _optional_text(markdown=True)
    """How it affected the response."""
    severity: Level | None = None


@attrs.frozen(kw_only=True, field_transformer=gate)
class WhatWentWrong:
    """Issues identified and gaps in procedures."""

    issues: tuple[Issue, ...] = attrs.field(default=(), converter=_tuple)
    procedure_gaps: tuple[str, ...] = _texts(markdown=True)


@attrs.frozen(kw_only=True, field_transformer=gate)
class ActionItem:
    """A follow-up action."""

    id: str = _required_text(markdown=False)
    """The item's id as the team writes it (``AI-3``, ``PLAT-1202``, ``#42``), unique within the review."""
    action: str = _required_text(markdown=True)
    visibility: Visibility | None = None
    """Who may read this action item (overrides the default; see docs/audiences.md)."""
    horizon: Horizon
    owner: Person | None = None
    due: dt.date | None = None
    status: ActionStatus = ActionStatus.OPEN
    link: str | None = _optional_text(markdown=False)
    """The tracker ticket (URL)."""
    details: tuple[Detail, ...] = attrs.field(default=(), converter=_tuple)
    """Further columns the team's table has (``Priority``), in order."""


@attrs.frozen(kw_only=True, field_transformer=gate)
class Lesson:
    """A lesson learned."""

    title: str = _required_text(markdown=True)
    learned: str | None = _optional_text(markdown=True)
    """What we learned."""
    how_to_apply: str | None = _optional_text(markdown=True)


@attrs.frozen(kw_only=True, field_transformer=gate)
class LessonsLearned:
    """Technical, process and communication lessons."""

    technical: tuple[Lesson, ...] = attrs.field(default=(), converter=_tuple)
    process: tuple[Lesson, ...] = attrs.field(default=(), converter=_tuple)
    communication: tuple[Lesson, ...] = attrs.field(default=(), converter=_tuple)


@attrs.frozen(kw_only=True, field_transformer=gate)
class PreventionMeasures:
    """Improvements planned, as three checklists."""

    monitoring: tuple[CheckItem, ...] = attrs.field(default=(), converter=_tuple)
    process: tuple[CheckItem, ...] = attrs.field(default=(), converter=_tuple)
    technical: tuple[CheckItem, ...] = attrs.field(default=(), converter=_tuple)


@attrs.frozen(kw_only=True, field_transformer=gate)
class StatusUpdate:
    """One internal communication sent during the incident."""

    at: Instant | None = attrs.field(default=None, converter=_instant)
    visibility: Visibility | None = None
    """Who may read this update (overrides the default; see docs/audiences.md)."""
    message: str = _required_text(markdown=True)


@attrs.frozen(kw_only=True, field_transformer=gate)
class ExternalCommunication:
    """What customers were told."""

    status_page_updates: Quantity | None = attrs.field(default=None, converter=_quantity)
    email_notifications: bool | None = None
    social_media: bool | None = None


@attrs.frozen(kw_only=True, field_transformer=gate)
class StakeholderCommunication:
    """When stakeholders were briefed."""

    executive_briefing: Instant | None = attrs.field(default=None, converter=_instant)
    customer_success_team: Instant | None = attrs.field(default=None, converter=_instant)
    sales_team: Instant | None = attrs.field(default=None, converter=_instant)


@attrs.frozen(kw_only=True, field_transformer=gate)
class Communication:
    """Internal and external communication."""

    internal_timeline: tuple[StatusUpdate, ...] = attrs.field(default=(), converter=_tuple)
    channels: tuple[str, ...] = _texts(markdown=True)
    what_worked: str | None = _optional_text(markdown=True)
    what_did_not_work: str | None = _optional_text(markdown=True)
    improvements_needed: str | None = _optional_text(markdown=True)
    external: ExternalCommunication = ExternalCommunication()
    stakeholders: StakeholderCommunication = StakeholderCommunication()


@attrs.frozen(kw_only=True, field_transformer=gate)
class ResponseTargets:
    """Targets of the response metrics. ``resolve`` None means the severity's default."""

    detect: dt.timedelta = dt.timedelta(minutes=5)
    acknowledge: dt.timedelta = dt.timedelta(minutes=5)
    mitigate: dt.timedelta = dt.timedelta(minutes=30)
    resolve: dt.timedelta | None = None


@attrs.frozen(kw_only=True, field_transformer=gate)
class StatedMetrics:
    """Response metrics as a review states them by hand, when it does.

    They are derived from the timeline anyway; stated values are kept so that the checks can
    report where the two disagree."""

    time_to_detect: Duration | None = attrs.field(default=None, converter=_duration)
    time_to_acknowledge: Duration | None = attrs.field(default=None, converter=_duration)
    time_to_mitigate: Duration | None = attrs.field(default=None, converter=_duration)
    time_to_resolve: Duration | None = attrs.field(default=None, converter=_duration)


@attrs.frozen(kw_only=True, field_transformer=gate)
class ImpactMetrics:
    """Impact in numbers (users affected come from the user impact)."""

    total_downtime: Duration | None = attrs.field(default=None, converter=_duration)
    """Time the service was down; None means the whole incident duration."""
    failed_requests: Quantity | None = attrs.field(default=None, converter=_quantity)
    data_loss_amount: str | None = _optional_text(markdown=True)
    recovery_point: Instant | None = attrs.field(default=None, converter=_instant)
    details: tuple[Detail, ...] = attrs.field(default=(), converter=_tuple)
    """Further rows of the impact-metrics table, in order."""


@attrs.frozen(kw_only=True, field_transformer=gate)
class Metrics:
    """Targets, stated response metrics and impact metrics."""

    targets: ResponseTargets = ResponseTargets()
    stated: StatedMetrics = StatedMetrics()
    impact: ImpactMetrics = ImpactMetrics()


@attrs.frozen(kw_only=True, field_transformer=gate)
class ResponseMetric:
    """A response metric derived from the timeline, compared with its target."""

    name: str
    actual: Duration | None
    """None when a time it needs is missing or not known to the minute ("not measured");
    approximate when a time it comes from is approximate or a range."""
    target: dt.timedelta | None

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


@attrs.frozen(kw_only=True, field_transformer=gate)
class Links:
    """Where to find more."""

    incident_ticket: str | None = _optional_text(markdown=False)
    monitoring_dashboard: str | None = _optional_text(markdown=False)
    related_incidents: tuple[str, ...] = _texts(markdown=False)
    action_item_tracker: str | None = _optional_text(markdown=False)
    other: tuple[NamedLink, ...] = attrs.field(default=(), converter=_tuple)


@attrs.frozen(kw_only=True, field_transformer=gate)
class Attachments:
    """Supporting documents (a checklist) and links."""

    supporting_documents: tuple[CheckItem, ...] = attrs.field(
        factory=_default_supporting_documents, converter=_tuple
    )
    links: Links = Links()


@attrs.frozen(kw_only=True, field_transformer=gate)
class ReviewMeeting:
    """The post-incident review meeting."""

    date: dt.date | None = None
    attendees: tuple[Person, ...] = attrs.field(default=(), converter=_tuple)
    """People who attended, each with their role."""
    discussion_points: tuple[str, ...] = _texts(markdown=True)


@attrs.frozen(kw_only=True, field_transformer=gate)
class Approval:
    """One sign-off."""

    role: str = _required_text(markdown=False)
    approver: Person | None = None
    approved: bool | None = None
    """True approved, False refused, None not yet decided."""
    date: dt.date | None = None


def _default_approvals() -> tuple[Approval, ...]:
    return tuple(
        Approval(role=role)
        for role in ("Incident Commander", "Technical Lead", "Engineering Manager")
    )


@attrs.frozen(kw_only=True, field_transformer=gate)
class CadenceStep:
    """A step of the action-item review cadence."""

    when: str = _required_text(markdown=False)
    what: str = _required_text(markdown=True)


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


@attrs.frozen(kw_only=True, field_transformer=gate)
class FollowUp:
    """How the action items will be followed up and the knowledge shared."""

    next_review_date: dt.date | None = None
    cadence: tuple[CadenceStep, ...] = attrs.field(factory=_default_cadence, converter=_tuple)
    knowledge_sharing: tuple[CheckItem, ...] = attrs.field(
        factory=_default_knowledge_sharing, converter=_tuple
    )


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


@attrs.frozen(kw_only=True, field_transformer=gate)
class Review:
    """A post-incident review: everything the template asks for."""

    incident_id: str = _required_text(markdown=False)
    """The incident's id as the team's tools write it (``INC-2024-0042``, ``PD-12345``)."""
    title: str = _required_text(markdown=False)
    """What the incident is called, e.g. ``Checkout outage``."""
    severity: Severity | None = None
    """How bad it was; None when the review does not say (the documents show "Not recorded")."""
    started_at: Instant | None = attrs.field(default=None, converter=_instant)
    """Start of the incident, as written; None when nobody recorded it."""
    ended_at: Instant | None = attrs.field(default=None, converter=_instant)
    """End of the incident; None while it is not over or not recorded."""
    stated_duration: Duration | None = attrs.field(default=None, converter=_duration)
    """The duration as the review states it (``about 18 hours``, ``24 h 11 min (degraded
    service)``); shown instead of end minus start when given."""
    date: dt.date | None = None
    """The review's date; None means the start date."""
    status: Status = Status.DRAFT
    classification: str = attrs.field(default="Confidential", converter=_strip)
    """Handling label printed in document headers."""
    summary: ExecutiveSummary = ExecutiveSummary()
    incident_commander: Person | None = None
    technical_lead: Person | None = None
    other_roles: tuple[Person, ...] = attrs.field(default=(), converter=_tuple)
    """Further responders with their roles (communications lead, scribe …)."""
    services: ServicesAffected = ServicesAffected()
    impact: ImpactAssessment = ImpactAssessment()
    timeline: tuple[TimelineEvent, ...] = attrs.field(default=(), converter=_tuple)
    root_cause: RootCauseAnalysis = RootCauseAnalysis()
    went_well: WhatWentWell = WhatWentWell()
    went_wrong: WhatWentWrong = WhatWentWrong()
    action_items: tuple[ActionItem, ...] = attrs.field(default=(), converter=_tuple)
    lessons: LessonsLearned = LessonsLearned()
    prevention: PreventionMeasures = PreventionMeasures()
    communication: Communication = Communication()
    metrics: Metrics = Metrics()
    attachments: Attachments = Attachments()
    review_meeting: ReviewMeeting = ReviewMeeting()
    approvals: tuple[Approval, ...] = attrs.field(factory=_default_approvals, converter=_tuple)
    follow_up: FollowUp = FollowUp()
    last_updated: dt.date | None = None
    next_review: dt.date | None = None
    owner: Person | None = None
    """Who owns this document."""
    details: tuple[Detail, ...] = attrs.field(default=(), converter=_tuple)
    """Further rows of the Basic Information table, in order."""
    notes: tuple[Note, ...] = attrs.field(default=(), converter=_tuple)
    """Writing the template has no field for, each kept where it was written."""
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

    @property
    def duration(self) -> Duration | None:
        """End minus start, approximate when either is; None when either is not known to the
        minute."""
        return _between(self.started_at, self.ended_at)

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
                name="Time to Detect", actual=_between(self.started_at, detected), target=targets.detect
            ),
            ResponseMetric(
                name="Time to Acknowledge", actual=_between(detected, declared), target=targets.acknowledge
            ),
            ResponseMetric(
                name="Time to Mitigate", actual=_between(self.started_at, restored), target=targets.mitigate
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


def _between(first: Instant | None, last: Instant | None) -> Duration | None:
    """From ``first`` to ``last``, when both are known to the minute; approximate unless both
    are exact points."""
    if first is None or last is None or first.point is None or last.point is None:
        return None
    return Duration(value=last.point - first.point, approximate=not (first.exact and last.exact))
