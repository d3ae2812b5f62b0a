"""`pirdoc._attrs_fields.fields_of`: an attrs class's fields, None for any other class."""

from __future__ import annotations

import attrs

from pirdoc import model as m
from pirdoc._attrs_fields import fields_of


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
