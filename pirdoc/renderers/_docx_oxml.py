"""Raw WordprocessingML for the DOCX renderer.

Everything that writes the document's XML lives here: runs and paragraphs as escaped XML text
(so a 2,000-row table is built as one string and never parsed), check-box content controls
(w14), complex fields (PAGE, NUMPAGES, PAGEREF, TOC), bookmarks, hyperlinks, numbering
definitions, the DRAFT watermark, custom and extended properties, and the main part and package
bytes. Functions return XML text or edit lxml elements; none of them knows about a review.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Final

from lxml import etree

from pirdoc.document import CHECKED_MARK, UNCHECKED_MARK, check_mark
from pirdoc.renderers._docx_package import NAMESPACES, Package, parse_xml, qn
from pirdoc.renderers._zip import zip_members

# The prefixes the fragments here are written with.
_FRAGMENT_PREFIXES: Final = ("w", "r", "w14", "v", "o", "w10")
NSDECLS = " ".join(f'xmlns:{prefix}="{NAMESPACES[prefix]}"' for prefix in _FRAGMENT_PREFIXES)

# XML 1.0 forbids these; lxml refuses them. The Document promises none, but a file
# property or an option value may still carry one, so everything passes through `clean`.
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean(text: str) -> str:
    """``text`` with every character XML cannot hold replaced by U+FFFD."""
    if text.isascii() and text.isprintable():  # most text: nothing to look for (a seventh of the cost)
        return text
    return _ILLEGAL_XML.sub("\ufffd", text)


def esc(text: str) -> str:
    """``text`` cleaned and escaped for element content or a double-quoted attribute."""
    return clean(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def parse_fragment(xml: str) -> list[etree._Element]:
    """The elements of ``xml`` (a run of w: elements), parsed in one go."""
    wrapper = parse_xml(f"<w:body {NSDECLS}>{xml}</w:body>")
    return list(wrapper)


def document_xml(root: etree._Element, body_xml: str) -> bytes:
    """The main document part: a w:document like ``root`` whose body is ``body_xml`` plus
    ``root``'s final sectPr, as the bytes of the part.

    Written as text, not parsed into a tree and serialised again (a fifth of a small DOCX): the
    fragments are pirdoc's own, every value in them escaped by `esc`. The root keeps its
    attributes and declares every prefix the fragments use, as the fragments use it (a reference
    document may bind the main namespace to another prefix, or ``w`` to nothing); w14 is marked
    ignorable so Word versions without check-box controls still open the file.
    """
    ours = {prefix: NAMESPACES[prefix] for prefix in (*_FRAGMENT_PREFIXES, "mc")}
    nsmap = {**{k: v for k, v in root.nsmap.items() if k not in ours}, **ours}
    shell = etree.Element(root.tag, attrib=dict(root.attrib), nsmap=nsmap)
    ignorable_key = qn("mc:Ignorable")
    ignorable = (shell.get(ignorable_key) or "").split()
    w14_prefix = next(k for k, v in nsmap.items() if v == NAMESPACES["w14"])
    if w14_prefix not in ignorable:
        shell.set(ignorable_key, " ".join([*ignorable, w14_prefix]))
    start = etree.tostring(shell, encoding="unicode")
    assert start.endswith("/>")
    body = root.find(qn("w:body"))
    sect_pr = body.find(qn("w:sectPr")) if body is not None else None
    sect_xml = etree.tostring(sect_pr, encoding="unicode") if sect_pr is not None else ""
    text = f"{start[:-2]}><w:body>{body_xml}{sect_xml}</w:body></{start[1:].split()[0]}>"
    return _XML_DECLARATION + text.encode("utf-8")


_XML_DECLARATION: Final = b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"


# ---------------------------------------------------------------------------- runs

# Code in Consolas (Courier New for complex scripts): Word's and LibreOffice's usual monospace.
MONO_FONTS: Final = '<w:rFonts w:ascii="Consolas" w:hAnsi="Consolas" w:eastAsia="Consolas" w:cs="Courier New"/>'


@dataclass(frozen=True)
class RunFormat:
    """Character formatting for `run`; fields map one-to-one to w:rPr children."""

    style: str | None = None
    mono: bool = False
    """The monospace faces as direct formatting too: LibreOffice applies a table style's run
    properties over a character style, so in table cells code lost its font to the style alone."""
    bold: bool = False
    italic: bool = False
    strike: bool = False
    color: str | None = None

    def with_(self, **changes: object) -> RunFormat:
        key = (self, *changes.items())
        made = _FORMATS.get(key)
        if made is None:  # a document uses a handful of formats, each asked for hundreds of times
            if len(_FORMATS) >= 1024:  # formats named after a reference document's styles: kept few
                _FORMATS.clear()
            made = _FORMATS[key] = replace(self, **changes)  # type: ignore[arg-type]
        return made


_FORMATS: dict[tuple[object, ...], RunFormat] = {}


PLAIN = RunFormat()


def _rpr(fmt: RunFormat) -> str:
    # Children in the schema's sequence order (CT_RPr / EG_RPrBase).
    parts: list[str] = []
    if fmt.style:
        parts.append(f'<w:rStyle w:val="{esc(fmt.style)}"/>')
    if fmt.mono:
        parts.append(MONO_FONTS)
    if fmt.bold:
        parts.append("<w:b/><w:bCs/>")
    if fmt.italic:
        parts.append("<w:i/><w:iCs/>")
    if fmt.strike:
        parts.append("<w:strike/>")
    if fmt.color:
        parts.append(f'<w:color w:val="{fmt.color}"/>')
    return f"<w:rPr>{''.join(parts)}</w:rPr>" if parts else ""


_BREAKS = re.compile(r"(\r\n|\r|\n|\t)")


def run(text: str, fmt: RunFormat = PLAIN) -> str:
    """One w:r holding ``text``; newlines become w:br and tabs w:tab."""
    if not text:
        return ""
    if "\n" not in text and "\r" not in text and "\t" not in text:  # one piece, without the split
        return f'<w:r>{_rpr(fmt)}<w:t xml:space="preserve">{esc(text)}</w:t></w:r>'
    pieces: list[str] = []
    for piece in _BREAKS.split(text):
        if not piece:
            continue
        if piece == "\t":
            pieces.append("<w:tab/>")
        elif piece in ("\n", "\r", "\r\n"):
            pieces.append("<w:br/>")
        else:
            pieces.append(f'<w:t xml:space="preserve">{esc(piece)}</w:t>')
    return f"<w:r>{_rpr(fmt)}{''.join(pieces)}</w:r>"


def line_break(fmt: RunFormat = PLAIN) -> str:
    return f"<w:r>{_rpr(fmt)}<w:br/></w:r>"


def tab_run() -> str:
    return "<w:r><w:tab/></w:r>"


# ---------------------------------------------------------------------------- paragraphs


@dataclass(frozen=True)
class ParaFormat:
    """Paragraph properties for `paragraph`, written in schema order (CT_PPrBase)."""

    style: str | None = None
    keep_next: bool = False
    # may end a page whatever its style says (a reference document's caption style may keep
    # with the next paragraph, which under a figure would chain it to the next section)
    break_after: bool = False
    num: tuple[int, int] | None = None  # (numId, ilvl)
    border_bottom: bool = False
    right_tab: int | None = None  # twips, with a dot leader when leader is True
    leader: bool = False
    space_after: int | None = None
    indent_left: int | None = None
    contextual_spacing: bool | None = None
    align: str | None = None
    single_line: bool = False  # single line spacing (a picture's line is its height, not 1.08 times it)


def _ppr(fmt: ParaFormat) -> str:
    parts: list[str] = []
    if fmt.style:
        parts.append(f'<w:pStyle w:val="{esc(fmt.style)}"/>')
    if fmt.keep_next:
        parts.append("<w:keepNext/>")
    elif fmt.break_after:
        parts.append('<w:keepNext w:val="0"/>')
    if fmt.num:
        parts.append(f'<w:numPr><w:ilvl w:val="{fmt.num[1]}"/><w:numId w:val="{fmt.num[0]}"/></w:numPr>')
    if fmt.border_bottom:
        parts.append('<w:pBdr><w:bottom w:val="single" w:sz="6" w:space="1" w:color="A6A6A6"/></w:pBdr>')
    if fmt.right_tab is not None:
        leader = ' w:leader="dot"' if fmt.leader else ""
        parts.append(f'<w:tabs><w:tab w:val="right"{leader} w:pos="{fmt.right_tab}"/></w:tabs>')
    spacing = (f' w:after="{fmt.space_after}"' if fmt.space_after is not None else "") + (
        ' w:line="240" w:lineRule="auto"' if fmt.single_line else ""
    )
    if spacing:
        parts.append(f"<w:spacing{spacing}/>")
    if fmt.indent_left is not None:
        parts.append(f'<w:ind w:left="{fmt.indent_left}"/>')
    if fmt.contextual_spacing is not None:
        parts.append(f'<w:contextualSpacing w:val="{int(fmt.contextual_spacing)}"/>')
    if fmt.align:
        parts.append(f'<w:jc w:val="{fmt.align}"/>')
    return f"<w:pPr>{''.join(parts)}</w:pPr>" if parts else ""


def paragraph(content: str, fmt: ParaFormat | None = None) -> str:
    """A w:p with ``content`` (runs, hyperlinks, fields, content controls)."""
    return f"<w:p>{_ppr(fmt or ParaFormat())}{content}</w:p>"


def bookmark(bookmark_id: int, name: str, content: str) -> str:
    """``content`` wrapped in a bookmark (targets of internal links and of PAGEREF fields)."""
    return f'<w:bookmarkStart w:id="{bookmark_id}" w:name="{esc(name)}"/>{content}<w:bookmarkEnd w:id="{bookmark_id}"/>'


def hyperlink_external(rel_id: str, content: str) -> str:
    return f'<w:hyperlink r:id="{esc(rel_id)}" w:history="1">{content}</w:hyperlink>'


def hyperlink_internal(anchor: str, content: str) -> str:
    return f'<w:hyperlink w:anchor="{esc(anchor)}" w:history="1">{content}</w:hyperlink>'


# ---------------------------------------------------------------------------- fields


def field_begin(instruction: str, *, dirty: bool = False) -> str:
    """The runs that open a complex field up to its result (fldChar begin … separate)."""
    dirty_attr = ' w:dirty="true"' if dirty else ""
    return (
        f'<w:r><w:fldChar w:fldCharType="begin"{dirty_attr}/></w:r>'
        f'<w:r><w:instrText xml:space="preserve"> {esc(instruction)} </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
    )


def field_end() -> str:
    return '<w:r><w:fldChar w:fldCharType="end"/></w:r>'


def field(instruction: str, cached: str = "", fmt: RunFormat = PLAIN) -> str:
    """A complete complex field with ``cached`` as the result shown until fields are updated."""
    return field_begin(instruction) + run(cached, fmt) + field_end()


# ---------------------------------------------------------------------------- check boxes


def checkbox(sdt_id: int, checked: bool, tag: str) -> str:
    """A run-level check-box content control (w14:checkbox) Word lets readers tick.

    The glyph in the content matches the state, for readers that ignore w14: ☑ or ☐ as in every
    format (`pirdoc.document.check_mark`), never Word's default ☒, which reads as "crossed out".
    """
    glyph = check_mark(checked)
    font = "Segoe UI Symbol"  # has ☐ and ☑ (MS Gothic, Word's default, is meant for ☒)
    tag_xml = f'<w:tag w:val="{esc(tag[:64])}"/>' if tag else ""
    return (
        "<w:sdt><w:sdtPr>"
        f'{tag_xml}<w:id w:val="{sdt_id}"/>'
        f'<w14:checkbox><w14:checked w14:val="{int(checked)}"/>'
        f'<w14:checkedState w14:val="{ord(CHECKED_MARK):04X}" w14:font="{font}"/>'
        f'<w14:uncheckedState w14:val="{ord(UNCHECKED_MARK):04X}" w14:font="{font}"/></w14:checkbox>'
        "</w:sdtPr><w:sdtContent>"
        f'<w:r><w:rPr><w:rFonts w:ascii="{font}" w:eastAsia="{font}" w:hAnsi="{font}" '
        'w:hint="eastAsia"/>'
        f"</w:rPr><w:t>{glyph}</w:t></w:r>"
        "</w:sdtContent></w:sdt>"
    )


# ---------------------------------------------------------------------------- tables


@dataclass(frozen=True)
class CellSpec:
    """One table cell: its paragraphs' XML and optional shading."""

    content: str
    shading: str | None = None


