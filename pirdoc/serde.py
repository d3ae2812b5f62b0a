"""Loading and dumping reviews: YAML, JSON and TOML through one private cattrs converter.

The wire format is plain data: keys are the attrs field names, enums are written by value,
date-times as ISO 8601 with an offset (or ``2026-03-14 13:45 UTC``, as the template writes
them), dates as ``2026-03-14``, durations as ``1h 5m`` (``65 min``, ``90s``, ``PT1H5M`` are read
too), a person as a plain name or a mapping. Every structural error is reported at once, each
with the path of the value (``timeline[3].at: not a date-time: 'noon'``), as a
`ReviewLoadError`.
"""

from __future__ import annotations

import datetime as dt
import difflib
import enum
import json
import math
import os
import re
import sys
import tomllib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Literal, TypeAlias, get_args, get_origin

import attrs
import cattrs
import tomli_w
import yaml
from cattrs.errors import (
    AttributeValidationNote,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn

from pirdoc import values
from pirdoc._files import read_input, write_bytes
from pirdoc.errors import ReviewLoadError
from pirdoc.limits import MARKDOWN_SUFFIXES, MAX_INPUT_BYTES, check_data, check_review
from pirdoc.model import Person, Review

__all__ = [
    "FORMATS",
    "INPUT_SUFFIXES",
    "MARKDOWN_SUFFIXES",
    "MAX_INPUT_BYTES",
    "Format",
    "dump",
    "dumps",
    "format_datetime",
    "format_duration",
    "format_for_path",
    "load",
    "loads",
    "parse_datetime",
    "parse_duration",
]

Format: TypeAlias = Literal["yaml", "json", "toml"]
FORMATS: tuple[Format, ...] = ("yaml", "json", "toml")
_SUFFIXES: dict[str, Format] = {".yaml": "yaml", ".yml": "yaml", ".json": "json", ".toml": "toml"}
INPUT_SUFFIXES = (*_SUFFIXES, *MARKDOWN_SUFFIXES)
"""Every file suffix `load` reads."""


class InputValueError(ValueError):
    """A value of the wrong kind; its message is shown to the user as it is."""


# ---------------------------------------------------------------------------- scalars


def _describe(value: Any) -> str:
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
        raise InputValueError(f"expected a date-time, got {_describe(value)}")
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


def format_datetime(value: dt.datetime) -> str:
    """``2026-03-14T13:45:00Z``; microseconds only when there are some."""
    if value.tzinfo is None:
        raise ValueError(f"cannot write a naive date-time: {value.isoformat()}")
    utc = value.astimezone(dt.UTC).replace(tzinfo=None)
    return utc.isoformat(timespec="seconds" if utc.microsecond == 0 else "microseconds") + "Z"


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
    raise InputValueError(f"expected a date, got {_describe(value)}")


def parse_duration(value: Any) -> dt.timedelta:
    """A duration from ``1h 5m``, ``65 min``, ``90s``, ``2 hours`` or ISO 8601 ``PT1H5M``."""
    if isinstance(value, dt.timedelta):
        return value
    if not isinstance(value, str):
        hint = " (give a unit, e.g. '65 min')" if isinstance(value, int | float) else ""
        raise InputValueError(f"expected a duration, got {_describe(value)}{hint}")
    try:
        return values.parse_duration(value)
    except ValueError as exc:
        raise InputValueError(str(exc)) from None


format_duration = values.timedelta_text


# -- the value types: a bare value pirdoc can read, or {value, approximate, as_written}

_AS_WRITTEN = "as_written"
_VALUE_KEYS = frozenset(("value", "approximate", _AS_WRITTEN))


def _value_mapping(value: Mapping[Any, Any], what: str) -> tuple[Any, bool | None, str | None]:
    unknown = sorted(str(key) for key in value if key not in _VALUE_KEYS)
    if unknown:
        raise InputValueError(f"unknown key {unknown[0]!r} in {what}; expected value, approximate, as_written")
    written = value.get(_AS_WRITTEN)
    if written is not None and not isinstance(written, str):
        raise InputValueError(f"as_written: expected text, got {_describe(written)}")
    approximate = value.get("approximate")
    if approximate is not None and not isinstance(approximate, bool):
        raise InputValueError(f"approximate: expected true or false, got {_describe(approximate)}")
    return value.get("value"), approximate, (written.strip() or None) if written is not None else None


def structure_instant(value: Any) -> values.Instant:
    """An instant from a data file: ISO 8601 (EDTF ``~``/``?``, ``A/B``), a date-time or date
    object, or ``{value: ..., as_written: ...}``."""
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
    raise InputValueError(f"expected a date-time, got {_describe(value)}")


def unstructure_instant(instant: values.Instant) -> Any:
    wire = values.instant_wire(instant)
    if instant.text is None and wire is not None:
        return wire
    data: dict[str, Any] = {} if wire is None else {"value": wire}
    if instant.text is not None:
        data[_AS_WRITTEN] = instant.text
    return data


def structure_quantity(value: Any) -> values.Quantity:
    """A count from a data file: a number, text with a leading number (``~8.5 million``), or
    ``{value: ..., approximate: ..., as_written: ...}``."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        if isinstance(value, float) and not math.isfinite(value):
            raise InputValueError(f"expected a number, got {_describe(value)}")
        return values.Quantity(value=value)
    if isinstance(value, str):
        quantity = values.parse_quantity(value, percent=True) if value.strip() else None
        if quantity is None or quantity.value is None:
            raise InputValueError(
                f"expected a number, got {_describe(value)}; to keep words without a number, "
                "write {as_written: ...}"
            )
        return quantity
    if isinstance(value, Mapping):
        typed, approximate, written = _value_mapping(value, "a number")
        if typed is not None and (isinstance(typed, bool) or not isinstance(typed, int | float)):
            raise InputValueError(f"value: expected a number, got {_describe(typed)}")
        if typed is None and written is None:
            raise InputValueError("a number needs a value or as_written")
        return values.Quantity(value=typed, approximate=bool(approximate), text=written)
    raise InputValueError(f"expected a number, got {_describe(value)}")


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
    data: dict[str, Any] = {}
    if quantity.value is not None:
        data["value"] = quantity.value
    if quantity.approximate:
        data["approximate"] = True
    if quantity.text is not None:
        data[_AS_WRITTEN] = quantity.text
    return data


def structure_duration(value: Any) -> values.Duration:
    """A duration from a data file: ``1h 5m`` (with qualifiers and notes: ``about 18 hours``),
    a timedelta, or ``{value: ..., approximate: ..., as_written: ...}``."""
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
    raise InputValueError(f"expected a duration, got {_describe(value)}{hint}")


def unstructure_duration(duration: values.Duration) -> Any:
    if duration.text is None and not duration.approximate and duration.value is not None:
        return values.timedelta_text(duration.value)
    if (
        duration.text is not None
        and duration.value is not None
        and values.parse_duration_text(duration.text) == duration
    ):
        return duration.text
    data: dict[str, Any] = {}
    if duration.value is not None:
        data["value"] = values.timedelta_text(duration.value)
    if duration.approximate:
        data["approximate"] = True
    if duration.text is not None:
        data[_AS_WRITTEN] = duration.text
    return data


def _strict_str(value: Any, _: Any) -> str:
    if isinstance(value, str):
        return value
    hint = ""
    if isinstance(value, bool | int | float):
        hint = "; put it in quotes if it is meant as text"
    raise InputValueError(f"expected text, got {_describe(value)}{hint}")


def _strict_int(value: Any, _: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    raise InputValueError(f"expected a whole number, got {_describe(value)}")


def _strict_float(value: Any, _: Any) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    raise InputValueError(f"expected a number, got {_describe(value)}")


def _strict_bool(value: Any, _: Any) -> bool:
    if isinstance(value, bool):
        return value
    raise InputValueError(f"expected true or false, got {_describe(value)}")


def _structure_enum(value: Any, cl: type[enum.Enum]) -> enum.Enum:
    choices = [member.value for member in cl]
    if isinstance(value, str):
        text = value.strip()
        for member in cl:
            if text == member.value or text.casefold() == str(member.value).casefold():
                return member
    shown = repr(value) if isinstance(value, str) else _describe(value)
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
    converter.register_unstructure_hook(dt.datetime, format_datetime)
    converter.register_unstructure_hook(dt.date, dt.date.isoformat)
    converter.register_unstructure_hook(dt.timedelta, format_duration)
    converter.register_unstructure_hook(values.Instant, unstructure_instant)
    converter.register_unstructure_hook(values.Quantity, unstructure_quantity)
    converter.register_unstructure_hook(values.Duration, unstructure_duration)
    converter.register_structure_hook_func(
        lambda cl: isinstance(cl, type) and issubclass(cl, enum.Enum), _structure_enum
    )
    converter.register_structure_hook_factory(_is_homogeneous_tuple, lambda cl: _tuple_structure_hook(converter, cl))
    converter.register_structure_hook_factory(attrs.has, lambda cl: _class_structure_hook(converter, cl))
    _register_person(converter)
    return converter


def _tuple_structure_hook(converter: cattrs.Converter, cl: Any) -> Callable[[Any, Any], Any]:
    """Like cattrs' own, but a string or mapping is not silently taken as a list."""
    item_type = get_args(cl)[0]

    def structure(value: Any, _: Any) -> tuple[Any, ...]:
        if not isinstance(value, list | tuple):
            raise InputValueError(f"expected a list, got {_describe(value)}")
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
        if not isinstance(value, Mapping):
            raise InputValueError(f"expected a mapping of fields, got {_describe(value)}")
        if not all(isinstance(key, str) for key in value):
            value = {str(key): item for key, item in value.items()}
        return generated(value, cl)

    return structure


def _register_person(converter: cattrs.Converter) -> None:
    """A person is a plain name or a mapping; written as a plain name when that is all."""
    structure_mapping = _class_structure_hook(converter, Person)
    unstructure_mapping = make_dict_unstructure_fn(Person, converter, _cattrs_omit_if_default=True)

    def structure(value: Any, cl: Any) -> Person:
        if isinstance(value, str):
            return Person(name=value)
        return structure_mapping(value, cl)  # type: ignore[no-any-return]

    def unstructure(person: Person) -> Any:
        data = unstructure_mapping(person)
        return person.name if list(data) == ["name"] else data

    converter.register_structure_hook(Person, structure)
    converter.register_unstructure_hook(Person, unstructure)


_CONVERTER = _make_converter()


# ---------------------------------------------------------------------------- error messages


def _join(path: str, part: str | int) -> str:
    if isinstance(part, int):
        return f"{path}[{part}]"
    return f"{path}.{part}" if path else part


def _field_names(cl: Any) -> list[str]:
    return [field.name for field in attrs.fields(cl)] if attrs.has(cl) else []


def _unknown_key_message(key: str, cl: type) -> str:
    names = _field_names(cl)
    close = difflib.get_close_matches(key, names, n=1, cutoff=0.6)
    if close:
        return f"unknown key; did you mean {close[0]!r}?"
    return f"unknown key; expected one of: {', '.join(names)}"


def _messages(exc: BaseException, path: str) -> list[tuple[str, str]]:
    """Flatten a cattrs error tree into (path, message) pairs (after cattrs' transform_error)."""
    if isinstance(exc, ClassValidationError | IterableValidationError):
        found: list[tuple[str, str]] = []
        with_notes, without = exc.group_exceptions()
        for sub, note in with_notes:
            part = note.name if isinstance(note, AttributeValidationNote) else note.index
            found.extend(_messages(sub, _join(path, part)))
        for sub in without:
            found.extend(_messages(sub, path))
        return found
    if isinstance(exc, ForbiddenExtraKeysError):
        return [(_join(path, key), _unknown_key_message(key, exc.cl)) for key in sorted(exc.extra_fields)]
    if isinstance(exc, KeyError):
        return [(path, "required field missing")]
    if isinstance(exc, InputValueError):
        return [(path, str(exc))]
    return [(path, f"invalid value ({type(exc).__name__}: {exc})")]


def _line(path: str, message: str) -> str:
    return f"{path or 'top level'}: {message}"


# ---------------------------------------------------------------------------- parsing


def _no_timestamp_loader(base: type[Any] = yaml.SafeLoader) -> type[yaml.SafeLoader]:
    """A SafeLoader that leaves timestamps as text (so we see the offset, or its absence), reads
    only true/false as booleans (not yes/no/on/off), and refuses duplicate keys."""

    class Loader(base):  # type: ignore[misc]
        pass

    Loader.yaml_implicit_resolvers = {
        first: [
            (tag, regexp)
            for tag, regexp in resolvers
            if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")
        ]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    Loader.add_implicit_resolver(
        "tag:yaml.org,2002:bool",
        re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
        list("tTfF"),
    )

    def construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
        loader.flatten_mapping(node)
        mapping: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, str | int | float | bool) and key is not None:
                raise yaml.constructor.ConstructorError(None, None, "a mapping key must be text", key_node.start_mark)
            if key in mapping:
                raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
            mapping[key] = loader.construct_object(value_node, deep=True)
        return mapping

    Loader.add_constructor("tag:yaml.org,2002:map", construct_mapping)
    return Loader


_YamlLoader = _no_timestamp_loader()
# The same loader on libyaml's parser (about 8× faster) when PyYAML was built with it. It reads
# valid input only: on any error the pure-Python loader parses again and reports, so messages and
# positions do not depend on how PyYAML was built. Text with a tab goes to the pure-Python loader
# alone: libyaml accepts tabs in places where it rejects them.
_FastYamlLoader = _no_timestamp_loader(yaml.CSafeLoader) if getattr(yaml, "__with_libyaml__", False) else None


class _YamlDumper(yaml.SafeDumper):
    """Writes date-times and dates unquoted: our loader reads them back as text anyway."""


_YamlDumper.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeDumper.yaml_implicit_resolvers.items()
}

