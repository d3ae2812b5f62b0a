"""Audiences: the internal, customer and public versions of one review.

Every value of a review has a `Visibility`. `redact` is a pure function from a review to the
review an audience may read (and a `RedactionReport` of what it removed, replaced or added); it
runs between the checks and layout, so no layout profile and no renderer ever sees a value the
audience may not read.

A value's visibility is decided, first match wins, by:

1. the review's own ``visibility`` mapping (field path → level; the most specific path wins);
2. its kind, for kinds that stay internal whatever the item around them says (`KIND_VISIBILITY`:
   people, links);
3. the ``visibility`` of the innermost item that holds it (a timeline event, an action item, a
   note …);
4. `DEFAULT_VISIBILITY`, the one table of defaults by field path (the most specific path wins);
5. internal: a field nobody classified is never shown outside.
"""

from __future__ import annotations

import datetime as dt
import re
import types
import typing
from collections.abc import Iterator, Mapping
from typing import Any, Literal, TypeAlias, get_args, get_origin

import attrs

from pirdoc import model as m
from pirdoc._attrs_fields import type_hints
from pirdoc._methods import value_methods
from pirdoc.errors import PirdocError
from pirdoc.model import Visibility
from pirdoc.values import Duration, Instant, Quantity

__all__ = [
    "AUDIENCES",
    "DEFAULT_VISIBILITY",
    "FIELD_KINDS",
    "KIND_VISIBILITY",
    "Audience",
    "AudienceError",
    "RedactionEntry",
    "RedactionReport",
    "may_publish",
    "redact",
    "unknown_paths",
    "visibility_of",
]

Audience: TypeAlias = Literal["internal", "customer", "public"]
AUDIENCES: tuple[Audience, ...] = ("internal", "customer", "public")

_I, _C, _P = Visibility.INTERNAL, Visibility.CUSTOMER, Visibility.PUBLIC

DEFAULT_VISIBILITY: dict[str, Visibility] = {
    # what the incident is and when customers felt it
    "incident_id": _P,
    "title": _P,
    "severity": _C,
    "started_at": _P,
    "ended_at": _P,
    "stated_duration": _P,
    "date": _P,
    "status": _P,
    "classification": _P,
    "last_updated": _P,
    "summary": _P,
    "summary.asks": _I,  # what the review asks of its own leadership
    "services": _C,
    # customer-facing impact; money and reputation stay inside
    "impact.user": _P,
    "impact.technical": _P,
    "impact.business": _I,
    "impact.business.sla_breach": _C,
    "metrics.impact.total_downtime": _P,
    "metrics.impact.failed_requests": _P,
    "metrics.impact.data_loss_amount": _P,
    "metrics.impact.recovery_point": _C,
    # the timeline's moments are public, what was said and done in them (chat, hosts) is not
    "timeline": _P,
    "timeline.details": _I,
    # causes and commitments
    "root_cause.what_happened": _P,
    "root_cause.why_it_happened": _P,
    "root_cause.contributing_factors": _P,
    "root_cause.why_not_caught_earlier": _C,
    "root_cause.five_whys": _C,
    "action_items": _P,
    "action_items.details": _I,
    "prevention": _C,
    "communication.external": _C,
    # everything else named here for the reader's sake: internal
    "details": _I,
    "notes": _I,
    "went_well": _I,
    "went_wrong": _I,
    "lessons": _I,
    "communication": _I,
    "metrics.targets": _I,
    "metrics.stated": _I,
    "metrics.impact.details": _I,
    "attachments": _I,
    "review_meeting": _I,
    "approvals": _I,
    "follow_up": _I,
    "next_review": _I,
    "visibility": _I,
    # what incident platforms record (docs/platforms.md): when customers felt it recover is public,
    # who worked on it, what it cost and where it was discussed stay inside
    "incident_type": _C,
    "reported_at": _C,
    "stable_at": _P,
    "closed_at": _I,
    "priority": _I,
    "tags": _I,
    "participants": _I,
    "costs": _I,
    "related_incidents": _I,
    "timeline.source": _I,
    "action_items.priority": _I,
    "action_items.tracker_id": _I,
    # document control: the revision a reader holds is public, who changed what is not
    "revision": _P,
    "revision_history": _I,
}
"""The default visibility by field path (index-free: ``timeline.details`` is every event's
details). A field under none of these paths is internal. A new model field gets its default
here, or through its kind (`FIELD_KINDS`)."""

