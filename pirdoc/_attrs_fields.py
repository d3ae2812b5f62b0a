"""The fields of an attrs class, looked up once per class.

The walks over a review (its people, its characters, its plain data) meet the same few dozen
classes tens of thousands of times; asking attrs each time whether a value's class is one of its
own, and for its fields, was a tenth of laying a review out. A walk that looks for values of some
classes only (people, text) also skips the fields whose declared type cannot hold one: most of a
review's fields are times, enums and numbers.
"""

from __future__ import annotations

import types
import typing
from typing import Any

import attrs

__all__ = ["fields_of", "fields_that_may_hold"]

_FIELDS: dict[type, tuple[attrs.Attribute[Any], ...] | None] = {}


def fields_of(cls: type) -> tuple[attrs.Attribute[Any], ...] | None:
    """The fields of ``cls`` if it is an attrs class, else None."""
    try:
        return _FIELDS[cls]
    except KeyError:
        fields = _FIELDS[cls] = tuple(attrs.fields(cls)) if attrs.has(cls) else None
        return fields


_HOLDING: dict[tuple[type, tuple[type, ...]], tuple[attrs.Attribute[Any], ...] | None] = {}


def fields_that_may_hold(cls: type, wanted: tuple[type, ...]) -> tuple[attrs.Attribute[Any], ...] | None:
    """The fields of ``cls`` (in order) whose declared type may hold a value of a ``wanted``
    class: itself, in a tuple, or anywhere inside an attrs object it holds. None if ``cls`` is
    not an attrs class. The model's gate makes every field hold its declared type; a field
    whose annotation does not resolve is kept."""
    key = (cls, wanted)
    try:
        return _HOLDING[key]
    except KeyError:
        pass
    fields = fields_of(cls)
    if fields is not None:
        try:
            hints = typing.get_type_hints(cls)
        except Exception:  # an annotation naming what cannot be found: every field is kept
            hints = {}
        fields = tuple(
            field for field in fields if field.name not in hints or _may_hold(hints[field.name], wanted, {cls})
        )
    _HOLDING[key] = fields
    return fields


def _may_hold(kind: Any, wanted: tuple[type, ...], seen: set[type]) -> bool:
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        return any(_may_hold(arm, wanted, seen) for arm in typing.get_args(kind))
    if kind is None or kind is type(None):
        return False
    if origin is not None:
        if isinstance(origin, type) and issubclass(origin, wanted):
            return True
        if origin is tuple:  # a walk goes into a tuple's items
            return any(_may_hold(arm, wanted, seen) for arm in typing.get_args(kind) if arm is not Ellipsis)
        return True  # another generic: kept
    if not isinstance(kind, type):
        return True  # Any, a type variable or a form not known here: kept
    if issubclass(kind, wanted):
        return True
    if kind is tuple:
        return True  # items of any type
    if kind in seen or fields_of(kind) is None:
        return False  # a walk goes into attrs objects and tuples only; a cycle adds nothing
    seen.add(kind)
    try:
        hints = typing.get_type_hints(kind)
    except Exception:
        return True
    return any(field.name not in hints or _may_hold(hints[field.name], wanted, seen) for field in fields_of(kind) or ())
