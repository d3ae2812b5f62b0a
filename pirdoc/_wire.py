"""The review file's language, shared by every way in: reading values, the private cattrs
converter, and error messages with the path of the value.

`pirdoc.serde` reads files with it; the model's classes use it to convert (or refuse, naming the
field) what a constructor is given that is not already of the field's type. It imports nothing
of the model, so that the model can use it without a cycle.
"""

from __future__ import annotations

import datetime as dt
import difflib
import enum
import math
import re
from collections.abc import Callable, Mapping
from typing import Any, get_args, get_origin

import attrs
import cattrs
from cattrs.errors import (
    AttributeValidationNote,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)
from cattrs.gen import make_dict_structure_fn

from pirdoc import values
from pirdoc._attrs_fields import join_path
from pirdoc._plain import AS_WRITTEN, format_datetime, format_duration
from pirdoc.errors import FieldError

__all__ = [
    "CONVERTER",
    "InputValueError",
    "describe",
    "format_datetime",
    "format_duration",
    "line",
    "messages",
    "parse_datetime",
    "parse_duration",
    "structure",
]

class InputValueError(ValueError):
    """A value of the wrong kind; its message is shown to the user as it is."""


# ---------------------------------------------------------------------------- scalars


def describe(value: Any) -> str:
    """A short, user-facing description of an input value's kind."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, int | float):
        return f"a number ({value!r})"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"text ({shown!r})"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, dt.datetime):
        return f"a date-time ({value.isoformat()})"
    if isinstance(value, dt.date):
        return f"a date ({value.isoformat()})"
    return f"a {type(value).__name__}"


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_datetime(value: Any) -> dt.datetime:
    """A timezone-aware date-time in UTC, from ISO 8601 text with an offset or
    ``YYYY-MM-DD HH:MM UTC``; naive date-times are refused."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise InputValueError(
                f"date-time without a timezone: {value.isoformat()!r}; add 'Z' or an offset like '+02:00', "
                "or write it as 'YYYY-MM-DD HH:MM UTC'"
            )
        return value.astimezone(dt.UTC)
    if not isinstance(value, str):
        raise InputValueError(f"expected a date-time, got {describe(value)}")
    text = value.strip()
    if _ISO_DATE.match(text):
        raise InputValueError(f"not a date-time: {text!r} is a date; add the time and 'Z'")
    try:
        instant = values.parse_instant_wire(text)
    except ValueError as exc:
        raise InputValueError(_instant_message(text, exc)) from None
    if instant.start is None or instant.end is not None or instant.qualifier is not values.Qualifier.EXACT or (
        instant.precision not in (values.Precision.MINUTE, values.Precision.SECOND)
    ):
        examples = "'2026-03-14T13:45:00Z' or '2026-03-14 13:45 UTC'"
        raise InputValueError(f"not a date-time: {text!r} (write e.g. {examples})")
    return instant.start


def _instant_message(text: str, exc: ValueError) -> str:
    if "timezone" in str(exc):
        return str(exc)
    return (
        f"not a date-time: {text!r} (write e.g. '2026-03-14T13:45:00Z', '2026-03-14 13:45 UTC', a date "
        "'2026-03-14', '~' after it when approximate, or {value: ..., as_written: ...} for words pirdoc cannot read)"
    )


def _parse_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        raise InputValueError(f"expected a date, got a date-time ({value.isoformat()})")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = value.strip()
        if _ISO_DATE.match(text):
            try:
                return dt.date.fromisoformat(text)
            except ValueError:
                pass
        raise InputValueError(f"not a date: {text!r} (write e.g. '2026-03-14')")
    raise InputValueError(f"expected a date, got {describe(value)}")


def parse_duration(value: Any) -> dt.timedelta:
    """A duration from ``1h 5m``, ``65 min``, ``90s``, ``2 hours`` or ISO 8601 ``PT1H5M``."""
    if isinstance(value, dt.timedelta):
        return value
    if not isinstance(value, str):
        hint = " (give a unit, e.g. '65 min')" if isinstance(value, int | float) else ""
        raise InputValueError(f"expected a duration, got {describe(value)}{hint}")
    try:
        return values.parse_duration(value)
    except ValueError as exc:
        raise InputValueError(str(exc)) from None