KIND_VISIBILITY: dict[str, Visibility] = {"person": _I, "link": _I}
"""Kinds of value that keep their visibility even inside an item marked more open: a public
timeline event still does not show its evidence link, a public action item not its owner. Only
the review's ``visibility`` mapping opens them."""

FIELD_KINDS: dict[str, str] = {
    "link": "link",
    "url": "link",
    "incident_ticket": "link",
    "monitoring_dashboard": "link",
    "action_item_tracker": "link",
    "related_incidents": "link",
    "links": "link",
    "evidence": "link",
}
"""The kind of a field by its name; a `Person` (or a tuple of them) is of kind ``person``."""

_OPENNESS = {_I: 0, _C: 1, _P: 2}
_NAMES: dict[Visibility, Audience] = {_I: "internal", _C: "customer", _P: "public"}
_LEAF_TYPES = (Instant, Quantity, Duration, m.Person)

Token: TypeAlias = "str | int"


class AudienceError(PirdocError, ValueError):
    """A review cannot be given to an audience: an unknown audience, a ``visibility`` path that
    names no field, or a customer or public version of a review that is not Reviewed or Final."""


# ---------------------------------------------------------------------------- paths


_SEGMENT = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)((?:\[\d+\])*)")


def _tokens(path: str) -> tuple[Token, ...] | None:
    """``timeline[3].details`` as ``("timeline", 3, "details")``; None when it is not a path."""
    tokens: list[Token] = []
    for part in path.split("."):
        match = _SEGMENT.fullmatch(part)
        if match is None:
            return None
        tokens.append(match.group(1))
        tokens.extend(int(index) for index in re.findall(r"\[(\d+)\]", match.group(2)))
    return tuple(tokens)


def _text(tokens: tuple[Token, ...]) -> str:
    out = ""
    for token in tokens:
        out += f"[{token}]" if isinstance(token, int) else (f".{token}" if out else token)
    return out


def _unwrap(kind: Any) -> Any:
    """The class inside ``X | None``."""
    args = [arg for arg in get_args(kind) if arg is not type(None)]
    if get_origin(kind) in (typing.Union, types.UnionType) and len(args) == 1:
        return args[0]
    return kind


def _names_a_field(tokens: tuple[Token, ...]) -> bool:
    """True if ``tokens`` follow the model's fields from `Review` (indices only after lists)."""
    kind: Any = m.Review
    for token in tokens:
        kind = _unwrap(kind)
        if isinstance(token, int):
            if get_origin(kind) is not tuple:
                return False
            kind = get_args(kind)[0]
            continue
        if get_origin(kind) is tuple:  # an index-free path goes through every item
            kind = _unwrap(get_args(kind)[0])
        if not (isinstance(kind, type) and attrs.has(kind)):
            return False
        hints = type_hints(kind)
        if token not in hints or token not in attrs.fields_dict(kind):
            return False
        kind = hints[token]
    return True


def unknown_paths(review: m.Review) -> list[str]:
    """The paths of ``review.visibility`` that name no field of a review."""
    return [path for path in review.visibility if (t := _tokens(path)) is None or not _names_a_field(t)]


def _matches(pattern: tuple[Token, ...], path: tuple[Token, ...]) -> bool:
    """True if ``pattern`` is a prefix of ``path``, indices in ``path`` that the pattern leaves
    out matching every item."""
    at = 0
    for token in pattern:
        if isinstance(token, str):
            while at < len(path) and isinstance(path[at], int):
                at += 1
        if at >= len(path) or path[at] != token:
            return False
        at += 1
    return True


def _specificity(pattern: tuple[Token, ...]) -> tuple[int, int]:
    names = sum(isinstance(token, str) for token in pattern)
    return names, len(pattern) - names


