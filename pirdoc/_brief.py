"""The briefing's page budget for writing of any length: a field is shown up to a number of
characters, cut at a word where one is near, and says that the rest is in the full record.

Layout decides what the briefing holds; these helpers only shorten Document nodes. The full
profile never calls them, so nothing written is lost from the record.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from pirdoc import document as d
from pirdoc._methods import value_methods

__all__ = [
    "MORE", "PAGE_LINES", "Position", "cut_blocks", "cut_inlines", "cut_words", "estimate_lines", "paginate",
    "table_row_lines",
]

#: What ends a shortened field.
MORE = "\u2026 (continued in the full record)"

_LINE = 80

# A cut looks back this far for a space, so a word is not split when one is near.
_WORD_LOOKBACK = 24


def _cut_text(text: str, room: int) -> str:
    if len(text) <= room:
        return text
    space = text.rfind(" ", max(room - _WORD_LOOKBACK, 0), room + 1)
    return text[: space if space > 0 else room].rstrip()


def cut_words(text: str, limit: int) -> str:
    """``text`` cut to about ``limit`` characters at a word, ending with an ellipsis if cut."""
    return text if len(text) <= limit else _cut_text(text, limit) + "\u2026"


def cut_inlines(nodes: Sequence[d.Inline], limit: int, more: str = MORE) -> tuple[tuple[d.Inline, ...], bool]:
    """``nodes`` shortened to about ``limit`` characters of text, and whether anything was cut.

    Marks (bold, links, code) keep their shape around what is kept; a cut field ends with
    ``more`` (:data:`MORE`; a name or an id, too short to say it, ends with an ellipsis).
    """
    kept, _, cut = _inlines(nodes, limit)
    if cut:
        kept = (*kept, d.Text(text=more))
    return kept, cut


def _inlines(nodes: Sequence[d.Inline], room: int) -> tuple[tuple[d.Inline, ...], int, bool]:
    out: list[d.Inline] = []
    used = 0
    for node in nodes:
        node_out, size, cut = _inline(node, room - used)
        if node_out is not None:
            out.append(node_out)
        used += size
        if cut:
            return tuple(out), used, True
    return tuple(out), used, False


def _inline(node: d.Inline, room: int) -> tuple[d.Inline | None, int, bool]:
    match node:
        case d.Text(text=text) | d.Code(text=text):
            if len(text) <= room:
                return node, len(text), False
            short = _cut_text(text, room)
            return (attrs.evolve(node, text=short) if short else None), len(short), True
        case d.Strong(children=children) | d.Emphasis(children=children) | d.Strikethrough(
            children=children
        ) | d.Link(children=children):
            kept, used, cut = _inlines(children, room)
            return (attrs.evolve(node, children=kept) if kept else None), used, cut
        case d.Person(name=name) if len(name) > room:
            short = _cut_text(name, room)
            return (attrs.evolve(node, name=short) if short else None), len(short), True
        case _:
            size = len(d.plain_text((node,)))
            if size <= room:
                return node, size, False
            return None, 0, True


def cut_blocks(blocks: Sequence[d.Block], limit: int) -> tuple[tuple[d.Block, ...], bool]:
    """``blocks`` shortened to about ``limit`` characters of text: whole blocks while they fit,
    then the first paragraph, list item or code lines that do, ending with :data:`MORE`."""
    out: list[d.Block] = []
    room = limit
    for block in blocks:
        size = _size(block)
        if size <= room:
            out.append(block)
            room -= size
            continue
        short = _cut_block(block, room)
        if short is not None:
            out.append(short)
        else:
            out.append(_more_paragraph())
        return tuple(out), True
    return tuple(out), False


def _more_paragraph() -> d.Paragraph:
    return d.Paragraph(children=(d.Text(text=MORE.removeprefix("\u2026 ")),))


def _size(block: d.Block) -> int:
    """How many characters of text ``block`` shows, nested blocks included."""
    return sum(_own_size(b) for b in d.iter_blocks((block,)))


def _own_size(block: d.Block) -> int:
    # A line of print holds about _LINE characters: a short paragraph, list item, table row or
    # code line takes a line however little it says, so it counts as one.
    match block:
        case d.Paragraph(children=children) | d.Heading(children=children):
            return max(len(d.plain_text(children)), _LINE)
        case d.CodeBlock(text=text):
            return sum(max(len(line), _LINE) for line in text.split("\n"))
        case d.Checklist(items=items):
            return sum(max(len(d.plain_text(item.children)), _LINE) for item in items)
        case d.Table(header=header, rows=rows):
            return sum(max(sum(len(d.plain_text(cell)) for cell in row), _LINE) for row in (header, *rows))
        case _:
            return 0


def _cut_block(block: d.Block, room: int) -> d.Block | None:
    """The part of ``block`` that fits ``room``, ending with :data:`MORE`; None if none does."""
    match block:
        case d.Paragraph(children=children) | d.Heading(children=children) if room > 0:
            kept, _ = cut_inlines(children, room)
            return d.Paragraph(children=kept)
        case d.CodeBlock(text=text) if room > 0:
            return d.Paragraph(children=(d.Code(text=_cut_text(text.replace("\n", " "), room)), d.Text(text=MORE)))
        case d.BulletList(items=items) | d.OrderedList(items=items) if room > 0:
            kept_items: list[tuple[d.Block, ...]] = []
            for item in items:
                size = sum(_size(b) for b in item)
                if size > room:
                    short, _ = cut_blocks(item, room)
                    if room > _WORD_LOOKBACK:
                        kept_items.append(short)
                    else:
                        kept_items.append((_more_paragraph(),))
                    break
                kept_items.append(tuple(item))
                room -= size
            return attrs.evolve(block, items=tuple(kept_items))
        case d.Callout(children=children) if room > 0:
            kept_children, _ = cut_blocks(children, room)
            return attrs.evolve(block, children=kept_children)
        case _:
            return None


# Lines of body text a block takes on a page, estimated from its characters. A body line is the
# briefing's: 10.5 pt on 14 pt in the PDF, 11 pt at 1.1 lines in DOCX, on the 420 pt and 362 pt
# measures, about 72 to 80 characters; the estimate takes the fewer. Table text (8.5 and 9.5 pt)
# fits about 80 characters across the measure.
_BODY_LINE = 72
_TABLE_LINE = 80
_CELL_PADDING = 2  # characters' worth of a cell's left and right padding
_TABLE_LEADING = 0.8  # a line of table text in body lines

PAGE_LINES = 47.0
"""Body lines a page holds: a Letter page (the shorter paper) less the margins, 684 pt, in the
DOCX's 14.2 pt lines (the PDF's are 14 pt)."""


def estimate_lines(blocks: Sequence[d.Block]) -> float:
    """About how many body lines ``blocks`` take in print (each format's page is alike)."""
    return sum(_lines(block) for block in blocks)


def table_row_lines(row: Sequence[d.Cell], widths: Sequence[float]) -> float:
    """About how many body lines a table row of cells ``row`` takes at column ``widths``."""
    fractions = d.column_fractions(widths, len(row))
    cells = zip(row, fractions, strict=True)
    tallest = max((_cell_lines(d.plain_text(cell), share * _TABLE_LINE - _CELL_PADDING) for cell, share in cells),
                  default=1)
    return tallest * _TABLE_LEADING + 0.5


def _cell_lines(text: str, per_line: float) -> int:
    return sum(_wrapped(len(line), max(per_line, 4)) for line in text.split("\n"))


def _wrapped(characters: int, per_line: float) -> int:
    return max(1, -(-characters // max(int(per_line), 1)))


@value_methods
@attrs.frozen(repr=False, eq=False)
class Position:
    """Where print has got to: the page (0 the first) and the body lines used on it."""

    page: int = 0
    used: float = 0.0

    def place(self, lines: float, *, whole: bool) -> Position:
        """Where print is after ``lines`` more: a ``whole`` block (a figure, a callout, a table
        row, a heading with what follows) that does not fit the rest of the page starts the next
        one, and the rest of this page is lost; other text runs on across the break."""
        if whole and self.used + lines > PAGE_LINES and self.used > 0 and lines <= PAGE_LINES:
            return Position(self.page + 1, lines)
        used, page = self.used + lines, self.page
        while used > PAGE_LINES:
            used, page = used - PAGE_LINES, page + 1
        return Position(page, used)


def paginate(blocks: Sequence[d.Block], start: Position) -> Position:
    """Where print is after ``blocks``, from ``start``: the blocks are laid out as the print
    formats do, a heading kept with the start of what follows, figures and callouts whole."""
    at = start
    pending = 0.0  # a heading's lines, kept with the next block
    for block in blocks:
        lines = _lines(block)
        if isinstance(block, d.Heading):
            pending += lines
            continue
        if isinstance(block, d.Figure | d.Callout | d.Checklist | d.CodeBlock):
            at = at.place(pending + lines, whole=True)
        elif isinstance(block, d.Table):
            rows = [table_row_lines(row, block.widths) for row in (block.header, *block.rows)]
            at = at.place(pending + sum(rows[:2]), whole=True)
            for row in rows[2:]:
                at = at.place(row, whole=True)
        else:  # paragraphs and lists: the first two lines stay with a heading, the rest runs on
            first = min(lines, 2.0)
            at = at.place(pending + first, whole=True)
            if lines > first:
                at = at.place(lines - first, whole=False)
        pending = 0.0
    return at.place(pending, whole=True) if pending else at


def _lines(block: d.Block) -> float:
    match block:
        case d.Heading(level=level):
            return 2.2 if level <= 1 else 1.6
        case d.Paragraph(children=children):
            return _wrapped(len(d.plain_text(children)), _BODY_LINE) + 0.35
        case d.BulletList(items=items) | d.OrderedList(items=items):
            return sum(estimate_lines(item) for item in items)
        case d.Callout(children=children, title=title):
            return estimate_lines(children) + 1.4 + (1 if title else 0)
        case d.Table(header=header, rows=rows, widths=widths):
            return sum(table_row_lines(row, widths) for row in (header, *rows))
        # a figure's height (the DOCX picture's, the taller) and its caption's line
        case d.Figure(data=d.MetricsFigure(metrics=metrics)):
            return 4.1 + 2.3 * len(metrics)
        case d.Figure(data=d.TimelineFigure(marks=marks)):
            # the chart stacks labels in lanes (at most 24); about two to a lane
            return 7 + min(24, -(-len(marks) // 2)) * 0.6
        case d.Checklist(items=items):
            return sum(_wrapped(len(d.plain_text(item.children)), _BODY_LINE) for item in items) + 0.5
        case d.CodeBlock(text=text):
            return text.count("\n") + 1.8
        case _:
            return 1.0
