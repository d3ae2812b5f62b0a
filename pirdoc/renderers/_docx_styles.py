"""Word styles for the DOCX renderer: the paragraph, character and table styles pirdoc writes
with, added to a template that lacks them (names matched as Word and LibreOffice write them),
and the built-in table styles python-docx's template carries that nothing uses, dropped."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

from lxml import etree

from pirdoc.renderers._docx_oxml import MONO_FONTS, NSDECLS, esc
from pirdoc.renderers._docx_package import parse_xml, qn

# Styles pirdoc uses, by name, as XML with {id} and {normal} to fill in. A reference document
# that already has a style of that name keeps its own; only missing ones are added.
STYLE_DEFINITIONS: dict[str, tuple[str, str]] = {
    "Normal": (
        "paragraph",
        '<w:name w:val="Normal"/><w:qFormat/>',
    ),
    "Title": (
        "paragraph",
        '<w:name w:val="Title"/><w:basedOn w:val="{normal}"/><w:next w:val="{normal}"/><w:qFormat/>'
        '<w:pPr><w:spacing w:after="300"/></w:pPr>'
        '<w:rPr><w:sz w:val="52"/><w:color w:val="17365D"/></w:rPr>',
    ),
    # heading 1-3 are filled in below from _HEADING_LOOK.
    "heading 1": ("paragraph", ""),
    "heading 2": ("paragraph", ""),
    "heading 3": ("paragraph", ""),
    "TOC Heading": (
        "paragraph",
        '<w:name w:val="TOC Heading"/><w:basedOn w:val="{normal}"/><w:next w:val="{normal}"/>'
        '<w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before="240" w:after="120"/></w:pPr>'
        '<w:rPr><w:b/><w:sz w:val="28"/><w:color w:val="365F91"/></w:rPr>',
    ),
    "toc 1": (
        "paragraph",
        '<w:name w:val="toc 1"/><w:basedOn w:val="{normal}"/><w:next w:val="{normal}"/>'
        '<w:uiPriority w:val="39"/><w:unhideWhenUsed/><w:pPr><w:spacing w:after="60"/></w:pPr>',
    ),
    "toc 2": (
        "paragraph",
        '<w:name w:val="toc 2"/><w:basedOn w:val="{normal}"/><w:next w:val="{normal}"/>'
        '<w:uiPriority w:val="39"/><w:unhideWhenUsed/>'
        '<w:pPr><w:spacing w:after="60"/><w:ind w:left="220"/></w:pPr>',
    ),
    "List Paragraph": (
        "paragraph",
        '<w:name w:val="List Paragraph"/><w:basedOn w:val="{normal}"/><w:uiPriority w:val="34"/>'
        '<w:qFormat/><w:pPr><w:ind w:left="720"/><w:contextualSpacing/></w:pPr>',
    ),
    "caption": (
        "paragraph",
        '<w:name w:val="caption"/><w:basedOn w:val="{normal}"/><w:next w:val="{normal}"/>'
        '<w:qFormat/><w:pPr><w:spacing w:after="120"/></w:pPr>'
        '<w:rPr><w:b/><w:sz w:val="18"/><w:color w:val="4F81BD"/></w:rPr>',
    ),
    "header": (
        "paragraph",
        '<w:name w:val="header"/><w:basedOn w:val="{normal}"/><w:rPr><w:sz w:val="18"/></w:rPr>',
    ),
    "footer": (
        "paragraph",
        '<w:name w:val="footer"/><w:basedOn w:val="{normal}"/><w:rPr><w:sz w:val="18"/></w:rPr>',
    ),
    "Source Code": (
        "paragraph",
        '<w:name w:val="Source Code"/><w:basedOn w:val="{normal}"/><w:qFormat/>'
        '<w:pPr><w:pBdr><w:left w:val="single" w:sz="12" w:space="4" w:color="BFBFBF"/></w:pBdr>'
        '<w:shd w:val="clear" w:color="auto" w:fill="F2F2F2"/>'
        '<w:spacing w:before="60" w:after="120" w:line="240" w:lineRule="auto"/></w:pPr>'
        f"<w:rPr>{MONO_FONTS}"
        '<w:sz w:val="18"/></w:rPr>',
    ),
    "Verbatim Char": (
        "character",
        '<w:name w:val="Verbatim Char"/><w:qFormat/>'
        f"<w:rPr>{MONO_FONTS}"
        '<w:sz w:val="19"/><w:shd w:val="clear" w:color="auto" w:fill="F2F2F2"/></w:rPr>',
    ),
    "Hyperlink": (
        "character",
        '<w:name w:val="Hyperlink"/><w:uiPriority w:val="99"/><w:unhideWhenUsed/>'
        '<w:rPr><w:color w:val="0563C1"/><w:u w:val="single"/></w:rPr>',
    ),
    "Title Facts": (
        "table",
        '<w:name w:val="Title Facts"/><w:uiPriority w:val="59"/>'
        '<w:pPr><w:spacing w:before="0" w:after="20"/></w:pPr><w:rPr><w:sz w:val="19"/></w:rPr>'
        "<w:tblPr><w:tblBorders>"
        '<w:top w:val="nil"/><w:left w:val="nil"/><w:bottom w:val="nil"/><w:right w:val="nil"/>'
        '<w:insideH w:val="nil"/><w:insideV w:val="nil"/>'
        "</w:tblBorders><w:tblCellMar>"
        '<w:left w:w="0" w:type="dxa"/><w:right w:w="113" w:type="dxa"/>'
        "</w:tblCellMar></w:tblPr>",
    ),
    "Review Table": (
        "table",
        '<w:name w:val="Review Table"/><w:uiPriority w:val="59"/>'
        '<w:pPr><w:spacing w:before="40" w:after="40"/></w:pPr><w:rPr><w:sz w:val="19"/></w:rPr>'
        "<w:tblPr><w:tblBorders>"
        '<w:top w:val="single" w:sz="4" w:space="0" w:color="A6A6A6"/>'
        '<w:left w:val="single" w:sz="4" w:space="0" w:color="A6A6A6"/>'
        '<w:bottom w:val="single" w:sz="4" w:space="0" w:color="A6A6A6"/>'
        '<w:right w:val="single" w:sz="4" w:space="0" w:color="A6A6A6"/>'
        '<w:insideH w:val="single" w:sz="4" w:space="0" w:color="A6A6A6"/>'
        '<w:insideV w:val="single" w:sz="4" w:space="0" w:color="A6A6A6"/>'
        "</w:tblBorders><w:tblCellMar>"
        '<w:left w:w="85" w:type="dxa"/><w:right w:w="85" w:type="dxa"/>'
        "</w:tblCellMar></w:tblPr>"
        '<w:tblStylePr w:type="firstRow"><w:rPr><w:b/><w:color w:val="FFFFFF"/></w:rPr>'
        '<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="1F3864"/></w:tcPr></w:tblStylePr>'
        '<w:tblStylePr w:type="band1Horz">'
        '<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="F2F5FA"/>'
        "</w:tcPr></w:tblStylePr>",
    ),
}

_HEADING_LOOK = {1: ("32", "1F3864", "360"), 2: ("26", "2E74B5", "240"), 3: ("22", "2E74B5", "200")}
for _level, (_size, _color, _before) in _HEADING_LOOK.items():
    STYLE_DEFINITIONS[f"heading {_level}"] = (
        "paragraph",
        f'<w:name w:val="heading {_level}"/>'
        '<w:basedOn w:val="{normal}"/><w:next w:val="{normal}"/>'
        f'<w:uiPriority w:val="9"/><w:qFormat/><w:pPr><w:keepNext/><w:keepLines/>'
        f'<w:spacing w:before="{_before}" w:after="80"/>'
        f'<w:outlineLvl w:val="{_level - 1}"/></w:pPr>'
        f'<w:rPr><w:b/><w:bCs/><w:color w:val="{_color}"/><w:sz w:val="{_size}"/></w:rPr>',
    )


_CUSTOM_STYLES = frozenset({"Source Code", "Verbatim Char", "Review Table"})


def _style_name(style: etree._Element) -> str:
    name = style.find(qn("w:name"))
    return (name.get(qn("w:val")) or "") if name is not None else ""


_ON: Final = ("1", "true", "on")


def drop_unused_table_styles(styles: etree._Element, used: Iterable[str]) -> None:
    """Remove from ``styles`` the built-in table styles nothing refers to.

    python-docx's template defines every table style of Word 2010 ("Light Shading Accent 1" and
    a hundred more): 340 KB, 97 % of its styles part, which every render copied, serialised and
    compressed for tables that never use them. Word and LibreOffice know the built-in styles
    themselves and add one to the file when someone applies it. Kept: every style that is not a
    table style, the default and custom table styles, ``used`` (style ids), and whatever a kept
    style is based on, followed by or linked to."""
    by_id = {style.get(qn("w:styleId")) or "": style for style in styles.iterfind(qn("w:style"))}
    keep = set(used)
    for style_id, style in by_id.items():
        if (style.get(qn("w:type")) != "table" or style.get(qn("w:default")) in _ON
                or style.get(qn("w:customStyle")) in _ON):
            keep.add(style_id)
    pending = list(keep)
    while pending:
        style = by_id.get(pending.pop())
        if style is None:
            continue
        for tag in ("w:basedOn", "w:next", "w:link"):
            reference = style.find(qn(tag))
            target = reference.get(qn("w:val")) if reference is not None else None
            if target is not None and target not in keep:
                keep.add(target)
                pending.append(target)
    for style_id, style in by_id.items():
        if style_id not in keep:
            styles.remove(style)


def ensure_styles(styles: etree._Element) -> dict[str, str]:
    """Add each style of `STYLE_DEFINITIONS` that ``styles`` lacks; return name → styleId.

    Names match case-insensitively (Word writes "heading 1", LibreOffice "Heading 1"), and ids
    come from the document, so a reference document with localised ids still works.
    """
    by_name: dict[str, str] = {}
    ids: set[str] = set()
    normal_id = None
    for style in styles.iterfind(qn("w:style")):
        style_id = style.get(qn("w:styleId")) or ""
        ids.add(style_id)
        by_name.setdefault(_style_name(style).lower(), style_id)
        if style.get(qn("w:type")) == "paragraph" and style.get(qn("w:default")) in (
            "1",
            "true",
            "on",
        ):
            normal_id = style_id
    normal_id = normal_id or by_name.get("normal")
    result: dict[str, str] = {}
    for name, (kind, body) in STYLE_DEFINITIONS.items():
        existing = by_name.get(name.lower())
        if existing is not None:
            result[name] = existing
            continue
        style_id = re.sub(r"[^A-Za-z0-9]", "", name.title()) or "Style"
        candidate, counter = style_id, 1
        while candidate in ids:
            counter += 1
            candidate = f"{style_id}{counter}"
        ids.add(candidate)
        default = ' w:default="1"' if name == "Normal" and normal_id is None else ""
        custom = ' w:customStyle="1"' if name in _CUSTOM_STYLES else ""
        filled = body.replace("{normal}", esc(normal_id or candidate))
        if normal_id is None:
            filled = filled.replace(f'<w:basedOn w:val="{candidate}"/>', "").replace(
                f'<w:next w:val="{candidate}"/>', ""
            )
        element = parse_xml(
            f'<w:style {NSDECLS} w:type="{kind}"{default}{custom} w:styleId="{candidate}">{filled}</w:style>'
        )
        styles.append(element)
        if name == "Normal" and normal_id is None:
            normal_id = candidate
        result[name] = candidate
        by_name[name.lower()] = candidate
    return result
