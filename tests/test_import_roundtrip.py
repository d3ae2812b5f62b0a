"""Round trip: pirdoc's own Markdown reads back into the review it was written from.

pirdoc's Markdown shows some values in only one way for several reviews (docs/importing.md
lists them). `canonical_for_markdown` maps a review onto the one the importer reads back, so the
round trip is stated as equality: ``import(render(canonical(r))) == canonical(r)``.
"""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from pirdoc import document as d
from pirdoc import model as m
from pirdoc.api import render
from pirdoc.importers import import_markdown
from pirdoc.importers._values import NOT_RECORDED_WORDS
from pirdoc.narrative import parse_blocks, parse_inlines
from pirdoc.renderers._markdown import _Writer
from pirdoc.serde import load
from pirdoc.values import Instant, Precision
from tests.hostile import show_invisible
from tests.strategies import reviews

EXAMPLE = Path(__file__).parent.parent / "fixtures" / "example-review.yaml"


def _round_trip(review: m.Review) -> tuple[m.Review, m.Review, list[str]]:
    expected = canonical_for_markdown(review)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        markdown = render(expected, "markdown", allow_problems=True).decode()
    result = import_markdown(markdown)
    assert not result.problems, [str(p) for p in result.problems]
    return expected, result.review, differences(expected, result.review)


def test_the_example_review_reads_back_from_its_markdown() -> None:
    expected, actual, diff = _round_trip(load(EXAMPLE))
    assert actual == expected, "\n".join(diff)


def test_a_status_update_with_an_empty_message_reads_back() -> None:
    example = load(EXAMPLE)
    assert example.started_at is not None
    assert example.started_at.start is not None
    update = m.StatusUpdate(at=Instant.of(example.started_at.start + dt.timedelta(minutes=9)), message="\x85")
    review = attrs.evolve(example, communication=attrs.evolve(example.communication, internal_timeline=(update,)))
    expected, actual, diff = _round_trip(review)
    assert actual == expected, "\n".join(diff)
    assert actual.communication.internal_timeline[0].message == ""


def test_canonical_form_is_stable() -> None:
    review = canonical_for_markdown(load(EXAMPLE))
    assert canonical_for_markdown(review) == review


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.one_of(reviews(), reviews(minimal=True)))
def test_any_review_reads_back_from_its_markdown(review: m.Review) -> None:
    assume(readable_titles(review))
    expected, actual, diff = _round_trip(review)
    assert actual == expected, "\n".join(diff)


# ---------------------------------------------------------------------------- the canonical form


def _fixpoint(write: Callable[[str], str], value: str) -> str:
    # Writing what was read can still change once (an unclosed fence inside a title becomes an
    # empty code span, which reads back as two backticks); the canonical form is the fixpoint.
    for _ in range(5):
        written = write(value)
        if written == value:
            break
        value = written
    return value


def _inline_once(value: str) -> str:
    from pirdoc.importers._source import escape_line_start

    return escape_line_start(_Writer().inlines(parse_inlines(value)))


def _title_once(value: str) -> str:
    from pirdoc.importers._source import escape_line_start

    # Titles are shown in bold; bold inside them is lost in the Markdown (``****x****``).
    inlines = [child for node in parse_inlines(value) for child in _unbold(node)]
    return escape_line_start(_Writer().inlines(inlines))


def _unbold(node: d.Inline) -> list[d.Inline]:
    if isinstance(node, d.Strong):
        return [child for inner in node.children for child in _unbold(inner)]
    return [node]


def _block_once(value: str) -> str:
    return "\n".join(_Writer().blocks(parse_blocks(value)))


def _details_once(value: str) -> str:
    return "\n".join(_Writer(among_events=True).blocks(parse_blocks(value)))


def _field_once(value: str) -> str:
    blocks = parse_blocks(value)
    if len(blocks) == 1 and isinstance(blocks[0], d.Paragraph):
        return _inline_once(value)
    return "\n".join(_Writer()._tight_item(blocks)).strip("\n")


def inline_markdown(value: str) -> str:
    """How pirdoc writes a short Markdown value (a cell, a ``Label: value``)."""
    return _fixpoint(_inline_once, value)


