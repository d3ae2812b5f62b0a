"""The PDF's story: each block of the Document as reportlab flowables (paragraphs from trees of
text and tags, tables fed a chunk at a time, lists, callouts, figures), and headings kept with
what follows them."""

from __future__ import annotations

import functools
import io
from collections.abc import Sequence
from typing import Any, Final, assert_never

import attrs
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import (
    Flowable,
    Image,
    ListFlowable,
    ListItem,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import HRFlowable

from pirdoc import document as d
from pirdoc._methods import value_methods
from pirdoc.renderers._figures import chart
from pirdoc.renderers._fonts import DEJAVU, MONO, SANS, Family, face_for_style, string_width
from pirdoc.renderers._pdf_figures import ChartFlowable
from pirdoc.renderers._pdf_styles import (
    _CALLOUTS,
    _PADDINGS,
    ACCENT,
    CHUNK_ROWS,
    LINK,
    MUTED,
    RULE,
    TONE_COLOURS,
    _Settings,
    _Styles,
)
from pirdoc.renderers._pdf_text import Node, ParagraphMaker, font, plain_text, runs
from pirdoc.renderers._pdf_theme import LOGO_BOX, Theme

# ---------------------------------------------------------------------------- inline markup


def _badge(label: str, tone: str, family: Family) -> Node:
    colour = TONE_COLOURS.get(tone, TONE_COLOURS["neutral"])
    return font(["\u00a0", *runs(label, family.bold), "\u00a0"], backColor=colour, color="#ffffff")


@value_methods
@attrs.frozen(repr=False, eq=False)
class _InlineContext:
    anchors: frozenset[str]
    bold: bool = False
    italic: bool = False
    mono: bool = False
    family: Family = DEJAVU

    def face(self) -> str:
        return face_for_style(bold=self.bold, italic=self.italic, mono=self.mono, family=self.family)


def _inlines(nodes: Sequence[d.Inline], ctx: _InlineContext) -> list[Node]:
    out: list[Node] = []
    for node in nodes:
        out.extend(_inline(node, ctx))
    return out


def _plain(text: str, ctx: _InlineContext) -> list[Node]:
    # Only LineBreak breaks a line; a newline inside Text is a soft break.
    return runs(" ".join(text.replace("\t", " ").split("\n")), ctx.face())


def _inline(node: d.Inline, ctx: _InlineContext) -> list[Node]:
    match node:
        case d.Text(text=text):
            return _plain(text, ctx)
        case d.Strong(children=children):
            return _inlines(children, attrs.evolve(ctx, bold=True))
        case d.Emphasis(children=children):
            return _inlines(children, attrs.evolve(ctx, italic=True))
        case d.Strikethrough(children=children):
            return [("strike", {}, _inlines(children, ctx))]
        case d.Code(text=text):
            return [font(_plain(text, attrs.evolve(ctx, mono=True)), backColor="#eef1f4")]
        case d.Link(target=target, children=children):
            return _link(target, _inlines(children, ctx), ctx)
        case d.LineBreak():
            return [("br", {}, None)]
        case d.DateTime(text=text):
            return _plain(text, ctx)
        case d.Person(name=name):
            return _plain(name, ctx)
        case d.StatusBadge(label=label, tone=tone):
            return [_badge(label, tone, ctx.family)]
        case _:
            assert_never(node)


def _link(target: str, inner: list[Node], ctx: _InlineContext) -> list[Node]:
    if not (d.is_safe_link(target) and (not target.startswith("#") or target[1:] in ctx.anchors)):
        return inner  # layout promises safe targets; anything else is shown as text only
    return [("a", {"href": target, "color": LINK}, [("u", {}, inner)])]


# ---------------------------------------------------------------------------- tables


# reportlab sets each cell's font even when the cell holds flowables; without this every table
# would reference (unembedded) Helvetica.
_CELL_FONT: Final = (("FONTNAME", (0, 0), (-1, -1), SANS), ("FONTSIZE", (0, 0), (-1, -1), 8.5))


# A table cell's padding, in points: left, right, top, bottom (in `_PADDINGS`' order).
CELL_PADDING: Final = (4, 4, 3, 3)


# A signed table's last column: empty, with room to sign in (about 15 mm, as in the DOCX).
_SIGNATURE: Final = (d.Text(text="Signature"),)
_SIGNING_HEIGHT: Final = 36.0


def _table_style(rows: int, accent: colors.Color = ACCENT) -> TableStyle:
    commands: list[tuple[Any, ...]] = [
        *_CELL_FONT,
        ("BACKGROUND", (0, 0), (-1, 0), accent),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
        ("BOX", (0, 0), (-1, -1), 0.5, RULE),
        *((edge, (0, 0), (-1, -1), points) for edge, points in zip(_PADDINGS, CELL_PADDING, strict=True)),
    ]
    if rows > 1:
        commands.append(("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f5f7fa")]))
    return TableStyle(commands)


