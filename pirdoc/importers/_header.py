"""The title, the header block, the Executive Summary and Basic Information / Services Affected."""

from __future__ import annotations

import re
from typing import Any

import attrs

from pirdoc import model as m
from pirdoc.importers import _values as v
from pirdoc.importers._outline import Part, Section, checklist, heading_key, is_caption, is_none_paragraph
from pirdoc.importers._reader import ReaderBase
from pirdoc.importers._source import Field, escape_line_start, inline_text, plain_text, strip_break
from pirdoc.importers._tree import Node

__all__ = ["HeaderReader"]

_STATUS_LABELS = frozenset(("document status", "last updated", "next review", "owner"))
_SUMMARY_FIELDS = {"one line summary": "one_line", "root cause": "root_cause", "resolution": "resolution"}
# Labels of the summary's asks of leadership (pirdoc writes "Decisions and asks").
_ASKS_LABELS = frozenset((
    "decisions and asks", "decisions or asks", "decisions needed", "decisions", "asks", "leadership asks",
    "asks of leadership", "decisions requested", "asks and decisions",
))  # fmt: skip
_SUMMARY_IMPACT = frozenset(("duration", "affected users", "services impacted", "data loss"))
_BASIC_ROWS = frozenset(
    ("incident id", "severity", "start time", "end time", "duration", "incident commander", "technical lead")
)
# Words that make a Basic Information row a person in a role rather than a fact about the incident.
_ROLE_WORDS = frozenset(
    (
        "lead", "commander", "manager", "engineer", "owner", "responder", "scribe", "liaison", "officer",
        "director", "reviewer", "coordinator", "contact", "approver", "sme", "expert", "analyst", "architect",
        "on call", "oncall", "on-call", "vp", "cto", "ceo", "ciso", "head", "chief", "deputy", "driver",
        "communications", "investigator", "facilitator", "representative", "developer", "operator", "sre",
    )
)  # fmt: skip
_WARNINGS = frozenset(("data loss", "data corruption", "sla breach"))
# Basic Information rows for the platform fields (issue 18): their heading key → the field.
_PLATFORM_ROWS = {
    "priority": "priority", "incident type": "incident_type", "reported at": "reported_at",
    "stable at": "stable_at", "closed at": "closed_at",
}  # fmt: skip
_TAG_ROW = re.compile(r"tag \((service|team|region|customer|custom)\)")
_TAG_SOURCE = re.compile(r"(.*) \(source: (.*)\)", re.DOTALL)


def _is_role(key: str) -> bool:
    words = key.replace("/", " ").split()
    return any(word in _ROLE_WORDS for word in words) or key in _ROLE_WORDS


def _is_pirdoc_warning(node: Node) -> bool:
    """The callouts pirdoc writes after the executive summary (``> **Data loss**``), which repeat
    the impact fields."""
    first = node.children[0] if node.children else None
    if first is None or first.type != "paragraph":
        return False
    inline = [c for c in first.children[0].children if not (c.type == "text" and not c.content.strip())]
    return (
        len(inline) == 1 and inline[0].type == "strong" and plain_text(inline[0].children).casefold() in _WARNINGS
    )


