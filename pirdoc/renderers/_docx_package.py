"""A Word package as the DOCX renderer needs it: parts, their relationships and content types
(Open Packaging Conventions, ECMA-376 part 2), read from a .docx and written back.

python-docx did this before, and its import, object model and copy of the template were a fifth
of a command that renders a DOCX. Only what the renderer uses is here: the parts a
relationship reaches, XML parts parsed when first asked for (and written from the tree only
then), relationships found or added the way Word numbers them, and the section, header,
footer, numbering, settings and core-properties parts of the main document. python-docx stays a
dependency for its default template (`BASE_TEMPLATE`), which is read as a file, and the tests
read every DOCX back with it.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import importlib.util
import io
import posixpath
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Final

from lxml import etree

__all__ = [
    "BASE_TEMPLATE", "CT", "NAMESPACES", "RT", "Package", "PackageError", "Part", "parse_xml", "qn",
]

NAMESPACES: Final = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "w14": "http://schemas.microsoft.com/office/word/2010/wordml",
    "v": "urn:schemas-microsoft-com:vml",
    "o": "urn:schemas-microsoft-com:office:office",
    "w10": "urn:schemas-microsoft-com:office:word",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "m": "http://schemas.openxmlformats.org/officeDocument/2006/math",
    "sl": "http://schemas.openxmlformats.org/schemaLibrary/2006/main",
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "dcmitype": "http://purl.org/dc/dcmitype/",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
}
_CT_NS: Final = "http://schemas.openxmlformats.org/package/2006/content-types"
_PR_NS: Final = "http://schemas.openxmlformats.org/package/2006/relationships"


def qn(tag: str) -> str:
    """``prefix:name`` as lxml's ``{namespace}name``."""
    prefix, _, name = tag.partition(":")
    return f"{{{NAMESPACES[prefix]}}}{name}"


class RT:
    """Relationship types."""

    _OFFICE: Final = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
    OFFICE_DOCUMENT: Final = _OFFICE + "officeDocument"
    STYLES: Final = _OFFICE + "styles"
    NUMBERING: Final = _OFFICE + "numbering"
    SETTINGS: Final = _OFFICE + "settings"
    HEADER: Final = _OFFICE + "header"
    FOOTER: Final = _OFFICE + "footer"
    IMAGE: Final = _OFFICE + "image"
    HYPERLINK: Final = _OFFICE + "hyperlink"
    CUSTOM_XML: Final = _OFFICE + "customXml"
    EXTENDED_PROPERTIES: Final = _OFFICE + "extended-properties"
    CUSTOM_PROPERTIES: Final = _OFFICE + "custom-properties"
    CORE_PROPERTIES: Final = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
    THUMBNAIL: Final = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail"
    STYLES_WITH_EFFECTS: Final = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"


class CT:
    """Content types."""

    _WML: Final = "application/vnd.openxmlformats-officedocument.wordprocessingml."
    DOCUMENT: Final = _WML + "document.main+xml"
    STYLES: Final = _WML + "styles+xml"
    NUMBERING: Final = _WML + "numbering+xml"
    SETTINGS: Final = _WML + "settings+xml"
    HEADER: Final = _WML + "header+xml"
    FOOTER: Final = _WML + "footer+xml"
    COMMENTS: Final = _WML + "comments+xml"
    CORE_PROPERTIES: Final = "application/vnd.openxmlformats-package.core-properties+xml"
    EXTENDED_PROPERTIES: Final = "application/vnd.openxmlformats-officedocument.extended-properties+xml"
    CUSTOM_PROPERTIES: Final = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
    RELATIONSHIPS: Final = "application/vnd.openxmlformats-package.relationships+xml"
    XML: Final = "application/xml"
    PNG: Final = "image/png"


# Parts kept as a tree (parsed when first asked for and written from it); any other part is
# written as the bytes it was read as.
_XML_PARTS: Final = frozenset({CT.DOCUMENT, CT.STYLES, CT.NUMBERING, CT.SETTINGS, CT.HEADER, CT.FOOTER,
                               CT.COMMENTS, CT.CORE_PROPERTIES})

