"""The DOCX renderer's own package handling (`pirdoc.renderers._docx_package`) with reference
documents python-docx did not make the way pirdoc's base is made, read back with python-docx."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from pirdoc.errors import RenderError
from pirdoc.renderers._docx import DocxRenderer
from pirdoc.renderers._docx_package import Package, PackageError
from tests.documents import every_node_document

REPO = Path(__file__).resolve().parent.parent


def _render(**options: object) -> docx.document.Document:
    return docx.Document(io.BytesIO(DocxRenderer().render(every_node_document(), **options)))


def _rewrite(path: Path, changes: dict[str, bytes | None]) -> None:
    """Replace (or with None drop) members of the zip at ``path``."""
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    for name, data in changes.items():
        if data is None:
            members.pop(name, None)
        else:
            members[name] = data
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def test_a_reference_with_first_and_even_page_headers_gets_the_header_line_in_each(tmp_path: Path) -> None:
    reference = docx.Document()
    section = reference.sections[0]
    section.different_first_page_header_footer = True
    reference.settings.odd_and_even_pages_header_footer = True
    section.first_page_footer.paragraphs[0].text = "First-page footer of ACME"
    path = tmp_path / "reference.docx"
    reference.save(str(path))

    word = _render(template=str(path))
    section = word.sections[0]
    for header in (section.header, section.first_page_header, section.even_page_header):
        assert not header.is_linked_to_previous
        assert "INC-2026-0042" in "\n".join(p.text for p in header.paragraphs)
    assert "Page 1 of 1" in "".join(p.text for p in section.footer.paragraphs)
    assert "Page" in "".join(p.text for p in section.even_page_footer.paragraphs)
    assert [p.text for p in section.first_page_footer.paragraphs] == ["First-page footer of ACME"]
    types = [ref.get(qn("w:type")) for ref in section._sectPr.iterfind(qn("w:headerReference"))]
    assert sorted(types) == ["default", "even", "first"]


def test_a_reference_without_numbering_styles_or_core_properties_still_renders(tmp_path: Path) -> None:
    path = tmp_path / "bare.docx"
    docx.Document().save(str(path))
    with zipfile.ZipFile(path) as archive:
        rels = archive.read("word/_rels/document.xml.rels")
        package_rels = archive.read("_rels/.rels")
    root = etree.fromstring(rels)
    for rel in list(root):
        if rel.get("Type", "").endswith(("/numbering", "/styles", "/settings")):
            root.remove(rel)
    package_root = etree.fromstring(package_rels)
    for rel in list(package_root):
        if rel.get("Type", "").endswith("/core-properties"):
            package_root.remove(rel)
    _rewrite(path, {"word/_rels/document.xml.rels": etree.tostring(root), "_rels/.rels": etree.tostring(package_root)})

    word = _render(template=str(path))
    assert word.core_properties.title == every_node_document().meta.title
    assert "Heading 1" in [style.name for style in word.styles]
    numbered = [p for p in word.paragraphs if p._p.pPr is not None and p._p.pPr.numPr is not None]
    assert numbered  # the lists have their numbering part back
    assert word.sections[0].page_width is not None


def test_a_page_size_in_centimetres_sets_the_text_width(tmp_path: Path) -> None:
    path = tmp_path / "cm.docx"
    docx.Document().save(str(path))
    with zipfile.ZipFile(path) as archive:
        main = archive.read("word/document.xml").decode()
    main = main.replace('w:w="12240"', 'w:w="21cm"')
    assert 'w:w="21cm"' in main
    _rewrite(path, {"word/document.xml": main.encode()})
    with zipfile.ZipFile(io.BytesIO(DocxRenderer().render(every_node_document(), template=str(path)))) as archive:
        header = archive.read("word/header1.xml").decode()
    # 21 cm (7,560,000 EMU) less python-docx's 1.25-inch side margins (2 × 1,143,000 EMU), in
    # whole twips of 635 EMU: 8,305
    assert 'w:pos="8305"' in header


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"[Content_Types].xml": None}, "not a readable .docx file"),
        ({"word/styles.xml": b"<w:styles"}, "not a readable .docx file"),
        ({"[Content_Types].xml": b"<Types xmlns='http://schemas.openxmlformats.org/package/2006/content-types'>"
          b"<Default Extension='xml' ContentType='application/xml'/>"
          b"<Default Extension='jpeg' ContentType='image/jpeg'/>"
          b"<Default Extension='rels' ContentType='application/vnd.openxmlformats-package.relationships+xml'/>"
          b"</Types>"}, "not a Word document"),
    ],
)
def test_a_reference_that_is_not_a_usable_word_package_is_refused_naming_it(
    tmp_path: Path, changes: dict[str, bytes | None], reason: str
) -> None:
    path = tmp_path / "broken.docx"
    docx.Document().save(str(path))
    _rewrite(path, changes)
    with pytest.raises(RenderError, match=f"template .*broken.docx.* is {reason}"):
        DocxRenderer().render(every_node_document(), template=str(path))


def test_a_package_that_is_not_a_zip_is_a_package_error() -> None:
    with pytest.raises(PackageError, match="not a zip file"):
        Package.read(b"PK but not really")


def test_rendering_a_docx_does_not_import_python_docx() -> None:
    code = """
        import sys, warnings
        warnings.simplefilter("ignore")
        import pirdoc
        pirdoc.render(pirdoc.load("fixtures/hostile-review.yaml"), "docx", allow_problems=True)
        print(sorted(name for name in sys.modules if name == "docx" or name.startswith("docx.")))
    """
    result = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=REPO, capture_output=True,
                            text=True, check=False, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def _reference(tmp_path: Path, name: str = "reference.docx") -> Path:
    path = tmp_path / name
    docx.Document().save(str(path))
    return path


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_a_reference_binding_the_main_namespace_to_another_prefix_still_gives_word_xml(tmp_path: Path) -> None:
    path = _reference(tmp_path)
    with zipfile.ZipFile(path) as archive:
        main = archive.read("word/document.xml").decode()
    main = re.sub(r"(?<![\w:])w:", "wx:", main).replace("xmlns:w=", "xmlns:wx=")
    _rewrite(path, {"word/document.xml": main.encode()})
    data = DocxRenderer().render(every_node_document(), template=str(path))
    etree.fromstring(_members(data)["word/document.xml"])  # well-formed
    word = docx.Document(io.BytesIO(data))
    assert any(p.text == "Services Affected" for p in word.paragraphs)


def test_a_reference_without_page_setup_or_property_namespaces_gets_none_added_wrongly(tmp_path: Path) -> None:
    path = _reference(tmp_path)
    with zipfile.ZipFile(path) as archive:
        main = archive.read("word/document.xml").decode()
    main = re.sub(r"<w:pgSz[^>]*/>|<w:pgMar[^>]*/>", "", main)
    core = (b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
            b'<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"/>')
    _rewrite(path, {"word/document.xml": main.encode(), "docProps/core.xml": core})
    data = DocxRenderer().render(every_node_document(), template=str(path))
    members = _members(data)
    assert b"pgSz" not in members["word/document.xml"]  # only read, as python-docx read it
    assert b"pgMar" not in members["word/document.xml"]
    word = docx.Document(io.BytesIO(data))
    assert word.core_properties.created == every_node_document().meta.created
    created = etree.fromstring(members["docProps/core.xml"]).find("{http://purl.org/dc/terms/}created")
    assert created is not None
    assert created.nsmap.get("dcterms") == "http://purl.org/dc/terms/"  # its xsi:type names the prefix


def test_a_reference_without_styles_or_settings_gets_python_docx_defaults(tmp_path: Path) -> None:
    path = _reference(tmp_path)
    with zipfile.ZipFile(path) as archive:
        rels = etree.fromstring(archive.read("word/_rels/document.xml.rels"))
    for rel in list(rels):
        if rel.get("Type", "").endswith(("/styles", "/settings")):
            rels.remove(rel)
    _rewrite(path, {"word/_rels/document.xml.rels": etree.tostring(rels)})
    members = _members(DocxRenderer().render(every_node_document(), template=str(path)))
    styles = etree.fromstring(members["word/styles.xml"])
    assert styles.find(qn("w:docDefaults")) is not None
    assert styles.find(qn("w:latentStyles")) is not None
    settings = etree.fromstring(members["word/settings.xml"])
    assert settings.find(qn("w:defaultTabStop")) is not None


def test_parts_a_reference_document_carries_are_kept_or_dropped_cleanly(tmp_path: Path) -> None:
    path = _reference(tmp_path)
    with zipfile.ZipFile(path) as archive:
        rels = etree.fromstring(archive.read("word/_rels/document.xml.rels"))
        types = archive.read("[Content_Types].xml").replace(
            b"<Default ", b'<Default Extension="png" ContentType="image/png"/><Default ', 1)
    namespace = "http://schemas.openxmlformats.org/package/2006/relationships"
    image = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
    for rel_id, target in (("rId90", "media/bild_ä.png"), ("rId91", "media/missing.png"),
                           ("rId92", "../[Content_Types].xml"), ("rId93", "_rels/document.xml.rels")):
        etree.SubElement(rels, f"{{{namespace}}}Relationship", Id=rel_id, Type=image, Target=target)
    _rewrite(path, {"word/_rels/document.xml.rels": etree.tostring(rels), "word/media/bild_ä.png": b"\x89PNG fake",
                    "[Content_Types].xml": types})
    data = DocxRenderer().render(every_node_document(), template=str(path))
    members = _members(data)
    assert members["word/media/bild_ä.png"] == b"\x89PNG fake"  # a UTF-8 name, kept
    document_rels = members["word/_rels/document.xml.rels"].decode()
    assert "missing.png" not in document_rels  # nothing there: dropped
    assert "Content_Types" not in document_rels
    assert 'Target="_rels' not in document_rels
    assert b"/docProps/custom.xml" in members["[Content_Types].xml"]  # written by pirdoc, not copied
    docx.Document(io.BytesIO(data))


def test_a_reference_that_unpacks_to_more_than_the_limit_is_refused(tmp_path: Path) -> None:
    from pirdoc.renderers._docx_package import MAX_PACKAGE_BYTES

    path = _reference(tmp_path)
    with zipfile.ZipFile(path) as archive:
        main = archive.read("word/document.xml")
    padded = main.replace(b"<w:body>", b"<w:body>" + b" " * MAX_PACKAGE_BYTES, 1)
    _rewrite(path, {"word/document.xml": padded})
    assert path.stat().st_size < 1_000_000  # a small file that unpacks to more than the limit
    with pytest.raises(RenderError, match="more than 64 MiB"):
        DocxRenderer().render(every_node_document(), template=str(path))


def test_a_header_part_shared_by_two_references_gets_the_header_line_once(tmp_path: Path) -> None:
    path = _reference(tmp_path)
    reference = docx.Document(str(path))
    section = reference.sections[0]
    section.different_first_page_header_footer = True
    section.header.is_linked_to_previous = False
    reference.save(str(path))
    with zipfile.ZipFile(path) as archive:
        main = archive.read("word/document.xml").decode()
    default = re.search(r'<w:headerReference w:type="default" r:id="(rId\d+)"/>', main)
    assert default is not None
    main = main.replace("<w:titlePg/>", f'<w:headerReference w:type="first" r:id="{default[1]}"/><w:titlePg/>')
    _rewrite(path, {"word/document.xml": main.encode()})
    word = docx.Document(io.BytesIO(DocxRenderer().render(every_node_document(), template=str(path))))
    header_text = "\n".join(p.text for p in word.sections[0].header.paragraphs)
    assert header_text.count("INC-2026-0042") == 1


@pytest.mark.parametrize("damage", ["encrypted", "bad stream"])
def test_a_reference_the_zip_reader_cannot_read_is_refused_naming_it(tmp_path: Path, damage: str) -> None:
    path = _reference(tmp_path)
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("word/document.xml")
    if damage == "encrypted":  # the flag of an encrypted member, in its local and central headers
        data[info.header_offset + 6] |= 1
        directory = data.find(b"PK\x01\x02")
        while directory != -1:
            if data[directory + 46:directory + 46 + len(info.filename)] == info.filename.encode():
                data[directory + 8] |= 1
            directory = data.find(b"PK\x01\x02", directory + 1)
    else:
        start = info.header_offset + 30 + len(info.filename) + len(info.extra)
        data[start:start + 8] = b"\xff" * 8
    path.write_bytes(bytes(data))
    with pytest.raises(RenderError, match=r"is not a readable \.docx file"):
        DocxRenderer().render(every_node_document(), template=str(path))


def test_relationships_are_found_by_target_and_numbered_as_word_numbers_them() -> None:
    from pirdoc.renderers._docx_package import RT, Package, Rel

    package = Package()
    package.rels.add(Rel("rId2", RT.THUMBNAIL, "/docProps/thumbnail.jpeg"))
    package.rels.add(Rel("rId3", RT.CORE_PROPERTIES, "/docProps/core.xml"))
    links = [package.relate(None, RT.HYPERLINK, f"https://example.com/{n % 3}", external=True) for n in range(6)]
    assert links == ["rId1", "rId4", "rId5", "rId1", "rId4", "rId5"]  # the first free ids, then found again
    assert package.relate(None, RT.HYPERLINK, "https://example.com/0") == "rId6"  # internal: not the same
    package.drop_rels(None, (RT.THUMBNAIL,))
    assert package.relate(None, RT.HYPERLINK, "https://example.com/9", external=True) == "rId2"  # freed, reused
    assert [rel.rel_id for rel in package.rels.values()] == ["rId3", "rId1", "rId4", "rId5", "rId6", "rId2"]
    assert package.relate(None, RT.HYPERLINK, "https://example.com/2", external=True) == "rId5"


# ---------------------------------------------------------------------------- runs and text

_RUN_TEXT = st.text(
    alphabet=st.sampled_from(["a", " ", "&", "<", '"', "\n", "\r", "\t", "\x0b", "\x00", "\ud800", "é", "\ufffe"])
)


@given(text=_RUN_TEXT, bold=st.booleans(), style=st.sampled_from([None, "Strong", 'a"b']))
def test_a_run_is_its_pieces_whatever_the_text(text: str, bold: bool, style: str | None) -> None:
    from pirdoc.renderers import _docx_oxml as ox

    fmt = ox.PLAIN.with_(bold=bold, style=style)
    assert fmt == ox.RunFormat(bold=bold, style=style)
    assert ox.PLAIN.with_(bold=bold, style=style) is fmt  # asked again: the same format
    assert ox.clean(text) == re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]", "\ufffd", text)
    pieces = []
    for piece in re.split(r"(\r\n|\r|\n|\t)", text):
        if piece == "\t":
            pieces.append("<w:tab/>")
        elif piece in ("\n", "\r", "\r\n"):
            pieces.append("<w:br/>")
        elif piece:
            pieces.append(f'<w:t xml:space="preserve">{ox.esc(piece)}</w:t>')
    expected = f"<w:r>{ox._rpr(fmt)}{''.join(pieces)}</w:r>" if text else ""
    assert ox.run(text, fmt) == expected
