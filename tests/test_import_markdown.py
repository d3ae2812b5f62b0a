"""Importing filled-in templates written by hand (fixtures/markdown/*.md)."""

from __future__ import annotations

import datetime as dt
import warnings
from pathlib import Path
from typing import Any, cast

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import pirdoc
from pirdoc import model as m
from pirdoc.checks import check
from pirdoc.cli import main
from pirdoc.errors import PirdocWarning
from pirdoc.importers import ImportResult, from_markdown, import_markdown
from pirdoc.serde import load
from pirdoc.values import Duration, Instant, Precision, Quantity
from tests.cycles import cyclic_garbage, kinds

FIXTURES = Path(__file__).parent.parent / "fixtures" / "markdown"


def _import(name: str) -> ImportResult:
    return import_markdown((FIXTURES / name).read_bytes())


def _utc(year: int, month: int, day: int, hour: int, minute: int) -> Instant:
    """A time written to the minute, as the template writes them."""
    return Instant(start=dt.datetime(year, month, day, hour, minute, tzinfo=dt.UTC), precision=Precision.MINUTE)


def _problems(result: ImportResult) -> list[tuple[str, str]]:
    return [(p.path, p.message) for p in result.problems]


# ---------------------------------------------------------------------------- the fixtures


def test_a_complete_review_imports_every_section() -> None:
    result = _import("northwind-checkout-outage.md")
    r = result.review
    assert result.problems == ()
    assert (r.incident_id, r.title, r.severity, r.status) == (
        "INC-2025-0311",
        "Checkout outage after payment SDK upgrade",
        m.Severity.SEV1,
        m.Status.FINAL,
    )
    assert (r.started_at, r.ended_at) == (_utc(2025, 6, 2, 14, 5), _utc(2025, 6, 2, 14, 52))
    assert r.date == dt.date(2025, 6, 4)
    assert r.summary.one_line is not None
    assert "**v5.2.0**" in r.summary.one_line
    assert r.summary.resolution == "Rolled back to SDK v5.1.4 and pinned the cipher list in `payments.yaml`."
    assert r.other_roles == (m.Person(name="Chloé Bernard", role="Communications Lead"),)
    assert r.services.backend_api
    assert r.services.frontend
    assert not r.services.database
    assert r.services.other == ("Payment proxy (`pay-gw`)", "Order confirmation e-mails")
    assert r.impact.user.total_users_affected == Quantity(value=9812)
    assert r.impact.user.percentage_of_user_base == Quantity(value=12)
    assert r.impact.user.geographic_regions == ("EU", "UK", "Nordics")
    assert r.impact.business.sla_breach is True
    assert r.impact.business.reputation_impact is m.Level.HIGH
    assert r.impact.technical.data_loss == m.DataImpact(occurred=False)
    assert r.impact.technical.recovery_time == Duration(value=dt.timedelta(minutes=47))
    # An event that is not a milestone, nested details, milestones by title.
    assert r.timeline[0].kind is None
    assert r.timeline[0].title == "Deploy of checkout 2025.06.02-3 finished"
    assert [e.kind for e in r.timeline[1:]] == list(m.Milestone)
    assert r.timeline[3].details is not None
    assert "  - compared errors per payment method" in r.timeline[3].details
    assert r.root_cause.what_happened is not None
    assert "```text\nSSLHandshakeException" in r.root_cause.what_happened
    assert len(r.root_cause.contributing_factors) == 3
    assert len(r.root_cause.five_whys) == 5
    assert [a.id for a in r.action_items] == ["AI-1", "AI-2", "AI-3", "AI-4", "AI-5", "AI-6"]
    assert r.action_items[2].due is None  # TBD
    assert r.action_items[4].due is None  # YYYY-MM-DD
    assert r.action_items[1].status is m.ActionStatus.IN_PROGRESS
    # Template suggestions left unticked with their placeholder are not measures.
    assert [i.text for i in r.prevention.technical] == ["Implement explicit cipher configuration"]
    assert r.communication.stakeholders.sales_team is None  # N/A
    assert r.metrics.stated == m.StatedMetrics()  # the actuals agree with the timeline
    assert r.metrics.impact.total_downtime is None  # equals the duration
    assert r.metrics.impact.recovery_point is None  # N/A
    assert r.attachments.links.monitoring_dashboard == "https://grafana.northwind.example/d/pay"
    assert r.attachments.links.action_item_tracker is None  # [URL]
    assert r.approvals[2] == m.Approval(role="Engineering Manager", approver=m.Person(name="Oskar Nieminen"))
    assert r.review_meeting.attendees[2] == m.Person(name="Ines Duarte", role="QA Lead")
    assert r.owner == m.Person(name="Marta Lindqvist")