class HeaderReader(ReaderBase):
    """The parts of the template before the timeline, except the impact assessment."""

    def outline(self) -> tuple[list[Node], list[Section]]:
        preamble: list[Node] = []
        sections: list[Section] = []
        for node in self.src.root.children:
            if node.type == "heading" and node.tag == "h1" and not sections and self.title is None:
                self.read_heading(node)
            elif node.type == "heading" and node.tag == "h2":
                title = inline_text(node)
                sections.append(Section(title, self.src.line_of(node), [Part("", self.src.line_of(node))]))
            elif node.type == "heading" and node.tag in ("h3", "h4") and sections:
                title = inline_text(node)
                sections[-1].parts.append(Part(title, self.src.line_of(node), level=int(node.tag[1])))
                sections[-1].nodes.append(node)
            elif node.type == "hr" or (node.type == "paragraph" and self.status_block(node)):
                continue
            elif sections:
                sections[-1].parts[-1].nodes.append(node)
                sections[-1].nodes.append(node)
            else:
                preamble.append(node)
        return preamble, sections

    def read_heading(self, node: Node) -> None:
        text = inline_text(node).strip()
        match = re.match(r"^(?:post[- ]incident review|post[- ]?mortem|pir)\b\s*(?:template\s*)?[:—–-]?\s*", text, re.I)
        title = text[match.end() :] if match else text
        if title.strip():
            self.title = title.strip()

    def status_block(self, node: Node) -> bool:
        """The ``**Document Status:** …`` lines at the end."""
        fields = self.src.labelled_lines(node)
        if not fields or not all(heading_key(f.label) in _STATUS_LABELS for f in fields):
            return False
        for field in fields:
            self.values.setdefault("status-block", {})[heading_key(field.label)] = field
        return True

    def executive_summary(self, part: Part) -> None:
        summary_lists = 0
        asks: list[str] = []
        asks_follow = False  # an empty "Decisions and asks:" label ended the paragraph before
        for node in part.nodes:
            # its list is the node right after it, or it has none
            list_of_asks, asks_follow = asks_follow and node.type == "bullet_list", False
            if node.type == "paragraph":
                fields = self.src.labelled_lines(node)
                if not fields:
                    if not is_caption(node):
                        self.unplaced(node, "Executive Summary")
                    continue
                for index, field in enumerate(fields):
                    key = _SUMMARY_FIELDS.get(field.key.replace("-", " "))
                    if key is not None:
                        self.values.setdefault("summary", {})[key] = self.markdown(field)
                    elif field.key.replace("-", " ") in _ASKS_LABELS:
                        ask = self.markdown(field)
                        if ask:
                            asks.append(ask)
                        asks_follow = not field.source and index == len(fields) - 1
                    elif field.key != "impact" or field.source:
                        end = fields[index + 1].line - 1 if index + 1 < len(fields) else self.src.line_of(node) + len(
                            self.src.paragraph_source(node).split("\n")
                        ) - 1
                        body = "\n".join(self.src.lines[field.line - 1 : end]).strip()
                        self.keep_note(strip_break(body), field.line, "Executive Summary")
            elif list_of_asks:
                asks.extend(self.bullets([node], "Executive Summary"))
            elif node.type == "bullet_list" and summary_lists == 0:
                summary_lists += 1
                for field in self.list_fields(node):
                    if field.key in _SUMMARY_IMPACT and field.key not in self.summary_impact:
                        self.summary_impact[field.key] = field
                    elif field.source or field.label:
                        self.keep_field(field, "Executive Summary")
            elif not (node.type == "blockquote" and _is_pirdoc_warning(node)):
                self.unplaced(node, "Executive Summary")
        if asks:
            self.values.setdefault("summary", {})["asks"] = tuple(asks)

    # ------------------------------------------------------------------------ incident details

    def basic_information(self, part: Part) -> None:
        for table in self.tables(part, "Basic Information"):
            for cells, line in table.rows:
                self.basic_row(cells, line, table.header)

    def basic_row(self, cells: list[Field], line: int, header: list[str]) -> None:
        """One row: a template field, a person in a role, or a fact the template has no row for;
        cells beyond the second are kept as rows of their own (``Start Time (Source)``)."""
        self.basic_value(cells, line)
        label = self.src.plain(cells[0].source) if cells else ""
        for index, cell in enumerate(cells[2:], start=2):
            if self.text(cell) is not None:
                column = header[index] if index < len(header) and header[index] else f"column {index + 1}"
                self.details.append(m.Detail(label=f"{label or 'Field'} ({column})", value=cell.source))
                self.problem(
                    line, f"Basic Information: column {column!r} is not part of the template; kept as written"
                )

    def basic_value(self, cells: list[Field], line: int) -> None:
        if len(cells) < 2:
            if cells and cells[0].source:
                self.keep_detail(self.details, "Field", cells[0], "Basic Information", "a row with one cell", "row")
            return
        label = self.src.plain(cells[0].source)
        key = heading_key(label)
        if key in _BASIC_ROWS and key not in self.basic:
            self.basic[key] = cells[1]
            return
        if self.platform_row(key, label, cells[1]):
            return
        if self.text(cells[1]) is None:
            return
        person = self.src.person(cells[1].source)
        is_person = bool(person.role or person.email) or key == "responder" or _is_role(key)
        if key in _BASIC_ROWS or not is_person:
            self.details.append(m.Detail(label=label or "Field", value=cells[1].source))
            self.problem(line, f"Basic Information: {label!r} is not a row of the template; kept as written")
            return
        if person.role is None and label and key != "responder":
            person = attrs.evolve(person, role=label)
        self.other_roles.append(person)

    def platform_row(self, key: str, label: str, cell: Field) -> bool:
        """The rows pirdoc writes for what incident platforms record (priority, type, lifecycle
        times, typed tags); True when ``key`` is one, read once."""
        tag = _TAG_ROW.fullmatch(" ".join(label.casefold().split()))
        if tag is not None:
            text = self.text(cell)
            if text is None:
                return False
            source = _TAG_SOURCE.fullmatch(text)
            value, origin = (source.group(1), source.group(2)) if source else (text, None)
            self.platform.setdefault("tags", []).append(m.Tag(kind=m.TagKind(tag.group(1)), value=value, source=origin))
            return True
        if key not in _PLATFORM_ROWS or _PLATFORM_ROWS[key] in self.platform:
            return False
        self.platform[_PLATFORM_ROWS[key]] = cell
        return True

    def services(self, part: Part) -> None:
        flags = {label.casefold(): name for name, label in m.ServicesAffected.STANDARD}
        values: dict[str, Any] = {name: False for name, _ in m.ServicesAffected.STANDARD}
        others: list[str] = []
        for node in part.nodes:
            items = checklist(self.src, node)
            if items is None:
                if not is_none_paragraph(node):
                    self.unplaced(node, "Services Affected")
                continue
            for done, source, line in items:
                plain = self.src.plain(source)
                name = flags.get(plain.casefold())
                if name is not None:
                    values[name] = done
                    continue
                other = re.match(r"^other\s*:?\s*", source, re.IGNORECASE)
                text = escape_line_start(source[other.end() :]) if other else source
                if not done:
                    if text.strip() and not v.is_not_recorded(text, self.src.plain(text)):
                        self.keep_note(
                            f"- [ ] {source}", line, "Services Affected", why="an unticked box that names a service"
                        )
                    continue
                if not text.strip() or v.is_not_recorded(text, self.src.plain(text)):
                    if other is None or text.strip():
                        self.problem(line, "Services Affected: ticked, but no service named")
                    continue
                others.append(text.strip())
        values["other"] = tuple(others)
        self.values["services"] = values