class _Table:
    """Paths to levels, the most specific matching path first."""

    def __init__(self, table: Mapping[str, Visibility]) -> None:
        entries = []
        for path, level in table.items():
            tokens = _tokens(path)
            if tokens is not None:
                entries.append((tokens, path, level))
        self.entries = sorted(entries, key=lambda entry: _specificity(entry[0]), reverse=True)

    def find(self, path: tuple[Token, ...]) -> tuple[str, Visibility] | None:
        for tokens, written, level in self.entries:
            if _matches(tokens, path):
                return written, level
        return None


_DEFAULTS = _Table(DEFAULT_VISIBILITY)


# ---------------------------------------------------------------------------- deciding


@value_methods
@attrs.frozen(repr=False, eq=False)
class _Decision:
    level: Visibility
    reason: str


class _Resolver:
    def __init__(self, review: m.Review) -> None:
        bad = unknown_paths(review)
        if bad:
            raise AudienceError(
                "\n".join(f"visibility.{path}: names no field of a review (see docs/audiences.md)" for path in bad)
            )
        self.own = _Table(review.visibility)

    def decide(self, path: tuple[Token, ...], kind: str | None, item: Visibility | None) -> _Decision:
        found = self.own.find(path)
        if found is not None:
            return _Decision(found[1], f"the review's visibility[{found[0]!r}] is {found[1].value}")
        if kind is not None and kind in KIND_VISIBILITY:
            level = KIND_VISIBILITY[kind]
            return _Decision(level, f"a {kind} is {level.value}")
        if item is not None:
            return _Decision(item, f"its item is marked {item.value}")
        found = _DEFAULTS.find(path)
        if found is not None:
            return _Decision(found[1], f"default for {found[0]} is {found[1].value}")
        return _Decision(_I, "not classified, so internal")


def _kind_of(name: str, value_type: Any) -> str | None:
    kind = _unwrap(value_type)
    if get_origin(kind) is tuple:
        kind = _unwrap(get_args(kind)[0])
    if kind is m.Person:
        return "person"
    return FIELD_KINDS.get(name)


def _admits(level: Visibility, audience: Visibility) -> bool:
    return _OPENNESS[level] >= _OPENNESS[audience]


def visibility_of(review: m.Review, path: str) -> Visibility:
    """The visibility of the value at ``path`` of ``review`` (``timeline[2].details``), by the
    rules of this module."""
    tokens = _tokens(path)
    if tokens is None or not _names_a_field(tokens):
        raise AudienceError(f"{path!r} names no field of a review")
    resolver = _Resolver(review)
    value: Any = review
    item: Visibility | None = None
    kind: str | None = None
    levels: list[Visibility] = []
    for position, token in enumerate(tokens):
        if isinstance(token, int):
            value = value[token] if isinstance(value, tuple) and token < len(value) else None
        elif value is not None and attrs.has(type(value)) and not isinstance(value, _LEAF_TYPES):
            kind = kind or _kind_of(token, type_hints(type(value))[token])
            value = getattr(value, token)
        else:
            value = None
        own = getattr(value, "visibility", None)
        if isinstance(own, Visibility):
            item = own
        if isinstance(token, int):  # a value shows only if the items around it do
            levels += _item_levels(resolver, tokens[: position + 1], value, kind, item)
    levels.append(resolver.decide(tokens, kind, item).level)
    return min(levels, key=_OPENNESS.__getitem__)


def _item_levels(
    resolver: _Resolver, path: tuple[Token, ...], value: Any, kind: str | None, item: Visibility | None
) -> list[Visibility]:
    """The levels an item at ``path`` needs: its own, and those of the fields it cannot be without."""
    levels = [resolver.decide(path, kind, item).level]
    if value is not None and attrs.has(type(value)) and not isinstance(value, _LEAF_TYPES):
        hints = type_hints(type(value))
        for field in attrs.fields(type(value)):
            if field.default is attrs.NOTHING:
                decided = resolver.decide((*path, field.name), _kind_of(field.name, hints[field.name]), item)
                levels.append(decided.level)
    return levels


