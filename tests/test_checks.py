"""Checks: each rule finds what it is meant to find, with the right path and level."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given

import pirdoc
from pirdoc.checks import Problem, check
from pirdoc.errors import ReviewLoadError
from pirdoc.model import (
    ActionItem,
    Approval,
    Horizon,
    Milestone,
    Person,
    Phase,
    Review,
    Status,
    TimelineEvent,
    Why,
)
from pirdoc.values import Duration, Instant, Precision, Qualifier

from .strategies import reviews

EXAMPLE = Path(__file__).parent.parent / "fixtures" / "example-review.yaml"
START = dt.datetime(2026, 3, 14, 13, 38, tzinfo=dt.UTC)


def at(minutes: int) -> dt.datetime:
    return START + dt.timedelta(minutes=minutes)


@pytest.fixture(scope="module")
def example() -> Review:
    return pirdoc.load(EXAMPLE)


def evolve(review: Review, **changes: Any) -> Review:
    return attrs.evolve(review, **changes)


def found(review: Review, *, final: bool = False) -> set[tuple[str, str]]:
    return {(p.path, p.level) for p in check(review, final=final)}


def event(minutes: int, kind: Milestone | None = None) -> TimelineEvent:
    return TimelineEvent(
        at=at(minutes), title=kind.title if kind else "Note", phase=kind.phase if kind else Phase.RESPONSE, kind=kind
    )


def test_the_example_review_has_no_problems_as_a_draft(example: Review) -> None:
    assert check(example) == []


def test_end_before_start_is_an_error(example: Review) -> None:
    problems = check(evolve(example, ended_at=at(-10)))
    assert Problem(path="ended_at", message=problems[0].message) in problems
    assert "before it starts" in problems[0].message


def test_a_timeline_out_of_order_is_an_error_at_the_later_entry(example: Review) -> None:
    timeline = list(example.timeline)
    earlier = timeline[1].at
    assert earlier is not None
    assert earlier.start is not None
    timeline[3] = attrs.evolve(timeline[3], at=Instant.of(earlier.start - dt.timedelta(minutes=1)))
    problems = check(evolve(example, timeline=tuple(timeline)))
    assert ("timeline[3].at", "error") in {(p.path, p.level) for p in problems}
    assert any("out of order" in p.message for p in problems)


def test_milestones_must_keep_their_order() -> None:
    review = Review(
        incident_id="INC-2026-0001",
        title="t",
        severity=pirdoc.Severity.SEV3,
        started_at=START,
        timeline=(event(5, Milestone.DETECTED), event(20, Milestone.SERVICE_RESTORED), event(30, Milestone.DECLARED)),
    )
    problems = check(review)
    # Restored comes after Declared in the chain, so the restored milestone is the one reported.
    assert [(p.path, p.level) for p in problems] == [("timeline[1].at", "error")]
    assert "'Service Restored'" in problems[0].message
    assert "before 'Incident Declared'" in problems[0].message


def test_a_milestone_before_the_start_is_an_error() -> None:
    review = Review(
        incident_id="INC-2026-0001",
        title="t",
        severity=pirdoc.Severity.SEV3,
        started_at=START,
        timeline=(event(-5, Milestone.DETECTED),),
    )
    assert found(review) == {("timeline[0].at", "error")}


def test_action_item_ids_must_be_unique_and_well_formed(example: Review) -> None:
    items = example.action_items
    broken = (items[0], attrs.evolve(items[1], id=items[0].id), attrs.evolve(items[2], id="AI 3"), *items[3:])
    assert found(evolve(example, action_items=broken)) == {
        ("action_items[1].id", "error"),
        ("action_items[2].id", "error"),
    }


@pytest.mark.parametrize("item_id", ["PLAT-1202", "#42", "ops-7"])
def test_action_item_ids_as_trackers_write_them_are_a_style_warning(example: Review, item_id: str) -> None:
    items = (attrs.evolve(example.action_items[0], id=item_id), *example.action_items[1:])
    problems = check(evolve(example, action_items=items))
    assert [(p.path, p.level) for p in problems] == [("action_items[0].id", "warning")]
    assert "style" in problems[0].message


def test_a_due_date_beyond_its_horizon_is_a_warning(example: Review) -> None:
    assert example.review_date is not None
    item = ActionItem(
        id="AI-99", action="Later", horizon=Horizon.IMMEDIATE, due=example.review_date + dt.timedelta(days=8)
    )
    problems = check(evolve(example, action_items=(*example.action_items, item)))
    index = len(example.action_items)
    assert [(p.path, p.level) for p in problems] == [(f"action_items[{index}].due", "warning")]


@pytest.mark.parametrize("percentage", [-1.0, 100.5])
def test_percentages_must_lie_between_0_and_100(example: Review, percentage: float) -> None:
    user = attrs.evolve(example.impact.user, percentage_of_user_base=percentage)
    review = evolve(example, impact=attrs.evolve(example.impact, user=user))
    assert found(review) == {("impact.user.percentage_of_user_base", "error")}


def test_a_percentage_that_is_not_a_number_is_refused_when_built(example: Review) -> None:
    # As in a review file: NaN is no count, so the constructor refuses it, naming the field.
    with pytest.raises(ReviewLoadError, match=r"^percentage_of_user_base: expected a number"):
        attrs.evolve(example.impact.user, percentage_of_user_base=float("nan"))


def test_counts_must_not_be_negative(example: Review) -> None:
    impact = attrs.evolve(example.metrics.impact, failed_requests=-3)
    review = evolve(example, metrics=attrs.evolve(example.metrics, impact=impact))
    assert found(review) == {("metrics.impact.failed_requests", "error")}


def test_durations_must_not_be_negative(example: Review) -> None:
    technical = attrs.evolve(example.impact.technical, recovery_time=dt.timedelta(minutes=-5))
    review = evolve(example, impact=attrs.evolve(example.impact, technical=technical))
    assert found(review) == {("impact.technical.recovery_time", "error")}


@pytest.mark.parametrize(
    ("incident_id", "expected"),
    [
        ("INC-2026-0142", set()),
        ("INC-2025-0142", {("incident_id", "warning")}),
        ("2026-142", {("incident_id", "warning")}),
        ("PD-12345", {("incident_id", "warning")}),
        ("payments-4821", {("incident_id", "warning")}),
        ("INC 2026 142", {("incident_id", "error")}),
    ],
)
def test_incident_ids_are_well_formed_and_of_the_start_year(
    example: Review, incident_id: str, expected: set[tuple[str, str]]
) -> None:
    assert found(evolve(example, incident_id=incident_id)) == expected


def test_at_most_five_whys(example: Review) -> None:
    whys = tuple(Why(question=f"Why {n}?") for n in range(6))
    review = evolve(example, root_cause=attrs.evolve(example.root_cause, five_whys=whys))
    assert found(review) == {("root_cause.five_whys[5]", "error")}


def test_a_stated_metric_that_disagrees_with_the_timeline_is_a_warning(example: Review) -> None:
    detect = next(m for m in example.response_metrics if m.name == "Time to Detect").actual
    assert detect is not None
    assert detect.value is not None
    stated = attrs.evolve(example.metrics.stated, time_to_detect=Duration.of(detect.value + dt.timedelta(minutes=7)))
    review = evolve(example, metrics=attrs.evolve(example.metrics, stated=stated))
    problems = check(review)
    assert [(p.path, p.level) for p in problems] == [("metrics.stated.time_to_detect", "warning")]
    assert "but the timeline gives" in problems[0].message


def test_final_reviews_need_every_approval(example: Review) -> None:
    assert found(example, final=True) == {("approvals[2].approved", "error"), ("approvals[2].date", "error")}


def test_a_status_of_final_implies_the_final_checks(example: Review) -> None:
    assert check(evolve(example, status=Status.FINAL)) == check(example, final=True)


def test_a_final_review_needs_owners_and_due_dates(example: Review) -> None:
    approvals = tuple(
        Approval(role=a.role, approver=Person(name="Sam Lee"), approved=True, date=example.review_date)
        for a in example.approvals
    )
    item = ActionItem(id="AI-50", action="Write the runbook", horizon=Horizon.SHORT_TERM)
    review = evolve(example, approvals=approvals, action_items=(*example.action_items, item))
    index = len(example.action_items)
    assert found(review, final=True) == {
        (f"action_items[{index}].owner", "error"),
        (f"action_items[{index}].due", "error"),
    }


def test_an_empty_final_review_lists_every_missing_section() -> None:
    review = Review(incident_id="INC-2026-0001", title="", severity=pirdoc.Severity.SEV4, started_at=START)
    paths = {p.path for p in check(review, final=True)}
    assert {
        "title",
        "ended_at",
        "summary.one_line",
        "incident_commander",
        "timeline",
        "root_cause.what_happened",
        "went_well",
        "went_wrong",
        "lessons",
        "action_items",
        "services",
        "review_meeting.date",
        "owner",
        "approvals[0].approved",
    } <= paths


def test_naive_date_times_built_in_python_are_refused_when_constructed() -> None:
    with pytest.raises(ValueError, match="without a timezone"):
        Review(
            incident_id="INC-2026-0001",
            title="t",
            severity=pirdoc.Severity.SEV4,
            started_at=dt.datetime(2026, 3, 14, 13, 0),
            ended_at=START,
        )


def test_a_naive_instant_built_field_by_field_is_refused_naming_the_field() -> None:
    # A review file refuses a date-time without a timezone; so do the constructors.
    with pytest.raises(ReviewLoadError, match=r"^start: date-time without a timezone"):
        Instant(start=dt.datetime(2026, 3, 14, 13, 0), precision=Precision.MINUTE)
    with pytest.raises(ReviewLoadError, match=r"^started_at: date-time without a timezone"):
        Review(incident_id="INC-2026-0001", title="t", started_at=dt.datetime(2026, 3, 14, 13, 0))


def test_an_unknown_start_is_a_warning_and_an_error_when_strict_or_final(example: Review) -> None:
    review = evolve(example, started_at=None)
    assert ("started_at", "warning") in found(review)
    assert ("started_at", "error") in {(p.path, p.level) for p in check(review, strict=True)}
    assert ("started_at", "error") in found(review, final=True)


def test_overlapping_approximate_times_are_no_chronology_error(example: Review) -> None:
    first = TimelineEvent(at="2026-03-14T13:40Z~", title="Alerts fire", phase=Phase.DETECTION)
    second = TimelineEvent(at="2026-03-14T13:38Z", title="Pager rings", phase=Phase.DETECTION)
    review = evolve(example, timeline=(first, second))
    assert not [p for p in check(review) if "out of order" in p.message]
    later = TimelineEvent(at="2026-03-14T13:00Z", title="Deploy", phase=Phase.DETECTION)
    review = evolve(example, timeline=(first, later))
    assert [p.path for p in check(review) if "out of order" in p.message] == ["timeline[1].at"]


def test_events_before_the_start_and_after_the_end_are_no_errors(example: Review) -> None:
    before = TimelineEvent(at="2026-02-28", title="Risky change merged", phase=Phase.DETECTION)
    after = TimelineEvent(at="2026-03-20", title="Postmortem published", phase=Phase.RESOLUTION)
    review = evolve(example, timeline=(before, *example.timeline, after))
    assert check(review) == []


def test_metrics_from_approximate_times_are_approximate(example: Review) -> None:
    exact = {metric.name: metric.actual for metric in example.response_metrics}
    assert all(a is None or not a.approximate for a in exact.values())
    start = example.started_at
    assert start is not None
    review = evolve(example, started_at=attrs.evolve(start, qualifier=Qualifier.APPROXIMATE, text="~13:38 UTC"))
    approximate = {metric.name: metric.actual for metric in review.response_metrics}
    assert approximate["Time to Detect"] is not None
    assert approximate["Time to Detect"].approximate
    assert approximate["Time to Acknowledge"] == exact["Time to Acknowledge"]


def test_a_date_only_milestone_takes_no_part_in_the_metrics(example: Review) -> None:
    timeline = tuple(
        attrs.evolve(e, at="2026-03-14") if e.kind is Milestone.DETECTED else e for e in example.timeline
    )
    detect = next(m for m in evolve(example, timeline=timeline).response_metrics if m.name == "Time to Detect")
    assert detect.actual is None
    assert detect.met is None


def test_problems_read_as_path_and_message() -> None:
    assert str(Problem(path="ended_at", message="too early")) == "ended_at: too early"
    assert str(Problem(path="x", message="odd", level="warning")) == "x: warning: odd"


@given(reviews())
def test_check_never_raises_and_every_rule_runs(review: Review) -> None:
    for final in (False, True):
        problems = check(review, final=final)
        assert all(p.level in ("error", "warning") for p in problems)
        assert all(p.path for p in problems), [str(p) for p in problems if not p.path]


@given(reviews())
def test_generated_reviews_have_no_chronology_errors(review: Review) -> None:
    draft = attrs.evolve(review, status=Status.DRAFT)
    chronology = [
        p for p in check(draft) if p.level == "error" and (p.path.startswith("timeline") or p.path == "ended_at")
    ]
    assert chronology == []