# Extensions whose usual content type is declared once for the extension rather than per part.
_DEFAULTS: Final = frozenset({
    ("bmp", "image/bmp"), ("emf", "image/x-emf"), ("gif", "image/gif"), ("jpe", "image/jpeg"),
    ("jpeg", "image/jpeg"), ("jpg", "image/jpeg"), ("png", CT.PNG), ("tif", "image/tiff"),
    ("tiff", "image/tiff"), ("wmf", "image/x-wmf"), ("rels", CT.RELATIONSHIPS), ("xml", CT.XML),
    ("bin", "application/vnd.openxmlformats-officedocument.wordprocessingml.printerSettings"),
})

MAX_PACKAGE_BYTES: Final = 64 * 2**20
"""The most a reference document's parts may hold, uncompressed (a zip of a few kilobytes can
unpack to gigabytes); Word's own templates hold well under a megabyte."""

BASE_TEMPLATE: Final = "templates/default.docx"
"""python-docx's default template, relative to its package folder."""

# The same limits as python-docx's parser: no entities resolved, no network, no whitespace-only
# text between elements (Word writes none that matters).
_PARSER: Final = etree.XMLParser(remove_blank_text=True, resolve_entities=False, no_network=True)


def parse_xml(text: str | bytes) -> etree._Element:
    """The root element of XML ``text``."""
    return etree.fromstring(text.encode("utf-8") if isinstance(text, str) else text, _PARSER)


def _serialise(element: etree._Element) -> bytes:
    written: bytes = etree.tostring(element, encoding="UTF-8", standalone=True)
    return written


class PackageError(ValueError):
    """A file that is not a Word package this renderer can use, with the reason."""


class Rel:
    """One relationship: its id, type and target (a part name, or a URL when external)."""

    __slots__ = ("external", "rel_id", "reltype", "target")

    def __init__(self, rel_id: str, reltype: str, target: str, *, external: bool = False) -> None:
        self.rel_id = rel_id
        self.reltype = reltype
        self.target = target
        self.external = external


class Rels:
    """The relationships of a part (or of the package) in their order, found by id or by what
    they point at; ids given as Word gives them, the first free ``rIdN``.

    Both lookups are kept as indexes: a review's narrative can hold tens of thousands of links,
    each a relationship of the main document, and a scan of the list for each made a DOCX of
    8,000 links take 11 s."""

    __slots__ = ("_by_id", "_by_target", "_free")

    def __init__(self, rels: Iterable[Rel] = ()) -> None:
        self._by_id: dict[str, Rel] = {}
        self._by_target: dict[tuple[str, str, bool], str] = {}
        self._free = 1  # no rIdN below this is free
        for rel in rels:
            self.add(rel)

    def __len__(self) -> int:
        return len(self._by_id)

    def values(self) -> Iterable[Rel]:
        """The relationships, in order."""
        return self._by_id.values()

    def get(self, rel_id: str) -> Rel | None:
        """The relationship ``rel_id``, if there is one."""
        return self._by_id.get(rel_id)

    def add(self, rel: Rel) -> None:
        """Add ``rel`` (replacing one of the same id)."""
        self._by_id[rel.rel_id] = rel
        self._by_target.setdefault((rel.reltype, rel.target, rel.external), rel.rel_id)

    def find(self, reltype: str, target: str, *, external: bool) -> str | None:
        """The id of the first relationship of ``reltype`` to ``target``, if there is one."""
        return self._by_target.get((reltype, target, external))

    def next_id(self) -> str:
        """The first ``rIdN`` not taken."""
        while f"rId{self._free}" in self._by_id:
            self._free += 1
        return f"rId{self._free}"

    def drop(self, reltypes: Sequence[str]) -> None:
        """Remove the relationships of ``reltypes``."""
        kept = [rel for rel in self._by_id.values() if rel.reltype not in reltypes]
        self._by_id.clear()
        self._by_target.clear()
        self._free = 1  # the dropped ids are free again, as Word reuses them
        for rel in kept:
            self.add(rel)

    def copy(self) -> Rels:
        """A copy that can change without changing this one (relationships never change)."""
        return Rels(self._by_id.values())


