"""What incident platforms record beyond the template: participants with roles over time, typed
tags with their source, cost items, related and duplicate incidents (issue 18).

These classes are part of the model (`pirdoc.model` re-exports them); they sit in their own module
so that model.py stays one readable file. Every field is optional in a review: a review written
for the template alone leaves them all empty.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable

import attrs

from pirdoc._fielddocs import document_fields
from pirdoc._gate import strict
from pirdoc._methods import value_methods
from pirdoc._model_fields import Person, _instant, _optional_text, _quantity, _required_text, gate
from pirdoc.values import Instant, Quantity

__all__ = [
    "CostItem",
    "CostTotal",
    "Participant",
    "RelatedIncident",
    "Tag",
    "TagKind",
    "cost_totals",
]


@value_methods
@attrs.frozen(kw_only=True, repr=False, eq=False, field_transformer=gate)
class Participant:
    """Someone who took part, in one role, for a while.

    Roles are an open set (``Incident Commander``, ``Scribe``, ``Liaison``, ``Technical Lead``,
    ``Observer`` …). A hand-off is two participants in the same role, the first ``until`` the
    moment the second holds it ``since``."""

    person: Person
    """Who (in a review file, a plain name or a mapping)."""
    role: str = _required_text(markdown=False)
    """The role they held, as the platform names it."""
    since: Instant | None = attrs.field(default=None, converter=_instant)
    """When they took the role (None: from the start)."""
    until: Instant | None = attrs.field(default=None, converter=_instant)
    """When they handed it on (None: to the end)."""


class TagKind(enum.Enum):
    """What a tag names."""

    SERVICE = "service"
    TEAM = "team"
    REGION = "region"
    CUSTOMER = "customer"
    CUSTOM = "custom"


@value_methods
@attrs.frozen(kw_only=True, repr=False, eq=False, field_transformer=gate)
class Tag:
    """A typed label on the incident, with where it came from."""

    kind: TagKind = TagKind.CUSTOM
    """What the tag names: a service, team, region, customer, or anything else (custom)."""
    value: str = _required_text(markdown=False)
    """The tag's text as the platform wrote it."""
    source: str | None = _optional_text(markdown=False)
    """Where the tag came from (``Dispatch``, ``PagerDuty service``, ``manual``)."""


@value_methods
@attrs.frozen(kw_only=True, repr=False, eq=False, field_transformer=gate)
class CostItem:
    """One cost of the incident: an amount in a currency, of a kind."""

    amount: Quantity = attrs.field(converter=_quantity)
    """The amount as written (``12400``, ``~3,000``)."""
    currency: str | None = _optional_text(markdown=False)
    """ISO 4217 code or symbol (``USD``, ``EUR``); None when not stated."""
    kind: str | None = _optional_text(markdown=False)
    """What it paid for (``response``, ``SLA credits``, ``cloud spend``)."""
    description: str | None = _optional_text(markdown=True)
    """What the cost was, in the writer's words (Markdown inline text)."""


@value_methods
@attrs.frozen(kw_only=True, repr=False, eq=False, field_transformer=strict)
class CostTotal:
    """The sum of the cost items in one currency."""

    currency: str | None
    """The currency as the items write it (upper case); None for items without one."""
    amount: float
    """The sum of the items' amounts."""
    approximate: bool
    """True if any item summed was approximate."""
    items: int
    """How many items were summed (items without a number are left out)."""


def cost_totals(costs: Iterable[CostItem]) -> tuple[CostTotal, ...]:
    """The cost items summed per currency, in the order each currency first appears; items whose
    amount has no number (prose) are not summed."""
    sums: dict[str | None, tuple[float, bool, int]] = {}
    for item in costs:
        if item.amount.value is None:
            continue
        key = item.currency.upper() if item.currency else None
        total, approximate, count = sums.get(key, (0.0, False, 0))
        sums[key] = (total + float(item.amount.value), approximate or item.amount.approximate, count + 1)
    return tuple(
        CostTotal(currency=currency, amount=total, approximate=approximate, items=count)
        for currency, (total, approximate, count) in sums.items()
    )


@value_methods
@attrs.frozen(kw_only=True, repr=False, eq=False, field_transformer=gate)
class RelatedIncident:
    """Another incident this one is related to, or a duplicate of it."""

    id: str = _required_text(markdown=False)
    """The other incident's id as its platform writes it (``INC-2041``)."""
    title: str | None = _optional_text(markdown=False)
    """The other incident's title."""
    link: str | None = _optional_text(markdown=False)
    """Where the other incident's record is."""
    duplicate: bool = False
    """True if that incident is a duplicate of this one (or this one of it)."""


document_fields(globals())  # help() lists each field with its description
