"""Audiences (issue 18): visibility through every door, the defaults, overrides, redaction and its
report, the status rule, and the CLI's --audience and --report."""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any, Literal

import attrs
import pytest
from hypothesis import given, settings

import pirdoc
from pirdoc import model as m
from pirdoc.audience import DEFAULT_VISIBILITY, AudienceError, redact, unknown_paths, visibility_of
from pirdoc.cli import main
from pirdoc.schema import review_schema
from tests.readers import markdown_reading
from tests.strategies import audience_reviews

FIXTURES = Path(__file__).parent.parent / "fixtures"
REVIEW = FIXTURES / "public-review.yaml"


@pytest.fixture(autouse=True)
def _quiet() -> None:
    warnings.simplefilter("ignore", pirdoc.PirdocWarning)


def _review() -> m.Review:
    return pirdoc.load(REVIEW)


def _public_markdown(review: m.Review, **options: object) -> str:
    return markdown_reading(pirdoc.render(review, "markdown", audience="public", **options))  # type: ignore[arg-type]


# ---------------------------------------------------------------------------- the model's doors


def test_statuses_follow_the_review_workflow() -> None:
    assert [s.value for s in m.Status] == ["Draft", "In review", "Reviewed", "Final"]
    assert pirdoc.from_dict({"incident_id": "INC-1", "title": "t", "status": "In review"}).status is m.Status.IN_REVIEW


@pytest.mark.parametrize("fmt", ["yaml", "json", "toml"])
def test_visibility_round_trips_through_every_file_format(fmt: Literal["yaml", "json", "toml"]) -> None:
    review = _review()
    assert review.visibility == {
        "services": m.Visibility.PUBLIC,
        "impact.business.sla_breach": m.Visibility.PUBLIC,
        "timeline[1]": m.Visibility.CUSTOMER,
    }
    assert review.timeline[5].visibility is m.Visibility.PUBLIC
    assert pirdoc.loads(pirdoc.dumps(review, fmt), fmt) == review


def test_the_constructor_and_from_dict_read_levels_as_written() -> None:
    built = m.Review(
        incident_id="INC-1",
        title="t",
        visibility={"summary": "customer"},
        timeline=[{"title": "Alert", "phase": "detection", "visibility": "public"}],
    )
    assert built.visibility == {"summary": m.Visibility.CUSTOMER}
    assert built.timeline[0].visibility is m.Visibility.PUBLIC
    assert pirdoc.from_dict(pirdoc.to_dict(built)) == built


def test_a_wrong_level_is_refused_naming_the_field() -> None:
    with pytest.raises(pirdoc.ReviewLoadError, match=r"visibility\.summary: expected one of internal, customer"):
        m.Review(incident_id="INC-1", title="t", visibility={"summary": "secret"})
    with pytest.raises(pirdoc.ReviewLoadError, match=r"timeline\[0\]\.visibility"):
        pirdoc.from_dict({"incident_id": "INC-1", "title": "t", "timeline": [
            {"title": "Alert", "phase": "detection", "visibility": "everyone"}]})  # fmt: skip


def test_the_json_schema_describes_the_levels() -> None:
    schema = review_schema()
    assert schema["properties"]["visibility"]["additionalProperties"] == {"$ref": "#/$defs/Visibility"}
    assert schema["$defs"]["Visibility"]["enum"] == ["internal", "customer", "public"]
    event = schema["$defs"]["TimelineEvent"]["properties"]["visibility"]
    assert {"$ref": "#/$defs/Visibility"} in event["anyOf"]


def test_a_path_that_names_no_field_is_a_problem_and_refused() -> None:
    levels = {"impact.busines": m.Visibility.PUBLIC, "timeline.details": m.Visibility.PUBLIC}
    review = attrs.evolve(_review(), visibility=levels)
    assert unknown_paths(review) == ["impact.busines"]
    assert [p.path for p in pirdoc.check(review) if p.path.startswith("visibility")] == ["visibility.impact.busines"]
    with pytest.raises(AudienceError, match=r"visibility\.impact\.busines: names no field"):
        redact(review, "public")


# ---------------------------------------------------------------------------- defaults


def test_every_default_path_names_a_field() -> None:
    review = m.Review(incident_id="INC-1", title="t", visibility=dict(DEFAULT_VISIBILITY))
    assert unknown_paths(review) == []


