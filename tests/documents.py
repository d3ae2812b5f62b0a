"""Hand-built Documents that exercise every node type, for renderer tests that need no Review."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Literal

import pytest

from pirdoc import document as d
from pirdoc.layout import layout
from pirdoc.serde import load
from pirdoc.values import Instant
from tests.hostile import CARRIABLE

UTC = dt.UTC

# The hostile corpus (tests/hostile.py) as it reaches a renderer: markup of every target format,
# entities, CDATA ends, Markdown syntax, bidi and zero-width characters, emoji, CJK, a long word.
HOSTILE_STRINGS: tuple[str, ...] = CARRIABLE


def _text(value: str) -> tuple[d.Inline, ...]:
    return (d.Text(text=value),)


def meta(*, status: str = "Draft", title: str = "Checkout outage") -> d.DocumentMeta:
    """Metadata of a realistic review."""
    return d.DocumentMeta(
        title=title,
        incident_id="INC-2026-0042",
        severity="SEV-2",
        severity_tone="high",
        status=status,
        profile="full",
        owner=d.Person(name="Priya Raman", role="Engineering Manager", account_id="5b10ac8d82e05b22cc7d4ef5"),
        date=dt.date(2026, 3, 14),
        created=dt.datetime(2026, 3, 14, 13, 45, tzinfo=UTC),
        modified=dt.datetime(2026, 3, 18, 9, 0, tzinfo=UTC),
        summary="Checkout returned HTTP 500 for 47 minutes after a connection-pool change.",
        services=("Backend API", "Database"),
        keywords=("SEV-2", "Backend API", "Database"),
        content_hash="0" * 64,
        revision=3,
        incident_started=Instant.of(dt.datetime(2026, 3, 14, 13, 45, tzinfo=UTC)),
        review_date=dt.date(2026, 3, 16),
        last_modified=dt.date(2026, 3, 18),
        facts=(
            d.Fact(label="Incident started", value=(d.DateTime(value=dt.datetime(2026, 3, 14, 13, 45, tzinfo=UTC),
                                                               text="2026-03-14 13:45 UTC"),)),
            d.Fact(label="Review date", value=(d.DateTime(value=dt.date(2026, 3, 16), text="2026-03-16"),)),
            d.Fact(label="Last modified", value=(d.DateTime(value=dt.date(2026, 3, 18), text="2026-03-18"),)),
            d.Fact(label="Owner", value=(d.Person(name="Priya Raman", role="Engineering Manager",
                                                  account_id="5b10ac8d82e05b22cc7d4ef5"),)),
            d.Fact(label="Revision", value=(d.Text(text="3"),)),
        ),
    )


def every_node_document(*, status: str = "Draft") -> d.Document:
    """A Document that holds each block and inline type at least once."""
    start = dt.datetime(2026, 3, 14, 13, 45, tzinfo=UTC)
    end = dt.datetime(2026, 3, 14, 14, 32, tzinfo=UTC)
    person = d.Person(name="Jonas Weber", role="Incident Commander", account_id="5b10a2844c20165700ede21g")
    inline_mix: tuple[d.Inline, ...] = (
        d.Text(text="Plain, "),
        d.Strong(children=_text("strong")),
        d.Text(text=", "),
        d.Emphasis(children=_text("emphasis")),
        d.Text(text=", "),
        d.Strikethrough(children=_text("struck")),
        d.Text(text=", "),
        d.Code(text="pool_size=5"),
        d.Text(text=", "),
        d.Link(target="https://status.example.com/incidents/42", children=_text("status page")),
        d.LineBreak(),
        d.DateTime(value=start, text="2026-03-14 13:45 UTC"),
        d.Text(text=" by "),
        person,
        d.Text(text=" "),
        d.StatusBadge(label="SEV-2", tone="high"),
    )
    blocks: tuple[d.Block, ...] = (
        d.Heading(level=1, children=_text("Executive Summary"), anchor="executive-summary"),
        d.Callout(
            kind="info",
            title="Executive summary",
            children=(d.Paragraph(children=inline_mix),),
        ),
        d.Callout(
            kind="warning",
            title="Data loss",
            children=(d.Paragraph(children=_text("12 orders were lost.")),),
        ),
        d.Heading(level=2, children=_text("Services Affected"), anchor="services-affected"),
        d.Checklist(
            role="services-affected",
            items=(
                d.ChecklistItem(checked=True, children=_text("Backend API")),
                d.ChecklistItem(checked=False, children=_text("Frontend")),
            ),
        ),
        d.Heading(level=2, children=_text("Timeline"), anchor="timeline"),
        d.Figure(
            caption="Timeline from 13:45 to 14:32 UTC",
            data=d.TimelineFigure(
                start=start,
                end=end,
                phases=(
                    d.PhaseSpan(name="detection", start=start, end=start + dt.timedelta(minutes=4)),
                    d.PhaseSpan(
                        name="response",
                        start=start + dt.timedelta(minutes=4),
                        end=start + dt.timedelta(minutes=30),
                    ),
                    d.PhaseSpan(name="resolution", start=start + dt.timedelta(minutes=30), end=end),
                ),
                marks=(
                    d.TimelineMark(
                        at=start + dt.timedelta(minutes=4),
                        label="Initial Detection",
                        phase="detection",
                        kind="detected",
                    ),
                    d.TimelineMark(
                        at=start + dt.timedelta(minutes=41),
                        label="Service Restored",
                        phase="resolution",
                        kind="service_restored",
                    ),
                ),
            ),
            table=d.Table(
                header=(_text("Time"), _text("Milestone")),
                rows=(
                    ((d.DateTime(value=start + dt.timedelta(minutes=4), text="2026-03-14 13:49 UTC"),),
                     _text("Initial Detection")),
                    ((d.DateTime(value=end, text="14:32 UTC", shows_date=False),), _text("Service Restored")),
                ),
                role="milestones",
            ),
        ),
        d.Figure(
            caption="Response metrics against targets",
            data=d.MetricsFigure(
                metrics=(
                    d.MetricBar(
                        label="Time to Detect",
                        actual_seconds=240,
                        target_seconds=300,
                        actual_text="4 min",
                        target_text="< 5 min",
                        met=True,
                    ),
                    d.MetricBar(
                        label="Time to Mitigate",
                        actual_seconds=2460,
                        target_seconds=1800,
                        actual_text="41 min",
                        target_text="< 30 min",
                        met=False,
                    ),
                    d.MetricBar(
                        label="Time to Acknowledge",
                        actual_seconds=None,
                        target_seconds=300,
                        actual_text="Not measured",
                        target_text="< 5 min",
                        met=None,
                    ),
                ),
            ),
            table=d.Table(
                header=(_text("Metric"), _text("Target"), _text("Actual"), _text("Met?")),
                rows=(
                    (_text("Time to Detect"), _text("< 5 min"), _text("4 min"),
                     (d.StatusBadge(label="Yes", tone="good"),)),
                    (_text("Time to Mitigate"), _text("< 30 min"), _text("41 min"),
                     (d.StatusBadge(label="No", tone="critical"),)),
                    (_text("Time to Acknowledge"), _text("< 5 min"), _text("Not measured"),
                     (d.StatusBadge(label="Not measured", tone="neutral"),)),
                ),
                role="response-metrics",
            ),
        ),
        d.Paragraph(children=inline_mix),
        d.BulletList(
            items=(
                (d.Paragraph(children=_text("first bullet")),),
                (
                    d.Paragraph(children=_text("second bullet")),
                    d.OrderedList(
                        start=3,
                        items=(
                            (d.Paragraph(children=_text("nested three")),),
                            (d.Paragraph(children=_text("nested four")),),
                        ),
                    ),
                ),
            )
        ),
        d.OrderedList(items=((d.Paragraph(children=_text("step one")),), (d.Paragraph(children=_text("step two")),))),
        d.CodeBlock(language="sql", text="SELECT count(*) FROM orders\nWHERE status = 'lost'; -- ]]> stays"),
        d.Heading(level=2, children=_text("Action Items"), anchor="action-items"),
        d.Table(
            role="action-items",
            header=(_text("ID"), _text("Action"), _text("Owner"), _text("Due Date"), _text("Status")),
            rows=(
                (
                    _text("AI-1"),
                    _text("Add an alert on pool exhaustion"),
                    (person,),
                    (d.DateTime(value=dt.date(2026, 3, 20), text="2026-03-20"),),
                    (d.StatusBadge(label="Open", tone="neutral"),),
                ),
                (
                    _text("AI-2"),
                    (
                        d.Text(text="Load-test the "),
                        d.Code(text="checkout"),
                        d.Text(text=" path"),
                        d.LineBreak(),
                        d.Text(text="second line"),
                    ),
                    _text("Not recorded"),
                    _text("Not recorded"),
                    (d.StatusBadge(label="Done", tone="good"),),
                ),
            ),
            widths=(0.08, 0.46, 0.18, 0.14, 0.14),
        ),
        d.Callout(kind="note", children=(d.Paragraph(children=_text("A note callout.")),)),
        d.ThematicBreak(),
        d.Paragraph(children=(d.Link(target="#timeline", children=_text("Back to the timeline")),)),
    )
    return d.Document(meta=meta(status=status), blocks=blocks)


def hostile_document() -> d.Document:
    """Every hostile string in every kind of place a renderer puts text."""
    blocks: list[d.Block] = []
    for index, value in enumerate(HOSTILE_STRINGS):
        blocks.append(d.Heading(level=2, children=_text(value), anchor=f"hostile-{index}"))
        blocks.append(d.Paragraph(children=(d.Text(text=value), d.Strong(children=_text(value)), d.Code(text=value))))
        blocks.append(
            d.Checklist(items=(d.ChecklistItem(checked=bool(index % 2), children=_text(value)),), role="hostile")
        )
        blocks.append(d.CodeBlock(text=value, language=None))
        blocks.append(d.Callout(kind="warning", title=value, children=(d.Paragraph(children=_text(value)),)))
    blocks.append(
        d.Table(
            role="hostile",
            header=(_text("#"), _text("Value")),
            rows=tuple((_text(str(i)), _text(v)) for i, v in enumerate(HOSTILE_STRINGS * 30)),
        )
    )
    base = meta(title=HOSTILE_STRINGS[1])
    return d.Document(meta=base, blocks=tuple(blocks))


EXAMPLE_REVIEW = Path(__file__).parent.parent / "fixtures" / "example-review.yaml"


def example_document(profile: str = "full") -> d.Document:
    """The bundled example review laid out for ``profile``."""
    return layout(load(EXAMPLE_REVIEW), profile)


REAL_WORLD = sorted((Path(__file__).parent.parent / "fixtures" / "real-world").glob("*-*.md"))
"""The real-world cases' filled templates."""