# -- the value types: a bare value pirdoc can read, or {value, approximate, as_written}

_VALUE_KEYS = frozenset(("value", "approximate", AS_WRITTEN))


def _value_mapping(value: Mapping[Any, Any], what: str) -> tuple[Any, bool | None, str | None]:
    unknown = sorted(str(key) for key in value if key not in _VALUE_KEYS)
    if unknown:
        raise InputValueError(f"unknown key {unknown[0]!r} in {what}; expected value, approximate, as_written")
    written = value.get(AS_WRITTEN)
    if written is not None and not isinstance(written, str):
        raise InputValueError(f"as_written: expected text, got {describe(written)}")
    approximate = value.get("approximate")
    if approximate is not None and not isinstance(approximate, bool):
        raise InputValueError(f"approximate: expected true or false, got {describe(approximate)}")
    return value.get("value"), approximate, (written.strip() or None) if written is not None else None


def structure_instant(value: Any) -> values.Instant:
    """An instant from a data file: ISO 8601 (EDTF ``~``/``?``, ``A/B``), a date-time or date
    object, or ``{value: ..., as_written: ...}``."""
    if isinstance(value, values.Instant):
        return value
    if isinstance(value, dt.datetime):
        return values.Instant.of(parse_datetime(value))
    if isinstance(value, dt.date):
        return values.Instant.of(value)
    if isinstance(value, str):
        text = value.strip()
        try:
            return values.parse_instant_wire(text)
        except ValueError as exc:
            if "timezone" in str(exc):
                raise InputValueError(str(exc)) from None
            try:
                return values.parse_instant(text, assume_utc=False)
            except ValueError:
                raise InputValueError(_instant_message(text, exc)) from None
    if isinstance(value, Mapping):
        typed, approximate, written = _value_mapping(value, "a time")
        if approximate is not None:
            raise InputValueError("approximate: write '~' after the time's value instead")
        if typed is None:
            if written is None:
                raise InputValueError("a time needs a value or as_written")
            try:
                return values.parse_instant(written, assume_utc=False)
            except ValueError:
                return values.Instant(text=written)
        instant = structure_instant(typed)
        return attrs.evolve(instant, text=written)
    raise InputValueError(f"expected a date-time, got {describe(value)}")


def structure_quantity(value: Any) -> values.Quantity:
    """A count from a data file: a number, text with a leading number (``~8.5 million``), or
    ``{value: ..., approximate: ..., as_written: ...}``."""
    if isinstance(value, values.Quantity):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if isinstance(value, float) and not math.isfinite(value):
            raise InputValueError(f"expected a number, got {describe(value)}")
        return values.Quantity(value=value)
    if isinstance(value, str):
        quantity = values.parse_quantity(value, percent=True) if value.strip() else None
        if quantity is None or quantity.value is None:
            raise InputValueError(
                f"expected a number, got {describe(value)}; to keep words without a number, "
                "write {as_written: ...}"
            )
        return quantity
    if isinstance(value, Mapping):
        typed, approximate, written = _value_mapping(value, "a number")
        if typed is not None and (isinstance(typed, bool) or not isinstance(typed, int | float)):
            raise InputValueError(f"value: expected a number, got {describe(typed)}")
        if typed is None and written is None:
            raise InputValueError("a number needs a value or as_written")
        return values.Quantity(value=typed, approximate=bool(approximate), text=written)
    raise InputValueError(f"expected a number, got {describe(value)}")


def structure_duration(value: Any) -> values.Duration:
    """A duration from a data file: ``1h 5m`` (with qualifiers and notes: ``about 18 hours``),
    a timedelta, or ``{value: ..., approximate: ..., as_written: ...}``."""
    if isinstance(value, values.Duration):
        return value
    if isinstance(value, dt.timedelta):
        return values.Duration.of(value)
    if isinstance(value, str):
        duration = values.parse_duration_text(value) if value.strip() else None
        if duration is None or duration.value is None:
            text = value.strip()
            raise InputValueError(
                f"not a duration: {text!r} (write e.g. '1h 5m', '65 min' or 'PT1H5M'; "
                "to keep words without a duration, write {as_written: ...})"
            )
        return duration
    if isinstance(value, Mapping):
        typed, approximate, written = _value_mapping(value, "a duration")
        if typed is None and written is None:
            raise InputValueError("a duration needs a value or as_written")
        span = parse_duration(typed) if typed is not None else None
        return values.Duration(value=span, approximate=bool(approximate), text=written)
    hint = " (give a unit, e.g. '65 min')" if isinstance(value, int | float) and not isinstance(value, bool) else ""
    raise InputValueError(f"expected a duration, got {describe(value)}{hint}")