class Part:
    """One part: its name (``/word/document.xml``), content type, content and relationships."""

    __slots__ = ("_blob", "_element", "content_type", "frozen", "name", "rels")

    def __init__(self, name: str, content_type: str, blob: bytes | None = None,
                 element: etree._Element | None = None) -> None:
        self.name = name
        self.content_type = content_type
        self._blob = blob
        self._element = element
        self.rels = Rels()
        self.frozen = False
        """Shared by every render (`Package.freeze`): its bytes only, never a tree to change."""

    @property
    def element(self) -> etree._Element:
        """The part's XML tree (parsed on first use)."""
        if self.frozen:
            raise RuntimeError(f"{self.name} is shared by every render and cannot be changed")
        if self._element is None:
            assert self._blob is not None
            self._element = parse_xml(self._blob)
            self._blob = None
        return self._element

    @element.setter
    def element(self, value: etree._Element) -> None:
        self._element, self._blob = value, None

    @property
    def blob(self) -> bytes:
        """The part's bytes: as read, or its tree written out."""
        if self._element is not None:
            return _serialise(self._element)
        assert self._blob is not None
        return self._blob

    @property
    def base(self) -> str:
        """The folder its relative targets start from."""
        return posixpath.dirname(self.name)

    def copy(self) -> Part:
        """A copy whose tree and relationships can change without changing this part."""
        twin = Part(self.name, self.content_type, self._blob,
                    copy.deepcopy(self._element) if self._element is not None else None)
        twin.rels = self.rels.copy()
        return twin


