"""A filled-in post-incident review template (Markdown) → `Review`.

`import_markdown(text)` returns an `ImportResult`: the review and the problems met on the way
(`pirdoc.checks.Problem`, path ``line N``). `from_markdown(text)` returns the review alone and
warns once per problem with a `PirdocWarning`.

The reader walks markdown-it-py's syntax tree section by section (``##``) and subsection
(``###``), as the template lays them out. Narrative values keep the Markdown people wrote (taken
from the source lines, not re-serialised); plain values (ids, names, roles) are the text a reader
sees. Placeholders the template leaves (``[Name]``, ``YYYY-MM-DD``) and words such as ``N/A``,
``TBD`` or ``Unknown`` mean "not recorded". Anything the reader cannot place is reported as a
problem with its line, and kept in a free-text field nearby when there is one.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import warnings
from collections.abc import Callable, Sequence
from typing import Any

import attrs
from markdown_it.tree import SyntaxTreeNode

from pirdoc import model as m
from pirdoc._files import read_input
from pirdoc.checks import Level, Problem
from pirdoc.errors import PirdocWarning, ReviewLoadError
from pirdoc.importers import _values as v
from pirdoc.importers._source import Field, Source, escape_line_start, plain_text, strip_break
from pirdoc.serde import MARKDOWN_SUFFIXES, MAX_INPUT_BYTES

__all__ = ["MARKDOWN_SUFFIXES", "ImportResult", "from_markdown", "import_markdown", "load_markdown", "read_markdown"]


@attrs.frozen(kw_only=True)
class ImportResult:
    """What `import_markdown` read: the review and every problem, in the order of the text."""

    review: m.Review
    problems: tuple[Problem, ...] = ()


def import_markdown(text: str | bytes) -> ImportResult:
    """Read a filled-in template into a Review, with the problems met (``path`` is ``line N``).

    Raises `ReviewLoadError` only when no review can be made at all (no start time and no date
    anywhere, or input that is not UTF-8)."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ReviewLoadError([f"not UTF-8 text: byte {exc.start} cannot be decoded ({exc.reason})"]) from exc
    reader = _Reader(Source(text))
    review = reader.read()
    return ImportResult(review=review, problems=tuple(reader.problems))


def from_markdown(text: str | bytes) -> m.Review:
    """Read a filled-in template into a Review; each problem becomes a `PirdocWarning`.

    Use `import_markdown` to get the problems as values."""
    result = import_markdown(text)
    for problem in result.problems:
        warnings.warn(f"{problem.path}: {problem.message}", PirdocWarning, stacklevel=2)
    return result.review


def read_markdown(path: str | os.PathLike[str]) -> ImportResult:
    """`import_markdown` of a file; `ReviewLoadError` (with ``source``) when it cannot be read."""
    source = os.fspath(path)
    data = read_input(path, MAX_INPUT_BYTES)  # a regular file, never read past the limit
    try:
        return import_markdown(data)
    except ReviewLoadError as exc:
        raise ReviewLoadError(exc.errors, source) from exc


def load_markdown(path: str | os.PathLike[str]) -> m.Review:
    """`from_markdown` of a file (what `pirdoc.load` does for ``.md`` and ``.markdown``)."""
    result = read_markdown(path)
    for problem in result.problems:
        warnings.warn(f"{os.fspath(path)}: {problem.path}: {problem.message}", PirdocWarning, stacklevel=2)
    return result.review


# ---------------------------------------------------------------------------- the document outline


def _key(title: str) -> str:
    """A heading as a lookup key: case-folded, without ``(…)`` and a trailing colon."""
    title = re.sub(r"\([^)]*\)", "", title)
    return " ".join(title.casefold().replace("-", " ").rstrip(":").split())


@attrs.define
class _Part:
    """The blocks under one ``###`` heading (or under the ``##`` before the first ``###``)."""

    title: str
    line: int
    nodes: list[SyntaxTreeNode] = attrs.Factory(list)


@attrs.define
class _Section:
    title: str
    line: int
    parts: list[_Part] = attrs.Factory(list)


_STATUS_LABELS = frozenset(("document status", "last updated", "next review", "owner"))
_HORIZONS = {"immediate": m.Horizon.IMMEDIATE, "short": m.Horizon.SHORT_TERM, "long": m.Horizon.LONG_TERM}
_PHASES = {"detection": m.Phase.DETECTION, "response": m.Phase.RESPONSE, "resolution": m.Phase.RESOLUTION}
_MILESTONES = {_key(kind.title): kind for kind in m.Milestone}
_STATUS_ALIASES = {
    "complete": m.ActionStatus.DONE,
    "completed": m.ActionStatus.DONE,
    "closed": m.ActionStatus.DONE,
    "resolved": m.ActionStatus.DONE,
    "fixed": m.ActionStatus.DONE,
    "in-progress": m.ActionStatus.IN_PROGRESS,
    "wip": m.ActionStatus.IN_PROGRESS,
    "ongoing": m.ActionStatus.IN_PROGRESS,
    "started": m.ActionStatus.IN_PROGRESS,
    "todo": m.ActionStatus.OPEN,
    "to do": m.ActionStatus.OPEN,
    "not started": m.ActionStatus.OPEN,
    "planned": m.ActionStatus.OPEN,
}
_SEVERITY = re.compile(r"^(?:SEV|S|P)[-\s]?([1-4])$", re.IGNORECASE)


# ---------------------------------------------------------------------------- the reader


