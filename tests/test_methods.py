"""`pirdoc._methods.value_methods`: the model's and the document's classes compare, hash and show
themselves as attrs would, without attrs compiling those methods for each class."""

from __future__ import annotations

from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import pirdoc
from pirdoc import document, model, values
from pirdoc._methods import value_methods
from tests.strategies import reviews


@value_methods
@attrs.frozen(kw_only=True, repr=False, eq=False)
class Shared:
    name: str
    count: int = 0
    notes: dict[str, str] = attrs.field(factory=dict, hash=False)
    secret: str = attrs.field(default="", repr=False, eq=False)


@attrs.frozen(kw_only=True)
class Generated:  # the same fields, with attrs's own methods
    name: str
    count: int = 0
    notes: dict[str, str] = attrs.field(factory=dict, hash=False)
    secret: str = attrs.field(default="", repr=False, eq=False)


@value_methods
@attrs.frozen(kw_only=True, repr=False, eq=False)
class Single:
    name: str


@value_methods
@attrs.frozen(kw_only=True, repr=False, eq=False)
class Empty:
    pass


_fields = st.fixed_dictionaries(
    {
        "name": st.text(max_size=5),
        "count": st.integers(-3, 3),
        "notes": st.dictionaries(st.sampled_from("ab"), st.text(max_size=2), max_size=2),
        "secret": st.sampled_from(("", "x")),
    }
)


@given(_fields, _fields)
def test_equality_and_repr_are_attrs_own(first: dict[str, Any], second: dict[str, Any]) -> None:
    ours = (Shared(**first), Shared(**second))
    theirs = (Generated(**first), Generated(**second))
    assert (ours[0] == ours[1]) == (theirs[0] == theirs[1])
    assert (ours[0] != ours[1]) == (theirs[0] != theirs[1])
    assert repr(ours[0]).removeprefix("Shared") == repr(theirs[0]).removeprefix("Generated")
    if ours[0] == ours[1]:
        assert hash(ours[0]) == hash(ours[1])


def test_a_field_left_out_of_the_hash_still_counts_for_equality() -> None:
    assert Shared(name="a", notes={"a": "1"}) != Shared(name="a", notes={"a": "2"})
    assert hash(Shared(name="a", notes={"a": "1"})) == hash(Shared(name="a", notes={"a": "2"}))
    assert Shared(name="a", secret="x") == Shared(name="a", secret="y")  # eq=False: not compared


def test_objects_of_other_classes_are_not_equal() -> None:
    others: list[object] = [Generated(name="a"), "a"]
    for other in others:
        assert Shared(name="a") != other
    assert Single(name="a") == Single(name="a")
    assert Single(name="a") != Single(name="b")
    assert repr(Single(name="a")) == "Single(name='a')"
    assert Empty() == Empty()
    assert hash(Empty()) == hash(Empty())
    assert repr(Empty()) == "Empty()"


@pytest.mark.parametrize("module", [model, document, values], ids=lambda module: module.__name__)
def test_the_classes_that_ask_attrs_for_no_methods_have_ours(module: Any) -> None:
    classes = [cls for cls in vars(module).values() if isinstance(cls, type) and attrs.has(cls)]
    assert classes
    for cls in classes:
        if cls.__module__ != module.__name__:
            continue
        for name in ("__eq__", "__hash__", "__repr__"):
            method = vars(cls).get(name)
            assert getattr(method, "__module__", None) == "pirdoc._methods", (
                f"{cls.__qualname__}.{name} is not value_methods'; declare the class as"
                " @value_methods over @attrs.frozen(kw_only=True, repr=False, eq=False)"
            )


@given(reviews())
def test_a_review_equals_its_copy_and_differs_from_a_changed_one(review: pirdoc.Review) -> None:
    copy = attrs.evolve(review)
    assert copy == review
    assert hash(copy) == hash(review)
    assert repr(copy) == repr(review)
    changed = attrs.evolve(review, title=review.title + " (changed)")
    assert changed != review
