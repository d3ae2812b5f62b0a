"""GitHub-flavoured Markdown that mirrors the post-incident review template.

The renderer only builds strings, and every piece of text goes through `escape_text` (or its cell
and code-span variants), so any CommonMark/GFM reader shows the literal text: ``<script>`` is
shown, not run; ``|`` never splits a cell; a value starting with ``#``, ``1.`` or ``-`` never turns
into a heading or a list. Line breaks inside table cells are always written as ``<br>``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any, ClassVar, assert_never

from pirdoc import document as d

__all__ = ["MarkdownRenderer", "escape_text"]

# Every ASCII punctuation character that can start or end Markdown syntax (CommonMark allows a
# backslash before any ASCII punctuation, so over-escaping is harmless).
_SPECIAL = re.compile(r"([\\`*_\[\]<>#!|~&])")
# Characters that would start a list item, a setext underline or an ordered item at a line start.
_BULLET_START = re.compile(r"^([ \t]*)([-+=])(?=[-=\s]|$)", re.MULTILINE)
_ORDERED_START = re.compile(r"^([ \t]*\d{1,9})([.)])(?=\s|$)", re.MULTILINE)
_LANGUAGE = re.compile(r"^[\w+#.-]+$")
# A URL in text (GFM readers turn bare http(s) URLs and e-mail addresses into links); the
# backslash escapes that `_SPECIAL` may have put inside it are part of the match.
_BARE_URL = re.compile(r"(?:https?://|mailto:)(?:\\.|[^\s\\])*", re.IGNORECASE)
_ESCAPED = re.compile(r"\\(.)")
_URL_PARTS = re.compile(r"\\.|[:@]")


def _disarm_unsafe_url(match: re.Match[str]) -> str:
    """A URL that must not become a link (credentials, a mailto attachment) with its ``:`` and
    ``@`` escaped, which stops GFM's autolinking; a safe URL as it is."""
    url = match[0]
    if d.is_safe_link(_ESCAPED.sub(r"\1", url)):
        return url
    return _URL_PARTS.sub(lambda part: part[0] if len(part[0]) == 2 else "\\" + part[0], url)


# Among timeline events, a paragraph that starts with bold text and then a dash or colon reads
# as another event (``**13:45 UTC** - Paged``); in one that is not, that mark is escaped (an
# entity for the dashes CommonMark cannot backslash-escape), which a reader sees as the same text.
_EVENT_SHAPE = re.compile(r"\A(\*\*.+?\*\*[ \t]*)([-:\u2013\u2014])", re.DOTALL)


def _unlike_an_event(match: re.Match[str]) -> str:
    mark = match[2]
    return match[1] + (f"\\{mark}" if mark in "-:" else f"&#{ord(mark)};")


# The backslash goes in through a function, not a replacement template ("\\\1"): re expands a
# template in Python for every call, a few microseconds each, and escaping is half of the
# Markdown renderer's time.
def _backslash_before(match: re.Match[str]) -> str:
    return "\\" + match[1]


def _backslash_after_indent(match: re.Match[str]) -> str:
    return match[1] + "\\" + match[2]


def escape_text(text: str, *, in_cell: bool = False, line_start: bool = True) -> str:
    """``text`` escaped so that a CommonMark/GFM reader shows it literally.

    ``line_start`` says whether the text begins a line, where ``- ``, ``+ `` and ``1. `` would
    start a list. Newlines become hard breaks, or ``<br>`` inside table cells."""
    escaped = _SPECIAL.sub(_backslash_before, text)
    if ":" in escaped:
        escaped = _BARE_URL.sub(_disarm_unsafe_url, escaped)
    if not in_cell:
        first, newline, rest = escaped.partition("\n")
        if line_start:
            first = _ORDERED_START.sub(_backslash_after_indent, _BULLET_START.sub(_backslash_after_indent, first))
        if rest:
            rest = _ORDERED_START.sub(_backslash_after_indent, _BULLET_START.sub(_backslash_after_indent, rest))
        escaped = first + newline + rest
    if "\n" in escaped:
        escaped = escaped.replace("\n", "<br>" if in_cell else "\\\n")
    return escaped


def code_span(text: str, *, in_cell: bool = False) -> str:
    """``text`` as a code span whose fence is longer than any backtick run inside it."""
    text = text.replace("\n", " ")
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith(("`", " ")) or text.endswith(("`", " ")) else ""
    if in_cell:
        text = text.replace("|", "\\|")
    return f"{fence}{pad}{text}{pad}{fence}"


PERSON_FIELDS = (
    ("role", "role"),
    ("email", "email"),
    ("account_id", "confluence-account-id"),
    ("userkey", "confluence-userkey"),
)
"""Person attribute → key in the title of a person's link reference definition."""