class _Reader:
    """Reads one template; collects values in plain dicts, builds the Review at the end."""

    def __init__(self, source: Source) -> None:
        self.src = source
        self.problems: list[Problem] = []
        self.head: dict[str, Field] = {}
        self.basic: dict[str, Field] = {}
        self.title: str | None = None
        self.values: dict[str, Any] = {}
        self.other_roles: list[m.Person] = []
        self.events: list[tuple[v.ClockTime, str, m.Phase, m.Milestone | None, str | None, int]] = []
        self.updates: list[tuple[v.ClockTime, str, int]] = []
        self.actions: list[m.ActionItem] = []
        self.summary_impact: dict[str, Field] = {}
        self.stated_seen = False
        if source.removed_characters:
            self.problem(0, "removed control or invalid characters that no output format can carry")

    # -- plumbing

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

    def scalar(self, field: Field, parse: Callable[[str], Any], what: str) -> Any:
        """A parsed value, None when not recorded or unreadable (reported)."""
        text = self.text(field)
        if text is None:
            return None
        try:
            return parse(text)
        except ValueError as exc:
            self.problem(field.line, f"{what}: {exc}")
            return None

    def person(self, field: Field) -> m.Person | None:
        if self.text(field) is None:
            return None
        person = self.src.person(field.source)
        return person if person.name else None

    def unplaced(self, node: SyntaxTreeNode, where: str, kept: str | None = None) -> str:
        """Report a block the reader cannot place; return its source for a free-text field."""
        source = self.src.block_source([node])
        shown = " ".join(source.split())
        shown = shown if len(shown) <= 60 else shown[:57] + "..."
        if kept:
            self.problem(self.src.line_of(node), f"{where}: not part of the template; kept in {kept}: {shown!r}")
        else:
            self.problem(self.src.line_of(node), f"{where}: not part of the template; not imported: {shown!r}")
        return source

    # -- outline

    def outline(self) -> tuple[list[SyntaxTreeNode], list[_Section]]:
        preamble: list[SyntaxTreeNode] = []
        sections: list[_Section] = []
        for node in self.src.root.children:
            if node.type == "heading" and node.tag == "h1" and not sections:
                self.read_heading(node)
            elif node.type == "heading" and node.tag == "h2":
                title = plain_text(node.children[0].children)
                sections.append(_Section(title, self.src.line_of(node), [_Part("", self.src.line_of(node))]))
            elif node.type == "heading" and node.tag in ("h3", "h4") and sections:
                title = plain_text(node.children[0].children)
                sections[-1].parts.append(_Part(title, self.src.line_of(node)))
            elif node.type == "hr" or (node.type == "paragraph" and self.status_block(node)):
                continue
            elif sections:
                sections[-1].parts[-1].nodes.append(node)
            else:
                preamble.append(node)
        return preamble, sections

    def read_heading(self, node: SyntaxTreeNode) -> None:
        text = plain_text(node.children[0].children).strip()
        match = re.match(r"^(?:post[- ]incident review|post[- ]?mortem|pir)\b\s*(?:template\s*)?[:—–-]?\s*", text, re.I)
        title = text[match.end() :] if match else text
        if title.strip():
            self.title = title.strip()

    def status_block(self, node: SyntaxTreeNode) -> bool:
        """The ``**Document Status:** …`` lines at the end."""
        fields = self.src.labelled_lines(node)
        if not fields or not all(_key(f.label) in _STATUS_LABELS for f in fields):
            return False
        for field in fields:
            self.values.setdefault("status-block", {})[_key(field.label)] = field
        return True

    def read(self) -> m.Review:
        preamble, sections = self.outline()
        for node in preamble:
            fields = self.src.labelled_lines(node) if node.type == "paragraph" else []
            if fields:
                for field in fields:
                    self.head.setdefault(_key(field.label), field)
            else:
                self.unplaced(node, "text before the first section")
        for section in sections:
            handler = _SECTIONS.get(_key(section.title))
            if handler is None:
                self.problem(section.line, f"section {section.title!r} is not part of the template; not imported")
                continue
            for part in section.parts:
                handler(self, part)
        return self.build()

    # ------------------------------------------------------------------------ lists and fields

    def list_fields(self, node: SyntaxTreeNode) -> list[Field]:
        return [self.src.item_fields(item) for item in node.children]

    def field_lists(self, part: _Part, where: str) -> dict[str, list[Field]]:
        """``**Group:**`` labels each followed by a ``- Label: value`` list (Impact Assessment,
        Communication); fields before any label go under ``""``."""
        groups: dict[str, list[Field]] = {}
        current = ""
        for node in part.nodes:
            if node.type == "paragraph":
                labels = self.src.labelled_lines(node)
                if len(labels) == 1 and not labels[0].source:
                    current = _key(labels[0].label)
                    groups.setdefault(current, [])
                    continue
                if labels:
                    groups.setdefault("", []).extend(labels)
                    continue
                if _is_caption(node) or _is_none_paragraph(node):
                    continue
            if node.type == "bullet_list":
                groups.setdefault(current, []).extend(self.list_fields(node))
                continue
            self.unplaced(node, where)
        return groups

    def known_fields(
        self, fields: Sequence[Field], known: Sequence[str], where: str, keep: str | None = None
    ) -> tuple[dict[str, Field], list[str]]:
        """Fields by their known label; others reported and returned as Markdown to keep."""
        found: dict[str, Field] = {}
        extra: list[str] = []
        for field in fields:
            if field.key in known and field.key not in found:
                found[field.key] = field
            elif field.source or field.label:
                text = f"{field.label}: {field.source}" if field.label else field.source
                if keep is None:
                    self.problem(
                        field.line,
                        f"{where}: {field.label or 'item'!r} is not a field of the template; not imported: {text!r}",
                    )
                else:
                    self.problem(
                        field.line, f"{where}: {field.label or 'item'!r} is not a field of the template; kept in {keep}"
                    )
                    extra.append(text)
        return found, extra

    # ------------------------------------------------------------------------ executive summary

    def executive_summary(self, part: _Part) -> None:
        for node in part.nodes:
            if node.type == "paragraph":
                fields = self.src.labelled_lines(node)
                if not fields:
                    if not _is_caption(node):
                        self.unplaced(node, "Executive Summary")
                    continue
                for field in fields:
                    key = {"one line summary": "one_line", "root cause": "root_cause", "resolution": "resolution"}.get(
                        field.key.replace("-", " ")
                    )
                    if key is not None:
                        self.values.setdefault("summary", {})[key] = self.markdown(field)
                    elif field.key != "impact":
                        self.problem(field.line, f"Executive Summary: {field.label!r} is not a field of the template")
            elif node.type == "bullet_list":
                for field in self.list_fields(node):
                    self.summary_impact.setdefault(field.key, field)
            elif node.type != "blockquote":  # warnings repeat the impact fields
                self.unplaced(node, "Executive Summary")

    # ------------------------------------------------------------------------ incident details

    def incident_details(self, part: _Part) -> None:
        key = _key(part.title)
        if key == "basic information":
            self.basic_information(part)
        elif key == "services affected":
            self.services(part)
        elif key == "impact assessment":
            self.impact(part)
        else:
            self.unknown_part(part, "Incident Details")

    def unknown_part(self, part: _Part, section: str) -> None:
        if part.title:
            self.problem(part.line, f"{section}: subsection {part.title!r} is not part of the template; not imported")
        else:
            for node in part.nodes:
                if not (_is_caption(node) or _is_none_paragraph(node)):
                    self.unplaced(node, section)

    def table_rows(self, part: _Part, where: str) -> list[tuple[list[Field], int]]:
        rows: list[tuple[list[Field], int]] = []
        for node in part.nodes:
            if node.type != "table":
                if not (_is_caption(node) or _is_none_paragraph(node)):
                    self.unplaced(node, where)
                continue
            for section in node.children:
                if section.type != "tbody":
                    continue
                for row in section.children:
                    line = self.src.line_of(row)
                    cells = [Field("", _cell_source(cell), line) for cell in row.children]
                    rows.append((cells, line))
        return rows

    def basic_information(self, part: _Part) -> None:
        standard = (
            "incident id",
            "severity",
            "start time",
            "end time",
            "duration",
            "incident commander",
            "technical lead",
        )
        for cells, _line in self.table_rows(part, "Basic Information"):
            if len(cells) < 2:
                continue
            label = self.src.plain(cells[0].source)
            key = _key(label)
            if key in standard and key not in self.basic:
                self.basic[key] = cells[1]
                continue
            if self.text(cells[1]) is None:
                continue
            person = self.src.person(cells[1].source)
            if person.role is None and label and key != "responder":
                person = attrs.evolve(person, role=label)
            self.other_roles.append(person)

    def services(self, part: _Part) -> None:
        flags = {label.casefold(): name for name, label in m.ServicesAffected.STANDARD}
        values: dict[str, Any] = {name: False for name, _ in m.ServicesAffected.STANDARD}
        others: list[str] = []
        for node in part.nodes:
            items = _checklist(self.src, node)
            if items is None:
                if not _is_none_paragraph(node):
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
                    continue
                if not text.strip() or v.is_not_recorded(text, self.src.plain(text)):
                    if other is None or text.strip():
                        self.problem(line, "Services Affected: ticked, but no service named")
                    continue
                others.append(text.strip())
        values["other"] = tuple(others)
        self.values["services"] = values

    def impact(self, part: _Part) -> None:
        groups = self.field_lists(part, "Impact Assessment")
        user, extra_user = self.known_fields(
            groups.get("user impact", []),
            ("total users affected", "percentage of user base", "geographic regions", "user facing errors"),
            "User Impact",
            "user-facing errors",
        )
        business, _ = self.known_fields(
            groups.get("business impact", []),
            ("revenue impact", "sla breach", "reputation impact", "regulatory implications"),
            "Business Impact",
        )
        technical, extra_technical = self.known_fields(
            groups.get("technical impact", []),
            ("data loss", "data corruption", "service degradation", "recovery time"),
            "Technical Impact",
            "service degradation",
        )
        for name, fields in groups.items():
            if name not in ("user impact", "business impact", "technical impact"):
                for field in fields:
                    self.problem(
                        field.line,
                        f"Impact Assessment: {field.label or field.source!r} is not a field of "
                        "the template; not imported",
                    )
        regions = self.text(user["geographic regions"]) if "geographic regions" in user else None
        self.values["user"] = {
            "total_users_affected": self.scalar(user["total users affected"], v.parse_int, "Total users affected")
            if "total users affected" in user
            else None,
            "percentage_of_user_base": self.scalar(
                user["percentage of user base"], v.parse_percentage, "Percentage of user base"
            )
            if "percentage of user base" in user
            else None,
            "geographic_regions": tuple(r.strip() for r in regions.split(",")) if regions else (),
            "user_facing_errors": _join(
                self.markdown(user["user facing errors"]) if "user facing errors" in user else None, extra_user
            ),
        }
        self.values["business"] = {
            "revenue_impact": self.markdown(business["revenue impact"]) if "revenue impact" in business else None,
            "sla_breach": self.optional(business, "sla breach", v.parse_bool, "SLA breach"),
            "reputation_impact": self.optional(
                business, "reputation impact", lambda t: v.parse_enum(m.Level, t), "Reputation impact"
            ),
            "regulatory_implications": self.optional(
                business, "regulatory implications", v.parse_bool, "Regulatory implications"
            ),
        }
        self.values["technical"] = {
            "data_loss": self.data_impact(technical.get("data loss")),
            "data_corruption": self.data_impact(technical.get("data corruption")),
            "service_degradation": _join(
                self.markdown(technical["service degradation"]) if "service degradation" in technical else None,
                extra_technical,
            ),
            "recovery_time": self.optional(technical, "recovery time", v.parse_duration_text, "Recovery time"),
        }

    def optional(self, fields: dict[str, Field], key: str, parse: Callable[[str], Any], what: str) -> Any:
        return self.scalar(fields[key], parse, what) if key in fields else None

    def data_impact(self, field: Field | None) -> m.DataImpact:
        """``Yes - details``, ``No``, ``Not recorded - details``, or just details."""
        if field is None or not field.source:
            return m.DataImpact()
        answer, _, details = field.source.partition(" - ")
        answer_text = self.src.plain(answer)
        occurred: bool | None
        try:
            occurred = None if v.is_not_recorded(answer, answer_text) else v.parse_bool(answer_text)
        except ValueError:
            # No yes/no first: the whole value is the details.
            occurred, details = None, field.source
            if v.is_not_recorded(field.source, self.src.plain(field.source)):
                return m.DataImpact()
        detail_text = self.src.plain(details) if details else ""
        if details and v.is_not_recorded(details, detail_text):
            details = ""
        return m.DataImpact(occurred=occurred, details=escape_line_start(details.strip()) or None)

    # ------------------------------------------------------------------------ timeline

    def timeline(self, part: _Part) -> None:
        key = _key(part.title)
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
            elif _is_caption(node) or _is_none_paragraph(node):
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
        kind = _MILESTONES.get(_key(self.src.plain(title)))
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

    def root_cause(self, part: _Part) -> None:
        key = _key(part.title)
        if key == "primary root cause":
            self.narratives(
                part,
                {
                    "what happened": "what_happened",
                    "why it happened": "why_it_happened",
                    "why it wasn't caught earlier": "why_not_caught_earlier",
                },
                "root_cause",
            )
        elif key == "contributing factors":
            self.values["factors"] = self.entries(part, ("description", "impact"), "Contributing Factors")
        elif key == "five whys analysis":
            self.five_whys(part)
        else:
            self.unknown_part(part, "Root Cause Analysis")

    def narratives(self, part: _Part, labels: dict[str, str], target: str) -> None:
        """``**Label:**`` followed by the narrative's blocks, up to the next label."""
        values = self.values.setdefault(target, {})
        current: str | None = None
        first = ""
        blocks: list[SyntaxTreeNode] = []

        def finish() -> None:
            if current is not None:
                body = self.src.block_source(blocks)
                text = "\n\n".join(p for p in (first.strip(), body) if p)
                field = Field(current, text, 0)
                values[labels[current]] = self.markdown(field)

        for node in part.nodes:
            fields = self.src.labelled_lines(node) if node.type == "paragraph" else []
            if fields and _key(fields[0].label).replace("’", "'") in labels:
                finish()
                current, first, blocks = _key(fields[0].label).replace("’", "'"), fields[0].source, []
                for extra in fields[1:]:
                    first += f"\n**{extra.label}:** {extra.source}"
            elif current is None:
                if not _is_caption(node):
                    self.unplaced(node, part.title or "Root Cause Analysis")
            else:
                blocks.append(node)
        finish()

    def entries(self, part: _Part, labels: tuple[str, ...], where: str) -> list[tuple[str, dict[str, str | None]]]:
        """The template's numbered ``1. **Title**`` entries with ``- Label: value`` bullets."""
        found: list[tuple[str, dict[str, str | None]]] = []
        for node in part.nodes:
            if node.type != "ordered_list":
                if not _is_none_paragraph(node):
                    self.unplaced(node, where)
                continue
            for item in node.children:
                entry = self.entry(item, labels, where)
                if entry is not None:
                    found.append(entry)
        return found

    def entry(
        self, item: SyntaxTreeNode, labels: tuple[str, ...], where: str
    ) -> tuple[str, dict[str, str | None]] | None:
        children = list(item.children)
        title = ""
        if children and children[0].type == "paragraph":
            title = _title_source(self.src.paragraph_source(children.pop(0)))
        fields: list[Field] = []
        stray: list[SyntaxTreeNode] = []
        for child in children:
            if child.type == "bullet_list":
                fields.extend(self.list_fields(child))
            else:
                stray.append(child)
        found, extra = self.known_fields(fields, labels, where, labels[0])
        for node in stray:
            extra.append(self.unplaced(node, where, labels[0]))
        values = {label: self.markdown(found[label]) if label in found else None for label in labels}
        values[labels[0]] = _join(values[labels[0]], extra)
        if v.is_not_recorded(title, self.src.plain(title)):
            if any(values.values()):
                self.problem(self.src.line_of(item), f"{where}: entry without a title; titled 'Untitled'")
                title = "Untitled"
            else:
                return None
        return title, values

    def five_whys(self, part: _Part) -> None:
        """``1. **Why …?**`` with the answer as the bullet below it."""
        whys: list[m.Why] = []
        for node in part.nodes:
            if node.type != "ordered_list":
                if not _is_none_paragraph(node):
                    self.unplaced(node, "Five Whys Analysis")
                continue
            for item in node.children:
                children = list(item.children)
                if not children or children[0].type != "paragraph":
                    self.unplaced(item, "Five Whys Analysis")
                    continue
                question = _title_source(self.src.paragraph_source(children.pop(0)))
                answers = self.bullets(children, "Five Whys Analysis")
                answer = "\n\n".join(answers) or None
                if v.is_placeholder_source(question) and answer is None:
                    continue  # the template's question, left unanswered
                whys.append(m.Why(question=question, answer=answer))
        self.values["five_whys"] = whys

    # ------------------------------------------------------------------------ went well / wrong

    def went_well(self, part: _Part) -> None:
        key = _key(part.title)
        if key == "positive aspects":
            self.values["aspects"] = self.entries(part, ("what", "why it helped"), "Positive Aspects")
        elif key == "effective procedures":
            self.values["procedures"] = self.bullets(part, "Effective Procedures")
        else:
            self.unknown_part(part, "What Went Well")

    def went_wrong(self, part: _Part) -> None:
        key = _key(part.title)
        if key == "issues identified":
            self.values["issues"] = self.entries(part, ("what", "impact", "severity"), "Issues Identified")
        elif key == "gaps in procedures":
            self.values["gaps"] = self.bullets(part, "Gaps in Procedures")
        else:
            self.unknown_part(part, "What Went Wrong")

    def bullets(self, part: _Part | list[SyntaxTreeNode], where: str) -> list[str]:
        """A plain bullet list of short Markdown values; placeholders skipped."""
        nodes = part.nodes if isinstance(part, _Part) else part
        values: list[str] = []
        for node in nodes:
            if node.type != "bullet_list":
                if not _is_none_paragraph(node):
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

    def action_items(self, part: _Part) -> None:
        key = _key(part.title)
        horizon = next((h for word, h in _HORIZONS.items() if key.startswith(word)), None)
        if horizon is None:
            if part.title:
                self.problem(
                    part.line,
                    f"Action Items: {part.title!r} is not a horizon of the template; "
                    "its actions are filed as long-term",
                )
            horizon = m.Horizon.LONG_TERM
        for cells, line in self.table_rows(part, "Action Items"):
            self.action_row(cells, line, horizon)

    def action_row(self, cells: list[Field], line: int, horizon: m.Horizon) -> None:
        cells = cells + [Field("", "", line)] * (5 - len(cells))
        ident, action, owner, due, status = cells[:5]
        text, link = _split_action_link(self.src, action.source)
        if not text or v.is_not_recorded(text, self.src.plain(text)):
            if self.text(owner) is None:
                return  # the template's example row, left as it was
            self.problem(line, "Action Items: row without an action; not imported")
            return
        item_id = self.src.plain(ident.source)
        if not item_id or v.is_not_recorded(ident.source, item_id):
            item_id = f"AI-{len(self.actions) + 1}"
            self.problem(line, f"Action Items: row without an ID; numbered {item_id}")
        state = self.scalar(status, lambda t: v.parse_enum(m.ActionStatus, t, _STATUS_ALIASES), "Status")
        self.actions.append(
            m.ActionItem(
                id=item_id,
                action=text,
                horizon=horizon,
                owner=self.person(owner),
                due=self.scalar(due, v.parse_date, "Due Date"),
                status=state or m.ActionStatus.OPEN,
                link=link,
            )
        )

    # ------------------------------------------------------------------------ lessons, prevention

    def lessons(self, part: _Part) -> None:
        key = _key(part.title)
        group = {
            "technical lessons": "technical",
            "process lessons": "process",
            "communication lessons": "communication",
        }.get(key)
        if group is None:
            self.unknown_part(part, "Lessons Learned")
            return
        entries = self.entries(part, ("what we learned", "how to apply"), part.title)
        self.values.setdefault("lessons", {})[group] = [
            m.Lesson(title=title, learned=fields["what we learned"], how_to_apply=fields["how to apply"])
            for title, fields in entries
        ]

    def check_items(self, nodes: list[SyntaxTreeNode], where: str) -> list[m.CheckItem]:
        items: list[m.CheckItem] = []
        for node in nodes:
            found = _checklist(self.src, node)
            if found is None:
                if not _is_none_paragraph(node):
                    self.unplaced(node, where)
                continue
            for done, source, _line in found:
                if not source.strip() or (not done and v.is_placeholder_source(source)):
                    continue
                items.append(m.CheckItem(text=source, done=done))
        return items

    def prevention(self, part: _Part) -> None:
        key = _key(part.title)
        group = {
            "monitoring improvements": "monitoring",
            "process improvements": "process",
            "technical improvements": "technical",
        }.get(key)
        if group is None:
            self.unknown_part(part, "Prevention Measures")
            return
        self.values.setdefault("prevention", {})[group] = self.check_items(part.nodes, part.title)

    # ------------------------------------------------------------------------ communication

    def communication(self, part: _Part) -> None:
        key = _key(part.title)
        values = self.values.setdefault("communication", {})
        groups = self.field_lists(part, part.title or "Communication")
        if key == "internal communication":
            for field in groups.pop("timeline", []):
                self.status_update(field)
            values["channels"] = [
                f.source if not f.label else f"{f.label}: {f.source}"
                for f in groups.pop("channels used", [])
                if not v.is_not_recorded(f.source, self.src.plain(f.source)) or f.label
            ]
            found, extra = self.known_fields(
                groups.pop("effectiveness", []),
                ("what worked", "what didn't", "improvements needed"),
                "Effectiveness",
                "improvements needed",
            )
            values["what_worked"] = self.markdown(found["what worked"]) if "what worked" in found else None
            values["what_did_not_work"] = self.markdown(found["what didn't"]) if "what didn't" in found else None
            values["improvements_needed"] = _join(
                self.markdown(found["improvements needed"]) if "improvements needed" in found else None, extra
            )
        elif key == "external communication":
            customers, _ = self.known_fields(
                groups.pop("customer notifications", []),
                ("status page updates", "email notifications", "social media"),
                "Customer Notifications",
            )
            values["external"] = {
                "status_page_updates": self.optional(
                    customers, "status page updates", v.parse_int, "Status page updates"
                ),
                "email_notifications": self.optional(
                    customers, "email notifications", v.parse_bool, "Email notifications"
                ),
                "social_media": self.optional(customers, "social media", v.parse_bool, "Social media"),
            }
            stakeholders, _ = self.known_fields(
                groups.pop("stakeholder communication", []),
                ("executive briefing", "customer success team", "sales team"),
                "Stakeholder Communication",
            )
            values["stakeholders"] = {
                name.replace(" ", "_"): self.optional(stakeholders, name, v.parse_clock, name.capitalize())
                for name in ("executive briefing", "customer success team", "sales team")
            }
        else:
            self.unknown_part(part, "Communication")
            return
        for fields in groups.values():
            for field in fields:
                self.problem(
                    field.line,
                    f"{part.title}: {field.label or field.source!r} is not part of the template; not imported",
                )

    def status_update(self, field: Field) -> None:
        """``13:46 UTC - Initial notification sent`` (a date is optional)."""
        source = f"{field.label}: {field.source}" if field.label else field.source
        when, separator, message = source.partition(" - ")
        if not separator and source.rstrip().endswith(" -"):  # an empty message: the line ends at the dash
            when, separator, message = source.rstrip()[:-2], " - ", ""
        if not separator:
            self.problem(field.line, f"Internal Communication: no 'time - message' in {source!r}; not imported")
            return
        if v.is_not_recorded(when, self.src.plain(when)) or re.fullmatch(r"\[?HH:MM.*", when.strip()):
            return
        try:
            clock = v.parse_clock(self.src.plain(when))
        except ValueError as exc:
            self.problem(field.line, f"Internal Communication: {exc}; not imported")
            return
        self.updates.append((clock, escape_line_start(message.strip()), field.line))

    # ------------------------------------------------------------------------ metrics

    def metrics(self, part: _Part) -> None:
        key = _key(part.title)
        if key == "response metrics":
            self.response_metrics(part)
        elif key == "impact metrics":
            rows: dict[str, Field] = {}
            for cells, _line in self.table_rows(part, "Impact Metrics"):
                if len(cells) >= 2:
                    rows.setdefault(_key(self.src.plain(cells[0].source)), cells[1])
            self.values["impact_metrics"] = rows
        else:
            self.unknown_part(part, "Metrics")

    def response_metrics(self, part: _Part) -> None:
        targets: dict[str, Any] = {}
        actuals: dict[str, Field] = {}
        stated: dict[str, Any] = {}
        names = {
            "time to detect": "detect",
            "time to acknowledge": "acknowledge",
            "time to mitigate": "mitigate",
            "time to resolve": "resolve",
        }
        rest: list[SyntaxTreeNode] = []
        for node in part.nodes:
            if node.type == "table":
                for cells, line in self.table_rows(_Part("", 0, [node]), "Response Metrics"):
                    name = names.get(_key(self.src.plain(cells[0].source)))
                    if name is None or len(cells) < 3:
                        self.problem(line, "Response Metrics: row is not a metric of the template; not imported")
                        continue
                    target = self.src.plain(cells[1].source)
                    if re.fullmatch(r"<?\s*RTO", target, re.IGNORECASE):
                        targets[name] = None
                    else:
                        targets[name] = self.scalar(cells[1], v.parse_duration_text, f"{name} target")
                    actuals[name] = cells[2]
            elif node.type == "paragraph" and _labels(self.src, node) == ["stated in the review"]:
                self.stated_seen = True
            elif node.type == "bullet_list" and self.stated_seen:
                for field in self.list_fields(node):
                    name = names.get(field.key)
                    if name is None:
                        self.problem(field.line, "Response Metrics: not a metric of the template; not imported")
                        continue
                    stated[name] = self.scalar(field, v.parse_duration_text, field.label)
            else:
                rest.append(node)
        for node in rest:
            if not _is_caption(node):
                self.unplaced(node, "Response Metrics")
        self.values["targets"] = targets
        self.values["stated"] = stated
        self.values["actuals"] = actuals

    # ------------------------------------------------------------------------ attachments

    def attachments(self, part: _Part) -> None:
        key = _key(part.title)
        if key == "supporting documents":
            self.values["supporting_documents"] = self.check_items(part.nodes, "Supporting Documents")
        elif key == "links":
            self.links(part)
        else:
            self.unknown_part(part, "Attachments")

    def links(self, part: _Part) -> None:
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

    def link_item(self, item: SyntaxTreeNode, known: dict[str, str], values: dict[str, Any]) -> None:
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
            urls = [_link_url(last)]
        else:
            label, _, rest = plain_text(nodes).partition(": ")
            urls = [rest.strip()] if rest.strip() else []
        key = _key(label)
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
            self.problem(line, f"Links: {plain_text(nodes)!r} is not 'label: URL'; not imported")

    # ------------------------------------------------------------------------ review and approval

    def review_and_approval(self, part: _Part) -> None:
        key = _key(part.title)
        if key == "review meeting":
            self.review_meeting(part)
        elif key == "approvals":
            self.approvals(part)
        else:
            self.unknown_part(part, "Review and Approval")

    def review_meeting(self, part: _Part) -> None:
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
                        self.problem(field.line, f"Review Meeting: {field.label!r} is not a field of the template")
                if fields or _is_none_paragraph(node):
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

    def attendee(self, item: SyntaxTreeNode) -> m.Person | None:
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

    def approvals(self, part: _Part) -> None:
        approvals: list[m.Approval] = []
        for cells, line in self.table_rows(part, "Approvals"):
            cells = cells + [Field("", "", line)] * (4 - len(cells))
            role = self.src.plain(cells[0].source)
            if not role:
                self.problem(line, "Approvals: row without a role; not imported")
                continue
            approved_text = self.text(cells[2])
            approved = self.scalar(cells[2], v.parse_bool, "Approved") if approved_text else None
            approvals.append(
                m.Approval(
                    role=role,
                    approver=self.person(cells[1]),
                    approved=approved,
                    date=self.scalar(cells[3], v.parse_date, "Approval date"),
                )
            )
        self.values["approvals"] = approvals

    # ------------------------------------------------------------------------ follow-up

    def follow_up(self, part: _Part) -> None:
        key = _key(part.title)
        values = self.values.setdefault("follow_up", {})
        if key == "action item review":
            current = ""
            for node in part.nodes:
                fields = self.src.labelled_lines(node) if node.type == "paragraph" else []
                for field in fields:
                    current = field.key
                    if field.key == "next review date":
                        values["next_review_date"] = self.scalar(field, v.parse_date, "Next Review Date")
                if fields or (node.type == "paragraph" and _is_none_paragraph(node)):
                    if node.type == "paragraph" and _is_none_paragraph(node) and current == "review cadence":
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

    def cadence(self, node: SyntaxTreeNode) -> list[m.CadenceStep]:
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
                    self.problem(self.src.line_of(item), f"Review Cadence: not 'when: what': {source!r}; not imported")
                continue
            steps.append(m.CadenceStep(when=when_text, what=escape_line_start(what.strip())))
        return steps

    # ------------------------------------------------------------------------ building the review

    def build(self) -> m.Review:
        return _Builder(self).review()