# ---------------------------------------------------------------------------- the report


@value_methods
@attrs.frozen(kw_only=True, repr=False, eq=False)
class RedactionEntry:
    """One value the audience's version does not show as written."""

    path: str
    """Where it was (``timeline[3].details``)."""
    action: Literal["removed", "replaced", "added"]
    reason: str
    """Why (``default for timeline.details is internal``)."""
    value: str
    """What was written, as text."""
    replacement: str | None = None
    """What the audience reads instead (replaced and added values)."""

    def line(self) -> str:
        """The entry as one line of text."""
        shown = self.value if len(self.value) <= 60 else self.value[:57] + "..."
        instead = self.replacement
        if instead is not None and len(instead) > 60:
            instead = instead[:57] + "..."
        tail = f" -> {instead!r}" if instead is not None else ""
        return f"{self.action}: {self.path}: {shown!r}{tail} ({self.reason})"


@value_methods
@attrs.frozen(kw_only=True, repr=False, eq=False)
class RedactionReport:
    """What `redact` removed, replaced and added for one audience, in review order."""

    audience: Audience
    entries: tuple[RedactionEntry, ...] = ()

    def lines(self) -> list[str]:
        """One line per entry (see `RedactionEntry.line`)."""
        return [entry.line() for entry in self.entries]

    def as_text(self) -> str:
        """A heading line and the entries, for people."""
        head = f"{self.audience} version: {len(self.entries)} value(s) removed, replaced or added"
        return "\n".join([head, *(f"  {line}" for line in self.lines())]) + "\n"

    def as_dict(self) -> dict[str, Any]:
        """The report as plain data (for JSON)."""
        return {
            "audience": self.audience,
            "entries": [
                {k: v for k, v in attrs.asdict(entry).items() if v is not None} for entry in self.entries
            ],
        }


# ---------------------------------------------------------------------------- redacting


def _as_text(value: Any) -> str:
    if isinstance(value, m.Person):
        return value.name
    if isinstance(value, Instant | Quantity | Duration):
        return str(getattr(value, "text", None) or value)
    if isinstance(value, dt.date | dt.datetime | dt.timedelta):
        return str(value)
    if isinstance(value, Visibility | m.Status | m.Severity) or hasattr(value, "value"):
        return str(getattr(value, "value", value))
    return str(value)


class _DroppedError(Exception):
    """An item lost a field it cannot be without; the item goes as a whole."""

    def __init__(self, reason: str) -> None:
        self.reason = reason


_REQUIRED_WITHHELD = "(withheld)"
_KEYS = frozenset({"section"})
"""Text fields that are keys (where a note sits), not writing: never renamed."""


