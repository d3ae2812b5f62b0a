"""Equality, hashing and repr for the attrs classes of the model and the document, without a
compile per class.

attrs writes ``__eq__``, ``__hash__`` and ``__repr__`` as source text for each class and
compiles it when the class is made. For the eighty classes every command imports that was about
30 ms of each command's start, most of the time attrs spent. Those classes ask attrs for none of
the three (``repr=False, eq=False``) and `value_methods` gives them these, made from the class's
fields when it is decorated. They compare, hash and show the fields attrs would (a field's own
``eq``, ``hash`` and ``repr`` flags are honoured), in the same way: equal when of the same class
with equal fields; hashed from the fields; shown as ``Name(field=value, ...)``.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any, TypeVar

import attrs

__all__ = ["value_methods"]

T = TypeVar("T")


def _getter(names: tuple[str, ...]) -> Callable[[Any], tuple[Any, ...]]:
    """The fields ``names`` of an object as a tuple, read in C."""
    if len(names) > 1:
        return operator.attrgetter(*names)
    if names:
        name = names[0]
        return lambda value: (getattr(value, name),)
    return lambda value: ()


def value_methods(cls: type[T]) -> type[T]:
    """Give attrs class ``cls`` (made with ``repr=False, eq=False``) its ``__eq__``, ``__hash__``
    and ``__repr__``. A subclass needs the decorator too: these read the fields of ``cls``."""
    fields = attrs.fields(cls)  # type: ignore[arg-type]  # any attrs class: the decorator keeps its type
    compared = _getter(tuple(field.name for field in fields if field.eq))
    hashed = _getter(tuple(field.name for field in fields if (field.eq if field.hash is None else field.hash)))
    shown_names = tuple(field.name for field in fields if field.repr)
    shown = _getter(shown_names)
    salt = hash(cls.__qualname__)

    def __eq__(self: Any, other: Any) -> Any:  # noqa: N807  (a method, set on the class below)
        if other.__class__ is not self.__class__:
            return NotImplemented
        return compared(self) == compared(other)

    def __hash__(self: Any) -> int:  # noqa: N807
        return hash((salt, hashed(self)))

    def __repr__(self: Any) -> str:  # noqa: N807
        pairs = ", ".join(f"{name}={value!r}" for name, value in zip(shown_names, shown(self), strict=True))
        return f"{self.__class__.__qualname__}({pairs})"

    for method in (__eq__, __hash__, __repr__):
        method.__qualname__ = f"{cls.__qualname__}.{method.__name__}"
        setattr(cls, method.__name__, method)
    return cls
