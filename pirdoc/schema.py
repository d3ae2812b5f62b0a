"""A JSON Schema (draft 2020-12) of the review input format, generated from the attrs classes.

Editors use it for completion and inline checks, e.g. with yaml-language-server::

    # yaml-language-server: $schema=review.schema.json

The schema describes the wire format `pirdoc.load` reads (date-times and durations as text, a
person as a name or a mapping). It is a help for editing, not the validator: `load` and `check`
remain the authority.
"""

from __future__ import annotations

import datetime as dt
import enum
import inspect
import types
from typing import Any, Union, get_args, get_origin

import attrs

from pirdoc import model
from pirdoc._fielddocs import field_docs as _field_docs
from pirdoc.model import Person, Review
from pirdoc.values import Duration, Instant, Quantity

__all__ = ["SCHEMA_ID", "review_schema"]

SCHEMA_ID = "https://pirdoc.example/schema/review.json"

DATETIME_PATTERN = r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?\s*(Z|z|[+-]\d{2}:?\d{2}|UTC|utc|GMT|gmt)$"
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
DURATION_PATTERN = (
    r"^(\s*\d+(\.\d+)?\s*[A-Za-z]+\s*(,|and)?)+$"  # 1h 5m, 65 min, 2 hours
    r"|^P(\d+(\.\d+)?W)?(\d+(\.\d+)?D)?(T(\d+(\.\d+)?H)?(\d+(\.\d+)?M)?(\d+(\.\d+)?S)?)?$"  # PT1H5M
)


_VALUE_SCHEMAS: dict[type, tuple[dict[str, Any], str]] = {
    Instant: (
        {"type": "string"},
        "A time: 2026-03-14T13:45:00Z, 2026-03-14 13:45 UTC, a date 2026-03-14 or a month 2026-03; '~' after it "
        "when approximate, '?' when uncertain; A/B for a range (ISO 8601 with EDTF's marks). Times as people "
        "write them ('~17:20 UTC (12:20 local)') go in {value: <one of those>, as_written: '...'}.",
    ),
    Quantity: (
        {"anyOf": [{"type": "number"}, {"type": "string"}]},
        "A count: a number, or text that starts with one ('~8.5 million', '12,345 (3.5%)'); words without a "
        "number in {as_written: '...'}.",
    ),
    Duration: (
        {"type": "string"},
        "A duration: 1h 5m, 65 min, PT1H5M, 'about 18 hours', '24 h 11 min (degraded service)'; words without a "
        "duration in {as_written: '...'}.",
    ),
}


class _Builder:
    def __init__(self) -> None:
        self.defs: dict[str, dict[str, Any]] = {}

    def for_type(self, tp: Any) -> dict[str, Any]:
        origin = get_origin(tp)
        if origin in (Union, types.UnionType):
            options = [a for a in get_args(tp) if a is not type(None)]
            inner = self.for_type(options[0]) if len(options) == 1 else {"anyOf": [self.for_type(a) for a in options]}
            return {"anyOf": [inner, {"type": "null"}]}
        if origin is tuple:
            return {"type": "array", "items": self.for_type(get_args(tp)[0])}
        if origin is dict:
            return {"type": "object", "additionalProperties": self.for_type(get_args(tp)[1])}
        if tp is str:
            return {"type": "string"}
        if tp is bool:
            return {"type": "boolean"}
        if tp is int:
            return {"type": "integer"}
        if tp is float:
            return {"type": "number"}
        if tp is dt.datetime:
            return {
                "type": "string",
                "pattern": DATETIME_PATTERN,
                "description": "A date-time with a timezone: 2026-03-14T13:45:00Z, +02:00, or 2026-03-14 13:45 UTC.",
            }
        if tp is dt.date:
            return {"type": "string", "pattern": DATE_PATTERN, "description": "A date: 2026-03-14."}
        if tp is dt.timedelta:
            return {
                "type": "string",
                "pattern": DURATION_PATTERN,
                "description": "A duration: 1h 5m, 65 min, 90s, 2 hours or PT1H5M.",
            }
        if tp in _VALUE_SCHEMAS:
            return self._value(tp)
        if isinstance(tp, type) and issubclass(tp, enum.Enum):
            return self._enum(tp)
        if isinstance(tp, type) and attrs.has(tp):
            return self._class(tp)
        raise TypeError(f"no JSON Schema for {tp!r}")

    def _value(self, cls: type) -> dict[str, Any]:
        if cls.__name__ not in self.defs:
            bare, description = _VALUE_SCHEMAS[cls]
            written = {
                "type": "object",
                "properties": {
                    "value": bare,
                    "approximate": {"type": "boolean"},
                    "as_written": {"type": "string", "description": "The words as written, shown in every format."},
                },
                "additionalProperties": False,
            }
            if cls is Instant:
                del written["properties"]["approximate"]  # type: ignore[attr-defined]
            self.defs[cls.__name__] = {"description": description, "anyOf": [bare, written]}
        return {"$ref": f"#/$defs/{cls.__name__}"}

    def _enum(self, cls: type[enum.Enum]) -> dict[str, Any]:
        if cls.__name__ not in self.defs:
            self.defs[cls.__name__] = {
                "description": inspect.cleandoc(cls.__doc__ or cls.__name__),
                "enum": [member.value for member in cls],
            }
        return {"$ref": f"#/$defs/{cls.__name__}"}

    def _class(self, cls: type) -> dict[str, Any]:
        name = cls.__name__
        if name in self.defs:
            return {"$ref": f"#/$defs/{name}"}
        self.defs[name] = {}  # reserve the name first: classes may refer to each other
        attrs.resolve_types(cls, globalns=vars(model))
        docs = _field_docs(cls)
        properties: dict[str, Any] = {}
        required: list[str] = []
        for field in attrs.fields(cls):
            if not field.init:
                continue
            prop = dict(self.for_type(field.type))
            if field.name in docs:
                prop["description"] = " ".join(filter(None, (docs[field.name], prop.get("description"))))
            properties[field.name] = prop
            if field.default is attrs.NOTHING:
                required.append(field.name)
        shape: dict[str, Any] = {
            "type": "object",
            "description": inspect.cleandoc(cls.__doc__ or name),
            "properties": properties,
            "additionalProperties": False,
        }
        if required:
            shape["required"] = required
        if cls is Person:
            shape = {
                "description": shape["description"] + " Write a plain name, or a mapping with the details.",
                "anyOf": [{"type": "string"}, {k: v for k, v in shape.items() if k != "description"}],
            }
        self.defs[name] = shape
        return {"$ref": f"#/$defs/{name}"}


def review_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a review file."""
    builder = _Builder()
    builder.for_type(Review)
    root = builder.defs.pop("Review")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "pirdoc post-incident review",
        **root,
        "$defs": dict(sorted(builder.defs.items())),
    }