def table(
    *,
    style: str | None,
    grid: Sequence[int],
    header: Sequence[CellSpec] | None,
    rows: Iterable[Sequence[CellSpec]],
    row_height: int | None = None,
    borders: str = "",
) -> str:
    """A w:tbl built in one pass. The header row repeats on every page; with a header, no row
    splits across pages."""
    total = sum(grid)
    style_xml = f'<w:tblStyle w:val="{esc(style)}"/>' if style else ""
    parts = [
        f"<w:tbl><w:tblPr>{style_xml}"
        f'<w:tblW w:w="{total}" w:type="dxa"/>{borders}<w:tblLayout w:type="fixed"/>'
        # firstRow on, firstColumn off (python-docx's default bolds the first column).
        '<w:tblLook w:val="0420" w:firstRow="1" w:lastRow="0" w:firstColumn="0" '
        'w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>'
    ]
    parts.extend(f'<w:gridCol w:w="{width}"/>' for width in grid)
    parts.append("</w:tblGrid>")
    if header is not None:
        parts.append(_row(header, grid, "<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>"))
    # A data table's row stays on one page: a row split across a page break reads out of order
    # (the end of an action on the next page, after the cells beside it). A callout's single row
    # may split, or a long one would leave a page empty.
    keep = "<w:cantSplit/>" if header is not None else ""
    height = f'<w:trHeight w:val="{row_height}" w:hRule="atLeast"/>' if row_height else ""
    row_pr = f"<w:trPr>{keep}{height}</w:trPr>" if keep or height else ""
    parts.extend(_row(cells, grid, row_pr) for cells in rows)
    parts.append("</w:tbl>")
    return "".join(parts)