# PyYAML writes these unescaped in single-quoted and block scalars, then reads them back as line
# breaks (NEL, LS, PS) or drops them (BOM); only the double-quoted style escapes them.
_YAML_ESCAPE_ONLY = re.compile("[\x85\u2028\u2029\ufeff]")


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = '"' if _YAML_ESCAPE_ONLY.search(value) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_YamlDumper.add_representer(str, _represent_str)


def _yaml_error(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    text = f"{context}: {problem}" if context and problem else problem
    text = f"YAML syntax error: {text}"
    if mark is not None:
        return f"line {mark.line + 1}, column {mark.column + 1}: {text}"
    return text


def _parse(text: str, fmt: Format) -> Any:
    if fmt == "yaml":
        if _FastYamlLoader is not None and "\t" not in text:
            try:
                return yaml.load(text, Loader=_FastYamlLoader)  # a CSafeLoader subclass
            except Exception:
                pass  # reported below, by the pure-Python loader
        try:
            return yaml.load(text, Loader=_YamlLoader)  # a SafeLoader subclass
        except yaml.YAMLError as exc:
            raise ReviewLoadError([_yaml_error(exc)]) from exc
        except RecursionError as exc:
            raise ReviewLoadError(["YAML input is nested too deeply"]) from exc
        except ValueError as exc:
            raise ReviewLoadError([_number_too_long(text, "YAML", exc)]) from exc
    if fmt == "json":
        try:
            data = json.loads(text, object_pairs_hook=_JsonObject)
        except json.JSONDecodeError as exc:
            raise ReviewLoadError([f"line {exc.lineno}, column {exc.colno}: JSON syntax error: {exc.msg}"]) from exc
        except RecursionError as exc:
            raise ReviewLoadError(["JSON input is nested too deeply"]) from exc
        except ValueError as exc:
            raise ReviewLoadError([_number_too_long(text, "JSON", exc)]) from exc
        duplicates = _json_duplicates(data)
        if duplicates:
            raise ReviewLoadError(duplicates)
        return data
    if fmt == "toml":
        try:
            return tomllib.loads(text)
        except RecursionError as exc:
            raise ReviewLoadError(["TOML input is nested too deeply"]) from exc
        except tomllib.TOMLDecodeError as exc:
            # tomllib puts "(at line L, column C)" at the end of its message.
            message = str(exc)
            located = re.match(r"^(.*) \(at line (\d+), column (\d+)\)$", message)
            at_end = re.match(r"^(.*) \(at end of document\)$", message)
            if located:
                message = f"line {located[2]}, column {located[3]}: TOML syntax error: {located[1]}"
            elif at_end:
                message = f"end of input: TOML syntax error: {at_end[1]}"
            else:
                message = f"TOML syntax error: {message}"
            raise ReviewLoadError([message]) from exc
        except ValueError as exc:
            raise ReviewLoadError([_number_too_long(text, "TOML", exc)]) from exc


_LONG_NUMBER = re.compile(rf"\d{{{sys.get_int_max_str_digits() + 1},}}") if sys.get_int_max_str_digits() else None


def _number_too_long(text: str, syntax: str, exc: ValueError) -> str:
    """The message for the one `ValueError` a parser raises for well-formed input: an integer
    with more digits than Python converts (4,300 unless configured otherwise)."""
    found = _LONG_NUMBER.search(text) if _LONG_NUMBER is not None else None
    if found is None:
        return f"{syntax} input cannot be read: {exc}"
    line = text.count("\n", 0, found.start()) + 1
    column = found.start() - (text.rfind("\n", 0, found.start()) + 1) + 1
    return (f"line {line}, column {column}: a number with {len(found[0]):,} digits; "
            f"the limit is {sys.get_int_max_str_digits():,}")


class _JsonObject(dict[str, Any]):
    """A JSON object that remembers the keys it held more than once (JSON's last-one-wins would
    silently drop the earlier values; YAML input refuses duplicates too)."""

    def __init__(self, pairs: list[tuple[str, Any]]) -> None:
        super().__init__(pairs)
        self.duplicates: list[str] = []
        if len(self) < len(pairs):
            counts: dict[str, int] = {}
            for key, _ in pairs:
                counts[key] = counts.get(key, 0) + 1
            self.duplicates = [key for key, count in counts.items() if count > 1]


def _json_duplicates(data: Any) -> list[str]:
    """``path: duplicate key`` for every key given twice in one JSON object, walked iteratively."""
    found: list[str] = []
    stack: list[tuple[str, Any]] = [("", data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, _JsonObject):
            found.extend(_line(_join(path, key), "duplicate key; the object gives it more than once")
                         for key in value.duplicates)
            stack.extend((_join(path, key), item) for key, item in reversed(value.items()))
        elif isinstance(value, list):
            stack.extend((_join(path, index), item) for index, item in reversed(list(enumerate(value))))
    return found


def _check_format(fmt: str) -> Format:
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    return fmt


def format_for_path(path: str | os.PathLike[str]) -> Format:
    """The format a file name's suffix stands for (.yaml/.yml, .json, .toml)."""
    suffix = Path(path).suffix.lower()
    if suffix not in _SUFFIXES:
        raise ValueError(
            f"cannot tell the format of {os.fspath(path)!r} from its suffix; use one of {', '.join(_SUFFIXES)}"
        )
    return _SUFFIXES[suffix]


def loads(text: str | bytes, format: Format = "yaml") -> Review:
    """Read a review from YAML, JSON or TOML text.

    Raises `ReviewLoadError` listing every problem, each as ``path: message``.
    """
    fmt = _check_format(format)
    if isinstance(text, bytes):
        if len(text) > MAX_INPUT_BYTES:
            raise ReviewLoadError([_too_large(len(text))])
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ReviewLoadError([f"not UTF-8 text: byte {exc.start} cannot be decoded ({exc.reason})"]) from exc
    if len(text) > MAX_INPUT_BYTES:
        raise ReviewLoadError([_too_large(len(text.encode("utf-8")))])
    if not text.strip():
        raise ReviewLoadError(["the input is empty; expected a review (a mapping of fields)"])
    data = _parse(text, fmt)
    check_data(data)  # after YAML aliases are expanded, before a Review is made of it
    return _structure(data)


def _too_large(size: int) -> str:
    return f"input is too large ({size / 1024 / 1024:.1f} MB); the limit is {MAX_INPUT_BYTES // 1024 // 1024} MB"


def _structure(data: Any) -> Review:
    if data is None:
        raise ReviewLoadError(["the input is empty; expected a review (a mapping of fields)"])
    if not isinstance(data, Mapping):
        raise ReviewLoadError([_line("", f"expected a mapping of review fields, got {_describe(data)}")])
    try:
        review = _CONVERTER.structure(data, Review)
    except (ClassValidationError, IterableValidationError) as exc:
        raise ReviewLoadError([_line(p, m) for p, m in _messages(exc, "")]) from exc
    except InputValueError as exc:
        raise ReviewLoadError([_line("", str(exc))]) from exc
    check_review(review)
    return review


def load(path: str | os.PathLike[str], format: Format | None = None) -> Review:
    """Read a review from a YAML, JSON or TOML file; the format comes from the suffix unless
    given. (`pirdoc.load` also reads filled-in templates, ``.md`` and ``.markdown``.)

    Raises `ReviewLoadError` (with ``source`` set to the path) for anything that is not a
    readable review, including a missing file.
    """
    source = os.fspath(path)
    try:
        fmt = _check_format(format) if format is not None else format_for_path(path)
    except ValueError as exc:
        raise ReviewLoadError([str(exc)], source) from exc
    data = read_input(path, MAX_INPUT_BYTES)
    try:
        return loads(data, fmt)
    except ReviewLoadError as exc:
        raise ReviewLoadError(exc.errors, source) from exc.__cause__


# ---------------------------------------------------------------------------- dumping


def _without_none(data: Any) -> Any:
    if isinstance(data, dict):
        return {key: _without_none(value) for key, value in data.items() if value is not None}
    if isinstance(data, list):
        return [_without_none(item) for item in data]
    return data


def unstructure(review: Review) -> dict[str, Any]:
    """The review as plain data (text, numbers, booleans, lists, mappings), defaults left out."""
    return _CONVERTER.unstructure(review)  # type: ignore[no-any-return]


def dumps(review: Review, format: Format = "yaml") -> str:
    """The review as YAML, JSON or TOML text, defaults left out; `loads` reads it back equal."""
    fmt = _check_format(format)
    data = unstructure(review)
    if fmt == "yaml":
        return yaml.dump(
            data,
            Dumper=_YamlDumper,
            sort_keys=False,
            allow_unicode=True,
            default_flow_style=False,
            width=100,
        )
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    return tomli_w.dumps(_without_none(data))


def dump(review: Review, path: str | os.PathLike[str], format: Format | None = None) -> None:
    """Write the review to a file in the format its suffix names (or ``format``), atomically."""
    fmt = _check_format(format) if format is not None else format_for_path(path)
    write_bytes(Path(path), dumps(review, fmt).encode("utf-8"))


# ---------------------------------------------------------------------------- a starter file

_STARTER = """\
# yaml-language-server: $schema=review.schema.json   (write it with: pirdoc schema > review.schema.json)
# Post-incident review {incident_id}, started with `pirdoc new`.
# Values are real and the file loads as it is; fill in the rest, uncommenting what you need.
# Check it with: pirdoc validate FILE   (and pirdoc validate --final FILE before sign-off)
# Date-times: 2026-03-14T13:45:00Z, 2026-03-14T15:45:00+02:00 or "2026-03-14 13:45 UTC".
# Durations: 1h 5m, 65 min, 90s, PT1H5M. People: a name, or {{name: ..., role: ..., email: ...}}.

incident_id: {incident_id}
title: ""                       # what the incident is called, e.g. Checkout outage
severity: SEV-3                 # SEV-1 (worst), SEV-2, SEV-3 or SEV-4
status: Draft                   # Draft or Final
started_at: {started_at}  # when the incident began
# ended_at: {started_at}    # when it was over
# date: {today}                # the review's date (default: the start date)

summary:
  one_line: ""                  # what happened, in one line
  root_cause: ""                # the root cause, in one sentence
  resolution: ""                # how it was resolved, in one sentence

# incident_commander: Name
# technical_lead: {{name: Name, role: Technical Lead}}
# other_roles:
#   - {{name: Name, role: Communications Lead}}

services:
  backend_api: false
  frontend: false
  database: false
  redis_cache: false
  monitoring: false
  other: []                     # further services, by name

# impact:
#   user:
#     total_users_affected: 0
#     percentage_of_user_base: 0.0       # 0-100
#     geographic_regions: []
#     user_facing_errors: what users saw
#   business:
#     revenue_impact: N/A
#     sla_breach: false
#     reputation_impact: Low             # Low, Medium or High
#     regulatory_implications: false
#   technical:
#     data_loss: {{occurred: false}}
#     data_corruption: {{occurred: false}}
#     service_degradation: how the service degraded
#     recovery_time: 1h

timeline: []
# timeline:                              # in chronological order
#   - at: {started_at}
#     phase: detection                   # detection, response or resolution
#     kind: detected                     # detected, declared, investigation_began, root_cause_identified,
#                                        # mitigation_started, service_restored or closed (optional)
#     title: Initial Detection
#     details: |-
#       - How detected: monitoring alert
#       - First responder: Name

root_cause:
  what_happened: ""             # detailed technical explanation
  why_it_happened: ""           # underlying reasons: technical, process or human factors
  why_not_caught_earlier: ""    # gaps in monitoring, testing or processes
  contributing_factors: []      # - {{title: ..., description: ..., impact: ...}}
  five_whys: []                 # - {{question: Why did the incident occur?, answer: ...}} (at most five)

went_well:
  aspects: []                   # - {{title: ..., what: ..., why_it_helped: ...}}
  effective_procedures: []

went_wrong:
  issues: []                    # - {{title: ..., what: ..., impact: ..., severity: Medium}}
  procedure_gaps: []

action_items: []
# action_items:
#   - id: AI-1                           # AI-<n>, unique
#     action: what will be done
#     horizon: immediate                 # immediate (1 week), short-term (1 month), long-term (3 months)
#     owner: Name
#     due: {today}
#     status: Open                       # Open, In Progress or Done
#     link: https://tracker.example.com/OPS-1

lessons:
  technical: []                 # - {{title: ..., learned: ..., how_to_apply: ...}}
  process: []
  communication: []

prevention:
  monitoring: []                # - {{text: Add alert for ..., done: false}}
  process: []
  technical: []

# communication:
#   internal_timeline: []                # - {{at: ..., message: Initial notification sent}}
#   channels: ["Slack #incidents", Email distribution list]
#   external: {{status_page_updates: 0, email_notifications: false, social_media: false}}

# metrics:
#   targets: {{detect: 5m, acknowledge: 5m, mitigate: 30m}}   # resolve: defaults by severity
#   impact: {{failed_requests: 0, data_loss_amount: none}}

# review_meeting:
#   date: {today}
#   attendees: [{{name: Name, role: Role}}]
#   discussion_points: []

# approvals default to Incident Commander, Technical Lead and Engineering Manager, undecided:
# approvals:
#   - {{role: Incident Commander, approver: Name, approved: true, date: {today}}}

# owner: Name
"""


def starter_yaml(incident_id: str | None = None, *, now: dt.datetime | None = None) -> str:
    """A commented YAML review to start from; it loads as it is. Placeholders are comments."""
    moment = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(second=0, microsecond=0)
    incident_id = incident_id or f"INC-{moment.year}-0001"
    return _STARTER.format(incident_id=incident_id, started_at=format_datetime(moment), today=moment.date().isoformat())
