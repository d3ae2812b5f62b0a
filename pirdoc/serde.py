"""Loading and dumping reviews: YAML, JSON and TOML through one private cattrs converter.

The wire format is plain data: keys are the attrs field names, enums are written by value,
date-times as ISO 8601 with an offset (or ``2026-03-14 13:45 UTC``, as the template writes
them), dates as ``2026-03-14``, durations as ``1h 5m`` (``65 min``, ``90s``, ``PT1H5M`` are read
too), a person as a plain name or a mapping. Every structural error is reported at once, each
with the path of the value (``timeline[3].at: not a date-time: 'noon'``), as a
`ReviewLoadError`.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import sys
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal, TypeAlias

import tomli_w
from cattrs.errors import ClassValidationError, IterableValidationError

from pirdoc._attrs_fields import join_path
from pirdoc._collect import with_fewer_collections
from pirdoc._files import read_input, write_bytes
from pirdoc._plain import format_datetime, format_duration, plain_data
from pirdoc._wire import CONVERTER as _CONVERTER
from pirdoc._wire import InputValueError, parse_datetime, parse_duration
from pirdoc._wire import describe as _describe
from pirdoc._wire import line as _line
from pirdoc._wire import messages as _messages
from pirdoc.errors import ReviewLoadError
from pirdoc.limits import INPUT_SUFFIXES, MARKDOWN_SUFFIXES, MAX_INPUT_BYTES, REVIEW_SUFFIXES, check_data, check_review
from pirdoc.model import Review

__all__ = [
    "FORMATS",
    "INPUT_SUFFIXES",
    "MARKDOWN_SUFFIXES",
    "MAX_INPUT_BYTES",
    "Format",
    "dump",
    "dumps",
    "format_datetime",
    "from_dict",
    "format_duration",
    "format_for_path",
    "load",
    "loads",
    "parse_datetime",
    "parse_duration",
    "to_dict",
]

Format: TypeAlias = Literal["yaml", "json", "toml"]
FORMATS: tuple[Format, ...] = ("yaml", "json", "toml")
_SUFFIXES: dict[str, Format] = {".yaml": "yaml", ".yml": "yaml", ".json": "json", ".toml": "toml"}
assert tuple(_SUFFIXES) == REVIEW_SUFFIXES


# ---------------------------------------------------------------------------- parsing


def _parse(text: str, fmt: Format) -> Any:
    if fmt == "yaml":
        from pirdoc import _yaml

        try:
            return _yaml.parse(text)
        except ReviewLoadError:
            raise
        except ValueError as exc:
            raise ReviewLoadError([_number_too_long(text, "YAML", exc)]) from exc
    if fmt == "json":
        try:
            data = json.loads(text, object_pairs_hook=_JsonObject)
        except json.JSONDecodeError as exc:
            raise ReviewLoadError([f"line {exc.lineno}, column {exc.colno}: JSON syntax error: {exc.msg}"]) from exc
        except RecursionError as exc:
            raise ReviewLoadError(["JSON input is nested too deeply"]) from exc
        except ValueError as exc:
            raise ReviewLoadError([_number_too_long(text, "JSON", exc)]) from exc
        duplicates = _json_duplicates(data)
        if duplicates:
            raise ReviewLoadError(duplicates)
        return data
    if fmt == "toml":
        try:
            return tomllib.loads(text)
        except RecursionError as exc:
            raise ReviewLoadError(["TOML input is nested too deeply"]) from exc
        except tomllib.TOMLDecodeError as exc:
            # tomllib puts "(at line L, column C)" at the end of its message.
            message = str(exc)
            located = re.match(r"^(.*) \(at line (\d+), column (\d+)\)$", message)
            at_end = re.match(r"^(.*) \(at end of document\)$", message)
            if located:
                message = f"line {located[2]}, column {located[3]}: TOML syntax error: {located[1]}"
            elif at_end:
                message = f"end of input: TOML syntax error: {at_end[1]}"
            else:
                message = f"TOML syntax error: {message}"
            raise ReviewLoadError([message]) from exc
        except ValueError as exc:
            raise ReviewLoadError([_number_too_long(text, "TOML", exc)]) from exc


_LONG_NUMBER = re.compile(rf"\d{{{sys.get_int_max_str_digits() + 1},}}") if sys.get_int_max_str_digits() else None


def _number_too_long(text: str, syntax: str, exc: ValueError) -> str:
    """The message for the one `ValueError` a parser raises for well-formed input: an integer
    with more digits than Python converts (4,300 unless configured otherwise)."""
    found = _LONG_NUMBER.search(text) if _LONG_NUMBER is not None else None
    if found is None:
        return f"{syntax} input cannot be read: {exc}"
    line = text.count("\n", 0, found.start()) + 1
    column = found.start() - (text.rfind("\n", 0, found.start()) + 1) + 1
    return (f"line {line}, column {column}: a number with {len(found[0]):,} digits; "
            f"the limit is {sys.get_int_max_str_digits():,}")


class _JsonObject(dict[str, Any]):
    """A JSON object that remembers the keys it held more than once (JSON's last-one-wins would
    silently drop the earlier values; YAML input refuses duplicates too)."""

    def __init__(self, pairs: list[tuple[str, Any]]) -> None:
        super().__init__(pairs)
        self.duplicates: list[str] = []
        if len(self) < len(pairs):
            counts: dict[str, int] = {}
            for key, _ in pairs:
                counts[key] = counts.get(key, 0) + 1
            self.duplicates = [key for key, count in counts.items() if count > 1]


def _json_duplicates(data: Any) -> list[str]:
    """``path: duplicate key`` for every key given twice in one JSON object, walked iteratively."""
    found: list[str] = []
    stack: list[tuple[str, Any]] = [("", data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, _JsonObject):
            found.extend(_line(join_path(path, key), "duplicate key; the object gives it more than once")
                         for key in value.duplicates)
            stack.extend((join_path(path, key), item) for key, item in reversed(value.items()))
        elif isinstance(value, list):
            stack.extend((join_path(path, index), item) for index, item in reversed(list(enumerate(value))))
    return found


def _check_format(fmt: str) -> Format:
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    return fmt


def format_for_path(path: str | os.PathLike[str]) -> Format:
    """The format a file name's suffix stands for (.yaml/.yml, .json, .toml)."""
    suffix = Path(path).suffix.lower()
    if suffix not in _SUFFIXES:
        raise ValueError(
            f"cannot tell the format of {os.fspath(path)!r} from its suffix; use one of {', '.join(_SUFFIXES)}"
        )
    return _SUFFIXES[suffix]