def test_a_partly_filled_template_keeps_placeholders_as_not_recorded() -> None:
    result = _import("brightwave-dns-overnight.md")
    r = result.review
    assert _problems(result) == [
        ("line 68", "Technical Impact: 'Pager fatigue' is not a field of the template; kept in service degradation"),
    ]
    # The template's own "Incident Closed" (no time, the template's bullets) is not an event.
    assert "Incident Closed" not in [e.title for e in r.timeline]
    assert r.summary.root_cause is None  # TBD
    assert r.technical_lead is None  # [Name]
    assert r.impact.user.total_users_affected is None  # Unknown
    assert r.impact.business.revenue_impact is None  # N/A
    assert r.impact.business.sla_breach is None  # [Yes/No]
    assert r.impact.technical.service_degradation == (
        "p95 latency of internal calls rose from 40 ms to 5 s\n\nPager fatigue: the on-call was paged 31 times"
    )
    # The end time has no date and is earlier than the start: it is the next day.
    assert (r.started_at, r.ended_at) == (_utc(2024, 11, 17, 23, 41), _utc(2024, 11, 18, 1, 12))
    assert [e.at for e in r.timeline] == [
        _utc(2024, 11, 17, 23, 48),
        _utc(2024, 11, 17, 23, 55),
        _utc(2024, 11, 18, 0, 20),
        _utc(2024, 11, 18, 0, 58),
        _utc(2024, 11, 18, 1, 12),
    ]
    # "- Alert/ticket: [Link]" and other unfilled bullets are dropped from the details.
    assert r.timeline[0].details == "- How detected: Monitoring alert\n- First responder: Priyanka Rao"
    assert r.root_cause.what_happened is None
    assert r.root_cause.contributing_factors == ()
    assert r.root_cause.five_whys == (
        m.Why(question="Why did the incident occur?", answer="CoreDNS pods were OOM-killed in a loop."),
    )
    assert r.went_well == m.WhatWentWell()
    assert r.went_wrong == m.WhatWentWrong()
    assert [(a.id, a.due, a.status) for a in r.action_items] == [("AI-1", None, m.ActionStatus.DONE)]
    assert r.lessons == m.LessonsLearned()
    assert r.prevention == m.PreventionMeasures()
    assert r.communication.internal_timeline == ()
    blank = m.Review(incident_id="x", title="x", severity=m.Severity.SEV4, started_at=r.started_at)
    assert r.approvals == blank.approvals
    assert r.review_meeting == m.ReviewMeeting()
    assert (r.last_updated, r.next_review, r.owner, r.status) == (None, None, None, m.Status.DRAFT)


