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
import functools
import inspect
import types
from collections.abc import Callable
from itertools import repeat
from typing import Any, Final, TypeAlias, Union, get_args, get_origin

import attrs

from pirdoc._attrs_fields import type_hints
from pirdoc.errors import FieldError

__all__ = ["Accepts", "FieldError", "Reader", "conforms", "reading", "strict"]


def conforms(value: Any, kind: Any) -> bool:
    """True if ``value`` is already of type ``kind`` (a model annotation), items of a tuple too."""
    return _test(kind)(value)


Test: TypeAlias = Callable[[Any], bool]


@functools.cache
def _test(kind: Any) -> Test:
    """The check of `conforms` for ``kind``, built once per annotation: constructing a review
    checks tens of thousands of values, and reading the annotation again each time was a sixth
    of importing a filled template."""
    origin = get_origin(kind)
    if origin is Union or origin is types.UnionType:
        args = get_args(kind)
        plain = tuple(type(None) if arm is None else arm for arm in args)
        if all(isinstance(arm, type) and get_origin(arm) is None and arm not in _EXACT | {Any} for arm in plain):
            # classes and None (``str | None``, ``Instant | None``): one isinstance for all arms
            return lambda value: isinstance(value, plain)
        arms = tuple(_test(arm) for arm in args)
        if len(arms) == 2 and type(None) in plain:  # ``int | None``, ``datetime | None``: no generator
            other = arms[1] if plain[0] is type(None) else arms[0]
            return lambda value: value is None or other(value)
        return lambda value: any(arm(value) for arm in arms)
    if kind is None or kind is type(None):
        return lambda value: value is None
    if origin is tuple:
        args = get_args(kind)
        if len(args) == 2 and args[1] is Ellipsis:
            item = args[0]
            if isinstance(item, type) and get_origin(item) is None and item not in _EXACT:
                # a tuple of model objects: checked without a Python call per item (a review's
                # events and rows are checked again each time a review is made from another)
                return lambda value: isinstance(value, tuple) and all(map(isinstance, value, repeat(item)))
            item_test = _test(item)
            return lambda value: isinstance(value, tuple) and all(item_test(item) for item in value)
        tests = tuple(_test(arg) for arg in args)
        return lambda value: (
            isinstance(value, tuple)
            and len(value) == len(tests)
            and all(test(item) for test, item in zip(tests, value, strict=True))
        )
    if origin is not None:
        return lambda value: isinstance(value, origin)
    if kind is bool:
        return lambda value: isinstance(value, bool)
    if kind is int:
        return lambda value: isinstance(value, int) and not isinstance(value, bool)
    if kind is float:
        return lambda value: isinstance(value, float)
    if kind is dt.datetime:
        return lambda value: isinstance(value, dt.datetime) and value.utcoffset() is not None
    if kind is dt.date:
        return lambda value: isinstance(value, dt.date) and not isinstance(value, dt.datetime)
    if kind is Any:
        return lambda value: True
    return lambda value: isinstance(value, kind)


@functools.cache
def _classes(kind: Any) -> tuple[type, ...] | None:
    """The classes whose isinstance is exactly `_test` of ``kind`` (a class, or a union of
    classes and None), or None when the test is more than that."""
    origin = get_origin(kind)
    arms = get_args(kind) if origin is Union or origin is types.UnionType else (kind,)
    plain = tuple(type(None) if arm is None else arm for arm in arms)
    if all(isinstance(arm, type) and get_origin(arm) is None and arm not in _EXACT - {bool} and arm is not Any
           for arm in plain):
        return plain
    return None


_EXACT: Final = frozenset({bool, int, float, dt.datetime, dt.date})
"""Types `_test` checks more narrowly than isinstance does (no bool for int, an aware datetime)."""


Reader: TypeAlias = Callable[[Any, Any, str], Any]
"""Reads ``value`` as the type ``kind`` for the field at ``path``, or raises `FieldError`."""


class _Check:
    """One field's gate, then the field's own converter; `convert` is what the constructor calls."""

    __slots__ = ("after", "classes", "cls", "kind", "name", "read", "test")

    def __init__(self, cls: type, name: str, after: Callable[[Any], Any] | None, read: Reader | None) -> None:
        self.cls = cls
        self.name = name
        self.after = after
        self.read = read
        self.kind: Any = _UNRESOLVED
        self.test: Test | None = None
        self.classes: tuple[type, ...] | None = None  # when the test is isinstance of these

    def convert(self) -> Callable[[Any], Any]:
        """The field's converter. Most values pass on one isinstance, with no call to the test.
        A function rather than this object's ``__call__``: a constructor calls it for each field
        (a review's import about 500 times), and calling a function costs a third as much."""
        after = self.after
        checked = self._checked
        if after is None:

            def converter(value: Any) -> Any:
                classes = self.classes
                if classes is not None and isinstance(value, classes):
                    return value
                return checked(value)

        else:

            def converter(value: Any) -> Any:
                classes = self.classes
                if classes is not None and isinstance(value, classes):
                    return after(value)
                return checked(value)

        return converter

    def _checked(self, value: Any) -> Any:
        test = self.test
        if test is None:
            # Annotations are text (PEP 563) until the module that defines the class is complete.
            if self.kind is _UNRESOLVED:
                self.kind = type_hints(self.cls)[self.name]
            test = self.test = _test(self.kind)
            self.classes = _classes(self.kind)
        if not test(value):
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


@functools.cache
def _signature(kind: Any, accepts: Accepts | None) -> inspect.Signature:
    # once per annotation: 237 fields have 76 distinct types, and building the union of what a
    # constructor accepts is most of the cost
    annotation = accepts(kind) if accepts is not None else kind
    parameter = inspect.Parameter("value", inspect.Parameter.POSITIONAL_ONLY, annotation=annotation)
    return inspect.Signature([parameter], return_annotation=kind)


Accepts: TypeAlias = Callable[[Any], Any]
"""What a constructor takes for a field of a type, as a type (for its signature)."""

Transformer: TypeAlias = "Callable[[type, list[attrs.Attribute[Any]]], list[attrs.Attribute[Any]]]"


def _transform(read: Reader | None, accepts: Accepts | None) -> Transformer:
    def transform(cls: type, fields: list[attrs.Attribute[Any]]) -> list[attrs.Attribute[Any]]:
        try:  # what every field's constructor argument accepts, for its signature (and `help`)
            hints = type_hints(cls)
        except NameError:  # pragma: no cover - a name defined after the class: annotations stay lazy
            hints = {}
        checked = []
        for field in fields:
            after = field.converter
            if after is not None and not callable(after):  # pragma: no cover - attrs.Converter objects are callable
                raise TypeError(f"{cls.__name__}.{field.name}: unsupported converter {after!r}")
            check = _Check(cls, field.name, after, read)
            converter = check.convert()
            if field.name in hints:
                check.kind = hints[field.name]
                # what the field's constructor argument accepts (attrs reads it)
                converter.__signature__ = _signature(check.kind, accepts)  # type: ignore[attr-defined]
            checked.append(field.evolve(converter=converter))
        return checked

    return transform


def reading(read: Reader, accepts: Accepts) -> Transformer:
    """A field transformer: values not of a field's type are read by ``read`` (the model passes
    the review file's reader, so the gate needs no import of it); ``accepts(kind)`` is what a
    constructor takes for a field of type ``kind``, shown in its signature."""
    return _transform(read, accepts)


strict = _transform(None, None)
"""A field transformer: values not of a field's type are refused."""