class _Redactor:
    def __init__(self, review: m.Review, audience: Visibility, renamer: _Renamer | None = None) -> None:
        self.resolver = _Resolver(review)
        self.audience = audience
        self.renamer = renamer
        self.entries: list[RedactionEntry] = []

    def kept(self, value: Any, path: tuple[Token, ...]) -> Any:
        """A value the audience may read, with the names of people it may not read replaced."""
        if self.renamer is None or not isinstance(value, str) or path[-1] in _KEYS:
            return value
        renamed = self.renamer.text(value)
        if renamed != value:
            self.note(path, "replaced", "names a person; the role stands for the name", value, renamed)
        return renamed

    def instance(self, value: Any, path: tuple[Token, ...], item: Visibility | None) -> Any:
        own = getattr(value, "visibility", None)
        if isinstance(own, Visibility):
            item = own
        changes: dict[str, Any] = {}
        hints = type_hints(type(value))
        for field in attrs.fields(type(value)):
            if field.name == "visibility":
                continue
            current = getattr(value, field.name)
            here = (*path, field.name)
            kind = _kind_of(field.name, hints[field.name])
            if isinstance(current, tuple):
                kept = self.items(current, here, kind, item)
                if kept != current:
                    changes[field.name] = kept
            elif attrs.has(type(current)) and not isinstance(current, _LEAF_TYPES):
                changes[field.name] = self.instance(current, here, item)
            else:
                decision = self.resolver.decide(here, kind, item)
                if current is None:
                    continue
                if _admits(decision.level, self.audience):
                    renamed = self.kept(current, here)
                    if renamed is not current:
                        changes[field.name] = renamed
                    continue
                if field.default is attrs.NOTHING:
                    if path:
                        raise _DroppedError(f"{field.name}: {decision.reason}")
                    changes[field.name] = _REQUIRED_WITHHELD
                    self.note(here, "replaced", decision.reason, current, _REQUIRED_WITHHELD)
                    continue
                default: Any = field.default
                empty = default.factory() if hasattr(default, "factory") else default
                if current != empty:
                    changes[field.name] = empty
                    self.note(here, "removed", decision.reason, current)
        return attrs.evolve(value, **changes) if changes else value

    def items(
        self, values: tuple[Any, ...], path: tuple[Token, ...], kind: str | None, item: Visibility | None
    ) -> tuple[Any, ...]:
        kept = []
        for index, value in enumerate(values):
            here = (*path, index)
            own = getattr(value, "visibility", None)
            decision = self.resolver.decide(here, kind, own if isinstance(own, Visibility) else item)
            if not _admits(decision.level, self.audience):
                self.note(here, "removed", decision.reason, value)
                continue
            if attrs.has(type(value)) and not isinstance(value, _LEAF_TYPES):
                mark = len(self.entries)
                try:
                    kept.append(self.instance(value, here, item))
                except _DroppedError as dropped:
                    del self.entries[mark:]
                    self.note(here, "removed", dropped.reason, value)
                continue
            kept.append(self.kept(value, here))
        return tuple(kept)

    def note(
        self, path: tuple[Token, ...], action: Literal["removed", "replaced", "added"], reason: str,
        value: Any, replacement: str | None = None,
    ) -> None:
        self.entries.append(
            RedactionEntry(
                path=_text(path), action=action, reason=reason, value=_summary(value), replacement=replacement
            )
        )


def _summary(value: Any) -> str:
    if attrs.has(type(value)) and not isinstance(value, _LEAF_TYPES):
        for name in ("title", "action", "message", "label", "body", "text", "question", "name", "role"):
            text = getattr(value, name, None)
            if isinstance(text, str):
                return text
        return type(value).__name__
    return _as_text(value)


# ---------------------------------------------------------------------------- names to roles


_FIXED_ROLES = (("incident_commander", "the incident commander"), ("technical_lead", "the technical lead"),
                ("owner", "the review owner"))  # fmt: skip


def _people(value: Any, path: tuple[Token, ...] = ()) -> Iterator[tuple[tuple[Token, ...], m.Person]]:
    if isinstance(value, m.Person):
        yield path, value
    elif isinstance(value, tuple):
        for index, item in enumerate(value):
            yield from _people(item, (*path, index))
    elif attrs.has(type(value)) and not isinstance(value, Instant | Quantity | Duration):
        for field in attrs.fields(type(value)):
            yield from _people(getattr(value, field.name), (*path, field.name))


def _pseudonyms(original: m.Review, redacted: m.Review) -> dict[str, tuple[str, m.Person]]:
    """Name → (the role that stands for it, the person), for each person the audience's version
    no longer names."""
    kept = {person.name.casefold() for _, person in _people(redacted)}
    phrases: dict[str, tuple[str, m.Person]] = {}
    for field, phrase in _FIXED_ROLES:
        person = getattr(original, field)
        if isinstance(person, m.Person) and person.name.casefold() not in kept:
            phrases.setdefault(person.name.casefold(), (phrase, person))
    number = 0
    for _, person in _people(original):
        key = person.name.casefold()
        if key in kept or key in phrases:
            continue
        number += 1
        phrases[key] = (f"responder {number}", person)
    return phrases


