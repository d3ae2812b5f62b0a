"""The neutral Document: what every renderer walks.

`pirdoc.layout.layout` turns a Review into a `Document`; renderers turn a `Document` into bytes.
Nodes are frozen attrs classes forming two closed unions, `Block` and `Inline`, so a renderer can
`match` on them and mypy reports (through `assert_never`) any node type it forgot.

Text in a Document never holds C0 control characters (other than tab and newline) or lone
surrogates: layout removes them. Renderers may rely on that.

Format-native idioms are asked for by *roles* and typed values (a table's ``role``, a
`StatusBadge`'s tone, a `Person`'s account id), never by new node types.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import urllib.parse
from collections.abc import Iterable, Iterator, Sequence
from typing import Literal, TypeAlias

import attrs

from pirdoc._methods import value_methods
from pirdoc.values import Instant

__all__ = [
    "Block",
    "CHECKED_MARK",
    "UNCHECKED_MARK",
    "BulletList",
    "Callout",
    "CalloutKind",
    "Checklist",
    "ChecklistItem",
    "Code",
    "CodeBlock",
    "DateTime",
    "Document",
    "DocumentMeta",
    "Fact",
    "Emphasis",
    "Figure",
    "FigureData",
    "Heading",
    "Inline",
    "LineBreak",
    "Link",
    "MetricBar",
    "MetricsFigure",
    "OrderedList",
    "Paragraph",
    "Person",
    "PhaseSpan",
    "ScriptUse",
    "StatusBadge",
    "Strikethrough",
    "Strong",
    "Table",
    "Text",
    "ThematicBreak",
    "TimelineFigure",
    "TimelineMark",
    "Tone",
    "check_mark",
    "column_fractions",
    "contents_index",
    "fact_columns",
    "is_safe_link",
    "iter_blocks",
    "plain_text",
    "url_break_points",
]

Tone: TypeAlias = Literal["critical", "high", "medium", "low", "good", "neutral"]
"""How alarming a status badge is; renderers map tones to colours."""

CalloutKind: TypeAlias = Literal["info", "warning", "note"]

CHECKED_MARK = "\u2611"
"""☑: how every format shows a ticked checklist line (never ☒, which reads as "crossed out")."""
UNCHECKED_MARK = "\u2610"
"""☐: how every format shows an unticked checklist line."""


def check_mark(checked: bool) -> str:
    """`CHECKED_MARK` or `UNCHECKED_MARK`."""
    return CHECKED_MARK if checked else UNCHECKED_MARK


# ---------------------------------------------------------------------------- inlines


@value_methods
@attrs.frozen(kw_only=True, repr=False, eq=False)
class Text:
    """Literal text. Renderers escape it for their format; it is never markup."""

    text: str


@value_methods
@attrs.frozen(kw_only=True, repr=False, eq=False)
class Strong:
    """Bold text."""

    children: tuple[Inline, ...]


@value_methods
@attrs.frozen(kw_only=True, repr=False, eq=False)
class Emphasis:
    """Italic text."""

    children: tuple[Inline, ...]


@value_methods
@attrs.frozen(kw_only=True, repr=False, eq=False)
class Strikethrough:
    """Struck-through text."""

    children: tuple[Inline, ...]


@value_methods
@attrs.frozen(kw_only=True, repr=False, eq=False)
class Code:
    """Inline code in a monospace face."""

    text: str


@value_methods
@attrs.frozen(kw_only=True, repr=False, eq=False)
class Link:
    """A hyperlink. ``target`` is always safe: an http, https or mailto URL, or ``#anchor``
    naming a `Heading.anchor` of the same document (layout filters everything else)."""

    target: str
    children: tuple[Inline, ...]


@value_methods
@attrs.frozen(kw_only=True, repr=False, eq=False)
class LineBreak:
    """A hard line break inside a paragraph or table cell."""


@value_methods
@attrs.frozen(kw_only=True, repr=False, eq=False)
class DateTime:
    """A date or a date-time, with the text layout chose to show for it.

    ``value`` is a `datetime.date` or a timezone-aware (UTC) `datetime.datetime`, for formats
    with a native date element (Confluence ``<time datetime>``); ``text`` is what a reader sees.
    """

    value: dt.date | dt.datetime
    text: str
    shows_date: bool = True
    """False when ``text`` gives only the time of day because the day is clear from what comes
    before (a timeline's later events of the same day): formats with a native date element then
    show ``text`` alone instead of repeating the date."""


@value_methods
@attrs.frozen(kw_only=True, repr=False, eq=False)
class Person:
    """A person mentioned in the review.

    In blocks, renderers show ``name`` only; Confluence renders a user mention when the edition's
    identifier (``account_id`` on Cloud, ``userkey`` on Data Center) is present. ``role`` is
    data: layout writes it as text where a reader should see it (a table's row label, an
    attendee's "name - role"), so a renderer that added it would print it twice.
    """

    name: str
    role: str | None = None
    email: str | None = None
    account_id: str | None = None
    userkey: str | None = None


@value_methods
@attrs.frozen(kw_only=True, repr=False, eq=False)
class StatusBadge:
    """A short status label such as ``SEV-1``, ``Done`` or ``Missed``, shown as a coloured badge."""

    label: str
    tone: Tone


Inline: TypeAlias = (
    Text | Strong | Emphasis | Strikethrough | Code | Link | LineBreak | DateTime | Person | StatusBadge
)


# ---------------------------------------------------------------------------- figures


@value_methods
@attrs.frozen(kw_only=True, repr=False, eq=False)
class TimelineMark:
    """One event on the timeline figure. ``kind`` is a milestone kind (``detected`` …) or None.

    ``at`` is the moment as written (the start of a range); ``span``, when set, is the earliest
    and latest moment the event may lie at (a written range, an approximate time's margin, a day
    without a time), which a chart draws as a bar rather than a point. ``when`` is the time as a
    chart label shows it (layout's wording, such as ``~13:45`` or ``2026-03-13``); empty, a
    renderer shows the clock time of ``at``."""

    at: dt.datetime
    label: str
    phase: str
    kind: str | None = None
    span: tuple[dt.datetime, dt.datetime] | None = None
    when: str = ""


@value_methods
@attrs.frozen(kw_only=True, repr=False, eq=False)
class PhaseSpan:
    """A phase (detection, response, resolution) drawn as a band from ``start`` to ``end``."""

    name: str
    start: dt.datetime
    end: dt.datetime


@value_methods
@attrs.frozen(kw_only=True, repr=False, eq=False)
class TimelineFigure:
    """The incident window, its phases and its events, for renderers to draw natively.

    ``end`` is None while the incident has no recorded end.
    """

    start: dt.datetime
    end: dt.datetime | None
    phases: tuple[PhaseSpan, ...]
    marks: tuple[TimelineMark, ...]


@value_methods
@attrs.frozen(kw_only=True, repr=False, eq=False)
class MetricBar:
    """One response metric against its target. Seconds are None when not measured/not set;
    ``met`` is None when the metric could not be compared."""

    label: str
    actual_seconds: float | None
    target_seconds: float | None
    actual_text: str
    target_text: str
    met: bool | None


@value_methods
@attrs.frozen(kw_only=True, repr=False, eq=False)
class MetricsFigure:
    """Response metrics against their targets."""

    metrics: tuple[MetricBar, ...]


FigureData: TypeAlias = TimelineFigure | MetricsFigure


# ---------------------------------------------------------------------------- blocks


@value_methods
@attrs.frozen(kw_only=True, repr=False, eq=False)
class Heading:
    """A section heading. ``level`` 1 is the document title level used by sections of the
    template (``## Executive Summary`` in Markdown is level 1 here; the title is in the metadata).
    ``anchor`` is unique within the document and safe as an XML id / bookmark name."""

    level: int
    children: tuple[Inline, ...]
    anchor: str


@value_methods
@attrs.frozen(kw_only=True, repr=False, eq=False)
class Paragraph:
    """A paragraph of inline content.

    ``keep_with_next``: a lead-in ("**Impact:**") or a list item's text above its sub-list, which
    a page must not separate from what follows (layout decides; renderers keep them together).
    ``event_head``: the paragraph opens a timeline event (bold time, a dash, the title); in
    Markdown no other paragraph may take that shape, or it would read back as an event."""

    children: tuple[Inline, ...]
    keep_with_next: bool = False
    event_head: bool = False


@value_methods
@attrs.frozen(kw_only=True, repr=False, eq=False)
class BulletList:
    """An unordered list; each item is a sequence of blocks. ``tight`` lists have no blank lines."""

    items: tuple[tuple[Block, ...], ...]
    tight: bool = True


@value_methods
@attrs.frozen(kw_only=True, repr=False, eq=False)
class OrderedList:
    """A numbered list starting at ``start``; numbering restarts for every list."""

    items: tuple[tuple[Block, ...], ...]
    start: int = 1
    tight: bool = True


@value_methods
@attrs.frozen(kw_only=True, repr=False, eq=False)
class ChecklistItem:
    """One checklist line, ticked or not."""

    checked: bool
    children: tuple[Inline, ...]


@value_methods
@attrs.frozen(kw_only=True, repr=False, eq=False)
class Checklist:
    """A list of check boxes (services affected, prevention measures, …).

    ``role`` names the checklist (``services-affected``, ``monitoring-improvements`` …)."""

    items: tuple[ChecklistItem, ...]
    role: str = ""


Cell: TypeAlias = tuple[Inline, ...]


@value_methods
@attrs.frozen(kw_only=True, repr=False, eq=False)
class Table:
    """A table with one header row. Every row has as many cells as the header.

    ``role`` says what the table holds (``basic-information``, ``action-items``, ``approvals``,
    ``response-metrics`` …) so renderers can choose native idioms; ``widths`` are relative column
    widths (summing to about 1) or empty for even columns (`column_fractions` reads them).
    ``signed`` tables are signed on paper: the print formats (DOCX, PDF) add an empty
    *Signature* column, a quarter of the width, with rows tall enough to sign in."""

    header: tuple[Cell, ...]
    rows: tuple[tuple[Cell, ...], ...]
    role: str = ""
    widths: tuple[float, ...] = ()
    signed: bool = False


@value_methods
@attrs.frozen(kw_only=True, repr=False, eq=False)
class CodeBlock:
    """Preformatted code; ``language`` is an info-string word such as ``sql`` or None."""

    text: str
    language: str | None = None


@value_methods
@attrs.frozen(kw_only=True, repr=False, eq=False)
class Callout:
    """A highlighted block: ``info`` (the executive summary), ``warning`` (data loss, SLA breach),
    ``note``."""

    kind: CalloutKind
    children: tuple[Block, ...]
    title: str | None = None


@value_methods
@attrs.frozen(kw_only=True, repr=False, eq=False)
class Figure:
    """A chart described as data, shown once in every format.

    ``caption`` is a one-line description. ``table`` is the figure's data as one compact table:
    what a format that cannot draw the chart shows in its place (DOCX, Confluence, Markdown), and
    a drawing format's accessible alternative, never a second presentation beside the chart. It is
    None where the text around the figure already gives every value (the full record's timeline,
    whose events follow phase by phase): a format that cannot draw then shows nothing for it."""

    data: FigureData
    caption: str
    table: Table | None = None


@value_methods
@attrs.frozen(kw_only=True, repr=False, eq=False)
class ThematicBreak:
    """A horizontal rule between sections."""


Block: TypeAlias = (
    Heading
    | Paragraph
    | BulletList
    | OrderedList
    | Checklist
    | Table
    | CodeBlock
    | Callout
    | Figure
    | ThematicBreak
)


# ---------------------------------------------------------------------------- document


@value_methods
@attrs.frozen(kw_only=True, repr=False, eq=False)
class ScriptUse:
    """A writing system used in one field of the review: ``field`` is the review's path
    (``timeline[2].title``), ``script`` a reader's name for it (``Devanagari``) and
    ``characters`` the distinct characters of that script the field holds, so that a renderer
    whose fonts lack some of them can say which field will not print."""

    field: str
    script: str
    characters: str


@value_methods
@attrs.frozen(kw_only=True, repr=False, eq=False)
class Fact:
    """One labelled value of a title block (``Incident started``, ``Review date``, ``Revision``):
    layout chooses the label and the wording; renderers lay the facts out as a key/value grid."""

    label: str
    value: tuple[Inline, ...]
    about: Literal["incident", "review", "document"] = "document"
    """Whose fact it is: the incident's own times, the review's dates and revision, or the
    document's (owner), so a grid can set the incident's apart from the review's."""


def fact_columns(facts: Sequence[Fact]) -> tuple[list[Fact], list[Fact]]:
    """A title block's facts in two columns: the incident's in the left, the review's in the
    right, the document's under whichever is shorter (every renderer's grid agrees)."""
    left = [fact for fact in facts if fact.about == "incident"]
    right = [fact for fact in facts if fact.about == "review"]
    for fact in facts:
        if fact.about == "document":
            (left if len(left) < len(right) else right).append(fact)
    return left, right


def contents_index(document: Document) -> int:
    """Where in ``document.blocks`` the contents list goes: before the heading whose anchor is
    ``meta.contents_before``, else first (right after the title block)."""
    anchor = document.meta.contents_before
    return next((i for i, b in enumerate(document.blocks) if isinstance(b, Heading) and b.anchor == anchor), 0)


@value_methods
@attrs.frozen(kw_only=True, repr=False, eq=False)
class DocumentMeta:
    """What a document is about, for title blocks, headers and file properties.

    All dates come from the review, never from the clock, so renders are reproducible.
    """

    title: str
    incident_id: str
    severity: str
    severity_tone: Tone
    status: str
    profile: str
    owner: Person | None
    date: dt.date | None
    """The review's date (the template's ``Date``), not the incident's."""
    created: dt.datetime
    """For file properties only (a timestamp is what they hold): midnight UTC of the review's date."""
    modified: dt.datetime
    """For file properties only: midnight UTC of the day the review was last modified."""
    summary: str
    services: tuple[str, ...]
    keywords: tuple[str, ...]
    content_hash: str
    classification: str = "Confidential"
    kind: str = "Post-Incident Review"
    """What the document is, for title lines and file properties ("Executive Briefing" …)."""
    revision: int = 1
    """The review's revision number."""
    incident_started: Instant | None = None
    """When the incident started, as written (its precision kept: a date stays a date)."""
    incident_detected: Instant | None = None
    """When it was detected (the first detection milestone), as written."""
    incident_resolved: Instant | None = None
    """When it ended (service resolved), as written."""
    review_date: dt.date | None = None
    """The review's date (when it was written), a date."""
    last_modified: dt.date | None = None
    """The day the review was last modified, a date; None when not recorded."""
    meeting_date: dt.date | None = None
    """The review meeting's date; None when not recorded."""
    facts: tuple[Fact, ...] = ()
    """The title block's labelled values, in order, as layout words them."""
    generator: str = "pirdoc"
    scripts: tuple[ScriptUse, ...] = ()
    contents: bool = attrs.field()
    """Whether a contents list belongs in the document: the record's yes, the two-page briefing's
    no (its four headings would take room and lead nowhere). Layout decides; renderers follow.
    By default, yes for the ``full`` profile only."""

    contents_before: str | None = None
    """The anchor of the heading the contents list goes right before (layout puts it after the
    executive summary, so the summary opens the record); None: right after the title block."""

    @contents.default
    def _contents_for_profile(self) -> bool:
        return self.profile == "full"
    """The writing systems other than Latin (and characters outside ASCII that are not
    Latin letters) each field uses, for renderers whose fonts may not draw them all."""

    @property
    def is_draft(self) -> bool:
        """True while the review's status is Draft (renderers show a DRAFT mark)."""
        return self.status.lower() == "draft"


@value_methods
@attrs.frozen(kw_only=True, repr=False, eq=False)
class Document:
    """A laid-out review: metadata and a flat sequence of blocks (headings included)."""

    meta: DocumentMeta
    blocks: tuple[Block, ...]


# ---------------------------------------------------------------------------- helpers

_SAFE_URL = re.compile(r"(?:https?://|mailto:)[^\s\x00-\x1f\x7f]+", re.IGNORECASE)
_ANCHOR = re.compile(r"#[^\s\x00-\x1f\x7f]+")


# The authority of an http(s) URL ends at the first "/", "?", "#" or "\\" (browsers read a
# backslash as a slash); an "@" before that means user information, e.g. a password.
_AUTHORITY = re.compile(r"https?://([^/?#\\]*)", re.IGNORECASE)
# mailto parameters that make a mail client attach a file or write the message for the reader.
_MAILTO_ACTIVE = frozenset({"attach", "attachment", "body"})


def is_safe_link(target: str) -> bool:
    """True for the only link targets a Document may hold: http, https and mailto URLs and
    ``#anchor`` references. Layout filters with it; renderers check again before linking.

    A URL carrying credentials (``https://user:password@host/``, which also disguises where a
    link goes) and a ``mailto:`` that attaches a file or supplies the body are not safe: they
    are shown as text."""
    if _ANCHOR.fullmatch(target):
        return True
    if not _SAFE_URL.fullmatch(target):
        return False
    authority = _AUTHORITY.match(target)
    if authority is not None:
        return "@" not in authority[1]
    _, _, query = target.partition("?")
    names = (urllib.parse.unquote(pair.partition("=")[0]).strip().lower() for pair in query.split("&"))
    return not any(name in _MAILTO_ACTIVE for name in names)


_URL_BREAK_AFTER = frozenset("/?&-")


def url_break_points(text: str) -> tuple[int, ...]:
    """The offsets in ``text`` where a line may break inside a URL or other long token: after
    a ``/``, ``?``, ``&`` or ``-`` that is followed by something other than another of them (so
    ``https://`` stays whole), except a ``-`` followed by a digit (so a ticket id such as
    ``PLAT-1202`` or a date stays whole). Renderers that wrap long tokens break only there when
    they can."""
    return tuple(
        index + 1
        for index, char in enumerate(text[:-1])
        if char in _URL_BREAK_AFTER
        and text[index + 1] not in _URL_BREAK_AFTER
        and not (char == "-" and text[index + 1].isdigit())
    )


def column_fractions(widths: Sequence[float], columns: int) -> tuple[float, ...]:
    """The share of the width each of ``columns`` columns gets, summing to 1: ``widths``
    (a `Table`'s, or a renderer's derived from them) scaled, or even columns when ``widths``
    is empty, has the wrong length or holds a width that is not a positive number."""
    if len(widths) != columns or not all(math.isfinite(w) and w > 0 for w in widths):
        widths = [1.0] * columns
    total = sum(widths)
    return tuple(w / total for w in widths)


def plain_text(inlines: Iterable[Inline]) -> str:
    """The text a reader sees for ``inlines``, without formatting (for bookmarks, TOC, alt text)."""
    return "".join(_plain_parts(inlines))


def _plain_parts(inlines: Iterable[Inline]) -> Iterator[str]:
    for node in inlines:
        match node:
            case Text(text=text) | Code(text=text):
                yield text
            case Strong(children=children) | Emphasis(children=children) | Strikethrough(
                children=children
            ) | Link(children=children):
                yield from _plain_parts(children)
            case LineBreak():
                yield "\n"
            case DateTime(text=text):
                yield text
            case Person(name=name):
                yield name
            case StatusBadge(label=label):
                yield label


def iter_blocks(blocks: Iterable[Block]) -> Iterator[Block]:
    """Every block in ``blocks``, depth first, including those nested in lists and callouts and a
    figure's table."""
    for block in blocks:
        yield block
        match block:
            case BulletList(items=items) | OrderedList(items=items):
                for item in items:
                    yield from iter_blocks(item)
            case Callout(children=children):
                yield from iter_blocks(children)
            case Figure(table=Table() as table):
                yield table
            case _:
                pass
