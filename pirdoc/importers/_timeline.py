"""The Timeline: events under their phase headings."""

from __future__ import annotations

import re
from typing import Any

from markdown_it.tree import SyntaxTreeNode

from pirdoc import model as m
from pirdoc.importers import _values as v
from pirdoc.importers._outline import Part, heading_key, is_caption, is_none_paragraph
from pirdoc.importers._reader import ReaderBase
from pirdoc.importers._source import Source, escape_line_start, plain_text, strip_break

__all__ = ["TimelineReader"]

_PHASES = {"detection": m.Phase.DETECTION, "response": m.Phase.RESPONSE, "resolution": m.Phase.RESOLUTION}
_MILESTONES = {heading_key(kind.title): kind for kind in m.Milestone}


class TimelineReader(ReaderBase):
    """The Timeline section."""

    def timeline(self, part: Part) -> None:
        key = heading_key(part.title)
        phase = next((p for word, p in _PHASES.items() if key.startswith(word)), None)
        if part.title and phase is None:
            self.problem(
                part.line,
                f"Timeline: subsection {part.title!r} is not a phase of the template; "
                "its events are filed by their milestone",
            )
        event: list[Any] | None = None
        details: list[SyntaxTreeNode] = []

        def finish() -> None:
            if event is not None:
                self.add_event(event, details)

        for node in part.nodes:
            head = self.event_head(node) if node.type == "paragraph" else None
            if head is not None:
                finish()
                event, details = [*head, phase], []
            elif is_caption(node) or is_none_paragraph(node):
                continue
            elif event is None:
                self.unplaced(node, "Timeline")
            else:
                details.append(node)
        finish()

    def event_head(self, node: SyntaxTreeNode) -> tuple[v.ClockTime | None, str, str, int] | None:
        """``**13:45 UTC** - Title`` → (time, title source, rest of the paragraph, line)."""
        inline = node.children[0]
        first = next((c for c in inline.children if not (c.type == "text" and not c.content.strip())), None)
        if first is None or first.type != "strong":
            return None
        when = plain_text(first.children).strip()
        source = self.src.paragraph_source(node)
        if not source.startswith("**"):
            return None
        end = source.find("**", 2)
        head_line, _, rest = source[end + 2 :].partition("\n")
        title = escape_line_start(re.sub(r"^\s*(?:[-–—:]\s*)?", "", head_line, count=1))
        line = self.src.line_of(node)
        if re.fullmatch(r"\[?\s*HH:MM(?::SS)?(?: UTC)?\s*\]?", when, re.IGNORECASE):
            return None, strip_break(title), rest, line
        try:
            clock = v.parse_clock(when)
        except ValueError:
            if not title.strip() or not head_line.lstrip().startswith(("-", "–", "—", ":")):
                return None  # bold text starting a detail, not an event
            self.problem(
                line, f"Timeline: {when!r} is not a time; the line is kept in the details of the event before it"
            )
            return None
        return clock, strip_break(title), rest, line

    def add_event(self, event: list[Any], details: list[SyntaxTreeNode]) -> None:
        clock, title, rest, line, phase = event
        body = self.src.block_source(details)
        text = "\n\n".join(part for part in (rest.strip(), body) if part)
        kind = _MILESTONES.get(heading_key(self.src.plain(title)))
        if clock is None:
            if text and not v.is_placeholder_source(text):
                self.problem(line, f"Timeline: event {self.src.plain(title)!r} has no time; not imported")
            return
        if not title.strip() or v.is_not_recorded(title, self.src.plain(title)):
            self.problem(line, "Timeline: event without a title; titled 'Event'")
            title = "Event"
        if phase is None:
            phase = kind.phase if kind else (self.events[-1][2] if self.events else m.Phase.DETECTION)
        self.events.append((clock, title, phase, kind, _strip_placeholder_items(self.src, text) or None, line))

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