def _destination(url: str, *, in_cell: bool = False) -> str:
    """``url`` safe inside ``<…>`` link destination brackets (and a table cell)."""
    url = url.replace("\\", "%5C").replace("<", "%3C").replace(">", "%3E")
    return url.replace("|", "%7C") if in_cell else url


def person_definition(person: d.Person, label: str) -> str:
    """``[label]: <mailto:…> "role=…; email=…"``: invisible in rendered Markdown, read back by the importer."""
    destination = _destination(f"mailto:{person.email}" if person.email else "").replace("\n", " ")
    pairs = [
        f"{key}={_title_escape(value)}"
        for attribute, key in PERSON_FIELDS
        if (value := getattr(person, attribute)) is not None
    ]
    return f'[{label}]: <{destination}> "{"; ".join(pairs)}"'


def _title_escape(value: str) -> str:
    # Inside a link title: backslash-escape punctuation that ends it or separates pairs; no newlines.
    return re.sub(r'([\\"\\;=])', r"\\\1", value.replace("\n", " ")).replace("&", "\\&")


def _person_name(escaped: str) -> str:
    # The template writes attendees as "Name - Role": a " - " inside a name is escaped so that
    # a reader (and pirdoc's importer) does not take the rest of the name for the role.
    return re.sub(r"(?<= )-(?= )", r"\\-", escaped)


class _Writer:
    """Turns the blocks of one document into Markdown lines."""

    def __init__(self, *, among_events: bool = False) -> None:
        # Contact details of people have no place in the template's text; each person with any
        # is written as a reference link whose definition (at the end) carries them.
        self.people: dict[d.Person, str] = {}
        # Between a timeline event head and the next heading, where a reader takes any
        # paragraph of that shape for another event (see _EVENT_SHAPE).
        self.among_events = among_events

    # -- inlines

    def inlines(self, nodes: Iterable[d.Inline], *, in_cell: bool = False, line_start: bool = True) -> str:
        parts: list[str] = []
        for node in nodes:
            parts.append(self.inline(node, in_cell=in_cell, line_start=line_start))
            line_start = isinstance(node, d.LineBreak)
        return "".join(parts)

    def _wrapped(self, marker: str, children: Sequence[d.Inline], in_cell: bool) -> str:
        # Delimiters must touch non-space text, so surrounding spaces go outside them.
        inner = self.inlines(children, in_cell=in_cell, line_start=False)
        stripped = inner.strip()
        if not stripped:
            return inner
        lead = inner[: len(inner) - len(inner.lstrip())]
        trail = inner[len(inner.rstrip()) :]
        return f"{lead}{marker}{stripped}{marker}{trail}"

    def inline(self, node: d.Inline, *, in_cell: bool = False, line_start: bool = False) -> str:
        match node:
            case d.Text(text=text):
                return escape_text(text, in_cell=in_cell, line_start=line_start)
            case d.Strong(children=children):
                return self._wrapped("**", children, in_cell)
            case d.Emphasis(children=children):
                return self._wrapped("*", children, in_cell)
            case d.Strikethrough(children=children):
                return self._wrapped("~~", children, in_cell)
            case d.Code(text=text):
                return code_span(text, in_cell=in_cell)
            case d.Link(target=target, children=children) if not d.is_safe_link(target):
                return self.inlines(children, in_cell=in_cell, line_start=line_start)
            case d.Link(target=target, children=children):
                label = self.inlines(children, in_cell=in_cell, line_start=False) or escape_text(
                    target, in_cell=in_cell
                )
                return f"[{label}](<{_destination(target, in_cell=in_cell)}>)"
            case d.LineBreak():
                return "<br>" if in_cell else "\\\n"
            case d.DateTime(text=text):
                return escape_text(text, in_cell=in_cell, line_start=line_start)
            case d.Person(name=name, role=None, email=None, account_id=None, userkey=None):
                return _person_name(escape_text(name, in_cell=in_cell, line_start=line_start))
            case d.Person(name=name):
                label = self.people.setdefault(node, f"person-{len(self.people) + 1}")
                return f"[{_person_name(escape_text(name, in_cell=in_cell, line_start=False))}][{label}]"
            case d.StatusBadge(label=label):
                return escape_text(label, in_cell=in_cell, line_start=line_start)
            case _:
                assert_never(node)

    # -- blocks

    def blocks(self, blocks: Sequence[d.Block]) -> list[str]:
        """Markdown lines for ``blocks``, separated by blank lines."""
        out: list[str] = []
        previous: d.Block | None = None
        for block in blocks:
            if out:
                out.append("")
            out.extend(self.block(block, previous))
            previous = block
        return out

    def block(self, block: d.Block, previous: d.Block | None = None) -> list[str]:
        match block:
            case d.Heading(level=level, children=children):
                self.among_events = False
                text = self.inlines(children).replace("\\\n", " ")
                return [f"{'#' * min(level + 1, 6)} {text}"]
            case d.Paragraph(children=children, event_head=event_head):
                text = self.inlines(children)
                if event_head:
                    self.among_events = True
                elif self.among_events:
                    text = _EVENT_SHAPE.sub(_unlike_an_event, text, count=1)
                return text.split("\n") if text else []
            case d.BulletList(items=items, tight=tight):
                # Two adjacent lists with the same marker would merge; alternate the marker.
                marker = "*" if isinstance(previous, d.BulletList | d.Checklist) else "-"
                return self._list([f"{marker} "] * len(items), items, tight)
            case d.OrderedList(items=items, start=start, tight=tight):
                delimiter = ")" if isinstance(previous, d.OrderedList) else "."
                markers = [f"{start + i}{delimiter} " for i in range(len(items))]
                return self._list(markers, items, tight)
            case d.Checklist(items=checks):
                marker = "*" if isinstance(previous, d.BulletList | d.Checklist) else "-"
                return [
                    f"{marker} [{'x' if item.checked else ' '}] {self.inlines(item.children)}".rstrip()
                    for item in checks
                ]
            case d.Table(header=header, rows=rows):
                return self._table(header, rows)
            case d.CodeBlock(text=text, language=language):
                longest = max((len(run) for run in re.findall(r"`{3,}", text)), default=0)
                fence = "`" * max(3, longest + 1)
                info = language if language and _LANGUAGE.match(language) else ""
                return [f"{fence}{info}", *text.split("\n"), fence]
            case d.Callout(kind=kind, children=children, title=title):
                if kind == "info":
                    return self.blocks(children)
                heading = [f"**{escape_text(title)}**", ""] if title else []
                return [f"> {line}".rstrip() for line in heading + self.blocks(children)]
            case d.Figure(caption=caption, table=table):
                # Markdown draws no chart: the caption, then the figure's one table if it has one.
                shown = [f"*Figure: {escape_text(caption)}*"]
                return shown if table is None else [*shown, "", *self._table(table.header, table.rows)]
            case d.ThematicBreak():
                return ["---"]
            case _:
                assert_never(block)

    def _list(self, markers: Sequence[str], items: Sequence[tuple[d.Block, ...]], tight: bool) -> list[str]:
        out: list[str] = []
        for marker, item in zip(markers, items, strict=True):
            if out and not tight:
                out.append("")
            indent = " " * len(marker)
            lines = self.blocks(item) if not tight else self._tight_item(item)
            if not lines:
                lines = [""]
            out.append((marker + lines[0]).rstrip())
            out.extend((indent + line) if line else "" for line in lines[1:])
        return out

    def _tight_item(self, item: Sequence[d.Block]) -> list[str]:
        # In a tight item, a paragraph followed by a nested list needs no blank line between.
        out: list[str] = []
        previous: d.Block | None = None
        for block in item:
            # An ordered list may interrupt a paragraph only when it starts at 1.
            interrupts = isinstance(block, d.BulletList | d.Checklist) or (
                isinstance(block, d.OrderedList) and block.start == 1
            )
            if out and not (isinstance(previous, d.Paragraph) and interrupts):
                out.append("")
            out.extend(self.block(block, previous))
            previous = block
        return out

    def _table(self, header: Sequence[d.Cell], rows: Sequence[Sequence[d.Cell]]) -> list[str]:
        def row(cells: Sequence[d.Cell]) -> str:
            return "| " + " | ".join(self.inlines(cell, in_cell=True) for cell in cells) + " |"

        return [row(header), "|" + "|".join("---" for _ in header) + "|", *(row(r) for r in rows)]


