"""The fields of an attrs class, looked up once per class.

The walks over a review (its people, its characters, its plain data) meet the same few dozen
classes tens of thousands of times; asking attrs each time whether a value's class is one of its
own, and for its fields, was a tenth of laying a review out.
"""

from __future__ import annotations

from typing import Any

import attrs

__all__ = ["fields_of"]

_FIELDS: dict[type, tuple[attrs.Attribute[Any], ...] | None] = {}


def fields_of(cls: type) -> tuple[attrs.Attribute[Any], ...] | None:
    """The fields of ``cls`` if it is an attrs class, else None."""
    try:
        return _FIELDS[cls]
    except KeyError:
        fields = _FIELDS[cls] = tuple(attrs.fields(cls)) if attrs.has(cls) else None
        return fields
