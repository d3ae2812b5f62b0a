"""The PDF renderer: an executive briefing or the full record, built with reportlab's platypus.

Every text value is split into font runs (`_pdf_text.runs`) and becomes a paragraph through a
tree of text and tags, never through markup text (`_pdf_text`), so ``a<b`` and ``AT&T`` print
literally, and CJK falls back to an embedded face.
Figures are vector drawings (`_pdf_figures`). Long tables are fed to reportlab a chunk at a time
(`_ChunkedTable`) so their cost grows linearly with the row count.

Builds are reproducible: ``invariant=1`` fixes the file id, and the creation date written to the
document information is the review's ``meta.created``, never the clock.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, Final, assert_never

import attrs
from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4, letter
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    Image,
    ListFlowable,
    ListItem,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import HRFlowable

from pirdoc import __version__
from pirdoc import document as d
from pirdoc._warn import warn
from pirdoc.renderers import classification_option, page_size_option
from pirdoc.renderers._pdf_figures import metrics_drawing, timeline_drawing
from pirdoc.renderers._pdf_fonts import (
    DEJAVU,
    MONO,
    SANS,
    Family,
    can_draw,
    face_for_style,
    register_fonts,
    string_width,
    visual_runs,
)
from pirdoc.renderers._pdf_text import Node, ParagraphMaker, font, plain_text, runs
from pirdoc.renderers._pdf_theme import DEFAULT_ACCENT, LOGO_BOX, Theme, theme_options

__all__ = ["PdfRenderer"]

INK: Final = colors.HexColor("#1f2933")
MUTED: Final = colors.HexColor("#616e7c")
RULE: Final = colors.HexColor("#cbd2d9")
ACCENT: Final = colors.HexColor(DEFAULT_ACCENT)
_PADDINGS: Final = ("LEFTPADDING", "RIGHTPADDING", "TOPPADDING", "BOTTOMPADDING")
LINK: Final = "#1a5fb4"
TONE_COLOURS: Final[dict[str, str]] = {
    "critical": "#a61b1b",
    "high": "#d9480f",
    "medium": "#9a6700",
    "low": "#1971c2",
    "good": "#2b8a3e",
    "neutral": "#5f6b7a",
}
_CALLOUTS: Final[dict[str, tuple[str, str, str]]] = {
    # kind: (label when untitled, bar colour, background)
    "info": ("Summary", "#1971c2", "#edf4fc"),
    "warning": ("Warning", "#d9480f", "#fff4e6"),
    "note": ("Note", "#7b8794", "#f5f7fa"),
}
PAGE_SIZES: Final[dict[str, tuple[float, float]]] = {"a4": A4, "letter": letter}
CHUNK_ROWS: Final = 120
"""Tables longer than this are split into chunks before reportlab measures them."""


# ---------------------------------------------------------------------------- options


@attrs.frozen
class _Settings:
    page_size: tuple[float, float]
    classification: str
    theme: Theme


def _parse_options(document: d.Document, options: Mapping[str, Any]) -> _Settings:
    return _Settings(
        page_size=PAGE_SIZES[page_size_option("pdf", options) or "a4"],
        classification=classification_option("pdf", document, options),
        theme=theme_options(options),
    )


# ---------------------------------------------------------------------------- styles


def _base_style(name: str, **overrides: Any) -> ParagraphStyle:
    base: dict[str, Any] = {
        "fontName": SANS,
        "bulletFontName": SANS,
        "fontSize": 9.5,
        "leading": 12.5,
        "textColor": INK,
        "alignment": TA_LEFT,
        "splitLongWords": 1,
        "spaceAfter": 4,
    }
    base.update(overrides)
    return ParagraphStyle(name, **base)


# Both profiles are set for reading in print: 10.5 pt body text on 14 pt leading, at most about
# 80 characters a line (see _MEASURE); the briefing's page budget (layout's PAGE_LINES) counts
# in lines about this height (DOCX's 11 pt at 1.1 lines).
_BODY: Final = (10.5, 14.0)


class _Styles:
    """The paragraph styles in an accent colour and a text font; every one names an embedded
    font."""

    def __init__(self, accent: colors.Color, family: Family) -> None:
        size, leading = _BODY
        self.family = family

        def _style(name: str, **overrides: Any) -> ParagraphStyle:
            return _base_style(name, **{"fontName": family.regular, **overrides})

        self.body = _style("body", fontSize=size, leading=leading)
        self.cell = _style("cell", fontSize=8.5, leading=10.5, spaceAfter=0)
        self.check = _style("check", fontSize=size, leading=leading, spaceAfter=0)
        self.box = _style("box", fontSize=11, leading=12.5, spaceAfter=0)
        self.header_cell = _style(
            "header-cell", fontName=family.bold, fontSize=8.5, leading=10.5, spaceAfter=0,
            textColor=colors.white,
        )
        self.code = _style(
            "code", fontName=MONO, fontSize=8, leading=10, backColor=colors.HexColor("#f3f5f7"),
            borderPadding=(4, 4, 4, 4), leftIndent=4, rightIndent=4, spaceBefore=6, spaceAfter=10,
        )
        self.caption = _style("caption", fontSize=8, leading=10, textColor=MUTED, spaceAfter=8)
        self.callout_title = _style("callout-title", fontName=family.bold, fontSize=size, leading=leading, spaceAfter=2)
        self.id_line = _style("id-line", fontName=family.bold, fontSize=9, textColor=MUTED, spaceAfter=2)
        self.title = _style(
            "title", fontName=family.bold, fontSize=19, leading=23, textColor=accent, spaceAfter=6
        )
        self.badges = _style("badges", fontSize=9.5, leading=14, spaceAfter=6)
        self.facts = _style("facts", fontSize=8.5, leading=11, spaceAfter=0)
        self.toc_title = _style(
            "toc-title", fontName=family.bold, fontSize=12, leading=15, textColor=accent, spaceBefore=6
        )
        self.headings = (
            _style("h1", fontName=family.bold, fontSize=14, leading=17, textColor=accent,
                   spaceBefore=12, spaceAfter=5, keepWithNext=1),
            _style("h2", fontName=family.bold, fontSize=11.5, leading=14, textColor=accent,
                   spaceBefore=9, spaceAfter=4, keepWithNext=1),
            _style("h3", fontName=family.bold, fontSize=10, leading=13, textColor=INK,
                   spaceBefore=7, spaceAfter=3, keepWithNext=1),
        )
        # Contents lines wrap before the page-number column (four digits of DejaVu Sans Bold at
        # 9.5 pt, 6.6 pt each, and a gap), so a long entry never runs into its number.
        self.toc = _style("toc", fontName=family.bold, fontSize=9.5, leading=13, firstLineIndent=0, spaceAfter=1,
                          rightIndent=32)


@functools.lru_cache(maxsize=8)
def _themed_styles(accent: str = DEFAULT_ACCENT, family: Family = DEJAVU) -> _Styles:
    """The styles in an accent colour (``#rrggbb``) and a text font, built once per theme."""
    return _Styles(colors.HexColor(accent), family)


# ---------------------------------------------------------------------------- inline markup


def _badge(label: str, tone: str, family: Family) -> Node:
    colour = TONE_COLOURS.get(tone, TONE_COLOURS["neutral"])
    return font(["\u00a0", *runs(label, family.bold), "\u00a0"], backColor=colour, color="#ffffff")


@attrs.frozen
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
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
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


class _DrawingFlowable(Flowable):  # type: ignore[misc]
    """A vector drawing that stays with its caption (a Drawing itself takes no keepWithNext)."""

    def __init__(self, drawing: Drawing) -> None:
        super().__init__()
        self.drawing = drawing
        self.width, self.height = drawing.width, drawing.height
        self.keepWithNext = 1

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return self.width, self.height

    def draw(self) -> None:
        renderPDF.draw(self.drawing, self.canv, 0, 0)


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
                pieces = self.make.paragraphs([("a", {"name": anchor}, None), *text], style)
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
        match data:
            case d.TimelineFigure():
                drawing = timeline_drawing(data, width)
            case d.MetricsFigure():
                drawing = metrics_drawing(data, width)
            case _:
                assert_never(data)
        # Not a KeepTogether: reportlab cannot keep a heading with a container, but it keeps a
        # chain of keepWithNext flowables (heading, drawing, caption) together.
        caption_runs = runs(caption, self.family.regular)
        return [_DrawingFlowable(drawing), *self.make.paragraphs(caption_runs, self.styles.caption)]

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


# What must fit below a heading or lead-in for it to stay on this page: a table's header and
# first row, or two lines of a paragraph or list.
_FIRST_LINES: Final = 40.0


def _first_lines(flowable: Flowable, width: float) -> float:
    """The height of the first part of ``flowable`` a heading must not be parted from: a table's
    header and first row (up to a third of a page: a taller row splits), else `_FIRST_LINES`."""
    rows: list[list[Any]] = []
    if isinstance(flowable, _ChunkedTable):
        rows, widths = [flowable._header, *flowable._rows[:1]], flowable._widths
    elif isinstance(flowable, Table):
        rows, widths = [list(row) for row in flowable._cellvalues[:2]], list(flowable._colWidths)
    if not rows:
        return _FIRST_LINES
    height: float = _make_table(rows, widths).wrap(width, 1e9)[1]
    return min(height, 240.0)


def _keeps(flowable: Flowable) -> bool:
    return bool(getattr(flowable, "_pirdoc_keep", False) or getattr(flowable.style, "keepWithNext", 0)) if isinstance(
        flowable, Paragraph
    ) else False


def _keep_with_next(story: Sequence[Flowable], width: float) -> list[Flowable]:
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
        if end < len(story) and isinstance(story[end], _DrawingFlowable):
            out += run
        else:
            needed = _first_lines(story[end], width) if end < len(story) else 0.0
            for flowable in run:
                flowable.keepWithNext = 0
                needed += flowable.wrap(width, 1e9)[1] + flowable.getSpaceBefore() + flowable.getSpaceAfter()
            out += [CondPageBreak(needed), *run]
        index = end
    return out


def _contents_height(title: Flowable, contents: _Contents, width: float) -> float:
    """How tall the contents list is, so that it starts on a new page rather than split; a list
    taller than 400 pt, just over half a page (a record of many sections), may still flow over a
    page break."""
    height = title.wrap(width, 1e9)[1] + title.getSpaceBefore() + title.getSpaceAfter()
    height += sum(entry.paragraph.wrap(width, 1e9)[1] + 1 for entry in contents.entries)
    return float(min(height, 400.0))


def _code_lines(text: str) -> list[Node]:
    """Preformatted text: spaces kept (as no-break spaces), lines kept."""
    nodes: list[Node] = []
    for number, line in enumerate(text.expandtabs(4).split("\n")):
        if number:
            nodes.append(("br", {}, None))
        nodes += runs(line.replace(" ", "\u00a0"), MONO)
    return nodes


# ---------------------------------------------------------------------------- document template


_CONTENTS_CALLBACK: Final = "pirdocContentsEntry"
_CONTENTS_TABLE: Final = TableStyle([*_CELL_FONT, ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                     ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                     ("RIGHTPADDING", (0, 0), (-1, -1), 0)])
_LEADER: Final = " . "


def _warn_about_missing_glyphs(scripts: Sequence[d.ScriptUse]) -> None:
    """One `PirdocWarning` per field and writing system the bundled fonts cannot draw, naming
    both: the PDF would show empty boxes there and text extraction would lose the text."""
    for use in scripts:
        missing = [char for char in use.characters if not can_draw(char)]
        if missing:
            sample = "".join(missing[:6]) + ("…" if len(missing) > 6 else "")
            warn(
                f"pdf: {use.field}: no bundled font draws {use.script} ({sample}); those characters"
                " print as empty boxes",
            )


def _page_form(page: int) -> str:
    return f"PirdocPage{page}"


@attrs.frozen
class _ContentsEntry:
    anchor: str
    paragraph: Paragraph


@attrs.frozen
class _EntryEnd:
    """Where a contents entry's text ended, in page coordinates."""

    page: int
    x: float
    y: float
    right: float
    style: ParagraphStyle


class _Contents(Flowable):  # type: ignore[misc]
    """The table of contents, laid out once. The leader dots and page number of each entry are
    drawn in its page's form XObject (`_DocTemplate.build_once`), defined after the build, when
    the page of every heading is known.

    This is what lets the whole document be built in one pass; reportlab's `TableOfContents`
    needs a second pass to learn the page numbers.
    """

    def __init__(self, entries: Sequence[_ContentsEntry]) -> None:
        super().__init__()
        self.entries = list(entries)
        self.ends: dict[int, _EntryEnd] = {}
        self._table: Table | None = None
        self._width = 0.0

    def _table_for(self, width: float) -> Table:
        self.canv.setNamedCB(_CONTENTS_CALLBACK, self.entry_ended)
        if self._table is None or self._width != width:
            self._width = width
            self._table = Table([[entry.paragraph] for entry in self.entries], colWidths=(width,),
                                style=_CONTENTS_TABLE, splitByRow=1, splitInRow=1)  # an entry may outgrow a page
        return self._table

    def entry_ended(self, canvas: Canvas, kind: str, label: str) -> None:
        """reportlab's onDraw callback at the end of an entry's text (in the paragraph's
        coordinates): note where, and make the rest of the line a link too."""
        index = int(label)
        entry = self.entries[index]
        info = canvas._curr_tx_info
        x, y = info["cur_x"], info["cur_y"]
        style = entry.paragraph.style
        left, bottom = canvas.absolutePosition(x, y)
        right, _ = canvas.absolutePosition(self._width, y)
        self.ends[index] = _EntryEnd(canvas.getPageNumber(), left, bottom, right, style)
        canvas.linkRect("", entry.anchor, (x, y, self._width, y + style.leading), relative=1)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        size: tuple[float, float] = self._table_for(availWidth).wrapOn(self.canv, availWidth, availHeight)
        return size

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        parts: list[Flowable] = self._table_for(availWidth).splitOn(self.canv, availWidth, availHeight)
        return parts

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:  # noqa: N802, N803
        assert self._table is not None, "drawn before it was wrapped"
        self._table.drawOn(canvas, x, y, _sW)

    def draw_page_numbers(self, canvas: Canvas, page: int, pages: Mapping[str, int]) -> None:
        """Leader dots and page number of every entry that ended on ``page``, as reportlab's
        table of contents draws them."""
        for index, end in sorted(self.ends.items()):
            if end.page != page:
                continue
            number = str(pages.get(self.entries[index].anchor, ""))
            face, size = end.style.fontName, end.style.fontSize
            number_width = string_width(number, face, size)
            while number_width > end.right - end.x and size >= 1.0:  # five digits: shrink, as reportlab does
                size *= 0.9
                number_width = string_width(number, face, size)
            dots = max(0, int((end.right - end.x - number_width) / string_width(_LEADER, face, size)))
            text = canvas.beginText(end.right - dots * string_width(_LEADER, face, size) - number_width, end.y)
            text.setFont(face, size)
            text.setFillColor(end.style.textColor)
            text.textLine(_LEADER * dots + number)
            canvas.drawText(text)


def _pdf_date(moment: dt.datetime) -> str:
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC)
    return f"D:{moment:%Y%m%d%H%M%S}+00'00'"


