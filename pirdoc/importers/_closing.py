"""Attachments (documents, links), Review and Approval, and Follow-up."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import attrs

from pirdoc import model as m
from pirdoc.importers import _values as v
from pirdoc.importers._outline import Part, heading_key, is_none_paragraph, link_url
from pirdoc.importers._reader import ReaderBase, Table
from pirdoc.importers._source import Field, escape_line_start, plain_text
from pirdoc.importers._tree import Node

__all__ = ["ClosingReader"]


class ClosingReader(ReaderBase):
    """The sections after Metrics."""

    def attachments(self, part: Part) -> None:
        key = heading_key(part.title)
        if key == "supporting documents":
            self.values["supporting_documents"] = self.check_items(part.nodes, "Supporting Documents")
        elif key == "links":
            self.links(part)
        else:
            self.unknown_part(part, "Attachments")

    def links(self, part: Part) -> None:
        values: dict[str, Any] = {"other": []}
        known = {
            "incident ticket": "incident_ticket",
            "monitoring dashboard": "monitoring_dashboard",
            "action item tracker": "action_item_tracker",
        }
        for node in part.nodes:
            if node.type != "bullet_list":
                self.unplaced(node, "Links")
                continue
            for item in node.children:
                self.link_item(item, known, values)
        self.values["links"] = values

    def link_item(self, item: Node, known: dict[str, str], values: dict[str, Any]) -> None:
        paragraph = item.children[0] if item.children and item.children[0].type == "paragraph" else None
        if paragraph is None:
            self.unplaced(item, "Links")
            return
        nodes = paragraph.children[0].children
        source = self.src.paragraph_source(paragraph)
        line = self.src.line_of(item)
        last = next((n for n in reversed(nodes) if not (n.type == "text" and not n.content.strip())), None)
        if last is not None and last.type == "link":
            label = plain_text(nodes[: nodes.index(last)]).strip().removesuffix(":").strip()
            urls = [link_url(last)]
        else:
            label, _, rest = plain_text(nodes).partition(": ")
            urls = [rest.strip()] if rest.strip() else []
        key = heading_key(label)
        if key in known and known[key] not in values:
            if urls and not v.is_not_recorded(source, urls[0]) and not v.is_placeholder_source(source):
                values[known[key]] = urls[0]
            else:
                values[known[key]] = None
        elif key == "related incidents" and "related" not in values:
            values["related"] = _related(nodes) if not v.is_placeholder_source(source) else []
        elif urls and label and not v.is_not_recorded(source, urls[0]):
            values["other"].append(m.NamedLink(label=label, url=urls[0]))
        elif not v.is_placeholder_source(source):
            self.keep_note(source, line, "Links", why="not 'label: URL'")

    # ------------------------------------------------------------------------ review and approval

    def review_and_approval(self, part: Part) -> None:
        key = heading_key(part.title)
        if key == "review meeting":
            self.review_meeting(part)
        elif key == "approvals":
            self.approvals(part)
        else:
            self.unknown_part(part, "Review and Approval")

    def review_meeting(self, part: Part) -> None:
        meeting: dict[str, Any] = {"attendees": [], "discussion_points": []}
        current = ""
        for node in part.nodes:
            if node.type == "paragraph":
                fields = self.src.labelled_lines(node)
                for field in fields:
                    current = field.key
                    if field.key == "date":
                        meeting["date"] = self.scalar(field, v.parse_date, "Review meeting date")
                    elif field.source and current not in ("attendees", "discussion points"):
                        self.keep_note(
                            f"**{field.label}:** {field.source}",
                            field.line,
                            "Review Meeting",
                            why=f"{field.label!r} is not a field of the template",
                        )
                if fields or is_none_paragraph(node):
                    continue
            if node.type == "bullet_list" and current == "attendees":
                for item in node.children:
                    person = self.attendee(item)
                    if person is not None:
                        meeting["attendees"].append(person)
                continue
            if node.type == "bullet_list" and current == "discussion points":
                meeting["discussion_points"] = self.bullets([node], "Discussion Points")
                continue
            self.unplaced(node, "Review Meeting")
        self.values["review_meeting"] = meeting

    def attendee(self, item: Node) -> m.Person | None:
        """``[Name][person-3] - Role`` or ``Name - Role`` (a `` \\- `` inside a name is escaped)."""
        if not item.children or item.children[0].type != "paragraph":
            self.unplaced(item, "Attendees")
            return None
        source = self.src.paragraph_source(item.children[0])
        name, role = _split_unescaped_dash(source)
        if v.is_placeholder_source(source) and v.only_placeholders(name):
            return None
        person = self.src.person(name)
        if not person.name:
            return None
        if role is not None and person.role is None:
            role_text = self.src.plain(role)
            if not v.is_not_recorded(role, role_text):
                person = attrs.evolve(person, role=role_text)
        return person

    def approvals(self, part: Part) -> None:
        approvals: list[m.Approval] = []
        for table in self.tables(part, "Approvals"):
            for cells, line in table.rows:
                self.approval(table, cells, line, approvals)
        self.values["approvals"] = approvals

    def approval(self, table: Table, cells: list[Field], line: int, approvals: list[m.Approval]) -> None:
        if len(cells) > 4 and any(self.text(cell) is not None for cell in cells[4:]):
            self.row_note(table, line, "Approvals", "a row with more columns than the template's")
        cells = cells + [Field("", "", line)] * (4 - len(cells))
        role = self.src.plain(cells[0].source)
        if not role:
            self.row_note(table, line, "Approvals", "a row without a role")
            return
        approved_text = self.text(cells[2])
        approved = self.scalar(cells[2], v.parse_bool, f"Approved ({role})") if approved_text else None
        approvals.append(
            m.Approval(
                role=role,
                approver=self.person(cells[1]),
                approved=approved,
                date=self.scalar(cells[3], v.parse_date, f"Approval date ({role})"),
            )
        )

    # ------------------------------------------------------------------------ follow-up

    def follow_up(self, part: Part) -> None:
        key = heading_key(part.title)
        values = self.values.setdefault("follow_up", {})
        if key == "action item review":
            current = ""
            for node in part.nodes:
                fields = self.src.labelled_lines(node) if node.type == "paragraph" else []
                for field in fields:
                    current = field.key
                    if field.key == "next review date":
                        values["next_review_date"] = self.scalar(field, v.parse_date, "Next Review Date")
                    elif field.key != "review cadence" or field.source:
                        self.keep_note(
                            f"**{field.label}:** {field.source}",
                            field.line,
                            "Action Item Review",
                            why=f"{field.label!r} is not a field of the template",
                        )
                if fields or (node.type == "paragraph" and is_none_paragraph(node)):
                    if node.type == "paragraph" and is_none_paragraph(node) and current == "review cadence":
                        values["cadence"] = []
                    continue
                if node.type == "bullet_list" and current == "review cadence":
                    values["cadence"] = self.cadence(node)
                    continue
                self.unplaced(node, "Action Item Review")
        elif key == "knowledge sharing":
            values["knowledge_sharing"] = self.check_items(part.nodes, "Knowledge Sharing")
        else:
            self.unknown_part(part, "Follow-up")

    def cadence(self, node: Node) -> list[m.CadenceStep]:
        """``- Week 1: Check immediate actions`` steps."""
        steps = []
        for item in node.children:
            source = self.src.paragraph_source(item.children[0]) if item.children else ""
            when, separator, what = source.partition(": ")
            if not separator:
                when, separator, what = source.partition(":")
            when_text = self.src.plain(when)
            if not separator or not when_text or not what.strip():
                if source.strip() and not v.only_placeholders(source):
                    self.keep_note(source, self.src.line_of(item), "Review Cadence", why="not 'when: what'")
                continue
            steps.append(m.CadenceStep(when=when_text, what=escape_line_start(what.strip())))
        return steps

    # ------------------------------------------------------------------------ building the review


def _related(nodes: Sequence[Node]) -> list[str]:
    """``Related incidents:`` values: links and comma-separated ids."""
    found: list[str] = []
    started = False
    for node in nodes:
        if node.type == "link":
            found.append(link_url(node))
            started = True
            continue
        text = plain_text([node])
        if not started:
            _, colon, text = text.partition(":")
            if not colon:
                continue
            started = True
        found.extend(part.strip() for part in text.split(","))
    return [f for f in found if f and f.casefold() not in v.NOT_RECORDED_WORDS]


def _split_unescaped_dash(source: str) -> tuple[str, str | None]:
    """``Name - Role`` split at the first `` - `` that is not written `` \\- ``."""
    name, separator, role = source.partition(" - ")
    return (name, role) if separator else (source, None)