@pytest.mark.parametrize(
    ("path", "level"),
    [
        ("incident_commander", "internal"),
        ("other_roles[0]", "internal"),
        ("action_items[0].owner", "internal"),
        ("action_items[0].link", "internal"),
        ("attachments.links.incident_ticket", "internal"),
        ("impact.business.revenue_impact", "internal"),
        ("timeline[0].details", "internal"),
        ("communication.internal_timeline[0].message", "internal"),
        ("notes[0].body", "internal"),
        ("went_wrong.issues[0].title", "internal"),
        ("summary.one_line", "public"),
        ("started_at", "public"),
        ("ended_at", "public"),
        ("impact.user.total_users_affected", "public"),
        ("metrics.impact.failed_requests", "public"),
        ("root_cause.what_happened", "public"),
        ("root_cause.contributing_factors[0].title", "public"),
        ("action_items[0].action", "public"),
        ("action_items[0].due", "public"),
        ("severity", "customer"),
        ("summary.asks[0]", "internal"),
    ],
)
def test_defaults_keep_people_links_costs_and_chat_inside(path: str, level: str) -> None:
    assert visibility_of(_review(), path).value == level


def test_overrides_win_over_defaults() -> None:
    review = _review()
    assert visibility_of(review, "services.other[0]") is m.Visibility.PUBLIC  # the review's mapping
    assert visibility_of(review, "timeline[5].details") is m.Visibility.PUBLIC  # the event's own level
    assert visibility_of(review, "timeline[4].title") is m.Visibility.INTERNAL
    assert visibility_of(review, "timeline[1].title") is m.Visibility.CUSTOMER  # an indexed path
    assert visibility_of(review, "notes[1].body") is m.Visibility.PUBLIC
    # a person stays internal inside an item marked public; only the review's mapping opens it
    items = tuple(attrs.evolve(a, visibility=m.Visibility.PUBLIC) for a in review.action_items)
    opened = attrs.evolve(review, action_items=items)
    assert visibility_of(opened, "action_items[0].owner") is m.Visibility.INTERNAL
    mapped = attrs.evolve(review, visibility={"action_items.owner": m.Visibility.PUBLIC})
    assert visibility_of(mapped, "action_items[0].owner.name") is m.Visibility.PUBLIC


# ---------------------------------------------------------------------------- redaction


def test_the_public_version_keeps_the_story_and_drops_the_inside() -> None:
    text = _public_markdown(_review())
    for kept in (
        "Checkout failures after connection-pool change",
        "about a third of checkout attempts failed",
        "18,450",
        "Status page updated",
        "Some payments are f",  # the public event's details
        "Make the shared config loader reject unknown keys",
        "We are sorry.",
        "Backend API",
    ):
        assert kept in text, kept
    for dropped in (
        "Amara",
        "Okafor",
        "Tomasz",
        "Priya Raman",
        "larkspur.example",
        "PLAT-1202",
        "€212,000",
        "Payment provider ruled out",
        "Initial Detection",  # customer only
        "Where we got lucky",
        "pool-exhaustion section",  # an internal action item
        "Confidential",
    ):
        assert dropped not in text, dropped


def test_the_asks_of_leadership_stay_inside_and_are_reported() -> None:
    review = _review()
    review = attrs.evolve(review, summary=attrs.evolve(review.summary, asks=("Approve the on-call budget",)))
    assert "Approve the on-call budget" not in _public_markdown(review)
    _, report = redact(review, "customer")
    assert [(e.path, e.action) for e in report.entries if e.path.startswith("summary.asks")] == [
        ("summary.asks[0]", "removed")
    ]


def test_names_in_kept_text_become_roles_and_the_commitments_are_stated() -> None:
    public, report = redact(_review(), "public")
    assert public.summary.resolution is not None
    assert "the incident commander led the response" in public.summary.resolution
    assert "the technical lead confirmed the fix" in public.summary.resolution
    replaced = {e.path: e for e in report.entries if e.action == "replaced"}
    assert replaced["summary.resolution"].replacement == public.summary.resolution
    assert replaced["classification"].replacement == "Public"
    stated = public.notes[0]
    assert stated.title == "What we are doing"
    assert stated.body is not None
    assert "- Make the shared config loader reject unknown keys (by 21 March 2026)" in stated.body
    assert "runbook" not in stated.body
    assert [e.path for e in report.entries if e.action == "added"] == ["notes[0]"]


def test_the_customer_version_shows_customer_values_the_public_one_does_not() -> None:
    review = _review()
    customer = markdown_reading(pirdoc.render(review, "markdown", audience="customer"))
    assert "Initial Detection" in customer
    assert "SEV-2" in customer
    assert "Initial Detection" not in _public_markdown(review)
    assert "Classification: Customer" in customer


def test_the_report_lists_every_value_the_audience_may_not_read() -> None:
    review = _review()
    listed = [e.path for e in redact(review, "public")[1].entries]
    hidden = [path for path, _ in _leaves(review) if visibility_of(review, path) is not m.Visibility.PUBLIC]
    assert len(hidden) > 50
    for path in hidden:
        assert any(path == p or path.startswith((p + ".", p + "[")) for p in listed), path