def test_windows_line_endings_dated_times_and_midnight_import() -> None:
    data = (FIXTURES / "kestrel-ledger-batch-overnight.md").read_bytes()
    assert b"\r\n" in data
    assert not data.endswith(b"\n")
    result = import_markdown(data)
    r = result.review
    assert _problems(result) == [
        ("line 49", "Services Affected: ticked, but no service named"),
        (
            "line 207",
            "Action Items: Status: expected one of Open/In Progress/Done, got 'Blocked'; "
            "kept as written in an extra 'Status' column",
        ),
    ]
    blocked = [a for a in r.action_items if a.details]
    assert [(a.status, a.details) for a in blocked] == [
        (m.ActionStatus.OPEN, (m.Detail(label="Status", value="Blocked"),))
    ]
    assert r.title == "Nightly ledger batch overran into business hours"
    assert r.summary.root_cause == (
        "A new index on `ledger_entries` made the nightly `MERGE` statement fall back to a nested loop."
    )
    assert r.summary.resolution == "Dropped the index and re-ran the batch from the last checkpoint."
    assert [e.at for e in r.timeline] == [
        _utc(2018, 10, 21, 23, 30),
        _utc(2018, 10, 22, 1, 15),
        _utc(2018, 10, 22, 1, 40),
        _utc(2018, 10, 22, 2, 5),
        _utc(2018, 10, 22, 4, 10),
        _utc(2018, 10, 22, 4, 32),
        _utc(2018, 10, 22, 6, 51),
        _utc(2018, 10, 22, 9, 0),
    ]
    assert r.timeline[-1].title == "Branch managers informed"
    assert r.timeline[-1].phase is m.Phase.RESOLUTION
    details = r.timeline[4].details
    assert details is not None
    assert "  ```sql\n  MERGE INTO" in details
    assert "``EXPLAIN ANALYZE``" in details
    assert "``` `n` ```" in details
    # Trailing spaces as line breaks stay Markdown hard breaks.
    assert r.root_cause.what_happened == (
        "The index added on Friday changed the optimiser's plan for the nightly `MERGE`.  \n"
        "It chose a nested loop over 2.1 million rows instead of a hash join."
    )
    assert [u.at for u in r.communication.internal_timeline] == [
        _utc(2018, 10, 22, 1, 45),
        _utc(2018, 10, 22, 3, 0),
        _utc(2018, 10, 22, 5, 0),
        _utc(2018, 10, 22, 7, 5),
    ]
    assert r.communication.improvements_needed == (
        "- Add branch operations to the notification list\n- Prepare a branch notice template"
    )
    assert r.services.other == ("Ledger batch (`ledger-nightly`)", "Branch balance reports")
    assert r.action_items[1].status is m.ActionStatus.DONE  # "Complete"
    assert r.action_items[3].status is m.ActionStatus.OPEN  # "Blocked" is reported
    assert r.metrics.targets == m.ResponseTargets(
        detect=dt.timedelta(minutes=15),
        acknowledge=dt.timedelta(minutes=30),
        mitigate=dt.timedelta(hours=2),
        resolve=dt.timedelta(hours=8),
    )
    assert r.metrics.impact.total_downtime == Duration(value=dt.timedelta(0))
    assert r.attachments.supporting_documents[-1] == m.CheckItem(
        text="Query plans before and after the index", done=True
    )
    assert r.attachments.links.related_incidents == ("INC-2018-0377", "INC-2018-0391")
    assert r.attachments.links.other == (
        m.NamedLink(label="Batch runbook", url="https://wiki.kestrel.example/ledger/batch-restart"),
    )
    assert len(r.approvals) == 4
    assert r.approvals[2].approved is False
    assert r.approvals[3].approved is None
    assert [s.when for s in r.follow_up.cadence] == ["Week 1", "Month 1"]