class Package:
    """The parts of a .docx that its relationships reach, by name."""

    def __init__(self) -> None:
        self.parts: dict[str, Part] = {}
        self.rels = Rels()
        """The package's own relationships (to the main document and the properties)."""

    # ------------------------------------------------------------------ reading

    @classmethod
    def read(cls, data: bytes) -> Package:
        """The package in the .docx bytes ``data``; `PackageError` names what is wrong."""
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
        except zipfile.BadZipFile as exc:
            raise PackageError(f"not a zip file ({exc})") from None
        with archive:
            members = {info.filename: info for info in archive.infolist()}

            def member(name: str) -> bytes | None:
                info = members.get(name)
                return archive.read(info) if info is not None else None

            types = member("[Content_Types].xml")
            if types is None:
                raise PackageError("no [Content_Types].xml: not an Office package")
            defaults, overrides = _content_types(types)
            package = cls()
            pending = [("/", package.rels)]
            size = 0
            while pending:
                source, rels = pending.pop()
                text = member(_rels_name(source))
                for rel in _read_rels(text, source) if text is not None else ():
                    if rel.external or rel.target in package.parts:
                        rels.add(rel)
                        continue
                    info = members.get(rel.target[1:])
                    if info is None or _is_package_file(rel.target):
                        continue  # nothing there, or the package's own bookkeeping: dropped
                    size += info.file_size
                    if size > MAX_PACKAGE_BYTES:
                        raise PackageError(f"its parts hold more than {MAX_PACKAGE_BYTES // 2**20} MiB")
                    blob = archive.read(info)
                    rels.add(rel)
                    extension = posixpath.splitext(rel.target)[1][1:].lower()
                    content_type = overrides.get(rel.target.lower()) or defaults.get(extension)
                    if content_type is None:
                        raise PackageError(f"no content type for part {rel.target}")
                    part = package.parts[rel.target] = Part(rel.target, content_type, blob)
                    pending.append((rel.target, part.rels))
        main = package.related(None, RT.OFFICE_DOCUMENT)
        if main is None:
            raise PackageError("no main document part")
        if main.content_type != CT.DOCUMENT:
            raise PackageError(f"not a Word document: its main part is {main.content_type}")
        return package

    def copy(self, shared: Sequence[str] = ()) -> Package:
        """A copy to render into: the parts named in ``shared`` (ones a render never changes)
        are this package's own, every other one is copied."""
        twin = Package()
        twin.parts = {name: part if name in shared else part.copy() for name, part in self.parts.items()}
        twin.rels = self.rels.copy()
        return twin

    # ------------------------------------------------------------------ relationships

    def _rels_of(self, source: Part | None) -> Rels:
        return self.rels if source is None else source.rels

    def related(self, source: Part | None, reltype: str) -> Part | None:
        """The part ``source`` (the package for None) relates to by ``reltype``, if any."""
        for rel in self._rels_of(source).values():
            if rel.reltype == reltype and not rel.external:
                return self.parts.get(rel.target)
        return None

    def relate(self, source: Part | None, reltype: str, target: str, *, external: bool = False) -> str:
        """The id of ``source``'s relationship of ``reltype`` to ``target`` (a part name, or a
        URL when ``external``): an existing one, or a new one with the first free rIdN."""
        rels = self._rels_of(source)
        found = rels.find(reltype, target, external=external)
        if found is not None:
            return found
        rel_id = rels.next_id()
        rels.add(Rel(rel_id, reltype, target, external=external))
        return rel_id

    def drop_rels(self, source: Part | None, reltypes: Sequence[str]) -> None:
        """Remove ``source``'s relationships of ``reltypes`` (their parts go unless another
        relationship reaches them)."""
        self._rels_of(source).drop(reltypes)

    def add_part(self, source: Part | None, reltype: str, part: Part) -> str:
        """Add ``part`` related from ``source`` by ``reltype``; its relationship's id."""
        self.parts[part.name] = part
        return self.relate(source, reltype, part.name)

    def next_name(self, pattern: str) -> str:
        """The first free part name ``pattern % n`` for n = 1, 2, …"""
        taken = {name.lower() for name in self.parts}
        number = 1
        while (pattern % number).lower() in taken:
            number += 1
        return pattern % number

    # ------------------------------------------------------------------ the main document

    @property
    def main(self) -> Part:
        """The main document part."""
        part = self.related(None, RT.OFFICE_DOCUMENT)
        assert part is not None  # `read` refuses a package without one
        return part

    def main_xml_part(self, reltype: str, name: str, content_type: str, default: str | None) -> Part:
        """The main document's part of ``reltype``; when it has none, one is added as ``name``,
        holding python-docx's ``default`` file for it (``default-styles.xml``), or empty."""
        part = self.related(self.main, reltype)
        if part is None:
            if default is not None:
                element = parse_xml(template_file(f"templates/{default}").read_bytes())
            else:
                element = etree.Element(qn("w:numbering"), nsmap={"w": NAMESPACES["w"]})
            part = Part(self.next_name(name.replace(".xml", "%d.xml")) if name in self.parts else name,
                        content_type, element=element)
            self.add_part(self.main, reltype, part)
        return part

    def parse_all(self) -> None:
        """Parse every XML part now (a reference document's syntax errors surface here, as
        the template's, not in the middle of a render)."""
        for part in self.parts.values():
            if part.content_type in _XML_PARTS:
                part.element  # noqa: B018 - parsed on access

    def freeze(self, names: Sequence[str]) -> None:
        """Keep the parts named ``names`` as bytes from now on: they are shared, never changed."""
        for name in names:
            part = self.parts[name]
            part._blob, part._element = part.blob, None
            part.frozen = True

    def image(self, blob: bytes, extension: str = "png") -> str:
        """The main document's relationship id for the picture ``blob``: a part holding the same
        bytes is reused, else one is added as ``/word/media/imageN``."""
        digest = hashlib.sha1(blob).digest()
        found = next((part.name for part in self.parts.values()
                      if part.name.startswith("/word/media/") and hashlib.sha1(part.blob).digest() == digest), None)
        if found is None:
            found = self.next_name(f"/word/media/image%d.{extension}")
            self.parts[found] = Part(found, CT.PNG if extension == "png" else f"image/{extension}", blob)
        return self.relate(self.main, RT.IMAGE, found)

    # ------------------------------------------------------------------ writing

    def iter_parts(self) -> Iterator[Part]:
        """Every part a relationship reaches from the package, each once."""
        seen: set[str] = set()
        pending = [self.rels]
        while pending:
            for rel in pending.pop().values():
                if rel.external or rel.target in seen or rel.target not in self.parts:
                    continue
                seen.add(rel.target)
                part = self.parts[rel.target]
                yield part
                pending.append(part.rels)

    def members(self, replaced: dict[str, bytes] | None = None) -> dict[str, bytes]:
        """The zip members of the package: its parts (``replaced`` gives some their bytes),
        their relationships and the content types."""
        replaced = replaced or {}
        parts = list(self.iter_parts())
        out = {"[Content_Types].xml": _content_types_xml(parts), "_rels/.rels": _rels_xml(self.rels, "/")}
        for part in parts:
            out[part.name[1:]] = replaced.get(part.name) or part.blob
            if part.rels:
                out[_rels_name(part.name)] = _rels_xml(part.rels, part.base)
        return out