class MarkdownRenderer:
    """Renders a Document as GitHub-flavoured Markdown (UTF-8)."""

    name: ClassVar[str] = "markdown"
    suffix: ClassVar[str] = ".md"
    media_type: ClassVar[str] = "text/markdown; charset=utf-8"
    options: ClassVar[dict[str, str]] = {}

    def render(self, document: d.Document, /, **options: Any) -> bytes:
        """The document as Markdown bytes."""
        writer = _Writer()
        lines = [*self._title_block(document.meta), "", *writer.blocks(document.blocks)]
        if writer.people:
            lines.append("")
            lines.extend(person_definition(person, label) for person, label in writer.people.items())
        return ("\n".join(lines).rstrip("\n") + "\n").encode("utf-8")

    @staticmethod
    def _title_block(meta: d.DocumentMeta) -> list[str]:
        date = meta.date.isoformat() if meta.date else "Not recorded"
        return [
            f"# {escape_text(meta.kind)}: {escape_text(meta.title.replace(chr(10), ' '))}",
            "",
            f"**Incident ID:** {escape_text(meta.incident_id)}  ",
            f"**Date:** {date}  ",
            f"**Severity:** {escape_text(meta.severity)}  ",
            f"**Status:** {escape_text(meta.status)}  ",
            f"**Revision:** {meta.revision}  ",
            f"**Classification:** {escape_text(meta.classification)}",
            "",
            "---",
        ]
