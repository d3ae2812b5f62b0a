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
from typing import Literal, TypeAlias

import attrs

from pirdoc.model import Milestone, Review, Status

__all__ = ["Level", "Problem", "check"]

Level: TypeAlias = Literal["error", "warning"]

ACTION_ID = re.compile(r"^AI-[1-9][0-9]*$")
INCIDENT_ID = re.compile(r"^INC-(?P<year>[0-9]{4})-[0-9]{4,}$")
MAX_WHYS = 5
# Stated metrics are usually rounded to the minute; smaller differences are not disagreements.
METRIC_TOLERANCE = dt.timedelta(minutes=1)


@attrs.frozen(kw_only=True)
class Problem:
    """Something wrong with a review, at ``path`` (``timeline[3].at``; empty for the whole review)."""

    path: str
    message: str
    level: Level = "error"

    def __str__(self) -> str:
        prefix = "" if self.level == "error" else "warning: "
        return f"{self.path or 'review'}: {prefix}{self.message}"


Rule: TypeAlias = Callable[[Review], Iterator[Problem]]


def _error(path: str, message: str) -> Problem:
    return Problem(path=path, message=message, level="error")


def _warning(path: str, message: str) -> Problem:
    return Problem(path=path, message=message, level="warning")


def _when(value: dt.datetime) -> str:
    if value.tzinfo is None:
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC").replace(":00 UTC", " UTC")


def _span(value: dt.timedelta) -> str:
    from pirdoc.serde import format_duration  # serde imports the converter; keep checks light

    return format_duration(value)


# ---------------------------------------------------------------------------- rules


def _aware_datetimes(review: Review) -> Iterator[Problem]:
    for path, value in _datetimes(review):
        if value.tzinfo is None or value.utcoffset() is None:
            yield _error(path, "date-time has no timezone; make it timezone-aware (UTC)")


def _datetimes(review: Review) -> Iterator[tuple[str, dt.datetime]]:
    yield "started_at", review.started_at
    if review.ended_at is not None:
        yield "ended_at", review.ended_at
    for index, event in enumerate(review.timeline):
        yield f"timeline[{index}].at", event.at
    for index, update in enumerate(review.communication.internal_timeline):
        yield f"communication.internal_timeline[{index}].at", update.at
    stakeholders = review.communication.stakeholders
    for name in ("executive_briefing", "customer_success_team", "sales_team"):
        value = getattr(stakeholders, name)
        if value is not None:
            yield f"communication.stakeholders.{name}", value
    if review.metrics.impact.recovery_point is not None:
        yield "metrics.impact.recovery_point", review.metrics.impact.recovery_point


def _end_after_start(review: Review) -> Iterator[Problem]:
    if review.ended_at is not None and review.ended_at <= review.started_at:
        yield _error(
            "ended_at",
            f"the incident ends ({_when(review.ended_at)}) before it starts ({_when(review.started_at)})"
            if review.ended_at < review.started_at
            else "the incident ends at the moment it starts",
        )


def _timeline_in_order(review: Review) -> Iterator[Problem]:
    for index in range(1, len(review.timeline)):
        previous, event = review.timeline[index - 1], review.timeline[index]
        if event.at < previous.at:
            yield _error(
                f"timeline[{index}].at",
                f"out of order: {_when(event.at)} is before the event above it "
                f"(timeline[{index - 1}], {_when(previous.at)})",
            )


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
            if review.timeline[index].at >= review.timeline[first[event.kind]].at:
                continue
        first[event.kind] = index
        if event.at < review.started_at:
            yield _error(
                f"timeline[{index}].at",
                f"milestone {event.kind.title!r} ({_when(event.at)}) is before the incident started "
                f"({_when(review.started_at)})",
            )
    present = [kind for kind in _MILESTONE_CHAIN if kind in first]
    for earlier, later in itertools.pairwise(present):
        at_earlier = review.timeline[first[earlier]].at
        at_later = review.timeline[first[later]].at
        if at_later < at_earlier:
            yield _error(
                f"timeline[{first[later]}].at",
                f"milestone {later.title!r} ({_when(at_later)}) is before {earlier.title!r} ({_when(at_earlier)})",
            )


def _incident_id(review: Review) -> Iterator[Problem]:
    match = INCIDENT_ID.match(review.incident_id)
    if match is None:
        yield _error("incident_id", f"not a well-formed incident id: {review.incident_id!r} (expected INC-YYYY-NNNN)")
    elif int(match["year"]) != review.started_at.year:
        yield _warning(
            "incident_id",
            f"the year in {review.incident_id!r} is not the year the incident started ({review.started_at.year})",
        )


