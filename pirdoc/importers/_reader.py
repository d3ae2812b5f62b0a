"""What every section reader shares: the collected state, problems, and reading fields, lists and
tables out of the blocks of a part."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from markdown_it.tree import SyntaxTreeNode

from pirdoc import model as m
from pirdoc.checks import Level, Problem
from pirdoc.importers import _values as v
from pirdoc.importers._outline import Part, cell_source, checklist, heading_key, is_caption, is_none_paragraph
from pirdoc.importers._source import Field, Source

__all__ = ["ReaderBase"]


class ReaderBase:
    """Reads one template; collects values in plain dicts (the builder makes the Review)."""

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

    def check_fences(self) -> None:
        """Report code fences that are never closed: Markdown reads everything after one, up to
        the end of its list item, quote or the document, as code (other readers do the same), so
        the sections after it are kept, but as code."""
        lines = self.src.lines
        pending = list(self.src.root.children)
        while pending:
            node = pending.pop()
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

    def list_fields(self, node: SyntaxTreeNode) -> list[Field]:
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

    def unknown_part(self, part: Part, section: str) -> None:
        if part.title:
            self.problem(part.line, f"{section}: subsection {part.title!r} is not part of the template; not imported")
        else:
            for node in part.nodes:
                if not (is_caption(node) or is_none_paragraph(node)):
                    self.unplaced(node, section)

    def table_rows(self, part: Part, where: str) -> list[tuple[list[Field], int]]:
        rows: list[tuple[list[Field], int]] = []
        for node in part.nodes:
            if node.type != "table":
                if not (is_caption(node) or is_none_paragraph(node)):
                    self.unplaced(node, where)
                continue
            for section in node.children:
                if section.type != "tbody":
                    continue
                for row in section.children:
                    line = self.src.line_of(row)
                    cells = [Field("", cell_source(cell), line) for cell in row.children]
                    rows.append((cells, line))
        return rows

    def optional(self, fields: dict[str, Field], key: str, parse: Callable[[str], Any], what: str) -> Any:
        return self.scalar(fields[key], parse, what) if key in fields else None

    def bullets(self, part: Part | list[SyntaxTreeNode], where: str) -> list[str]:
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

    def check_items(self, nodes: list[SyntaxTreeNode], where: str) -> list[m.CheckItem]:
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
