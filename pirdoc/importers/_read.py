"""The whole reader: every section's part composed, section by section, into a Review."""

from __future__ import annotations

from collections.abc import Callable

import attrs

from pirdoc import model as m
from pirdoc.errors import ReviewLoadError
from pirdoc.importers._actions import ActionReader
from pirdoc.importers._analysis import AnalysisReader
from pirdoc.importers._build import Builder
from pirdoc.importers._closing import ClosingReader
from pirdoc.importers._communication import CommunicationReader
from pirdoc.importers._control import ControlReader
from pirdoc.importers._header import HeaderReader
from pirdoc.importers._impact import ImpactReader
from pirdoc.importers._metrics import MetricsReader
from pirdoc.importers._outline import Part, Section, heading_key
from pirdoc.importers._reader import NOTE_KEYS, NoteSpec, note_place
from pirdoc.importers._timeline import TimelineReader
from pirdoc.importers._tree import Node

__all__ = ["Reader"]

_DETAIL_KEYS = {
    "basic information": "incident_details.basic_information",
    "services affected": "incident_details.services",
    "impact assessment": "incident_details.impact",
}
_HEADER_FIELDS = frozenset(("incident id", "date", "severity", "status", "revision", "classification"))


class Reader(
    HeaderReader,
    ImpactReader,
    TimelineReader,
    AnalysisReader,
    ActionReader,
    CommunicationReader,
    MetricsReader,
    ClosingReader,
    ControlReader,
):
    """Reads one template, section by section, and builds the Review."""

    def read(self) -> m.Review:
        self.check_fences()
        preamble, sections = self.outline()
        self.preamble(preamble)
        last = "header"
        for section in sections:
            handler = SECTIONS.get(heading_key(section.title))
            if handler is None:
                self.extra_section(section, last)
                continue
            last = NOTE_KEYS[heading_key(section.title)]
            subsection = last
            for part in section.parts:
                if last == "incident_details":
                    subsection = _DETAIL_KEYS.get(heading_key(part.title), subsection if part.level > 3 else last)
                    part.key = subsection if part.title or part.level > 2 else _DETAIL_KEYS["basic information"]
                else:
                    part.key = last
                self.part = part
                handler(self, part)
        self.part = None
        return self.build()

    def preamble(self, nodes: list[Node]) -> None:
        """The header block: known labels are header fields; others are kept as Basic
        Information rows; anything else is kept as a note of the header."""
        self.part = Part("", 0, key="header")
        for node in nodes:
            if self.is_revision_table(node):
                self.document_control(Part("", self.src.line_of(node), [node], key="header"))
                continue
            fields = self.src.labelled_lines(node) if node.type == "paragraph" else []
            if not fields:
                self.unplaced(node, "Text before the first section")
                continue
            for field in fields:
                key = heading_key(field.label)
                if key in _HEADER_FIELDS and key not in self.head:
                    self.head[key] = field
                elif field.source:
                    self.details.append(m.Detail(label=field.label, value=field.source))
                    self.problem(
                        field.line,
                        f"Header: {field.label!r} is not a field of the template; kept as written "
                        "as a row of Basic Information",
                    )

    def extra_section(self, section: Section, after: str) -> None:
        """A section the template does not have: kept whole, as a section of its own after the
        template section before it."""
        body = self.src.block_source(section.nodes) or None
        self.notes.append(NoteSpec(after, section.title.strip() or None, body, section.line, top_level=True))
        self.problem(
            section.line,
            f"section {section.title!r} is not part of the template; kept as a section of its own "
            f"after {note_place(after)}",
        )

    def incident_details(self, part: Part) -> None:
        key = heading_key(part.title)
        if key == "basic information":
            self.basic_information(part)
        elif key == "services affected":
            self.services(part)
        elif key == "impact assessment":
            self.impact(part)
        else:
            self.unknown_part(part, "Incident Details")

    def build(self) -> m.Review:
        review = Builder(self).review()
        if _is_blank(review):
            raise ReviewLoadError(
                ["nothing is filled in: this is the blank template (write at least a title, an incident ID or a time)"]
            )
        return review


SECTIONS: dict[str, Callable[[Reader, Part], None]] = {
    "document control": Reader.document_control,
    "revision history": Reader.document_control,
    "executive summary": Reader.executive_summary,
    "incident details": Reader.incident_details,
    "timeline": Reader.timeline,
    "root cause analysis": Reader.root_cause,
    "what went well": Reader.went_well,
    "what went wrong": Reader.went_wrong,
    "action items": Reader.action_items,
    "lessons learned": Reader.lessons,
    "prevention measures": Reader.prevention,
    "communication": Reader.communication,
    "metrics": Reader.metrics,
    "attachments": Reader.attachments,
    "review and approval": Reader.review_and_approval,
    "follow up": Reader.follow_up,
}




_TEMPLATE_CHANNELS = ("Slack #incidents", "Email distribution list", "Phone calls (if applicable)")


def _is_blank(review: m.Review) -> bool:
    """True when nothing but the template's own examples was read: not a review at all."""
    if review.incident_id or review.title:  # what the comparison below would find first
        return False
    whys = tuple(why for why in review.root_cause.five_whys if why.answer is not None)
    channels = review.communication.channels
    cleared = attrs.evolve(
        review,
        root_cause=attrs.evolve(review.root_cause, five_whys=whys),
        communication=attrs.evolve(review.communication, channels=() if channels == _TEMPLATE_CHANNELS else channels),
    )
    return cleared == m.Review(incident_id="", title="")
