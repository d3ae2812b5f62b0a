"""What incident platforms record (issue 18): the platform fields through every door, and the
Dispatch adapter's export fixture imported and read back from all four formats by foreign readers."""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
import warnings
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import pirdoc
from pirdoc import document as d
from pirdoc import model as m
from pirdoc.adapters.dispatch import NOTE_TITLE, from_dispatch, read_dispatch
from pirdoc.api import render
from pirdoc.cli import main
from pirdoc.errors import PirdocWarning, ReviewLoadError
from pirdoc.importers import import_markdown
from pirdoc.schema import review_schema
from pirdoc.serde import Format, dumps, loads
from pirdoc.values import Precision, Quantity
from tests.readers import (
    Expectation,
    confluence_reading,
    docx_reading,
    expectations,
    markdown_reading,
    missing_in_confluence,
    missing_text,
    pandoc_plain,
    pdftotext,
    pypdf_text,
    report,
)
from tests.strategies import aware_datetimes, line_texts, platform_reviews, reviews
from tests.test_import_roundtrip import canonical_for_markdown, differences, readable_titles

FIXTURE = Path(__file__).parent.parent / "fixtures" / "platforms" / "dispatch-incident.json"
FORMATS = ("markdown", "docx", "pdf", "confluence")


@functools.cache
def export() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(FIXTURE.read_text(encoding="utf-8"))
    return data


@functools.cache
def imported() -> m.Review:
    return read_dispatch(FIXTURE).review


@functools.cache
def output(fmt: str, profile: str = "full") -> bytes:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PirdocWarning)
        return render(imported(), fmt, profile=profile, allow_problems=True)


# ---------------------------------------------------------------------------- the model


def test_the_workflow_statuses_are_in_order_and_final_keeps_its_checks() -> None:
    assert [s.value for s in m.Status] == ["Draft", "In review", "Reviewed", "Final"]
    review = pirdoc.from_dict({"incident_id": "INC-1", "title": "t", "status": "In review"})
    assert review.status is m.Status.IN_REVIEW
    assert pirdoc.check(attrs.evolve(review, status=m.Status.REVIEWED)) == pirdoc.check(review)
    assert pirdoc.check(attrs.evolve(review, status=m.Status.FINAL)) == pirdoc.check(review, final=True)


@pytest.mark.parametrize(
    ("due_in_days", "horizon"),
    [(0, m.Horizon.IMMEDIATE), (7, m.Horizon.IMMEDIATE), (8, m.Horizon.SHORT_TERM), (31, m.Horizon.SHORT_TERM),
     (32, m.Horizon.LONG_TERM), (400, m.Horizon.LONG_TERM), (None, m.Horizon.LONG_TERM)],
)  # fmt: skip
def test_a_horizon_not_given_follows_from_the_due_date(due_in_days: int | None, horizon: m.Horizon) -> None:
    day = dt.date(2025, 11, 10)
    due = None if due_in_days is None else day + dt.timedelta(days=due_in_days)
    item = m.ActionItem(id="AI-1", action="Pin the pool size", due=due)
    review = m.Review(incident_id="INC-1", title="t", date=day, action_items=(item,))
    assert review.horizon_of(item) is horizon
    assert review.horizon_of(attrs.evolve(item, horizon=m.Horizon.IMMEDIATE)) is m.Horizon.IMMEDIATE
    if due_in_days is None or due_in_days <= m.Horizon.LONG_TERM.limit.days:
        assert not [p for p in pirdoc.check(review) if p.path.endswith(".due")]


def test_costs_are_summed_per_currency_and_shown_with_their_totals() -> None:
    costs = (
        m.CostItem(amount=1200, currency="USD", kind="response"),
        m.CostItem(amount="~300", currency="usd", kind="credits"),
        m.CostItem(amount=50, currency="EUR"),
        m.CostItem(amount=Quantity(text="not counted yet"), currency="EUR"),
    )
    review = m.Review(incident_id="INC-1", title="t", costs=costs)
    totals = {t.currency: (t.amount, t.approximate, t.items) for t in review.cost_totals}
    assert totals == {"USD": (1500.0, True, 2), "EUR": (50.0, False, 1)}
    text = markdown_reading(render(review, "markdown", allow_problems=True))
    assert "Total ~1,500 USD 2 items" in " ".join(text.split())