def _strict_str(value: Any, _: Any) -> str:
    if isinstance(value, str):
        return value
    hint = ""
    if isinstance(value, bool | int | float):
        hint = "; put it in quotes if it is meant as text"
    raise InputValueError(f"expected text, got {describe(value)}{hint}")


def _strict_int(value: Any, _: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    raise InputValueError(f"expected a whole number, got {describe(value)}")


def _strict_float(value: Any, _: Any) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    raise InputValueError(f"expected a number, got {describe(value)}")


def _strict_bool(value: Any, _: Any) -> bool:
    if isinstance(value, bool):
        return value
    raise InputValueError(f"expected true or false, got {describe(value)}")


def _structure_enum(value: Any, cl: type[enum.Enum]) -> enum.Enum:
    choices = [member.value for member in cl]
    if isinstance(value, str):
        text = value.strip()
        for member in cl:
            if text == member.value or text.casefold() == str(member.value).casefold():
                return member
    shown = repr(value) if isinstance(value, str) else describe(value)
    raise InputValueError(f"not a valid {_enum_noun(cl)}: {shown}; expected one of {', '.join(choices)}")


def _enum_noun(cl: type[enum.Enum]) -> str:
    words = re.sub(r"(?<!^)(?=[A-Z])", " ", cl.__name__).lower()
    return {"milestone": "milestone kind", "level": "level (Low/Medium/High)"}.get(words, words)


# ---------------------------------------------------------------------------- the converter


def _is_homogeneous_tuple(cl: Any) -> bool:
    args = get_args(cl)
    return get_origin(cl) is tuple and len(args) == 2 and args[1] is Ellipsis


def _make_converter() -> cattrs.Converter:
    converter = cattrs.Converter(forbid_extra_keys=True, omit_if_default=True, detailed_validation=True)
    converter.register_structure_hook(str, _strict_str)
    converter.register_structure_hook(int, _strict_int)
    converter.register_structure_hook(float, _strict_float)
    converter.register_structure_hook(bool, _strict_bool)
    converter.register_structure_hook(dt.datetime, lambda v, _: parse_datetime(v))
    converter.register_structure_hook(dt.date, lambda v, _: _parse_date(v))
    converter.register_structure_hook(dt.timedelta, lambda v, _: parse_duration(v))
    converter.register_structure_hook(values.Instant, lambda v, _: structure_instant(v))
    converter.register_structure_hook(values.Quantity, lambda v, _: structure_quantity(v))
    converter.register_structure_hook(values.Duration, lambda v, _: structure_duration(v))
    converter.register_structure_hook_func(
        lambda cl: isinstance(cl, type) and issubclass(cl, enum.Enum), _structure_enum
    )
    converter.register_structure_hook_factory(_is_homogeneous_tuple, lambda cl: _tuple_structure_hook(converter, cl))
    converter.register_structure_hook_factory(attrs.has, lambda cl: _class_structure_hook(converter, cl))
    _register_from_text(converter)
    return converter


def _tuple_structure_hook(converter: cattrs.Converter, cl: Any) -> Callable[[Any, Any], Any]:
    """Like cattrs' own, but a string or mapping is not silently taken as a list."""
    item_type = get_args(cl)[0]

    def structure(value: Any, _: Any) -> tuple[Any, ...]:
        if not isinstance(value, list | tuple):
            raise InputValueError(f"expected a list, got {describe(value)}")
        hook = converter.get_structure_hook(item_type)
        items, errors = [], []
        for index, item in enumerate(value):
            try:
                items.append(hook(item, item_type))
            except Exception as exc:
                note = IterableValidationNote(f"Structuring {cl} @ index {index}", index, item_type)
                exc.__notes__ = [*getattr(exc, "__notes__", []), note]
                errors.append(exc)
        if errors:
            raise IterableValidationError(f"While structuring {cl!r}", errors, cl)
        return tuple(items)

    return structure


def _class_structure_hook(converter: cattrs.Converter, cl: type) -> Callable[[Any, Any], Any]:
    """cattrs' generated hook, behind a check that the input is a mapping with text keys."""
    generated: Callable[[Any, Any], Any] = make_dict_structure_fn(cl, converter)

    def structure(value: Any, _: Any) -> Any:
        if isinstance(value, cl):  # built already (a constructor's argument), hence valid
            return value
        if not isinstance(value, Mapping):
            raise InputValueError(f"expected a mapping of fields, got {describe(value)}")
        if not all(isinstance(key, str) for key in value):
            value = {str(key): item for key, item in value.items()}
        return generated(value, cl)

    return structure


def _register_from_text(converter: cattrs.Converter) -> None:
    """A class with a ``FROM_TEXT`` field name (a person: ``name``) is a plain text or a mapping
    (`pirdoc._plain` writes it as plain text when that is all it holds)."""

    def from_text(cl: Any) -> bool:
        return attrs.has(cl) and isinstance(getattr(cl, "FROM_TEXT", None), str)

    def structure_factory(cl: Any) -> Callable[[Any, Any], Any]:
        structure_mapping = _class_structure_hook(converter, cl)
        field: str = cl.FROM_TEXT

        def structure(value: Any, _: Any) -> Any:
            if isinstance(value, str):
                return cl(**{field: value})
            return structure_mapping(value, cl)

        return structure

    converter.register_structure_hook_factory(from_text, structure_factory)


CONVERTER = _make_converter()
"""The one converter between plain data and the model (private to pirdoc)."""


# ---------------------------------------------------------------------------- error messages


def _field_names(cl: Any) -> list[str]:
    return [field.name for field in attrs.fields(cl)] if attrs.has(cl) else []


def _unknown_key_message(key: str, cl: type) -> str:
    names = _field_names(cl)
    close = difflib.get_close_matches(key, names, n=1, cutoff=0.6)
    if close:
        return f"unknown key; did you mean {close[0]!r}?"
    return f"unknown key; expected one of: {', '.join(names)}"


def messages(exc: BaseException, path: str) -> list[tuple[str, str]]:
    """Flatten a cattrs error tree into (path, message) pairs (after cattrs' transform_error)."""
    if isinstance(exc, ClassValidationError | IterableValidationError):
        found: list[tuple[str, str]] = []
        with_notes, without = exc.group_exceptions()
        for sub, note in with_notes:
            part = note.name if isinstance(note, AttributeValidationNote) else note.index
            found.extend(messages(sub, join_path(path, part)))
        for sub in without:
            found.extend(messages(sub, path))
        return found
    if isinstance(exc, ForbiddenExtraKeysError):
        return [(join_path(path, key), _unknown_key_message(key, exc.cl)) for key in sorted(exc.extra_fields)]
    if isinstance(exc, KeyError):
        return [(path, "required field missing")]
    if isinstance(exc, InputValueError):
        return [(path, str(exc))]
    if isinstance(exc, FieldError):
        return [(join_path(path, sub) if sub else path, message) for sub, message in exc.pairs]
    return [(path, f"invalid value ({type(exc).__name__}: {exc})")]


def line(path: str, message: str) -> str:
    return f"{path or 'top level'}: {message}"





def structure(value: Any, type_: Any, path: str) -> Any:
    """``value`` as ``type_``, read the way a review file is; raises `FieldError` naming ``path``
    and everything wrong below it."""
    try:
        return CONVERTER.structure(value, type_)
    except (ClassValidationError, IterableValidationError) as exc:
        raise FieldError(messages(exc, path)) from None
    except InputValueError as exc:
        raise FieldError([(path, str(exc))]) from None
    except FieldError as exc:
        raise FieldError([(join_path(path, sub) if sub else path, message) for sub, message in exc.pairs]) from None