def sample_document(which: str) -> d.Document:
    """``hostile`` (`hostile_document`), ``example`` (its full record) or a real-world case, named
    by its file's stem, laid out in full."""
    if which == "hostile":
        return hostile_document()
    if which == "example":
        return example_document()
    from pirdoc.importers.markdown import read_markdown

    return layout(read_markdown(next(path for path in REAL_WORLD if path.stem == which)).review, "full")


def pdf_both_ways(document: d.Document, monkeypatch: pytest.MonkeyPatch, owner: object, name: str,
                  replaced: object, also: Sequence[tuple[object, str, object]] = ()) -> tuple[bytes, bytes]:
    """The PDF of ``document`` as pirdoc makes it, and made again with ``owner.name`` set back to
    ``replaced``, the code pirdoc's replaces (and each of ``also``'s the same way), for tests
    that the two give the same bytes."""
    from pirdoc.renderers._pdf import PdfRenderer

    ours = PdfRenderer().render(document)
    for target, attribute, value in [(owner, name, replaced), *also]:
        monkeypatch.setattr(target, attribute, value)
    return ours, PdfRenderer().render(document)


def inline_texts(nodes: Iterable[d.Inline], *, typed: bool = True) -> Iterator[str]:
    """Every piece of text a reader sees in ``nodes``. With ``typed`` False, only literal text:
    dates, people and badges are left out (for formats that carry them as native elements)."""
    for node in nodes:
        match node:
            case d.Text(text=text) | d.Code(text=text):
                yield text
            case d.Strong(children=c) | d.Emphasis(children=c) | d.Strikethrough(children=c) | d.Link(children=c):
                yield from inline_texts(c, typed=typed)
            case d.DateTime(text=text) if typed:
                yield text
            case d.Person(name=name) if typed:
                yield name
            case d.StatusBadge(label=label) if typed:
                yield label
            case _:
                pass


