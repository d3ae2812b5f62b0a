"""The Timeline: events under their phase headings."""

from __future__ import annotations

import datetime as dt
import re

from pirdoc import model as m
from pirdoc.importers import _values as v
from pirdoc.importers._outline import Part, heading_key, is_caption, is_none_paragraph
from pirdoc.importers._reader import EventSpec, ReaderBase
from pirdoc.importers._source import Source, escape_line_start, leading_strong, plain_text, strip_break
from pirdoc.importers._tree import Node

__all__ = ["TimelineReader"]

_PHASES = {"detection": m.Phase.DETECTION, "response": m.Phase.RESPONSE, "resolution": m.Phase.RESOLUTION}
_MILESTONES = {heading_key(kind.title): kind for kind in m.Milestone}
_NO_TIME = re.compile(r"\[?\s*(?:HH:MM(?::SS)?(?: UTC)?)?\s*\]?", re.IGNORECASE)
# What pirdoc writes for an event with no time (other spellings keep their words, as written).
_WRITTEN_FOR_NONE = "Time not recorded"
# The template's "Incident Closed" event has details without placeholders.
_TEMPLATE_CLOSED = "- Final checks completed - Monitoring resumed - Post-mortem scheduled"


class TimelineReader(ReaderBase):
    """The Timeline section."""

    def timeline(self, part: Part) -> None:
        key = heading_key(part.title)
        phase = next((p for word, p in _PHASES.items() if key.startswith(word)), None)
        day = v.day_of(part.title) if part.title and phase is None else None
        if day is not None:
            self.timeline_day = day
            words = part.title.strip() if part.title else ""
            self.timeline_day_words = None if words == day.isoformat() else words
        elif part.title and phase is None:
            if not any(node.type == "paragraph" and self.event_head(node) is not None for node in part.nodes):
                self.unknown_part(part, "Timeline")  # no events: writing of its own, kept whole
                return
            self.problem(
                part.line,
                f"Timeline: subsection {part.title!r} is not a phase of the template; "
                "its events are filed by their milestone (the heading is not kept)",
            )
        event: EventSpec | None = None
        details: list[Node] = []
        rest = ""

        def finish() -> None:
            if event is not None:
                self.add_event(event, rest, details)

        for node in part.nodes:
            head = self.event_head(node) if node.type == "paragraph" else None
            if isinstance(head, dt.date):
                finish()
                event, details, rest = None, [], ""
                self.timeline_day = head
                self.timeline_day_words = None
            elif head is not None:
                finish()
                (event, rest), details = head, []
                event.phase = phase
                if self.timeline_day_words is not None and event.when is not None:
                    event.when = f"{self.timeline_day_words} {event.when}"
                self.timeline_day_words = None
            elif is_caption(node) or is_none_paragraph(node):
                continue
            elif event is None:
                self.unplaced(node, "Timeline")
            else:
                details.append(node)
        finish()

    def event_head(self, node: Node) -> tuple[EventSpec, str] | dt.date | None:
        """``**13:45 UTC** - Title`` → (the event, the rest of its paragraph); a paragraph that
        is only a bold date (``**2024-07-19**``) → that day; None for other paragraphs."""
        inline = node.children[0]
        if not inline.content.startswith("**"):  # the source must start so (below)
            return None
        when = leading_strong(inline.content)  # most event times: without parsing the paragraph
        if when is None:
            first = next((c for c in inline.children if not (c.type == "text" and not c.content.strip())), None)
            if first is None or first.type != "strong":
                return None
            when = plain_text(first.children).strip()
        source = self.src.paragraph_source(node)
        end = source.find("**", 2)
        head_line, _, rest = source[end + 2 :].partition("\n")
        title = strip_break(escape_line_start(re.sub(r"^\s*(?:[-–—:]\s*)?", "", head_line, count=1)))
        line = self.src.line_of(node)
        if not head_line.strip() and not rest.strip():
            return v.day_of(when)
        if _NO_TIME.fullmatch(when) or when == _WRITTEN_FOR_NONE:
            return EventSpec(None, title, line, day=self.timeline_day), rest
        if not v.is_time(when) and (not title.strip() or not head_line.lstrip().startswith(("-", "–", "—", ":"))):
            return None  # bold text starting a detail, not an event
        return EventSpec(when, title, line, day=self.timeline_day), rest

    def add_event(self, event: EventSpec, rest: str, details: list[Node]) -> None:
        body = self.src.block_source(details)
        text = "\n\n".join(part for part in (rest.strip(), body) if part)
        title = event.title
        kind = _MILESTONES.get(heading_key(self.src.plain(title)))
        if event.when is None and kind is not None and (
            not text or v.is_placeholder_source(text) or " ".join(text.split()) == _TEMPLATE_CLOSED
        ):
            return  # the template's own event, left as it was
        if event.when is None:
            self.problem(event.line, f"Timeline: event {self.src.plain(title)!r} has no time; kept without one")
        if not title.strip() or v.is_not_recorded(title, self.src.plain(title)):
            self.problem(event.line, "Timeline: event without a title; titled 'Event'")
            title = "Event"
        phase: m.Phase | None = event.phase  # None when the part names no phase
        if phase is None:
            phase = kind.phase if kind else (self.events[-1].phase if self.events else m.Phase.DETECTION)
        event.title, event.kind, event.phase = title, kind, phase
        event.details = _strip_placeholder_items(self.src, text) or None
        self.events.append(event)

    # ------------------------------------------------------------------------ root cause analysis


def _strip_placeholder_items(src: Source, details: str) -> str:
    """Timeline details without the template's bullets left as placeholders (``- Alert/ticket: [Link]``)."""
    if not details or not v.is_placeholder_source(details):
        return details
    lines = details.split("\n")
    keep = [
        line
        for line in lines
        if not (
            re.match(r"^\s*[-*+]\s", line)
            and v.is_placeholder_source(line)
            and v.only_placeholders(re.sub(r"^\s*[-*+]\s+(?:[A-Za-z][\w /'()-]{0,40}:)?", "", line))
        )
    ]
    return "\n".join(keep).strip()
