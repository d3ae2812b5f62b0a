"""What every section reader shares: the collected state, problems, and reading fields, lists and
tables out of the blocks of a part."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

import attrs

from pirdoc import model as m
from pirdoc.checks import Level, Problem
from pirdoc.importers import _values as v
from pirdoc.importers._outline import Part, cell_source, checklist, heading_key, is_caption, is_none_paragraph
from pirdoc.importers._source import Field, Source, escape_line_start
from pirdoc.importers._tree import Node

__all__ = ["NOTE_KEYS", "NOTE_PLACES", "EventSpec", "NoteSpec", "ReaderBase", "Table", "note_place"]

NOTE_KEYS = {
    # pirdoc writes Document Control right after the header's own writing: what follows it
    # belongs to the header, as it would without the section.
    "document control": "header",
    "revision history": "header",
    "executive summary": "executive_summary",
    "incident details": "incident_details",
    "timeline": "timeline",
    "root cause analysis": "root_cause",
    "what went well": "went_well",
    "what went wrong": "went_wrong",
    "action items": "action_items",
    "lessons learned": "lessons",
    "prevention measures": "prevention",
    "communication": "communication",
    "metrics": "metrics",
    "attachments": "attachments",
    "review and approval": "review_and_approval",
    "follow up": "follow_up",
}
"""Template section headings (as `pirdoc.importers._outline.heading_key` writes them) → note keys."""

NOTE_PLACES = {
    "header": "the header",
    "executive_summary": "Executive Summary",
    "incident_details": "Incident Details",
    "incident_details.basic_information": "Basic Information",
    "incident_details.services": "Services Affected",
    "incident_details.impact": "Impact Assessment",
    "timeline": "Timeline",
    "root_cause": "Root Cause Analysis",
    "went_well": "What Went Well",
    "went_wrong": "What Went Wrong",
    "action_items": "Action Items",
    "lessons": "Lessons Learned",
    "prevention": "Prevention Measures",
    "communication": "Communication",
    "metrics": "Metrics",
    "attachments": "Attachments",
    "review_and_approval": "Review and Approval",
    "follow_up": "Follow-up",
}
"""The template's name of each place a note can be kept (`pirdoc.model.NOTE_SECTIONS`)."""


def note_place(key: str) -> str:
    """The template's name of note section ``key``."""
    return NOTE_PLACES.get(key, key)


@attrs.define
class NoteSpec:
    """A note as read: section key, title, body and its line."""

    key: str
    title: str | None
    body: str | None
    line: int
    top_level: bool = False


@attrs.define
class EventSpec:
    """A timeline event (or status update) as read, before its time is placed."""

    when: str | None
    """The time as written (None: no time written)."""
    title: str
    line: int
    phase: m.Phase | None = None
    """The phase of its heading; set by the reader from the milestone or the event before."""
    kind: m.Milestone | None = None
    details: str | None = None
    day: dt.date | None = None
    """The day of the day heading it is under, if any."""


@attrs.define
class Table:
    """A table of a part: its header texts and body rows (cells, line)."""

    node: Node
    header: list[str] = attrs.Factory(list)
    rows: list[tuple[list[Field], int]] = attrs.Factory(list)


