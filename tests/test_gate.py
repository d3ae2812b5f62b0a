"""One language for every way in: constructors, `from_dict`, and YAML, JSON and TOML files take the
same values and refuse the same bad value with the same error at the same path."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import attrs
import pytest
import tomli_w
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import pirdoc
from pirdoc import (
    ActionItem,
    Horizon,
    Person,
    Phase,
    PirdocError,
    Review,
    ReviewLoadError,
    Severity,
    TimelineEvent,
)

EXAMPLE = Path(__file__).parent.parent / "fixtures" / "example-review.yaml"
FORMATS = ("markdown", "docx", "pdf", "confluence")


@pytest.fixture(scope="module")
def example_data() -> dict[str, Any]:
    return pirdoc.to_dict(pirdoc.load(EXAMPLE))


def _minimal(**fields: Any) -> dict[str, Any]:
    return {"incident_id": "INC-2026-0001", "title": "Checkout outage", **fields}


def _by_every_door(data: dict[str, Any], tmp_path: Path) -> dict[str, str]:
    """The error text each way in gives for ``data`` (each must refuse it)."""
    found: dict[str, str] = {}
    with pytest.raises(ReviewLoadError) as constructor:
        Review(**data)
    found["constructor"] = str(constructor.value)
    with pytest.raises(ReviewLoadError) as from_dict:
        pirdoc.from_dict(data)
    found["from_dict"] = str(from_dict.value)
    texts = {
        "yaml": yaml.safe_dump(data, sort_keys=False),
        "json": json.dumps(data),
        "toml": tomli_w.dumps(data),
    }
    for fmt, text in texts.items():
        with pytest.raises(ReviewLoadError) as loaded:
            pirdoc.loads(text, fmt)  # type: ignore[arg-type]
        found[fmt] = str(loaded.value)
    return found


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"severity": "SEV-9"}, "severity: not a valid severity: 'SEV-9'; expected one of SEV-1, SEV-2, SEV-3, SEV-4"),
        ({"title": 5}, "title: expected text, got a number (5); put it in quotes if it is meant as text"),
        (
            {"timeline": [{"title": "Paged", "phase": "detection", "at": "noon"}]},
            "timeline[0].at: not a date-time: 'noon'",
        ),
        (
            {"action_items": [{"id": "AI-1", "action": "Fix", "horizon": "soon"}]},
            "action_items[0].horizon: not a valid horizon: 'soon'",
        ),
        ({"other_roles": "Alice"}, "other_roles: expected a list, got text ('Alice')"),
        ({"summary": {"one_liner": "x"}}, "summary.one_liner: unknown key; did you mean 'one_line'?"),
        ({"date": "14 March"}, "date: not a date: '14 March' (write e.g. '2026-03-14')"),
    ],
)
def test_the_same_bad_value_gets_the_same_error_at_the_same_path_by_every_door(
    fields: dict[str, Any], expected: str, tmp_path: Path
) -> None:
    errors = _by_every_door(_minimal(**fields), tmp_path)
    assert all(text.startswith(expected) for text in errors.values()), errors
    assert len(set(errors.values())) == 1, errors


def test_every_problem_of_a_mapping_is_reported_at_once_by_the_constructor() -> None:
    with pytest.raises(ReviewLoadError) as raised:
        Review(
            **_minimal(timeline=[{"title": "Paged", "phase": "later", "at": "noon", "kidn": "detected"}])
        )
    assert "timeline[0].kidn: unknown key; did you mean 'kind'?" in raised.value.errors
    paths = sorted(line.split(":")[0] for line in raised.value.errors)
    assert paths == ["timeline[0].at", "timeline[0].kidn", "timeline[0].phase"]


def test_constructors_read_what_a_review_file_holds() -> None:
    # The types mypy sees are the fields' own; the constructors read the file's language too.
    item = ActionItem(
        id="AI-1", action="Fix", horizon="immediate", owner="Bob", due="2026-03-20", status="done"  # type: ignore[arg-type]
    )
    assert item.horizon is Horizon.IMMEDIATE
    assert item.owner == Person(name="Bob")
    assert item.due == dt.date(2026, 3, 20)
    assert item.status is pirdoc.ActionStatus.DONE
    event = TimelineEvent(title="Paged", phase="detection", at="2026-03-14T13:45:00Z", kind="detected")  # type: ignore[arg-type]
    assert event.phase is Phase.DETECTION
    assert event.at is not None
    assert event.at.start == dt.datetime(2026, 3, 14, 13, 45, tzinfo=dt.UTC)
    review = Review(
        incident_id="INC-2026-0001",
        title="Checkout outage",
        severity="sev-2",  # type: ignore[arg-type]
        timeline=[{"title": "Paged", "phase": "detection"}],
        summary={"one_line": "Checkout failed"},  # type: ignore[arg-type]
        other_roles=["Alice", {"name": "Bob", "role": "Scribe"}],
    )
    assert review.severity is Severity.SEV2
    assert review.timeline == (TimelineEvent(title="Paged", phase=Phase.DETECTION),)
    assert review.summary.one_line == "Checkout failed"
    assert review.other_roles == (Person(name="Alice"), Person(name="Bob", role="Scribe"))
    assert review == pirdoc.from_dict(pirdoc.to_dict(review))


def test_the_issue_reports_examples_are_refused_naming_the_field() -> None:
    with pytest.raises(ReviewLoadError, match=r"^owner: expected a mapping of fields, got a number \(5\)"):
        ActionItem(id="AI-1", action="Fix", horizon=Horizon.IMMEDIATE, owner=5)  # type: ignore[arg-type]
    with pytest.raises(ReviewLoadError, match=r"^phase: not a valid phase: 'detect'"):
        TimelineEvent(title="Paged", phase="detect")  # type: ignore[arg-type]
    with pytest.raises(ReviewLoadError, match=r"^title: expected text"):
        Review(incident_id="INC-2026-0001", title=5)  # type: ignore[arg-type]
    with pytest.raises(ReviewLoadError, match=r"^start: expected datetime or None, got str"):
        pirdoc.Instant(start="2026-03-14")  # type: ignore[arg-type]


def test_evolve_passes_the_same_gate(example_data: dict[str, Any]) -> None:
    review = pirdoc.from_dict(example_data)
    with pytest.raises(PirdocError, match=r"^severity: "):
        attrs.evolve(review, severity=3)  # type: ignore[arg-type]


def test_from_dict_and_to_dict_round_trip_the_example(example_data: dict[str, Any]) -> None:
    review = pirdoc.from_dict(example_data)
    assert review == pirdoc.load(EXAMPLE)
    assert pirdoc.to_dict(review) == example_data
    assert json.loads(json.dumps(example_data)) == example_data  # plain data only


def test_from_dict_refuses_what_is_not_a_mapping() -> None:
    with pytest.raises(ReviewLoadError, match="expected a mapping of review fields, got a list"):
        pirdoc.from_dict([])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="expected a Review, got dict"):
        pirdoc.to_dict({})  # type: ignore[arg-type]


# ---------------------------------------------------------------------------- the property

_json = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6,
)


def _paths(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path] if path else []
    if isinstance(data, dict):
        for key, value in data.items():
            found.extend(_paths(value, (*path, key)))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found.extend(_paths(value, (*path, index)))
    return found


def _replaced(data: dict[str, Any], path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    changed = copy.deepcopy(data)
    target: Any = changed
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    return changed


def _must_check_and_render(review: Review) -> None:
    for final in (False, True):
        problems = pirdoc.check(review, final=final)
        assert all(problem.path for problem in problems)
    for fmt in FORMATS:
        assert pirdoc.render(review, fmt, allow_problems=True)


@pytest.mark.slow
@settings(max_examples=40)
@given(data=st.data(), value=_json)
def test_any_value_anywhere_is_refused_as_a_pirdoc_error_or_checks_and_renders(
    example_data: dict[str, Any], data: st.DataObject, value: Any
) -> None:
    path = data.draw(st.sampled_from(_paths(example_data)))
    changed = _replaced(example_data, path, value)
    for door in ("constructor", "from_dict"):
        try:
            review = Review(**changed) if door == "constructor" else pirdoc.from_dict(changed)
        except PirdocError:
            continue
        _must_check_and_render(review)


@pytest.mark.slow
@settings(max_examples=40)
@given(data=_json)
def test_arbitrary_json_is_refused_as_a_pirdoc_error_or_checks_and_renders(data: Any) -> None:
    try:
        review = pirdoc.from_dict(data)
    except PirdocError:
        return
    _must_check_and_render(review)


# ---------------------------------------------------------------------------- render is a gate


def _ends_before_it_starts(review: Review) -> Review:
    assert review.started_at is not None
    assert review.started_at.start is not None
    return attrs.evolve(review, ended_at=review.started_at.start - dt.timedelta(minutes=25))


def test_a_draft_renders_with_its_problems_warned_at_the_callers_line(example_data: dict[str, Any]) -> None:
    draft = _ends_before_it_starts(pirdoc.from_dict(example_data))
    with pytest.warns(pirdoc.PirdocWarning, match=r"^ended_at: ") as caught:
        output = pirdoc.render(draft, "markdown")
    assert output.startswith(b"# ")
    assert {Path(w.filename).name for w in caught if str(w.message).startswith("ended_at")} == {"test_gate.py"}


def test_a_final_review_failing_the_final_checks_is_refused_unless_allowed(
    example_data: dict[str, Any], tmp_path: Path
) -> None:
    final = attrs.evolve(_ends_before_it_starts(pirdoc.from_dict(example_data)), status=pirdoc.Status.FINAL)
    with pytest.raises(pirdoc.ReviewProblemsError) as refused:
        pirdoc.render(final, "markdown")
    assert "ended_at" in {problem.path for problem in refused.value.problems}
    target = tmp_path / "final.md"
    with pytest.raises(pirdoc.ReviewProblemsError):
        pirdoc.write(final, target)
    assert not target.exists()
    with pytest.warns(pirdoc.PirdocWarning, match=r"^ended_at: "):
        assert pirdoc.write(final, target, allow_problems=True) == target
    assert target.read_bytes().startswith(b"# ")


def test_the_command_line_lists_problems_and_refuses_a_failing_final_review(
    example_data: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from pirdoc.cli import main

    draft = _ends_before_it_starts(pirdoc.from_dict(example_data))
    source = tmp_path / "review.yaml"
    pirdoc.dump(draft, source)
    out = tmp_path / "out"
    assert main(["render", str(source), "-o", str(out), "-j", "1"]) == 0
    err = capsys.readouterr().err.splitlines()
    assert any(line.startswith(f"{source}: ended_at: ") for line in err), err
    assert (out / "review.md").is_file()

    pirdoc.dump(attrs.evolve(draft, status=pirdoc.Status.FINAL), source)
    refused = tmp_path / "refused"
    assert main(["render", str(source), "-o", str(refused), "-j", "1"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert any(line.startswith(f"{source}: ended_at: ") for line in err), err
    assert err[-1].startswith(f"{source}: not rendered: the status is Final")
    assert not refused.exists() or not list(refused.iterdir())
    assert main(["render", str(source), "-o", str(refused), "-j", "1", "--allow-problems"]) == 0
    assert (refused / "review.md").is_file()


def test_a_tuple_field_holds_only_items_of_its_type() -> None:
    from pirdoc._gate import conforms

    event = pirdoc.TimelineEvent(at=dt.datetime(2024, 1, 1, tzinfo=dt.UTC), title="x", phase=pirdoc.Phase.DETECTION)
    assert conforms((event, event), tuple[pirdoc.TimelineEvent, ...])
    assert conforms((), tuple[pirdoc.TimelineEvent, ...])
    assert not conforms((event, "x"), tuple[pirdoc.TimelineEvent, ...])
    assert not conforms([event], tuple[pirdoc.TimelineEvent, ...])
    assert not conforms((1, True), tuple[int, ...])  # a bool is not an int here
    assert not conforms((dt.datetime(2024, 1, 1),), tuple[dt.datetime, ...])  # naive
    assert conforms(("a", "b"), tuple[str, ...])


def _instant(text: str) -> Any:
    from pirdoc.values import parse_instant

    return parse_instant(text, day=dt.date(2024, 5, 1))


_UNIONS: list[Any] = [
    str | None,
    pirdoc.Phase | None,
    pirdoc.Instant | str | None,
    int | None,  # int is checked more narrowly than isinstance: no fast path
    dt.datetime | None,
    tuple[str, ...] | None,
    Any | None,
]
_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.text(max_size=3),
    st.sampled_from(list(pirdoc.Phase)),
    st.datetimes(timezones=st.sampled_from([None, dt.UTC])),
    st.lists(st.text(max_size=2), max_size=2).map(tuple),
    st.sampled_from(["2024-05-01", "2024-05-01T10:00:00Z", "~10:00 UTC"]).map(_instant),
)


@given(st.sampled_from(_UNIONS), _VALUES)
def test_a_union_holds_what_one_of_its_arms_holds(kind: Any, value: Any) -> None:
    from typing import get_args

    from pirdoc._gate import conforms

    assert conforms(value, kind) == any(conforms(value, arm) for arm in get_args(kind))


@pytest.mark.parametrize(
    ("value", "kind", "expected"),
    [
        (None, int | None, True),
        (5, int | None, True),
        (True, int | None, False),  # a bool is not a count, optional or not
        (5, None | int, True),
        (dt.datetime(2026, 1, 1, tzinfo=dt.UTC), dt.datetime | None, True),
        (dt.datetime(2026, 1, 1), None | dt.datetime, False),  # naive: no zone
        (dt.date(2026, 1, 1), dt.date | None, True),
        (dt.datetime(2026, 1, 1, tzinfo=dt.UTC), dt.date | None, False),
        (1.5, float | None, True),
        (1, float | None, False),
    ],
)
def test_an_optional_field_checks_its_type_as_narrowly_as_a_plain_one(value: Any, kind: Any, expected: bool) -> None:
    from pirdoc._gate import conforms

    assert conforms(value, kind) is expected


def _model_annotations() -> list[Any]:
    """Every field annotation of the model's and the values' classes."""
    import typing

    from pirdoc import model, values

    kinds: dict[str, Any] = {}
    for module in (model, values):
        for name in dir(module):
            cls = getattr(module, name)
            if isinstance(cls, type) and attrs.has(cls):
                for kind in typing.get_type_hints(cls).values():
                    kinds[repr(kind)] = kind
    return list(kinds.values())


@given(st.sampled_from([*_model_annotations(), *_UNIONS, bool, bool | None, int, Any, None]), _VALUES)
def test_a_field_checked_by_isinstance_alone_holds_what_its_test_holds(kind: Any, value: Any) -> None:
    # the gate's shortcut (one isinstance against these classes) answers as its whole test does
    from pirdoc._gate import _classes, _test

    classes = _classes(kind)
    if classes is not None:
        assert isinstance(value, classes) == _test(kind)(value)


def test_most_fields_are_checked_by_isinstance_alone() -> None:
    from pirdoc._gate import _classes

    assert _classes(str | None) == (str, type(None))
    assert _classes(bool) == (bool,)
    assert _classes(int | None) is None  # a bool is not a count
    assert _classes(dt.datetime) is None  # a naive date-time is refused
    assert _classes(tuple[str, ...]) is None  # each item is checked
    assert _classes(Any) is None
    kinds = _model_annotations()
    assert sum(_classes(kind) is not None for kind in kinds) > len(kinds) / 2