def title_markdown(value: str) -> str:
    """How pirdoc writes an entry title (in bold)."""
    return _fixpoint(_title_once, value)


def block_markdown(value: str) -> str:
    """How pirdoc writes a narrative shown as blocks (root cause, event details)."""
    return _fixpoint(_block_once, value)


def details_markdown(value: str) -> str:
    """How pirdoc writes an event's details: blocks, among the timeline's events."""
    return _fixpoint(_details_once, value)


def field_markdown(value: str) -> str:
    """How pirdoc writes a ``- Label: value`` narrative: inline when one paragraph, else blocks."""
    return _fixpoint(_field_once, value)


def _recorded(text: str | None, canon: Callable[[str], str]) -> str | None:
    if text is None:
        return None
    written = canon(text).strip()
    shown = _shown(parse_blocks(written)).strip()
    if not shown or shown.casefold() in NOT_RECORDED_WORDS:
        return None
    return written


def _shown(blocks: tuple[d.Block, ...]) -> str:
    """The text a reader sees in ``blocks``, without list bullets (an empty list shows nothing)."""
    parts: list[str] = []
    for block in blocks:
        if isinstance(block, d.BulletList | d.OrderedList):
            parts.extend(_shown(item) for item in block.items)
        elif isinstance(block, d.Checklist):
            parts.extend(d.plain_text(item.children) for item in block.items)
        else:
            parts.append("".join(d.plain_text((inline,)) for inline in _flatten(block)))
    return " ".join(p for p in parts if p.strip())


def _flatten(block: d.Block) -> tuple[d.Inline, ...]:
    from pirdoc.narrative import flatten

    return tuple(flatten(block))


def readable_titles(review: m.Review) -> bool:
    """False when a title would read back as "not recorded" (empty, or a word like ``N/A``):
    the importer then names it 'Untitled'/'Event' and reports it, so no round trip."""
    canonical = canonical_for_markdown(review)
    titles = [e.title for e in canonical.timeline]
    titles += [f.title for f in canonical.root_cause.contributing_factors]
    titles += [w.question for w in canonical.root_cause.five_whys]
    titles += [a.title for a in canonical.went_well.aspects] + [i.title for i in canonical.went_wrong.issues]
    lessons = canonical.lessons
    titles += [x.title for x in (*lessons.technical, *lessons.process, *lessons.communication)]
    titles += [a.action for a in canonical.action_items]
    return all(_shown(parse_blocks(t)).strip().casefold() not in NOT_RECORDED_WORDS | {""} for t in titles)


def _person(person: m.Person | None) -> m.Person | None:
    if person is None:
        return None
    bare = person.role is None and person.email is None and person.confluence_account_id is None
    bare = bare and person.confluence_userkey is None
    if bare and person.name.strip().casefold() in NOT_RECORDED_WORDS:
        return None
    return person


def _people_with_accounts(value: Any) -> Iterator[m.Person]:
    if isinstance(value, m.Person):
        if value.confluence_account_id or value.confluence_userkey:
            yield value
    elif isinstance(value, tuple):
        for item in value:
            yield from _people_with_accounts(item)
    elif attrs.has(type(value)):
        for field in attrs.fields(type(value)):
            yield from _people_with_accounts(getattr(value, field.name))


def _owner_accounts(review: m.Review) -> Callable[[m.Person | None], m.Person | None]:
    """Issue 16: an action-item owner without Confluence ids is shown with those of the person of
    the same name (case and spacing ignored) elsewhere in the review, unless two such people's
    ids differ; the Markdown then carries them and they read back."""
    accounts: dict[str, set[str]] = {}
    userkeys: dict[str, set[str]] = {}
    for person in _people_with_accounts(review):
        key = " ".join(person.name.split()).casefold()
        accounts.setdefault(key, set()).update([person.confluence_account_id] if person.confluence_account_id else [])
        userkeys.setdefault(key, set()).update([person.confluence_userkey] if person.confluence_userkey else [])

    def owner(person: m.Person | None) -> m.Person | None:
        if person is None or (person.confluence_account_id and person.confluence_userkey):
            return person
        key = " ".join(person.name.split()).casefold()
        if key not in accounts or len(accounts[key]) > 1 or len(userkeys[key]) > 1:
            return person  # nobody of that name has an account, or two people share the name
        account_id = next(iter(accounts[key]), None)
        userkey = next(iter(userkeys[key]), None)
        return attrs.evolve(
            person,
            confluence_account_id=person.confluence_account_id or account_id,
            confluence_userkey=person.confluence_userkey or userkey,
        )

    return owner