class ReaderBase:
    """Reads one template; collects values in plain dicts (the builder makes the Review)."""

    def __init__(self, source: Source) -> None:
        self.src = source
        self.problems: list[Problem] = []
        self.head: dict[str, Field] = {}
        self.basic: dict[str, Field] = {}
        self.platform: dict[str, Any] = {}
        """The platform fields' Basic Information rows: cells (priority, type, times) and tags."""
        self.title: str | None = None
        self.values: dict[str, Any] = {}
        self.other_roles: list[m.Person] = []
        self.events: list[EventSpec] = []
        self.updates: list[EventSpec] = []
        """Internal status updates (``title`` is the message)."""
        self.timeline_day: dt.date | None = None
        # A day heading spelt otherwise than YYYY-MM-DD ("2018 October 21"): its words are kept
        # in the time of the first event under it.
        self.timeline_day_words: str | None = None
        """The day a timeline day heading (``### 2024-07-19``, ``**2024-07-19**``) names."""
        self.actions: list[m.ActionItem] = []
        self.summary_impact: dict[str, Field] = {}
        self.stated_seen = False
        self.notes: list[NoteSpec] = []
        self.details: list[m.Detail] = []
        """Extra rows of the Basic Information table (and header fields the template lacks)."""
        self.part: Part | None = None
        """The part being read: where writing the template has no field for is kept."""
        if source.removed_characters:
            self.problem(0, "removed control or invalid characters that no output format can carry")

    # -- plumbing

    def check_fences(self) -> None:
        """Report code fences that are never closed: Markdown reads everything after one, up to
        the end of its list item, quote or the document, as code (other readers do the same), so
        the sections after it are kept, but as code."""
        if "```" not in self.src.text and "~~~" not in self.src.text:
            return  # a fence opens with three backticks or tildes: no need to walk the tree
        lines = self.src.lines
        pending = list(self.src.root.children)
        while pending:
            node = pending.pop()
            if node.type != "inline":  # a fence is a block: inline content is not read for it
                pending.extend(node.children)
            if node.type != "fence" or node.map is None:
                continue
            start, end = node.map
            marker = node.markup[:1]
            last = lines[end - 1].lstrip(" \t>") if end - 1 > start else ""
            closed = bool(marker) and last.rstrip().startswith(node.markup) and not last.rstrip().strip(marker)
            if not closed:
                self.problem(
                    start + 1,
                    f"this code fence ({node.markup}) is never closed: lines {start + 1} to {end} are kept "
                    f"as code where it begins; close it with a line {node.markup}",
                )

    def problem(self, line: int, message: str, level: Level = "warning") -> None:
        self.problems.append(Problem(path=f"line {line}" if line else "input", message=message, level=level))

    def text(self, field: Field) -> str | None:
        """A plain value, None when not recorded."""
        plain = self.src.plain(field.source)
        return None if v.is_not_recorded(field.source, plain) else plain

    def markdown(self, field: Field) -> str | None:
        """A narrative value as Markdown, None when not recorded."""
        if not field.source:
            return None
        plain = self.src.plain(field.source)
        return None if v.is_not_recorded(field.source, plain) else field.source

    def scalar(self, field: Field, parse: Callable[[str], Any], what: str, *, key: str | None = None) -> Any:
        """A parsed value; None when not recorded, or when unreadable: then the text is kept as
        a note (``Label: value``) of section ``key`` (the current part's by default)."""
        text = self.text(field)
        if text is None:
            return None
        try:
            return parse(text)
        except ValueError as exc:
            label = field.label or what
            kept = Field(label, field.source, field.line)
            self.keep_field(kept, what, f"{exc}", key=key)
            return None

    def person(self, field: Field) -> m.Person | None:
        if not field.source.strip():
            return None
        person = self.src.person(field.source)
        if not person.name:
            return None
        # A name with details (pirdoc's [Name][person-3]) is a person even when it reads like
        # "N/A" or "-"; a bare word like that says no one was recorded.
        has_details = person != m.Person(name=person.name)
        return person if has_details or self.text(field) is not None else None

    def unplaced(self, node: Node, where: str, kept: str | None = None) -> str:
        """A block the reader cannot place: kept in free-text field ``kept`` (the caller joins the
        returned source to it), or else as a note at the end of the current part's section."""
        source = self.src.block_source([node])
        if kept:
            shown = " ".join(source.split())
            shown = shown if len(shown) <= 60 else shown[:57] + "..."
            self.problem(self.src.line_of(node), f"{where}: not part of the template; kept in {kept}: {shown!r}")
        else:
            self.keep_note(source, self.src.line_of(node), where)
        return source

    # -- writing kept as notes and details

    def keep_note(
        self, body: str, line: int, where: str, *, title: str | None = None, why: str = "not part of the template"
    ) -> None:
        """Keep ``body`` (Markdown as written) as a note of the current part's section."""
        key = self.part.key if self.part is not None else "header"
        self.notes.append(NoteSpec(key, title, body or None, line))
        place = f"under its heading {title!r} " if title else ""
        self.problem(line, f"{where}: {why}; kept as a note {place}at the end of {note_place(key)}")

    def keep_field(self, field: Field, where: str, reason: str | None = None, *, key: str | None = None) -> None:
        """Keep a ``Label: value`` the template has no place for (or whose value cannot be read)
        as a paragraph note ``Label: value``: a paragraph, so that it is not read back as an item
        of the list before it."""
        text = f"{field.label}: {field.source}" if field.label else field.source
        key = key or (self.part.key if self.part is not None else "header")
        self.notes.append(NoteSpec(key, None, escape_line_start(text.strip()), field.line))
        why = reason or f"{field.label or 'item'!r} is not a field of the template"
        self.problem(field.line, f"{where}: {why}; kept as a note at the end of {note_place(key)}")

    def keep_detail(
        self, target: list[m.Detail], label: str, field: Field, where: str, reason: str, kind: str = "column"
    ) -> None:
        """Keep a value as a labelled detail (an extra row or column of its table)."""
        target.append(m.Detail(label=label, value=field.source or None))
        self.problem(field.line, f"{where}: {reason}; kept as written in an extra {label!r} {kind}")

    # -- outline

    def list_fields(self, node: Node) -> list[Field]:
        return [self.src.item_fields(item) for item in node.children]

    def field_lists(self, part: Part, where: str) -> dict[str, list[Field]]:
        """``**Group:**`` labels each followed by a ``- Label: value`` list (Impact Assessment,
        Communication); fields before any label go under ``""``."""
        groups: dict[str, list[Field]] = {}
        current = ""
        for node in part.nodes:
            if node.type == "paragraph":
                labels = self.src.labelled_lines(node)
                if len(labels) == 1 and not labels[0].source:
                    current = heading_key(labels[0].label)
                    groups.setdefault(current, [])
                    continue
                if labels:
                    groups.setdefault("", []).extend(labels)
                    continue
                if is_caption(node) or is_none_paragraph(node):
                    continue
            if node.type == "bullet_list":
                groups.setdefault(current, []).extend(self.list_fields(node))
                continue
            self.unplaced(node, where)
        return groups

    def known_fields(
        self, fields: Sequence[Field], known: Sequence[str], where: str, keep: str | None = None
    ) -> tuple[dict[str, Field], list[str]]:
        """Fields by their known label; the others are returned as Markdown to join to free-text
        field ``keep``, or, without one, kept as notes."""
        found: dict[str, Field] = {}
        extra: list[str] = []
        for field in fields:
            if field.key in known and field.key not in found:
                found[field.key] = field
            elif field.source or field.label:
                text = f"{field.label}: {field.source}" if field.label else field.source
                if keep is None:
                    self.keep_field(field, where)
                else:
                    self.problem(
                        field.line, f"{where}: {field.label or 'item'!r} is not a field of the template; kept in {keep}"
                    )
                    extra.append(text)
        return found, extra

    # ------------------------------------------------------------------------ executive summary

    def unknown_part(self, part: Part, section: str) -> None:
        """A subsection the template does not have (kept whole as a titled note), or blocks before
        the first subsection (each kept as a note)."""
        if part.title:
            body = self.src.block_source([node for node in part.nodes if not is_caption(node)])
            self.keep_note(body, part.line, section, title=part.title)
        else:
            for node in part.nodes:
                if not (is_caption(node) or is_none_paragraph(node)):
                    self.unplaced(node, section)

    def tables(self, part: Part, where: str) -> list[Table]:
        """The tables of a part with the header of its first (more of the same table); other
        tables and blocks are kept as notes."""
        found: list[Table] = []
        for node in part.nodes:
            if node.type != "table":
                if not (is_caption(node) or is_none_paragraph(node)):
                    self.unplaced(node, where)
                continue
            table = Table(node)
            for section in node.children:
                for row in section.children:
                    line = self.src.line_of(row)
                    cells = [Field("", cell_source(cell), line) for cell in row.children]
                    if section.type == "thead":
                        table.header = [self.src.plain(cell.source) for cell in cells]
                    else:
                        table.rows.append((cells, line))
            if found and [heading_key(h) for h in table.header] != [heading_key(h) for h in found[0].header]:
                self.unplaced(node, f"{where} (a table of its own)")
                continue
            found.append(table)
        return found

    def row_note(self, table: Table, line: int, where: str, reason: str) -> None:
        """Keep one row of a template table as a note: a table of its own (header and row)."""
        assert table.node.map is not None
        first = table.node.map[0]
        body = "\n".join([self.src.lines[first], self.src.lines[first + 1], self.src.lines[line - 1]])
        key = self.part.key if self.part is not None else "header"
        self.notes.append(NoteSpec(key, None, body.strip(), line))
        self.problem(line, f"{where}: {reason}; kept as a note at the end of {note_place(key)}")

    def table_rows(self, part: Part, where: str) -> list[tuple[list[Field], int]]:
        return [row for table in self.tables(part, where) for row in table.rows]

    def optional(self, fields: dict[str, Field], key: str, parse: Callable[[str], Any], what: str) -> Any:
        return self.scalar(fields[key], parse, what) if key in fields else None

    def bullets(self, part: Part | list[Node], where: str) -> list[str]:
        """A plain bullet list of short Markdown values; placeholders skipped."""
        nodes = part.nodes if isinstance(part, Part) else part
        values: list[str] = []
        for node in nodes:
            if node.type != "bullet_list":
                if not is_none_paragraph(node):
                    self.unplaced(node, where)
                continue
            for item in node.children:
                source = self.src.block_source(item.children, self.src.item_indent(item))
                if item.children and item.children[0].type == "paragraph":
                    first = self.src.paragraph_source(item.children[0])
                    rest = self.src.block_source(item.children[1:], self.src.item_indent(item))
                    source = "\n".join(p for p in (first, rest) if p)
                plain = self.src.plain(source)
                if v.is_not_recorded(source, plain) or v.only_placeholders(source):
                    continue
                values.append(source)
        return values

    # ------------------------------------------------------------------------ action items

    def check_items(self, nodes: list[Node], where: str) -> list[m.CheckItem]:
        items: list[m.CheckItem] = []
        for node in nodes:
            found = checklist(self.src, node)
            if found is None:
                if not is_none_paragraph(node):
                    self.unplaced(node, where)
                continue
            for done, source, _line in found:
                if not source.strip() or (not done and v.is_placeholder_source(source)):
                    continue
                items.append(m.CheckItem(text=source, done=done))
        return items
