"""The model's field helpers and `Person`: what `pirdoc.model` and `pirdoc.model_platform` share.

Converters every field kind uses (text stripped and "" as None; an instant, quantity or duration
from what a review file holds) and the Markdown marker on text fields. `pirdoc.model` re-exports
the public names; this module exists so that the platform classes can use them without a cycle.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar, TypeAlias

import attrs

from pirdoc import values as v
from pirdoc._accepts import accepted
from pirdoc._fielddocs import document_fields
from pirdoc._gate import reading
from pirdoc._methods import value_methods
from pirdoc.values import Duration, Instant, Quantity

__all__ = ["MARKDOWN", "Person", "clean_text", "gate", "is_markdown"]


def _read(value: Any, kind: Any, path: str) -> Any:
    from pirdoc import _wire  # cattrs is imported only when a constructor is given text or a dict

    return _wire.structure(value, kind, path)


gate = reading(_read, accepted)
"""The model's field transformer: a value not of its field's type is read as a review file is."""

def clean_text(value: Any) -> Any:
    """Strip surrounding whitespace from a string and turn an empty one into None.

    Used as the converter of every optional text field, so that "" and None mean the same
    thing ("not recorded") everywhere.
    """
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


InstantInput: TypeAlias = "Instant | dt.datetime | dt.date | str | None"
"""What a time field accepts: an `Instant`, a date-time, a date, or text (as a review file writes it)."""
QuantityInput: TypeAlias = "Quantity | float | str | None"
"""What a count field accepts: a `Quantity`, a number, or text (``~8.5 million``)."""
DurationInput: TypeAlias = "Duration | dt.timedelta | str | None"
"""What a duration field accepts: a `Duration`, a timedelta, or text (``about 18 hours``)."""


def _instant(value: InstantInput) -> Instant | None:
    """A date-time, date or text as an `Instant` (text as a data file writes it, or as people do)."""
    if isinstance(value, dt.datetime | dt.date):
        return Instant.of(value)
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        try:
            return v.parse_instant_wire(text)
        except ValueError:
            return v.parse_instant(text)
    return value


def _quantity(value: QuantityInput) -> Quantity | None:
    """A number or text as a `Quantity`."""
    converted: Quantity | None = v.coerce_number(value)
    return converted


def _duration(value: DurationInput) -> Duration | None:
    """A timedelta or text as a `Duration`."""
    if isinstance(value, dt.timedelta):
        return Duration.of(value)
    if isinstance(value, str):
        return v.parse_duration_text(value) if value.strip() else None
    return value


def _strip(value: str) -> str:
    return value.strip() if isinstance(value, str) else value


def _tuple(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def _text_tuple(value: Any) -> Any:
    """A tuple of non-empty, stripped strings."""
    if isinstance(value, list | tuple):
        return tuple(t for t in (clean_text(v) for v in value) if t is not None)
    return value


MARKDOWN = "markdown"
"""Metadata key marking a text field whose value is Markdown (narrative) rather than plain text."""


def _optional_text(*, markdown: bool = True) -> Any:
    return attrs.field(default=None, converter=clean_text, metadata={MARKDOWN: markdown})


def _required_text(*, markdown: bool = True) -> Any:
    return attrs.field(converter=_strip, metadata={MARKDOWN: markdown})


def _texts(*, markdown: bool = True) -> Any:
    return attrs.field(default=(), converter=_text_tuple, metadata={MARKDOWN: markdown})


def is_markdown(attribute: attrs.Attribute[Any]) -> bool:
    """True if the field holds Markdown (narrative), False if it holds plain text."""
    return bool(attribute.metadata.get(MARKDOWN, False))

@value_methods
@attrs.frozen(kw_only=True, repr=False, eq=False, field_transformer=gate)
class Person:
    """Someone named in the review (in a review file, a plain name or a mapping)."""

    FROM_TEXT: ClassVar[str] = "name"
    """The field a plain text fills."""

    name: str = _required_text(markdown=False)
    """Full name as it should be shown."""
    role: str | None = _optional_text(markdown=False)
    """Role in this incident or review (``Incident Commander``, ``SRE``)."""
    email: str | None = _optional_text(markdown=False)
    """E-mail address, if known."""
    confluence_account_id: str | None = _optional_text(markdown=False)
    """Atlassian account id, for user mentions on Confluence Cloud."""
    confluence_userkey: str | None = _optional_text(markdown=False)
    """User key, for user mentions on Confluence Data Center."""


document_fields(globals())  # help() lists each field with its description