_PAGE_TEXT_RESERVE: Final = "Page 9999 of 9999"
"""The footer title is cut to leave this much room for the page text, which is drawn (in the
page's form) after the title, once the page total is known."""


# Body text is set 420 pt wide (at most about 80 characters of 10.5 pt DejaVu Sans, the longest
# line that reads well in print) on any paper, in the record and the briefing alike; the side
# margins take the rest.
_MEASURE: Final = 420.0


def _side_margin(page_size: tuple[float, float]) -> float:
    return float(max(18 * mm, (page_size[0] - _MEASURE) / 2))


class _DocTemplate(BaseDocTemplate):  # type: ignore[misc]
    """Builds the story in one pass: "of Y" in each footer and the contents' page numbers are
    form XObjects, placed while drawing and defined once the build knows the pages."""

    def __init__(self, buffer: io.BytesIO, document: d.Document, settings: _Settings) -> None:
        meta = document.meta
        version = __version__
        super().__init__(
            buffer,
            pagesize=settings.page_size,
            leftMargin=_side_margin(settings.page_size),
            rightMargin=_side_margin(settings.page_size),
            topMargin=20 * mm,
            bottomMargin=18 * mm,
            title=meta.title,
            author=meta.owner.name if meta.owner is not None else "",
            subject=meta.incident_id,
            keywords=list(meta.keywords),
            creator=f"pirdoc {version}",
            producer=f"pirdoc {version} (ReportLab)",
            invariant=1,
            initialFontName=settings.theme.family.regular,
            displayDocTitle=1,
            pageCompression=1,
        )
        self.pirdoc_document = document
        self.settings = settings
        self.created = _pdf_date(meta.created)
        self.heading_pages: dict[str, int] = {}
        self._outline_level = -1
        self._top_level = min(
            (b.level for b in d.iter_blocks(document.blocks) if isinstance(b, d.Heading)), default=1
        )
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=self.decorate)])
        self._furniture = self._page_furniture()

    def build_once(self, story: list[Flowable], contents: _Contents | None) -> None:
        """Lay out and draw ``story``, then define the forms it placed, then write the PDF."""
        self._doSave = 0  # BaseDocTemplate.build would save before the forms are defined
        self.build(story)
        canvas = self.canv
        pages = self.page
        _, footer_y, right = self._furniture[3:]
        face = self.settings.theme.family.regular
        for page in range(1, pages + 1):
            canvas.beginForm(_page_form(page))
            _draw(canvas, right, footer_y, f"Page {page} of {pages}", face, 8, MUTED, align="right")
            if contents is not None:
                contents.draw_page_numbers(canvas, page, self.heading_pages)
            canvas.endForm()
        canvas.save()

    def handle_documentBegin(self) -> None:  # noqa: N802 - reportlab's name
        super().handle_documentBegin()
        created = self.created
        self.canv.setDateFormatter(lambda *_: created)
        self._outline_level = -1
        if self.pirdoc_document.meta.profile == "full":
            self.canv.showOutline()

    def _outline_depth(self, level: int, previous: int) -> int:
        # PDF outlines start at depth 0 and cannot skip levels: count from the document's top
        # heading level and clamp to one below the previous entry.
        return max(0, min(level - self._top_level, previous + 1))

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802
        outline = getattr(flowable, "_pirdoc_outline", None)
        if outline is None:
            return
        level, text, anchor = outline[:3]
        depth = self._outline_depth(level, self._outline_level)
        self._outline_level = depth
        self.canv.addOutlineEntry(text or anchor, anchor, level=depth, closed=depth > 0)
        self.heading_pages.setdefault(anchor, self.page)

    def contents_entries(
        self, story: Sequence[Flowable], make: ParagraphMaker, style: ParagraphStyle
    ) -> list[_ContentsEntry]:
        """The table of contents of ``story``: one entry per top-level section. A full list of
        every heading filled page 1 and half of page 2 before the summary; the outline pane,
        open with the file, has them all."""
        entries: list[_ContentsEntry] = []
        previous = -1
        for flowable in story:
            outline = getattr(flowable, "_pirdoc_outline", None)
            if outline is None:
                continue
            level, _text, anchor, text = outline
            previous = self._outline_depth(level, previous)
            if previous:
                continue
            label = ("ondraw", {"name": _CONTENTS_CALLBACK, "label": str(len(entries))}, None)
            nodes: list[Node] = [("a", {"href": f"#{anchor}"}, text), label]
            entries.append(_ContentsEntry(anchor, make(nodes, style)))
        return entries

    def _page_furniture(self) -> tuple[str, str, float, str, float, float]:
        """What every page header and footer shows, fitted once: the incident id, the
        classification stamp, the title, and the footer's baseline and right edge."""
        meta = self.pirdoc_document.meta
        width, height = self.pagesize
        left, right = self.leftMargin, width - self.rightMargin
        # A long label is cut to half the header here; the title block shows it whole.
        family = self.settings.theme.family
        stamp = _fit(self.settings.classification.upper(), family.bold, 8, (right - left) / 2)
        reserve = string_width(_PAGE_TEXT_RESERVE, family.regular, 8)
        title = _fit(meta.title, family.regular, 8, right - left - reserve - 24)
        return meta.incident_id, stamp, height - 12 * mm, title, 10 * mm, right

    def decorate(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        meta = self.pirdoc_document.meta
        width, height = self.pagesize
        left, right = self.leftMargin, width - self.rightMargin
        incident_id, stamp, header_y, title, footer_y, _ = self._furniture
        canvas.saveState()
        if meta.is_draft:
            canvas.setFillColor(colors.HexColor("#e4e7eb"))
            canvas.translate(width / 2, height / 2)
            canvas.rotate(52)
            canvas.setFont(self.settings.theme.family.bold, 120)
            canvas.drawCentredString(0, -40, "DRAFT")
            canvas.rotate(-52)
            canvas.translate(-width / 2, -height / 2)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(left, header_y - 4, right, header_y - 4)
        canvas.line(left, footer_y + 10, right, footer_y + 10)
        family = self.settings.theme.family
        _draw(canvas, left, header_y, incident_id, family.bold, 8, MUTED)
        if stamp:
            _draw(canvas, right, header_y, stamp, family.bold, 8, colors.HexColor("#a61b1b"), align="right")
        _draw(canvas, left, footer_y, title, family.regular, 8, MUTED)
        canvas.restoreState()
        # What is only known after the build ("of Y", the contents' page numbers), in page
        # coordinates; the form is defined by build_once.
        canvas.doForm(_page_form(canvas.getPageNumber()))


def _fit(text: str, face: str, size: float, width: float) -> str:
    """``text`` on one line of ``width``, cut with an ellipsis if needed (binary search: titles
    can be thousands of characters long)."""
    text = " ".join(text.split())
    if string_width(text, face, size) <= width:
        return text
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if string_width(text[:middle] + "…", face, size) <= width:
            low = middle
        else:
            high = middle - 1
    return text[:low] + "…"


def _draw(canvas: Canvas, x: float, y: float, text: str, face: str, size: float,
          colour: colors.Color, *, align: str = "left") -> None:
    """Draw one line with font fallback runs."""
    if align == "right":
        x -= string_width(text, face, size)
    canvas.setFillColor(colour)
    for run_face, part in visual_runs(text, face):
        canvas.setFont(run_face, size)
        canvas.drawString(x, y, part)
        x += canvas.stringWidth(part, run_face, size)


# ---------------------------------------------------------------------------- renderer


class PdfRenderer:
    """Render a Document as a PDF: the executive briefing or the full record."""

    name: ClassVar[str] = "pdf"
    suffix: ClassVar[str] = ".pdf"
    media_type: ClassVar[str] = "application/pdf"
    options: ClassVar[Mapping[str, str]] = {
        "page_size": "paper size: A4 (default) or Letter",
        "classification": "label in every page header (default: the document's classification; "
        "empty for none)",
        "accent": "brand colour as #RRGGBB for the title, headings and table headers (default #1c3d5a); "
        "must keep 4.5:1 contrast with white",
        "logo": "path to a PNG or JPEG logo, drawn at the top right of the title block",
        "font": "path to a TrueType (.ttf) font for all text but code and charts (default DejaVu Sans)",
        "font_bold": "path to the font's bold face (default: the font itself)",
        "font_italic": "path to the font's italic face (default: the font itself)",
        "font_bold_italic": "path to the font's bold italic face (default: the bold face)",
    }

    def render(self, document: d.Document, /, **options: Any) -> bytes:
        """Return ``document`` as PDF bytes; the same document always gives the same bytes."""
        settings = _parse_options(document, options)
        register_fonts()
        _warn_about_missing_glyphs(document.meta.scripts)
        accent = settings.theme.accent.hexval().replace("0x", "#")
        styles = _themed_styles(accent, settings.theme.family)
        buffer = io.BytesIO()
        template = _DocTemplate(buffer, document, settings)
        story_builder = _Story(document, styles, settings.theme)
        story: list[Flowable] = story_builder.title_block(settings, template.width)
        at = d.contents_index(document)
        before, after = (
            _keep_with_next(story_builder.blocks(part, template.width), template.width)
            for part in (document.blocks[:at], document.blocks[at:])
        )
        contents: _Contents | None = None
        if document.meta.contents and any(isinstance(b, d.Heading) for b in document.blocks):
            contents = _Contents(template.contents_entries([*before, *after], story_builder.make, styles.toc))
            title = story_builder.make(runs("Contents", styles.family.bold), styles.toc_title)
            before += [
                CondPageBreak(_contents_height(title, contents, template.width)), title, contents,
                HRFlowable(width="100%", thickness=0.6, color=RULE, spaceBefore=4, spaceAfter=4),
            ]
        story += [*before, *after]
        template.build_once(story, contents)
        return buffer.getvalue()