def _texts(values: tuple[str, ...], canon: Callable[[str], str]) -> tuple[str, ...]:
    return tuple(t for t in (_recorded(v, canon) for v in values) if t)


def _instant(instant: Instant | None) -> Instant | None:
    """pirdoc writes a time without seconds as ``HH:MM``, which reads back as known to the minute."""
    if instant is None or instant.text is not None or instant.start is None:
        return instant
    if instant.precision is Precision.SECOND and instant.start.second == 0 and instant.start.microsecond == 0:
        return attrs.evolve(instant, precision=Precision.MINUTE)
    return instant


def _invisible_shown(value: Any) -> Any:
    """Every text of ``value`` with bidi and invisible format characters as ``[U+XXXX]``, as
    layout shows them (issue 16)."""
    if type(value) is str:
        return show_invisible(value)
    if isinstance(value, tuple):
        return tuple(_invisible_shown(item) for item in value)
    if attrs.has(type(value)):
        return attrs.evolve(
            value, **{f.alias or f.name: _invisible_shown(getattr(value, f.name)) for f in attrs.fields(type(value))}
        )
    return value


def canonical_for_markdown(review: m.Review) -> m.Review:
    """``review`` as pirdoc's Markdown reads back."""
    il, bl, fl, tl = inline_markdown, block_markdown, field_markdown, title_markdown
    r: m.Review = _invisible_shown(review)
    ev = attrs.evolve

    def check(items: tuple[m.CheckItem, ...]) -> tuple[m.CheckItem, ...]:
        return tuple(ev(i, text=il(i.text)) for i in items if il(i.text).strip())

    def data(value: m.DataImpact) -> m.DataImpact:
        return ev(value, details=_recorded(value.details, il))

    user = r.impact.user
    regions = tuple(p.strip() for region in user.geographic_regions for p in region.split(",") if p.strip())
    percentage = user.percentage_of_user_base
    if percentage is not None and percentage.text is None and isinstance(percentage.value, float):
        percentage = ev(percentage, value=float(f"{percentage.value:g}"))
    impact = m.ImpactAssessment(
        user=ev(
            user,
            geographic_regions=regions,
            percentage_of_user_base=percentage,
            user_facing_errors=_recorded(user.user_facing_errors, fl),
        ),
        business=ev(r.impact.business, revenue_impact=_recorded(r.impact.business.revenue_impact, fl)),
        technical=ev(
            r.impact.technical,
            data_loss=data(r.impact.technical.data_loss),
            data_corruption=data(r.impact.technical.data_corruption),
            service_degradation=_recorded(r.impact.technical.service_degradation, fl),
        ),
    )
    # The Markdown groups events by phase and action items by horizon.
    phases = list(m.Phase)
    events = sorted(r.timeline, key=lambda e: phases.index(e.phase))
    dl = details_markdown
    timeline = tuple(ev(e, at=_instant(e.at), title=il(e.title), details=_recorded(e.details, dl)) for e in events)
    rc = r.root_cause
    root_cause = m.RootCauseAnalysis(
        what_happened=_recorded(rc.what_happened, bl),
        why_it_happened=_recorded(rc.why_it_happened, bl),
        why_not_caught_earlier=_recorded(rc.why_not_caught_earlier, bl),
        contributing_factors=tuple(
            ev(f, title=tl(f.title), description=_recorded(f.description, fl), impact=_recorded(f.impact, fl))
            for f in rc.contributing_factors
        ),
        five_whys=tuple(ev(w, question=tl(w.question), answer=_recorded(w.answer, il)) for w in rc.five_whys),
    )
    went_well = m.WhatWentWell(
        aspects=tuple(
            ev(a, title=tl(a.title), what=_recorded(a.what, fl), why_it_helped=_recorded(a.why_it_helped, fl))
            for a in r.went_well.aspects
        ),
        effective_procedures=_texts(r.went_well.effective_procedures, il),
    )
    went_wrong = m.WhatWentWrong(
        issues=tuple(
            ev(i, title=tl(i.title), what=_recorded(i.what, fl), impact=_recorded(i.impact, fl))
            for i in r.went_wrong.issues
        ),
        procedure_gaps=_texts(r.went_wrong.procedure_gaps, il),
    )
    horizons = list(m.Horizon)
    with_account = _owner_accounts(r)
    actions = tuple(
        # An item without a horizon is written under the one its due date gives, and read back with it.
        ev(a, action=il(a.action), owner=_person(with_account(a.owner)), horizon=r.horizon_of(a),
           assignees=tuple(p for p in map(with_account, a.assignees) if p is not None))
        for a in sorted(r.action_items, key=lambda a: horizons.index(r.horizon_of(a)))
    )

    def lessons(group: tuple[m.Lesson, ...]) -> tuple[m.Lesson, ...]:
        return tuple(
            ev(x, title=tl(x.title), learned=_recorded(x.learned, fl), how_to_apply=_recorded(x.how_to_apply, fl))
            for x in group
        )

    c = r.communication
    communication = ev(
        c,
        internal_timeline=tuple(ev(u, at=_instant(u.at), message=il(u.message)) for u in c.internal_timeline),
        stakeholders=ev(
            c.stakeholders,
            executive_briefing=_instant(c.stakeholders.executive_briefing),
            customer_success_team=_instant(c.stakeholders.customer_success_team),
            sales_team=_instant(c.stakeholders.sales_team),
        ),
        channels=_texts(c.channels, il),
        what_worked=_recorded(c.what_worked, fl),
        what_did_not_work=_recorded(c.what_did_not_work, fl),
        improvements_needed=_recorded(c.improvements_needed, fl),
    )
    targets = r.metrics.targets
    if r.severity is not None and targets.resolve == m.DEFAULT_RESOLVE_TARGETS[r.severity]:
        targets = ev(targets, resolve=None)
    impact_metrics = r.metrics.impact
    if impact_metrics.total_downtime is not None and impact_metrics.total_downtime == r.duration:
        impact_metrics = ev(impact_metrics, total_downtime=None)
    impact_metrics = ev(
        impact_metrics,
        data_loss_amount=_recorded(impact_metrics.data_loss_amount, il),
        recovery_point=_instant(impact_metrics.recovery_point),
    )
    metrics = m.Metrics(targets=targets, stated=r.metrics.stated, impact=impact_metrics)
    meeting = ev(r.review_meeting, discussion_points=_texts(r.review_meeting.discussion_points, il))
    follow_up = ev(
        r.follow_up,
        # "when: what" — a ": " inside "when" cannot be told from the separator.
        cadence=tuple(ev(s, when=s.when.replace(": ", ":\u00a0"), what=il(s.what)) for s in r.follow_up.cadence),
        knowledge_sharing=check(r.follow_up.knowledge_sharing),
    )
    summary = m.ExecutiveSummary(
        one_line=_recorded(r.summary.one_line, il),
        root_cause=_recorded(r.summary.root_cause, il),
        resolution=_recorded(r.summary.resolution, il),
    )
    other_roles = tuple(p for p in (_person(p) for p in r.other_roles) if p is not None)
    approvals = tuple(ev(a, approver=_person(a.approver)) for a in r.approvals)
    history = tuple(ev(e, author=_person(e.author), changes=_recorded(e.changes, il)) for e in r.revision_history)
    implied = history[-1].version if history else 1
    return ev(
        r,
        started_at=_instant(r.started_at),
        ended_at=_instant(r.ended_at),
        reported_at=_instant(r.reported_at),
        stable_at=_instant(r.stable_at),
        closed_at=_instant(r.closed_at),
        date=None if r.started_at is not None and r.date == r.started_at.date else r.date,
        summary=summary,
        incident_commander=_person(r.incident_commander),
        technical_lead=_person(r.technical_lead),
        other_roles=other_roles,
        services=ev(r.services, other=_texts(r.services.other, il)),
        impact=impact,
        timeline=timeline,
        root_cause=root_cause,
        went_well=went_well,
        went_wrong=went_wrong,
        action_items=actions,
        lessons=m.LessonsLearned(
            technical=lessons(r.lessons.technical),
            process=lessons(r.lessons.process),
            communication=lessons(r.lessons.communication),
        ),
        prevention=m.PreventionMeasures(
            monitoring=check(r.prevention.monitoring),
            process=check(r.prevention.process),
            technical=check(r.prevention.technical),
        ),
        communication=communication,
        metrics=metrics,
        attachments=ev(r.attachments, supporting_documents=check(r.attachments.supporting_documents)),
        review_meeting=meeting,
        approvals=approvals,
        follow_up=follow_up,
        owner=_person(r.owner),
        # The Markdown states the revision; one the history (or the default 1) implies reads back as None.
        revision=None if r.revision == implied else r.revision,
        revision_history=history,
    )


