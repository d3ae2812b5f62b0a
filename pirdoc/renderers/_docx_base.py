"""The package a DOCX render starts from: python-docx's default template cleaned and styled once
per process (or a reference document), the parts of it a render fills, and the document's file
properties."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from pirdoc import document as d
from pirdoc.errors import RenderError
from pirdoc.renderers import _docx_oxml as ox
from pirdoc.renderers import _docx_package as pk
from pirdoc.renderers._docx_package import CT, RT, Package, PackageError, Part, qn
from pirdoc.renderers._docx_styles import drop_unused_table_styles, ensure_styles

__all__ = [
    "SHARED_PARTS", "Base", "base", "base_template", "clean_package", "emu", "from_base", "numbering_part",
    "open_template", "set_properties", "settings_part", "styles_part",
]

_CORE_TEXT_LIMIT: Final = 255  # the longest core-property text python-docx allowed; files stay as they were


def clean_package(package: Package) -> None:
    """Remove what a template carries that does not describe this document."""
    package.drop_rels(None, (RT.THUMBNAIL, RT.CUSTOM_PROPERTIES))
    package.drop_rels(package.main, (RT.STYLES_WITH_EFFECTS,))
    body = package.main.element.find(qn("w:body"))
    for child in list(body if body is not None else ()):
        if child.tag != qn("w:sectPr"):
            body.remove(child)


def styles_part(package: Package) -> Part:
    """The main document's styles part (python-docx's default styles added if it has none)."""
    return package.main_xml_part(RT.STYLES, "/word/styles.xml", CT.STYLES, "default-styles.xml")


def numbering_part(package: Package) -> Part:
    """The main document's numbering part (an empty one added if it has none)."""
    return package.main_xml_part(RT.NUMBERING, "/word/numbering.xml", CT.NUMBERING, None)


def settings_part(package: Package) -> Part:
    """The main document's settings part (python-docx's default settings added if it has none)."""
    return package.main_xml_part(RT.SETTINGS, "/word/settings.xml", CT.SETTINGS, "default-settings.xml")


@dataclass(frozen=True)
class Base:
    """python-docx's default template, cleaned and styled, with what every render shares of it."""

    package: Package
    styles: dict[str, str]
    """`ensure_styles`' answer for it: the styles are all there already."""
    shared: tuple[str, ...]
    """The parts no render changes (styles, theme, fonts, web settings): not copied per render."""


SHARED_PARTS: Final = ("/word/styles.xml", "/word/theme/theme1.xml", "/word/fontTable.xml", "/word/webSettings.xml")


@functools.cache
def base() -> Base:
    """The base of every render without a reference document, made once per process."""
    package = base_template()
    styles = ensure_styles(styles_part(package).element)
    shared = tuple(name for name in SHARED_PARTS if name in package.parts)
    package.freeze(shared)
    return Base(package, styles, shared)


def from_base() -> tuple[Package, dict[str, str], frozenset[str]]:
    """A copy of the base to render into, its style ids and the zip members it shares."""
    made = base()
    return made.package.copy(made.shared), made.styles, frozenset(name[1:] for name in made.shared)


def base_template() -> Package:
    """python-docx's default template, cleaned and styled."""
    package = Package.read(pk.template_file(pk.BASE_TEMPLATE).read_bytes())
    clean_package(package)
    package.drop_rels(package.main, (RT.CUSTOM_XML,))  # an empty bibliography from the template
    styles = styles_part(package).element
    used = ensure_styles(styles)
    drop_unused_table_styles(styles, used.values())
    # The template's paragraphs are set 1.15 lines apart with 10 pt after each, looser than print
    # needs; 1.1 and 6 pt set the page as the PDF does.
    spacing = styles.find(f"{qn('w:docDefaults')}/{qn('w:pPrDefault')}/{qn('w:pPr')}/{qn('w:spacing')}")
    if spacing is not None:
        spacing.set(qn("w:after"), "120")
        spacing.set(qn("w:line"), "264")
    return package