def _action_items(review: Review) -> Iterator[Problem]:
    seen: dict[str, int] = {}
    for index, item in enumerate(review.action_items):
        path = f"action_items[{index}]"
        if not ACTION_ID.match(item.id):
            yield _error(f"{path}.id", f"not a well-formed action-item id: {item.id!r} (expected AI-<n>, e.g. AI-3)")
        elif item.id in seen:
            yield _error(f"{path}.id", f"duplicate action-item id {item.id!r} (also action_items[{seen[item.id]}])")
        else:
            seen[item.id] = index
        if item.due is not None:
            latest = review.review_date + item.horizon.limit
            if item.due > latest:
                yield _warning(
                    f"{path}.due",
                    f"due {item.due.isoformat()}, after the {item.horizon.value} horizon "
                    f"({item.horizon.limit.days} days from the review date, {latest.isoformat()})",
                )


def _ranges(review: Review) -> Iterator[Problem]:
    percentage = review.impact.user.percentage_of_user_base
    if percentage is not None and not (0 <= percentage <= 100):
        shown = "not a number" if math.isnan(percentage) else f"{percentage:g}"
        yield _error("impact.user.percentage_of_user_base", f"a percentage must be between 0 and 100, got {shown}")
    counts = {
        "impact.user.total_users_affected": review.impact.user.total_users_affected,
        "metrics.impact.failed_requests": review.metrics.impact.failed_requests,
        "communication.external.status_page_updates": review.communication.external.status_page_updates,
    }
    for path, count in counts.items():
        if count is not None and count < 0:
            yield _error(path, f"a count cannot be negative, got {count}")
    for path, span in _durations(review):
        if span < dt.timedelta(0):
            yield _error(path, f"a duration cannot be negative, got {_span(span)}")


def _durations(review: Review) -> Iterator[tuple[str, dt.timedelta]]:
    if review.impact.technical.recovery_time is not None:
        yield "impact.technical.recovery_time", review.impact.technical.recovery_time
    if review.metrics.impact.total_downtime is not None:
        yield "metrics.impact.total_downtime", review.metrics.impact.total_downtime
    for group in ("targets", "stated"):
        values = getattr(review.metrics, group)
        for field in attrs.fields(type(values)):
            value = getattr(values, field.name)
            if value is not None:
                yield f"metrics.{group}.{field.name}", value


def _five_whys(review: Review) -> Iterator[Problem]:
    whys = review.root_cause.five_whys
    if len(whys) > MAX_WHYS:
        yield _error(
            f"root_cause.five_whys[{MAX_WHYS}]", f"at most {MAX_WHYS} whys, got {len(whys)}; merge or drop some"
        )


_STATED = (
    ("time_to_detect", "Time to Detect"),
    ("time_to_acknowledge", "Time to Acknowledge"),
    ("time_to_mitigate", "Time to Mitigate"),
    ("time_to_resolve", "Time to Resolve"),
)


def _stated_metrics(review: Review) -> Iterator[Problem]:
    derived = {metric.name: metric.actual for metric in review.response_metrics}
    for field, name in _STATED:
        stated = getattr(review.metrics.stated, field)
        actual = derived.get(name)
        if stated is None or actual is None:
            continue
        if abs(stated - actual) >= METRIC_TOLERANCE:
            yield _warning(
                f"metrics.stated.{field}",
                f"stated {_span(stated)}, but the timeline gives {_span(actual)}",
            )


# ---------------------------------------------------------------------------- Final completeness


def _filled(value: object) -> bool:
    return value is not None and value != () and value != ""


def _final_required(review: Review) -> Iterator[Problem]:
    required: dict[str, object] = {
        "title": review.title,
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


RULES: tuple[Rule, ...] = (
    _aware_datetimes,
    _end_after_start,
    _timeline_in_order,
    _milestones,
    _incident_id,
    _action_items,
    _ranges,
    _five_whys,
    _stated_metrics,
)
FINAL_RULES: tuple[Rule, ...] = (_final_required, _final_action_items, _final_approvals)


def check(review: Review, final: bool = False) -> list[Problem]:
    """Every problem with ``review``, errors and warnings, in rule order.

    With ``final=True``, or when the review's status is Final, the review must also be
    complete: every section the template requires filled in, every action item owned and
    dated, every approval given.
    """
    rules = RULES + FINAL_RULES if final or review.status is Status.FINAL else RULES
    problems: list[Problem] = []
    for rule in rules:
        try:
            problems.extend(rule(review))
        except Exception as exc:  # a review built in Python may hold values no rule expects
            problems.append(_error("", f"could not run check {rule.__name__.lstrip('_')}: {exc}"))
    return problems
