"""Checks: rules that span fields (chronology, ids, ranges, metrics, Final completeness).

`check` runs every rule and returns all problems at once, each a `Problem` with the path of the
value it is about (``timeline[3].at``), a message and a level. Checks never print and never raise:
a rule that trips over a value it cannot compare (say a naive date-time built in Python) reports
that as a problem instead.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import re
from collections.abc import Callable, Iterator
from typing import TypeAlias

import attrs

from pirdoc.model import Milestone, Review, Status
from pirdoc.problem import Level, Problem
from pirdoc.values import Duration, Instant, format_duration, format_instant, timedelta_text

__all__ = ["Level", "Problem", "check"]

ACTION_ID = re.compile(r"^AI-[1-9][0-9]*$")
INCIDENT_ID = re.compile(r"^INC-(?P<year>[0-9]{4})-[0-9]{4,}$")
# Ids as incident tools and trackers write them: INC-123, payments-4821, PD-12345, PLAT-1202, #42.
TEAM_ID = re.compile(r"^[#A-Za-z0-9][A-Za-z0-9_.#/:-]*$", re.ASCII)
MAX_WHYS = 5
# Stated metrics are usually rounded to the minute; smaller differences are not disagreements.
METRIC_TOLERANCE = dt.timedelta(minutes=1)


Rule: TypeAlias = Callable[[Review], Iterator[Problem]]


def _error(path: str, message: str) -> Problem:
    return Problem(path=path, message=message, level="error")


def _warning(path: str, message: str) -> Problem:
    return Problem(path=path, message=message, level="warning")


def _when(value: Instant) -> str:
    return format_instant(value)


def _span(value: dt.timedelta) -> str:
    return timedelta_text(value)


# ---------------------------------------------------------------------------- rules


def _aware_datetimes(review: Review) -> Iterator[Problem]:
    for path, value in _instants(review):
        for moment in (value.start, value.end):
            if moment is not None and (moment.tzinfo is None or moment.utcoffset() is None):
                yield _error(path, "date-time has no timezone; make it timezone-aware (UTC)")
                break


def _instants(review: Review) -> Iterator[tuple[str, Instant]]:
    if review.started_at is not None:
        yield "started_at", review.started_at
    if review.ended_at is not None:
        yield "ended_at", review.ended_at
    for index, event in enumerate(review.timeline):
        if event.at is not None:
            yield f"timeline[{index}].at", event.at
    for index, update in enumerate(review.communication.internal_timeline):
        if update.at is not None:
            yield f"communication.internal_timeline[{index}].at", update.at
    stakeholders = review.communication.stakeholders
    for name in ("executive_briefing", "customer_success_team", "sales_team"):
        value = getattr(stakeholders, name)
        if value is not None:
            yield f"communication.stakeholders.{name}", value
    if review.metrics.impact.recovery_point is not None:
        yield "metrics.impact.recovery_point", review.metrics.impact.recovery_point


def _essentials_recorded(review: Review) -> Iterator[Problem]:
    if review.severity is None:
        yield _warning("severity", "no severity recorded; the documents say so")
    if review.started_at is None or not review.started_at.known:
        yield _warning(
            "started_at",
            "no start time recorded; the documents say so, and metrics that need it are not measured",
        )


def _unread_values(review: Review) -> Iterator[Problem]:
    for path, value in _instants(review):
        if not value.known and value.text is not None and path != "started_at":
            yield _warning(path, f"{value.text!r} names no time pirdoc can place; shown as written, left out of "
                           "the metrics and the timeline figure")


def _before(later: Instant, earlier: Instant) -> bool:
    """True when ``later`` certainly lies before ``earlier`` (their bounds do not overlap)."""
    last, first = later.latest, earlier.earliest
    return last is not None and first is not None and last < first


def _end_after_start(review: Review) -> Iterator[Problem]:
    start, end = review.started_at, review.ended_at
    if start is None or end is None or not start.known or not end.known:
        return
    if _before(end, start):
        yield _error("ended_at", f"the incident ends ({_when(end)}) before it starts ({_when(start)})")
    elif start.exact and end.exact and start.timed and end.timed and end.start == start.start:
        yield _error("ended_at", "the incident ends at the moment it starts")


def _timeline_in_order(review: Review) -> Iterator[Problem]:
    previous: tuple[int, Instant] | None = None
    for index, event in enumerate(review.timeline):
        if event.at is None or not event.at.known:
            continue
        if previous is not None and _before(event.at, previous[1]):
            yield _error(
                f"timeline[{index}].at",
                f"out of order: {_when(event.at)} is before the event above it "
                f"(timeline[{previous[0]}], {_when(previous[1])})",
            )
        previous = (index, event.at)


_MILESTONE_CHAIN = (Milestone.DETECTED, Milestone.DECLARED, Milestone.SERVICE_RESTORED, Milestone.CLOSED)


def _milestones(review: Review) -> Iterator[Problem]:
    first: dict[Milestone, int] = {}
    for index, event in enumerate(review.timeline):
        if event.kind is None:
            continue
        if event.kind in first:
            yield _warning(
                f"timeline[{index}].kind",
                f"a second {event.kind.value!r} milestone (the first is timeline[{first[event.kind]}]); "
                "the metrics use the earliest",
            )
            earlier = review.timeline[first[event.kind]].at
            if event.at is None or earlier is None or not _before(event.at, earlier):
                continue
        first[event.kind] = index
        start = review.started_at
        if event.at is not None and start is not None and _before(event.at, start):
            yield _error(
                f"timeline[{index}].at",
                f"milestone {event.kind.title!r} ({_when(event.at)}) is before the incident started "
                f"({_when(start)})",
            )
    present = [kind for kind in _MILESTONE_CHAIN if kind in first]
    for kind_before, kind_after in itertools.pairwise(present):
        at_earlier = review.timeline[first[kind_before]].at
        at_later = review.timeline[first[kind_after]].at
        if at_earlier is not None and at_later is not None and _before(at_later, at_earlier):
            yield _error(
                f"timeline[{first[kind_after]}].at",
                f"milestone {kind_after.title!r} ({_when(at_later)}) is before {kind_before.title!r}"
                f" ({_when(at_earlier)})",
            )


def _incident_id(review: Review) -> Iterator[Problem]:
    if not review.incident_id:
        yield _error("incident_id", "no incident id; write the id your incident tool gave it")
        return
    if not TEAM_ID.match(review.incident_id):
        yield _error(
            "incident_id", f"not an incident id: {review.incident_id!r} (letters, digits, '-', '_', '.', '#' and '/')"
        )
        return
    match = INCIDENT_ID.match(review.incident_id)
    start = review.started_at.start if review.started_at is not None else None
    if match is None:
        yield _warning(
            "incident_id",
            f"style: {review.incident_id!r} is not in the template's INC-YYYY-NNNN shape (kept as written)",
        )
    elif start is not None and int(match["year"]) != start.year:
        yield _warning(
            "incident_id",
            f"the year in {review.incident_id!r} is not the year the incident started ({start.year})",
        )


def _action_items(review: Review) -> Iterator[Problem]:
    seen: dict[str, int] = {}
    for index, item in enumerate(review.action_items):
        path = f"action_items[{index}]"
        if not item.id or not TEAM_ID.match(item.id):
            yield _error(
                f"{path}.id", f"not an action-item id: {item.id!r} (e.g. AI-3, PLAT-1202 or #42, without spaces)"
            )
        elif item.id in seen:
            yield _error(f"{path}.id", f"duplicate action-item id {item.id!r} (also action_items[{seen[item.id]}])")
        else:
            seen[item.id] = index
            if not ACTION_ID.match(item.id):
                message = f"style: {item.id!r} is not in the template's AI-<n> shape (kept as written)"
                yield _warning(f"{path}.id", message)
        review_date = review.review_date
        if item.due is not None and review_date is not None:
            horizon = review.horizon_of(item)
            latest = review_date + horizon.limit
            if item.due > latest:
                yield _warning(
                    f"{path}.due",
                    f"due {item.due.isoformat()}, after the {horizon.value} horizon "
                    f"({horizon.limit.days} days from the review date, {latest.isoformat()})",
                )


def _ranges(review: Review) -> Iterator[Problem]:
    share = review.impact.user.percentage_of_user_base
    percentage = share.value if share is not None else None
    if percentage is not None and not (0 <= percentage <= 100):
        shown = "not a number" if math.isnan(percentage) else f"{percentage:g}"
        yield _error("impact.user.percentage_of_user_base", f"a percentage must be between 0 and 100, got {shown}")
    counts = {
        "impact.user.total_users_affected": review.impact.user.total_users_affected,
        "metrics.impact.failed_requests": review.metrics.impact.failed_requests,
        "communication.external.status_page_updates": review.communication.external.status_page_updates,
    }
    for path, count in counts.items():
        if count is not None and count.value is not None and count.value < 0:
            yield _error(path, f"a count cannot be negative, got {count.value}")
    for path, span in _durations(review):
        if span < dt.timedelta(0):
            yield _error(path, f"a duration cannot be negative, got {_span(span)}")


def _durations(review: Review) -> Iterator[tuple[str, dt.timedelta]]:
    written: dict[str, Duration | None] = {
        "stated_duration": review.stated_duration,
        "impact.technical.recovery_time": review.impact.technical.recovery_time,
        "metrics.impact.total_downtime": review.metrics.impact.total_downtime,
    }
    stated = review.metrics.stated
    written.update({f"metrics.stated.{f.name}": getattr(stated, f.name) for f in attrs.fields(type(stated))})
    for path, duration in written.items():
        if duration is not None and duration.value is not None:
            yield path, duration.value
    targets = review.metrics.targets
    for field in attrs.fields(type(targets)):
        value = getattr(targets, field.name)
        if value is not None:
            yield f"metrics.targets.{field.name}", value


def _five_whys(review: Review) -> Iterator[Problem]:
    whys = review.root_cause.five_whys
    if len(whys) > MAX_WHYS:
        yield _error(
            f"root_cause.five_whys[{MAX_WHYS}]", f"at most {MAX_WHYS} whys, got {len(whys)}; merge or drop some"
        )


def _document_control(review: Review) -> Iterator[Problem]:
    """Revision numbers are positive, the history runs forward, and the revision is its last."""
    if review.revision is not None and review.revision < 1:
        yield _error("revision", f"a revision number starts at 1, got {review.revision}")
    history = review.revision_history
    for index, entry in enumerate(history):
        if entry.version < 1:
            yield _error(f"revision_history[{index}].version", f"a revision number starts at 1, got {entry.version}")
    for index in range(1, len(history)):
        earlier, later = history[index - 1], history[index]
        if later.version <= earlier.version:
            yield _warning(
                f"revision_history[{index}].version",
                f"version {later.version} follows version {earlier.version}; list revisions oldest first",
            )
        if earlier.date is not None and later.date is not None and later.date < earlier.date:
            yield _warning(
                f"revision_history[{index}].date",
                f"{later.date.isoformat()} is before the previous revision's {earlier.date.isoformat()}"
                "; the history's dates go backwards",
            )
    if review.revision is not None and history and review.revision != history[-1].version:
        yield _warning(
            "revision",
            f"revision {review.revision} disagrees with the revision history, whose last version is "
            f"{history[-1].version}",
        )


_STATED = (
    ("time_to_detect", "Time to Detect"),
    ("time_to_acknowledge", "Time to Acknowledge"),
    ("time_to_mitigate", "Time to Mitigate"),
    ("time_to_resolve", "Time to Resolve"),
)


def _stated_duration(review: Review) -> Iterator[Problem]:
    stated, derived = review.stated_duration, review.duration
    if stated is None or derived is None or stated.value is None or derived.value is None:
        return
    if not (stated.approximate or derived.approximate) and abs(stated.value - derived.value) >= METRIC_TOLERANCE:
        yield _warning(
            "stated_duration",
            f"stated {format_duration(stated)}, but end minus start is {_span(derived.value)}; both are kept",
        )


def _stated_metrics(review: Review) -> Iterator[Problem]:
    derived = {metric.name: metric.actual for metric in review.response_metrics}
    for field, name in _STATED:
        stated = getattr(review.metrics.stated, field)
        actual = derived.get(name)
        # An approximate value on either side is no disagreement to report.
        if stated is None or actual is None or stated.value is None or actual.value is None:
            continue
        if stated.approximate or actual.approximate:
            continue
        if abs(stated.value - actual.value) >= METRIC_TOLERANCE:
            yield _warning(
                f"metrics.stated.{field}",
                f"stated {format_duration(stated)}, but the timeline gives {_span(actual.value)}",
            )


# ---------------------------------------------------------------------------- Final completeness


def _filled(value: object) -> bool:
    return value is not None and value != () and value != ""


def _final_required(review: Review) -> Iterator[Problem]:
    required: dict[str, object] = {
        "title": review.title,
        "severity": review.severity,
        "started_at": review.started_at if review.started_at is not None and review.started_at.known else None,
        "ended_at": review.ended_at,
        "summary.one_line": review.summary.one_line,
        "summary.root_cause": review.summary.root_cause,
        "summary.resolution": review.summary.resolution,
        "incident_commander": review.incident_commander,
        "technical_lead": review.technical_lead,
        "timeline": review.timeline,
        "root_cause.what_happened": review.root_cause.what_happened,
        "root_cause.why_it_happened": review.root_cause.why_it_happened,
        "action_items": review.action_items,
        "review_meeting.date": review.review_meeting.date,
        "review_meeting.attendees": review.review_meeting.attendees,
        "approvals": review.approvals,
        "owner": review.owner,
    }
    for path, value in required.items():
        if not _filled(value):
            yield _error(path, "required in a final review")
    if not review.services.names:
        yield _error("services", "required in a final review: name at least one affected service")
    groups = {
        "went_well": (review.went_well.aspects, review.went_well.effective_procedures),
        "went_wrong": (review.went_wrong.issues, review.went_wrong.procedure_gaps),
        "lessons": (review.lessons.technical, review.lessons.process, review.lessons.communication),
    }
    for path, parts in groups.items():
        if not any(parts):
            yield _error(path, "required in a final review: fill in at least one entry")


def _final_action_items(review: Review) -> Iterator[Problem]:
    for index, item in enumerate(review.action_items):
        if item.owner is None:
            yield _error(f"action_items[{index}].owner", f"{item.id} has no owner; a final review needs one")
        if item.due is None:
            yield _error(f"action_items[{index}].due", f"{item.id} has no due date; a final review needs one")


def _final_approvals(review: Review) -> Iterator[Problem]:
    for index, approval in enumerate(review.approvals):
        path = f"approvals[{index}]"
        if approval.approver is None:
            yield _error(f"{path}.approver", f"no approver named for {approval.role!r}")
        if approval.approved is not True:
            state = "refused" if approval.approved is False else "not given"
            yield _error(f"{path}.approved", f"approval by {approval.role!r} is {state}")
        if approval.date is None:
            yield _error(f"{path}.date", f"approval by {approval.role!r} has no date")


def _visibility_paths(review: Review) -> Iterator[Problem]:
    from pirdoc.audience import unknown_paths  # the audience module is needed only when paths are given

    if review.visibility:
        for path in unknown_paths(review):
            yield _error(f"visibility.{path}", "names no field of a review (see docs/audiences.md)")


RULES: tuple[Rule, ...] = (
    _aware_datetimes,
    _essentials_recorded,
    _unread_values,
    _end_after_start,
    _timeline_in_order,
    _milestones,
    _incident_id,
    _action_items,
    _ranges,
    _five_whys,
    _document_control,
    _stated_metrics,
    _stated_duration,
    _visibility_paths,
)
FINAL_RULES: tuple[Rule, ...] = (_final_required, _final_action_items, _final_approvals)


def check(review: Review, final: bool = False, *, strict: bool = False) -> list[Problem]:
    """Every problem with ``review``, errors and warnings, in rule order.

    With ``final=True``, or when the review's status is Final, the review must also be
    complete: every section the template requires filled in, every action item owned and
    dated, every approval given. With ``strict=True`` every warning is an error (an unknown
    start, an id in a shape other than the template's, a value pirdoc could not read).
    """
    if not isinstance(review, Review):
        raise TypeError(f"check: expected a Review, got {type(review).__name__}")
    rules = RULES + FINAL_RULES if final or review.status is Status.FINAL else RULES
    problems: list[Problem] = []
    for rule in rules:
        problems.extend(rule(review))  # every field holds its type (the model's gate), so no rule fails
    if strict:
        problems = [attrs.evolve(problem, level="error") for problem in problems]
    return problems