def _row(cells: Sequence[CellSpec], grid: Sequence[int], tr_pr: str) -> str:
    out = [f"<w:tr>{tr_pr}"]
    for cell, width in zip(cells, grid, strict=True):
        shd = f'<w:shd w:val="clear" w:color="auto" w:fill="{cell.shading}"/>' if cell.shading else ""
        content = cell.content or "<w:p/>"
        out.append(f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{shd}</w:tcPr>{content}</w:tc>')
    out.append("</w:tr>")
    return "".join(out)


def callout_borders(color: str) -> str:
    """Table borders for a callout: a thick coloured bar on the left, nothing else."""
    return (
        "<w:tblBorders>"
        '<w:top w:val="nil"/>'
        f'<w:left w:val="single" w:sz="24" w:space="0" w:color="{color}"/>'
        '<w:bottom w:val="nil"/><w:right w:val="nil"/>'
        '<w:insideH w:val="nil"/><w:insideV w:val="nil"/>'
        "</w:tblBorders>"
    )


# ---------------------------------------------------------------------------- numbering


def _abstract_num(abstract_id: int, nsid: str, ordered: bool) -> str:
    bullets = ("\u2022", "\u25e6", "\u25aa")
    levels = []
    for ilvl in range(9):
        if ordered:
            fmt, text = "decimal", f"%{ilvl + 1}."
        else:
            fmt, text = "bullet", bullets[ilvl % 3]
        levels.append(
            f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
            f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
            f'<w:pPr><w:ind w:left="{720 * (ilvl + 1)}" w:hanging="360"/></w:pPr></w:lvl>'
        )
    return (
        f'<w:abstractNum w:abstractNumId="{abstract_id}"><w:nsid w:val="{nsid}"/>'
        f'<w:multiLevelType w:val="multilevel"/>{"".join(levels)}</w:abstractNum>'
    )


@dataclass(frozen=True)
class ListInstance:
    """One list of the document: which definition, the level it sits at and its first number."""

    ordered: bool
    level: int
    start: int


def add_numbering(numbering: etree._Element, first_num_id: int, lists: Sequence[ListInstance]) -> None:
    """Add a bullet and a decimal definition, and one w:num per list (numbering restarts).

    The new elements are written as one piece of text and parsed in one go: parsed one at a
    time, each with every namespace declaration, they were 2 % of a real-world review's DOCX."""
    if not lists:
        return
    abstract_ids = [int(e.get(qn("w:abstractNumId"))) for e in numbering.iterfind(qn("w:abstractNum"))]
    base = max(abstract_ids, default=-1) + 1
    bullet_id, decimal_id = base, base + 1
    nums = "".join(
        f'<w:num w:numId="{first_num_id + offset}">'
        f'<w:abstractNumId w:val="{decimal_id if instance.ordered else bullet_id}"/>'
        f'<w:lvlOverride w:ilvl="{instance.level}"><w:startOverride w:val="{instance.start}"/></w:lvlOverride>'
        "</w:num>"
        for offset, instance in enumerate(lists)
    )
    definitions = _abstract_num(bullet_id, "5049D001", False) + _abstract_num(decimal_id, "5049D002", True)
    made = parse_fragment(definitions + nums)
    first_num = numbering.find(qn("w:num"))
    for element in made[:2]:
        if first_num is not None:
            first_num.addprevious(element)
        else:
            _append_before(numbering, element, "w:numIdMacAtCleanup")
    for element in made[2:]:
        _append_before(numbering, element, "w:numIdMacAtCleanup")


def next_num_id(numbering: etree._Element) -> int:
    ids = [int(e.get(qn("w:numId"))) for e in numbering.iterfind(qn("w:num"))]
    return max(ids, default=0) + 1


def _append_before(parent: etree._Element, child: etree._Element, successor: str) -> None:
    found = parent.find(qn(successor))
    if found is not None:
        found.addprevious(child)
    else:
        parent.append(child)


# ---------------------------------------------------------------------------- watermark


def draft_watermark(text: str = "DRAFT") -> str:
    """A run holding Word's diagonal WordArt watermark (VML), for a header paragraph."""
    formulas = "".join(
        f'<v:f eqn="{eqn}"/>'
        for eqn in (
            "sum #0 0 10800",
            "prod #0 2 1",
            "sum 21600 0 @1",
            "sum 0 0 @2",
            "sum 21600 0 @3",
            "if @0 @3 0",
            "if @0 21600 @1",
            "if @0 0 @2",
            "if @0 @4 21600",
            "mid @5 @6",
            "mid @8 @5",
            "mid @7 @8",
            "mid @6 @7",
            "sum @6 0 @5",
        )
    )
    return (
        "<w:r><w:rPr><w:noProof/></w:rPr><w:pict>"
        '<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800" '
        'path="m@7,l@8,m@5,21600l@6,21600e">'
        f"<v:formulas>{formulas}</v:formulas>"
        '<v:path textpathok="t" o:connecttype="custom" '
        'o:connectlocs="@9,0;@10,10800;@11,21600;@12,10800" o:connectangles="270,180,90,0"/>'
        '<v:textpath on="t" fitshape="t"/>'
        '<v:handles><v:h position="#0,bottomRight" xrange="6629,14971"/></v:handles>'
        '<o:lock v:ext="edit" text="t" shapetype="t"/></v:shapetype>'
        '<v:shape id="PirdocDraftWatermark" o:spid="_x0000_s2049" type="#_x0000_t136" '
        'style="position:absolute;margin-left:0;margin-top:0;width:440pt;height:140pt;'
        "rotation:315;z-index:-251657216;mso-position-horizontal:center;"
        "mso-position-horizontal-relative:margin;mso-position-vertical:center;"
        'mso-position-vertical-relative:margin" o:allowincell="f" fillcolor="#d8d8d8" stroked="f">'
        '<v:fill opacity=".5"/>'
        f'<v:textpath style="font-family:&quot;Calibri&quot;;font-size:1pt" string="{esc(text)}"/>'
        '<w10:wrap anchorx="margin" anchory="margin"/></v:shape></w:pict></w:r>'
    )


# ---------------------------------------------------------------------------- pictures

WP_NS = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
PIC_NS = "http://schemas.openxmlformats.org/drawingml/2006/picture"
EMU_PER_POINT = 12700


def inline_picture(rel_id: str, *, width_pt: float, height_pt: float, shape_id: int, name: str, descr: str) -> str:
    """A run holding an inline picture (the image part ``rel_id``) ``width_pt`` by ``height_pt``
    points, with ``descr`` as its alternative text (``wp:docPr/@descr``, what Word's "Alt Text"
    pane shows and screen readers read). Line breaks in ``descr`` are kept as character
    references, which an XML parser would otherwise fold into spaces."""
    cx, cy = round(width_pt * EMU_PER_POINT), round(height_pt * EMU_PER_POINT)
    alt = esc(descr).replace("\n", "&#10;")
    label = esc(name)
    return (
        "<w:r><w:rPr><w:noProof/></w:rPr><w:drawing>"
        f'<wp:inline xmlns:wp="{WP_NS}" distT="0" distB="0" distL="0" distR="0">'
        f'<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/>'
        f'<wp:docPr id="{shape_id}" name="{label}" descr="{alt}"/>'
        f'<wp:cNvGraphicFramePr><a:graphicFrameLocks xmlns:a="{A_NS}" noChangeAspect="1"/></wp:cNvGraphicFramePr>'
        f'<a:graphic xmlns:a="{A_NS}"><a:graphicData uri="{PIC_NS}">'
        f'<pic:pic xmlns:pic="{PIC_NS}">'
        f'<pic:nvPicPr><pic:cNvPr id="{shape_id}" name="{label}" descr="{alt}"/><pic:cNvPicPr/></pic:nvPicPr>'
        f'<pic:blipFill><a:blip r:embed="{rel_id}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
        f'<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr>'
        "</pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"
    )


# ---------------------------------------------------------------------------- package parts


def custom_properties_xml(properties: Sequence[tuple[str, str | int]]) -> bytes:
    """docProps/custom.xml holding ``properties`` (strings as lpwstr, ints as i4)."""
    fmtid = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"
    items = []
    for pid, (name, value) in enumerate(properties, start=2):
        typed = f"<vt:i4>{value}</vt:i4>" if isinstance(value, int) else f"<vt:lpwstr>{esc(value)}</vt:lpwstr>"
        items.append(f'<property fmtid="{fmtid}" pid="{pid}" name="{esc(name)}">{typed}</property>')
    return (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        'custom-properties" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        f"{''.join(items)}</Properties>"
    ).encode()


def extended_properties_xml(application: str) -> bytes:
    """docProps/app.xml naming ``application`` (not "Microsoft Macintosh Word")."""
    return (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        'extended-properties" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        f"<Application>{esc(application)}</Application><DocSecurity>0</DocSecurity>"
        "</Properties>"
    ).encode()


def fix_settings(settings: etree._Element, *, update_fields: bool) -> None:
    """Give w:zoom the percent the schema requires; optionally ask Word to refresh fields."""
    zoom = settings.find(qn("w:zoom"))
    if zoom is not None and zoom.get(qn("w:percent")) is None:
        zoom.set(qn("w:percent"), "100")
    for old in settings.findall(qn("w:updateFields")):
        settings.remove(old)
    if update_fields:
        element = parse_xml(f'<w:updateFields {NSDECLS} w:val="true"/>')
        # CT_Settings is a sequence: updateFields comes right before these.
        successors = (
            "w:hdrShapeDefaults",
            "w:footnotePr",
            "w:endnotePr",
            "w:compat",
            "w:docVars",
            "w:rsids",
            "m:mathPr",
            "w:attachedSchema",
            "w:themeFontLang",
            "w:clrSchemeMapping",
            "w:doNotIncludeSubdocsInStats",
            "w:doNotAutoCompressPictures",
            "w:forceUpgrade",
            "w:captions",
            "w:readModeInkLockDown",
            "w:smartTagType",
            "sl:schemaLibrary",
            "w:shapeDefaults",
            "w:doNotEmbedSmartTags",
            "w:decimalSymbol",
            "w:listSeparator",
        )
        for tag in successors:
            found = settings.find(qn(tag))
            if found is not None:
                found.addprevious(element)
                return
        settings.append(element)


def package_bytes(package: Package, main: bytes, *, shared: Collection[str] = ()) -> bytes:
    """The .docx of ``package`` with ``main`` as its main document part, zipped with fixed
    times and order (`zip_members`); ``shared`` names the members most renders have the same."""
    return zip_members(package.members({package.main.name: main}), shared=shared)
