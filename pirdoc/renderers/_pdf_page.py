"""The PDF's pages: the document template (one build, the outline, page headers and footers, page
numbers drawn once the page count is known) and the clickable contents."""

from __future__ import annotations

import datetime as dt
import functools
import io
from collections.abc import Mapping, Sequence
from typing import Final

import attrs
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph, Table, TableStyle

from pirdoc import __version__
from pirdoc import document as d
from pirdoc._methods import value_methods
from pirdoc._warn import warn
from pirdoc.renderers._fonts import can_draw, string_width, visual_runs
from pirdoc.renderers._pdf_canvas import Canvas as _Canvas
from pirdoc.renderers._pdf_plain import text_end
from pirdoc.renderers._pdf_story import _CELL_FONT
from pirdoc.renderers._pdf_styles import MUTED, RULE, _Settings
from pirdoc.renderers._pdf_text import ParagraphMaker

# ---------------------------------------------------------------------------- document template


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


@value_methods
@attrs.frozen(repr=False, eq=False)
class _ContentsEntry:
    anchor: str
    paragraph: Paragraph


@value_methods
@attrs.frozen(repr=False, eq=False)
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

    An entry is a paragraph of plain text: where its text ends, and the link over its line, are
    set when it is drawn (`entry_drawn`). An inline link and a callback at the text's end made
    every entry a paragraph of several fragments, which reportlab breaks and draws at several
    times the cost of plain text.
    """

    def __init__(self, entries: Sequence[_ContentsEntry]) -> None:
        super().__init__()
        self.entries = list(entries)
        self.ends: dict[int, _EntryEnd] = {}
        self._table: Table | None = None
        self._width = 0.0
        for index, entry in enumerate(self.entries):
            entry.paragraph._pirdoc_drawn = functools.partial(self.entry_drawn, index)

    def _table_for(self, width: float) -> Table:
        if self._table is None or self._width != width:
            self._width = width
            self._table = Table([[entry.paragraph] for entry in self.entries], colWidths=(width,),
                                style=_CONTENTS_TABLE, splitByRow=1, splitInRow=1)  # an entry may outgrow a page
        return self._table

    def entry_drawn(self, index: int, canvas: Canvas, paragraph: Paragraph, x: float, y: float) -> None:
        """Entry ``index``, or a part of it split across pages, drawn at ``x``, ``y``: make its
        lines, to the right edge, a link, and note where its text ends, for the dots and the
        page number (the parts are drawn in order, so the last part's end is the one kept)."""
        entry = self.entries[index]
        end, baseline = text_end(paragraph)
        left, bottom = canvas.absolutePosition(x + end, y + baseline)
        right, _ = canvas.absolutePosition(x + self._width, y + baseline)
        self.ends[index] = _EntryEnd(canvas.getPageNumber(), left, bottom, right, paragraph.style)
        canvas.linkRect("", entry.anchor, (x, y, x + self._width, y + paragraph.height), relative=1)

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


class _Frame(Frame):  # type: ignore[misc]
    """reportlab's frame, with no generated content unless some is added. platypus asks the frame
    for its generated content after every flowable it places, with a default; reportlab's frame
    answers a name it lacks by raising AttributeError from a Python ``__getattr__``, three hundred
    times a review. Content added (`Frame.add_generated_content`, into the instance) and removed
    again is unchanged."""

    _generated_content = None


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
        frame = _Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body",
                       leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=self.decorate)])
        self._furniture = self._page_furniture()

    def build_once(self, story: list[Flowable], contents: _Contents | None) -> None:
        """Lay out and draw ``story``, then define the forms it placed, then write the PDF."""
        self._doSave = 0  # BaseDocTemplate.build would save before the forms are defined
        self.build(story, canvasmaker=_Canvas)
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
            entries.append(_ContentsEntry(anchor, make(text, style)))
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


def _contents_height(title: Flowable, contents: _Contents, width: float) -> float:
    """How tall the contents list is, so that it starts on a new page rather than split; a list
    taller than 400 pt, just over half a page (a record of many sections), may still flow over a
    page break."""
    height = title.wrap(width, 1e9)[1] + title.getSpaceBefore() + title.getSpaceAfter()
    height += sum(entry.paragraph.wrap(width, 1e9)[1] + 1 for entry in contents.entries)
    return float(min(height, 400.0))