def test_extra_rows_fields_and_sections_are_reported_with_their_lines() -> None:
    result = _import("harbourline-api-key-leak.md")
    r = result.review
    assert _problems(result) == [
        (
            "line 64",
            "Business Impact: 'Contract review' is not a field of the template; "
            "kept as a note at the end of Impact Assessment",
        ),
        ("line 99", "Timeline: 'Around noon' is not a time pirdoc can read; kept as written"),
        ("line 118", "Contributing Factors: 'Owner' is not a field of the template; kept in description"),
        ("line 181", "Action Items: row without an ID; numbered AI-3"),
        (
            "line 237",
            "section 'Customer Impact Details' is not part of the template; "
            "kept as a section of its own after Prevention Measures",
        ),
    ]
    assert r.notes[0] == m.Note(
        section="incident_details.impact", body="Contract review: two partners asked for a security review"
    )
    extra = r.notes[1]
    assert (extra.section, extra.title, extra.top_level) == ("prevention", "Customer Impact Details", True)
    assert extra.body is not None
    assert extra.body.startswith("Two partners (Blue Anchor Freight and Ti")
    assert r.other_roles == (m.Person(name="Rafael Ortiz", role="Security Lead"),)
    assert r.services.other == ("CI pipeline", "Partner API gateway")
    assert r.root_cause.contributing_factors[0].description == (
        "Partner keys were read from `partners.env`, not the vault.\n\nOwner: Hannah Okonkwo"
    )
    # Raw HTML is text, kept as written.
    partners = r.timeline[4].details
    assert partners is not None
    assert "<b>partner sheet</b>" in partners
    closed = r.timeline[-1]
    assert (closed.at, closed.title) == (Instant(text="Around noon"), "Incident Closed")
    assert [a.id for a in r.action_items] == ["AI-1", "AI-2", "AI-3", "AI-4", "AI-5"]
    assert r.approvals[-1] == m.Approval(
        role="Security Officer", approver=m.Person(name="Rafael Ortiz"), approved=True, date=dt.date(2026, 1, 23)
    )
    assert r.follow_up.knowledge_sharing[-1] == m.CheckItem(text="Security newsletter item", done=True)
    assert r.communication.what_did_not_work is None


def test_an_end_before_the_start_imports_and_validate_names_both(capsys: pytest.CaptureFixture[str]) -> None:
    path = FIXTURES / "alpine-telecom-end-before-start.md"
    result = import_markdown(path.read_bytes())
    started, ended = result.review.started_at, result.review.ended_at
    assert started is not None
    assert ended is not None
    assert started.start is not None
    assert ended.start is not None
    assert ended.start < started.start
    # The stated Duration is kept beside End minus Start; the checks report the disagreement.
    assert _problems(result) == []
    assert result.review.stated_duration == Duration(value=dt.timedelta(hours=1, minutes=5))
    assert result.review.summary.duration is None  # what Basic Information states
    assert any(p.path == "ended_at" for p in check(result.review))
    assert any(p.path == "stated_duration" for p in check(result.review))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PirdocWarning)
        assert main(["validate", str(path)]) == 1
    err = capsys.readouterr().err
    assert "2025-09-12 16:20 UTC" in err
    assert "2025-09-12 15:15 UTC" in err


# ---------------------------------------------------------------------------- the API and the CLI


def test_load_reads_markdown_by_its_suffix() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", PirdocWarning)
        review = pirdoc.load(FIXTURES / "northwind-checkout-outage.md")
    assert review == _import("northwind-checkout-outage.md").review


def test_from_markdown_warns_once_per_problem() -> None:
    text = (FIXTURES / "brightwave-dns-overnight.md").read_text()
    with pytest.warns(PirdocWarning) as caught:
        review = pirdoc.from_markdown(text)
    assert review == import_markdown(text).review
    assert [str(w.message) for w in caught] == [f"{p.path}: {p.message}" for p in import_markdown(text).problems]


