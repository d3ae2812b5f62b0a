"""The DOCX renderer's own package handling (`pirdoc.renderers._docx_package`) with reference
documents python-docx did not make the way pirdoc's base is made, read back with python-docx."""

from __future__ import annotations

import io
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
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
    with zipfile.ZipFile(path, "w") as archive:
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
