"""Action Items (tables by horizon) and Prevention Measures (checklists)."""

from __future__ import annotations

import re

from pirdoc import model as m
from pirdoc.importers import _values as v
from pirdoc.importers._outline import Part, heading_key, link_url
from pirdoc.importers._reader import ReaderBase
from pirdoc.importers._source import Field, Source

__all__ = ["ActionReader"]

_HORIZONS = {"immediate": m.Horizon.IMMEDIATE, "short": m.Horizon.SHORT_TERM, "long": m.Horizon.LONG_TERM}
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


class ActionReader(ReaderBase):
    """The Action Items and Prevention Measures sections."""

    def action_items(self, part: Part) -> None:
        key = heading_key(part.title)
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

    def prevention(self, part: Part) -> None:
        key = heading_key(part.title)
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


def _split_action_link(src: Source, source: str) -> tuple[str, str | None]:
    """The action text and the tracker link written on a second line (``<br>[url](<url>)``)."""
    parts = source.split("\\\n")
    link = None
    if len(parts) > 1:
        nodes = [n for n in src.inline(parts[-1].strip()) if not (n.type == "text" and not n.content.strip())]
        if len(nodes) == 1 and nodes[0].type == "link":
            link = link_url(nodes[0])
            parts = parts[:-1]
        elif len(nodes) == 1 and nodes[0].type == "text" and re.match(r"^\S+://\S+$", nodes[0].content):
            link = nodes[0].content
            parts = parts[:-1]
    text = "\\\n".join(part.strip() for part in parts).strip()
    return text, link