def test_pirdoc_import_writes_yaml(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = FIXTURES / "northwind-checkout-outage.md"
    assert main(["import", str(source)]) == 0
    assert capsys.readouterr().out.startswith("incident_id: INC-2025-0311\n")
    target = tmp_path / "review.yaml"
    assert main(["import", str(source), "-o", str(target)]) == 0
    assert load(target) == _import("northwind-checkout-outage.md").review


def test_pirdoc_import_reports_problems_on_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", str(FIXTURES / "brightwave-dns-overnight.md")]) == 0
    err = capsys.readouterr().err
    assert "brightwave-dns-overnight.md: line 68: warning: Technical Impact: 'Pager fatigue'" in err


def test_pirdoc_import_of_a_missing_file_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", "no-such-review.md"]) == 2
    assert "cannot read the file" in capsys.readouterr().err


# ---------------------------------------------------------------------------- small cases

_MINIMAL = """# Post-Incident Review: Search latency

**Incident ID:** INC-2026-0101
**Severity:** SEV-3

## Incident Details

### Basic Information

| Field | Value |
|---|---|
| Start Time | 2026-02-01 22:10 UTC |
| End Time | 00:40 UTC |
"""


def test_labels_without_line_breaks_and_a_missing_trailing_newline() -> None:
    review = from_markdown(_MINIMAL.rstrip("\n"))
    assert (review.incident_id, review.severity) == ("INC-2026-0101", m.Severity.SEV3)
    assert review.ended_at == _utc(2026, 2, 2, 0, 40)


def test_inline_markdown_in_narratives_is_kept_as_written() -> None:
    text = (
        _MINIMAL
        + """
## Root Cause Analysis

### Primary Root Cause

**What happened:** A **bad** query with `` a`b `` and [a link](https://example.com/x) and <b>tags</b>:

1. first
2. second
"""
    )
    review = from_markdown(text)
    assert review.root_cause.what_happened == (
        "A **bad** query with `` a`b `` and [a link](https://example.com/x) and <b>tags</b>:\n\n1. first\n2. second"
    )


def test_a_missing_start_time_is_an_unknown_start() -> None:
    result = import_markdown("# Post-Incident Review: Nothing\n\n**Severity:** SEV-4\n")
    assert result.review.started_at is None
    assert result.review.title == "Nothing"
    assert (
        "input",
        "no Start Time: the start is unknown (write it in Basic Information as 'YYYY-MM-DD HH:MM UTC')",
    ) in _problems(result)


def test_the_blank_template_is_not_a_review() -> None:
    template = (Path(__file__).parent.parent / "docs" / "template.md").read_text(encoding="utf-8")
    with pytest.raises(pirdoc.ReviewLoadError, match="nothing is filled in"):
        import_markdown(template)


# ---------------------------------------------------------------------------- single values


def test_a_duration_that_cannot_be_read_keeps_serdes_message() -> None:
    from pirdoc.importers._values import parse_duration_text

    assert parse_duration_text("< 5 minutes") == dt.timedelta(minutes=5)
    with pytest.raises(ValueError, match=r"^not a duration: 'soon' \(write e.g. '1h 5m', '65 min' or 'PT1H5M'\)$"):
        parse_duration_text("~ soon")


def test_person_details_from_an_inline_link_title() -> None:
    from pirdoc.importers._source import Source

    source = Source("")
    person = source.person('[Ada Lovelace](mailto:ada@example.com "role=Incident Commander; email=ada@x.org")')
    assert person == m.Person(name="Ada Lovelace", role="Incident Commander", email="ada@x.org")
    assert source.person("[Ada](mailto:ada@example.com)") == m.Person(name="Ada", email="ada@example.com")


@given(st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=40))
def test_the_plain_text_shortcut_agrees_with_the_parser(text: str) -> None:
    """`Source.plain` skips the inline parser for text without markup characters: the result
    must be what the parser gives."""
    from pirdoc.importers._source import Source, plain_text

    source = Source("")
    parsed = plain_text(source.inline(text)).strip()
    assert source.plain(text) == parsed



@given(st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=40))
@example("*Figure: the timeline*")
@example("Figure: the timeline")
@example("&#32;*Figure: after a space*")
def test_a_heading_or_paragraph_without_markup_is_its_own_plain_text(text: str) -> None:
    """`inline_text` skips the inline parser for content without markup characters, and
    `is_caption` answers no for it: both must be what the parser gives."""
    from pirdoc.importers._outline import is_caption
    from pirdoc.importers._source import Source, inline_text, plain_text

    line = " ".join(text.split())
    for block in Source(f"## {line}\n\n{line}\n").root.children:
        if block.type not in ("heading", "paragraph"):
            continue
        shortcut = inline_text(block)  # before anything parses the block's inlines
        caption = is_caption(block)
        nodes = [node for node in block.children[0].children if not (node.type == "text" and not node.content.strip())]
        assert shortcut == plain_text(block.children[0].children)
        emphasis = block.type == "paragraph" and len(nodes) == 1 and nodes[0].type == "em"
        assert caption == (emphasis and plain_text(nodes[0].children).startswith("Figure:"))