class _Renamer:
    def __init__(self, phrases: dict[str, tuple[str, m.Person]]) -> None:
        rules: list[tuple[re.Pattern[str], str]] = []
        parts: list[tuple[re.Pattern[str], str]] = []
        for phrase, person in phrases.values():
            rules.append((re.compile(rf"(?<!\w){re.escape(person.name)}(?!\w)", re.IGNORECASE), phrase))
            if person.email:
                rules.append((re.compile(re.escape(person.email), re.IGNORECASE), phrase))
            words = person.name.split()
            first = words[0] if len(words) > 1 else ""
            # a first name alone ("Priya rolled back"); other single words of a name are too
            # often ordinary words
            if len(first) >= 3 and first[0].isupper() and first.isalpha():
                parts.append((re.compile(rf"(?<!\w){re.escape(first)}(?!\w)"), phrase))
        # whole names and addresses before the single words of a name, the longest first
        self.rules = sorted(rules, key=lambda rule: -len(rule[0].pattern)) + sorted(
            parts, key=lambda rule: -len(rule[0].pattern)
        )

    def text(self, text: str) -> str:
        for pattern, phrase in self.rules:
            text = pattern.sub(phrase, text)
        return text


# ---------------------------------------------------------------------------- commitments


_COMMITMENTS_TITLE = "What we are doing"


def _commitments(review: m.Review) -> str | None:
    lines = []
    for item in review.action_items:
        action = " ".join(item.action.split())
        if item.status is m.ActionStatus.DONE:
            lines.append(f"- Done: {action}")
        elif item.due is not None:
            lines.append(f"- {action} (by {item.due.day} {item.due:%B %Y})")
        else:
            lines.append(f"- {action}")
    return "\n".join(lines) if lines else None


# ---------------------------------------------------------------------------- the entry point


def _audience(audience: str) -> Visibility:
    try:
        return Visibility(audience)
    except ValueError:
        raise AudienceError(f"unknown audience {audience!r}; choose one of {', '.join(AUDIENCES)}") from None


def may_publish(review: m.Review) -> bool:
    """True if ``review`` may go to customers or the public: its status is Reviewed or Final."""
    return review.status in (m.Status.REVIEWED, m.Status.FINAL)


def redact(review: m.Review, audience: Audience | str) -> tuple[m.Review, RedactionReport]:
    """The version of ``review`` that ``audience`` may read, and the report of every value it
    removed, replaced or added.

    For ``internal`` the review comes back as it is. For ``customer`` and ``public``: values less
    open than the audience are removed (an item that loses a field it needs goes as a whole),
    the names of people no longer named are replaced in every kept text by their role (``the
    incident commander``, ``responder 2``), the classification says the audience, and the action
    items that remain are stated as commitments (a note "What we are doing" in the summary).
    Raises `AudienceError` for an unknown audience or a ``visibility`` path that names no field.
    """
    if not isinstance(review, m.Review):
        raise TypeError(f"expected a Review, got {type(review).__name__}")
    level = _audience(audience)
    name = _NAMES[level]
    if level is _I:  # the whole record; `check` reports paths that name no field
        return review, RedactionReport(audience=name)
    # Two passes: the first finds who is no longer named, the second replaces their names in
    # every kept text (and reports each value at its path in the review as written).
    unnamed = _pseudonyms(review, _Redactor(review, level).instance(review, (), None))
    redactor = _Redactor(review, level, _Renamer(unnamed))
    redacted: m.Review = redactor.instance(review, (), None)
    label = "Public" if level is _P else "Customer"
    if redacted.classification != label:
        reason = f"the {name} version's handling label"
        redactor.note(("classification",), "replaced", reason, review.classification, label)
    statement = _commitments(redacted)
    notes = redacted.notes
    if statement is not None:
        stated = m.Note(section="executive_summary", title=_COMMITMENTS_TITLE, body=statement, visibility=level)
        notes = (stated, *notes)
        redactor.note(("notes", 0), "added", "the action items stated as commitments", "", statement)
    redacted = attrs.evolve(redacted, classification=label, notes=notes, visibility={})
    return redacted, RedactionReport(audience=name, entries=tuple(redactor.entries))
