"""Keeping headings with what follows (`_pdf_keep`): the height of a table's first rows, worked
out without building the table, against reportlab's table."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Indenter, Spacer, Table, TableStyle

from pirdoc.renderers._pdf_fonts import register_fonts
from pirdoc.renderers._pdf_keep import _first_lines, _rows_height
from pirdoc.renderers._pdf_story import _ChunkedTable, _make_table
from pirdoc.renderers._pdf_styles import _themed_styles
from pirdoc.renderers._pdf_text import ParagraphMaker

register_fonts(every_face=True)
_STYLES = _themed_styles()
_WORDS = st.lists(st.sampled_from(["word", "incident", "a", "rollback", "2024-07-19", "x" * 30]), max_size=40)


def _paragraph(words: list[str], style: str) -> Flowable:
    return ParagraphMaker()([" ".join(words)], getattr(_STYLES, style))


_CELL = st.one_of(
    st.builds(_paragraph, _WORDS, st.sampled_from(["cell", "header_cell", "body"])),
    st.lists(
        st.one_of(
            st.builds(_paragraph, _WORDS, st.sampled_from(["cell", "body", "code"])),  # code: space before
            st.builds(Spacer, st.just(1), st.integers(0, 30)),
        ),
        max_size=3,
    ),
)


def _table_height(rows: list[list[Any]], widths: list[Any], padding: tuple[float, ...] | None = None) -> float:
    """The height reportlab's table gives ``rows``: `_make_table`'s, or one padded by ``padding``."""
    if padding is None:
        table = _make_table([list(row) for row in rows], widths)
    else:
        edges = ("LEFTPADDING", "RIGHTPADDING", "TOPPADDING", "BOTTOMPADDING")
        style = TableStyle([(edge, (0, 0), (-1, -1), points) for edge, points in zip(edges, padding, strict=True)])
        table = Table([list(row) for row in rows], colWidths=widths, style=style)
    height: float = table.wrap(500, 1e9)[1]
    return height


@settings(max_examples=60, deadline=None)
@given(
    st.integers(1, 4).flatmap(
        lambda columns: st.tuples(
            st.lists(st.lists(_CELL, min_size=columns, max_size=columns), min_size=1, max_size=2),
            st.lists(st.floats(40, 200), min_size=columns, max_size=columns),
        )
    ),
    st.tuples(*[st.integers(0, 6) for _ in range(4)]),
)
def test_rows_measured_alone_are_as_tall_as_in_reportlabs_table(
    case: tuple[list[list[Any]], list[float]], padding: tuple[int, int, int, int]
) -> None:
    rows, widths = case
    ours = _rows_height(rows, widths, [[padding] * len(row) for row in rows])
    assert ours is not None
    assert ours == _table_height(rows, widths, padding)  # the same sums: equal, not close


@pytest.mark.parametrize(
    ("cell", "width"),
    [
        ("text, not a flowable", 100),  # reportlab sizes text by lines of its cell font
        (Spacer(1, 10), "50%"),  # a share of the width: reportlab works it out
        (Spacer(1, 10), None),
        ([Indenter(10), Spacer(1, 10)], 100),  # indents what follows: reportlab wraps it
        (Spacer(300, 10), 100),  # wider than its cell: reportlab warns or refuses
    ],
)
def test_rows_reportlab_sizes_otherwise_are_left_to_the_table(cell: Any, width: Any) -> None:
    assert _rows_height([[cell]], [width], [[(4, 4, 3, 3)]]) is None


def test_a_heading_keeps_the_first_row_of_a_table_even_where_the_table_is_asked() -> None:
    header = [_paragraph(["Time"], "header_cell"), _paragraph(["Event"], "header_cell")]
    row = [_paragraph(["14:02"], "cell"), _paragraph(["word"] * 60, "cell")]
    widths = [80.0, 300.0]
    expected = _table_height([header, row], widths)
    assert _first_lines(_ChunkedTable(header, [row, row], widths), 500) == expected
    # a line that fits its column in a padding of 0 and 2 points, not in 4 and 4
    line = _paragraph(["rollback", "finished"], "cell")
    fitted = [80.0, stringWidth("rollback finished", _STYLES.cell.fontName, _STYLES.cell.fontSize) + 5]
    padded = TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 2)])
    own = _table_height([header, [row[0], line]], fitted, (0, 2, 3, 3))
    assert own < _table_height([header, [row[0], line]], fitted)
    table = Table([header, [row[0], line]], colWidths=fitted, style=padded)
    assert _first_lines(table, 500) == own  # in its own padding
    text = Table([["text", "cells"], ["only", "here"]], colWidths=widths)  # reportlab's own padding
    assert _first_lines(text, 500) == Table([["text", "cells"], ["only", "here"]], colWidths=widths).wrap(500, 1e9)[1]
    fixed = Table([header, row, row], colWidths=widths, rowHeights=[30, 40, 50])
    assert _first_lines(fixed, 500) == 70.0  # the rows' own heights
    spanned = Table([header, [row[0], ""], row], colWidths=widths, style=[("SPAN", (0, 1), (1, 1))])
    two_rows = Table([header, [row[0], ""]], colWidths=widths, style=[("SPAN", (0, 1), (1, 1))])
    assert _first_lines(spanned, 500) == two_rows.wrap(500, 1e9)[1]
    assert _first_lines(Spacer(1, 500), 500) == 40.0  # not a table: two lines of text
    tall = [_paragraph(["word"] * 2000, "cell"), _paragraph(["x"], "cell")]
    assert _first_lines(_ChunkedTable(header, [tall], widths), 500) == 240.0  # a third of a page at most
