"""The gate every model object passes: a field holds a value of its declared type, or the
constructor reads it the way a review file is read, or refuses it naming the field.

Each attrs class of the model (and of `pirdoc.values`) is built with ``field_transformer=gate``
(or ``strict``): the transformer puts a check in front of each field's own converter. A value of
the declared type passes untouched (the common case, and the only one when a file is loaded, since
the file's reader builds values of the right types); anything else is read by the review file's
converter (`pirdoc._wire`, imported only then) or refused with a `FieldError`.
"""

from __future__ import annotations

import datetime as dt
import enum
import inspect
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any, Union, get_args, get_origin

import attrs

from pirdoc.errors import ReviewLoadError

__all__ = ["FieldError", "accepted", "conforms", "gate", "strict"]


class FieldError(ReviewLoadError, TypeError):
    """A value given for a field that is not of the field's type and cannot be read as one.

    ``pairs`` holds ``(path, message)`` for every problem, the path counted from the object being
    built (``timeline[2].at``); ``errors`` holds them as ``path: message`` lines, as a review file's
    errors are."""

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        self.pairs = tuple(pairs)
        super().__init__([f"{path or 'top level'}: {message}" for path, message in self.pairs])


def conforms(value: Any, kind: Any) -> bool:
    """True if ``value`` is already of type ``kind`` (a model annotation), items of a tuple too."""
    origin = get_origin(kind)
    if origin is Union or origin is types.UnionType:
        return any(conforms(value, arm) for arm in get_args(kind))
    if kind is None or kind is type(None):
        return value is None
    if origin is tuple:
        args = get_args(kind)
        if not isinstance(value, tuple):
            return False
        if len(args) == 2 and args[1] is Ellipsis:
            return all(conforms(item, args[0]) for item in value)
        return len(args) == len(value) and all(conforms(item, arg) for item, arg in zip(value, args, strict=True))
    if origin is not None:
        return isinstance(value, origin)
    if kind is bool:
        return isinstance(value, bool)
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if kind is float:
        return isinstance(value, float)
    if kind is dt.datetime:
        return isinstance(value, dt.datetime) and value.utcoffset() is not None
    if kind is dt.date:
        return isinstance(value, dt.date) and not isinstance(value, dt.datetime)
    if kind is Any:
        return True
    return isinstance(value, kind)


class _Check:
    """One field's converter: the gate, then the field's own converter."""

    __slots__ = ("__signature__", "after", "cls", "kind", "name", "read")
    __signature__: inspect.Signature  # what the field's constructor argument accepts (attrs reads it)

    def __init__(self, cls: type, name: str, after: Callable[[Any], Any] | None, read: bool) -> None:
        self.cls = cls
        self.name = name
        self.after = after
        self.read = read
        self.kind: Any = _UNRESOLVED

    def __call__(self, value: Any) -> Any:
        if self.kind is _UNRESOLVED:
            # Annotations are text (PEP 563) until the module that defines the class is complete.
            self.kind = typing.get_type_hints(self.cls)[self.name]
        if not conforms(value, self.kind):
            if not self.read:
                raise FieldError([(self.name, _refusal(value, self.kind))])
            from pirdoc import _wire  # cattrs is imported only when a value has to be read

            value = _wire.structure(value, self.kind, self.name)
        return value if self.after is None else self.after(value)


_UNRESOLVED = object()


def _refusal(value: Any, kind: Any) -> str:
    if isinstance(value, dt.datetime) and value.utcoffset() is None:
        return f"date-time without a timezone: {value.isoformat()!r}; make it timezone-aware (UTC)"
    return f"expected {_type_name(kind)}, got {type(value).__name__}"


def _type_name(kind: Any) -> str:
    origin = get_origin(kind)
    if origin is Union or origin is types.UnionType:
        return " or ".join(_type_name(arm) for arm in get_args(kind))
    if kind is type(None):
        return "None"
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return f"a {kind.__name__}"
    return getattr(kind, "__name__", str(kind))


def accepted(kind: Any) -> Any:
    """What a constructor takes for a field of type ``kind``: the type itself and what a review
    file writes for it (text for an enum, a date or a time; a mapping for a part; a list for a
    tuple), as a type for ``__init__``'s signature."""
    from pirdoc import values  # complete by the time a class with such fields is built

    origin = get_origin(kind)
    if origin is Union or origin is types.UnionType:
        return _union(accepted(arm) for arm in get_args(kind))
    if origin is tuple:
        args = get_args(kind)
        if len(args) == 2 and args[1] is Ellipsis:
            item = accepted(args[0])
            return _union([tuple[item, ...], list[item]])  # type: ignore[valid-type]
        return kind
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


def _signature(kind: Any, read: bool) -> inspect.Signature:
    annotation = accepted(kind) if read else kind
    parameter = inspect.Parameter("value", inspect.Parameter.POSITIONAL_ONLY, annotation=annotation)
    return inspect.Signature([parameter], return_annotation=kind)


def _transform(read: bool) -> Callable[[type, list[attrs.Attribute[Any]]], list[attrs.Attribute[Any]]]:
    def transform(cls: type, fields: list[attrs.Attribute[Any]]) -> list[attrs.Attribute[Any]]:
        try:  # what every field's constructor argument accepts, for its signature (and `help`)
            hints = typing.get_type_hints(cls)
        except NameError:  # pragma: no cover - a name defined after the class: annotations stay lazy
            hints = {}
        checked = []
        for field in fields:
            after = field.converter
            if after is not None and not callable(after):  # pragma: no cover - attrs.Converter objects are callable
                raise TypeError(f"{cls.__name__}.{field.name}: unsupported converter {after!r}")
            check = _Check(cls, field.name, after, read)
            if field.name in hints:
                check.kind = hints[field.name]
                check.__signature__ = _signature(check.kind, read)
            checked.append(field.evolve(converter=check))
        return checked

    return transform


gate = _transform(read=True)
"""A field transformer: values not of a field's type are read as a review file reads them."""
strict = _transform(read=False)
"""A field transformer: values not of a field's type are refused."""