def template_file(name: str) -> Path:
    """A file of python-docx's package (``templates/default.docx``), found without importing it."""
    spec = importlib.util.find_spec("docx")
    folders = spec.submodule_search_locations if spec is not None else None
    if not folders:
        raise PackageError("python-docx is not installed: its default template is the base of every DOCX")
    return Path(next(iter(folders))) / name


# ---------------------------------------------------------------------------- sections


def body_section(document: etree._Element) -> etree._Element:
    """The document's last section properties (the body's w:sectPr), added when missing."""
    body = document.find(qn("w:body"))
    if body is None:
        body = etree.SubElement(document, qn("w:body"))
    section = body.find(qn("w:sectPr"))
    if section is None:
        section = etree.SubElement(body, qn("w:sectPr"))
    return section


# CT_SectPr is a sequence: a child goes before the first of these that follows it.
_SECTION_ORDER: Final = (
    "w:headerReference", "w:footerReference", "w:footnotePr", "w:endnotePr", "w:type", "w:pgSz", "w:pgMar",
    "w:paperSrc", "w:pgBorders", "w:lnNumType", "w:pgNumType", "w:cols", "w:formProt", "w:vAlign",
    "w:noEndnote", "w:titlePg", "w:textDirection", "w:bidi", "w:rtlGutter", "w:docGrid", "w:printerSettings",
    "w:sectPrChange",
)


def section_child(section: etree._Element, tag: str) -> etree._Element:
    """``section``'s child ``tag`` (``w:pgSz``, ``w:pgMar``), added in schema order if missing."""
    found = section.find(qn(tag))
    if found is not None:
        return found
    element = etree.Element(qn(tag))
    insert_in_order(section, element, tag, _SECTION_ORDER)
    return element


def insert_in_order(parent: etree._Element, element: etree._Element, tag: str, order: Sequence[str]) -> None:
    """Put ``element`` (a ``tag``) after its like and before the children that follow it in ``order``."""
    later = {qn(name) for name in order[order.index(tag) + 1:]}
    for child in parent:
        if child.tag in later:
            child.addprevious(element)
            return
    parent.append(element)


def on(element: etree._Element | None) -> bool:
    """Whether an on/off element (w:titlePg, w:evenAndOddHeaders) is present and on."""
    if element is None:
        return False
    return element.get(qn("w:val"), "true").lower() not in ("0", "false", "off")


def reference(section: etree._Element, kind: str, kind_type: str) -> str | None:
    """The relationship id of ``section``'s header or footer (``kind``) of ``kind_type``
    (default, first, even)."""
    for found in section.iterfind(qn(f"w:{kind}Reference")):
        if found.get(qn("w:type"), "default") == kind_type:
            rel_id: str | None = found.get(qn("r:id"))
            return rel_id
    return None


def add_reference(section: etree._Element, kind: str, kind_type: str, rel_id: str) -> None:
    """Add ``section``'s reference to its header or footer (``kind``) of ``kind_type``."""
    tag = f"w:{kind}Reference"
    element = etree.Element(qn(tag))
    element.set(qn("w:type"), kind_type)
    element.set(qn("r:id"), rel_id)
    insert_in_order(section, element, tag, _SECTION_ORDER)


def paragraph_texts(root: etree._Element) -> list[str]:
    """The text of each paragraph directly in ``root`` (a header or footer), as Word shows it."""
    return ["".join(p.xpath("./w:r/w:t/text() | ./w:hyperlink/w:r/w:t/text()", namespaces=NAMESPACES))
            for p in root.iterfind(qn("w:p"))]


# ---------------------------------------------------------------------------- core properties

_CORE_TAGS: Final = {
    "title": "dc:title", "subject": "dc:subject", "author": "dc:creator", "last_modified_by": "cp:lastModifiedBy",
    "keywords": "cp:keywords", "category": "cp:category", "comments": "dc:description",
    "content_status": "cp:contentStatus", "identifier": "dc:identifier", "created": "dcterms:created",
    "modified": "dcterms:modified", "last_printed": "cp:lastPrinted", "revision": "cp:revision",
    "version": "cp:version", "language": "dc:language",
}
_W3CDTF: Final = frozenset({"created", "modified"})


def core_properties_root() -> etree._Element:
    """An empty cp:coreProperties with the namespaces its properties use."""
    return etree.Element(qn("cp:coreProperties"), nsmap={
        prefix: NAMESPACES[prefix] for prefix in ("cp", "dc", "dcterms", "dcmitype", "xsi")
    })


