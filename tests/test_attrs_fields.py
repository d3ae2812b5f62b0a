"""`pirdoc._attrs_fields`: an attrs class's fields (None for any other class), and those that may
hold a value of the classes a walk looks for."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Tuple  # noqa: UP035  # a bare typing.Tuple is one of the cases

import attrs
from hypothesis import given, settings

from pirdoc import model as m
from pirdoc._attrs_fields import fields_of, fields_that_may_hold
from pirdoc.values import Instant
from tests.strategies import reviews


def test_an_attrs_class_gives_its_fields_and_any_other_class_none() -> None:
    assert fields_of(m.Person) == attrs.fields(m.Person)
    assert fields_of(str) is None
    assert fields_of(tuple) is None


def test_an_attrs_class_without_fields_is_still_one() -> None:
    @attrs.frozen
    class Empty:
        pass

    assert fields_of(Empty) == ()  # not None: the walks still treat it as a record
    assert fields_of(Empty) is fields_of(Empty)  # looked up once


def _found(value: Any, wanted: tuple[type, ...], fields: Callable[[type], Any]) -> list[Any]:
    """Every value of a ``wanted`` class in ``value``, in field order, the walk going into the
    fields ``fields`` gives for each class (and into tuples)."""
    if isinstance(value, wanted):
        return [value]
    if isinstance(value, tuple):
        return [found for item in value for found in _found(item, wanted, fields)]
    kept = fields(type(value))
    if kept is None:
        return []
    return [found for field in kept for found in _found(getattr(value, field.name), wanted, fields)]


@settings(max_examples=40, deadline=None)
@given(review=reviews())
def test_skipping_fields_that_cannot_hold_what_a_walk_looks_for_finds_the_same(review: m.Review) -> None:
    from pirdoc.importers.markdown import read_markdown

    corpus = sorted(Path(__file__).parent.parent.joinpath("fixtures", "real-world").glob("*-*.md"))[:3]
    for value in [review, *(read_markdown(path).review for path in corpus)]:
        for wanted in [(str,), (m.Person,), (str, tuple), (Instant,)]:

            def kept(cls: type, wanted: tuple[type, ...] = wanted) -> Any:
                return fields_that_may_hold(cls, wanted)

            found = _found(value, wanted, kept)
            every = _found(value, wanted, fields_of)
            assert len(found) == len(every)
            assert all(a is b for a, b in zip(found, every, strict=True))


def test_a_field_is_kept_when_its_type_may_hold_the_class_looked_for() -> None:
    names = [field.name for field in fields_that_may_hold(Instant, (str,)) or ()]
    assert names == ["text"]  # not its times, precision or qualifier
    people = {field.name for field in fields_that_may_hold(m.Review, (m.Person,)) or ()}
    assert {"incident_commander", "action_items", "review_meeting"} <= people
    assert not people & {"title", "severity", "started_at", "classification"}
    assert fields_that_may_hold(str, (str,)) is None  # not an attrs class


@attrs.frozen
class _Node:
    text: str
    children: tuple[_Node, ...] = ()  # the class itself: it holds text


@attrs.frozen
class _Wide:
    anything: Any
    some: object
    items: Sequence[int]
    old_tuple: Tuple  # type: ignore[type-arg]  # noqa: UP006  # bare: items of any type
    bare: list  # type: ignore[type-arg]
    number: int
    level: m.Level | None


@attrs.frozen
class _Base:
    number: int


@attrs.frozen
class _Sub(_Base):
    text: str


@attrs.frozen
class _Holder:
    base: _Base  # may be a _Sub, which holds text


@attrs.frozen
class _Unresolved:
    later: Undefined  # type: ignore[name-defined]  # noqa: F821
    number: int


def test_only_a_type_known_to_hold_nothing_else_is_left_out() -> None:
    def kept(cls: type) -> list[str]:
        return [field.name for field in fields_that_may_hold(cls, (str,)) or ()]

    assert kept(_Node) == ["text", "children"]
    assert kept(_Wide) == ["anything", "some", "items", "old_tuple", "bare"]
    assert kept(_Holder) == ["base"]
    assert kept(_Unresolved) == ["later", "number"]  # annotations that do not resolve: all kept


def test_a_path_reads_as_every_message_names_a_field() -> None:
    from pirdoc._attrs_fields import join_path, path_text

    assert path_text(None) == ""
    assert path_text((((None, "timeline"), 2), "title")) == "timeline[2].title"
    assert path_text(((None, "action_items"), 0)) == join_path(join_path("", "action_items"), 0) == "action_items[0]"
    assert path_text((None, 3)) == "[3]"  # a list at the top