@with_fewer_collections
def loads(text: str | bytes, format: Format = "yaml") -> Review:
    """Read a review from YAML, JSON or TOML text.

    Raises `ReviewLoadError` listing every problem, each as ``path: message``.
    """
    fmt = _check_format(format)
    if isinstance(text, bytes):
        if len(text) > MAX_INPUT_BYTES:
            raise ReviewLoadError([_too_large(len(text))])
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ReviewLoadError([f"not UTF-8 text: byte {exc.start} cannot be decoded ({exc.reason})"]) from exc
    if len(text) > MAX_INPUT_BYTES:
        raise ReviewLoadError([_too_large(len(text.encode("utf-8")))])
    if not text.strip():
        raise ReviewLoadError(["the input is empty; expected a review (a mapping of fields)"])
    data = _parse(text, fmt)
    check_data(data)  # after YAML aliases are expanded, before a Review is made of it
    return _structure(data)


@with_fewer_collections
def from_dict(data: Mapping[str, Any]) -> Review:
    """A review from plain data: what `json.load` or a YAML parser gives for a review file
    (mappings, lists, text, numbers, booleans; dates and date-times as text or as objects).

    The language is the review file's (docs/input-format.md), and so are the errors: a
    `ReviewLoadError` listing every problem at once, each as ``path: message``, with a
    did-you-mean for a misspelt key. `to_dict` gives data this reads back equal.
    """
    check_data(data)
    return _structure(data)