_SECTIONS: dict[str, Callable[[_Reader, _Part], None]] = {
    "executive summary": _Reader.executive_summary,
    "incident details": _Reader.incident_details,
    "timeline": _Reader.timeline,
    "root cause analysis": _Reader.root_cause,
    "what went well": _Reader.went_well,
    "what went wrong": _Reader.went_wrong,
    "action items": _Reader.action_items,
    "lessons learned": _Reader.lessons,
    "prevention measures": _Reader.prevention,
    "communication": _Reader.communication,
    "metrics": _Reader.metrics,
    "attachments": _Reader.attachments,
    "review and approval": _Reader.review_and_approval,
    "follow up": _Reader.follow_up,
}


# ---------------------------------------------------------------------------- small helpers


def _join(value: str | None, extra: Sequence[str]) -> str | None:
    parts = [p for p in (value, *extra) if p]
    return "\n\n".join(parts) if parts else None


def _labels(src: Source, node: SyntaxTreeNode) -> list[str]:
    return [field.key for field in src.labelled_lines(node)]


def _is_caption(node: SyntaxTreeNode) -> bool:
    """pirdoc's ``*Figure: …*`` caption paragraphs."""
    if node.type != "paragraph":
        return False
    children = [c for c in node.children[0].children if not (c.type == "text" and not c.content.strip())]
    return len(children) == 1 and children[0].type == "em" and plain_text(children[0].children).startswith("Figure:")


