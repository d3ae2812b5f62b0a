"""The DOCX renderer: a Word document for legal and compliance teams.

The package is python-docx's default template, cleaned (`pirdoc.renderers._docx_base`), or a
company's reference document, read and written by `pirdoc.renderers._docx_package`; the renderer
sets page setup, headers, footers and file properties, and writes the body as WordprocessingML
text through `pirdoc.renderers._docx_oxml`, never parsed, which keeps big reviews linear.
"""

from __future__ import annotations

import itertools
import os
import re
import struct
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, Final, assert_never

from lxml import etree

from pirdoc import document as d
from pirdoc.errors import RenderError
from pirdoc.renderers import _docx_oxml as ox
from pirdoc.renderers import _docx_package as pk
from pirdoc.renderers import check_options, classification_option, page_size_option
from pirdoc.renderers._docx_base import (
    emu,
    from_base,
    numbering_part,
    open_template,
    set_properties,
    settings_part,
    styles_part,
)
from pirdoc.renderers._docx_package import CT, RT, Package, Part, qn
from pirdoc.renderers._docx_styles import ensure_styles
from pirdoc.renderers._figure_png import SCALE, figure_png

__all__ = ["DocxRenderer"]

_TONE_COLOURS: dict[d.Tone, str] = {
    "critical": "C00000",
    "high": "E36C09",
    "medium": "B8860B",
    "low": "1F6FB2",
    "good": "2E7D32",
    "neutral": "6B6B6B",
}

_CALLOUT_LOOK: dict[d.CalloutKind, tuple[str, str]] = {
    # kind: (fill, bar colour)
    "info": ("EAF1FB", "2E74B5"),
    "warning": ("FDF0E6", "C55A11"),
    "note": ("F2F2F2", "7F7F7F"),
}

_PAPER: dict[str, tuple[int, int, int]] = {
    # name: (width, height, left/right margin), in twips
    "a4": (11906, 16838, 1134),
    "letter": (12240, 15840, 1440),
}

# The text width without a template: 7,240 twips (362 pt), at most about 80 characters of the
# 11 pt body a line, the longest that reads well in print, in the record and the briefing alike;
# the side margins take the rest.
_MEASURE = 7240

_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})


@dataclass(frozen=True)
class _Options:
    paper: str | None
    classification: str
    template: Path | None
    toc: bool
    update_fields: bool