def set_core_properties(root: etree._Element, values: Sequence[tuple[str, str | int | dt.datetime]]) -> None:
    """Set each (name, value) of ``values`` on cp:coreProperties ``root``, in place where the
    property is already there, else at the end; dates as UTC W3CDTF."""
    if "xsi" not in root.nsmap:  # declared on the root, not on each dated child
        root.set(qn("xsi:type"), "")
        del root.attrib[qn("xsi:type")]
    for name, value in values:
        prefix = _CORE_TAGS[name].partition(":")[0]
        tag = qn(_CORE_TAGS[name])
        element = root.find(tag)
        if element is None:
            # declared on the element if the root lacks the prefix: xsi:type names dcterms
            declared = {} if root.nsmap.get(prefix) == NAMESPACES[prefix] else {prefix: NAMESPACES[prefix]}
            element = etree.SubElement(root, tag, nsmap=declared)
        if isinstance(value, dt.datetime):
            element.text = value.strftime("%Y-%m-%dT%H:%M:%SZ")
            if name in _W3CDTF:
                element.set(qn("xsi:type"), "dcterms:W3CDTF")
        else:
            element.text = str(value)


# ---------------------------------------------------------------------------- package files


def _is_package_file(name: str) -> bool:
    """Whether part name ``name`` is the content types or a relationships file, which are
    written from the package, never copied."""
    return name.lower() == "/[content_types].xml" or "/_rels/" in name.lower()


def _rels_name(source: str) -> str:
    """The member holding the relationships of part ``source`` (``/`` for the package)."""
    if source == "/":
        return "_rels/.rels"
    folder, name = posixpath.split(source)
    return f"{folder[1:]}/_rels/{name}.rels".lstrip("/")


def _read_rels(text: bytes, source: str) -> Iterator[Rel]:
    base = "/" if source == "/" else posixpath.dirname(source)
    for element in parse_xml(text).iterfind(f"{{{_PR_NS}}}Relationship"):
        rel_id, reltype, target = element.get("Id"), element.get("Type"), element.get("Target")
        if rel_id is None or reltype is None or target is None:
            raise PackageError(f"a relationship of {source} lacks its id, type or target")
        external = element.get("TargetMode") == "External"
        if not external:
            target = posixpath.normpath(posixpath.join(base, target))
        yield Rel(rel_id, reltype, target, external=external)


def _content_types(text: bytes) -> tuple[dict[str, str], dict[str, str]]:
    root = parse_xml(text)
    defaults = {element.get("Extension", "").lower(): element.get("ContentType", "")
                for element in root.iterfind(f"{{{_CT_NS}}}Default")}
    overrides = {element.get("PartName", "").lower(): element.get("ContentType", "")
                 for element in root.iterfind(f"{{{_CT_NS}}}Override")}
    return defaults, overrides


def _content_types_xml(parts: Sequence[Part]) -> bytes:
    defaults = {"rels": CT.RELATIONSHIPS, "xml": CT.XML}
    overrides: dict[str, str] = {}
    for part in parts:
        extension = posixpath.splitext(part.name)[1][1:].lower()  # OPC compares extensions in any case
        if (extension, part.content_type) in _DEFAULTS:
            defaults[extension] = part.content_type
        else:
            overrides[part.name] = part.content_type
    root = etree.Element(f"{{{_CT_NS}}}Types", nsmap={None: _CT_NS})
    for extension in sorted(defaults):
        etree.SubElement(root, f"{{{_CT_NS}}}Default", Extension=extension, ContentType=defaults[extension])
    for name in sorted(overrides):
        etree.SubElement(root, f"{{{_CT_NS}}}Override", PartName=name, ContentType=overrides[name])
    return _serialise(root)


def _rels_xml(rels: Rels, base: str) -> bytes:
    root = etree.Element(f"{{{_PR_NS}}}Relationships", nsmap={None: _PR_NS})
    for rel in rels.values():
        target = rel.target if rel.external else posixpath.relpath(rel.target, base)
        element = etree.SubElement(root, f"{{{_PR_NS}}}Relationship", Id=rel.rel_id, Type=rel.reltype, Target=target)
        if rel.external:
            element.set("TargetMode", "External")
    return _serialise(root)
