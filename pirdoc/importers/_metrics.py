"""Metrics: the Response Metrics table (targets, stated actuals) and the Impact Metrics table."""

from __future__ import annotations

import re
from typing import Any

from pirdoc import model as m
from pirdoc import values as pv
from pirdoc.importers import _values as v
from pirdoc.importers._outline import Part, heading_key, is_caption, label_keys
from pirdoc.importers._reader import ReaderBase, Table
from pirdoc.importers._source import Field
from pirdoc.importers._tree import Node

__all__ = ["MetricsReader"]


_IMPACT_ROWS = frozenset(("total downtime", "users affected", "failed requests", "data loss", "recovery point"))


class MetricsReader(ReaderBase):
    """The Metrics section."""

    def metrics(self, part: Part) -> None:
        key = heading_key(part.title)
        if key == "response metrics":
            self.response_metrics(part)
        elif key == "impact metrics":
            rows: dict[str, Field] = {}
            details: list[m.Detail] = []
            for table in self.tables(part, "Impact Metrics"):
                for cells, line in table.rows:
                    self.impact_metric(table, cells, line, rows, details)
            self.values["impact_metrics"] = rows
            self.values["impact_details"] = details
        else:
            self.unknown_part(part, "Metrics")

    def impact_metric(
        self, table: Table, cells: list[Field], line: int, rows: dict[str, Field], details: list[m.Detail]
    ) -> None:
        """One row of Impact Metrics; cells beyond the second are kept as rows of their own."""
        label = self.src.plain(cells[0].source) if cells else ""
        key = heading_key(label)
        if len(cells) >= 2 and key in _IMPACT_ROWS and key not in rows:
            rows[key] = cells[1]
        elif len(cells) >= 2 and (cells[1].source or label):
            details.append(m.Detail(label=label or "Metric", value=cells[1].source or None))
            self.problem(line, f"Impact Metrics: {label!r} is not a row of the template; kept as written")
        for index, cell in enumerate(cells[2:], start=2):
            if self.text(cell) is not None:
                column = table.header[index] if index < len(table.header) else f"column {index + 1}"
                details.append(m.Detail(label=f"{label or 'Metric'} ({column or index + 1})", value=cell.source))
                self.problem(line, f"Impact Metrics: column {column!r} is not part of the template; kept as written")

    def response_metrics(self, part: Part) -> None:
        targets: dict[str, Any] = {}
        actuals: dict[str, Field] = {}
        stated: dict[str, Any] = {}
        names = {
            "time to detect": "detect",
            "time to acknowledge": "acknowledge",
            "time to mitigate": "mitigate",
            "time to resolve": "resolve",
        }
        rest: list[Node] = []
        for node in part.nodes:
            if node.type == "table":
                table = self.tables(Part("", 0, [node], key=part.key), "Response Metrics")[0]
                for cells, line in table.rows:
                    name = names.get(heading_key(self.src.plain(cells[0].source)))
                    if name is None or len(cells) < 3 or name in targets:
                        self.row_note(table, line, "Response Metrics", "not a metric of the template")
                        continue
                    if any(self.text(cell) is not None for cell in cells[4:]):
                        self.row_note(table, line, "Response Metrics", "more columns than the template's")
                    target = self.src.plain(cells[1].source)
                    if re.fullmatch(r"<?\s*RTO", target, re.IGNORECASE):
                        targets[name] = None
                    else:
                        targets[name] = self.scalar(cells[1], v.parse_duration_text, f"{name} target")
                    actuals[name] = cells[2]
            elif node.type == "paragraph" and label_keys(self.src, node) == ["stated in the review"]:
                self.stated_seen = True
            elif node.type == "bullet_list" and self.stated_seen:
                for field in self.list_fields(node):
                    name = names.get(field.key)
                    if name is None:
                        self.keep_field(field, "Response Metrics", "not a metric of the template")
                        continue
                    stated[name] = self.scalar(field, pv.parse_duration_text, field.label)
            else:
                rest.append(node)
        for node in rest:
            if not is_caption(node):
                self.unplaced(node, "Response Metrics")
        self.values["targets"] = targets
        self.values["stated"] = stated
        self.values["actuals"] = actuals

    # ------------------------------------------------------------------------ attachments