def _make_table(rows: list[list[Any]], widths: list[float], accent: colors.Color = ACCENT) -> Table:
    return Table(
        rows,
        colWidths=widths,
        repeatRows=1,
        splitByRow=1,
        splitInRow=1,
        style=_table_style(len(rows), accent),
        hAlign="LEFT",
    )


class _ChunkedTable(Flowable):  # type: ignore[misc]
    """A table too long to hand to reportlab at once.

    reportlab re-measures the rest of a table at every page break, which makes long tables
    quadratic. This flowable gives reportlab only the rows that can reach the next page break:
    `split` builds a `Table` from the header and the next chunk, lets reportlab split *that*,
    and keeps the remainder (including a row split across the break) for the next page.
    """

    def __init__(self, header: list[Any], rows: list[list[Any]], widths: list[float],
                 chunk: int = CHUNK_ROWS, accent: colors.Color = ACCENT) -> None:
        super().__init__()
        self._accent = accent
        self._header = header
        self._rows = rows
        self._widths = widths
        self._chunk = chunk  # rows to try first: enough for the last page and half as many again

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        # Always taller than the frame: the frame then asks `split` for a piece.
        return sum(self._widths), max(availHeight, 1.0) * 2 + len(self._rows)

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        count = self._chunk
        while True:
            table = _make_table([self._header, *self._rows[:count]], self._widths, self._accent)
            _, height = table.wrap(availWidth, availHeight)
            if height <= availHeight and count < len(self._rows):
                count *= 2  # tiny rows: a chunk did not reach the page break
                continue
            if height <= availHeight:
                return [table]
            parts: list[Flowable] = table.split(availWidth, availHeight)
            if len(parts) < 2:
                return parts
            first, rest = parts[0], parts[1]
            remaining = [list(row) for row in rest._cellvalues[1:]] + self._rows[count:]
            if len(remaining) <= CHUNK_ROWS:
                return [first, _make_table([self._header, *remaining], self._widths, self._accent)]
            # Measuring rows costs as much as laying them out: the next chunk is sized from the
            # rows this page took, not CHUNK_ROWS, so each page measures only about its own rows.
            fitted = len(first._cellvalues) - 1
            chunk = min(CHUNK_ROWS, max(8, fitted + fitted // 2 + 2))
            return [first, _ChunkedTable(self._header, remaining, self._widths, chunk, self._accent)]

    def draw(self) -> None:  # never drawn whole: `wrap` makes the frame split it
        raise AssertionError("a chunked table is always split")


# ---------------------------------------------------------------------------- story


_LIST_INDENT: Final = 16.0
# Nested callouts and lists each take width; below this a block is not inset further but drawn
# flat at the width it has (with its label or bullet), so deep nesting stays on the page.
_MIN_NESTED_WIDTH = 180.0
_CALLOUT_INSET = 16
_MAX_LIST_INDENTS = 12
# A column narrower than this has no room for text between its paddings.
_MIN_COLUMN_WIDTH = 14.0


def _flattenable(item: Sequence[d.Block]) -> bool:
    """True when a list item is paragraphs and lists of such items, starting with a paragraph
    (the item's bullet goes on its first paragraph)."""
    if item and not isinstance(item[0], d.Paragraph):
        return False
    for block in item:
        match block:
            case d.Paragraph():
                continue
            case d.BulletList(items=items) | d.OrderedList(items=items):
                if not all(_flattenable(sub) for sub in items):
                    return False
            case _:
                return False
    return True


@functools.cache
def _list_style(base: ParagraphStyle, depth: int, *, ordered: bool, bulleted: bool) -> ParagraphStyle:
    """``base`` indented for a list item at ``depth``, its bullet where `ListFlowable` puts it."""
    return ParagraphStyle(
        f"{base.name}-list{depth}{'-ordered' if ordered else ''}{'-bulleted' if bulleted else ''}",
        parent=base,
        leftIndent=base.leftIndent + _LIST_INDENT * depth,
        bulletIndent=base.leftIndent + _LIST_INDENT * (depth - 1),
        bulletFontName=SANS,
        bulletFontSize=9.5,
        bulletColor=colors.black if ordered else MUTED,
    )


def _outline_text(text: str) -> str:
    return " ".join(text.split())


class _Story:
    """Turns Document blocks into platypus flowables."""

    def __init__(self, document: d.Document, styles: _Styles, theme: Theme) -> None:
        self.document = document
        self.styles = styles
        self.theme = theme
        anchors = frozenset(
            block.anchor for block in d.iter_blocks(document.blocks) if isinstance(block, d.Heading)
        )
        self.family = theme.family
        self.ctx = _InlineContext(anchors=anchors, family=theme.family)
        self.make = ParagraphMaker()

    def para(self, nodes: Sequence[d.Inline], style: ParagraphStyle) -> Paragraph:
        return self.make(_inlines(nodes, self.ctx), style)

    def paras(self, nodes: Sequence[d.Inline], style: ParagraphStyle) -> list[Flowable]:
        """``nodes`` as one paragraph, or as several when long (`ParagraphMaker.paragraphs`)."""
        return list(self.make.paragraphs(_inlines(nodes, self.ctx), style))

    def cell(self, nodes: Sequence[d.Inline], style: ParagraphStyle) -> Flowable | list[Flowable]:
        """A table cell of ``nodes``: one paragraph, or the list of them when long."""
        pieces = self.paras(nodes, style)
        return pieces[0] if len(pieces) == 1 else pieces

    def blocks(self, blocks: Sequence[d.Block], width: float) -> list[Flowable]:
        flowables: list[Flowable] = []
        for block in blocks:
            flowables.extend(self.block(block, width))
        return flowables

    def block(self, block: d.Block, width: float) -> list[Flowable]:
        s = self.styles
        match block:
            case d.Heading(level=level, children=children, anchor=anchor):
                style = s.headings[min(max(level, 1), len(s.headings)) - 1]
                text = _inlines(children, attrs.evolve(self.ctx, bold=True))
                pieces = self.make.paragraphs(text, style)
                pieces[0]._pirdoc_anchor = anchor
                pieces[0]._pirdoc_outline = (level, _outline_text(d.plain_text(children)), anchor, text)
                return list(pieces)
            case d.Paragraph(children=children, keep_with_next=keep):
                pieces = self.paras(children, s.body)
                pieces[-1]._pirdoc_keep = keep
                return pieces
            case d.BulletList(items=items):
                return self.list_block(items, width, ordered=False, start=1)
            case d.OrderedList(items=items, start=start):
                return self.list_block(items, width, ordered=True, start=start)
            case d.Checklist(items=items):
                return [self.checklist(items, width)]
            case d.Table(header=header):
                return self.table(block, width) if header else []
            case d.CodeBlock(text=text):
                return list(self.make.paragraphs(_code_lines(text), s.code))
            case d.Callout(children=children) if width - _CALLOUT_INSET < _MIN_NESTED_WIDTH:
                # Too deep to inset once more: the label and the content at this width, flat.
                label, bar, _ = _CALLOUTS.get(block.kind, _CALLOUTS["note"])
                title = runs(block.title if block.title is not None else label, self.family.bold)
                return [self.make([font(title, color=bar)], s.callout_title), *self.blocks(children, width)]
            case d.Callout():
                return [self.callout(block, width)]
            case d.Figure(data=data, caption=caption):
                return self.figure(data, caption, width)
            case d.ThematicBreak():
                return [HRFlowable(width="100%", thickness=0.6, color=RULE, spaceBefore=6, spaceAfter=8)]
            case _:
                assert_never(block)

    def list_block(
        self, items: Sequence[Sequence[d.Block]], width: float, *, ordered: bool, start: int
    ) -> list[Flowable]:
        if all(_flattenable(item) for item in items):
            return self.flat_list(items, ordered=ordered, start=start, depth=1)
        indent = _LIST_INDENT if width - _LIST_INDENT >= _MIN_NESTED_WIDTH else 0  # too deep: no more indent
        list_items = [ListItem(self.blocks(item, width - indent) or [Spacer(1, 1)]) for item in items]
        if ordered:
            return [ListFlowable(
                list_items, bulletType="1", start=str(start), bulletFormat="%s.",
                bulletFontName=SANS, bulletFontSize=9.5, leftIndent=indent, bulletDedent=indent,
            )]
        return [ListFlowable(
            list_items, bulletType="bullet", start="•", bulletFontName=SANS,
            bulletFontSize=9.5, leftIndent=indent, bulletColor=MUTED,
        )]

    def flat_list(
        self, items: Sequence[Sequence[d.Block]], *, ordered: bool, start: int, depth: int
    ) -> list[Flowable]:
        """A list whose items are paragraphs (and lists of them) as paragraphs with their own
        bullets and indents: what `ListFlowable` draws, without its container, which cost
        more than the paragraphs in it."""
        flowables: list[Flowable] = []
        for number, item in enumerate(items, start=start):
            for index, block in enumerate(item or (d.Paragraph(children=()),)):
                match block:
                    case d.Paragraph(children=children):
                        bullet = None if index else (f"{number}." if ordered else "•")
                        shown_depth = min(depth, _MAX_LIST_INDENTS)  # deeper items keep their bullets, not their indent
                        style = _list_style(self.styles.body, shown_depth, ordered=ordered, bulleted=bullet is not None)
                        nodes = _inlines(children, self.ctx)
                        if bullet is not None and not plain_text(nodes).strip():
                            nodes.append("\u00a0")  # an empty paragraph has no line to hang the bullet on
                        pieces = self.make.paragraphs(nodes, style, bullet=bullet)
                        pieces[-1]._pirdoc_keep = block.keep_with_next
                        flowables += pieces
                    case d.BulletList(items=sub_items):
                        flowables += self.flat_list(sub_items, ordered=False, start=1, depth=depth + 1)
                    case d.OrderedList(items=sub_items, start=sub_start):
                        flowables += self.flat_list(sub_items, ordered=True, start=sub_start, depth=depth + 1)
                    case _:
                        raise AssertionError(f"not a flat list block: {block!r}")  # _flattenable said so
        return flowables

    def checklist(self, items: Sequence[d.ChecklistItem], width: float) -> Table:
        rows = [
            [
                self.make(
                    [font([d.CHECKED_MARK], color="#2b8a3e")] if item.checked else [d.UNCHECKED_MARK], self.styles.box
                ),
                self.cell(item.children, self.styles.check),
            ]
            for item in items
        ]
        table = Table(rows, colWidths=[16, width - 16], splitByRow=1, splitInRow=1, hAlign="LEFT")
        table.setStyle(TableStyle([
            *_CELL_FONT,
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 2),
            ("TOPPADDING", (0, 0), (-1, -1), 1),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
        ]))
        table.spaceAfter = 5
        return table

    def table(self, table: d.Table, width: float) -> list[Flowable]:
        if width / len(table.header) < _MIN_COLUMN_WIDTH:
            return self.table_by_rows(table)
        widths = [width * f for f in d.column_fractions(table.widths, len(table.header))]
        header = [self.cell(cell, self.styles.header_cell) for cell in table.header]
        rows = [
            [self.cell(cell, self.styles.cell) for cell in row]
            for row in table.rows
        ]
        if table.signed:
            widths = [w * 0.75 for w in widths] + [width * 0.25]
            header.append(self.cell(_SIGNATURE, self.styles.header_cell))
            rows = [[*row, [Spacer(1, _SIGNING_HEIGHT)]] for row in rows]
        flowable: Flowable
        accent = self.theme.accent
        if len(rows) > CHUNK_ROWS:
            flowable = _ChunkedTable(header, rows, widths, accent=accent)
        else:
            flowable = _make_table([header, *rows], widths, accent)
        flowable.spaceAfter = 8
        return [flowable]

    def table_by_rows(self, table: d.Table) -> list[Flowable]:
        """A table too wide for the page as one paragraph per row, each cell after its column's
        header: every cell is still shown, and the reader is told why."""
        note = d.Emphasis(children=(d.Text(text=f"A table of {len(table.header)} columns, too wide for the page, "
                                                 "shown row by row:"),))
        flowables = [self.para((note,), self.styles.body)]
        for row in table.rows:
            inlines: list[d.Inline] = []
            for index, (name, cell) in enumerate(zip(table.header, row, strict=False)):
                if index:
                    inlines.append(d.Text(text="; "))
                inlines += [d.Strong(children=(*name, d.Text(text=":"))), d.Text(text=" "), *cell]
            flowables += self.paras(inlines, self.styles.body)
        return flowables

    def callout(self, callout: d.Callout, width: float) -> Table:
        label, bar, background = _CALLOUTS.get(callout.kind, _CALLOUTS["note"])
        inner = width - _CALLOUT_INSET
        title = runs(callout.title if callout.title is not None else label, self.family.bold)
        content: list[Flowable] = [
            self.make([font(title, color=bar)], self.styles.callout_title),
            *self.blocks(callout.children, inner),
        ]
        table = Table([[content]], colWidths=[width], splitByRow=1, splitInRow=1, hAlign="LEFT")
        table.setStyle(TableStyle([
            *_CELL_FONT,
            ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor(background)),
            ("LINEBEFORE", (0, 0), (0, -1), 3, colors.HexColor(bar)),
            ("LEFTPADDING", (0, 0), (-1, -1), 9),
            ("RIGHTPADDING", (0, 0), (-1, -1), 7),
            ("TOPPADDING", (0, 0), (-1, -1), 5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ]))
        table.spaceBefore = 2
        table.spaceAfter = 8
        return table

    def figure(self, data: d.FigureData, caption: str, width: float) -> list[Flowable]:
        # Not a KeepTogether: reportlab cannot keep a heading with a container, but it keeps a
        # chain of keepWithNext flowables (heading, drawing, caption) together.
        caption_runs = runs(caption, self.family.regular)
        return [ChartFlowable(chart(data, width)), *self.make.paragraphs(caption_runs, self.styles.caption)]

    def facts_grid(self, facts: Sequence[d.Fact], width: float) -> Table:
        """The title block's facts as a key/value grid, in the columns `d.fact_columns` gives."""
        left, right = d.fact_columns(facts)
        bold = attrs.evolve(self.ctx, bold=True)
        cells: list[list[Any]] = []
        for index in range(max(len(left), len(right))):
            row: list[Any] = []
            for column in (left, right):
                if index < len(column):
                    fact = column[index]
                    row += [
                        self.make([font(runs(fact.label, self.family.regular), color="#616e7c")], self.styles.facts),
                        self.make(_inlines(fact.value, bold), self.styles.facts),
                    ]
                else:
                    row += ["", ""]
            cells.append(row)
        # Each label on one line (as wide as the longest, within a quarter of the width), so a
        # reader, and pdftotext, meet the label right before its value.
        longest = max((string_width(fact.label, self.family.regular, 8.5) for fact in (*left, *right)), default=0.0)
        key_width = min(max(0.17 * width, longest + 8), 0.25 * width)
        value_width = width / 2 - key_width
        grid = Table(cells, colWidths=[key_width, value_width, key_width, value_width], hAlign="LEFT")
        grid.setStyle(TableStyle([
            *_CELL_FONT,
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 6),
            ("TOPPADDING", (0, 0), (-1, -1), 1),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
        ]))
        return grid

    def title_block(self, settings: _Settings, width: float) -> list[Flowable]:
        meta, s = self.document.meta, self.styles
        status_tone = {"draft": "neutral", "final": "good", "approved": "good"}.get(
            meta.status.lower(), "low"
        )
        family = self.family
        badges = [_badge(meta.severity, meta.severity_tone, family), " ", *runs("Status:", family.regular), " ",
                  _badge(meta.status, status_tone, family)]
        facts = list(meta.facts)
        if settings.classification:
            facts.append(d.Fact(label="Classification", value=(d.Text(text=settings.classification),)))
        head: list[Flowable] = [
            self.make(runs(f"{meta.incident_id} \u00b7 {meta.kind}", family.bold), s.id_line),
            self.make(runs(meta.title, family.bold), s.title),
            self.make(badges, s.badges),
        ]
        theme = self.theme
        if theme.logo is not None:
            # The logo at the top right, beside the id, title and badges (no extra height).
            logo_width, logo_height = theme.logo_size
            logo = Image(io.BytesIO(theme.logo), width=logo_width, height=logo_height, hAlign="RIGHT")
            beside = Table([[head, logo]], colWidths=[width - LOGO_BOX[0] - 8, LOGO_BOX[0] + 8], hAlign="LEFT",
                           style=TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("ALIGN", (1, 0), (1, 0), "RIGHT"),
                                             *((edge, (0, 0), (-1, -1), 0) for edge in _PADDINGS)]))
            head = [beside]
        return [
            *head,
            self.facts_grid(facts, width),
            HRFlowable(width="100%", thickness=1.2, color=theme.accent, spaceBefore=6, spaceAfter=6),
        ]


def _code_lines(text: str) -> list[Node]:
    """Preformatted text: spaces kept (as no-break spaces), lines kept."""
    nodes: list[Node] = []
    for number, line in enumerate(text.expandtabs(4).split("\n")):
        if number:
            nodes.append(("br", {}, None))
        nodes += runs(line.replace(" ", "\u00a0"), MONO)
    return nodes
