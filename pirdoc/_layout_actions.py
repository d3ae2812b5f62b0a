"""Action items (the record's tables and the briefing's fitted list), lessons and prevention."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from pirdoc import document as d
from pirdoc import model as m
from pirdoc._brief import Position, estimate_lines, paginate, table_row_lines
from pirdoc._layout_base import Base
from pirdoc._layout_values import (
    _HORIZON_ORDER,
    ACTION_ITEM_HEADER,
    ACTION_STATUS_TONES,
    ACTION_WIDTHS,
    BRIEFING_ACTION_ITEMS,
    BRIEFING_MIN_ACTION_ITEMS,
    HORIZON_HEADINGS,
    PLATFORM_ACTION_LABELS,
    _checklist,
    _count,
    _date,
    _md_inline,
    _md_value,
    _person,
    _person_cell,
    _table,
    _text,
    _url,
)
from pirdoc.narrative import parse_inlines, sanitize


class ActionSections(Base):
    """Action items (the record's tables and the briefing's fitted list), lessons and prevention."""

    def _action_row(self, item: m.ActionItem, extra: Sequence[str]) -> tuple[tuple[d.Inline, ...], ...]:
        action: tuple[d.Inline, ...] = self.short(parse_inlines(item.action), "action")
        if item.link:
            action = (*action, d.LineBreak(), *_url(item.link))
        platform = () if self.brief else self._platform_line(item)
        if platform:
            action = (*action, d.LineBreak(), *platform)
        values = {detail.label: detail.value for detail in item.details}
        return (
            self.short(_text(item.id), "id"),
            action,
            self.short(_person_cell(self._with_account(item.owner)), "owner"),
            _date(item.due),
            (d.StatusBadge(label=item.status.value, tone=ACTION_STATUS_TONES[item.status]),),
            *(_md_inline(values.get(label)) for label in extra),
        )

    def _platform_line(self, item: m.ActionItem) -> tuple[d.Inline, ...]:
        """``Assignees: A; B · Priority: P1 · Tracker: PAY-1 · Links: url, url``, the labels bold,
        those with a value only. A line under the action rather than four columns of their own:
        at a fifth of the width each, names and URLs broke into unreadable pieces. Names are
        apart by semicolons, since a name is often written "Doe, Jane"."""
        people = [_person(self._with_account(person) or person) for person in item.assignees]
        values: dict[str, list[tuple[d.Inline, ...]]] = {
            "Assignees": [(person,) for person in people],
            "Priority": [_text(item.priority)] if item.priority else [],
            "Tracker": [_text(item.tracker_id)] if item.tracker_id else [],
            "Links": [_url(url) for url in item.links],
        }
        line: list[d.Inline] = []
        for label in PLATFORM_ACTION_LABELS:
            if not values[label]:
                continue
            line.extend((d.Text(text=" \u00b7 "),) if line else ())
            line.extend((d.Strong(children=(d.Text(text=f"{label}:"),)), d.Text(text=" ")))
            separator = "; " if label == "Assignees" else ", "
            for index, value in enumerate(values[label]):
                line.extend((d.Text(text=separator),) if index else ())
                line.extend(value)
        return tuple(line)

    def _action_table(self, items: Sequence[m.ActionItem]) -> None:
        # Columns the team's table had beyond the template's, in the order they first appear.
        extra = [] if self.brief else list(dict.fromkeys(detail.label for item in items for detail in item.details))
        widths: tuple[float, ...] = ACTION_WIDTHS
        if extra:
            share = 0.3 / len(extra)
            widths = (0.08, 0.32, 0.12, 0.09, 0.09, *([share] * len(extra)))
        self.add(
            _table(
                (*ACTION_ITEM_HEADER, *(sanitize(label) for label in extra)),
                (self._action_row(i, extra) for i in items),
                "action-items",
                widths,
            )
        )

    def action_items(self) -> None:
        for horizon, title in HORIZON_HEADINGS.items():
            self.heading(2, title)
            items = [i for i in self.review.action_items if self.review.horizon_of(i) is horizon]
            if items:
                self._action_table(items)
            else:
                self._none("No actions recorded.")

    def open_action_items(self) -> None:
        """The briefing's open action items: all of them if they fit its page budget, else the
        most urgent (soonest horizon, then earliest due date) that do, and a line counting the
        rest."""
        items = [i for i in self.review.action_items if i.status is not m.ActionStatus.DONE]
        if not items:
            self._none("No open action items.")
            return
        shown = self._fitting(items[:BRIEFING_ACTION_ITEMS])
        if len(shown) < len(items):
            # Not all fit: the most urgent are the ones shown, not the first written.
            urgent = sorted(items, key=lambda i: (_HORIZON_ORDER[self.review.horizon_of(i)], i.due or dt.date.max))
            shown = self._fitting(urgent[:BRIEFING_ACTION_ITEMS])
        # too few listed: layout shortens the other fields and tries again
        self.crowded = len(shown) < min(len(items), BRIEFING_MIN_ACTION_ITEMS)
        if shown:
            self._action_table(shown)
        rest = len(items) - len(shown)
        if rest and shown:
            self._none(f"and {_count(rest, 'more open action item')} \u2014 see the full record")
        elif rest:
            self._none(f"{_count(rest, 'open action item')} \u2014 see the full record")

    def _after_title(self) -> Position:
        """Where the briefing's title block (its title in 19 pt, badges and facts) ends."""
        return Position(0, -(-len(self.title_shown) // 34) * 1.7 + 6)

    def _fitting(self, items: Sequence[m.ActionItem]) -> list[m.ActionItem]:
        """The first of ``items`` whose rows fit what the briefing's two pages have left, with
        the line that counts the rest."""
        *before, heading = self.blocks  # the section's heading, kept with the table's first row
        at = paginate(before, self._after_title())
        header = table_row_lines(tuple(_text(label) for label in ACTION_ITEM_HEADER), ACTION_WIDTHS)
        lead = estimate_lines((heading,)) + header
        shown: list[m.ActionItem] = []
        for item in items:
            row = table_row_lines(self._action_row(item, ()), ACTION_WIDTHS)
            after = at.place(lead + row, whole=True)
            if after.page != at.page and shown:  # a table that runs on repeats its header row
                after = at.place(header + row, whole=True)
            if after.place(1.4, whole=True).page > 1:
                break
            at, lead = after, 0.0
            shown.append(item)
        return shown

    def lessons(self) -> None:
        lessons = self.review.lessons
        for title, group in (
            ("Technical Lessons", lessons.technical),
            ("Process Lessons", lessons.process),
            ("Communication Lessons", lessons.communication),
        ):
            self.heading(2, title)
            self._titled_list(
                [
                    (
                        lesson.title,
                        [
                            ("What we learned", _md_value(lesson.learned)),
                            ("How to apply", _md_value(lesson.how_to_apply)),
                        ],
                    )
                    for lesson in group
                ]
            )

    def prevention(self) -> None:
        p = self.review.prevention
        for title, items, role in (
            ("Monitoring Improvements", p.monitoring, "monitoring-improvements"),
            ("Process Improvements", p.process, "process-improvements"),
            ("Technical Improvements", p.technical, "technical-improvements"),
        ):
            self.heading(2, title)
            if items:
                self.add(_checklist(items, role))
            else:
                self._none()
