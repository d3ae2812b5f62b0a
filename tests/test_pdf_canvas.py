"""pirdoc's canvas (`pirdoc.renderers._pdf_canvas`) against reportlab's: the same content stream
and the same state after any sequence of the calls it changes and those around them."""

from __future__ import annotations

import io
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from reportlab.lib import colors
from reportlab.pdfgen import canvas as reportlab_canvas

from pirdoc.renderers import _pdf_canvas, _pdf_page
from pirdoc.renderers._fonts import SANS, SANS_BOLD
from pirdoc.renderers._pdf_fonts import register_fonts
from tests.documents import pdf_both_ways, sample_document

_NUMBERS = st.one_of(
    st.integers(min_value=-1000, max_value=1000),
    st.floats(min_value=-1000, max_value=1000, allow_nan=False).filter(lambda x: abs(x) > 1e-6 or x == 0),
)
_CALLS = st.lists(
    st.one_of(
        st.just(("saveState",)),
        st.just(("restoreState",)),
        st.tuples(st.just("translate"), _NUMBERS, _NUMBERS),
        st.tuples(st.just("scale"), _NUMBERS.filter(bool), _NUMBERS.filter(bool)),
        st.tuples(st.just("rotate"), _NUMBERS),
        st.tuples(st.just("setFont"), st.sampled_from([SANS, SANS_BOLD]), st.integers(min_value=6, max_value=20)),
        st.tuples(st.just("setFillColor"), st.sampled_from([colors.red, colors.Color(0.1, 0.2, 0.3, alpha=0.5)])),
        st.tuples(st.just("setLineWidth"), _NUMBERS),
        st.tuples(st.just("drawString"), _NUMBERS, _NUMBERS, st.text(alphabet="abc é", max_size=5)),
    ),
    max_size=30,
)


def _run(kind: type[reportlab_canvas.Canvas], calls: list[tuple[Any, ...]]) -> tuple[list[str], dict[str, Any], int]:
    canvas = kind(io.BytesIO())
    depth = 0
    for name, *arguments in calls:
        if name == "restoreState":
            if not depth:
                continue
            depth -= 1
        elif name == "saveState":
            depth += 1
        getattr(canvas, name)(*arguments)
    state = {name: getattr(canvas, name) for name in reportlab_canvas.Canvas.STATE_ATTRIBUTES if name != "_extgstate"}
    state["_extgstate"] = canvas._extgstate._d
    return list(canvas._code), state, len(canvas.state_stack)


@given(calls=_CALLS)
def test_the_canvas_writes_and_keeps_what_reportlabs_does(calls: list[tuple[Any, ...]]) -> None:
    register_fonts()
    assert _run(_pdf_canvas.Canvas, calls) == _run(reportlab_canvas.Canvas, calls)


def test_a_translation_after_another_is_folded_into_it_as_reportlab_folds_it() -> None:
    calls: list[tuple[Any, ...]] = [("translate", 10, 20), ("translate", 0.5, -3), ("saveState",), ("translate", 1, 1)]
    code, state, _ = _run(_pdf_canvas.Canvas, calls)
    assert code == _run(reportlab_canvas.Canvas, calls)[0]
    assert code[0].endswith(" cm")
    assert len(code) == 3
    assert state["_currentMatrix"] == (1, 0, 0, 1, 11.5, 18)


@pytest.mark.parametrize("first", [("rotate", 30), ("scale", 2, -0.5), ("transform", 1, 0.5, -0.25, 2, 3, 4)])
def test_a_translation_after_any_transformation_moves_as_reportlabs(first: tuple[Any, ...]) -> None:
    calls: list[tuple[Any, ...]] = [first, ("saveState",), ("translate", 7.25, -3), ("drawString", 0, 0, "a")]
    assert _run(_pdf_canvas.Canvas, calls) == _run(reportlab_canvas.Canvas, calls)


def test_without_tracking_a_translation_is_reportlabs_own(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reportlab_canvas, "ENABLE_TRACKING", 0)
    calls: list[tuple[Any, ...]] = [("rotate", 30), ("saveState",), ("translate", 7.25, -3), ("translate", 1, 2)]
    assert _run(_pdf_canvas.Canvas, calls) == _run(reportlab_canvas.Canvas, calls)


@pytest.mark.parametrize("which", ["hostile", "example", "gitlab-2017-01-31-database-deletion"])
def test_the_canvas_changes_no_byte_of_a_document(which: str, monkeypatch: pytest.MonkeyPatch) -> None:
    ours, reportlabs = pdf_both_ways(sample_document(which), monkeypatch, _pdf_page, "_Canvas", reportlab_canvas.Canvas)
    assert ours == reportlabs


def test_a_frame_hands_over_generated_content_as_reportlabs_does() -> None:
    from reportlab.platypus import Frame, PageBreak, Spacer
    from reportlab.platypus.doctemplate import _addGeneratedContent

    ours, theirs = (kind(0, 0, 100, 100) for kind in (_pdf_page._Frame, Frame))
    for frame in (ours, theirs):
        flowables: list[Any] = [Spacer(1, 1)]
        _addGeneratedContent(flowables, frame)  # none: nothing changes
        assert len(flowables) == 1
        frame.add_generated_content(PageBreak())
        _addGeneratedContent(flowables, frame)  # moved in front of what follows, and gone
        assert [type(f) for f in flowables] == [PageBreak, Spacer]
        assert getattr(frame, "_generated_content", None) is None
    assert "_generated_content" not in vars(ours)