def _leaves(value: Any, path: str = "") -> list[tuple[str, object]]:
    if isinstance(value, tuple):
        return [leaf for i, item in enumerate(value) for leaf in _leaves(item, f"{path}[{i}]")]
    if attrs.has(type(value)) and not isinstance(value, m.Person | pirdoc.Instant | pirdoc.Quantity | pirdoc.Duration):
        found = []
        for field in attrs.fields(type(value)):
            current = getattr(value, field.name)
            if field.name != "visibility" and current != field.default:  # a default tells nothing
                found += _leaves(current, f"{path}.{field.name}" if path else field.name)
        return found
    return [(path, value)] if value not in (None, (), False) else []


@settings(max_examples=25, deadline=None)
@given(review=audience_reviews())
def test_redaction_is_pure_and_deterministic(review: m.Review) -> None:
    before = pirdoc.to_dict(review)
    first = redact(review, "public")
    assert redact(review, "public") == first
    assert pirdoc.to_dict(review) == before
    assert redact(review, "internal") == (review, pirdoc.RedactionReport(audience="internal"))
    assert first[0].visibility == {}


def test_an_unknown_audience_is_refused() -> None:
    with pytest.raises(AudienceError, match="unknown audience 'press'"):
        redact(_review(), "press")


# ---------------------------------------------------------------------------- the status rule


@pytest.mark.parametrize("status", [m.Status.DRAFT, m.Status.IN_REVIEW])
def test_an_outside_version_of_an_unreviewed_review_is_refused(status: m.Status) -> None:
    review = attrs.evolve(_review(), status=status)
    with pytest.raises(AudienceError, match=f"status is {status.value}; a customer or public version needs"):
        pirdoc.render(review, "markdown", audience="public")
    assert pirdoc.render(review, "markdown", audience="public", allow_unreviewed=True)
    assert pirdoc.render(review, "markdown", audience="customer", allow_problems=True)
    assert pirdoc.render(review, "markdown")  # the internal version needs no review


# ---------------------------------------------------------------------------- the CLI


def test_cli_writes_the_public_version_beside_the_internal_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert main(["render", str(REVIEW), "-f", "md,docx", "-o", str(out), "-j", "1"]) == 0
    code = main(["render", str(REVIEW), "-f", "md,docx", "-o", str(out), "-j", "1", "--audience", "public",
                 "--report", str(tmp_path / "redacted.json")])  # fmt: skip
    assert code == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "public-review.docx", "public-review.md", "public-review.public.docx", "public-review.public.md"
    ]
    assert "Amara" in (out / "public-review.md").read_text("utf-8")
    assert "Amara" not in (out / "public-review.public.md").read_text("utf-8")
    err = capsys.readouterr().err
    assert f"{REVIEW}: removed: incident_commander: 'Amara Okafor' (a person is internal)" in err
    data = json.loads((tmp_path / "redacted.json").read_text("utf-8"))
    assert data["audience"] == "public"
    [entry] = [e for e in data["inputs"][0]["entries"] if e["path"] == "impact.business.revenue_impact"]
    assert entry["action"] == "removed"
    assert entry["reason"] == "default for impact.business is internal"


def test_cli_report_as_text_and_executive_names(tmp_path: Path) -> None:
    report = tmp_path / "redacted.txt"
    code = main(["render", str(REVIEW), "-o", str(tmp_path), "-j", "1", "--audience", "customer",
                 "--profile", "executive", "--report", str(report)])  # fmt: skip
    assert code == 0
    assert (tmp_path / "public-review.executive.customer.md").exists()
    text = report.read_text("utf-8")
    assert text.startswith(f"{REVIEW}: customer version: ")
    assert "  removed: technical_lead: 'Tomasz Kowalczyk' (a person is internal)" in text


def test_cli_refuses_an_unreviewed_review_unless_asked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    draft = FIXTURES / "example-review.yaml"
    assert main(["render", str(draft), "-o", str(tmp_path), "-j", "1", "--audience", "public"]) == 1
    assert "not rendered for the public audience: the status is Draft" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []
    asked = ["--audience", "public", "--allow-unreviewed"]
    assert main(["render", str(draft), "-o", str(tmp_path), "-j", "1", *asked]) == 0
    assert (tmp_path / "example-review.public.md").exists()


def test_cli_refuses_an_unknown_audience(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["render", str(REVIEW), "--audience", "press"]) == 2
    assert "invalid choice: 'press'" in capsys.readouterr().err