def document_texts(
    blocks: Iterable[d.Block], *, typed: bool = True, figures: Literal["drawn", "tables"] = "tables"
) -> Iterator[str]:
    """Every text of ``blocks`` a reader must find: headings, paragraphs, checklist items, table
    cells, code blocks, callout titles and figures (``typed``: see `inline_texts`). A format that
    draws ``figures`` shows each one's caption and not its table; one that shows them as
    ``tables`` shows the caption and the table of a figure that has one, and nothing of one that
    has none (the text around it has its data)."""
    hidden: set[int] = set()  # ids of the tables that belong to drawn figures
    for block in d.iter_blocks(blocks):
        if id(block) in hidden:
            continue
        match block:
            case d.Heading(children=c) | d.Paragraph(children=c):
                yield from inline_texts(c, typed=typed)
            case d.Checklist(items=items):
                for item in items:
                    yield from inline_texts(item.children, typed=typed)
            case d.Table(header=header, rows=rows):
                for row in (header, *rows):
                    for cell in row:
                        yield from inline_texts(cell, typed=typed)
            case d.CodeBlock(text=text):
                yield text
            case d.Callout(title=title) if title:
                yield title
            case d.Figure(caption=caption, table=table):
                if figures == "drawn" and table is not None:
                    hidden.add(id(table))
                if figures == "drawn" or table is not None:
                    yield caption
            case _:
                pass
