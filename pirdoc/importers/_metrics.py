"""Metrics: the Response Metrics table (targets, stated actuals) and the Impact Metrics table."""

from __future__ import annotations

import re
from typing import Any

from markdown_it.tree import SyntaxTreeNode

from pirdoc.importers import _values as v
from pirdoc.importers._outline import Part, heading_key, is_caption, label_keys
from pirdoc.importers._reader import ReaderBase
from pirdoc.importers._source import Field

__all__ = ["MetricsReader"]


class MetricsReader(ReaderBase):
    """The Metrics section."""

    def metrics(self, part: Part) -> None:
        key = heading_key(part.title)
        if key == "response metrics":
            self.response_metrics(part)
        elif key == "impact metrics":
            rows: dict[str, Field] = {}
            for cells, _line in self.table_rows(part, "Impact Metrics"):
                if len(cells) >= 2:
                    rows.setdefault(heading_key(self.src.plain(cells[0].source)), cells[1])
            self.values["impact_metrics"] = rows
        else:
            self.unknown_part(part, "Metrics")

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
        rest: list[SyntaxTreeNode] = []
        for node in part.nodes:
            if node.type == "table":
                for cells, line in self.table_rows(Part("", 0, [node]), "Response Metrics"):
                    name = names.get(heading_key(self.src.plain(cells[0].source)))
                    if name is None or len(cells) < 3:
                        self.problem(line, "Response Metrics: row is not a metric of the template; not imported")
                        continue
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
                        self.problem(field.line, "Response Metrics: not a metric of the template; not imported")
                        continue
                    stated[name] = self.scalar(field, v.parse_duration_text, field.label)
            else:
                rest.append(node)
        for node in rest:
            if not is_caption(node):
                self.unplaced(node, "Response Metrics")
        self.values["targets"] = targets
        self.values["stated"] = stated
        self.values["actuals"] = actuals

    # ------------------------------------------------------------------------ attachments