def to_dict(review: Review) -> dict[str, Any]:
    """``review`` as plain data (text, numbers, booleans, lists and mappings, as a review file
    holds them), fields left at their defaults left out; `from_dict` reads it back equal."""
    if not isinstance(review, Review):
        raise TypeError(f"to_dict: expected a Review, got {type(review).__name__}")
    return unstructure(review)


def _too_large(size: int) -> str:
    return f"input is too large ({size / 1024 / 1024:.1f} MB); the limit is {MAX_INPUT_BYTES // 1024 // 1024} MB"


def _structure(data: Any) -> Review:
    if data is None:
        raise ReviewLoadError(["the input is empty; expected a review (a mapping of fields)"])
    if not isinstance(data, Mapping):
        raise ReviewLoadError([_line("", f"expected a mapping of review fields, got {_describe(data)}")])
    try:
        review = _CONVERTER.structure(data, Review)
    except (ClassValidationError, IterableValidationError) as exc:
        raise ReviewLoadError([_line(p, m) for p, m in _messages(exc, "")]) from exc
    except InputValueError as exc:
        raise ReviewLoadError([_line("", str(exc))]) from exc
    check_review(review)
    return review


def load(path: str | os.PathLike[str], format: Format | None = None) -> Review:
    """Read a review from a YAML, JSON or TOML file; the format comes from the suffix unless
    given. (`pirdoc.load` also reads filled-in templates, ``.md`` and ``.markdown``.)

    Raises `ReviewLoadError` (with ``source`` set to the path) for anything that is not a
    readable review, including a missing file.
    """
    source = os.fspath(path)
    try:
        fmt = _check_format(format) if format is not None else format_for_path(path)
    except ValueError as exc:
        raise ReviewLoadError([str(exc)], source) from exc
    data = read_input(path, MAX_INPUT_BYTES)
    try:
        return loads(data, fmt)
    except ReviewLoadError as exc:
        raise ReviewLoadError(exc.errors, source) from exc.__cause__


# ---------------------------------------------------------------------------- dumping


def _without_none(data: Any) -> Any:
    if isinstance(data, dict):
        return {key: _without_none(value) for key, value in data.items() if value is not None}
    if isinstance(data, list):
        return [_without_none(item) for item in data]
    return data


def unstructure(review: Review) -> dict[str, Any]:
    """The review as plain data (text, numbers, booleans, lists, mappings), defaults left out."""
    data: dict[str, Any] = plain_data(review)
    return data


def dumps(review: Review, format: Format = "yaml") -> str:
    """The review as YAML, JSON or TOML text, defaults left out; `loads` reads it back equal."""
    fmt = _check_format(format)
    data = unstructure(review)
    if fmt == "yaml":
        from pirdoc import _yaml

        return _yaml.dump(data)
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    return tomli_w.dumps(_without_none(data))


def dump(review: Review, path: str | os.PathLike[str], format: Format | None = None) -> None:
    """Write the review to a file in the format its suffix names (or ``format``), atomically."""
    fmt = _check_format(format) if format is not None else format_for_path(path)
    write_bytes(Path(path), dumps(review, fmt).encode("utf-8"))


# ---------------------------------------------------------------------------- a starter file

