"""A review as plain data, the way a review file holds it: what `pirdoc.serde` writes and what the
content hash is taken of.

Fields left at their defaults are left out; enums are written by value, date-times as
``2026-03-14T13:45:00Z``, dates as ``2026-03-14``, durations as ``1h 5m``; a value kept with the
writer's words is the bare value when that reads back the same, else
``{value, approximate, as_written}``; a person with only a name is the name.

It walks the attrs classes itself rather than through cattrs: cattrs generates and compiles an
unstructuring function per class on first use, about 90 ms of every process that lays out a
review (the content hash) before it could render anything. cattrs is still what reads review
files (`pirdoc._wire`).
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Mapping
from typing import Any, Final

import attrs

from pirdoc import values
from pirdoc._attrs_fields import fields_of

__all__ = [
    "AS_WRITTEN", "format_datetime", "format_duration", "plain_data", "unstructure_duration", "unstructure_instant",
    "unstructure_quantity",
]

AS_WRITTEN: Final = "as_written"


def format_datetime(value: dt.datetime) -> str:
    """``2026-03-14T13:45:00Z``; microseconds only when there are some."""
    if value.tzinfo is None:
        raise ValueError(f"cannot write a naive date-time: {value.isoformat()}")
    utc = value.astimezone(dt.UTC).replace(tzinfo=None)
    return utc.isoformat(timespec="seconds" if utc.microsecond == 0 else "microseconds") + "Z"


format_duration = values.timedelta_text


def unstructure_instant(instant: values.Instant) -> Any:
    wire = values.instant_wire(instant)
    if instant.text is None and wire is not None:
        return wire
    return _with_words(wire, False, instant.text)


def unstructure_quantity(quantity: values.Quantity) -> Any:
    if quantity.text is None and not quantity.approximate:
        return quantity.value
    # Words alone read back only when they hold the number (prose without one needs as_written).
    if (
        quantity.text is not None
        and quantity.value is not None
        and values.parse_quantity(quantity.text, percent=True) == quantity
    ):
        return quantity.text
    return _with_words(quantity.value, quantity.approximate, quantity.text)


def unstructure_duration(duration: values.Duration) -> Any:
    if duration.text is None and not duration.approximate and duration.value is not None:
        return values.timedelta_text(duration.value)
    if (
        duration.text is not None
        and duration.value is not None
        and values.parse_duration_text(duration.text) == duration
    ):
        return duration.text
    value = values.timedelta_text(duration.value) if duration.value is not None else None
    return _with_words(value, duration.approximate, duration.text)


def _with_words(value: Any, approximate: bool, text: str | None) -> dict[str, Any]:
    """``{value, approximate, as_written}``, each only when there is one."""
    data: dict[str, Any] = {}
    if value is not None:
        data["value"] = value
    if approximate:
        data["approximate"] = True
    if text is not None:
        data[AS_WRITTEN] = text
    return data


_WRITERS: Final[dict[type, Callable[[Any], Any]]] = {
    dt.datetime: format_datetime,
    dt.date: dt.date.isoformat,
    dt.timedelta: format_duration,
    values.Instant: unstructure_instant,
    values.Quantity: unstructure_quantity,
    values.Duration: unstructure_duration,
}
_ATOMS: Final = frozenset((str, int, float, bool, type(None)))

# How a field's value is compared with its default: not at all (no default), with one value, or
# with a value made for the instance (a factory's). As cattrs compares, the default is first
# passed through the field's converter.
_REQUIRED, _VALUE, _MADE = range(3)
_Field = tuple[str, int, Any]


def plain_data(value: Any) -> Any:
    """``value`` (a review or any part of one) as text, numbers, booleans, lists and mappings."""
    kind = type(value)
    if kind in _ATOMS:
        return value
    writer = _WRITERS.get(kind)
    if writer is not None:
        return writer(value)
    if isinstance(value, enum.Enum):
        return value.value
    if fields_of(kind) is not None:
        return _record(value, kind)
    if isinstance(value, tuple | list):
        return [plain_data(item) for item in value]
    if isinstance(value, Mapping):
        return {key: plain_data(item) for key, item in value.items()}
    raise TypeError(f"cannot write a {kind.__name__} as review data")


def _record(value: Any, kind: type) -> Any:
    fields, from_text = _fields(kind)
    data: dict[str, Any] = {}
    for name, compare, default in fields:
        item = getattr(value, name)
        if compare == _REQUIRED or (compare == _VALUE and item != default) or (
            compare == _MADE and item != default(value)
        ):
            data[name] = plain_data(item)
    if from_text is not None and list(data) == [from_text]:
        return data[from_text]
    return data


_FIELDS: dict[type, tuple[tuple[_Field, ...], str | None]] = {}


def _fields(kind: type) -> tuple[tuple[_Field, ...], str | None]:
    known = _FIELDS.get(kind)
    if known is None:
        fields: list[_Field] = []
        for field in attrs.fields(kind):
            if not field.init:
                continue
            default = field.default
            if default is attrs.NOTHING:
                fields.append((field.name, _REQUIRED, None))
            elif isinstance(default, attrs.Factory):  # type: ignore[arg-type]
                fields.append((field.name, _MADE, _maker(default, field.converter)))
            else:
                fields.append((field.name, _VALUE, default if field.converter is None else field.converter(default)))
        # fields without a default first, then the others, each in the class's order (as cattrs
        # writes them: review files written before keep their order)
        fields.sort(key=lambda field: field[1] != _REQUIRED)
        from_text = getattr(kind, "FROM_TEXT", None)
        known = _FIELDS[kind] = (tuple(fields), from_text if isinstance(from_text, str) else None)
    return known


def _maker(factory: Any, converter: Callable[[Any], Any] | None) -> Callable[[Any], Any]:
    """The default a factory makes for an instance, through the field's converter."""

    def made(instance: Any) -> Any:
        value = factory.factory(instance) if factory.takes_self else factory.factory()
        return value if converter is None else converter(value)

    return made
