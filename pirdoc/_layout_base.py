"""The layout builder's state and plumbing: blocks, anchors, the briefing's budgets, notes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

import attrs

from pirdoc import document as d
from pirdoc import model as m
from pirdoc._brief import MORE, cut_blocks, cut_inlines, cut_words
from pirdoc._layout_values import (
    _LEAST,
    _NAMES,
    BRIEFING_LIMITS,
    BRIEFING_NOTES,
    BRIEFING_SCALES,
    FieldValue,
    _account_directory,
    _bullets,
    _count,
    _field_bullets,
    _name_key,
    _slug,
)
from pirdoc.narrative import parse_blocks, parse_inlines, sanitize


class Base:
    """Accumulates blocks and gives every heading a unique anchor; the sections are the mixins
    that build on it, `pirdoc.layout` puts them in order."""

    def __init__(self, review: m.Review, *, brief: bool = False, scale: float = 1.0) -> None:
        self.review = review
        # The briefing shows each field up to its budget in BRIEFING_LIMITS, or a share of it
        # (see _brief); it is crowded when its two pages leave too little room for the open
        # action items.
        self.brief = brief
        self.limits = {field: max(int(limit * scale), _LEAST.get(field, 0)) for field, limit in BRIEFING_LIMITS.items()}
        self.crowded = False
        # a crowded briefing counts the writer's notes instead of showing one
        self._notes_left = BRIEFING_NOTES if scale >= BRIEFING_SCALES[1] else 0
        self._notes_held = 0  # notes the briefing counts instead of showing (one line for all)
        self.contents_before: str | None = None
        # the briefing's title block stays a block: a long title is cut there
        title = sanitize(review.title)
        self.title_shown = cut_words(title, self.limits["title"]) if brief else title
        self.blocks: list[d.Block] = []
        self._anchors: set[str] = set()
        # Status updates are shown with the same clock; one on another day needs its date too.
        instants = [
            review.started_at,
            review.ended_at,
            *(event.at for event in review.timeline),
            *(update.at for update in review.communication.internal_timeline),
        ]
        days = {i.date for i in instants if i is not None and i.date is not None}
        self._multi_day = len(days) > 1
        self._accounts = _account_directory(review)
        self._previous_event: dt.datetime | None = None  # the timeline event shown last (UTC)

    def heading(self, level: int, text: str) -> None:
        base = _slug(text)[:32]
        anchor, counter = base, 2
        while anchor in self._anchors:
            anchor, counter = f"{base}-{counter}", counter + 1
        self._anchors.add(anchor)
        self.blocks.append(d.Heading(level=level, children=(d.Text(text=text),), anchor=anchor))

    def add(self, *blocks: d.Block) -> None:
        self.blocks.extend(blocks)

    def short(self, nodes: tuple[d.Inline, ...], field: str) -> tuple[d.Inline, ...]:
        """``nodes`` as the briefing shows them (cut to the field's budget); whole in the record."""
        if not self.brief:
            return nodes
        return cut_inlines(nodes, self.limits[field], "\u2026" if field in _NAMES else MORE)[0]

    def short_blocks(self, blocks: tuple[d.Block, ...], field: str) -> tuple[d.Block, ...]:
        return cut_blocks(blocks, self.limits[field])[0] if self.brief else blocks

    def section(self, title: str, *parts: Callable[[], None], key: str | None = None) -> None:
        self.heading(1, title)
        # Writing after the last event would read back as that event's details: the Timeline's
        # notes go first, where the template has no event yet.
        first = key == "timeline"
        if first:
            self.notes("timeline")
        for part in parts:
            part()
        if key is not None:
            if not first:
                self.notes(key)
            self.extra_sections(key)

    def notes(self, key: str, level: int = 2) -> None:
        """The writing kept at the end of section ``key`` (a titled note under its own heading);
        the briefing shows `BRIEFING_NOTES` notes in all and counts the rest."""
        notes = [note for note in self.review.notes if note.section == key and not note.top_level]
        rest = 0
        if self.brief:
            shown = notes[: self._notes_left]
            rest, notes = len(notes) - len(shown), shown
            self._notes_left -= len(shown)
        for note in notes:
            if note.title:
                title = sanitize(note.title)
                self.heading(level, cut_words(title, self.limits["heading"]) if self.brief else title)
            if note.body:
                self.add(*self.short_blocks(parse_blocks(note.body), "note"))
        self._notes_held += rest

    def held_notes(self) -> None:
        """The briefing's one line counting the notes it held back so far."""
        if self._notes_held:
            self._none(f"and {_count(self._notes_held, 'more note')} \u2014 see the full record")
            self._notes_held = 0

    def extra_sections(self, key: str) -> None:
        """Sections the template never had, right after section ``key``, as they were written."""
        for note in self.review.notes:
            if note.section != key or not note.top_level:
                continue
            self._rule()
            self.heading(1, sanitize(note.title) if note.title else "Notes")
            if note.body:
                self.add(*parse_blocks(note.body))
            else:
                self._none("Nothing written.")

    def subsection_notes(self, key: str) -> Callable[[], None]:
        return lambda: self.notes(key, level=3)

    def _rule(self) -> None:
        self.add(d.ThematicBreak())

    def _none(self, what: str = "None recorded.") -> None:
        self.add(d.Paragraph(children=(d.Text(text=what),)))

    def _with_account(self, person: m.Person | None) -> m.Person | None:
        """``person`` with the Confluence identifiers the review gives someone of the same name
        elsewhere, where ``person`` itself has none."""
        if person is None or (person.confluence_account_id and person.confluence_userkey):
            return person
        known = self._accounts.get(_name_key(person.name))
        if known is None:
            return person
        return attrs.evolve(
            person,
            confluence_account_id=person.confluence_account_id or known.confluence_account_id,
            confluence_userkey=person.confluence_userkey or known.confluence_userkey,
        )

    def _titled_list(self, entries: Sequence[tuple[str, Sequence[tuple[str, FieldValue]]]]) -> None:
        """The template's numbered ``1. **Title**`` entries with ``- Label: value`` sub-bullets."""
        if not entries:
            self._none()
            return
        self.add(
            d.OrderedList(
                items=tuple(
                    (d.Paragraph(children=(d.Strong(children=parse_inlines(title)),)), _field_bullets(fields))
                    for title, fields in entries
                ),
                tight=False,
            )
        )

    def _plain_bullets(self, values: Sequence[str]) -> None:
        if values:
            self.add(_bullets((d.Paragraph(children=parse_inlines(v)),) for v in values))
        else:
            self._none()