_STARTER = """\
# yaml-language-server: $schema=review.schema.json   (write it with: pirdoc schema > review.schema.json)
# Post-incident review {incident_id}, started with `pirdoc new`.
# Values are real and the file loads as it is; fill in the rest, uncommenting what you need.
# Check it with: pirdoc validate FILE   (and pirdoc validate --final FILE before sign-off)
# Date-times: 2026-03-14T13:45:00Z, 2026-03-14T15:45:00+02:00 or "2026-03-14 13:45 UTC".
# Durations: 1h 5m, 65 min, 90s, PT1H5M. People: a name, or {{name: ..., role: ..., email: ...}}.

incident_id: {incident_id}
title: ""                       # what the incident is called, e.g. Checkout outage
severity: SEV-3                 # SEV-1 (worst), SEV-2, SEV-3 or SEV-4
status: Draft                   # Draft, In review, Reviewed or Final
started_at: {started_at}  # when the incident began
# ended_at: {started_at}    # when it was over
# date: {today}                # the review's date (default: the start date)

summary:
  one_line: ""                  # what happened, in one line
  root_cause: ""                # the root cause, in one sentence
  resolution: ""                # how it was resolved, in one sentence
  # asks: []                    # decisions or help asked of leadership, one each

# incident_commander: Name
# technical_lead: {{name: Name, role: Technical Lead}}
# other_roles:
#   - {{name: Name, role: Communications Lead}}

services:
  backend_api: false
  frontend: false
  database: false
  redis_cache: false
  monitoring: false
  other: []                     # further services, by name

# impact:
#   user:
#     total_users_affected: 0
#     percentage_of_user_base: 0.0       # 0-100
#     geographic_regions: []
#     user_facing_errors: what users saw
#   business:
#     revenue_impact: N/A
#     sla_breach: false
#     reputation_impact: Low             # Low, Medium or High
#     regulatory_implications: false
#   technical:
#     data_loss: {{occurred: false}}
#     data_corruption: {{occurred: false}}
#     service_degradation: how the service degraded
#     recovery_time: 1h

timeline: []
# timeline:                              # in chronological order
#   - at: {started_at}
#     phase: detection                   # detection, response or resolution
#     kind: detected                     # detected, declared, investigation_began, root_cause_identified,
#                                        # mitigation_started, service_restored or closed (optional)
#     title: Initial Detection
#     details: |-
#       - How detected: monitoring alert
#       - First responder: Name

root_cause:
  what_happened: ""             # detailed technical explanation
  why_it_happened: ""           # underlying reasons: technical, process or human factors
  why_not_caught_earlier: ""    # gaps in monitoring, testing or processes
  contributing_factors: []      # - {{title: ..., description: ..., impact: ...}}
  five_whys: []                 # - {{question: Why did the incident occur?, answer: ...}} (at most five)

went_well:
  aspects: []                   # - {{title: ..., what: ..., why_it_helped: ...}}
  effective_procedures: []

went_wrong:
  issues: []                    # - {{title: ..., what: ..., impact: ..., severity: Medium}}
  procedure_gaps: []

action_items: []
# action_items:
#   - id: AI-1                           # AI-<n>, unique
#     action: what will be done
#     horizon: immediate                 # immediate (1 week), short-term (1 month), long-term (3 months)
#     owner: Name
#     due: {today}
#     status: Open                       # Open, In Progress or Done
#     link: https://tracker.example.com/OPS-1

lessons:
  technical: []                 # - {{title: ..., learned: ..., how_to_apply: ...}}
  process: []
  communication: []

prevention:
  monitoring: []                # - {{text: Add alert for ..., done: false}}
  process: []
  technical: []

# communication:
#   internal_timeline: []                # - {{at: ..., message: Initial notification sent}}
#   channels: ["Slack #incidents", Email distribution list]
#   external: {{status_page_updates: 0, email_notifications: false, social_media: false}}

# metrics:
#   targets: {{detect: 5m, acknowledge: 5m, mitigate: 30m}}   # resolve: defaults by severity
#   impact: {{failed_requests: 0, data_loss_amount: none}}

# review_meeting:
#   date: {today}
#   attendees: [{{name: Name, role: Role}}]
#   discussion_points: []

# approvals default to Incident Commander, Technical Lead and Engineering Manager, undecided:
# approvals:
#   - {{role: Incident Commander, approver: Name, approved: true, date: {today}}}

# owner: Name

# Document control: the revision defaults to the last entry's version.
# revision_history:
#   - {{version: 1, date: {today}, author: Name, changes: First issue}}
"""


def starter_yaml(incident_id: str | None = None, *, now: dt.datetime | None = None) -> str:
    """A commented YAML review to start from; it loads as it is. Placeholders are comments."""
    moment = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(second=0, microsecond=0)
    incident_id = incident_id or f"INC-{moment.year}-0001"
    return _STARTER.format(incident_id=incident_id, started_at=format_datetime(moment), today=moment.date().isoformat())
