"""Headings, lead-ins and list parents kept on the page of what follows them (PDF)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final, TypeAlias

from reportlab.platypus import CondPageBreak, Flowable, Indenter, Paragraph, Table

from pirdoc.renderers._pdf_figures import ChartFlowable
from pirdoc.renderers._pdf_story import CELL_PADDING, _ChunkedTable, _make_table

__all__ = ["keep_with_next"]

# What must fit below a heading or lead-in for it to stay on this page: a table's header and
# first row, or two lines of a paragraph or list.
_FIRST_LINES: Final = 40.0
_MOST: Final = 240.0  # a third of a page: a taller first row splits

Padding: TypeAlias = tuple[float, float, float, float]
"""A cell's left, right, top and bottom padding, in points."""


def _first_lines(flowable: Flowable, width: float) -> float:
    """The height of the first part of ``flowable`` a heading must not be parted from: a table's
    header and first row as the table lays them out (up to a third of a page), else
    `_FIRST_LINES`. A table of flowables is measured in its own cells' padding, so its cells are
    wrapped at the width they are drawn at (the first answer is then the one the table reuses)."""
    if isinstance(flowable, _ChunkedTable):
        rows, widths = [flowable._header, *flowable._rows[:1]], flowable._widths
        height = _rows_height(rows, widths, [[CELL_PADDING] * len(row) for row in rows])
        if height is None:
            height = _make_table(rows, widths).wrap(width, 1e9)[1]
    elif isinstance(flowable, Table):
        height = _table_rows_height(flowable, width)
    else:
        return _FIRST_LINES
    return min(height, _MOST)


def _table_rows_height(table: Table, width: float) -> float:
    """The height of ``table``'s first two rows as it lays them out."""
    plain = all(height is None for height in table._argH) and not getattr(table, "_minRowHeights", None)
    if plain and not table._spanCmds:
        paddings = [
            [(cell.leftPadding, cell.rightPadding, cell.topPadding, cell.bottomPadding) for cell in row]
            for row in table._cellStyles[:2]
        ]
        height = _rows_height([list(row) for row in table._cellvalues[:2]], list(table._colWidths), paddings)
        if height is not None:
            return height
    # Row heights, spans or cells measured otherwise: the table itself says (its rows' top edges)
    table.wrap(width, 1e9)
    positions: list[float] = table._rowpositions
    return positions[0] - positions[min(2, len(positions) - 1)]


def _rows_height(
    rows: Sequence[Sequence[Any]], widths: Sequence[Any], paddings: Sequence[Sequence[Padding]]
) -> float | None:
    """The height reportlab gives ``rows`` as a table, its cells padded by ``paddings``, worked
    out as `Table._calc_height` does (same wraps, same sums) without building a table and its
    style for them (five or so a review). None for rows it would size in another way: text
    cells, columns without a width in points, split-only or indenting flowables, content wider
    than its cell; the caller then asks a table."""
    if not all(type(width) in (int, float) for width in widths) or len(paddings) != len(rows):
        return None
    heights = []
    for row, padding in zip(rows, paddings, strict=True):
        height = _row_height(row, widths, padding)
        if height is None:
            return None
        heights.append(height)
    total: float = 0  # reportlab's compensated sum, last row first
    carry: float = 0
    for height in reversed(heights):
        step = height - carry
        after = total + step
        carry = (after - total) - step
        total = after
    return total


def _row_height(row: Sequence[Any], widths: Sequence[float], paddings: Sequence[Padding]) -> float | None:
    if not len(row) == len(widths) == len(paddings):
        return None
    tallest: float = 0
    for value, width, (left, right, top, bottom) in zip(row, widths, paddings, strict=True):
        cell = (value,) if isinstance(value, Flowable) else value
        if not isinstance(cell, (list, tuple)) or not all(_sized_alone(item) for item in cell):
            return None
        widest, height = _cell_size(cell, width - left - right, 72000 - top - bottom)
        if widest + left + right > width:
            return None
        height += bottom + top
        if height > tallest:
            tallest = height
    return tallest


def _sized_alone(item: Any) -> bool:
    """True for a flowable a table cell measures as it is (`Table._cellListProcess` passes it
    through unchanged)."""
    return isinstance(item, Flowable) and not isinstance(item, Indenter) and not getattr(item, "__split_only__", None)


def _cell_size(cell: Sequence[Flowable], width: float, height: float) -> tuple[float, float]:
    """`Table._listCellGeom`: the widest flowable and the flowables' heights with the space
    between them."""
    if not cell:
        return 0, 0
    widest: float = 0
    total: float = 0
    first_before: float | None = None
    after: float = 0
    for flowable in cell:
        used_width, used_height = flowable.wrapOn(None, width, height)
        before = flowable.getSpaceBefore()
        after = flowable.getSpaceAfter()
        widest = max(widest, used_width)
        total += used_height + after + before
        if first_before is None:
            first_before = before
    assert first_before is not None
    return widest, total - first_before - after


def _keeps(flowable: Flowable) -> bool:
    return bool(getattr(flowable, "_pirdoc_keep", False) or getattr(flowable.style, "keepWithNext", 0)) if isinstance(
        flowable, Paragraph
    ) else False


def keep_with_next(story: Sequence[Flowable], width: float) -> list[Flowable]:
    """Headings, lead-ins and list parents kept with what follows them by a conditional page
    break: a page ends before them unless they and the first lines of what follows fit.

    Not reportlab's keepWithNext, which wraps them and all of the next flowable in one
    KeepTogether: a table or list that nearly fills a page would then leave the rest of the
    page before it empty, and a deep list inside a KeepTogether is measured again at every level
    (exponential time). A heading above a figure keeps the drawing's own keepWithNext chain."""
    out: list[Flowable] = []
    index = 0
    while index < len(story):
        if not _keeps(story[index]):
            out.append(story[index])
            index += 1
            continue
        end = index
        while end < len(story) and _keeps(story[end]):
            end += 1
        run = list(story[index:end])
        if end < len(story) and isinstance(story[end], ChartFlowable):
            out += run
        else:
            needed = _first_lines(story[end], width) if end < len(story) else 0.0
            for flowable in run:
                flowable.keepWithNext = 0
                needed += flowable.wrap(width, 1e9)[1] + flowable.getSpaceBefore() + flowable.getSpaceAfter()
            out += [CondPageBreak(needed), *run]
        index = end
    return out
