"""The Document Control section (a Revision History table) and the header's ``Revision``."""

from __future__ import annotations

import re

from pirdoc import model as m
from pirdoc.importers import _values as v
from pirdoc.importers._outline import Part, cell_source, heading_key
from pirdoc.importers._reader import ReaderBase, Table
from pirdoc.importers._source import Field
from pirdoc.importers._tree import Node

__all__ = ["ControlReader", "parse_revision"]

_COLUMNS = {
    "version": "version",
    "revision": "version",
    "rev": "version",
    "date": "date",
    "author": "author",
    "by": "author",
    "changes": "changes",
    "change": "changes",
    "description": "changes",
    "what changed": "changes",
    "summary": "changes",
}


def parse_revision(text: str) -> int:
    """A revision number as people write it: ``3``, ``v3``, ``3.0``, ``Rev 3``."""
    match = re.fullmatch(r"(?:rev(?:ision)?\.?\s*|v)?(\d{1,9})(?:\.0)?", text.strip(), re.IGNORECASE)
    if match is None:
        raise ValueError(f"not a revision number: {text!r}")
    return int(match[1])


class ControlReader(ReaderBase):
    """The revision history under ``## Document Control`` (or ``## Revision History``), or a
    revision table written in the header."""

    def is_revision_table(self, node: Node) -> bool:
        """A table whose header names a version and a date or what changed (Version | Date | …)."""
        if node.type != "table" or not node.children or node.children[0].type != "thead":
            return False
        rows = node.children[0].children
        header = [heading_key(self.src.plain(cell_source(cell))) for row in rows for cell in row.children]
        columns = {_COLUMNS.get(name) for name in header}
        return "version" in columns and bool(columns & {"date", "changes"})

    def document_control(self, part: Part) -> None:
        if part.title and heading_key(part.title) not in ("revision history", "document history"):
            self.unknown_part(part, "Document Control")
            return
        entries: list[m.RevisionEntry] = self.values.setdefault("revision_history", [])
        for table in self.tables(part, "Revision History"):
            columns = [_COLUMNS.get(heading_key(h)) for h in table.header]
            if "version" not in columns:
                for _, line in table.rows:
                    self.row_note(table, line, "Revision History", "a table without a Version column")
                continue
            for cells, line in table.rows:
                self.revision_row(table, columns, cells, line, entries)

    def revision_row(
        self, table: Table, columns: list[str | None], cells: list[Field], line: int, entries: list[m.RevisionEntry]
    ) -> None:
        by_name: dict[str, Field] = {}
        for column, cell in zip(columns, cells, strict=False):
            if column is None:
                if self.text(cell) is not None:
                    self.row_note(table, line, "Revision History", "a column the revision history does not have")
                    return
            else:
                by_name.setdefault(column, cell)
        version = self.scalar(by_name["version"], parse_revision, "Revision version") if "version" in by_name else None
        if version is None:
            self.row_note(table, line, "Revision History", "a row without a version")
            return
        empty = Field("", "", line)
        entries.append(
            m.RevisionEntry(
                version=version,
                date=self.scalar(by_name.get("date", empty), v.parse_date, f"Revision {version} date"),
                author=self.person(by_name.get("author", empty)),
                changes=self.markdown(by_name.get("changes", empty)),
            )
        )