_NONE_PARAGRAPHS = frozenset(
    text.casefold()
    for text in (
        "None recorded.",
        "No events recorded.",
        "No actions recorded.",
        "No approvals required.",
        "No timeline recorded.",
        "No open action items.",
        "None.",
        "N/A",
        "TBD",
    )
)


def _is_none_paragraph(node: SyntaxTreeNode) -> bool:
    """pirdoc's "None recorded." (and friends) in place of an empty list or table."""
    return node.type == "paragraph" and plain_text(node.children[0].children).strip().casefold() in _NONE_PARAGRAPHS


def _title_source(source: str) -> str:
    """An entry's title: ``**Title**`` unwrapped when the bold covers the whole line."""
    first = source.split("\n")[0].strip()
    inner = first[2:-2]
    if first.startswith("**") and first.endswith("**") and len(first) > 4 and "**" not in inner.replace("\\*", ""):
        return escape_line_start(inner.strip())
    return source.strip()


def _cell_source(cell: SyntaxTreeNode) -> str:
    """A table cell's Markdown as it would be written outside the table: ``|`` escaped again
    (the table rule removes the escape), ``<br>`` as a hard break, line starts escaped."""
    content = cell.children[0].content if cell.children else ""
    parts = [escape_line_start(_escape_pipes(part.strip())) for part in content.strip().split("<br>")]
    return "\\\n".join(parts)