def _parse_bool(name: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise RenderError(f"docx: option {name} must be true or false, not {value!r}")


def _parse_options(document: d.Document, options: Mapping[str, Any]) -> _Options:
    paper = page_size_option("docx", options)
    classification = classification_option("docx", document, options)
    template = options.get("template")
    template_path: Path | None = None
    if template is not None:
        if not isinstance(template, str | os.PathLike):
            raise RenderError(f"docx: option template must be a path to a .docx file, not {template!r}")
        template_path = Path(template)
        if not template_path.is_file():
            raise RenderError(f"docx: template {str(template_path)!r} does not exist or is not a file")
    return _Options(
        paper=paper,
        classification=classification,
        template=template_path,
        toc=_parse_bool("toc", options.get("toc", True)),
        update_fields=_parse_bool("update_fields", options.get("update_fields", False)),
    )


# ---------------------------------------------------------------------------- the renderer


class DocxRenderer:
    """Renders a `Document` as a Word document (Office Open XML, ECMA-376 transitional)."""

    name: ClassVar[str] = "docx"
    suffix: ClassVar[str] = ".docx"
    media_type: ClassVar[str] = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    options: ClassVar[Mapping[str, str]] = {
        "page_size": "A4 (default) or Letter; with a template, its own page size unless given",
        "classification": "label in every page header (default: the document's classification)",
        "template": "path to a reference .docx whose styles, page setup and headers are used",
        "toc": "include the filled-in table of contents (true by default)",
        "update_fields": "ask Word to refresh page numbers in the contents on opening (false)",
    }

    def render(self, document: d.Document, /, **options: Any) -> bytes:
        check_options(self, options)
        opts = _parse_options(document, options)
        styles: dict[str, str] | None = None
        shared: frozenset[str] = frozenset()
        if opts.template:
            package = open_template(opts.template)
        else:
            package, styles, shared = from_base()
        main = _Builder(package, document, opts, styles).build()
        if opts.template:  # a reference document's own markup is in it: check the part is XML
            try:
                etree.fromstring(main)
            except etree.XMLSyntaxError as exc:
                raise RenderError(f"docx: template {str(opts.template)!r} cannot hold this document: {exc}") from exc
        return ox.package_bytes(package, main, shared=shared)


def _bookmark_name(anchor: str, taken: set[str]) -> str:
    """A Word bookmark name for ``anchor``: letters, digits, _; ≤ 40 chars; a letter first."""
    base = re.sub(r"[^0-9A-Za-z_]", "_", anchor)
    if not base or not base[0].isalpha():
        base = "h_" + base
    base = base[:40]
    name, counter = base, 1
    while name.lower() in taken:
        counter += 1
        suffix = f"_{counter}"
        name = base[: 40 - len(suffix)] + suffix
    taken.add(name.lower())
    return name


_LONG_TOKEN: Final = re.compile(r"\S{25,}")
_BREAK_OPPORTUNITY: Final = "\u200b"  # zero-width space: Word and LibreOffice may break a line there


def _breakable(text: str) -> str:
    """``text`` with a zero-width space at each `pirdoc.document.url_break_points` position of
    its long tokens (URLs, paths): Word otherwise breaks a token wider than the column wherever
    it reaches the margin. Layout shows any zero-width space of the review as ``[U+200B]``, so
    every one in the output is such a break opportunity."""
    if len(text) < 25:
        return text

    def mark(match: re.Match[str]) -> str:
        token = match.group()
        points = d.url_break_points(token)
        if not points:
            return token
        bounds = [0, *points, len(token)]
        return _BREAK_OPPORTUNITY.join(token[a:b] for a, b in itertools.pairwise(bounds))

    return _LONG_TOKEN.sub(mark, text)


def _alt_text(figure: d.Figure) -> str:
    """The caption, then one line per row of the figure's table: "Header: cell; Header: cell"."""
    lines = [figure.caption]
    if figure.table is not None:
        headers = [d.plain_text(cell) for cell in figure.table.header]
        for row in figure.table.rows:
            lines.append("; ".join(
                f"{header}: {d.plain_text(cell)}" if header else d.plain_text(cell)
                for header, cell in zip(headers, row, strict=True)
            ))
    return "\n".join(" ".join(line.split()) for line in lines)


class _Builder:
    """One render: per-document id counters, list instances and the body XML."""

    def __init__(self, package: Package, document: d.Document, opts: _Options,
                 styles: dict[str, str] | None = None) -> None:
        self.package = package
        self.document = document
        self.meta = document.meta
        self.opts = opts
        self.main = package.main
        self.styles = styles if styles is not None else ensure_styles(styles_part(package).element)
        numbering = numbering_part(package).element
        self.numbering = numbering
        self.first_num_id = ox.next_num_id(numbering)
        self.lists: list[ox.ListInstance] = []
        self.next_bookmark = 1
        self.next_sdt = 1
        self.next_shape = 0
        self.classification = opts.classification
        taken: set[str] = set()
        self.bookmarks: dict[str, str] = {}
        for block in d.iter_blocks(document.blocks):
            if isinstance(block, d.Heading) and block.anchor not in self.bookmarks:
                self.bookmarks[block.anchor] = _bookmark_name(block.anchor, taken)

    # ------------------------------------------------------------------ layout of the file

    def build(self) -> bytes:
        """Fill the package; return the main document part (written as it is, not parsed)."""
        self._page_setup()
        out: list[str] = []
        self._title_block(out)
        blocks = self.document.blocks
        if self.opts.toc and self.document.meta.contents:
            at = d.contents_index(self.document)
            self._blocks(blocks[:at], out, depth=0)
            self._toc(out)
            blocks = blocks[at:]
        self._blocks(blocks, out, depth=0)
        ox.add_numbering(self.numbering, self.first_num_id, self.lists)
        self._headers_and_footers()
        ox.fix_settings(settings_part(self.package).element, update_fields=self.opts.update_fields)
        set_properties(self.package, self.meta, self.classification)
        return ox.document_xml(self.main.element, "".join(out))

    def _page_setup(self) -> None:
        section = pk.body_section(self.main.element)
        paper = self.opts.paper or (None if self.opts.template else "a4")
        if paper is not None:
            width, height, side = _PAPER[paper]
            side = max(side, (width - _MEASURE) // 2)
            size = pk.section_child(section, "w:pgSz")
            size.set(qn("w:w"), str(width))
            size.set(qn("w:h"), str(height))
            # the PDF's top and bottom margins (20 mm, 18 mm), so a page holds as much in both
            margins = pk.section_child(section, "w:pgMar")
            for name, value in (("top", 1134), ("right", side), ("bottom", 1020), ("left", side),
                                ("header", 708), ("footer", 708), ("gutter", 0)):
                if name != "gutter" or margins.get(qn("w:gutter")) is None:
                    margins.set(qn(f"w:{name}"), str(value))
        size, margins = section.find(qn("w:pgSz")), section.find(qn("w:pgMar"))

        def measure(element: etree._Element | None, name: str) -> int:
            return emu(element.get(qn(name)) if element is not None else None)

        width_emu = measure(size, "w:w") - measure(margins, "w:left") - measure(margins, "w:right")
        self.text_width = max(int(width_emu / 635), 2880)

    def _headers_and_footers(self) -> None:
        section = pk.body_section(self.main.element)
        kinds = ["default"]
        if pk.on(section.find(qn("w:titlePg"))):
            kinds.append("first")
        if pk.on(settings_part(self.package).element.find(qn("w:evenAndOddHeaders"))):
            kinds.append("even")
        header_xml = self._header_line()
        filled: set[int] = set()  # a part two references share (default and first page) gets one line
        for kind in kinds:
            element = self._story_part(section, "header", kind)
            if id(element) in filled:
                continue
            filled.add(id(element))
            if not any(text.strip() for text in pk.paragraph_texts(element)):
                for child in list(element):
                    element.remove(child)
            for node in ox.parse_fragment(header_xml):
                element.append(node)
        footer_xml = self._footer_line()
        for kind in kinds:
            element = self._story_part(section, "footer", kind)
            if id(element) in filled or any(text.strip() for text in pk.paragraph_texts(element)):
                continue  # filled already, or a reference document's own footer, which wins
            filled.add(id(element))
            for child in list(element):
                element.remove(child)
            for node in ox.parse_fragment(footer_xml):
                element.append(node)

    def _story_part(self, section: etree._Element, story: str, kind: str) -> etree._Element:
        """The root of the section's header or footer (``story``) of ``kind`` (default, first,
        even): its own, or a new empty one (a section without one shows the previous one's)."""
        rel_id = pk.reference(section, story, kind)
        rel = self.main.rels.get(rel_id) if rel_id is not None else None
        part = self.package.parts.get(rel.target) if rel is not None else None
        if part is None:
            for stale in section.iterfind(qn(f"w:{story}Reference")):
                if stale.get(qn("w:type"), "default") == kind:
                    section.remove(stale)
            root = "w:hdr" if story == "header" else "w:ftr"
            part = Part(self.package.next_name(f"/word/{story}%d.xml"), CT.HEADER if story == "header" else CT.FOOTER,
                        element=pk.parse_xml(f"<{root} {ox.NSDECLS}/>"))
            rel_id = self.package.add_part(self.main, RT.HEADER if story == "header" else RT.FOOTER, part)
            pk.add_reference(section, story, kind, rel_id)
        return part.element

    def _header_line(self) -> str:
        # One line at any text width: the 9 pt header holds about one character per 5.5 pt (a
        # little wider than the font's average, so it never wraps), less the id and the label.
        right = len("DRAFT \u00b7 " if self.meta.is_draft else "") + len(self.classification or "")
        room = max(int(self.text_width / 20 / 5.5) - len(self.meta.incident_id) - 3 - right - 4, 12)
        title = " ".join(self.meta.title.split())
        if len(title) > room:
            title = title[: room - 1] + "\u2026"
        content = ox.run(f"{self.meta.incident_id} \u2014 {title}") + ox.tab_run()
        if self.meta.is_draft:
            content += ox.draft_watermark("DRAFT")
            content += ox.run("DRAFT", ox.RunFormat(bold=True, color=_TONE_COLOURS["critical"]))
            if self.classification:
                content += ox.run(" \u00b7 ")
        if self.classification:
            content += ox.run(self.classification, ox.RunFormat(bold=True))
        fmt = ox.ParaFormat(style=self.styles["header"], right_tab=self.text_width, border_bottom=True)
        return ox.paragraph(content, fmt)

    def _footer_line(self) -> str:
        content = ox.run("Page ") + ox.field("PAGE", "1") + ox.run(" of ") + ox.field("NUMPAGES", "1")
        return ox.paragraph(content, ox.ParaFormat(style=self.styles["footer"], align="center"))

    # ------------------------------------------------------------------ front matter

    def _title_block(self, out: list[str]) -> None:
        meta = self.meta
        out.append(ox.paragraph(ox.run(meta.title), ox.ParaFormat(style=self.styles["Title"])))
        label = ox.RunFormat(bold=True)
        first = (
            ox.run("Incident ", label)
            + ox.run(meta.incident_id)
            + ox.run("    Severity ", label)
            + self._badge(meta.severity, meta.severity_tone)
            + ox.run("    Status ", label)
            + self._badge(meta.status, "critical" if meta.is_draft else "neutral")
        )
        out.append(ox.paragraph(first, ox.ParaFormat(space_after=120)))
        facts = list(meta.facts)
        if self.classification:
            facts.append(d.Fact(label="Classification", value=(d.Text(text=self.classification),)))
        if facts:
            self._facts_grid(facts, out)

    def _facts_grid(self, facts: Sequence[d.Fact], out: list[str]) -> None:
        """The title block's facts as a borderless key/value grid (table style *Title Facts*), in the columns of
        `d.fact_columns` (as the PDF sets them): grey labels, values in bold."""
        left, right = d.fact_columns(facts)
        tight = ox.ParaFormat(space_after=20)
        muted = ox.RunFormat(color="595959")

        def cells(fact: d.Fact | None) -> list[ox.CellSpec]:
            if fact is None:
                return [ox.CellSpec(""), ox.CellSpec("")]
            value = self._inlines(fact.value, ox.PLAIN.with_(bold=True))
            if isinstance(fact.value[0], d.Person) and fact.value[0].role:
                value += ox.run(f" ({fact.value[0].role})")
            label_cell = ox.CellSpec(ox.paragraph(ox.run(fact.label, muted), tight))
            return [label_cell, ox.CellSpec(ox.paragraph(value, tight))]

        rows = [
            [*cells(left[i] if i < len(left) else None), *cells(right[i] if i < len(right) else None)]
            for i in range(max(len(left), len(right)))
        ]
        # Each label on one line, as in the PDF: as wide as the longest (about 5 pt a character
        # of the 9.5 pt style, and the cell's margin), within 17 % to 25 % of the width.
        longest = max(len(fact.label) for fact in (*left, *right))
        key = min(max(longest * 100 + 113, int(self.text_width * 0.17)), int(self.text_width * 0.25))
        value = self.text_width // 2 - key
        grid = [key, value, key, value]
        out.append(ox.table(style=self.styles["Title Facts"], grid=grid, header=None, rows=rows))
        out.append(ox.paragraph("", ox.ParaFormat(space_after=120)))

    def _toc(self, out: list[str]) -> None:
        # The top-level sections only, as in the PDF: the navigation pane has every heading.
        headings = [block for block in d.iter_blocks(self.document.blocks) if isinstance(block, d.Heading)]
        if not headings:
            return
        top = min(heading.level for heading in headings)
        entries = [heading for heading in headings if heading.level == top]
        out.append(ox.paragraph(ox.run("Contents"), ox.ParaFormat(style=self.styles["TOC Heading"])))
        last = len(entries) - 1
        # Page numbers only where Word will fill them in (update_fields): LibreOffice and a
        # printed copy would otherwise show dot leaders leading to nothing. Without them each
        # entry is a link to its section, with no leader.
        numbered = self.opts.update_fields
        for index, heading in enumerate(entries):
            name = self.bookmarks[heading.anchor]
            text = " ".join(d.plain_text(heading.children).split())
            page = ox.tab_run() + ox.field(f"PAGEREF {name} \\h", "") if numbered else ""
            content = ox.hyperlink_internal(name, ox.run(text) + page)
            if index == 0:
                field = f'TOC \\o "{top}-{top}" \\h \\z \\u'
                content = ox.field_begin(field, dirty=self.opts.update_fields) + content
            if index == last:
                content += ox.field_end()
            style = self.styles["toc 1"]
            tab = self.text_width if numbered else None
            # The list stays together (each entry kept with the next), as in the PDF: a heading
            # and one entry at the foot of a page read as a contents of one section.
            fmt = ox.ParaFormat(style=style, right_tab=tab, leader=numbered, keep_next=index < last)
            out.append(ox.paragraph(content, fmt))

    # ------------------------------------------------------------------ blocks

    def _blocks(self, blocks: Sequence[d.Block], out: list[str], depth: int) -> None:
        for block in blocks:
            self._block(block, out, depth)

    def _block(self, block: d.Block, out: list[str], depth: int) -> None:
        match block:
            case d.Heading(level=level, children=children, anchor=anchor):
                style = self.styles[f"heading {min(max(level, 1), 3)}"]
                content = self._inlines(children, ox.PLAIN)
                name = self.bookmarks.get(anchor)
                if name is not None:
                    content = ox.bookmark(self._bookmark_id(), name, content)
                out.append(ox.paragraph(content, ox.ParaFormat(style=style)))
            case d.Paragraph(children=children, keep_with_next=keep):
                indent = 720 * depth if depth else None
                fmt = ox.ParaFormat(indent_left=indent, keep_next=keep)
                out.append(ox.paragraph(self._inlines(children, ox.PLAIN), fmt))
            case d.BulletList(items=items, tight=tight):
                self._list(items, out, depth, ordered=False, start=1, tight=tight)
            case d.OrderedList(items=items, start=start, tight=tight):
                self._list(items, out, depth, ordered=True, start=start, tight=tight)
            case d.Checklist(items=items, role=role):
                self._checklist(items, role, out, depth)
            case d.Table():
                self._table(block, out)
            case d.CodeBlock(text=text):
                out.append(
                    ox.paragraph(
                        ox.run(text.rstrip("\n")),
                        ox.ParaFormat(style=self.styles["Source Code"], indent_left=720 * depth or None),
                    )
                )
            case d.Callout(kind=kind, children=children, title=title):
                self._callout(kind, title, children, out)
            case d.Figure():
                self._figure(block, out)
            case d.ThematicBreak():
                out.append(ox.paragraph("", ox.ParaFormat(border_bottom=True, space_after=240)))
            case _:
                assert_never(block)

    def _list(
        self,
        items: Sequence[tuple[d.Block, ...]],
        out: list[str],
        depth: int,
        *,
        ordered: bool,
        start: int,
        tight: bool,
    ) -> None:
        level = min(depth, 8)
        num_id = self.first_num_id + len(self.lists)
        self.lists.append(ox.ListInstance(ordered=ordered, level=level, start=max(start, 0)))
        spacing = {} if tight else {"space_after": 120, "contextual_spacing": False}
        list_style = self.styles["List Paragraph"]
        for item in items:
            first = True
            for block in item:
                if first and isinstance(block, d.Paragraph):
                    fmt = ox.ParaFormat(style=list_style, num=(num_id, level), keep_next=block.keep_with_next,
                                        **spacing)  # type: ignore[arg-type]
                    out.append(ox.paragraph(self._inlines(block.children, ox.PLAIN), fmt))
                elif isinstance(block, d.Paragraph):
                    fmt = ox.ParaFormat(style=list_style, indent_left=720 * (level + 1), keep_next=block.keep_with_next,
                                        **spacing)  # type: ignore[arg-type]
                    out.append(ox.paragraph(self._inlines(block.children, ox.PLAIN), fmt))
                else:
                    if first:
                        # An item that opens with a non-paragraph still gets its marker.
                        out.append(ox.paragraph("", ox.ParaFormat(style=list_style, num=(num_id, level))))
                    self._block(block, out, depth + 1)
                first = False

    def _checklist(self, items: Sequence[d.ChecklistItem], role: str, out: list[str], depth: int) -> None:
        for item in items:
            box = ox.checkbox(self._sdt_id(), item.checked, role)
            content = box + ox.run(" ") + self._inlines(item.children, ox.PLAIN)
            fmt = ox.ParaFormat(style=self.styles["List Paragraph"], indent_left=360 + 720 * depth)
            out.append(ox.paragraph(content, fmt))

    def _grid(self, widths: Sequence[float], columns: int) -> list[int]:
        return [max(int(self.text_width * f), 360) for f in d.column_fractions(widths, columns)]

    def _cell(self, inlines: Sequence[d.Inline]) -> ox.CellSpec:
        return ox.CellSpec(ox.paragraph(self._inlines(inlines, ox.PLAIN)))

    def _table(self, table: d.Table, out: list[str]) -> None:
        columns = len(table.header)
        if columns == 0:
            return
        header = [self._cell(cell) for cell in table.header]
        rows: Iterator[list[ox.CellSpec]] = ([self._cell(cell) for cell in row] for row in table.rows)
        widths: Sequence[float] = table.widths
        row_height = None
        if table.signed:
            widths = [w * 0.75 for w in widths] + [0.25] if len(widths) == columns else []
            columns += 1
            header.append(ox.CellSpec(ox.paragraph(ox.run("Signature"))))
            rows = ([*row, ox.CellSpec("")] for row in rows)
            row_height = 850
        grid = self._grid(widths, columns)
        out.append(
            ox.table(
                style=self.styles["Review Table"],
                grid=grid,
                header=header,
                rows=rows,
                row_height=row_height,
            )
        )
        out.append(ox.paragraph("", ox.ParaFormat(space_after=0)))  # keeps adjacent tables apart

    def _callout(self, kind: d.CalloutKind, title: str | None, children: Sequence[d.Block], out: list[str]) -> None:
        fill, bar = _CALLOUT_LOOK[kind]
        inner: list[str] = []
        if title:
            inner.append(ox.paragraph(ox.run(title, ox.RunFormat(bold=True, color=bar)), ox.ParaFormat(keep_next=True)))
        self._blocks(children, inner, depth=0)
        if not inner or not inner[-1].startswith("<w:p>"):
            inner.append(ox.paragraph(""))
        cell = ox.CellSpec("".join(inner), shading=fill)
        out.append(
            ox.table(
                style=None,
                grid=[self.text_width],
                header=None,
                rows=[[cell]],
                borders=ox.callout_borders(bar),
            )
        )
        out.append(ox.paragraph("", ox.ParaFormat(space_after=0)))

    def _figure(self, figure: d.Figure, out: list[str]) -> None:
        """A figure as a picture of the PDF's chart, the width of the text, under its caption.
        Its alternative text states its data: the caption, then the rows of the figure's
        compact table (layout's accessible alternative), which is not shown a second time; a
        figure without one has its data in the text around it."""
        png = figure_png(figure.data, self.text_width / 20)
        width_px, height_px = struct.unpack(">II", png[16:24])  # the PNG header's IHDR chunk
        rel_id = self.package.image(png)
        shape_id = self._shape_id()
        picture = ox.inline_picture(
            rel_id,
            width_pt=width_px / SCALE,
            height_pt=height_px / SCALE,
            shape_id=shape_id,
            name=f"Figure {shape_id}",
            descr=_alt_text(figure),
        )
        out.append(ox.paragraph(picture, ox.ParaFormat(keep_next=True, space_after=0, single_line=True)))
        out.append(ox.paragraph(ox.run(figure.caption), ox.ParaFormat(style=self.styles["caption"], break_after=True)))

    # ------------------------------------------------------------------ inlines

    def _badge(self, label: str, tone: d.Tone, fmt: ox.RunFormat = ox.PLAIN) -> str:
        return ox.run(label, fmt.with_(bold=True, color=_TONE_COLOURS[tone]))

    def _inlines(self, inlines: Sequence[d.Inline], fmt: ox.RunFormat) -> str:
        return "".join(self._inline(node, fmt) for node in inlines)

    def _inline(self, node: d.Inline, fmt: ox.RunFormat) -> str:
        match node:
            case d.Text(text=text):
                return ox.run(_breakable(text), fmt)
            case d.Strong(children=children):
                return self._inlines(children, fmt.with_(bold=True))
            case d.Emphasis(children=children):
                return self._inlines(children, fmt.with_(italic=True))
            case d.Strikethrough(children=children):
                return self._inlines(children, fmt.with_(strike=True))
            case d.Code(text=text):
                return ox.run(text, fmt.with_(style=self.styles["Verbatim Char"], mono=True))
            case d.Link(target=target, children=children):
                return self._link(target, children, fmt)
            case d.LineBreak():
                return ox.line_break(fmt)
            case d.DateTime(text=text):
                return ox.run(text, fmt)
            case d.Person(name=name):
                return ox.run(name, fmt)
            case d.StatusBadge(label=label, tone=tone):
                return self._badge(label, tone, fmt)
            case _:
                assert_never(node)

    def _link(self, target: str, children: Sequence[d.Inline], fmt: ox.RunFormat) -> str:
        content = self._inlines(children, fmt.with_(style=self.styles["Hyperlink"]))
        if not d.is_safe_link(target):  # layout never produces one; a hand-built Document might
            return self._inlines(children, fmt)
        if target.startswith("#"):
            name = self.bookmarks.get(target[1:])
            return ox.hyperlink_internal(name, content) if name else self._inlines(children, fmt)
        rel_id = self.package.relate(self.main, RT.HYPERLINK, ox.clean(target), external=True)
        return ox.hyperlink_external(rel_id, content)

    # ------------------------------------------------------------------ ids

    def _bookmark_id(self) -> int:
        value = self.next_bookmark
        self.next_bookmark += 1
        return value

    def _shape_id(self) -> int:
        self.next_shape += 1
        return self.next_shape

    def _sdt_id(self) -> int:
        value = self.next_sdt
        self.next_sdt += 1
        return value