def open_template(path: Path) -> Package:
    """The reference document at ``path``, cleaned; a `RenderError` says why it cannot be used."""
    try:
        package = Package.read(path.read_bytes())
        package.parse_all()
    except PackageError as exc:
        kind = "Word document" if "Word" in str(exc) else "readable .docx file"
        raise RenderError(f"docx: template {str(path)!r} is not a {kind}: {exc}") from exc
    except Exception as exc:  # the zip and XML readers' own errors: encryption, a bad stream, bad XML
        reason = str(exc) or type(exc).__name__
        raise RenderError(f"docx: template {str(path)!r} is not a readable .docx file: {reason}") from exc
    clean_package(package)
    return package


def _set_part_blob(package: Package, reltype: str, partname: str, content_type: str, blob: bytes) -> None:
    package.drop_rels(None, (reltype,))
    package.add_part(None, reltype, Part(partname, content_type, blob))


def _utc(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is None:
        return value
    return value.astimezone(dt.UTC).replace(tzinfo=None)


def _core_text(text: str) -> str:
    one_line = " ".join(ox.clean(text).split())
    return one_line if len(one_line) <= _CORE_TEXT_LIMIT else one_line[: _CORE_TEXT_LIMIT - 1] + "\u2026"


def set_properties(package: Package, meta: d.DocumentMeta, classification: str) -> None:
    """The document's core, extended and custom properties, from its metadata."""
    core = package.related(None, RT.CORE_PROPERTIES)
    if core is None:
        core = Part("/docProps/core.xml", CT.CORE_PROPERTIES, element=pk.core_properties_root())
        package.add_part(None, RT.CORE_PROPERTIES, core)
    owner = meta.owner.name if meta.owner else ""
    pk.set_core_properties(core.element, [
        ("title", _core_text(meta.title)),
        ("subject", _core_text(meta.incident_id)),
        ("author", _core_text(owner)),
        ("last_modified_by", _core_text(owner)),
        ("keywords", _core_text(", ".join(meta.keywords))),
        ("category", meta.kind),
        ("comments", _core_text(meta.summary)),
        ("content_status", _core_text(meta.status)),
        ("identifier", _core_text(meta.incident_id)),
        ("created", _utc(meta.created)),
        ("modified", _utc(meta.modified)),
        ("last_printed", _utc(meta.modified)),
        ("revision", max(1, meta.revision)),  # the review's revision (never below Word's 1)
        ("version", ""),
        ("language", ""),
    ])
    _set_part_blob(
        package,
        RT.EXTENDED_PROPERTIES,
        "/docProps/app.xml",
        CT.EXTENDED_PROPERTIES,
        ox.extended_properties_xml(meta.generator),
    )
    custom: list[tuple[str, str | int]] = [
        ("IncidentId", meta.incident_id),
        ("Severity", meta.severity),
        ("Status", meta.status),
        ("ContentHash", meta.content_hash),
        ("Classification", classification),
        ("Profile", meta.profile),
        ("Revision", meta.revision),
    ]
    _set_part_blob(
        package,
        RT.CUSTOM_PROPERTIES,
        "/docProps/custom.xml",
        CT.CUSTOM_PROPERTIES,
        ox.custom_properties_xml(custom),
    )


_EMU_PER_UNIT: Final = {"mm": 36000, "cm": 360000, "in": 914400, "pt": 12700, "pc": 152400, "pi": 152400}


def emu(value: str | None) -> int:
    """A page size or margin of a section (twips, or a universal measure such as ``2.5cm``) in
    EMU, 0 when not given or not readable."""
    if value is None:
        return 0
    text = value.strip()
    try:
        return int(text) * 635
    except ValueError:
        pass
    unit = _EMU_PER_UNIT.get(text[-2:])
    try:
        return round(float(text[:-2]) * unit) if unit is not None else 0
    except ValueError:
        return 0