def _escape_pipes(text: str) -> str:
    out: list[str] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char == "`":
            run = len(text[index:]) - len(text[index:].lstrip("`"))
            fence = "`" * run
            close = text.find(fence, index + run)
            if close >= 0:
                out.append(text[index : close + run])
                index = close + run
                continue
            out.append(fence)
            index += run
            continue
        if char == "\\" and index + 1 < len(text):
            out.append(text[index : index + 2])
            index += 2
            continue
        out.append("\\|" if char == "|" else char)
        index += 1
    return "".join(out)


def _split_action_link(src: Source, source: str) -> tuple[str, str | None]:
    """The action text and the tracker link written on a second line (``<br>[url](<url>)``)."""
    parts = source.split("\\\n")
    link = None
    if len(parts) > 1:
        nodes = [n for n in src.inline(parts[-1].strip()) if not (n.type == "text" and not n.content.strip())]
        if len(nodes) == 1 and nodes[0].type == "link":
            link = _link_url(nodes[0])
            parts = parts[:-1]
        elif len(nodes) == 1 and nodes[0].type == "text" and re.match(r"^\S+://\S+$", nodes[0].content):
            link = nodes[0].content
            parts = parts[:-1]
    text = "\\\n".join(part.strip() for part in parts).strip()
    return text, link


