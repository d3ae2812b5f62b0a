"""The model explains itself: precise constructor types (no ``Any``), a description for every
field in ``help()`` and the JSON Schema, and docs/input-format.md's field reference generated from
the model (this test fails when the page drifts: regenerate it with
``python -m pirdoc._reference docs/input-format.md``)."""

from __future__ import annotations

import inspect
import pydoc
import types
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Union, get_args, get_origin

import attrs
import pytest

import pirdoc
from pirdoc import _reference, model
from pirdoc._fielddocs import field_docs
from pirdoc.schema import review_schema

ROOT = Path(__file__).parent.parent
PAGE = ROOT / "docs" / "input-format.md"
MODEL_CLASSES = [
    getattr(model, name) for name in model.__all__ if isinstance(getattr(model, name), type)
    and attrs.has(getattr(model, name))
]


def contains_any(tp: Any) -> bool:
    return tp is Any or any(contains_any(arg) for arg in get_args(tp))


def arms(tp: Any) -> tuple[Any, ...]:
    return get_args(tp) if get_origin(tp) in (Union, types.UnionType) else (tp,)


@pytest.mark.parametrize("cls", MODEL_CLASSES, ids=lambda cls: cls.__name__)
def test_every_constructor_argument_has_a_precise_type_that_includes_the_field_s_type(cls: type) -> None:
    hints = typing.get_type_hints(vars(cls)["__init__"])
    declared = typing.get_type_hints(cls)
    parameters = inspect.signature(cls).parameters
    for field in attrs.fields(cls):
        if not field.init:
            continue
        assert field.name in hints, f"{cls.__name__}.{field.name} has no type in the constructor"
        assert not contains_any(hints[field.name]), f"{cls.__name__}.{field.name}: {hints[field.name]}"
        assert parameters[field.name].annotation == hints[field.name]
        accepted = arms(hints[field.name])
        for arm in arms(declared[field.name]):
            if get_origin(arm) is tuple:  # a tuple of parts: a tuple (or list) of what each part accepts
                item = get_args(arm)[0]
                taken = [a for a in accepted if get_origin(a) is tuple]
                assert taken, (cls.__name__, field.name)
                assert all(i in arms(get_args(taken[0])[0]) for i in arms(item)), (cls.__name__, field.name)
            else:
                assert arm in accepted, (cls.__name__, field.name, arm)


def test_the_constructor_types_say_what_a_review_file_writes() -> None:
    hints = typing.get_type_hints(pirdoc.Review.__init__)
    assert set(arms(hints["severity"])) == {pirdoc.Severity, str, type(None)}
    assert str in arms(hints["incident_commander"])
    assert pirdoc.Person in arms(hints["incident_commander"])
    assert list[Union[pirdoc.TimelineEvent, Mapping[str, object]]] in arms(hints["timeline"])  # noqa: UP007


@pytest.mark.parametrize("cls", MODEL_CLASSES, ids=lambda cls: cls.__name__)
def test_every_field_has_a_description_shown_by_help(cls: type) -> None:
    docs = field_docs(cls)
    text = pydoc.render_doc(cls, renderer=pydoc.plaintext)  # type: ignore[attr-defined]
    for field in attrs.fields(cls):
        assert docs.get(field.name), f"{cls.__name__}.{field.name} has no docstring under it in pirdoc/model.py"
        first_line = docs[field.name].splitlines()[0]
        assert first_line in text, f"help({cls.__name__}) does not show {field.name}'s description"


def test_every_property_of_the_json_schema_has_a_description() -> None:
    schema = review_schema()
    shapes = {"Review": schema, **schema["$defs"]}
    missing = []
    for name, shape in shapes.items():
        if "anyOf" in shape and "properties" not in shape:  # a person: a name or a mapping
            shape = next((arm for arm in shape["anyOf"] if "properties" in arm), shape)
        for key, prop in shape.get("properties", {}).items():
            if name in ("Instant", "Quantity", "Duration"):
                continue
            if not prop.get("description"):
                missing.append(f"{name}.{key}")
    assert missing == []
    assert schema["properties"]["severity"]["description"].startswith("How bad it was")


def test_the_field_reference_in_input_format_md_is_the_one_the_model_gives() -> None:
    page = PAGE.read_text(encoding="utf-8")
    assert _reference.BEGIN in page
    assert _reference.updated(page) == page, "regenerate: python -m pirdoc._reference docs/input-format.md"


def test_the_field_reference_lists_every_field_of_every_class_with_its_description() -> None:
    reference = _reference.field_reference()
    for cls in MODEL_CLASSES:
        if cls in (pirdoc.model.ResponseMetric, pirdoc.model.CostTotal):  # derived, never written in a file
            continue
        assert f"### {cls.__name__}\n" in reference, cls.__name__
        section = reference.split(f"### {cls.__name__}\n", 1)[1].split("\n### ", 1)[0]
        for field in attrs.fields(cls):
            assert f"| `{field.name}` |" in section, f"{cls.__name__}.{field.name}"


def test_the_check_mode_fails_on_a_page_that_drifted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "input-format.md"
    page.write_text(PAGE.read_text(encoding="utf-8").replace("| `incident_id` |", "| `incident_number` |"))
    assert _reference.main(["--check", str(page)]) == 1
    assert "out of date" in capsys.readouterr().err
    assert _reference.main([str(page)]) == 0
    assert page.read_text(encoding="utf-8") == PAGE.read_text(encoding="utf-8")
    assert _reference.main(["--check", str(page)]) == 0