_HEAD_PIECES = st.sampled_from(["14:02", " ", "UTC", "**", "*", "_", "~", "`", "[", "]", "(x)", ".", ")", "-", "\\",
                                 "&amp;", "\n", "\t", "é", "—", "a", "1"])


@given(st.lists(_HEAD_PIECES, max_size=12).map(lambda pieces: "**" + "".join(pieces)))
@example("**14:02 UTC** - Alert fired")
@example("**14:02 UTC)** - closed by a bracket")
@example("**14:02 UTC***x")
@example("** 14:02** - a space after the opening")
def test_an_event_time_read_without_the_parser_is_the_parsers(content: str) -> None:
    """`leading_strong` answers only when the text opens with a strong emphasis the parser
    would find, and then with that emphasis's text."""
    from pirdoc.importers._source import Source, leading_strong, plain_text

    when = leading_strong(content)
    if when is None:
        return
    nodes = [node for node in Source("").inline(content) if not (node.type == "text" and not node.content.strip())]
    assert nodes
    assert nodes[0].type == "strong"
    assert plain_text(nodes[0].children).strip() == when


_VALUE_PIECES = st.sampled_from(["Yes/No", " ", "[", "]", "(", ")", "](x)", "[x]", "a", "é", "-", ":", "  ", "*", "<",
                                  "&", "&amp;", "!", "\\", "\t", "|", "#", "1."])


@given(st.lists(_VALUE_PIECES, max_size=10).map("".join), st.booleans())
@example("[Yes/No]", False)
@example("[x]", True)
@example("[a] (b)", False)
@example("AT&amp;T", False)
def test_a_value_read_as_its_own_text_is_what_the_parser_makes(source: str, references: bool) -> None:
    """`reads_as_text` answers True only for inline Markdown the parser reads as one text token
    of itself, and the tokens made without the parser are the parser's."""
    from pirdoc.importers._source import _as_text, reads_as_text
    from pirdoc.narrative import _parser

    env: dict[str, Any] = {}
    if references:
        _parser().parse("[x]: http://example.com\n", env)  # a document with a definition
    if not reads_as_text(source, env):
        return
    parsed = _parser().parseInline(source, env)
    assert [token.as_dict() for token in _as_text(source)] == [token.as_dict() for token in parsed]


_MARKDOWN_PIECES = st.sampled_from(
    (
        "word", " ", "\n", "\n\n", "- ", "  - ", "1. ", "> ", "# ", "| a | b |\n|---|---|\n| c | d |\n",
        "*", "**", "_", "~~", "`", "[", "]", "(", ")", "[ref]", "[ref]: http://example.com \"role=IC\"\n",
        "<http://example.com>", "\\", "&amp;", "![alt](x.png)", "```\n", "    ", "\t", "é", "  \n",
    )
)


_MARKDOWN_BLOCKS = st.lists(
    st.one_of(st.lists(_MARKDOWN_PIECES, max_size=12).map("".join), st.just('[Ref]: <http://example.com> "t"')),
    max_size=8,
).map("\n\n".join)


@given(_MARKDOWN_BLOCKS)
def test_the_tree_read_lazily_is_the_tree_parsed_whole(text: str) -> None:
    """The importer's tree parses inline content when it is first read (`_Node`): every node a
    reader reaches must be what parsing the whole document at once gives, reference links
    included."""
    from markdown_it.tree import SyntaxTreeNode

    from pirdoc.importers._source import Source
    from pirdoc.narrative import _parser

    def nodes(node: Any, depth: int = 0) -> list[tuple[Any, ...]]:  # ours or markdown-it's
        token = node.token or (node.nester_tokens.opening if node.nester_tokens else None)
        seen = None if token is None else (token.content, token.map, token.markup, token.info, token.attrs, token.meta)
        return [(depth, node.type, seen), *(row for child in node.children for row in nodes(child, depth + 1))]

    source = Source(text)
    whole = SyntaxTreeNode(_parser().parse(source.text, {}))
    assert nodes(source.root) == nodes(whole)


