"""The size limits of `pirdoc.limits` on a review however it was made: each is refused up front
with the field and the limit named, and a review at each limit renders in every format (the
readers we did not write find the text at its end)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import example as drawn_also
from hypothesis import given, settings
from hypothesis import strategies as st

import pirdoc
from pirdoc import load
from pirdoc.errors import ReviewLoadError
from pirdoc.limits import (
    MAX_FIELD_CHARACTERS,
    MAX_LINE_CHARACTERS,
    MAX_LIST_ENTRIES,
    MAX_TABLE_CELLS,
    MAX_TABLE_COLUMNS,
    MAX_TIMELINE_EVENTS,
    check_review,
)
from pirdoc.model import Review, is_markdown
from tests.hostile import EXAMPLE
from tests.test_hostile_inputs import reading

FORMATS = ("markdown", "docx", "pdf", "confluence")


@pytest.fixture(scope="module")
def example() -> Review:
    return load(EXAMPLE)


def _words(length: int, last: str) -> str:
    """Words to ``length`` characters, ending in ``last``."""
    body = ("incident log line " * (length // 18 + 1))[: length - len(last) - 1]
    return body.rstrip() + " " * (length - len(last) - len(body.rstrip())) + last


def _narrative(review: Review, text: str) -> Review:
    return attrs.evolve(review, root_cause=attrs.evolve(review.root_cause, what_happened=text))


def _errors(review: Review) -> tuple[str, ...]:
    with pytest.raises(ReviewLoadError) as info:
        pirdoc.render(review, "markdown")  # layout checks first: any format refuses the same way
    return info.value.errors


def _renders_everywhere(review: Review, marker: str) -> None:
    check_review(review)
    for fmt in FORMATS:
        assert "".join(marker.split()) in "".join(reading(fmt, pirdoc.render(review, fmt)).split()), fmt


# ---------------------------------------------------------------------------- refused, with the field named


def test_a_markdown_field_past_its_limit_is_refused(example: Review) -> None:
    review = _narrative(example, "x" * (MAX_FIELD_CHARACTERS + 1))
    assert _errors(review) == (
        f"root_cause.what_happened: {MAX_FIELD_CHARACTERS + 1:,} characters; "
        f"the limit is {MAX_FIELD_CHARACTERS:,} for a Markdown field",
    )


@pytest.mark.parametrize("field", ["title", "incident_id"])
def test_a_one_line_field_past_its_limit_is_refused(example: Review, field: str) -> None:
    changes: dict[str, Any] = {field: "T" * (MAX_LINE_CHARACTERS + 1)}
    review = attrs.evolve(example, **changes)
    assert _errors(review) == (
        f"{field}: {MAX_LINE_CHARACTERS + 1:,} characters; the limit is {MAX_LINE_CHARACTERS:,} for a one-line field",
    )


def test_a_long_name_in_a_list_is_refused_with_its_place(example: Review) -> None:
    assert example.action_items[1].owner is not None
    owner = attrs.evolve(example.action_items[1].owner, name="N" * (MAX_LINE_CHARACTERS + 5))
    items = list(example.action_items)
    items[1] = attrs.evolve(items[1], owner=owner)
    assert _errors(attrs.evolve(example, action_items=tuple(items))) == (
        f"action_items[1].owner.name: {MAX_LINE_CHARACTERS + 5:,} characters; "
        f"the limit is {MAX_LINE_CHARACTERS:,} for a one-line field",
    )


def test_more_timeline_events_than_the_limit_are_refused(example: Review) -> None:
    review = attrs.evolve(example, timeline=(example.timeline[0],) * (MAX_TIMELINE_EVENTS + 1))
    assert _errors(review) == (f"timeline: {MAX_TIMELINE_EVENTS + 1:,} events; the limit is {MAX_TIMELINE_EVENTS:,}",)


@pytest.mark.parametrize(
    ("path", "change"),
    [
        ("action_items", lambda r, n: attrs.evolve(r, action_items=(r.action_items[0],) * n)),
        ("root_cause.contributing_factors", lambda r, n: attrs.evolve(r, root_cause=attrs.evolve(
            r.root_cause, contributing_factors=(r.root_cause.contributing_factors[0],) * n))),
        ("services.other", lambda r, n: attrs.evolve(r, services=attrs.evolve(r.services, other=("svc",) * n))),
    ],
)
def test_a_list_longer_than_the_limit_is_refused(example: Review, path: str, change: Any) -> None:
    review = change(example, MAX_LIST_ENTRIES + 1)
    assert _errors(review) == (f"{path}: {MAX_LIST_ENTRIES + 1:,} entries; the limit is {MAX_LIST_ENTRIES:,}",)


def test_every_limit_passed_is_reported_at_once(example: Review) -> None:
    review = attrs.evolve(
        _narrative(example, "x" * (MAX_FIELD_CHARACTERS + 1)),
        title="T" * (MAX_LINE_CHARACTERS + 1),
        action_items=(example.action_items[0],) * (MAX_LIST_ENTRIES + 1),
    )
    assert [line.split(":")[0] for line in _errors(review)] == ["action_items", "title", "root_cause.what_happened"]


# ---------------------------------------------------------------------------- at the limit, rendered


def test_a_one_line_field_at_its_limit_renders_everywhere(example: Review) -> None:
    title = _words(MAX_LINE_CHARACTERS, "TITLE-END")
    _renders_everywhere(attrs.evolve(example, title=title), "TITLE-END")


@pytest.mark.slow
def test_a_markdown_field_at_its_limit_renders_everywhere(example: Review) -> None:
    _renders_everywhere(_narrative(example, _words(MAX_FIELD_CHARACTERS, "FIELD-END")), "FIELD-END")


@pytest.mark.slow
def test_a_field_without_spaces_at_its_limit_renders_everywhere(example: Review) -> None:
    _renders_everywhere(_narrative(example, "0123456789" * (MAX_FIELD_CHARACTERS // 10 - 1) + "RUN-END"), "RUN-END")


@pytest.mark.slow
def test_a_timeline_at_its_limit_renders_everywhere(example: Review) -> None:
    first = example.timeline[0]
    events = tuple(attrs.evolve(first, title=f"event {index}") for index in range(MAX_TIMELINE_EVENTS - 1))
    review = attrs.evolve(example, timeline=(*events, attrs.evolve(first, title="EVENT-END")))
    _renders_everywhere(review, "EVENT-END")


@pytest.mark.slow
def test_action_items_at_their_limit_render_everywhere(example: Review) -> None:
    item = example.action_items[0]
    items = tuple(attrs.evolve(item, id=f"AI-{index}", action=f"action {index}") for index in range(MAX_LIST_ENTRIES))
    review = attrs.evolve(example, action_items=(*items[:-1], attrs.evolve(items[-1], action="ACTION-END")))
    _renders_everywhere(review, "ACTION-END")


@pytest.mark.slow
def test_a_table_at_the_cell_and_column_limits_renders_everywhere(example: Review) -> None:
    rows = MAX_TABLE_CELLS // MAX_TABLE_COLUMNS - 1  # and the header row
    header = "|" + "".join(f" h{column} |" for column in range(MAX_TABLE_COLUMNS)) + "\n"
    rule = "|" + "---|" * MAX_TABLE_COLUMNS + "\n"
    body = "".join("|" + f" r{row} |" * MAX_TABLE_COLUMNS + "\n" for row in range(rows - 1))
    last = "|" + " x |" * (MAX_TABLE_COLUMNS - 1) + " TABLE-END |\n"
    _renders_everywhere(_narrative(example, header + rule + body + last), "TABLE-END")


# ---------------------------------------------------------------------------- checked once per review


def test_a_passed_review_is_not_walked_again_while_it_lives(example: Review, monkeypatch: pytest.MonkeyPatch) -> None:
    import gc

    from pirdoc import limits

    walked: list[object] = []
    walk = limits._walk

    def counted(value: Any, *rest: Any) -> None:
        if rest[0] is None:  # the top of a walk
            walked.append(value)
        walk(value, *rest)

    monkeypatch.setattr(limits, "_walk", counted)
    review = attrs.evolve(example, title="Checked once")
    check_review(review)
    check_review(review)
    pirdoc.layout(review)
    assert walked == [review]
    copy = attrs.evolve(review)  # an equal review is another object: walked on its own
    check_review(copy)
    assert walked == [review, copy]
    keys = {id(review), id(copy)}
    assert keys <= limits._PASSED.keys()
    walked.clear()
    del review, copy
    gc.collect()
    assert all(key not in limits._PASSED for key in keys)  # an entry goes with its review


def test_a_remembered_review_meets_stricter_limits_set_later(example: Review, monkeypatch: pytest.MonkeyPatch) -> None:
    from pirdoc import limits

    review = _narrative(example, "x" * 5_000)
    check_review(review)
    monkeypatch.setattr(limits, "MAX_FIELD_CHARACTERS", 1_000)  # a program's own, stricter limit
    with pytest.raises(ReviewLoadError, match="the limit is 1,000"):
        check_review(review)


def test_a_review_that_failed_fails_every_time(example: Review) -> None:
    review = _narrative(example, "x" * (MAX_FIELD_CHARACTERS + 1))
    for _ in range(2):
        with pytest.raises(ReviewLoadError):
            check_review(review)


# ---------------------------------------------------------------------------- the quick pass

_TABLE_TEXT = st.tuples(
    st.lists(st.sampled_from(["|---|---|", "| a | b |", "-|-", "", "a", "> |-|", "|-|-|-|-|"]), min_size=1, max_size=8),
    st.sampled_from("\n\r\x0b\x1c\u2028"),
).map(lambda drawn: drawn[1].join(drawn[0]))


@settings(max_examples=500, deadline=None)
@drawn_also(fields=[("a\r-|-\ra", True)], counts=[], limits=(40, 40, 80, 10, 4, 2))  # lines a split on \r
@given(
    fields=st.lists(st.tuples(st.one_of(_TABLE_TEXT, st.text(max_size=30)), st.booleans()), max_size=4),
    counts=st.lists(st.integers(0, 12), max_size=4),
    limits=st.tuples(
        st.integers(1, 40), st.integers(1, 40), st.integers(1, 80),
        st.integers(1, 10), st.integers(1, 4), st.integers(1, 12),
    ),
)
def test_the_quick_pass_clears_only_reviews_inside_every_limit(
    fields: list[tuple[str, bool]], counts: list[int], limits: tuple[int, ...]
) -> None:
    # small limits, so that random values reach them: what the quick pass clears, the full check
    # (which names each field) finds nothing wrong with
    from pirdoc import limits as module

    with pytest.MonkeyPatch.context() as patch:
        for name, value in zip(
            ("MAX_LINE_CHARACTERS", "MAX_FIELD_CHARACTERS", "MAX_TEXT_CHARACTERS",
             "MAX_LIST_ENTRIES", "MAX_TABLE_COLUMNS", "MAX_TABLE_CELLS"),
            limits,
            strict=True,
        ):
            patch.setattr(module, name, value)
        patch.setattr(module, "MAX_TIMELINE_EVENTS", limits[3] + 2)
        texts = [(((None, "field"), index), text, markdown) for index, (text, markdown) in enumerate(fields)]
        lists = [((None, "timeline" if index == 0 else "items"), count) for index, count in enumerate(counts)]
        if module._clearly_within(texts, lists):  # type: ignore[arg-type]
            assert module._problems(texts, lists) == []  # type: ignore[arg-type]


def test_the_quick_pass_does_not_clear_a_lone_surrogate_or_a_wide_table() -> None:
    from pirdoc import limits as module

    assert not module._clearly_within([(None, "a\ud800b", False)], [])
    wide = "|".join(["h"] * 60) + "\n" + "|".join(["-"] * 60)
    assert not module._clearly_within([(None, wide, True)], [])
    assert module._problems([((None, "x"), wide, True)], [])  # and the full check names it


@given(st.text(st.characters(max_codepoint=0xE000), max_size=12))
@drawn_also("\ud83d\ude00")  # a pair of surrogates is still two surrogates in a Python string
@drawn_also("é\udfff")
def test_text_encodes_exactly_when_it_holds_no_surrogate(text: str) -> None:
    from pirdoc import limits as module

    assert module._encodes(text) is (module._SURROGATE.search(text) is None)


def _every_field(value: Any, where: Any, texts: list[Any], lists: list[Any]) -> None:
    """The walk over every field of every attrs object, none skipped."""
    for field in attrs.fields(type(value)):
        current = getattr(value, field.name)
        markdown = bool(is_markdown(field))
        if isinstance(current, str):
            texts.append(((where, field.name), current, markdown))
        elif isinstance(current, tuple):
            lists.append(((where, field.name), len(current)))
            for index, item in enumerate(current):
                if isinstance(item, str):
                    texts.append((((where, field.name), index), item, markdown))
                elif attrs.has(type(item)):
                    _every_field(item, ((where, field.name), index), texts, lists)
        elif attrs.has(type(current)):
            _every_field(current, (where, field.name), texts, lists)


def test_the_walk_skips_only_fields_that_hold_no_text(example: Review) -> None:
    from pirdoc import limits as module
    from pirdoc.importers.markdown import read_markdown
    from pirdoc.values import Instant

    assert [name for name, _ in module._plan(Instant) or ()] == ["text"]  # not its times or enums
    corpus = sorted(Path(__file__).parent.parent.joinpath("fixtures", "real-world").glob("*.md"))
    for review in [example, *(read_markdown(path).review for path in corpus if path.name != "README.md")]:
        walked: tuple[list[Any], list[Any]] = ([], [])
        module._walk(review, None, *walked)
        every: tuple[list[Any], list[Any]] = ([], [])
        _every_field(review, None, *every)
        assert walked == every
