"""What a constructor takes for each field: the field's type and what a review file writes for it.

The model's classes accept text for enums, dates and times, mappings for parts and lists for
tuples; `accepted` states that as a type, which becomes each field's constructor signature (so
``help()`` and type checkers see it)."""

from __future__ import annotations

import datetime as dt
import enum
import types
from collections.abc import Mapping
from typing import Any, Union, get_args, get_origin

import attrs

from pirdoc import values

__all__ = ["accepted"]


def accepted(kind: Any) -> Any:
    """What a constructor takes for a field of type ``kind``: the type itself and what a review
    file writes for it (text for an enum, a date or a time; a mapping for a part; a list for a
    tuple), as a type for ``__init__``'s signature."""
    origin = get_origin(kind)
    if origin is Union or origin is types.UnionType:
        return _union(accepted(arm) for arm in get_args(kind))
    if origin is tuple:
        args = get_args(kind)
        if len(args) == 2 and args[1] is Ellipsis:
            item = accepted(args[0])
            return _union([tuple[item, ...], list[item]])  # type: ignore[valid-type]
        return kind
    if origin is dict:
        key, value = get_args(kind)
        return _union([kind, Mapping[accepted(key), accepted(value)]])  # type: ignore[misc]
    extra: list[Any] = []
    if kind in (dt.datetime, dt.date, dt.timedelta) or (isinstance(kind, type) and issubclass(kind, enum.Enum)):
        extra = [str]
    elif kind is float:
        extra = [int]
    elif kind is values.Instant:
        extra = [dt.datetime, dt.date, str, Mapping[str, object]]
    elif kind is values.Quantity:
        extra = [int, float, str, Mapping[str, object]]
    elif kind is values.Duration:
        extra = [dt.timedelta, str, Mapping[str, object]]
    elif isinstance(kind, type) and attrs.has(kind):
        extra = [str, Mapping[str, object]] if isinstance(getattr(kind, "FROM_TEXT", None), str) else [
            Mapping[str, object]
        ]
    return _union([kind, *extra])


def _union(arms: Any) -> Any:
    flat: list[Any] = []
    for arm in arms:
        for part in get_args(arm) if get_origin(arm) in (Union, types.UnionType) else (arm,):
            if part not in flat:
                flat.append(part)
    none = [arm for arm in flat if arm is type(None)]
    ordered = [arm for arm in flat if arm is not type(None)] + none
    return ordered[0] if len(ordered) == 1 else Union[tuple(ordered)]  # noqa: UP007  (built from a list)