@given(_MARKDOWN_BLOCKS)
def test_the_tree_built_in_one_pass_is_markdown_its_tree(text: str) -> None:
    """`Node` builds markdown-it-py's syntax tree in one pass: the same nodes holding the same
    tokens (opening and closing), under the same parents, showing the same attributes, inline
    children and images' alt text included."""
    from markdown_it.tree import SyntaxTreeNode

    from pirdoc.importers._tree import Node
    from pirdoc.narrative import _parser

    def nodes(node: Any, parent: int) -> list[tuple[Any, ...]]:  # ours or markdown-it's
        nester = node.nester_tokens
        own: tuple[Any, ...] = (node.type, id(node.token), nester and (id(nester.opening), id(nester.closing)), parent)
        if node.token or nester:
            own += (node.map, node.tag, node.content, node.markup, node.info, node.attrs, node.level)
        key = id(node.token or (nester.opening if nester else None))
        return [own, *(row for child in node.children if child.parent is node for row in nodes(child, key))]

    tokens = _parser().parse(text, {})
    ours, theirs = Node(tokens), SyntaxTreeNode(tokens)
    assert nodes(ours, 0) == nodes(theirs, 0)
    assert all(child.parent is ours for child in ours.children)


def test_a_token_stream_that_does_not_nest_is_refused() -> None:
    from markdown_it.token import Token

    from pirdoc.importers._tree import Node

    opening, closing = Token("paragraph_open", "p", 1), Token("paragraph_close", "p", -1)
    for tokens in ([closing], [opening], [opening, Token("inline", "", cast(Any, 2)), closing]):
        with pytest.raises(ValueError, match=r"nesting|unclosed"):
            Node(tokens)


@given(st.text(alphabet="ab `\\|(-):"))
def test_cell_text_without_pipes_comes_back_as_written(text: str) -> None:
    """`_escape_pipes` returns text without ``|`` at once; the character walk it skips gives
    the same text (it only ever changes a ``|``)."""
    from pirdoc.importers._outline import _escape_pipes

    plain = text.replace("|", "")
    assert _escape_pipes(plain) == plain
    assert _escape_pipes(plain + "|")[: len(plain)] == plain  # the walk, which a "|" sets going


@given(st.text(alphabet="Ab (-):é\t"))
def test_heading_keys_are_what_they_were(title: str) -> None:
    import re

    from pirdoc.importers._outline import heading_key

    expected = " ".join(re.sub(r"\([^)]*\)", "", title).casefold().replace("-", " ").rstrip(":").split())
    assert heading_key(title) == expected


# ---------------------------------------------------------------------------- asks of leadership

_SUMMARY = """# Post-Incident Review: Checkout failures

## Executive Summary

**One-line summary:** Checkout failed for an hour.

**Impact:**
- Duration: 1 hour

**Root Cause:** A pool too small.

{asks}
"""


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("**Decisions and asks:**\n\n- Approve two on-call engineers\n- Decide on a *change freeze*",
         ("Approve two on-call engineers", "Decide on a *change freeze*")),
        ("**Asks:** Fund a load-test environment", ("Fund a load-test environment",)),
        ("**Decisions needed:**\n- Approve the budget", ("Approve the budget",)),
        ("**Leadership asks:** Staff a rotation\n\n**Resolution:** Restored the pool.", ("Staff a rotation",)),
    ],
)
def test_the_summarys_asks_of_leadership_are_read_as_written(written: str, expected: tuple[str, ...]) -> None:
    result = import_markdown(_SUMMARY.format(asks=written))
    assert result.review.summary.asks == expected
    assert result.review.summary.root_cause == "A pool too small."
    assert not [p for p in result.problems if "Executive Summary" in p.message]


@pytest.mark.parametrize(
    "written",
    [
        "**Decisions and asks:**\n**Impact:**\n- Duration: 2 hours",
        "**Decisions and asks:**\n\n**Impact:**\n\n- Duration: 2 hours",
        "**Asks:**\n\nA paragraph of the writer's.\n\n- Duration: 2 hours",
    ],
)
def test_an_empty_asks_label_takes_only_the_list_right_after_it(written: str) -> None:
    text = _SUMMARY.replace("**Impact:**\n- Duration: 1 hour\n\n", "").format(asks=written)
    result = import_markdown(text)
    assert result.review.summary.asks == ()
    duration = result.review.summary.duration  # the list is the summary's impact, never an ask
    assert duration is not None
    assert duration.value == dt.timedelta(hours=2)


