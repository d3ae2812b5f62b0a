"""A Netflix Dispatch incident export (its public ``IncidentRead`` data model, as JSON) → Review.

`from_dispatch` maps what the review has a field for (docs/platforms.md lists the mapping) and
reports everything else: each value it could not place is kept, as a ``path: value`` line, in a
note at the end of the Attachments section, and listed in `DispatchImport.unplaced`. Nothing in
the export is dropped silently. Uses only pirdoc's public API.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Iterator, Mapping
from typing import Any

import attrs

import pirdoc

__all__ = ["DispatchImport", "from_dispatch", "read_dispatch"]

NOTE_TITLE = "Not placed from the Dispatch export"
"""The title of the note that keeps what the review has no field for."""

# Dispatch's default severities and the common SEV-n spellings; any other is reported.
_SEVERITIES = {
    "critical": "SEV-1", "sev1": "SEV-1", "sev-1": "SEV-1", "sev 1": "SEV-1",
    "high": "SEV-2", "sev2": "SEV-2", "sev-2": "SEV-2", "sev 2": "SEV-2",
    "medium": "SEV-3", "sev3": "SEV-3", "sev-3": "SEV-3", "sev 3": "SEV-3",
    "low": "SEV-4", "sev4": "SEV-4", "sev-4": "SEV-4", "sev 4": "SEV-4",
}  # fmt: skip
_TASK_STATUSES = {"open": "Open", "resolved": "Done"}
_TAG_KINDS = {"service", "team", "region", "customer"}
_ROLES = {"commander": "Incident Commander", "reporter": "Reporter", "liaison": "Liaison", "scribe": "Scribe"}
# Top-level keys that are mapped (or are Dispatch's own bookkeeping, equal to what is mapped).
_PLACED = {
    "id", "name", "title", "description", "resolution", "incident_priority", "incident_severity",
    "incident_type", "reported_at", "stable_at", "closed_at", "commander", "reporter", "liaison",
    "scribe", "participants", "tags", "incident_costs", "total_cost", "duplicates", "events", "tasks",
    "ticket", "documents",
}  # fmt: skip
_EVENT_KEYS = frozenset(
    {"uuid", "type", "started_at", "ended_at", "description", "owner", "details", "pinned", "source"}
)
_TASK_KEYS = frozenset({"id", "description", "status", "owner", "assignees", "resolve_by", "priority", "weblink"})
_MARKUP = re.compile(r"([\\`*_\[\]<>|~!&#])")
_LINE_START = re.compile(r"^(\s*)([-+>=]|\d+[.)])", re.MULTILINE)


@attrs.frozen(kw_only=True)
class DispatchImport:
    """What `from_dispatch` read: the review, and each value it could not place."""

    review: pirdoc.Review
    unplaced: tuple[str, ...] = ()
    """``path: value`` lines (``conference.weblink: https://…``), in the order of the export; the
    same lines are kept in the review, in a note at the end of Attachments."""


def read_dispatch(path: str | os.PathLike[str]) -> DispatchImport:
    """`from_dispatch` of a JSON file; `pirdoc.ReviewLoadError` when it is not JSON."""
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except (ValueError, UnicodeDecodeError) as exc:
        raise pirdoc.ReviewLoadError([f"not a Dispatch JSON export: {exc}"], os.fspath(path)) from exc
    return from_dispatch(data)


def from_dispatch(data: Mapping[str, Any]) -> DispatchImport:
    """A Dispatch incident (``IncidentRead`` as JSON) as a Review, with what could not be placed.

    Raises `pirdoc.ReviewLoadError` naming the field when a value cannot be read (a time that is
    not a time) or when ``data`` is not an incident (no title)."""
    if not isinstance(data, Mapping) or not _text(data.get("title")):
        raise pirdoc.ReviewLoadError(["top level: not a Dispatch incident (it has no title)"])
    mapper = _Mapper(data)
    review = pirdoc.from_dict(mapper.review())
    return DispatchImport(review=review, unplaced=tuple(mapper.unplaced))


def _text(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _name(value: Any) -> str | None:
    """The ``name`` of a nested Dispatch object (priority, type, tag type)."""
    return _text(value.get("name")) if isinstance(value, Mapping) else None


def _markdown(text: str) -> str:
    """Text from the export as Markdown that shows exactly that text: it never becomes markup."""
    return _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), _MARKUP.sub(r"\\\1", text))


def _time(value: Any) -> str | None:
    """A Dispatch time as the review file writes it: Dispatch stores UTC and may leave the zone
    off, so a date-time without one is UTC; a date stays a date."""
    text = _text(value)
    if text is None:
        return None
    if "T" in text and not re.search(r"(Z|[+-]\d{2}:?\d{2})$", text):
        return text + "Z"
    return text


def _point(value: str | None) -> dt.datetime | None:
    """A time as a UTC date-time for ordering (a date is its midnight)."""
    if value is None:
        return None
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _person(value: Any) -> dict[str, str] | None:
    """A Dispatch participant or individual as a pirdoc person."""
    if not isinstance(value, Mapping):
        return None
    individual = value.get("individual", value)
    if not isinstance(individual, Mapping) or not _text(individual.get("name")):
        return None
    person = {"name": str(_text(individual.get("name")))}
    email = _text(individual.get("email"))
    if email:
        person["email"] = email
    return person


class _Mapper:
    """One export being mapped; collects what it could not place."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.data = data
        self.unplaced: list[str] = []

    def leave(self, path: str, value: Any) -> None:
        if value in (None, "", [], {}):
            return
        shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True)
        self.unplaced.append(f"{path}: {shown}")

    def rest(self, path: str, value: Mapping[str, Any], placed: frozenset[str]) -> None:
        for key, item in value.items():
            if key not in placed:
                self.leave(f"{path}.{key}", item)

    def review(self) -> dict[str, Any]:
        data = self.data
        reported, stable = _time(data.get("reported_at")), _time(data.get("stable_at"))
        review: dict[str, Any] = {
            "incident_id": _text(data.get("name")) or str(data.get("id") or "dispatch-incident"),
            "title": _text(data.get("title")),
            "priority": _name(data.get("incident_priority")),
            "incident_type": _name(data.get("incident_type")),
            "started_at": reported,
            "ended_at": stable,
            "reported_at": reported,
            "stable_at": stable,
            "closed_at": _time(data.get("closed_at")),
            "summary": {
                "one_line": _markdown(d) if (d := _text(data.get("description"))) else None,
                "resolution": _markdown(r) if (r := _text(data.get("resolution"))) else None,
            },
            "incident_commander": _person(data.get("commander")),
            "participants": list(self.participants()),
            "tags": list(self.tags()),
            "costs": list(self.costs()),
            "related_incidents": list(self.duplicates()),
            "timeline": list(self.events(_point(reported), _point(stable))),
            "action_items": list(self.tasks()),
            "attachments": {"links": self.links()},
        }
        for key in ("incident_priority", "incident_severity", "incident_type"):
            if isinstance(data.get(key), Mapping):
                self.rest(key, data[key], frozenset({"name"}))
        severity = _name(data.get("incident_severity"))
        if severity is not None:
            review["severity"] = _SEVERITIES.get(severity.casefold())
            if review["severity"] is None:
                self.leave("incident_severity.name", severity)
        if data.get("id") is not None and _text(data.get("name")):
            self.leave("id", data.get("id"))
        for key, value in data.items():
            if key not in _PLACED:
                self.leave(key, value)
        self.total_cost(review["costs"])
        if self.unplaced:
            body = "\n".join(f"- {_markdown(line)}" for line in self.unplaced)
            review["notes"] = [{"section": "attachments", "title": NOTE_TITLE, "body": body}]
        return {key: value for key, value in review.items() if value not in (None, [], {})}

    def participants(self) -> Iterator[dict[str, Any]]:
        seen: set[tuple[str, str]] = set()
        for index, participant in enumerate(self.data.get("participants") or []):
            person = _person(participant)
            if person is None:
                self.leave(f"participants[{index}]", participant)
                continue
            for role in participant.get("participant_roles") or []:
                name = _text(role.get("role")) or "Participant"
                seen.add((person["name"], name))
                yield {
                    "person": person,
                    "role": name,
                    "since": _time(role.get("assumed_at")),
                    "until": _time(role.get("renounced_at")),
                }
            for key in ("team", "location"):
                self.leave(f"participants[{index}].{key}", participant.get(key))
        # The incident's own role fields name people the participant list may leave out.
        for key, role in _ROLES.items():
            person = _person(self.data.get(key))
            if person is not None and (person["name"], role) not in seen:
                yield {"person": person, "role": role}

    def tags(self) -> Iterator[dict[str, Any]]:
        for index, tag in enumerate(self.data.get("tags") or []):
            value = _text(tag.get("name")) if isinstance(tag, Mapping) else None
            if value is None:
                self.leave(f"tags[{index}]", tag)
                continue
            kind = (_name(tag.get("tag_type")) or "").casefold()
            if kind not in _TAG_KINDS:
                # A tag type pirdoc has no kind for keeps its name in the value.
                value = f"{_name(tag.get('tag_type'))}: {value}" if kind else value
                kind = "custom"
            yield {"kind": kind, "value": value, "source": _text(tag.get("source"))}

    def costs(self) -> Iterator[dict[str, Any]]:
        for index, cost in enumerate(self.data.get("incident_costs") or []):
            amount = cost.get("amount") if isinstance(cost, Mapping) else None
            if not isinstance(amount, int | float) or isinstance(amount, bool):
                self.leave(f"incident_costs[{index}]", cost)
                continue
            kind = cost.get("incident_cost_type") or {}
            # Dispatch keeps amounts in US dollars (its cost model has no currency).
            yield {"amount": amount, "currency": "USD", "kind": _name(kind)}
            self.leave(f"incident_costs[{index}].incident_cost_type.category", kind.get("category"))

    def total_cost(self, costs: list[dict[str, Any]]) -> None:
        total = self.data.get("total_cost")
        if isinstance(total, int | float) and abs(total - sum(c["amount"] for c in costs)) > 0.005:
            self.leave("total_cost", total)  # it disagrees with the items: keep it for a reader

    def duplicates(self) -> Iterator[dict[str, Any]]:
        for index, incident in enumerate(self.data.get("duplicates") or []):
            name = _text(incident.get("name")) if isinstance(incident, Mapping) else None
            if name is None:
                self.leave(f"duplicates[{index}]", incident)
                continue
            yield {"id": name, "title": _text(incident.get("title")), "duplicate": True}

    def events(self, reported: dt.datetime | None, stable: dt.datetime | None) -> Iterator[dict[str, Any]]:
        for index, event in enumerate(self.data.get("events") or []):
            description = _text(event.get("description")) if isinstance(event, Mapping) else None
            if description is None:
                self.leave(f"events[{index}]", event)
                continue
            start, end = _time(event.get("started_at")), _time(event.get("ended_at"))
            at = _point(start)
            if at is not None and reported is not None and at < reported:
                phase = "detection"
            elif at is not None and stable is not None and at >= stable:
                phase = "resolution"
            else:
                phase = "response"
            lines = []
            owner = _text(event.get("owner"))
            if owner:
                lines.append(f"- Owner: {_markdown(owner)}")
            details = event.get("details")
            if isinstance(details, Mapping):
                lines.extend(f"- {_markdown(str(k))}: {_markdown(str(v))}" for k, v in details.items())
            elif details:
                self.leave(f"events[{index}].details", details)
            self.leave(f"events[{index}].uuid", event.get("uuid"))
            if event.get("type") != "Other":  # Dispatch's default type says nothing
                self.leave(f"events[{index}].type", event.get("type"))
            self.rest(f"events[{index}]", event, _EVENT_KEYS)
            yield {
                "at": start,
                "ended_at": end if end != start else None,
                "title": _markdown(description),
                "phase": phase,
                "source": _text(event.get("source")),
                "key": bool(event.get("pinned")),
                "details": "\n".join(lines) or None,
            }

    def tasks(self) -> Iterator[dict[str, Any]]:
        for index, task in enumerate(self.data.get("tasks") or []):
            description = _text(task.get("description")) if isinstance(task, Mapping) else None
            if description is None:
                self.leave(f"tasks[{index}]", task)
                continue
            owner = _person(task.get("owner"))
            assignees = [p for p in map(_person, task.get("assignees") or []) if p is not None and p != owner]
            status = _TASK_STATUSES.get((_text(task.get("status")) or "open").casefold())
            if status is None:
                self.leave(f"tasks[{index}].status", task.get("status"))
            due = _point(_time(task.get("resolve_by")))
            self.rest(f"tasks[{index}]", task, _TASK_KEYS)
            item: dict[str, Any] = {
                "id": f"TASK-{task['id']}" if task.get("id") is not None else f"TASK-{index + 1}",
                "action": _markdown(description),
                "owner": owner,
                "assignees": assignees,
                "due": due.date().isoformat() if due is not None else None,
                "status": status or "Open",
                "priority": _text(task.get("priority")),
                "link": _text(task.get("weblink")),
            }
            yield {key: value for key, value in item.items() if value not in (None, [])}

    def links(self) -> dict[str, Any]:
        ticket = self.data.get("ticket")
        links: dict[str, Any] = {
            "incident_ticket": _text(ticket.get("weblink")) if isinstance(ticket, Mapping) else None,
            "related_incidents": [],
            "other": [],
        }
        for index, document in enumerate(self.data.get("documents") or []):
            url = _text(document.get("weblink")) if isinstance(document, Mapping) else None
            if url is None:
                self.leave(f"documents[{index}]", document)
                continue
            links["other"].append({"label": _text(document.get("name")) or "Document", "url": url})
            self.rest(f"documents[{index}]", document, frozenset({"name", "weblink"}))
        return {key: value for key, value in links.items() if value not in (None, [])}
