"""The fields of an attrs class, looked up once per class.

The walks over a review (its people, its characters, its plain data) meet the same few dozen
classes tens of thousands of times; asking attrs each time whether a value's class is one of its
own, and for its fields, was a tenth of laying a review out. A walk that looks for values of some
classes only (people, text) also skips the fields whose declared type cannot hold one: most of a
review's fields are times, enums and numbers.
"""

from __future__ import annotations

import datetime as dt
import enum
import types
import typing
from typing import Any, Final, TypeAlias

import attrs

__all__ = ["Where", "fields_of", "fields_that_may_hold", "join_path", "path_text", "type_hints"]

_FIELDS: dict[type, tuple[attrs.Attribute[Any], ...] | None] = {}


def fields_of(cls: type) -> tuple[attrs.Attribute[Any], ...] | None:
    """The fields of ``cls`` if it is an attrs class, else None."""
    try:
        return _FIELDS[cls]
    except KeyError:
        fields = _FIELDS[cls] = tuple(attrs.fields(cls)) if attrs.has(cls) else None
        return fields


def type_hints(cls: type) -> dict[str, Any]:
    """`typing.get_type_hints` of ``cls``, resolved once per class (resolving compiles each
    annotation of the class). The dictionary is shared: read it, do not change it."""
    hints = _HINTS.get(cls)
    if hints is None:
        hints = _HINTS[cls] = typing.get_type_hints(cls)
    return hints


_HINTS: dict[type, dict[str, Any]] = {}


_HOLDING: dict[tuple[type, tuple[type, ...]], tuple[attrs.Attribute[Any], ...] | None] = {}


def fields_that_may_hold(cls: type, wanted: tuple[type, ...]) -> tuple[attrs.Attribute[Any], ...] | None:
    """The fields of ``cls`` (in order) whose declared type may hold a value of a ``wanted``
    class: itself, in a tuple or list, or anywhere inside an attrs object it holds. None if
    ``cls`` is not an attrs class. The model's gate makes every field hold its declared type.
    Only a type known to hold nothing else is left out (None, numbers, enums, times, text and
    bytes that are not wanted, attrs classes made only of such); a field whose annotation does
    not resolve, or names a wider type, a generic or a class with subclasses, is kept."""
    key = (cls, wanted)
    try:
        return _HOLDING[key]
    except KeyError:
        pass
    fields = fields_of(cls)
    if fields is not None:
        try:
            hints = type_hints(cls)
        except Exception:  # an annotation naming what cannot be found: every field is kept
            hints = {}
        fields = tuple(
            field for field in fields if field.name not in hints or _may_hold(hints[field.name], wanted, {cls})
        )
    _HOLDING[key] = fields
    return fields


_LEAVES: Final = (type(None), str, bytes, bool, int, float, complex, enum.Enum, dt.date, dt.time, dt.timedelta)
"""Types whose values hold no other value a walk goes into."""


def _may_hold(kind: Any, wanted: tuple[type, ...], walking: set[type]) -> bool:
    """False only when a value of type ``kind`` can hold no value of a ``wanted`` class;
    ``walking`` are the attrs classes being looked into (one met again may hold what it holds)."""
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        return any(_may_hold(arm, wanted, walking) for arm in typing.get_args(kind))
    if kind is None:
        return False
    if origin is not None:
        arms = [arm for arm in typing.get_args(kind) if arm is not Ellipsis]
        if origin in (tuple, list) and not issubclass(origin, wanted):  # a walk goes into the items
            return not arms or any(_may_hold(arm, wanted, walking) for arm in arms)
        return True  # another generic: kept
    if not isinstance(kind, type):
        return True  # Any, a type variable, a name not resolved: kept
    if issubclass(kind, wanted) or any(issubclass(cls, kind) for cls in wanted):
        return True
    fields = fields_of(kind)
    if fields is None:
        return not issubclass(kind, _LEAVES)
    if kind in walking or kind.__subclasses__():
        return True  # met again, or a subclass may hold more: kept
    known = _CLASS_HOLDS.get((kind, wanted))
    if known is None:
        try:
            hints = type_hints(kind)
        except Exception:
            return True
        walking.add(kind)
        try:
            known = any(field.name not in hints or _may_hold(hints[field.name], wanted, walking) for field in fields)
        finally:
            walking.discard(kind)
        # a True that rests on a class met again is a guess on the safe side; a False is exact
        _CLASS_HOLDS[(kind, wanted)] = known
    return known


_CLASS_HOLDS: dict[tuple[type, tuple[type, ...]], bool] = {}


Where: TypeAlias = "tuple[Where, str | int] | None"
"""Where a walk is in a review: a chain of (parent, field name or index), made into text
(`path_text`) only when a message needs it; a review of 10,000 events has some 300,000 fields,
and formatting every path cost more than walking them."""


def join_path(path: str, part: str | int) -> str:
    """``path`` and one more step: ``timeline`` + 2 → ``timeline[2]``, + ``title`` →
    ``timeline[2].title`` (the way every message names a field)."""
    if isinstance(part, int):
        return f"{path}[{part}]"
    return f"{path}.{part}" if path else part


def path_text(where: Where) -> str:
    """The field path ``where`` leads to, as `join_path` writes it (empty for the top)."""
    parts: list[str | int] = []
    while where is not None:
        where, part = where
        parts.append(part)
    path = ""
    for part in reversed(parts):
        path = join_path(path, part)
    return path