def test_key_events_are_the_briefings_milestones() -> None:
    start = dt.datetime(2025, 11, 10, 4, 0, tzinfo=dt.UTC)
    events = tuple(
        m.TimelineEvent(at=start + dt.timedelta(minutes=10 * i), title=f"Step {i}", phase=m.Phase.RESPONSE,
                        key=i in (1, 3))
        for i in range(5)
    )  # fmt: skip
    review = m.Review(incident_id="INC-1", title="t", started_at=start, timeline=events)
    brief = pirdoc.layout(review, "executive")
    tables = [b.table for b in brief.blocks if isinstance(b, d.Figure) and b.table is not None]
    assert [d.plain_text(row[1]) for row in tables[-1].rows] == ["Step 1", "Step 3"]


def test_bad_platform_values_are_refused_naming_the_field() -> None:
    with pytest.raises(ReviewLoadError, match=r"tags\[0\]\.kind: not a valid tag kind: 'planet'"):
        pirdoc.from_dict({"incident_id": "I", "title": "t", "tags": [{"kind": "planet", "value": "x"}]})
    with pytest.raises(ReviewLoadError, match=r"participants\[0\]\.since"):
        pirdoc.from_dict({"incident_id": "I", "title": "t", "participants": [{"person": "A", "role": "Scribe",
                                                                               "since": "teatime"}]})  # fmt: skip


def test_the_schema_describes_the_platform_fields() -> None:
    schema = json.dumps(review_schema())
    for name in ("participants", "priority", "incident_type", "reported_at", "stable_at", "closed_at", "costs",
                 "related_incidents", "tracker_id", "assignees", "evidence", "In review", "Reviewed"):  # fmt: skip
        assert f'"{name}"' in schema, name


