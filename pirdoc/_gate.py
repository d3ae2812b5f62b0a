"""The gate every model object passes: a field holds a value of its declared type, or the
constructor reads it the way a review file is read, or refuses it naming the field.

Each attrs class of the model is built with a ``reading(...)`` field transformer (`pirdoc.model`
passes the review file's reader, `pirdoc._wire`, imported only when needed) and each class of
`pirdoc.values` with ``strict``: the transformer puts a check in front of each field's own
converter. A value of the declared type passes untouched (the common case, and the only one when a
file is loaded, since the file's reader builds values of the right types); anything else is read
by the reader or refused with a `FieldError`.
"""

from __future__ import annotations

import datetime as dt
import enum
import inspect
import types
import typing
from collections.abc import Callable
from typing import Any, TypeAlias, Union, get_args, get_origin

import attrs

from pirdoc.errors import FieldError

__all__ = ["Accepts", "FieldError", "Reader", "conforms", "reading", "strict"]


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


Reader: TypeAlias = Callable[[Any, Any, str], Any]
"""Reads ``value`` as the type ``kind`` for the field at ``path``, or raises `FieldError`."""


class _Check:
    """One field's converter: the gate, then the field's own converter."""

    __slots__ = ("__signature__", "after", "cls", "kind", "name", "read")
    __signature__: inspect.Signature  # what the field's constructor argument accepts (attrs reads it)

    def __init__(self, cls: type, name: str, after: Callable[[Any], Any] | None, read: Reader | None) -> None:
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
            if self.read is None:
                raise FieldError([(self.name, _refusal(value, self.kind))])
            value = self.read(value, self.kind, self.name)
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


def _signature(kind: Any, accepts: Accepts | None) -> inspect.Signature:
    annotation = accepts(kind) if accepts is not None else kind
    parameter = inspect.Parameter("value", inspect.Parameter.POSITIONAL_ONLY, annotation=annotation)
    return inspect.Signature([parameter], return_annotation=kind)


Accepts: TypeAlias = Callable[[Any], Any]
"""What a constructor takes for a field of a type, as a type (for its signature)."""

Transformer: TypeAlias = "Callable[[type, list[attrs.Attribute[Any]]], list[attrs.Attribute[Any]]]"


def _transform(read: Reader | None, accepts: Accepts | None) -> Transformer:
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
                check.__signature__ = _signature(check.kind, accepts)
            checked.append(field.evolve(converter=check))
        return checked

    return transform


def reading(read: Reader, accepts: Accepts) -> Transformer:
    """A field transformer: values not of a field's type are read by ``read`` (the model passes
    the review file's reader, so the gate needs no import of it); ``accepts(kind)`` is what a
    constructor takes for a field of type ``kind``, shown in its signature."""
    return _transform(read, accepts)


strict = _transform(None, None)
"""A field transformer: values not of a field's type are refused."""
