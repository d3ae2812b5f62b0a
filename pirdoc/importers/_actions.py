"""Action Items (tables by horizon) and Prevention Measures (checklists)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from pirdoc import model as m
from pirdoc.importers import _values as v
from pirdoc.importers._outline import Part, heading_key, link_url
from pirdoc.importers._reader import ReaderBase, Table
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


_ORDER = ("id", "action", "owner", "due", "status")
_COLUMNS = {
    "id": "id",
    "#": "id",
    "action": "action",
    "action item": "action",
    "description": "action",
    "owner": "owner",
    "assignee": "owner",
    "due date": "due",
    "due": "due",
    "status": "status",
}


def _status(text: str) -> m.ActionStatus:
    return v.parse_enum(m.ActionStatus, text, _STATUS_ALIASES)


def _label(columns: list[tuple[str | None, str]], role: str, default: str) -> str:
    return next((text for r, text in columns if r == role and text), default)


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
        for table in self.tables(part, "Action Items"):
            columns = self.action_columns(table.header)
            for cells, line in table.rows:
                self.action_row(table, columns, cells, line, horizon)

    @staticmethod
    def action_columns(header: list[str]) -> list[tuple[str | None, str]]:
        """What each column holds (``id``, ``action``, ``owner``, ``due``, ``status``; None for a
        column of the team's own) and its header, by the header's names; the template's order
        when the header names no action column."""
        keys = [heading_key(h) for h in header]
        if not any(_COLUMNS.get(k) == "action" for k in keys):
            return [(_ORDER[i] if i < len(_ORDER) else None, h) for i, h in enumerate(header)]
        columns: list[tuple[str | None, str]] = []
        for key, text in zip(keys, header, strict=True):
            role = _COLUMNS.get(key)
            columns.append((role if role not in (c for c, _ in columns) else None, text))
        return columns

    def action_row(
        self, table: Table, columns: list[tuple[str | None, str]], cells: list[Field], line: int, horizon: m.Horizon
    ) -> None:
        found: dict[str, Field] = {}
        extra: list[tuple[str, Field]] = []
        for index, cell in enumerate(cells):
            role, label = columns[index] if index < len(columns) else (None, f"Column {index + 1}")
            if role is None:
                extra.append((label or f"Column {index + 1}", cell))
            else:
                found[role] = cell
        empty = Field("", "", line)
        ident, action, owner, due, status = (found.get(role, empty) for role in _ORDER)
        source, platform = _split_platform_line(action.source)
        text, link = _split_action_link(self.src, source)
        if not text or v.is_not_recorded(text, self.src.plain(text)):
            if self.text(owner) is None and all(self.text(cell) is None for _, cell in extra):
                return  # the template's example row, left as it was
            self.row_note(table, line, "Action Items", "a row without an action")
            return
        item_id = self.src.plain(ident.source)
        if not item_id or v.is_not_recorded(ident.source, item_id):
            item_id = f"AI-{len(self.actions) + 1}"
            self.problem(line, f"Action Items: row without an ID; numbered {item_id}")
        details: list[m.Detail] = []
        due_date = self.cell(due, v.parse_date, details, _label(columns, "due", "Due Date"))
        state = self.cell(status, _status, details, _label(columns, "status", "Status"))
        for label, cell in extra:
            if self.text(cell) is not None:
                details.append(m.Detail(label=label, value=cell.source))
        self.actions.append(
            m.ActionItem(
                id=item_id,
                action=text,
                horizon=horizon,
                owner=self.person(owner),
                due=due_date,
                status=state or m.ActionStatus.OPEN,
                link=link,
                details=tuple(details),
                **self.platform_fields(platform),
            )
        )

    def platform_fields(self, segments: dict[str, str]) -> dict[str, Any]:
        """The action's platform fields from the labelled segments of pirdoc's line under it."""
        fields: dict[str, Any] = {}
        if "Assignees" in segments:
            people = (self.src.person(name) for name in _list_items(segments["Assignees"], "; "))
            fields["assignees"] = tuple(person for person in people if person.name)
        for label, name in (("Priority", "priority"), ("Tracker", "tracker_id")):
            if label in segments:
                fields[name] = self.src.plain(segments[label]) or None
        if "Links" in segments:
            links = []
            for piece in _list_items(segments["Links"]):
                nodes = [n for n in self.src.inline(piece) if not (n.type == "text" and not n.content.strip())]
                linked = len(nodes) == 1 and nodes[0].type == "link"
                links.append(link_url(nodes[0]) if linked else self.src.plain(piece))
            fields["links"] = tuple(link for link in links if link)
        return fields

    def cell(self, field: Field, parse: Callable[[str], Any], details: list[m.Detail], label: str) -> Any:
        """A cell's value; one that cannot be read is kept as written in a column of its own."""
        text = self.text(field)
        if text is None:
            return None
        try:
            return parse(text)
        except ValueError as exc:
            self.keep_detail(details, label, field, "Action Items", f"{label}: {exc}")
            return None

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


# pirdoc's line of platform fields under an action: bold labels, which escaped text never forms.
# The labels are layout's PLATFORM_ACTION_LABELS (importers stay below layout; a test holds the
# two equal).
PLATFORM_LABELS = ("Assignees", "Priority", "Tracker", "Links")
_PLATFORM_LABEL = re.compile(rf"(?:^| \u00b7 )\*\*({'|'.join(PLATFORM_LABELS)}):\*\* ")


def _split_platform_line(source: str) -> tuple[str, dict[str, str]]:
    """The action cell without its last line when that is pirdoc's platform line
    (``**Assignees:** A, B · **Priority:** P1 · …``), and that line's segments by label."""
    head, _, last = source.rpartition("\\\n")
    if not head:
        return source, {}
    marks = list(_PLATFORM_LABEL.finditer(last.strip()))
    labels = [mark.group(1) for mark in marks]
    line = last.strip()
    if not marks or marks[0].start() != 0 or labels != sorted(set(labels), key=PLATFORM_LABELS.index):
        return source, {}
    segments = {}
    for mark, following in zip(marks, [*marks[1:], None], strict=True):
        segments[mark.group(1)] = line[mark.end() : following.start() if following else len(line)].strip()
    return head, segments


def _list_items(source: str, separator: str = ", ") -> list[str]:
    """The items of a list written ``a, b`` (or with ``separator``); a separator inside a link's
    brackets (``[Doe, Jane][person-3]``) or after a backslash does not split."""
    pieces: list[str] = []
    depth, start, index = 0, 0, 0
    while index < len(source):
        char = source[index]
        if char == "\\":
            index += 2
            continue
        if char == "[":
            depth += 1
        elif char == "]":
            depth = max(depth - 1, 0)
        elif depth == 0 and source.startswith(separator, index):
            pieces.append(source[start:index])
            index += len(separator)
            start = index
            continue
        index += 1
    pieces.append(source[start:])
    return [piece.strip() for piece in pieces if piece.strip()]


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

