"""The reviews the benchmarks render: variants of the bundled example and reviews of a given size.

Everything here is deterministic (no randomness, no clock), so two runs measure the same work.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import attrs

import pirdoc
from pirdoc.model import ActionItem, ContributingFactor, Review, TimelineEvent
from pirdoc.values import Instant

__all__ = ["EXAMPLE", "example", "sized", "variant"]

EXAMPLE = Path(__file__).resolve().parent.parent / "fixtures" / "example-review.yaml"

_WORDS = (
    "checkout", "payments", "search", "login", "inventory", "shipping", "billing", "catalogue",
    "recommendations", "notifications", "reporting", "gateway",
)
_CAUSES = (
    "connection-pool change", "certificate expiry", "cache stampede", "DNS misconfiguration",
    "disk exhaustion", "bad feature flag", "schema migration lock", "memory leak",
)


def example() -> Review:
    """The bundled example review."""
    return pirdoc.load(EXAMPLE)


def _repeat_events(events: tuple[TimelineEvent, ...], count: int, start: dt.datetime,
                   span: dt.timedelta, tag: str) -> tuple[TimelineEvent, ...]:
    """``count`` events cycling through ``events``, spread evenly over ``span`` from ``start``.

    Each milestone kind is kept on its first occurrence only (a milestone happens once); repeated
    events get a numbered title so that no two events read the same.
    """
    seen: set[object] = set()
    result = []
    for index in range(count):
        source = events[index % len(events)]
        kind = source.kind if source.kind not in seen else None
        seen.add(source.kind)
        title = source.title if index < len(events) else f"{source.title} ({tag}{index + 1})"
        at = (start + span * index / max(count, 1)).replace(microsecond=0)
        result.append(attrs.evolve(source, at=at, kind=kind, title=title))
    return tuple(result)


def _moment(instant: Instant | None) -> dt.datetime:
    """The moment of an exact time (the workloads are built on reviews whose times are exact)."""
    if instant is None or instant.start is None:
        raise ValueError("the workload's base review needs an exact start time")
    return instant.start


def _span(base: Review) -> dt.timedelta:
    if base.ended_at is None or base.ended_at.start is None:
        return dt.timedelta(hours=1)
    return base.ended_at.start - _moment(base.started_at)


def _repeat_actions(items: tuple[ActionItem, ...], count: int) -> tuple[ActionItem, ...]:
    return tuple(
        attrs.evolve(items[index % len(items)], id=f"AI-{index + 1}") for index in range(count)
    )


def _repeat_factors(factors: tuple[ContributingFactor, ...], count: int) -> tuple[ContributingFactor, ...]:
    return tuple(
        attrs.evolve(source, title=source.title if index < len(factors) else f"{source.title} (factor {index + 1})")
        for index, source in enumerate(factors[i % len(factors)] for i in range(count))
    )


def variant(base: Review, index: int) -> Review:
    """The ``index``-th variant of ``base``: another id, title, start time, timeline length,
    action items and contributing factors (between about half and twice the example's)."""
    service = _WORDS[index % len(_WORDS)]
    cause = _CAUSES[(index * 5) % len(_CAUSES)]
    shift = dt.timedelta(days=index * 2, minutes=(index * 37) % 600)
    started = _moment(base.started_at) + shift
    duration = _span(base)
    duration = duration * (0.5 + (index % 7) / 4)
    events = max(3, len(base.timeline) * (2 + index % 7) // 4)
    actions = max(1, len(base.action_items) * (2 + index % 5) // 4)
    factors = max(1, len(base.root_cause.contributing_factors) * (1 + index % 3) // 2)
    return attrs.evolve(
        base,
        incident_id=f"INC-{started.year}-{1000 + index:04d}",
        title=f"{service.capitalize()} failures after {cause}",
        started_at=started,
        ended_at=started + duration,
        date=(started + dt.timedelta(days=2)).date(),
        timeline=_repeat_events(base.timeline, events, started, duration, "v"),
        action_items=_repeat_actions(base.action_items, actions),
        root_cause=attrs.evolve(
            base.root_cause,
            contributing_factors=_repeat_factors(base.root_cause.contributing_factors, factors),
        ),
    )


def sized(base: Review, events: int) -> Review:
    """``base`` with ``events`` timeline events spread over its incident window, one action item
    per five events and one contributing factor per ten (at least one of each)."""
    start = _moment(base.started_at)
    span = _span(base)
    return attrs.evolve(
        base,
        ended_at=start + span,
        timeline=_repeat_events(base.timeline, events, start, span, "#"),
        action_items=_repeat_actions(base.action_items, max(1, events // 5)),
        root_cause=attrs.evolve(
            base.root_cause,
            contributing_factors=_repeat_factors(base.root_cause.contributing_factors, max(1, events // 10)),
        ),
    )