def _link_url(link: SyntaxTreeNode) -> str:
    """A link's URL: its text when that is a URL (pirdoc writes ``[url](<url>)``), else its href."""
    label = plain_text(link.children).strip()
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:\S*$", label):
        return label
    return str(link.attrs.get("href", ""))


def _related(nodes: Sequence[SyntaxTreeNode]) -> list[str]:
    """``Related incidents:`` values: links and comma-separated ids."""
    found: list[str] = []
    started = False
    for node in nodes:
        if node.type == "link":
            found.append(_link_url(node))
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


def _checklist(src: Source, node: SyntaxTreeNode) -> list[tuple[bool, str, int]] | None:
    """A ``- [ ] item`` / ``- [x] item`` list as (ticked, Markdown, line); None for other blocks."""
    if node.type != "bullet_list":
        return None
    items: list[tuple[bool, str, int]] = []
    for item in node.children:
        if not item.children or item.children[0].type != "paragraph":
            return None
        source = src.paragraph_source(item.children[0])
        match = re.match(r"^\[([ xX])\](?:[ \t]+|$)", source)
        if match is None:
            return None
        items.append((match[1] != " ", escape_line_start(source[match.end() :].strip()), src.line_of(item)))
    return items


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


# ---------------------------------------------------------------------------- building