def differences(expected: Any, actual: Any, path: str = "review") -> list[str]:
    """Where two reviews differ, as ``path: expected != actual`` lines (for assertion messages)."""
    if attrs.has(type(expected)) and type(expected) is type(actual):
        found = []
        for field in attrs.fields(type(expected)):
            found += differences(getattr(expected, field.name), getattr(actual, field.name), f"{path}.{field.name}")
        return found
    if isinstance(expected, tuple) and isinstance(actual, tuple) and len(expected) == len(actual):
        found = []
        for index, (a, b) in enumerate(zip(expected, actual, strict=True)):
            found += differences(a, b, f"{path}[{index}]")
        return found
    return [] if expected == actual else [f"{path}: {expected!r} != {actual!r}"]


_ = dt


@pytest.mark.parametrize(
    "details", ["**not bold** - [ ] unchecked", "**Cause** \u2014 the pool", "**Note**: paged twice"]
)
def test_event_details_shaped_like_an_event_stay_details(details: str) -> None:
    example = load(Path(__file__).resolve().parent.parent / "fixtures" / "example-review.yaml")
    event = attrs.evolve(example.timeline[2], details=details)
    timeline = (*example.timeline[:2], event, *example.timeline[3:])
    expected = canonical_for_markdown(attrs.evolve(example, timeline=timeline))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        markdown = render(expected, "markdown", allow_problems=True).decode()
    result = import_markdown(markdown)
    assert not result.problems, [str(p) for p in result.problems]
    assert len(result.review.timeline) == len(example.timeline)  # no event made of the details
    assert result.review == expected, "\n".join(differences(expected, result.review))