@pytest.mark.parametrize(
    "path",
    sorted(p for p in (Path(__file__).parent.parent / "fixtures" / "real-world").glob("*.md") if p.name != "README.md"),
    ids=lambda p: p.stem,
)
def test_reading_a_template_leaves_no_reference_cycles_behind(path: Path) -> None:
    # The template's syntax trees and the reader's frames (held by a caught error's traceback)
    # went only at the collector's full collections; a batch kept them all until then.
    text = path.read_text(encoding="utf-8")
    cyclic = cyclic_garbage(lambda: import_markdown(text))
    assert not cyclic, f"{len(cyclic)} objects in reference cycles: {kinds(cyclic)}"


@given(
    text=st.sampled_from(
        ["09:47", "~17:20 UTC", "2024-07-19 04:09 UTC", "time not recorded", "1402 UTC", "soon-ish",
         "2024-07-19 – 18:00"]
    ),
    day=st.sampled_from([None, dt.date(2024, 7, 19)]),
)
def test_an_import_reads_each_time_once_and_answers_as_the_parser_does(text: str, day: dt.date | None) -> None:
    """Within one import a text is parsed once per day, and once in all when its reading placed
    no time of day on its day; the answer (an instant, or the parser's ValueError with its
    message) is the one `parse_instant` gives, every time it is asked, on every day."""
    from pirdoc import values
    from pirdoc.importers import _values

    def answer(call: Any) -> Any:
        try:
            return call()
        except ValueError as exc:
            return ("refused", str(exc))

    other = dt.date(2000, 1, 3)
    expected = answer(lambda: values.parse_instant(text, day=day))
    expected_elsewhere = [answer(lambda d=d: values.parse_instant(text, day=d)) for d in (other, None)]
    calls: list[tuple[str, dt.date | None]] = []
    real = values.parse_instant

    def counted(written: str, *, day: dt.date | values.Day | None = None, assume_utc: bool = True) -> Instant:
        calls.append((written, day.date if isinstance(day, values.Day) else day))
        return real(written, day=day, assume_utc=assume_utc)

    values.parse_instant = counted  # type: ignore[assignment]
    try:
        with _values.remembering_instants():
            answers = [answer(lambda: _values.read_instant(text, day)) for _ in range(3)]
            elsewhere = [answer(lambda d=d: _values.read_instant(text, d)) for d in (other, None, other, None)]
        outside = [answer(lambda: _values.read_instant(text, day)) for _ in range(2)]
    finally:
        values.parse_instant = real
    assert answers == [expected] * 3
    assert elsewhere == expected_elsewhere * 2
    assert outside == [expected] * 2
    placing = values.Day(day)
    answer(lambda: real(text, day=placing))
    inside = [(text, d) for d in dict.fromkeys([day, other, None] if placing.used else [day])]
    assert calls == [*inside, (text, day), (text, day)]  # then each time outside the import


@given(st.text(st.sampled_from("-+=#>*1٣²a. \t)"), max_size=6))
def test_a_line_start_is_looked_at_only_where_it_can_start_a_block(source: str) -> None:
    from pirdoc.importers import _source

    if source[:1] not in _source._BLOCK_START_CHARACTERS and not source[:1].isdigit():
        assert _source._BLOCK_START.match(source) is None


def test_a_node_without_lines_takes_its_nearest_ancestors_line() -> None:
    from pirdoc.importers._source import Source

    source = Source("# Title\n\n| a | b |\n|---|---|\n| `c` | d |\n")
    table = source.root.children[1]
    cell = table.children[1].children[0].children[0]  # tbody > tr > td: the td has no lines of its own
    assert cell.map is None
    assert cell.first_line() == source.line_of(cell) == 5
    assert source.root.first_line() == 0
    source.close()