class _Builder:
    """Turns what the reader collected into a Review, placing times and resolving defaults."""

    def __init__(self, reader: _Reader) -> None:
        self.r = reader
        self.values = reader.values
        self.ended: dt.datetime | None = None

    def head(self, key: str) -> Field | None:
        return self.r.head.get(key)

    def both(self, head_key: str, basic_key: str) -> Field | None:
        """A header value, else the Basic Information row."""
        for field in (self.r.head.get(head_key), self.r.basic.get(basic_key)):
            if field is not None and self.r.text(field) is not None:
                return field
        return None

    def review(self) -> m.Review:
        r = self.r
        incident_id_field = self.both("incident id", "incident id")
        incident_id = r.src.plain(incident_id_field.source) if incident_id_field else ""
        if not incident_id:
            r.problem(0, "no incident ID (write it as '**Incident ID:** INC-2026-0042')", "error")
        severity = self.severity()
        date_field = self.head("date")
        header_date = r.scalar(date_field, v.parse_date, "Date") if date_field else None
        started_at, ended_at = self.start_end(header_date)
        self.ended = ended_at
        status = self.status()
        title = r.title
        if not title:
            r.problem(1, "no title after the heading (write '# Post-Incident Review: Checkout outage')", "error")
        classification_field = self.head("classification")
        classification = r.text(classification_field) if classification_field else None
        values = self.values
        review = m.Review(
            incident_id=incident_id,
            title=title or "",
            severity=severity,
            started_at=started_at,
            ended_at=ended_at,
            date=header_date if header_date != started_at.date() else None,
            status=status,
            classification=classification or "Confidential",
            summary=m.ExecutiveSummary(**values.get("summary", {})),
            incident_commander=self.person_row("incident commander"),
            technical_lead=self.person_row("technical lead"),
            other_roles=tuple(r.other_roles),
            services=m.ServicesAffected(**values["services"]) if "services" in values else m.ServicesAffected(),
            impact=self.impact(),
            timeline=self.timeline(started_at, ended_at),
            root_cause=m.RootCauseAnalysis(
                **values.get("root_cause", {}),
                contributing_factors=tuple(
                    m.ContributingFactor(title=t, description=f["description"], impact=f["impact"])
                    for t, f in values.get("factors", [])
                ),
                five_whys=tuple(values.get("five_whys", ())),
            ),
            went_well=m.WhatWentWell(
                aspects=tuple(
                    m.Aspect(title=t, what=f["what"], why_it_helped=f["why it helped"])
                    for t, f in values.get("aspects", [])
                ),
                effective_procedures=tuple(values.get("procedures", ())),
            ),
            went_wrong=m.WhatWentWrong(
                issues=tuple(self.issue(t, f) for t, f in values.get("issues", [])),
                procedure_gaps=tuple(values.get("gaps", ())),
            ),
            action_items=tuple(r.actions),
            lessons=m.LessonsLearned(**{k: tuple(x) for k, x in values.get("lessons", {}).items()}),
            prevention=m.PreventionMeasures(**{k: tuple(x) for k, x in values.get("prevention", {}).items()}),
            communication=self.communication(started_at),
            metrics=m.Metrics(),
            attachments=self.attachments(),
            review_meeting=self.review_meeting(),
            follow_up=self.follow_up(),
            last_updated=self.status_value("last updated", v.parse_date),
            next_review=self.status_value("next review", v.parse_date),
            owner=self.owner(),
        )
        if "approvals" in values:
            review = attrs.evolve(review, approvals=tuple(values["approvals"]))
        review = attrs.evolve(review, metrics=self.metrics(review))
        self.summary_fallbacks(review)
        return self.summary_impact(review)

    # -- header values

    def severity(self) -> m.Severity:
        field = self.both("severity", "severity")
        if field is not None:
            text = self.r.src.plain(field.source)
            match = _SEVERITY.match(text.replace(" ", "") if len(text) < 8 else text)
            if match:
                return m.Severity(f"SEV-{match[1]}")
            self.r.problem(field.line, f"Severity: expected SEV-1 to SEV-4, got {text!r}; imported as SEV-4", "error")
        else:
            self.r.problem(0, "no severity (write it as '**Severity:** SEV-2'); imported as SEV-4", "error")
        return m.Severity.SEV4

    def status(self) -> m.Status:
        field = self.head("status")
        block = self.values.get("status-block", {}).get("document status")
        status = None
        for candidate in (field, block):
            if candidate is not None and status is None:
                status = self.r.scalar(candidate, lambda t: v.parse_enum(m.Status, t), "Status")
        return status or m.Status.DRAFT

    def status_value(self, key: str, parse: Callable[[str], Any]) -> Any:
        field = self.values.get("status-block", {}).get(key)
        return self.r.scalar(field, parse, field.label) if field is not None else None

    def owner(self) -> m.Person | None:
        field = self.values.get("status-block", {}).get("owner")
        return self.r.person(field) if field is not None else None

    def person_row(self, key: str) -> m.Person | None:
        field = self.r.basic.get(key)
        return self.r.person(field) if field is not None else None

    # -- times

    def start_end(self, header_date: dt.date | None) -> tuple[dt.datetime, dt.datetime | None]:
        r = self.r
        start_field = r.basic.get("start time")
        start_clock = r.scalar(start_field, v.parse_clock, "Start Time") if start_field else None
        day = header_date
        started: dt.datetime | None = None
        if start_clock is not None:
            if start_clock.at is None and day is None:
                day = next((e[0].at.date() for e in r.events if e[0].at is not None), None)
            if start_clock.at is not None or day is not None:
                started = start_clock.on(day or dt.date.today())
        if started is None:
            first = next((e for e in r.events), None)
            if first is not None and (first[0].at is not None or day is not None):
                started = first[0].on(day or dt.date.today())
                r.problem(
                    start_field.line if start_field else 0,
                    "no Start Time; the first timeline event's time is used",
                    "error",
                )
            elif day is not None:
                started = dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)
                r.problem(
                    start_field.line if start_field else 0,
                    "no Start Time; midnight UTC of the review date is used",
                    "error",
                )
            else:
                raise ReviewLoadError(["no Start Time, no timeline times and no Date: cannot place the incident"])
        end_field = r.basic.get("end time")
        end_clock = r.scalar(end_field, v.parse_clock, "End Time") if end_field else None
        ended = None
        if end_clock is not None:
            ended = end_clock.on(started.date())
            if end_clock.at is None and ended < started:
                ended += dt.timedelta(days=1)
        return started, ended

    def place(
        self, clock: v.ClockTime, previous: dt.datetime | None, start: dt.datetime, end: dt.datetime | None
    ) -> dt.datetime:
        """A time of day on the date of the event before it (the start's for the first); a time
        smaller than that event's rolls over midnight, unless it already lies inside the incident
        (events are grouped by phase, so their order is not always chronological) or the next day
        would put it after the incident's end (a deploy just before a start near midnight)."""
        if clock.at is not None:
            return clock.at
        same_day = end is not None and end.date() == start.date()
        previous = previous or start
        at = clock.on(start.date() if same_day else previous.date())
        inside = start <= at and (end is None or at <= end)
        rolled = at + dt.timedelta(days=1)
        if not same_day and at < previous and not inside and (end is None or rolled <= end):
            return rolled
        return at

    def timeline(self, start: dt.datetime, end: dt.datetime | None) -> tuple[m.TimelineEvent, ...]:
        events = []
        previous: dt.datetime | None = None
        for clock, title, phase, kind, details, _line in self.r.events:
            at = self.place(clock, previous, start, end)
            previous = at
            events.append(m.TimelineEvent(at=at, title=title, phase=phase, kind=kind, details=details))
        return tuple(events)

    # -- sections

    def impact(self) -> m.ImpactAssessment:
        values = self.values
        return m.ImpactAssessment(
            user=m.UserImpact(**values["user"]) if "user" in values else m.UserImpact(),
            business=m.BusinessImpact(**values["business"]) if "business" in values else m.BusinessImpact(),
            technical=m.TechnicalImpact(**values["technical"]) if "technical" in values else m.TechnicalImpact(),
        )

    def issue(self, title: str, fields: dict[str, str | None]) -> m.Issue:
        severity = None
        if fields["severity"]:
            text = self.r.src.plain(fields["severity"])
            try:
                severity = v.parse_enum(m.Level, text)
            except ValueError as exc:
                self.r.problem(0, f"Issue {title!r}: severity {exc}")
        return m.Issue(title=title, what=fields["what"], impact=fields["impact"], severity=severity)

    def communication(self, start: dt.datetime) -> m.Communication:
        values = dict(self.values.get("communication", {}))
        updates = []
        previous: dt.datetime | None = None
        for clock, message, _line in self.r.updates:
            at = self.place(clock, previous, start, self.ended)
            previous = at
            updates.append(m.StatusUpdate(at=at, message=message))
        external = values.pop("external", {})
        stakeholders = {
            k: (c.on(start.date()) if c is not None else None) for k, c in values.pop("stakeholders", {}).items()
        }
        return m.Communication(
            internal_timeline=tuple(updates),
            channels=tuple(values.pop("channels", ())),
            external=m.ExternalCommunication(**external),
            stakeholders=m.StakeholderCommunication(**stakeholders),
            **values,
        )

    def metrics(self, review: m.Review) -> m.Metrics:
        r = self.r
        values = self.values
        targets = {k: t for k, t in values.get("targets", {}).items() if t is not None}
        if targets.get("resolve") == m.DEFAULT_RESOLVE_TARGETS[review.severity]:
            del targets["resolve"]
        stated = {f"time_to_{k}": s for k, s in values.get("stated", {}).items() if s is not None}
        partial = attrs.evolve(review, metrics=m.Metrics(targets=m.ResponseTargets(**targets)))
        if not r.stated_seen:
            derived = {metric.name: metric.actual for metric in partial.response_metrics}
            for name, field in values.get("actuals", {}).items():
                value = r.scalar(field, v.parse_duration_text, f"{name} actual") if r.text(field) else None
                if value is not None and value != derived.get(f"Time to {name.capitalize()}"):
                    stated[f"time_to_{name}"] = value
        rows: dict[str, Field] = values.get("impact_metrics", {})
        downtime = r.optional(rows, "total downtime", v.parse_duration_text, "Total Downtime")
        if downtime is not None and downtime == review.duration:
            downtime = None
        recovery = r.optional(rows, "recovery point", v.parse_clock, "Recovery Point")
        return m.Metrics(
            targets=m.ResponseTargets(**targets),
            stated=m.StatedMetrics(**stated),
            impact=m.ImpactMetrics(
                total_downtime=downtime,
                failed_requests=r.scalar(rows["failed requests"], v.parse_int, "Failed Requests")
                if "failed requests" in rows
                else None,
                data_loss_amount=r.markdown(rows["data loss"]) if "data loss" in rows else None,
                recovery_point=recovery.on(review.started_at.date()) if recovery is not None else None,
            ),
        )

    def attachments(self) -> m.Attachments:
        values = self.values
        links = values.get("links", {})
        link_values = m.Links(
            incident_ticket=links.get("incident_ticket"),
            monitoring_dashboard=links.get("monitoring_dashboard"),
            related_incidents=tuple(links.get("related", ())),
            action_item_tracker=links.get("action_item_tracker"),
            other=tuple(links.get("other", ())),
        )
        if "supporting_documents" in values:
            return m.Attachments(supporting_documents=tuple(values["supporting_documents"]), links=link_values)
        return m.Attachments(links=link_values)

    def review_meeting(self) -> m.ReviewMeeting:
        meeting = self.values.get("review_meeting", {})
        return m.ReviewMeeting(
            date=meeting.get("date"),
            attendees=tuple(meeting.get("attendees", ())),
            discussion_points=tuple(meeting.get("discussion_points", ())),
        )

    def follow_up(self) -> m.FollowUp:
        values = self.values.get("follow_up", {})
        follow_up = m.FollowUp(next_review_date=values.get("next_review_date"))
        if "cadence" in values:
            follow_up = attrs.evolve(follow_up, cadence=tuple(values["cadence"]))
        if "knowledge_sharing" in values:
            follow_up = attrs.evolve(follow_up, knowledge_sharing=tuple(values["knowledge_sharing"]))
        return follow_up

    # -- the executive summary's impact bullets

    def summary_fallbacks(self, review: m.Review) -> None:
        """Derived values the executive summary shows are not data; report where they disagree."""
        r = self.r
        duration = r.summary_impact.get("duration")
        if duration is not None and r.text(duration) is not None and review.duration is not None:
            try:
                stated = v.parse_duration_text(r.src.plain(duration.source))
            except ValueError:
                return
            if stated != review.duration:
                r.problem(
                    duration.line,
                    f"Executive Summary: Duration {r.src.plain(duration.source)!r} differs "
                    "from End Time minus Start Time",
                )

    def summary_impact(self, review: m.Review) -> m.Review:
        """Take users affected and data loss from the summary when the template's own fields
        for them were left empty."""
        r = self.r
        user = review.impact.user
        affected = r.summary_impact.get("affected users")
        if affected is not None and user.total_users_affected is None and r.text(affected) is not None:
            text = r.src.plain(affected.source)
            number = re.match(r"^[~≈]?[\d,  ]+(?=\s|$|\()", text)
            if number:
                with contextlib.suppress(ValueError):
                    user = attrs.evolve(user, total_users_affected=v.parse_int(number[0]))
        technical = review.impact.technical
        loss = r.summary_impact.get("data loss")
        if loss is not None and technical.data_loss == m.DataImpact():
            technical = attrs.evolve(technical, data_loss=r.data_impact(loss))
        return attrs.evolve(review, impact=attrs.evolve(review.impact, user=user, technical=technical))