def test_a_summary_starting_with_a_colon_is_written_as_it_is() -> None:
    # only paragraphs among the timeline's events can read as an event; the summary's can not
    example = load(EXAMPLE)
    review = attrs.evolve(example, summary=attrs.evolve(example.summary, root_cause=": the pool ran dry"))
    expected, actual, diff = _round_trip(review)
    assert actual == expected, "\n".join(diff)
    assert actual.summary.root_cause == ": the pool ran dry"


def test_a_month_names_no_day_for_the_event_after_it() -> None:
    """After "July 2015", a time-only line would take the day of the event before the month (the
    importer reads a month as naming no day): the layout writes that event's date."""
    from pirdoc.values import parse_instant

    review = load(EXAMPLE)
    first = attrs.evolve(review.timeline[0], kind=None, phase=m.Phase.RESOLUTION, details=None)
    events = (
        attrs.evolve(first, at=parse_instant("2015-06-30"), title="first"),
        attrs.evolve(first, at=parse_instant("July 2015"), title="second"),
        attrs.evolve(first, at=parse_instant("2015-07-01 00:08:50 UTC"), title="third"),
    )
    review = attrs.evolve(review, timeline=events, started_at=parse_instant("2015-06-30 23:59 UTC"), ended_at=None)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        markdown = render(review, "markdown", allow_problems=True).decode()
    assert "**2015-07-01 00:08:50 UTC** - third" in markdown
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        read = import_markdown(markdown).review
    assert [e.at for e in read.timeline if e.title == "third"] == [events[2].at]