@settings(deadline=None, max_examples=40, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(review=platform_reviews())
def test_platform_fields_read_back_from_yaml_json_and_toml(review: m.Review) -> None:
    for fmt in ("yaml", "json", "toml"):
        fmt_: Format = fmt
        assert loads(dumps(review, fmt_), fmt_) == review, fmt
    assert pirdoc.from_dict(pirdoc.to_dict(review)) == review


@settings(deadline=None, max_examples=15, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(review=platform_reviews())
def test_platform_fields_are_read_back_from_every_format(review: m.Review) -> None:
    expected = expectations(review)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PirdocWarning)
        outputs = {fmt: render(review, fmt, allow_problems=True) for fmt in FORMATS}
    assert not (lacking := missing_text(expected, markdown_reading(outputs["markdown"]))), report("markdown", lacking)
    assert not (lacking := missing_text(expected, docx_reading(outputs["docx"]))), report("docx", lacking)
    assert not (lacking := missing_text(expected, pypdf_text(outputs["pdf"]), pdf=True)), report("pdf", lacking)
    lacking = missing_in_confluence(expected, outputs["confluence"], "cloud")
    assert not lacking, report("confluence", lacking)


# ---------------------------------------------------------------------------- the Dispatch adapter


def test_the_fixture_is_shaped_as_the_brief_asks() -> None:
    data = export()
    assert len(data["events"]) == 20
    assert any(len(e["started_at"]) == 10 for e in data["events"])
    assert any(e["started_at"].endswith("+05:30") for e in data["events"])
    assert len(data["tasks"]) == 8
    assert sum(1 for t in data["tasks"] if t["owner"] is None) == 1


def test_the_dispatch_export_becomes_a_review() -> None:
    r = imported()
    assert (r.incident_id, r.title, r.severity, r.priority, r.incident_type) == (
        "dispatch-payments-4711", "Payments API latency in ap-south-1", m.Severity.SEV2, "High",
        "Customer-facing latency",
    )  # fmt: skip
    # +05:30 is read as the same instant in UTC; a date-only time stays a date.
    assert r.reported_at is not None
    assert r.reported_at.start == dt.datetime(2025, 11, 10, 4, 8, tzinfo=dt.UTC)
    assert r.closed_at is not None
    assert r.closed_at.precision is Precision.DAY
    assert len(r.timeline) == 20
    assert r.timeline[0].at is not None
    assert r.timeline[0].at.precision is Precision.DAY
    assert [e.phase for e in r.timeline[:4]] == [m.Phase.DETECTION] * 4
    assert r.timeline[-1].phase is m.Phase.RESOLUTION
    rollback = next(e for e in r.timeline if e.title.startswith("Rollback"))
    assert (rollback.source, rollback.key) == ("Deploy", True)
    assert rollback.ended_at is not None
    assert rollback.ended_at.start == dt.datetime(2025, 11, 10, 5, 35, tzinfo=dt.UTC)
    commanders = [p for p in r.participants if p.role == "Incident Commander"]
    assert [p.person.name for p in commanders] == ["Karthik Iyer", "Sofia Alvarez"]
    assert commanders[0].until == commanders[1].since  # the hand-off
    assert {(t.kind, t.value, t.source) for t in r.tags} >= {
        (m.TagKind.SERVICE, "payments-api", "PagerDuty service"),
        (m.TagKind.CUSTOM, "Change type: dependency-upgrade", "manual"),
    }
    assert [(t.currency, t.amount) for t in r.cost_totals] == [("USD", 15300.5)]
    assert r.related_incidents == (
        m.RelatedIncident(id="dispatch-payments-4712", title="Checkout slow for Indian cards", duplicate=True),
    )
    assert len(r.action_items) == 8
    assert [a.owner for a in r.action_items].count(None) == 1
    third = r.action_items[2]
    assert [p.name for p in third.assignees] == ["Arjun Mehta", "Neha Kapoor"]
    assert (third.priority, third.link, third.due) == ("Medium", "https://jira.example.in/browse/PAY-4103",
                                                        dt.date(2025, 12, 5))  # fmt: skip
    assert [r.horizon_of(a) for a in r.action_items][:2] == [m.Horizon.IMMEDIATE, m.Horizon.SHORT_TERM]


def _leaves(value: Any, path: str = "") -> list[tuple[str, Any]]:
    if isinstance(value, dict):
        return [leaf for key, item in value.items() for leaf in _leaves(item, f"{path}.{key}" if path else key)]
    if isinstance(value, list):
        return [leaf for index, item in enumerate(value) for leaf in _leaves(item, f"{path}[{index}]")]
    return [(path, value)]


def test_nothing_in_the_export_is_dropped() -> None:
    """Every text and number of the export is in the review (times as the same instants) or in
    the report of what was not placed, and the report is kept in the review as a note."""
    result = from_dispatch(export())
    # The review's values, with the Markdown escapes that keep export text from becoming markup undone.
    review_text = "\n".join(
        re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", str(value)) for _, value in _leaves(pirdoc.to_dict(result.review))
    )
    unplaced = "\n".join(result.unplaced)
    lost = []
    for path, value in _leaves(export()):
        if value is None or isinstance(value, bool) or value == "":
            continue
        text = value if isinstance(value, str) else f"{value:g}" if isinstance(value, float) else str(value)
        if path.endswith(("_at", "resolve_by")):
            continue  # times: checked as instants in test_the_dispatch_export_becomes_a_review
        if path.endswith("tag_type.name") and text.casefold() in {k.value for k in m.TagKind}:
            text = text.casefold()  # a tag's kind
        if path == "total_cost":
            continue  # the sum of the items: Review.cost_totals, checked in test_the_dispatch_export_becomes_a_review
        if text not in review_text and text not in unplaced:
            lost.append(f"{path}: {text}")
    assert not lost, lost
    assert "conference: " in unplaced
    assert "events[0].uuid: 6f1c2a9e-0b7d-4c55-9a1e-000000000001" in result.unplaced
    note = next(n for n in result.review.notes if n.title == NOTE_TITLE)
    assert note.body is not None
    assert "C07PAY4711" in note.body


def test_export_text_never_becomes_markup() -> None:
    data = {**export(), "title": "<b>Pay</b> *now*", "description": "# Not a heading <script>x</script> [a](b)"}
    data["events"] = [{**data["events"][0], "description": "1. **bold** `code` <img src=x>"}]
    review = from_dispatch(data).review
    markdown = render(review, "markdown", allow_problems=True)
    shown = " ".join(markdown_reading(markdown).split())
    for text in ("<b>Pay</b> *now*", "# Not a heading <script>x</script> [a](b)", "1. **bold** `code` <img src=x>"):
        assert text in shown, text
    assert b"<script>" not in render(review, "confluence", allow_problems=True)


def test_what_is_not_an_incident_is_refused() -> None:
    with pytest.raises(ReviewLoadError, match="not a Dispatch incident"):
        from_dispatch({"items": []})
    with pytest.raises(ReviewLoadError, match=r"events\[0\]\.at|timeline\[0\]\.at"):
        from_dispatch({**export(), "events": [{**export()["events"][0], "started_at": "yesterday-ish"}]})


def _dispatch_expectations() -> list[Expectation]:
    """The review's every text value, plus the values the layout writes for the platform fields."""
    r = imported()
    found = [e for e in expectations(r) if e.field != "section"]  # a note's section is where it is
    shown = ["2025-11-10 05:00 UTC", "15,300.50", "Tag (customer)", "Kestrel Retail (source: Salesforce)",
             "Reported At", "Stable At", "Closed At", "2025-11-14", "Duplicate", "TASK-881", "PAY-4103", "Medium",
             "Source: Deploy", "Key event", "Observer", "Scribe"]  # fmt: skip
    found += [Expectation(path=f"shown: {s}", text=s, kind="text", field="shown") for s in shown]
    return found


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_value_of_the_dispatch_review_is_found_by_a_foreign_reader(fmt: str) -> None:
    expected = _dispatch_expectations()
    data = output(fmt)
    if fmt == "markdown":
        shown = pandoc_plain(data)
    elif fmt == "docx":
        shown = docx_reading(data)
    elif fmt == "pdf":
        shown = pdftotext(data)
    else:
        lacking = missing_in_confluence(expected, data, "cloud")
        assert not lacking, report("confluence", lacking)
        return
    lacking = missing_text(expected, shown, pdf=fmt == "pdf")
    assert not lacking, report(fmt, lacking)


def test_the_dispatch_briefing_shows_the_key_events() -> None:
    text = " ".join(confluence_reading(output("confluence", "executive"))[0].split())
    key = [e.title for e in imported().timeline if e.key]
    assert len(key) == 7
    for title in key:
        assert title in text, title
    assert "Status page updated to Resolved" not in text  # not a key event


def test_pirdoc_import_from_dispatch_writes_yaml_and_the_template(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "review.yaml"
    assert main(["import", "--from", "dispatch", str(FIXTURE), "-o", str(target)]) == 0
    assert pirdoc.load(target) == imported()
    err = capsys.readouterr().err
    assert "not placed (kept in a note): conversation:" in err
    template = tmp_path / "review.md"
    assert main(["import", "--from", "dispatch", str(FIXTURE), "-o", str(template)]) == 0
    text = template.read_text(encoding="utf-8")
    assert text.startswith("# Post-Incident Review: Payments API latency in ap-south-1")
    assert pirdoc.from_markdown(text).title == "Payments API latency in ap-south-1"
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    assert main(["import", "--from", "dispatch", str(broken)]) == 2
    assert "not a Dispatch JSON export" in capsys.readouterr().err


def test_a_quantity_amount_keeps_its_words() -> None:
    item = m.CostItem(amount="~3,000", currency="EUR")
    assert item.amount == Quantity(value=3000, approximate=True, text="~3,000") or item.amount.approximate


# ---------------------------------------------------------------------------- docs/platforms.md recipes


def _recipes() -> dict[str, Any]:
    text = (Path(__file__).parent.parent / "docs" / "platforms.md").read_text(encoding="utf-8")
    namespace: dict[str, Any] = {}
    for source in re.findall(r"```python\n(.*?)```", text, re.S):
        exec(compile(source, "docs/platforms.md", "exec"), namespace)
    return namespace


def test_the_incident_io_recipe_builds_a_review() -> None:
    incident = {
        "id": "01HXYZ", "reference": "INC-123", "name": "Search results empty in EU",
        "summary": "Search returned no results for 40 minutes.", "severity": {"name": "Major"},
        "incident_type": {"name": "Default"}, "created_at": "2025-06-02T08:05:00Z",
        "permalink": "https://app.incident.io/acme/incidents/123",
        "incident_timestamp_values": [
            {"incident_timestamp": {"name": "Impact started"}, "value": {"value": "2025-06-02T07:58:00Z"}},
            {"incident_timestamp": {"name": "Resolved at"}, "value": {"value": "2025-06-02T08:38:00Z"}},
            {"incident_timestamp": {"name": "Accepted at"}},
        ],
        "incident_role_assignments": [
            {"role": {"name": "Incident Lead"}, "assignee": {"name": "Dana Ruiz", "email": "dana@example.com"}},
            {"role": {"name": "Scribe"}},
        ],
    }  # fmt: skip
    follow_ups = [
        {"title": "Alert on empty result rate", "status": "outstanding", "assignee": {"name": "Li Wei"},
         "priority": {"name": "High"},
         "external_issue_reference": {"issue_name": "SRCH-88", "issue_permalink": "https://acme.atlassian.net/browse/SRCH-88"}},
        {"title": "Write the runbook", "status": "completed"},
    ]  # fmt: skip
    review = _recipes()["from_incident_io"](incident, follow_ups)
    assert isinstance(review, m.Review)
    assert (review.incident_id, review.priority, review.duration) == ("INC-123", "Major", pirdoc.Duration(
        value=dt.timedelta(minutes=40)))  # fmt: skip
    assert review.participants == (m.Participant(person=m.Person(name="Dana Ruiz", email="dana@example.com"),
                                                 role="Incident Lead"),)  # fmt: skip
    first, second = review.action_items
    assert (first.tracker_id, first.priority, first.status, second.status) == (
        "SRCH-88", "High", m.ActionStatus.OPEN, m.ActionStatus.DONE)  # fmt: skip
    assert "SRCH-88" in markdown_reading(render(review, "markdown", allow_problems=True))


def test_the_pagerduty_recipe_builds_a_review() -> None:
    incident = {
        "id": "PT4KHLK", "incident_number": 1234, "title": "Checkout 5xx above 2%", "status": "resolved",
        "priority": {"summary": "P1"}, "created_at": "2025-03-14T13:41:00Z",
        "service": {"summary": "checkout-api"}, "html_url": "https://acme.pagerduty.com/incidents/PT4KHLK",
        "assignments": [{"assignee": {"summary": "Tomasz Kowalczyk"}}],
    }  # fmt: skip
    entries = [
        {"type": "trigger_log_entry", "created_at": "2025-03-14T13:41:00Z", "summary": "Triggered through the API"},
        {"type": "acknowledge_log_entry", "created_at": "2025-03-14T13:43:00Z", "summary": "Acknowledged"},
        {"type": "annotate_log_entry", "created_at": "2025-03-14T14:10:00Z", "summary": "Rolled back deploy 4812"},
        {"type": "resolve_log_entry", "created_at": "2025-03-14T15:02:00Z", "summary": "Resolved"},
    ]  # fmt: skip
    review = _recipes()["from_pagerduty"](incident, entries)
    assert (review.incident_id, review.priority, len(review.timeline)) == ("PD-1234", "P1", 4)
    assert [e.key for e in review.timeline] == [True, False, False, True]
    assert review.tags == (m.Tag(kind=m.TagKind.SERVICE, value="checkout-api", source="PagerDuty"),)
    assert review.ended_at is not None
    assert review.ended_at.start == dt.datetime(2025, 3, 14, 15, 2, tzinfo=dt.UTC)


# ---------------------------------------------------------------------------- the Markdown importer


@st.composite
def _basic_information_platform_reviews(draw: st.DrawFn) -> m.Review:
    """Generated reviews with the platform fields the template's Basic Information has rows for."""
    review = draw(reviews())
    moments = aware_datetimes()
    return attrs.evolve(
        review,
        priority=draw(st.none() | st.sampled_from(("P1", "High", "Sev-ish")) | line_texts(min_size=1)),
        incident_type=draw(st.none() | line_texts(min_size=1)),
        reported_at=draw(st.none() | moments),
        stable_at=draw(st.none() | moments),
        closed_at=draw(st.none() | moments | moments.map(lambda moment: moment.date())),
        tags=draw(
            st.lists(
                st.builds(
                    m.Tag,
                    kind=st.sampled_from(m.TagKind),
                    value=line_texts(min_size=1),
                    source=st.none() | st.sampled_from(("Dispatch", "PagerDuty service", "manual")),
                ),
                max_size=3,
            ).map(tuple)
        ),
    )


def _reads_back_from_its_markdown(expected: m.Review) -> None:
    """``expected`` (in its canonical form) rendered to Markdown and imported is ``expected``."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        markdown = render(expected, "markdown", allow_problems=True).decode()
    result = import_markdown(markdown)
    assert not result.problems, [str(p) for p in result.problems]
    assert result.review == expected, "\n".join(differences(expected, result.review))


@settings(deadline=None, max_examples=20, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(review=_basic_information_platform_reviews())
def test_priority_type_lifecycle_times_and_tags_read_back_from_pirdocs_markdown(review: m.Review) -> None:
    assume(readable_titles(review))
    expected = canonical_for_markdown(review)
    _reads_back_from_its_markdown(expected)


def test_the_dispatch_reviews_basic_information_reads_back_from_its_markdown() -> None:
    review = pirdoc.from_markdown(output("markdown").decode())
    original = imported()
    assert (review.priority, review.incident_type, review.tags) == (original.priority, original.incident_type,
                                                                   original.tags)  # fmt: skip
    assert (review.reported_at, review.stable_at, review.closed_at) == (
        original.reported_at, original.stable_at, original.closed_at)  # fmt: skip


def test_platform_fields_are_a_line_under_the_action_and_a_teams_own_priority_column_stays() -> None:
    items = (
        m.ActionItem(id="AI-1", action="Pin the pool size", horizon=m.Horizon.IMMEDIATE, priority="P1",
                     details=(m.Detail(label="Priority", value="P0 (team)"),)),
        m.ActionItem(id="AI-2", action="Alert on waits", horizon=m.Horizon.IMMEDIATE, tracker_id="PAY-4102",
                     assignees=(m.Person(name="Meera Das"), m.Person(name="Arjun Rao")),
                     links=("https://docs.example.in/d/alerts", "https://runbooks.example.in/pool")),
    )  # fmt: skip
    review = m.Review(incident_id="INC-1", title="t", action_items=items)
    table = next(t for t in pirdoc.layout(review).blocks if isinstance(t, d.Table) and t.role == "action-items")
    header = [d.plain_text(cell) for cell in table.header]
    # the team's own column keeps its place; the platform's fields are no columns of their own
    assert header == ["ID", "Action", "Owner", "Due Date", "Status", "Priority"]
    actions = [d.plain_text(row[1]) for row in table.rows]
    assert actions[0] == "Pin the pool size\nPriority: P1"
    assert actions[1] == ("Alert on waits\nAssignees: Meera Das; Arjun Rao \u00b7 Tracker: PAY-4102 \u00b7 "
                          "Links: https://docs.example.in/d/alerts, https://runbooks.example.in/pool")
    assert [d.plain_text(row[5]) for row in table.rows] == ["P0 (team)", "Not recorded"]
    # the briefing leaves the line to the full record
    brief = next(t for t in pirdoc.layout(review, "executive").blocks
                 if isinstance(t, d.Table) and t.role == "action-items")  # fmt: skip
    assert [d.plain_text(row[1]) for row in brief.rows] == ["Pin the pool size", "Alert on waits"]


@settings(deadline=None, max_examples=20, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(
    review=reviews(),
    # a name may have a comma ("Doe, Jane"); a bare name with "; " would read as two people
    assignees=st.lists(st.one_of(line_texts(min_size=1), st.just("Doe, Jane")).filter(lambda name: "; " not in name),
                       max_size=3),
    priority=st.none() | line_texts(min_size=1),
    tracker=st.none() | line_texts(min_size=1),
    links=st.lists(st.sampled_from(("https://t.example/PAY-1", "http://wiki.example/a_(b)", "ftp://x.example/y")),
                   max_size=2),
)  # fmt: skip
def test_action_platform_fields_read_back_from_pirdocs_markdown(
    review: m.Review, assignees: list[str], priority: str | None, tracker: str | None, links: list[str]
) -> None:
    assume(readable_titles(review) and review.action_items)
    first = attrs.evolve(
        review.action_items[0],
        assignees=tuple(m.Person(name=name) for name in assignees),
        priority=priority,
        tracker_id=tracker,
        links=tuple(links),
    )
    expected = canonical_for_markdown(attrs.evolve(review, action_items=(first, *review.action_items[1:])))
    _reads_back_from_its_markdown(expected)


# ---------------------------------------------------------------------------- audiences


def test_a_public_version_keeps_the_recovery_and_drops_people_money_tags_and_sources() -> None:
    review = imported()
    public, report = pirdoc.redact(review, "public")
    assert public.stable_at == review.stable_at  # when customers saw it recover
    assert public.revision == review.revision
    assert (public.participants, public.costs, public.tags, public.related_incidents) == ((), (), (), ())
    assert public.priority is None
    assert public.closed_at is None
    assert all(event.source is None and event.evidence is None for event in public.timeline)
    assert all(not item.assignees and not item.links and item.tracker_id is None for item in public.action_items)
    removed = {entry.path.split("[")[0].split(".")[0] for entry in report.entries}
    assert {"participants", "costs", "tags", "related_incidents", "priority"} <= removed
    customer, _ = pirdoc.redact(review, "customer")
    assert customer.incident_type == review.incident_type
    assert customer.reported_at == review.reported_at
    text = render(public, "markdown", allow_problems=True).decode()
    for inside in ("Karthik Iyer", "15,300", "PagerDuty service", "dispatch-payments-4712"):
        assert inside not in text, inside


def test_assignees_written_last_name_first_read_back_as_one_person_each() -> None:
    example = pirdoc.load(Path(__file__).resolve().parent.parent / "fixtures" / "example-review.yaml")
    people = (m.Person(name="Doe, Jane"), m.Person(name="Roe, Rick", email="rick.roe@example.org"), m.Person(name="Bo"))
    first = attrs.evolve(example.action_items[0], assignees=people)
    review = attrs.evolve(example, action_items=(first, *example.action_items[1:]))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        markdown = render(review, "markdown", allow_problems=True).decode()
    assert import_markdown(markdown).review.action_items[0].assignees == people


def test_the_importer_reads_the_platform_labels_layout_writes() -> None:
    from pirdoc.importers._actions import PLATFORM_LABELS
    from pirdoc.layout import PLATFORM_ACTION_LABELS

    assert PLATFORM_LABELS == PLATFORM_ACTION_LABELS
